"""Round 19: `instants._text_instants` tests for a date serial only the texts no fast format
parsed, and measures the parsed texts by `len`: the same microseconds, times of day and messages
as the old form (kept here), which tested every text and used pandas' `.str.len`."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csbatch.i18n import N_, Said
from csbatch.sheets.coerce import CoerceContext, instants, type_groups
from csbatch.sheets.coerce.results import _messages
from csbatch.sheets.coerce.type_groups import _US_PER_DAY, _full_matches, _text_series

_FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.function_scoped_fixture])


def _old_text_instants(g: type_groups._Group, ctx: CoerceContext, what: Said,
                       msgs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`instants._text_instants` as round 18 left it."""
    s = _text_series(g.cleaned)
    n = len(s)
    us = np.zeros(n, dtype=np.int64)
    timed = np.zeros(n, dtype=bool)
    todo = np.ones(n, dtype=bool)
    for gate, fmt in instants._FAST_DATES:
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
        timed[where] = sub[hit][good].str.len().to_numpy() > 10
        todo[where] = False
    serial = todo & _full_matches(s, instants._SERIAL_TEXT)
    if serial.any():
        part = instants._subgroup(g, serial)
        sub_msgs = np.full(len(part), None, dtype=object)
        us[serial] = instants._serials(s[serial].astype(float).to_numpy(), ctx, part, what, sub_msgs)
        timed[serial] = us[serial] % _US_PER_DAY != 0
        msgs[serial] = sub_msgs
    rows = np.flatnonzero(todo & ~serial)
    if len(rows):
        ex = s.iloc[rows].str.extract(instants._DATE_RE)
        y = instants._ints_of(ex["y"])
        m = instants._ints_of(ex["m"].fillna(ex["m2"]).fillna(ex["m3"]))
        d = instants._ints_of(ex["d"].fillna(ex["d2"]).fillna(ex["d3"]))
        days, valid = instants._ymd_days(y, m, d)
        clock, clock_ok = instants._clock_us(ex)
        valid &= ex["y"].notna().to_numpy(dtype=bool) & clock_ok
        us[rows] = days * _US_PER_DAY + clock
        timed[rows] = ex["H"].notna().to_numpy(dtype=bool)
        bad = np.zeros(n, dtype=bool)
        bad[rows[~valid]] = True
        _messages(g, bad, N_("{value} is not {what}"), msgs, what=what)
    return us, timed


_DATE_TEXTS = st.one_of(
    st.sampled_from(["2026-10-08 08:15:42", "2026-10-8", "2026-1-31 7:05", "2026-02-30", "2026-10-08T08:15:42.123",
                     "2026/10/08 08:15:42", "2026/10/08", "2026/10/8 8:15", "2026/13/01", "45931", "45931.5", "00060",
                     "12345678", "2026年10月8日", "2026年10月8号 8点15分", "20261008", "2026.10.08 25:00", "10/08/2026",
                     "", "N/A", "昨天", "2026-10-08 8:15:42 ", "9999-12-31 23:59:59", "0001-01-01"]),
    st.text(alphabet="0123456789-/: 年月日T.", max_size=20))


@pytest.fixture
def ctx(policy) -> CoerceContext:
    return CoerceContext.from_policy(policy, "2026-10")


@_FAST
@given(texts=st.lists(_DATE_TEXTS, min_size=1, max_size=60))
def test_text_instants_same_as_old(texts: list[str], ctx: CoerceContext) -> None:
    values = np.empty(len(texts), dtype=object)
    values[:] = texts
    g, _ = type_groups._text_group(values, np.arange(len(values)))
    if not len(g):
        return
    what = Said(N_("a date"))
    new_msgs, old_msgs = np.full(len(g), None, dtype=object), np.full(len(g), None, dtype=object)
    us, timed = instants._text_instants(g, ctx, what, new_msgs)
    old_us, old_timed = _old_text_instants(g, ctx, what, old_msgs)
    assert np.array_equal(us, old_us) and np.array_equal(timed, old_timed)
    assert [repr(m) for m in new_msgs] == [repr(m) for m in old_msgs]
