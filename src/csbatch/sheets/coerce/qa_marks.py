"""`coerce_audit_items`: one questionnaire item's marks, which are not a declared column.

What a mark means depends on the item's section, not on a column type: a positive item takes
points up to the item's maximum (✓ = full points, ✗ = 0) and a blank is a missing mark, while a
taboo item records a violation (✓/是 = 1) and a blank means none. Both accept N/A.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import numpy as np
import pandas as pd

from csbatch.i18n import N_, Said
from csbatch.sheets.coerce.context import CoerceContext, Coerced
from csbatch.sheets.coerce.labels import _flags
from csbatch.sheets.coerce.numbers import _bound_errors, _decimal_texts, _float_decimals, _num
from csbatch.sheets.coerce.results import _messages, _Out
from csbatch.sheets.coerce.type_groups import _BOOL, _NUM, _STR, _object_values, _split, _text_series
from csbatch.text import normalise_label


def coerce_audit_items(raw: pd.Series, section_kind: Literal["positive", "taboo"],
                       per_item: Decimal, ctx: CoerceContext) -> Coerced:
    """One questionnaire item's marks. Positive items: points 0…per_item, ✓-like → per_item,
    ✗-like → 0, N/A → None, blank → error. Taboo items: ✓/是 → 1 (violated), ✗/否 or blank → 0,
    N/A → None."""
    per_item = Decimal(per_item)
    positive = section_kind == "positive"
    values = _object_values(raw)
    cells = _split(values)
    out = _Out(cells.n, "object")
    hint = (Said(N_("(write points 0–{points}, ✓/✗ or N/A)"), points=_num(per_item)) if positive
            else Said(N_("(✓/是 = violated; ✗/否 or blank = not; N/A)")))
    one, zero = (per_item, Decimal(0)) if positive else (Decimal(1), Decimal(0))
    for g in cells.groups:
        vals = np.full(len(g), None, dtype=object)
        known = np.zeros(len(g), dtype=bool)
        if g.kind == _STR:
            labels = _text_series(g.cleaned).map(normalise_label)
            na = labels.isin(ctx.not_applicable).to_numpy(dtype=bool)
            known |= na
            if positive:
                numbers, parsed = _decimal_texts(g.cleaned, money=False)
                parsed &= ~na
                vals[parsed] = numbers[parsed]
                known |= parsed
            flag_known, flag = _flags(g.cleaned, ctx)
            flagged = flag_known & ~known
            vals[flagged] = _either(flag[flagged], one, zero)
            known |= flagged
        elif g.kind == _NUM:
            f = g.uniq
            if positive:
                vals = _float_decimals(f)
                known = np.isfinite(f)
            else:
                known = (f == 0) | (f == 1)
                vals[known] = _either(f[known] == 1, one, zero)
        elif g.kind == _BOOL:
            vals = _either(g.uniq, one, zero)
            known[:] = True
        msgs = _messages(g, ~known, N_("{value} is not a mark {hint}"), hint=hint)
        if positive:
            _bound_errors(g, vals, known & ~pd.isna(vals), Decimal(0), None, msgs)
            high = known & ~pd.isna(vals)
            high[high] = np.array(vals[high] > per_item, dtype=bool)
            _messages(g, high, N_("{value} is more than the item's {points} points"), msgs,
                      points=_num(per_item))
        out.put(g, vals, msgs)
        na_cells = pd.isna(vals)[g.codes] & pd.isna(msgs)[g.codes]
        out.ok[g.pos[na_cells]] = False   # N/A: legitimately missing
    if positive:
        out.error_at(cells.blank, Said(N_("no mark (write points, ✓/✗ or N/A)")))
    else:
        out.vals[cells.blank] = Decimal(0)
        out.ok[cells.blank] = True
    return out.finish(raw)


def _either(mask: np.ndarray, yes: Decimal, no: Decimal) -> np.ndarray:
    """`yes` where `mask`, else `no`, as an object array (`np.where`, spelled so the Decimals'
    type is known)."""
    out = np.full(len(mask), no, dtype=object)
    out[mask] = yes
    return out
