"""The scorecard half of `csbatch explain`: one employee's items as the close computed them (the
measured values, the input rows behind them, the band or formula and its policy place, the
points) and how the total follows. Apart from `explanation` (which runs the stages) so the
close's publish step can build each employee's `staff/ID.html` from the same explanation
without importing the runner (no cycle)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from csbatch.closing.state import CloseState, need
from csbatch.errors import Issue
from csbatch.scoring.cards import describe_total


@dataclass
class ItemLine:
    code: str
    name: str
    weight: Decimal
    measured: list[tuple[str, object]]      # (measure, value) the rule used
    sources: list[str]                       # input rows behind those values
    rule: str
    places: list[str]                        # policy places: the item, then bands applied
    points: Decimal
    flags: tuple[str, ...]


@dataclass
class Explanation:
    period: str
    employee_id: str
    name: str
    role: str
    team: str | None
    card_code: str
    card_name: str
    rated: bool
    items: list[ItemLine]
    multiplier: str
    total_text: str
    grade: str | None
    rank: int | None
    population: int
    flags: list[str]


def explain_card(state: CloseState, employee_id: str) -> tuple[Explanation | None, list[Issue]]:
    """The scorecard explanation of `employee_id` in the state the computing stages left (what
    `explain` prints and what the close's `staff/ID.html` page shows)."""
    period, policy, scores = state.period, need(state.policy, "policy"), need(state.scores, "scores")
    card, score = scores.member(employee_id)
    if card is None or score is None:
        roster = need(state.inputs, "inputs")["roster"]
        row = roster[roster["employee_id"] == employee_id]
        if row.empty:
            why = "is not in the roster"
        else:
            role = row.iloc[0]["role"]
            why = f"has the role {role}, which has no scorecard" if policy.roles[role].scorecard is None \
                else f"is not employed in {period}"
        return None, [Issue(None, "explain.no_card", f"employee {employee_id} {why}")]
    sources = need(state.measured, "measured").sources
    items = []
    for item in card.card.items:
        s = score.items[item.code]
        used = list(s.inputs.items())
        rows: list[str] = []
        for name, _ in used:
            for place in sources.get((employee_id, name), []):
                if place not in rows:
                    rows.append(place)
        places = [str(item.place)] + [str(p) for p in s.places if p is not None]
        items.append(ItemLine(item.code, item.name, item.weight, used, rows, s.rule, places, s.points, s.flags))
    m = score.member
    role_name = policy.roles[m.role].name if m.role in policy.roles else m.role
    return Explanation(period, employee_id, m.name, role_name, m.team, card.code, card.card.name, m.rated,
                       items, score.multiplier_rule, describe_total(score), score.grade, score.rank,
                       sum(1 for x in card.members if x.member.rated), score.flags), []


__all__ = ["Explanation", "ItemLine", "explain_card"]
