"""`CloseState`: what the close's stages hand on, one immutable value replaced by each stage
(see `csbatch.closing.stages` for the order and what each stage adds). A stage reads an earlier
stage's result through `need` (the runner stops at the first stage with an error, so a stage
runs only after the ones before it produced theirs); publishing and `explain`, which run after
every computing stage, read them all at once as `Computed`."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from csbatch.attendance import AttendanceResult
from csbatch.audit.report import AuditReport
from csbatch.audit.run import Deadlines
from csbatch.calendar import WorkCalendar
from csbatch.closing.history import History, NoHistory
from csbatch.ledger.store import Ledger
from csbatch.payroll.changes import PayChanges
from csbatch.payroll.compute import PayrollResult
from csbatch.policy import Policy
from csbatch.policy.gitstate import GitState
from csbatch.qa.questionnaire import AuditResult
from csbatch.scoring.cards import ScoreResult
from csbatch.scoring.measures import Measured
from csbatch.sheets.intake import Inputs, ReadProgress
from csbatch.vip.model import VipResult

T = TypeVar("T")


@dataclass(frozen=True)
class CloseState:
    period: str
    inputs_dir: Path
    out_dir: Path
    config_dir: Path
    ledger_path: Path | None = None
    lang: str = "zh"
    allow_dirty: bool = False                 # --allow-dirty: uncommitted policy files only warn
    started_at: str = ""
    close_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    ledger: Ledger | None = None
    policy: Policy | None = None
    policy_git: GitState | None = None        # the policy folder's git state the close checked
    inputs: Inputs | None = None
    calendar: WorkCalendar | None = None
    attendance: AttendanceResult | None = None
    audits: AuditResult | None = None
    measured: Measured | None = None
    deadlines: Deadlines | None = None      # judged with the measures, reported by the audit
    scores: ScoreResult | None = None
    payroll: PayrollResult | None = None
    vip: VipResult | None = None
    audit: AuditReport | None = None
    explain_for: frozenset[str] = frozenset()
    sources_for_all: bool = False             # the close: every employee's input rows (staff/ID.html)
    history_of: History | None = None         # what-if: earlier months as the ledger held them then
    policy_rev: str | None = None             # --policy-rev: the policy revision to close with
    scratch: Path | None = None               # a folder the close's policy revision is written into
    policy_note: str | None = None            # which policy a (re-)close uses, when not the folder as it is
    policy_previous: str | None = None        # a re-close: the revision the month was closed with
    policy_before: Policy | None = None       # ... and that policy, to describe what changed
    policy_changes: tuple[str, ...] | None = None  # a re-close under another policy: the rule changes
    changes: tuple[dict[str, str], ...] | None = None   # None: a first close, nothing to compare with
    pay_changes: PayChanges | None = None   # the same with names and the reopening's reason (for HR)
    published: Path | None = None
    held_together: int = 0                    # bytes: about the most the close and its VIP child held at once
    read_progress: ReadProgress | None = field(default=None, compare=False, repr=False)  # per-file progress

    @property
    def target(self) -> Path:
        return self.out_dir / self.period

    @property
    def history(self) -> History:
        if self.history_of is not None:
            return self.history_of
        return self.ledger if self.ledger is not None else NoHistory()

    def computed(self) -> Computed:
        """Every computing stage's result; only once they all ran without an error."""
        return Computed(policy=need(self.policy, "policy"), inputs=need(self.inputs, "inputs"),
                        calendar=need(self.calendar, "calendar"), attendance=need(self.attendance, "attendance"),
                        audits=need(self.audits, "audits"), measured=need(self.measured, "measured"),
                        scores=need(self.scores, "scores"), payroll=need(self.payroll, "payroll"),
                        vip=need(self.vip, "vip"), audit=need(self.audit, "audit"))


@dataclass(frozen=True)
class Computed:
    """What the computing stages handed on, none missing: what publishing and `explain` read."""
    policy: Policy
    inputs: Inputs
    calendar: WorkCalendar
    attendance: AttendanceResult
    audits: AuditResult
    measured: Measured
    scores: ScoreResult
    payroll: PayrollResult
    vip: VipResult
    audit: AuditReport


def need(value: T | None, what: str) -> T:
    """An earlier stage's result. None is a bug (a stage placed before the one computing `what`,
    or run after an error): the runner never gets here with valid stages."""
    if value is None:
        raise RuntimeError(f"the close's {what} is not computed yet: a stage runs before the one computing it")
    return value



def now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")

