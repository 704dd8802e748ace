"""Round 19's faster attendance paths give what the old forms (kept here) gave: the provenance
order without a sort of constant file and sheet columns, the row sources worded per distinct
(file, sheet) pair, `stable_order` of codes already in order, and the judged days' Decimal
leave cells read only on the days with a leave record."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.attendance import _day_times, _decimal_column, _judge_days, _provenance_order, _row_sources
from csbatch.errors import Source
from csbatch.grouping import stable_order
from csbatch.money import ZERO
from csbatch.policy.worktime import Schedule


def _old_provenance_order(frame: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in ("_file", "_sheet", "_row") if c in frame.columns]
    if not keys:
        return frame
    order = frame[keys].astype(object).where(frame[keys].notna(), "")
    order = order.assign(_row=frame["_row"].fillna(0).astype(int)) if "_row" in keys else order
    positions = order.reset_index(drop=True).sort_values(keys, kind="stable").index
    return frame.iloc[positions]


def _old_row_sources(frame: pd.DataFrame) -> list[str]:
    if "_file" not in frame.columns or "_row" not in frame.columns:
        return ["" if place is None else str(place) for place in Source.of_rows(frame)]
    rows = frame["_row"]
    numbers = [-1 if blank else int(r) for r, blank in zip(rows.tolist(), rows.isna().tolist())]
    sheets = frame["_sheet"].tolist() if "_sheet" in frame.columns else [None] * len(frame)
    heads: dict[tuple[Any, Any], str] = {}
    out = []
    for file, sheet, row in zip(frame["_file"].tolist(), sheets, numbers):
        head = heads.get((file, sheet))
        if head is None:
            place = Source.of_row({"_file": file, "_sheet": sheet})
            head = heads[file, sheet] = "" if place is None else str(place)
        out.append(head if row < 0 or not head else f"{head}!row {row}")
    return out


FILES = st.sampled_from(["考勤.csv", "考勤.xlsx", "a]b![c", "", " ", "None", None, np.nan, 3])
SHEETS = st.sampled_from(["Sheet1", "排班", "", None, np.nan, 2, "x!row 5"])


@st.composite
def provenance_frames(draw: Any) -> pd.DataFrame:
    n = draw(st.integers(0, 12))
    one_file, one_sheet = draw(st.booleans()), draw(st.booleans())
    first_file, first_sheet = draw(FILES), draw(SHEETS)
    files = [first_file if one_file else draw(FILES) for _ in range(n)]
    sheets = [first_sheet if one_sheet else draw(SHEETS) for _ in range(n)]
    rows = [draw(st.integers(-2, 9)) for _ in range(n)]
    if draw(st.booleans()):
        rows.sort()
    frame = pd.DataFrame({"employee_id": [f"E{i}" for i in range(n)]}, index=[10 + 3 * i for i in range(n)])
    frame["_file"] = pd.Series(files, index=frame.index, dtype=draw(st.sampled_from([object, "str"]))) \
        if all(isinstance(f, (str, float)) or f is None for f in files) else \
        pd.Series(files, index=frame.index, dtype=object)
    if draw(st.booleans()):
        frame["_sheet"] = pd.Series(sheets, index=frame.index, dtype=object)
    form = draw(st.sampled_from(["int", "float", "Int64", "none"]))
    if form == "int":
        frame["_row"] = np.array(rows, dtype=np.int64)
    elif form == "float":
        frame["_row"] = [np.nan if r == 0 else float(r) for r in rows]
    elif form == "Int64":
        frame["_row"] = pd.array([None if r == 0 else r for r in rows], dtype="Int64")
    return frame


@settings(max_examples=300, deadline=None)
@given(provenance_frames())
def test_provenance_order_is_the_old_sort(frame: pd.DataFrame) -> None:
    try:
        old = _old_provenance_order(frame)
    except TypeError:    # text and numbers in one file or sheet column: pandas cannot order them
        with pytest.raises(TypeError):
            _provenance_order(frame)
        return
    new = _provenance_order(frame)
    assert new.index.tolist() == old.index.tolist()
    pd.testing.assert_frame_equal(new, old)


@settings(max_examples=300, deadline=None)
@given(provenance_frames())
def test_row_sources_are_the_old_words(frame: pd.DataFrame) -> None:
    assert _row_sources(frame) == _old_row_sources(frame)


def test_row_sources_of_many_files_and_blank_rows() -> None:
    frame = pd.DataFrame({"_file": ["b.csv", "a.xlsx", None, "a.xlsx", np.nan, "b.csv", "a.xlsx"],
                          "_sheet": [None, "S1", "S1", "S2", None, np.nan, "S1"],
                          "_row": pd.array([2, 3, 4, None, 6, 7, -1], dtype="Int64")})
    assert _row_sources(frame) == _old_row_sources(frame) == \
        ["b.csv!row 2", "a.xlsx[S1]!row 3", "", "a.xlsx[S2]", "", "b.csv!row 7", "a.xlsx[S1]"]
    assert _row_sources(frame.iloc[:0]) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 40), max_size=60), st.booleans())
def test_stable_order_of_codes_in_order(values: list[int], wide: bool) -> None:
    codes = np.array(sorted(values), dtype=np.int64) * (1000 if wide else 1)
    n = int(codes.max(initial=0)) + 1
    assert stable_order(codes, n).tolist() == np.argsort(codes, kind="stable").tolist()
    shuffled = np.array(values, dtype=np.int64)
    assert stable_order(shuffled, 41).tolist() == np.argsort(shuffled, kind="stable").tolist()


def test_judged_days_read_leave_cells_as_before() -> None:
    """Leave cells off the leave records are blank after the merge (zero); on them, a Decimal is
    kept whatever it is (even NaN or 48.30's digits) and anything else is zero."""
    times = _day_times(Schedule.model_validate({"workdays": ["mon"], "start": "09:00", "end": "18:00"}))
    day = pd.Timestamp("2026-10-05")
    emps = ["E1", "E2", "E3", "E4", "E5"]
    grid = pd.DataFrame({"employee_id": pd.Series(emps, dtype=object), "date": [day] * 5, "shift": [""] * 5,
                         "start": times.start, "end": times.end, "morning_end": times.morning_end,
                         "afternoon_start": times.afternoon_start})
    clock = pd.DataFrame({"employee_id": pd.Series(["E1"], dtype=object), "date": [day],
                          "clock_in": [pd.Timedelta(hours=9)], "clock_out": [pd.Timedelta(hours=18)],
                          "sources": ["c.csv!row 2"]})
    odd = [Decimal("0.5"), Decimal("NaN"), None, 0.5, Decimal("48.30")]
    leave = pd.DataFrame({"employee_id": pd.Series(["E2", "E3", "E4"], dtype=object), "date": [day] * 3,
                          "morning_off": [True, None, True], "afternoon_off": [False, None, False],
                          "leave_type": ["annual", None, "sick"],
                          "leave_share": pd.Series([Decimal("0.5"), None, 0.5], dtype=object),
                          "paid_leave_share": pd.Series(odd[1:4], dtype=object),
                          "unpaid_leave_share": pd.Series(odd[2:5], dtype=object),
                          "leave_sources": ["l!row 2", "", "l!row 3"],
                          "unapproved_leave_type": [None, "personal", None],
                          "unapproved_share": pd.Series([None, Decimal("0.5"), 1], dtype=object)})
    merged = grid.merge(clock, how="left", on=["employee_id", "date"]) \
        .merge(leave, how="left", on=["employee_id", "date"])
    for tracked in (True, False):
        days = _judge_days(grid, clock, leave, times, tracked)
        for column in ("leave_share", "paid_leave_share", "unpaid_leave_share"):
            want = _decimal_column(merged[column]).tolist()
            assert [(type(v), str(v)) for v in days[column]] == [(type(v), str(v)) for v in want]
            assert all(a is b for a, b in zip(days[column], want))
    untracked = _judge_days(grid, clock, leave, times, False)
    refused = [v if isinstance(v, Decimal) else ZERO for v in merged["unapproved_share"]]
    share = [v if isinstance(v, Decimal) else ZERO for v in merged["leave_share"]]
    want_absent = [min(u, max(ZERO, Decimal(1) - s)) for u, s in zip(refused, share)]
    assert [str(v) for v in untracked["absent_share"]] == [str(v) for v in want_absent]
