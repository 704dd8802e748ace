"""What a close reads from earlier months: the per-order pay a refund reverses, earlier grades,
the VIP programme's history and earlier figures for the audit report's trends. `History` is the
interface the stages use; the ledger (`csbatch.ledger.store.Ledger`) implements it, `NoHistory`
stands in where there is none (a first close, `explain`), and tests may bring their own."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import pandas as pd

if TYPE_CHECKING:
    from csbatch.vip.model import VipHistory


@runtime_checkable
class History(Protocol):
    """The methods the close calls on its history (scorecards: `grade`; payroll: `paid_orders`;
    VIP: `vip_history`; the audit report: `figures_history`)."""

    def paid_orders(self, order_ids: Collection[str]) -> pd.DataFrame: ...
    def grade(self, employee_id: str, period: str) -> str | None: ...
    def vip_history(self) -> VipHistory: ...
    def figures_history(self, before: str) -> pd.DataFrame: ...


class NoHistory:
    """The history of a ledger with no closed month (and what `explain` uses)."""

    def paid_orders(self, order_ids: Collection[str]) -> pd.DataFrame:
        return pd.DataFrame(columns=["order_id", "period", "employee_id", "component", "amount"])

    def grade(self, employee_id: str, period: str) -> str | None:
        return None

    def vip_history(self) -> VipHistory:
        from csbatch.vip.model import VipHistory
        return VipHistory()

    def figures_history(self, before: str) -> pd.DataFrame:
        return pd.DataFrame(columns=["period", "figure", "value"])


class HistoryBefore:
    """The ledger's history as it stood when `period` closed: only what months before it left.
    `what-if` and `reproduce` recompute a closed month on it, with the month itself (and any
    later month) already in the ledger."""

    def __init__(self, ledger: Ledger, period: str):
        self.ledger = ledger
        self.period = period

    def paid_orders(self, order_ids: Collection[str]) -> pd.DataFrame:
        paid = self.ledger.paid_orders(order_ids)
        return paid[paid["period"].astype(str) < self.period].reset_index(drop=True)

    def grade(self, employee_id: str, period: str) -> str | None:
        return self.ledger.grade(employee_id, period) if period < self.period else None

    def vip_history(self) -> VipHistory:
        return self.ledger.vip_history(before=self.period)

    def figures_history(self, before: str) -> pd.DataFrame:
        return self.ledger.figures_history(min(before, self.period))


if TYPE_CHECKING:
    from csbatch.ledger.store import Ledger

    # mypy checks each implementation against the interface here (tests/test_payroll.py checks its fake)
    _IMPLEMENTATIONS: tuple[type[History], ...] = (Ledger, NoHistory, HistoryBefore)
