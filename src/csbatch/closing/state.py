"""`CloseState`: what the close's stages hand on, one immutable value replaced by each stage
(see `csbatch.closing.stages` for the order and what each stage adds)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from csbatch.attendance import AttendanceResult
from csbatch.calendar import WorkCalendar
from csbatch.closing.history import History, NoHistory
from csbatch.ledger.store import Ledger
from csbatch.payroll.compute import PayrollResult
from csbatch.policy import Policy
from csbatch.policy.gitstate import GitState
from csbatch.qa.questionnaire import AuditResult
from csbatch.scoring.cards import ScoreResult
from csbatch.scoring.measures import Measured
from csbatch.sheets.intake import Inputs


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
    scores: ScoreResult | None = None
    payroll: PayrollResult | None = None
    vip: object | None = None                 # VipResult
    audit: object | None = None               # AuditReport
    explain_for: frozenset[str] = frozenset()
    changes: tuple[dict, ...] | None = None   # None: a first close, nothing to compare with
    published: Path | None = None

    @property
    def target(self) -> Path:
        return self.out_dir / self.period

    @property
    def history(self) -> History:
        return self.ledger if self.ledger is not None else NoHistory()



def now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")

