"""Date, datetime, time-of-day and month columns: instants checked and cast to storage.

Dates and datetimes must fall in the policy's sensible range (and in what datetime64[ns] can
hold), so a typo like 2062 or 1926 is an error rather than a silent value. A time of day is
read from text, a day fraction, a time or timedelta cell, or a datetime's clock; a month from
`2026-10`/`202610`/`2026年10月` or any whole date. Values are cast to datetime64[ns],
timedelta64[ns] or 'YYYY-MM' text only once checked.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from csbatch.i18n import N_, Said
from csbatch.policy.inputs import Column
from csbatch.sheets.coerce.context import CoerceContext
from csbatch.sheets.coerce.instants import _clock_us, _instants, _ints_of, _serials, _subgroup, _text_instants
from csbatch.sheets.coerce.results import _messages, _Out
from csbatch.sheets.coerce.type_groups import (
    _DATE,
    _DATETIME,
    _DELTA,
    _EPOCH_DAY,
    _NUM,
    _STR,
    _TIME,
    _US_PER_DAY,
    _full_matches,
    _Group,
    _text_series,
)

_TIME_RE = re.compile(
    r"^(?P<H>[0-9]{1,2})\s*[:时点]\s*(?P<M>[0-9]{1,2})"
    r"(?:\s*[:分]\s*(?P<S>[0-9]{1,2})(?:\.(?P<f>[0-9]{1,6}))?\s*秒?|\s*分)?$")
_MONTH_RE = re.compile(
    r"^(?P<y>[0-9]{4})\s*(?:(?P<sep>[-/.])\s*(?P<m>[0-9]{1,2})|年\s*(?P<m2>[0-9]{1,2})\s*月?"
    r"|(?P<m3>[0-9]{2}))$")

_NS_LAST_DAY = dt.date(2262, 4, 10)

A_DATE = Said(N_("a date"))
A_DATETIME = Said(N_("a date and time"))
A_TIME = Said(N_("a time of day"))
A_MONTH = Said(N_("a month (write 2026-10)"))


def _in_range(g: _Group, days: np.ndarray, ctx: CoerceContext, msgs: np.ndarray) -> None:
    latest = min(ctx.latest, _NS_LAST_DAY)
    lo = (ctx.earliest - _EPOCH_DAY).days
    hi = (latest - _EPOCH_DAY).days
    out = pd.isna(msgs) & ((days < lo) | (days > hi))
    for i in np.flatnonzero(out):
        shown = np.datetime64(int(days[i]), "D")
        msgs[i] = Said(N_("date {date} is outside the sensible range {earliest} … {latest}"),
                       date=str(shown), earliest=ctx.earliest.isoformat(), latest=latest.isoformat())


def _dates(g: _Group, column: Column, ctx: CoerceContext, out: _Out) -> None:
    what = A_DATE if column.type == "date" else A_DATETIME
    us, msgs = _instants(g, ctx, what)
    days = us // _US_PER_DAY
    _in_range(g, days, ctx, msgs)
    ok = pd.isna(msgs)
    keep = np.where(ok, days * _US_PER_DAY if column.type == "date" else us, 0)
    out.put(g, (keep * 1000).astype("M8[ns]"), msgs)


def _times(g: _Group, column: Column, ctx: CoerceContext, out: _Out) -> None:
    what = A_TIME
    msgs = np.full(len(g), None, dtype=object)
    us = np.zeros(len(g), dtype=np.int64)
    if g.kind == _STR:
        s = _text_series(g.cleaned)
        ex = s.str.extract(_TIME_RE)
        hit = ex["H"].notna().to_numpy(dtype=bool)
        clock, valid = _clock_us(ex)
        us[hit] = clock[hit]
        ok = hit & valid
        fraction = ~hit & _full_matches(s, r"0?\.[0-9]+")
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
        _messages(g, ~ok, N_("{value} is not {what}"), msgs, what=what)
    elif g.kind == _NUM:
        f = g.uniq
        ok = np.isfinite(f) & (f >= 0) & (f < 1)
        us[ok] = np.round(f[ok] * 86_400_000).astype(np.int64) * 1000
        ok &= us < _US_PER_DAY
        _messages(g, ~ok, N_("{value} is not {what} (write 08:30)"), msgs, what=what)
    elif g.kind == _TIME:
        us = g.micros
    elif g.kind == _DATETIME:
        us = g.micros % _US_PER_DAY
    elif g.kind == _DELTA:
        us = g.micros
        _messages(g, (us < 0) | (us >= _US_PER_DAY), N_("{value} is not {what}"), msgs, what=what)
    else:
        return out.fail(g, what)
    keep = np.where(pd.isna(msgs), us, 0)
    out.put(g, (keep * 1000).astype("m8[ns]"), msgs)


def _months(g: _Group, column: Column, ctx: CoerceContext, out: _Out) -> None:
    what = A_MONTH
    msgs = np.full(len(g), None, dtype=object)
    months = np.zeros(len(g), dtype=np.int64)       # months since 1970-01
    if g.kind == _STR:
        ex = _text_series(g.cleaned).str.extract(_MONTH_RE)
        hit = ex["y"].notna().to_numpy(dtype=bool)
        y, m = _ints_of(ex["y"]), _ints_of(ex["m"].fillna(ex["m2"]).fillna(ex["m3"]))
        months[hit] = ((y - 1970) * 12 + m - 1)[hit]
        _messages(g, hit & ((m < 1) | (m > 12)), N_("{value} is not {what}"), msgs, what=what)
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
        _messages(g, ym & ((n % 100 < 1) | (n % 100 > 12)), N_("{value} is not {what}"), msgs, what=what)
        if (~ym).any():
            sub = _subgroup(g, ~ym)
            sub_msgs = np.full(len(sub), None, dtype=object)
            us = _serials(f[~ym], ctx, sub, what, sub_msgs)
            months[~ym] = us.astype("M8[us]").astype("M8[M]").astype(np.int64)
            msgs[~ym] = sub_msgs
    elif g.kind in (_DATE, _DATETIME):
        us, msgs = _instants(g, ctx, what)
        months = us.astype("M8[us]").astype("M8[M]").astype(np.int64)
    else:
        return out.fail(g, what)
    lo = (ctx.earliest.year - 1970) * 12 + ctx.earliest.month - 1
    hi = (ctx.latest.year - 1970) * 12 + ctx.latest.month - 1
    outside = pd.isna(msgs) & ((months < lo) | (months > hi))
    for i in np.flatnonzero(outside):
        msgs[i] = Said(N_("month {month} is outside the sensible range {earliest} … {latest}"),
                       month=str(np.datetime64(int(months[i]), "M")),
                       earliest=f"{ctx.earliest:%Y-%m}", latest=f"{ctx.latest:%Y-%m}")
    ok = pd.isna(msgs)
    vals = np.full(len(g), None, dtype=object)
    vals[ok] = months[ok].astype("M8[M]").astype(str).tolist()
    out.put(g, vals, msgs)
