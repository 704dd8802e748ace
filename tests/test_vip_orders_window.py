"""A close reads card holders' earlier orders only over the months that can matter (issue 14): the
holders of cards whose year ends, from that year's start (anniversaries), and every holder's
orders of the months whose care falls due next month (`maintenance_months`), a refund of them up
to this month still taking one out. On a ledger holding a year of million-order months, reading
every holder's year of orders took the VIP stage from seconds to minutes."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.calendar import month_bounds
from csbatch.vip.dates import add_months, shift_period
from csbatch.vip.purchases import FramePurchases
from csbatch.vip.tasks import maintenance_months
from test_vip import _member_history, bought, card, cards_of, customer, day, history, idn, inputs, run


class _Asked:
    """The earlier purchases of a frame, noting what each `orders` call asks for."""

    def __init__(self, frame):
        self.frame = FramePurchases(frame)
        self.asked: list[tuple[str, str, set[str]]] = []

    def spend(self, *args):
        return self.frame.spend(*args)

    def orders(self, since, before, stores, customers, **kw):
        self.asked.append((since, before, set(customers)))
        return self.frame.orders(since, before, stores, customers, **kw)


def _with_care(policy, days_before: int, cycles: dict[str, int]):
    care = policy.vip.maintenance.model_copy(update={"days_before": days_before, "cycle_months": cycles})
    return dataclasses.replace(policy, vip=policy.vip.model_copy(update={"maintenance": care}))


@settings(max_examples=40, deadline=None)
@given(period=st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(2024, 2028), st.integers(1, 12)),
       days_before=st.integers(0, 45),
       cycles=st.dictionaries(st.sampled_from(["default", "sofa", "bed"]), st.integers(0, 24),
                              min_size=1, max_size=3))
def test_care_months_hold_every_order_a_reminder_can_come_from(policy, period, days_before, cycles):
    """Every order date whose reminder (care date = order date + a cycle's months, less
    `days_before`) starts in next month lies in a month `maintenance_months` gives."""
    since, before = maintenance_months(period, _with_care(policy, days_before, cycles))
    first, last = month_bounds(shift_period(period, 1))
    lead = dt.timedelta(days=days_before)
    d, _ = month_bounds(shift_period(period, -max(cycles.values()) - 2))
    while d <= last:
        for months in cycles.values():
            if first <= add_months(d, months) - lead <= last:
                assert since <= d.strftime("%Y-%m") < before, (d, months)
        d += dt.timedelta(days=1)


def test_reminders_read_only_their_months_and_a_later_refund_still_counts(policy):
    """Closing 2026-11, reminders (a week before a 12-month care date) come from orders of
    2025-12 and 2026-01 only: no other month is read. An order of December refunded in June
    gives none."""
    people = [customer("C1", 1, birthday="1990-03-15")]
    hist = _member_history(("C1", people[0]["id_number"]))
    frame = history(purchases=[
        bought("2025-10", "C1", "H1", "2025-10-20", 5000),
        bought("2025-12", "C1", "H2", "2025-12-20", 3000),      # care 2026-12-20: reminded
        bought("2025-12", "C1", "H3", "2025-12-25", 900),       # refunded in June: no care
        bought("2026-05", "C1", "H4", "2026-05-03", 700),
        bought("2026-06", "C1", "H3", "2025-12-25", -900),
        bought("2026-10", "C1", "H5", "2026-10-02", 600)]).purchases
    hist.earlier = asked = _Asked(frame)
    result, _ = run(policy, "2026-11", inputs(policy, customers=people), hist)
    care = result.tasks[result.tasks["kind"] == "maintenance"]
    assert care[["customer_id", "due_from", "due_to"]].values.tolist() == [
        ["C1", day("2026-12-13"), day("2026-12-19")]]
    assert "care of order H2" in care.iloc[0]["note"]
    assert maintenance_months("2026-11", policy) == ("2025-12", "2026-02")
    assert [(since, before) for since, before, _ in asked.asked] == [("2025-12", "2026-02")]


def test_anniversaries_read_only_the_holders_whose_year_ends(policy):
    """Closing 2026-11: C1's card year ends on 2026-11-04, so C1's orders are read from
    2025-11, the year's start; C2's card runs on, so C2's are read only over the months of
    next month's reminders."""
    people = [customer("C1", 1), customer("C2", 2)]
    hist = history(
        purchases=[bought("2026-03", "C1", "H1", "2026-03-08", 500, store="modern"),
                   bought("2026-04", "C2", "H2", "2026-04-08", 500, store="modern")],
        cards=[card("M1", idn(1), "C1", "2025-11-05", "2026-11-04", "modern"),
               card("M2", idn(2), "C2", "2026-06-01", "2027-05-31", "modern")])
    hist.earlier = asked = _Asked(hist.purchases)
    result, _ = run(policy, "2026-11", inputs(policy, customers=people), hist)
    assert cards_of(result)["C1"]["renewed_on"] == day("2026-11-05")    # used in its year: renewed
    assert sorted((since, before, tuple(sorted(c))) for since, before, c in asked.asked) == [
        ("2025-11", "2026-11", ("C1",)), ("2025-12", "2026-02", ("C2",))]
