"""What the VIP stage makes per order and per member is small (issue 14: a year of history at a
million orders is ~95k members and ~700k earlier orders read for care reminders): an earlier
order is a slotted `Purchase` sharing one object per period, category and day, and a festival's
greeting text is one object for every member's row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from csbatch.vip.model import PURCHASE_COLUMNS
from csbatch.vip.people import People
from csbatch.vip.purchases import FramePurchases, Spend
from test_vip import customer, idn, inputs, run


def _fresh(text: str) -> str:
    """`text` as a string object of its own (as each row the ledger returns is)."""
    return "".join(list(text))


def test_earlier_orders_share_their_period_category_and_day(policy):
    orders = [(_fresh("2026-09"), "C1", "flagship", _fresh("regular"), f"H{i}", dt.date(2026, 9, 3 + i % 2),
               Decimal(100 + i)) for i in range(6)]
    frame = pd.DataFrame(orders, columns=PURCHASE_COLUMNS)
    frame["order_date"] = pd.to_datetime(frame["order_date"])
    month = pd.DataFrame(columns=PURCHASE_COLUMNS)
    people = People(person_by_customer={"C1": "P1"}, customers_of={"P1": ["C1"]})
    spend = Spend("2026-10", FramePurchases(frame), month, people, policy, holders=["P1"])
    spend.load_orders(["P1"], "2026-09")
    kept = spend.kept_orders("P1", since="2026-09")
    assert [p.order_id for p in kept] == ["H0", "H2", "H4", "H1", "H3", "H5"]
    assert [p.amount for p in kept] == [Decimal(n) for n in (100, 102, 104, 101, 103, 105)]
    assert len({id(p.period) for p in kept}) == 1 and len({id(p.category) for p in kept}) == 1
    assert len({id(p.order_date) for p in kept}) == 2
    assert not hasattr(kept[0], "__dict__")


def test_a_festival_greeting_is_one_text_for_every_member(policy):
    """Closing 2026-12: every member is greeted for New Year's Day (元旦), with the same note."""
    people = [customer(f"C{i}", i, id_number=idn(i)) for i in range(1, 4)]
    sales = [{"order_id": f"A{i}", "order_date": "2026-12-10", "employee_id": "1005", "customer_id": f"C{i}",
              "amount": "68800", "channel": "in_store", "category": "regular", "store_type": "flagship",
              "promo": False, "status": "completed"} for i in range(1, 4)]
    result, _ = run(policy, "2026-12", inputs(policy, customers=people, sales=sales))
    greeted = result.tasks[result.tasks["kind"].str.startswith("festival:")]
    assert len(greeted) >= 3 and set(greeted["customer_id"]) == {"C1", "C2", "C3"}
    for _, rows in greeted.groupby("kind"):
        assert len(rows) == 3
        assert len({id(n) for n in rows["note"]}) == 1 and len({id(k) for k in rows["kind"]}) == 1
