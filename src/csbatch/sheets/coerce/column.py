"""`coerce_column`: one declared column, from raw cells to its typed values.

The declared type picks both the storage of the result (`_STORAGE`) and the handler that turns
each group of distinct values into values and messages (`_HANDLERS`); the rest (defaults for
blank cells, required cells that are empty) is the same for every type.
"""

from __future__ import annotations

import pandas as pd

from csbatch.i18n import N_, Said
from csbatch.policy.inputs import Column
from csbatch.sheets.coerce.context import CoerceContext, Coerced
from csbatch.sheets.coerce.identifiers import _ids, _phones
from csbatch.sheets.coerce.labels import _bools, _codes, _texts
from csbatch.sheets.coerce.numbers import _decimals, _ints
from csbatch.sheets.coerce.results import _Out
from csbatch.sheets.coerce.temporal import _dates, _months, _times
from csbatch.sheets.coerce.type_groups import _defaulted, _object_values, _split

_STORAGE = {"id": "object", "text": "object", "code": "object", "month": "object",
            "phone": "object", "national_id": "object", "int": "Int64", "number": "object",
            "money": "object", "date": "M8", "datetime": "M8", "time": "m8", "bool": "boolean"}

_HANDLERS = {"id": _ids, "national_id": _ids, "text": _texts, "int": _ints, "number": _decimals,
             "money": _decimals, "date": _dates, "datetime": _dates, "time": _times,
             "month": _months, "bool": _bools, "code": _codes, "phone": _phones}

#: Column types whose handlers cost about as much per text value as hashing it (see `_distinct_texts`).
_PER_CELL_TEXT = frozenset({"id", "text"})


def coerce_column(raw: pd.Series, column: Column, ctx: CoerceContext) -> Coerced:
    """Coerce one column of raw cells to its declared type (see `csbatch.sheets`)."""
    values = _object_values(raw)
    per_cell = column.type in _PER_CELL_TEXT
    cells = _split(values, per_cell)
    if column.default is not None and cells.blank.any():
        defaulted = None if per_cell else _defaulted(cells, column.default, values)
        if defaulted is None:
            values = values.copy()
            values[cells.blank] = column.default
            defaulted = _split(values, per_cell)
        cells = defaulted
    out = _Out(cells.n, _STORAGE[column.type])
    handler = _HANDLERS[column.type]
    for g in cells.groups:
        handler(g, column, ctx, out)
    if column.required:
        out.error_at(cells.blank, Said(N_("is required but empty")))
    return out.finish(raw)
