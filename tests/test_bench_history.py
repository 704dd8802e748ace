"""`make bench` with `--history N` (scripts/bench.py): N generated months of VIP purchases imported
one month at a time before the first close, so the bench shows a close on a year of history
(issue 14: cost flat in the months the ledger holds). A generated month's sales also report the
refund of an order of the month before; the bench imports each month's own orders only, else
`vip import-history` refuses the second month. No timing is asserted."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.mark.skipif(importlib.util.find_spec("fastexcel") is None,
                    reason="fastexcel (the `bench` extra) is not installed")
def test_bench_imports_the_months_before_and_closes_on_them():
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench.py"), "--employees", "20", "--orders", "300",
                           "--rounds", "1", "--months", "2", "--history", "2"],
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    imported = re.findall(r"^imported \S+ of (\d{4}-\d\d): [\d,]+ purchases \((\d{4}-\d\d)\)", out, re.M)
    assert imported == [("2026-08", "2026-08"), ("2026-09", "2026-09")]
    assert re.search(r"^closing 2026-10 on 2 month\(s\) of VIP history$", out, re.M)
    assert re.search(r"^closing 2026-11 on the ledger the month before left$", out, re.M)
    assert re.search(r"^close ÷ first month's close: \d+\.\d\d  \(history: the ledger holds 3 month\(s\) before "
                     r"this one\)$", out, re.M)
