"""Text cleaned and matched a batch at a time (`type_groups._cleaned_texts`, `_full_matches`)
says what the per-value path said: texts found clean by one test over them joined by NUL are each
clean alone, and a full match by `map` is `Series.str.fullmatch`."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.sheets.coerce import type_groups
from csbatch.sheets.coerce.instants import _FAST_DATES, _SERIAL_TEXT
from csbatch.sheets.coerce.numbers import _DIGITS, _MONEY_TEXT, _NUMBER_TEXT, _PLAIN

# what cleaning can meet: full-width forms, combining marks (before and after a join), Hangul
# jamo that compose, ligatures, invisible and other spaces, NUL itself, digits, punctuation
_ODD = ("ＡＢ１２３，．（）－", "\u0301\u0308\u0323\u0345", "\u1100\u1161\u11a8", "ﬁ㎏①",
        "\u200b\u200c\u200d\u2060\ufeff", "\u00a0\u3000 \t\r\n\x0b\x0c", "\x00", "09.,-+()%¥元x X",
        "客户地址号楼", "aeé")
_TEXT = st.text(alphabet=st.sampled_from("".join(_ODD)), max_size=12) | st.text(max_size=8)


def _array(texts: list[str]) -> np.ndarray:
    out = np.empty(len(texts), dtype=object)
    out[:] = texts
    return out


@settings(max_examples=400, deadline=None)
@given(st.lists(_TEXT, max_size=30))
def test_cleaned_texts_are_each_text_cleaned_alone(texts: list[str]) -> None:
    values = _array(texts)
    assert type_groups._cleaned_texts(values, nfkc=True) == [type_groups._normalised(t) for t in texts]
    assert type_groups._cleaned_texts(values, nfkc=False) == [type_groups._visible(t) for t in texts]


def test_cleaned_texts_of_a_column_of_names() -> None:
    texts = [f"\u3000客户{i}号 " if i % 7 else f"ｃｕｓｔｏｍｅｒ\u200b{i}" for i in range(5000)] + ["a\x00b", "", " "]
    values = _array(texts)
    assert type_groups._cleaned_texts(values, nfkc=True) == [type_groups._normalised(t) for t in texts]


_PATTERNS = [_PLAIN, _NUMBER_TEXT, _MONEY_TEXT, _SERIAL_TEXT, rf"[+-]?(?:{_DIGITS})", r"[0-9]{17}x",
             r"[0-9]{17}[0-9X]", r"[0-9]{15}", r"[0-9]+", r"0?\.[0-9]+", *(gate for gate, _ in _FAST_DATES)]
_MATCHABLE = st.text(alphabet=st.sampled_from("0123456789 .,-+/:TeE%xX¥元()（）０１"), max_size=24)


@settings(max_examples=300, deadline=None)
@given(st.lists(_MATCHABLE | _TEXT, max_size=30), st.sampled_from(_PATTERNS))
def test_full_matches_is_str_fullmatch(texts: list[str], pattern: str | re.Pattern[str]) -> None:
    series = pd.Series(_array(texts), dtype=object)
    expected = series.str.fullmatch(pattern).to_numpy(dtype=bool) if texts else np.zeros(0, dtype=bool)
    assert type_groups._full_matches(series, pattern).tolist() == expected.tolist()
    assert type_groups._full_matches(series.to_numpy(), pattern).tolist() == expected.tolist()
