"""`monthly_close`: the month's pipeline — load policy → read inputs → attendance → QA audits →
measured values → scorecards → write.

Everything is computed in memory first; the write stage builds the month's folder under a hidden
temporary name inside `--out` and renames it into place only when every file is written, so a
failed close leaves no `OUT/PERIOD` behind. Later stages (scorecards, pay, VIP, audits) join
`STAGES` between attendance and write.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from csbatch.attendance import AttendanceResult, summarise_attendance
from csbatch.calendar import WorkCalendar, month_bounds
from csbatch.errors import Issue, Source
from csbatch.manifest import build_manifest, write_manifest
from csbatch.pipeline import Outcome, Progress, Stage, run_stages
from csbatch.policy import Policy, load_policy
from csbatch.reports.csvout import write_csv
from csbatch.reports.kpi_workbook import write_kpi_workbook
from csbatch.reports.tables import ATTENDANCE, SCORECARD_ITEMS, SCORECARDS, audits_table
from csbatch.scoring.cards import ScoreResult, items_frame, score_cards, scorecards_frame
from csbatch.scoring.measures import Measured, measure_all
from csbatch.scoring.questionnaire import AuditResult, score_audits
from csbatch.reports.workbook import Workbook
from csbatch.resources import resolve_config
from csbatch.sheets.intake import Inputs, read_inputs

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class CloseState:
    period: str
    inputs_dir: Path
    out_dir: Path
    config_dir: Path
    ledger: Path | None = None
    lang: str = "zh"
    started_at: str = ""
    policy: Policy | None = None
    inputs: Inputs | None = None
    calendar: WorkCalendar | None = None
    attendance: AttendanceResult | None = None
    audits: AuditResult | None = None
    measured: Measured | None = None
    scores: ScoreResult | None = None
    explain_for: frozenset[str] = frozenset()
    published: Path | None = None

    @property
    def target(self) -> Path:
        return self.out_dir / self.period


def check_period(period: str) -> list[Issue]:
    if not _PERIOD.match(period):
        return [Issue(None, "period.invalid", f"'{period}' is not a period; write it as YYYY-MM, e.g. 2026-10")]
    return []


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


# --- stages ------------------------------------------------------------------------------------

def stage_check_target(s: CloseState) -> tuple[CloseState, list[Issue]]:
    if s.target.exists():
        return s, [Issue(Source(str(s.target)), "close.exists",
                         f"{s.target} already exists: a published close is never overwritten; "
                         "move it away or choose another --out")]
    return s, []


def stage_load_policy(s: CloseState) -> tuple[CloseState, list[Issue]]:
    issues = check_period(s.period)
    if issues:
        return s, issues
    policy, found = load_policy(s.config_dir)
    return replace(s, policy=policy), found


def stage_read_inputs(s: CloseState) -> tuple[CloseState, list[Issue]]:
    inputs, issues = read_inputs(s.policy, s.period, s.inputs_dir)
    return replace(s, inputs=inputs), issues


def stage_attendance(s: CloseState) -> tuple[CloseState, list[Issue]]:
    start, end = month_bounds(s.period)
    calendar, issues = WorkCalendar.build(s.policy.calendar, s.policy.schedule, {start.year})
    if calendar is None:
        return s, issues
    result = summarise_attendance(s.period, s.inputs["roster"], s.inputs["attendance"], s.inputs["leave"],
                                  calendar, s.policy.schedule, s.policy.leave.types)
    return replace(s, calendar=calendar, attendance=result), issues


def stage_audits(s: CloseState) -> tuple[CloseState, list[Issue]]:
    result, issues = score_audits(s.inputs["audits"], s.policy.questionnaire, s.period)
    return replace(s, audits=result), issues


def stage_measures(s: CloseState) -> tuple[CloseState, list[Issue]]:
    measured, issues = measure_all(s.period, s.policy, s.inputs, s.attendance, s.audits,
                                   explain_for=s.explain_for or None)
    return replace(s, measured=measured), issues


def stage_scorecards(s: CloseState) -> tuple[CloseState, list[Issue]]:
    scores, issues = score_cards(s.period, s.policy, s.measured, s.inputs, s.attendance)
    return replace(s, scores=scores), issues


def write_outputs(s: CloseState, folder: Path) -> None:
    """Every file of the month, written into `folder` (the temporary one)."""
    data = folder / "data"
    write_csv(data / "attendance.csv", ATTENDANCE, s.attendance.summary)
    write_csv(data / "scorecards.csv", SCORECARDS, scorecards_frame(s.scores))
    write_csv(data / "scorecard_items.csv", SCORECARD_ITEMS, items_frame(s.scores))
    write_csv(data / "audits.csv", audits_table(s.policy.questionnaire), s.audits.audits)
    book = Workbook(folder / f"payroll_bonus_{s.period}.xlsx")
    book.add_table_sheet(ATTENDANCE, s.attendance.summary, s.lang)
    book.close()
    write_kpi_workbook(folder / f"kpi_scorecards_{s.period}.xlsx", s.scores, s.policy, s.lang)


def stage_write(s: CloseState, warnings: list[Issue] | None = None) -> tuple[CloseState, list[Issue]]:
    s.out_dir.mkdir(parents=True, exist_ok=True)
    temp = s.out_dir / f".{s.period}.partial-{os.getpid()}"
    if temp.exists():
        shutil.rmtree(temp)
    temp.mkdir()
    try:
        write_outputs(s, temp)
        manifest = build_manifest(
            period=s.period, started_at=s.started_at, finished_at=_now(), policy=s.policy,
            inputs=s.inputs, out_root=temp,
            counts={"employees": int(len(s.attendance.summary)),
                    "scored": sum(len(c.members) for c in s.scores.cards.values()),
                    "audits": int(len(s.audits.audits))},
            warnings=[w for w in (warnings or []) if not w.is_error])
        write_manifest(temp / "manifest.json", manifest)
        if s.target.exists():
            return s, [Issue(Source(str(s.target)), "close.exists",
                             f"{s.target} appeared while closing; nothing was published")]
        os.rename(temp, s.target)
    except OSError as exc:
        return s, [Issue(Source(str(s.out_dir)), "close.write_failed",
                         f"cannot write the close: {exc.strerror or exc}; nothing was published")]
    finally:
        if temp.exists():
            shutil.rmtree(temp, ignore_errors=True)
    return replace(s, published=s.target), []


STAGES: list[Stage[CloseState]] = [
    Stage("load policy", stage_load_policy),
    Stage("read inputs", stage_read_inputs),
    Stage("attendance", stage_attendance),
    Stage("QA audits", stage_audits),
    Stage("measured values", stage_measures),
    Stage("scorecards", stage_scorecards),
]


def monthly_close(period: str, inputs_dir: Path, out_dir: Path, config_dir: Path | None = None,
                  ledger: Path | None = None, lang: str = "zh",
                  progress: Progress | None = None) -> Outcome[CloseState]:
    """Close `period`: compute everything, then publish `out_dir/period` atomically. Returns the
    outcome; `outcome.ok` is False (and nothing is written) when any stage found an error."""
    state = CloseState(period=period, inputs_dir=Path(inputs_dir), out_dir=Path(out_dir),
                       config_dir=resolve_config(config_dir), ledger=ledger, lang=lang,
                       started_at=_now())
    outcome = run_stages([Stage("check output", stage_check_target)] + STAGES, state, progress)
    if not outcome.ok:
        return outcome
    warnings = list(outcome.issues)
    write = Stage("write", lambda st: stage_write(st, warnings))
    final = run_stages([write], outcome.state, progress)
    return Outcome(final.state, outcome.issues + final.issues, outcome.timings + final.timings)


def run_until_written(period: str, inputs_dir: Path, config_dir: Path | None = None,
                      explain_for: frozenset[str] = frozenset()) -> Outcome[CloseState]:
    """Every stage of the close except writing (what `csbatch explain` runs): the same numbers,
    nothing published."""
    state = CloseState(period=period, inputs_dir=Path(inputs_dir), out_dir=Path("."),
                       config_dir=resolve_config(config_dir), started_at=_now(), explain_for=explain_for)
    return run_stages(STAGES, state)


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
