"""`kpi_scorecards_PERIOD.xlsx`: one sheet per scorecard (a row per employee, each item's measured
value and points, then subtotal, multiplier, adjustments, total, grade, rank, flags), the team
summary of each scorecard, and native Excel charts: the grade distribution and, per scorecard,
its teams' means.

Read by managers: every figure a total comes from is on the sheet as it was used (the multiplier
with all its decimals, so subtotal × multiplier + adjustments gives the total to the cent), rates
read as percentages, and every team summary and team chart names its scorecard (a team such as
飞鹰组 can sit on several cards)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd

from csbatch.i18n import N_, translator, word
from csbatch.money import half_up
from csbatch.reports.codewords import flags_text
from csbatch.reports.tables import SCORECARDS, Col, Kind, Table, measured_kind
from csbatch.reports.workbook import Workbook
from csbatch.scoring.cards import ScoreResult, teams_frame
from csbatch.scoring.engine import CardScore, measured_name
from csbatch.text import spelled

_TAIL = tuple(c for c in SCORECARDS.columns
              if c.name in ("subtotal", "multiplier", "adjustments", "total", "grade", "rank", "flags"))


_LEAD = tuple(c for c in SCORECARDS.columns if c.name in ("employee_id", "name", "role", "team"))
MEASURED = N_("{item} (measured)")
POINTS = N_("{item} (points)")


def _card_table(code, card) -> Table:
    """The card's sheet: named by the policy in Chinese, by its code spelled out in English; each
    item's columns likewise: its measured value in its unit's format (rates in %, money in ¥),
    then its points, then the total's parts."""
    cols = list(_LEAD)
    for item in card.items:
        parts: tuple[tuple[str, Kind, str], ...] = (("measured", measured_kind(measured_name(item)), MEASURED),
                                                    ("points", "decimal", POINTS))
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
               "subtotal": s.subtotal, "multiplier": s.multiplier,
               "adjustments": s.adjustment_points, "total": s.total, "grade": s.grade, "rank": s.rank,
               "flags": flags_text(s.flags, lang)}
        for code, item in s.items.items():
            row[f"{code}.measured"] = item.measured
            row[f"{code}.points"] = item.points
        rows.append(row)
    return pd.DataFrame(rows)


def write_kpi_workbook(path: Path, result: ScoreResult, policy, lang: str, *, period: str = "") -> Path:
    book = Workbook(path, lang, company=policy.company.shown, period=period)
    cards = [c for c in result.cards.values() if c.members]
    for card_score in cards:
        book.add_table_sheet(_card_table(card_score.code, card_score.card), _card_frame(card_score, policy, lang), lang)
    grades = [b.label for b in policy.bands[policy.scoring.grades].bands]
    blocks = _team_summaries(book, cards, grades, lang)
    _charts(book, cards, grades, blocks, lang)
    return book.close()


# --- team summaries ---------------------------------------------------------------------------

#: The team summary's columns after the team: (header, key, kind); then a column per grade, then
#: the team's rank in the card's team competition.
_TEAM_FIGURES: tuple[tuple[str, str, Kind], ...] = (
    (N_("Team members"), "members", "int"),
    (N_("Rated members"), "rated", "int"),
    (N_("Mean before adjustments"), "mean_before_adjustments", "points"),
    (N_("Mean total"), "mean_total", "points"),
    (N_("Lowest total"), "min_total", "points"),
    (N_("Highest total"), "max_total", "points"),
)
_NO_TEAM = "—"


def _mean(values: list[Decimal]) -> Decimal | None:
    return half_up(sum(values, Decimal(0)) / len(values)) if values else None


def _figures(members: list, grades: list[str]) -> dict:
    totals = [s.total for s in members if s.total is not None]
    row = {"members": len(members), "rated": sum(1 for s in members if s.member.rated),
           "mean_before_adjustments": _mean([s.before_adjustments for s in members if s.member.rated]),
           "mean_total": _mean(totals), "min_total": min(totals, default=None),
           "max_total": max(totals, default=None), "team_rank": None}
    return row | {f"grade:{g}": sum(1 for s in members if s.grade == g) for g in grades}


def _team_rows(card: CardScore, grades: list[str], lang: str) -> list[dict]:
    """A row per team of the card (grouped, and ranked in the team competition, as `teams_frame`
    does), then a row over all the card's members."""
    groups: dict[str, list] = {}
    for s in card.members:
        groups.setdefault(s.member.team or _NO_TEAM, []).append(s)
    ranks = teams_frame(ScoreResult({card.code: card})).set_index("team")["team_rank"]
    rows = [{"team": team, **_figures(members, grades), "team_rank": ranks.get(team)}
            for team, members in sorted(groups.items())]
    _ = translator(lang)
    return [*rows, {"team": _("All teams"), **_figures(card.members, grades)}]


def _team_summaries(book: Workbook, cards: list[CardScore], grades: list[str],
                    lang: str) -> dict[str, tuple[str, int, int]]:
    """One sheet, a block per scorecard: the card's name as the block's title, a header row, a row
    per team and one for all teams. Returns card code → (sheet, first team row, last team row)
    for the charts."""
    _ = translator(lang)
    ws = book.book.add_worksheet(_("Team summary"))
    title = book.book.add_format({"bold": True, "font_size": 12})
    columns: list[tuple[str, str, Kind]] = [
        (_("Team"), "team", "text"), *((_(h), key, kind) for h, key, kind in _TEAM_FIGURES),
        *((_("Graded {grade}").format(grade=g), f"grade:{g}", "int") for g in grades),
        (_("Team rank"), "team_rank", "int")]
    for c, (header, _key, _kind) in enumerate(columns):
        ws.set_column(c, c, max(10, min(24, 2 * len(header) + 2)))
    blocks: dict[str, tuple[str, int, int]] = {}
    r = 0
    for card in cards:
        ws.write_string(r, 0, _("{scorecard}: teams").format(scorecard=_card_name(card)), title)
        for c, (header, _key, _kind) in enumerate(columns):
            ws.write_string(r + 1, c, header, book.header)
        rows = _team_rows(card, grades, lang)
        for i, row in enumerate(rows, start=r + 2):
            if i == r + 1 + len(rows):
                ws.set_row(i, None, book.bold)
            for c, (_header, key, kind) in enumerate(columns):
                book.write_value(ws, i, c, row[key], kind)
        blocks[card.code] = (ws.name, r + 2, r + len(rows))      # the team rows, not "all teams"
        r += len(rows) + 3
    return blocks


def _card_name(card: CardScore) -> str:
    """The scorecard as the policy names it (docs/language.md: a person never reads its code)."""
    return card.card.name


# --- charts -----------------------------------------------------------------------------------

_CHART_ROWS = 16        # a chart's height in rows (20 px each), and a little room below it
_CHART_WIDTH = 480      # px: XlsxWriter's default chart width (288 px high)
_COLUMN_PX = 64         # px: an unset column's width (8.43)
_GAP = 16               # px between two charts side by side


def _charts(book: Workbook, cards: list[CardScore], grades: list[str],
            blocks: dict[str, tuple[str, int, int]], lang: str) -> None:
    """A grade-count table with a clustered column chart beside it (a series per scorecard), then
    one bar chart per scorecard of its teams' means before adjustments (the team competition's
    figure), titled with the scorecard's name, two charts a row: the sheet prints one page wide,
    and two columns keep it short enough for one page (a column of charts ran onto a second page,
    cutting a chart at the page break)."""
    _ = translator(lang)
    ws = book.book.add_worksheet(_("Charts"))
    ws.write_string(0, 0, _("Grade distribution"), book.header)
    for j, card in enumerate(cards, start=1):
        ws.write_string(1, j, _card_name(card), book.header)
    for i, grade in enumerate(grades, start=2):
        ws.write_string(i, 0, grade)
        for j, card in enumerate(cards, start=1):
            ws.write_number(i, j, sum(1 for s in card.members if s.grade == grade))
    # the right-hand column of charts: clear of the grade table and of a chart on the left
    right = max((len(cards) + 2) * _COLUMN_PX, _CHART_WIDTH + _GAP)
    if cards and grades:
        chart = book.book.add_chart({"type": "column"})
        for j in range(1, len(cards) + 1):
            chart.add_series({"name": [ws.name, 1, j], "categories": [ws.name, 2, 0, 1 + len(grades), 0],
                              "values": [ws.name, 2, j, 1 + len(grades), j]})
        chart.set_title({"name": _("Grades by scorecard")})
        chart.set_x_axis({"name": _("grade")})
        chart.set_y_axis({"name": _("employees")})
        ws.insert_chart(1, 0, chart, {"x_offset": right})
    top = max(1 + _CHART_ROWS, len(grades) + 3)     # below the grade chart and the grade table
    mean_column = 1 + [key for _h, key, _k in _TEAM_FIGURES].index("mean_before_adjustments")
    for n, card in enumerate(cards):
        sheet, first, last = blocks[card.code]
        chart = book.book.add_chart({"type": "bar"})
        chart.add_series({"name": _("Mean before adjustments"),
                          "categories": [sheet, first, 0, last, 0],
                          "values": [sheet, first, mean_column, last, mean_column],
                          "data_labels": {"value": True}})
        chart.set_title({"name": _("{scorecard}: team means before adjustments").format(
            scorecard=_card_name(card))})
        chart.set_legend({"none": True})
        ws.insert_chart(top + n // 2 * _CHART_ROWS, 0, chart, {"x_offset": n % 2 * right})
