"""Golden cases of scorecards (measured values → points, totals, grades, ranks) and of the QA
audit questionnaire (marks → score, sections, violations), run through the close's scoring
engine and questionnaire."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, Field

from csbatch.i18n import N_, Said
from csbatch.policy import Policy
from csbatch.policy.base import Code, Figure, Flag, Int, ItemCode, Model, Text, parse_rate
from csbatch.policy.scorecards import Promotion
from csbatch.policytest.kit import expected_got, not_in_case, same, shown
from csbatch.qa.questionnaire import score_marks
from csbatch.scoring.cards import band_tables
from csbatch.scoring.engine import Member, finish_card, measure_scopes, score_card


def _mark(text):
    if isinstance(text, str) and text.strip().upper() in ("N/A", "NA"):
        return None
    return parse_rate(text)


Mark = Annotated[Decimal | None, BeforeValidator(_mark)]


class CaseEmployee(Model):
    measures: dict[Code, Figure | None] = {}
    team: Text | None = None
    team_lead: Flag = False
    rated: Flag = True
    recognitions: dict[Code, Int] = {}


class CardCase(Model):
    name: Text
    scorecard: Code
    period: Text = "2026-10"
    promotion: Promotion | None = None
    employees: dict[Text, CaseEmployee] = Field(min_length=1)
    expect: dict[Text, dict[Text, Text]] = Field(min_length=1)


class AuditCase(Model):
    name: Text
    marks: dict[ItemCode, Mark] = Field(min_length=1)
    expect: dict[Text, Text] = Field(min_length=1)


def run_card_case(case: CardCase, policy: Policy) -> list[Said]:
    if case.scorecard not in policy.scorecards:
        return [Said(N_("scorecard '{scorecard}' does not exist"), scorecard=case.scorecard)]
    ids = list(case.employees)
    members = [Member(e, name=e, team=c.team, team_lead=c.team_lead, rated=c.rated,
                      recognitions=dict(c.recognitions)) for e, c in case.employees.items()]
    names = {n for c in case.employees.values() for n in c.measures}
    measured = {n: [case.employees[e].measures.get(n) for e in ids] for n in names}
    card, issues = score_card(case.scorecard, policy.scorecards[case.scorecard], members, measured,
                              tables=band_tables(policy, case.scorecard),
                              rounding=policy.scoring.rounding, promotion=case.promotion, period=case.period,
                              scopes=measure_scopes(policy.scoring.measures))
    finish_card(card, policy.bands[policy.scoring.grades], policy.scoring.training_grade, policy.scoring.rounding)
    failures = [i.line() for i in issues]
    scores = {s.member.employee_id: s for s in card.members}
    for emp, expected in case.expect.items():
        if emp not in scores:
            failures.append(not_in_case(emp))
            continue
        s = scores[emp]
        fields: dict[str, Decimal | str | list[str] | None] = {
                  "subtotal": s.subtotal, "multiplier": s.multiplier, "adjustments": s.adjustment_points,
                  "before_adjustments": s.before_adjustments, "total": s.total, "grade": s.grade,
                  "rank": Decimal(s.rank) if s.rank is not None else None, "flags": s.flags}
        for key, want in expected.items():
            got: Decimal | str | list[str] | None
            if key in s.items:
                got, rule = s.items[key].points, s.items[key].rule
            elif key in fields:
                got, rule = fields[key], ""
            else:
                failures.append(Said(N_("{employee}.{key}: no such item or field on '{scorecard}'"), employee=emp,
                                     key=key, scorecard=case.scorecard))
                continue
            if not same(want, got):
                failures.append(expected_got(f"{emp}.{key}", want, shown(got), rule))
    return failures


def run_audit_case(case: AuditCase, policy: Policy) -> list[Said]:
    try:
        score = score_marks(case.marks, policy.questionnaire)
    except ValueError as exc:        # the questionnaire's own words (a Said)
        return [exc.args[0] if exc.args and isinstance(exc.args[0], Said) else Said(str(exc))]
    fields = {"score": score.score, "violations": list(score.violations),
              "failed_critical": list(score.failed_critical), **score.sections}
    failures: list[Said] = []
    for key, want in case.expect.items():
        if key not in fields:
            failures.append(Said(N_("{key}: no such field (score, violations, failed_critical or a section)"), key=key))
        elif not same(want, fields[key]):
            failures.append(expected_got(key, want, shown(fields[key])))
    return failures
