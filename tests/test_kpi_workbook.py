"""The KPI workbook as a manager reads it, from the sample month's real close: a team summary per
scorecard with the figures of `data/scorecards.csv`, one team chart per scorecard titled with its
name, a total that can be redone from the sheet, measured rates as percentages."""

from __future__ import annotations

import csv
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest

from conftest import CONFIG, SAMPLES
from csbatch.closing.runs import monthly_close
from csbatch.money import half_up

PERIOD = "2026-10"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


@pytest.fixture
def month(sample_close) -> Path:
    return sample_close


def _scorecards(month: Path) -> list[dict[str, str]]:
    with (month / "data/scorecards.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _blocks(ws) -> dict[str, list[dict]]:
    """The team summary sheet's blocks: title → its rows as {header: value}."""
    blocks, rows = {}, list(ws.iter_rows(values_only=True))
    i = 0
    while i < len(rows):
        if rows[i][0] and all(v is None for v in rows[i][1:]):
            header = rows[i + 1]
            body = []
            i += 2
            while i < len(rows) and rows[i][0] is not None:
                body.append(dict(zip(header, rows[i])))
                i += 1
            blocks[rows[i - len(body) - 2][0]] = body
        i += 1
    return blocks


def _charts(path: Path) -> list[tuple[str, list[str]]]:
    """Each chart's title and the cell ranges its series read (categories and values)."""
    out = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)):
            root = ElementTree.fromstring(z.read(name))
            title = "".join(t.text or "" for t in root.find(f"{C}chart/{C}title").iter(f"{A}t"))
            out.append((title, [f.text for f in root.iter(f"{C}f")]))
    return out


def _mean(values: list[Decimal]) -> Decimal | None:
    return half_up(sum(values, Decimal(0)) / len(values)) if values else None


def test_team_summary_per_scorecard_matches_scorecards_csv(month, policy):
    ws = openpyxl.load_workbook(month / f"kpi_scorecards_{PERIOD}.xlsx")["班组汇总"]
    blocks = _blocks(ws)
    rows = _scorecards(month)
    cards = sorted({r["scorecard"] for r in rows})
    assert sorted(blocks) == sorted(f"{policy.scorecards[c].name}：班组汇总" for c in cards)
    grades = [b.label for b in policy.bands[policy.scoring.grades].bands]
    for code in cards:
        block = blocks[f"{policy.scorecards[code].name}：班组汇总"]
        on_card = [r for r in rows if r["scorecard"] == code]
        teams = sorted({r["team"] or "—" for r in on_card})
        assert [b["班组"] for b in block] == [*teams, "全部班组"]
        for shown in block:
            members = [r for r in on_card if (r["team"] or "—") == shown["班组"] or shown["班组"] == "全部班组"]
            rated = [r for r in members if r["rated"] == "true"]
            totals = [Decimal(r["total"]) for r in rated]
            assert shown["人数"] == len(members) and shown["参评人数"] == len(rated)
            assert Decimal(str(shown["平均总分"])) == _mean(totals)
            assert Decimal(str(shown["平均分（加扣分前）"])) == _mean(
                [Decimal(r["total"]) - Decimal(r["adjustments"]) for r in rated])
            assert Decimal(str(shown["最低总分"])) == min(totals) and Decimal(str(shown["最高总分"])) == max(totals)
            for g in grades:
                assert shown[f"{g}级人数"] == sum(1 for r in members if r["grade"] == g), (code, shown["班组"], g)
    # the sample's e-commerce card: 星辰组 (1005 and 1008 rated) leads 飞鹰组 in the team competition
    ecommerce = {b["班组"]: b for b in blocks["网购客服绩效考核表：班组汇总"]}
    assert (ecommerce["星辰组"]["班组排名"], ecommerce["飞鹰组"]["班组排名"]) == (1, 2)
    assert ecommerce["星辰组"]["人数"] == 3 and ecommerce["星辰组"]["参评人数"] == 2   # 1021 not rated


def test_one_team_chart_per_scorecard_titled_with_its_name(month, policy):
    path = month / f"kpi_scorecards_{PERIOD}.xlsx"
    ws = openpyxl.load_workbook(path)["班组汇总"]
    charts = _charts(path)
    cards = sorted({r["scorecard"] for r in _scorecards(month)})
    assert charts[0][0] == "各考核表等级分布"
    team_charts = charts[1:]
    assert sorted(t for t, _ in team_charts) == sorted(
        f"{policy.scorecards[c].name}：班组平均分（加扣分前）" for c in cards)
    for title, ranges in team_charts:
        name = title.removesuffix("：班组平均分（加扣分前）")
        # the chart's categories are exactly that scorecard's teams on the summary sheet
        categories = [m for f in ranges if (m := re.fullmatch(r"'?班组汇总'?!\$A\$(\d+)(?::\$A\$(\d+))?", f))]
        first, last = (int(n or categories[0][1]) for n in categories[0].groups())
        block = _blocks(ws)[f"{name}：班组汇总"]
        assert [ws.cell(r, 1).value for r in range(first, last + 1)] == [b["班组"] for b in block[:-1]]


def _shown(value: float, number_format: str) -> Decimal:
    """A number as its cell's format shows it (the formats used here: 0.00##, 0.##, 0.00)."""
    places = len(number_format.split(".")[1]) if "." in number_format else 0
    return half_up(Decimal(str(value)), places).normalize()


def test_total_can_be_redone_from_the_sheet_to_the_cent(month, policy):
    wb = openpyxl.load_workbook(month / f"kpi_scorecards_{PERIOD}.xlsx")
    csv_rows = {r["employee_id"]: r for r in _scorecards(month)}
    redone = 0
    for code in sorted({r["scorecard"] for r in csv_rows.values()}):
        ws = wb[policy.scorecards[code].name[:31]]
        header = [c.value for c in ws[1]]
        at = {h: header.index(h) + 1 for h in ("工号", "小计", "系数", "加扣分", "总分")}
        for r in range(2, ws.max_row + 1):
            emp = ws.cell(r, at["工号"]).value
            subtotal, multiplier, adjustments, total = (ws.cell(r, at[h]) for h in ("小计", "系数", "加扣分", "总分"))
            # what the sheet shows is what the close used
            assert _shown(multiplier.value, multiplier.number_format) == Decimal(csv_rows[emp]["multiplier"]), emp
            if total.value is None:
                continue
            again = half_up(_shown(subtotal.value, subtotal.number_format)
                            * _shown(multiplier.value, multiplier.number_format)) \
                + _shown(adjustments.value, adjustments.number_format)
            assert again == Decimal(csv_rows[emp]["total"]) == _shown(total.value, total.number_format), emp
            redone += 1
    assert redone == sum(1 for r in csv_rows.values() if r["total"])
    assert any(Decimal(r["multiplier"]).as_tuple().exponent == -4 for r in csv_rows.values())   # 0.9356


def test_measured_rates_are_percentages_and_amounts_yuan(month):
    wb = openpyxl.load_workbook(month / f"kpi_scorecards_{PERIOD}.xlsx")
    invitation = wb["邀约客服绩效考核表"]
    formats = {h.value: c.number_format for h, c in zip(invitation[1], invitation[2])}
    assert formats["邀约成功率（测量值）"] == formats["工作任务完成率（测量值）"] == "0.00%"
    assert formats["沟通技巧（测量值）"] == "#,##0.####"            # a rating stays a number
    ecommerce = wb["网购客服绩效考核表"]
    formats = {h.value: c.number_format for h, c in zip(ecommerce[1], ecommerce[2])}
    assert formats["销售业绩（测量值）"].startswith("¥")


def test_english_workbook_names_its_sheets_and_blocks_from_the_catalogue(tmp_path, policy):
    assert monthly_close(PERIOD, SAMPLES / PERIOD, tmp_path / "out", CONFIG, lang="en").ok
    path = tmp_path / "out" / PERIOD / f"kpi_scorecards_{PERIOD}.xlsx"
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[-2:] == ["Team summary", "Charts"]
    blocks = _blocks(wb["Team summary"])
    name = policy.scorecards["ecommerce"].name
    assert list(blocks[f"{name}: teams"][0]) == [
        "Team", "Team members", "Rated members", "Mean before adjustments", "Mean total", "Lowest total",
        "Highest total", "Graded A", "Graded B", "Graded C", "Graded D", "Team rank"]
    assert f"{name}: team means before adjustments" in [t for t, _ in _charts(path)]
