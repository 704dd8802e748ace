"""The points rules one at a time (csbatch.vip.points): each event builder on its own, then the
replay that folds events into balances. test_vip.py runs them together through `run_vip`.

Default policy (config/vip.yaml): flagship cards earn 1 point per ¥50, 30% of the qualifying
amount at issue, and clear on each anniversary; vouchers need a ≥ ¥3,000 purchase and pay 30%
of the points up to a 1,000 balance, 35% to 2,000."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pandas as pd

from csbatch.errors import Severity, Source
from csbatch.vip.card_events import Card
from csbatch.vip.model import POINT_COLUMNS
from csbatch.vip.people import People
from csbatch.vip.points import (
    EARN,
    EXPIRE,
    ISSUE,
    REDEEM,
    REVERSAL,
    Event,
    PastPoints,
    Redemption,
    earn_events,
    expire_events,
    issue_events,
    past_points,
    qualifying_refund_warnings,
    redeem_events,
    redemption_problems,
    replay,
    reversal_events,
)
from csbatch.vip.purchases import Spend

D = Decimal
DAY = dt.date.fromisoformat
PEOPLE = People(person_by_customer={"C1": "P1", "C2": "P2"})


def card(card_no: str = "F1", person: str = "P1", cid: str = "C1", issued: str = "2026-10-10",
         **kw) -> Card:
    fields = dict(card_no=card_no, person=person, customer_id=cid, programme="flagship",
                  tier="silver", issued_on=DAY(issued), valid_until=DAY("2027-10-09"),
                  status="active", active_at_start=True)
    return Card(**{**fields, **kw})


def spend(policy, *rows: tuple[str, str, str, str]) -> Spend:
    """This month's flagship rows (order id, date, customer, amount; a negative amount is a
    refund of an earlier order)."""
    month = pd.DataFrame([{"period": "2026-10", "customer_id": cid, "store_type": "flagship",
                           "category": "regular", "order_id": oid, "order_date": pd.Timestamp(day),
                           "amount": D(amount), "list_amount": D(amount).copy_abs()}
                          for oid, day, cid, amount in rows])
    return Spend("2026-10", None, month, PEOPLE, policy)


def redemption(points: int, voucher: str, order_id: str | None = "A1", day: str = "2026-10-20",
               cid: str = "C1", row: int = 0) -> Redemption:
    return Redemption(cid, DAY(day), points, D(voucher), order_id, Source("r.xlsx", row=row + 2), row)


def sale(cid: str, amount: str, list_amount: str | None = None) -> dict:
    return {"customer_id": cid, "amount": D(amount), "list_amount": D(list_amount or amount)}


def balances(entries: list[dict]) -> dict[str, int]:
    out: dict[str, int] = {}
    for e in entries:
        out[e["card_no"]] = out.get(e["card_no"], 0) + e["points"]
    return out


# ---------------------------------------------------------------------------------------------
# what earlier months left


def test_past_points_sum_balances_and_remember_what_each_order_earned():
    rows = [("F1", "issue", 400, "Q1"), ("F1", "earn", 60, "A1"), ("F1", "earn", -60, "A1"),
            ("F1", "earn", 20, "A2"), ("F2", "earn", 10, "A2"), ("F1", "expire", -100, None)]
    frame = pd.DataFrame([{"card_no": no, "person": "P", "customer_id": "C", "date": "2026-09-01",
                           "kind": kind, "points": pts, "order_id": oid, "note": ""}
                          for no, kind, pts, oid in rows], columns=POINT_COLUMNS)
    past = past_points(frame)
    assert past.balance == {"F1": 320, "F2": 10}
    assert past.earned == {"A1": {"F1": 0}, "A2": {"F1": 20, "F2": 10}}
    assert past.issued_for == {"Q1": "F1"}
    assert past_points(None) == PastPoints({}, {}, {})


# ---------------------------------------------------------------------------------------------
# one builder per kind of event


def test_a_refund_reverses_what_its_order_earned_on_cards_of_this_month_only():
    past = PastPoints({}, {"A1": {"F1": 72, "F9": 5}, "A2": {"F1": 0}}, {})
    events = reversal_events(["A1", "A2", "A3"], past, [card()], DAY("2026-10-01"))
    assert [(e.day, e.rank, e.card.card_no, e.kind, e.points, e.order_id, e.note) for e in events] == \
        [(DAY("2026-10-01"), REVERSAL, "F1", "earn", -72, "A1", "订单 A1 退款，冲回积分")]


def test_a_refund_of_a_qualifying_order_is_a_warning_and_takes_nothing_back():
    past = PastPoints({}, {}, {"Q1": "F1"})
    assert reversal_events(["Q1"], past, [card()], DAY("2026-10-01")) == []
    [warning] = qualifying_refund_warnings(["A1", "Q1"], past, None)
    assert (warning.code, warning.severity) == ("vip.qualifying_refund", Severity.WARNING)
    assert "order Q1, refunded this month, qualified card F1" in warning.message


def test_each_anniversary_is_an_expiry_unless_the_policy_keeps_points(policy):
    c = card(anniversaries=[DAY("2026-10-05"), DAY("2026-10-25")])
    assert [(e.day, e.rank, e.kind, e.note) for e in expire_events(c, policy)] == \
        [(DAY("2026-10-05"), EXPIRE, "expire", "发卡周年，积分清零"),
         (DAY("2026-10-25"), EXPIRE, "expire", "发卡周年，积分清零")]
    keep = dataclasses.replace(policy, vip=policy.vip.model_copy(
        update={"card": policy.vip.card.model_copy(update={"clear_points_on_anniversary": False})}))
    assert expire_events(c, keep) == []


def test_a_new_card_earns_its_share_of_the_qualifying_amount_rounded_down(policy):
    c = card(new=True, qualifying_amount=D("68830"), qualifying_order="Q1", qualified_by="单笔")
    [e] = issue_events(c, policy)
    # 30% × 68,830 = 20,649 → ÷ 50 = 412.98 → 412
    assert (e.day, e.rank, e.kind, e.points, e.order_id) == (DAY("2026-10-10"), ISSUE, "issue", 412, "Q1")
    assert e.note.startswith("办卡消费 ¥68,830（单笔）的30%计入积分")
    assert issue_events(card(), policy) == []      # a card from an earlier month


def test_member_orders_earn_a_point_per_50_and_the_qualifying_ones_nothing(policy):
    c = card(new=True, qualifying_orders=frozenset({"Q1"}))
    s = spend(policy, ("Q1", "2026-10-10", "C1", "70000"), ("A0", "2026-10-10", "C1", "900"),
              ("A1", "2026-10-12", "C1", "3649"), ("A2", "2026-10-13", "C1", "49"),
              ("X1", "2026-10-14", "C2", "5000"))
    # Q1 qualified the card; A0 is on the issue day (before the card); A2 earns 0 points
    assert [(e.day, e.rank, e.points, e.order_id) for e in earn_events(c, s, policy)] == \
        [(DAY("2026-10-12"), EARN, 72, "A1")]


def test_a_redemption_goes_on_the_card_active_that_day_or_is_rejected():
    old = card("F0", issued="2025-10-10", voided_on=DAY("2026-10-10"))
    new = card("F1", issued="2026-10-10", new=True, active_at_start=False)
    rows = [redemption(100, "30", day="2026-10-05", row=0), redemption(100, "30", day="2026-10-15", row=1),
            redemption(50, "15", cid="C2", row=2)]
    events, issues = redeem_events(rows, [old, new], PEOPLE)
    assert [(e.card.card_no, e.rank, e.kind, e.points) for e in events] == \
        [("F0", REDEEM, "redeem", -100), ("F1", REDEEM, "redeem", -100)]
    assert [(i.code, i.source.row) for i in issues] == [("vip.redemption_no_card", 4)]


# ---------------------------------------------------------------------------------------------
# a redemption's checks


def test_a_redemption_within_balance_rate_and_minimum_passes(policy):
    orders = {"A1": sale("C1", "2400", "3000")}
    assert redemption_problems(redemption(1000, "300"), card(), 1000, orders, PEOPLE, policy) == []


def test_a_redemption_is_refused_for_each_rule_it_breaks(policy):
    orders = {"A1": sale("C2", "2800")}
    def why(issues):
        who, rejected = "customer C1, 2026-10-20: ", "; the redemption is rejected"
        assert all(i.message.startswith(who) and i.message.endswith(rejected) for i in issues)
        return [(i.code, i.message.removeprefix(who).removesuffix(rejected)) for i in issues]

    found = redemption_problems(redemption(1200, "420"), card(), 1000, orders, PEOPLE, policy)
    assert why(found) == [("vip.redemption_balance", "spends 1200 points, balance is 1000"),
                          ("vip.redemption_rate", "values 1200 points at ¥420, more than the 30% rate "
                                                  "allows: ¥360"),
                          ("vip.redemption_order", "order A1 is customer C2's, not the card holder's"),
                          ("vip.redemption_minimum", "purchase ¥2,800 is under the ¥3,000 voucher minimum")]
    assert found[0].text("zh") == "客户 C1，2026-10-20：使用 1200 积分，但积分余额为 1000；兑换被拒绝"
    assert why(redemption_problems(redemption(10, "3", order_id="Z9"), card(), 1000, orders, PEOPLE, policy)) == \
        [("vip.redemption_order", "order Z9 is not in this month's sales")]


# ---------------------------------------------------------------------------------------------
# the replay


def test_within_a_day_reversal_expiry_issue_redemption_then_earning(policy):
    """Built in the wrong order on purpose: the replay orders one day's events by kind."""
    c = card()
    day = DAY("2026-10-10")
    events = [Event(day, EARN, c, "earn", 60, "A2"),
              Event(day, REDEEM, c, "redeem", -100, "A1", redemption=redemption(100, "30", day="2026-10-10")),
              Event(day, ISSUE, c, "issue", 400, "Q1"),
              Event(day, EXPIRE, c, "expire", 0, None, "发卡周年，积分清零"),
              Event(day, REVERSAL, c, "earn", -20, "A0")]
    entries, vouchers, issues = replay(events, {"F1": 500}, {"A1": sale("C1", "3000")}, PEOPLE, policy)
    assert [(e["kind"], e["points"]) for e in entries] == \
        [("earn", -20), ("expire", -480), ("issue", 400), ("redeem", -100), ("earn", 60)]
    assert entries[3]["note"] == "订单 A1 使用代金券 ¥30"
    assert vouchers == {"A1": D("30")} and issues == []
    assert balances(entries) == {"F1": 360 - 500}


def test_an_expiry_of_an_empty_balance_leaves_no_entry(policy):
    c = card()
    events = [Event(DAY("2026-10-10"), EXPIRE, c, "expire", 0, None, "发卡周年，积分清零")]
    assert replay(events, {"F1": 0}, {}, PEOPLE, policy) == ([], {}, [])


def test_a_rejected_redemption_leaves_the_balance_for_the_next(policy):
    """Two redemptions of 800 against 1,000 points: the first passes, the second meets 200."""
    c = card()
    orders = {"A1": sale("C1", "3000"), "A2": sale("C1", "3000")}
    events = [Event(DAY("2026-10-20"), REDEEM, c, "redeem", -800, "A1",
                    redemption=redemption(800, "240", "A1", "2026-10-20", row=0)),
              Event(DAY("2026-10-21"), REDEEM, c, "redeem", -800, "A2",
                    redemption=redemption(800, "240", "A2", "2026-10-21", row=1))]
    entries, vouchers, issues = replay(events, {"F1": 1000}, orders, PEOPLE, policy)
    assert [(e["order_id"], e["points"]) for e in entries] == [("A1", -800)]
    assert vouchers == {"A1": D("240")}
    assert [(i.code, i.source.row) for i in issues] == [("vip.redemption_balance", 3)]
    assert issues[0].message == ("customer C1, 2026-10-21: spends 800 points, balance is 200; "
                                 "the redemption is rejected")
