"""The month's fixed pay (docs/policy.md#pay): base pay, the absence deduction, subsidy and
position allowance — each prorated by scheduled days ÷ the month's workdays, so a joiner or a
leaver is paid for the workdays employed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from csbatch.blanks import is_blank
from csbatch.i18n import N_
from csbatch.money import ONE, ZERO
from csbatch.payroll.lines import (
    PayContext,
    PayInput,
    PayLine,
    days_text,
    decimal_or_zero,
    prorated,
    yuan,
)
from csbatch.policy.band_lookup import lookup
from csbatch.policy.bands import fmt
from csbatch.policy.pay import AbsenceDeduction, BasePay, FixedAmount, PositionAllowance
from csbatch.rules.reasons import Reason

BASE_SALARY = N_("base salary {amount}")     # what base pay and the absence deduction start from


def base_pay(code: str, component: BasePay, ctx: PayContext) -> list[PayLine]:
    """Roster base × scheduled days ÷ the month's workdays."""
    out = []
    for emp, person in ctx.persons():
        if is_blank(person.base_salary):
            continue
        base = PayInput.of(BASE_SALARY, ctx.roster_cell(emp, "base_salary"), amount=yuan(Decimal(person.base_salary)))
        exact = prorated(Decimal(person.base_salary), person)
        schedule, why = ctx.schedule(person)
        out.append(ctx.line(emp, code, exact, why, (base, schedule)))
    return out


def absence_deduction(code: str, component: AbsenceDeduction, ctx: PayContext) -> list[PayLine]:
    """− base ÷ the month's workdays × (absent days + unpaid share of leave days)."""
    out = []
    for emp, person in ctx.persons():
        absent, unpaid = decimal_or_zero(person.absent_days), decimal_or_zero(person.unpaid_leave_days)
        days = absent + unpaid
        workdays = int(person.month_workdays)
        if is_blank(person.base_salary) or days == 0 or workdays <= 0:
            continue
        parts = [Reason.of("absent", days=days_text(absent))] if absent else []
        parts += [Reason.of("unpaid_leave", days=days_text(unpaid))] if unpaid else []
        exact = -(Decimal(person.base_salary) * days / Decimal(workdays))
        inputs = (PayInput.of(BASE_SALARY, ctx.roster_cell(emp, "base_salary"),
                              amount=yuan(Decimal(person.base_salary))),
                  PayInput.of(N_("absent {absent} d, unpaid leave {unpaid} d of {workdays} workdays"),
                              absent=days_text(absent), unpaid=days_text(unpaid), workdays=workdays))
        out.append(ctx.line(emp, code, exact, Reason.join(parts, ", "), inputs))
    return out


def fixed(code: str, component: FixedAmount, ctx: PayContext) -> list[PayLine]:
    """The component's amount for the listed roles — or the person's value in the roster's
    `roster_column` when filled — prorated like base pay."""
    column = component.roster_column
    out = []
    # the policy's amount in words, where it was set, and the role's name: the same for everyone
    # of a role, so made once per role and shared (`place_of` is a pydantic private attribute,
    # slow to read: 0.08 s for 5,000 employees at 1M orders)
    place, amount_text = component.place_of("amount"), yuan(component.amount)
    by_role: dict[Any, PayInput] = {}
    for emp, person in ctx.persons(component.roles):
        own = person.get(column) if column else None
        if own is None or is_blank(own):
            given = by_role.get(person.role)
            if given is None:
                given = by_role[person.role] = PayInput.of(N_("{amount} a month for role {role}"), place,
                                                           amount=amount_text, role=ctx.role_name(person.role))
            amount = component.amount
        else:
            amount = Decimal(own)
            given = PayInput.of(N_("roster {column} {amount}"), ctx.roster_cell(emp, str(column)),
                                column=ctx.roster_header(str(column)),
                                amount=yuan(amount))
        if amount == 0:
            continue
        exact = prorated(amount, person)
        schedule, why = ctx.schedule(person)
        out.append(ctx.line(emp, code, exact, why, (given, schedule)))
    return out


def position_allowance(code: str, component: PositionAllowance, ctx: PayContext) -> list[PayLine]:
    """`team_lead` for an employee flagged team lead, plus the amount of the role when listed;
    the parts `floating` names are × the share its band table gives the holder's scorecard total
    (浮动制度 [001]; paid as set when the holder is not rated); prorated like base pay."""
    out = []
    floating = component.floating
    for emp, person in ctx.persons():
        fixed_part = floated = ZERO
        reasons: list[str] = []
        inputs = []
        if person.team_lead:
            if floating is not None and floating.team_lead:
                floated += component.team_lead
            else:
                fixed_part += component.team_lead
            reasons.append(Reason.of("team_lead"))
            inputs.append(PayInput.of(N_("team lead {amount}"), ctx.roster_cell(emp, "team_lead"),
                                      amount=yuan(component.team_lead)))
        if person.role in component.roles:
            if floating is not None and person.role in floating.roles:
                floated += component.roles[person.role]
            else:
                fixed_part += component.roles[person.role]
            inputs.append(PayInput.of(N_("role {role} {amount}"), ctx.roster_cell(emp, "role"),
                                      role=ctx.role_name(person.role), amount=yuan(component.roles[person.role])))
        if floated:
            share, why, given = _float_share(component, str(emp), ctx)
            floated *= share
            reasons.append(why)
            inputs += given
        amount = fixed_part + floated
        if amount == 0:
            continue
        exact = prorated(amount, person)
        schedule, proration = ctx.schedule(person)
        out.append(ctx.line(emp, code, exact, Reason.join((*reasons, proration)), (*inputs, schedule)))
    return out


def _float_share(component: PositionAllowance, emp: str, ctx: PayContext) -> tuple[Decimal, str, list[PayInput]]:
    """The share of the floating allowance the holder's scorecard total earns, why, and what it
    was read from (a holder with no rated total: 100%, "no rated total: paid as set")."""
    floating = component.floating
    assert floating is not None
    card, score = ctx.scores.member(emp) if ctx.scores is not None else (None, None)
    if card is None or score is None or not score.member.rated or score.total is None or is_blank(score.total):
        return ONE, Reason.of("not_floated"), []
    total = Decimal(score.total)
    band = lookup(ctx.policy.bands[floating.table], total)
    share = Decimal(band.value if band.value is not None else 0)
    given = [PayInput.of(N_("scorecard total {total}"), total=f"{total:f}"),
             PayInput.of(N_("floating allowance: total {total} → {share}"), component.place_of("floating"),
                         total=f"{total:f}", share=fmt(share, "rate"))]
    return share, Reason.of("floated", total=f"{total:f}", share=fmt(share, "rate")), given
