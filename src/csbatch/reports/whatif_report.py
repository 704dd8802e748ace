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

from csbatch.i18n import N_, word
from csbatch.reports.tables import Col, Table
from csbatch.reports.workbook import Workbook

PAY = Table("what_if_pay", "工资变化", "Pay", (
    Col("period", "text", "月份"), Col("employee_id", "id", "工号"), Col("name", "text", "姓名"),
    Col("role", "text", "岗位"), Col("component", "text", "项目"), Col("before", "money", "原金额"),
    Col("after", "money", "新金额"), Col("change", "money", "变化"),
), row="pay component of an employee whose amount changes (应发合计: the employee's gross pay)")

SCORES = Table("what_if_scores", "考核变化", "Scores", (
    Col("period", "text", "月份"), Col("employee_id", "id", "工号"), Col("name", "text", "姓名"),
    Col("scorecard", "text", "考核表"), Col("total_before", "decimal", "原总分"),
    Col("total_after", "decimal", "新总分"), Col("total_change", "decimal", "总分变化"),
    Col("grade_before", "text", "原等级"), Col("grade_after", "text", "新等级"),
    Col("rank_before", "int", "原排名"), Col("rank_after", "int", "新排名"),
), row="employee whose total, grade or rank changes")

ROLES = Table("what_if_roles", "岗位汇总", "By role", (
    Col("period", "text", "月份"), Col("role", "text", "岗位"), Col("employees", "int", "人数"),
    Col("before", "money", "原应发合计"), Col("after", "money", "新应发合计"), Col("change", "money", "变化"),
), row="role whose gross pay changes")

MEMBERS = Table("what_if_members", "会员变化", "VIP members", (
    Col("period", "text", "月份"), Col("customer_id", "id", "客户编号"), Col("name", "text", "姓名"),
    Col("programme", "text", "会员体系"), Col("tier_before", "text", "原等级"), Col("tier_after", "text", "新等级"),
    Col("points_before", "int", "原积分"), Col("points_after", "int", "新积分"),
    Col("points_change", "int", "积分变化"),
    Col("voucher_before", "money", "原返现"), Col("voucher_after", "money", "新返现"),
    Col("voucher_change", "money", "返现变化"),
), row="member whose tier, points or voucher changes")

TOTALS = Table("what_if_totals", "合计", "Totals", (
    Col("period", "text", "月份"), Col("pay_before", "money", "原应发合计"), Col("pay_after", "money", "新应发合计"),
    Col("pay_change", "money", "变化"), Col("employees_changed", "int", "工资变化人数"),
    Col("scores_changed", "int", "考核变化人数"), Col("members_changed", "int", "会员变化人数"),
), row="month, then the months together")

RULES = Table("what_if_rules", "规则变化", "Rule changes", (Col("change", "text", "变化"),),
              row="rule change between the two policies")

SHEETS = (TOTALS, PAY, SCORES, ROLES, MEMBERS, RULES)
ALL_MONTHS = "合计"


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

    def frames(self) -> dict[str, pd.DataFrame]:
        return {"what_if_totals": self.totals, "what_if_pay": self.pay, "what_if_scores": self.scores,
                "what_if_roles": self.roles, "what_if_members": self.members,
                "what_if_rules": pd.DataFrame({"change": self.rules}, columns=RULES.names)}


def write_workbook(what: WhatIf, path: Path, lang: str = "zh") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook(path, lang, period=" – ".join(dict.fromkeys(what.periods[:1] + what.periods[-1:])))
    frames = what.frames()
    for table in SHEETS:
        frame = frames[table.name]
        book.add_table_sheet(table, frame, lang, bold_last_row=table is TOTALS and len(what.periods) > 1)
    return book.close()


def _cell(value, kind: str) -> str:
    from csbatch.reports.vip_statements import blank, money

    if kind == "money":
        return money(value)
    if kind in ("decimal", "int") and not isinstance(value, str):
        return blank(value if not isinstance(value, Decimal) else f"{value:f}")
    return blank(value)


def text_tables(what: WhatIf, lang: str = "zh") -> list[dict]:
    """Each table as text cells (title, headers, numeric per column, rows): the page and the
    terminal show the same; the months-together row says so in the language."""
    frames = what.frames()
    out = []
    for table in SHEETS:
        frame = frames[table.name]
        rows = [[_cell(v, c.kind) for v, c in zip(row, table.columns)]
                for row in frame[table.names].itertuples(index=False, name=None)]
        if "period" in table.names:
            at = table.names.index("period")
            for cells in rows:
                cells[at] = word(lang, N_("All months")) if cells[at] == ALL_MONTHS else cells[at]
        numeric = [c.kind in ("money", "decimal", "int") for c in table.columns]
        out.append({"title": table.title(lang), "headers": [c.label(lang) for c in table.columns],
                    "numeric": numeric, "rows": rows})
    return out


def render_page(what: WhatIf, lang: str = "zh") -> str:
    from csbatch.reports.vip_statements import environment

    return environment(lang).get_template("what_if.html.j2").render(
        periods=what.periods, before=what.before, after=what.after, sheets=text_tables(what, lang))


def write_page(what: WhatIf, path: Path, lang: str = "zh") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_page(what, lang), encoding="utf-8")
    return path


__all__ = ["ALL_MONTHS", "SHEETS", "WhatIf", "render_page", "text_tables", "write_page", "write_workbook"]
