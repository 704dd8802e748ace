"""`audit_report_PERIOD.html`: the month's audit for reading (docs/outputs.md) — one self-contained page
rendered from `templates/audit_report.html.j2` with jinja2, autoescape on: inline CSS, charts as
inline SVG (`csbatch.reports.charts`), no fonts, images or scripts from anywhere, and a strict
Content-Security-Policy whose only script is the page's own check that each chart drew (pinned by
its sha256).

The page leads with the headline figures and their change against the previous closed month, then
shows what went wrong, breaches first: deadlines (and their counts per person and rule),
complaints (SLA by category, open past SLA, losses, special-price refunds), callbacks, QA (who
needs coaching, team × item heatmap, taboos, agents not audited, auditors compared) and the trends.
A complaint described as
`<script>alert(1)</script>` prints as those characters.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from csbatch.audit.deadline_checks import by_person
from csbatch.audit.report import FIGURES
from csbatch.blanks import is_blank
from csbatch.i18n import N_, resolve_lang, word, yes_no
from csbatch.money import half_up, to_cents
from csbatch.reports import charts
from csbatch.reports.audit_workbook import (
    DEADLINE_BREACHES,
    DEADLINE_STATUS,
    FIGURE_KINDS,
    qa_sections,
    trend_values,
)
from csbatch.reports.cells import to_decimal
from csbatch.reports.codewords import stages_texts
from csbatch.reports.pages import DASH, environment, page_renderer, period_label

TEMPLATE = "audit_report.html.j2"

#: Figures where a rise is good news; for the others (complaints, losses …) a fall is.
HIGHER_IS_BETTER = {"complaints_on_time_share", "callback_completion", "callback_satisfied_share",
                    "qa_mean_score", "deadlines_on_time_share"}

#: After load, each chart's figure says whether its SVG has a size (`data-drawn="yes"`) or not
#: ("no"), so a headless browser's DOM shows a chart that failed to draw.
DRAWN_SCRIPT = (
    "(function(){function mark(){var figs=document.querySelectorAll('figure.chart');"
    "for(var i=0;i<figs.length;i++){var s=figs[i].querySelector('svg');"
    "var r=s?s.getBoundingClientRect():null;"
    "figs[i].setAttribute('data-drawn',r&&r.width>0&&r.height>0?'yes':'no');}}"
    "mark();window.addEventListener('load',mark);})();"
)


def script_hash(script: str = DRAWN_SCRIPT) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


# --- formatting --------------------------------------------------------------------------------

def _dec(value: Any) -> Decimal | None:
    if is_blank(value) or value == "":
        return None
    return to_decimal(value)


def fmt(value: Any, kind: str) -> str:
    """A value as the page shows it: rate 0.953 → "95.3%", money → "¥1,234.50", decimal (a score)
    → "86.5", int → "1,234"; missing → "—". A Python int shown as an int (the by-person table's
    counts, five a row) is written at once: `int(Decimal(n))` is n."""
    if kind == "int" and type(value) is int:
        return f"{value:,}"
    d = _dec(value)
    if d is None:
        return DASH
    if kind == "rate":
        return f"{half_up(d * 100, 1)}%"
    if kind == "money":
        q = to_cents(d)
        return f"{'-' if q < 0 else ''}¥{abs(q):,.2f}"
    if kind == "decimal":
        return f"{half_up(d, 1):,}"
    if kind == "int":
        return f"{int(d):,}"
    return f"{d.normalize():f}"


def delta(change: Decimal, kind: str, lang: str = "zh") -> str:
    """A change with its sign: "+3", "-2.5 个百分点" ("-2.5 points"), "+¥1,200.00", "+1.5"."""
    sign = "+" if change > 0 else "-" if change < 0 else "±"
    size = abs(change)
    if kind == "rate":
        return word(lang, N_("{change} percentage points")).format(change=f"{sign}{half_up(size * 100, 1)}")
    return sign + fmt(size, kind)


def datetime_text(value: Any) -> str:
    """A date and time to the minute; a datetime (a pandas Timestamp is one) formatted as it is:
    `Timestamp.strftime` is `datetime.strftime` of the same fields, without a new Timestamp a cell.
    A Timestamp or datetime (never blank: a missing one is NaT, another type) of a four-digit year
    is written from its fields, the digits `strftime` writes (it costs ~3 µs a cell, the deadline
    tables' two times a row); an earlier year goes through `strftime` (which may not pad it)."""
    kind = type(value)
    if (kind is pd.Timestamp or kind is dt.datetime) and value.year >= 1000:
        return f"{value.year}-{value.month:02d}-{value.day:02d} {value.hour:02d}:{value.minute:02d}"
    if is_blank(value) or value == "":
        return DASH
    if isinstance(value, dt.datetime):
        return dt.datetime.strftime(value, "%Y-%m-%d %H:%M")
    return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")


def yesno(value: Any, lang: str = "zh") -> str:
    return DASH if is_blank(value) or value == "" else yes_no(lang, bool(value))


def _rows(frame: pd.DataFrame) -> list[dict]:
    return [] if frame is None else frame.to_dict("records")


# --- the page's content ------------------------------------------------------------------------

def headline(report, lang: str = "zh") -> list[dict]:
    """Each figure of FIGURES: this month's value, the previous closed month's, the change and
    whether the change is good news."""
    values = trend_values(report)
    out = []
    for code in FIGURES:
        label = word(lang, FIGURES[code])
        kind = FIGURE_KINDS.get(code, "number")
        series = values.get(code, {})
        now = _dec((report.figures or {}).get(code))
        earlier = [(p, v) for p in sorted(series) if p < report.period and (v := _dec(series[p])) is not None]
        item = dict(code=code, label=label, value=fmt(now, kind), previous_period=None, previous=None,
                    change=None, tone="flat")
        if now is not None and earlier:
            previous_period, before = earlier[-1]
            change = now - before
            item.update(previous_period=previous_period, previous=fmt(before, kind), change=delta(change, kind, lang))
            if change:
                better = (change > 0) == (code in HIGHER_IS_BETTER)
                item["tone"] = "better" if better else "worse"
        out.append(item)
    return out


def _status_order(frame: pd.DataFrame, column: str, order: tuple[str, ...]) -> pd.DataFrame:
    rank = {s: i for i, s in enumerate(order)}
    return frame.assign(_rank=[rank.get(s, len(rank)) for s in frame[column]]).sort_values(
        ["_rank"], kind="stable").drop(columns="_rank")


def deadline_context(report, lang: str = "zh", people: pd.DataFrame | None = None) -> dict:
    """The deadlines' part of the page; `people`, `by_person(report.deadlines)` when the caller
    has it already (the close counts it once for the workbook and the page)."""
    frame = report.deadlines
    breaches = _status_order(frame[frame["status"].isin(DEADLINE_BREACHES)], "status", ("missing", "late"))
    names = frame["rule_name"] if "rule_name" in frame.columns else frame["rule"]
    summary: dict[str, dict] = {}
    for rule, name, status in zip(frame["rule"], names, frame["status"]):
        row = summary.get(rule)
        if row is None:     # a rule's dict made for its first item only, not for every item
            row = summary[rule] = dict(rule=rule, name=name if not is_blank(name) else rule, total=0,
                                       **dict.fromkeys(DEADLINE_STATUS, 0))
        row["total"] += 1
        if status in row:
            row[status] += 1
    failed = frame[[v is False for v in frame["passed"]]] if "passed" in frame.columns else frame.iloc[:0]
    return dict(breaches=_rows(breaches), failed_tests=_rows(failed), by_rule=list(summary.values()),
                by_person=_rows(by_person(frame) if people is None else people), total=len(frame),
                on_time=int((frame["status"] == "on_time").sum()),
                chart=charts.deadlines_by_rule(frame, lang=lang))


def complaint_context(report, lang: str = "zh") -> dict:
    frame = report.complaints
    breaches = _status_order(frame[frame["sla_status"].isin(("open_past_sla", "late"))], "sla_status",
                             ("open_past_sla", "late"))
    losses = frame[[(_dec(v) or 0) > 0 for v in frame["loss_amount"]]] if len(frame) else frame
    loss_total = sum((_dec(v) or Decimal(0) for v in frame["loss_amount"]), Decimal(0))
    return dict(total=len(frame), our_fault=int(sum(bool(v) for v in frame["our_fault"] if not is_blank(v))),
                open_past_sla=int((frame["sla_status"] == "open_past_sla").sum()),
                late=int((frame["sla_status"] == "late").sum()),
                breaches=_rows(breaches), losses=_rows(losses), loss_total=loss_total,
                categories=_rows(report.complaint_categories), exceptions=_rows(report.exceptions),
                stages=_stage_rows(report.complaint_stages, lang),
                chart=charts.complaint_sla(report.complaint_categories, lang=lang))


def _stage_rows(frame: pd.DataFrame, lang: str) -> list[dict]:
    """The complaints lacking a stage, their missing stages in words."""
    rows = _rows(frame)
    for row, text in zip(rows, stages_texts([r["missing"] for r in rows], lang)):
        row["missing"] = text
    return rows


def callback_context(report) -> dict:
    frame = report.callbacks
    if len(frame):
        frame = frame.assign(_c=[_dec(v) if _dec(v) is not None else Decimal(2) for v in frame["completion"]])
        frame = frame.sort_values(["_c", "employee_id"], kind="stable").drop(columns="_c")
    rows = _rows(frame)
    for row in rows:
        c = _dec(row.get("completion"))
        row["short"] = c is not None and c < 1
        row["unhappy"] = (_dec(row.get("dissatisfied")) or 0) > 0
    planned = sum(int(_dec(r.get("planned")) or 0) for r in rows)
    done = sum(int(_dec(r.get("done")) or 0) for r in rows)
    return dict(rows=rows, planned=planned, done=done)


def qa_context(report, policy, lang: str = "zh") -> dict:
    sections = qa_sections(report, policy)
    agents = report.qa_agents
    rule = policy.audit
    coaching = []
    for row in _rows(agents):
        score = _dec(row.get("mean_score"))
        violations = int(_dec(row.get("violations")) or 0)
        low = score is not None and score < rule.coaching.qa_below
        if low or (rule.coaching.any_taboo and violations > 0):
            row["low"] = low
            coaching.append(row)
    coaching.sort(key=lambda r: (_dec(r.get("mean_score")) if _dec(r.get("mean_score")) is not None
                                 else Decimal(999), str(r.get("employee_id"))))
    groups = [(s.name, [i.code for i in s.items]) for s in policy.questionnaire.sections]
    texts = {i.code: i.text for s in policy.questionnaire.sections for i in s.items}
    legend = [dict(code=str(c), text=texts.get(str(c), "")) for c in report.qa_heatmap.columns]
    auditors = _rows(report.auditors)
    for row in auditors:
        diff = _dec(row.get("difference"))
        row["far"] = diff is not None and abs(diff) >= rule.auditor_gap
    counts = [int(_dec(v) or 0) for v in agents["audits"]] if "audits" in agents.columns else []
    return dict(sections=sections, coaching=coaching, teams=_rows(report.qa_teams), legend=legend,
                taboos=_rows(report.taboos), not_audited=_rows(report.not_audited), auditors=auditors,
                audits=sum(counts), audited=sum(1 for n in counts if n > 0), low=rule.coaching.qa_below,
                gap=rule.auditor_gap,
                chart=charts.qa_heatmap(report.qa_heatmap, groups, lang=lang))


def trend_context(report, lang: str = "zh") -> dict:
    labels = {code: word(lang, FIGURES[code]) for code in FIGURES}
    drawn = charts.trends(report.trends, labels, FIGURE_KINDS)
    periods = sorted({str(p) for p in report.trends["period"]}) if len(report.trends) else []
    return dict(charts=[dict(code=code, label=labels[code], svg=Markup(svg)) for code, svg in drawn.items()],
                periods=periods)


def render_audit_page(report, policy, lang: str = "zh", people: pd.DataFrame | None = None) -> str:
    """The page's HTML in `lang`, with the company's name (company.yaml) over the title."""
    lang = resolve_lang(lang)
    env = environment(lang)
    env.filters.update(fmt=fmt, dt=datetime_text, yesno=lambda value: yesno(value, lang))
    deadlines = deadline_context(report, lang, people)
    complaints = complaint_context(report, lang)
    qa = qa_context(report, policy, lang)
    for ctx in (deadlines, complaints, qa):
        ctx["chart"] = Markup(ctx["chart"]) if ctx["chart"] else None
    # page_renderer: what `render` gives, the tables' thousands of printed values escaped without a Markup each
    return page_renderer(env.get_template(TEMPLATE))(
        period=report.period, period_label=period_label(report.period, lang), figures=headline(report, lang),
        deadlines=deadlines, complaints=complaints, callbacks=callback_context(report), qa=qa,
        trends=trend_context(report, lang),
        deadline_status={code: word(lang, name) for code, name, _ in charts.DEADLINE_SERIES},
        sla_status={code: word(lang, name) for code, name, _ in charts.SLA_SERIES},
        company=policy.company.shown, script=Markup(DRAWN_SCRIPT), script_hash=script_hash())


def write_audit_page(path: Path, report, policy, lang: str = "zh", people: pd.DataFrame | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_audit_page(report, policy, lang, people), encoding="utf-8", newline="\n")
    return path
