"""Round 13 (issue 14, second pass): per-order pay computed once per distinct (terms, amount)
and the counted orders' places found once give what the per-order forms gave, digits and all
(equal Decimals of other exponents, NaN, huge amounts cents cannot hold, duplicates)."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.payroll.lines import RowPlaces
from csbatch.payroll.orders import Counted, exactly, identities, per_distinct
from csbatch.scoring.measures_kit import SheetRows

#: amounts as cells give them: equal values of other exponents, negatives, zero, huge, tiny
_AMOUNTS = st.one_of(
    st.sampled_from(["48.3", "48.30", "48.300", "0", "0.00", "-0", "-12.5", "1E+3", "1000",
                     "99999999999999999999.99", "0.0000001", "123456789012345678901234567.8"]),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**6, max_value=10**6).map(str),
).map(Decimal)
_RATES = st.sampled_from(["0.01", "0.010", "0.02", "1", "0.5", "0.50", "0", "1.0"]).map(Decimal)


def _shared(values: list[Decimal], pick: list[int]) -> list[Decimal]:
    """Cells as the reader hands them: some equal cells one object, some each their own."""
    return [values[i % len(values)] if i % 2 else Decimal(str(values[i % len(values)])) for i in pick]


@settings(max_examples=300, deadline=None)
@given(st.lists(_AMOUNTS, min_size=1, max_size=8), st.lists(st.integers(0, 20), max_size=40),
       st.lists(st.tuples(_RATES, _RATES), min_size=1, max_size=4), st.data())
def test_pay_per_distinct_terms_and_amount_as_the_per_order_product(distinct, pick, terms, data):
    """Each order's pay is the object the per-order product would give: equal value, equal
    digits (48.3 and 48.30 are equal but pay 0.483 and 0.4830), the same for every order."""
    amounts = _shared(distinct, pick)
    codes = [data.draw(st.integers(0, len(terms) - 1)) for _ in amounts]
    pays = per_distinct(lambda rate, share, amount: rate * amount * share, codes, terms, amounts)
    old = [terms[k][0] * amount * terms[k][1] for k, amount in zip(codes, amounts)]
    assert [(p, p.as_tuple()) for p in pays] == [(p, p.as_tuple()) for p in old]
    assert per_distinct(lambda amount: amount, np.zeros(0, dtype=np.int64), [()], []) == []


def test_a_nan_amount_pays_nan_and_a_blank_fails_as_the_product_did():
    nan = Decimal("NaN")
    pays = per_distinct(lambda rate, amount: rate * amount, [0, 0], [(Decimal("0.02"),)], [nan, Decimal("5")])
    assert pays[0].is_nan() and pays[1] == Decimal("0.10")
    for blank in (None, float("nan")):
        for form in (lambda b: per_distinct(lambda rate, amount: rate * amount, [0], [(Decimal("0.02"),)], [b]),
                     lambda b: [Decimal("0.02") * b]):
            try:
                form(blank)
            except TypeError:
                continue
            raise AssertionError("a blank amount was multiplied")


def test_identities_tell_equal_objects_apart_and_exactly_keeps_the_digits():
    a, b = Decimal("48.3"), Decimal("48.30")
    codes, firsts = identities([a, b, a, b, a])
    assert codes.tolist() == [0, 1, 0, 1, 0] and firsts[0] is a and firsts[1] is b
    assert exactly(Decimal("0.5")) != exactly(Decimal("0.50"))
    assert exactly(Decimal("0.5")) == exactly(Decimal("0.5"))
    thing = object()
    assert exactly(thing) == exactly(thing) and exactly(1) != exactly(1.0)


class _Inputs:
    """What `RowPlaces` reads of `Inputs`: each file and sheet's column letters."""

    letters = {("a.xlsx", "s"): {"amount": "C"}, ("b.xlsx", "t"): {"amount": "D"}}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a.xlsx", "b.xlsx", None]), st.sampled_from(["s", "t", None]),
                          st.one_of(st.none(), st.integers(1, 9))), max_size=12),
       st.lists(st.booleans(), max_size=12))
def test_counted_places_as_the_places_of_the_taken_rows(rows, keep):
    """The places of a component's orders, taken from the month's counted orders placed once,
    are the places `RowPlaces` finds in the rows taken from the sales frame."""
    sales = pd.DataFrame(rows, columns=["_file", "_sheet", "_row"]) if rows else \
        pd.DataFrame({"_file": [], "_sheet": [], "_row": []})
    sales["amount"] = [Decimal(i) for i in range(len(sales))]
    counted = np.arange(len(sales), dtype=np.intp)[::-1].copy()
    mask = np.array((keep + [True] * len(sales))[:len(sales)], dtype=bool)
    inputs = _Inputs()
    orders = Counted(sales, counted, np.arange(len(counted)), SheetRows.of(sales.take(counted))).where(mask)
    old = RowPlaces(inputs, sales.take(counted[mask]), "amount")   # type: ignore[arg-type]
    assert list(orders.places(inputs, "amount")) == list(old)      # type: ignore[arg-type]
    assert orders.column("amount") == sales["amount"].take(counted[mask]).tolist()


def _old_order_pay(paid, rank: dict[str, int]) -> pd.DataFrame:
    """The form before this round: order IDs, components and employees ranked, sorted by the three."""
    from csbatch.payroll.compute import ORDER_PAY_COLUMNS, _text_ranks
    frame = pd.DataFrame({c: getattr(paid, c) for c in ORDER_PAY_COLUMNS}, columns=list(ORDER_PAY_COLUMNS),
                         dtype=object)
    order_keys, staff_keys = _text_ranks(paid.order_id, distinct=True), _text_ranks(paid.employee_id)
    if order_keys is not None and staff_keys is not None:
        codes, names = pd.factorize(np.asarray(paid.component, dtype=object), use_na_sentinel=False)
        components = np.array([rank.get(c, len(rank)) for c in names], dtype=np.intp)[codes]
        at = np.lexsort((staff_keys, components, order_keys))
        return frame.take(at).reset_index(drop=True)
    return frame.sort_values(["order_id", "component", "employee_id"], kind="stable",
                             key=lambda c: c.map(rank) if c.name == "component" else c).reset_index(drop=True)


_IDS = st.one_of(st.sampled_from(["WD1", "WD2", "WD10", "wd1", "订单1", "a\0", "", " ", "WD1 "]),
                 st.text(max_size=3), st.integers(0, 3))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_IDS, st.sampled_from(["order_bonus", "commission", "unknown"]),
                          st.sampled_from(["E1", "E2", "e1", "员工"]), _AMOUNTS), max_size=12),
       st.booleans())
def test_order_pay_sorted_as_by_order_component_and_employee(rows, distinct):
    """Each order paid once (the fast path) or not, text IDs or not: the rows the full sort gave."""
    from csbatch.payroll.compute import _order_pay
    from csbatch.payroll.lines import OrderPay
    if distinct:
        rows = list({str(order): (str(order), *rest) for order, *rest in rows}.values())
    paid = OrderPay()
    for order, component, emp, amount in rows:
        paid.extend(component, [order], [emp], [amount])
    rank = {"order_bonus": 0, "commission": 1}
    new, old = _order_pay(paid, rank), _old_order_pay(paid, rank)
    assert new.columns.tolist() == old.columns.tolist()
    assert [[(type(v), v) for v in row] for row in new.itertuples(index=False)] == \
        [[(type(v), v) for v in row] for row in old.itertuples(index=False)]
    assert new.dtypes.tolist() == old.dtypes.tolist() and new.index.equals(old.index)


class _Column:
    """What `_each_measured` reads of a card's context: a measured value's column."""

    def __init__(self, values: list) -> None:
        self.values = values

    def column(self, name: str) -> list:
        return list(self.values)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), _AMOUNTS, st.just(Decimal("NaN")), st.integers(-2, 2)), max_size=15))
def test_each_measured_asks_once_per_exact_value_as_it_asked_per_member(values):
    """Asked once per distinct Decimal (0.95 and 0.950 apart), the raws are what asking per member
    gave, and no two members share a list (a member's phrases are extended on their own)."""
    from csbatch.scoring.engine import _each_measured, plain

    asked: list = []

    def points(v):
        asked.append(v)
        return (v * 2 if not isinstance(v, Decimal) or v.is_finite() else v,
                [plain(f"{v} × 2")], [], {f"{v!r}"} if v == 1 else set())

    new = _each_measured(_Column(values), "m", points)                      # type: ignore[arg-type]
    old = [(None, [], [], {"m"}) if v is None else points(v) for v in values]
    shown = [[(type(p), str(p)) if p is not None else None, phrases, places, missing]
             for p, phrases, places, missing in new]
    assert shown == [[(type(p), str(p)) if p is not None else None, phrases, places, missing]
                     for p, phrases, places, missing in old]
    lists = [id(part) for raw in new for part in raw[1:]]
    assert len(lists) == len(set(lists))
    decimals = {v.as_tuple() for v in values if isinstance(v, Decimal)}
    others = [v for v in values if v is not None and not isinstance(v, Decimal)]
    assert len(asked) == len(decimals) + len(others) + sum(v is not None for v in values)


def test_paid_groups_orders_per_agent_in_file_order_as_the_wide_sort():
    """`_paid` sorts its agents' codes as 16-bit integers when they fit: the same stable order."""
    from csbatch.payroll.lines import InputRows, OrderPay

    class _Ctx:
        order_pay = OrderPay()

    rng = np.random.default_rng(13)
    for agents in (1, 3, 2**16, 2**16 + 5):
        emps = [f"E{i}" for i in rng.integers(0, agents, 3000)] + [f"E{i}" for i in range(agents)][::-1]
        pays = [Decimal(i % 7) for i in range(len(emps))]
        from csbatch.payroll.orders import _paid
        exact, given = _paid("c", _Ctx(), list(range(len(emps))), emps, pays,   # type: ignore[arg-type]
                             InputRows("{x}", [None] * len(emps), lambda i: {"x": i}))
        rows_of: dict[str, list[int]] = {}
        for i, pay in enumerate(pays):
            if pay:
                rows_of.setdefault(emps[i], []).append(i)
        assert {emp: rows._at.tolist() for emp, rows in given.items()} == rows_of
        assert exact == {emp: sum((pays[i] for i in at), Decimal(0)) for emp, at in rows_of.items()}
