"""IDs, national ID numbers and phone numbers: strings of digits that are not numbers.

They are kept as text, and the checks here exist because spreadsheets damage them: Excel stores
a long digit string as a float and loses everything past 15 significant digits, so a numeric ID
of 16+ digits cannot be repaired and a national ID stored as a number is always refused (retype
it as text). Invisible characters pasted with an ID, a lowercase `x`, and a wrong national-ID
check character (`csbatch.sheets.idnumbers`) are noted rather than refused.
"""

from __future__ import annotations

import numpy as np

from csbatch.policy.inputs import Column
from csbatch.sheets.coerce.cells import _NUM, _STR, _Group, _text_series, _truncate
from csbatch.sheets.coerce.context import CoerceContext
from csbatch.sheets.coerce.results import _messages, _Out
from csbatch.sheets.idnumbers import check_characters


def _ids(g: _Group, column: Column, ctx: CoerceContext, out: _Out) -> None:
    if g.kind == _STR:
        notes = [("id.trimmed", _invisible_notes(g))]
        if column.type == "national_id":
            _national_ids(g, out, notes)
        else:
            out.put(g, g.clean, None, notes)
        return
    if g.kind != _NUM:
        return out.fail(g, "a national ID number" if column.type == "national_id" else "an ID")
    f = g.uniq
    finite = np.isfinite(f)
    whole = finite.copy()
    whole[finite] = f[finite] == np.trunc(f[finite])
    big = whole & (np.abs(np.where(finite, f, 0)) >= 1e15)
    msgs = _messages(g, ~finite, "is not a national ID number" if column.type == "national_id"
                     else "is not an ID")
    for i in np.flatnonzero(big):
        digits = len(str(int(abs(f[i]))))
        msgs[i] = (f"{f[i]:.15g} is an {digits}-digit ID stored as a number: its last digits are "
                   "already lost; format the column as text and type the IDs again")
    if column.type == "national_id":
        _messages(g, ~big, "is an ID number stored as a number; format the column as text "
                           "and type the IDs again", msgs)
        return out.put(g, None, msgs)
    _messages(g, ~whole, "is not an ID", msgs)
    vals = np.full(len(g), None, dtype=object)
    small = whole & ~big
    vals[small] = f[small].astype(np.int64).astype(str).tolist()
    out.put(g, vals, msgs)


def _invisible_notes(g: _Group) -> np.ndarray:
    msgs = np.full(len(g), None, dtype=object)
    for i in np.flatnonzero(g.invisible):
        msgs[i] = (f"'{_truncate(g.clean[i])}' had invisible characters (zero-width or "
                   "non-breaking spaces) that were removed")
    return msgs


def _national_ids(g: _Group, out: _Out, notes: list) -> None:
    s = _text_series(g.clean)
    lower_x = s.str.fullmatch(r"[0-9]{17}x").to_numpy(dtype=bool)
    fixed = s.to_numpy(dtype=object).copy()
    fixed[lower_x] = [t[:17] + "X" for t in fixed[lower_x]]
    f = _text_series(fixed)
    long = f.str.fullmatch(r"[0-9]{17}[0-9X]").to_numpy(dtype=bool)
    old = f.str.fullmatch(r"[0-9]{15}").to_numpy(dtype=bool)
    msgs = _messages(g, ~(long | old), "is not a national ID number (18 characters: 17 digits "
                                       "and a digit or X; or 15 digits)")
    x_notes = np.full(len(g), None, dtype=object)
    for i in np.flatnonzero(lower_x):
        x_notes[i] = f"'{g.clean[i]}' ends in a lowercase x; read as {fixed[i]}"
    check_notes = np.full(len(g), None, dtype=object)
    idx = np.flatnonzero(long)
    expected = check_characters(fixed[idx].tolist())
    for i, want in zip(idx, expected):
        if fixed[i][17] != want:
            check_notes[i] = (f"'{fixed[i]}' fails the national-ID check (its last character "
                              f"should be {want}); check the number for a typing error")
    notes += [("id.lowercase_x", x_notes), ("id.check_digit", check_notes)]
    out.put(g, fixed, msgs, notes)


def _phones(g: _Group, column: Column, ctx: CoerceContext, out: _Out) -> None:
    if g.kind == _STR:
        s = _text_series(g.clean).str.replace(r"[\s\-()\[\]]", "", regex=True) \
            .str.replace(r"^(?:\+86|0086)", "", regex=True)
        digits = s.str.fullmatch(r"[0-9]+").to_numpy(dtype=bool)
        vals = s.to_numpy(dtype=object)
    elif g.kind == _NUM:
        f = g.uniq
        digits = np.isfinite(f) & (f >= 0) & (f < 1e15)
        digits[digits] = f[digits] == np.trunc(f[digits])
        vals = np.full(len(g), "", dtype=object)
        vals[digits] = f[digits].astype(np.int64).astype(str).tolist()
    else:
        return out.fail(g, "a phone number")
    lengths = np.fromiter((len(v) for v in vals), dtype=np.int64, count=len(vals))
    msgs = _messages(g, ~digits, "is not a phone number")
    _messages(g, (lengths < 7) | (lengths > 15), "is not a phone number (7 to 15 digits)", msgs)
    out.put(g, vals, msgs)
