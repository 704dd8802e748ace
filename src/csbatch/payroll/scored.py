"""Pay from the month's measured values and scorecards (docs/policy.md#pay): the per-unit bonus
(¥ per accepted invitation) and the performance bonus."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from csbatch.blanks import is_blank
from csbatch.i18n import N_
from csbatch.payroll.lines import ZERO, PayContext, PayInput, PayLine, yuan
from csbatch.policy.pay import PerformanceBonus, PerUnit
from csbatch.policy.vocabulary import named, show
from csbatch.rules.reasons import Reason


def per_unit(code: str, component: PerUnit, ctx: PayContext) -> list[PayLine]:
    """amount × the measured value named by `measure`, for the listed roles."""
    values = ctx.measured.values
    out = []
    for emp in ctx.with_role(component.roles).index:
        # a measured cell is a Decimal or blank (`Measured.values`); pandas types cells loosely
        units = cast("Decimal | None", values.at[emp, component.measure]) if emp in values.index else None
        if units is None or is_blank(units) or units == 0:
            continue
        measured = PayInput.of(N_("{measure} = {value}"), measure=named(component.measure),
                               value=show(component.measure, units))
        out.append(ctx.line(emp, code, component.amount * Decimal(units),
                            Reason.of("per_unit", units=f"{Decimal(units).normalize():f}",
                                      amount=f"{component.amount.normalize():f}"), (measured,)))
    return out


def performance_bonus(code: str, component: PerformanceBonus, ctx: PayContext) -> list[PayLine]:
    """bonus base of the role × min(total, cap_total) ÷ 100 from the employee's scorecard total.
    No line when the role has no base, the employee has no card or is not rated; a negative
    total pays 0 (a bonus, never a fine)."""
    out = []
    for emp, person in ctx.people.iterrows():
        base = component.bases.get(person.role)
        if base is None:
            continue
        _, score = ctx.scores.member(str(emp)) if ctx.scores is not None else (None, None)
        if score is None or not score.member.rated or score.total is None or is_blank(score.total):
            continue
        total = Decimal(score.total)
        used = max(ZERO, min(total, component.cap_total))
        if used == 0:
            continue
        why = Reason.of("capped", total=f"{total:f}", cap=f"{component.cap_total:f}") \
            if total > component.cap_total else ""
        inputs = (PayInput.of(N_("scorecard total {total}"), total=f"{total:f}"),
                  PayInput.of(N_("bonus base of {role} {amount}"), component.place_of("bases"),
                              role=ctx.role_name(person.role), amount=yuan(base)))
        out.append(ctx.line(emp, code, base * used / 100, why, inputs))
    return out
