"""Finding the header row of a sheet and mapping its cells to canonical columns.

People put title rows above the header ("2026年10月 销售订单明细"), write headers in Chinese or
English, in full-width characters, with units in brackets. The header row is the row among the
first `SCAN_ROWS` that names the most known columns; a header names a column when, normalised, it
equals the column's name or one of its aliases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from csbatch.policy.inputs import Kind
from csbatch.text import normalise_header

SCAN_ROWS = 30


@dataclass
class HeaderMatch:
    row: int                                   # 0-based index of the header row
    columns: dict[str, int]                    # canonical column → column index
    items: dict[str, int] = field(default_factory=dict)  # questionnaire item code → column index
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)


def alias_index(kind: Kind) -> dict[str, str]:
    index: dict[str, str] = {}
    for name, col in kind.columns.items():
        for label in (name, *col.aliases):
            index[normalise_header(label)] = name
    return index


def _match_row(cells: list[Any], aliases: dict[str, str], items: dict[str, str]) -> HeaderMatch:
    match = HeaderMatch(row=-1, columns={})
    for j, cell in enumerate(cells):
        if not isinstance(cell, str) or not cell.strip():
            continue
        key = normalise_header(cell)
        if key in aliases:
            target, table = aliases[key], match.columns
        elif key in items:
            target, table = items[key], match.items
        else:
            continue
        if target in table:
            match.duplicates.append((target, table[target], j))
        else:
            table[target] = j
    return match


def find_header(rows: list[list[Any]], kind: Kind,
                items: dict[str, str] | None = None) -> HeaderMatch | None:
    """The best header row, or None when no row of the first SCAN_ROWS names any column."""
    aliases = alias_index(kind)
    items = items or {}
    best: HeaderMatch | None = None
    for i, cells in enumerate(rows[:SCAN_ROWS]):
        match = _match_row(cells, aliases, items)
        score = len(match.columns) + len(match.items)
        if score and (best is None or score > len(best.columns) + len(best.items)):
            match.row = i
            best = match
    return best
