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


# --- audit (policies.md §4, §6): deadlines, complaints and the audit report's other sheets -------

DEADLINES = Table("deadlines", "时限检查", "Deadlines", (
    Col("rule", "text", "规则"),
    Col("employee_id", "id", "工号"),
    Col("reference", "text", "事项"),
    Col("due_at", "datetime", "截止时间"),
    Col("submitted_at", "datetime", "提交时间"),
    Col("status", "text", "状态"),
    Col("key", "id", "编号"),   # after the contract's columns: which complaint/evidence row it is
))

COMPLAINTS = Table("complaints", "投诉", "Complaints", (
    Col("complaint_id", "id", "投诉编号"),
    Col("employee_id", "id", "工号"),
    Col("category", "text", "投诉类别"),
    Col("our_fault", "bool", "我方责任"),
    Col("received_at", "datetime", "受理时间"),
    Col("resolved_at", "datetime", "解决时间"),
    Col("days_open", "number", "处理天数"),
    Col("sla_status", "text", "时限状态"),
    Col("satisfied", "bool", "客户满意"),
    Col("loss_amount", "money", "损失金额"),
))

# The audit workbook's sheets: the contract's columns first (where there is a contract), then
# columns for reading (names, descriptions).

DEADLINES_SHEET = Table("deadlines", DEADLINES.zh, DEADLINES.en, DEADLINES.columns + (
    Col("employee_name", "text", "姓名"),
))

COMPLAINTS_SHEET = Table("complaints", COMPLAINTS.zh, COMPLAINTS.en, COMPLAINTS.columns + (
    Col("due_at", "datetime", "处理时限"),
    Col("customer_id", "id", "客户编号"),
    Col("order_id", "id", "订单号"),
    Col("description", "text", "投诉内容"),
))

COMPLAINT_CATEGORIES = Table("complaint_categories", "投诉分类", "Complaint categories", (
    Col("category", "text", "投诉类别"),
    Col("complaints", "int", "投诉数"),
    Col("our_fault", "int", "我方责任"),
    Col("on_time", "int", "按时解决"),
    Col("late", "int", "逾期解决"),
    Col("open_within_sla", "int", "未结（时限内）"),
    Col("open_past_sla", "int", "超时未结"),
    Col("loss_amount", "money", "损失金额"),
))

AUDIT_EXCEPTIONS = Table("exceptions", "特价退款例外", "Special-price refunds", (
    Col("order_id", "id", "订单号"),
    Col("customer_id", "id", "客户编号"),
    Col("employee_id", "id", "工号"),
    Col("order_date", "date", "订单日期"),
    Col("amount", "money", "退款金额"),
    Col("note", "text", "说明"),
))

CALLBACKS = Table("callbacks", "回访", "Callbacks", (
    Col("employee_id", "id", "工号"),
    Col("name", "text", "姓名"),
    Col("team", "text", "班组"),
    Col("planned", "int", "计划回访"),
    Col("done", "int", "完成回访"),
    Col("completion", "rate", "完成率"),
    Col("rated", "int", "有评价"),
    Col("satisfied", "int", "满意"),
    Col("neutral", "int", "一般"),
    Col("dissatisfied", "int", "不满意"),
    Col("repurchase_yes", "int", "有复购意向"),
    Col("repurchase_share", "rate", "复购意向占比"),
))


def qa_agents_table(sections: list[tuple[str, str]]) -> Table:
    """Per agent: the questionnaire's sections (code, name) in policy order between the mean score
    and the violations."""
    return Table("qa_agents", "督导问卷-客服", "QA agents", (
        Col("employee_id", "id", "工号"),
        Col("name", "text", "姓名"),
        Col("team", "text", "班组"),
        Col("audits", "int", "检测次数"),
        Col("mean_score", "decimal", "平均分"),
        *(Col(code, "decimal", name) for code, name in sections),
        Col("violations", "int", "违规次数"),
    ))


def qa_teams_table(sections: list[tuple[str, str]]) -> Table:
    return Table("qa_teams", "督导问卷-班组", "QA teams", (
        Col("team", "text", "班组"),
        Col("agents", "int", "人数"),
        Col("audits", "int", "检测次数"),
        Col("mean_score", "decimal", "平均分"),
        *(Col(code, "decimal", name) for code, name in sections),
    ))


TABOOS = Table("taboos", "服务禁忌", "Taboos", (
    Col("item", "text", "项目"),
    Col("text", "text", "内容"),
    Col("violations", "int", "违规次数"),
    Col("audits", "int", "检测次数"),
    Col("share", "rate", "违规率"),
))

NOT_AUDITED = Table("not_audited", "未检测客服", "Not audited", (
    Col("employee_id", "id", "工号"),
    Col("name", "text", "姓名"),
    Col("team", "text", "班组"),
))

AUDITORS = Table("auditors", "督导员对比", "Auditors", (
    Col("auditor", "text", "督导员"),
    Col("audits", "int", "检测次数"),
    Col("agents", "int", "检测人数"),
    Col("mean_score", "decimal", "平均分"),
    Col("difference", "decimal", "与总平均分之差"),
))
