"""Cell coercion (csbatch.sheets.coerce): every form a person types, every message, the reader
traps of docs/inputs.md, and a property test that no cell ever raises or gets lost."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csbatch.idnumbers import check_characters, mask_ids_in
from csbatch.policy.inputs import Column
from csbatch.sheets.coerce import CoerceContext, Coerced, coerce_audit_items, coerce_column

FIRST_ROW = 2   # sheet rows: the header is row 1


@pytest.fixture(scope="module")
def ctx(policy) -> CoerceContext:
    return CoerceContext.from_policy(policy, "2026-10")


@pytest.fixture(scope="module")
def ctx1904(policy) -> CoerceContext:
    return CoerceContext.from_policy(policy, "2026-10", date1904=True)


def run(ctx, type_, cells, **column) -> Coerced:
    raw = pd.Series(cells, dtype=object, index=range(FIRST_ROW, FIRST_ROW + len(cells)))
    return coerce_column(raw, Column(type=type_, **column), ctx)


def one(ctx, type_, cell, **column):
    """The value of one cell, asserting it coerced cleanly."""
    result = run(ctx, type_, [cell], **column)
    assert result.errors == [], result.errors
    return result.values.iloc[0]


def error(ctx, type_, cell, **column) -> str:
    """The message for one cell, asserting it is an error and has no value."""
    result = run(ctx, type_, [cell], **column)
    assert len(result.errors) == 1, result.errors
    assert pd.isna(result.values.iloc[0])
    return result.errors[0][1]


def notes(result: Coerced) -> list[str]:
    return [code for _, code, _ in result.notes]


# -- context --------------------------------------------------------------------------------------


def test_context_from_policy(ctx, policy):
    assert ctx.earliest == dt.date(1900, 1, 1)
    assert ctx.latest == dt.date(2027, 10, 31)
    assert ctx.booleans["是"] is True and ctx.booleans["否"] is False and ctx.booleans["y"]
    assert "n/a" in ctx.not_applicable
    assert ctx.codes["roles"]["咨询类客服"] == "consulting_cs"
    assert ctx.codes["channel"]["online"] == "online"
    assert CoerceContext.from_policy(policy, "2027-02").latest == dt.date(2028, 2, 29)
    with pytest.raises(ValueError):
        CoerceContext.from_policy(policy, "2026-13")


# -- id --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell, want", [
    ("1001", "1001"), (" 1001 ", "1001"), (1001.0, "1001"), (1001, "1001"), ("１００１", "1001"),
    ("E-07", "E-07"), (999999999999999.0, "999999999999999"),
])
def test_id_forms(ctx, cell, want):
    assert one(ctx, "id", cell) == want


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u00a0", "\u3000", "\u200d"])
def test_id_invisible_characters_trimmed_with_a_warning(ctx, invisible):
    result = run(ctx, "id", [f"{invisible}1001{invisible}", " 1002 "])
    assert result.values.tolist() == ["1001", "1002"]
    assert result.errors == []
    assert result.notes[0][:2] == (FIRST_ROW, "id.trimmed")   # ordinary spaces: no note
    assert len(result.notes) == 1


def test_id_18_digits_stored_as_number(ctx):
    assert error(ctx, "id", 110105199003071234.0) == (
        "1.10105199003071e+17 is an 18-digit ID stored as a number: its last digits are already "
        "lost; format the column as text and type the IDs again")
    assert "16-digit ID stored as a number" in error(ctx, "id", 1e15)


def test_id_not_whole(ctx):
    assert error(ctx, "id", 1001.5) == "'1001.5' is not an ID"
    assert error(ctx, "id", True) == "'TRUE' is not an ID"


# -- national ID -----------------------------------------------------------------------------------

VALID_ID = "11010519491231002X"


def test_check_character():
    """The two worked examples printed in GB 11643-1999 itself (the one check digit of csbatch,
    which the sample generator uses too, is held to the standard here)."""
    assert list(check_characters(["11010519491231002", "44052418800101001"])) == ["X", "4"]


@pytest.mark.parametrize("cell", [VALID_ID, "110105491231002", " 11010519491231002X\u200b"])
def test_national_id_forms(ctx, cell):
    assert one(ctx, "national_id", cell) == cell.strip(" \u200b")


def test_national_id_lowercase_x(ctx):
    result = run(ctx, "national_id", ["11010519491231002x"])
    assert result.values.tolist() == [VALID_ID]
    assert result.errors == [] and notes(result) == ["id.lowercase_x"]


def test_national_id_bad_check_digit_is_a_warning(ctx):
    result = run(ctx, "national_id", ["110105194912310021"])
    assert result.values.tolist() == ["110105194912310021"]
    assert result.errors == []
    assert notes(result) == ["id.check_digit"]
    assert result.notes[0][2] == ("'**************0021' fails the national-ID check (GB 11643); "
                                  "check the number for a typing error")


def test_national_id_messages_show_the_last_four_only(ctx):
    """Personal data: no message about a national-ID cell holds the number whole, nor names the
    check character it should have."""
    cells = ["110105194912310021", "11010519491231002x", "\u200b11010519491231002X",
             "1101051949123100", 110105194912310020.0, "不详"]
    result = run(ctx, "national_id", cells)
    texts = [m for _, m in result.errors] + [m for _, _, m in result.notes]
    assert len(texts) == 6
    for text in texts:
        assert not re.search(r"[0-9]{5}", text.replace("GB 11643", "")), text
        assert "should be" not in text
    assert "'************3100' is not a national ID number" in " ".join(texts)
    assert "'不详' is not a national ID number" in " ".join(texts)


def test_mask_ids_in_free_text():
    from csbatch.errors import Issue
    assert mask_ids_in("'110105194912310021' is not in the roster") == \
        "'**************0021' is not in the roster"
    assert mask_ids_in("id 11010519491231002x.") == "id **************002x."
    for kept in ("order 2026100812345678901", "1101051949123100211", "A110105194912310021"):
        assert mask_ids_in(kept) == kept
    assert str(Issue(None, "x", "'110105194912310021' is not an ID")) == \
        "'**************0021' is not an ID"


def test_national_id_any_number_is_an_error(ctx):
    assert error(ctx, "national_id", 110105194912310020.0) == (
        "'**************0016' is an ID number stored as a number (18 digits): its last digits are "
        "already lost; format the column as text and type the IDs again")
    assert "stored as a number" in error(ctx, "national_id", 110105491231002.0)


@pytest.mark.parametrize("cell, shown", [("1101051949123100", "************3100"),
                                         ("11010519491231002Y", "**************002Y"),
                                         ("abc", "abc")])
def test_national_id_bad_shape(ctx, cell, shown):
    assert error(ctx, "national_id", cell).startswith(f"'{shown}' is not a national ID number")


# -- text ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell, want", [
    ("  张三 ", "张三"), (3.0, "3"), (0.1, "0.1"), (12, "12"), (True, "TRUE"),
    (dt.date(2026, 10, 8), "2026-10-08"), (dt.time(8, 31), "08:31:00"), ("好！", "好！"),
])
def test_text(ctx, cell, want):
    assert one(ctx, "text", cell) == want


def test_text_blank_is_none(ctx):
    result = run(ctx, "text", ["", "   ", None, float("nan"), "\u200b"])
    assert result.values.tolist() == [None] * 5 and result.errors == []


# -- int -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["3", "3.0", "３", 3.0, 3, " 3 ", "+3"])
def test_int_forms(ctx, cell):
    assert one(ctx, "int", cell, min=0) == 3


def test_int_dtype_and_thousands(ctx):
    result = run(ctx, "int", ["1,200", "", 7.0])
    assert str(result.values.dtype) == "Int64"
    assert result.values.tolist() == [1200, pd.NA, 7]


def test_int_errors(ctx):
    assert error(ctx, "int", "-3", min=0) == "'-3' is negative"
    assert error(ctx, "int", -3.0, min=0) == "'-3' is negative"
    assert error(ctx, "int", 3.5) == "'3.5' is not a whole number"
    assert error(ctx, "int", "2", min=5) == "'2' is less than the minimum 5"
    assert error(ctx, "int", "12", max=10) == "'12' is more than the maximum 10"


# -- number and money ------------------------------------------------------------------------------


@pytest.mark.parametrize("cell, want", [
    ("12.5", "12.5"), (0.1, "0.1"), (95.0, "95"), ("９５", "95"), ("95%", "0.95"),
    ("1,234.5", "1234.5"), ("-0.5", "-0.5"),
])
def test_number_forms(ctx, cell, want):
    value = one(ctx, "number", cell)
    assert isinstance(value, Decimal) and value == Decimal(want)


def test_number_from_float_uses_shortest_repr(ctx):
    assert str(one(ctx, "number", 0.1)) == "0.1"          # not 0.1000000000000000055511…
    assert str(one(ctx, "money", 1234.56)) == "1234.56"


def test_number_range(ctx):
    assert error(ctx, "number", 120, min=0, max=100) == "'120' is more than the maximum 100"
    assert error(ctx, "number", "-1", min=0, max=100) == "'-1' is negative"


@pytest.mark.parametrize("cell, want", [
    ("¥1,234.50", "1234.50"), ("￥1234.5", "1234.5"), ("1234.5元", "1234.5"), ("RMB 12", "12"),
    ("rmb12", "12"), ("-12.5", "-12.5"), ("(12.50)", "-12.50"), ("（12.50）", "-12.50"),
    ("¥-5", "-5"), ("-¥5", "-5"), (12.3, "12.3"), (1000, "1000"), ("１２３", "123"),
    ("1,234,567", "1234567"), (".5", "0.5"),
])
def test_money_forms(ctx, cell, want):
    value = one(ctx, "money", cell)
    assert isinstance(value, Decimal) and value == Decimal(want)
    assert str(value) == want


@pytest.mark.parametrize("cell", ["12,3x", "1,23", "1,2345", "(-12)", "12%", "¥", "1.2.3", "-",
                                  "1e3", "N/A", "待定"])
def test_money_errors(ctx, cell):
    assert error(ctx, "money", cell) == f"'{cell}' is not an amount"


def test_money_negative_below_min(ctx):
    assert error(ctx, "money", "-12.5", min=0) == "'-12.5' is negative"
    assert one(ctx, "money", "-12.5") == Decimal("-12.5")   # adjustments: negative = deduction


# -- reader traps ---------------------------------------------------------------------------------


@pytest.mark.parametrize("type_", ["int", "number", "money", "date", "datetime", "time", "bool",
                                   "month"])
@pytest.mark.parametrize("text", ["N/A", "待定"])
def test_placeholder_text_in_typed_columns_is_an_error_not_a_null(ctx, type_, text):
    assert error(ctx, type_, text).startswith(f"'{text}' is not ")


def test_id_read_as_float_is_the_id(ctx):
    result = run(ctx, "id", [1001.0, 1002.0, "1003"])
    assert result.values.tolist() == ["1001", "1002", "1003"]


def test_date_serial_in_unformatted_cell(ctx):
    assert one(ctx, "date", 46303.0) == pd.Timestamp("2026-10-08")
    assert one(ctx, "date", 46303) == pd.Timestamp("2026-10-08")


# -- date -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", [
    46303, 46303.0, 46303.75, "46303", "2026-10-08", "2026/10/8", "2026.10.8", "2026年10月8日",
    "２０２６年１０月８日", "2026 年 10 月 8 日", "20261008", 20261008, "2026-10-08 08:31", "2026/10/8 8:31:00",
    dt.date(2026, 10, 8), dt.datetime(2026, 10, 8, 8, 31), pd.Timestamp("2026-10-08 23:59"),
])
def test_date_forms(ctx, cell):
    value = one(ctx, "date", cell)
    assert value == pd.Timestamp("2026-10-08")


def test_date_dtype(ctx):
    result = run(ctx, "date", ["2026-10-08", ""])
    assert str(result.values.dtype) == "datetime64[ns]"
    assert pd.isna(result.values.iloc[1])


@pytest.mark.parametrize("cell", ["2026-13-01", "2026-02-30", "2026", "2026-10", "10/8/2026",
                                  "26-10-08", "abc", "2026-10-08 25:00"])
def test_date_not_a_date(ctx, cell):
    assert error(ctx, "date", cell) == f"'{cell}' is not a date"


def test_date_outside_range(ctx):
    assert error(ctx, "date", "0026-10-08") == (
        "date 0026-10-08 is outside the sensible range 1900-01-01 … 2027-10-31")
    assert error(ctx, "date", "2027-11-01").startswith("date 2027-11-01 is outside")
    assert one(ctx, "date", "2027-10-31") == pd.Timestamp("2027-10-31")
    assert error(ctx, "date", dt.date(1, 1, 1)).startswith("date 0001-01-01 is outside")


LOTUS = ("is before 1900-03-01 (an Excel date serial of 60 or less), where Excel's 1900 date "
         "system counts a 1900-02-29 that never existed; type the real date")


def test_date_1900_system(ctx):
    for serial in (1, 59, 60, 60.5):
        assert error(ctx, "date", serial) == f"'{serial}' {LOTUS}"
    assert one(ctx, "date", 61) == pd.Timestamp("1900-03-01")
    assert one(ctx, "date", 45000) == pd.Timestamp("2023-03-15")
    assert error(ctx, "date", 0.35) == "'0.35' is a time of day, not a date"
    assert error(ctx, "date", -5) == "'-5' is not a date"


@pytest.mark.parametrize("cell", [dt.date(1900, 2, 28), dt.datetime(1900, 2, 28, 12, 0),
                                  dt.date(1900, 1, 1), dt.datetime(1899, 12, 31)])
def test_date_cells_of_serial_60_or_less_are_errors(ctx, cell):
    """A reader turns serials 59 and 60 of a date-formatted cell both into 1900-02-28: any date
    cell before 1900-03-01 in a 1900-system workbook is refused, as a date, a datetime or a
    month."""
    assert error(ctx, "date", cell).endswith(LOTUS)
    assert error(ctx, "datetime", cell).endswith(LOTUS)
    assert error(ctx, "month", cell).endswith(LOTUS)
    assert one(ctx, "date", dt.date(1900, 3, 1)) == pd.Timestamp("1900-03-01")


def test_date_1904_system(ctx1904):
    assert one(ctx1904, "date", 0) == pd.Timestamp("1904-01-01")
    assert one(ctx1904, "date", 44841) == pd.Timestamp("2026-10-08")   # 1462 days less
    assert one(ctx1904, "datetime", 44841.5) == pd.Timestamp("2026-10-08 12:00")
    assert one(ctx1904, "date", 60) == pd.Timestamp("1904-03-01")       # no phantom day


def test_date_time_cell_is_not_a_date(ctx):
    assert error(ctx, "date", dt.time(8, 0)) == "'08:00:00' is not a date"


# -- datetime -------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", [
    "2026-10-08 08:31", "2026-10-08T08:31:00", "2026/10/8 8:31:00", "2026/10/8 8:31",
    "2026年10月8日 8:31", "2026年10月8日8时31分", "2026.10.8 08:31", "2026-10-08 08：31",
    46303.354861111111, "46303.354861111111", dt.datetime(2026, 10, 8, 8, 31),
])
def test_datetime_forms(ctx, cell):
    assert one(ctx, "datetime", cell) == pd.Timestamp("2026-10-08 08:31")


def test_datetime_date_alone_is_midnight_and_seconds_kept(ctx):
    assert one(ctx, "datetime", "2026-10-08") == pd.Timestamp("2026-10-08")
    assert one(ctx, "datetime", dt.date(2026, 10, 8)) == pd.Timestamp("2026-10-08")
    assert one(ctx, "datetime", "2026-10-08 08:31:05.5") == pd.Timestamp("2026-10-08 08:31:05.5")


def test_datetime_errors(ctx):
    assert error(ctx, "datetime", "2026-10-08 24:00") == \
        "'2026-10-08 24:00' is not a date and time"
    assert error(ctx, "datetime", "1899-12-31 08:00").startswith("date 1899-12-31 is outside")


# -- time ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", [
    "08:31", "8:31", "8:31:00", "08：31", "8时31分", dt.time(8, 31), dt.datetime(2026, 10, 8, 8, 31),
    dt.timedelta(hours=8, minutes=31), 0.354861111111, 8.5 / 24 + 1 / 1440, "2026-10-08 08:31",
])
def test_time_forms(ctx, cell):
    value = one(ctx, "time", cell)
    assert value == pd.Timedelta(hours=8, minutes=31)


def test_time_dtype(ctx):
    result = run(ctx, "time", ["08:31", None])
    assert str(result.values.dtype) == "timedelta64[ns]"
    assert pd.isna(result.values.iloc[1])


@pytest.mark.parametrize("cell", ["25:00", "8:61", "abc", "2026-10-08", dt.timedelta(days=1)])
def test_time_errors(ctx, cell):
    assert error(ctx, "time", cell).endswith("is not a time of day")


def test_time_number_outside_a_day(ctx):
    assert error(ctx, "time", 830) == "'830' is not a time of day (write 08:30)"


# -- month ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["2026-10", "2026/10", "2026.10", "2026年10月", "2026年10", "202610",
                                  202610, dt.date(2026, 10, 1), dt.datetime(2026, 10, 8, 9, 0),
                                  "2026-10-08", 46296.0])
def test_month_forms(ctx, cell):
    assert one(ctx, "month", cell) == "2026-10"


def test_month_errors(ctx):
    assert error(ctx, "month", "2026-13") == "'2026-13' is not a month (write 2026-10)"
    assert error(ctx, "month", "0026-10") == (
        "month 0026-10 is outside the sensible range 1900-01 … 2027-10")


# -- bool ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell, want", [
    ("是", True), ("否", False), ("Y", True), ("n", False), ("TRUE", True), ("false", False),
    ("√", True), ("×", False), ("已批准", True), ("待审批", False), (True, True), (False, False),
    (1.0, True), (0, False), ("1", True), ("0", False), (" Ｙ ", True),
])
def test_bool_forms(ctx, cell, want):
    assert one(ctx, "bool", cell) is want or one(ctx, "bool", cell) == want


def test_bool_dtype_and_errors(ctx):
    result = run(ctx, "bool", ["是", "", "maybe", 2, "-1"])
    assert str(result.values.dtype) == "boolean"
    assert result.errors == [(4, "'maybe' is not yes or no (write 是 or 否)"),
                             (5, "'2' is not yes or no (write 是 or 否)"),
                             (6, "'-1' is not yes or no (write 是 or 否)")]


# -- code ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["咨询类客服", "consulting_cs", "Consulting CS", " 咨询客服 "])
def test_code_forms(ctx, cell):
    assert one(ctx, "code", cell, codes="roles") == "consulting_cs"


def test_code_vocabulary(ctx):
    assert one(ctx, "code", "网络成交", codes="channel") == "online"
    assert one(ctx, "code", "已退款", codes="order_status") == "refunded"


def test_code_unknown(ctx):
    assert error(ctx, "code", "abc", codes="roles") == (
        "'abc' is not a known role (known: 咨询类客服, 综合类客服, 邀约客服专员, 网购客服, 督导, …)")
    assert error(ctx, "code", "xyz", codes="leave_types").startswith(
        "'xyz' is not a known leave type (known: 年假, 婚假")


# -- phone -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell, want", [
    ("13812345678", "13812345678"), ("138 1234 5678", "13812345678"),
    ("138-1234-5678", "13812345678"), ("+86 138 1234 5678", "13812345678"),
    ("0086-13812345678", "13812345678"), ("(010) 8888-6666", "01088886666"),
    ("（010）88886666", "01088886666"), (13812345678.0, "13812345678"), (13812345678, "13812345678"),
])
def test_phone_forms(ctx, cell, want):
    assert one(ctx, "phone", cell) == want


def test_phone_errors(ctx):
    assert error(ctx, "phone", "12345") == "'12345' is not a phone number (7 to 15 digits)"
    assert error(ctx, "phone", "1234567890123456") == \
        "'1234567890123456' is not a phone number (7 to 15 digits)"
    assert error(ctx, "phone", "call me") == "'call me' is not a phone number"
    assert error(ctx, "phone", 1381234.5) == "'1381234.5' is not a phone number"


# -- blanks, defaults, required -----------------------------------------------------------------


def test_default_fills_blanks_and_is_coerced(ctx):
    result = run(ctx, "int", ["", None, float("nan"), "4"], default="1", min=0)
    assert result.values.tolist() == [1, 1, 1, 4]
    assert run(ctx, "code", ["", "到店成交"], codes="channel", default="online").values.tolist() \
        == ["online", "in_store"]
    assert run(ctx, "bool", [""], default="否").values.tolist() == [False]


def test_required_blank(ctx):
    result = run(ctx, "id", ["", None, " ", "\u3000", "1001"], required=True)
    assert result.errors == [(row, "is required but empty") for row in range(2, 6)]
    assert result.values.tolist() == [None, None, None, None, "1001"]


def test_blank_not_required_is_missing(ctx):
    result = run(ctx, "money", ["", None, float("nan")])
    assert result.values.tolist() == [None, None, None] and result.errors == []


def test_index_kept_and_errors_in_row_order(ctx):
    raw = pd.Series(["x", "1", "y"], dtype=object, index=[10, 5, 7])
    result = coerce_column(raw, Column(type="int"), ctx)
    assert list(result.values.index) == [10, 5, 7]
    assert [label for label, _ in result.errors] == [10, 7]


def test_mixed_cells_in_one_column(ctx):
    result = run(ctx, "money", ["¥12", 3.5, True, dt.date(2026, 1, 1), "", 7])
    assert result.values.tolist()[:2] == [Decimal("12"), Decimal("3.5")]
    assert result.values.iloc[5] == Decimal(7)
    assert [label for label, _ in result.errors] == [4, 5]


# -- audit items ----------------------------------------------------------------------------------


def audit(ctx, kind, cells, per_item="5") -> Coerced:
    return coerce_audit_items(pd.Series(cells, dtype=object), kind, Decimal(per_item), ctx)


def test_audit_positive_marks(ctx):
    result = audit(ctx, "positive", ["5", 3.0, "2.5", "0", "✓", "√", "是", "✗", "×", "否", "N/A",
                                     "不适用", True, False])
    assert result.errors == []
    assert result.values.tolist() == [Decimal(5), Decimal(3), Decimal("2.5"), Decimal(0),
                                      Decimal(5), Decimal(5), Decimal(5), Decimal(0), Decimal(0),
                                      Decimal(0), None, None, Decimal(5), Decimal(0)]


def test_audit_positive_errors(ctx):
    result = audit(ctx, "positive", ["", "7", "-1", "abc", None])
    assert result.errors == [
        (0, "no mark (write points, ✓/✗ or N/A)"),
        (1, "'7' is more than the item's 5 points"),
        (2, "'-1' is negative"),
        (3, "'abc' is not a mark (write points 0–5, ✓/✗ or N/A)"),
        (4, "no mark (write points, ✓/✗ or N/A)"),
    ]
    assert result.values.tolist() == [None] * 5


def test_audit_taboo_marks(ctx):
    result = audit(ctx, "taboo", ["✓", "是", "", "✗", "否", "N/A", None, 1.0, 0, "abc", "3"],
                   per_item="10")
    assert result.values.tolist()[:9] == [Decimal(1), Decimal(1), Decimal(0), Decimal(0),
                                          Decimal(0), None, Decimal(0), Decimal(1), Decimal(0)]
    assert [label for label, _ in result.errors] == [9, 10]
    assert result.errors[0][1].startswith("'abc' is not a mark")


# -- property: every cell ends as exactly one of value, error or missing --------------------------

_ZW = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")

COLUMNS = [
    Column(type="id"), Column(type="id", required=True), Column(type="national_id"),
    Column(type="text"), Column(type="int", min=0), Column(type="int", default="1", min=0),
    Column(type="number", min=0, max=100), Column(type="money"), Column(type="money", min=0),
    Column(type="date", required=True), Column(type="datetime"), Column(type="time"),
    Column(type="month"), Column(type="bool", default="否"), Column(type="bool"),
    Column(type="code", codes="roles"), Column(type="code", codes="channel", default="online"),
    Column(type="phone"),
]

DTYPES = {"int": "Int64", "bool": "boolean", "date": "datetime64[ns]",
          "datetime": "datetime64[ns]", "time": "timedelta64[ns]"}

TYPED = ["1001", "1001.0", "２０２６年１０月８日", "2026-10-08 08:31", "8:31", "2026-10", "¥1,234.50",
         "(12.50)", "12,3x", "N/A", "待定", "是", "√", "咨询类客服", "online", "+86 138 1234 5678",
         VALID_ID, "11010519491231002x", "46303", "60", " \u200b1001\u00a0", "-3", "95%", "1e999",
         "0026-10-08", "2026-02-29", "nan", "inf", "\u3000", "TRUE"]

cells = st.one_of(
    st.none(), st.just(""), st.sampled_from(TYPED), st.text(max_size=12),
    st.floats(allow_nan=True, allow_infinity=True), st.integers(), st.booleans(),
    st.dates(), st.datetimes(), st.times(), st.timedeltas(),
    st.floats(min_value=0, max_value=3e6), st.integers(min_value=0, max_value=99999999),
)


def is_blank(cell) -> bool:
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return True
    return isinstance(cell, str) and unicodedata.normalize("NFKC", _ZW.sub("", cell)).strip() == ""


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cells, min_size=1, max_size=8))
def test_every_cell_is_a_value_an_error_or_missing(ctx, row_cells):
    raw = pd.Series(row_cells, dtype=object, index=range(FIRST_ROW, FIRST_ROW + len(row_cells)))
    for column in COLUMNS:
        result = coerce_column(raw, column, ctx)
        values = result.values
        assert values.index.equals(raw.index)
        assert str(values.dtype) == DTYPES.get(column.type, "object"), column.type
        errors = dict(result.errors)
        assert len(errors) == len(result.errors), "one error per cell at most"
        for label, cell in raw.items():
            has_value = not pd.isna(values[label])
            if has_value:
                assert label not in errors, (column.type, cell, errors[label])
                if column.type in ("number", "money"):
                    assert isinstance(values[label], Decimal)
                elif DTYPES.get(column.type) is None:
                    assert type(values[label]) is str
            elif label not in errors:
                assert is_blank(cell) and not column.required and column.default is None, \
                    (column.type, cell)
        assert all(label in raw.index for label, _, _ in result.notes)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(cells, st.sampled_from(["✓", "✗", "N/A", "不适用", "5", "2.5", "7"])),
                min_size=1, max_size=8))
def test_audit_marks_are_a_value_an_error_or_not_applicable(ctx, row_cells):
    raw = pd.Series(row_cells, dtype=object)
    for kind in ("positive", "taboo"):
        result = coerce_audit_items(raw, kind, Decimal(5), ctx)
        errors = dict(result.errors)
        assert len(errors) == len(result.errors)
        for label, cell in raw.items():
            value = result.values[label]
            if value is not None:
                assert label not in errors and isinstance(value, Decimal)
                assert Decimal(0) <= value <= (Decimal(5) if kind == "positive" else Decimal(1))
            elif label not in errors:
                assert isinstance(cell, str) and \
                    re.sub(r"[\s_-]", "", unicodedata.normalize("NFKC", cell).casefold()) \
                    in ctx.not_applicable, (kind, cell)


@pytest.mark.parametrize("kind", ["date", "datetime", "time", "text", "number", "id"])
def test_numpy_nat_cells_are_blank(ctx, kind):
    """numpy's NaT is a value of datetime64/timedelta64, not a type: it must read as blank, and a
    timedelta64 must never pass for a number."""
    raw = pd.Series([np.datetime64("NaT"), np.timedelta64("NaT")], dtype=object)
    result = coerce_column(raw, Column(type=kind), ctx)
    assert result.errors == [] and result.values.isna().all()
    assert coerce_column(pd.Series([np.timedelta64(5, "s")], dtype=object), Column(type="number"), ctx).errors


def test_money_float_noise_is_the_cent_it_stands_for(ctx):
    raw = pd.Series([22400.00000000001, 0.1 + 0.2, 1797.1200000000001, 1e-7, "1797.1200000000001",
                     "1797.120"], dtype=object)
    result = coerce_column(raw, Column(type="money"), ctx)
    assert list(result.values) == [Decimal("22400.00"), Decimal("0.30"), Decimal("1797.12"),
                                   Decimal("0.00"), Decimal("1797.12"), Decimal("1797.12")]
    assert result.errors == []
    assert str(coerce_column(pd.Series([12.3], dtype=object), Column(type="money"), ctx).values[0]) == "12.3"
    number = coerce_column(pd.Series([0.1 + 0.2], dtype=object), Column(type="number"), ctx)
    assert number.values[0] == Decimal("0.30000000000000004")  # only money is snapped to cents


@pytest.mark.parametrize("cell", ["1797.123", 1797.123, "¥1,797.125", "(12.505)", 0.001, 1797.120001])
def test_money_with_more_than_two_decimals_is_an_error(ctx, cell):
    assert error(ctx, "money", cell).endswith(
        "has more than two decimals: an amount is whole cents (fen)")


# -- percentages in points columns -----------------------------------------------------------------

SCORE = {"min": 0, "max": 100}     # callbacks.score: 0–100 (or 1–5)


@pytest.mark.parametrize("cell", ["92%", "100%", "９２％", "0.5%"])
def test_percent_text_in_a_points_column_is_an_error(ctx, cell):
    assert error(ctx, "number", cell, **SCORE).endswith(
        "is a percentage; this column holds points 0–100: write the number without %")
    assert "is a percentage" in error(ctx, "number", cell, min=0, max=10)


@pytest.mark.parametrize("cell", [0.92, "0.92", 0.5, 0.01])
def test_a_fraction_in_a_0_to_100_column_is_an_error(ctx, cell):
    """Excel keeps a cell typed as 92% as 0.92: in a 0–100 column that is a percentage."""
    assert "looks like a percentage (Excel keeps 92% as 0.92)" in error(ctx, "number", cell, **SCORE)


@pytest.mark.parametrize("cell, want", [(92, "92"), ("92", "92"), (0, "0"), (1, "1"), (4.5, "4.5"),
                                        (100, "100")])
def test_points_are_accepted_in_a_0_to_100_column(ctx, cell, want):
    assert one(ctx, "number", cell, **SCORE) == Decimal(want)


def test_percent_still_means_a_fraction_where_the_column_holds_fractions(ctx):
    assert one(ctx, "number", "92%", min=0, max=1) == Decimal("0.92")
    assert one(ctx, "number", "92%") == Decimal("0.92")
    assert one(ctx, "number", 0.92, min=0, max=10) == Decimal("0.92")   # a 0–10 mark may be 0.92


# -- phones ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["1381234123", 1381234123, "138-1234-123"])
def test_ten_digit_phone_is_a_warning(ctx, cell):
    result = run(ctx, "phone", [cell])
    assert result.errors == [] and result.values.tolist() == ["1381234123"]
    assert notes(result) == ["phone.ten_digits"]
    assert "has 10 digits: a mobile number has 11" in result.notes[0][2]


@pytest.mark.parametrize("cell", ["13812341234", "010-12345678", "12345678"])
def test_other_phone_lengths_are_not_noted(ctx, cell):
    assert run(ctx, "phone", [cell]).notes == []
