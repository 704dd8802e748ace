"""`vip_statements_PERIOD.xlsx`, the VIP desk's workbook (docs/outputs.md).

- 会员名册 / Members: one row per card active or changed this month (the vip_members.csv columns).
- 本月积分明细 / Points entries: the month's points ledger entries.
- 下月问候与提醒 / Greetings and reminders: next month's call list (the phone unmasked: staff call it).
- 会员资料变更 / Member changes: members' reported phone and address changes as tasks (the new
  phone masked).
- 折扣稽核 / Discount audit: member orders priced off the tier's rate.

The columns are the CSV contract's; in Chinese the programme, tier, status and kind codes print as
their names (专业VIP, 银卡, 有效, 消费积分 …), in English as the codes spelled out; the product
category as the catalogue's word and the discount problem worded in the workbook's language.
Money cells are numbers with the ¥ format, dates are dates, and a name such as `=HYPERLINK(...)`
stays text (`Workbook`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from csbatch.blanks import is_blank
from csbatch.reports.codewords import category_word
from csbatch.reports.pages import label
from csbatch.reports.tables import VIP_DISCOUNT_AUDIT, VIP_MEMBER_CHANGES, VIP_MEMBERS, VIP_POINTS, VIP_TASKS
from csbatch.reports.workbook import Workbook
from csbatch.rules.reasons import Reason, worded
from csbatch.text import spelled

CODED = ("programme", "tier", "status", "kind")


def _word(col: str, value, lang: str):
    if is_blank(value):
        return value
    return label(col, value) if lang == "zh" else spelled(str(value))


def _once_per_text(word: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`word`, asked once per distinct text: a column's codes repeat (95k members of a few
    programmes and tiers, 290k tasks of a few kinds), and a word is a look-up in the codes'
    labels (`pages.LABELS`) and the catalogue each time. A `Reason` is asked once per object,
    not per text (two reasons of one English can differ in Chinese): the discount audit shares
    each problem between the rows that have it (104k rows, 9k problems), and the column being
    mapped holds each object, so no other takes its `id` meanwhile. Any other value is asked
    each time."""
    known: dict[str | int, Any] = {}

    def each(value: Any) -> Any:
        kind = type(value)
        if kind is str:
            key: str | int = value
        elif kind is Reason:
            key = id(value)
        else:
            return word(value)
        found = known.get(key, known)     # the dict itself: not known yet
        if found is known:
            found = known[key] = word(value)
        return found

    return each


def _shown(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = frame.copy()
    for col in CODED:
        if col in out.columns:
            out[col] = out[col].map(_once_per_text(partial(_word, col, lang=lang)))
    if "category" in out.columns:
        out["category"] = out["category"].map(
            _once_per_text(lambda v: v if is_blank(v) else category_word(str(v), lang)))
    if "problem" in out.columns:
        out["problem"] = out["problem"].map(_once_per_text(lambda v: worded(v, lang)))
    return out


def write_vip_workbook(path: Path, result, lang: str = "zh", *, company: str = "", period: str = "") -> Path:
    book = Workbook(Path(path), lang, company=company, period=period)
    book.add_table_sheet(VIP_MEMBERS, _shown(result.members, lang), lang)
    book.add_table_sheet(VIP_POINTS, _shown(result.points_out, lang), lang)
    book.add_table_sheet(VIP_TASKS, _shown(result.tasks, lang), lang)
    book.add_table_sheet(VIP_MEMBER_CHANGES, _shown(result.member_changes, lang), lang)
    book.add_table_sheet(VIP_DISCOUNT_AUDIT, _shown(result.discount_audit, lang), lang)
    return book.close()
