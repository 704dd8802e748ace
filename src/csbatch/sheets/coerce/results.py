"""Per-distinct-value results broadcast back onto the cells, and the messages that explain them.

Handlers decide once per distinct value of a `_Group` (a value, an error message, notes);
`_Out` spreads those onto the column's cells with one `take` per array and builds the
`Coerced` result. Kept in one place so every column type stores values and reports problems
the same way: `'…' is not …` messages, one per cell, in the cells' order.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from csbatch.i18n import N_, Said
from csbatch.sheets.coerce.context import Coerced
from csbatch.sheets.coerce.type_groups import _Group


class _Out:
    """Full-length value, validity and error arrays, filled group by group."""

    #: the storage's array: its dtype, and how it starts (every cell missing until put)
    _EMPTY = {"object": (np.dtype(object), None), "Int64": (np.dtype(np.int64), 0),
              "boolean": (np.dtype(bool), False), "M8": (np.dtype("M8[ns]"), np.datetime64("NaT")),
              "m8": (np.dtype("m8[ns]"), np.timedelta64("NaT"))}

    def __init__(self, n: int, storage: str):
        self.n = n
        self.storage = storage
        self.dtype, self._fill = self._EMPTY[storage]
        # `vals` and `err` are made on first use: most columns' values arrive whole (`_put_all`)
        # and most have no error, and filling a million-cell object array with None costs an
        # incref per cell (~5 ms, and as much to free it): twice a column, for nothing
        self._vals: np.ndarray | None = None
        self._err: np.ndarray | None = None
        self.ok = np.zeros(n, dtype=bool)
        self.erred = False      # any message in `err` (most columns have none: no scan for them)
        self.notes: list[tuple[np.ndarray, str, np.ndarray]] = []

    @property
    def vals(self) -> np.ndarray:
        """Each cell's value (the storage's missing value where none was put)."""
        if self._vals is None:
            self._vals = np.full(self.n, self._fill, dtype=self.dtype)
        return self._vals

    @property
    def err(self) -> np.ndarray:
        """Each cell's error message, None where it has none."""
        if self._err is None:
            self._err = np.full(self.n, None, dtype=object)
        return self._err

    def put(self, g: _Group, vals_u: np.ndarray | None, err_u: np.ndarray | None = None,
            notes: Sequence[tuple[str, np.ndarray]] = ()) -> None:
        """Per distinct value: its coerced value, or an error message (None when fine), and
        notes (code, message-or-None per distinct value)."""
        ok_u = np.ones(len(g), dtype=bool) if err_u is None else pd.isna(err_u)
        noted = []      # notes with a message for a fine value
        for code, msg_u in notes:
            has = ~pd.isna(msg_u) & ok_u
            if has.any():
                noted.append((code, has, msg_u))
        if ok_u.all() and vals_u is not None and not noted:   # the common case: no masks per cell
            if len(g.pos) == self.n:   # the group is every cell (the column has one kind)
                # cell by cell (`per_cell`), the values are the cells' already (copied when they
                # are the raw cells themselves, which are not the result's to change)
                self._put_all(vals_u[g.codes] if not g.per_cell else vals_u.copy() if vals_u is g.uniq else vals_u)
                return
            self.vals[g.pos] = vals_u[g.codes]
            self.ok[g.pos] = True
            return
        ok = ok_u[g.codes]
        if ok.any() and vals_u is not None:
            self.vals[g.pos[ok]] = vals_u[g.codes[ok]]
            self.ok[g.pos[ok]] = True
        if err_u is not None and not ok.all():   # no messages: every value is fine
            self.error_at(g.pos[~ok], err_u[g.codes[~ok]])
        for code, has, msg_u in noted:
            at = has[g.codes]
            self.notes.append((g.pos[at], code, msg_u[g.codes[at]]))

    def _put_all(self, vals: np.ndarray) -> None:
        """Every cell's value at once: `vals` (an array made for this put) is the column's when it
        has the storage's dtype (no scatter through the positions, which are all of them, in
        order), else it is cast into the storage as a scatter would."""
        if vals.dtype == self.dtype:
            self._vals = vals
        else:
            self.vals[:] = vals
        self.ok[:] = True

    def error_at(self, cells: np.ndarray, msgs: np.ndarray | Said) -> None:
        """Error messages for the cells at `cells` (positions or a mask): one each, or one for all.
        No cell at all (a required column without a blank cell: most of them) leaves the column
        without an error array: a million-cell array of None, then a missing-value test of each
        cell in `finish`, for no message."""
        if not len(cells) or (cells.dtype == bool and not cells.any()):
            return
        self.err[cells] = msgs
        self.erred = True

    def fail(self, g: _Group, what: Said) -> None:
        """Every cell of the group is an error: `'…' is not {what}`."""
        self.put(g, None, np.array([Said(N_("{value} is not {what}"), value=s, what=what)
                                    for s in g.show(np.arange(len(g)))], dtype=object))

    def finish(self, raw: pd.Series) -> Coerced:
        index = raw.index
        if self.storage == "Int64":
            values = pd.Series(pd.arrays.IntegerArray(self.vals, ~self.ok), index=index)
        elif self.storage == "boolean":
            values = pd.Series(pd.arrays.BooleanArray(self.vals, ~self.ok), index=index)
        elif self.storage == "object":
            if not self.ok.all():
                self.vals[~self.ok] = None
            values = pd.Series(self.vals, index=index, dtype=object, copy=False)
        else:
            self.vals[~self.ok] = self.vals.dtype.type("NaT")
            values = pd.Series(self.vals, index=index, copy=False)
        values.name = raw.name
        errors = []
        if self.erred:
            where = np.flatnonzero(~pd.isna(self.err))
            errors = list(zip(index.take(where).tolist(), self.err[where].tolist()))
        notes: list[tuple[int, str, str]] = []
        if self.notes:
            pos = np.concatenate([p for p, _, _ in self.notes])
            codes = np.concatenate([np.full(len(p), c, dtype=object) for p, c, _ in self.notes])
            msgs = np.concatenate([m for _, _, m in self.notes])
            order = np.argsort(pos, kind="stable")
            notes = list(zip(index.take(pos[order]).tolist(), codes[order].tolist(),
                             msgs[order].tolist()))
        return Coerced(values, errors, notes)


def _messages(g: _Group, bad: np.ndarray, template: str, into: np.ndarray | None = None,
              **params: object) -> np.ndarray:
    """Error messages for the distinct values where `bad` (None elsewhere): `template` (marked
    with `N_`, its `{value}` the quoted value, e.g. `"{value} is negative"`) filled with `params`."""
    msgs = np.full(len(g), None, dtype=object) if into is None else into
    idx = np.flatnonzero(bad & pd.isna(msgs))
    if len(idx):
        msgs[idx] = [Said(template, value=s, **params) for s in g.show(idx)]
    return msgs
