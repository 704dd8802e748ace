"""Running out of memory is a fault of the machine, not a bug: a message that says what to do, exit
1, no crash log. Real: `csbatch vip import-history` of a history file larger than the memory the
process may use (its address space capped with RLIMIT_AS a little above what it holds once its
modules are imported), in a process of its own. A long history in one file is where a department
meets it first (the import holds the whole file: about 1.5 GiB per million rows)."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists() or sys.platform != "linux",
                                reason="caps the address space with RLIMIT_AS and reads /proc (Linux)")

HEADER = ["订单号", "下单日期", "客服工号", "客户编号", "商品名称", "实收金额", "原价金额", "成交方式",
          "商品类别", "门店类型", "重点促销", "订单状态"]
#: rows enough to need several times the margin below (~1.5 KiB a row once read)
ROWS = 600_000
MARGIN_MIB = 250

CAPPED = f"""
import resource, sys
import pandas, numpy                      # what the import reads with, loaded before the cap
import csbatch.cli, csbatch.commands.vip_import_history, csbatch.sheets.intake
size = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmSize:")) * 1024
cap = size + {MARGIN_MIB} * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
sys.argv = ["csbatch", *sys.argv[1:]]
csbatch.cli.main()
"""


def _history(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in range(ROWS):
            w.writerow([f"H{i:07d}", f"2026-09-{i % 28 + 1:02d}", "1001", f"KH{i % 90_000:06d}", "布艺沙发",
                        str(1000 + i % 7000), "", "到店成交", "常规", "旗舰", "否", "已完成"])
    return path


def test_a_history_file_larger_than_memory_is_a_message_not_a_bug(tmp_path):
    history = _history(tmp_path / "history.csv")
    run = subprocess.run([sys.executable, "-c", CAPPED, "--lang", "en", "vip", "import-history", str(history),
                          "--out", str(tmp_path / "out"), "--config", str(Path(__file__).parents[1] / "config")],
                         capture_output=True, text=True, cwd=tmp_path,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).parents[1] / "src"),
                              "HOME": str(tmp_path), "CSBATCH_LANG": "en"})
    assert run.returncode == 1, run.stdout + run.stderr
    assert "cannot go on: the machine ran out of memory: close other programs" in run.stderr, run.stderr
    assert "one file per month" in run.stderr
    assert "unexpected error" not in run.stderr and "Traceback" not in run.stderr
