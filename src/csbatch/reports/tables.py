"""The output tables: their columns in contract order, each with a kind that decides its CSV text
and its workbook number format, and its header.

Headers and titles are English, marked for the catalogue (`N_`, or `NC_` where one English word
has two Chinese ones): a workbook shows them in its language through `csbatch.i18n`. A column
named by the policy (a pay component, a questionnaire section) shows the policy's own name in
Chinese and its code spelled out in English.

These schemas are the `data/*.csv` contract (docs/outputs.md, generated from them: each column's
`description` and each table's `row` are what the reference says); workbooks show the same columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from csbatch.i18n import N_, NC_, word
from csbatch.policy.vocabulary import UNITS
from csbatch.text import spelled

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
    header: str       # English, marked (N_/NC_); or a policy column's code spelled out
    description: str = ""
    named: str = ""   # the policy's own name for the column, shown instead of the header in Chinese

    def label(self, lang: str) -> str:
        if self.named and lang == "zh":
            return self.named
        return word(lang, self.header)

    @property
    def zh(self) -> str:
        return self.label("zh")


@dataclass(frozen=True)
class Table:
    name: str
    heading: str      # English, marked
    columns: tuple[Col, ...]
    row: str = ""     # what one row is ("employee", "complaint of the month's register")
    named: str = ""   # the policy's own name for the sheet (a scorecard's), shown in Chinese

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def title(self, lang: str) -> str:
        if self.named and lang == "zh":
            return self.named
        return word(lang, self.heading)

    @property
    def zh(self) -> str:
        return self.title("zh")

    @property
    def en(self) -> str:
        return self.title("en")


ATTENDANCE = Table("attendance", N_("Attendance"), (
    Col("employee_id", "id", N_("employee id"), "the employee's ID (roster)"),
    Col("name", "text", N_("name"), "the employee's name (roster)"),
    Col("scheduled_days", "days", N_("scheduled days"),
        "workdays between hire (or month start) and leave (or month end); a 排班表 moves no day of pay"),
    Col("present_days", "days", N_("present days"),
        "days worked (the schedule's, or a 排班表's shifts) with a clock record"),
    Col("late_count", "int", N_("late count"), "days with the first clock-in late"),
    Col("late_minutes", "int", N_("late minutes"),
        "minutes late, summed, counted from the start of the day (of the day's shift, with a 排班表)"),
    Col("early_count", "int", N_("early count"), "days with the last clock-out early"),
    Col("absent_days", "days", N_("absent days"), "scheduled days with no clock record and no approved leave (unpaid)"),
    Col("paid_leave_days", "days", N_("paid leave days"), "leave days × the leave type's paid share"),
    Col("unpaid_leave_days", "days", N_("unpaid leave days"), "leave days × the unpaid share"),
    Col("missing_punches", "int", N_("missing punches"),
        "days with only one of clock-in and clock-out (counted present)"),
), row="employee")


SCORECARDS = Table("scorecards", N_("Scorecards"), (
    Col("employee_id", "id", N_("employee id"), "the employee's ID (roster)"),
    Col("name", "text", N_("name"), "the employee's name (roster)"),
    Col("role", "text", N_("role"), "role code"),
    Col("team", "text", N_("team"), "team (班组)"),
    Col("scorecard", "text", N_("scorecard"), "scorecard code (kpi/CODE.yaml)"),
    Col("subtotal", "decimal", N_("subtotal"), "sum of the item points"),
    Col("multiplier", "decimal", N_("multiplier"), "the scorecard's multiplier (blank when it has none)"),
    Col("adjustments", "decimal", N_("adjustments"), "adjustment points, summed"),
    Col("total", "decimal", N_("total"), "subtotal × multiplier + adjustments; blank when not rated"),
    Col("grade", "text", N_("grade"), "grade label of the total (bands.yaml `grades`)"),
    Col("rank", "int", N_("rank"), "rank within the scorecard's rated members; ties share the better rank"),
    Col("rated", "bool", N_("rated"), "true when scheduled for enough of the month"),
    Col("flags", "text", N_("flags"),
        "space-separated flags: award_candidate, training, not_rated, not_audited, no_surveys, "
        "no_data:MEASURE, ..."),
), row="employee with a scorecard")

SCORECARD_ITEMS = Table("scorecard_items", N_("Scorecard items"), (
    Col("employee_id", "id", N_("employee id"), "the employee's ID (roster)"),
    Col("scorecard", "text", N_("scorecard"), "scorecard code"),
    Col("item", "text", N_("item"), "item code"),
    Col("measured", "number", N_("measured"), "the measured value the item scored"),
    Col("points", "decimal", N_("points"), "points after floor and rounding"),
    Col("weight", "number", N_("weight"), "the item's full points"),
    Col("rule", "text", N_("rule"), "in words, which band or formula gave the points"),
), row="employee × item")

def audits_table(questionnaire) -> Table:
    """audits.csv: its section columns are the questionnaire's sections, in policy order."""
    return Table("audits", N_("QA audits"), (
        Col("audit_id", "id", N_("audit id"), "the audit's ID (audits sheet)"),
        Col("audit_date", "date", N_("audit date"), "date audited"),
        Col("employee_id", "id", N_("employee id"), "the employee audited"),
        *(Col(s.code, "decimal", spelled(s.code), "points of the questionnaire section (one column per section, "
              "in policy order)", named=s.name) for s in questionnaire.sections),
        Col("score", "decimal", N_("score"),
            "the audit's score, scaled to the questionnaire's `scale_to` over applicable items"),
        Col("violations", "text", NC_("audits", "violations"), "space-separated codes of the taboo items violated"),
    ), row="QA audit")


PAYROLL_LEAD = (Col("employee_id", "id", N_("employee id"), "the employee's ID (roster)"),
                Col("name", "text", N_("name"), "the employee's name (roster)"),
                Col("role", "text", N_("role"), "role code"))


def payroll_table(policy, frame_columns) -> Table:
    """payroll.csv: the contract's components in pay.yaml order, then any other component the
    month has lines for, then gross pay."""
    comps = [Col(code, "money", spelled(code), "the pay component's amount, ¥ (one column per component of "
                 "pay.yaml, in order)", named=c.name) for code, c in policy.pay.components.items()
             if code in frame_columns]
    return Table("payroll", N_("Payroll"), PAYROLL_LEAD + tuple(comps) + (
        Col("gross_pay", "money", N_("gross pay"), "sum of the components, ¥"),), row="employee")


PAYROLL_COMPONENTS = Table("payroll_components", N_("HR import"), (
    Col("employee_id", "id", N_("employee id"), "the employee's ID (roster)"),
    Col("name", "text", N_("name"), "the employee's name (roster)"),
    Col("component", "text", NC_("payroll components", "component"), "pay component code"),
    Col("amount", "money", N_("amount"), "amount, ¥ (negative = deduction)"),
    Col("reason", "text", N_("reason"), "why: the adjustments sheet's reason, or what the rule counted"),
), row="employee × non-zero component")

#: The HR import sheet's columns: (name, kind, header, description).
HR_IMPORT_COLUMNS: tuple[tuple[str, Kind, str, str], ...] = (
    ("period", "id", NC_("hr import", "period"), "the month closed, YYYY-MM"),
    ("employee_id", "id", N_("employee id"), "the employee's ID (roster)"),
    ("name", "text", N_("name"), "the employee's name (roster)"),
    ("code", "id", N_("item code"), "the component's `hr_code` (pay.yaml; default: its code), never cut"),
    ("item", "text", N_("item name"), "the component's `hr_name` (pay.yaml; default: its `name`)"),
    ("amount", "money", N_("amount"), "amount, ¥, a number with two decimals (negative = deduction)"),
    ("note", "text", NC_("hr import", "note"),
     "why, in the workbook's language: the adjustments sheet's reason, or what the rule counted"),
)


def hr_import_table(policy) -> Table:
    """The payroll workbook's HR import sheet: a row per line of payroll_components.csv, its headers
    those of pay.yaml `hr_import.headers` where given (the same in either language)."""
    given = policy.pay.hr_import.headers
    cols = []
    for name, kind, header, description in HR_IMPORT_COLUMNS:
        own = getattr(given, name)
        cols.append(Col(name, kind, own or header, description, named=own or ""))
    return Table("hr_import", N_("HR import"), tuple(cols), row="employee × non-zero component (as "
                 "payroll_components.csv)")


ORDER_SPLITS = Table("order_splits", N_("Order splits"), (
    Col("order_id", "id", N_("order id"), "order ID (sales sheet)"),
    Col("employee_id", "id", NC_("order splits", "employee id"), "the agent's ID"),
    Col("sales_rep_id", "id", N_("sales rep id"), "the sales rep's ID"),
    Col("amount", "money", NC_("order splits", "amount"), "the order's amount, ¥"),
    Col("agent_share", "money", N_("agent share"), "the agent's part of the order bonus, ¥"),
    Col("rep_share", "money", N_("rep share"), "the sales rep's part of the order bonus, ¥"),
), row="order whose bonus is split with a sales rep")

PAYROLL_CHANGES = Table("payroll_changes", N_("Changes"), (
    Col("employee_id", "id", N_("employee id"), "the employee's ID; the last row, 合计, totals the money columns"),
    Col("name", "text", N_("name"), "the employee's name (roster; blank when no longer on the payroll)"),
    Col("component", "text", N_("component"), "the pay component's name (pay.yaml `name`)"),
    Col("before", "money", N_("before"), "the component's amount in the close the re-close replaces, ¥"),
    Col("after", "money", N_("after"), "the component's amount now, ¥"),
    Col("change", "money", NC_("payroll changes", "change"), "after − before, ¥"),
    Col("reason", "text", NC_("payroll changes", "reason"), "why the month was reopened (`csbatch reopen --reason`)"),
    Col("reopened_by", "text", N_("reopened by"), "who reopened it (user@host)"),
    Col("reopened_at", "text", N_("reopened at"), "when it was reopened (ISO date and time)"),
), row="employee × pay component whose amount a re-close changed, then a total row")


# --- VIP (docs/policy.md#vip): vip_members, vip_points, vip_tasks, vip_member_changes, vip_discount_audit ---

VIP_MEMBERS = Table("vip_members", N_("Members"), (
    Col("customer_id", "id", N_("customer id"), "customer ID (a person's first record)"),
    Col("name", "text", N_("name"), "the member's name"),
    Col("programme", "text", N_("programme"), "programme code (vip.yaml)"),
    Col("tier", "text", N_("tier"), "tier code"),
    Col("card_no", "id", N_("card no"), "card number"),
    Col("issued_on", "date", N_("issued on"), "date the card was issued"),
    Col("valid_until", "date", N_("valid until"), "last day the card is valid"),
    Col("status", "text", N_("status"), "active or void (voided: no purchase in the card's year)"),
    Col("spend_month", "money", N_("spend month"), "what the member paid this month, net of refunds, ¥"),
    Col("spend_12m", "money", N_("spend 12m"), "trailing-12-month spend, ¥"),
    Col("points_open", "int", N_("points open"), "points at the start of the month (blank: programme without points)"),
    Col("points_earned", "int", N_("points earned"), "points earned this month"),
    Col("points_redeemed", "int", N_("points redeemed"), "points spent on vouchers this month"),
    Col("points_expired", "int", N_("points expired"), "points cleared this month"),
    Col("points_close", "int", N_("points close"), "points at month end"),
    Col("voucher_value", "money", N_("voucher value"), "what the closing points are worth as a voucher, ¥"),
    Col("next_tier_gap", "money", N_("next tier gap"), "trailing-12-month spend still needed for the next tier, ¥"),
), row="card active or changed this month")

VIP_POINTS = Table("vip_points", N_("Points entries"), (
    Col("customer_id", "id", N_("customer id"), "customer ID"),
    Col("date", "date", N_("date"), "date of the entry"),
    Col("kind", "text", N_("kind"), "issue, earn, redeem or expire"),
    Col("points", "int", NC_("vip points", "points"), "points (negative when spent or cleared)"),
    Col("order_id", "id", N_("order id"), "the order it comes from"),
    Col("note", "text", N_("note"), "in words, how the points were computed"),
), row="points ledger entry of the month")

VIP_TASKS = Table("vip_tasks", N_("Greetings and reminders"), (
    Col("customer_id", "id", N_("customer id"), "customer ID"),
    Col("name", "text", N_("name"), "the member's name"),
    Col("phone", "id", N_("phone"), "phone number, unmasked (staff call it)"),
    Col("kind", "text", N_("kind"), "birthday, festival:CODE or maintenance"),
    Col("due_from", "date", N_("due from"), "first day to call"),
    Col("due_to", "date", N_("due to"), "last day to call"),
    Col("note", "text", N_("note"), "what the call is about"),
), row="greeting or reminder due next month")

VIP_MEMBER_CHANGES = Table("vip_member_changes", N_("Member changes"), (
    Col("card_no", "id", N_("card no"), "card number"),
    Col("customer_id", "id", N_("customer id"), "customer ID the card is on"),
    Col("name", "text", N_("name"), "the member's name"),
    Col("kind", "text", N_("kind"), "phone_change or address_change"),
    Col("new_value", "text", N_("new value"), "the new phone, masked, or the new address"),
    Col("reported_on", "date", N_("reported on"), "day the member reported it"),
    Col("due_on", "date", N_("due on"), "last day to handle it (vip.yaml `member_changes`; blank: none set)"),
    Col("handled_on", "date", N_("handled on"), "day it was handled (blank: not yet)"),
    Col("status", "text", N_("status"), "done, late, open or overdue at month end"),
), row="address or phone change a member reported this month")

VIP_DISCOUNT_AUDIT = Table("vip_discount_audit", N_("Discount audit"), (
    Col("order_id", "id", N_("order id"), "order ID"),
    Col("customer_id", "id", N_("customer id"), "customer ID"),
    Col("tier", "text", N_("tier"), "the card's tier at the order"),
    Col("category", "text", NC_("vip discount audit", "category"), "product category"),
    Col("list_amount", "money", N_("list amount"), "price before discount, ¥"),
    Col("amount", "money", NC_("vip discount audit", "amount"), "what the customer paid, ¥"),
    Col("expected_amount", "money", N_("expected amount"), "what the card's rate gives, ¥"),
    Col("problem", "text", N_("problem"), "in words, what is wrong"),
), row="member order priced off the card's terms")


# --- audit (docs/policy.md#deadlines, #complaints, #questionnaire): deadlines, complaints and the
# audit report's other sheets ---------------------------------------------------------------------

DEADLINES = Table("deadlines", N_("Deadlines"), (
    Col("rule", "text", NC_("deadlines", "rule"), "deadline rule code (deadlines.yaml)"),
    Col("employee_id", "id", N_("employee id"), "who is expected to submit"),
    Col("reference", "text", N_("reference"), "the day, week or month the item covers"),
    Col("due_at", "datetime", N_("due at"), "when it was due"),
    Col("submitted_at", "datetime", N_("submitted at"), "when it was done (blank: not yet)"),
    Col("status", "text", N_("status"), "on_time, late, missing, open or excused (absent with a reason)"),
    Col("key", "id", N_("key"), "which evidence row it is (e.g. the complaint ID)"),   # after the contract's columns
), row="expected item of a deadline rule")

COMPLAINTS = Table("complaints", N_("Complaints"), (
    Col("complaint_id", "id", N_("complaint id"), "complaint ID"),
    Col("employee_id", "id", N_("employee id"), "the employee responsible"),
    Col("category", "text", N_("category"), "complaint category code"),
    Col("our_fault", "bool", N_("our fault"), "true when the company is at fault (我方责任)"),
    Col("received_at", "datetime", N_("received at"), "intake time"),
    Col("resolved_at", "datetime", N_("resolved at"), "resolution time (blank: open)"),
    Col("days_open", "number", N_("days open"), "days from intake to resolution, or to period end when open"),
    Col("sla_status", "text", N_("sla status"), "on_time, late, open_within_sla or open_past_sla at month end"),
    Col("satisfied", "bool", N_("satisfied"), "the customer was satisfied with the resolution"),
    Col("loss_amount", "money", N_("loss amount"), "what the complaint cost the company, ¥"),
), row="complaint of the month's register")

# The audit workbook's sheets: the contract's columns first (where there is a contract), then
# columns for reading (names, descriptions).

DEADLINES_SHEET = Table("deadlines", DEADLINES.heading, DEADLINES.columns + (
    Col("employee_name", "text", N_("employee name"), "the employee's name (roster)"),
    Col("score", "number", N_("test score"), "the training test's score (rules with a pass mark)"),
    Col("passed", "bool", N_("test passed"), "the score reaches the rule's pass mark (blank: no test)"),
))

DEADLINES_BY_PERSON = Table("deadlines_by_person", N_("Deadlines by person"), (
    Col("employee_id", "id", N_("employee id"), "the employee's ID (roster)"),
    Col("name", "text", N_("name"), "the employee's name (roster)"),
    Col("rule", "text", NC_("deadlines", "rule"), "the deadline rule's name (deadlines.yaml `name`)"),
    Col("on_time", "int", NC_("deadline", "on time"), "items done by their due time"),
    Col("late", "int", NC_("deadline", "late"), "items done after their due time"),
    Col("missing", "int", N_("missing"), "items not done (an absence without a reason included)"),
    Col("excused", "int", N_("absent with a reason"), "absences with a reason (rules that read attendance)"),
    Col("open", "int", N_("not yet due"),
        "items not done, under a rule that counts from a start (a complaint may yet be resolved)"),
    Col("items", "int", N_("expected items"), "the items expected of the person under the rule, in all"),
), row="employee × deadline rule with an item expected of them (the Deadlines sheet counted)")

COMPLAINTS_SHEET = Table("complaints", COMPLAINTS.heading, COMPLAINTS.columns + (
    Col("due_at", "datetime", NC_("complaints", "due at"), "when the complaint was due to be resolved"),
    Col("customer_id", "id", N_("customer id"), "customer ID"),
    Col("order_id", "id", N_("order id"), "order ID"),
    Col("description", "text", N_("description"), "the complaint in the customer's words"),
))

COMPLAINT_CATEGORIES = Table("complaint_categories", N_("Complaint categories"), (
    Col("category", "text", N_("category"), "complaint category"),
    Col("complaints", "int", N_("complaints"), "complaints of the month"),
    Col("our_fault", "int", N_("our fault"), "of them, with our fault"),
    Col("on_time", "int", N_("on time"), "resolved on time"),
    Col("late", "int", N_("late"), "resolved late"),
    Col("open_within_sla", "int", N_("open within sla"), "open, still within the due time"),
    Col("open_past_sla", "int", N_("open past sla"), "open past the due time"),
    Col("loss_amount", "money", N_("loss amount"), "losses, summed, ¥"),
), row="complaint category")

COMPLAINT_STAGES = Table("complaint_stages", N_("Complaint stages missing"), (
    Col("complaint_id", "id", N_("complaint id"), "complaint ID"),
    Col("employee_id", "id", N_("employee id"), "the responsible agent"),
    Col("category", "text", N_("category"), "complaint category"),
    Col("resolved_at", "datetime", N_("resolved at"), "when it was resolved"),
    Col("missing", "text", N_("stages missing"), "the stages its category requires that are not recorded as done"),
), row="resolved complaint missing a required stage")

AUDIT_EXCEPTIONS = Table("exceptions", N_("Special-price refunds"), (
    Col("order_id", "id", N_("order id"), "order ID"),
    Col("customer_id", "id", N_("customer id"), "customer ID"),
    Col("employee_id", "id", N_("employee id"), "the agent"),
    Col("order_date", "date", N_("order date"), "order date"),
    Col("amount", "money", NC_("exceptions", "amount"), "amount refunded, ¥"),
    Col("note", "text", N_("note"), "in words, why it is listed"),
), row="refund of a special-price order")

CALLBACKS = Table("callbacks", N_("Callbacks"), (
    Col("employee_id", "id", N_("employee id"), "the employee's ID (roster)"),
    Col("name", "text", N_("name"), "the employee's name (roster)"),
    Col("team", "text", N_("team"), "team"),
    Col("planned", "int", N_("planned"), "callbacks planned in the month"),
    Col("done", "int", N_("done"), "of them, done"),
    Col("completion", "rate", N_("completion"), "planned callbacks done by month end ÷ planned (blank: none planned)"),
    Col("rated", "int", NC_("callbacks", "rated"), "callbacks with a rating"),
    Col("satisfied", "int", NC_("callbacks", "satisfied"), "rated 满意"),
    Col("neutral", "int", N_("neutral"), "rated 一般"),
    Col("dissatisfied", "int", N_("dissatisfied"), "rated 不满意"),
    Col("repurchase_yes", "int", N_("repurchase yes"), "callbacks with repurchase intent"),
    Col("repurchase_share", "rate", N_("repurchase share"), "repurchase intent ÷ callbacks with an answer"),
), row="agent with callbacks")


def qa_agents_table(sections: list[tuple[str, str]]) -> Table:
    """Per agent: the questionnaire's sections (code, name) in policy order between the mean score
    and the violations."""
    return Table("qa_agents", N_("QA agents"), (
        Col("employee_id", "id", N_("employee id"), "the employee's ID (roster)"),
        Col("name", "text", N_("name"), "the employee's name (roster)"),
        Col("team", "text", N_("team"), "team"),
        Col("audits", "int", N_("audits"), "audits of the month"),
        Col("mean_score", "decimal", N_("mean score"), "mean audit score"),
        *(Col(code, "decimal", spelled(code), "mean points of the section", named=name) for code, name in sections),
        Col("violations", "int", N_("violations"), "taboo violations, counted"),
    ), row="audited agent")


def qa_teams_table(sections: list[tuple[str, str]]) -> Table:
    return Table("qa_teams", N_("QA teams"), (
        Col("team", "text", N_("team"), "team"),
        Col("agents", "int", N_("agents"), "agents audited"),
        Col("audits", "int", N_("audits"), "audits of the month"),
        Col("mean_score", "decimal", N_("mean score"), "mean audit score"),
        *(Col(code, "decimal", spelled(code), "mean points of the section", named=name) for code, name in sections),
    ), row="team")


TABOOS = Table("taboos", N_("Taboos"), (
    Col("item", "text", NC_("taboos", "item"), "item code"),
    Col("text", "text", N_("text"), "the item's question"),
    Col("violations", "int", N_("violations"), "audits in which it was violated"),
    Col("audits", "int", N_("audits"), "audits in which it applied"),
    Col("share", "rate", N_("share"), "violations ÷ audits"),
), row="taboo item")

NOT_AUDITED = Table("not_audited", N_("Not audited"), (
    Col("employee_id", "id", N_("employee id"), "the employee's ID (roster)"),
    Col("name", "text", N_("name"), "the employee's name (roster)"),
    Col("team", "text", N_("team"), "team"),
), row="agent not audited this month")

AUDITORS = Table("auditors", N_("Auditors"), (
    Col("auditor", "text", N_("auditor"), "auditor's name"),
    Col("audits", "int", N_("audits"), "audits done"),
    Col("agents", "int", NC_("auditors", "agents"), "agents audited"),
    Col("mean_score", "decimal", N_("mean score"), "mean score given"),
    Col("difference", "decimal", N_("difference"), "mean score − the overall mean (harsh or lenient)"),
), row="auditor")
