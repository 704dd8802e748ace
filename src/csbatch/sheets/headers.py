"""Finding the header row of a sheet and mapping its cells to canonical columns.

People put title rows above the header ("2026年10月 销售订单明细"), write headers in Chinese or
English, in full-width characters, with units in brackets. The header row is the row among the
first `SCAN_ROWS` that names the most known columns; a header names a column when, normalised, it
equals the column's name or one of its aliases.
"""

from __future__ import annotations

import datetime as dt
import re
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
    # (a month grid's day columns: `day_label` → column index)
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)


def alias_index(kind: Kind) -> dict[str, str]:
    index: dict[str, str] = {}
    for name, col in kind.columns.items():
        for label in (name, *col.aliases):
            index[normalise_header(label)] = name
    return index


_DAY_TEXT = re.compile(r"^(?:(\d{4})[-/.年])?(?:(\d{1,2})[-/.月])?(\d{1,2})[日号]?$")


def day_label(cell: Any) -> str | None:
    """A month grid's day heading as `d7` (the 7th of the month closed: 7, 7.0, '7', '7日', '7号')
    or an ISO date (a date cell, '10-07', '2026-10-07', '10月7日'; a month without a year is
    written `--MM-DD`). None for anything else."""
    if isinstance(cell, (dt.datetime, dt.date)):
        return (cell.date() if isinstance(cell, dt.datetime) else cell).isoformat()
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return f"d{int(cell)}" if cell == int(cell) and 1 <= cell <= 31 else None
    if not isinstance(cell, str):
        return None
    found = _DAY_TEXT.match(normalise_header(cell))
    if found is None or not 1 <= int(found[3]) <= 31:
        return None
    year, month, day = found.groups()
    if month is None:
        return None if year else f"d{int(day)}"
    return f"{year}-{int(month):02d}-{int(day):02d}" if year else f"--{int(month):02d}-{int(day):02d}"


def _match_row(cells: list[Any], aliases: dict[str, str], items: dict[str, str],
               days: bool = False) -> HeaderMatch:
    match = HeaderMatch(row=-1, columns={})
    for j, cell in enumerate(cells):
        if days and (label := day_label(cell)) is not None:
            if label in match.items:
                match.duplicates.append((label, match.items[label], j))
            else:
                match.items[label] = j
            continue
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
    """The best header row, or None when no row of the first SCAN_ROWS names any column. A
    month grid's (`item_columns: month_days`) day headings are its items."""
    aliases = alias_index(kind)
    days = kind.item_columns == "month_days"
    items = {} if days else items or {}
    best: HeaderMatch | None = None
    for i, cells in enumerate(rows[:SCAN_ROWS]):
        match = _match_row(cells, aliases, items, days)
        score = len(match.columns) + len(match.items)
        if score and (best is None or score > len(best.columns) + len(best.items)):
            match.row = i
            best = match
    return best
