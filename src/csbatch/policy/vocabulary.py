"""The vocabulary of measured values a scorecard item or pay component may name.

Each measured value is computed from the input sheets (scorecards arrive in a later stage); the
policy names them, and `policy check` refuses a name that is not here. The descriptions are what
`csbatch explain` and the docs show.
"""

from __future__ import annotations

from decimal import Decimal

from csbatch.i18n import N_, Named, Said, word
from csbatch.money import to_cents
from csbatch.policy.bands import fmt
from csbatch.text import spelled

MEASURES: dict[str, str] = {
    # service_center [003]
    "collaboration_incidents": "incidents of poor coordination on the collaboration sheet",
    "complaint_unresolved_share": "1 − our-fault complaints resolved to satisfaction ÷ our-fault complaints, "
                                  "over the complaints of the scope complaint_resolution_scope sets (agent, "
                                  "team or department); one still open within its due time is left out",
    "survey_satisfaction": "mean callback survey score as a share of 100 (1–5 scores ×20)",
    "feedback_items": "callbacks done with non-empty feedback",
    "callback_completion_rate": "callbacks done ÷ callbacks planned",
    "incomplete_customer_records": "own customer records missing name, phone or product",
    "conduct_points_lost": "conduct points lost (conduct log and attendance; late counted once)",
    # ecommerce [004]
    "counted_sales": "completed sales of the month after the production-sheet rules, ¥",
    "conversion_rate": "buyers ÷ inquiries on the contacts sheet",
    "target_completion": "counted sales ÷ prorated sales target",
    "promo_sales": "completed key-promotion sales, ¥",
    "callbacks_rated": "callbacks of the agent's orders with a rating",
    "callbacks_satisfied": "callbacks rated 满意",
    "callbacks_neutral": "callbacks rated 一般",
    "callbacks_dissatisfied": "callbacks rated 不满意",
    "service_complaints": "our-fault complaints of category service",
    "wrong_explanation_complaints": "our-fault complaints of category wrong_explanation",
    "unverifiable_wording_complaints": "our-fault complaints of category unverifiable_wording",
    "complaint_penalty_points": "Σ penalty points of the categories of the agent's our-fault complaints "
                                "(complaints.yaml, 依情节轻重)",
    "customer_records": "customer records owned by the agent",
    "complete_customer_records": "own records with phone, name, product and email",
    "classified_customer_records": "own records with a customer class",
    "qa_mean_score": "mean QA-audit score of the month (0–100)",
    "chat_checks": "chat logs the QA supervisor spot-checked (chat-check sheet)",
    "chat_checks_failed": "spot-checked chat logs that failed (chat-check sheet)",
    # supervisor [004]
    "team_satisfaction_rate": "callbacks rated 满意 ÷ rated callbacks of the supervised agents",
    "team_sales_completion": "counted sales of the supervised agents ÷ their targets",
    "assignment_issues": "work-assignment nonconformities (reviews sheet)",
    "publicity_issues": "publicity nonconformities (reviews sheet)",
    "general_issues": "general-management nonconformities (reviews sheet)",
    "onsite_rating": "superior's rating of on-site supervision, 0–30 (reviews sheet)",
    # invitation [002]
    "invitation_success_rate": "accepted ÷ invitations on the contacts sheet",
    "accepted_invitations": "accepted invitations on the contacts sheet",
    "task_completion_rate": "tasks done on time ÷ tasks assigned",
    "communication_rating": "superior's rating of communication, 0–10 (reviews sheet)",
    "teamwork_rating": "superior's rating of teamwork, 0–10 (reviews sheet)",
    "self_evaluation": "the employee's self-evaluation text (shown, never scored)",
    # receptionist, on-site specialist [001]
    "dispatched_tasks": "tasks the receptionist dispatched: submissions rows of the month naming them in "
                        "dispatched_by",
    "dispatched_tasks_closed": "dispatched tasks reported done and logged (submitted_at filled)",
    "dispatched_task_closure_rate": "dispatched tasks closed ÷ dispatched tasks",
    "received_task_closure_rate": "tasks dispatched to the employee closed ÷ tasks dispatched to them",
    "call_log_on_time_rate": "weekly call logs handed in on time ÷ weeks expected (duties.call_log_rule)",
    "service_order_on_time_rate": "own service orders archived on time ÷ own service orders judged in the "
                                  "month (duties.service_order_rule)",
}

#: Names a formula may use besides measured values.
FORMULA_NAMES: dict[str, str] = {
    "weight": "the item's full points",
}

#: Each measured value's short name for a person (issue 12): a rule, a measured list or a formula
#: shown to people names a value by this word (协作问题次数), never by its code; `data/*.csv` and
#: the English `rule` keep the code.
WORDS: dict[str, str] = {
    "collaboration_incidents": N_("coordination incidents"),
    "complaint_unresolved_share": N_("share of complaints not resolved"),
    "survey_satisfaction": N_("callback satisfaction"),
    "feedback_items": N_("callbacks with feedback"),
    "callback_completion_rate": N_("callback completion rate"),
    "incomplete_customer_records": N_("incomplete customer records"),
    "conduct_points_lost": N_("conduct points lost"),
    "counted_sales": N_("counted sales"),
    "conversion_rate": N_("conversion rate"),
    "target_completion": N_("sales target completion"),
    "promo_sales": N_("key promotion sales"),
    "callbacks_rated": N_("rated callbacks"),
    "callbacks_satisfied": N_("callbacks rated satisfied"),
    "callbacks_neutral": N_("callbacks rated neutral"),
    "callbacks_dissatisfied": N_("callbacks rated dissatisfied"),
    "service_complaints": N_("service complaints"),
    "wrong_explanation_complaints": N_("wrong-explanation complaints"),
    "unverifiable_wording_complaints": N_("unverifiable-wording complaints"),
    "complaint_penalty_points": N_("complaint penalty points"),
    "customer_records": N_("customer records"),
    "complete_customer_records": N_("complete customer records"),
    "classified_customer_records": N_("classified customer records"),
    "qa_mean_score": N_("mean QA score"),
    "chat_checks": N_("chats spot-checked"),
    "chat_checks_failed": N_("spot-checked chats failed"),
    "team_satisfaction_rate": N_("team satisfaction rate"),
    "team_sales_completion": N_("team sales target completion"),
    "assignment_issues": N_("work-assignment nonconformities"),
    "publicity_issues": N_("publicity nonconformities"),
    "general_issues": N_("general-management nonconformities"),
    "onsite_rating": N_("on-site supervision rating"),
    "invitation_success_rate": N_("invitation success rate"),
    "accepted_invitations": N_("accepted invitations"),
    "task_completion_rate": N_("on-time task completion rate"),
    "communication_rating": N_("communication rating"),
    "teamwork_rating": N_("teamwork rating"),
    "self_evaluation": N_("self-evaluation"),
    "dispatched_tasks": N_("tasks dispatched"),
    "dispatched_tasks_closed": N_("dispatched tasks closed"),
    "dispatched_task_closure_rate": N_("dispatched-task closure rate"),
    "received_task_closure_rate": N_("received-task closure rate"),
    "call_log_on_time_rate": N_("call logs on time"),
    "service_order_on_time_rate": N_("service orders archived on time"),
    "weight": N_("full points"),
}
NO_DATA = N_("no data")


def named(name: str) -> Named:
    """A measured value's name: its code in English (as `rule` and `data/*.csv` have it), its word
    in any other language (a name the vocabulary lacks is spelled out: `no_calls` → "no calls")."""
    return Named(name, Said(WORDS[name]) if name in WORDS else spelled(name))


def measure_word(lang: str, name: str) -> str:
    """A measured value's name as a person reads it in `lang` (see `named`)."""
    return named(name).text(lang)


#: How each measured value reads: money (¥), rate (a fraction shown as %), count, score, text.
UNITS: dict[str, str] = {
    **dict.fromkeys(("collaboration_incidents", "feedback_items", "incomplete_customer_records",
                     "conduct_points_lost", "callbacks_rated", "callbacks_satisfied", "callbacks_neutral",
                     "callbacks_dissatisfied", "service_complaints", "wrong_explanation_complaints",
                     "unverifiable_wording_complaints", "complaint_penalty_points", "customer_records",
                     "complete_customer_records", "classified_customer_records", "assignment_issues",
                     "publicity_issues", "general_issues", "accepted_invitations", "chat_checks",
                     "chat_checks_failed", "dispatched_tasks", "dispatched_tasks_closed"), "count"),
    **dict.fromkeys(("complaint_unresolved_share", "survey_satisfaction", "callback_completion_rate",
                     "conversion_rate", "target_completion", "team_satisfaction_rate", "team_sales_completion",
                     "invitation_success_rate", "task_completion_rate", "dispatched_task_closure_rate",
                     "received_task_closure_rate", "call_log_on_time_rate", "service_order_on_time_rate"), "rate"),
    **dict.fromkeys(("counted_sales", "promo_sales"), "money"),
    **dict.fromkeys(("qa_mean_score", "onsite_rating", "communication_rating", "teamwork_rating"), "score"),
    "self_evaluation": "text",
}


def show(name: str, value, lang: str = "en") -> str:
    """A measured value as a person reads it: ¥5,292.85, 91.67%, 4, or 'no data' (in `lang`).
    Its imports are the module's (they were the function's: three `from … import` statements run
    at each of the ~40,000 calls of a million-order month's staff pages, half of `show`'s time)."""
    if value is None:
        return word(lang, NO_DATA)
    unit = UNITS.get(name, "count")
    if unit == "text" or not isinstance(value, Decimal):
        return str(value)
    if unit == "money":
        return f"¥{to_cents(value):,}"
    if unit == "rate":
        return fmt(value, "rate")
    return fmt(value)
