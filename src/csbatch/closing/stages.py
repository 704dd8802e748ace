"""The close's stages, in order, each `(CloseState) -> (CloseState, issues)`:

    check ledger → load policy → read inputs → attendance → QA audits → measured values →
    scorecards → payroll → VIP → audit → publish

Everything is computed in memory first; publishing (`csbatch.closing.publish`) then follows the
ledger's protocol, so a failure before the ledger's commit — bad input, a crash, a full disk,
kill -9 — leaves the ledger as it was and no `OUT/PERIOD`. Two admins closing at once serialise
on the ledger's write lock: one wins, the other is told the month is already closed. The
entry points that run these stages are in `csbatch.closing.runs`.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import replace
from decimal import Decimal
from functools import partial
from pathlib import Path

import pandas as pd

from csbatch.attendance import ShiftSchedule, check_presence, summarise_attendance
from csbatch.audit.run import judge_deadlines, run_audit
from csbatch.calendar import WorkCalendar, check_period, month_bounds
from csbatch.closing.policy_choice import choose_policy
from csbatch.closing.publish import room_for_a_child
from csbatch.closing.runner import Early, Stage
from csbatch.closing.state import CloseState, need
from csbatch.environment import check_folder, fault_issue
from csbatch.errors import Issue, Source
from csbatch.forked import Ahead, ahead, fork_helps
from csbatch.i18n import N_
from csbatch.ledger.db import ledger_file, open_reader
from csbatch.ledger.keycheck import checked_key, key_problems
from csbatch.ledger.opening import open_ledger_checked
from csbatch.ledger.store import default_ledger
from csbatch.ledger.vip_reads import LedgerPurchases
from csbatch.memory import private, resident
from csbatch.payroll.compute import compute_payroll
from csbatch.policy import load_policy
from csbatch.qa.questionnaire import score_audits
from csbatch.reports.payroll_workbook import verify_payroll
from csbatch.scoring.cards import score_cards
from csbatch.scoring.measures import measure_all
from csbatch.sheets.intake import read_inputs
from csbatch.vip.identity import load_key
from csbatch.vip.model import VipHistory, VipResult
from csbatch.vip.programme import run_vip, vip_people

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
        issues.append(Issue.of(Source(str(ledger_path)), "env.permission",
                               N_("the ledger {ledger} cannot be written by this user: give the user running "
                                  "csbatch read and write access to it (and to its folder), or close as its owner"),
                               ledger=ledger_path))
    inputs, out = Path(inputs_dir).resolve(), Path(out_dir).resolve()
    if out == inputs or out.is_relative_to(inputs):
        issues.append(Issue.of(Source(str(out_dir)), "close.out_in_inputs",
                               N_("--out {out} is inside --inputs {inputs}: the published months and the ledger "
                                  "would be mixed with the input files; give an --out folder outside the inputs"),
                               out=out_dir, inputs=inputs_dir))
    elif inputs.is_relative_to(out):
        issues.append(Issue.of(Source(str(inputs_dir)), "close.inputs_in_out",
                               N_("--inputs {inputs} is inside --out {out}: the input files would be mixed with "
                                  "the published months; keep the inputs in a folder outside --out"),
                               out=out_dir, inputs=inputs_dir))
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
        if not any(i.is_error for i in issues):
            issues += key_problems(ledger.path, ledger.conn)
    except (OSError, sqlite3.Error) as exc:
        issue = fault_issue(exc, s.out_dir, "finish the interrupted close")
        if issue is None:
            raise
        return s, [issue]
    if not any(i.is_error for i in issues) and s.target.exists():
        issues.append(Issue.of(Source(str(s.target)), "close.exists",
                               N_("{target} already exists but the ledger {ledger} has no close of {period}: a "
                                  "published folder is never overwritten; move it away, or use the ledger it was "
                                  "closed with (--ledger)"), target=s.target, ledger=ledger.path, period=s.period))
    return s, issues


def stage_load_policy(s: CloseState) -> tuple[CloseState, list[Issue]]:
    issues = check_period(s.period)
    if issues:
        return s, issues
    policy, found = load_policy(s.config_dir)
    return replace(s, policy=policy), found


def stage_load_policy_for_close(s: CloseState) -> tuple[CloseState, list[Issue]]:
    """The policy, and whether a commit holds it: uncommitted policy files are an error unless
    `--allow-dirty` (see `csbatch.policy.gitstate`); both are reported together. A re-close uses
    the revision the month was closed with, `--policy-rev` another (`csbatch.closing.policy_choice`)."""
    issues = check_period(s.period)
    if issues:
        return s, issues
    chosen, issues = choose_policy(s.period, s.config_dir, need(s.ledger, "ledger"), s.policy_rev, s.allow_dirty,
                                   need(s.scratch, "scratch"))
    return replace(s, policy=chosen.policy, policy_git=chosen.git, policy_note=chosen.note,
                   policy_previous=chosen.previous, policy_before=chosen.before), issues


def stage_read_inputs(s: CloseState) -> tuple[CloseState, list[Issue]]:
    inputs, issues = read_inputs(need(s.policy, "policy"), s.period, s.inputs_dir, s.read_progress)
    return replace(s, inputs=inputs), issues


def stage_attendance(s: CloseState) -> tuple[CloseState, list[Issue]]:
    policy, inputs = need(s.policy, "policy"), need(s.inputs, "inputs")
    start, _end = month_bounds(s.period)
    calendar, issues = WorkCalendar.build(policy.calendar, policy.schedule, {start.year})
    if calendar is None:
        return s, issues
    tracked = policy.worktime.attendance.tracked
    files = [r.path for r in inputs.records if r.kind == "attendance"]
    rota = inputs["shifts"]
    shifts = ShiftSchedule(rota, policy.worktime.shifts.types) if not rota.empty else None
    result = summarise_attendance(s.period, inputs["roster"], inputs["attendance"], inputs["leave"],
                                  calendar, policy.schedule, policy.leave.types, tracked, shifts)
    if tracked:
        issues = issues + check_presence(result, s.period, files)
    elif files:
        issues = issues + [Issue.warn(Source(", ".join(files)), "attendance.not_tracked",
                                      N_("calendar.yaml says the department keeps no time clock (attendance: "
                                         "tracked: false): this attendance file is not read; everyone is present "
                                         "unless on leave"))]
    return replace(s, calendar=calendar, attendance=result), issues


def stage_audits(s: CloseState) -> tuple[CloseState, list[Issue]]:
    result, issues = score_audits(need(s.inputs, "inputs")["audits"], need(s.policy, "policy").questionnaire, s.period)
    return replace(s, audits=result), issues


def stage_measures(s: CloseState) -> tuple[CloseState, list[Issue]]:
    inputs = need(s.inputs, "inputs")
    who = s.explain_for
    if s.sources_for_all:   # each employee's statement lists the rows behind their values
        who = who | frozenset(str(e) for e in inputs["roster"]["employee_id"])
    policy, attendance = need(s.policy, "policy"), need(s.attendance, "attendance")
    # the duty measures ([001] call log, service orders) count the audit's own deadline outcomes:
    # judged once here, because scoring comes before the audit stage, which reports their problems
    judged = judge_deadlines(s.period, policy, inputs, attendance, need(s.calendar, "calendar"))
    measured, issues = measure_all(s.period, policy, inputs, attendance, need(s.audits, "audits"),
                                   explain_for=who or None, deadlines=judged.outcomes)
    return replace(s, measured=measured, deadlines=judged), issues


def stage_scorecards(s: CloseState) -> tuple[CloseState, list[Issue]]:
    scores, issues = score_cards(s.period, need(s.policy, "policy"), need(s.measured, "measured"),
                                 need(s.inputs, "inputs"), need(s.attendance, "attendance"), s.history)
    return replace(s, scores=scores), issues


def stage_payroll(s: CloseState) -> tuple[CloseState, list[Issue]]:
    policy = need(s.policy, "policy")
    result, issues = compute_payroll(s.period, policy, need(s.inputs, "inputs"), need(s.attendance, "attendance"),
                                     need(s.measured, "measured"), need(s.scores, "scores"), s.history)
    if not any(i.is_error for i in issues):
        issues = issues + verify_payroll(result, policy)
    return replace(s, payroll=result), issues


def _vip_key(s: CloseState) -> tuple[bytes | None, list[Issue]]:
    """The key that matches VIP members across months: the ledger's, once `key_problems` finds
    it is the one its closes were made with (`checked_key`: what-if, explain and reproduce compute
    on a ledger without a check-ledger stage); a run without a ledger gets a key of its own."""
    if s.ledger is None:
        return load_key(None), []
    key, problems = checked_key(s.ledger.path, s.ledger.conn)
    if problems:
        return None, problems
    return key if key is not None else load_key(s.ledger.path), []   # a new ledger's key, made now


def stage_vip(s: CloseState, history: VipHistory | None = None) -> tuple[CloseState, list[Issue]]:
    """The VIP stage here, at its turn; `history`: the ledger's VIP history when read already
    (`begin_vip` read it to decide whether a child fits), else read now."""
    key, problems = _vip_key(s)
    if key is None:
        return s, problems
    history = s.history.vip_history() if history is None else history
    result, issues = run_vip(s.period, need(s.policy, "policy"), need(s.inputs, "inputs"), history, key)
    return replace(s, vip=result), issues


#: The share of this process's resident memory the VIP stage's child makes its own: what it
#: allocates, and the pages its allocations and reference counts write to (measured 0.53 at 300k
#: orders, 0.58-0.61 at 1M, after the read and its memory handed back). The child is made only
#: while both fit under the close's memory limit (`room_for_a_child`), with `VIP_CHILD_PER_CARD`.
VIP_CHILD_SHARE = 0.65

#: What the VIP stage's child and this process need beyond `VIP_CHILD_SHARE` for each card the
#: ledger holds (bytes): the members' statements, next month's greetings and care reminders and
#: the earlier orders they read grow with the cards, not with this process's memory. Measured
#: with a year of history at a million orders (90,827 cards held): the child's 915 MiB as it
#: ended and the close's 1,151 MiB then were 730 MiB more than the close's 810 MiB as it asked
#: × (1 + `VIP_CHILD_SHARE`), 8.2 KiB a card; rounded up. A few thousand cards need a few MiB.
VIP_CHILD_PER_CARD = 10 * 1024


class _AtItsTurn:
    """A stage begun early only in name: it runs at its turn, in this process."""

    def __init__(self, run: Callable[[CloseState], tuple[CloseState, list[Issue]]]):
        self.run = run

    def finish(self, state: CloseState) -> tuple[CloseState, list[Issue]]:
        return self.run(state)

    def cancel(self) -> None:
        """Nothing was begun."""


class _VipAhead:
    """The VIP stage computed in a forked child (`csbatch.forked.ahead`), taken back at its turn.
    The child says what memory it holds of its own at its end (None when the work ran here);
    with this process's resident memory as the result is waited for, that is about the most the
    two held together (`CloseState.held_together`, for the writer's fork: `room_for_a_child`)."""

    def __init__(self, pending: Ahead[tuple[tuple[VipResult, list[Issue]], int | None]]):
        self.pending = pending

    def finish(self, state: CloseState) -> tuple[CloseState, list[Issue]]:
        here = resident()
        (vip, issues), held = self.pending.result()
        together = here + held if here is not None and held is not None else 0
        return replace(state, vip=vip, held_together=max(state.held_together, together)), issues

    def cancel(self) -> None:
        self.pending.cancel()


def begin_vip(s: CloseState) -> Early[CloseState]:
    """Begin the VIP stage as soon as the inputs are read: it reads only the policy, the inputs
    and the ledger's history, so a forked child computes it on the second core while this process
    computes attendance to payroll on the first (at a million orders, 4-6 s of the close's 30-40;
    docs/decisions.md). The child reads the ledger's purchases through a read-only connection of
    its own and hands back its result and issues, pickled, at the stage's turn: the same values
    and issues in the same place as `stage_vip` here. With one core, without the memory for a
    child (`room_for_a_child`: the share of this process's memory, and `VIP_CHILD_PER_CARD` for
    each card the ledger holds), or when the key or the history cannot be read now, the stage
    runs at its turn, as before (and meets there whatever went wrong). A year of history at a
    million orders (90k cards) ran so: a child and this process together went past the limit
    (2,054-2,089 MiB), where the stage at its turn, and the files then written in one process,
    stay under 1.8 GiB (docs/decisions.md)."""
    if not fork_helps():
        return _AtItsTurn(stage_vip)
    try:
        key, _ = _vip_key(s)
        if key is None:   # refused at the stage's turn
            return _AtItsTurn(stage_vip)
        history = s.history.vip_history()
        if not room_for_a_child(VIP_CHILD_SHARE, extra=len(history.cards) * VIP_CHILD_PER_CARD):
            return _AtItsTurn(partial(stage_vip, history=history))   # the history read once
        earlier = history.earlier
        reread = ledger_file(earlier.conn) if isinstance(earlier, LedgerPurchases) else None
        if reread == "":   # a ledger in memory: no file for the child to open
            return _AtItsTurn(stage_vip)
        period, policy, inputs = s.period, need(s.policy, "policy"), need(s.inputs, "inputs")
        # the people made here, before the fork: made in the child, their few hundred thousand
        # small objects landed in the free slots of this process's pages, each slot copying a
        # page (+400 MiB of the child's own memory at 1M, against +36 MiB here, for 1 s here)
        people = vip_people(inputs, key)
    except Exception:  # met again at the stage's turn, where it always was
        return _AtItsTurn(stage_vip)

    def vip(apart: bool) -> tuple[tuple[VipResult, list[Issue]], int | None]:
        if apart and reread and isinstance(earlier, LedgerPurchases):
            history.earlier = LedgerPurchases(open_reader(reread), earlier.until)
        found = run_vip(period, policy, inputs, history, key, people)
        return found, private() if apart else None

    return _VipAhead(ahead(vip))


def stage_audit(s: CloseState) -> tuple[CloseState, list[Issue]]:
    report, issues = run_audit(s.period, need(s.policy, "policy"), need(s.inputs, "inputs"),
                               need(s.attendance, "attendance"), need(s.audits, "audits"), need(s.calendar, "calendar"),
                               s.deadlines)
    report.trends = trend_rows(s.history.figures_history(s.period), s.period, report.figures)
    return replace(s, audit=report), issues


def trend_rows(earlier: pd.DataFrame, period: str, figures: Mapping[str, Decimal | None]) -> pd.DataFrame:
    """Earlier closed months' figures and this month's, one row per (period, figure)."""
    now = pd.DataFrame([(period, f, v) for f, v in sorted(figures.items())], columns=["period", "figure", "value"])
    return pd.concat([earlier, now], ignore_index=True) if len(earlier) else now



#: The stages that compute (shared by the close and `explain`).
STAGES: list[Stage[CloseState]] = [
    Stage("load policy", stage_load_policy),
    Stage("read inputs", stage_read_inputs),
    Stage("attendance", stage_attendance),
    Stage("QA audits", stage_audits),
    Stage("measured values", stage_measures),
    Stage("scorecards", stage_scorecards),
    Stage("payroll", stage_payroll),
    Stage("VIP", stage_vip, begin=begin_vip, after="read inputs"),
    Stage("audit", stage_audit),
]
