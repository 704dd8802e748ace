"""The audit report: every check of the month as a frame, the headline figures, and their trend.

Money Decimal, shares as Decimal fractions (0.95), counts int, timestamps datetime64[ns]."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from csbatch.i18n import N_

DEADLINE_COLUMNS = ["rule", "employee_id", "reference", "due_at", "submitted_at", "status"]
COMPLAINT_COLUMNS = ["complaint_id", "employee_id", "category", "our_fault", "received_at", "resolved_at",
                     "days_open", "sla_status", "satisfied", "loss_amount"]
STAGE_COLUMNS = ["complaint_id", "employee_id", "category", "category_name", "resolved_at", "missing"]

#: Headline figures kept in the ledger for trends: code → the words a person reads (English
#: msgids; the Chinese, 投诉数 …, is in the catalogue). The audit page and workbook both show these.
FIGURES: dict[str, str] = {
    "complaints": N_("Number of complaints"),
    "complaints_on_time_share": N_("Complaints resolved on time"),
    "complaints_open_past_sla": N_("Complaints open past the SLA"),
    "our_fault_share": N_("Share our fault"),
    "losses": N_("Loss from complaints"),
    "callback_completion": N_("Callback completion"),
    "callback_satisfied_share": N_("Callbacks satisfied"),
    "qa_mean_score": N_("QA mean score"),
    "not_audited": N_("Number of agents not audited"),
    "deadlines_on_time_share": N_("Deadlines on time"),
    "special_price_refunds": N_("Special-price refund exceptions"),
}


@dataclass
class AuditReport:
    period: str
    # deadlines.csv columns first, then: rule_name, employee_name, due_kind (extras for reading)
    deadlines: pd.DataFrame
    # complaints.csv columns first, then: customer_id, order_id, description, category_name, due_at
    # sla_status: on_time / late / open_within_sla / open_past_sla
    complaints: pd.DataFrame
    # by category: category, category_name, complaints, our_fault, on_time, late, open_within_sla,
    # open_past_sla, loss_amount
    complaint_categories: pd.DataFrame
    # resolved complaints missing a stage their category requires (complaints.yaml): STAGE_COLUMNS,
    # missing = stage codes (customer_signed archived ...), space-separated
    complaint_stages: pd.DataFrame
    # refunds of special-price orders (never returnable): order_id, customer_id, employee_id, order_date,
    # amount, note
    exceptions: pd.DataFrame
    # per agent: employee_id, name, team, planned, done, completion, rated, satisfied, neutral,
    # dissatisfied, repurchase_yes, repurchase_share
    callbacks: pd.DataFrame
    # per agent audited or expected: employee_id, name, team, audits, mean_score, <section codes: mean
    # points>, violations (count)
    qa_agents: pd.DataFrame
    # per team: team, agents, audits, mean_score, <section codes>
    qa_teams: pd.DataFrame
    # team × item: index team, columns item codes (questionnaire order), values = share of the item's
    # points earned (positive) or share of audits without the violation (taboo), 0..1, NaN = no data
    qa_heatmap: pd.DataFrame
    # taboo items by violations: item, text, violations, audits, share
    taboos: pd.DataFrame
    # agents expected to be audited with no audit this month: employee_id, name, team
    not_audited: pd.DataFrame
    # per auditor: auditor, audits, agents, mean_score, difference (from the overall mean)
    auditors: pd.DataFrame
    # headline figures of FIGURES for this month (None where there is nothing to measure)
    figures: dict[str, Decimal | None]
    # trend: one row per (period, figure): period, figure, value — earlier closed months from the
    # ledger and this month; filled by the close
    trends: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["period", "figure", "value"]))
