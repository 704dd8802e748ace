"""The stage runner keeps the cyclic garbage collector from walking a big month's objects over
and over (issue 14): thresholds raised while stages run, restored afterwards, even on failure."""

from __future__ import annotations

import gc

import pytest

from csbatch.closing.runner import BATCH_THRESHOLDS, Stage, run_stages


def test_stages_run_with_raised_thresholds_and_restore_them():
    before = gc.get_threshold()
    seen: list[tuple[int, int, int]] = []

    def stage(state: int):
        seen.append(gc.get_threshold())
        return state + 1, []

    outcome = run_stages([Stage("one", stage), Stage("two", stage)], 0)
    assert outcome.state == 2
    assert seen == [BATCH_THRESHOLDS, BATCH_THRESHOLDS]
    assert BATCH_THRESHOLDS[0] > before[0]
    assert gc.get_threshold() == before


def test_thresholds_restored_when_a_stage_raises():
    before = gc.get_threshold()

    def broken(state: int):
        raise RuntimeError("bug")

    with pytest.raises(RuntimeError):
        run_stages([Stage("broken", broken)], 0)
    assert gc.get_threshold() == before


def test_cycles_are_still_collected_while_stages_run():
    def stage(state: int):
        class Node:
            pass
        for _ in range(200_000):      # twice the raised young threshold
            a, b = Node(), Node()
            a.other, b.other = b, a
        return state, []

    gc.collect()
    counts = gc.get_stats()[0]["collections"]
    run_stages([Stage("cycles", stage)], 0)
    assert gc.get_stats()[0]["collections"] > counts
