"""Round 14: `_paid` sums an agent's per-order pays as integers (`orders.exact_sums`) where that
is certain to give the Decimal loop's sum, value and exponent; checked here against the loop it
replaced, kept in the test, including the cases that must fall back to it."""

from __future__ import annotations

from decimal import Decimal, localcontext

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.payroll.orders import ZERO, coded_per_distinct, exact_sums


def loop_sums(codes: list[int], n: int, pays: list[Decimal]) -> list[Decimal]:
    """The old form: each code's `ZERO + Σ pays` in row order."""
    sums = [ZERO] * n
    for at, pay in zip(codes, pays):
        sums[at] += pay
    return sums


def same(a: list[Decimal], b: list[Decimal]) -> bool:
    return [(type(x), repr(x)) for x in a] == [(type(x), repr(x)) for x in b]


decimals = st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(lambda d: d != 0) \
    | st.sampled_from([Decimal("0.5"), Decimal("0.50"), Decimal("-0.50"), Decimal("5E+2"), Decimal("1E+30"),
                       Decimal("123456789012345678901234567.8"), Decimal("0.0000000001"), Decimal("48.30")])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 7)), min_size=1, max_size=60), st.lists(decimals, min_size=8, max_size=8))
def test_exact_sums_equal_the_decimal_loop(rows: list[tuple[int, int]], distinct: list[Decimal]) -> None:
    # codes renumbered in order of first appearance, as `pd.factorize` gives them
    first: dict[int, int] = {}
    codes = [first.setdefault(c, len(first)) for c, _ in rows]
    pays = [distinct[k] for _, k in rows]                  # shared objects, as `per_distinct` hands out
    n = len(first)
    expected = loop_sums(codes, n, pays)
    for coded in (None, (np.array([k for _, k in rows]), np.array(distinct, dtype=object))):
        got = exact_sums(np.array(codes, dtype=np.intp), n, pays, coded)
        assert got is None or same(got, expected)


def test_exact_sums_fall_back_where_the_loop_rounds_or_a_sum_is_zero() -> None:
    codes = np.array([0, 0], dtype=np.intp)
    assert exact_sums(codes, 1, [Decimal("1E+30"), Decimal("0.01")]) is None        # beyond 28 digits
    assert exact_sums(codes, 1, [Decimal("0.10"), Decimal("-0.1")]) is None          # zero: sign by rounding
    assert exact_sums(codes, 1, [Decimal("1"), Decimal("NaN")]) is None
    assert exact_sums(codes, 1, [Decimal("1"), 2]) is None                           # not a Decimal
    with localcontext() as ctx:
        ctx.prec = 3
        assert exact_sums(codes, 1, [Decimal("9.99"), Decimal("0.01")]) is None      # the loop would round
    assert same(exact_sums(codes, 1, [Decimal("5E+2"), Decimal("0.50")]) or [], [Decimal("500.50")])
    assert same(exact_sums(np.array([0, 1, 0], dtype=np.intp), 2, [Decimal("0.5"), Decimal("7"), Decimal("0.50")])
                or [], [Decimal("1.00"), Decimal("7")])
    assert exact_sums(np.zeros(0, dtype=np.intp), 0, []) == []


def test_coded_per_distinct_gives_per_distinct_pays() -> None:
    a, b = Decimal("48.3"), Decimal("48.30")
    codes, table = coded_per_distinct(lambda share, amount: amount * share, [0, 0, 1, 0], [(Decimal("0.5"),),
                                      (Decimal(1),)], [a, b, a, a])
    assert [repr(x) for x in table[codes]] == ["Decimal('24.15')", "Decimal('24.150')", "Decimal('48.3')",
                                               "Decimal('24.15')"]
