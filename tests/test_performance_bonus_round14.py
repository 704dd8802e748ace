"""Round 14: the performance bonus makes the inputs and reasons that depend only on the role,
the total's text or the team once and shares them; its lines (amounts, reasons in both
languages, inputs) are checked here against the old form, kept in the test, over rated and
unrated members, capped and negative totals, equal totals written with other digits, teams
and no team, with and without a team share."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.blanks import is_blank
from csbatch.i18n import N_
from csbatch.payroll.lines import ONE, PayContext, PayInput, PayLine, Person, yuan
from csbatch.payroll.scored import _used, performance_bonus, team_means
from csbatch.policy.bands import fmt
from csbatch.rules.reasons import Reason


def old_performance_bonus(code: str, component: Any, ctx: Any) -> list[PayLine]:
    """The form before round 14 (every input and reason made per employee)."""
    out = []
    means: dict[str, Any] = {}
    bases_at, share_at = component.place_of("bases"), component.place_of("team_share")
    share_text, own_text = fmt(component.team_share, "rate"), fmt(ONE - component.team_share, "rate")
    for emp, person in ctx.persons():
        base = component.bases.get(person.role)
        if base is None:
            continue
        card, score = ctx.scores.member(str(emp)) if ctx.scores is not None else (None, None)
        if card is None or score is None or not score.member.rated or score.total is None \
                or is_blank(score.total):
            continue
        total = Decimal(score.total)
        inputs = [PayInput.of(N_("scorecard total {total}"), total=f"{total:f}"),
                  PayInput.of(N_("bonus base of {role} {amount}"), bases_at,
                              role=ctx.role_name(person.role), amount=yuan(base))]
        capped = [Reason.of("capped", total=f"{total:f}", cap=f"{component.cap_total:f}")] \
            if total > component.cap_total else []
        if component.team_share > 0 and card.code not in means:
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
        if team.mean > component.cap_total:
            capped.append(Reason.of("team_capped", mean=f"{team.mean:f}", cap=f"{component.cap_total:f}"))
        inputs += [PayInput.of(N_("team share {share}"), share_at, share=share_text),
                   PayInput.of(N_("team {team} mean total {mean} over {count} rated: {members}"), team=team.team,
                               mean=f"{team.mean:f}", count=len(team.members),
                               members=team.listed)]
        why = Reason.of("team_split", share=share_text, team=team.team, mean=f"{team.mean:f}",
                        team_part=yuan(team_part), own_share=own_text, total=f"{total:f}",
                        own_part=yuan(own_part))
        out.append(ctx.line(emp, code, team_part + own_part, Reason.join([why, *capped]), inputs))
    return out


class FakeContext:
    """What the performance bonus reads of a `PayContext`."""

    def __init__(self, policy: Any, people: list[tuple[str, Person]], scores: Any) -> None:
        self.policy, self._people, self.scores = policy, people, scores

    def persons(self) -> list[tuple[str, Person]]:
        return self._people

    role_name = PayContext.role_name
    money = PayContext.money
    line = PayContext.line


def said(lines: list[PayLine]) -> list[Any]:
    return [(line.employee_id, line.component, repr(line.amount), str(line.reason), Reason.text(line.reason, "zh")
             if isinstance(line.reason, Reason) else line.reason, repr(line.inputs),
             [i.text_in("zh") for i in line.inputs]) for line in lines]


TOTALS = ["85", "85.0", "85.00", "120", "120.0", "130", "130.5", "1.3E+2", "-5", "0", "99.99", None]
member = st.tuples(st.sampled_from(["ecommerce_cs", "consulting_cs", "cs_lead", "nobody"]),
                   st.sampled_from(TOTALS), st.booleans(), st.sampled_from(["一组", "二组", "", None, "<t>"]),
                   st.sampled_from(["c1", "c2", None]))


@settings(max_examples=150, deadline=None)
@given(st.lists(member, min_size=0, max_size=25), st.sampled_from(["0", "0.3", "1", "0.5"]))
def test_performance_bonus_is_the_old_form(policy, members: list[tuple], share: str) -> None:
    component = policy.pay.components["performance_bonus"].model_copy(update={"team_share": Decimal(share)})
    cards: dict[str, Any] = {c: SimpleNamespace(code=c, members=[]) for c in ("c1", "c2")}
    by_id: dict[str, Any] = {}
    people = []
    for n, (role, total, rated, team, card) in enumerate(members):
        emp = f"E{n:03d}"
        people.append((emp, Person(role=role)))
        if card is None:
            continue
        score = SimpleNamespace(member=SimpleNamespace(employee_id=emp, name=f"名{n}", team=team, rated=rated),
                                total=None if total is None else Decimal(total))
        cards[card].members.append(score)
        by_id[emp] = (cards[card], score)
    scores = SimpleNamespace(member=lambda emp: by_id.get(emp, (None, None)))
    ctx = FakeContext(policy, people, scores)
    assert said(performance_bonus("performance_bonus", component, ctx)) == \
        said(old_performance_bonus("performance_bonus", component, ctx))
