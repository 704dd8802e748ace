"""`vip_statements_PERIOD.xlsx`, the VIP desk's workbook (docs/outputs.md).

- 会员名册 / Members: one row per card active or changed this month (the vip_members.csv columns).
- 本月积分明细 / Points entries: the month's points ledger entries.
- 下月问候与提醒 / Greetings and reminders: next month's call list (the phone unmasked: staff call it).
- 折扣稽核 / Discount audit: member orders priced off the tier's rate.

The columns are the CSV contract's; in Chinese the programme, tier, status and kind codes print as
their names (专业VIP, 银卡, 有效, 消费积分 …), in English as the codes. Money cells are numbers with
the ¥ format, dates are dates, and a name such as `=HYPERLINK(...)` stays text (`Workbook`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from csbatch.reports.tables import VIP_DISCOUNT_AUDIT, VIP_MEMBERS, VIP_POINTS, VIP_TASKS
from csbatch.reports.vip_statements import label
from csbatch.reports.workbook import Workbook

CODED = ("programme", "tier", "status", "kind")


def _shown(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    if lang != "zh":
        return frame
    out = frame.copy()
    for col in CODED:
        if col in out.columns:
            out[col] = out[col].map(lambda v, col=col: label(col, v))
    return out


def write_vip_workbook(path: Path, result, lang: str = "zh", *, company: str = "", period: str = "") -> Path:
    book = Workbook(Path(path), lang, company=company, period=period)
    book.add_table_sheet(VIP_MEMBERS, _shown(result.members, lang), lang)
    book.add_table_sheet(VIP_POINTS, _shown(result.points_out, lang), lang)
    book.add_table_sheet(VIP_TASKS, _shown(result.tasks, lang), lang)
    book.add_table_sheet(VIP_DISCOUNT_AUDIT, _shown(result.discount_audit, lang), lang)
    return book.close()
