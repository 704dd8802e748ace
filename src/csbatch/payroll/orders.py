"""Pay per order (docs/policy.md#pay): the order bonus with its sales-rep split, commission after the
production-sheet rules, and the reversal of orders paid in a closed month and refunded now.

Orders counted for pay are the ones counted for sales (`counted_order_mask`: status among
`measures.counted_sales.statuses`, order_date in the period). Commission applies the share the
production-sheet rules gave the agent's counted sales (`production_shares`), so each agent's
commission is exactly rate × measured counted_sales. Every order's pay is kept exactly in
`ctx.order_pay`, which the ledger stores so a later refund can be reversed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import compress
from typing import Any

import numpy as np
import pandas as pd

from csbatch.blanks import is_blank
from csbatch.errors import Issue
from csbatch.grouping import equal_cells as _equals  # (here before round 19: tests import it from here)
from csbatch.grouping import exact_sums, first_codes, identities, stable_order
from csbatch.i18n import N_, Named
from csbatch.money import ONE, ZERO
from csbatch.payroll.lines import (
    REVERSAL,
    InputRows,
    PayContext,
    PayInput,
    PayLine,
    RowInputs,
    RowPlaces,
    yuan,
)
from csbatch.policy.bands import fmt
from csbatch.policy.pay import Commission, OrderBonus
from csbatch.rules.reasons import Reason
from csbatch.scoring.measures_kit import SheetRows
from csbatch.scoring.measures_sales import counted_order_mask, production_shares
from csbatch.sheets.intake import Inputs

REFUNDED = "refunded"


@dataclass(frozen=True)
class Counted:
    """Counted orders of one component: their positions in the sales frame (`at`) and among the
    month's counted orders (`within`, whose places were found once). Columns are taken one by one
    as lists when read: a frame of a million rows taken whole copies every column (0.18 s), and
    order bonus and commission each read four."""

    sales: pd.DataFrame
    at: np.ndarray
    within: np.ndarray
    placed: SheetRows

    def __len__(self) -> int:
        return len(self.at)

    def column(self, name: str) -> list[Any]:
        """The column's cells of these orders. An object column is taken from its array (the same
        cells, without a Series and an index taken: 800k orders, a third less per column); any
        other dtype as pandas boxes it."""
        column = self.sales[name]
        if column.dtype == object:
            return column.to_numpy()[self.at].tolist()
        return column.take(self.at).tolist()

    def series(self, name: str) -> pd.Series:
        return self.sales[name].take(self.at)

    def where(self, mask: np.ndarray) -> Counted:
        return Counted(self.sales, self.at[mask], self.within[mask], self.placed)

    def places(self, inputs: Inputs, column: str) -> RowPlaces:
        """Where `column` of each order was read."""
        return RowPlaces(inputs, self.placed.take(self.within), column)


def _counted_orders(ctx: PayContext, roles: Iterable[str]) -> Counted:
    """The month's counted orders of the people whose role is among `roles`, in file order (which
    orders count, in which order, and where each was read is found once per close: order bonus
    and commission both ask)."""
    sales = ctx.frame("sales")
    if ctx.counted_sales is None or ctx.counted_places is None:
        counted = counted_order_mask(sales, ctx.period, ctx.policy.scoring.measures.counted_sales.statuses)
        ctx.counted_sales, ctx.counted_places = _placed_in_file_order(sales, counted)
    at = ctx.counted_sales
    if ctx.counted_staff is None:   # (each order's agent by code: one hash per order, not one per component)
        ctx.counted_staff = staff_codes(sales["employee_id"].take(at))
    mine = among(ctx.counted_staff, set(ctx.with_role(roles).index))
    return Counted(sales, at[mine], np.flatnonzero(mine), ctx.counted_places)


def staff_codes(employees: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Each row's employee as a code into the distinct employees (blanks kept as values)."""
    codes, staff = pd.factorize(employees, use_na_sentinel=False)
    return codes, pd.Index(staff)


def among(coded: tuple[np.ndarray, pd.Index], wanted: set[Any]) -> np.ndarray:
    """`employees.isin(wanted)` of the rows `staff_codes` coded, asked once per distinct employee."""
    codes, staff = coded
    return np.asarray(staff.isin(wanted), dtype=bool)[codes] if len(codes) else np.zeros(0, dtype=bool)


def agent_codes(rows: Counted, ctx: PayContext) -> tuple[np.ndarray, np.ndarray] | None:
    """`pd.factorize` of `rows`' agents (each order's code, the distinct agents in order of first
    appearance), from the codes `_counted_orders` gave every counted order's agent once per close:
    the codes of these rows factorized again as integers (500k orders: 0.04 s a factorize of the
    object IDs, against a few ms). Equal IDs have one close code, so the codes and the agents'
    order are the object factorize's. None when an agent is blank (that factorize gives blanks
    no code): the caller factorizes the IDs as before."""
    if ctx.counted_staff is None:
        return None
    codes, firsts = pd.factorize(ctx.counted_staff[0][rows.within])
    agents = ctx.counted_staff[1][firsts].to_numpy(dtype=object)
    if len(agents) and pd.isna(agents).any():
        return None
    return codes, agents


def _placed_in_file_order(sales: pd.DataFrame, counted: np.ndarray) -> tuple[np.ndarray, SheetRows]:
    """`in_file_order` of the `counted` rows of `sales` (a 0..n-1 index) and where each was read.
    When they are in file order already (the usual case), read from the three provenance
    columns taken once as arrays: no frame of the counted rows is cut and then taken again
    (1M orders: 0.15 s)."""
    at = np.flatnonzero(counted)
    row_type = sales["_row"].dtype if "_row" in sales.columns else None
    if len(at) > 1 and "_file" in sales.columns and "_sheet" in sales.columns \
            and isinstance(row_type, np.dtype) and row_type.kind in "iu":
        files = sales["_file"].to_numpy(dtype=object)[at]
        sheets = sales["_sheet"].to_numpy(dtype=object)[at]
        rows = sales["_row"].to_numpy()[at]
        if _in_order(files, sheets, rows):
            return at, SheetRows.of_columns(files, sheets, rows)
    order = in_file_order(sales[["_file", "_sheet", "_row"]][counted])
    provenance = [c for c in ("_file", "_sheet", "_row") if c in sales.columns]
    return order, SheetRows.of(sales[provenance].take(order))


def in_file_order(places: pd.DataFrame) -> np.ndarray:
    """The index labels of `places` (columns _file, _sheet, _row) sorted by file, sheet and row,
    stable, blanks first: what `sort_values(kind="stable", na_position="first")` gives. Intake
    reads the files in name order and each sheet top to bottom, so the rows mostly are in that
    order already: that is checked column-wise, comparing texts only where the file or sheet
    changes (a sort of a million rows by three columns factorizes each column: 0.2 s)."""
    if len(places) > 1 and places["_row"].dtype.kind in "iu" and _in_order(
            places["_file"].to_numpy(dtype=object), places["_sheet"].to_numpy(dtype=object),
            places["_row"].to_numpy()):
        return places.index.to_numpy(dtype=np.intp)
    order = places.sort_values(["_file", "_sheet", "_row"], kind="stable", na_position="first")
    return order.index.to_numpy(dtype=np.intp)


def _in_order(files: np.ndarray, sheets: np.ndarray, rows: np.ndarray) -> bool:
    """Whether rows (two or more) already are in file, sheet, row order with no blank file or sheet."""
    # where the file or sheet differs from the row before (a blank differs from everything)
    new_file = files[1:] != files[:-1]
    new_sheet = sheets[1:] != sheets[:-1]
    turns = np.flatnonzero(new_file | new_sheet) + 1
    ordered = type(files[0]) is str and type(sheets[0]) is str
    for at in turns.tolist():
        if not ordered:
            break
        file, sheet, before_file, before_sheet = files[at], sheets[at], files[at - 1], sheets[at - 1]
        ordered = type(file) is str and type(sheet) is str and (
            file > before_file or (file == before_file and sheet > before_sheet))
    # within a file's sheet the row numbers do not go down
    same = ~(new_file | new_sheet)
    return bool(ordered and not (same & (rows[1:] < rows[:-1])).any())


def exactly(value: Any) -> Any:
    """A key equal only for values that compute alike: a Decimal by sign, digits and exponent
    (0.5 and 0.50 are equal but give products of other digits), anything else by identity."""
    return value.as_tuple() if type(value) is Decimal else (id(value),)


def per_distinct(pay: Callable[..., Decimal], term_codes: Sequence[int] | np.ndarray,
                 distinct_terms: Sequence[tuple[Any, ...]], amounts: list[Any]) -> list[Decimal]:
    """`pay(*terms[k][i], amounts[i])` for every order i, computed once per distinct (term k,
    amount object) and shared: an order's pay depends only on its amount and the few terms that
    apply to it (rate, share), so a million Decimal products are tens of thousands. `term_codes`
    gives each order's index into `distinct_terms`; the same Decimal object is handed back for the
    same inputs, so values and digits are the per-order product's (1M orders: 0.18 -> 0.08 s)."""
    codes, table = coded_per_distinct(pay, term_codes, distinct_terms, amounts)
    return table[codes].tolist() if len(codes) else []


def coded_per_distinct(pay: Callable[..., Decimal], term_codes: Sequence[int] | np.ndarray,
                       distinct_terms: Sequence[tuple[Any, ...]], amounts: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    """`per_distinct` as (each order's code, the distinct pays by code: an object array), so
    `_paid` sums the pays by code without finding the distinct objects again."""
    amount_ids = identities(amounts)
    pairs, firsts = distinct_pairs(term_codes, amount_ids)
    return pairs, _pay_table(pay, firsts, term_codes, distinct_terms, amount_ids)


def distinct_pairs(term_codes: Sequence[int] | np.ndarray,
                   amount_ids: tuple[np.ndarray, list[Any]]) -> tuple[np.ndarray, list[int]]:
    """Each order's code of its (term code, amount object) pair, in order of first appearance,
    and the first order of each pair (`amount_ids`: `identities` of the amounts)."""
    amount_codes, distinct_amounts = amount_ids
    keys = np.asarray(term_codes, dtype=np.int64).reshape(-1) * max(len(distinct_amounts), 1) + amount_codes
    pairs = pd.factorize(keys)[0]
    return pairs, first_codes(pairs).tolist()


def _pay_table(pay: Callable[..., Decimal], firsts: list[int], term_codes: Sequence[int] | np.ndarray,
               distinct_terms: Sequence[tuple[Any, ...]], amount_ids: tuple[np.ndarray, list[Any]]) -> np.ndarray:
    """`pay` of each pair's first order: the distinct pays by pair code, as an object array."""
    amount_codes, distinct_amounts = amount_ids
    table = np.empty(len(firsts), dtype=object)
    table[:] = [pay(*distinct_terms[int(term_codes[i])], distinct_amounts[amount_codes[i]]) for i in firsts]
    return table


def _per_employee(ctx: PayContext, code: str, exact: dict[str, Decimal], inputs: dict[str, Sequence[PayInput]],
                  reasons: dict[str, str] | None = None) -> list[PayLine]:
    """One line per employee (population order) of the summed exact per-order pay."""
    reasons = reasons or {}
    return [ctx.line(emp, code, exact[emp], reasons.get(emp, ""), inputs.get(emp, ()))
            for emp in ctx.people.index if emp in exact and exact[emp] != 0]


def _paid(code: str, ctx: PayContext, orders: list[Any], emps: list[Any], pays: list[Decimal],
          inputs: InputRows, coded: tuple[np.ndarray, np.ndarray] | None = None,
          staff: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[dict[str, Decimal], dict[str, RowInputs]]:
    """The orders that pay something (kept in `ctx.order_pay`), and per employee their exact sum
    and their inputs (positions into `inputs`, in file order). `coded`: `pays` as
    `coded_per_distinct` gave them (each order's code, the distinct pays); `staff`: `emps` as
    `agent_codes` gave them (the paid orders' agents are then found from their integer codes)."""
    if coded is not None and len(coded[0]):
        # pay ≠ 0 asked once per distinct pay (`coded`: a few thousand objects for 800k orders)
        flags = np.array([bool(p) for p in coded[1].tolist()], dtype=bool)[coded[0]]
        nonzero: list[bool] = flags.tolist()
        kept = np.flatnonzero(flags)
    else:
        nonzero = list(map(bool, pays))                                       # pay ≠ 0
        kept = np.flatnonzero(np.fromiter(nonzero, dtype=bool, count=len(nonzero)))
    # the kept orders, agents and pays taken in row order by `compress` (no object array each)
    paid_emps, paid_pays = list(compress(emps, nonzero)), list(compress(pays, nonzero))
    ctx.order_pay.extend(code, list(compress(orders, nonzero)), paid_emps, paid_pays)
    if staff is not None:
        codes, firsts = pd.factorize(staff[0][kept])
        agents = staff[1][firsts]
    else:
        codes, agents = pd.factorize(np.asarray(paid_emps, dtype=object))
    # (`stable_order`: numpy sorts 16-bit codes by radix, in one pass: 0.07 -> 0.015 s at 800k orders)
    by_agent = np.split(kept[stable_order(codes, len(agents))], np.cumsum(np.bincount(codes))[:-1]) \
        if len(kept) else []
    pay_codes = coded[0][kept] if coded is not None else None
    sums = exact_sums(codes, len(agents), paid_pays, None if coded is None else (pay_codes, coded[1]))
    if sums is None:
        # each agent's exact sum in row order, the rows read in file order (summing the pays gathered
        # per agent reads them scattered over memory: three times slower at 300k orders)
        sums = [ZERO] * len(agents)
        for at, pay in zip(codes.tolist(), paid_pays):
            sums[at] += pay
    return dict(zip(agents, sums)), {emp: inputs.of(at) for emp, at in zip(agents, by_agent)}


def order_bonus(code: str, component: OrderBonus, ctx: PayContext) -> list[PayLine]:
    """rate × each counted order's amount × the agent's share of its channel (a channel not in
    `agent_share` earns nothing); below 100% the rest is listed for the sales rep."""
    rows = _counted_orders(ctx, component.roles)
    rows = rows.where(rows.series("channel").isin(list(component.agent_share)).to_numpy(dtype=bool))
    orders, emps, amounts, channels = map(rows.column, ("order_id", "employee_id", "amount", "channel"))
    rate = component.rate
    shares = [component.agent_share[channel] for channel in channels]
    share_codes, by_share = identities(shares)
    # the whole pay and the agent's share of it depend on the same (share, amount) pairs: the
    # amounts' identities and the pairs found once for both (`per_distinct` twice found them twice)
    terms = [(s,) for s in by_share]
    pair_codes, firsts = distinct_pairs(share_codes, amount_ids := identities(amounts))
    whole_table = _pay_table(lambda share, amount: rate * amount, firsts, share_codes, terms, amount_ids)
    agent_table = _pay_table(lambda share, amount: rate * amount * share, firsts, share_codes, terms, amount_ids)
    wholes = whole_table[pair_codes].tolist() if len(pair_codes) else []
    agents = agent_table[pair_codes].tolist() if len(pair_codes) else []
    # (each distinct share compared once; the split orders' columns added as lists, not row by row)
    below = np.array([share < 1 for share in by_share], dtype=bool)
    split = np.flatnonzero(below[share_codes]).tolist() if len(shares) else []
    if split:
        every_rep = rows.column("sales_rep_id")
        reps = [None if is_blank(every_rep[i]) else every_rep[i] for i in split]
        places: RowPlaces | None = None
        for i, rep in zip(split, reps):
            if rep is None:
                places = places or rows.places(ctx.inputs, "sales_rep_id")
                ctx.issues.append(Issue.warn(places[i], "payroll.no_sales_rep",
                                             N_("order {order} ({channel}) names no sales rep: the rep's share is "
                                                "listed without one"), order=orders[i],
                                             channel=ctx.policy.inputs.code_named("channel", channels[i])))
        ctx.splits.extend([orders[i] for i in split], [emps[i] for i in split], reps, [amounts[i] for i in split],
                          [agents[i] for i in split], [wholes[i] - agents[i] for i in split])
    rate_text = fmt(rate, "rate")
    share_texts = {channel: fmt(share, "rate") for channel, share in component.agent_share.items()}

    def said(i: int) -> dict[str, Any]:
        return {"order": orders[i], "amount": yuan(amounts[i]), "rate": rate_text, "channel": channels[i],
                "share": share_texts[channels[i]], "pay": yuan(agents[i])}

    inputs = InputRows(N_("order {order} {amount} × {rate} × {channel} share {share} = {pay}"),
                       rows.places(ctx.inputs, "amount"), said)
    exact, given = _paid(code, ctx, orders, emps, agents, inputs, (pair_codes, agent_table), agent_codes(rows, ctx))
    return _per_employee(ctx, code, exact, dict(given))


def commission(code: str, component: Commission, ctx: PayContext) -> list[PayLine]:
    """rate of the role × each counted order's amount × the production-sheet share of the agent
    (what counted_sales used: 0% late or missing, 50% over-reported, 100% otherwise)."""
    values = ctx.measured.values
    shares = production_shares(values).to_dict()
    rows = _counted_orders(ctx, component.rates)
    orders, emps, amounts = map(rows.column, ("order_id", "employee_id", "amount"))
    roles = dict(zip(ctx.people.index, ctx.people["role"]))
    # per agent, once: (rate of the role, production share), and both as explain words them (the
    # agents found by one factorize, in order of first appearance, and each order's agent by code)
    staff = agent_codes(rows, ctx)
    emp_codes, agents = staff if staff is not None else pd.factorize(np.asarray(emps, dtype=object))
    terms = {emp: (component.rates[roles[emp]], shares.get(emp, ONE)) for emp in agents.tolist()}
    texts = {emp: (fmt(rate, "rate"), fmt(share, "rate")) for emp, (rate, share) in terms.items()}
    # per distinct (rate, share), digits and all, a code; per order, its agent's code (each agent's
    # share is an object of its own, equal to many others)
    codes: dict[tuple[Any, Any], int] = {}
    distinct: list[tuple[Decimal, Decimal]] = []
    of_emp = {}
    for emp, (rate, share) in terms.items():
        of_emp[emp] = codes.setdefault((exactly(rate), exactly(share)), len(codes))
        if of_emp[emp] == len(distinct):
            distinct.append((rate, share))
    term_codes = np.array([of_emp[emp] for emp in terms], dtype=np.int64)[emp_codes]
    pay_codes, pay_table = coded_per_distinct(lambda rate, share, amount: rate * amount * share,
                                              term_codes, distinct, amounts)
    pays = pay_table[pay_codes].tolist() if len(pay_codes) else []

    def said(i: int) -> dict[str, Any]:
        rate_text, share_text = texts[emps[i]]
        return {"order": orders[i], "amount": yuan(amounts[i]), "rate": rate_text, "share": share_text,
                "pay": yuan(pays[i])}

    inputs = InputRows(N_("order {order} {amount} × {rate} × production share {share} = {pay}"),
                       rows.places(ctx.inputs, "amount"), said)
    exact, given = _paid(code, ctx, orders, emps, pays, inputs, (pay_codes, pay_table), staff)
    rules: pd.Series | dict[str, str] = values["counted_sales_rule"] if "counted_sales_rule" in values.columns else {}
    reasons = {emp: rules.get(emp) or "" for emp in exact}   # a Reason keeps its wording
    return _per_employee(ctx, code, exact, dict(given), reasons)


def refunded_rows(sales: pd.DataFrame) -> np.ndarray:
    """The rows of `sales` refunded with an order ID: the IDs are checked for blanks only on the
    refunded rows (all of a million text IDs: 0.35 s of py-spy samples in four payrolls)."""
    at = np.flatnonzero(_equals(sales["status"], REFUNDED))
    mask = np.zeros(len(sales), dtype=bool)
    mask[at[sales["order_id"].take(at).notna().to_numpy(dtype=bool)]] = True
    return mask


def reversals(ctx: PayContext) -> list[PayLine]:
    """A refund reported this month of an order paid in a closed month: per (employee,
    component) of that order's pay, a negative line of what was paid (rounded), this month."""
    if ctx.history is None:
        return []
    sales = ctx.frame("sales")
    # only the columns read here: the order and its place (not a copy of every sales column)
    read = [c for c in ("order_id", "status", "_file", "_sheet", "_row") if c in sales.columns]
    refunded = sales.loc[refunded_rows(sales), read]
    if refunded.empty:
        return []
    paid = ctx.history.paid_orders(sorted(set(refunded["order_id"])))
    if paid is None or len(paid) == 0:
        return []
    paid = paid[paid["period"].astype(str) < ctx.period.code]
    where = {order: i for i, order in enumerate(refunded["order_id"])}      # (the last row of an order)
    places = RowPlaces(ctx.inputs, refunded, "status")
    totals: dict[tuple[str, str, str, str], Decimal] = {}
    for order, period, emp, comp, amount in zip(paid["order_id"], paid["period"], paid["employee_id"],
                                                paid["component"], paid["amount"]):
        key = (str(order), str(period), str(emp), str(comp))
        totals[key] = totals.get(key, ZERO) + Decimal(amount)
    out = []
    for (order, period, emp, comp), amount in sorted(totals.items()):
        if amount == 0:
            continue
        place = places[where[order]] if order in where else None
        if comp not in ctx.policy.pay.components:
            ctx.issues.append(Issue.of(place, "payroll.reversal_component",
                                       N_("refund of order {order}: its {period} pay of {employee} is on "
                                          "component '{component}', which pay.yaml no longer has"),
                                       order=order, period=period, employee=emp, component=comp))
            continue
        named = Named(comp, ctx.policy.pay.components[comp].name)   # the component by its name in Chinese
        if emp not in ctx.people.index:
            ctx.issues.append(Issue.warn(place, "payroll.reversal_not_employed",
                                         N_("refund of order {order}: {employee}, paid ¥{amount} {component} for "
                                            "it in {period}, is not employed in {month}; nothing is reversed on "
                                            "this payroll"), order=order, employee=emp, amount=f"{amount:.2f}",
                                         component=named, period=period, month=ctx.period.code))
            continue
        out.append(PayLine(emp, comp, -ctx.money(amount), Reason.of("refund", order=order, period=period),
                           (PayInput.of(N_("order {order} refunded this month; its {component} paid in {period}: "
                                           "{amount}"), place, order=order, component=named, period=period,
                                        amount=yuan(amount)),), REVERSAL))
    return out
