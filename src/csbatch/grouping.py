"""Rows grouped by `pd.factorize` codes (no blanks, numbered in order of first appearance) with
numpy instead of a dictionary update per row: a million rows grouped by employee, customer or
day is a stable sort of their codes, not a million Python look-ups. Shared by the stages that
group rows this way (attendance, measured values, VIP), so each groups them the same way."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, getcontext
from typing import Any

import numpy as np
import pandas as pd

from csbatch.money import ZERO


class Once(dict):
    """`make` of each key asked for (`once[key]`), made the first time that key is asked: work
    done once per distinct value (amounts and dates repeat), one dictionary look-up a value, not
    a pass to find the distinct values and a second to look them up."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[Any], Any]):
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:
        made = self[key] = self.make(key)
        return made


def first_codes(codes: np.ndarray) -> np.ndarray:
    """The position of each code's first row, by code: `np.unique(codes, return_index=True)[1]`
    in one pass instead of a sort."""
    if not len(codes):
        return np.zeros(0, dtype=np.intp)
    seen = np.maximum.accumulate(codes)
    return np.flatnonzero(np.concatenate(([True], seen[1:] > seen[:-1])))


def stable_order(codes: np.ndarray, n: int) -> np.ndarray:
    """The positions of `codes` (0..n-1) sorted by code, stable: `np.argsort(codes,
    kind="stable")`, taken on the codes as int16 when `n` fits, which numpy sorts by radix in one
    pass (a tenth of the time of the merge sort of int64 at a million rows). A stable sort has one
    answer, so the order is the same: codes already in order (rows that come grouped, as
    attendance's clock rows by employee and day) are their own positions, found without a sort."""
    if bool((codes[1:] >= codes[:-1]).all()):
        return np.arange(len(codes), dtype=np.intp)
    if n <= np.iinfo(np.int16).max:
        return np.argsort(codes.astype(np.int16), kind="stable")
    return np.argsort(codes, kind="stable")


class Rows:
    """The positions of each code 0..n-1, ascending, kept as one stable sort of the codes and each
    code's bounds in it: a list is made only for a code asked about (`of`), not one per code up
    front (a million orders: a quarter million VIP keys, of which a close reads a few thousand)."""

    def __init__(self, codes: np.ndarray, n: int):
        self.order = stable_order(codes, n)
        self.counts = np.bincount(codes, minlength=n)
        self.ends = np.cumsum(self.counts)

    def of(self, code: int) -> list[int]:
        end = int(self.ends[code])
        return self.order[end - int(self.counts[code]):end].tolist()


def runs(codes: np.ndarray, n: int) -> list[list[int]]:
    """For each code 0..n-1, the positions holding it, ascending (a stable sort of the codes)."""
    rows = Rows(codes, n)
    order, ends = rows.order.tolist(), rows.ends.tolist()
    return [order[start:end] for start, end in zip([0, *ends[:-1]], ends)]


def joined_runs(codes: np.ndarray, n: int, texts: list[str], sep: str) -> list[str]:
    """For each code 0..n-1, its rows' `texts` joined by `sep` in row order: what
    `[sep.join([texts[i] for i in run]) for run in runs(codes, n)]` gives, with the texts put in
    the order of the codes' stable sort by a numpy take and each code's joined from a slice, not
    a list of positions and a look-up per row (attendance's sources per employee and day at 1M
    orders: 0.35 → 0.2 s)."""
    rows = Rows(codes, n)
    column = np.empty(len(texts), dtype=object)
    column[:] = texts
    ordered = column[rows.order].tolist()
    ends = rows.ends.tolist()
    return [sep.join(ordered[start:end]) for start, end in zip([0, *ends[:-1]], ends)]


def identities(values: list[Any]) -> tuple[np.ndarray, list[Any]]:
    """Each of `values`' code by object identity (in order of first appearance) and the distinct
    objects. The reader gives equal cells one object, so a million order amounts are a few
    thousand objects; identity, not equality, because Decimal("48.3") == Decimal("48.30") but a
    pay computed from one keeps other digits than from the other."""
    codes = pd.factorize(np.fromiter(map(id, values), dtype=np.int64, count=len(values)))[0]
    return codes, [values[i] for i in first_codes(codes).tolist()]


def boxed_once(column: pd.Series) -> list[Any]:
    """`column.tolist()`, a date-time column's values boxed once per distinct value: a month's
    283k reminders fall on a few dozen days, and a pandas Timestamp costs about a microsecond
    to box (0.37 s for 300k). Any other column is `tolist` itself."""
    if not pd.api.types.is_datetime64_any_dtype(column.dtype):
        return column.tolist()
    codes, days = pd.factorize(column, use_na_sentinel=False)   # NaT is a value: boxed as NaT
    return list(map(list(days).__getitem__, codes.tolist()))


def identity_codes(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`identities` of an object array's cells, the distinct objects as an object array (a
    month's amounts or leave shares are a few thousand objects shared by a million cells: what
    is asked of each is asked once per object)."""
    codes, firsts = identities(cells.tolist())
    distinct = np.empty(len(firsts), dtype=object)
    for at, first in enumerate(firsts):   # (not `distinct[:] = firsts`: a cell may be a sequence)
        distinct[at] = first
    return codes, distinct


def exact_sums(codes: np.ndarray, n: int, pays: list[Any],
               coded: tuple[Any, np.ndarray] | None = None) -> list[Decimal] | None:
    """For each code 0..n-1 (each has a row), `ZERO + Σ pays` of its rows, summed as integers:
    the Decimal sum of a loop adding each row's value to its code's sum in row order (payroll's
    `_paid`, measured values' `dsum`), value and exponent, without a Decimal addition per row
    (commission at 1M orders: 0.24 s). The pays are a few thousand distinct objects (`per_distinct`),
    each turned once into an integer count of 10**E (E: the smallest exponent, 0 at most);
    a code's sum is that integer total written with its rows' smallest exponent (and 0's), as
    Decimal addition writes an exact sum. None (the caller adds Decimals in row order) unless
    that is certain to be what the loop gives: every pay a finite Decimal, the sum of all their
    magnitudes within the context's precision (so no partial sum of the loop is rounded) and
    within int64, no sum exactly zero (whose sign the context's rounding decides). `coded`: each
    row's code into the distinct pays, and those pays (else found by identity)."""
    if not len(pays):
        return [ZERO] * n
    pay_codes, distinct = identities(pays) if coded is None else (coded[0], coded[1].tolist())
    counts = np.bincount(pay_codes, minlength=len(distinct)).tolist()
    used = [p if c else ZERO for p, c in zip(distinct, counts)]        # (`coded`: some are not summed)
    if any(type(p) is not Decimal or not p.is_finite() for p in used):
        return None
    shapes = [p.as_tuple() for p in used]
    exponents = [int(t.exponent) for t in shapes]
    low = min(0, *exponents)
    if max(exponents) - low >= getcontext().prec:     # (a sum of these cannot fit: no giant integers)
        return None
    scaled = [(-1 if t.sign else 1) * int("".join(map(str, t.digits))) * 10 ** (e - low)
              for t, e in zip(shapes, exponents)]
    bound = sum(c * abs(v) for c, v in zip(counts, scaled))
    if bound >= min(10 ** getcontext().prec, 2 ** 63):
        return None
    sums = np.zeros(n, dtype=np.int64)
    np.add.at(sums, codes, np.array(scaled, dtype=np.int64)[pay_codes])
    tops = np.zeros(n, dtype=np.int64)          # (ZERO's exponent: 0)
    np.minimum.at(tops, codes, np.array(exponents, dtype=np.int64)[pay_codes])
    totals = sums.tolist()
    if 0 in totals:
        return None
    return [Decimal(f"{total // 10 ** (top - low)}E{top}") for total, top in zip(totals, tops.tolist())]


def equal_cells(column: pd.Series, text: str) -> np.ndarray:
    """`column.eq(text)` as booleans (payroll's refunded orders, the audit's special-price
    refunds). An object column is compared by numpy (a million cells: 0.035 -> 0.008 s); a blank
    compares unequal there as in pandas, but a cell that cannot say whether it is equal (pd.NA)
    raises, and then pandas compares, as before; a comparison pandas answers NA is False, as a
    mask of it selects."""
    if column.dtype == object:
        try:
            equal = column.to_numpy() == text
        except TypeError:
            pass
        else:
            if isinstance(equal, np.ndarray) and equal.dtype == bool and equal.shape == (len(column),):
                return equal
    # (a "string" column's comparison is NA where the cell is: a mask keeps such a row out)
    return column.eq(text).to_numpy(dtype=bool, na_value=False)
