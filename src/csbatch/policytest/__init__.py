"""`csbatch policy test`: golden cases kept beside the policy, in `config/tests/*.yaml`.

A case gives measured values for a few employees of one scorecard (or the marks of one QA
audit) and the points, totals, grades or ranks they must get. The cases run through the same
engine as the close, so a team that edits a band table sees at once which cases move. A
failing case prints expected vs got with the file and line of the case.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

from pydantic import BeforeValidator, Discriminator, Field, Tag

from csbatch.errors import Issue, Source
from csbatch.policy import Policy
from csbatch.policy.bands import fmt
from csbatch.policy.base import Code, Figure, Flag, Int, ItemCode, Model, Text, parse_rate
from csbatch.policy.scorecards import Promotion
from csbatch.policy.validate import validate
from csbatch.policy.yamlio import load_yaml
from csbatch.qa.questionnaire import score_marks
from csbatch.scoring.cards import band_tables
from csbatch.scoring.engine import Member, finish_card, score_card


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


def _case_kind(value) -> str:
    return "audit" if isinstance(value, dict) and "marks" in value else "card"


Case = Annotated[Annotated[CardCase, Tag("card")] | Annotated[AuditCase, Tag("audit")],
                 Discriminator(_case_kind)]


class CasesFile(Model):
    cases: list[Case] = Field(min_length=1)


@dataclass
class Outcome:
    place: Source
    name: str
    failures: list[str]

    @property
    def ok(self) -> bool:
        return not self.failures


def _same(expected: str, got) -> bool:
    if isinstance(got, Decimal):
        try:
            return parse_rate(expected) == got
        except (ValueError, InvalidOperation):
            return False
    if isinstance(got, (list, tuple)):
        return sorted(expected.split()) == sorted(got)
    if got is None:
        return expected.strip().lower() in ("none", "null", "")
    return expected == str(got)


def _shown(got) -> str:
    if isinstance(got, Decimal):
        return fmt(got)
    if isinstance(got, (list, tuple)):
        return " ".join(got) or "(none)"
    return "none" if got is None else str(got)


def run_card_case(case: CardCase, policy: Policy) -> list[str]:
    if case.scorecard not in policy.scorecards:
        return [f"scorecard '{case.scorecard}' does not exist"]
    ids = list(case.employees)
    members = [Member(e, name=e, team=c.team, team_lead=c.team_lead, rated=c.rated,
                      recognitions=dict(c.recognitions)) for e, c in case.employees.items()]
    names = {n for c in case.employees.values() for n in c.measures}
    measured = {n: [case.employees[e].measures.get(n) for e in ids] for n in names}
    card, issues = score_card(case.scorecard, policy.scorecards[case.scorecard], members, measured,
                              tables=band_tables(policy, case.scorecard),
                              rounding=policy.scoring.rounding, promotion=case.promotion, period=case.period)
    finish_card(card, policy.bands[policy.scoring.grades], policy.scoring.training_grade, policy.scoring.rounding)
    failures = [str(i) for i in issues]
    scores = {s.member.employee_id: s for s in card.members}
    for emp, expected in case.expect.items():
        if emp not in scores:
            failures.append(f"{emp}: not an employee of the case")
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
                failures.append(f"{emp}.{key}: no such item or field on '{case.scorecard}'")
                continue
            if not _same(want, got):
                failures.append(f"{emp}.{key}: expected {want}, got {_shown(got)}" + (f" ({rule})" if rule else ""))
    return failures


def run_audit_case(case: AuditCase, policy: Policy) -> list[str]:
    try:
        score = score_marks(case.marks, policy.questionnaire)
    except ValueError as exc:
        return [str(exc)]
    fields = {"score": score.score, "violations": list(score.violations),
              "failed_critical": list(score.failed_critical), **score.sections}
    failures = []
    for key, want in case.expect.items():
        if key not in fields:
            failures.append(f"{key}: no such field (score, violations, failed_critical or a section)")
        elif not _same(want, fields[key]):
            failures.append(f"{key}: expected {want}, got {_shown(fields[key])}")
    return failures


def run_policy_tests(policy: Policy) -> tuple[list[Outcome], list[Issue]]:
    """Every case of every file in `tests/` of the policy folder."""
    folder = Path(policy.root) / "tests"
    outcomes: list[Outcome] = []
    issues: list[Issue] = []
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        issues.append(Issue(Source(f"{policy.display_root}/tests"), "policytest.none",
                            "no golden cases: add YAML files of cases under tests/"))
    for path in files:
        display = f"{policy.display_root}/tests/{path.name}"
        data, locs, found = load_yaml(path, display)
        issues += found
        if data is None:
            continue
        parsed, found = validate(CasesFile, data, locs)
        issues += found
        if parsed is None:
            continue
        for case in parsed.cases:
            runner = run_card_case if isinstance(case, CardCase) else run_audit_case
            outcomes.append(Outcome(case.place, case.name, runner(case, policy)))
    return outcomes, issues
