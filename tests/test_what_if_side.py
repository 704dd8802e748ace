"""what-if keeps of each recomputed month only what it compares (`whatif.Side`): holding both
sides whole (inputs, per-order pay, attendance, audit) took a million-order month past 2 GiB."""

from __future__ import annotations

import gc
import weakref
from dataclasses import fields

import pandas as pd

from conftest import CONFIG, SAMPLES
from csbatch.closing import whatif
from csbatch.closing.state import CloseState


def test_a_recomputed_side_holds_what_the_comparison_reads_and_frees_the_rest(monkeypatch):
    made: list[weakref.ref] = []
    computed = CloseState.computed

    def watched(self):
        c = computed(self)
        made.append(weakref.ref(c.inputs["sales"]))    # a frame the comparison never reads
        return c

    monkeypatch.setattr(CloseState, "computed", watched)
    side, issues = whatif.recompute("2026-10", SAMPLES / "2026-10", CONFIG, None)
    assert side is not None and not any(i.is_error for i in issues)
    assert [f.name for f in fields(side)] == ["policy", "payroll", "scores", "members"]
    assert isinstance(side.payroll, pd.DataFrame) and "gross_pay" in side.payroll.columns
    gc.collect()
    assert made and made[0]() is None      # the month's inputs are gone once the side is made
