"""Band tables: every value of a checked table's domain falls in exactly one band."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.policy.band_lookup import OutsideTable, lookup
from csbatch.policy.bands import BandTable, Interval


def _tables(policy) -> list[tuple[str, BandTable]]:
    found = list(policy.bands.items())
    for sc in policy.scorecards.values():
        found += list(sc.bands.items())
    return found


def _values(table: BandTable):
    dom = table.domain or Interval()
    lo = dom.lower.value if dom.lower.value is not None else Decimal(-1000)
    hi = dom.upper.value if dom.upper.value is not None else Decimal(1000)
    if table.measure == "count":
        return st.integers(int(lo), int(hi)).map(Decimal)
    edges = sorted({b for band in table.bands for b in (band.lower.value, band.upper.value)
                    if b is not None and lo <= b <= hi})
    around = st.sampled_from(edges).flatmap(lambda e: st.sampled_from(
        [e, e - Decimal("0.0001"), e + Decimal("0.0001")])) if edges else st.nothing()
    anywhere = st.decimals(min_value=lo, max_value=hi, places=4, allow_nan=False)
    return st.one_of(around, anywhere).filter(dom.contains)


def test_default_tables_are_all_exercised(policy):
    names = {n for n, _ in _tables(policy)}
    assert {"satisfaction_deduction", "grades", "voucher_rate", "complaint_unresolved_deduction",
            "feedback_deduction", "conversion_coefficient", "target_coefficient"} <= names


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_every_value_in_the_domain_hits_exactly_one_band(policy, data):
    name, table = data.draw(st.sampled_from(_tables(policy)))
    x = data.draw(_values(table))
    hits = [b for b in table.bands if b.contains(x)]
    assert len(hits) == 1, (name, x, [b.describe(table.measure) for b in hits])
    assert lookup(table, x) is hits[0]


@pytest.mark.parametrize("table,x,value", [
    ("satisfaction_deduction", "1", "0"), ("satisfaction_deduction", "0.95", "1"),
    ("satisfaction_deduction", "0.9499", "2"), ("satisfaction_deduction", "0.75", "3"),
    ("satisfaction_deduction", "0.7499", "5"),
    ("voucher_rate", "1000", "0.30"), ("voucher_rate", "1001", "0.35"), ("voucher_rate", "4001", "0.50"),
])
def test_bounds_fall_on_the_declared_side(policy, table, x, value):
    assert lookup(policy.bands[table], Decimal(x)).value == Decimal(value)


def test_scorecard_tables_at_their_bounds(policy):
    ecom = policy.scorecards["ecommerce"].bands
    assert lookup(ecom["conversion_coefficient"], Decimal("0.90")).value == Decimal("1.0")
    assert lookup(ecom["conversion_coefficient"], Decimal("0.8999")).value == Decimal("0.9")
    assert lookup(ecom["target_coefficient"], Decimal("0.90")).value == Decimal("0.8")
    assert lookup(ecom["target_coefficient"], Decimal("1.20")).value == Decimal("1.2")
    sc = policy.scorecards["service_center"].bands
    assert lookup(sc["complaint_unresolved_deduction"], Decimal("0")).value == Decimal("0")
    assert lookup(sc["complaint_unresolved_deduction"], Decimal("0.0001")).value == Decimal("2")
    assert lookup(sc["feedback_deduction"], Decimal("5")).value == Decimal("1")
    assert lookup(sc["feedback_deduction"], Decimal("6")).value == Decimal("0")
    assert lookup(policy.bands["grades"], Decimal("95")).label == "A"
    assert lookup(policy.bands["grades"], Decimal("94.99")).label == "B"


def test_outside_a_bounded_table(policy):
    with pytest.raises(OutsideTable):
        lookup(policy.bands["satisfaction_deduction"], Decimal("1.01"))
