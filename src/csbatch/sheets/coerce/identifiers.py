"""IDs, national ID numbers and phone numbers: strings of digits that are not numbers.

They are kept as text, and the checks here exist because spreadsheets damage them: Excel stores
a long digit string as a float and loses everything past 15 significant digits, so a numeric ID
of 16+ digits cannot be repaired and a national ID stored as a number is always refused (retype
it as text). Invisible characters pasted with an ID, a lowercase `x`, and a wrong national-ID
check character (`csbatch.idnumbers`) are noted rather than refused.

A national ID number is personal data: every message about a `national_id` cell shows it masked
to its last four characters (`mask_id`), and a failed check names no expected character (that
would give away a fifth). A phone of 10 digits is noted: a mobile number has 11.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from csbatch.i18n import N_, Said
from csbatch.idnumbers import check_characters, mask_id
from csbatch.policy.inputs import Column
from csbatch.sheets.coerce.context import CoerceContext
from csbatch.sheets.coerce.results import _messages, _Out
from csbatch.sheets.coerce.type_groups import _NUM, _STR, _full_matches, _Group, _number_texts, _text_series, _truncate

NATIONAL_ID = Said(N_("a national ID number"))
AN_ID = Said(N_("an ID"))
PHONE = Said(N_("a phone number"))
_RETYPE = N_("{value} is an ID number stored as a number; format the column as text and type the IDs again")
_RETYPE_LOST = N_("{value} is an ID number stored as a number ({digits} digits): its last digits are "
                  "already lost; format the column as text and type the IDs again")


def _ids(g: _Group, column: Column, ctx: CoerceContext, out: _Out) -> None:
    national = column.type == "national_id"
    if g.kind == _STR:
        # a note array only when a value lost an invisible character: an ID column cell by cell
        # (`per_cell`) would otherwise get a million-cell array of None, and `_Out.put` a
        # missing-value test of each, for no note
        invisible = g.invisible
        notes = [("id.trimmed", _invisible_notes(g, invisible, national))] if invisible.any() else []
        if national:
            _national_ids(g, out, notes)
        else:
            out.put(g, g.cleaned, None, notes)
        return
    if g.kind != _NUM:
        return out.fail(g, NATIONAL_ID if national else AN_ID)
    f = g.uniq
    finite = np.isfinite(f)
    whole = finite.copy()
    whole[finite] = f[finite] == np.trunc(f[finite])
    big = whole & (np.abs(np.where(finite, f, 0)) >= 1e15)
    if national:    # any number: refused, and shown masked (a number may be a whole ID)
        texts = _number_texts(f)
        texts[big] = [str(int(v)) for v in f[big]]
        msgs = np.array([Said(_RETYPE_LOST, value=shown, digits=len(t.lstrip("-"))) if b
                         else Said(_RETYPE, value=shown)
                         for shown, t, b in zip(_masked(texts), texts, big)], dtype=object)
        return out.put(g, None, msgs)
    msgs = _messages(g, ~finite, N_("{value} is not {what}"), what=AN_ID)
    for i in np.flatnonzero(big):
        msgs[i] = Said(N_("{value} is an {digits}-digit ID stored as a number: its last digits are "
                          "already lost; format the column as text and type the IDs again"),
                       value=f"{f[i]:.15g}", digits=len(str(int(abs(f[i])))))
    _messages(g, ~whole, N_("{value} is not {what}"), msgs, what=AN_ID)
    vals = np.full(len(g), None, dtype=object)
    small = whole & ~big
    vals[small] = f[small].astype(np.int64).astype(str).tolist()
    out.put(g, vals, msgs)


def _masked(texts: Iterable[str]) -> list[str]:
    """What was typed in a national-ID cell as quoted in messages: masked to its last four
    characters (`'**************1234'`) when it holds six digits or more, so a mistyped ID is not
    printed whole either; text without such digits (`'不详'`) as typed."""
    shown = []
    for t in texts:
        if sum(c.isdigit() for c in t) >= 6:
            m = mask_id(t)
            shown.append(f"'{m if len(m) <= 20 else '…' + m[-19:]}'")
        else:
            shown.append(f"'{_truncate(t)}'")
    return shown


def _invisible_notes(g: _Group, invisible: np.ndarray, national: bool = False) -> np.ndarray:
    msgs = np.full(len(g), None, dtype=object)
    for i in np.flatnonzero(invisible):
        shown = _masked([g.cleaned[i]])[0] if national else f"'{_truncate(g.cleaned[i])}'"
        msgs[i] = Said(N_("{value} had invisible characters (zero-width or non-breaking spaces) "
                          "that were removed"), value=shown)
    return msgs


def _national_ids(g: _Group, out: _Out, notes: list) -> None:
    s = _text_series(g.cleaned)
    lower_x = _full_matches(s, r"[0-9]{17}x")
    fixed = s.to_numpy(dtype=object).copy()
    fixed[lower_x] = [t[:17] + "X" for t in fixed[lower_x]]
    f = _text_series(fixed)
    long = _full_matches(f, r"[0-9]{17}[0-9X]")
    old = _full_matches(f, r"[0-9]{15}")
    msgs = np.full(len(g), None, dtype=object)
    for i in np.flatnonzero(~(long | old)):
        msgs[i] = Said(N_("{value} is not a national ID number (18 characters: 17 digits and a "
                          "digit or X; or 15 digits)"), value=_masked([g.cleaned[i]])[0])
    x_notes = np.full(len(g), None, dtype=object)
    for i in np.flatnonzero(lower_x):
        x_notes[i] = Said(N_("{value} ends in a lowercase x; read as X"), value=_masked([g.cleaned[i]])[0])
    check_notes = np.full(len(g), None, dtype=object)
    idx = np.flatnonzero(long)
    bad = idx[np.array([t[17] for t in fixed[idx]], dtype="<U1") != check_characters(fixed[idx].tolist())] \
        if len(idx) else idx
    for i in bad:
        check_notes[i] = Said(N_("{value} fails the national-ID check (GB 11643); check the number "
                                 "for a typing error"), value=_masked([fixed[i]])[0])
    notes += [("id.lowercase_x", x_notes), ("id.check_digit", check_notes)]
    out.put(g, fixed, msgs, notes)


def _phones(g: _Group, column: Column, ctx: CoerceContext, out: _Out) -> None:
    if g.kind == _STR:
        vals, digits = _phone_texts(g.cleaned)
    elif g.kind == _NUM:
        f = g.uniq
        digits = np.isfinite(f) & (f >= 0) & (f < 1e15)
        digits[digits] = f[digits] == np.trunc(f[digits])
        vals = np.full(len(g), "", dtype=object)
        vals[digits] = f[digits].astype(np.int64).astype(str).tolist()
    else:
        return out.fail(g, PHONE)
    lengths = np.fromiter((len(v) for v in vals), dtype=np.int64, count=len(vals))
    msgs = _messages(g, ~digits, N_("{value} is not {what}"), what=PHONE)
    _messages(g, (lengths < 7) | (lengths > 15), N_("{value} is not a phone number (7 to 15 digits)"), msgs)
    short = np.full(len(g), None, dtype=object)
    _messages(g, digits & (lengths == 10), N_("{value} has 10 digits: a mobile number has 11 (a "
                                              "landline with its area code 11 or 12); check for a "
                                              "missing digit"), short)
    out.put(g, vals, msgs, [("phone.ten_digits", short)])


def _phone_texts(clean: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Phone text → (digits as kept, all digits) per distinct value: spaces, dashes and brackets
    dropped, a leading +86/0086 too. Plain ASCII digits (most phones) are kept as they are, by two
    C-level string tests rather than three regex passes; only the rest go through the regexes."""
    plain = np.fromiter(map(str.isdigit, clean), dtype=bool, count=len(clean)) \
        & np.fromiter(map(str.isascii, clean), dtype=bool, count=len(clean))
    if plain.any():
        plain[plain] = ~np.char.startswith(clean[plain].astype(str), "0086")
    vals = clean.copy()
    digits = plain.copy()
    rest = np.flatnonzero(~plain)
    if len(rest):
        s = _text_series(clean[rest]).str.replace(r"[\s\-()\[\]]", "", regex=True) \
            .str.replace(r"^(?:\+86|0086)", "", regex=True)
        digits[rest] = _full_matches(s, r"[0-9]+")
        vals[rest] = s.to_numpy(dtype=object)
    return vals, digits
