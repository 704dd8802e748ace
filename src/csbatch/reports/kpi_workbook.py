"""`kpi_scorecards_PERIOD.xlsx`: one sheet per scorecard (a row per employee, each item's measured
value and points, then subtotal, multiplier, adjustments, total, grade, rank, flags), the team
summary, and native Excel charts of the grade distribution and the team means."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from csbatch.i18n import N_, word
from csbatch.money import half_up
from csbatch.reports.codewords import flags_text, spelled
from csbatch.reports.tables import SCORECARDS, TEAMS, Col, Kind, Table
from csbatch.reports.workbook import Workbook
from csbatch.scoring.cards import ScoreResult, teams_frame

_TAIL = tuple(c for c in SCORECARDS.columns
              if c.name in ("subtotal", "multiplier", "adjustments", "total", "grade", "rank", "flags"))


_LEAD = tuple(c for c in SCORECARDS.columns if c.name in ("employee_id", "name", "role", "team"))
MEASURED = N_("{item} (measured)")
POINTS = N_("{item} (points)")


def _card_table(code, card) -> Table:
    """The card's sheet: named by the policy in Chinese, by its code spelled out in English; each
    item's columns likewise."""
    cols = list(_LEAD)
    for item in card.items:
        parts: tuple[tuple[str, Kind, str], ...] = (("measured", "number", MEASURED), ("points", "decimal", POINTS))
        for suffix, kind, header in parts:
            cols.append(Col(f"{item.code}.{suffix}", kind, header.format(item=spelled(item.code)),
                            named=word("zh", header).format(item=item.name)))
    return Table(code, spelled(code)[:31], tuple(cols) + _TAIL, named=card.name[:31])


def _card_frame(card_score, policy, lang: str) -> pd.DataFrame:
    rows = []
    for s in card_score.members:
        m = s.member
        row = {"employee_id": m.employee_id, "name": m.name, "team": m.team,
               "role": policy.roles[m.role].name if m.role in policy.roles else m.role,
               "subtotal": s.subtotal, "multiplier": half_up(s.multiplier, 4),
               "adjustments": s.adjustment_points, "total": s.total, "grade": s.grade, "rank": s.rank,
               "flags": flags_text(s.flags, lang)}
        for code, item in s.items.items():
            row[f"{code}.measured"] = item.measured
            row[f"{code}.points"] = item.points
        rows.append(row)
    return pd.DataFrame(rows)


def write_kpi_workbook(path: Path, result: ScoreResult, policy, lang: str) -> Path:
    book = Workbook(path)
    for code, card_score in result.cards.items():
        if card_score.members:
            book.add_table_sheet(_card_table(code, card_score.card), _card_frame(card_score, policy, lang), lang)
    teams = teams_frame(result)
    cards = {code: c.card.name for code, c in result.cards.items()}
    shown = teams.assign(scorecard=[cards.get(c, c) if lang == "zh" else spelled(c) for c in teams["scorecard"]])
    book.add_table_sheet(TEAMS, shown, lang)
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
