"""`kpi_scorecards_PERIOD.xlsx`: one sheet per scorecard (a row per employee, each item's measured
value and points, then subtotal, multiplier, adjustments, total, grade, rank, flags), the team
summary, and native Excel charts of the grade distribution and the team means."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from csbatch.money import half_up
from csbatch.reports.tables import SCORECARDS, TEAMS, Col, Table, measured_kind
from csbatch.reports.workbook import Workbook
from csbatch.scoring.cards import ScoreResult, teams_frame
from csbatch.scoring.engine import measured_name

_TAIL = tuple(c for c in SCORECARDS.columns
              if c.name in ("subtotal", "multiplier", "adjustments", "total", "grade", "rank", "flags"))


def _card_table(code, card, lang) -> Table:
    cols = [Col("employee_id", "id", "工号"), Col("name", "text", "姓名"), Col("role", "text", "岗位"),
            Col("team", "text", "班组")]
    for item in card.items:
        cols.append(Col(f"{item.code}.measured", measured_kind(measured_name(item)), f"{item.name}（测量值）"))
        cols.append(Col(f"{item.code}.points", "decimal", f"{item.name}（得分）"))
    title = card.name[:31] if lang == "zh" else code[:31]
    return Table(code, title, title, tuple(cols) + _TAIL)


def _card_frame(card_score, policy) -> pd.DataFrame:
    rows = []
    for s in card_score.members:
        m = s.member
        row = {"employee_id": m.employee_id, "name": m.name, "team": m.team,
               "role": policy.roles[m.role].name if m.role in policy.roles else m.role,
               "subtotal": s.subtotal, "multiplier": half_up(s.multiplier, 4),
               "adjustments": s.adjustment_points, "total": s.total, "grade": s.grade, "rank": s.rank,
               "flags": " ".join(s.flags)}
        for code, item in s.items.items():
            row[f"{code}.measured"] = item.measured
            row[f"{code}.points"] = item.points
        rows.append(row)
    return pd.DataFrame(rows)


def write_kpi_workbook(path: Path, result: ScoreResult, policy, lang: str, *, period: str = "") -> Path:
    book = Workbook(path, lang, company=policy.company.shown, period=period)
    for code, card_score in result.cards.items():
        if card_score.members:
            book.add_table_sheet(_card_table(code, card_score.card, lang), _card_frame(card_score, policy), lang)
    teams = teams_frame(result)
    book.add_table_sheet(TEAMS, teams, lang)
    _charts(book, result, teams, [b.label for b in policy.bands[policy.scoring.grades].bands], lang)
    return book.close()


def _charts(book: Workbook, result: ScoreResult, teams: pd.DataFrame, grades: list[str], lang: str) -> None:
    """A grade-count table with a clustered column chart, and a bar chart of team means."""
    zh = lang == "zh"
    ws = book.book.add_worksheet("图表" if zh else "Charts")
    cards = [c for c in result.cards.values() if c.members]
    ws.write_string(0, 0, "等级分布" if zh else "Grade distribution", book.header)
    for j, card in enumerate(cards, start=1):
        ws.write_string(1, j, card.card.name if zh else card.code, book.header)
    for i, grade in enumerate(grades, start=2):
        ws.write_string(i, 0, grade)
        for j, card in enumerate(cards, start=1):
            ws.write_number(i, j, sum(1 for s in card.members if s.grade == grade))
    if cards and grades:
        chart = book.book.add_chart({"type": "column"})
        for j in range(1, len(cards) + 1):
            chart.add_series({"name": [ws.name, 1, j], "categories": [ws.name, 2, 0, 1 + len(grades), 0],
                              "values": [ws.name, 2, j, 1 + len(grades), j]})
        chart.set_title({"name": "等级分布" if zh else "Grades"})
        chart.set_x_axis({"name": "等级" if zh else "grade"})
        chart.set_y_axis({"name": "人数" if zh else "employees"})
        ws.insert_chart(1, len(cards) + 2, chart)
    if len(teams):
        chart = book.book.add_chart({"type": "bar"})
        sheet = TEAMS.title(lang)
        n = len(teams)
        chart.add_series({"name": "平均分" if zh else "mean before adjustments",
                          "categories": [sheet, 1, 1, n, 1], "values": [sheet, 1, 4, n, 4]})
        chart.set_title({"name": "班组平均分（加扣分前）" if zh else "Team means"})
        chart.set_legend({"none": True})
        ws.insert_chart(18, len(cards) + 2, chart)
