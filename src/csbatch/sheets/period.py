"""The month: which rows of the inputs belong to the period being closed.

Every dated kind names its period column(s) in `config/inputs.yaml` (`Kind.period`). Once, right
after reading, `month_rows` keeps each kind's rows of the month and leaves the rest out of every
stage, with one warning per sheet naming them — so pay, scorecards, VIP and the audit all see the
same rows, and a row of last month is neither counted silently nor dropped silently. A few rows of
another month belong in the register all the same (a complaint received earlier and resolved this
month, a refund reported now of an earlier order): the rule keeps them for the lists that need
them, and `counted` tells every consumer which rows count.

A kind the month needs (attendance, sales) with rows but none in the month is an error: those are
another month's files. Vectorised throughout: a sales sheet can hold a million rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import cast

import numpy as np
import pandas as pd

from csbatch.blanks import is_blank
from csbatch.calendar import month_bounds
from csbatch.errors import Issue, Source
from csbatch.i18n import N_, Listed, Said
from csbatch.policy.inputs import Kind, PeriodRule

#: How many cells a warning names before "…".
SHOWN = 5

#: (file, sheet) → canonical column → column letter (`Inputs.letters`).
Letters = Mapping[tuple[str, str | None], Mapping[str, str]]


def _date_columns(kind: Kind, rule: PeriodRule) -> Listed:
    """The kind's date columns as a message names them (`Kind.header`)."""
    return Listed(kind.header(code) for code in rule.date)


def _bounds(period: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """[first instant, first instant after) of the period."""
    first, last = month_bounds(period)
    return pd.Timestamp(first), pd.Timestamp(last) + pd.Timedelta(days=1)


def _is_month(kind: Kind, column: str) -> bool:
    """A `month` column holds 'YYYY-MM' text, not instants."""
    return kind.columns[column].type == "month"


def _dates(frame: pd.DataFrame, rule: PeriodRule) -> tuple[pd.Series, np.ndarray]:
    """Each row's date (the first filled of `rule.date`) and which of those columns gave it."""
    when = frame[rule.date[0]]
    source = np.zeros(len(frame), dtype=np.int64)
    for i, name in enumerate(rule.date[1:], start=1):
        fill = when.isna().to_numpy(dtype=bool) & frame[name].notna().to_numpy(dtype=bool)
        when = when.where(~fill, frame[name])
        source[fill] = i
    return when, source


def _inside(values: pd.Series, period: str, is_month: bool) -> np.ndarray:
    if is_month:
        return values.eq(period).to_numpy(dtype=bool)
    start, end = _bounds(period)
    when = values.astype("datetime64[ns]")
    return ((when >= start) & (when < end)).to_numpy(dtype=bool)


def counted(frame: pd.DataFrame, kind: Kind | None, period: str) -> np.ndarray:
    """The rows of `kind` whose own date lies in the period (a span: overlaps it). Undated rows
    count (a blank required date is intake's error; a row with no date at all cannot be of another
    month). These are the rows every measure, pay line and count uses."""
    if kind is None or kind.period is None or frame.empty:
        return np.ones(len(frame), dtype=bool)
    rule = kind.period
    when, _ = _dates(frame, rule)
    undated = when.isna().to_numpy(dtype=bool)
    if rule.until is None:
        return undated | _inside(when, period, _is_month(kind, rule.date[0]))
    start, end = _bounds(period)
    first = when.astype("datetime64[ns]")
    last = frame[rule.until].astype("datetime64[ns]").fillna(first)
    return undated | ((first < end) & (last >= start)).to_numpy(dtype=bool)


def kept(frame: pd.DataFrame, kind: Kind, period: str) -> np.ndarray:
    """Rows of another month the register keeps for the lists that need them (not counted)."""
    rule = kind.period
    keep = np.zeros(len(frame), dtype=bool)
    if rule is None:      # an undated kind has no rows of another month
        return keep
    for name in rule.also:
        keep |= _inside(frame[name], period, _is_month(kind, name))
    if rule.earlier:
        when, _ = _dates(frame, rule)
        start, _ = _bounds(period)
        before = (when.astype("datetime64[ns]") < start).to_numpy(dtype=bool)
        for name, code in rule.earlier.items():
            keep |= before & frame[name].eq(code).to_numpy(dtype=bool)
    return keep


def _shown(value: object, is_month: bool) -> str:
    # not a month: a cell of a date column, a Timestamp (pandas-stubs type `.iat` loosely)
    return str(value) if is_month else pd.Timestamp(cast(dt.datetime, value)).date().isoformat()


def _months_held(when: pd.Series, is_month: bool) -> list[str]:
    """The months the rows are dated in, most rows first (at most three)."""
    dated = when.dropna()
    months = dated.astype(str) if is_month else dated.astype("datetime64[ns]").dt.strftime("%Y-%m")
    return list(months.value_counts().index[:3])


def _files(frame: pd.DataFrame) -> list[str]:
    return sorted({str(f) for f in frame["_file"].dropna().unique()})


def _warnings(frame: pd.DataFrame, out: np.ndarray, rule: PeriodRule, kind: Kind, period: str,
              letters: Letters) -> list[Issue]:
    """One warning per sheet: how many rows of another month, and the first cells with their dates."""
    rows = frame[out]
    when, source = _dates(rows, rule)
    is_month = _is_month(kind, rule.date[0])
    sheets = rows["_sheet"].astype(object).where(rows["_sheet"].notna(), None)
    groups = pd.DataFrame({"f": rows["_file"].astype(object).to_numpy(), "s": sheets.to_numpy(),
                           "i": np.arange(len(rows))})
    row_numbers = rows["_row"].to_numpy()
    issues = []
    for (file, sheet_key), group in groups.groupby(["f", "s"], sort=True, dropna=False):
        sheet = None if is_blank(sheet_key) else str(sheet_key)
        take = group["i"].to_numpy()
        cells = []
        for i in take[:SHOWN]:
            column = rule.date[source[i]]
            letter = letters.get((str(file), sheet), {}).get(column, "")
            place = f"{letter}{int(row_numbers[i])}" if letter else f"row {int(row_numbers[i])}"
            cells.append(f"{place} ({_shown(when.iat[i], is_month)})")
        more = ", …" if len(take) > SHOWN else ""
        n = len(take)
        issues.append(Issue.warn(Source(str(file), sheet=sheet), "period.outside",
                                 N_("{n} {kind} rows dated outside {period} not counted: {cells}") if n > 1
                                 else N_("{n} {kind} row dated outside {period} not counted: {cells}"),
                                 n=n, kind=kind.name, period=period, cells=", ".join(cells) + more))
    return issues


def _undated(frame: pd.DataFrame, rule: PeriodRule, kind: Kind, letters: Letters,
             reported: frozenset[tuple[str, str, int]]) -> list[Issue]:
    """One error per sheet of a `dated` kind: its rows with none of the date columns filled.
    A row whose date cell was already refused (`reported`: file, sheet, row) is not named twice."""
    when, _ = _dates(frame, rule)
    blank = when.isna().to_numpy(dtype=bool, copy=True)
    if reported:
        keys = zip(frame["_file"].astype(str), frame["_sheet"].astype(object).fillna("").astype(str),
                   frame["_row"].astype(int))
        blank &= np.fromiter((k not in reported for k in keys), dtype=bool, count=len(frame))
    rows = frame[blank]
    issues = []
    for (file, sheet_key), group in rows.groupby([rows["_file"].astype(object),
                                                  rows["_sheet"].astype(object).fillna("")], sort=True):
        sheet = str(sheet_key) or None
        letter = letters.get((str(file), sheet), {}).get(rule.date[-1], "")
        cells = [f"{letter}{int(r)}" if letter else f"row {int(r)}" for r in group["_row"].iloc[:SHOWN]]
        more = ", …" if len(group) > SHOWN else ""
        n = len(group)
        issues.append(Issue.of(Source(str(file), sheet=sheet), "period.undated",
                               N_("{n} {kind} rows with no date ({columns}): {cells}: each row needs its "
                                  "date; fill it, or remove the row") if n > 1
                               else N_("{n} {kind} row with no date ({columns}): {cells}: each row needs "
                                       "its date; fill it, or remove the row"),
                               n=n, kind=kind.name, columns=_date_columns(kind, rule),
                               cells=", ".join(cells) + more))
    return issues


def _rows_of(errors: Iterable[Issue]) -> frozenset[tuple[str, str, int]]:
    """(file, sheet, row) of every error that names a cell or a row."""
    rows = set()
    for issue in errors:
        src = issue.source
        if not issue.is_error or src is None or src.line is not None:
            continue
        row = src.row
        if row is None and src.cell:
            digits = "".join(ch for ch in src.cell if ch.isdigit())
            row = int(digits) if digits else None
        if row is not None:
            rows.add((src.path, src.sheet or "", row))
    return frozenset(rows)


def month_rows(frames: dict[str, pd.DataFrame], kinds: dict[str, Kind], period: str,
               letters: Letters, already: Sequence[Issue] = ()) -> tuple[dict[str, pd.DataFrame], list[Issue]]:
    """Each dated kind's frame reduced to its rows of the month (counted or kept), and the
    problems: a warning per sheet for rows of another month, an error for a kind the month needs
    whose rows all lie elsewhere. Undated kinds pass through unchanged. `already`: the errors
    found so far, whose rows are not reported again."""
    out: dict[str, pd.DataFrame] = dict(frames)
    issues: list[Issue] = []
    reported = _rows_of(already)
    for name, kind in kinds.items():
        rule, frame = kind.period, frames.get(name)
        if rule is None or frame is None or frame.empty:
            continue
        frame = frame.reset_index(drop=True)
        if rule.dated:
            undated = _undated(frame, rule, kind, letters, reported)
            if undated:
                issues += undated
                continue
        mine = counted(frame, kind, period)
        if rule.needed and not mine.any():      # kept rows alone (a refund) prove no month
            when, _ = _dates(frame, rule)
            held = _months_held(when, _is_month(kind, rule.date[0]))
            files = _files(frame)
            holds = Said(N_("these files hold {months}, not {period}"), months=", ".join(held), period=period) \
                if held else Said(N_("no row is dated in {period}"), period=period)
            issues.append(Issue.of(Source(", ".join(files)), "period.wrong_month",
                                   N_("{holds}: no {kind} row ({columns}) is dated in {period}. Close the "
                                      "month the files are of, or give {period}'s {kind}"),
                                   holds=holds, kind=kind.name, columns=_date_columns(kind, rule), period=period))
            continue
        other = ~mine & ~kept(frame, kind, period)
        if other.any():
            issues += _warnings(frame, other, rule, kind, period, letters)
            frame = frame[~other].reset_index(drop=True)
        out[name] = frame
    return out, issues
