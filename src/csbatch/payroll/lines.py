"""What every pay mechanism is handed (`PayContext`) and what it returns (`PayLine`s).

A mechanism is a function `(code, component, ctx) -> list[PayLine]`, one per component `kind` of
config/pay.yaml. Lines are rounded to the policy's money rounding one by one; per-order figures
(order bonus, commission) and the sales-rep splits are collected on the context exactly, for the
ledger and order_splits.csv.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol, cast, overload

import numpy as np
import pandas as pd

from csbatch.attendance import AttendanceResult
from csbatch.blanks import is_blank
from csbatch.errors import Issue, Source
from csbatch.i18n import N_, Named, said_params, word
from csbatch.money import ONE as ONE  # importable from here (`X as X`): it was defined here before round 18
from csbatch.money import ZERO, round_by
from csbatch.policy import Policy
from csbatch.rules.reasons import Reason
from csbatch.scoring.cards import ScoreResult
from csbatch.scoring.measures import Measured
from csbatch.scoring.measures_kit import Period, SheetRows
from csbatch.sheets.intake import Inputs


@dataclass(frozen=True)
class PayInput:
    """One thing a pay line was computed from, in words, and where it was read (an input cell or
    row; None for a figure of the attendance summary or the scorecard): what `csbatch explain
    --pay` lists."""

    text: str                               # in English
    place: Source | None = None
    template: str | None = None             # `text` as a catalogue string (`N_`) and its values
    params: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, template: str, place: Source | None = None, /, **params: Any) -> PayInput:
        return cls(template.format(**params), place, template, tuple(params.items()))

    def text_in(self, lang: str) -> str:
        """The input in words in the language."""
        if self.template is None:
            return self.text
        return word(lang, self.template).format(**said_params(lang, self.params))


class RowPlaces(Sequence["Source | None"]):
    """The place of `column` in each row of a frame with provenance columns, made when read: the
    column's letter is looked up once per file and sheet (`SheetRows`), no `Source` is kept."""

    def __init__(self, inputs: Inputs, rows: pd.DataFrame | SheetRows, column: str) -> None:
        """`rows`: a frame, or its rows already placed (pay's counted orders: their files and
        sheets are placed once per close, not once per component)."""
        self._rows = rows if isinstance(rows, SheetRows) else SheetRows.of(rows)
        self._letters = [None if p is None else inputs.letters.get((p.path, p.sheet), {}).get(column)
                         for p in self._rows.places]

    def __len__(self) -> int:
        return len(self._rows.which)

    @overload
    def __getitem__(self, index: int) -> Source | None: ...

    @overload
    def __getitem__(self, index: slice) -> list[Source | None]: ...

    def __getitem__(self, index: int | slice) -> list[Source | None] | Source | None:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        at, number = int(self._rows.which[index]), int(self._rows.numbers[index])
        place, letter = self._rows.places[at], self._letters[at]
        if place is None or number < 0:
            return place
        return (Source(place.path, sheet=place.sheet, cell=f"{letter}{number}") if letter
                else Source(place.path, sheet=place.sheet, row=number))


@dataclass(frozen=True)
class InputRows:
    """The per-row inputs of one pay component (an order each: a million-order month has a
    million), kept as the columns they are read from and worded only when asked (`explain --pay`):
    row `i` is `PayInput.of(template, places[i], **params(i))`."""

    template: str
    places: Sequence[Source | None]
    params: Callable[[int], dict[str, Any]]

    def __getitem__(self, i: int) -> PayInput:
        return PayInput.of(self.template, self.places[i], **self.params(i))

    def of(self, at: Sequence[int] | np.ndarray) -> RowInputs:
        """The inputs of rows `at` (positions, in order): one pay line's."""
        return RowInputs(self, np.asarray(at, dtype=np.int64))


class RowInputs(Sequence[PayInput]):
    """A pay line's per-row inputs as positions into its component's `InputRows`; read like
    the tuple of `PayInput`s they stand for, each made when read."""

    __slots__ = ("_at", "_rows")

    def __init__(self, rows: InputRows, at: np.ndarray) -> None:
        self._rows, self._at = rows, at

    def __len__(self) -> int:
        return len(self._at)

    @overload
    def __getitem__(self, index: int) -> PayInput: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[PayInput, ...]: ...

    def __getitem__(self, index: int | slice) -> PayInput | tuple[PayInput, ...]:
        if isinstance(index, slice):
            return tuple(self._rows[i] for i in self._at[index].tolist())
        return self._rows[int(self._at[index])]

    def __repr__(self) -> str:
        return f"RowInputs({len(self)} × {self._rows.template!r})"


#: `PayLine.origin`: the component's rule, a row of the adjustments sheet, or the reversal of a
#: refunded order paid in a closed month.
RULE, ADJUSTMENT, REVERSAL = "rule", "adjustment", "reversal"


@dataclass(frozen=True)
class PayLine:
    employee_id: str
    component: str          # pay component code from config/pay.yaml
    amount: Decimal         # rounded half-up to ¥0.01 (policy.pay.rounding) — per line
    reason: str = ""        # printed on the payroll sheet (adjustments, reversals, awards …)
    #: what the line was computed from (for `csbatch explain --pay`; a line equals another with
    #: the same amount and reason, so these two are not compared)
    #: (a tuple, or `RowInputs` for the per-order inputs of order bonus and commission)
    inputs: Sequence[PayInput] = field(default=(), compare=False)
    origin: str = field(default=RULE, compare=False)


class PaidOrders(Protocol):
    """The part of the close's history pay reads (`csbatch.closing.history.History` has it; pay
    sits below the close, so it names only what it calls): the per-order pay lines of orders
    paid in closed months — order_id, period, employee_id, component, amount (Decimal, exact)."""

    def paid_orders(self, order_ids: Collection[str]) -> pd.DataFrame: ...


@dataclass
class OrderPay:
    """Per-order pay as columns (a million orders are four lists, not a million dicts)."""

    order_id: list[Any] = field(default_factory=list)
    employee_id: list[Any] = field(default_factory=list)
    component: list[str] = field(default_factory=list)
    amount: list[Decimal] = field(default_factory=list)

    def extend(self, component: str, order_ids: list[Any], employee_ids: list[Any], amounts: list[Decimal]) -> None:
        """One component's orders: their ids, agents and exact pay."""
        self.order_id += order_ids
        self.employee_id += employee_ids
        self.component += [component] * len(order_ids)
        self.amount += amounts

    def __len__(self) -> int:
        return len(self.order_id)


@dataclass
class Splits:
    """The orders whose order bonus is split with a sales rep, as columns."""

    order_id: list[Any] = field(default_factory=list)
    employee_id: list[Any] = field(default_factory=list)
    sales_rep_id: list[Any] = field(default_factory=list)
    amount: list[Decimal] = field(default_factory=list)
    agent_share: list[Decimal] = field(default_factory=list)
    rep_share: list[Decimal] = field(default_factory=list)

    def extend(self, order: list[Any], employee: list[Any], rep: list[Any], amount: list[Decimal],
               agent: list[Decimal], rep_share: list[Decimal]) -> None:
        """Add orders, given as equally long columns."""
        for column, values in zip((self.order_id, self.employee_id, self.sales_rep_id, self.amount,
                                   self.agent_share, self.rep_share), (order, employee, rep, amount, agent, rep_share)):
            column.extend(values)


@dataclass
class PayContext:
    """The month as pay sees it. `people` is indexed by employee_id in the attendance summary's
    order with: name, role, team_lead (bool), base_salary and the roster's other columns,
    scheduled_days, month_workdays, absent_days, unpaid_leave_days."""

    period: Period
    policy: Policy
    inputs: Inputs
    attendance: AttendanceResult
    measured: Measured
    scores: ScoreResult | None          # None: no scorecards, so no performance bonus
    history: PaidOrders | None          # None: no ledger, nothing to reverse
    people: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    #: per-order pay of this month: order_id, employee_id, component, amount (exact)
    order_pay: OrderPay = field(default_factory=OrderPay)
    #: split orders: order_id, employee_id, sales_rep_id, amount, agent_share, rep_share (exact)
    splits: Splits = field(default_factory=Splits)
    #: the positions of the month's counted orders in the sales frame, in file order
    #: (`orders._counted_orders`), found once
    counted_sales: np.ndarray | None = field(default=None, repr=False)
    #: where each of those orders was read (found once: order bonus and commission both ask)
    counted_places: SheetRows | None = field(default=None, repr=False)
    #: the agent of each of those orders as a code into the distinct agents (found once)
    counted_staff: tuple[np.ndarray, pd.Index] | None = field(default=None, repr=False)
    _roster: Roster | None = field(default=None, repr=False)
    _persons: list[tuple[str, Person]] | None = field(default=None, repr=False)
    _schedules: dict[tuple[int, int], tuple[PayInput, str]] = field(default_factory=dict, repr=False)

    def roster_header(self, column: str) -> Named:
        """A roster column named for a person: its key in English (as pay inputs always said),
        its header (the column's first alias in inputs.yaml, 补助) otherwise."""
        kind = self.policy.inputs.kinds.get("roster")
        return kind.header(column) if kind is not None else Named(column, column)

    def role_name(self, role: str) -> str:
        """A role as the policy names it (its code when the policy has no such role)."""
        return self.policy.roles[role].name if role in self.policy.roles else role

    def money(self, value: Decimal) -> Decimal:
        """`value` rounded as the policy rounds money (¥0.01 half-up by default)."""
        return round_by(Decimal(value), self.policy.pay.rounding)

    def line(self, employee_id: Hashable, component: str, exact: Decimal, reason: str = "",
             inputs: Iterable[PayInput] = ()) -> PayLine:
        """`employee_id` is a label of `people`' index (an ID; pandas types labels as Hashable)."""
        given = inputs if isinstance(inputs, RowInputs) else tuple(inputs)
        return PayLine(str(employee_id), component, self.money(exact), reason, given)

    def schedule(self, person: Person) -> tuple[PayInput, str]:
        """(`schedule_input`, `proration_reason`) of `person`: both depend only on the scheduled
        days and the month's workdays, so they are made once per pair and shared (immutable) by
        every employee and every prorated component (5,000 employees × three components made
        15,000 of each, ~0.05 s at 1M orders)."""
        key = (int(person.scheduled_days), int(person.month_workdays))
        made = self._schedules.get(key)
        if made is None:
            made = self._schedules[key] = (schedule_input(person), proration_reason(person))
        return made

    def roster_cell(self, employee_id: Hashable, column: str) -> Source | None:
        """The place of `column` in the employee's roster row (the first, as `people` reads it)."""
        if self._roster is None:
            roster = self.frame("roster").drop_duplicates("employee_id", keep="first")
            self._roster = Roster({str(emp): i for i, emp in enumerate(roster["employee_id"])}, roster)
        at = self._roster.at.get(str(employee_id))
        return None if at is None else self._roster.places(self.inputs, column)[at]

    def frame(self, kind: str) -> pd.DataFrame:
        """An input kind with a fresh 0..n-1 index (intake concatenates files)."""
        return self.inputs[kind].reset_index(drop=True)

    def cell(self, row: pd.Series, column: str) -> Source | None:
        """The place of `column` in an input row (`Inputs.cell`)."""
        return self.inputs.cell(row, column)

    def cells(self, rows: pd.DataFrame, column: str) -> list[Source | None]:
        """`cell(row, column)` of every row of `rows`, in order (`RowPlaces` makes them when read)."""
        return list(RowPlaces(self.inputs, rows, column))

    def with_role(self, roles: Iterable[str]) -> pd.DataFrame:
        """The people whose role is among `roles`."""
        return self.people[self.people["role"].isin(list(roles))]

    def persons(self, roles: Iterable[str] | None = None) -> list[tuple[str, Person]]:
        """(employee_id, row of `people`) of everyone, or of the people whose role is among
        `roles`, in `people`' order: rows read once, not a Series each per component."""
        if self._persons is None:
            records = cast("list[dict[str, Any]]", self.people.to_dict("records"))   # columns are names
            self._persons = list(zip(self.people.index, map(Person, records)))
        if roles is None:
            return self._persons
        wanted = set(roles)
        return [(emp, person) for emp, person in self._persons if person.role in wanted]


class Person(dict[str, Any]):
    """A row of `PayContext.people` by column, read by attribute as a Series row is
    (`person.role`, `person.get(column)`)."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass
class Roster:
    """The roster's first row of each employee: its position (`at`), and the places of a column
    in those rows, made when a pay input names one."""

    at: dict[str, int]
    rows: pd.DataFrame
    _places: dict[str, RowPlaces] = field(default_factory=dict)

    def places(self, inputs: Inputs, column: str) -> RowPlaces:
        if column not in self._places:
            self._places[column] = RowPlaces(inputs, self.rows, column)
        return self._places[column]


def decimal_or_zero(value: Any) -> Decimal:
    return ZERO if is_blank(value) else Decimal(value)


def prorated(amount: Decimal, person: Person) -> Decimal:
    """amount × scheduled days ÷ the month's workdays (multiplied first: exact as far as it can)."""
    workdays = int(person.month_workdays)
    if workdays <= 0:
        return ZERO
    return amount * Decimal(int(person.scheduled_days)) / Decimal(workdays)


def yuan(value: Decimal) -> str:
    """¥1,234.50: an amount as explain shows it (to the fen; an exact per-order figure keeps its
    digits, so the line's rounding shows where it happens)."""
    sign, value = ("-", -value) if value < 0 else ("", value)
    return sign + (f"¥{value:,.2f}" if value == round(value, 2) else f"¥{value.normalize():,f}")


def days_text(value: Decimal) -> str:
    return f"{value.normalize():f}"


def schedule_input(person: Person) -> PayInput:
    """The proration figures of fixed pay, from the attendance summary."""
    return PayInput.of(N_("scheduled {days} of {workdays} workdays"), days=int(person.scheduled_days),
                       workdays=int(person.month_workdays))


def proration_reason(person: Person) -> str:
    """'' for a full month, else 'scheduled 10 of 21 workdays'."""
    days, workdays = int(person.scheduled_days), int(person.month_workdays)
    return "" if days == workdays else Reason.of("scheduled", days=days, workdays=workdays)
