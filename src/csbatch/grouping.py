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


def runs(codes: np.ndarray, n: int) -> list[list[int]]:
    """For each code 0..n-1, the positions holding it, ascending (a stable sort of the codes)."""
    order = np.argsort(codes, kind="stable").tolist()
    ends = np.cumsum(np.bincount(codes, minlength=n)).tolist()
    return [order[start:end] for start, end in zip([0, *ends[:-1]], ends)]


def joined_runs(codes: np.ndarray, n: int, texts: list[str], sep: str) -> list[str]:
    """For each code 0..n-1, its rows' `texts` joined by `sep` in row order: what
    `[sep.join([texts[i] for i in run]) for run in runs(codes, n)]` gives, with the texts put in
    the order of one stable sort of the codes by a numpy take and each code's joined from a
    slice, not a list of positions and a look-up per row (attendance's sources per employee and
    day at 1M orders: 0.35 → 0.2 s)."""
    order = np.argsort(codes, kind="stable")
    column = np.empty(len(texts), dtype=object)
    column[:] = texts
    ordered = column[order].tolist()
    ends = np.cumsum(np.bincount(codes, minlength=n)).tolist()
    return [sep.join(ordered[start:end]) for start, end in zip([0, *ends[:-1]], ends)]
