"""The close's entry points, what the commands call: `monthly_close` (every stage, then publish),
`run_until_written` (the computing stages only: `explain`) and `check_inputs` (policy and inputs
only: `inputs check`)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Protocol

from csbatch.calendar import check_period
from csbatch.closing.history import HistoryBefore
from csbatch.closing.publish import stage_publish
from csbatch.closing.runner import Outcome, Progress, Stage, run_stages
from csbatch.closing.stages import STAGES, stage_check_ledger, stage_load_policy, stage_load_policy_for_close
from csbatch.closing.state import CloseState
from csbatch.closing.state import now as _now
from csbatch.environment import Footprint
from csbatch.errors import Issue
from csbatch.ledger.store import Ledger, default_ledger
from csbatch.policy import load_policy
from csbatch.resources import resolve_config
from csbatch.scratch import scratch_folder
from csbatch.sheets.intake import Inputs, ReadProgress, read_inputs


class CloseProgress(Progress, ReadProgress, Protocol):
    """A close's progress: each stage, and each input file as the inputs are read."""


def monthly_close(period: str, inputs_dir: Path, out_dir: Path, config_dir: Path | None = None,
                  ledger: Path | None = None, lang: str = "zh",
                  progress: CloseProgress | None = None, allow_dirty: bool = False,
                  policy_rev: str | None = None) -> Outcome[CloseState]:
    """Close `period`: compute everything, then commit it to the ledger and publish
    `out_dir/period`. `outcome.ok` is False (and nothing is written) when any stage found an error.
    `allow_dirty` lets a policy with uncommitted changes through, with a warning; `policy_rev`
    chooses the policy's git revision (a re-close uses the one the month was closed with)."""
    with scratch_folder("close") as scratch:
        state = CloseState(period=period, inputs_dir=Path(inputs_dir), out_dir=Path(out_dir),
                           config_dir=resolve_config(config_dir), ledger_path=ledger, lang=lang,
                           allow_dirty=allow_dirty, started_at=_now(), policy_rev=policy_rev, scratch=Path(scratch),
                           read_progress=progress, sources_for_all=True)
        return _close(state, progress)


def _close(state: CloseState, progress: Progress | None) -> Outcome[CloseState]:
    out_dir, ledger = state.out_dir, state.ledger_path
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
                      explain_for: frozenset[str] = frozenset(), history_of: Ledger | None = None,
                      through: str | None = None) -> Outcome[CloseState]:
    """Every computing stage of the close (what `csbatch explain` runs): the same numbers,
    nothing published, the ledger untouched. With `history_of`, the month is computed with that
    ledger's history as its close saw it (`HistoryBefore`) and its VIP key (a closed month
    recomputed: `reproduce`). `through` names the last stage to run (`explain`: payroll)."""
    stages = STAGES
    if through is not None:
        stages = STAGES[:[st.name for st in STAGES].index(through) + 1]
    state = CloseState(period=period, inputs_dir=Path(inputs_dir), out_dir=Path("."),
                       config_dir=resolve_config(config_dir), started_at=_now(), explain_for=explain_for,
                       ledger=history_of,
                       history_of=HistoryBefore(history_of, period) if history_of is not None else None)
    return run_stages(stages, state)



def check_inputs(period: str, inputs_dir: Path, config_dir: Path | None = None,
                 progress: ReadProgress | None = None) -> tuple[Inputs | None, list[Issue]]:
    """What `csbatch inputs check` does: load the policy and read the month's inputs (each file
    told to `progress` as it is read)."""
    issues = check_period(period)
    if issues:
        return None, issues
    policy, found = load_policy(resolve_config(config_dir))
    if policy is None:
        return None, found
    inputs, more = read_inputs(policy, period, Path(inputs_dir), progress)
    return inputs, found + more

