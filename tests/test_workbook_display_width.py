"""A text's width in a spreadsheet (`csbatch.reports.workbook.display_width`): every character
from U+2E80 on counts two, any other one; the wide ones counted in C, not a step per character."""

from __future__ import annotations

import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.reports.workbook import display_width


def _per_character(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


@settings(max_examples=2000)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
def test_any_text_counts_wide_characters_twice(text):
    assert display_width(text) == _per_character(text)


def test_the_edges_and_odd_characters():
    for text in ("", "abc", "\u2e7f", "\u2e80", "¥1,234.50", "会员 C0001 ¥68,800", "\ud800", "x\udfff",
                 "\U0001f600", "\U0010ffff", "全角ＡＢＣ", "\x00\n\t", "é" * 50 + "中" * 50):
        assert display_width(text) == _per_character(text), repr(text)
    assert display_width("care of order A1 (蚕丝被, ¥1,798.00)") == 36   # 33 characters, 3 of them wide


def test_a_long_text_is_measured_without_a_python_step_per_character():
    calls = []

    def trace(frame, event, arg):
        if event == "call":
            calls.append(frame.f_code.co_name)
        return None

    text = "保养提醒 care of order A1 (蚕丝被, ¥1,798.00) " * 20
    sys.settrace(trace)
    try:
        width = display_width(text)
    finally:
        sys.settrace(None)
    assert width == _per_character(text)
    assert "<genexpr>" not in calls and len(calls) < 10
