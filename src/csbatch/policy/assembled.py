"""`Policy`: the whole policy, assembled from every file of the policy folder by
`csbatch.policy.loader` and cross-checked by `csbatch.policy.checks`. Kept apart from both so the
checks can name it without importing the loader that runs them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csbatch.policy.audit import AuditPolicy
from csbatch.policy.bands import BandTable
from csbatch.policy.catalogues import Award, ComplaintPolicy, Recognition
from csbatch.policy.deadlines import DeadlineRule
from csbatch.policy.inputs import InputsPolicy
from csbatch.policy.org import Company, Role
from csbatch.policy.pay import PayPolicy
from csbatch.policy.scorecards import PeriodPolicy, Questionnaire, Scorecard, ScoringPolicy
from csbatch.policy.vip import VipPolicy
from csbatch.policy.worktime import ConductItem, LeavePolicy, WorktimeFile


@dataclass(frozen=True)
class PolicyFile:
    path: Path
    display: str
    sha256: str


@dataclass(frozen=True)
class Policy:
    """The whole policy, typed and checked. Records carry `.place` (file:line)."""

    root: Path
    display_root: str
    roles: dict[str, Role]
    worktime: WorktimeFile
    leave: LeavePolicy
    conduct: dict[str, ConductItem]
    recognitions: dict[str, Recognition]
    complaints: ComplaintPolicy
    bands: dict[str, BandTable]
    scoring: ScoringPolicy
    scorecards: dict[str, Scorecard]
    questionnaire: Questionnaire
    pay: PayPolicy
    vip: VipPolicy
    deadlines: dict[str, DeadlineRule]
    inputs: InputsPolicy
    audit: AuditPolicy
    periods: dict[str, PeriodPolicy]
    files: tuple[PolicyFile, ...] = field(default=())
    company: Company = field(default_factory=Company)   # company.yaml is optional
    awards: dict[str, Award] = field(default_factory=dict)   # awards.yaml too (csbatch review)

    @property
    def calendar(self):
        return self.worktime.calendar

    @property
    def schedule(self):
        return self.worktime.schedule

    @property
    def sha256(self) -> str:
        """One hash over every policy file (path and content), for the manifest."""
        h = hashlib.sha256()
        for f in sorted(self.files, key=lambda f: f.display):
            h.update(f.display.encode() + b"\0" + f.sha256.encode() + b"\n")
        return h.hexdigest()

    def band_table(self, name: str, scorecard: str | None = None) -> BandTable | None:
        if scorecard and name in self.scorecards[scorecard].bands:
            return self.scorecards[scorecard].bands[name]
        return self.bands.get(name)

    def period(self, period: str) -> PeriodPolicy:
        return self.periods.get(period) or PeriodPolicy()

    def code_list(self, name: str) -> dict[str, list[str]] | None:
        """A code list as code → labels people may type (the code itself, its name, aliases)."""
        def labelled(mapping: dict[str, Any]) -> dict[str, list[str]]:
            return {c: [c, r.name, *r.aliases] for c, r in mapping.items()}

        lists = {
            "roles": lambda: labelled(self.roles),
            "leave_types": lambda: labelled(self.leave.types),
            "conduct": lambda: labelled(self.conduct),
            "recognitions": lambda: labelled(self.recognitions),
            "complaint_categories": lambda: labelled(self.complaints.categories),
            "pay_components": lambda: labelled(self.pay.components),
            "deadline_rules": lambda: labelled(self.deadlines),
            # a shift schedule's cell: a shift, or the day off
            "shifts": lambda: {**labelled(self.worktime.shifts.types),
                               "off": ["off", *self.worktime.shifts.off]},
        }
        if name in lists:
            return lists[name]()
        vocab = self.inputs.vocabularies.get(name)
        if vocab is None:
            return None
        return {c: [c, *labels] for c, labels in vocab.items()}
