"""`csbatch what-if` and `csbatch policy diff` on a real git policy repository: the sample month
closed, a commission rate change committed, then exactly the changed lines and totals, the rule
change named, the ledger untouched, the workbook and the page as written."""

from __future__ import annotations

import hashlib
import sqlite3
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import SAMPLES, committed_policy, git_commit_all
from csbatch.cli import app
from csbatch.closing.runs import monthly_close
from csbatch.closing.whatif import what_if_closed
from csbatch.money import half_up
from csbatch.reports.whatif_report import ALL_MONTHS, WhatIf, render_page, write_workbook

COMMISSION = "业绩提成 (commission)"      # the library's English: the policy's name and the code
GROSS = "gross pay"


@pytest.fixture(scope="module")
def closed(tmp_path_factory):
    """The sample month closed under the committed policy, then a commission rate raised and
    committed: ecommerce_cs 1% → 1.2%."""
    root = tmp_path_factory.mktemp("what-if")
    config = committed_policy(root / "repo")
    out = root / "out"
    assert monthly_close("2026-10", SAMPLES / "2026-10", out, config).ok
    pay = config / "pay.yaml"
    text = pay.read_text(encoding="utf-8")
    assert text.count("      ecommerce_cs: 1%") == 1
    pay.write_text(text.replace("      ecommerce_cs: 1%", "      ecommerce_cs: 1.2%"), encoding="utf-8")
    git_commit_all(root / "repo", "commission ecommerce_cs 1.2%")
    return config, out


def ledger_state(out: Path) -> tuple[str, list[str]]:
    """The ledger's files' digests and its rows."""
    files = hashlib.sha256()
    for path in sorted(out.glob("csbatch-ledger.sqlite*")):
        files.update(path.name.encode() + path.read_bytes())
    conn = sqlite3.connect(out / "csbatch-ledger.sqlite")
    try:
        return files.hexdigest(), list(conn.iterdump())
    finally:
        conn.close()


def by_hand(out: Path) -> dict[str, tuple[Decimal, Decimal]]:
    """Each ecommerce_cs employee's commission before and after, from the exact per-order pay the
    close recorded: Σ 1% × amount × share, rounded to cents; after is that sum × 1.2."""
    conn = sqlite3.connect(out / "csbatch-ledger.sqlite")
    try:
        rows = conn.execute("""SELECT o.employee_id, o.amount FROM order_pay o
                               JOIN results r ON r.employee_id = o.employee_id AND r.close_id = o.close_id
                               WHERE o.component = 'commission' AND r.scorecard = 'ecommerce'""").fetchall()
    finally:
        conn.close()
    exact: dict[str, Decimal] = {}
    for emp, amount in rows:
        exact[emp] = exact.get(emp, Decimal(0)) + Decimal(amount)
    return {emp: (half_up(x, 2), half_up(x * Decimal("1.2"), 2)) for emp, x in exact.items()}


def test_what_if_lists_exactly_the_changed_lines_and_totals(closed):
    config, out = closed
    ledger = out / "csbatch-ledger.sqlite"
    untouched = ledger_state(out)
    what, issues = what_if_closed(["2026-10"], "HEAD", config, ledger)
    assert what is not None, "\n".join(map(str, issues))
    assert ledger_state(out) == untouched
    expected = {emp: ba for emp, ba in by_hand(out).items() if ba[0] != ba[1]}
    assert len(expected) >= 2
    pay = what.pay
    assert sorted(set(pay["component"])) == sorted({COMMISSION, GROSS})
    commission = pay[pay["component"] == COMMISSION]
    assert {r.employee_id: (r.before, r.after) for r in commission.itertuples()} == expected
    gross = pay[pay["component"] == GROSS]
    assert {r.employee_id: r.change for r in gross.itertuples()} == {e: a - b for e, (b, a) in expected.items()}
    change = sum((a - b for b, a in expected.values()), Decimal(0))
    assert what.pay_change == change
    total = what.totals.iloc[0]
    assert (total.period, total.pay_after - total.pay_before, total.employees_changed) == ("2026-10", change, len(expected))
    assert what.scores.empty and what.members.empty          # commission changes no score and no member
    assert list(what.roles["role"]) == ["网购客服 (ecommerce_cs)"]
    assert what.rules == ["pay component commission rate ecommerce_cs: 1% → 1.2%"]
    assert what.before.startswith("as closed (commit ") and what.after.startswith("HEAD (commit ")


def test_the_same_policy_changes_nothing(closed):
    config, out = closed
    what, issues = what_if_closed(["2026-10"], "HEAD~1", config, out / "csbatch-ledger.sqlite")
    assert what is not None, "\n".join(map(str, issues))
    assert what.pay.empty and what.scores.empty and what.members.empty and what.rules == []
    assert what.pay_change == 0


def test_the_commands_print_and_write_the_change(closed, tmp_path):
    config, out = closed
    untouched = ledger_state(out)
    runner = CliRunner()
    diff = runner.invoke(app, ["policy", "diff", "HEAD~1", "HEAD", "--config", str(config)])
    assert diff.exit_code == 0, diff.output
    assert "工资·项目·业绩提成·比例·网购客服：1% → 1.2%" in diff.output     # Chinese by default: names, no codes
    english = runner.invoke(app, ["policy", "diff", "HEAD~1", "HEAD", "--config", str(config)],
                            env={"CSBATCH_LANG": "en"})
    assert english.exit_code == 0, english.output
    assert "pay component commission rate ecommerce_cs: 1% → 1.2%" in english.output
    result = runner.invoke(app, ["what-if", "2026-10", "--policy", "HEAD", "--config", str(config),
                                 "--out", str(out), "--report", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert ledger_state(out) == untouched
    workbook, page = tmp_path / "2026-10-HEAD.xlsx", tmp_path / "2026-10-HEAD.html"
    assert f"已写入：{workbook}, {page}" in result.output      # Chinese by default
    expected = {emp: ba for emp, ba in by_hand(out).items() if ba[0] != ba[1]}
    sheet = openpyxl.load_workbook(workbook)["工资变化"]
    rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[4] == "业绩提成"]    # the name alone
    assert {r[1]: (r[5], r[6]) for r in rows} == {e: (float(b), float(a)) for e, (b, a) in expected.items()}
    assert "1% → 1.2%" in page.read_text(encoding="utf-8")
    # policy diff --month: the rule change, then the month's what-if
    month = runner.invoke(app, ["policy", "diff", "HEAD~1", "HEAD", "--config", str(config), "--month", "2026-10",
                                "--out", str(out), "--report", str(tmp_path / "diff")])
    assert month.exit_code == 0, month.output
    assert "业绩提成·比例·网购客服" in month.output and (tmp_path / "diff" / "2026-10-HEAD.xlsx").is_file()


def test_a_month_never_closed_is_refused(closed):
    config, out = closed
    what, issues = what_if_closed(["2026-09"], "HEAD", config, out / "csbatch-ledger.sqlite")
    assert what is None and [i.code for i in issues] == ["what_if.not_closed"]


def test_the_page_escapes_and_the_workbook_keeps_text_as_text(tmp_path):
    from csbatch.reports.whatif_report import PAY

    what = WhatIf(periods=["2026-10"], before="<b>before</b>", after="HEAD",
                  pay=pd.DataFrame([{"period": "2026-10", "employee_id": "1004", "name": "<script>alert(1)</script>",
                                     "role": "=HYPERLINK(\"x\")", "component": COMMISSION, "before": Decimal("1"),
                                     "after": Decimal("2"), "change": Decimal("1")}], columns=PAY.names))
    page = render_page(what)
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;before&lt;/b&gt;" in page
    assert "http" not in page.replace('http-equiv', '')       # nothing fetched from the network
    book = openpyxl.load_workbook(write_workbook(what, tmp_path / "w.xlsx"))
    cell = book["工资变化"]["D2"]
    assert cell.value == "=HYPERLINK(\"x\")" and cell.data_type == "s"


def test_several_months_give_the_cost_of_a_change_per_month_and_together(tmp_path):
    from csbatch.policy import load_policy
    from csbatch.samples import generate_month

    config = committed_policy(tmp_path / "repo")
    out = tmp_path / "out"
    policy, _ = load_policy(config)
    september = tmp_path / "2026-09"
    generate_month(policy, "2026-09", september)
    for period, inputs in (("2026-09", september), ("2026-10", SAMPLES / "2026-10")):
        outcome = monthly_close(period, inputs, out, config)
        assert outcome.ok, "\n".join(map(str, outcome.issues))
    pay = config / "pay.yaml"
    pay.write_text(pay.read_text(encoding="utf-8").replace("      ecommerce_cs: 1%", "      ecommerce_cs: 1.2%"),
                   encoding="utf-8")
    git_commit_all(tmp_path / "repo", "commission ecommerce_cs 1.2%")
    result = CliRunner().invoke(app, ["what-if", "--from", "2026-09", "--to", "2026-10", "--policy", "HEAD",
                                      "--config", str(config), "--out", str(out)])
    assert result.exit_code == 0, result.output
    totals = openpyxl.load_workbook(out / "what-if" / "2026-09_2026-10-HEAD.xlsx")["合计"]
    rows = list(totals.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["2026-09", "2026-10", "合计"]
    assert rows[0][3] > 0 and rows[1][3] > 0
    assert rows[2][1:4] == pytest.approx([rows[0][i] + rows[1][i] for i in (1, 2, 3)])


def test_the_report_speaks_one_language(closed, tmp_path):
    """Chinese: the policy's names alone, the labels and the rule changes in Chinese; English: the
    name with its code, the English labels, and the months-together row says "All months"."""
    config, out = closed
    what, issues = what_if_closed(["2026-10"], "HEAD", config, out / "csbatch-ledger.sqlite")
    assert what is not None, "\n".join(map(str, issues))
    zh, en = render_page(what, "zh"), render_page(what, "en")
    assert "调整前：按结账时（提交 " in zh and "工资·项目·业绩提成·比例·网购客服：1% → 1.2%" in zh
    assert "业绩提成 (commission)" not in zh and ">应发合计<" in zh and ">网购客服<" in zh
    assert "Before: as closed (commit " in en and "pay component commission rate ecommerce_cs: 1% → 1.2%" in en
    assert ">业绩提成 (commission)<" in en and ">gross pay<" in en and ">网购客服 (ecommerce_cs)<" in en
    two = WhatIf(periods=["2026-09", "2026-10"], before="a", after="b", totals=pd.concat(
        [what.totals, what.totals.assign(period=ALL_MONTHS)], ignore_index=True))
    english = openpyxl.load_workbook(write_workbook(two, tmp_path / "en.xlsx", "en"))["Totals"]
    chinese = openpyxl.load_workbook(write_workbook(two, tmp_path / "zh.xlsx", "zh"))["合计"]
    assert [r[0] for r in english.iter_rows(min_row=2, values_only=True)] == ["2026-10", "All months"]
    assert [r[0] for r in chinese.iter_rows(min_row=2, values_only=True)] == ["2026-10", "合计"]
