"""Issue 13, item 1: `csbatch review 2026Q3` / `csbatch review 2026` reads the closed months of the
period from the ledger (refusing, by name, every month not closed), and publishes
OUT/review-LABEL/: each employee's months, mean and rank, the team competition, the award
candidates by config/awards.yaml, the annual review sheet for a year, a page and a recognitions
sheet that the next month's close pays as awards.

The months are real closes of generated months (`csbatch sample`, the smallest roster that holds
every role) into one ledger; the review runs through the command line and its workbook is read
back. Expected values come from what each month's close published (data/*.csv), not from the
review's own reading of the ledger."""

from __future__ import annotations

import csv
import itertools
import shutil
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import CONFIG
from csbatch.cli import app
from csbatch.money import to_cents
from csbatch.policy import load_policy

runner = CliRunner()
QUARTER = ("2026-07", "2026-08", "2026-09")   # paid in 2026-10 (the calendar knows no 2027 yet)
EMPLOYEES = "20"   # the fewest a sample holds every role with


def _cli(*args) -> object:
    return runner.invoke(app, [*map(str, args)], catch_exceptions=False)


def _sample(period: str, folder: Path) -> Path:
    result = _cli("sample", period, "--out", folder, "--employees", EMPLOYEES, "--config", CONFIG)
    assert result.exit_code == 0, result.output
    return folder


def _close(period: str, inputs: Path, out: Path) -> None:
    result = _cli("monthly-close", period, "--inputs", inputs, "--out", out, "--config", CONFIG)
    assert result.exit_code == 0, result.output


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _sheet(path: Path, title: str) -> list[dict]:
    ws = openpyxl.load_workbook(path)[title]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def _mean(values) -> Decimal:
    return to_cents(sum(values, Decimal(0)) / len(values))


@pytest.fixture(scope="module")
def quarter(tmp_path_factory) -> dict:
    """2026-07 and 2026-08 closed, a review of 2026Q3 tried (refused), 2026-09 closed, reviewed."""
    root = tmp_path_factory.mktemp("review")
    out = root / "out"
    for period in QUARTER[:2]:
        _close(period, _sample(period, root / f"in-{period}"), out)
    early = _cli("--lang", "en", "review", "2026Q3", "--out", out, "--config", CONFIG)
    _close(QUARTER[2], _sample(QUARTER[2], root / f"in-{QUARTER[2]}"), out)
    reviewed = _cli("review", "2026Q3", "--out", out, "--config", CONFIG)
    assert reviewed.exit_code == 0, reviewed.output
    return {"root": root, "out": out, "early": early, "folder": out / "review-2026Q3"}


def test_a_quarter_review_refuses_a_month_not_yet_closed(quarter):
    early = quarter["early"]
    assert early.exit_code == 1
    assert "2026-09 of 2026Q3 is not closed" in early.output
    assert "2026-07 of" not in early.output and "2026-08 of" not in early.output


def test_a_year_review_names_every_month_not_closed(quarter):
    result = _cli("--lang", "en", "review", "2026", "--out", quarter["out"], "--config", CONFIG)
    assert result.exit_code == 1
    for month in (*range(1, 7), 10, 11, 12):
        assert f"2026-{month:02d} of 2026 is not closed" in result.output
    assert "2026-07 of 2026" not in result.output
    assert not (quarter["out"] / "review-2026").exists()


@pytest.mark.parametrize("period", ["2026Q5", "2026-10", "26Q3"])
def test_a_period_that_is_neither_a_quarter_nor_a_year_is_refused(quarter, period):
    result = _cli("--lang", "en", "review", period, "--out", quarter["out"], "--config", CONFIG)
    assert result.exit_code == 1
    assert f"{period} is not a quarter or a year" in result.output


def test_no_ledger_is_refused(tmp_path):
    result = _cli("--lang", "en", "review", "2026Q3", "--out", tmp_path, "--config", CONFIG)
    assert result.exit_code == 1 and "no ledger at" in result.output


def _published(out: Path) -> pd.DataFrame:
    """Every month's published scorecards (data/scorecards.csv), one frame."""
    frames = [pd.DataFrame(_rows(out / p / "data" / "scorecards.csv")).assign(period=p) for p in QUARTER]
    return pd.concat(frames, ignore_index=True)


def test_each_employee_has_the_months_totals_grades_mean_and_rank(quarter):
    book = quarter["folder"] / "review_2026Q3.xlsx"
    people = {str(r["工号"]): r for r in _sheet(book, "员工")}
    published = _published(quarter["out"])
    assert set(people) == set(published["employee_id"])
    for eid, rows in published.groupby("employee_id"):
        row = people[eid]
        for r in rows.itertuples():
            assert row[f"{r.period} 总分"] == (float(r.total) if r.total else None), (eid, r.period)
            assert row[f"{r.period} 等级"] == (r.grade or None)
        rated = [Decimal(t) for t, ok in zip(rows["total"], rows["rated"]) if ok == "true" and t]
        assert row["月均总分"] == (float(_mean(rated)) if rated else None)
    # the rank of the mean within each scorecard, best first
    for card in {r["考核表"] for r in people.values()}:
        ranked = sorted((r for r in people.values() if r["考核表"] == card and r["月均总分"] is not None),
                        key=lambda r: -r["月均总分"])
        assert ranked[0]["排名"] == 1
        assert all(a["排名"] <= b["排名"] for a, b in itertools.pairwise(ranked))


def test_the_team_competition_ranks_each_teams_mean_total_per_month(quarter, policy):
    teams = _sheet(quarter["folder"] / "review_2026Q3.xlsx", "团队竞赛")
    card_of = {card.name: code for code, card in policy.scorecards.items()}
    published = _published(quarter["out"])
    rated = published[(published["rated"] == "true") & (published["total"] != "") & (published["team"] != "")]
    assert len(teams) == rated.groupby(["scorecard", "team"]).ngroups
    for t in teams:
        members = rated[(rated["team"] == t["班组"]) & (rated["scorecard"] == card_of[t["考核表"]])]
        monthly = []
        for p in QUARTER:
            totals = [Decimal(v) for v in members[members["period"] == p]["total"]]
            assert t[f"{p} 平均总分"] == (float(_mean(totals)) if totals else None)
            if totals:
                monthly.append(_mean(totals))
        assert t["月均总分"] == float(_mean(monthly))
    for code in {card_of[t["考核表"]] for t in teams}:
        ranked = sorted((t for t in teams if card_of[t["考核表"]] == code), key=lambda t: -t["月均总分"])
        assert ranked[0]["排名"] == 1 and all(a["排名"] <= b["排名"] for a, b in itertools.pairwise(ranked))


def test_award_candidates_follow_the_policys_rules(quarter):
    folder = quarter["folder"]
    people = {str(r["工号"]): r for r in _sheet(folder / "review_2026Q3.xlsx", "员工")}
    candidates = {r["奖项"]: r for r in _sheet(folder / "review_2026Q3.xlsx", "奖项候选")}
    assert set(candidates) == {"季度销售冠军", "季度优秀客服"}   # the year's awards wait for the year
    best_sales = max(r["计入销售额"] for r in people.values())
    assert people[str(candidates["季度销售冠军"]["工号"])]["计入销售额"] == best_sales
    ecommerce = [r for r in people.values() if r["考核表"] == "网购客服绩效考核表" and r["月均总分"] is not None]
    assert candidates["季度优秀客服"]["值"] == max(r["月均总分"] for r in ecommerce)
    # counted sales: what each month's ecommerce sales item measured, summed over the quarter
    items = pd.concat([pd.DataFrame(_rows(quarter["out"] / p / "data" / "scorecard_items.csv")) for p in QUARTER])
    sales = items[(items["scorecard"] == "ecommerce") & (items["item"] == "sales")]
    for eid, rows in sales.groupby("employee_id"):
        assert Decimal(str(people[eid]["计入销售额"])) == sum(Decimal(v) for v in rows["measured"])


def _reviewed(quarter):
    """The quarter's review as the library builds it from the fixture's ledger, and the policy."""
    from csbatch.closing.review import ReviewPeriod, build_review
    from csbatch.ledger.store import Ledger
    from csbatch.policy import load_policy

    policy, _ = load_policy(CONFIG)
    ledger = Ledger(quarter["out"] / "csbatch-ledger.sqlite")
    try:
        review, _ = build_review(ledger, ReviewPeriod.parse("2026Q3"), policy)
    finally:
        ledger.close()
    return review, policy


def test_the_page_shows_the_review_escaped(quarter):
    page = (quarter["folder"] / "review_2026Q3.html").read_text(encoding="utf-8")
    assert "2026Q3" in page and "团队竞赛" in page and "奖项候选" in page
    from csbatch.reports.review_outputs import render_page

    review, policy = _reviewed(quarter)
    people = review.people.copy()
    people.loc[0, "name"] = "<script>alert(1)</script>"
    html = render_page(replace(review, people=people), policy, "zh")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_year_review_adds_the_annual_review_sheet(quarter, tmp_path):
    """The annual sheet's writer, on the quarter's real figures presented as a year (closing twelve
    months would take the suite a minute)."""
    from csbatch.reports.review_outputs import write_review

    review, policy = _reviewed(quarter)
    write_review(replace(review, kind="year", label="2026"), tmp_path, policy, "zh")
    book = openpyxl.load_workbook(tmp_path / "review_2026.xlsx")
    assert "年度考核表" in book.sheetnames
    annual = _sheet(tmp_path / "review_2026.xlsx", "年度考核表")
    assert {"工号", "姓名", "月均总分", "排名", "评优候选", "主管评价"} <= set(annual[0])
    assert book["年度考核表"].print_options is not None and book["年度考核表"].page_setup.paperSize == 9


def test_the_recognitions_sheet_pays_the_awards_in_the_next_close(quarter, tmp_path):
    """The review's recognitions file, dropped into 2026-10's inputs as it is: the quarter's
    awards are paid (pay.yaml `awards`: 1000 and 500) by that close, besides the recognitions the
    month's own ledger sheet (月度台账[奖惩记录]) records."""
    out = tmp_path / "out"
    shutil.copytree(quarter["out"], out)     # the quarter's ledger, closed on in a copy
    candidates = {r["奖项"]: str(r["工号"]) for r in _sheet(quarter["folder"] / "review_2026Q3.xlsx", "奖项候选")}
    inputs = _sample("2026-10", tmp_path / "in-2026-10")
    recognitions = quarter["folder"] / "奖惩记录_2026Q3.xlsx"
    assert [r["类型"] for r in _sheet(recognitions, "奖惩记录")] == list(candidates)
    own = [(str(r["工号"]), r["奖惩类型"]) for r in _sheet(inputs / "月度台账_2026-10.xlsx", "奖惩记录")]
    shutil.copy(recognitions, inputs)
    _close("2026-10", inputs, out)
    lines = _rows(out / "2026-10" / "data" / "payroll_components.csv")
    paid = [(r["employee_id"], r["reason"], Decimal(r["amount"])) for r in lines if r["component"] == "awards"]
    # one awards line per employee, its reasons joined by "; " (a month's own award may share it)
    policy, _ = load_policy(CONFIG)
    cash = {r.name: policy.pay.components["awards"].amounts.get(code, Decimal(0))
            for code, r in policy.recognitions.items()}
    for award in ("季度销售冠军", "季度优秀客服"):
        eid = candidates[award]
        reasons = [name for e, reason, _ in paid if e == eid for name in reason.split("; ")]
        assert reasons.count(award) == own.count((eid, award)) + 1, award
        mine = [name for e, name in own if e == eid] + [award]
        assert sum(a for e, _, a in paid if e == eid) == sum(cash.get(n, Decimal(0)) for n in mine), award


@pytest.mark.parametrize(("old", "new", "message"), [
    ("excellent_cs_year:      {period: year", "excellent_cs_decade:    {period: year", "excellent_cs_decade"),
    ("scorecards: [ecommerce], source: \"[004]\"}  # 季度", "scorecards: [ecomerce], source: \"[004]\"}  # 季度",
     "ecomerce"),
    ("{period: quarter, rule: highest_counted_sales", "{period: month, rule: highest_counted_sales", "period"),
])
def test_a_bad_award_is_a_policy_error_with_its_place(policy_copy, old, new, message):
    policy_copy.edit("awards.yaml", old, new)
    loaded, issues = policy_copy.load()
    assert loaded is None
    errors = [str(i) for i in issues if i.is_error]
    assert any(e.startswith("config/awards.yaml:") and message in e for e in errors), errors


def test_the_chinese_review_shows_no_codes(quarter):
    """The language-leak scanner over the review's workbook, page and recognitions sheet."""
    from leaks import leaks, output_codes, page_texts, policy_codes, workbook_texts

    codes = policy_codes(CONFIG) | set().union(*(output_codes(quarter["out"] / p / "data") for p in QUARTER))
    folder = quarter["folder"]
    texts = [*workbook_texts(folder / "review_2026Q3.xlsx"), *workbook_texts(folder / "奖惩记录_2026Q3.xlsx"),
             *page_texts(folder / "review_2026Q3.html")]
    assert leaks(texts, codes) == []


def test_a_review_written_again_replaces_the_earlier_one(quarter, tmp_path):
    folder = tmp_path / "out" / "review-2026Q3"
    shutil.copytree(quarter["folder"], folder)
    shutil.copy(quarter["out"] / "csbatch-ledger.sqlite", tmp_path / "out")
    result = _cli("--lang", "en", "review", "2026Q3", "--out", tmp_path / "out", "--config", CONFIG)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == ["recognition_2026Q3.xlsx", "review_2026Q3.html",
                                                        "review_2026Q3.xlsx"]
    assert "Team competition" in openpyxl.load_workbook(folder / "review_2026Q3.xlsx").sheetnames


def test_a_reopened_month_is_not_closed_for_the_review(quarter, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(quarter["out"], out)
    reopened = _cli("reopen", "2026-09", "--reason", "late adjustments", "--out", out)
    assert reopened.exit_code == 0, reopened.output
    result = _cli("--lang", "en", "review", "2026Q3", "--out", out, "--config", CONFIG)
    assert result.exit_code == 1
    assert "2026-09 of 2026Q3 is not closed" in result.output and "2026-08 of" not in result.output
