"""`make bench` (scripts/bench.py) at a tiny size: it runs, two months on one ledger, and prints
every stage of the close, the reads and the ratios. No timing is asserted: speed is measured by
the script, never by a test."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT
from csbatch.closing.stages import STAGES, stage_load_policy

# The rows, in order: the close's stages as `monthly_close` runs them, its total, the two reads.
ROWS = ["check ledger", "load policy", *(st.name for st in STAGES if st.run is not stage_load_policy), "publish",
        "close (total)", "fastexcel read, all sheets as strings", "pandas + openpyxl read of the sales files"]


@pytest.mark.skipif(importlib.util.find_spec("fastexcel") is None,
                    reason="fastexcel (the `bench` extra) is not installed")
def test_bench_prints_every_stage_and_the_ratios_for_each_month():
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench.py"), "--employees", "20", "--orders", "300",
                           "--rounds", "1", "--months", "2", "--with-pandas"],
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert re.search(r"^machine: nproc \d+, .+", out, re.M)
    tables = re.split(r"^(?=20\d\d-\d\d: )", out, flags=re.M)[1:]
    assert [t[:7] for t in tables] == ["2026-10", "2026-11"]
    for table in tables:
        rows = re.findall(r"^(\S.*?) +\d+\.\d\d +\d+% +\d+ MiB$", table, re.M)
        assert rows == ROWS, table
        assert re.search(r"^close ÷ fastexcel read: \d+\.\d\d  \(limit 1\.5\)$", table, re.M)
        assert re.search(r"^pandas ÷ close: \d+\.\d\d  \(wanted ≥ 10\)$", table, re.M)
        assert re.search(r"^ledger after the close: \d+\.\d MiB$", table, re.M)
    assert re.search(r"^close ÷ first month's close: \d+\.\d\d ", tables[1], re.M)
