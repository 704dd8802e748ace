"""HR sees what a re-close changed: the sample month closed, reopened with a reason, two
adjustments corrected and closed again; the payroll workbook's 变更明细 sheet read back and the
console's table hold exactly the changed lines, by name, with the reason and a total. A first
close has no such sheet; a re-close that changed nothing has one with a zero total."""

from __future__ import annotations

import shutil
from decimal import Decimal

from openpyxl import load_workbook
from typer.testing import CliRunner

from conftest import CONFIG, SAMPLES
from csbatch.cli import app

REASON = "两笔其他调整金额录错"
WORKBOOK = "payroll_bonus_2026-10.xlsx"


def _rows(path, sheet):
    book = load_workbook(path)
    try:
        return book.sheetnames, [list(r) for r in book[sheet].iter_rows(values_only=True)] if sheet else []
    finally:
        book.close()


def _set_adjustments(folder, amounts: dict[str, object]) -> None:
    path = folder / "其他调整_2026-10.xlsx"
    book = load_workbook(path)
    sheet = book.active
    for row in sheet.iter_rows(min_row=2):
        if str(row[0].value) in amounts:
            row[3].value = amounts[str(row[0].value)]
    book.save(path)


def test_a_reclose_shows_hr_each_changed_line_by_name_with_the_reason_and_a_total(tmp_path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(SAMPLES / "2026-10", inputs)
    close = ["monthly-close", "2026-10", "--inputs", str(inputs), "--out", str(out), "--config", str(CONFIG)]
    runner = CliRunner()
    first = runner.invoke(app, close)
    assert first.exit_code == 0, first.output
    names, _ = _rows(out / "2026-10" / WORKBOOK, None)
    assert "变更明细" not in names and "上一次结账相比" not in first.stdout     # a first close
    assert runner.invoke(app, ["reopen", "2026-10", "--reason", REASON, "--out", str(out)]).exit_code == 0

    # the sample's adjustments: 1003 杜博欢 350, 1009 朱欢云 ¥500.00 (component other, named 其他调整)
    _set_adjustments(inputs, {"1003": 500, "1009": 420})
    again = runner.invoke(app, close)
    assert again.exit_code == 0, again.output

    names, rows = _rows(out / "2026-10" / WORKBOOK, "变更明细")
    assert names[-1] == "变更明细"
    assert rows[0] == ["工号", "姓名", "项目", "变更前", "变更后", "变动", "重开原因", "重开人", "重开时间"]
    lines = [r[:6] for r in rows[1:-1]]
    assert lines == [["1003", "杜博欢", "其他调整", 350, 500, 150], ["1009", "朱欢云", "其他调整", 500, 420, -80]]
    assert {r[6] for r in rows[1:-1]} == {REASON} and all("@" in r[7] and r[8].startswith("20") for r in rows[1:-1])
    assert rows[-1] == ["合计", None, None, 850, 920, 70, None, None, None]
    book = load_workbook(out / "2026-10" / WORKBOOK)
    cell = book["变更明细"]["F2"]
    assert cell.data_type == "n" and "¥" in cell.number_format     # a number with the money format
    book.close()

    printed = again.stdout.split("与 2026-10 上一次结账相比的变化", 1)[1].splitlines()   # Chinese by default
    assert f"：{REASON}）" in printed[0] and "重新打开" in printed[0]
    assert printed[1:5] == ["工号\t姓名\t项目\t变更前\t变更后\t变化",
                            "1003\t杜博欢\t其他调整\t350.00\t500.00\t+150.00",
                            "1009\t朱欢云\t其他调整\t500.00\t420.00\t-80.00",
                            "合计\t\t\t850.00\t920.00\t+70.00"]

    # a re-close that changes nothing still shows HR it happened, in the English workbook too
    assert runner.invoke(app, ["reopen", "2026-10", "--reason", "recheck", "--out", str(out)]).exit_code == 0
    same = runner.invoke(app, [*close, "--lang", "en"])
    assert same.exit_code == 0 and "no change against the previous close of 2026-10 (reopened by" in same.stdout
    names, rows = _rows(out / "2026-10" / WORKBOOK, "Changes")
    assert rows[0][:6] == ["employee id", "name", "component", "before", "after", "change"]
    assert rows[1:] == [["合计", None, None, 0, 0, 0, None, None, None]]


def test_a_change_line_keeps_money_exact():
    from csbatch.payroll.changes import ChangedLine, PayChanges, Reopening

    lines = (ChangedLine("1", "甲", "other", "其他调整", Decimal("0.10"), Decimal("0.30")),
             ChangedLine("2", "乙", "other", "其他调整", Decimal("0.20"), Decimal("0.00")))
    changed = PayChanges(lines, Reopening("2026-11-01T09:00:00+08:00", "hr@pc", "why"))
    assert (changed.before, changed.after, changed.change) == (Decimal("0.30"), Decimal("0.30"), Decimal("0.00"))
    assert list(changed.frame()["change"]) == [Decimal("0.20"), Decimal("-0.20"), Decimal("0.00")]
