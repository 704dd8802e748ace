"""Between two stages what the first kept is frozen (`gc.freeze`), so the collections of later
stages do not walk the month's frames and records again; when the stages end, nothing stays
frozen (a later collection may free it)."""

from __future__ import annotations

import gc

import pytest

from csbatch.closing.runner import Stage, run_stages


def test_a_later_stage_finds_what_earlier_ones_kept_frozen_and_nothing_stays_frozen_after():
    seen: dict[str, int] = {}

    def making(state: list) -> tuple[list, list]:
        seen["during"] = gc.get_freeze_count()
        return [*state, [{"n": i} for i in range(5_000)]], []

    def looking(state: list) -> tuple[list, list]:
        seen["after"] = gc.get_freeze_count()
        return state, []

    outcome = run_stages([Stage("making", making), Stage("looking", looking)], [])
    assert outcome.ok
    assert seen["after"] >= seen["during"] + 5_000      # the 5,000 dicts and their list, frozen
    assert gc.get_freeze_count() == 0


def test_nothing_stays_frozen_after_a_stage_that_fails():
    def failing(state: list) -> tuple[list, list]:
        raise RuntimeError("a bug in a stage")

    with pytest.raises(RuntimeError, match="a bug in a stage"):
        run_stages([Stage("first", lambda s: (s, [])), Stage("failing", failing)], [])
    assert gc.get_freeze_count() == 0
