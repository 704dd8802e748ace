"""Pay from the month's measured values and scorecards (docs/policy.md#pay): the per-unit bonus
(¥ per accepted invitation) and the performance bonus, with its team part paid on the team's
mean total ([002] 根据团队整体业绩和个人业绩)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import cast

from csbatch.blanks import is_blank
from csbatch.i18n import N_
from csbatch.money import ONE, ZERO, round_by
from csbatch.payroll.lines import PayContext, PayInput, PayLine, yuan
from csbatch.policy import Policy
from csbatch.policy.bands import fmt
from csbatch.policy.pay import PerformanceBonus, PerUnit
from csbatch.policy.vocabulary import named, show
from csbatch.rules.reasons import Reason
from csbatch.scoring.engine import CardScore


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


@dataclass(frozen=True)
class TeamMean:
    """A team's mean total on one scorecard, and the rated members it was computed over."""

    team: str
    mean: Decimal                               # rounded as scoring rounds points
    members: tuple[tuple[str, str, Decimal], ...]   # (employee_id, name, total)

    @cached_property
    def listed(self) -> str:
        """The members as a pay input lists them ("1001 张三 85, 1002 李四 90"), once per team."""
        return ", ".join(f"{i} {n} {t:f}" for i, n, t in self.members)


def team_means(card: CardScore, policy: Policy) -> dict[str, TeamMean]:
    """Each team's mean total over its rated members on `card` (the team part of the
    performance bonus reads it)."""
    found: dict[str, list[tuple[str, str, Decimal]]] = {}
    for s in card.members:
        if s.member.team and s.member.rated and s.total is not None and not is_blank(s.total):
            found.setdefault(s.member.team, []).append((s.member.employee_id, s.member.name, Decimal(s.total)))
    return {team: TeamMean(team, round_by(sum((t for _, _, t in rows), ZERO) / len(rows), policy.scoring.rounding),
                           tuple(rows))
            for team, rows in found.items()}


def performance_bonus(code: str, component: PerformanceBonus, ctx: PayContext) -> list[PayLine]:
    """bonus base of the role × min(total, cap_total) ÷ 100 from the employee's scorecard total.
    With a team share, that share of the base is paid on min(the team's mean total, cap_total)
    instead, each part rounded to the fen by itself (so the reason's parts add up to the line).
    No line when the role has no base, the employee has no card or is not rated; a negative
    total pays 0 (a bonus, never a fine)."""
    out = []
    means: dict[str, dict[str, TeamMean]] = {}
    # the policy's places and words, once (not once per employee)
    bases_at, share_at = component.place_of("bases"), component.place_of("team_share")
    share_text, own_text = fmt(component.team_share, "rate"), fmt(ONE - component.team_share, "rate")
    # inputs and reasons that depend only on the role, the total's text or the team are made once
    # each and shared (immutable; 5,000 employees: 0.3 s of building the same words again)
    base_inputs: dict[str, PayInput] = {}
    total_inputs: dict[str, tuple[PayInput, list[str]]] = {}
    team_inputs: dict[tuple[str, str], tuple[PayInput, PayInput, list[str]]] = {}
    for emp, person in ctx.persons():
        base = component.bases.get(person.role)
        if base is None:
            continue
        card, score = ctx.scores.member(str(emp)) if ctx.scores is not None else (None, None)
        if card is None or score is None or not score.member.rated or score.total is None \
                or is_blank(score.total):
            continue
        total = Decimal(score.total)
        total_text = f"{total:f}"
        if total_text not in total_inputs:      # (equal texts: equal totals, the cap compares them alike)
            total_inputs[total_text] = (
                PayInput.of(N_("scorecard total {total}"), total=total_text),
                [Reason.of("capped", total=total_text, cap=f"{component.cap_total:f}")]
                if total > component.cap_total else [])
        if person.role not in base_inputs:
            base_inputs[person.role] = PayInput.of(N_("bonus base of {role} {amount}"), bases_at,
                                                   role=ctx.role_name(person.role), amount=yuan(base))
        total_input, capped_once = total_inputs[total_text]
        inputs = [total_input, base_inputs[person.role]]
        capped = list(capped_once)
        if component.team_share > 0 and card.code not in means:   # once per card, not per member
            means[card.code] = team_means(card, ctx.policy)
        team = means[card.code].get(score.member.team or "") if component.team_share > 0 else None
        if team is None:
            amount = base * _used(total, component) / 100
            if amount == 0:
                continue
            out.append(ctx.line(emp, code, amount, Reason.join(capped), inputs))
            continue
        share = component.team_share
        team_part = ctx.money(base * share * _used(team.mean, component) / 100)
        own_part = ctx.money(base * (ONE - share) * _used(total, component) / 100)
        if team_part + own_part == 0:
            continue
        if (card.code, team.team) not in team_inputs:
            team_inputs[card.code, team.team] = (
                PayInput.of(N_("team share {share}"), share_at, share=share_text),
                PayInput.of(N_("team {team} mean total {mean} over {count} rated: {members}"), team=team.team,
                            mean=f"{team.mean:f}", count=len(team.members), members=team.listed),
                [Reason.of("team_capped", mean=f"{team.mean:f}", cap=f"{component.cap_total:f}")]
                if team.mean > component.cap_total else [])
        share_input, team_input, team_capped = team_inputs[card.code, team.team]
        capped += team_capped
        inputs += [share_input, team_input]
        why = Reason.of("team_split", share=share_text, team=team.team, mean=f"{team.mean:f}",
                        team_part=yuan(team_part), own_share=own_text, total=total_text,
                        own_part=yuan(own_part))
        out.append(ctx.line(emp, code, team_part + own_part, Reason.join([why, *capped]), inputs))
    return out


def _used(total: Decimal, component: PerformanceBonus) -> Decimal:
    """The total a bonus is paid on: capped, never below 0."""
    return max(ZERO, min(total, component.cap_total))
