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
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

import pandas as pd

from csbatch.blanks import is_blank
from csbatch.calendar import month_bounds
from csbatch.errors import Issue, Source
from csbatch.i18n import N_
from csbatch.money import ZERO_CENTS as ZERO
from csbatch.money import to_cents
from csbatch.policy import Policy
from csbatch.vip.card_events import Card
from csbatch.vip.dates import as_date, stamp
from csbatch.vip.model import POINT_COLUMNS, empty
from csbatch.vip.people import People
from csbatch.vip.pricing import percent, voucher_rate, yen
from csbatch.vip.purchases import Spend

#: Event ranks: the order of a card's events within one day (see the module's docstring).
REVERSAL, EXPIRE, ISSUE, REDEEM, EARN = range(5)


@dataclass(frozen=True)
class Redemption:
    customer_id: str
    day: dt.date | None         # None: the row has no date (no card holds points then)
    points: int
    voucher: Decimal
    order_id: str | None
    source: Source | None
    row: int


@dataclass(frozen=True)
class Event:
    """One points event of a card, before the replay: an expiry's points and a redemption's
    note depend on the balance at that moment, so the replay fills them in."""

    day: dt.date
    rank: int
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


@dataclass(frozen=True)
class PastPoints:
    """What the ledger's earlier entries tell this month."""

    balance: dict[str, int]               # card no → balance
    earned: dict[str, dict[str, int]]     # order id → card no → net points earned
    issued_for: dict[str, str]            # order id → card issued on it


def _redemptions(frame: pd.DataFrame | None) -> list[Redemption]:
    if frame is None or frame.empty:
        return []
    out = []
    for i, (_, row) in enumerate(frame.iterrows()):
        points: Any = row.get("points")              # cells: blank or what intake typed
        voucher: Any = row.get("voucher_amount")
        order: Any = row.get("order_id")
        out.append(Redemption(str(row.get("customer_id")), as_date(row.get("date")),
                              0 if is_blank(points) else int(points),
                              ZERO if is_blank(voucher) else Decimal(voucher),
                              None if is_blank(order) else str(order), _of_row(row), i))
    return sorted(out, key=lambda r: (r.day or dt.date.min, r.row))


def _orders(sales: pd.DataFrame | None) -> dict[str, dict]:
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
                         "list_amount": Decimal(amount) if is_blank(lst) else Decimal(lst)}
    return out


def _place(sales: pd.DataFrame | None, order_id: str) -> Source | None:
    """The sheet row of an order (the refund row, when the order is refunded this month)."""
    if sales is None or sales.empty:
        return None
    rows = sales[sales["order_id"].eq(order_id)]
    return _of_row(rows.iloc[-1]) if len(rows) else None


def _of_row(row: pd.Series) -> Source | None:
    # `Source.of_row` reads a row through `.get`, which a frame row has; its annotation says Mapping
    return Source.of_row(cast("Mapping[str, Any]", row))


def past_points(history_points: pd.DataFrame | None) -> PastPoints:
    """Balances, points earned per order and cards issued per order, from earlier entries."""
    hist = history_points if history_points is not None and not history_points.empty else empty(POINT_COLUMNS)
    balance: dict[str, int] = {}
    earned: dict[str, dict[str, int]] = {}
    issued_for: dict[str, str] = {}
    for card_no, kind, pts, oid in zip(hist["card_no"].tolist(), hist["kind"].tolist(),
                                       hist["points"].tolist(), hist["order_id"].tolist()):
        balance[str(card_no)] = balance.get(str(card_no), 0) + int(pts)
        if not is_blank(oid) and kind == "earn":
            per_card = earned.setdefault(str(oid), {})
            per_card[str(card_no)] = per_card.get(str(card_no), 0) + int(pts)
        if not is_blank(oid) and kind == "issue":
            issued_for[str(oid)] = str(card_no)
    return PastPoints(balance, earned, issued_for)


def cards_with_points(cards: list[Card], policy: Policy) -> list[Card]:
    """The cards of this month whose programme has points."""
    vip = policy.vip
    return [c for c in cards if c.active_this_month
            and vip.programmes.get(c.programme) is not None
            and vip.programmes[c.programme].points is not None]


def refunded_orders(spend: Spend) -> list[str]:
    """The orders a refund reported this month takes back, sorted."""
    return sorted(spend.refunds)


# ---------------------------------------------------------------------------------------------
# event builders: one per kind of points event


def reversal_events(refunds: list[str], past: PastPoints, cards: list[Card],
                    start: dt.date) -> list[Event]:
    """A refunded order takes back the points it earned on each card (dated the month's first
    day: a refund's own date is unknown)."""
    by_no = {c.card_no: c for c in cards}
    events = []
    for oid in refunds:
        for card_no, pts in sorted(past.earned.get(oid, {}).items()):
            if pts > 0 and card_no in by_no:
                events.append(Event(start, REVERSAL, by_no[card_no], "earn", -pts, oid,
                                    f"订单 {oid} 退款，冲回积分"))
    return events


def qualifying_refund_warnings(refunds: list[str], past: PastPoints,
                               sales: pd.DataFrame | None) -> list[Issue]:
    """A refunded order that qualified a card leaves the card and its issue points standing,
    for a person to review."""
    return [Issue.warn(_place(sales, oid), "vip.qualifying_refund",
                       N_("order {order}, refunded this month, qualified card {card}: the card and its issue "
                          "points stand; review them"), order=oid, card=past.issued_for[oid])
            for oid in refunds if oid in past.issued_for]


def expire_events(card: Card, policy: Policy) -> list[Event]:
    """Each anniversary clears the balance (`clear_points_on_anniversary`); how much is known
    only at the replay."""
    if not policy.vip.card.clear_points_on_anniversary:
        return []
    return [Event(day, EXPIRE, card, "expire", 0, None, "发卡周年，积分清零") for day in card.anniversaries]


def _per_amount(card: Card, policy: Policy) -> Decimal:
    """¥ per point of the card's programme."""
    points = policy.vip.programmes[card.programme].points
    assert points is not None, "only cards of a programme with points get here (cards_with_points)"
    return points.per_amount


def issue_events(card: Card, policy: Policy) -> list[Event]:
    """A new card earns ⌊issue_points_share × qualifying amount ÷ per_amount⌋ on its issue day."""
    if not card.new:
        return []
    vip = policy.vip
    per = _per_amount(card, policy)
    amount = card.qualifying_amount
    assert amount is not None, "a new card has the amount that qualified it (issue_cards)"
    pts = int(vip.card.issue_points_share * amount // per)
    return [Event(card.issued_on, ISSUE, card, "issue", pts, card.qualifying_order,
                  f"办卡消费 {yen(amount)}（{card.qualified_by}）的"
                  f"{percent(vip.card.issue_points_share)}计入积分，每{yen(per)}计1分")]


def earn_events(card: Card, spend: Spend, policy: Policy) -> list[Event]:
    """Each member order of the month earns ⌊paid ÷ per_amount⌋ (an order earning 0 leaves no
    entry)."""
    per = _per_amount(card, policy)
    events = []
    for order in spend.month_orders(card.person, card.programme):
        if not card.member_order(order):
            continue
        pts = int(order.amount // per)
        if pts:
            events.append(Event(order.order_date, EARN, card, "earn", pts, order.order_id,
                                f"消费 {yen(order.amount)}，每{yen(per)}计1分"))
    return events


def redeem_events(wanted: list[Redemption], cards: list[Card],
                  people: People) -> tuple[list[Event], list[Issue]]:
    """Each redemption row on the holder's card with points active that day; a row with no
    such card is rejected. Whether the balance allows it is known only at the replay."""
    holders: dict[str, list[Card]] = {}
    for c in cards:
        holders.setdefault(c.person, []).append(c)
    events, issues = [], []
    for r in wanted:
        mine = holders.get(people.person(r.customer_id), [])
        card = next((c for c in mine if r.day is not None and c.active_on(r.day)), None)
        if card is None or r.day is None:
            issues.append(Issue.of(r.source, "vip.redemption_no_card",
                                   N_("customer {customer} holds no VIP card with points on {day}: the "
                                      "redemption of {points} points is rejected"),
                                   customer=r.customer_id, day=r.day, points=r.points))
            continue
        events.append(Event(r.day, REDEEM, card, "redeem", -r.points, r.order_id, redemption=r))
    return events, issues


# ---------------------------------------------------------------------------------------------
# the replay


#: Why a redemption is refused (`redemption_problems`).
BALANCE = N_("customer {customer}, {day}: spends {points} points, balance is {balance}; the redemption is rejected")
RATE = N_("customer {customer}, {day}: values {points} points at {voucher}, more than the {rate} rate allows: "
          "{allowed}; the redemption is rejected")
NO_ORDER = N_("customer {customer}, {day}: order {order} is not in this month's sales; the redemption is rejected")
OTHERS_ORDER = N_("customer {customer}, {day}: order {order} is customer {buyer}'s, not the card holder's; the "
                  "redemption is rejected")
MINIMUM = N_("customer {customer}, {day}: purchase {amount} is under the {minimum} voucher minimum; the redemption "
             "is rejected")


def redemption_problems(r: Redemption, card: Card, balance: int, orders: dict[str, dict], people: People,
                        policy: Policy) -> list[Issue]:
    """An issue for each reason a redemption is refused, given the card's balance then."""
    min_purchase = policy.vip.vouchers.min_purchase
    problems: list[tuple[str, str, dict[str, Any]]] = []
    if r.points > balance:
        problems.append(("vip.redemption_balance", BALANCE, {"points": r.points, "balance": balance}))
    rate = voucher_rate(balance, policy)
    allowed = to_cents(Decimal(r.points) * rate)
    if r.voucher > allowed:
        problems.append(("vip.redemption_rate", RATE, {"points": r.points, "voucher": yen(r.voucher),
                                                       "rate": percent(rate), "allowed": yen(allowed)}))
    order = orders.get(r.order_id or "")
    if order is None:
        problems.append(("vip.redemption_order", NO_ORDER, {"order": r.order_id}))
    else:
        if people.person(str(order["customer_id"])) != card.person:
            problems.append(("vip.redemption_order", OTHERS_ORDER,
                             {"order": r.order_id, "buyer": order["customer_id"]}))
        if order["list_amount"] < min_purchase:
            problems.append(("vip.redemption_minimum", MINIMUM,
                             {"amount": yen(order["list_amount"]), "minimum": yen(min_purchase)}))
    return [Issue.of(r.source, code, template, customer=r.customer_id, day=r.day, **params)
            for code, template, params in problems]


def replay(events: list[Event], opening: dict[str, int], orders: dict[str, dict], people: People,
           policy: Policy) -> tuple[list[dict], dict[str, Decimal], list[Issue]]:
    """Fold the events into entries in (day, rank) order, events of one day and rank in the
    order they were built (the sort is stable): an expiry takes the whole positive balance, a
    redemption is checked against the balance it meets. Returns (entries, vouchers by order id,
    the rejected redemptions' issues)."""
    entries: list[dict] = []
    vouchers: dict[str, Decimal] = {}
    issues: list[Issue] = []
    running = dict(opening)
    for e in sorted(events, key=lambda e: (e.day, e.rank)):
        no = e.card.card_no
        bal = running.get(no, 0)
        points, note = e.points, e.note
        if e.rank == EXPIRE:
            if bal <= 0:
                continue
            points = -bal
        elif e.rank == REDEEM:
            r = e.redemption
            assert r is not None, "a REDEEM event carries its redemption (redeem_events)"
            problems = redemption_problems(r, e.card, bal, orders, people, policy)
            if problems:
                issues.extend(problems)
                continue
            assert r.order_id is not None, "no problem: its order is in this month's sales"
            note = f"订单 {r.order_id} 使用代金券 {yen(r.voucher)}"
            vouchers[r.order_id] = vouchers.get(r.order_id, ZERO) + r.voucher
        running[no] = bal + points
        entries.append({"card_no": no, "person": e.card.person, "customer_id": e.card.customer_id,
                        "date": stamp(e.day), "kind": e.kind, "points": int(points),
                        "order_id": e.order_id, "note": note})
    return entries, vouchers, issues


def run_points(period: str, cards: list[Card], spend: Spend, people: People, policy: Policy,
               history_points: pd.DataFrame, sales: pd.DataFrame | None,
               redemptions: pd.DataFrame | None) -> tuple[PointsResult, list[Issue]]:
    """The month's points: every event built, then replayed card by card in date order."""
    past = past_points(history_points)
    opening = {c.card_no: past.balance.get(c.card_no, 0) for c in cards}
    with_points = cards_with_points(cards, policy)
    refunds = refunded_orders(spend)
    start, _ = month_bounds(period)
    events = reversal_events(refunds, past, cards, start)
    issues = qualifying_refund_warnings(refunds, past, sales)
    for card in with_points:
        events += [*expire_events(card, policy), *issue_events(card, policy),
                   *earn_events(card, spend, policy)]
    wanted = _redemptions(redemptions)
    redeemed, refused = redeem_events(wanted, with_points, people)
    entries, vouchers, rejected = replay([*events, *redeemed], opening,
                                         _orders(sales) if wanted else {}, people, policy)
    return PointsResult(entries, vouchers, opening), [*issues, *refused, *rejected]


def points_frame(entries: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(entries, columns=POINT_COLUMNS) if entries else empty(POINT_COLUMNS)
    out["order_id"] = pd.Series([e["order_id"] for e in entries], index=out.index, dtype=object)
    out["date"] = out["date"].astype("datetime64[ns]")
    out["points"] = out["points"].astype("int64")
    return out
