"""`audit_report_PERIOD.xlsx`: the month's audit for managers (docs/outputs.md), one
sheet per check of the `AuditReport`:

- 时限检查 / Deadlines: every deadline check (deadlines.csv columns, then the employee's name);
  late and missing rows red.
- 时限按人汇总 / Deadlines by person: per employee and rule, the items on time, late, missing,
  absent with a reason and not yet due (the deadline sheet counted); late amber, missing red.
- 投诉 / Complaints: every complaint (complaints.csv columns, then due time, customer, order,
  description); late and open-past-SLA rows red.
- 投诉分类 / Complaint categories: counts by category; open past SLA red.
- 投诉环节缺失 / Complaint stages missing: resolved complaints lacking a stage their category
  requires (complaints.yaml), the stages in words; amber.
- 特价退款例外 / Special-price refunds: refunds of orders that are never returnable.
- 回访 / Callbacks: planned vs done per agent; completion below 100 % amber, dissatisfied red.
- 督导问卷-客服 / QA agents and 督导问卷-班组 / QA teams: mean scores (below 80 amber) and the
  questionnaire's sections.
- 问卷项目得分率 / QA items by team: the heatmap as a table (a red–amber–green colour scale).
- 服务禁忌 / Taboos, 未检测客服 / Not audited, 督导员对比 / Auditors (an auditor whose mean is
  5 points or more from the overall mean is highlighted), 趋势 / Trends (headline figures by month).

Highlights are conditional formats, so they follow rows when someone sorts or filters. The rule,
category and status codes print as words: in Chinese the policy's names and the catalogue's words,
in English the catalogue's words and the policy's codes spelled out (the policy names them in
Chinese only); the CSV files keep the codes.
Every sheet has a frozen header and filters; money is ¥-formatted numbers, dates are dates, and
text that looks like a formula stays text (`Workbook`).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
from xlsxwriter.utility import xl_col_to_name

from csbatch.audit.deadline_checks import by_person
from csbatch.audit.report import FIGURES
from csbatch.blanks import is_blank
from csbatch.i18n import N_, NC_, word
from csbatch.reports.cells import to_decimal
from csbatch.reports.codewords import stages_texts
from csbatch.reports.tables import (
    AUDIT_EXCEPTIONS,
    AUDITORS,
    CALLBACKS,
    COMPLAINT_CATEGORIES,
    COMPLAINT_STAGES,
    COMPLAINTS_SHEET,
    DEADLINES_BY_PERSON,
    DEADLINES_SHEET,
    NOT_AUDITED,
    TABOOS,
    Col,
    Table,
    qa_agents_table,
    qa_teams_table,
)
from csbatch.reports.workbook import Workbook
from csbatch.text import spelled

#: A QA mean score below this is "low" (amber in the workbook, 需辅导 on the page).
#: An auditor whose mean differs from the overall mean by at least this many points is flagged.

DEADLINE_STATUS = {"on_time": NC_("deadline", "on time"), "late": NC_("deadline", "late"),
                   "missing": N_("missing"), "open": N_("not yet due"), "excused": N_("absent with a reason")}
SLA_STATUS = {"on_time": N_("on time"), "late": N_("late"), "open_within_sla": N_("open within sla"),
              "open_past_sla": N_("open past sla")}
DEADLINE_BREACHES = ("late", "missing")
SLA_BREACHES = ("late", "open_past_sla")

#: How each headline figure is shown: shares as percentages, losses as money, counts as integers.
FIGURE_KINDS: dict[str, str] = {
    "complaints": "int", "complaints_on_time_share": "rate", "complaints_open_past_sla": "int",
    "our_fault_share": "rate", "losses": "money", "callback_completion": "rate",
    "callback_satisfied_share": "rate", "qa_mean_score": "decimal", "not_audited": "int",
    "deadlines_on_time_share": "rate", "special_price_refunds": "int",
}

def qa_sections(report, policy) -> list[tuple[str, str]]:
    """The questionnaire sections the QA frames carry, as (code, name), in policy order."""
    cols = list(report.qa_agents.columns)
    return [(s.code, s.name) for s in policy.questionnaire.sections if s.code in cols]


def _names(frame: pd.DataFrame, code_col: str, name_col: str, labels: dict | None = None) -> pd.Series:
    """The names of a code column for a Chinese sheet: the frame's name column where it has one,
    else a fixed label, else the code."""
    names = frame[name_col] if name_col in frame.columns else pd.Series([None] * len(frame), index=frame.index)
    return pd.Series([n if not is_blank(n) and str(n) != "" else (labels or {}).get(c, c)
                      for c, n in zip(frame[code_col], names)], index=frame.index, dtype=object)


def _ensure(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Columns of the sheet the frame does not carry come out blank (an extra for reading)."""
    missing = [c for c in table.names if c not in frame.columns]
    return frame.assign(**dict.fromkeys(missing)) if missing else frame


class _Sheets:
    def __init__(self, path: Path, lang: str, company: str = "", period: str = ""):
        self.book = Workbook(Path(path), lang, company=company, period=period)
        self.lang = lang
        self.zh = lang == "zh"
        wb = self.book.book
        self.red = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
        self.amber = wb.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"})
        self.grey = wb.add_format({"font_color": "#808080"})

    def sheet(self, table: Table, frame: pd.DataFrame):
        frame = _ensure(frame, table)
        self.book.add_table_sheet(table, frame, self.lang)
        ws = self.book.book.get_worksheet_by_name(table.title(self.lang))
        return ws, max(len(frame), 1)

    def rows_where(self, ws, table: Table, n: int, column: str, values, fmt) -> None:
        """Highlight whole rows whose `column` shows one of `values` (as written on this sheet)."""
        letter = xl_col_to_name(table.names.index(column))
        quoted = (v.replace('"', '""') for v in values)
        test = ",".join(f'${letter}2="{v}"' for v in quoted)
        ws.conditional_format(1, 0, n, len(table.columns) - 1,
                              {"type": "formula", "criteria": f"=OR({test})", "format": fmt})

    def status_sheet(self, table: Table, frame: pd.DataFrame, name_of: tuple[str, str], status: str,
                     labels: dict[str, str], breaches) -> tuple:
        """A sheet whose rows carry a status: the code column shows names (Chinese: the policy's; English:
        the code spelled out) and the status its words; rows with a breach status are red. Returns
        (ws, n, shown status text by code)."""
        frame = frame.copy()
        frame[name_of[0]] = self.names(frame, *name_of)
        shown = {k: word(self.lang, v) for k, v in labels.items()}
        frame[status] = frame[status].map(lambda v: shown.get(v, v))
        ws, n = self.sheet(table, frame)
        self.rows_where(ws, table, n, status, [shown[k] for k in breaches], self.red)
        return ws, n, shown

    def names(self, frame: pd.DataFrame, code_col: str, name_col: str) -> pd.Series:
        if self.zh:
            return _names(frame, code_col, name_col)
        return frame[code_col].map(lambda c: c if is_blank(c) else spelled(str(c)))

    def cells(self, ws, table: Table, n: int, column: str, rule: dict) -> None:
        c = table.names.index(column)
        ws.conditional_format(1, c, n, c, rule)


def write_audit_workbook(path: Path, report, policy, lang: str = "zh", people: pd.DataFrame | None = None) -> Path:
    """Write the audit workbook of `report` (an AuditReport) to `path`; `policy` names the
    questionnaire's sections and items and holds the highlighting thresholds; `people`,
    `by_person(report.deadlines)` when the caller has it already (left as it is)."""
    s = _Sheets(path, lang, policy.company.shown, report.period)

    # deadlines ------------------------------------------------------------------------------
    ws, n, shown = s.status_sheet(DEADLINES_SHEET, report.deadlines, ("rule", "rule_name"), "status",
                                  DEADLINE_STATUS, DEADLINE_BREACHES)
    s.rows_where(ws, DEADLINES_SHEET, n, "status", [shown["open"]], s.grey)
    people = by_person(report.deadlines) if people is None else people
    people = people.assign(rule=s.names(people, "rule", "rule_name"))
    ws, n = s.sheet(DEADLINES_BY_PERSON, people)
    for col in DEADLINE_BREACHES:
        s.cells(ws, DEADLINES_BY_PERSON, n, col, {"type": "cell", "criteria": ">", "value": 0,
                                                  "format": s.red if col == "missing" else s.amber})

    # complaints -----------------------------------------------------------------------------
    ws, n, _ = s.status_sheet(COMPLAINTS_SHEET, report.complaints, ("category", "category_name"), "sla_status",
                              SLA_STATUS, SLA_BREACHES)
    s.cells(ws, COMPLAINTS_SHEET, n, "loss_amount", {"type": "cell", "criteria": ">", "value": 0,
                                                      "format": s.amber})

    frame = report.complaint_categories.copy()
    frame["category"] = s.names(frame, "category", "category_name")
    ws, n = s.sheet(COMPLAINT_CATEGORIES, frame)
    for col in ("open_past_sla", "late"):
        s.cells(ws, COMPLAINT_CATEGORIES, n, col, {"type": "cell", "criteria": ">", "value": 0,
                                                   "format": s.red if col == "open_past_sla" else s.amber})

    stages = report.complaint_stages.copy()
    stages["category"] = s.names(stages, "category", "category_name")
    stages["missing"] = stages_texts(stages["missing"], lang)
    ws, n = s.sheet(COMPLAINT_STAGES, stages)
    s.cells(ws, COMPLAINT_STAGES, n, "missing", {"type": "no_blanks", "format": s.amber})

    exceptions = report.exceptions
    if exceptions is not None and len(exceptions):
        exceptions = exceptions.assign(note=[word(lang, n) for n in exceptions["note"]])
    s.sheet(AUDIT_EXCEPTIONS, exceptions)

    # callbacks ------------------------------------------------------------------------------
    ws, n = s.sheet(CALLBACKS, report.callbacks)
    target = float(policy.audit.callback_completion_target)       # a conditional format's threshold
    s.cells(ws, CALLBACKS, n, "completion", {"type": "cell", "criteria": "<", "value": target,
                                             "format": s.amber})
    s.cells(ws, CALLBACKS, n, "dissatisfied", {"type": "cell", "criteria": ">", "value": 0, "format": s.red})

    # QA ---------------------------------------------------------------------------------------
    sections = qa_sections(report, policy)
    low = {"type": "cell", "criteria": "<", "value": float(policy.audit.coaching.qa_below), "format": s.amber}
    table = qa_agents_table(sections)
    ws, n = s.sheet(table, report.qa_agents)
    s.cells(ws, table, n, "mean_score", low)
    s.cells(ws, table, n, "violations", {"type": "cell", "criteria": ">", "value": 0, "format": s.red})
    table = qa_teams_table(sections)
    ws, n = s.sheet(table, report.qa_teams)
    s.cells(ws, table, n, "mean_score", low)
    _heatmap_sheet(s, report.qa_heatmap, policy)

    ws, n = s.sheet(TABOOS, report.taboos)
    s.cells(ws, TABOOS, n, "violations", {"type": "data_bar", "bar_color": "#F8696B",
                                                  "data_bar_2010": False})
    s.sheet(NOT_AUDITED, report.not_audited)
    ws, n = s.sheet(AUDITORS, report.auditors)
    letter = xl_col_to_name(AUDITORS.names.index("difference"))
    ws.conditional_format(1, 0, n, len(AUDITORS.columns) - 1, {
        "type": "formula", "format": s.amber,
        "criteria": f'=AND(ISNUMBER(${letter}2),ABS(${letter}2)>={policy.audit.auditor_gap})'})

    _trends_sheet(s, report)
    return s.book.close()


def _heatmap_sheet(s: _Sheets, heatmap: pd.DataFrame, policy) -> None:
    texts = {i.code: i.text for sec in policy.questionnaire.sections for i in sec.items}
    items = [str(c) for c in heatmap.columns]
    table = Table("qa_heatmap", N_("QA items by team"), (
        Col("team", "text", N_("team")),
        *(Col(code, "rate", code, named=f"{code} {texts[code]}" if code in texts else "") for code in items),
    ))
    frame = heatmap.copy()
    frame.columns = items
    frame = frame.reset_index(names="team") if len(frame) else pd.DataFrame(columns=["team", *items])
    ws, n = s.sheet(table, frame)
    if items:
        ws.set_column(1, len(items), 9)
        ws.set_row(0, 48)
        ws.conditional_format(1, 1, n, len(items), {
            "type": "3_color_scale", "min_type": "num", "min_value": 0.5, "min_color": "#F8696B",
            "mid_type": "num", "mid_value": 0.75, "mid_color": "#FFEB84",
            "max_type": "num", "max_value": 1, "max_color": "#63BE7B"})


def _trends_sheet(s: _Sheets, report) -> None:
    """Figures down, months across (oldest first), then the change against the previous month."""
    zh = s.zh
    book = s.book
    ws = book.book.add_worksheet(word(s.lang, N_("Trends")))
    values = trend_values(report)
    periods = sorted({p for per in values.values() for p in per})
    head = [word(s.lang, N_("figure")), *periods, word(s.lang, NC_("trends", "change"))]
    for c, label in enumerate(head):
        ws.write_string(0, c, label, book.header)
    ws.set_column(0, 0, 18 if zh else 26)
    ws.set_column(1, len(head) - 1, 12)
    for r, (code, label) in enumerate(FIGURES.items(), start=1):
        kind = FIGURE_KINDS.get(code, "number")
        book.write_value(ws, r, 0, word(s.lang, label), "text")
        series = values.get(code, {})
        for c, period in enumerate(periods, start=1):
            book.write_value(ws, r, c, series.get(period), kind)
        change = _change(series, report.period)
        book.write_value(ws, r, len(head) - 1, change, "rate" if kind == "rate" else kind)
    ws.freeze_panes(1, 1)
    book.prints(ws, rows=1, columns=1)
    ws.autofilter(0, 0, len(FIGURES), len(head) - 1)


def trend_values(report) -> dict[str, dict[str, Any]]:
    """figure → {period → value}: the trend rows, with this month's figures where the trend lacks
    them."""
    out: dict[str, dict[str, Any]] = {}
    trends = report.trends
    if trends is not None and len(trends):
        for period, figure, value in zip(trends["period"], trends["figure"], trends["value"]):
            out.setdefault(str(figure), {})[str(period)] = None if is_blank(value) else value
    for code, value in (report.figures or {}).items():
        out.setdefault(code, {}).setdefault(report.period, value)
    return out


def _change(series: dict[str, Any], period: str) -> Decimal | None:
    """This month's value minus the latest earlier month's (None when either is missing)."""
    now = series.get(period)
    earlier = [p for p in sorted(series) if p < period and not is_blank(series[p])]
    if is_blank(now) or now is None or not earlier:
        return None
    return to_decimal(now) - to_decimal(series[earlier[-1]])
