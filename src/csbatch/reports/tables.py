"""The output tables: their columns in contract order, each with a kind that decides its CSV text
and its workbook number format, and its Chinese and English header.

These schemas are the `data/*.csv` contract of outputs.md; workbooks show the same columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "id", "int", "days", "money", "points", "rate", "date", "datetime", "bool"]


@dataclass(frozen=True)
class Col:
    name: str
    kind: Kind
    zh: str

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.name.replace("_", " ")


@dataclass(frozen=True)
class Table:
    name: str
    zh: str
    en: str
    columns: tuple[Col, ...]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def title(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


ATTENDANCE = Table("attendance", "考勤汇总", "Attendance", (
    Col("employee_id", "id", "工号"),
    Col("name", "text", "姓名"),
    Col("scheduled_days", "days", "应出勤天数"),
    Col("present_days", "days", "出勤天数"),
    Col("late_count", "int", "迟到次数"),
    Col("late_minutes", "int", "迟到分钟"),
    Col("early_count", "int", "早退次数"),
    Col("absent_days", "days", "旷工天数"),
    Col("paid_leave_days", "days", "带薪假天数"),
    Col("unpaid_leave_days", "days", "无薪假天数"),
    Col("missing_punches", "int", "缺卡次数"),
))
