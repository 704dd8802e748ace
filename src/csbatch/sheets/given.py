"""Rows given as text (a golden case of `csbatch policy test`) → the typed frame intake would give.

Golden cases run through the same pay, VIP and deadline functions as the close, and those read
contract-typed frames (`csbatch.sheets`). Rather than a second way to type a cell, each declared
column of the kind is coerced by the real coercer (`coerce_column`), exactly as a CSV file's cells
are: a column a row leaves out is a blank cell, so it holds the column's declared default. The
provenance columns name the case file and the line of each row, so a message about a row (a
missing sales rep, say) points at the case, not at a sheet that does not exist.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from csbatch.errors import Issue, Source
from csbatch.i18n import N_
from csbatch.policy.loader import Policy
from csbatch.sheets.coerce import CoerceContext, coerce_column


def typed_rows(policy: Policy, kind: str, rows: Sequence[Mapping[str, Any]], period: str,
               places: Sequence[Source]) -> tuple[pd.DataFrame, list[Issue]]:
    """The frame of input `kind` holding `rows` (column name → cell as written: text, a number,
    or None for blank), each row placed at `places[i]`; plus an error per cell the coercer
    refuses and per column the kind does not declare."""
    spec = policy.inputs.kinds[kind]
    ctx = CoerceContext.from_policy(policy, period)
    issues: list[Issue] = []
    for row, place in zip(rows, places):
        for name in row:
            if name not in spec.columns:
                issues.append(Issue.of(place, "policytest.column",
                                       N_("'{name}' is not a column of {kind} (inputs.yaml): {columns}"),
                                       name=name, kind=kind, columns=", ".join(spec.columns)))
    out: dict[str, pd.Series] = {}
    for name, col in spec.columns.items():
        cells = pd.Series(["" if row.get(name) is None else row.get(name) for row in rows], dtype=object)
        result = coerce_column(cells, col, ctx)
        issues += [Issue.of(places[idx], "cell.invalid", N_("{kind} column '{name}': {problem}"), kind=kind,
                            name=name, problem=msg) for idx, msg in result.errors]
        out[name] = result.values
    frame = pd.DataFrame(out)
    frame["_file"] = pd.Series([p.path for p in places], dtype=object)
    frame["_sheet"] = pd.Series([None] * len(rows), dtype=object)
    frame["_row"] = pd.Series([p.line or 0 for p in places], dtype="int64")
    return frame, issues
