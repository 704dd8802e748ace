"""`gathered`: a sheet's column with each distinct cell once, its texts copied while the sheet's
rows are still alive.

python-calamine makes a Python object for every cell of a sheet, row after row: at a million
orders fifteen million small objects, side by side in CPython's memory arenas (1 MiB each). The
read keeps some of them to the end (an order's id, a customer's id) and frees the rest after
typing them, but an arena goes back to the system only when every object in it is gone: after a
million-order read, 546 arenas were held for 294 MB of objects, ~300 MiB the close no longer
used, to its end. A forked child (`csbatch.forked`) pays for the scatter again: counting a
reference to one kept text copies its whole page.

Each column is made anew, before the rows are freed: its texts copied (a copy of each distinct
text, in arenas of their own), every other value the first cell of its kind (the rest freed
with the rows, not after typing). The old arenas then empty with the rows and go back: 234
arenas after the same read, 618 MiB resident against 900. Equal cells are only ever those of
one type with one value (a float's sign and NaN's bits count): 1, 1.0 and True stay three."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from csbatch.grouping import first_codes

#: a column shorter than this is left as read: its cells are few, and fit an arena or two
_WORTH = 1000

#: the types whose equal values are the same value, found by hashing (a float by its bits)
_PLAIN = frozenset({str, int, dt.datetime, dt.date, dt.time, dt.timedelta})

#: each cell's type, in C
_TYPE_OF = np.frompyfunc(type, 1, 1)


def gathered(cells: np.ndarray) -> np.ndarray:
    """`cells` (one column of a sheet, object dtype) made anew: a copy of each distinct text,
    every other distinct value once (the first cell that holds it), missing cells and values of
    other types as they are; `cells` itself when short."""
    if len(cells) < _WORTH:
        return cells
    if pd.api.types.infer_dtype(cells, skipna=True) == "string":
        return _once(cells, str)
    codes, types = pd.factorize(_TYPE_OF(cells))
    if len(types) == 1:
        return _once(cells, types[0]) if _hashed(types[0]) else cells.copy()
    made = cells.copy()
    for k, kind in enumerate(types):
        if _hashed(kind):      # the cells of other types stay as copied
            at = np.flatnonzero(codes == k)
            made[at] = _once(cells[at], kind)
    return made


def _hashed(kind: type) -> bool:
    """Whether the cells of type `kind` are made each distinct value once (`_once`)."""
    return kind is float or kind in _PLAIN


def _once(cells: np.ndarray, kind: type) -> np.ndarray:
    """`cells` (of type `kind`, one that is `_hashed`, or missing) anew, each distinct value
    once: a text a fresh copy, a float told by its bits (-0.0 is not 0.0), other values the first
    cell that holds them."""
    if kind is float:
        codes, _ = pd.factorize(cells.astype(np.float64).view(np.int64))
    else:
        codes, _ = pd.factorize(cells, use_na_sentinel=True)
    if not len(codes):
        return cells.copy()
    first = first_codes(codes)      # each value's first cell (and the first cell, when missing)
    values = cells[first[codes[first] >= 0]]
    if kind is str:
        # a text of two characters or more made again from its two parts (a new object); any
        # text, a lone surrogate too (what `encode` refuses), and one of one character is itself
        copies = np.empty(len(values), dtype=object)
        copies[:] = [text[:1] + text[1:] for text in values]
        values = copies
    missing = codes < 0
    if not missing.any():
        return values[codes]
    made = cells.copy()
    made[~missing] = values[codes[~missing]]
    return made
