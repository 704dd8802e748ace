"""`csbatch policy test`: golden cases kept beside the policy, in `config/tests/*.yaml`.

A case gives the inputs of one rule and what it must give: measured values of a few employees
of one scorecard (or the marks of one QA audit) → points, totals, grades or ranks; roster facts,
attendance, measured values, recognitions and orders → the lines of pay components, amount and
reason; a month's purchases → VIP tier, points and voucher; evidence rows → each deadline item's
due time and status. The cases run through the same functions as the close, so a team that edits
a band table, a rate or a deadline sees at once which cases move. A failing case prints expected
vs got with the file and line of the case. Each kind is a module: `cards` (scorecards and QA),
`pay`, `vip`, `deadlines`; a case's kind is told by its key (`scorecard`, `marks`, `pay`, `vip`,
`deadline`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import Discriminator, Field, Tag

from csbatch.errors import Issue, Source
from csbatch.i18n import N_, Said
from csbatch.policy import Policy
from csbatch.policy.base import Model
from csbatch.policy.validate import validate
from csbatch.policy.yamlio import load_yaml
from csbatch.policytest.cards import AuditCase, CardCase, run_audit_case, run_card_case
from csbatch.policytest.deadlines import DeadlineCase, run_deadline_case
from csbatch.policytest.pay import PayCase, run_pay_case
from csbatch.policytest.vip import VipCase, run_vip_case

#: a case's kind: the key that tells it → (tag, model, runner); a case with none of the keys is a
#: scorecard case. Tags are no key a case could have, so an error's place follows the data.
KINDS: dict[str, tuple[str, type, Callable[[Any, Policy], list[Said]]]] = {
    "marks": ("audit-case", AuditCase, run_audit_case),
    "pay": ("pay-case", PayCase, run_pay_case),
    "vip": ("vip-case", VipCase, run_vip_case),
    "deadline": ("deadline-case", DeadlineCase, run_deadline_case),
}
CARD = "card-case"


def _case_kind(value) -> str:
    if isinstance(value, dict):
        for key, (tag, _, _) in KINDS.items():
            if key in value:
                return tag
    return CARD


Case = Annotated[Annotated[CardCase, Tag(CARD)] | Annotated[AuditCase, Tag("audit-case")]
                 | Annotated[PayCase, Tag("pay-case")] | Annotated[VipCase, Tag("vip-case")]
                 | Annotated[DeadlineCase, Tag("deadline-case")],
                 Discriminator(_case_kind)]


class CasesFile(Model):
    cases: list[Case] = Field(min_length=1)


@dataclass
class Outcome:
    place: Source
    name: str
    failures: list[Said]     # each in English as a str, `text(lang)` in the reader's language

    @property
    def ok(self) -> bool:
        return not self.failures


def run_policy_tests(policy: Policy) -> tuple[list[Outcome], list[Issue]]:
    """Every case of every file in `tests/` of the policy folder."""
    folder = Path(policy.root) / "tests"
    outcomes: list[Outcome] = []
    issues: list[Issue] = []
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        issues.append(Issue.of(Source(f"{policy.display_root}/tests"), "policytest.none",
                               N_("no golden cases: add YAML files of cases under tests/")))
    runners = [(model, runner) for _, model, runner in KINDS.values()] + [(CardCase, run_card_case)]
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
            runner = next(run for model, run in runners if isinstance(case, model))
            outcomes.append(Outcome(case.place, case.name, runner(case, policy)))
    return outcomes, issues
