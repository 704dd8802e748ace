"""Text, yes/no and code-list columns: cells kept as words, or words that stand for a value.

Text columns keep what was typed (invisible characters and surrounding space removed; numbers
and dates written as a person reads them). Yes/no and code columns look each cell up by its
normalised label in the policy's lists (`CoerceContext.booleans`, `.codes`), so 是, Y and ✓ can
all mean True; an unknown code's message lists the known labels, so it says what to write.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from csbatch.i18n import N_, NC_, Named, Said
from csbatch.policy.inputs import Column
from csbatch.sheets.coerce.context import CoerceContext
from csbatch.sheets.coerce.numbers import _PLAIN
from csbatch.sheets.coerce.results import _messages, _Out
from csbatch.sheets.coerce.type_groups import (
    _BOOL,
    _NUM,
    _OTHER,
    _STR,
    _as_text,
    _full_matches,
    _Group,
    _number_texts,
    _text_series,
)
from csbatch.text import normalise_label, spelled

TEXT = Said(NC_("kind of value", "text"))
YES_NO = Said(N_("yes or no (write 是 or 否)"))
VALUE = Said(N_("value"))


def _texts(g: _Group, column: Column, ctx: CoerceContext, out: _Out) -> None:
    if g.kind == _STR:
        return out.put(g, g.shown)
    if g.kind == _OTHER:
        return out.fail(g, TEXT)
    if g.kind == _NUM:
        return out.put(g, _number_texts(g.uniq))
    out.put(g, np.array([_as_text(v) for v in g.uniq], dtype=object))


def _bools(g: _Group, column: Column, ctx: CoerceContext, out: _Out) -> None:
    if g.kind == _BOOL:
        return out.put(g, g.uniq.astype(bool))
    if g.kind == _STR:
        known, vals = _flags(g.cleaned, ctx)
    elif g.kind == _NUM:
        known = (g.uniq == 0) | (g.uniq == 1)
        vals = g.uniq == 1
    else:
        return out.fail(g, YES_NO)
    out.put(g, vals, _messages(g, ~known, N_("{value} is not {what}"), what=YES_NO))


def _flags(clean: np.ndarray, ctx: CoerceContext) -> tuple[np.ndarray, np.ndarray]:
    """Text → (known, value) per `ctx.booleans`. Numeric text counts only as 1 or 0
    (normalising would otherwise read '-1' as '1')."""
    s = _text_series(clean)
    looked = s.map(normalise_label).map(ctx.booleans)
    known = looked.notna().to_numpy(dtype=bool).copy()
    value = (looked == True).to_numpy(dtype=bool).copy()  # noqa: E712 (NaN → False)
    numeric = _full_matches(s, _PLAIN)
    if numeric.any():
        number = pd.to_numeric(s[numeric], errors="coerce").to_numpy(dtype=np.float64)
        known[numeric] = (number == 0) | (number == 1)
        value[numeric] = number == 1
    return known, value


def _code_noun(name: str) -> str:
    noun = spelled(name)
    if noun.endswith("ies"):
        return noun[:-3] + "y"
    if noun.endswith("s") and not noun.endswith(("ss", "us")):
        return noun[:-1]
    return noun


def _known_labels(lookup: dict[str, str], shown: int = 5) -> str:
    first: dict[str, str] = {}
    for label, code in lookup.items():
        if label != normalise_label(code):
            first.setdefault(code, label)
    labels = [first.get(code, code) for code in dict.fromkeys(lookup.values())]
    return ", ".join(labels[:shown]) + (", …" if len(labels) > shown else "")


def _codes(g: _Group, column: Column, ctx: CoerceContext, out: _Out) -> None:
    assert column.codes is not None, "a code column names its codes (Column._codes checks it)"
    lookup = ctx.codes.get(column.codes, {})
    # the list's own name in English (`leave type`); other languages say "a value" (the message
    # names the column by its header already)
    what = Said(N_("a known {noun} (known: {labels})"), noun=Named(_code_noun(column.codes), VALUE),
                labels=_known_labels(lookup))
    if g.kind == _STR:
        texts = g.cleaned
    elif g.kind == _NUM:
        texts = _number_texts(g.uniq)
    else:
        return out.fail(g, what)
    looked = _text_series(texts).map(normalise_label).map(lookup)
    known = looked.notna().to_numpy(dtype=bool)
    out.put(g, looked.to_numpy(dtype=object), _messages(g, ~known, N_("{value} is not {what}"), what=what))
