"""Next month's care reminders read only the orders of a window of days (issue 14): a reminder
starts `days_before` a care date, an order date plus a cycle's months, so only orders dated within
about a month can give one. With a year of history and 95k card holders, the two months
`maintenance_months` gives were ~800k orders made objects and held to the end of the VIP stage,
for the half of them such a window holds. `Spend.care_orders` reads the window's days (the
ledger in SQL) for every holder in one query and gives what `kept_orders` gives within it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.calendar import month_bounds
from csbatch.ledger.store import Ledger
from csbatch.ledger.vip_reads import LedgerPurchases
from csbatch.vip.dates import add_months, shift_period
from csbatch.vip.model import PURCHASE_COLUMNS
from csbatch.vip.people import People
from csbatch.vip.purchases import FramePurchases, Spend
from csbatch.vip.tasks import care_window, maintenance_months
from test_ledger_purchases_keyed import CUSTOMERS, _purchases, _sorted
from test_vip_orders_window import _with_care

#: any month of five years, any lead, one to three categories' cycles of up to two years
PERIODS = st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(2024, 2028), st.integers(1, 12))
CYCLES = st.dictionaries(st.sampled_from(["default", "sofa", "bed"]), st.integers(0, 24), min_size=1, max_size=3)


@settings(max_examples=60, deadline=None)
@given(period=PERIODS, days_before=st.integers(0, 45), cycles=CYCLES)
def test_the_window_holds_every_order_a_reminder_can_come_from(policy, period, days_before, cycles):
    """Every order date whose reminder (care date less `days_before`) starts next month lies in
    the window; with one cycle the window is at most 36 days (a month of 31 days, three more where
    the months shifted back are shorter, and the three after), where `maintenance_months` gives
    two months."""
    lo, hi = care_window(period, _with_care(policy, days_before, cycles))
    first, last = month_bounds(shift_period(period, 1))
    lead = dt.timedelta(days=days_before)
    d, _ = month_bounds(shift_period(period, -max(cycles.values()) - 2))
    while d <= last + dt.timedelta(days=3):
        for months in cycles.values():
            if first <= add_months(d, months) - lead <= last:
                assert lo <= d <= hi, (d, months)
        d += dt.timedelta(days=1)
    if len(set(cycles.values())) == 1:
        assert (hi - lo).days <= 36


def test_no_cycle_no_window(policy):
    assert care_window("2026-11", _with_care(policy, 7, {})) is None


def test_the_ledger_leaves_out_the_days_outside_in_sql(tmp_path):
    """`orders` with `days` gives the rows of `orders` dated within them, and no other."""
    ledger = Ledger(tmp_path / "l.sqlite")
    try:
        ledger.import_purchases("imp1", "h.xlsx", "0" * 64, _purchases())
        sql = LedgerPurchases(ledger.conn, "9999-99")
        stores, customers = ["flagship", "modern", "online"], CUSTOMERS
        lo, hi = dt.date(2026, 3, 3), dt.date(2026, 6, 5)
        days = (lo.toordinal() - dt.date(1970, 1, 1).toordinal(), hi.toordinal() - dt.date(1970, 1, 1).toordinal())
        every = sql.orders("2025-09", "2026-10", stores, customers)
        within = every[every["order_date"].between(pd.Timestamp(lo), pd.Timestamp(hi))]
        assert 0 < len(within) < len(every)
        assert _sorted(sql.orders("2025-09", "2026-10", stores, customers, days=days)) == _sorted(within)
    finally:
        ledger.close()


class _Asked:
    """Earlier purchases that note what each `orders` call asks for."""

    def __init__(self, earlier):
        self.earlier, self.asked = earlier, []

    def __getattr__(self, name):     # spend, spend_cents (the ledger's), frame
        return getattr(self.earlier, name)

    def orders(self, since, before, stores, customers, **kw):
        self.asked.append((since, before, sorted(customers), kw.get("days")))
        return self.earlier.orders(since, before, stores, customers, **kw)


def _row(period, cid, oid, day, amount):
    return (period, cid, "flagship", "regular", oid, pd.Timestamp(day), Decimal(amount))


EARLIER = [
    _row("2026-09", "C1", "S1", "2026-09-15", "90"),      # C1's wider read only
    _row("2026-10", "C1", "A1", "2026-10-05", "100"),     # before the window
    _row("2026-10", "C1", "A2", "2026-10-20", "200"),
    _row("2026-10", "C1", "A3", "2026-10-25", "300"),     # refunded this month
    _row("2026-10", "C2", "B1", "2026-10-07", "400"),     # a day before the window
    _row("2026-10", "C2", "B2", "2026-10-08", "500"),     # its first day
    _row("2026-10", "C2", "B3", "2026-10-09", "600"),
    _row("2026-10", "C2", "B3", "2026-10-09", "-600"),    # refunded the same month
    _row("2026-10", "C3", "D1", "2026-10-30", "700"),
    _row("2026-10", "C4", "D2", "2026-10-31", "800"),     # P3's second customer id
    _row("2026-10", "C5", "E1", "2026-10-21", "900"),     # no one asked
]
MONTH = [
    _row("2026-11", "C1", "N1", "2026-11-03", "110"),     # within (the window ends 11-10)
    _row("2026-11", "C2", "N2", "2026-11-20", "120"),     # after it
    _row("2026-11", "C1", "A3", "2026-10-25", "-300"),
    _row("2026-11", "C3", "N3", "2026-11-10", "130"),     # its last day
]


def _spend(policy, earlier) -> Spend:
    people = People(person_by_customer={"C1": "P1", "C2": "P2", "C3": "P3", "C4": "P3", "C5": "P5"},
                    customers_of={"P1": ["C1"], "P2": ["C2"], "P3": ["C3", "C4"], "P5": ["C5"]})
    month = pd.DataFrame(MONTH, columns=PURCHASE_COLUMNS)
    return Spend("2026-11", earlier, month, people, policy, holders=["P1", "P2", "P3"])


def _check_care_orders(policy, earlier) -> None:
    policy = _with_care(policy, 7, {"default": 2})
    since, before = maintenance_months("2026-11", policy)
    window = care_window("2026-11", policy)
    assert (since, before, window) == ("2026-10", "2026-12", (dt.date(2026, 10, 8), dt.date(2026, 11, 10)))
    oracle = _spend(policy, earlier)
    expected = {p: [o for o in oracle.kept_orders(p, since=since, before=before)
                    if window[0] <= o.order_date <= window[1]] for p in ("P1", "P2", "P3")}
    assert {p: [o.order_id for o in found] for p, found in expected.items()} == {
        "P1": ["A2", "N1"], "P2": ["B2"], "P3": ["D1", "D2", "N3"]}

    spend = _spend(policy, asked := _Asked(earlier))
    spend.load_orders(["P1"], "2026-09")         # P1's card year ends: read from its start
    assert spend.care_orders(["P1", "P2", "P3"], since, before, window) == expected
    first, last = (d.toordinal() - dt.date(1970, 1, 1).toordinal() for d in window)
    assert asked.asked == [("2026-09", "2026-11", ["C1"], None),
                           ("2026-10", "2026-11", ["C2", "C3", "C4"], (first, last))]
    assert set(spend._read_span) == {"P1"}        # nothing kept for the care window


def test_care_orders_are_the_kept_orders_within_the_window(policy):
    frame = pd.DataFrame(EARLIER, columns=PURCHASE_COLUMNS)
    _check_care_orders(policy, FramePurchases(frame))


def test_care_orders_from_the_ledger(policy, tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite")
    try:
        ledger.import_purchases("imp1", "h.xlsx", "0" * 64, pd.DataFrame(EARLIER, columns=PURCHASE_COLUMNS))
        _check_care_orders(policy, LedgerPurchases(ledger.conn, "9999-99"))
    finally:
        ledger.close()
