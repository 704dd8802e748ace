"""The points ledger of one month (docs/policy.md#vip; flagship cards only — a programme without
`points` carries none). Entries are appended, never changed; a balance is their sum.

- issue: at the card's issue, ⌊issue_points_share × qualifying amount ÷ per_amount⌋; the
  qualifying purchases earn nothing more;
- earn: each later order of the holder in the programme, ⌊paid ÷ per_amount⌋; a refund reported
  this month of an order that earned points reverses them (a negative earn entry);
- redeem: a voucher from the redemptions sheet, checked against the balance at that moment, the
  balance band's rate and the voucher minimum — a failing row is an error naming it;
- expire: on each anniversary the balance is cleared (`clear_points_on_anniversary`).

The balance a redemption sees depends on everything before it, so each card's month is replayed
in date order. Within a day: reversals (a refund's date is unknown, so it counts from the month's
first day), then the anniversary's clearing (the new card year starts that day), the issue,
redemptions (a voucher is taken at the till, before the order's own points), and earnings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from csbatch.calendar import month_bounds
from csbatch.errors import Issue, Severity, Source
from csbatch.policy import Policy
from csbatch.vip.cards import Card
from csbatch.vip.dates import as_date, stamp
from csbatch.vip.model import POINT_COLUMNS, empty
from csbatch.vip.people import People, row_source
from csbatch.vip.pricing import ZERO, cents, percent, voucher_rate, yen
from csbatch.vip.purchases import Spend

REVERSAL, EXPIRE, ISSUE, REDEEM, EARN = range(5)


@dataclass(frozen=True)
class Redemption:
    customer_id: str
    day: dt.date
    points: int
    voucher: Decimal
    order_id: str | None
    source: Source | None
    row: int


@dataclass
class Event:
    day: dt.date
    rank: int
    seq: int
    card: Card
    kind: str = ""
    points: int = 0
    order_id: str | None = None
    note: str = ""
    redemption: Redemption | None = None


@dataclass
class PointsResult:
    entries: list[dict]
    vouchers: dict[str, Decimal]          # order id → voucher of a valid redemption on it
    balances_open: dict[str, int]         # card_no → balance before this month


def _redemptions(frame: pd.DataFrame) -> list[Redemption]:
    if frame is None or frame.empty:
        return []
    out = []
    for i, (_, row) in enumerate(frame.iterrows()):
        points = row.get("points")
        voucher = row.get("voucher_amount")
        order = row.get("order_id")
        out.append(Redemption(str(row.get("customer_id")), as_date(row.get("date")),
                              0 if points is None or points is pd.NA else int(points),
                              ZERO if voucher is None or voucher is pd.NA else Decimal(voucher),
                              None if order is None or order is pd.NA else str(order), row_source(row), i))
    return sorted(out, key=lambda r: (r.day or dt.date.min, r.row))


def _orders(sales: pd.DataFrame) -> dict[str, dict]:
    """This month's sales rows by order id (the redemption checks look them up)."""
    if sales is None or sales.empty:
        return {}
    lists = sales["list_amount"].tolist() if "list_amount" in sales.columns else [None] * len(sales)
    out = {}
    for oid, cid, amount, lst in zip(sales["order_id"].tolist(), sales["customer_id"].tolist(),
                                     sales["amount"].tolist(), lists):
        if oid is None or amount is None:
            continue
        out[str(oid)] = {"customer_id": cid, "amount": Decimal(amount),
                         "list_amount": Decimal(lst) if lst is not None and lst is not pd.NA else Decimal(amount)}
    return out


def _place(sales: pd.DataFrame, order_id: str) -> Source | None:
    """The sheet row of an order (the refund row, when the order is refunded this month)."""
    if sales is None or sales.empty:
        return None
    rows = sales[sales["order_id"].eq(order_id)]
    return row_source(rows.iloc[-1]) if len(rows) else None


def run_points(period: str, cards: list[Card], spend: Spend, people: People, policy: Policy,
               history_points: pd.DataFrame, sales: pd.DataFrame,
               redemptions: pd.DataFrame) -> tuple[PointsResult, list[Issue]]:
    vip = policy.vip
    start, _ = month_bounds(period)
    hist = history_points if history_points is not None and not history_points.empty else empty(POINT_COLUMNS)
    balance: dict[str, int] = {}
    earned: dict[str, dict[str, int]] = {}         # order id → card no → net points earned
    issued_for: dict[str, str] = {}                # order id → card issued on it
    for card_no, kind, pts, oid in zip(hist["card_no"].tolist(), hist["kind"].tolist(),
                                       hist["points"].tolist(), hist["order_id"].tolist()):
        balance[str(card_no)] = balance.get(str(card_no), 0) + int(pts)
        if oid is not None and oid is not pd.NA and kind == "earn":
            per_card = earned.setdefault(str(oid), {})
            per_card[str(card_no)] = per_card.get(str(card_no), 0) + int(pts)
        if oid is not None and oid is not pd.NA and kind == "issue":
            issued_for[str(oid)] = str(card_no)
    opening = {c.card_no: balance.get(c.card_no, 0) for c in cards}
    by_no = {c.card_no: c for c in cards}
    with_points = [c for c in cards if c.active_this_month
                   and vip.programmes.get(c.programme) is not None
                   and vip.programmes[c.programme].points is not None]
    issues: list[Issue] = []
    events: list[Event] = []
    seq = 0

    def add(event: Event) -> None:
        nonlocal seq
        event.seq = seq
        seq += 1
        events.append(event)

    # reversals: refunds reported this month of orders that earned points
    refunds = sorted({p.order_id for rows in spend.by_key.values() for p in rows
                      if p.this_month and p.amount < 0})
    for oid in refunds:
        for card_no, pts in sorted(earned.get(oid, {}).items()):
            if pts > 0 and card_no in by_no:
                add(Event(start, REVERSAL, 0, by_no[card_no], "earn", -pts, oid, f"订单 {oid} 退款，冲回积分"))
        if oid in issued_for:
            issues.append(Issue(_place(sales, oid), "vip.qualifying_refund",
                                f"order {oid}, refunded this month, qualified card {issued_for[oid]}: the card "
                                "and its issue points stand; review them", Severity.WARNING))
    for card in with_points:
        programme = vip.programmes[card.programme]
        per = programme.points.per_amount
        if vip.card.clear_points_on_anniversary:
            for day in card.anniversaries:
                add(Event(day, EXPIRE, 0, card, "expire", 0, None, "发卡周年，积分清零"))
        if card.new:
            pts = int(vip.card.issue_points_share * card.qualifying_amount // per)
            add(Event(card.issued_on, ISSUE, 0, card, "issue", pts, card.qualifying_order,
                      f"办卡消费 {yen(card.qualifying_amount)}（{card.qualified_by}）的"
                      f"{percent(vip.card.issue_points_share)}计入积分，每{yen(per)}计1分"))
        for order in spend.month_orders(card.person, card.programme):
            if not card.member_order(order):
                continue
            pts = int(order.amount // per)
            if pts:
                add(Event(order.order_date, EARN, 0, card, "earn", pts, order.order_id,
                          f"消费 {yen(order.amount)}，每{yen(per)}计1分"))
    wanted = _redemptions(redemptions)
    orders = _orders(sales) if wanted else {}
    holders: dict[str, list[Card]] = {}
    for c in with_points:
        holders.setdefault(c.person, []).append(c)
    for r in wanted:
        mine = holders.get(people.person(r.customer_id), [])
        card = next((c for c in mine if r.day is not None and c.active_on(r.day)), None)
        if card is None:
            issues.append(Issue(r.source, "vip.redemption_no_card",
                                f"customer {r.customer_id} holds no VIP card with points on {r.day}: "
                                f"the redemption of {r.points} points is rejected"))
            continue
        add(Event(r.day, REDEEM, 0, card, "redeem", -r.points, r.order_id, redemption=r))

    entries: list[dict] = []
    vouchers: dict[str, Decimal] = {}
    running = dict(opening)
    min_purchase = vip.vouchers.min_purchase
    for e in sorted(events, key=lambda e: (e.day, e.rank, e.seq)):
        no = e.card.card_no
        bal = running.get(no, 0)
        if e.rank == EXPIRE:
            if bal <= 0:
                continue
            e.points = -bal
        elif e.rank == REDEEM:
            r = e.redemption
            who = f"customer {r.customer_id}, {r.day}"
            problems = []
            if r.points > bal:
                problems.append(("vip.redemption_balance", f"spends {r.points} points, balance is {bal}"))
            rate = voucher_rate(bal, policy)
            allowed = cents(Decimal(r.points) * rate)
            if r.voucher > allowed:
                problems.append(("vip.redemption_rate",
                                 f"values {r.points} points at {yen(r.voucher)}, more than the "
                                 f"{percent(rate)} rate allows: {yen(allowed)}"))
            order = orders.get(r.order_id or "")
            if order is None:
                problems.append(("vip.redemption_order", f"order {r.order_id} is not in this month's sales"))
            else:
                if people.person(str(order["customer_id"])) != e.card.person:
                    problems.append(("vip.redemption_order",
                                     f"order {r.order_id} is customer {order['customer_id']}'s, not the card holder's"))
                if order["list_amount"] < min_purchase:
                    problems.append(("vip.redemption_minimum",
                                     f"purchase {yen(order['list_amount'])} is under the {yen(min_purchase)} "
                                     "voucher minimum"))
            if problems:
                issues.extend(Issue(r.source, code, f"{who}: {text}; the redemption is rejected")
                              for code, text in problems)
                continue
            e.note = f"订单 {r.order_id} 使用代金券 {yen(r.voucher)}"
            vouchers[r.order_id] = vouchers.get(r.order_id, ZERO) + r.voucher
        running[no] = bal + e.points
        entries.append({"card_no": no, "person": e.card.person, "customer_id": e.card.customer_id,
                        "date": stamp(e.day), "kind": e.kind, "points": int(e.points),
                        "order_id": e.order_id, "note": e.note})
    return PointsResult(entries, vouchers, opening), issues


def points_frame(entries: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(entries, columns=POINT_COLUMNS) if entries else empty(POINT_COLUMNS)
    out["order_id"] = pd.Series([e["order_id"] for e in entries], index=out.index, dtype=object)
    out["date"] = out["date"].astype("datetime64[ns]")
    out["points"] = out["points"].astype("int64")
    return out
