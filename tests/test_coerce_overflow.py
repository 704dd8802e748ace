"""Amounts too large for money (issue 14): a float that overflows when made cents, or any amount
of ¥10¹⁵ or more, is an error naming the cell's value, and no RuntimeWarning escapes numpy."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from csbatch.policy.inputs import Column
from csbatch.sheets.coerce import CoerceContext, coerce_column


@pytest.fixture(scope="module")
def ctx(policy) -> CoerceContext:
    return CoerceContext.from_policy(policy, "2026-10")


@pytest.mark.parametrize("cell", [1e308, -1.7e308, 1e15, "99999999999999999999", "¥1,000,000,000,000,000"])
def test_an_overflowing_amount_is_refused(ctx, cell):
    raw = pd.Series([cell, 12.5], dtype=object, index=[2, 3])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = coerce_column(raw, Column(type="money"), ctx)
    assert [(row, str(msg)) for row, msg in result.errors] == [(2, f"'{_shown(cell)}' is too large for an amount")]
    assert pd.isna(result.values[2]) and str(result.values[3]) == "12.5"


@pytest.mark.parametrize("cell", [float("inf"), float("-inf")])
def test_an_infinite_amount_is_not_an_amount(ctx, cell):
    raw = pd.Series([cell], dtype=object, index=[2])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = coerce_column(raw, Column(type="money"), ctx)
    assert [str(msg) for _, msg in result.errors] == [f"'{cell}' is not an amount"]


def test_a_large_amount_below_the_limit_is_kept(ctx):
    raw = pd.Series([999_999_999_999.99], dtype=object, index=[2])
    result = coerce_column(raw, Column(type="money"), ctx)
    assert result.errors == [] and str(result.values[2]) == "999999999999.99"


def _shown(cell: object) -> str:
    """A cell as messages quote it: a float of 10¹⁵ or more by its repr (`1000000000000000.0`)."""
    return repr(cell) if isinstance(cell, float) else str(cell)
