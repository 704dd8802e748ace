"""Round 11 (issue 14): column forms in the audit and scorecards hold to the per-cell forms."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from csbatch.blanks import is_blank


def test_a_stage_column_is_all_blank_by_isna_as_by_is_blank_per_cell():
    """`missing_stages` keeps a stage column unless every cell is blank: `Series.isna().all()`
    gives `all(is_blank(v) for v in column)` for every dtype a register's column may have."""
    columns = [
        pd.Series([None, None], dtype=object), pd.Series([np.nan, None, pd.NaT], dtype=object),
        pd.Series([Decimal("NaN"), None], dtype=object), pd.Series([pd.NA, None], dtype=object),
        pd.array([None, None], dtype="boolean"), pd.array([True, None], dtype="boolean"),
        pd.Series([False, None], dtype=object), pd.Series(["", None], dtype=object),
        pd.Series([" ", None], dtype=object), pd.Series([0.0, np.nan]), pd.Series([np.nan, np.nan]),
        pd.to_datetime(pd.Series([None, None])), pd.to_datetime(pd.Series([None, "2026-10-01"])),
        pd.Series([np.datetime64("NaT"), None], dtype=object), pd.Series([Decimal("0"), None], dtype=object),
        pd.Series([], dtype=object), pd.Series([None, "x"], dtype="str"), pd.Series([None, None], dtype="str"),
    ]
    for column in columns:
        series = pd.Series(column)
        assert bool(series.isna().all()) == all(is_blank(v) for v in series), series


def test_attendance_shift_days_and_dates_as_the_per_row_forms():
    """`summarise_attendance` boxes the grid's dates once per distinct date and only the rows a
    shift names: the same set of dates and the same {(employee, day): times} in row order."""
    from csbatch.attendance import _DEFAULT

    dates = [pd.Timestamp("2026-10-01"), pd.Timestamp("2026-10-02"), pd.Timestamp("2026-10-01"),
             pd.Timestamp("2026-10-03 00:00:00.5"), pd.Timestamp("2026-10-02")]
    grids = [
        pd.DataFrame({"employee_id": ["E1", "E2", 3, "E1", None], "date": dates,
                      "shift": ["", "A", None, np.nan, "B"]}),
        pd.DataFrame({"employee_id": ["E1", "E2", "E3", "E1", "E2"], "date": pd.Series(dates, dtype=object),
                      "shift": ["", "", "", "", ""]}),
        pd.DataFrame({"employee_id": pd.Series([], dtype=object), "date": pd.Series([], dtype="datetime64[ns]"),
                      "shift": pd.Series([], dtype=object)}),
    ]
    table = {"A": "a", "B": "b", None: "none"}
    for grid in grids:
        assert set(pd.unique(grid["date"])) == set(grid["date"])
        want = {(str(e), pd.Timestamp(d)): table.get(c) for e, d, c in
                zip(grid["employee_id"], grid["date"], grid["shift"]) if c != _DEFAULT}
        named = grid[(grid["shift"] != _DEFAULT).to_numpy(dtype=bool)]
        got = {(str(e), pd.Timestamp(d)): table.get(c) for e, d, c in
               zip(named["employee_id"], named["date"], named["shift"])}
        assert list(got.items()) == list(want.items())


def _ratio_by_series_get(num: pd.Series, den: pd.Series) -> pd.Series:
    """`measures_kit.ratio` before round 11: a `Series.get` per key."""
    out = {}
    for key, d in den.items():
        if is_blank(d) or d == 0:
            continue
        n = num.get(key)
        out[key] = (Decimal(0) if n is None or is_blank(n) else Decimal(n)) / Decimal(d)
    return pd.Series(out, dtype=object)


def test_ratio_reads_numerators_as_series_get_does():
    from csbatch.scoring.measures_kit import ratio

    D = Decimal
    nums = [
        pd.Series([D(3), None, np.nan, D("0.50"), 2], index=pd.Index(["E1", "E2", "E3", 1, "1"], dtype=object),
                  dtype=object),
        pd.Series([D(1), D(2)], index=pd.Index(["E1", None], dtype=object), dtype=object),      # a blank key
        pd.Series([D(1), D(2)], index=pd.Index(["E1", np.nan], dtype=object), dtype=object),
        pd.Series([D(1), D(2)], index=pd.Index(["E2", "E1"], dtype="str"), dtype=object),
        pd.Series([D(1)], index=pd.Index(["E1"], dtype=object), dtype=object).iloc[:0],
        pd.Series([], dtype=object),
    ]
    dens = [
        pd.Series([D(2), D(0), None, D(4), D(3), D(5), D("7.0")],
                  index=pd.Index(["E1", "E2", "E3", 1, "1", "E9", "E2 "], dtype=object), dtype=object),
        pd.Series([D(2)], index=pd.Index(["E1"], dtype=object), dtype=object),
        pd.Series([D(2), D(1)], index=pd.Index(["E1", "E2"], dtype="str"), dtype=object),
    ]
    for num in nums:
        for den in dens:
            got, want = ratio(num, den), _ratio_by_series_get(num, den)
            pd.testing.assert_series_equal(got, want)
            assert [str(x) for x in got] == [str(x) for x in want]
