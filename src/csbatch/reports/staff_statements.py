"""`staff/EMPLOYEE_ID.html`: one page per employee of the close (docs/outputs.md), so an agent
learns why a point was lost without being shown the whole department's KPI sheet.

A page holds only that employee's data: the scorecard as `csbatch explain` explains it (each
item's measured values, the input rows counted, the band or formula in words, points, the
multiplier and adjustments), the month's attendance, and every pay line with its reason (as
`explain --pay` explains them; they add up to payroll.csv's gross). Employees without a scorecard
(managers) get attendance and pay.

The close builds the explanations (`csbatch.closing.explanation`), this module only renders them:
`card` and `pay` are read by attribute (an `Explanation` and a `PayExplanation`), so reports does
not import the close. Rendering goes through the pages' Jinja environment (`csbatch.reports.pages`)
(autoescape on, StrictUndefined), and every free text passes through `mask_ids_in`, so a national
ID quoted in an input row or an adjustment's note shows masked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from csbatch.blanks import is_blank
from csbatch.i18n import said_in
from csbatch.idnumbers import mask_ids_in
from csbatch.policy.vocabulary import measure_word, show
from csbatch.reports.codewords import flag_word
from csbatch.reports.pages import environment, page_renderer, period_label, statement_filename, write_page
from csbatch.reports.tables import ATTENDANCE
from csbatch.rules.reasons import worded

TEMPLATE = "staff_statement.html.j2"
FOLDER = "staff"

SHOWN_ROWS = 12     # input rows listed per item; the rest are counted


@dataclass
class StaffPage:
    employee_id: str
    name: str
    role: str
    team: str | None
    attendance: dict[str, Any] | None   # the employee's row of the attendance summary
    card: Any                           # closing.explanation.Explanation, or None (no scorecard)
    total: Any                          # the scorecard total (Decimal), None when not rated
    pay: Any                            # closing.pay_explanation.PayExplanation, or None


@cache
def _attendance_labels(lang: str) -> tuple[tuple[str, str], ...]:
    """(column, label) of the attendance a page shows, worded once per language."""
    return tuple((col.name, col.label(lang)) for col in ATTENDANCE.columns
                 if col.name not in ("employee_id", "name"))


def _attendance_rows(row: dict[str, Any] | None, lang: str) -> list[tuple[str, Any]]:
    if row is None:
        return []
    return [(label, row.get(name)) for name, label in _attendance_labels(lang)]


def _number(value: Any) -> str:
    if is_blank(value):
        return "—"
    text = f"{value}"
    return text[:-2] if text.endswith(".0") else text


def _masked(value: Any) -> str:
    """An input's free text with national IDs masked (a short text holds none)."""
    if type(value) is str:
        return value if len(value) < 18 else mask_ids_in(value)
    return "" if is_blank(value) else mask_ids_in(str(value))


def _kept_words(wording: Callable[[str], str]) -> Callable[[str], str]:
    kept: dict[str, str] = {}

    def said(name: str) -> str:
        found = kept.get(name)
        if found is None:
            found = kept[name] = wording(name)
        return found

    return said


def _install_filters(env, lang: str) -> None:
    env.filters.setdefault("masked", _masked)
    env.filters.setdefault("number", _number)
    env.filters.setdefault("measured", lambda value, name: show(name, value, lang))
    # a measured value's word, a flag's: a few names, each worded once
    env.filters.setdefault("measure", _kept_words(lambda name: measure_word(lang, name)))
    env.filters.setdefault("flag", _kept_words(lambda flag: flag_word(flag, lang)))
    env.filters.setdefault("worded", lambda reason: worded(reason, lang))       # a pay line's reason
    env.filters.setdefault("said", lambda text: said_in(lang, text))            # an input row's place and note


def render_page(page: StaffPage, period: str, lang: str = "zh", company: str = "", env=None) -> str:
    env = env or environment(lang)
    _install_filters(env, lang)
    return _render(env.get_template(TEMPLATE).render, page, company, period, period_label(period, lang), lang)


def _render(render: Callable[..., str], page: StaffPage, company: str, period: str, label: str, lang: str) -> str:
    return render(p=page, company=company, period=period, period_label=label,
                  attendance=_attendance_rows(page.attendance, lang), shown_rows=SHOWN_ROWS)


def render_pages(pages: list[StaffPage], folder: Path, period: str, lang: str = "zh",
                 company: str = "") -> list[Path]:
    """Write `folder/staff/<employee_id>.html` for every page; returns the paths in order. The
    template is compiled (and looked up) once for all of them."""
    out = Path(folder) / FOLDER
    out.mkdir(parents=True, exist_ok=True)
    env = environment(lang)
    _install_filters(env, lang)
    render = page_renderer(env.get_template(TEMPLATE))
    label = period_label(period, lang)
    written: list[Path] = []
    seen: dict[str, str] = {}
    for page in pages:
        name = statement_filename(page.employee_id)
        if name in seen:
            raise ValueError(f"two staff pages would share {name}: employees {seen[name]!r} and {page.employee_id!r}")
        seen[name] = page.employee_id
        path = out / name
        write_page(str(path), _render(render, page, company, period, label, lang))
        written.append(path)
    return written


def attendance_by_employee(summary: pd.DataFrame) -> dict[str, dict[str, Any]]:
    return {str(r["employee_id"]): {str(k): v for k, v in r.items()} for r in summary.to_dict("records")}
