"""`monthly_close`: the month's pipeline.

    check ledger → load policy → read inputs → attendance → QA audits → measured values →
    scorecards → payroll → VIP → audit → publish

Everything is computed in memory first. Publishing then follows the ledger's protocol (see
`csbatch.ledger.store`): every file is written into a staging folder inside `--out`, the internal
checks run, the ledger commits the close in one transaction, and only then is the staging folder
renamed to `OUT/PERIOD`. A failure before the commit — bad input, a crash, a full disk, kill -9 —
leaves the ledger as it was and no `OUT/PERIOD`; a crash right after the commit is finished by the
next run. Two admins closing at once serialise on the ledger's write lock: one wins, the other is
told the month is already closed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from csbatch.attendance import AttendanceResult, check_presence, summarise_attendance
from csbatch.calendar import WorkCalendar, month_bounds
from csbatch.environment import Footprint, check_folder, fault_issue
from csbatch.errors import Issue, Severity, Source
from csbatch.failpoints import failpoint
from csbatch.ledger import staging as staging_folders
from csbatch.ledger.opening import open_ledger_checked, open_ledger_unchecked
from csbatch.ledger.store import (AlreadyClosed, Ledger, NewClose, OrderError, PublishedElsewhere, changes,
                                  default_ledger)
from csbatch.closing.manifest import build_manifest, fsync_tree, write_manifest
from csbatch.payroll.compute import PayrollResult, compute_payroll
from csbatch.closing.runner import Outcome, Progress, Stage, run_stages
from csbatch.policy import Policy, load_policy
from csbatch.policy.gitstate import GitState, close_issues, git_state
from csbatch.policy.loader import display_root
from csbatch.reports.csvout import write_csv
from csbatch.reports.kpi_workbook import write_kpi_workbook
from csbatch.reports.payroll_workbook import verify_payroll, write_payroll_workbook
from csbatch.reports.tables import (ATTENDANCE, ORDER_SPLITS, PAYROLL_COMPONENTS, SCORECARD_ITEMS, SCORECARDS,
                                    COMPLAINTS, DEADLINES, VIP_DISCOUNT_AUDIT, VIP_MEMBERS, VIP_POINTS, VIP_TASKS,
                                    audits_table,
                                    payroll_table)
from csbatch.reports.vip_workbook import write_vip_workbook
from csbatch.audit.run import run_audit
from csbatch.reports.audit_page import write_audit_page
from csbatch.reports.audit_workbook import write_audit_workbook
from csbatch.resources import resolve_config
from csbatch.scoring.cards import ScoreResult, items_frame, score_cards, scorecards_frame
from csbatch.scoring.measures import Measured, measure_all
from csbatch.qa.questionnaire import AuditResult, score_audits
from csbatch.sheets.intake import Inputs, read_inputs
from csbatch.vip.identity import load_key
from csbatch.vip.programme import run_vip
from csbatch.reports.vip_statements import render_statements

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class NoHistory:
    """The history of a ledger with no closed month (and what `explain` uses)."""

    def paid_orders(self, order_ids) -> pd.DataFrame:
        return pd.DataFrame(columns=["order_id", "period", "employee_id", "component", "amount"])

    def grade(self, employee_id: str, period: str) -> str | None:
        return None

    def vip_history(self):
        from csbatch.vip.model import VipHistory
        return VipHistory()

    def figures_history(self, before: str) -> pd.DataFrame:
        return pd.DataFrame(columns=["period", "figure", "value"])


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
    def history(self):
        return self.ledger if self.ledger is not None else NoHistory()


def check_period(period: str) -> list[Issue]:
    if not _PERIOD.match(period):
        return [Issue(None, "period.invalid", f"'{period}' is not a period; write it as YYYY-MM, e.g. 2026-10")]
    return []


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


# --- stages ------------------------------------------------------------------------------------

def check_folders(inputs_dir: Path, out_dir: Path, ledger_path: Path) -> list[Issue]:
    """Before anything is written: `--out` and the ledger's folder must be folders this user can
    write, and `--out` and `--inputs` must be apart (a close would read its own outputs, or
    publish into the inbox)."""
    ledger_path = Path(ledger_path)
    issues = check_folder(out_dir, "--out")
    if ledger_path.parent.resolve() != Path(out_dir).resolve():
        issues += check_folder(ledger_path.parent, "the ledger's folder")
    if ledger_path.is_file() and not os.access(ledger_path, os.R_OK | os.W_OK):
        issues.append(Issue(Source(str(ledger_path)), "env.permission",
                            f"the ledger {ledger_path} cannot be written by this user: give the user running "
                            "csbatch read and write access to it (and to its folder), or close as its owner"))
    inputs, out = Path(inputs_dir).resolve(), Path(out_dir).resolve()
    if out == inputs or out.is_relative_to(inputs):
        issues.append(Issue(Source(str(out_dir)), "close.out_in_inputs",
                            f"--out {out_dir} is inside --inputs {inputs_dir}: the published months and the "
                            "ledger would be mixed with the input files; give an --out folder outside the inputs"))
    elif inputs.is_relative_to(out):
        issues.append(Issue(Source(str(inputs_dir)), "close.inputs_in_out",
                            f"--inputs {inputs_dir} is inside --out {out_dir}: the input files would be mixed "
                            "with the published months; keep the inputs in a folder outside --out"))
    return issues


def stage_check_ledger(s: CloseState) -> tuple[CloseState, list[Issue]]:
    """Refuse early a month the ledger already holds, a ledger changed outside csbatch and folders
    the close cannot use, and finish what a crash interrupted."""
    issues = check_period(s.period)
    if issues:
        return s, issues
    path = s.ledger_path or default_ledger(s.out_dir)
    issues = check_folders(s.inputs_dir, s.out_dir, path)
    if issues:
        return s, issues
    ledger, issues = open_ledger_checked(path, "use the ledger")
    if ledger is None:
        return s, issues
    s = replace(s, ledger=ledger)
    try:
        issues = ledger.reconcile(s.out_dir, s.period) + ledger.check_open(s.period) + ledger.check_order(s.period)
    except (OSError, sqlite3.Error) as exc:
        issue = fault_issue(exc, s.out_dir, "finish the interrupted close")
        if issue is None:
            raise
        return s, [issue]
    if not any(i.is_error for i in issues) and s.target.exists():
        issues.append(Issue(Source(str(s.target)), "close.exists",
                            f"{s.target} already exists but the ledger {ledger.path} has no close of "
                            f"{s.period}: a published folder is never overwritten; move it away, or use the "
                            "ledger it was closed with (--ledger)"))
    return s, issues


def stage_load_policy(s: CloseState) -> tuple[CloseState, list[Issue]]:
    issues = check_period(s.period)
    if issues:
        return s, issues
    policy, found = load_policy(s.config_dir)
    return replace(s, policy=policy), found


def stage_load_policy_for_close(s: CloseState) -> tuple[CloseState, list[Issue]]:
    """The policy, and whether a commit holds it: uncommitted policy files are an error unless
    `--allow-dirty` (see `csbatch.policy.gitstate`); both are reported together."""
    s, issues = stage_load_policy(s)
    if check_period(s.period):
        return s, issues
    state = git_state(s.config_dir)
    shown = s.policy.display_root if s.policy is not None else display_root(s.config_dir)
    return replace(s, policy_git=state), issues + close_issues(state, shown, s.allow_dirty)


def stage_read_inputs(s: CloseState) -> tuple[CloseState, list[Issue]]:
    inputs, issues = read_inputs(s.policy, s.period, s.inputs_dir)
    return replace(s, inputs=inputs), issues


def stage_attendance(s: CloseState) -> tuple[CloseState, list[Issue]]:
    start, end = month_bounds(s.period)
    calendar, issues = WorkCalendar.build(s.policy.calendar, s.policy.schedule, {start.year})
    if calendar is None:
        return s, issues
    tracked = s.policy.worktime.attendance.tracked
    files = [r.path for r in s.inputs.records if r.kind == "attendance"]
    result = summarise_attendance(s.period, s.inputs["roster"], s.inputs["attendance"], s.inputs["leave"],
                                  calendar, s.policy.schedule, s.policy.leave.types, tracked)
    if tracked:
        issues = issues + check_presence(result, s.period, files)
    elif files:
        issues = issues + [Issue(Source(", ".join(files)), "attendance.not_tracked",
                                 "calendar.yaml says the department keeps no time clock (attendance: "
                                 "tracked: false): this attendance file is not read; everyone is present "
                                 "unless on leave", Severity.WARNING)]
    return replace(s, calendar=calendar, attendance=result), issues


def stage_audits(s: CloseState) -> tuple[CloseState, list[Issue]]:
    result, issues = score_audits(s.inputs["audits"], s.policy.questionnaire, s.period)
    return replace(s, audits=result), issues


def stage_measures(s: CloseState) -> tuple[CloseState, list[Issue]]:
    measured, issues = measure_all(s.period, s.policy, s.inputs, s.attendance, s.audits,
                                   explain_for=s.explain_for or None)
    return replace(s, measured=measured), issues


def stage_scorecards(s: CloseState) -> tuple[CloseState, list[Issue]]:
    scores, issues = score_cards(s.period, s.policy, s.measured, s.inputs, s.attendance, s.history)
    return replace(s, scores=scores), issues


def stage_payroll(s: CloseState) -> tuple[CloseState, list[Issue]]:
    result, issues = compute_payroll(s.period, s.policy, s.inputs, s.attendance, s.measured, s.scores, s.history)
    if result is not None and not any(i.is_error for i in issues):
        issues = issues + verify_payroll(result, s.policy)
    return replace(s, payroll=result), issues


def stage_vip(s: CloseState) -> tuple[CloseState, list[Issue]]:
    key = load_key(s.ledger.path if s.ledger is not None else None)
    result, issues = run_vip(s.period, s.policy, s.inputs, s.history.vip_history(), key)
    return replace(s, vip=result), issues


def stage_audit(s: CloseState) -> tuple[CloseState, list[Issue]]:
    report, issues = run_audit(s.period, s.policy, s.inputs, s.attendance, s.audits, s.calendar)
    report.trends = trend_rows(s.history.figures_history(s.period), s.period, report.figures)
    return replace(s, audit=report), issues


def trend_rows(earlier: pd.DataFrame, period: str, figures: dict) -> pd.DataFrame:
    """Earlier closed months' figures and this month's, one row per (period, figure)."""
    now = pd.DataFrame([(period, f, v) for f, v in sorted(figures.items())], columns=["period", "figure", "value"])
    return pd.concat([earlier, now], ignore_index=True) if len(earlier) else now


def write_outputs(s: CloseState, folder: Path) -> None:
    """Every file of the month, written into `folder` (the staging one)."""
    data = folder / "data"
    pay = s.payroll
    write_csv(data / "attendance.csv", ATTENDANCE, s.attendance.summary)
    write_csv(data / "scorecards.csv", SCORECARDS, scorecards_frame(s.scores))
    write_csv(data / "scorecard_items.csv", SCORECARD_ITEMS, items_frame(s.scores))
    write_csv(data / "audits.csv", audits_table(s.policy.questionnaire), s.audits.audits)
    write_csv(data / "payroll.csv", payroll_table(s.policy, pay.payroll.columns), pay.payroll)
    write_csv(data / "payroll_components.csv", PAYROLL_COMPONENTS, pay.components)
    write_csv(data / "order_splits.csv", ORDER_SPLITS, pay.order_splits)
    write_payroll_workbook(folder / f"payroll_bonus_{s.period}.xlsx", pay, s.attendance.summary, s.policy, s.lang)
    write_kpi_workbook(folder / f"kpi_scorecards_{s.period}.xlsx", s.scores, s.policy, s.lang)
    vip = s.vip
    write_csv(data / "vip_members.csv", VIP_MEMBERS, vip.members)
    write_csv(data / "vip_points.csv", VIP_POINTS, vip.points_out)
    write_csv(data / "vip_tasks.csv", VIP_TASKS, vip.tasks)
    write_csv(data / "vip_discount_audit.csv", VIP_DISCOUNT_AUDIT, vip.discount_audit)
    write_vip_workbook(folder / f"vip_statements_{s.period}.xlsx", vip, s.lang)
    render_statements(vip, folder, s.period)
    write_csv(data / "deadlines.csv", DEADLINES, s.audit.deadlines)
    write_csv(data / "complaints.csv", COMPLAINTS, s.audit.complaints)
    write_audit_workbook(folder / f"audit_report_{s.period}.xlsx", s.audit, s.policy, s.lang)
    write_audit_page(folder / f"audit_report_{s.period}.html", s.audit, s.policy, s.lang)


def _results(s: CloseState) -> pd.DataFrame:
    frame = scorecards_frame(s.scores)
    return frame[["employee_id", "scorecard", "total", "grade", "rank", "rated"]]


def stage_publish(s: CloseState, warnings: list[Issue]) -> tuple[CloseState, list[Issue]]:
    """Stage every file, commit the ledger, then rename the staging folder into place. The staging
    folder is locked while this runs (see `csbatch.ledger.staging`); a full disk or a folder
    that cannot be written is an error, before the commit with nothing published."""
    ledger = s.ledger
    staging = s.out_dir / staging_folders.name(s.period, s.close_id)
    committed = False
    lock = None
    found = None
    try:
        s.out_dir.mkdir(parents=True, exist_ok=True)
        staging.mkdir()
        lock = staging_folders.hold(staging)
        failpoint("close.computed")
        write_outputs(s, staging)
        lines = pd.DataFrame([(l.employee_id, l.component, l.amount, l.reason) for l in s.payroll.lines],
                             columns=["employee_id", "component", "amount", "reason"])
        found = changes(ledger.previous_pay(s.period), lines)
        manifest = build_manifest(
            period=s.period, started_at=s.started_at, finished_at=_now(), policy=s.policy, inputs=s.inputs,
            out_root=staging, warnings=[w for w in warnings if not w.is_error], git=s.policy_git,
            counts={"employees": int(len(s.attendance.summary)),
                    "scored": sum(len(c.members) for c in s.scores.cards.values()),
                    "audits": int(len(s.audits.audits)),
                    "pay_lines": len(s.payroll.lines),
                    "members": int(len(s.vip.members))},
            extra={"close_id": s.close_id, "ledger": str(ledger.path), "changes_since_previous_close": found})
        write_manifest(staging / "manifest.json", manifest)
        fsync_tree(staging)
        failpoint("close.files_written")
        try:
            ledger.record_close(NewClose(s.close_id, s.period, s.out_dir, staging, manifest, lines,
                                         s.payroll.order_pay, _results(s), s.vip, s.audit.figures))
        except AlreadyClosed as exc:
            return s, [Issue(Source(str(ledger.path)), "ledger.closed",
                             "another close finished first: " + ledger.already_closed_message(exc.record))]
        committed = True
        failpoint("close.after_commit")
        os.rename(staging, s.target)
        fsync_tree(s.out_dir, files=False)
        ledger.mark_published(s.close_id)
    except (OSError, sqlite3.Error) as exc:
        issue = fault_issue(exc, ledger.path if isinstance(exc, sqlite3.Error) else s.out_dir, "write the close")
        if issue is None and (committed or isinstance(exc, sqlite3.Error)):
            raise  # a bug; once committed, the next run's reconcile finishes publishing
        if issue is None:
            issue = Issue(Source(str(s.out_dir)), "close.write_failed", f"cannot write the close: {exc.strerror or exc}")
        after = ("the ledger holds the close: run the same close again to finish publishing it" if committed
                 else "nothing was published and the ledger is unchanged")
        return s, [replace(issue, message=f"{issue.message}; {after}")]
    finally:
        if lock is not None:
            staging_folders.release(lock)
        if not committed and staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return replace(s, published=s.target, changes=None if found is None else tuple(found)), []


#: The stages that compute (shared by the close and `explain`).
STAGES: list[Stage[CloseState]] = [
    Stage("load policy", stage_load_policy),
    Stage("read inputs", stage_read_inputs),
    Stage("attendance", stage_attendance),
    Stage("QA audits", stage_audits),
    Stage("measured values", stage_measures),
    Stage("scorecards", stage_scorecards),
    Stage("payroll", stage_payroll),
    Stage("VIP", stage_vip),
    Stage("audit", stage_audit),
]


def monthly_close(period: str, inputs_dir: Path, out_dir: Path, config_dir: Path | None = None,
                  ledger: Path | None = None, lang: str = "zh",
                  progress: Progress | None = None, allow_dirty: bool = False) -> Outcome[CloseState]:
    """Close `period`: compute everything, then commit it to the ledger and publish
    `out_dir/period`. `outcome.ok` is False (and nothing is written) when any stage found an error.
    `allow_dirty` lets a policy with uncommitted changes through, with a warning."""
    state = CloseState(period=period, inputs_dir=Path(inputs_dir), out_dir=Path(out_dir),
                       config_dir=resolve_config(config_dir), ledger_path=ledger, lang=lang,
                       allow_dirty=allow_dirty, started_at=_now())
    stages = [Stage("check ledger", stage_check_ledger), Stage("load policy", stage_load_policy_for_close),
              *(st for st in STAGES if st.run is not stage_load_policy)]
    ledger_path = Path(ledger) if ledger is not None else default_ledger(out_dir)
    footprint = Footprint([Path(out_dir), ledger_path.parent], ledger_path)
    outcome = run_stages(stages, state, progress)
    try:
        if not outcome.ok:
            if outcome.state.ledger is not None:
                outcome.state.ledger.close()
                outcome = replace(outcome, state=replace(outcome.state, ledger=None))
            footprint.forget()
            return outcome
        warnings = list(outcome.issues)
        final = run_stages([Stage("publish", lambda st: stage_publish(st, warnings))], outcome.state, progress)
        return Outcome(final.state, outcome.issues + final.issues, outcome.timings + final.timings)
    finally:
        if outcome.state.ledger is not None:
            outcome.state.ledger.close()


def run_until_written(period: str, inputs_dir: Path, config_dir: Path | None = None,
                      explain_for: frozenset[str] = frozenset()) -> Outcome[CloseState]:
    """Every computing stage of the close (what `csbatch explain` runs): the same numbers,
    nothing published, the ledger untouched."""
    state = CloseState(period=period, inputs_dir=Path(inputs_dir), out_dir=Path("."),
                       config_dir=resolve_config(config_dir), started_at=_now(), explain_for=explain_for)
    return run_stages(STAGES, state)


def reopen(period: str, reason: str, ledger_path: Path,
           out_dir: Path | None = None) -> tuple[dict | None, list[Issue]]:
    """Supersede the month's close so it can be closed again; record who, why and when, and move
    its folder aside (under `out_dir` when given: refused when the ledger says the month was
    published elsewhere)."""
    issues = check_period(period)
    if not reason.strip():
        issues.append(Issue(None, "reopen.reason", "give the reason for reopening (--reason)"))
    if issues:
        return None, issues
    if not Path(ledger_path).exists():
        return None, [Issue(Source(str(ledger_path)), "ledger.missing", "no ledger here: nothing was ever closed with it")]
    ledger, issues = open_ledger_checked(Path(ledger_path), "reopen the month")
    if ledger is None:
        return None, issues
    try:
        try:
            record = ledger.live_close(period)
            if record is not None:
                folder = ledger.folder_under(record, out_dir)
                issues = check_folder(folder.parent, "the month's folder") if folder.exists() else []
                if issues:
                    return None, issues
            record, moved = ledger.reopen(period, reason.strip(), out_dir)
        except LookupError:
            return None, [Issue(Source(str(ledger_path)), "reopen.not_closed", f"{period} is not closed in this ledger")]
        except OrderError as exc:
            return None, [Issue(Source(str(ledger_path)), "reopen.order",
                                f"{exc.args[0]} is closed after {period}: reopen {exc.args[0]} first")]
        except PublishedElsewhere as exc:
            return None, [Issue(Source(str(exc.out_dir)), "reopen.elsewhere",
                                f"the ledger says {period} was published in {exc.record.folder}, and "
                                f"{Path(exc.out_dir) / period} does not hold that close: give --out "
                                f"{exc.record.out_dir}, or move the folder back there first")]
        except (OSError, sqlite3.Error) as exc:
            issue = fault_issue(exc, ledger_path, "reopen the month")
            if issue is None:
                raise
            return None, [issue]
        return {"period": period, "close_id": record.close_id, "moved_to": moved, "closed_at": record.closed_at}, []
    finally:
        ledger.close()


def verify_ledger(ledger_path: Path) -> tuple[dict | None, list[Issue]]:
    """What `csbatch ledger verify` does: check every close and history import of the ledger
    against the digests recorded with them; every difference is an error naming table and month."""
    path = Path(ledger_path)
    if not path.exists():
        return None, [Issue(Source(str(path)), "ledger.missing", "no ledger here: nothing was ever closed with it")]
    ledger, issues = open_ledger_unchecked(path, "read the ledger")
    if ledger is None:
        return None, issues
    try:
        issues, checked = ledger.verify()
        closes, live = ledger.conn.execute("SELECT COUNT(*), TOTAL(superseded = 0) FROM closes").fetchone()
        imports = ledger.conn.execute("SELECT COUNT(*) FROM vip_imports").fetchone()[0]
        return {"path": path, "closes": closes, "live": int(live), "imports": imports, "digests": checked}, issues
    finally:
        ledger.close()


def check_inputs(period: str, inputs_dir: Path, config_dir: Path | None = None) -> tuple[Inputs | None, list[Issue]]:
    """What `csbatch inputs check` does: load the policy and read the month's inputs."""
    issues = check_period(period)
    if issues:
        return None, issues
    policy, found = load_policy(resolve_config(config_dir))
    if policy is None:
        return None, found
    inputs, more = read_inputs(policy, period, Path(inputs_dir))
    return inputs, found + more
