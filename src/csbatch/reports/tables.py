"""The output tables: their columns in contract order, each with a kind that decides its CSV text
and its workbook number format, and its Chinese and English header.

These schemas are the `data/*.csv` contract (docs/outputs.md, generated from them: each column's
`description` and each table's `row` are what the reference says); workbooks show the same columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from csbatch.policy.vocabulary import UNITS

Kind = Literal["text", "id", "int", "days", "money", "points", "rate", "date", "datetime", "bool",
               "number", "decimal", "measured_rate"]
# number: a plain decimal (normalised: 0.95, 9650); decimal: a Decimal printed exactly as it was
# rounded (66, 33.15, 20.00) — points keep the places their rounding rule gave them;
# measured_rate: a rate a band is decided on (at whole percents), shown to two decimals of a
# percent so 94.96% never reads 95.0%.


#: A measured value's column kind by its unit (`policy.vocabulary.UNITS`): rates in %, money in ¥.
MEASURED_KINDS: dict[str, Kind] = {"rate": "measured_rate", "money": "money"}


def measured_kind(name: str | None) -> Kind:
    """The kind of a column showing the measured value `name` (a count or score: a plain number)."""
    return MEASURED_KINDS.get(UNITS.get(name or "", ""), "number")


@dataclass(frozen=True)
class Col:
    name: str
    kind: Kind
    zh: str
    description: str = ""
    en: str = ""      # the English header when not the name spelled out

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en or self.name.replace("_", " ")


@dataclass(frozen=True)
class Table:
    name: str
    zh: str
    en: str
    columns: tuple[Col, ...]
    row: str = ""     # what one row is ("employee", "complaint of the month's register")

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def title(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


ATTENDANCE = Table("attendance", "考勤汇总", "Attendance", (
    Col("employee_id", "id", "工号", "the employee's ID (roster)"),
    Col("name", "text", "姓名", "the employee's name (roster)"),
    Col("scheduled_days", "days", "应出勤天数", "workdays between hire (or month start) and leave (or month end)"),
    Col("present_days", "days", "出勤天数", "scheduled days with a clock record"),
    Col("late_count", "int", "迟到次数", "days with the first clock-in late"),
    Col("late_minutes", "int", "迟到分钟", "minutes late, summed, counted from the schedule's start"),
    Col("early_count", "int", "早退次数", "days with the last clock-out early"),
    Col("absent_days", "days", "旷工天数", "scheduled days with no clock record and no approved leave (unpaid)"),
    Col("paid_leave_days", "days", "带薪假天数", "leave days × the leave type's paid share"),
    Col("unpaid_leave_days", "days", "无薪假天数", "leave days × the unpaid share"),
    Col("missing_punches", "int", "缺卡次数", "days with only one of clock-in and clock-out (counted present)"),
), row="employee")


SCORECARDS = Table("scorecards", "考核汇总", "Scorecards", (
    Col("employee_id", "id", "工号", "the employee's ID (roster)"),
    Col("name", "text", "姓名", "the employee's name (roster)"),
    Col("role", "text", "岗位", "role code"),
    Col("team", "text", "班组", "team (班组)"),
    Col("scorecard", "text", "考核表", "scorecard code (kpi/CODE.yaml)"),
    Col("subtotal", "decimal", "小计", "sum of the item points"),
    Col("multiplier", "decimal", "系数", "the scorecard's multiplier (blank when it has none)"),
    Col("adjustments", "decimal", "加扣分", "adjustment points, summed"),
    Col("total", "decimal", "总分", "subtotal × multiplier + adjustments; blank when not rated"),
    Col("grade", "text", "等级", "grade label of the total (bands.yaml `grades`)"),
    Col("rank", "int", "排名", "rank within the scorecard's rated members; ties share the better rank"),
    Col("rated", "bool", "参与评定", "true when scheduled for enough of the month"),
    Col("flags", "text", "标记",
        "space-separated flags: award_candidate, training, not_rated, not_audited, no_surveys, "
        "no_data:MEASURE, ..."),
), row="employee with a scorecard")

SCORECARD_ITEMS = Table("scorecard_items", "考核明细", "Scorecard items", (
    Col("employee_id", "id", "工号", "the employee's ID (roster)"),
    Col("scorecard", "text", "考核表", "scorecard code"),
    Col("item", "text", "考核项目", "item code"),
    Col("measured", "number", "测量值", "the measured value the item scored"),
    Col("points", "decimal", "得分", "points after floor and rounding"),
    Col("weight", "number", "权重", "the item's full points"),
    Col("rule", "text", "计算规则", "in words, which band or formula gave the points"),
), row="employee × item")

def audits_table(questionnaire) -> Table:
    """audits.csv: its section columns are the questionnaire's sections, in policy order."""
    return Table("audits", "督导问卷", "QA audits", (
        Col("audit_id", "id", "检测编号", "the audit's ID (audits sheet)"),
        Col("audit_date", "date", "检测日期", "date audited"),
        Col("employee_id", "id", "工号", "the employee audited"),
        *(Col(s.code, "decimal", s.name, "points of the questionnaire section (one column per section, in "
              "policy order)") for s in questionnaire.sections),
        Col("score", "decimal", "得分",
            "the audit's score, scaled to the questionnaire's `scale_to` over applicable items"),
        Col("violations", "text", "违规项", "space-separated codes of the taboo items violated"),
    ), row="QA audit")


PAYROLL_LEAD = (Col("employee_id", "id", "工号", "the employee's ID (roster)"),
                Col("name", "text", "姓名", "the employee's name (roster)"), Col("role", "text", "岗位", "role code"))


def payroll_table(policy, frame_columns) -> Table:
    """payroll.csv: the contract's components in pay.yaml order, then any other component the
    month has lines for, then gross pay."""
    comps = [Col(code, "money", c.name, "the pay component's amount, ¥ (one column per component of "
                 "pay.yaml, in order)") for code, c in policy.pay.components.items() if code in frame_columns]
    return Table("payroll", "工资奖金明细", "Payroll", PAYROLL_LEAD + tuple(comps) + (
        Col("gross_pay", "money", "应发合计", "sum of the components, ¥"),), row="employee")


PAYROLL_COMPONENTS = Table("payroll_components", "HR导入", "HR import", (
    Col("employee_id", "id", "工号", "the employee's ID (roster)"),
    Col("name", "text", "姓名", "the employee's name (roster)"),
    Col("component", "text", "项目代码", "pay component code"),
    Col("amount", "money", "金额", "amount, ¥ (negative = deduction)"),
    Col("reason", "text", "原因", "why: the adjustments sheet's reason, or what the rule counted"),
), row="employee × non-zero component")

#: The HR import sheet's columns: (name, kind, Chinese header, English header, description).
HR_IMPORT_COLUMNS: tuple[tuple[str, Kind, str, str, str], ...] = (
    ("period", "id", "期间", "period", "the month closed, YYYY-MM"),
    ("employee_id", "id", "工号", "employee id", "the employee's ID (roster)"),
    ("name", "text", "姓名", "name", "the employee's name (roster)"),
    ("code", "id", "项目代码", "item code", "the component's `hr_code` (pay.yaml; default: its code), never cut"),
    ("item", "text", "项目名称", "item name", "the component's `hr_name` (pay.yaml; default: its `name`)"),
    ("amount", "money", "金额", "amount", "amount, ¥, a number with two decimals (negative = deduction)"),
    ("note", "text", "备注", "note", "why, in the workbook's language: the adjustments sheet's reason, or what "
                                    "the rule counted"),
)


def hr_import_table(policy) -> Table:
    """The payroll workbook's HR import sheet: a row per line of payroll_components.csv, its headers
    those of pay.yaml `hr_import.headers` where given (the same in either language)."""
    given = policy.pay.hr_import.headers
    cols = []
    for name, kind, zh, en, description in HR_IMPORT_COLUMNS:
        header = getattr(given, name)
        cols.append(Col(name, kind, header or zh, description, en=header or en))
    return Table("hr_import", "HR导入", "HR import", tuple(cols), row="employee × non-zero component (as "
                 "payroll_components.csv)")


ORDER_SPLITS = Table("order_splits", "订单分成", "Order splits", (
    Col("order_id", "id", "订单号", "order ID (sales sheet)"),
    Col("employee_id", "id", "客服工号", "the agent's ID"),
    Col("sales_rep_id", "id", "销售员工号", "the sales rep's ID"),
    Col("amount", "money", "订单金额", "the order's amount, ¥"),
    Col("agent_share", "money", "客服分成", "the agent's part of the order bonus, ¥"),
    Col("rep_share", "money", "销售分成", "the sales rep's part of the order bonus, ¥"),
), row="order whose bonus is split with a sales rep")

PAYROLL_CHANGES = Table("payroll_changes", "变更明细", "Changes", (
    Col("employee_id", "id", "工号", "the employee's ID; the last row, 合计, totals the money columns"),
    Col("name", "text", "姓名", "the employee's name (roster; blank when no longer on the payroll)"),
    Col("component", "text", "项目", "the pay component's name (pay.yaml `name`)"),
    Col("before", "money", "变更前", "the component's amount in the close the re-close replaces, ¥"),
    Col("after", "money", "变更后", "the component's amount now, ¥"),
    Col("change", "money", "变动", "after − before, ¥"),
    Col("reason", "text", "重开原因", "why the month was reopened (`csbatch reopen --reason`)"),
    Col("reopened_by", "text", "重开人", "who reopened it (user@host)"),
    Col("reopened_at", "text", "重开时间", "when it was reopened (ISO date and time)"),
), row="employee × pay component whose amount a re-close changed, then a total row")


# --- VIP (docs/policy.md#vip): vip_members, vip_points, vip_tasks, vip_discount_audit ---------------

VIP_MEMBERS = Table("vip_members", "会员名册", "Members", (
    Col("customer_id", "id", "客户编号", "customer ID (a person's first record)"),
    Col("name", "text", "姓名", "the member's name"),
    Col("programme", "text", "会员计划", "programme code (vip.yaml)"),
    Col("tier", "text", "等级", "tier code"),
    Col("card_no", "id", "卡号", "card number"),
    Col("issued_on", "date", "发卡日期", "date the card was issued"),
    Col("valid_until", "date", "有效期至", "last day the card is valid"),
    Col("status", "text", "状态", "active or void (voided: no purchase in the card's year)"),
    Col("spend_month", "money", "本月消费", "what the member paid this month, net of refunds, ¥"),
    Col("spend_12m", "money", "近12个月消费", "trailing-12-month spend, ¥"),
    Col("points_open", "int", "期初积分", "points at the start of the month (blank: programme without points)"),
    Col("points_earned", "int", "本月获得", "points earned this month"),
    Col("points_redeemed", "int", "本月兑换", "points spent on vouchers this month"),
    Col("points_expired", "int", "本月清零", "points cleared this month"),
    Col("points_close", "int", "期末积分", "points at month end"),
    Col("voucher_value", "money", "代金券价值", "what the closing points are worth as a voucher, ¥"),
    Col("next_tier_gap", "money", "距升级差额", "trailing-12-month spend still needed for the next tier, ¥"),
), row="card active or changed this month")

VIP_POINTS = Table("vip_points", "本月积分明细", "Points entries", (
    Col("customer_id", "id", "客户编号", "customer ID"),
    Col("date", "date", "日期", "date of the entry"),
    Col("kind", "text", "类型", "issue, earn, redeem or expire"),
    Col("points", "int", "积分", "points (negative when spent or cleared)"),
    Col("order_id", "id", "订单号", "the order it comes from"),
    Col("note", "text", "说明", "in words, how the points were computed"),
), row="points ledger entry of the month")

VIP_TASKS = Table("vip_tasks", "下月问候与提醒", "Greetings and reminders", (
    Col("customer_id", "id", "客户编号", "customer ID"),
    Col("name", "text", "姓名", "the member's name"),
    Col("phone", "id", "电话", "phone number, unmasked (staff call it)"),
    Col("kind", "text", "类型", "birthday, festival:CODE or maintenance"),
    Col("due_from", "date", "开始日期", "first day to call"),
    Col("due_to", "date", "截止日期", "last day to call"),
    Col("note", "text", "说明", "what the call is about"),
), row="greeting or reminder due next month")

VIP_DISCOUNT_AUDIT = Table("vip_discount_audit", "折扣稽核", "Discount audit", (
    Col("order_id", "id", "订单号", "order ID"),
    Col("customer_id", "id", "客户编号", "customer ID"),
    Col("tier", "text", "等级", "the card's tier at the order"),
    Col("category", "text", "品类", "product category"),
    Col("list_amount", "money", "原价金额", "price before discount, ¥"),
    Col("amount", "money", "成交金额", "what the customer paid, ¥"),
    Col("expected_amount", "money", "应收金额", "what the card's rate gives, ¥"),
    Col("problem", "text", "问题", "in words, what is wrong"),
), row="member order priced off the card's terms")


# --- audit (docs/policy.md#deadlines, #complaints, #questionnaire): deadlines, complaints and the
# audit report's other sheets ---------------------------------------------------------------------

DEADLINES = Table("deadlines", "时限检查", "Deadlines", (
    Col("rule", "text", "规则", "deadline rule code (deadlines.yaml)"),
    Col("employee_id", "id", "工号", "who is expected to submit"),
    Col("reference", "text", "事项", "the day, week or month the item covers"),
    Col("due_at", "datetime", "截止时间", "when it was due"),
    Col("submitted_at", "datetime", "提交时间", "when it was done (blank: not yet)"),
    Col("status", "text", "状态", "on_time, late, missing or open"),
    Col("key", "id", "编号", "which evidence row it is (e.g. the complaint ID)"),   # after the contract's columns
), row="expected item of a deadline rule")

COMPLAINTS = Table("complaints", "投诉", "Complaints", (
    Col("complaint_id", "id", "投诉编号", "complaint ID"),
    Col("employee_id", "id", "工号", "the employee responsible"),
    Col("category", "text", "投诉类别", "complaint category code"),
    Col("our_fault", "bool", "我方责任", "true when the company is at fault (我方责任)"),
    Col("received_at", "datetime", "受理时间", "intake time"),
    Col("resolved_at", "datetime", "解决时间", "resolution time (blank: open)"),
    Col("days_open", "number", "处理天数", "days from intake to resolution, or to period end when open"),
    Col("sla_status", "text", "时限状态", "on_time, late, open_within_sla or open_past_sla at month end"),
    Col("satisfied", "bool", "客户满意", "the customer was satisfied with the resolution"),
    Col("loss_amount", "money", "损失金额", "what the complaint cost the company, ¥"),
), row="complaint of the month's register")

# The audit workbook's sheets: the contract's columns first (where there is a contract), then
# columns for reading (names, descriptions).

DEADLINES_SHEET = Table("deadlines", DEADLINES.zh, DEADLINES.en, DEADLINES.columns + (
    Col("employee_name", "text", "姓名", "the employee's name (roster)"),
))

COMPLAINTS_SHEET = Table("complaints", COMPLAINTS.zh, COMPLAINTS.en, COMPLAINTS.columns + (
    Col("due_at", "datetime", "处理时限", "when the complaint was due to be resolved"),
    Col("customer_id", "id", "客户编号", "customer ID"),
    Col("order_id", "id", "订单号", "order ID"),
    Col("description", "text", "投诉内容", "the complaint in the customer's words"),
))

COMPLAINT_CATEGORIES = Table("complaint_categories", "投诉分类", "Complaint categories", (
    Col("category", "text", "投诉类别", "complaint category"),
    Col("complaints", "int", "投诉数", "complaints of the month"),
    Col("our_fault", "int", "我方责任", "of them, with our fault"),
    Col("on_time", "int", "按时解决", "resolved on time"),
    Col("late", "int", "逾期解决", "resolved late"),
    Col("open_within_sla", "int", "未结（时限内）", "open, still within the due time"),
    Col("open_past_sla", "int", "超时未结", "open past the due time"),
    Col("loss_amount", "money", "损失金额", "losses, summed, ¥"),
), row="complaint category")

AUDIT_EXCEPTIONS = Table("exceptions", "特价退款例外", "Special-price refunds", (
    Col("order_id", "id", "订单号", "order ID"),
    Col("customer_id", "id", "客户编号", "customer ID"),
    Col("employee_id", "id", "工号", "the agent"),
    Col("order_date", "date", "订单日期", "order date"),
    Col("amount", "money", "退款金额", "amount refunded, ¥"),
    Col("note", "text", "说明", "in words, why it is listed"),
), row="refund of a special-price order")

CALLBACKS = Table("callbacks", "回访", "Callbacks", (
    Col("employee_id", "id", "工号", "the employee's ID (roster)"),
    Col("name", "text", "姓名", "the employee's name (roster)"),
    Col("team", "text", "班组", "team"),
    Col("planned", "int", "计划回访", "callbacks planned in the month"),
    Col("done", "int", "完成回访", "of them, done"),
    Col("completion", "rate", "完成率", "planned callbacks done by month end ÷ planned (blank: none planned)"),
    Col("rated", "int", "有评价", "callbacks with a rating"),
    Col("satisfied", "int", "满意", "rated 满意"),
    Col("neutral", "int", "一般", "rated 一般"),
    Col("dissatisfied", "int", "不满意", "rated 不满意"),
    Col("repurchase_yes", "int", "有复购意向", "callbacks with repurchase intent"),
    Col("repurchase_share", "rate", "复购意向占比", "repurchase intent ÷ callbacks with an answer"),
), row="agent with callbacks")


def qa_agents_table(sections: list[tuple[str, str]]) -> Table:
    """Per agent: the questionnaire's sections (code, name) in policy order between the mean score
    and the violations."""
    return Table("qa_agents", "督导问卷-客服", "QA agents", (
        Col("employee_id", "id", "工号", "the employee's ID (roster)"),
        Col("name", "text", "姓名", "the employee's name (roster)"),
        Col("team", "text", "班组", "team"),
        Col("audits", "int", "检测次数", "audits of the month"),
        Col("mean_score", "decimal", "平均分", "mean audit score"),
        *(Col(code, "decimal", name, "mean points of the section") for code, name in sections),
        Col("violations", "int", "违规次数", "taboo violations, counted"),
    ), row="audited agent")


def qa_teams_table(sections: list[tuple[str, str]]) -> Table:
    return Table("qa_teams", "督导问卷-班组", "QA teams", (
        Col("team", "text", "班组", "team"),
        Col("agents", "int", "人数", "agents audited"),
        Col("audits", "int", "检测次数", "audits of the month"),
        Col("mean_score", "decimal", "平均分", "mean audit score"),
        *(Col(code, "decimal", name, "mean points of the section") for code, name in sections),
    ), row="team")


TABOOS = Table("taboos", "服务禁忌", "Taboos", (
    Col("item", "text", "项目", "item code"),
    Col("text", "text", "内容", "the item's question"),
    Col("violations", "int", "违规次数", "audits in which it was violated"),
    Col("audits", "int", "检测次数", "audits in which it applied"),
    Col("share", "rate", "违规率", "violations ÷ audits"),
), row="taboo item")

NOT_AUDITED = Table("not_audited", "未检测客服", "Not audited", (
    Col("employee_id", "id", "工号", "the employee's ID (roster)"),
    Col("name", "text", "姓名", "the employee's name (roster)"),
    Col("team", "text", "班组", "team"),
), row="agent not audited this month")

AUDITORS = Table("auditors", "督导员对比", "Auditors", (
    Col("auditor", "text", "督导员", "auditor's name"),
    Col("audits", "int", "检测次数", "audits done"),
    Col("agents", "int", "检测人数", "agents audited"),
    Col("mean_score", "decimal", "平均分", "mean score given"),
    Col("difference", "decimal", "与总平均分之差", "mean score − the overall mean (harsh or lenient)"),
), row="auditor")
