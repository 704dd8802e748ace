"""The performance bonus's team part through the real close, from real sheets ([002] "根据团队整体业绩
和个人业绩完成情况，发放绩效奖金"): `team_share` of the bonus base is paid on the mean total of the
rated members of the employee's team on the same scorecard, the rest on the employee's own total,
each part to the fen half-up; the pay line's reason and `csbatch explain --pay` say both parts."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from builders import write_attendance, write_xlsx
from conftest import git_commit_all
from csbatch.closing.explanation import explain
from csbatch.closing.runs import monthly_close
from csbatch.money import to_cents
from csbatch.rules.reasons import worded

PERIOD = "2026-10"
BASE = Decimal(500)             # config/pay.yaml: the bonus base of 网购客服
ROSTER = [["工号", "姓名", "岗位", "班组", "入职日期", "底薪", "销售指标"],
          ["A01", "甲", "网购客服", "一组", "2025-01-01", 2200, 8000],
          ["B02", "乙", "网购客服", "二组", "2025-01-01", 2200, 8000],
          ["C03", "丙", "网购客服", "一组", "2025-01-01", 2200, 8000],
          ["D04", "丁", "网购客服", "二组", "2025-01-01", 2200, 8000],
          ["E05", "戊", "网购客服", "", "2025-01-01", 2200, 8000]]        # in no team


def _month(folder: Path) -> Path:
    """Four e-commerce agents in two teams and one in none, with sales far apart so the totals
    (and the team means) differ."""
    write_xlsx(folder / "员工名册.xlsx", {"Sheet1": ROSTER})
    people = [row[0] for row in ROSTER[1:]]
    write_attendance(folder, people, PERIOD)
    sold = {"A01": 9650, "B02": 7200, "C03": 8950, "D04": 4300, "E05": 8600}
    write_xlsx(folder / "销售订单.xlsx", {"Sheet1": [
        ["订单号", "下单日期", "客服工号", "客户编号", "实收金额", "订单状态"],
        *[[f"O{n}", f"2026-10-{10 + n:02d}", e, f"K{n}", amount, "已完成"] for n, (e, amount) in enumerate(sold.items())]]})
    write_xlsx(folder / "接待统计.xlsx", {"Sheet1": [["工号", "日期", "咨询人数", "成交人数"],
                                                  *[[e, "2026-10-15", 20, 19] for e in people]]})
    write_xlsx(folder / "产量表.xlsx", {"Sheet1": [["工号", "月份", "上报销售额", "提交时间"],
                                                *[[e, "2026-10", a, "2026-11-01 16:00"] for e, a in sold.items()]]})
    return folder


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _fen(value: Decimal) -> Decimal:
    return to_cents(value)


def _close(tmp_path: Path, policy_copy, share: str):
    policy_copy.edit("pay.yaml", "team_share: 30%", f"team_share: {share}")
    git_commit_all(tmp_path)
    month, out = _month(tmp_path / "in"), tmp_path / "out"
    outcome = monthly_close(PERIOD, month, out, policy_copy.root)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    totals = {r["employee_id"]: Decimal(r["total"]) for r in _rows(out / PERIOD / "data" / "scorecards.csv")}
    bonus = {r["employee_id"]: r for r in _rows(out / PERIOD / "data" / "payroll_components.csv")
             if r["component"] == "performance_bonus"}
    return month, totals, bonus


def test_a_30_percent_team_share_splits_the_bonus_to_the_fen(tmp_path, policy_copy):
    month, totals, bonus = _close(tmp_path, policy_copy, "30%")
    assert len(set(totals.values())) == 5                  # everyone's total differs
    means = {"一组": _fen((totals["A01"] + totals["C03"]) / 2), "二组": _fen((totals["B02"] + totals["D04"]) / 2)}
    team_of = {"A01": "一组", "C03": "一组", "B02": "二组", "D04": "二组"}
    for emp, team in team_of.items():
        team_part = _fen(BASE * Decimal("0.3") * min(means[team], Decimal(120)) / 100)
        own_part = _fen(BASE * Decimal("0.7") * min(totals[emp], Decimal(120)) / 100)
        assert Decimal(bonus[emp]["amount"]) == team_part + own_part
        assert Decimal(bonus[emp]["amount"]) != _fen(BASE * min(totals[emp], Decimal(120)) / 100)
        assert bonus[emp]["reason"].startswith(
            f"team part 30% on team {team}'s mean total {means[team]:f}: ¥{team_part:,.2f}; "
            f"own part 70% on own total {totals[emp]:f}: ¥{own_part:,.2f}")
    # no team: the whole bonus on the own total, as without a team part
    assert Decimal(bonus["E05"]["amount"]) == _fen(BASE * min(totals["E05"], Decimal(120)) / 100)
    assert "team part" not in bonus["E05"]["reason"]

    _, pay, issues = explain("A01", PERIOD, month, policy_copy.root, pay=True, lang="en")
    assert pay is not None, [str(i) for i in issues]
    item, = [i for i in pay.items if i.component == "performance_bonus"]
    assert "30% × min(team's mean total, 120) + 70% × min(scorecard total, 120)" in item.rule
    shown = [text for text, _ in item.inputs]
    assert f"scorecard total {totals['A01']:f}" in shown
    assert "team share 30%" in shown
    assert (f"team 一组 mean total {means['一组']:f} over 2 rated: A01 甲 {totals['A01']:f}, "
            f"C03 丙 {totals['C03']:f}") in shown
    _, zh, _ = explain("A01", PERIOD, month, policy_copy.root, pay=True, lang="zh")
    assert zh is not None
    item, = [i for i in zh.items if i.component == "performance_bonus"]
    assert worded(item.reason, "zh").startswith(f"团队部分 30% 按一组平均总分 {means['一组']:f}")


def test_no_team_share_pays_the_whole_bonus_on_the_own_total(tmp_path, policy_copy):
    _, totals, bonus = _close(tmp_path, policy_copy, "0%")
    for emp in ("A01", "B02", "C03", "D04", "E05"):
        assert Decimal(bonus[emp]["amount"]) == _fen(BASE * min(totals[emp], Decimal(120)) / 100)
        assert bonus[emp]["reason"] == ""
