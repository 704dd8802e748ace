"""What a policy change would have done to closed months, as a workbook and a page
(`what-if/PERIOD-REV.xlsx` and `.html`): the tables `csbatch.closing.whatif` fills, written the
way every csbatch output is — workbook cells through `reports.workbook` (text never becomes a
formula), the page from `templates/what_if.html.j2` with autoescape on and no outside resources,
so it opens from a mail attachment and an employee named `<script>` stays text.

Only what changed is listed: a pay component of an employee whose amount differs, a score whose
total, grade or rank differs, a VIP member whose tier, points or voucher differs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd

from csbatch.i18n import N_, NC_, Said
from csbatch.reports.tables import Col, Table
from csbatch.reports.workbook import Workbook

PAY = Table("what_if_pay", N_("Pay"), (
    Col("period", "text", N_("period")), Col("employee_id", "id", N_("employee id")), Col("name", "text", N_("name")),
    Col("role", "text", N_("role")), Col("component", "text", N_("component")),
    Col("before", "money", NC_("what if pay", "before")),
    Col("after", "money", NC_("what if pay", "after")), Col("change", "money", N_("change")),
), row="pay component of an employee whose amount changes (应发合计: the employee's gross pay)")

SCORES = Table("what_if_scores", N_("Scores"), (
    Col("period", "text", N_("period")), Col("employee_id", "id", N_("employee id")), Col("name", "text", N_("name")),
    Col("scorecard", "text", N_("scorecard")), Col("total_before", "decimal", N_("total before")),
    Col("total_after", "decimal", N_("total after")), Col("total_change", "decimal", N_("total change")),
    Col("grade_before", "text", N_("grade before")), Col("grade_after", "text", N_("grade after")),
    Col("rank_before", "int", N_("rank before")), Col("rank_after", "int", N_("rank after")),
), row="employee whose total, grade or rank changes")

ROLES = Table("what_if_roles", N_("By role"), (
    Col("period", "text", N_("period")), Col("role", "text", N_("role")), Col("employees", "int", N_("employees")),
    Col("before", "money", NC_("what if roles", "before")), Col("after", "money", NC_("what if roles", "after")),
    Col("change", "money", N_("change")),
), row="role whose gross pay changes")

MEMBERS = Table("what_if_members", N_("VIP members"), (
    Col("period", "text", N_("period")), Col("customer_id", "id", N_("customer id")), Col("name", "text", N_("name")),
    Col("programme", "text", NC_("what if members", "programme")), Col("tier_before", "text", N_("tier before")),
    Col("tier_after", "text", N_("tier after")),
    Col("points_before", "int", N_("points before")), Col("points_after", "int", N_("points after")),
    Col("points_change", "int", N_("points change")),
    Col("voucher_before", "money", N_("voucher before")), Col("voucher_after", "money", N_("voucher after")),
    Col("voucher_change", "money", N_("voucher change")),
), row="member whose tier, points or voucher changes")

TOTALS = Table("what_if_totals", N_("Totals"), (
    Col("period", "text", N_("period")), Col("pay_before", "money", N_("pay before")),
    Col("pay_after", "money", N_("pay after")),
    Col("pay_change", "money", N_("pay change")), Col("employees_changed", "int", N_("employees changed")),
    Col("scores_changed", "int", N_("scores changed")), Col("members_changed", "int", N_("members changed")),
), row="month, then the months together")

RULES = Table("what_if_rules", N_("Rule changes"), (Col("change", "text", N_("change")),),
              row="rule change between the two policies")

SHEETS = (TOTALS, PAY, SCORES, ROLES, MEMBERS, RULES)
ALL_MONTHS = Said(N_("All months"))       # the months-together row of the totals


def said(text: str, lang: str) -> str:
    """A text of the report in the language (the policies' labels are `Said`)."""
    return text.text(lang) if isinstance(text, Said) else text


def _frame(table: Table) -> pd.DataFrame:
    return pd.DataFrame(columns=table.names)


@dataclass
class WhatIf:
    """One policy change applied to one or several closed months (tables as in `SHEETS`)."""

    periods: list[str]
    before: str              # the policy "before" was computed with, in words
    after: str               # the other policy, in words
    rules: list[str] = field(default_factory=list)
    pay: pd.DataFrame = field(default_factory=lambda: _frame(PAY))
    scores: pd.DataFrame = field(default_factory=lambda: _frame(SCORES))
    roles: pd.DataFrame = field(default_factory=lambda: _frame(ROLES))
    members: pd.DataFrame = field(default_factory=lambda: _frame(MEMBERS))
    totals: pd.DataFrame = field(default_factory=lambda: _frame(TOTALS))

    @property
    def pay_change(self) -> Decimal:
        """The cost of the change: gross pay after − before, every month together."""
        months = self.totals[self.totals["period"] != ALL_MONTHS]
        return sum((Decimal(x) for x in months["pay_change"]), Decimal(0))

    def frames(self, lang: str | None = None) -> dict[str, pd.DataFrame]:
        """The tables by name; with `lang`, every cell said in it (a name the policy gives a code,
        the months-together row)."""
        if lang is not None:
            return {name: frame.map(lambda v: v.text(lang) if isinstance(v, Said) else v)
                    for name, frame in self.frames().items()}
        return {"what_if_totals": self.totals, "what_if_pay": self.pay, "what_if_scores": self.scores,
                "what_if_roles": self.roles, "what_if_members": self.members,
                "what_if_rules": pd.DataFrame({"change": self.rules}, columns=RULES.names)}


def write_workbook(what: WhatIf, path: Path, lang: str = "zh") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook(path, lang, period=" – ".join(dict.fromkeys(what.periods[:1] + what.periods[-1:])))
    frames = what.frames(lang)
    for table in SHEETS:
        frame = frames[table.name]
        book.add_table_sheet(table, frame, lang, bold_last_row=table is TOTALS and len(what.periods) > 1)
    return book.close()


def _cell(value, kind: str) -> str:
    from csbatch.reports.pages import blank, money

    if kind == "money":
        return money(value)
    if kind in ("decimal", "int") and not isinstance(value, str):
        return blank(value if not isinstance(value, Decimal) else f"{value:f}")
    return blank(value)


def text_tables(what: WhatIf, lang: str = "zh") -> list[dict]:
    """Each table as text cells (title, headers, numeric per column, rows): the page and the
    terminal show the same, in the language."""
    frames = what.frames(lang)
    out = []
    for table in SHEETS:
        frame = frames[table.name]
        rows = [[_cell(v, c.kind) for v, c in zip(row, table.columns)]
                for row in frame[table.names].itertuples(index=False, name=None)]
        numeric = [c.kind in ("money", "decimal", "int") for c in table.columns]
        out.append({"title": table.title(lang), "headers": [c.label(lang) for c in table.columns],
                    "numeric": numeric, "rows": rows})
    return out


def render_page(what: WhatIf, lang: str = "zh") -> str:
    from csbatch.reports.pages import environment

    return environment(lang).get_template("what_if.html.j2").render(
        periods=what.periods, before=said(what.before, lang), after=said(what.after, lang),
        sheets=text_tables(what, lang))


def write_page(what: WhatIf, path: Path, lang: str = "zh") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_page(what, lang), encoding="utf-8")
    return path


__all__ = ["ALL_MONTHS", "SHEETS", "WhatIf", "render_page", "said", "text_tables", "write_page", "write_workbook"]
