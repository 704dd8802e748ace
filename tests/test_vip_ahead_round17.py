"""Round 17 (issue 14): the VIP stage begun in a forked child as soon as the inputs are read, while
this process computes attendance to payroll (`csbatch.forked.ahead`, `Stage.begin`,
`csbatch.closing.stages.begin_vip`). What it hands back at its turn is what the stage computes
here; a child that dies has its work done again here; a failed earlier stage stops it; the
child reads the ledger through a read-only connection of its own and changes nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from csbatch.closing.runner import Stage, run_stages
from csbatch.closing.runs import run_until_written
from csbatch.closing.stages import STAGES, _AtItsTurn, _VipAhead, begin_vip, stage_vip
from csbatch.errors import Issue, Source
from csbatch.forked import ChildTraceback, ahead, fork_helps
from csbatch.ledger import Ledger
from csbatch.ledger.db import ledger_file, open_reader
from csbatch.vip.model import PURCHASE_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "2026-10"
CONFIG = ROOT / "config"

needs_fork = pytest.mark.skipif(not fork_helps(), reason="ahead forks only with os.fork and two cores or more")


# --- ahead ------------------------------------------------------------------------------------

@needs_fork
def test_ahead_runs_the_work_in_a_child_and_hands_back_its_result():
    pending = ahead(lambda apart: (apart, os.getpid(), Decimal("1.10"), pd.DataFrame({"a": [Decimal("0.00")]})))
    assert pending.forked
    apart, pid, money, frame = pending.result()
    assert apart is True and pid != os.getpid()
    assert str(money) == "1.10" and str(frame["a"][0]) == "0.00"
    assert not pending.forked


def test_without_a_fork_the_work_is_done_when_its_result_is_asked_for():
    done: list[bool] = []
    pending = ahead(lambda apart: done.append(apart) or "here", fork=False)
    assert not pending.forked and done == []
    assert pending.result() == "here" and done == [False]


@needs_fork
def test_what_the_child_raises_is_raised_here_with_its_traceback():
    def work(apart: bool) -> None:
        raise KeyError("no such card")

    with pytest.raises(KeyError) as raised:
        ahead(work).result()
    assert isinstance(raised.value.__cause__, ChildTraceback)
    assert "no such card" in str(raised.value.__cause__)


@needs_fork
def test_a_child_killed_before_it_said_anything_has_its_work_done_here():
    def work(apart: bool) -> tuple[bool, int]:
        if apart:
            os.kill(os.getpid(), signal.SIGKILL)
        return apart, os.getpid()

    assert ahead(work).result() == (False, os.getpid())


@needs_fork
def test_cancel_stops_the_child_and_waits_for_it(tmp_path):
    marker = tmp_path / "finished"

    def work(apart: bool) -> None:
        signal.pause()   # until killed
        marker.write_text("done")

    pending = ahead(work)
    pid = pending._pid
    assert pid is not None
    pending.cancel()
    with pytest.raises(ChildProcessError):   # already waited for: no zombie left
        os.waitpid(pid, os.WNOHANG)
    assert not marker.exists() and not pending.forked
    pending.cancel()   # twice is nothing


# --- the runner -------------------------------------------------------------------------------

class _Begun:
    def __init__(self, log: list[str], value: int):
        self.log, self.value = log, value

    def finish(self, state: list[int]) -> tuple[list[int], list[Issue]]:
        self.log.append("finish")
        return state + [self.value], []

    def cancel(self) -> None:
        self.log.append("cancel")


def _stages(log: list[str], fail_at: str | None) -> list[Stage[list[int]]]:
    def step(name: str):
        def run(state: list[int]) -> tuple[list[int], list[Issue]]:
            log.append(name)
            bad = [Issue.of(Source("x"), "test.bad", "bad")] if name == fail_at else []
            return state + [len(name)], bad
        return run

    def begin(state: list[int]) -> _Begun:
        log.append(f"begin after {state}")
        return _Begun(log, 99)

    return [Stage("a", step("a")), Stage("bb", step("bb")), Stage("ccc", step("ccc")),
            Stage("late", step("late"), begin=begin, after="a")]


def test_a_stage_begun_early_is_begun_after_the_stage_it_needs_and_finished_at_its_turn():
    log: list[str] = []
    outcome = run_stages(_stages(log, None), [])
    assert log == ["a", "begin after [1]", "bb", "ccc", "finish"]
    assert outcome.state == [1, 2, 3, 99]
    assert [t.name for t in outcome.timings] == ["a", "bb", "ccc", "late"]


def test_a_failed_stage_cancels_what_was_begun_early():
    log: list[str] = []
    outcome = run_stages(_stages(log, "bb"), [])
    assert not outcome.ok
    assert log == ["a", "begin after [1]", "bb", "cancel"]


def test_a_stage_that_fails_first_begins_nothing():
    log: list[str] = []
    run_stages(_stages(log, "a"), [])
    assert log == ["a"]


def test_without_the_stage_it_needs_a_stage_runs_at_its_turn():
    log: list[str] = []
    outcome = run_stages(_stages(log, None)[1:], [])
    assert log == ["bb", "ccc", "late"]
    assert outcome.state == [2, 3, 4]


def test_the_close_begins_vip_after_reading_the_inputs():
    vip = next(st for st in STAGES if st.name == "VIP")
    assert vip.begin is begin_vip and vip.after == "read inputs" and vip.run is stage_vip


# --- the VIP stage in a child -------------------------------------------------------------------

def _exact(frame: pd.DataFrame) -> tuple:
    """A frame as its columns, dtypes and each value's type and text (a Decimal's digits too)."""
    return (list(frame.columns), [str(t) for t in frame.dtypes], list(frame.index),
            [[(type(v).__name__, str(v)) for v in row] for row in frame.itertuples(index=False)])


def _same_vip(got, want) -> None:
    for name in ("purchases", "cards", "points", "members", "points_out", "tasks", "discount_audit",
                 "member_changes"):
        assert _exact(getattr(got, name)) == _exact(getattr(want, name)), name
    assert repr(got.statements) == repr(want.statements)


def _ledger_with_september(tmp_path: Path) -> Ledger:
    """A ledger holding September purchases of the sample month's VIP customers (as a history
    import), so October's trailing spend reads earlier purchases from it."""
    state = run_until_written("2026-10", SAMPLES, CONFIG, through="read inputs").state
    sales = state.inputs["sales"]  # type: ignore[index]
    shops = sales[sales["store_type"].notna() & sales["customer_id"].notna()].head(40)
    assert len(shops) > 10
    frame = pd.DataFrame({"period": "2026-09", "customer_id": shops["customer_id"].astype(str).tolist(),
                          "store_type": shops["store_type"].tolist(), "category": "regular",
                          "order_id": [f"SEP-{i}" for i in range(len(shops))],
                          "order_date": pd.Timestamp("2026-09-15"),
                          "amount": [Decimal("1234.50")] * len(shops)}, columns=PURCHASE_COLUMNS)
    ledger = Ledger(tmp_path / "l.sqlite")
    ledger.import_purchases("2026-09", "sep.xlsx", "9" * 64, frame)
    return ledger


@needs_fork
def test_vip_from_the_child_is_the_stage_computed_here(tmp_path):
    ledger = _ledger_with_september(tmp_path)
    before = ledger.conn.execute("SELECT count(*) FROM vip_purchases").fetchone()
    state = run_until_written("2026-10", SAMPLES, CONFIG, history_of=ledger, through="read inputs").state
    early = begin_vip(state)
    assert isinstance(early, _VipAhead) and early.pending.forked
    got_state, got_issues = early.finish(state)
    want_state, want_issues = stage_vip(state)
    assert len(want_state.vip.purchases) > 0 and len(want_state.vip.cards) > 0
    _same_vip(got_state.vip, want_state.vip)
    assert [(i.code, str(i)) for i in got_issues] == [(i.code, str(i)) for i in want_issues]
    assert ledger.conn.execute("SELECT count(*) FROM vip_purchases").fetchone() == before


@needs_fork
def test_the_september_history_reaches_the_child(tmp_path):
    """The child's spend includes what the ledger holds: without September, October's cards differ."""
    ledger = _ledger_with_september(tmp_path)
    with_history = run_until_written("2026-10", SAMPLES, CONFIG, history_of=ledger, through="read inputs").state
    without = run_until_written("2026-10", SAMPLES, CONFIG, through="read inputs").state
    got, _ = begin_vip(with_history).finish(with_history)
    bare, _ = stage_vip(without)
    assert _exact(got.vip.cards) != _exact(bare.vip.cards) or _exact(got.vip.members) != _exact(bare.vip.members)


def test_without_room_for_a_child_vip_runs_at_its_turn(monkeypatch):
    from csbatch.closing import publish
    monkeypatch.setattr(publish, "MEMORY_LIMIT", 1)
    state = run_until_written("2026-10", SAMPLES, CONFIG, through="read inputs").state
    assert isinstance(begin_vip(state), _AtItsTurn)


def test_the_vip_child_needs_more_room_than_the_writer(monkeypatch):
    """The VIP child makes ~0.6 of this process's memory its own (the writer: 0.4): a limit the
    writer's child fits under but the VIP child does not leaves VIP at its turn."""
    import os as _os

    from csbatch.closing import publish, stages
    state = run_until_written("2026-10", SAMPLES, CONFIG, through="read inputs").state
    resident = int(Path("/proc/self/statm").read_text().split()[1]) * _os.sysconf("SC_PAGE_SIZE")
    monkeypatch.setattr(publish, "MEMORY_LIMIT", int(resident * (1 + (publish.CHILD_SHARE + stages.VIP_CHILD_SHARE) / 2)))
    assert publish.room_for_a_child()
    assert isinstance(begin_vip(state), _AtItsTurn)


def test_a_reader_connection_reads_and_cannot_write(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite")
    path = ledger_file(ledger.conn)
    assert Path(path) == (tmp_path / "l.sqlite").resolve()
    reader = open_reader(path)
    assert reader.execute("SELECT count(*) FROM vip_purchases").fetchone() == (0,)
    reader.execute("CREATE TEMP TABLE t (x)")   # the reads' TEMP tables still work
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader.execute("DELETE FROM vip_purchases")
    reader.close()



@needs_fork
def test_a_wait_interrupted_leaves_the_child_to_cancel():
    """Ctrl-C while the close waits for the child: the runner's `cancel` still kills and reaps it."""
    class Interrupted(Exception):
        pass

    def interrupt(signum, frame):
        raise Interrupted

    pending = ahead(lambda apart: signal.pause())
    pid = pending._pid
    assert pid is not None
    before = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        with pytest.raises(Interrupted):
            pending.result()
        signal.setitimer(signal.ITIMER_REAL, 0)
        assert pending.forked
        pending.cancel()
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)
        try:   # never leave the pausing child behind, whatever failed above
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
