"""Any cell read as a point in time: int64 microseconds since 1970-01-01.

Dates arrive as date/datetime cells, as Excel serial numbers (in the workbook's 1900 or 1904
date system, with Excel's phantom 1900-02-29), as 8-digit YYYYMMDD numbers, and as text in many
shapes (`2026-10-05`, `2026/10/5 8:30`, `2026年10月5日`). Everything becomes int64 microseconds
and is computed with numpy calendar arithmetic on distinct values; common text forms go through
`pd.to_datetime` in C only behind a full-match gate, so no shape is accepted leniently. Column
handlers (`temporal`) cast to their storage at the very end.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from csbatch.i18n import N_, Said
from csbatch.sheets.coerce.context import CoerceContext
from csbatch.sheets.coerce.results import _messages
from csbatch.sheets.coerce.type_groups import (
    _DATE,
    _DATETIME,
    _EPOCH_DAY,
    _NUM,
    _STR,
    _US_PER_DAY,
    _full_matches,
    _Group,
    _text_series,
)

_DATE_RE = re.compile(
    r"^(?P<y>[0-9]{4})"
    r"(?:(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})"
    r"|\s*年\s*(?P<m2>[0-9]{1,2})\s*月\s*(?P<d2>[0-9]{1,2})\s*[日号]?"
    r"|(?P<m3>[0-9]{2})(?P<d3>[0-9]{2}))"
    r"(?:(?:\s*T\s*|\s+|(?<=[日号]))"
    r"(?P<H>[0-9]{1,2})\s*[:时点]\s*(?P<M>[0-9]{1,2})"
    r"(?:\s*[:分]\s*(?P<S>[0-9]{1,2})(?:\.(?P<f>[0-9]{1,6}))?\s*秒?|\s*分)?)?$")

_SERIAL_TEXT = r"[0-9]{5}(?:\.[0-9]+)?"

_DAYS_1899_12_30 = (dt.date(1899, 12, 30) - _EPOCH_DAY).days
_DAYS_1904_01_01 = (dt.date(1904, 1, 1) - _EPOCH_DAY).days
_US_1899_12_31 = (dt.date(1899, 12, 31) - _EPOCH_DAY).days * _US_PER_DAY
_US_1900_03_01 = (dt.date(1900, 3, 1) - _EPOCH_DAY).days * _US_PER_DAY
#: Serials 1–60 of Excel's 1900 date system: Excel (after Lotus 1-2-3) counts a 1900-02-29 that
#: never existed, so serial 60 has no date and readers disagree on 1–59 (python-calamine reads
#: both 59 and 60 as 1900-02-28). Such a date is always a mistake in a month's sheets (a day
#: number typed in a date column, a blanked formula), so it is refused, never guessed.
_LOTUS = N_("{value} is before 1900-03-01 (an Excel date serial of 60 or less), where Excel's 1900 "
            "date system counts a 1900-02-29 that never existed; type the real date")
_SERIAL_MAX = 2_958_466      # 9999-12-31 is 2958465 in the 1900 system


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


def _serials(f: np.ndarray, ctx: CoerceContext, g: _Group, what: Said,
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
        _messages(g, impossible, N_("{value} is not {what}"), msgs, what=what)
    if ctx.date1904:     # serial 0 is 1904-01-01
        serial = finite & ~ymd & (f >= 0) & (f < _SERIAL_MAX)
        base = np.full(len(f), _DAYS_1904_01_01, dtype=np.int64)
    else:                # serial 1 is 1900-01-01; below 1 there is only a time of day
        serial = finite & ~ymd & (f >= 1) & (f < _SERIAL_MAX)
        _messages(g, finite & (f >= 0) & (f < 1), N_("{value} is a time of day, not {what}"), msgs, what=what)
        base = np.full(len(f), _DAYS_1899_12_30, dtype=np.int64)
        early = serial & (f < 61)
        _messages(g, early, _LOTUS, msgs)
        serial &= ~early
    ms = np.round(np.where(serial, f, 0) * 86_400_000).astype(np.int64)
    us[serial] = (base[serial] * 86_400_000 + ms[serial]) * 1000
    _messages(g, ~serial & ~ymd, N_("{value} is not {what}"), msgs, what=what)
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
    (r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}"
     r"(?:\.[0-9]{1,6})?)?)?", "ISO8601"),
    (r"[0-9]{4}/[0-9]{1,2}/[0-9]{1,2} [0-9]{1,2}:[0-9]{2}:[0-9]{2}", "%Y/%m/%d %H:%M:%S"),
    (r"[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}", "%Y/%m/%d"),
    (r"[0-9]{4}/[0-9]{1,2}/[0-9]{1,2} [0-9]{1,2}:[0-9]{2}", "%Y/%m/%d %H:%M"),
]


def _text_instants(g: _Group, ctx: CoerceContext, what: Said,
                   msgs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Text → (microseconds since 1970, carried a time of day) per distinct value; failures
    get a message in `msgs`."""
    s = _text_series(g.cleaned)
    n = len(s)
    us = np.zeros(n, dtype=np.int64)
    timed = np.zeros(n, dtype=bool)
    todo = np.ones(n, dtype=bool)
    for gate, fmt in _FAST_DATES:
        idx = np.flatnonzero(todo)
        if not len(idx):
            break
        sub = s.iloc[idx]
        hit = _full_matches(sub, gate)
        if not hit.any():
            continue
        try:
            parsed = pd.to_datetime(sub[hit], format=fmt, errors="coerce")
        except (ValueError, OverflowError):
            continue
        good = parsed.notna().to_numpy(dtype=bool)
        where = idx[hit][good]
        us[where] = parsed[good].to_numpy().astype("M8[us]").astype(np.int64)
        # a C-level `map` of `len` over the parsed texts (pandas' `.str.len` calls a lambda per text)
        texts = g.cleaned[where]
        timed[where] = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) > 10
        todo[where] = False
    # only the texts no fast format took are tested for a serial (a month's date column: none)
    serial = np.zeros(n, dtype=bool)
    left = np.flatnonzero(todo)
    if len(left):
        serial[left] = _full_matches(g.cleaned[left], _SERIAL_TEXT)
    if serial.any():
        part = _subgroup(g, serial)
        sub_msgs = np.full(len(part), None, dtype=object)
        us[serial] = _serials(s[serial].astype(float).to_numpy(), ctx, part, what, sub_msgs)
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
        _messages(g, bad, N_("{value} is not {what}"), msgs, what=what)
    return us, timed


def _instants(g: _Group, ctx: CoerceContext, what: Said) -> tuple[np.ndarray, np.ndarray]:
    """Any cell → (microseconds since 1970, error messages) per distinct value."""
    msgs = np.full(len(g), None, dtype=object)
    if g.kind == _STR:
        return _text_instants(g, ctx, what, msgs)[0], msgs
    if g.kind == _NUM:
        return _serials(g.uniq, ctx, g, what, msgs), msgs
    if g.kind in (_DATETIME, _DATE):
        if not ctx.date1904:   # a date cell 1899-12-31 … 1900-02-28 was a serial of 60 or less
            _messages(g, (g.micros >= _US_1899_12_31) & (g.micros < _US_1900_03_01), _LOTUS, msgs)
        return g.micros, msgs
    return np.zeros(len(g), dtype=np.int64), _messages(g, np.ones(len(g), dtype=bool),
                                                       N_("{value} is not {what}"), msgs, what=what)
