"""A month grid → the long form the close reads.

People keep a shift schedule (排班表) in Excel as a month grid: one row per employee, a column
per day headed 1…31 (or by dates), each cell that day's shift. The close reads one row per
employee and day, so a kind with `item_columns: month_days` is read either way: a sheet whose
header has day columns is a grid and is unfolded here, one row per filled cell (a blank cell is no
entry: the calendar's day); a sheet without is the long form and must date every row. A day
column that is not a day of the month being closed is an error once any of its cells is filled (a
template's 31st in a 30-day month may stay blank).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from csbatch.calendar import month_bounds
from csbatch.errors import Issue, Source
from csbatch.i18n import N_
from csbatch.policy.inputs import Kind
from csbatch.sheets.headers import HeaderMatch


def _day_of(label: str, first: dt.date) -> dt.date | None:
    """The date a day heading (`headers.day_label`) means in the month starting `first`."""
    try:
        if label.startswith("d"):
            return first.replace(day=int(label[1:]))
        if label.startswith("--"):
            return dt.date.fromisoformat(f"{first.year}{label[1:]}")
        return dt.date.fromisoformat(label)
    except ValueError:      # the 31st of a 30-day month, 02-30
        return None


def _shown(label: str) -> str:
    return label[1:] if label.startswith("d") else label.lstrip("-")


def long_form(frame: pd.DataFrame, kind: Kind, header: HeaderMatch, period: str, where: Source,
              letters: dict[str, str]) -> tuple[pd.DataFrame, list[Issue]]:
    """One row per employee and day from a sheet of `kind` (indexed by sheet row), and the
    problems: a day column outside the month with cells filled, a long-form row without a date."""
    value = kind.value or ""
    columns = list(kind.columns)
    issues: list[Issue] = []

    def at(column: str, row: int) -> Source:
        return Source(where.path, sheet=where.sheet, cell=f"{letters[column]}{row}") \
            if column in letters else Source(where.path, sheet=where.sheet, row=row)

    if not header.items:
        undated = frame["date"].isna() & frame[value].notna()
        issues += [Issue.of(at("date", int(r)), "shifts.no_date",
                            N_("a shift row without a date: give the date, or keep the schedule as a "
                               "month grid with a column per day"))
                   for r in frame.index[undated]]
        return frame[frame[value].notna()], issues

    first, last = month_bounds(period)
    parts = []
    for label in header.items:
        filled = frame[frame[label].notna()]
        day = _day_of(label, first)
        if day is None or not first <= day <= last:
            if not filled.empty:
                issues.append(Issue.of(Source(where.path, sheet=where.sheet,
                                              cell=f"{letters[label]}{header.row + 1}"),
                                       "shifts.day_outside_month",
                                       N_("the schedule's column '{day}' is not a day of {period}, yet "
                                          "{n} of its cells are filled"),
                                       day=_shown(label), period=period, n=len(filled)))
            continue
        part = filled[[c for c in columns if c not in ("date", value)]].copy()
        part["date"] = pd.Timestamp(day)
        part[value] = filled[label]
        parts.append(part)
    if not parts:
        return frame.iloc[0:0][columns], issues
    out = pd.concat(parts)
    out["date"] = out["date"].astype("datetime64[ns]")
    order = pd.DataFrame({"row": out.index, "date": out["date"].to_numpy()})
    out = out.iloc[order.sort_values(["row", "date"], kind="stable").index]
    return out[columns], issues
