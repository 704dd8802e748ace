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
