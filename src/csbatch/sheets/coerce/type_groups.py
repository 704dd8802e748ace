"""A column of raw cells split by Python type into groups of distinct values.

Readers hand over an object Series mixing str, float, int, bool, date/datetime/time/timedelta
and blanks. Every per-type coercion works on a `_Group`: the distinct values of one kind
(factorised, hashing in C) and, per cell, its position and index into them, so cleaning and
parsing run once per distinct value. Text is cleaned here once (NFKC, invisible characters,
strip) and date-like cells become int64 microseconds here, so each column type starts from the
same cleaned values. How a cell is shown in messages and in text columns lives here too, since
`_Group.show` quotes cells.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from pandas._libs import lib
from pandas._libs.hashtable import StringHashTable  # type: ignore[import-not-found]
from pandas.api.types import infer_dtype

_STR, _NUM, _BOOL, _DATETIME, _DATE, _TIME, _DELTA, _OTHER, _BLANK = range(9)
_NP_DATETIME, _NP_DELTA = 9, 10   # numpy's, whose NaT is a value of the type: sorted out in `_split`

_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_ZERO_WIDTH = re.compile(f"[{_INVISIBLE}]")
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
    if issubclass(t, np.timedelta64):  # numpy counts timedelta64 as an integer type
        return _NP_DELTA
    if issubclass(t, np.datetime64):
        return _NP_DATETIME
    if issubclass(t, (int, float, Decimal, np.integer, np.floating)):
        return _NUM
    if issubclass(t, dt.datetime):
        return _DATETIME
    if issubclass(t, dt.date):
        return _DATE
    if issubclass(t, dt.time):
        return _TIME
    if issubclass(t, dt.timedelta):
        return _DELTA
    return _OTHER


class _Kinds(dict[type, int]):
    """Python type → kind, learnt type by type (a column holds a handful)."""

    def __missing__(self, t: type) -> int:
        self[t] = kind = _kind_of(t)
        return kind


_KINDS = _Kinds()


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
    #: each cell its own value, in the cells' order (`codes` is 0, 1, 2…): a value per distinct
    #: value is already a value per cell, so `_Out.put` takes nothing through the codes
    per_cell: bool = False

    def __len__(self) -> int:
        return len(self.uniq)

    @property
    def cleaned(self) -> np.ndarray:
        """`clean` of a text group, for the handlers' text branches (`_text_group` always sets it)."""
        assert self.clean is not None, "only a text group is read as text, and _text_group sets clean"
        return self.clean

    @property
    def micros(self) -> np.ndarray:
        """`us` of a date/time group (`_temporal_group` always sets it)."""
        assert self.us is not None, "only a date/time group is read as microseconds, and _temporal_group sets us"
        return self.us

    @property
    def shown(self) -> np.ndarray:
        """Text as typed, without invisible characters and surrounding space (no NFKC). Plain
        ASCII text has no invisible characters and nothing for NFKC to change: it is `clean`."""
        assert self.odd is not None, "only a text group is shown as text, and _text_group sets odd"
        shown = self.cleaned.copy()
        if self.odd.any():
            shown[self.odd] = _cleaned_texts(self.uniq[self.odd], nfkc=False)
        return shown

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

    def show(self, which: np.ndarray) -> list[str]:
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


def _cleaned_texts(texts: np.ndarray, nfkc: bool) -> list[str]:
    """`_normalised` (`nfkc`) or `_visible` of each text. Most non-ASCII text (names, addresses:
    one distinct value per row) holds no invisible character and is NFKC already: then each is
    only stripped (one C-level `map`), which both tests on the texts joined by NUL show at once
    (five `in` and one NFKC quick check: C loops over the characters, no call per text).
    NUL is a starter nothing composes with, so the joined text is NFKC exactly when each text is."""
    joined = "\x00".join(texts)
    if not any(c in joined for c in _INVISIBLE) and (not nfkc or unicodedata.is_normalized("NFKC", joined)):
        return list(map(str.strip, texts))
    clean = _normalised if nfkc else _visible
    return [clean(t) for t in texts]


_SAMPLE = 2048


def _distinct_texts(values: np.ndarray, per_cell: bool) -> tuple[np.ndarray, np.ndarray]:
    """The text cells factorised, or (`per_cell`: the column's handler costs about as much per
    value as hashing it, as for IDs and text) each cell its own value when a spread sample of
    them is mostly distinct plain ASCII (order and customer IDs: about one value per cell).
    Hashing a million distinct strings costs more than cleaning each cell (two C-level maps), and
    no handler needs its values distinct, only each cell's index into them."""
    n = len(values)
    if n >= 4 * _SAMPLE:
        sample = values[::n // _SAMPLE]
        distinct = len(set(sample))
        if per_cell and distinct >= 0.9 * len(sample) and all(map(str.isascii, sample)):
            return np.arange(n), values
        if distinct <= _FEW:
            return _few_texts(values)
    return _factorize(values)


#: a sample with at most this many distinct texts is of a column of few values (codes, yes/no)
_FEW = 64


class _Numbering(dict[str, int]):
    """Text → its number, in order of first appearance (a new text numbered on first look-up)."""

    def __missing__(self, text: str) -> int:
        self[text] = number = len(self)
        return number


def _few_texts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`pd.factorize` of text cells of few distinct values (code, status, yes/no columns), by one
    dict look-up per cell in C: pandas' table for text encodes each non-ASCII cell to UTF-8 first
    (and keeps that copy on the cell), a dict compares the few values as they are. The same codes
    and values, in the same order of first appearance."""
    numbering = _Numbering()
    codes = np.fromiter(map(numbering.__getitem__, values), dtype=np.intp, count=len(values))
    return codes, np.fromiter(numbering, dtype=object, count=len(numbering))


def _all_texts(values: np.ndarray, per_cell: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray | None] | None:
    """`_distinct_texts` of a large column whose spread sample is all text, with the proof that
    every cell is text taken from that same pass over the cells (None when a cell is not, or the
    sample is not all text): what `infer_dtype` and then `_distinct_texts` find, without
    `infer_dtype`'s own pass. Each pass over a million cells touches a million objects spread
    over the heap (a cache miss each): as much as the work done on them. The third item is the
    per-cell path's non-ASCII cells (`odd`), found by the pass that proves them text."""
    n = len(values)
    if n < 4 * _SAMPLE:
        return None
    sample = values[::n // _SAMPLE]
    if not all(isinstance(v, str) for v in sample):
        return None
    distinct = len(set(sample))
    try:
        if per_cell and distinct >= 0.9 * len(sample) and all(map(str.isascii, sample)):
            # `str.isascii` refuses anything not a `str`: the cells are all text once it has run
            ascii_ = np.fromiter(map(str.isascii, values), dtype=bool, count=n)
            return np.arange(n), values, ~ascii_
        if distinct > _FEW:
            # every cell proved text by one C loop over their types, then hashed by pandas' text
            # table itself: `pd.factorize` would run that same test first to pick the table, and
            # the distinct values (about one per cell here) need no test of their own after
            if not lib.is_string_array(values, skipna=False):  # type: ignore[attr-defined]
                return None
            uniq, codes = StringHashTable(n).factorize(values, na_sentinel=-1)
            return codes, uniq, None
        codes, uniq = _few_texts(values)
    except TypeError:   # a cell not text (`str.isascii`), or unhashable (`_few_texts`)
        return None
    # a value of another type (a number, None, NaN) never equals a text, so one shows among the
    # few distinct values
    if not all(isinstance(v, str) for v in uniq):
        return None
    return codes, uniq, None


def _text_group(values: np.ndarray, pos: np.ndarray, per_cell: bool = False,
                distinct: tuple[np.ndarray, np.ndarray, np.ndarray | None] | None = None) -> tuple[_Group, np.ndarray]:
    """The text cells' group (the distinct values cleaned) and the positions of blank texts.
    `distinct`: the cells' `_all_texts`, when `_split` found them so."""
    codes, uniq, odd = (*_distinct_texts(values, per_cell), None) if distinct is None else distinct
    if odd is None:   # one C-level `map` per distinct value (the pandas `.str` accessor costs twice as much)
        odd = ~np.fromiter(map(str.isascii, uniq), dtype=bool, count=len(uniq))
    clean = np.fromiter(map(str.strip, uniq), dtype=object, count=len(uniq))
    if odd.any():    # only non-ASCII text can hold full-width or invisible characters
        clean[odd] = _cleaned_texts(uniq[odd], nfkc=True)
    filled = clean != ""
    if filled.all():
        return _Group(_STR, pos, codes, uniq, clean=clean, odd=odd, per_cell=uniq is values), pos[:0]
    keep = filled[codes]
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


def _temporal_group(kind: int) -> Callable[[np.ndarray, np.ndarray], tuple[_Group, np.ndarray]]:
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


_BUILDERS = {_NUM: _number_group, _BOOL: _bool_group,
             _DATETIME: _temporal_group(_DATETIME), _DATE: _temporal_group(_DATE),
             _TIME: _temporal_group(_TIME), _DELTA: _temporal_group(_DELTA),
             _OTHER: _other_group}


def _text_among_others(values: np.ndarray) -> bool:
    """Whether a large column's spread sample holds both text and a cell of another type (dates
    or amounts with some typed as text): then `infer_dtype` cannot say "string" or a number type,
    and its pass over every cell (for a mixed column it looks at each cell for an integer) is
    not needed to know the cells go by their types."""
    n = len(values)
    if n < 4 * _SAMPLE:
        return False
    types = set(map(type, values[::n // _SAMPLE]))
    return any(issubclass(t, str) for t in types) and not all(issubclass(t, str) for t in types)


def _split(values: np.ndarray, per_cell_text: bool = False) -> _Cells:
    """`values` by kind into groups; `per_cell_text`: see `_distinct_texts`."""
    n = len(values)
    blank = np.zeros(n, dtype=bool)
    if n == 0:
        return _Cells(0, blank, [])
    texts = _all_texts(values, per_cell_text)
    if texts is not None:
        group, blanks = _text_group(values, np.arange(n), per_cell_text, texts)
        blank[blanks] = True
        return _Cells(n, blank, [group] if len(group.pos) else [])
    inferred = "mixed" if _text_among_others(values) else infer_dtype(values, skipna=False)
    if inferred == "string":
        by_kind = {_STR: np.arange(n)}
    elif inferred in ("floating", "integer", "mixed-integer-float"):
        by_kind = {_NUM: np.arange(n)}
    elif (split := _split_by_values(values)) is not None:
        return split
    else:
        # one dict look-up per cell, in C (cheaper than factorising the cells' types)
        kinds = np.fromiter(map(_KINDS.__getitem__, map(type, values)), dtype=np.int8, count=n)
        present = np.flatnonzero(np.bincount(kinds, minlength=_NP_DELTA + 1))
        for numpy_kind, kind in ((_NP_DATETIME, _DATETIME), (_NP_DELTA, _DELTA)):
            if numpy_kind in present:  # numpy's NaT is a value of those types, not a type of its own
                idx = np.flatnonzero(kinds == numpy_kind)
                kinds[idx] = np.where(pd.isna(values[idx].astype(object)), _BLANK, kind)
        present = np.flatnonzero(np.bincount(kinds, minlength=_NP_DELTA + 1))
        by_kind = {int(k): np.flatnonzero(kinds == k) for k in present}
    groups = []
    for kind, pos in by_kind.items():
        if kind == _BLANK:
            blank[pos] = True
            continue
        cells = values if len(pos) == n else values[pos]
        group, blanks = _text_group(cells, pos, per_cell_text) if kind == _STR else _BUILDERS[kind](cells, pos)
        blank[blanks] = True
        if len(group.pos):
            groups.append(group)
    return _Cells(n, blank, groups)


#: kinds whose values never equal a value of another kind (bool equals 0 and 1, checked apart)
_BY_VALUE = frozenset({_STR, _NUM, _DATETIME, _DATE, _TIME, _DELTA, _BLANK})
#: a spread sample with more distinct values than this share of it is split cell by cell
_BY_VALUE_SHARE = 0.95


def _split_by_values(values: np.ndarray) -> _Cells | None:
    """`_split` of a large column of several kinds (dates or amounts with some typed as text) from
    one pass over its cells: each cell numbered by its value (one dict look-up, in C, as
    `_few_texts`), then each distinct value's kind and each kind's group made from the distinct
    values, the cells taking their group's codes through their numbers. Cell by cell, the old way
    took three passes (its type, its kind's cells taken out, those factorised), each a cache miss
    per cell. Equal values of two kinds would share a number: only a bool can equal a value of
    another kind among those read (`True == 1.0`), so a column with a bool among its distinct
    values goes the old way, and so do the cells numbered with a 0 or 1 when one of them is a bool;
    numpy's and pandas' date types are equal only to values of their own final kind, whose groups
    merge them as this does. None (split cell by cell) for a column of mostly distinct values (a
    million-entry dict costs more than the passes), a kind not in `_BY_VALUE` (bool, numpy dates,
    other objects) or an unhashable cell."""
    n = len(values)
    if n < 4 * _SAMPLE:
        return None
    sample = values[::n // _SAMPLE]
    if not {_KINDS[t] for t in set(map(type, sample))} <= _BY_VALUE:   # a column of bools: no pass for nothing
        return None
    try:
        if len(set(sample)) > _BY_VALUE_SHARE * len(sample):
            return None
        numbering: dict[Any, int] = _Numbering()
        codes = np.fromiter(map(numbering.__getitem__, values), dtype=np.intp, count=n)
    except TypeError:   # an unhashable cell, or a comparison that cannot say (pd.NA)
        return None
    uniq = np.fromiter(numbering, dtype=object, count=len(numbering))
    kinds = np.fromiter(map(_KINDS.__getitem__, map(type, uniq)), dtype=np.int8, count=len(uniq))
    if not set(np.unique(kinds).tolist()) <= _BY_VALUE:
        return None
    for number in np.flatnonzero(kinds == _NUM).tolist():   # a bool cell numbered with a 0 or a 1?
        if (uniq[number] == 0 or uniq[number] == 1) and any(_KINDS[type(v)] != _NUM for v in values[codes == number]):
            return None
    blank = np.zeros(n, dtype=bool)
    cell_kinds = kinds[codes]
    groups = []
    for kind in np.unique(kinds).tolist():
        pos = np.flatnonzero(cell_kinds == kind)
        if kind == _BLANK:
            blank[pos] = True
            continue
        of_kind = np.flatnonzero(kinds == kind)
        local = np.full(len(uniq), -1, dtype=np.intp)
        local[of_kind] = np.arange(len(of_kind))
        at = local[codes[pos]]
        if kind == _STR:   # numbered by the dict as `_few_texts` numbers texts
            group, blanks = _text_group(values, pos, False, (at, uniq[of_kind], None))
        else:              # each distinct value once through its kind's builder, then its cells
            distinct, _ = _BUILDERS[kind](uniq[of_kind], np.arange(len(of_kind)))
            inner = np.full(len(of_kind), -1, dtype=np.intp)
            inner[distinct.pos] = distinct.codes
            keep = inner[at] >= 0
            group = _Group(kind, pos[keep], inner[at[keep]], distinct.uniq, us=distinct.us)
            blanks = pos[~keep]
        blank[blanks] = True
        if len(group.pos):
            groups.append(group)
    return _Cells(n, blank, groups)


def _defaulted(cells: _Cells, default: object, values: np.ndarray) -> _Cells | None:
    """`_split` of the cells with `default` put in every blank one, found from `cells` (their
    split, of text and blanks only) without a second pass over the cells (a code or yes/no
    column's default: a million cells hashed again for a handful of values): the text group's
    codes with the blank cells given the default's code, numbered again in order of first
    appearance (integers, hashed in C), as factorising the defaulted cells numbers their values.
    None (split them again) unless the default is text and so is every non-blank cell, factorised
    (not cell by cell), and the default is no text of another type than `str` already seen."""
    if type(default) is not str or len(cells.groups) > 1:
        return None
    if cells.groups:
        g = cells.groups[0]
        if g.kind != _STR or g.per_cell or g.uniq is values:
            return None
        codes, uniq = g.codes, g.uniq
    else:
        codes, uniq = np.zeros(0, dtype=np.intp), np.array([], dtype=object)
    same = np.flatnonzero(uniq == default) if len(uniq) else np.zeros(0, dtype=np.intp)
    if len(same) and type(uniq[same[0]]) is not str:
        return None
    code = int(same[0]) if len(same) else len(uniq)
    if not len(same):
        uniq = np.append(uniq, np.array([default], dtype=object))
    every = np.full(cells.n, code, dtype=np.intp)
    if cells.groups:
        every[cells.groups[0].pos] = codes
    renumbered, old = pd.factorize(every)
    group, blanks = _text_group(values, np.arange(cells.n), False, (renumbered, uniq[old], None))
    blank = np.zeros(cells.n, dtype=bool)
    blank[blanks] = True
    return _Cells(cells.n, blank, [group] if len(group.pos) else [])


def _text_series(values: np.ndarray) -> pd.Series:
    return pd.Series(values, dtype=object)


def _full_matches(texts: pd.Series | np.ndarray, pattern: str | re.Pattern[str]) -> np.ndarray:
    """Whether each text matches `pattern` in full: what `Series.str.fullmatch(pattern)` says of
    text (a text group's values, all `str`), by two C-level `map`s instead of pandas' Python
    lambda per value (a date or ID column's distinct values: one per cell)."""
    values = texts.to_numpy(dtype=object) if isinstance(texts, pd.Series) else texts
    return np.fromiter(map(bool, map(re.compile(pattern).fullmatch, values)), dtype=bool, count=len(values))


def _number_texts(f: np.ndarray) -> np.ndarray:
    """Finite floats as the text a person sees: integral ones without `.0`, others by their
    shortest repr (numpy's float → str is the shortest round-trip form)."""
    out = f.astype(str).astype(object)
    whole = np.isfinite(f) & (np.abs(f) < 1e15)
    whole[whole] = f[whole] == np.trunc(f[whole])
    if whole.any():
        out[whole] = f[whole].astype(np.int64).astype(str).tolist()
    return out


def _object_values(raw: pd.Series) -> np.ndarray:
    return np.asarray(raw.to_numpy(dtype=object), dtype=object)
