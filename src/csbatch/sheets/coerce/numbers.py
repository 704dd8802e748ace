"""Whole numbers, decimals and money: numbers as typed in text, and a column's min/max.

Amounts are Decimal, built from the text or from a float's shortest repr (never its binary
expansion), so `0.1` stays 0.1 and cents add up. Text is accepted only in the forms people
really type (valid thousands groups, a percent sign, `¥`/`元`, `(12.50)` for a negative) and
validated by one full match per family rather than by lenient parsing, so `'12,3x'` is an error,
not 12.
"""

from __future__ import annotations

import re
from decimal import Decimal

import numpy as np
import pandas as pd

from csbatch.i18n import N_, Said
from csbatch.money import to_cents
from csbatch.policy.inputs import Column
from csbatch.sheets.coerce.context import CoerceContext
from csbatch.sheets.coerce.results import _messages, _Out
from csbatch.sheets.coerce.type_groups import _NUM, _STR, _full_matches, _Group, _number_texts, _text_series

_DIGITS = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+"
_PLAIN = r"[+-]?[0-9]+(?:\.[0-9]+)?"
WHOLE_NUMBER = Said(N_("a whole number"))
AN_AMOUNT = Said(N_("an amount"))
A_NUMBER = Said(N_("a number"))
_CURRENCY = r"(?:¥|RMB|CNY|人民币)"
_YUAN = r"(?:元|块|圆)"
#: A number as typed: sign, valid thousands groups, exponent, percent.
_NUMBER_TEXT = rf"[+-]?(?:{_DIGITS})(?:[eE][+-]?[0-9]{{1,3}})?%?"
#: An amount: `¥1,234.50`, `1234.5元`, `RMB 12`, `-¥12`, `¥-12`, `(12.50)` (negative).
_MONEY_TEXT = re.compile(
    rf"\(\s*{_CURRENCY}?\s*(?:{_DIGITS})\s*{_YUAN}?\s*\)"
    rf"|[+-]?\s*{_CURRENCY}?\s*(?:{_DIGITS})\s*{_YUAN}?"
    rf"|{_CURRENCY}\s*[+-]\s*(?:{_DIGITS})\s*{_YUAN}?", re.IGNORECASE)


def _decimal_texts(clean: np.ndarray, money: bool) -> tuple[np.ndarray, np.ndarray]:
    """Text → Decimal per distinct value: (values as object array, parsed mask). Plain numbers
    go straight to Decimal; the rest are validated by one full match and then stripped to
    digits, so no per-value regex groups are extracted."""
    s = _text_series(clean)
    vals = np.full(len(s), None, dtype=object)
    plain = _full_matches(s, _PLAIN)
    if plain.any():
        vals[plain] = s[plain].map(Decimal).to_numpy(dtype=object)
    parsed = plain.copy()
    rest = np.flatnonzero(~plain)
    if len(rest):
        r = s.iloc[rest]
        good = _full_matches(r, _MONEY_TEXT if money else _NUMBER_TEXT)
        if good.any():
            r = r[good]
            if money:   # keep digits, the point and the sign: `-12.5`, `(12.50`
                decimals = r.str.replace(r"[^0-9.(-]", "", regex=True).map(_signed_decimal)
            else:
                percent = r.str.endswith("%").to_numpy(dtype=bool)
                decimals = r.str.replace(r"[,%]", "", regex=True).map(Decimal)
                if percent.any():
                    decimals[percent] = decimals[percent].map(lambda d: d / 100)
            where = rest[good]
            vals[where] = decimals.to_numpy(dtype=object)
            parsed[where] = True
    return vals, parsed


def _signed_decimal(text: str) -> Decimal:
    return -Decimal(text[1:]) if text[0] in "(-" else Decimal(text)


_NOISE = Decimal("0.000001")
_HUGE = Decimal("1e15")


def _to_cent(d: Decimal) -> Decimal:
    """An amount within ¥0.000001 of a cent is that cent: 22400.00000000001 is what binary
    floating point (a formula, a script, a CSV written from floats) makes of ¥22,400.00, not a
    sub-cent amount. Binary noise on amounts below 10⁹ is under 10⁻⁶ by nine orders of
    magnitude, and no one types a millionth of a yuan on purpose."""
    exponent = d.as_tuple().exponent
    assert isinstance(exponent, int), "finite: parsed from digits or from a finite float"
    if exponent >= -2 or abs(d) >= _HUGE:  # already whole cents, or beyond money
        return d
    cent = to_cents(d)
    return cent if abs(d - cent) < _NOISE else d


def _sub_cent(d: Decimal) -> bool:
    """More than two decimals that are not zeros (`1797.123`; `1797.120` is whole cents)."""
    _sign, digits, exponent = d.as_tuple()
    assert isinstance(exponent, int), "finite: parsed from digits or from a finite float"
    if exponent >= -2:
        return False
    zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return exponent + zeros < -2


def _float_decimals(f: np.ndarray, money: bool = False) -> np.ndarray:
    """Finite floats → Decimal through their shortest text, so 0.1 is Decimal('0.1')."""
    vals = np.full(len(f), None, dtype=object)
    finite = np.isfinite(f)
    if finite.any():
        decimals = pd.Series(_number_texts(f[finite]), dtype=object).map(Decimal)
        if money:
            decimals = decimals.map(_to_cent)
        vals[finite] = decimals.to_numpy(dtype=object)
    return vals


def _bound_errors(g: _Group, vals: np.ndarray, ok: np.ndarray, column_min: Decimal | int | None,
                  column_max: Decimal | int | None, msgs: np.ndarray) -> None:
    """`'-3' is negative`, `'-3' is less than the minimum 1`, `'120' is more than the maximum
    100`, for values (Decimal or int) outside the column's min/max."""
    if column_min is not None:
        low = ok.copy()
        low[ok] = np.array(vals[ok] < column_min, dtype=bool)
        if column_min == 0:
            _messages(g, low, N_("{value} is negative"), msgs)
        else:
            _messages(g, low, N_("{value} is less than the minimum {minimum}"), msgs, minimum=_num(column_min))
    if column_max is not None:
        high = ok.copy()
        high[ok] = np.array(vals[ok] > column_max, dtype=bool)
        _messages(g, high, N_("{value} is more than the maximum {maximum}"), msgs, maximum=_num(column_max))


def _num(d: Decimal | int) -> str:
    text = format(Decimal(d), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _sub_cent_errors(g: _Group, vals: np.ndarray, parsed: np.ndarray, msgs: np.ndarray) -> None:
    """Amounts are whole cents: more than two decimals is an error once float noise is snapped
    (`_to_cent`, for text too: a CSV written from floats). Only values that may have a third
    decimal (text with three digits after the point; floats off a cent by more than 10⁻⁸) go
    through Decimal, so a column of ordinary amounts costs one vectorised test."""
    if g.kind == _STR:
        maybe = parsed & _text_series(g.cleaned).str.contains(r"\.[0-9]{3}", regex=True) \
            .to_numpy(dtype=bool)
    else:
        f = np.where(parsed, g.uniq, 0.0)
        with np.errstate(over="ignore", invalid="ignore"):  # huge floats are refused before this
            maybe = parsed & (np.abs(f * 100 - np.round(f * 100)) > 1e-6)
    if not maybe.any():
        return
    decimals = pd.Series(vals[maybe], dtype=object).map(_to_cent)
    vals[maybe] = decimals.to_numpy(dtype=object)
    sub_cent = maybe.copy()
    sub_cent[maybe] = decimals.map(_sub_cent).to_numpy(dtype=bool)
    _messages(g, sub_cent, N_("{value} has more than two decimals: an amount is whole cents (fen)"), msgs)


def _percent_errors(g: _Group, vals: np.ndarray, parsed: np.ndarray, column: Column,
                    msgs: np.ndarray) -> None:
    """A percentage where the column holds points (its maximum is above 1: a 0–100 score, a 0–10
    mark) is an error, never a fraction: `92%` typed in a 0–100 score would be 0.92 and
    silently lower it. In a column of exactly 0–100 a number strictly between 0 and 1 is refused
    too: it is what Excel keeps of a cell typed or formatted as 92%."""
    assert column.max is not None, "called only for a column whose maximum is above 1"
    scale = f"{_num(column.min if column.min is not None else 0)}–{_num(column.max)}"
    if g.kind == _STR:
        percent = parsed & _text_series(g.cleaned).str.endswith("%").to_numpy(dtype=bool)
        _messages(g, percent, N_("{value} is a percentage; this column holds points {scale}: write "
                                 "the number without %"), msgs, scale=scale)
    if column.max == 100 and (column.min is None or column.min == 0):
        if g.kind == _NUM:
            fraction = parsed & (g.uniq > 0) & (g.uniq < 1)
        else:
            fraction = parsed.copy()
            fraction[parsed] = np.array([0 < v < 1 for v in vals[parsed]], dtype=bool)
        _messages(g, fraction, N_("{value} looks like a percentage (Excel keeps 92% as 0.92); this "
                                  "column holds points {scale}: write 92 for 92%"), msgs, scale=scale)


def _too_large(g: _Group, vals: np.ndarray, parsed: np.ndarray, msgs: np.ndarray) -> np.ndarray:
    """Amounts of ¥10¹⁵ or more (`1e308` typed or computed in a cell): no one is paid a
    quadrillion yuan, and such a float is beyond cents (× 100 overflows), so it is an error."""
    huge = parsed.copy()
    huge[parsed] = np.array([abs(v) >= _HUGE for v in vals[parsed]], dtype=bool)
    _messages(g, huge, N_("{value} is too large for an amount"), msgs)
    return huge


def _ints(g: _Group, column: Column, ctx: CoerceContext, out: _Out) -> None:
    if g.kind == _STR:
        s = _text_series(g.cleaned)
        f = np.full(len(g), np.nan)
        m = _full_matches(s, rf"[+-]?(?:{_DIGITS})")
        if m.any():
            f[m] = pd.to_numeric(s[m].str.replace(",", "", regex=False), errors="coerce") \
                .to_numpy(dtype=np.float64)
    elif g.kind == _NUM:
        f = g.uniq.copy()
    else:
        return out.fail(g, WHOLE_NUMBER)
    finite = np.isfinite(f)
    whole = finite.copy()
    whole[finite] = f[finite] == np.trunc(f[finite])
    big = whole & (np.abs(np.where(finite, f, 0)) >= 1e15)
    msgs = _messages(g, big, N_("{value} is too large for a count"))
    _messages(g, ~whole, N_("{value} is not {what}"), msgs, what=WHOLE_NUMBER)
    ok = whole & ~big
    vals = np.zeros(len(g), dtype=np.int64)
    vals[ok] = f[ok].astype(np.int64)
    _bound_errors(g, vals.astype(object), ok, column.min, column.max, msgs)
    out.put(g, vals, msgs)


def _decimals(g: _Group, column: Column, ctx: CoerceContext, out: _Out) -> None:
    money = column.type == "money"
    what = AN_AMOUNT if money else A_NUMBER
    if g.kind == _STR:
        vals, parsed = _decimal_texts(g.cleaned, money)
    elif g.kind == _NUM:
        vals = _float_decimals(g.uniq, money)
        parsed = np.isfinite(g.uniq)
    else:
        return out.fail(g, what)
    msgs = _messages(g, ~parsed, N_("{value} is not {what}"), what=what)
    if money and parsed.any():
        parsed = parsed & ~_too_large(g, vals, parsed, msgs)
    if not money and column.max is not None and column.max > 1 and parsed.any():
        _percent_errors(g, vals, parsed, column, msgs)
    if money and parsed.any():
        _sub_cent_errors(g, vals, parsed, msgs)
    _bound_errors(g, vals, parsed, column.min, column.max, msgs)
    out.put(g, vals, msgs)
