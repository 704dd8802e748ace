"""What every audit check shares: Decimal means and shares rounded one way, the period as
instants, and who an employee is (name, team, role, employment).

Kept in one place so that a mean in the QA table and the same mean in the headline figures can
never be rounded differently, and so each check module reads as its rule and nothing else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any, cast

import numpy as np
import pandas as pd

from csbatch.blanks import is_blank
from csbatch.calendar import month_bounds
from csbatch.grouping import identity_codes
from csbatch.money import ZERO, half_up
from csbatch.policy import Policy
from csbatch.sheets.intake import Inputs

#: The month's input sheets: the close's `Inputs`, or a mapping of input kind → typed frame
#: (a kind left out is an empty sheet).
Sheets = Inputs | Mapping[str, pd.DataFrame]

#: Shares (0.9231) keep four places: two decimals once shown as a percentage.
_SHARE = 4


def mean(values: Iterable[Decimal]) -> Decimal | None:
    """Mean half-up to 2 places; None when there is nothing to average."""
    values = [v for v in values if not is_blank(v)]
    if not values:
        return None
    return half_up(sum(values, ZERO) / len(values))


def share(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """part ÷ whole as a fraction half-up to 4 places; None when whole is 0."""
    if not whole:
        return None
    return half_up(Decimal(part) / Decimal(whole), _SHARE)


def text(value: Any) -> str | None:
    """A cell as text (IDs, codes), None when blank (a `str` is its own text: asked first, as
    this is called for every cell of the deadline checks' evidence)."""
    if type(value) is str:
        return value
    return None if is_blank(value) else str(value)


def timestamp(value: Any) -> pd.Timestamp | None:
    """A cell as a Timestamp, None when blank (a Timestamp, what a datetime column holds, as it is)."""
    if type(value) is pd.Timestamp:
        return value
    return None if is_blank(value) else pd.Timestamp(value)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """`frame.to_dict("records")` built from the columns read once as lists: the same values of
    the same types. `to_dict` boxes each cell of an object or extension column as a Python value
    (`maybe_box_native`); here only a column holding a type that boxing changes is boxed."""
    columns = frame.columns.tolist()
    if not columns:
        return cast("list[dict[str, Any]]", frame.to_dict("records"))
    cells = [instants(frame.iloc[:, k]) if isinstance(kind, np.dtype) and kind.kind == "M"
             else _masked_native(frame.iloc[:, k].array) if isinstance(frame.iloc[:, k].array, _MASKED)
             else list(frame.iloc[:, k]) for k, kind in enumerate(frame.dtypes)]
    for k, kind in enumerate(frame.dtypes):
        if isinstance(frame.iloc[:, k].array, _MASKED):
            continue
        if (not isinstance(kind, np.dtype) or kind.kind == "O") and not set(map(type, cells[k])) <= _NATIVE:
            cells[k] = [_native(v) for v in cells[k]]
    return [dict(zip(columns, row)) for row in zip(*cells)]


#: pandas' masked (nullable) arrays: boolean, Int*, Float* columns.
_MASKED = (pd.arrays.BooleanArray, pd.arrays.IntegerArray, pd.arrays.FloatingArray)


def _masked_native(values: Any) -> list[Any]:
    """`_native` of each cell of a masked array at once: its values as Python bools, ints or
    floats (numpy's `astype(object)`), None where masked (pd.NA). The register's yes/no columns
    are boolean: boxing each cell took ~1 µs, the whole column at once ~0.02 µs a cell."""
    return cast("list[Any]", values.to_numpy(dtype=object, na_value=None).tolist())


def instants(column: pd.Series) -> list[Any]:
    """`list(column)` of a datetime64 column (no time zone): a Timestamp (of the column's unit)
    or NaT per cell, each distinct instant boxed once and shared by its cells. A sheet's dates
    repeat (a month has 31 days), and pandas boxes each cell at about a microsecond."""
    values = column.to_numpy()
    if len(values) < 2:
        return list(column)
    distinct, inverse = np.unique(values.view(np.int64), return_inverse=True)
    boxed = np.empty(len(distinct), dtype=object)
    boxed[:] = list(pd.Series(distinct.view(values.dtype), dtype=column.dtype))
    return cast("list[Any]", boxed[inverse.reshape(-1)].tolist())


#: Cell types `maybe_box_native` leaves as they are (it makes numpy scalars and subclasses of
#: int and float plain Python values, and pd.NA None).
_NATIVE = frozenset({str, Decimal, type(None), float, int, bool, pd.Timestamp, pd.Timedelta, type(pd.NaT),
                     dt.date, dt.datetime, dt.time})


def _native(value: Any) -> Any:
    """pandas' `maybe_box_native` of one cell (numpy's timedelta64 is an integer type to
    `isinstance`, not to pandas: asked first)."""
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value)
    if isinstance(value, np.timedelta64):
        return pd.Timedelta(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    return None if value is pd.NA else value


@dataclass(frozen=True)
class Month:
    """The period as a half-open range of instants [start, end)."""

    period: str
    first: dt.date
    last: dt.date

    @classmethod
    def of(cls, period: str) -> Month:
        first, last = month_bounds(period)
        return cls(period, first, last)

    # Cached: `holds` is asked once per row of every sheet a check reads.
    @cached_property
    def start(self) -> pd.Timestamp:
        return pd.Timestamp(self.first)

    @cached_property
    def end(self) -> pd.Timestamp:
        """The first instant after the period (next month, 00:00)."""
        return pd.Timestamp(self.last + dt.timedelta(days=1))

    def holds(self, when: Any) -> bool:
        # a Timestamp (what a datetime column's cells are) compared as it is: `pd.Timestamp` of
        # one gives an equal one, at a microsecond a row
        return self.start <= (when if type(when) is pd.Timestamp else pd.Timestamp(when)) < self.end


#: The roster columns `People.build` reads: only these are made into records (`row.get` of any
#: other is None either way), not a 5,000-person roster's every cell boxed by `to_dict`.
_ROSTER_READ = frozenset({"employee_id", "name", "team", "role", "hire_date", "leave_date", "team_lead"})


@dataclass(frozen=True)
class People:
    """Who is who: the month's employees (attendance summary, in its order) and, for anyone the
    sheets name, name, team, role and employment dates from the summary or else the roster."""

    month: tuple[str, ...]
    names: dict[str, str]
    teams: dict[str, str]
    roles: dict[str, str]
    employed: dict[str, tuple[dt.date | None, dt.date | None]]
    leads: frozenset[str] = frozenset()   # flagged team lead on the roster
    on_leave: frozenset[tuple[str, dt.date]] = frozenset()   # (employee, day) of a whole day's leave

    @classmethod
    def build(cls, summary: pd.DataFrame, roster: pd.DataFrame | None,
              days: pd.DataFrame | None = None) -> People:
        """`days`: the attendance days (employee_id, date, leave_share), for `on_leave`."""
        names: dict[str, str] = {}
        teams: dict[str, str] = {}
        roles: dict[str, str] = {}
        employed: dict[str, tuple[dt.date | None, dt.date | None]] = {}
        leads: set[str] = set()
        if roster is not None:
            for row in records(roster[[c for c in roster.columns if c in _ROSTER_READ]]):
                emp = text(row.get("employee_id"))
                if emp is None:
                    continue
                for mapping, column in ((names, "name"), (teams, "team"), (roles, "role")):
                    value = text(row.get(column))
                    if value is not None:
                        mapping[emp] = value
                hired, left = timestamp(row.get("hire_date")), timestamp(row.get("leave_date"))
                employed[emp] = (hired.date() if hired is not None else None,
                                 left.date() if left is not None else None)
                if not is_blank(row.get("team_lead")) and bool(row.get("team_lead")):
                    leads.add(emp)
        month = []
        for row in records(summary[[c for c in summary.columns if c in ("employee_id", "name", "role")]]):
            emp = text(row.get("employee_id"))
            if emp is None:
                continue
            month.append(emp)
            for mapping, column in ((names, "name"), (roles, "role")):
                value = text(row.get(column))
                if value is not None:
                    mapping[emp] = value
        on_leave: set[tuple[str, dt.date]] = set()
        if days is not None and {"employee_id", "date", "leave_share"} <= set(days.columns):
            # only the whole days of leave are read further (a day row per employee and day); each
            # distinct share object asked once (`identity_codes`: a month's 100,000 day rows hold a
            # few hundred share objects, and `is_blank` and a Decimal comparison per row cost 0.05 s)
            codes, shares = identity_codes(days["leave_share"].to_numpy(dtype=object))
            whole_day = np.array([bool(not is_blank(share) and share >= 1) for share in shares.tolist()], dtype=bool)
            whole = np.flatnonzero(whole_day[codes])
            for emp, day in zip(days["employee_id"].iloc[whole], days["date"].iloc[whole]):
                on_leave.add((str(emp), pd.Timestamp(day).date()))
        return cls(tuple(month), names, teams, roles, employed, frozenset(leads), frozenset(on_leave))

    def name(self, emp: str | None) -> str | None:
        return self.names.get(emp) if emp is not None else None

    def team(self, emp: str | None) -> str | None:
        return self.teams.get(emp) if emp is not None else None

    def works_during(self, emp: str, first: dt.date, last: dt.date) -> bool:
        """Employed for at least one day of [first, last] (unknown dates: yes)."""
        hired, left = self.employed.get(emp, (None, None))
        return (hired is None or hired <= last) and (left is None or left >= first)

    def of_month(self, policy, roles: Iterable[str] = (), scorecards: Iterable[str] = (),
                 team_lead: bool | None = None) -> list[str]:
        """Employees of the month whose role is in `roles` or whose role's scorecard is in
        `scorecards` (both empty: everyone), and who are (team_lead true) or are not (false) flagged
        team lead, in summary order."""
        roles, scorecards = set(roles), set(scorecards)
        out = []
        for emp in self.month:
            role = self.roles.get(emp)
            card = policy.roles[role].scorecard if role in policy.roles else None
            if team_lead is not None and (emp in self.leads) != team_lead:
                continue
            if (not roles and not scorecards) or role in roles or (card is not None and card in scorecards):
                out.append(emp)
        return out


def frame_of(inputs: Sheets, kind: str, policy: Policy) -> pd.DataFrame:
    """The input sheet `kind`, or an empty frame of its declared columns when none was given
    (a department that keeps no callback log still closes its month)."""
    try:
        frame = inputs[kind]
    except KeyError:
        frame = None
    if frame is not None:
        return frame
    columns = policy.inputs.kinds[kind].columns
    return pd.DataFrame({name: pd.Series([], dtype="datetime64[ns]" if col.type in ("date", "datetime")
                                         else object) for name, col in columns.items()})


def team_key(team: str | None) -> tuple[bool, str]:
    """Sort teams by name, the agents without a team last."""
    return (team is None, team or "")


def table(rows: list[dict], columns: list[str], counts: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """A check's table: the `counts` columns as int64, every other column as Python objects
    (Decimal, str, None), so nothing is silently turned into a float."""
    # Built column by column as objects: a frame built from the rows would infer a text column
    # with a blank (a team left empty) as pandas' string dtype, turning None into NaN (a float).
    frame = pd.DataFrame({name: pd.Series([row.get(name) for row in rows], dtype=object) for name in columns})
    for name in counts:
        if name in frame.columns:
            frame[name] = frame[name].astype("int64")
    return frame
