"""Cell coercion: what the readers hand over → the typed-table contract of `csbatch.sheets`.

A column is coerced as a whole, never cell by cell in Python:

1. **Split by Python type once.** Readers give an object Series mixing str, float, int, bool,
   date/datetime/time/timedelta and blanks. `infer_dtype` recognises the common all-text (CSV)
   and all-number columns without looking at cells one by one; otherwise the cells' types are
   factorised (a handful of distinct types) into positions per kind.
2. **Coerce the distinct values, then broadcast.** Each kind's cells are factorised (hashing in
   C) and only the distinct values are cleaned (NFKC, invisible characters, strip) and parsed —
   with pandas string methods, one regex per family of forms, and numpy arithmetic on
   calendars and Excel serials. Values, error messages and notes go back to the cells with one
   `take`. A million-row date column holds a few hundred distinct dates; a money column of
   distinct amounts is still parsed in bulk (Decimal built with `Series.map`, from the text or
   from a float's shortest repr, never from its binary expansion).
3. **Each cell ends as exactly one of** a value, an error message, or missing (blank and not
   required). Problems are returned, never raised; warnings are notes with a code.

Messages are the part after the column name: `'12,3x' is not an amount`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from csbatch.policy.inputs import POLICY_CODE_LISTS, Column
from csbatch.sheets.idnumbers import check_characters
from csbatch.text import normalise_label

if TYPE_CHECKING:
    from csbatch.policy import Policy

__all__ = ["CoerceContext", "Coerced", "coerce_column", "coerce_audit_items"]


# ----------------------------------------------------------------------------------------------
# Context and result


@dataclass(frozen=True)
class CoerceContext:
    """What coercion needs from the policy and the workbook."""

    date1904: bool                       # the workbook's date system for serial numbers
    earliest: dt.date                    # dates before → error
    latest: dt.date                      # dates after → error
    booleans: dict[str, bool]            # normalise_label(label) → value
    not_applicable: frozenset[str]       # normalised N/A labels
    codes: dict[str, dict[str, str]]     # code-list name → {normalise_label(label): code}

    @classmethod
    def from_policy(cls, policy: Policy, period: str, date1904: bool = False) -> CoerceContext:
        """The context for closing `period` ('YYYY-MM'): dates may run to the end of the
        period plus `inputs.date_range.latest_years_after_period` years."""
        inputs = policy.inputs
        match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", period)
        if not match or not 1 <= int(match[2]) <= 12:
            raise ValueError(f"'{period}' is not a period (write YYYY-MM)")
        year = int(match[1]) + inputs.date_range.latest_years_after_period
        month = int(match[2])
        next_month = dt.date(year + month // 12, month % 12 + 1, 1)
        booleans: dict[str, bool] = {}
        for value, labels in ((True, inputs.booleans.true), (False, inputs.booleans.false)):
            for label in labels:
                booleans.setdefault(normalise_label(label), value)
        codes: dict[str, dict[str, str]] = {}
        for name in (*POLICY_CODE_LISTS, *inputs.vocabularies):
            listed = policy.code_list(name) or {}
            lookup: dict[str, str] = {}
            for code in listed:          # codes themselves first: a code always means itself
                lookup.setdefault(normalise_label(code), code)
            for code, labels in listed.items():
                for label in labels:
                    lookup.setdefault(normalise_label(label), code)
            codes[name] = lookup
        return cls(date1904=date1904, earliest=inputs.date_range.earliest,
                   latest=next_month - dt.timedelta(days=1), booleans=booleans,
                   not_applicable=frozenset(normalise_label(x) for x in inputs.not_applicable),
                   codes=codes)


@dataclass
class Coerced:
    values: pd.Series                    # typed per the contract, same index as the input
    errors: list[tuple[Any, str]] = field(default_factory=list)          # (index label, message)
    notes: list[tuple[Any, str, str]] = field(default_factory=list)      # (label, code, message)


# ----------------------------------------------------------------------------------------------
# Splitting a column into groups of distinct values by kind

_STR, _NUM, _BOOL, _DATETIME, _DATE, _TIME, _DELTA, _OTHER, _BLANK = range(9)

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_ASCII_SPACE = " \t\r\n\x0b\x0c"
_EPOCH = dt.datetime(1970, 1, 1)
_EPOCH_DAY = _EPOCH.date()
_ONE_US = dt.timedelta(microseconds=1)
_US_PER_DAY = 86_400_000_000
_INT64_SAFE = 2**62


def _kind_of(t: type) -> int:
    if issubclass(t, str):
        return _STR
    if issubclass(t, (bool, np.bool_)):
        return _BOOL
    if t is type(None) or t is type(pd.NaT) or t is type(pd.NA):
        return _BLANK
    if issubclass(t, (int, float, Decimal, np.integer, np.floating)):
        return _NUM
    if issubclass(t, (dt.datetime, np.datetime64)):
        return _DATETIME
    if issubclass(t, dt.date):
        return _DATE
    if issubclass(t, dt.time):
        return _TIME
    if issubclass(t, (dt.timedelta, np.timedelta64)):
        return _DELTA
    return _OTHER


@dataclass
class _Group:
    """The non-blank cells of one kind: positions, and for each its index into `uniq`."""

    kind: int
    pos: np.ndarray
    codes: np.ndarray
    uniq: np.ndarray                      # distinct raw values (float64 for numbers)
    clean: np.ndarray | None = None       # text: NFKC, invisible characters removed, stripped
    odd: np.ndarray | None = None         # text: not plain ASCII
    us: np.ndarray | None = None          # date/datetime/time/timedelta: int64 microseconds

    def __len__(self) -> int:
        return len(self.uniq)

    @property
    def shown(self) -> np.ndarray:
        """Text as typed, without invisible characters and surrounding space (no NFKC)."""
        return _text_series(self.uniq).str.replace(_ZERO_WIDTH, "", regex=True).str.strip() \
            .to_numpy(dtype=object)

    @property
    def invisible(self) -> np.ndarray:
        """Text from which an invisible character (zero-width, BOM, NBSP, ideographic space)
        was removed, beyond ordinary spaces."""
        out = np.zeros(len(self), dtype=bool)
        if self.odd is not None and self.odd.any():
            u = _text_series(self.uniq[self.odd])
            shown = u.str.replace(_ZERO_WIDTH, "", regex=True).str.strip()
            out[self.odd] = (shown != u.str.strip(_ASCII_SPACE)).to_numpy(dtype=bool)
        return out

    def show(self, which) -> list[str]:
        """The distinct values at `which` as quoted in messages: `'12,3x'`."""
        idx = np.flatnonzero(which) if np.asarray(which).dtype == bool else np.asarray(which)
        if self.kind == _STR:
            return [f"'{_truncate(_visible(s))}'" for s in self.uniq[idx]]
        return [f"'{_truncate(_as_text(v))}'" for v in self.uniq[idx]]


@dataclass
class _Cells:
    n: int
    blank: np.ndarray
    groups: list[_Group]


def _truncate(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _num_text(v: float) -> str:
    """A number as a person would read it in the cell: no trailing `.0`."""
    if np.isfinite(v) and v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return repr(float(v))


def _delta_text(us: int) -> str:
    sign, us = ("-", -us) if us < 0 else ("", us)
    seconds, micro = divmod(us, 1_000_000)
    hours, rest = divmod(seconds, 3600)
    text = f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"
    return text + (f".{micro:06d}".rstrip("0") if micro else "")


def _as_text(v: Any) -> str:
    """Any non-text cell as text (for text columns and messages)."""
    if isinstance(v, (bool, np.bool_)):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (float, np.floating)):
        return _num_text(float(v))
    if isinstance(v, dt.datetime):
        return v.replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    if isinstance(v, dt.timedelta):
        return _delta_text(v // _ONE_US)
    if isinstance(v, (np.datetime64, np.timedelta64)):
        return str(v)
    return str(v)


def _as_float(v: Any) -> float:
    try:
        return float(v)
    except OverflowError:
        return float("inf") if v > 0 else float("-inf")
    except (TypeError, ValueError):
        return float("nan")


def _factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    try:
        codes, uniq = pd.factorize(values)
        return codes, np.asarray(uniq)
    except TypeError:  # unhashable cells
        return np.arange(len(values)), values


def _visible(text: str) -> str:
    return _ZERO_WIDTH.sub("", text).strip()


def _normalised(text: str) -> str:
    """NFKC (full-width digits and punctuation → ASCII), invisible characters removed, stripped."""
    return unicodedata.normalize("NFKC", _ZERO_WIDTH.sub("", text)).strip()


def _text_group(values: np.ndarray, pos: np.ndarray) -> tuple[_Group, np.ndarray]:
    codes, uniq = _factorize(values)
    u = _text_series(uniq)
    odd = ~u.map(str.isascii).to_numpy(dtype=bool)
    clean = u.str.strip()
    if odd.any():    # only non-ASCII text can hold full-width or invisible characters
        clean[odd] = u[odd].map(_normalised)
    clean = clean.to_numpy(dtype=object)
    keep = clean[codes] != ""
    return _Group(_STR, pos[keep], codes[keep], uniq, clean=clean, odd=odd), pos[~keep]


def _number_group(values: np.ndarray, pos: np.ndarray) -> tuple[_Group, np.ndarray]:
    try:
        f = values.astype(np.float64)
    except (OverflowError, TypeError, ValueError):
        f = np.array([_as_float(v) for v in values], dtype=np.float64)
    nan = np.isnan(f)
    codes, uniq = pd.factorize(f[~nan])
    return _Group(_NUM, pos[~nan], codes, np.asarray(uniq, dtype=np.float64)), pos[nan]


def _bool_group(values: np.ndarray, pos: np.ndarray) -> tuple[_Group, np.ndarray]:
    b = values.astype(bool)
    return _Group(_BOOL, pos, b.astype(np.intp), np.array([False, True])), pos[:0]


def _datetime_us(v: Any) -> int | None:
    if isinstance(v, np.datetime64):
        return None if np.isnat(v) else int(v.astype("M8[us]").astype(np.int64))
    if v.tzinfo is not None:
        v = v.replace(tzinfo=None)
    return (v - _EPOCH) // _ONE_US


def _delta_us(v: Any) -> int | None:
    if isinstance(v, np.timedelta64):
        return None if np.isnat(v) else int(v.astype("m8[us]").astype(np.int64))
    return max(-_INT64_SAFE, min(_INT64_SAFE, v // _ONE_US))


_TO_US: dict[int, Callable[[Any], int | None]] = {
    _DATETIME: _datetime_us,
    _DATE: lambda v: (v - _EPOCH_DAY).days * _US_PER_DAY,
    _TIME: lambda v: ((v.hour * 60 + v.minute) * 60 + v.second) * 1_000_000 + v.microsecond,
    _DELTA: _delta_us,
}


def _temporal_group(kind: int):
    def build(values: np.ndarray, pos: np.ndarray) -> tuple[_Group, np.ndarray]:
        codes, uniq = _factorize(values)
        us = [_TO_US[kind](v) for v in uniq]
        nat = np.array([x is None for x in us], dtype=bool)
        us_arr = np.array([0 if x is None else x for x in us], dtype=np.int64)
        keep = ~nat[codes]
        return _Group(kind, pos[keep], codes[keep], uniq, us=us_arr), pos[~keep]
    return build


def _other_group(values: np.ndarray, pos: np.ndarray) -> tuple[_Group, np.ndarray]:
    return _Group(_OTHER, pos, np.arange(len(values)), values), pos[:0]


_BUILDERS = {_STR: _text_group, _NUM: _number_group, _BOOL: _bool_group,
             _DATETIME: _temporal_group(_DATETIME), _DATE: _temporal_group(_DATE),
             _TIME: _temporal_group(_TIME), _DELTA: _temporal_group(_DELTA),
             _OTHER: _other_group}


def _split(values: np.ndarray) -> _Cells:
    n = len(values)
    blank = np.zeros(n, dtype=bool)
    if n == 0:
        return _Cells(0, blank, [])
    inferred = infer_dtype(values, skipna=False)
    if inferred == "string":
        by_kind = {_STR: np.arange(n)}
    elif inferred in ("floating", "integer", "mixed-integer-float"):
        by_kind = {_NUM: np.arange(n)}
    else:
        types = np.fromiter(map(type, values), dtype=object, count=n)
        tcodes, tuniq = pd.factorize(types)
        kinds = np.array([_kind_of(t) for t in tuniq], dtype=np.int8)[tcodes]
        by_kind = {int(k): np.flatnonzero(kinds == k) for k in np.unique(kinds)}
    groups = []
    for kind, pos in by_kind.items():
        if kind == _BLANK:
            blank[pos] = True
            continue
        group, blanks = _BUILDERS[kind](values[pos], pos)
        blank[blanks] = True
        if len(group.pos):
            groups.append(group)
    return _Cells(n, blank, groups)


# ----------------------------------------------------------------------------------------------
# Collecting results per cell

_STORAGE = {"id": "object", "text": "object", "code": "object", "month": "object",
            "phone": "object", "national_id": "object", "int": "Int64", "number": "object",
            "money": "object", "date": "M8", "datetime": "M8", "time": "m8", "bool": "boolean"}


class _Out:
    """Full-length value, validity and error arrays, filled group by group."""

    def __init__(self, n: int, storage: str):
        self.storage = storage
        self.vals = {"object": lambda: np.full(n, None, dtype=object),
                     "Int64": lambda: np.zeros(n, dtype=np.int64),
                     "boolean": lambda: np.zeros(n, dtype=bool),
                     "M8": lambda: np.full(n, np.datetime64("NaT"), dtype="M8[ns]"),
                     "m8": lambda: np.full(n, np.timedelta64("NaT"), dtype="m8[ns]")}[storage]()
        self.ok = np.zeros(n, dtype=bool)
        self.err = np.full(n, None, dtype=object)
        self.notes: list[tuple[np.ndarray, str, np.ndarray]] = []

    def put(self, g: _Group, vals_u: np.ndarray | None, err_u: np.ndarray | None = None,
            notes: list[tuple[str, np.ndarray]] = ()) -> None:
        """Per distinct value: its coerced value, or an error message (None when fine), and
        notes (code, message-or-None per distinct value)."""
        ok_u = np.ones(len(g), dtype=bool) if err_u is None else pd.isna(err_u)
        ok = ok_u[g.codes]
        if ok.any() and vals_u is not None:
            self.vals[g.pos[ok]] = vals_u[g.codes[ok]]
            self.ok[g.pos[ok]] = True
        if not ok.all():
            self.err[g.pos[~ok]] = err_u[g.codes[~ok]]
        for code, msg_u in notes:
            has = ~pd.isna(msg_u) & ok_u
            if has.any():
                at = has[g.codes]
                self.notes.append((g.pos[at], code, msg_u[g.codes[at]]))

    def fail(self, g: _Group, what: str) -> None:
        """Every cell of the group is an error: `'…' is not {what}`."""
        self.put(g, None, np.array([f"{s} is not {what}" for s in g.show(np.arange(len(g)))],
                                   dtype=object))

    def finish(self, raw: pd.Series) -> Coerced:
        index = raw.index
        if self.storage == "Int64":
            values = pd.Series(pd.arrays.IntegerArray(self.vals, ~self.ok), index=index)
        elif self.storage == "boolean":
            values = pd.Series(pd.arrays.BooleanArray(self.vals, ~self.ok), index=index)
        elif self.storage == "object":
            self.vals[~self.ok] = None
            values = pd.Series(self.vals, index=index, dtype=object)
        else:
            self.vals[~self.ok] = self.vals.dtype.type("NaT")
            values = pd.Series(self.vals, index=index)
        values.name = raw.name
        where = np.flatnonzero(~pd.isna(self.err))
        errors = list(zip(index.take(where).tolist(), self.err[where].tolist()))
        notes: list[tuple[Any, str, str]] = []
        if self.notes:
            pos = np.concatenate([p for p, _, _ in self.notes])
            codes = np.concatenate([np.full(len(p), c, dtype=object) for p, c, _ in self.notes])
            msgs = np.concatenate([m for _, _, m in self.notes])
            order = np.argsort(pos, kind="stable")
            notes = list(zip(index.take(pos[order]).tolist(), codes[order].tolist(),
                             msgs[order].tolist()))
        return Coerced(values, errors, notes)


def _messages(g: _Group, bad: np.ndarray, text: str, into: np.ndarray | None = None) -> np.ndarray:
    """Error messages `'…' {text}` for the distinct values where `bad` (None elsewhere)."""
    msgs = np.full(len(g), None, dtype=object) if into is None else into
    idx = np.flatnonzero(bad & pd.isna(msgs))
    if len(idx):
        msgs[idx] = [f"{s} {text}" for s in g.show(idx)]
    return msgs


def _text_series(values: np.ndarray) -> pd.Series:
    return pd.Series(values, dtype=object)


def _number_texts(f: np.ndarray) -> np.ndarray:
    """Finite floats as the text a person sees: integral ones without `.0`, others by their
    shortest repr (numpy's float → str is the shortest round-trip form)."""
    out = f.astype(str).astype(object)
    whole = np.isfinite(f) & (np.abs(f) < 1e15)
    whole[whole] = f[whole] == np.trunc(f[whole])
    if whole.any():
        out[whole] = f[whole].astype(np.int64).astype(str).tolist()
    return out


# ----------------------------------------------------------------------------------------------
# Numbers in text

_DIGITS = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+"
_PLAIN = r"[+-]?[0-9]+(?:\.[0-9]+)?"
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
    plain = s.str.fullmatch(_PLAIN).to_numpy(dtype=bool)
    if plain.any():
        vals[plain] = s[plain].map(Decimal).to_numpy(dtype=object)
    parsed = plain.copy()
    rest = np.flatnonzero(~plain)
    if len(rest):
        r = s.iloc[rest]
        good = r.str.fullmatch(_MONEY_TEXT if money else _NUMBER_TEXT).to_numpy(dtype=bool)
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


def _float_decimals(f: np.ndarray) -> np.ndarray:
    """Finite floats → Decimal through their shortest text, so 0.1 is Decimal('0.1')."""
    vals = np.full(len(f), None, dtype=object)
    finite = np.isfinite(f)
    if finite.any():
        vals[finite] = pd.Series(_number_texts(f[finite]), dtype=object).map(Decimal) \
            .to_numpy(dtype=object)
    return vals


def _bound_errors(g: _Group, vals: np.ndarray, ok: np.ndarray, column_min, column_max,
                  msgs: np.ndarray) -> None:
    """`'-3' is negative`, `'-3' is less than the minimum 1`, `'120' is more than the maximum
    100`, for values (Decimal or int) outside the column's min/max."""
    if column_min is not None:
        low = ok.copy()
        low[ok] = np.array(vals[ok] < column_min, dtype=bool)
        if column_min == 0:
            _messages(g, low, "is negative", msgs)
        else:
            _messages(g, low, f"is less than the minimum {_num(column_min)}", msgs)
    if column_max is not None:
        high = ok.copy()
        high[ok] = np.array(vals[ok] > column_max, dtype=bool)
        _messages(g, high, f"is more than the maximum {_num(column_max)}", msgs)


def _num(d: Decimal) -> str:
    text = format(Decimal(d), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# ----------------------------------------------------------------------------------------------
# Per-type coercion of one group's distinct values


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


def _texts(g: _Group, column: Column, ctx: CoerceContext, out: _Out) -> None:
    if g.kind == _STR:
        return out.put(g, g.shown)
    if g.kind == _OTHER:
        return out.fail(g, "text")
    if g.kind == _NUM:
        return out.put(g, _number_texts(g.uniq))
    out.put(g, np.array([_as_text(v) for v in g.uniq], dtype=object))


def _ints(g: _Group, column: Column, ctx: CoerceContext, out: _Out) -> None:
    if g.kind == _STR:
        s = _text_series(g.clean)
        f = np.full(len(g), np.nan)
        m = s.str.fullmatch(rf"[+-]?(?:{_DIGITS})").to_numpy(dtype=bool)
        if m.any():
            f[m] = pd.to_numeric(s[m].str.replace(",", "", regex=False), errors="coerce") \
                .to_numpy(dtype=np.float64)
    elif g.kind == _NUM:
        f = g.uniq.copy()
    else:
        return out.fail(g, "a whole number")
    finite = np.isfinite(f)
    whole = finite.copy()
    whole[finite] = f[finite] == np.trunc(f[finite])
    big = whole & (np.abs(np.where(finite, f, 0)) >= 1e15)
    msgs = _messages(g, big, "is too large for a count")
    _messages(g, ~whole, "is not a whole number", msgs)
    ok = whole & ~big
    vals = np.zeros(len(g), dtype=np.int64)
    vals[ok] = f[ok].astype(np.int64)
    _bound_errors(g, vals.astype(object), ok, column.min, column.max, msgs)
    out.put(g, vals, msgs)


def _decimals(g: _Group, column: Column, ctx: CoerceContext, out: _Out) -> None:
    money = column.type == "money"
    what = "an amount" if money else "a number"
    if g.kind == _STR:
        vals, parsed = _decimal_texts(g.clean, money)
    elif g.kind == _NUM:
        vals = _float_decimals(g.uniq)
        parsed = np.isfinite(g.uniq)
    else:
        return out.fail(g, what)
    msgs = _messages(g, ~parsed, f"is not {what}")
    _bound_errors(g, vals, parsed, column.min, column.max, msgs)
    out.put(g, vals, msgs)


def _bools(g: _Group, column: Column, ctx: CoerceContext, out: _Out) -> None:
    if g.kind == _BOOL:
        return out.put(g, g.uniq.astype(bool))
    if g.kind == _STR:
        known, vals = _flags(g.clean, ctx)
    elif g.kind == _NUM:
        known = (g.uniq == 0) | (g.uniq == 1)
        vals = g.uniq == 1
    else:
        return out.fail(g, "yes or no (write 是 or 否)")
    out.put(g, vals, _messages(g, ~known, "is not yes or no (write 是 or 否)"))


def _flags(clean: np.ndarray, ctx: CoerceContext) -> tuple[np.ndarray, np.ndarray]:
    """Text → (known, value) per `ctx.booleans`. Numeric text counts only as 1 or 0
    (normalising would otherwise read '-1' as '1')."""
    s = _text_series(clean)
    looked = s.map(normalise_label).map(ctx.booleans)
    known = looked.notna().to_numpy(dtype=bool).copy()
    value = (looked == True).to_numpy(dtype=bool).copy()  # noqa: E712 (NaN → False)
    numeric = s.str.fullmatch(_PLAIN).to_numpy(dtype=bool)
    if numeric.any():
        number = pd.to_numeric(s[numeric], errors="coerce").to_numpy(dtype=np.float64)
        known[numeric] = (number == 0) | (number == 1)
        value[numeric] = number == 1
    return known, value


def _code_noun(name: str) -> str:
    noun = name.replace("_", " ")
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
    lookup = ctx.codes.get(column.codes, {})
    what = f"a known {_code_noun(column.codes)} (known: {_known_labels(lookup)})"
    if g.kind == _STR:
        texts = g.clean
    elif g.kind == _NUM:
        texts = _number_texts(g.uniq)
    else:
        return out.fail(g, what)
    looked = _text_series(texts).map(normalise_label).map(lookup)
    known = looked.notna().to_numpy(dtype=bool)
    out.put(g, looked.to_numpy(dtype=object), _messages(g, ~known, f"is not {what}"))


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


# ----------------------------------------------------------------------------------------------
# Dates and times: everything as int64 microseconds since 1970-01-01 until the final cast

_DATE_RE = re.compile(
    r"^(?P<y>[0-9]{4})"
    r"(?:(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})"
    r"|\s*年\s*(?P<m2>[0-9]{1,2})\s*月\s*(?P<d2>[0-9]{1,2})\s*[日号]?"
    r"|(?P<m3>[0-9]{2})(?P<d3>[0-9]{2}))"
    r"(?:(?:\s*T\s*|\s+|(?<=[日号]))"
    r"(?P<H>[0-9]{1,2})\s*[:时点]\s*(?P<M>[0-9]{1,2})"
    r"(?:\s*[:分]\s*(?P<S>[0-9]{1,2})(?:\.(?P<f>[0-9]{1,6}))?\s*秒?|\s*分)?)?$")
_TIME_RE = re.compile(
    r"^(?P<H>[0-9]{1,2})\s*[:时点]\s*(?P<M>[0-9]{1,2})"
    r"(?:\s*[:分]\s*(?P<S>[0-9]{1,2})(?:\.(?P<f>[0-9]{1,6}))?\s*秒?|\s*分)?$")
_MONTH_RE = re.compile(
    r"^(?P<y>[0-9]{4})\s*(?:(?P<sep>[-/.])\s*(?P<m>[0-9]{1,2})|年\s*(?P<m2>[0-9]{1,2})\s*月?"
    r"|(?P<m3>[0-9]{2}))$")
_SERIAL_TEXT = r"[0-9]{5}(?:\.[0-9]+)?"

_DAYS_1899_12_30 = (dt.date(1899, 12, 30) - _EPOCH_DAY).days
_DAYS_1899_12_31 = (dt.date(1899, 12, 31) - _EPOCH_DAY).days
_DAYS_1904_01_01 = (dt.date(1904, 1, 1) - _EPOCH_DAY).days
_SERIAL_MAX = 2_958_466      # 9999-12-31 is 2958465 in the 1900 system
_NS_LAST_DAY = dt.date(2262, 4, 10)


def _ints_of(col: pd.Series, default: int = 0) -> np.ndarray:
    return pd.to_numeric(col, errors="coerce").fillna(default).to_numpy(dtype=np.int64)


def _ymd_days(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Calendar parts → days since 1970 (int64), and whether the date exists."""
    valid = (m >= 1) & (m <= 12) & (d >= 1) & (d <= 31)
    months = np.where(valid, (y - 1970) * 12 + (m - 1), 0)
    first = months.astype("M8[M]").astype("M8[D]")
    days = (first + np.where(valid, d - 1, 0).astype("m8[D]")).astype(np.int64)
    valid &= days.astype("M8[D]").astype("M8[M]").astype(np.int64) == months
    return days, valid


def _clock_us(parts: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """H, M, S, f columns → microseconds since midnight, and whether the time exists."""
    h, m, s = _ints_of(parts["H"]), _ints_of(parts["M"]), _ints_of(parts["S"])
    frac = parts["f"].fillna("").astype(object).str.ljust(6, "0").str.slice(0, 6)
    micro = _ints_of(frac.where(frac != "", "0"))
    valid = (h < 24) & (m < 60) & (s < 60)
    return ((h * 60 + m) * 60 + s) * 1_000_000 + micro, valid


def _serials(f: np.ndarray, ctx: CoerceContext, g: _Group, what: str,
             msgs: np.ndarray) -> np.ndarray:
    """Excel serial numbers → microseconds; 8-digit whole numbers read as YYYYMMDD."""
    us = np.zeros(len(f), dtype=np.int64)
    finite = np.isfinite(f)
    whole = finite.copy()
    whole[finite] = f[finite] == np.trunc(f[finite])
    ymd = whole & (f >= 1000_01_01) & (f <= 9999_12_31)
    if ymd.any():
        n = f[ymd].astype(np.int64)
        days, valid = _ymd_days(n // 10000, n // 100 % 100, n % 100)
        us[ymd] = days * _US_PER_DAY
        impossible = np.zeros(len(f), dtype=bool)
        impossible[np.flatnonzero(ymd)[~valid]] = True
        _messages(g, impossible, f"is not {what}", msgs)
    if ctx.date1904:     # serial 0 is 1904-01-01
        serial = finite & ~ymd & (f >= 0) & (f < _SERIAL_MAX)
        base = np.full(len(f), _DAYS_1904_01_01, dtype=np.int64)
    else:                # serial 1 is 1900-01-01; below 1 there is only a time of day
        serial = finite & ~ymd & (f >= 1) & (f < _SERIAL_MAX)
        _messages(g, finite & (f >= 0) & (f < 1), f"is a time of day, not {what}", msgs)
        base = np.where(f < 60, _DAYS_1899_12_31, _DAYS_1899_12_30).astype(np.int64)
        phantom = serial & (f >= 60) & (f < 61)
        _messages(g, phantom, "is 1900-02-29 in Excel's 1900 date system, a day that never "
                              "existed", msgs)
        serial &= ~phantom
    ms = np.round(np.where(serial, f, 0) * 86_400_000).astype(np.int64)
    us[serial] = (base[serial] * 86_400_000 + ms[serial]) * 1000
    _messages(g, ~serial & ~ymd, f"is not {what}", msgs)
    return us


def _subgroup(g: _Group, which: np.ndarray) -> _Group:
    """The distinct values at `which` as a group of their own (for messages)."""
    return _Group(g.kind, g.pos[:0], g.codes[:0], g.uniq[which],
                  clean=None if g.clean is None else g.clean[which],
                  odd=None if g.odd is None else g.odd[which])


#: Common date forms parsed in C by `pd.to_datetime`, each behind a full-match gate so the
#: parser never sees (and never leniently accepts) other shapes. Whatever fails falls through to
#: `_DATE_RE`, which also explains the failure.
_FAST_DATES = [
    (rf"[0-9]{{4}}-[0-9]{{1,2}}-[0-9]{{1,2}}(?:[ T][0-9]{{1,2}}:[0-9]{{2}}(?::[0-9]{{2}}"
     rf"(?:\.[0-9]{{1,6}})?)?)?", "ISO8601"),
    (r"[0-9]{4}/[0-9]{1,2}/[0-9]{1,2} [0-9]{1,2}:[0-9]{2}:[0-9]{2}", "%Y/%m/%d %H:%M:%S"),
    (r"[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}", "%Y/%m/%d"),
    (r"[0-9]{4}/[0-9]{1,2}/[0-9]{1,2} [0-9]{1,2}:[0-9]{2}", "%Y/%m/%d %H:%M"),
]


def _text_instants(g: _Group, ctx: CoerceContext, what: str,
                   msgs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Text → (microseconds since 1970, carried a time of day) per distinct value; failures
    get a message in `msgs`."""
    s = _text_series(g.clean)
    n = len(s)
    us = np.zeros(n, dtype=np.int64)
    timed = np.zeros(n, dtype=bool)
    todo = np.ones(n, dtype=bool)
    for gate, fmt in _FAST_DATES:
        idx = np.flatnonzero(todo)
        if not len(idx):
            break
        sub = s.iloc[idx]
        hit = sub.str.fullmatch(gate).to_numpy(dtype=bool)
        if not hit.any():
            continue
        try:
            parsed = pd.to_datetime(sub[hit], format=fmt, errors="coerce")
        except (ValueError, OverflowError):
            continue
        good = parsed.notna().to_numpy(dtype=bool)
        where = idx[hit][good]
        us[where] = parsed[good].to_numpy().astype("M8[us]").astype(np.int64)
        timed[where] = sub[hit][good].str.len().to_numpy() > 10
        todo[where] = False
    serial = todo & s.str.fullmatch(_SERIAL_TEXT).to_numpy(dtype=bool)
    if serial.any():
        sub = _subgroup(g, serial)
        sub_msgs = np.full(len(sub), None, dtype=object)
        us[serial] = _serials(s[serial].astype(float).to_numpy(), ctx, sub, what, sub_msgs)
        timed[serial] = us[serial] % _US_PER_DAY != 0
        msgs[serial] = sub_msgs
    rows = np.flatnonzero(todo & ~serial)
    if len(rows):
        ex = s.iloc[rows].str.extract(_DATE_RE)
        y = _ints_of(ex["y"])
        m = _ints_of(ex["m"].fillna(ex["m2"]).fillna(ex["m3"]))
        d = _ints_of(ex["d"].fillna(ex["d2"]).fillna(ex["d3"]))
        days, valid = _ymd_days(y, m, d)
        clock, clock_ok = _clock_us(ex)
        valid &= ex["y"].notna().to_numpy(dtype=bool) & clock_ok
        us[rows] = days * _US_PER_DAY + clock
        timed[rows] = ex["H"].notna().to_numpy(dtype=bool)
        bad = np.zeros(n, dtype=bool)
        bad[rows[~valid]] = True
        _messages(g, bad, f"is not {what}", msgs)
    return us, timed


def _instants(g: _Group, ctx: CoerceContext, what: str) -> tuple[np.ndarray, np.ndarray]:
    """Any cell → (microseconds since 1970, error messages) per distinct value."""
    msgs = np.full(len(g), None, dtype=object)
    if g.kind == _STR:
        return _text_instants(g, ctx, what, msgs)[0], msgs
    if g.kind == _NUM:
        return _serials(g.uniq, ctx, g, what, msgs), msgs
    if g.kind in (_DATETIME, _DATE):
        return g.us, msgs
    return np.zeros(len(g), dtype=np.int64), _messages(g, np.ones(len(g), dtype=bool),
                                                       f"is not {what}", msgs)


def _in_range(g: _Group, days: np.ndarray, ctx: CoerceContext, msgs: np.ndarray) -> None:
    latest = min(ctx.latest, _NS_LAST_DAY)
    lo = (ctx.earliest - _EPOCH_DAY).days
    hi = (latest - _EPOCH_DAY).days
    out = pd.isna(msgs) & ((days < lo) | (days > hi))
    for i in np.flatnonzero(out):
        shown = np.datetime64(int(days[i]), "D")
        msgs[i] = (f"date {shown} is outside the sensible range {ctx.earliest.isoformat()} … "
                   f"{latest.isoformat()}")


def _dates(g: _Group, column: Column, ctx: CoerceContext, out: _Out) -> None:
    what = "a date" if column.type == "date" else "a date and time"
    us, msgs = _instants(g, ctx, what)
    days = us // _US_PER_DAY
    _in_range(g, days, ctx, msgs)
    ok = pd.isna(msgs)
    keep = np.where(ok, days * _US_PER_DAY if column.type == "date" else us, 0)
    out.put(g, (keep * 1000).astype("M8[ns]"), msgs)


def _times(g: _Group, column: Column, ctx: CoerceContext, out: _Out) -> None:
    what = "a time of day"
    msgs = np.full(len(g), None, dtype=object)
    us = np.zeros(len(g), dtype=np.int64)
    if g.kind == _STR:
        s = _text_series(g.clean)
        ex = s.str.extract(_TIME_RE)
        hit = ex["H"].notna().to_numpy(dtype=bool)
        clock, valid = _clock_us(ex)
        us[hit] = clock[hit]
        ok = hit & valid
        fraction = ~hit & s.str.fullmatch(r"0?\.[0-9]+").to_numpy(dtype=bool)
        if fraction.any():
            ms = np.round(s[fraction].astype(float).to_numpy() * 86_400_000)
            us[fraction] = ms.astype(np.int64) * 1000
            ok |= fraction & (us < _US_PER_DAY)
        rest = ~hit & ~fraction
        if rest.any():   # a date with a time of day: keep its time
            sub = _subgroup(g, rest)
            sub_msgs = np.full(len(sub), None, dtype=object)
            sub_us, timed = _text_instants(sub, ctx, what, sub_msgs)
            us[rest] = sub_us % _US_PER_DAY
            ok[rest] = pd.isna(sub_msgs) & timed
        _messages(g, ~ok, f"is not {what}", msgs)
    elif g.kind == _NUM:
        f = g.uniq
        ok = np.isfinite(f) & (f >= 0) & (f < 1)
        us[ok] = np.round(f[ok] * 86_400_000).astype(np.int64) * 1000
        ok &= us < _US_PER_DAY
        _messages(g, ~ok, f"is not {what} (write 08:30)", msgs)
    elif g.kind == _TIME:
        us = g.us
    elif g.kind == _DATETIME:
        us = g.us % _US_PER_DAY
    elif g.kind == _DELTA:
        us = g.us
        _messages(g, (us < 0) | (us >= _US_PER_DAY), f"is not {what}", msgs)
    else:
        return out.fail(g, what)
    keep = np.where(pd.isna(msgs), us, 0)
    out.put(g, (keep * 1000).astype("m8[ns]"), msgs)


def _months(g: _Group, column: Column, ctx: CoerceContext, out: _Out) -> None:
    what = "a month (write 2026-10)"
    msgs = np.full(len(g), None, dtype=object)
    months = np.zeros(len(g), dtype=np.int64)       # months since 1970-01
    if g.kind == _STR:
        ex = _text_series(g.clean).str.extract(_MONTH_RE)
        hit = ex["y"].notna().to_numpy(dtype=bool)
        y, m = _ints_of(ex["y"]), _ints_of(ex["m"].fillna(ex["m2"]).fillna(ex["m3"]))
        months[hit] = ((y - 1970) * 12 + m - 1)[hit]
        _messages(g, hit & ((m < 1) | (m > 12)), f"is not {what}", msgs)
        rest = ~hit
        if rest.any():   # a whole date: its month
            sub = _subgroup(g, rest)
            us, sub_msgs = _instants(sub, ctx, what)
            months[rest] = us.astype("M8[us]").astype("M8[M]").astype(np.int64)
            msgs[rest] = sub_msgs
    elif g.kind == _NUM:
        f = g.uniq
        finite = np.isfinite(f)
        ym = finite & (f >= 1000_01) & (f <= 9999_12)
        ym[ym] = f[ym] == np.trunc(f[ym])
        n = np.where(ym, f, 0).astype(np.int64)
        months[ym] = ((n // 100 - 1970) * 12 + n % 100 - 1)[ym]
        _messages(g, ym & ((n % 100 < 1) | (n % 100 > 12)), f"is not {what}", msgs)
        if (~ym).any():
            sub = _subgroup(g, ~ym)
            sub_msgs = np.full(len(sub), None, dtype=object)
            us = _serials(f[~ym], ctx, sub, what, sub_msgs)
            months[~ym] = us.astype("M8[us]").astype("M8[M]").astype(np.int64)
            msgs[~ym] = sub_msgs
    elif g.kind in (_DATE, _DATETIME):
        months = g.us.astype("M8[us]").astype("M8[M]").astype(np.int64)
    else:
        return out.fail(g, what)
    lo = (ctx.earliest.year - 1970) * 12 + ctx.earliest.month - 1
    hi = (ctx.latest.year - 1970) * 12 + ctx.latest.month - 1
    outside = pd.isna(msgs) & ((months < lo) | (months > hi))
    for i in np.flatnonzero(outside):
        msgs[i] = (f"month {np.datetime64(int(months[i]), 'M')} is outside the sensible range "
                   f"{ctx.earliest:%Y-%m} … {ctx.latest:%Y-%m}")
    ok = pd.isna(msgs)
    vals = np.full(len(g), None, dtype=object)
    vals[ok] = months[ok].astype("M8[M]").astype(str).tolist()
    out.put(g, vals, msgs)


_HANDLERS = {"id": _ids, "national_id": _ids, "text": _texts, "int": _ints, "number": _decimals,
             "money": _decimals, "date": _dates, "datetime": _dates, "time": _times,
             "month": _months, "bool": _bools, "code": _codes, "phone": _phones}


# ----------------------------------------------------------------------------------------------
# Entry points


def _object_values(raw: pd.Series) -> np.ndarray:
    return np.asarray(raw.to_numpy(dtype=object), dtype=object)


def coerce_column(raw: pd.Series, column: Column, ctx: CoerceContext) -> Coerced:
    """Coerce one column of raw cells to its declared type (see `csbatch.sheets`)."""
    values = _object_values(raw)
    cells = _split(values)
    if column.default is not None and cells.blank.any():
        values = values.copy()
        values[cells.blank] = column.default
        cells = _split(values)
    out = _Out(cells.n, _STORAGE[column.type])
    handler = _HANDLERS[column.type]
    for g in cells.groups:
        handler(g, column, ctx, out)
    if column.required:
        out.err[cells.blank] = "is required but empty"
    return out.finish(raw)


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
    hint = (f"(write points 0–{_num(per_item)}, ✓/✗ or N/A)" if positive
            else "(✓/是 = violated; ✗/否 or blank = not; N/A)")
    one, zero = (per_item, Decimal(0)) if positive else (Decimal(1), Decimal(0))
    for g in cells.groups:
        vals = np.full(len(g), None, dtype=object)
        known = np.zeros(len(g), dtype=bool)
        if g.kind == _STR:
            labels = _text_series(g.clean).map(normalise_label)
            na = labels.isin(ctx.not_applicable).to_numpy(dtype=bool)
            known |= na
            if positive:
                numbers, parsed = _decimal_texts(g.clean, money=False)
                parsed &= ~na
                vals[parsed] = numbers[parsed]
                known |= parsed
            flag_known, flag = _flags(g.clean, ctx)
            flagged = flag_known & ~known
            vals[flagged] = np.where(flag[flagged], one, zero)
            known |= flagged
        elif g.kind == _NUM:
            f = g.uniq
            if positive:
                vals = _float_decimals(f)
                known = np.isfinite(f)
            else:
                known = (f == 0) | (f == 1)
                vals[known] = np.where(f[known] == 1, one, zero)
        elif g.kind == _BOOL:
            vals = np.where(g.uniq, one, zero).astype(object)
            known[:] = True
        msgs = _messages(g, ~known, f"is not a mark {hint}")
        if positive:
            _bound_errors(g, vals, known & ~pd.isna(vals), Decimal(0), None, msgs)
            high = known & ~pd.isna(vals)
            high[high] = np.array(vals[high] > per_item, dtype=bool)
            _messages(g, high, f"is more than the item's {_num(per_item)} points", msgs)
        out.put(g, vals, msgs)
        na_cells = pd.isna(vals)[g.codes] & pd.isna(msgs)[g.codes]
        out.ok[g.pos[na_cells]] = False   # N/A: legitimately missing
    if positive:
        out.err[cells.blank] = "no mark (write points, ✓/✗ or N/A)"
    else:
        out.vals[cells.blank] = Decimal(0)
        out.ok[cells.blank] = True
    return out.finish(raw)
