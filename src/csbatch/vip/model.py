"""The shapes the VIP stage reads and returns. Frames, one row per record; money Decimal,
points int, dates datetime64[ns] (midnight). `person` is the keyed hash of the national ID number
(see `csbatch.vip.identity`): the number itself is never stored or printed."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple, Protocol

import numpy as np
import pandas as pd

PURCHASE_COLUMNS = ["period", "customer_id", "store_type", "category", "order_id", "order_date", "amount"]
CARD_COLUMNS = ["card_no", "person", "customer_id", "programme", "tier", "issued_on", "valid_until",
                "status", "silver_since", "renewed_on"]
MEMBER_CHANGE_COLUMNS = ["card_no", "customer_id", "name", "kind", "new_value", "reported_on", "due_on",
                         "handled_on", "status"]
POINT_COLUMNS = ["card_no", "person", "customer_id", "date", "kind", "points", "order_id", "note"]


def empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})


class SpendCents(NamedTuple):
    """Earlier spend as `LedgerPurchases.spend_cents` answers it: one sum per asked customer,
    store type (and, for a customer stored in two forms, form), unsorted, in integer cents; the
    sums cents cannot hold (more than two decimals, an amount stored as text) as exact Decimals.
    What `EarlierPurchases.spend` answers, without a Decimal, a tuple or a frame per sum: the VIP
    stage folds them per person in numpy and makes Decimals for the keys it reads."""

    customers: list[str]            # the asked customers, as text
    at: np.ndarray                  # each sum's customer: its place in `customers` (int64)
    store: np.ndarray               # each sum's store type: its place in `store_names` (intp)
    store_names: list[str]
    cents: np.ndarray               # each sum in cents (int64; 0 where `exact` holds it)
    exact: dict[int, Decimal]       # sum number → `ZERO` plus its rows' amounts, where cents cannot


class EarlierPurchases(Protocol):
    """The purchases of earlier months, asked for only what a month needs: sums for spend, and
    the orders of the people whose cards look back at them (the ledger answers in SQL:
    `csbatch.ledger.vip_reads`; a frame of every purchase: `csbatch.vip.purchases.FramePurchases`).
    Both look at months `since` <= period < `before`, rows of the store types `stores`."""

    def spend(self, since: str, before: str, stores: Collection[str], customers: Collection[str]) -> pd.DataFrame:
        """customer_id, store_type, amount: each of `customers`' net spend per store type over
        those months; amount Decimal, `Decimal("0.00")` plus the rows' amounts."""
        ...

    def orders(self, since: str, before: str, stores: Collection[str], customers: Collection[str],
               refunds_before: str | None = None, days: tuple[int, int] | None = None) -> pd.DataFrame:
        """PURCHASE_COLUMNS rows of `customers` in those months, and `refunded`: whether a refund
        row (any customer's) of the months `since` <= period < `refunds_before` (default `before`)
        names the row's order: a window of earlier orders is still refunded by a later month.
        Dates datetime64, amount Decimal, customer and order ids text. With `days` (first, last;
        days since 1970-01-01), rows dated outside them may be left out (the ledger leaves them
        out in SQL; a frame gives them all): the caller keeps only those within."""
        ...

    def frame(self) -> pd.DataFrame:
        """Every purchase (PURCHASE_COLUMNS, amount Decimal, order_date datetime64)."""
        ...


class VipHistory:
    """What earlier months left, from the ledger's live closes and history imports.

    purchases: PURCHASE_COLUMNS — every completed purchase of earlier months per customer and
        store type (a refund is a negative row in the month it was reported); amount Decimal.
        From the ledger it is loaded only when read: the close asks `earlier` for what it needs.
    cards: CARD_COLUMNS — every card as the latest close left it (status active/void).
    points: POINT_COLUMNS — every points entry of earlier months (append-only; kind issue, earn,
        redeem, expire; points int, negative for redeem/expire and for reversed earnings).
    earlier: the ledger's purchases to ask (None: `purchases` is all there is).
    """

    def __init__(self, purchases: pd.DataFrame | None = None, cards: pd.DataFrame | None = None,
                 points: pd.DataFrame | None = None, earlier: EarlierPurchases | None = None):
        self._purchases = purchases
        self.cards = cards if cards is not None else empty(CARD_COLUMNS)
        self.points = points if points is not None else empty(POINT_COLUMNS)
        self.earlier = earlier

    @property
    def purchases(self) -> pd.DataFrame:
        if self._purchases is None:
            self._purchases = self.earlier.frame() if self.earlier is not None else empty(PURCHASE_COLUMNS)
        return self._purchases

    @purchases.setter
    def purchases(self, frame: pd.DataFrame) -> None:
        self._purchases, self.earlier = frame, None


@dataclass
class VipResult:
    """What one month adds and prints.

    purchases: this month's PURCHASE_COLUMNS rows (for the ledger).
    cards: CARD_COLUMNS — the state of EVERY card after this month (the ledger keeps it per close).
    points: this month's new POINT_COLUMNS entries.
    members: vip_members.csv columns (docs/outputs.md), one row per card active or changed this month.
    points_out: vip_points.csv columns (customer_id, date, kind, points, order_id, note).
    tasks: vip_tasks.csv columns (customer_id, name, phone, kind, due_from, due_to, note) for next month.
    discount_audit: vip_discount_audit.csv columns.
    statements: one dict per member for the HTML statement (see csbatch.reports.vip_statements),
        made when read (`csbatch.vip.members.Statements`).
    member_changes: vip_member_changes.csv columns, members' reported address and phone changes.
    """

    purchases: pd.DataFrame
    cards: pd.DataFrame
    points: pd.DataFrame
    members: pd.DataFrame
    points_out: pd.DataFrame
    tasks: pd.DataFrame
    discount_audit: pd.DataFrame
    statements: Sequence[dict]
    member_changes: pd.DataFrame = field(default_factory=lambda: empty(MEMBER_CHANGE_COLUMNS))
