"""Publishing a computed close (the ledger's protocol, see `csbatch.ledger.store`): every file is
written into a staging folder inside `--out`, the internal checks run, the ledger commits the
close in one transaction, and only then is the staging folder renamed to `OUT/PERIOD`. A failure
before the commit leaves the ledger as it was and no `OUT/PERIOD`; a crash right after the commit
is finished by the next run."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pandas as pd

from csbatch.audit.deadline_checks import by_person
from csbatch.blanks import is_blank
from csbatch.closing.card_explanation import explain_card
from csbatch.closing.manifest import build_manifest, fsync_tree, write_manifest
from csbatch.closing.pay_explanation import explain_pay
from csbatch.closing.policy_choice import policy_changes
from csbatch.closing.state import CloseState, Computed, need
from csbatch.closing.state import now as _now
from csbatch.environment import fault_issue
from csbatch.errors import Issue, Source
from csbatch.failpoints import failpoint
from csbatch.forked import shared
from csbatch.i18n import N_
from csbatch.ledger import staging as staging_folders
from csbatch.ledger.blobs import ChangedWhileRead
from csbatch.ledger.kept import keep_inputs, keep_policy
from csbatch.ledger.store import AlreadyClosed, NewClose, changes
from csbatch.memory import give_back, resident
from csbatch.payroll.changes import PayChanges
from csbatch.payroll.changes import describe as describe_changes
from csbatch.reports.audit_page import write_audit_page
from csbatch.reports.audit_workbook import write_audit_workbook
from csbatch.reports.csvout import write_csv
from csbatch.reports.kpi_workbook import write_kpi_workbook
from csbatch.reports.payroll_workbook import write_payroll_workbook
from csbatch.reports.staff_statements import StaffPage, attendance_by_employee, render_pages
from csbatch.reports.tables import (
    ATTENDANCE,
    COMPLAINTS,
    DEADLINES,
    ORDER_SPLITS,
    PAYROLL_COMPONENTS,
    SCORECARD_ITEMS,
    SCORECARDS,
    VIP_DISCOUNT_AUDIT,
    VIP_MEMBER_CHANGES,
    VIP_MEMBERS,
    VIP_POINTS,
    VIP_TASKS,
    audits_table,
    payroll_table,
)
from csbatch.reports.vip_statements import render_statements
from csbatch.reports.vip_workbook import write_vip_workbook
from csbatch.scoring.cards import ScoreResult, items_frame, scorecards_frame

#: The close's memory limit (issue 14: 2 GB at a million orders), and the share of this process's
#: resident memory the forked child (`write_outputs`) copies (the pages it touches: measured
#: 0.18 at 100k orders, 0.30 at 300k, growing with the month). The child is made only while
#: both fit under the limit.
MEMORY_LIMIT = 2 * 1024 ** 3
CHILD_SHARE = 0.4


def write_outputs(s: CloseState, folder: Path, changed: PayChanges | None = None, fork: bool | None = None,
                  rows: Callable[[], None] | None = None) -> None:
    """Every file of the month, written into `folder` (the staging one); `changed`, a re-close's
    pay changes, gives the payroll workbook its 变更明细 sheet; `rows`, the ledger's rows of the
    close, inserted by this process meanwhile (`Ledger.recording`). The writers are pure Python,
    one core each (`csbatch.forked.shared`): a forked child writes the staff pages while this
    process inserts the rows, then each takes the next of the other files (`_jobs`) until none is
    left, so the two finish about together at any size. With one core, without room for the child
    (`room_for_a_child`) or with `fork=False`, one after the other. The files are the same either
    way."""
    if fork is None and not room_for_a_child(reached=s.held_together):
        fork = False
    shared(_then_give_back(rows or _nothing), _then_give_back(lambda: write_staff_pages(s, folder)),
           [_then_give_back(job) for job in _jobs(s, folder, changed)], fork)


def _then_give_back(work: Callable[[], object]) -> Callable[[], None]:
    """`work`, then the memory it freed handed back (`csbatch.memory`): the two processes run
    together, so what one holds after a job counts while the other works."""
    def run() -> None:
        work()
        give_back()
    return run


def _nothing() -> None:
    """No ledger rows to insert (a close written without its ledger: `reproduce`, tests)."""


def room_for_a_child(share: float = CHILD_SHARE, reached: int = 0, extra: int = 0) -> bool:
    """Whether this process's resident memory, a forked child's `share` of it (the writer's by
    default) and `extra` bytes more (what the child's work needs whatever this process holds:
    the VIP stage's per card) fit `MEMORY_LIMIT`, or `reached` (bytes) when that is more: what
    the close already held with a child (`CloseState.held_together`). A close whose VIP stage's
    child took the two past the limit writes its files in two processes again, without asking
    the machine for more than it already gave (docs/decisions.md)."""
    held = resident()
    if held is None:
        return False
    return held * (1 + share) + extra <= max(MEMORY_LIMIT, reached)


def write_staff_pages(s: CloseState, folder: Path) -> None:
    """Each employee's page (`folder/staff/`): the forked child's own first job, the longest."""
    c = s.computed()
    render_pages(staff_pages(s), folder, s.period, s.lang, c.policy.company.shown)


def _data_jobs(s: CloseState, folder: Path) -> list[Callable[[], None]]:
    """The month's `data/*.csv` (the contract files), as two jobs: the pay ones and the VIP and
    audit ones."""
    data = folder / "data"
    c = s.computed()
    pay, vip = c.payroll, c.vip

    def csvs_pay() -> None:
        write_csv(data / "attendance.csv", ATTENDANCE, c.attendance.summary)
        write_csv(data / "scorecards.csv", SCORECARDS, scorecards_frame(c.scores))
        write_csv(data / "scorecard_items.csv", SCORECARD_ITEMS, items_frame(c.scores))
        write_csv(data / "audits.csv", audits_table(c.policy.questionnaire), c.audits.audits)
        write_csv(data / "payroll.csv", payroll_table(c.policy, pay.payroll.columns), pay.payroll)
        write_csv(data / "payroll_components.csv", PAYROLL_COMPONENTS, pay.components)
        write_csv(data / "order_splits.csv", ORDER_SPLITS, pay.order_splits)

    def csvs_vip_audit() -> None:
        write_csv(data / "vip_members.csv", VIP_MEMBERS, vip.members)
        write_csv(data / "vip_points.csv", VIP_POINTS, vip.points_out)
        write_csv(data / "vip_tasks.csv", VIP_TASKS, vip.tasks)
        write_csv(data / "vip_member_changes.csv", VIP_MEMBER_CHANGES, vip.member_changes)
        write_csv(data / "vip_discount_audit.csv", VIP_DISCOUNT_AUDIT, vip.discount_audit)
        write_csv(data / "deadlines.csv", DEADLINES, c.audit.deadlines)
        write_csv(data / "complaints.csv", COMPLAINTS, c.audit.complaints)

    return [csvs_pay, csvs_vip_audit]


def write_data_files(s: CloseState, folder: Path) -> None:
    """Only the month's `data/*.csv`, as the close writes them (`reproduce` compares their hashes;
    the workbooks and pages are renderings of the same data)."""
    for job in _data_jobs(s, folder):
        job()


def _jobs(s: CloseState, folder: Path, changed: PayChanges | None) -> list[Callable[[], object]]:
    """Every file of the month but the staff pages, as jobs for `shared`: the longest first (at a
    million orders: the audit page and workbook, the payroll workbook, the scorecards workbook,
    the VIP statements and workbook, then the CSVs)."""
    c = s.computed()
    pay, vip = c.payroll, c.vip
    people = by_person(c.audit.deadlines)          # the audit workbook's sheet and the page's table
    return [
        lambda: write_audit_page(folder / f"audit_report_{s.period}.html", c.audit, c.policy, s.lang, people),
        lambda: write_audit_workbook(folder / f"audit_report_{s.period}.xlsx", c.audit, c.policy, s.lang, people),
        lambda: write_payroll_workbook(folder / f"payroll_bonus_{s.period}.xlsx", pay, c.attendance.summary, c.policy,
                                       s.lang, changed, period=s.period),
        lambda: write_kpi_workbook(folder / f"kpi_scorecards_{s.period}.xlsx", c.scores, c.policy, s.lang,
                                   period=s.period),
        lambda: render_statements(vip, folder, s.period, s.lang, c.policy.company.shown),
        lambda: write_vip_workbook(folder / f"vip_statements_{s.period}.xlsx", vip, s.lang,
                                   company=c.policy.company.shown, period=s.period),
        *_data_jobs(s, folder),
    ]


def staff_pages(s: CloseState) -> list[StaffPage]:
    """One page per employee on the month's payroll, built from `explain`'s own explanations of
    the close's computed results (not a second computation)."""
    c = s.computed()
    attendance = attendance_by_employee(c.attendance.summary)
    pages = []
    # the three columns read (the payroll's twenty-odd boxed for every row cost 0.06 s at 1M orders)
    for row in c.payroll.payroll[["employee_id", "name", "role"]].to_dict("records"):
        eid = str(row["employee_id"])
        card, _ = explain_card(s, eid, s.lang)  # no scorecard (a manager): attendance and pay only
        pay, _ = explain_pay(s, eid, s.lang)
        _, score = c.scores.member(eid)
        role = row["role"]
        role_name = c.policy.roles[role].name if role in c.policy.roles else str(role)
        team = card.team if card is not None else None
        pages.append(StaffPage(eid, str(row["name"]), role_name, team,
                               attendance.get(eid), card, None if score is None else score.total, pay))
    return pages


def results_frame(scores: ScoreResult) -> pd.DataFrame:
    """Each employee's results as the ledger records them."""
    frame = scorecards_frame(scores)
    return frame[["employee_id", "scorecard", "total", "grade", "rank", "rated"]]


def review_figures(c: Computed) -> dict[str, dict[str, str | None]]:
    """What `csbatch review` reads of each scored employee besides the ledger's results: name,
    role, team and counted sales (as exact Decimal text), kept in the manifest the ledger records."""
    frame = scorecards_frame(c.scores)
    sales = c.measured.values["counted_sales"] if "counted_sales" in c.measured.values.columns else None
    figures: dict[str, dict[str, str | None]] = {}
    for row in frame.itertuples(index=False):
        eid = str(row.employee_id)
        value = sales.get(eid) if sales is not None else None
        figures[eid] = {"name": str(row.name), "role": str(row.role),
                        "team": None if is_blank(row.team) else str(row.team),
                        "counted_sales": None if is_blank(value) else str(value)}
    return figures


def pay_lines_frame(c: Computed) -> pd.DataFrame:
    """The month's pay lines as the ledger records them."""
    return pd.DataFrame([(l.employee_id, l.component, l.amount, l.reason) for l in c.payroll.lines],
                        columns=["employee_id", "component", "amount", "reason"])


def stage_publish(s: CloseState, warnings: list[Issue]) -> tuple[CloseState, list[Issue]]:
    """Stage every file, commit the ledger, then rename the staging folder into place. The staging
    folder is locked while this runs (see `csbatch.ledger.staging`); a full disk or a folder
    that cannot be written is an error, before the commit with nothing published."""
    ledger = need(s.ledger, "ledger")
    c = s.computed()
    staging = s.out_dir / staging_folders.name(s.period, s.close_id)
    committed = False
    lock = None
    found = changed = None
    try:
        s.out_dir.mkdir(parents=True, exist_ok=True)
        staging.mkdir()
        lock = staging_folders.hold(staging)
        failpoint("close.computed")
        lines = pay_lines_frame(c)
        found = changes(ledger.previous_pay(s.period), lines)
        if found is not None:
            changed = describe_changes(found, c.payroll.payroll, c.policy, ledger.last_reopening(s.period))
        began = NewClose(s.close_id, s.period, s.out_dir, staging, {}, lines, c.payroll.order_pay,
                         results_frame(c.scores), c.vip, c.audit.figures)
        try:
            with ledger.recording(began) as recording:   # the write lock, held until the commit
                write_outputs(s, staging, changed, rows=recording.write_rows)
                try:
                    kept_inputs = keep_inputs(ledger.path, s.inputs_dir, c.inputs.records)
                    kept_policy, revision = keep_policy(ledger.path, c.policy, s.policy_git)
                    previous = s.policy_previous if s.policy_previous != revision else None
                    policy_changed = policy_changes(s.policy_before, c.policy) if previous else None
                except ChangedWhileRead as exc:   # leaving without `finish`: nothing is recorded
                    return s, [Issue.of(Source(exc.name), "close.changed_while_read",
                                        N_("{name} changed while the close ran: the close keeps the exact files it "
                                           "read, and this one is no longer that file; nothing was published, "
                                           "close again"), name=exc.name)]
                manifest = build_manifest(
                    period=s.period, started_at=s.started_at, finished_at=_now(), policy=c.policy, inputs=c.inputs,
                    out_root=staging, warnings=[w for w in warnings if not w.is_error], git=s.policy_git,
                    counts={"employees": len(c.attendance.summary),
                            "scored": sum(len(card.members) for card in c.scores.cards.values()),
                            "audits": len(c.audits.audits),
                            "pay_lines": len(c.payroll.lines),
                            "members": len(c.vip.members)},
                    extra={"close_id": s.close_id, "ledger": str(ledger.path), "changes_since_previous_close": found,
                           "review": review_figures(c),
                           **({"policy_change": {"from": previous, "to": revision,
                                                 "changes": None if policy_changed is None else list(policy_changed)}}
                              if previous else {})},
                    kept={k.name: k.stored for k in kept_inputs}, policy_revision=revision)
                write_manifest(staging / "manifest.json", manifest)
                fsync_tree(staging)
                failpoint("close.files_written")
                recording.finish(replace(began, manifest=manifest, kept=(*kept_inputs, *kept_policy),
                                         policy_revision=revision, policy_previous=previous,
                                         policy_changes=policy_changed))
        except AlreadyClosed as exc:
            return s, [ledger.already_closed(exc.record, N_("another close finished first: {period} is already closed "
                                                        "(by {by} at {at}, published in {folder}). To close it "
                                                        "again, reopen it first: csbatch reopen {period} --reason "
                                                        "\"…\" --ledger {ledger}"))]
        committed = True
        failpoint("close.after_commit")
        os.rename(staging, s.target)
        fsync_tree(s.out_dir, files=False)
        ledger.mark_published(s.close_id)
    except (OSError, sqlite3.Error) as exc:
        issue = fault_issue(exc, ledger.path if isinstance(exc, sqlite3.Error) else s.out_dir, "write the close")
        if issue is None:
            if committed or not isinstance(exc, OSError):
                raise  # a bug; once committed, the next run's reconcile finishes publishing
            issue = Issue.of(Source(str(s.out_dir)), "close.write_failed", N_("cannot write the close: {why}"),
                             why=exc.strerror or exc)
        after = (N_("{problem}; the ledger holds the close: run the same close again to finish publishing it")
                 if committed else N_("{problem}; nothing was published and the ledger is unchanged"))
        return s, [Issue.of(issue.source, issue.code, after, problem=issue.as_said())]
    finally:
        if lock is not None:
            staging_folders.release(lock)
        if not committed and staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return replace(s, published=s.target, changes=None if found is None else tuple(found), pay_changes=changed,
                   policy_previous=previous, policy_changes=policy_changed), []

