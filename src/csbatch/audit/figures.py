"""The month's headline figures (`model.FIGURES`), kept in the ledger so later reports can draw
trends. Every figure is a Decimal — counts whole, shares as fractions half-up to 4 places, money
to the cent — or None when there is nothing to measure (no callback planned: no completion rate).

Shares are taken over what can be judged this month:

* complaints_on_time_share — on time ÷ (on time + late + open past SLA); a complaint still
  within its SLA at month end is not judged yet;
* deadlines_on_time_share — on time ÷ (on time + late + missing); "open" items are not judged;
* losses — every complaint's loss amount (our fault or not: the money is gone either way).
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from csbatch.audit.callbacks import CallbackTotals
from csbatch.audit.kit import share
from csbatch.audit.qa import QaFrames
from csbatch.audit.report import FIGURES
from csbatch.blanks import is_blank
from csbatch.money import ZERO, half_up


def _count(n: int) -> Decimal:
    return Decimal(int(n))


def headline_figures(deadlines: pd.DataFrame, complaints: pd.DataFrame, exceptions: pd.DataFrame | None,
                     callbacks: CallbackTotals, qa: QaFrames) -> dict[str, Decimal | None]:
    sla = complaints["sla_status"].tolist()
    judged_sla = sum(sla.count(s) for s in ("on_time", "late", "open_past_sla"))
    statuses = deadlines["status"].tolist()
    judged = sum(statuses.count(s) for s in ("on_time", "late", "missing"))
    figures = {
        "complaints": _count(len(complaints)),
        "complaints_on_time_share": share(sla.count("on_time"), judged_sla),
        "complaints_open_past_sla": _count(sla.count("open_past_sla")),
        "our_fault_share": share(sum(bool(v) for v in complaints["our_fault"]), len(complaints)),
        "losses": half_up(sum((Decimal(v) for v in complaints["loss_amount"] if not is_blank(v)), ZERO)),
        "callback_completion": share(callbacks.planned_done, callbacks.planned),
        "callback_satisfied_share": share(callbacks.satisfied, callbacks.rated),
        "qa_mean_score": qa.mean_score,
        "not_audited": _count(len(qa.not_audited)),
        "deadlines_on_time_share": share(statuses.count("on_time"), judged),
        "special_price_refunds": None if exceptions is None else _count(len(exceptions)),
    }
    return {code: figures[code] for code in FIGURES}
