"""The VIP workbook's coded columns (`csbatch.reports.vip_workbook._shown`) print each code's word,
asked once per distinct text (`_once_per_text`), the same column as asking it for every row."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from csbatch.blanks import is_blank
from csbatch.reports.codewords import category_word
from csbatch.reports.vip_workbook import CODED, _once_per_text, _shown, _word


def test_a_word_is_asked_once_per_distinct_text_and_each_time_for_anything_else():
    asked: list[object] = []

    def word(value):
        asked.append(value)
        return f"<{value}>"

    each = _once_per_text(word)
    values = ["gold", "silver", "gold", None, "gold", 1, 1, float("nan"), "silver", True]
    assert [each(v) for v in values] == [f"<{v}>" for v in values]
    assert asked == ["gold", "silver", None, 1, 1, values[7], True]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_coded_columns_are_those_of_a_word_per_row(lang):
    n = 50
    frame = pd.DataFrame({
        "programme": (["flagship", "modern", None, "普通VIP"] * n)[:n],
        "tier": (["gold", "silver", float("nan"), "gold", "platinum"] * n)[:n],
        "status": (["active", "new", "void", None] * n)[:n],
        "kind": (["earn", "festival:spring", "maintenance", "birthday", "=HYPERLINK(\"x\")"] * n)[:n],
        "category": (["常规", "进口", None, "regular"] * n)[:n],
        "amount": range(n),
    })
    expected = frame.copy()
    for col in CODED:
        expected[col] = expected[col].map(lambda v, col=col: _word(col, v, lang))
    expected["category"] = expected["category"].map(lambda v: v if is_blank(v) else category_word(str(v), lang))
    shown = _shown(frame, lang)
    pd.testing.assert_frame_equal(shown, expected)
    assert frame["tier"].iloc[2] is not None and math.isnan(frame["tier"].iloc[2])   # the frame itself untouched
