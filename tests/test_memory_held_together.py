"""A close forks its writer only while the two fit the memory limit, or what the close already
held with its VIP stage's child when that was more (`CloseState.held_together`): with a year of
VIP history the VIP child takes the two past the limit anyway, and publishing in one process
then took twice as long for a peak no higher (docs/decisions.md, issue 14)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from csbatch import memory
from csbatch.closing import publish
from csbatch.closing.runs import run_until_written
from csbatch.closing.stages import _VipAhead, begin_vip, stage_vip
from csbatch.forked import ahead, fork_helps

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "2026-10"
CONFIG = ROOT / "config"

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="memory is read from Linux's /proc")
needs_fork = pytest.mark.skipif(not fork_helps(), reason="ahead forks only with os.fork and two cores or more")

_KEPT: list[bytearray] = []


def _holding(mib: int):
    def work(apart: bool):
        _KEPT.append(bytearray(b"x" * (mib * 2**20)))    # written: the child's own pages
        return memory.private()
    return work


@linux
def test_a_forked_child_says_the_memory_that_is_its_own():
    own = ahead(_holding(64), fork=True).result()
    assert own is not None and 64 * 2**20 <= own < 64 * 2**20 + memory.resident()


@linux
def test_past_the_limit_a_child_is_made_only_up_to_what_was_held(monkeypatch):
    monkeypatch.setattr(publish, "MEMORY_LIMIT", 1)
    here = memory.resident()
    assert here is not None
    assert not publish.room_for_a_child(0.4)
    assert publish.room_for_a_child(0.4, reached=int(here * 1.5))
    assert not publish.room_for_a_child(0.4, reached=int(here * 1.3))
    monkeypatch.setattr(publish, "MEMORY_LIMIT", int(here * 1.5))
    assert publish.room_for_a_child(0.4, reached=int(here * 1.1))     # the limit, when it is more


@linux
@needs_fork
def test_the_vip_child_and_the_close_held_together_is_kept_in_the_state():
    state = run_until_written("2026-10", SAMPLES, CONFIG, through="read inputs").state
    assert state.held_together == 0
    early = begin_vip(state)
    assert isinstance(early, _VipAhead) and early.pending.forked
    here = memory.resident()
    got, _ = early.finish(state)
    assert here is not None and here < got.held_together < 2 * here
    computed_here, _ = stage_vip(state)
    assert computed_here.held_together == 0
