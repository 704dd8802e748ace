"""The formula language of scorecard items (`csbatch.policy.expressions`), evaluated directly:
its functions per row, and a missing value that leaves the row without a result."""
from decimal import Decimal as D

from csbatch.policy.expressions import evaluate, parse


def _values(formula: str, **columns: list) -> list:
    n = len(next(iter(columns.values())))
    return evaluate(parse(formula), columns, n, tables=lambda name: None).values.tolist()


def test_floor_rounds_toward_minus_infinity():
    assert _values("floor(x)", x=[D("2.7"), D("-1.5"), D("3")]) == [D("2"), D("-2"), D("3")]


def test_min_max_abs_per_row():
    assert _values("min(x, y) + max(x, y) + abs(x)", x=[D("-1"), D("4")], y=[D("2"), D("3")]) == \
        [D("2"), D("11")]


def test_a_missing_value_has_no_result():
    assert _values("floor(x) + 1", x=[None, D("1.2")]) == [None, D("2")]
