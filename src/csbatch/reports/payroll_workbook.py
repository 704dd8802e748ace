"""`payroll_bonus_PERIOD.xlsx`, the workbook HR pays from.

- 工资奖金明细: a row per employee, a column per component, a totals row, ¥ formats, frozen header.
- HR导入: the shape payroll systems import as "additional salary" — one header row, long format
  (期间, 工号, 姓名, 项目代码, 项目名称, 金额, 备注: the lines of payroll_components.csv with the
  period, the item's HR code and name from pay.yaml and the reason worded in the workbook's
  language), no merged cells, no totals, no formulas; headers as pay.yaml `hr_import` names them.
- 工资条: the classic payslip strips, to print and cut — for each employee a header row (工号,
  姓名, each component's name, 应发合计) above that employee's row, a blank row between
  employees; fitted to one page wide, landscape when the strip is wide.
- 考勤汇总 and 订单分成 for reference.
- 变更明细, after a re-close only: what the re-close changed against the close it replaces, per
  employee and component (by name), with a total row and the reason for the reopening.

Totals are numbers computed here, never formulas, and `verify_payroll` proves before publishing
that they equal the rows and that every employee's components add up to gross pay.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd

from csbatch.errors import Issue
from csbatch.i18n import N_, NC_, word
from csbatch.money import ZERO
from csbatch.payroll.changes import PayChanges
from csbatch.payroll.compute import PayrollResult
from csbatch.policy import Policy
from csbatch.reports.tables import (
    ATTENDANCE,
    HR_IMPORT_COLUMNS,
    ORDER_SPLITS,
    PAYROLL_CHANGES,
    Table,
    hr_import_table,
    payroll_table,
)
from csbatch.reports.workbook import Workbook
from csbatch.rules.reasons import worded

PAYSLIPS = N_("Payslips")      # the payslip sheet's name
TOTAL = NC_("totals row", "total")     # the totals row's label
LANDSCAPE_FROM = 8      # strips of more columns print landscape


def totals_row(payroll: pd.DataFrame, table: Table, lang: str = "zh") -> dict[str, str | Decimal | None]:
    row: dict[str, str | Decimal | None] = {c.name: None for c in table.columns}
    row["employee_id"] = word(lang, TOTAL)
    for col in table.columns:
        if col.kind == "money":
            row[col.name] = sum((Decimal(v) for v in payroll[col.name]), ZERO)
    return row


def verify_payroll(result: PayrollResult, policy: Policy) -> list[Issue]:
    """Components add up to gross for every employee; the columns' totals equal the long lines'
    totals. A mismatch is a bug in csbatch: the close stops rather than publish it."""
    issues = []
    payroll = result.payroll
    table = payroll_table(policy, payroll.columns)
    comps = [c.name for c in table.columns if c.kind == "money" and c.name != "gross_pay"]
    for values in payroll.to_dict("records"):
        if sum((values[c] for c in comps), ZERO) != values["gross_pay"]:
            issues.append(Issue.of(None, "bug.payroll_sum",
                                   N_("employee {employee}: components do not add up to gross pay"),
                                   employee=values["employee_id"]))
    by_component = dict.fromkeys(comps, ZERO)
    for component, amount in zip(result.components["component"], result.components["amount"]):
        by_component[component] = by_component.get(component, ZERO) + amount
    totals = totals_row(payroll, table)
    for code in comps:
        if totals[code] != by_component.get(code, ZERO):
            issues.append(Issue.of(None, "bug.payroll_totals",
                                   N_("component {component}: column total {total} differs from the import "
                                      "lines' {lines}"),
                                   component=code, total=totals[code], lines=by_component.get(code)))
    if totals["gross_pay"] != sum(by_component.values(), ZERO):
        issues.append(Issue.of(None, "bug.payroll_totals", N_("gross pay total differs from the import lines' total")))
    return [Issue.of(i.source, i.code, N_("internal check failed, nothing was published (a bug in csbatch): "
                                       "{problem}"), problem=i.as_said()) for i in issues]


def hr_import_frame(components: pd.DataFrame, policy: Policy, period: str, lang: str) -> pd.DataFrame:
    """payroll_components.csv's lines as the HR system imports them (`hr_import_table`'s columns)."""
    known = policy.pay.components
    codes = components["component"]
    return pd.DataFrame({
        "period": [period] * len(components),
        "employee_id": components["employee_id"].tolist(),
        "name": components["name"].tolist(),
        "code": [(known[c].hr_code or c) if c in known else c for c in codes],
        "item": [(known[c].hr_name or known[c].name) if c in known else c for c in codes],
        "amount": components["amount"].tolist(),
        "note": [worded(r, lang) for r in components["reason"]],
    }, columns=[c[0] for c in HR_IMPORT_COLUMNS], dtype=object)


def add_payslips(book: Workbook, table: Table, payroll: pd.DataFrame, lang: str) -> None:
    """The 工资条 sheet: header row, employee row, blank row, for every employee (no totals)."""
    columns = [c for c in table.columns if c.name in ("employee_id", "name") or c.kind == "money"]
    ws = book.book.add_worksheet(word(lang, PAYSLIPS))
    labels = [col.label(lang) for col in columns]
    cells = [book.column_cells(payroll[col.name], col.kind) for col in columns]    # each column at once
    header = book.header

    def strips():       # header and value cell by cell: the shared strings' order
        for strip, row in enumerate(zip(*cells)):
            r = 3 * strip
            for c, cell in enumerate(row):
                yield r, c, "write_string", labels[c], header
                if cell is not None:
                    yield r + 1, c, cell[0], cell[1], cell[2]

    ws.cells_in_order(strips())
    r = 3 * len(cells[0]) if cells else 0
    for c, col in enumerate(columns):
        ws.set_column(c, c, 12 if col.kind == "money" else max(8, 2 * len(col.label(lang)) + 2))
    book.prints(ws, landscape=len(columns) >= LANDSCAPE_FROM)   # no repeated header: each strip has its own
    ws.hide_gridlines(0)                                   # gridlines print: the strips are cut along them
    ws.print_area(0, 0, max(r - 2, 0), len(columns) - 1)


def write_payroll_workbook(path: Path, result, attendance_summary: pd.DataFrame, policy, lang: str,
                           changed: PayChanges | None = None, *, period: str) -> Path:
    """`changed`: a re-close's changes (the 变更明细 sheet); None for a first close (no such sheet)."""
    book = Workbook(path, lang, company=policy.company.shown, period=period)
    table = payroll_table(policy, result.payroll.columns)
    people = result.payroll.copy()
    people["role"] = people["role"].map(lambda r: policy.roles[r].name if r in policy.roles else r)
    with_totals = pd.concat([people, pd.DataFrame([totals_row(result.payroll, table, lang)])], ignore_index=True)
    book.add_table_sheet(table, with_totals, lang, bold_last_row=True)
    hr_table = hr_import_table(policy)
    hr_rows = hr_import_frame(result.components, policy, period, lang)
    book.add_table_sheet(hr_table, hr_rows, lang, filters=False)
    add_payslips(book, table, result.payroll, lang)
    book.add_table_sheet(ATTENDANCE, attendance_summary, lang)
    book.add_table_sheet(ORDER_SPLITS, result.order_splits, lang)
    if changed is not None:
        book.add_table_sheet(PAYROLL_CHANGES, changed.frame(), lang, filters=False, bold_last_row=True)
    return book.close()

