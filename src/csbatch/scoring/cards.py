"""Scoring every scorecard of the month: who is on which card, then the engine, then the tables
the outputs print (`scorecards.csv`, `scorecard_items.csv`, the team summary).

A card's members are the employees of the attendance summary (employed at least one day of the
month) whose role names that card. A member is rated when scheduled for at least
`scoring.rated_min_share` of the month's workdays; the rest show their values, no total.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol, cast

import pandas as pd

from csbatch.attendance import AttendanceResult
from csbatch.blanks import is_blank
from csbatch.calendar import month_bounds
from csbatch.errors import Issue
from csbatch.i18n import translator
from csbatch.money import half_up
from csbatch.policy import Policy
from csbatch.policy.bands import BandTable, fmt
from csbatch.policy.vocabulary import MEASURES
from csbatch.scoring.engine import (
    CardScore,
    Member,
    MemberScore,
    Tables,
    finish_card,
    measure_scopes,
    measured_columns,
    score_card,
)
from csbatch.scoring.measures import Measured
from csbatch.sheets.intake import Inputs


class Grades(Protocol):
    """The part of the close's history scorecards read (`csbatch.closing.history.History` has
    it): the grade an employee had in a closed month, None when none."""

    def grade(self, employee_id: str, period: str) -> str | None: ...


@dataclass
class ScoreResult:
    cards: dict[str, CardScore]
    #: employee_id → (card, score), the first card listing the employee; built on the first
    #: `member` call (the cards are complete by then)
    _by_member: dict[str, tuple[CardScore, MemberScore]] | None = field(default=None, init=False, repr=False,
                                                                         compare=False)

    def member(self, employee_id: str) -> tuple[CardScore, MemberScore] | tuple[None, None]:
        """The employee's card and score; (None, None) when on no card."""
        if self._by_member is None:
            self._by_member = {}
            for card in self.cards.values():
                for s in card.members:
                    self._by_member.setdefault(s.member.employee_id, (card, s))
        return self._by_member.get(employee_id, (None, None))


def _recognitions(inputs: Inputs, period: str) -> dict[str, dict[str, int]]:
    frame = inputs["recognitions"]
    start, end = month_bounds(period)
    inside = frame[(frame["date"] >= pd.Timestamp(start)) & (frame["date"] <= pd.Timestamp(end))]
    counts: dict[str, dict[str, int]] = {}
    for key, n in inside.groupby(["employee_id", "kind"]).size().items():
        emp, kind = cast("tuple[str, str]", key)     # grouped by two text columns
        counts.setdefault(emp, {})[kind] = int(n)
    return counts


def _by_id(roster: pd.DataFrame, column: str) -> dict[Any, Any]:
    """employee_id → the cell of `column`, what `roster.at[emp, column]` gives for the uses here
    (text or not, blank or not, true or not: a numpy bool may be a Python one)."""
    return dict(zip(roster.index.tolist(), roster[column].to_numpy(dtype=object).tolist()))


def members_by_card(policy: Policy, inputs: Inputs, attendance: AttendanceResult,
                    period: str) -> dict[str, list[Member]]:
    roster = inputs["roster"].drop_duplicates("employee_id").set_index("employee_id")
    summary = attendance.summary
    recognitions = _recognitions(inputs, period)
    share = policy.scoring.rated_min_share
    cards: dict[str, list[Member]] = {code: [] for code in policy.scorecards}
    # each roster column read once as a dict (`roster.at` per employee and column costs 8 µs)
    roles, teams, leads = (_by_id(roster, column) for column in ("role", "team", "team_lead"))
    for emp, name, scheduled, workdays in zip(summary["employee_id"], summary["name"],
                                              summary["scheduled_days"], summary["month_workdays"]):
        role = roles[emp]
        if not isinstance(role, str) or role not in policy.roles:
            continue
        card = policy.roles[role].scorecard
        if card is None:
            continue
        team = teams[emp]
        lead = leads[emp]
        rated = Decimal(scheduled) >= share * Decimal(workdays)
        cards[card].append(Member(emp, name, role, team if isinstance(team, str) and team else None,
                                  bool(lead) if not is_blank(lead) else False, rated,
                                  recognitions.get(emp, {})))
    return cards


def band_tables(policy: Policy, scorecard: str) -> Tables:
    """The band tables a scorecard's rules name (its own first, then the policy's)."""
    def table(name: str) -> BandTable:
        found = policy.band_table(name, scorecard)
        if found is None:   # the policy's reference checks reject a rule naming no table
            raise KeyError(f"scorecard {scorecard}: no band table '{name}'")
        return found
    return table


def _previous_periods(period: str, n: int) -> list[str]:
    year, month = (int(x) for x in period.split("-"))
    out = []
    for _ in range(n):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        out.append(f"{year:04d}-{month:02d}")
    return out


def flag_promotion_review(result: ScoreResult, policy: Policy, period: str, history: Grades) -> None:
    """[002]: the grade of the promotion review held this month and the months before it
    (consecutive_months in all) → flagged for promotion review. Needs the ledger's results."""
    rule = policy.scoring.promotion_review
    before = _previous_periods(period, rule.consecutive_months - 1)
    for card in result.cards.values():
        for s in card.members:
            if s.grade == rule.grade and all(history.grade(s.member.employee_id, p) == rule.grade for p in before):
                s.flags = sorted(set(s.flags) | {"promotion_review"})


def score_cards(period: str, policy: Policy, measured: Measured, inputs: Inputs, attendance: AttendanceResult,
                history: Grades | None = None) -> tuple[ScoreResult, list[Issue]]:
    """Every scorecard of `period` for its members; `history` (the ledger's earlier grades)
    flags promotion reviews, None: no history, no flags."""
    issues: list[Issue] = []
    grades = policy.bands[policy.scoring.grades]
    promotion = policy.period(period).promotion
    cards: dict[str, CardScore] = {}
    for code, members in members_by_card(policy, inputs, attendance, period).items():
        card = policy.scorecards[code]
        ids = [m.employee_id for m in members]
        columns = measured_columns(measured.values, ids, MEASURES)
        scored, found = score_card(code, card, members, columns, tables=band_tables(policy, code),
                                   rounding=policy.scoring.rounding, promotion=promotion, period=period,
                                   scopes=measure_scopes(policy.scoring.measures))
        finish_card(scored, grades, policy.scoring.training_grade, policy.scoring.rounding)
        issues += found
        cards[code] = scored
    result = ScoreResult(cards)
    if history is not None:
        flag_promotion_review(result, policy, period, history)
    return result, issues


# --- tables ----------------------------------------------------------------------------------

def scorecards_frame(result: ScoreResult) -> pd.DataFrame:
    rows = []
    for code, card in result.cards.items():
        for s in card.members:
            m = s.member
            rows.append({
                "employee_id": m.employee_id, "name": m.name, "role": m.role, "team": m.team,
                "scorecard": code, "subtotal": s.subtotal, "multiplier": s.multiplier,
                "adjustments": s.adjustment_points, "total": s.total, "grade": s.grade, "rank": s.rank,
                "rated": m.rated, "flags": " ".join(s.flags),
                "before_adjustments": s.before_adjustments,
            })
    frame = pd.DataFrame(rows, columns=["employee_id", "name", "role", "team", "scorecard", "subtotal",
                                        "multiplier", "adjustments", "total", "grade", "rank", "rated",
                                        "flags", "before_adjustments"])
    return frame.sort_values(["scorecard", "employee_id"], kind="stable").reset_index(drop=True)


def items_frame(result: ScoreResult) -> pd.DataFrame:
    rows = []
    for code, card in result.cards.items():
        for s in card.members:
            for item in card.card.items:
                score = s.items[item.code]
                rows.append({"employee_id": s.member.employee_id, "scorecard": code, "item": item.code,
                             "measured": score.measured, "points": score.points, "weight": item.weight,
                             "rule": score.rule, "flags": " ".join(score.flags)})
    frame = pd.DataFrame(rows, columns=["employee_id", "scorecard", "item", "measured", "points", "weight",
                                        "rule", "flags"])
    return frame.sort_values(["scorecard", "employee_id"], kind="stable").reset_index(drop=True)


def teams_frame(result: ScoreResult) -> pd.DataFrame:
    rows = []
    for code, card in result.cards.items():
        teams: dict[str, list] = {}
        for s in card.members:
            teams.setdefault(s.member.team or "—", []).append(s)
        for team, members in sorted(teams.items()):
            rated = [s.before_adjustments for s in members if s.member.rated]
            mean = half_up(sum(rated, Decimal(0)) / len(rated)) if rated else None
            rows.append({"scorecard": code, "team": team, "members": len(members), "rated": len(rated),
                         "mean_before_adjustments": mean})
    frame = pd.DataFrame(rows, columns=["scorecard", "team", "members", "rated", "mean_before_adjustments"])
    frame["team_rank"] = frame.groupby("scorecard")["mean_before_adjustments"].rank(
        method="min", ascending=False).astype("Int64")
    return frame


def describe_total(s: MemberScore, lang: str = "zh") -> str:
    """How a member's total follows from the items, in words (in `lang`)."""
    _ = translator(lang)
    parts = [_("subtotal {points}").format(points=fmt(s.subtotal))]
    if s.multiplier != 1 or s.multiplier_rule:
        parts.append(f"× {fmt(half_up(s.multiplier, 4))} = {fmt(s.before_adjustments)}")
    for a in s.adjustments:
        parts.append(f"{'+' if a.points >= 0 else '−'} {fmt(abs(a.points))} ({a.adjustment.name}"
                     + (f" × {a.count}" if a.count > 1 else "") + ")")
    if s.total is not None:
        parts.append(f"= {fmt(s.total)}")
    else:
        parts.append(_("= not rated"))
    return " ".join(parts)
