"""Purchases and spend (docs/policy.md#vip: "spend is what the customer paid, net of refunds").

This month's purchases are the sales rows of a programme's store type (online orders, with no
store type, are outside both programmes): a completed order dated in the month adds its amount;
a refund reported this month of an order from an earlier month subtracts it, in this month. A
refunded order dated in this month was never counted, so it adds and subtracts nothing.

`vip import-history` reads earlier months through the same function (`history_purchases`): a
history file is the sales sheets of its months, one row per order with the status it has now, so
each row belongs to the month of its order date; a refunded order there was never counted and
adds nothing, exactly as in a close.

`Spend` holds those and the ledger's earlier months per person and programme, and answers what
the card rules ask: trailing-12-month spend, this month's orders in date order, purchases in a
card year, the purchases a maintenance reminder comes from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from csbatch.blanks import is_blank
from csbatch.calendar import month_bounds
from csbatch.policy import Policy
from csbatch.vip.dates import as_date, shift_period
from csbatch.vip.model import PURCHASE_COLUMNS, empty
from csbatch.vip.people import People
from csbatch.vip.pricing import ZERO

COMPLETED = "completed"
REFUNDED = "refunded"
MONTHS = 12


def sales_default(policy: Policy, column: str, fallback: str) -> str:
    """A sales column's default code (inputs.yaml), for frames built without it."""
    kind = policy.inputs.kinds.get("sales")
    col = kind.columns.get(column) if kind is not None else None
    return col.default if col is not None and col.default else fallback


def month_purchases(period: str, sales: pd.DataFrame | None, policy: Policy) -> pd.DataFrame:
    """PURCHASE_COLUMNS rows of this month, plus `list_amount` (the list price, defaulting to the
    amount) and `status`, sorted by order date and order id."""
    stores = {p.store_type for p in policy.vip.programmes.values()}
    if sales is None or sales.empty:
        out = empty(PURCHASE_COLUMNS + ["list_amount", "status"])
        out["order_date"] = pd.Series([], dtype="datetime64[ns]")
        return out
    start, end = (pd.Timestamp(d) for d in month_bounds(period))
    status = sales["status"].fillna(sales_default(policy, "status", COMPLETED))
    dates = sales["order_date"]
    completed = status.eq(COMPLETED) & dates.ge(start) & dates.le(end)
    refunded = status.eq(REFUNDED) & dates.lt(start)
    rows = sales[sales["store_type"].isin(stores) & (completed | refunded)
                 & sales["amount"].notna() & sales["customer_id"].notna()]
    is_refund = refunded.loc[rows.index]
    amounts = [-a if r else a for a, r in zip(rows["amount"].tolist(), is_refund.tolist())]
    lists = [a if is_blank(x) else x
             for a, x in zip(rows["amount"].tolist(), rows["list_amount"].tolist())] \
        if "list_amount" in rows.columns else rows["amount"].tolist()
    out = pd.DataFrame({
        "period": period,
        "customer_id": rows["customer_id"].astype(object),
        "store_type": rows["store_type"].astype(object),
        "category": rows["category"].fillna(sales_default(policy, "category", "regular")).astype(object),
        "order_id": rows["order_id"].astype(object),
        "order_date": rows["order_date"].astype("datetime64[ns]"),
        "amount": pd.Series(amounts, index=rows.index, dtype=object),
        "list_amount": pd.Series(lists, index=rows.index, dtype=object),
        "status": pd.Series([REFUNDED if r else COMPLETED for r in is_refund.tolist()],
                            index=rows.index, dtype=object),
    })
    return out.sort_values(["order_date", "order_id"], kind="stable").reset_index(drop=True)


def history_purchases(sales: pd.DataFrame, policy: Policy) -> tuple[pd.DataFrame, list[str]]:
    """Purchases of a history file (PURCHASE_COLUMNS), each month read by `month_purchases` as
    the sheet of that month, and the months the file holds programme rows of (a month whose rows
    add nothing, e.g. only refunds, is still a month the file speaks about)."""
    stores = {p.store_type for p in policy.vip.programmes.values()}
    if sales is None or sales.empty:
        return empty(PURCHASE_COLUMNS), []
    dated = sales[sales["order_date"].notna()]
    months = dated["order_date"].dt.strftime("%Y-%m")
    frames = [month_purchases(month, dated[months == month], policy)[PURCHASE_COLUMNS]
              for month in sorted(set(months))]
    found = [f for f in frames if not f.empty]
    out = pd.concat(found, ignore_index=True) if found else empty(PURCHASE_COLUMNS)
    spoken = sorted(set(months[dated["store_type"].isin(stores)]))
    return out, spoken


@dataclass(frozen=True)
class Purchase:
    period: str
    customer_id: str
    programme: str
    category: str
    order_id: str
    order_date: dt.date
    amount: Decimal
    list_amount: Decimal
    this_month: bool

    @property
    def is_order(self) -> bool:
        """A completed order (a refund is a negative row)."""
        return self.amount > 0


def _dates(column: pd.Series) -> list[dt.date | None]:
    """A date column as dates (fast for datetime64, cell by cell otherwise)."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return [None if is_blank(d) else d for d in column.dt.date.tolist()]
    return [as_date(d) for d in column.tolist()]


class Spend:
    """Every purchase of earlier months (the ledger's) and of this month, per person and
    programme."""

    def __init__(self, period: str, history: pd.DataFrame, month: pd.DataFrame, people: People,
                 policy: Policy):
        self.period = period
        programme_of = {p.store_type: code for code, p in policy.vip.programmes.items()}
        hist = history if history is not None and not history.empty else empty(PURCHASE_COLUMNS)
        hist = hist[hist["period"].astype(str) < period]   # this month comes from its own sheet
        first_window = shift_period(period, -(MONTHS - 1))
        rows: list[Purchase] = []
        for frame, this_month in ((hist, False), (month, True)):
            lists = frame["list_amount"].tolist() if "list_amount" in frame.columns else frame["amount"].tolist()
            for per, cid, store, cat, oid, day, amount, lst in zip(
                    frame["period"].astype(str).tolist(), frame["customer_id"].tolist(),
                    frame["store_type"].tolist(), frame["category"].tolist(), frame["order_id"].tolist(),
                    _dates(frame["order_date"]), frame["amount"].tolist(), lists):
                if store not in programme_of:
                    continue
                amount = amount if isinstance(amount, Decimal) else Decimal(amount)
                lst = amount if lst is None else lst if isinstance(lst, Decimal) else Decimal(lst)
                rows.append(Purchase(per, str(cid), programme_of[store], cat, str(oid), day, amount, lst,
                                     this_month))
        self.by_key: dict[tuple[str, str], list[Purchase]] = {}
        self.by_person: dict[str, list[Purchase]] = {}
        self.trailing: dict[tuple[str, str], Decimal] = {}
        self.month: dict[tuple[str, str], Decimal] = {}
        self.largest_order: dict[tuple[str, str], Decimal] = {}     # this month's
        refunded: set[str] = set()
        for p in rows:
            person = people.person(p.customer_id)
            key = (person, p.programme)
            self.by_key.setdefault(key, []).append(p)
            self.by_person.setdefault(person, []).append(p)
            if first_window <= p.period <= period:
                self.trailing[key] = self.trailing.get(key, ZERO) + p.amount
            if p.this_month:
                self.month[key] = self.month.get(key, ZERO) + p.amount
                if p.amount > self.largest_order.get(key, ZERO):
                    self.largest_order[key] = p.amount
            if p.amount < 0:
                refunded.add(p.order_id)
        self.refunded = frozenset(refunded)
        for found in [*self.by_key.values(), *self.by_person.values()]:
            found.sort(key=lambda p: (p.order_date or dt.date.min, p.order_id))

    def trailing_12m(self, person: str, programme: str) -> Decimal:
        return self.trailing.get((person, programme), ZERO)

    def spend_month(self, person: str, programme: str) -> Decimal:
        return self.month.get((person, programme), ZERO)

    def month_rows(self, person: str, programme: str) -> list[Purchase]:
        """This month's rows (orders and refunds), by date and order id."""
        return [p for p in self.by_key.get((person, programme), ()) if p.this_month]

    def month_orders(self, person: str, programme: str) -> list[Purchase]:
        return [p for p in self.month_rows(person, programme) if p.is_order]

    def kept_orders(self, person: str, programme: str | None = None) -> list[Purchase]:
        """Completed orders, earlier months and this one, that were not refunded later."""
        found = self.by_person.get(person, ()) if programme is None else self.by_key.get((person, programme), ())
        return [p for p in found if p.is_order and p.order_id not in self.refunded]

    def keys(self):
        return self.by_key.keys()
