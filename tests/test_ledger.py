"""The ledger and the payroll it publishes: migrations, closed months refused, reopen and change
reports, refunds of closed months reversed, kill -9 at every step of publishing, two closes at
once, and the HR import sheet read back exactly."""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from builders import write_attendance, write_xlsx
from conftest import CONFIG, SAMPLES
from csbatch.closing.runs import monthly_close
from csbatch.ledger import Ledger
from csbatch.ledger.db import open_ledger
from csbatch.ledger.maintenance import reopen
from csbatch.ledger.store import NewClose
from csbatch.reports.payroll_workbook import verify_payroll

ROSTER = [["工号", "姓名", "岗位", "班组", "入职日期", "底薪"],
          ["1003", "王五", "咨询类客服", "二组", "2024-01-15", 2100],
          ["1004", "赵六", "咨询类客服", "二组", "2024-02-01", 2100],
          ["1005", "钱七", "综合类客服", "二组", "2024-02-01", 2400]]
SALES = ["订单号", "下单日期", "客服工号", "客户编号", "实收金额", "成交方式", "订单状态"]


def _month(folder: Path, sales: list[list] = (), adjustments: list[list] = (), period: str = "2026-10") -> Path:
    write_xlsx(folder / "员工名册.xlsx", {"Sheet1": ROSTER})
    write_attendance(folder, [row[0] for row in ROSTER[1:]], period)
    write_xlsx(folder / "销售订单.xlsx", {"Sheet1": [SALES, *sales]})
    write_xlsx(folder / "其他调整.xlsx", {"Sheet1": [["工号", "项目", "金额", "原因"], *adjustments]})
    return folder


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _dump(ledger: Path) -> list:
    """Everything in the ledger, to compare before and after."""
    conn = sqlite3.connect(ledger)
    try:
        # views too: order_pay and vip_purchases are views since migration 7 (issue 14), same rows
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                                             "ORDER BY name")]
        return [(t, sorted(conn.execute(f"SELECT * FROM {t}").fetchall())) for t in tables
                if t != "schema_migrations"]
    finally:
        conn.close()


def test_migrations_record_themselves_once(tmp_path):
    conn = open_ledger(tmp_path / "l.sqlite")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2   # FULL
    first = conn.execute("SELECT version, name FROM schema_migrations").fetchall()
    conn.close()
    again = open_ledger(tmp_path / "l.sqlite")
    assert again.execute("SELECT version, name FROM schema_migrations").fetchall() == first == [
        (1, "closes, reopenings, pay lines, order pay, results"),
        (2, "VIP purchases, history imports, cards and points"),
        (3, "audit figures for trends"),
        (4, "digests of every close and history import"),
        (5, "kept input and policy files, the policy revision of each close"),
        (6, "VIP members imported at go-live"),
        (7, "per-order pay and VIP purchases stored compactly"),  # issue 14: a migration added
        (8, "VIP purchases keyed by month, store type and customer"),  # issue 14 round 3: another
        (9, "changes made outside csbatch logged by the ledger"),   # ... and another
        (10, "employees of per-order pay stored by their number"),   # issue 14 round 4
        (11, "per-order pay stored in each close's own forms")]   # issue 14 round 8


def test_an_older_ledger_is_migrated_with_its_data(tmp_path):
    path = tmp_path / "old.sqlite"   # written by the code of before issue 10: migration 1 and one close
    conn = sqlite3.connect(path)
    conn.executescript((Path(__file__).parent / "fixtures" / "ledger-v1.sql").read_text(encoding="utf-8"))
    conn.close()
    upgraded = open_ledger(path)
    # (issue 14: migrations 7, 8 and 9 added)
    assert [r[0] for r in upgraded.execute("SELECT version FROM schema_migrations")] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
    # the closes already there are adopted: their digests recorded, the ledger verifies clean
    from csbatch.ledger.digests import CLOSE_PARTS, verify
    assert upgraded.execute("SELECT COUNT(*) FROM digests WHERE owner = 'c1'").fetchone() == (len(CLOSE_PARTS),)
    assert verify(upgraded) == ([], len(CLOSE_PARTS))
    assert upgraded.execute("SELECT period FROM closes").fetchall() == [("2026-09",)]
    assert upgraded.execute("SELECT COUNT(*) FROM vip_cards").fetchone() == (0,)


def test_reopen_records_who_why_when_and_the_next_close_reports_changes(tmp_path):
    out = tmp_path / "out"
    inputs = _month(tmp_path / "in", adjustments=[["1003", "其他调整", 350, "九月加班费补发"]])
    assert monthly_close("2026-10", inputs, out, CONFIG).ok
    done, issues = reopen("2026-10", "adjustment amount was wrong", out / "csbatch-ledger.sqlite")
    assert issues == [] and done["moved_to"].name.startswith("2026-10.reopened-")
    assert not (out / "2026-10").exists() and (done["moved_to"] / "manifest.json").exists()
    ledger = Ledger(out / "csbatch-ledger.sqlite")
    (at, by, reason), = ledger.conn.execute("SELECT reopened_at, reopened_by, reason FROM reopenings "
                                            "WHERE period = '2026-10'").fetchall()
    assert reason == "adjustment amount was wrong" and "@" in by and at.startswith("20")
    assert ledger.live_close("2026-10") is None
    ledger.close()

    _month(inputs, adjustments=[["1003", "其他调整", 500, "九月加班费补发（更正）"]])
    again = monthly_close("2026-10", inputs, out, CONFIG)
    assert again.ok, [str(i) for i in again.issues if i.is_error]
    assert list(again.state.changes) == [{"employee_id": "1003", "component": "other", "before": "350.00",
                                          "after": "500.00", "change": "+150.00"}]
    manifest = json.loads((out / "2026-10" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["changes_since_previous_close"] == list(again.state.changes)


def test_a_reclose_with_the_same_inputs_says_nothing_changed(tmp_path):
    from typer.testing import CliRunner

    from csbatch.cli import app

    out, inputs = tmp_path / "out", _month(tmp_path / "in")
    args = ["monthly-close", "2026-10", "--inputs", str(inputs), "--out", str(out), "--config", str(CONFIG)]
    runner = CliRunner(env={"CSBATCH_LANG": "en"})
    assert runner.invoke(app, args).exit_code == 0
    assert runner.invoke(app, ["reopen", "2026-10", "--reason", "check", "--out", str(out)]).exit_code == 0
    again = runner.invoke(app, args)
    assert again.exit_code == 0 and "no change against the previous close of 2026-10" in again.stdout


def test_reopen_needs_a_closed_month_and_a_reason(tmp_path):
    out = tmp_path / "out"
    assert monthly_close("2026-10", _month(tmp_path / "in"), out, CONFIG).ok
    _, issues = reopen("2026-09", "why", out / "csbatch-ledger.sqlite")
    assert [str(i) for i in issues] == [f"{out / 'csbatch-ledger.sqlite'}: 2026-09 is not closed in this ledger"]
    _, issues = reopen("2026-10", "  ", out / "csbatch-ledger.sqlite")
    assert "give the reason" in str(issues[0])


def test_a_ledger_refusal_is_printed_in_chinese_unless_english_is_asked(tmp_path):
    from typer.testing import CliRunner

    from csbatch.cli import app

    out = tmp_path / "out"
    assert monthly_close("2026-10", _month(tmp_path / "in"), out, CONFIG).ok
    ledger = out / "csbatch-ledger.sqlite"
    runner = CliRunner(env={"CSBATCH_LANG": None})
    refused = runner.invoke(app, ["reopen", "2026-09", "--reason", "why", "--ledger", str(ledger)])
    assert refused.exit_code == 1 and f"{ledger}: 2026-09 在此结账台账中未结账\n" in refused.stderr
    missing = runner.invoke(app, ["reopen", "2026-10", "--reason", "why", "--ledger", str(tmp_path / "x.sqlite")])
    assert missing.exit_code == 1 and "这里没有结账台账：从未用它结过账" in missing.stderr
    english = runner.invoke(app, ["--lang", "en", "reopen", "2026-09", "--reason", "why", "--ledger", str(ledger)])
    assert english.exit_code == 1 and "2026-09 is not closed in this ledger" in english.stderr


def test_refund_of_a_closed_months_order_is_reversed_the_next_month(tmp_path):
    out = tmp_path / "out"
    september = _month(tmp_path / "sep", period="2026-09", sales=[["O1", "2026-09-15", "1003", "K1", 10000, "电话直接成交", "已完成"],
                                                ["O2", "2026-09-16", "1005", "K2", 5000, "到店成交", "已完成"]])
    assert monthly_close("2026-09", september, out, CONFIG).ok
    sep_payroll = (out / "2026-09" / "data/payroll.csv").read_bytes()
    sep = {r["employee_id"]: r for r in _csv(out / "2026-09" / "data/payroll.csv")}
    assert sep["1003"]["order_bonus"] == "100.00" and sep["1005"]["commission"] == "100.00"
    ledger_sep = _dump(out / "csbatch-ledger.sqlite")

    october = _month(tmp_path / "oct", sales=[["O1", "2026-09-15", "1003", "K1", 10000, "电话直接成交", "已退款"],
                                              ["O3", "2026-10-20", "1003", "K3", 2000, "电话直接成交", "已完成"]])
    outcome = monthly_close("2026-10", october, out, CONFIG)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    lines = [l for l in outcome.state.payroll.lines if l.employee_id == "1003" and l.component == "order_bonus"]
    assert sorted(l.amount for l in lines) == [Decimal("-100.00"), Decimal("20.00")]
    assert any("O1" in l.reason and "2026-09" in l.reason for l in lines)
    octo = {r["employee_id"]: r for r in _csv(out / "2026-10" / "data/payroll.csv")}
    assert octo["1003"]["order_bonus"] == "-80.00"
    # the closed month is never rewritten
    assert (out / "2026-09" / "data/payroll.csv").read_bytes() == sep_payroll
    ledger = Ledger(out / "csbatch-ledger.sqlite")
    sep_close = ledger.live_close("2026-09")
    sep_lines = ledger.conn.execute("SELECT employee_id, component, amount FROM pay_lines WHERE close_id = ? "
                                    "ORDER BY employee_id, component", (sep_close.close_id,)).fetchall()
    ledger.close()
    assert sep_close.published and ("1003", "order_bonus", "100.00") in sep_lines
    before, after = dict(ledger_sep), dict(_dump(out / "csbatch-ledger.sqlite"))
    for table in ("closes", "pay_lines", "order_pay", "results"):   # September's rows untouched
        assert set(before[table]) <= set(after[table]), table


def test_two_consecutive_grades_flag_promotion_review(tmp_path, policy):
    from csbatch.scoring.cards import flag_promotion_review
    from csbatch.scoring.engine import CardScore, Member, MemberScore

    ledger = Ledger(tmp_path / "l.sqlite")
    empty = pd.DataFrame(columns=["employee_id", "component", "amount", "reason"])
    ledger.record_close(NewClose("c9", "2026-09", tmp_path, tmp_path / "s", {}, empty,
                                 pd.DataFrame(columns=["order_id", "employee_id", "component", "amount"]),
                                 pd.DataFrame([["E1", "service_center", "96", "A", 1, True],
                                               ["E2", "service_center", "80", "C", 2, True]],
                                              columns=["employee_id", "scorecard", "total", "grade", "rank", "rated"])))

    def score(emp):
        s = MemberScore(Member(emp), {}, Decimal(96), Decimal(1), "", Decimal(96))
        s.grade = "A"
        return s

    from csbatch.scoring.cards import ScoreResult
    result = ScoreResult({"service_center": CardScore("service_center", policy.scorecards["service_center"],
                                                      [score("E1"), score("E2")])})
    flag_promotion_review(result, policy, "2026-10", ledger)
    flags = {s.member.employee_id: s.flags for s in result.cards["service_center"].members}
    assert "promotion_review" in flags["E1"] and "promotion_review" not in flags["E2"]


def test_hr_import_sheet_reads_back_into_the_components(tmp_path):
    out = tmp_path / "out"
    assert monthly_close("2026-10", SAMPLES / "2026-10", out, CONFIG).ok
    month = out / "2026-10"
    hr = pd.read_excel(month / "payroll_bonus_2026-10.xlsx", sheet_name="HR导入", dtype={"工号": str, "金额": str},
                       engine="openpyxl")
    components = pd.read_csv(month / "data/payroll_components.csv", dtype=str, keep_default_na=False)
    got = [(e, c, Decimal(a).quantize(Decimal("0.01"))) for e, c, a in zip(hr["工号"], hr["项目代码"], hr["金额"])]
    want = [(e, c, Decimal(a)) for e, c, a in zip(components["employee_id"], components["component"], components["amount"])]
    assert got == want and len(got) > 40
    assert list(hr.columns) == ["期间", "工号", "姓名", "项目代码", "项目名称", "金额", "备注"]   # issue 12
    import openpyxl
    wb = openpyxl.load_workbook(month / "payroll_bonus_2026-10.xlsx")
    ws = wb["HR导入"]
    assert not ws.merged_cells.ranges and ws.freeze_panes == "A2"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    people = wb["工资奖金明细"]
    header = [c.value for c in people[1]]
    last = [c.value for c in people[people.max_row]]
    assert last[0] == "合计"
    gross = header.index("应发合计")
    rows = list(_csv(month / "data/payroll.csv"))
    assert Decimal(str(last[gross])).quantize(Decimal("0.01")) == sum(Decimal(r["gross_pay"]) for r in rows)
    assert people.cell(2, gross + 1).number_format.startswith("¥")


def test_the_close_stops_on_a_pay_sum_mismatch(tmp_path):
    from csbatch.closing.runs import run_until_written

    state = run_until_written("2026-10", SAMPLES / "2026-10", CONFIG).state
    assert verify_payroll(state.payroll, state.policy) == []
    state.payroll.payroll.loc[0, "base_pay"] += Decimal("0.01")
    issues = verify_payroll(state.payroll, state.policy)
    assert issues and all("internal check failed, nothing was published" in str(i) for i in issues)


# --- crashes and races, with real processes ----------------------------------------------------

def _close_cmd(inputs: Path, out: Path, period: str = "2026-10") -> list[str]:
    return [sys.executable, "-m", "csbatch.cli", "monthly-close", period, "--inputs", str(inputs),
            "--out", str(out), "--config", str(CONFIG)]


@pytest.mark.parametrize("point", ["close.computed", "close.files_written", "close.before_commit"])
def test_kill_9_before_the_commit_leaves_ledger_and_outputs_untouched(tmp_path, point):
    out = tmp_path / "out"
    inputs = _month(tmp_path / "in", sales=[["O1", "2026-10-15", "1003", "K1", 10000, "电话直接成交", "已完成"]])
    assert monthly_close("2026-09", _month(tmp_path / "sep", period="2026-09"), out, CONFIG).ok   # the ledger holds a month
    before = _dump(out / "csbatch-ledger.sqlite")
    killed = subprocess.run(_close_cmd(inputs, out), env={**os.environ, "CSBATCH_FAILPOINT": point},
                            capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert _dump(out / "csbatch-ledger.sqlite") == before
    assert not (out / "2026-10").exists()
    # the next close cleans the dead process's staging folder and succeeds
    assert monthly_close("2026-10", inputs, out, CONFIG).ok
    assert sorted(p.name for p in out.iterdir()) == ["2026-09", "2026-10", "csbatch-inputs", "csbatch-ledger.sqlite",
                                                     "csbatch-ledger.sqlite.key"]


def test_kill_9_right_after_the_commit_is_finished_by_the_next_run(tmp_path):
    out = tmp_path / "out"
    inputs = _month(tmp_path / "in")
    killed = subprocess.run(_close_cmd(inputs, out), env={**os.environ, "CSBATCH_FAILPOINT": "close.after_commit"},
                            capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL
    ledger = Ledger(out / "csbatch-ledger.sqlite")
    record = ledger.live_close("2026-10")
    ledger.close()
    assert record is not None and not record.published and not (out / "2026-10").exists()
    again = monthly_close("2026-10", inputs, out, CONFIG)
    assert not again.ok and "already closed" in str(next(i for i in again.issues if i.is_error))
    assert any("finished publishing" in str(i) for i in again.issues)
    manifest = json.loads((out / "2026-10" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["close_id"] == record.close_id


def test_kill_9_at_an_arbitrary_moment_of_a_real_close(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen(_close_cmd(SAMPLES / "2026-10", out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    ledger_file = out / "csbatch-ledger.sqlite"
    live = Ledger(ledger_file).live_close("2026-10") if ledger_file.exists() else None
    if live is None:
        assert not (out / "2026-10").exists()
    else:  # it had already committed: the folder is there or the next run publishes it
        assert (out / "2026-10").exists() or Path(live.staging).exists()


def test_two_admins_closing_at_once(tmp_path):
    out = tmp_path / "out"
    inputs = _month(tmp_path / "in")
    out.mkdir()
    procs = [subprocess.Popen(_close_cmd(inputs, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [(p.wait(), p.stderr.read()) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 1], results
    loser = next(err for code, err in results if code == 1)
    assert "2026-10 已结账" in loser                 # the refusal in Chinese, the default language
    ledger = Ledger(out / "csbatch-ledger.sqlite")
    live = ledger.live_close("2026-10")
    assert ledger.conn.execute("SELECT COUNT(*) FROM closes").fetchone()[0] == 1
    ledger.close()
    manifest = json.loads((out / "2026-10" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["close_id"] == live.close_id
    assert sorted(p.name for p in out.iterdir()) == ["2026-10", "csbatch-inputs", "csbatch-ledger.sqlite", "csbatch-ledger.sqlite.key"]


def test_months_close_and_reopen_in_order(tmp_path):
    out = tmp_path / "out"
    assert monthly_close("2026-10", _month(tmp_path / "oct"), out, CONFIG).ok
    earlier = monthly_close("2026-09", _month(tmp_path / "sep", period="2026-09"), out, CONFIG)
    assert not earlier.ok
    assert "2026-10 is already closed: months close in order, so 2026-09 cannot be closed after it" in str(earlier.issues[-1])
    assert monthly_close("2026-11", _month(tmp_path / "nov", period="2026-11"), out, CONFIG).ok
    _, issues = reopen("2026-10", "fix", out / "csbatch-ledger.sqlite")
    assert [str(i).split(": ", 1)[1] for i in issues] == ["2026-11 is closed after 2026-10: reopen 2026-11 first"]
    _, issues = reopen("2026-11", "fix", out / "csbatch-ledger.sqlite")
    assert issues == []


def test_vip_history_is_imported_once(tmp_path):
    from typer.testing import CliRunner

    from csbatch.cli import app

    history = write_xlsx(tmp_path / "history.xlsx", {"销售": [
        ["订单号", "下单日期", "客服工号", "客户编号", "实收金额", "门店类型", "订单状态"],
        ["H1", "2026-05-10", "1003", "K1", 40000, "现代", "已完成"],
        ["H2", "2026-06-11", "1003", "K1", 30000, "现代", "已完成"],
        ["H3", "2026-06-12", "1003", "K2", 5000, "", "已完成"],          # online: outside the programmes
        ["H4", "2026-06-13", "1003", "K1", 2000, "现代", "已退款"]]})
    runner = CliRunner(env={"CSBATCH_LANG": "en"})
    args = ["vip", "import-history", str(history), "--out", str(tmp_path / "out"), "--config", str(CONFIG)]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    # By hand, each row in the month of its order date, read as the close reads that month's sheet:
    #   H1 2026-05 现代 completed 40000 → +40000 in 2026-05
    #   H2 2026-06 现代 completed 30000 → +30000 in 2026-06
    #   H3 2026-06 no store type (online) → outside both programmes, nothing
    #   H4 2026-06 现代 refunded  2000 → refunded in its own month, never counted (no completed
    #      row of H4 here or in the ledger) → nothing; a close of 2026-06 says the same
    # so 2 purchases, both of K1: 2026-05 +40000, 2026-06 +30000 (K1's 2026-06 spend 30000, not 28000).
    assert "imported 2 purchases of 1 customers for 2026-05, 2026-06" in first.stdout
    ledger = Ledger(tmp_path / "out" / "csbatch-ledger.sqlite")
    purchases = ledger.vip_history().purchases
    ledger.close()
    assert sorted(zip(purchases["period"], purchases["order_id"], map(str, purchases["amount"]))) == [
        ("2026-05", "H1", "40000"), ("2026-06", "H2", "30000")]
    again = runner.invoke(app, args)
    assert again.exit_code == 1 and "already has purchases for 2026-05, 2026-06" in again.stderr


def test_audit_figures_are_kept_for_trends(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite")
    empty = pd.DataFrame(columns=["employee_id", "component", "amount", "reason"])
    for close_id, period, value in (("c9", "2026-09", "0.9"), ("c10", "2026-10", "0.75")):
        ledger.record_close(NewClose(close_id, period, tmp_path, tmp_path / "s", {}, empty,
                                     pd.DataFrame(columns=["order_id", "employee_id", "component", "amount"]),
                                     pd.DataFrame(columns=["employee_id", "scorecard", "total", "grade", "rank", "rated"]),
                                     figures={"complaints_on_time_share": Decimal(value), "losses": None}))
    before_nov = ledger.figures_history("2026-11")
    assert list(before_nov.itertuples(index=False, name=None)) == [
        ("2026-09", "complaints_on_time_share", Decimal("0.9")), ("2026-09", "losses", None),
        ("2026-10", "complaints_on_time_share", Decimal("0.75")), ("2026-10", "losses", None)]
    assert len(ledger.figures_history("2026-10")) == 2   # only months before
    ledger.close()
