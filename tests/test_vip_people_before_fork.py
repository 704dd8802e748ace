"""The close makes the VIP stage's people (`vip_people`) before it forks the stage's child, which
is handed them made (issue 14): made in the child, their few hundred thousand small objects
landed in the free slots of the close's pages, copying a page each (+400 MiB of the child's own
memory at a million orders, against +36 MiB in the close, for about a second of its time). The
child's result is the stage's, computed here (`test_vip_ahead_round17`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from csbatch.closing.runs import run_until_written
from csbatch.closing.stages import _VipAhead, begin_vip, stage_vip
from csbatch.forked import fork_helps
from csbatch.vip import programme

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(not fork_helps(), reason="the VIP stage forks only with os.fork and two cores or more")
def test_the_people_are_made_before_the_vip_child_is_forked(tmp_path, monkeypatch):
    made_in = tmp_path / "made-in"
    real = programme.build_people

    def noted(*args, **kwargs):
        with made_in.open("a", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(programme, "build_people", noted)
    state = run_until_written("2026-10", ROOT / "samples" / "2026-10", ROOT / "config", through="read inputs").state
    early = begin_vip(state)
    assert isinstance(early, _VipAhead) and early.pending.forked
    got, _ = early.finish(state)
    assert made_in.read_text(encoding="utf-8").split() == [str(os.getpid())]     # here, once, not in the child
    want, _ = stage_vip(state)
    assert got.vip.members.equals(want.vip.members) and repr(got.vip.statements) == repr(want.vip.statements)
