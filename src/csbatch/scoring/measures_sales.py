"""Sales and contacts measures (docs/policy.md#kpi): counted sales under the production-sheet
rules, promotion sales, target completion, conversion, invitations, tasks, and the supervisor's
team figures built from the agents' numbers.

Counted sales [004]: Σ amount of the month's orders whose status counts. For the roles scored on
a card listed in `production_sheet_scorecards` the production sheet (产量表) of the month decides:
missing or later than its deadline → × `late_or_missing_share`; reported above the actual orders
(虚报) → × `over_reported_share`; a late sheet that also over-reports is late. Other roles count
their orders as they are."""

from __future__ import annotations

from collections.abc import Callable, Collection
from decimal import Decimal
from typing import Any, NamedTuple, cast

import numpy as np
import pandas as pd

from csbatch.blanks import is_blank
from csbatch.errors import Issue
from csbatch.i18n import N_, Said
from csbatch.money import ZERO, to_cents
from csbatch.policy.expressions import parse
from csbatch.rules.due_dates import due_at, status
from csbatch.rules.reasons import Reason
from csbatch.scoring.measures_kit import Context, Period, dsum, isums, ratio, truthy

TEAM_MEASURES = ("team_satisfaction_rate", "team_sales_completion")


def _yuan(amount: Decimal) -> str:
    shown = amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else to_cents(amount)
    return f"¥{shown:,}"


def _share(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def _minute(at) -> str:
    return pd.Timestamp(at).strftime("%Y-%m-%d %H:%M")


# ---------------------------------------------------------------------------------------------
# orders


def counted_order_mask(sales: pd.DataFrame, period: Period, statuses: Collection[str]) -> np.ndarray:
    """The rows of a contract-typed sales frame that count for sales (and pay): status among
    `statuses` (`measures.counted_sales.statuses`), order_date inside the period, amount given.
    The amounts are checked for blanks only on the rows the first two let through (a million
    Decimal cells: 0.04 s)."""
    counted = sales["status"].isin(list(statuses)).to_numpy(dtype=bool) & period.holds(sales["order_date"])
    at = np.flatnonzero(counted)
    counted[at] = sales["amount"].take(at).notna().to_numpy(dtype=bool)
    return counted


def production_shares(values: pd.DataFrame) -> pd.Series:
    """employee_id → the share of each counted order that the production-sheet rules let count
    (1, `late_or_missing_share` or `over_reported_share`), read back from `Measured.values` as
    counted_sales ÷ actual_sales, so a per-order figure (commission) sums to exactly what
    `sales_measures` counted. Employees without actual sales have no entry (nothing to share)."""
    out = {}
    for emp, counted, actual in zip(values.index, values["counted_sales"], values["actual_sales"]):
        if is_blank(actual) or actual == 0 or is_blank(counted):
            continue
        out[emp] = Decimal(counted) / Decimal(actual)
    return pd.Series(out, dtype=object)


def _counted_orders(ctx: Context) -> pd.DataFrame:
    """The month's orders whose status counts (only the columns measures read)."""
    sales = ctx.frame("sales")
    counted = counted_order_mask(sales, ctx.period, ctx.settings.counted_sales.statuses)
    return sales[["employee_id", "amount", "promo", "_file", "_sheet", "_row"]][counted]


def _production_rows(ctx: Context) -> pd.DataFrame:
    """This period's production rows, one per employee (the first in file order)."""
    prod = ctx.month_rows("production").sort_values(["_file", "_row"], kind="stable")
    return prod.drop_duplicates("employee_id", keep="first").set_index("employee_id")


class _SheetCells(NamedTuple):
    """The two cells of an employee's production row `_production_rule` reads."""

    submitted_at: Any
    reported_sales: Any


def _sheet_cells(production: pd.DataFrame) -> dict[Any, _SheetCells]:
    """Each employee's production row (the index: employee IDs, one row each) as the cells
    `_production_rule` reads, in one pass over two columns: `production.loc[emp]` per employee
    cut a row Series each (a tenth of a second for 5,000 staff). A datetime cell comes back as
    the row's would (Timestamp or NaT), an object cell as itself."""
    return dict(zip(production.index.tolist(),
                    map(_SheetCells._make, zip(production["submitted_at"].tolist(),
                                               production["reported_sales"].tolist()))))


def _by_key(sums: pd.Series) -> Callable[[Any, Any], Any]:
    """`sums.get` as a dict's `get` where that answers alike (an object or text index without
    repeats or blanks: `dsum`'s), else `sums.get` itself."""
    index = sums.index
    if index.is_unique and not index.hasnans and (index.dtype == object or isinstance(index.dtype, pd.StringDtype)):
        return dict(zip(index.tolist(), sums.tolist())).get
    return sums.get


def _production_rule(actual: Decimal, row, due, cs) -> tuple[Decimal, str]:
    """(share counted, why) for one employee under the production-sheet rules."""
    if row is None or is_blank(row.submitted_at):
        return cs.late_or_missing_share, Reason.of("sheet_missing", share=_share(cs.late_or_missing_share))
    reported = row.reported_sales
    over = not is_blank(reported) and reported > actual
    figures = {"reported": _yuan(reported), "actual": _yuan(actual)} if over else {}
    if status(due, row.submitted_at, as_of=due) == "late":
        late = Reason.of("sheet_late", submitted=_minute(row.submitted_at), due=_minute(due),
                         share=_share(cs.late_or_missing_share))
        return cs.late_or_missing_share, Reason.join([late, Reason.of("also_over_reported", **figures)]) \
            if over else late
    if over:
        return cs.over_reported_share, Reason.of("over_reported", share=_share(cs.over_reported_share), **figures)
    return Decimal(1), ""


def sales_measures(ctx: Context) -> dict[str, pd.Series]:
    """counted_sales, promo_sales, target_completion, and the non-measure columns actual_sales
    and counted_sales_rule."""
    cs = ctx.settings.counted_sales
    rows = _counted_orders(ctx)
    actual = dsum(rows["amount"], rows["employee_id"])
    promo_rows = rows[truthy(rows["promo"])]
    promo = dsum(promo_rows["amount"], promo_rows["employee_id"])
    ctx.feeds.add(["counted_sales", "target_completion"], rows)
    ctx.feeds.add("promo_sales", promo_rows)

    subject = ctx.people["scorecard"].isin(cs.production_sheet_scorecards)
    production = _production_rows(ctx)
    due = due_at(ctx.policy.deadlines[cs.production_sheet_rule].due, period=ctx.period.code)
    counted_out, rules, actual_out = {}, {}, {}
    noted: dict[str, str] = {}
    sheets = _sheet_cells(production)
    sums = _by_key(actual)
    for emp, under_rule in subject.items():
        a = sums(emp, ZERO)
        actual_out[emp] = a
        if not under_rule:
            counted_out[emp], rules[emp] = a, ""
            continue
        row = sheets.get(emp)
        share, why = _production_rule(a, row, due, cs)
        counted_out[emp], rules[emp] = a * share, why
        if emp not in ctx.feeds.who:
            continue
        if row is not None:
            noted[emp] = why or Said(N_("production sheet on time"))
        else:
            ctx.feeds.text(emp, ["counted_sales", "target_completion"],
                           f"production sheet: no row for {ctx.period.code} ({why})")
    # each explained employee's production row, said with its verdict (one add, not one per employee)
    ctx.feeds.add(["counted_sales", "target_completion"], production.loc[list(noted)].reset_index(),
                  note=list(noted.values()))
    counted_sales = pd.Series(counted_out, dtype=object)
    targets = prorated_targets(ctx)
    ctx.feeds.add("target_completion", ctx.roster.reset_index())
    return {
        "counted_sales": counted_sales,
        "promo_sales": promo,
        "target_completion": ratio(counted_sales, targets),
        "actual_sales": pd.Series(actual_out, dtype=object),
        "counted_sales_rule": pd.Series(rules, dtype=object),
    }


def prorated_targets(ctx: Context) -> pd.Series:
    """Roster sales target × scheduled days ÷ the month's workdays; only employees with a
    target (blank or zero target, or no workday → no entry)."""
    out = {}
    for emp, target, days, workdays in zip(ctx.people.index, ctx.people["sales_target"],
                                           ctx.people["scheduled_days"], ctx.people["month_workdays"]):
        if is_blank(target) or target == 0 or not workdays or not days:
            continue
        out[emp] = target * Decimal(int(days)) / Decimal(int(workdays))
    return pd.Series(out, dtype=object)


# ---------------------------------------------------------------------------------------------
# contacts sheet


def contact_measures(ctx: Context) -> dict[str, pd.Series]:
    """conversion_rate, invitation_success_rate, accepted_invitations, task_completion_rate."""
    rows = ctx.month_rows("contacts")
    emp = rows["employee_id"]
    sums = isums(rows, ("inquiries", "buyers", "invitations", "accepted", "tasks_assigned", "tasks_done"), emp)
    for measure, columns in (("conversion_rate", ["inquiries", "buyers"]),
                             ("invitation_success_rate", ["invitations", "accepted"]),
                             ("accepted_invitations", ["accepted"]),
                             ("task_completion_rate", ["tasks_assigned", "tasks_done"])):
        ctx.feeds.add(measure, rows[rows[columns].notna().any(axis=1).to_numpy(dtype=bool)])
    return {
        "conversion_rate": ratio(sums["buyers"], sums["inquiries"]),
        "invitation_success_rate": ratio(sums["accepted"], sums["invitations"]),
        "accepted_invitations": sums["accepted"],
        "task_completion_rate": ratio(sums["tasks_done"], sums["tasks_assigned"]),
    }


# ---------------------------------------------------------------------------------------------
# supervisors


def _names_in(card) -> set[str]:
    names: set[str] = set()
    for item in card.items:
        rule = item.rule
        names.update(getattr(rule, "points", {}) or {})
        if getattr(rule, "measure", None):
            names.add(rule.measure)
        if getattr(rule, "formula", None):
            names |= parse(rule.formula).names
    return names


def supervising_scorecards(policy) -> set[str]:
    """Scorecards that score a team (name a team measure): their roles are supervisors."""
    return {code for code, card in policy.scorecards.items() if _names_in(card) & set(TEAM_MEASURES)}


def team_measures(ctx: Context, values: dict[str, pd.Series]) -> dict[str, pd.Series]:
    """team_satisfaction_rate and team_sales_completion of each supervisor, over the agents of
    the population whose roster supervisor_id names them. A supervisor_id naming someone who is
    not a supervisor is reported (and measures nothing)."""
    people = ctx.people
    supervisors = people.index[people["scorecard"].isin(supervising_scorecards(ctx.policy))]
    reports = people[people["supervisor_id"].notna()]
    wrong = reports[~reports["supervisor_id"].isin(set(supervisors))]
    for emp, boss in wrong["supervisor_id"].items():
        row = cast(pd.Series, ctx.roster.loc[cast(str, emp)])   # one row per employee ID (`_people`)
        role = cast("str | None", people.at[boss, "role"]) if boss in people.index else None
        what = f"a {role}" if role else "not employed this month"
        ctx.issues.append(Issue.warn(ctx.cell(row, "supervisor_id"), "measures.not_a_supervisor",
                                     N_("supervisor_id of {employee} names {boss}, who is {what}, not a "
                                        "supervisor: {employee} counts for no team"),
                                     employee=emp, boss=boss, what=what))
    reports = reports[reports["supervisor_id"].isin(set(supervisors))]
    boss = reports["supervisor_id"]

    def team_sum(series: pd.Series, among: pd.Index) -> pd.Series:
        part = series.reindex(among).dropna()
        return part.groupby(boss.reindex(part.index)).agg(lambda v: sum(v, ZERO)) \
            if len(part) else pd.Series([], dtype=object)

    targets = prorated_targets(ctx)
    with_target = reports.index.intersection(targets.index)
    out = {
        "team_satisfaction_rate": ratio(team_sum(values["callbacks_satisfied"], reports.index),
                                        team_sum(values["callbacks_rated"], reports.index)),
        "team_sales_completion": ratio(team_sum(values["counted_sales"], with_target),
                                       team_sum(targets, with_target)),
    }
    if ctx.feeds.active:
        rows = ctx.roster.loc[reports.index].reset_index()
        ctx.feeds.add(list(TEAM_MEASURES), rows, by=boss.to_numpy())
    return {k: v.reindex(v.index.intersection(supervisors)) for k, v in out.items()}
