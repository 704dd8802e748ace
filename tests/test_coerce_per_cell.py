"""A column of mostly distinct text (order and customer IDs) is coerced cell by cell rather than
factorised (`type_groups._distinct_texts`): the same values, errors and notes either way."""

from __future__ import annotations

import pandas as pd
import pytest

from csbatch.policy.inputs import Column
from csbatch.sheets.coerce import CoerceContext, coerce_column, type_groups


@pytest.fixture(scope="module")
def ctx(policy) -> CoerceContext:
    return CoerceContext.from_policy(policy, "2026-10")


def _cells() -> list[object]:
    cells: list[object] = [f"ORD{i:07d}" for i in range(20_000)]
    cells[5] = " ORD0000005 "               # spaces around
    cells[77] = "ORD\u200b0000077"          # an invisible character
    cells[300] = ""                         # blank
    cells[301] = "   "                      # blank once stripped
    cells[302] = None
    cells[4000] = "ＯＲＤ０００４０００"      # full width
    cells[9000] = cells[9001] = "ORD0009000"  # a repeat
    cells[12_000] = 1234.0                  # a number in a text column
    cells[12_001] = float("nan")
    return cells


@pytest.mark.parametrize(("type_", "column"), [("id", {}), ("id", {"required": True}), ("text", {}),
                                                ("id", {"default": "X"})])
def test_per_cell_same_as_factorised(ctx, monkeypatch, type_, column) -> None:
    raw = pd.Series(_cells(), dtype=object, index=range(2, 20_002))
    per_cell = coerce_column(raw, Column(type=type_, **column), ctx)
    monkeypatch.setattr(type_groups, "_SAMPLE", 10**9)      # never cell by cell
    factorised = coerce_column(raw, Column(type=type_, **column), ctx)
    assert per_cell.values.equals(factorised.values)
    assert per_cell.errors == factorised.errors
    assert per_cell.notes == factorised.notes
    assert per_cell.values[7] == "ORD0000005"
    assert bool(per_cell.notes) == (type_ == "id")      # the invisible character


def test_per_cell_path_taken(monkeypatch) -> None:
    values = pd.Series([f"C{i}" for i in range(20_000)], dtype=object).to_numpy()
    codes, uniq = type_groups._distinct_texts(values, per_cell=True)
    assert uniq is values and (codes == range(20_000)).all()
    codes, uniq = type_groups._distinct_texts(values, per_cell=False)
    assert len(uniq) == 20_000


@pytest.mark.parametrize("cell", ["13800138000", "0086138", "008613800138000", "+86 138-0013-8000",
                                  "²³", "١٢٣", "(010)12345678", "12a", "0", "0086", "00861", "[12]"])
def test_phone_plain_digits_same_as_cleaned(ctx, cell) -> None:
    """Plain ASCII digits skip the regexes (`_phone_texts`): the same as the regex path."""
    from csbatch.sheets.coerce.identifiers import _phone_texts

    vals, digits = _phone_texts(pd.Series([cell], dtype=object).to_numpy())
    s = pd.Series([cell]).str.replace(r"[\s\-()\[\]]", "", regex=True) \
        .str.replace(r"^(?:\+86|0086)", "", regex=True)
    assert vals[0] == s[0] and bool(digits[0]) == bool(s.str.fullmatch(r"[0-9]+")[0])
