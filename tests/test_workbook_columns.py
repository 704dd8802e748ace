"""Workbook sheets and CSV files are converted a column at a time: the cells and the text come out
as the cell-by-cell path writes them (dates as dates with their format, blanks left empty, text
that looks like a formula kept as quoted text, money exact to the fen)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import openpyxl
import pandas as pd
from xlsxwriter.utility import _datetime_to_excel_datetime

from csbatch.reports.cells import csv_column
from csbatch.reports.tables import Col, Table
from csbatch.reports.workbook import Workbook, excel_serials


def test_serials_are_the_numbers_xlsxwriter_computes_for_each_datetime():
    rng = np.random.default_rng(7)
    low, high = pd.Timestamp("1900-03-01").value, pd.Timestamp("2100-01-01").value
    column = pd.Series(rng.integers(low, high, 5000).astype("datetime64[ns]"))
    column[3] = pd.NaT
    column[4] = pd.Timestamp("2026-10-31 23:59:59.999999999")
    expected = [None if v is pd.NaT else _datetime_to_excel_datetime(v, False, False) for v in column.tolist()]
    assert excel_serials(column) == expected


def test_columns_it_cannot_convert_at_once_go_cell_by_cell():
    assert excel_serials(pd.Series(pd.to_datetime(["1900-01-01", "2026-10-01"]))) is None   # 1900's leap day
    assert excel_serials(pd.Series(pd.to_datetime(["2026-10-01"]).tz_localize("Asia/Shanghai"))) is None
    assert excel_serials(pd.Series([dt.date(2026, 10, 1)], dtype=object)) is None


def test_a_sheet_reads_back_cell_for_cell(tmp_path):
    table = Table("t", "Deadlines", (Col("who", "text", "employee"), Col("at", "datetime", "due at"),
                                     Col("day", "date", "day"), Col("pay", "money", "pay"),
                                     Col("ok", "bool", "passed"), Col("share", "decimal", "share")))
    frame = pd.DataFrame({
        "who": pd.Series(["=HYPERLINK(\"x\")", "张三", None], dtype=object),
        "at": pd.to_datetime(["2026-10-01 09:30", None, "2026-10-31 23:59"]),
        "day": pd.Series([dt.date(2026, 10, 1), None, pd.Timestamp("2026-10-02")], dtype=object),
        "pay": pd.Series([Decimal("1234.50"), Decimal("-0.01"), None], dtype=object),
        "ok": pd.Series([True, False, pd.NA], dtype="boolean"),
        "share": pd.Series([Decimal("0.9226"), None, Decimal("66")], dtype=object),
    })
    book = Workbook(tmp_path / "t.xlsx", "en")
    book.add_table_sheet(table, frame, "en")
    book.close()
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["Deadlines"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert rows == [
        ["=HYPERLINK(\"x\")", dt.datetime(2026, 10, 1, 9, 30), dt.datetime(2026, 10, 1), 1234.5, "yes", 0.9226],
        ["张三", None, None, -0.01, "no", None],
        [None, dt.datetime(2026, 10, 31, 23, 59), dt.datetime(2026, 10, 2), None, None, 66],
    ]
    assert ws["A2"].data_type == "s" and ws["A2"].quotePrefix          # text, never a formula
    assert ws["B2"].number_format == "yyyy-mm-dd hh:mm" and ws["C2"].number_format == "yyyy-mm-dd"
    assert ws["F2"].number_format == "0.0000" and ws["F4"].number_format == "0"


def test_csv_columns_are_the_contracts_text():
    assert csv_column([Decimal("350.345"), None, 12, float("nan")], "money") == ["350.35", "", "12.00", ""]
    assert csv_column([Decimal("0.933333333"), Decimal("1.50")], "rate") == ["0.933333", "1.5"]
    assert csv_column([Decimal("0.9226"), 3], "decimal") == ["0.9226", "3"]
    assert csv_column(["=1+1", "张三", 1001], "text") == ["'=1+1", "张三", "1001"]
    assert csv_column([True, False, pd.NA], "bool") == ["true", "false", ""]
    assert csv_column([pd.Timestamp("2026-10-01 08:00"), dt.date(2026, 10, 2)], "date") == ["2026-10-01", "2026-10-02"]
    assert csv_column([pd.Timestamp("2026-10-01 08:00"), pd.NaT], "datetime") == ["2026-10-01 08:00:00", ""]
