"""The output tables: their columns in contract order, each with a kind that decides its CSV text
and its workbook number format, and its Chinese and English header.

These schemas are the `data/*.csv` contract of outputs.md; workbooks show the same columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "id", "int", "days", "money", "points", "rate", "date", "datetime", "bool",
               "number", "decimal"]
# number: a plain decimal (normalised: 0.95, 9650); decimal: a Decimal printed exactly as it was
# rounded (66, 33.15, 20.00) — points keep the places their rounding rule gave them.


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


SCORECARDS = Table("scorecards", "考核汇总", "Scorecards", (
    Col("employee_id", "id", "工号"),
    Col("name", "text", "姓名"),
    Col("role", "text", "岗位"),
    Col("team", "text", "班组"),
    Col("scorecard", "text", "考核表"),
    Col("subtotal", "decimal", "小计"),
    Col("multiplier", "decimal", "系数"),
    Col("adjustments", "decimal", "加扣分"),
    Col("total", "decimal", "总分"),
    Col("grade", "text", "等级"),
    Col("rank", "int", "排名"),
    Col("rated", "bool", "参与评定"),
    Col("flags", "text", "标记"),
))

SCORECARD_ITEMS = Table("scorecard_items", "考核明细", "Scorecard items", (
    Col("employee_id", "id", "工号"),
    Col("scorecard", "text", "考核表"),
    Col("item", "text", "考核项目"),
    Col("measured", "number", "测量值"),
    Col("points", "decimal", "得分"),
    Col("weight", "number", "权重"),
    Col("rule", "text", "计算规则"),
))

TEAMS = Table("teams", "班组汇总", "Teams", (
    Col("scorecard", "text", "考核表"),
    Col("team", "text", "班组"),
    Col("members", "int", "人数"),
    Col("rated", "int", "参评人数"),
    Col("mean_before_adjustments", "decimal", "平均分（加扣分前）"),
    Col("team_rank", "int", "班组排名"),
))


def audits_table(questionnaire) -> Table:
    """audits.csv: its section columns are the questionnaire's sections, in policy order."""
    return Table("audits", "督导问卷", "QA audits", (
        Col("audit_id", "id", "检测编号"),
        Col("audit_date", "date", "检测日期"),
        Col("employee_id", "id", "工号"),
        *(Col(s.code, "decimal", s.name) for s in questionnaire.sections),
        Col("score", "decimal", "得分"),
        Col("violations", "text", "违规项"),
    ))


PAYROLL_LEAD = (Col("employee_id", "id", "工号"), Col("name", "text", "姓名"), Col("role", "text", "岗位"))


def payroll_table(policy, frame_columns) -> Table:
    """payroll.csv: the contract's components in pay.yaml order, then any other component the
    month has lines for, then gross pay."""
    comps = [Col(code, "money", c.name) for code, c in policy.pay.components.items() if code in frame_columns]
    return Table("payroll", "工资奖金明细", "Payroll", PAYROLL_LEAD + tuple(comps) + (Col("gross_pay", "money", "应发合计"),))


PAYROLL_COMPONENTS = Table("payroll_components", "HR导入", "HR import", (
    Col("employee_id", "id", "工号"),
    Col("name", "text", "姓名"),
    Col("component", "text", "项目代码"),
    Col("amount", "money", "金额"),
    Col("reason", "text", "原因"),
))

ORDER_SPLITS = Table("order_splits", "订单分成", "Order splits", (
    Col("order_id", "id", "订单号"),
    Col("employee_id", "id", "客服工号"),
    Col("sales_rep_id", "id", "销售员工号"),
    Col("amount", "money", "订单金额"),
    Col("agent_share", "money", "客服分成"),
    Col("rep_share", "money", "销售分成"),
))


# --- VIP (policies.md §7): vip_members, vip_points, vip_tasks, vip_discount_audit ---------------

VIP_MEMBERS = Table("vip_members", "会员名册", "Members", (
    Col("customer_id", "id", "客户编号"),
    Col("name", "text", "姓名"),
    Col("programme", "text", "会员计划"),
    Col("tier", "text", "等级"),
    Col("card_no", "id", "卡号"),
    Col("issued_on", "date", "发卡日期"),
    Col("valid_until", "date", "有效期至"),
    Col("status", "text", "状态"),
    Col("spend_month", "money", "本月消费"),
    Col("spend_12m", "money", "近12个月消费"),
    Col("points_open", "int", "期初积分"),
    Col("points_earned", "int", "本月获得"),
    Col("points_redeemed", "int", "本月兑换"),
    Col("points_expired", "int", "本月清零"),
    Col("points_close", "int", "期末积分"),
    Col("voucher_value", "money", "代金券价值"),
    Col("next_tier_gap", "money", "距升级差额"),
))

VIP_POINTS = Table("vip_points", "本月积分明细", "Points entries", (
    Col("customer_id", "id", "客户编号"),
    Col("date", "date", "日期"),
    Col("kind", "text", "类型"),
    Col("points", "int", "积分"),
    Col("order_id", "id", "订单号"),
    Col("note", "text", "说明"),
))

VIP_TASKS = Table("vip_tasks", "下月问候与提醒", "Greetings and reminders", (
    Col("customer_id", "id", "客户编号"),
    Col("name", "text", "姓名"),
    Col("phone", "id", "电话"),
    Col("kind", "text", "类型"),
    Col("due_from", "date", "开始日期"),
    Col("due_to", "date", "截止日期"),
    Col("note", "text", "说明"),
))

VIP_DISCOUNT_AUDIT = Table("vip_discount_audit", "折扣稽核", "Discount audit", (
    Col("order_id", "id", "订单号"),
    Col("customer_id", "id", "客户编号"),
    Col("tier", "text", "等级"),
    Col("category", "text", "品类"),
    Col("list_amount", "money", "原价金额"),
    Col("amount", "money", "成交金额"),
    Col("expected_amount", "money", "应收金额"),
    Col("problem", "text", "问题"),
))
