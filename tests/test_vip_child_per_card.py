"""Issue 14 (stop 39): the VIP stage's child is forked only while the close's memory, the child's
share of it and what the child needs for each card the ledger holds (`VIP_CHILD_PER_CARD`) fit
the limit. With a year of history at a million orders (90k cards) the child and the close
together went past it; the stage then runs at its turn, reading the history once."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from csbatch.closing import publish, stages
from csbatch.closing.history import HistoryBefore
from csbatch.closing.runs import monthly_close, run_until_written
from csbatch.closing.stages import _AtItsTurn, _VipAhead, begin_vip, stage_vip
from csbatch.forked import fork_helps
from csbatch.ledger import Ledger
from csbatch.memory import resident

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "2026-10"
CONFIG = ROOT / "config"
MIB = 2 ** 20

linux = pytest.mark.skipif(resident() is None, reason="resident memory is read from Linux's /proc")
needs_fork = pytest.mark.skipif(not fork_helps(), reason="the VIP child is forked only with os.fork and two cores")


@pytest.fixture(scope="module")
def holding_cards(tmp_path_factory) -> Ledger:
    """A ledger that closed the sample month: it holds the cards October issued."""
    folder = tmp_path_factory.mktemp("cards")
    outcome = monthly_close("2026-10", SAMPLES, folder / "out", CONFIG, ledger=folder / "ledger.sqlite")
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    return Ledger(folder / "ledger.sqlite")


def _with_cards(ledger: Ledger):
    """The sample month read, its VIP history what a close of the month after would find in the
    ledger: the cards October issued (the samples hold one month only)."""
    state = run_until_written("2026-10", SAMPLES, CONFIG, through="read inputs").state
    return replace(state, ledger=ledger, history_of=HistoryBefore(ledger, "2026-11"))


def _limit_with_room(spare: int) -> int:
    """A limit `spare` bytes above this process's memory and the VIP child's share of it."""
    here = resident()
    assert here is not None
    return int(here * (1 + stages.VIP_CHILD_SHARE)) + spare


@linux
@needs_fork
def test_the_cards_a_ledger_holds_leave_vip_at_its_turn_when_their_room_does_not_fit(holding_cards, monkeypatch):
    state = _with_cards(holding_cards)
    cards = len(state.history.vip_history().cards)
    assert cards > 0
    monkeypatch.setattr(publish, "MEMORY_LIMIT", _limit_with_room(256 * MIB))
    monkeypatch.setattr(stages, "VIP_CHILD_PER_CARD", 512 * MIB // cards + 1)   # 512 MiB for the cards
    early = begin_vip(state)
    assert isinstance(early, _AtItsTurn)
    here, here_issues = early.finish(state)
    want, want_issues = stage_vip(state)
    assert here.vip is not None and want.vip is not None and len(want.vip.members) > 0
    for name in ("members", "cards", "points", "tasks", "discount_audit"):
        assert getattr(here.vip, name).equals(getattr(want.vip, name)), name
    assert [(i.code, str(i)) for i in here_issues] == [(i.code, str(i)) for i in want_issues]


@linux
@needs_fork
def test_the_same_close_forks_the_child_when_its_cards_need_no_room(holding_cards, monkeypatch):
    state = _with_cards(holding_cards)
    monkeypatch.setattr(publish, "MEMORY_LIMIT", _limit_with_room(256 * MIB))
    monkeypatch.setattr(stages, "VIP_CHILD_PER_CARD", 0)
    early = begin_vip(state)
    try:
        assert isinstance(early, _VipAhead) and early.pending.forked
    finally:
        early.cancel()


@linux
def test_room_for_a_child_counts_what_its_work_needs_beside_the_share(monkeypatch):
    here = resident()
    assert here is not None
    monkeypatch.setattr(publish, "MEMORY_LIMIT", int(here * 1.4) + 100 * MIB)
    assert publish.room_for_a_child(0.4, extra=50 * MIB)
    assert not publish.room_for_a_child(0.4, extra=200 * MIB)
    assert publish.room_for_a_child(0.4, reached=int(here * 1.4) + 300 * MIB, extra=200 * MIB)


def test_a_few_thousand_cards_ask_for_a_few_mib():
    """The per-card room is what a large ledger needs (90k cards: ~0.9 GiB), not a toll on every close."""
    assert 3_000 * stages.VIP_CHILD_PER_CARD < 64 * MIB
    assert 90_000 * stages.VIP_CHILD_PER_CARD > 600 * MIB


@linux
@needs_fork
def test_at_its_turn_the_stage_uses_the_history_it_read_to_decide(holding_cards, monkeypatch):
    """`begin_vip` read the ledger's cards to know the room they need: the stage at its turn does
    not read them again (90k cards and their purchases' reader, at a million orders)."""
    state = _with_cards(holding_cards)
    reads: list[str] = []
    real = HistoryBefore.vip_history

    def counted(self: HistoryBefore):
        reads.append(self.period)
        return real(self)

    monkeypatch.setattr(HistoryBefore, "vip_history", counted)
    monkeypatch.setattr(publish, "MEMORY_LIMIT", _limit_with_room(256 * MIB))
    monkeypatch.setattr(stages, "VIP_CHILD_PER_CARD", 512 * MIB)
    early = begin_vip(state)
    assert isinstance(early, _AtItsTurn)
    done, _ = early.finish(state)
    assert done.vip is not None and len(done.vip.cards) > 0
    assert reads == ["2026-11"]
