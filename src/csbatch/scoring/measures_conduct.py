"""Conduct points lost (docs/policy.md#conduct): the conduct log plus what the clock shows.

* A logged item costs count × its points. An item with `min_minutes_exclusive` (personal calls
  over 5 minutes) counts only when the row's minutes exceed it; a row with blank minutes counts
  (the logger saw a call long enough to write down).
* Items with `from_attendance` are also read from the attendance days: a late day is 1, an
  early leave 1, an absent day its absent share (½ for a half day). Items with `from_absence`
  are read from a deadline rule's attendance rows (a team meeting): each row marked absent with
  no reason is 1. Logged and clocked (or recorded) are the same occurrence, so per employee, date
  and item the points are max(logged count, clocked count) × points — never the sum.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

import numpy as np
import pandas as pd

from csbatch.blanks import is_blank
from csbatch.errors import Source
from csbatch.i18n import N_, Named, Said
from csbatch.money import ONE, ZERO
from csbatch.scoring.measures_kit import Context, decimal_sum, dsum

MEASURE = "conduct_points_lost"
_KEY = ["employee_id", "date", "item"]


def _logged(ctx: Context) -> pd.DataFrame:
    """Counted rows of the conduct log: employee_id, date, item, n (Decimal), provenance."""
    log = ctx.month_rows("conduct")
    log = log[log["violation"].isin(set(ctx.policy.conduct)).to_numpy(dtype=bool)]
    limit = log["violation"].map({c: i.min_minutes_exclusive for c, i in ctx.policy.conduct.items()})
    minutes = log["minutes"].astype("Int64")
    long_enough = limit.isna().to_numpy(dtype=bool) | minutes.isna().to_numpy(dtype=bool) | \
        (minutes.astype("float64").to_numpy() > limit.astype("float64").to_numpy())
    log = log[long_enough]
    n = log["count"].astype("Int64").fillna(1)
    rows = log.assign(item=log["violation"], date=log["date"].astype("datetime64[ns]").dt.normalize(),
                      n=pd.Series([Decimal(int(v)) for v in n], index=log.index, dtype=object))
    return rows[rows["n"].map(bool).to_numpy(dtype=bool)] if len(rows) else rows


def _clocked(ctx: Context) -> pd.DataFrame:
    """Occurrences the attendance days show, per item with `from_attendance`."""
    days = ctx.attendance.days
    parts = []
    for code, item in ctx.policy.conduct.items():
        if item.from_attendance is None:
            continue
        if item.from_attendance == "absent":
            share = days["absent_share"].astype(object)
            hit = share.map(lambda v: bool(v) and v > 0).to_numpy(dtype=bool)
            n = share[hit].to_numpy()
        else:
            column = "late" if item.from_attendance == "late" else "early"
            hit = days[column].astype(bool).to_numpy()
            n = np.full(int(hit.sum()), ONE, dtype=object)
        picked = days[hit]
        parts.append(pd.DataFrame({"employee_id": picked["employee_id"].astype(object).to_numpy(),
                                   "date": picked["date"].astype("datetime64[ns]").to_numpy(),
                                   "item": code, "clock_n": n,
                                   "sources": picked["sources"].astype(object).to_numpy()}))
    parts += _absences(ctx)
    if not parts:
        return _empty("clock_n", "sources")
    return pd.concat(parts, ignore_index=True)


def _absences(ctx: Context) -> list[pd.DataFrame]:
    """Absences without a reason on the attendance rows of the rule each `from_absence` item names."""
    parts = []
    for code, item in ctx.policy.conduct.items():
        rule = ctx.policy.deadlines.get(item.from_absence) if item.from_absence else None
        if rule is None or rule.evidence.attended is None:
            continue
        ev = rule.evidence
        rows = ctx.month_rows(ev.sheet)
        if ev.kind is not None and "kind" in rows.columns:
            rows = rows[(rows["kind"].astype(object) == ev.kind).to_numpy(dtype=bool)]
        reasons = rows[ev.excuse] if ev.excuse else [None] * len(rows)
        absent = [not is_blank(a) and not bool(a) and (is_blank(r) or not str(r).strip())
                  for a, r in zip(rows[ev.attended], reasons)]
        picked = rows[np.array(absent, dtype=bool)] if len(rows) else rows
        day = ev.reference or ev.done
        parts.append(pd.DataFrame({"employee_id": picked["employee_id"].astype(object).to_numpy(),
                                   "date": picked[day].astype("datetime64[ns]").dt.normalize().to_numpy(),
                                   "item": code, "clock_n": np.full(len(picked), ONE, dtype=object),
                                   "sources": [_place(r) for r in picked.to_dict("records")]}))
    return parts


def _place(row: dict) -> str:
    place = Source.of_row(cast("dict[str, Any]", row))
    return str(place) if place is not None else ""


def _empty(*columns: str) -> pd.DataFrame:
    return pd.DataFrame({"employee_id": pd.Series([], dtype=object),
                         "date": pd.Series([], dtype="datetime64[ns]"),
                         "item": pd.Series([], dtype=object),
                         **{c: pd.Series([], dtype=object) for c in columns}})


def _n(value: object) -> Decimal:
    """A count cell: a Decimal, or blank (None, or NaN where the outer merge found no row)."""
    return ZERO if is_blank(value) else cast(Decimal, value)


def conduct_measures(ctx: Context) -> dict[str, pd.Series]:
    points = {c: i.points for c, i in ctx.policy.conduct.items()}
    clocked_items = {c for c, i in ctx.policy.conduct.items() if i.from_attendance or i.from_absence}
    logged = _logged(ctx)
    ctx.feeds.add(MEASURE, logged)

    plain = logged[~logged["item"].isin(clocked_items).to_numpy(dtype=bool)]
    plain_points = pd.Series([n * points[i] for n, i in zip(plain["n"], plain["item"])],
                             index=plain.index, dtype=object)

    both = logged[logged["item"].isin(clocked_items).to_numpy(dtype=bool)]
    log_n = both.groupby(_KEY, sort=False)["n"].agg(decimal_sum).rename("log_n") \
        .reset_index() if len(both) else _empty("log_n")
    merged = _clocked(ctx).merge(log_n, on=_KEY, how="outer")
    once = pd.Series([max(_n(c), _n(l)) * points[i]
                      for c, l, i in zip(merged["clock_n"], merged["log_n"], merged["item"])],
                     index=merged.index, dtype=object)

    total = pd.concat([dsum(plain_points, plain["employee_id"]),
                       dsum(once, merged["employee_id"])])
    if ctx.feeds.active:
        _feed_clocked(ctx, merged)
    return {MEASURE: total.groupby(level=0, sort=False).agg(decimal_sum).astype(object)
            if len(total) else pd.Series([], dtype=object)}


def _feed_clocked(ctx: Context, merged: pd.DataFrame) -> None:
    """Each clocked (or recorded) occurrence of an explained employee, in words, as a place of
    the measure: only their rows are worded, the days formatted as one column."""
    mine = merged["employee_id"].isin(ctx.feeds.who).to_numpy(dtype=bool) & \
        merged["clock_n"].notna().to_numpy(dtype=bool)
    rows = merged[mine]
    days = pd.to_datetime(rows["date"]).dt.strftime("%Y-%m-%d")
    items: dict[str, Named] = {}
    for emp, day, item, n, sources in zip(rows["employee_id"], days, rows["item"], rows["clock_n"], rows["sources"]):
        if is_blank(n):
            continue
        if item not in items:
            conduct = ctx.policy.conduct.get(item)
            items[item] = Named(item, conduct.name if conduct is not None else item)
        if not isinstance(day, str):    # no date (NaT): as the row-by-row wording did
            day = f"{pd.Timestamp(day):%Y-%m-%d}"
        where = sources if isinstance(sources, str) and sources else Said(N_("no clock record"))
        ctx.feeds.text(emp, MEASURE, Said(N_("attendance {day} {item} {count}: {where}"), day=day,
                                          item=items[item], count=f"{n.normalize():f}", where=where))
