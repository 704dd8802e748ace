"""Issue 13, item 5: the complaint-resolution item (客户投诉解决率 [003], "0~0.4% 2 … 1.5%以上 10",
解决率 = 客户投诉满意数 ÷ 总投诉数量) through the real close, from real sheets. The share is taken over
the scope `complaint_resolution_scope` sets (default: the department, everyone the same value);
a complaint still open within its due time at month end is left out of both counts."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from typer.testing import CliRunner

from builders import ROSTER_ROWS, write_attendance, write_roster, write_xlsx
from conftest import CONFIG, git_commit_all
from csbatch.cli import app
from csbatch.closing.runs import monthly_close

PERIOD = "2026-10"
HEADER = ["投诉编号", "受理时间", "责任客服", "投诉类别", "我方责任", "解决时间", "客户满意"]
SERVICE_CENTER = ("1003", "1004", "1005", "1006", "1007", "1008")


def _complaint(n: int, emp: str, received: str, resolved: str = "", satisfied: str = "") -> list:
    return [f"T{n:04d}", received, emp, "服务投诉", "是", resolved, satisfied]


def _month(folder: Path, complaints: list[list]) -> Path:
    write_roster(folder)
    write_attendance(folder, [row[0] for row in ROSTER_ROWS])
    write_xlsx(folder / "投诉登记.xlsx", {"Sheet1": [HEADER, *complaints]})
    return folder


def _policy(parent: Path, scope: str) -> Path:
    """The committed policy with `complaint_resolution_scope: scope`."""
    config = parent / "config"
    shutil.copytree(CONFIG, config, ignore=shutil.ignore_patterns(".git"))
    scoring = config / "scoring.yaml"
    text = scoring.read_text(encoding="utf-8")
    assert "complaint_resolution_scope: department" in text
    scoring.write_text(text.replace("complaint_resolution_scope: department",
                                    f"complaint_resolution_scope: {scope}"), encoding="utf-8")
    git_commit_all(parent)
    return config


def _items(month: Path) -> dict[str, dict[str, str]]:
    with (month / "data/scorecard_items.csv").open(encoding="utf-8-sig", newline="") as fh:
        return {r["employee_id"]: r for r in csv.DictReader(fh) if r["item"] == "complaint_resolution"}


def _close(tmp_path: Path, complaints: list[list], scope: str | None = None) -> dict[str, dict[str, str]]:
    """Close the month with `complaints` (and `complaint_resolution_scope: scope` when given): the
    complaint_resolution item per employee."""
    config = CONFIG if scope is None else _policy(tmp_path / "policy", scope)
    outcome = monthly_close(PERIOD, _month(tmp_path / "in", complaints), tmp_path / "out", config)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    return _items(tmp_path / "out" / PERIOD)


#: 1003's one complaint not resolved to the customer's satisfaction among 251 counted: 0.398 %
#: (< 0.4 % → −2). 1007's complaint received on 30 October 16:00 is due 2 November 16:00, still
#: open within its due time at month end: counted as unresolved it would make 2 of 252 = 0.79 %
#: (→ −4); it is left out.
DEPARTMENT = [
    _complaint(1, "1003", "2026-10-05 09:00", "2026-10-06 09:00", "否"),
    *[_complaint(n, SERVICE_CENTER[1 + n % 5], "2026-10-12 09:00", "2026-10-13 09:00", "是")
      for n in range(2, 252)],
    _complaint(252, "1007", "2026-10-30 16:00"),
]


def test_department_scope_gives_everyone_the_department_share(tmp_path):
    items = _close(tmp_path, DEPARTMENT)
    assert {e: (items[e]["measured"], items[e]["points"]) for e in SERVICE_CENTER} == \
        dict.fromkeys(SERVICE_CENTER, ("0.003984", "18.00"))      # 1 − 250 ÷ 251, to 4 places
    assert "over the whole department's complaints" in items["1008"]["rule"]
    # 1008 has no complaint of their own: the staff page lists the department's rows counted
    page = (tmp_path / "out" / PERIOD / "staff/1008.html").read_text(encoding="utf-8")
    assert "按全部门的投诉计算" in page and "投诉登记.xlsx[Sheet1]!row 2" in page
    assert "投诉登记.xlsx[Sheet1]!row 253" not in page


def test_explain_lists_the_scope_complaints_counted(tmp_path):
    inputs = _month(tmp_path / "in", DEPARTMENT)
    result = CliRunner().invoke(app, ["explain", "1008", PERIOD, "--inputs", str(inputs), "--config", str(CONFIG)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "按全部门的投诉计算" in out
    # 1003's complaint (row 2) feeds 1008's value; 1007's open one (the last row, 253) does not
    assert "投诉登记.xlsx[Sheet1]!row 2" in out
    assert "投诉登记.xlsx[Sheet1]!row 253" not in out


AGENT = [
    _complaint(1, "1003", "2026-10-05 09:00", "2026-10-06 09:00", "否"),   # 1003: 1 of 2 unresolved
    _complaint(2, "1003", "2026-10-05 09:00", "2026-10-06 09:00", "是"),
    _complaint(3, "1004", "2026-10-05 09:00"),                             # open past its due time
    _complaint(4, "1007", "2026-10-30 16:00"),                             # open within its due time
    _complaint(5, "1007", "2026-10-12 09:00", "2026-10-13 09:00", "是"),
    _complaint(6, "1005", "2026-10-12 09:00", "2026-10-13 09:00", "是"),
]


def test_agent_scope_measures_each_agent_alone(tmp_path):
    items = _close(tmp_path, AGENT, "agent")
    assert {e: items[e]["points"] for e in SERVICE_CENTER} == {
        "1003": "10.00", "1004": "10.00", "1005": "20.00", "1006": "20.00", "1007": "20.00", "1008": "20.00"}
    assert "over the agent's own complaints" in items["1003"]["rule"]


def test_an_open_complaint_within_its_due_time_alone_is_nothing_to_measure(tmp_path):
    month = [_complaint(1, "1007", "2026-10-30 16:00"),      # due 2 November 16:00: not yet unresolved
             _complaint(2, "1008", "2026-10-28 23:59")]      # due 31 October 23:59: past it at month end
    items = _close(tmp_path, month, "agent")
    assert items["1007"]["points"] == "20.00" and "nothing to measure" in items["1007"]["rule"]
    assert items["1008"]["points"] == "10.00"


def test_team_scope_shares_the_roster_team(tmp_path):
    items = _close(tmp_path, AGENT, "team")
    # 二组 (1003–1006): 1003's unsatisfied and 1004's overdue of 4 → 50 %; 三组 (1007, 1008): 0
    assert {e: items[e]["points"] for e in SERVICE_CENTER} == {
        "1003": "10.00", "1004": "10.00", "1005": "10.00", "1006": "10.00", "1007": "20.00", "1008": "20.00"}
