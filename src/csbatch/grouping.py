"""Rows grouped by `pd.factorize` codes (no blanks, numbered in order of first appearance) with
numpy instead of a dictionary update per row: a million rows grouped by employee, customer or
day is a stable sort of their codes, not a million Python look-ups. Shared by the stages that
group rows this way (attendance, measured values, VIP), so each groups them the same way."""

from __future__ import annotations

import numpy as np


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
    answer, so the order is the same."""
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
