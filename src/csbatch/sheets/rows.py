"""Row-level facts of one sheet that change which rows and values are read: merged ranges in the
data, hidden (or filtered-out) rows, a note typed under the data, text too long for a workbook.

Each works on the mapped columns of a sheet as pandas Series indexed by Excel row number, and
costs nothing on a sheet without the feature: merges and hidden rows come from the reader (calamine
and one byte scan), the long-text check runs only when the reader could not rule it out, and the
note-row check looks at the few rows after the last full one.
"""

from __future__ import annotations

import re

import pandas as pd

from csbatch.errors import Issue, Source
from csbatch.i18n import N_, Listed, Named, Said
from csbatch.policy.inputs import Kind
from csbatch.sheets.read import EXCEL_TEXT_LIMIT, RawSheet, column_letter

#: Declared types whose text goes into our outputs as typed (others are parsed into numbers,
#: dates or codes, and an over-long cell fails that parse anyway).
_TEXT_TYPES = ("text", "id")
#: A single cell that looks like an identifier or number is a short data row, not a note.
_ID_LIKE = re.compile(r"^[\sA-Za-z0-9_.:/-]*$")


def _range(r1: int, c1: int, r2: int, c2: int) -> str:
    first = f"{column_letter(c1)}{r1 + 1}"
    return first if (r1, c1) == (r2, c2) else f"{first}:{column_letter(c2)}{r2 + 1}"


def apply_merges(raw_cols: dict[str, pd.Series], raw: RawSheet, wanted: dict[str, int], kind: Kind,
                 header_row0: int, display: str, sheet: str | None) -> list[Issue]:
    """A merged range that starts below the header and covers a read column: Excel keeps its value
    in the first cell only, so every other row would read as blank. That is an error naming the
    range, unless every read column it covers declares `fill_down: true`: then the value fills
    each row of the range. Merges in title rows and the header are fine; so are merges over
    columns that are not read."""
    issues = []
    for r1, c1, r2, c2 in raw.merges:
        if r1 <= header_row0:
            continue
        covered = [name for name, j in wanted.items() if c1 <= j <= c2]
        if not covered:
            continue
        refuse = [n for n in covered if n not in kind.columns or not kind.columns[n].fill_down]
        if refuse:
            headers = raw.rows[header_row0] if header_row0 < len(raw.rows) else []
            names = Listed(Named(f"'{n}'", f"“{headers[wanted[n]]}”" if wanted[n] < len(headers) and
                                 str(headers[wanted[n]]).strip() else f"'{n}'") for n in refuse)
            issues.append(Issue.of(Source(display, sheet=sheet, cell=_range(r1, c1, r2, c2)), "inputs.merged_cells",
                                   N_("merged cells in the data (column {names}): only the first row of the "
                                      "range holds the value and the other rows would read as blank; unmerge "
                                      "the cells and fill every row, or declare `fill_down: true` for the "
                                      "column in config/inputs.yaml"), names=names))
            continue
        for name in covered:
            series = raw_cols[name]
            top = raw.rows[r1][c1] if r1 < len(raw.rows) and c1 < len(raw.rows[r1]) else ""
            rows = series.index[(series.index >= r1 + 1) & (series.index <= r2 + 1)]
            series.loc[rows] = top
    return issues


def hidden_rows(raw: RawSheet, data_rows: pd.Index, display: str, sheet: str | None) -> list[Issue]:
    """Hidden data rows (hidden by hand or filtered out by an autofilter): one warning with the
    count and the first rows. They are read like every other row: hiding is not deleting."""
    hidden = [r for r in raw.hidden_rows if r in data_rows]
    if not hidden:
        return []
    shown: str = ", ".join(str(r) for r in hidden[:5])
    if len(hidden) > 5:
        shown = Said(N_("{rows} and {more} more, {total} in all"), rows=shown, more=len(hidden) - 5,
                     total=len(hidden))
    how = Said(N_("hidden or filtered out by the sheet's autofilter")) if raw.filtered else Said(N_("hidden"))
    return [Issue.warn(Source(display, sheet=sheet), "inputs.hidden_rows",
                       N_("row {rows} is {how}; they are read and counted like every other row (hiding "
                          "is not deleting): unhide them to check, and delete the rows that do not belong")
                       if len(hidden) == 1 else
                       N_("rows {rows} are {how}; they are read and counted like every other row (hiding "
                          "is not deleting): unhide them to check, and delete the rows that do not belong"),
                       rows=shown, how=how)]


def long_texts(raw_cols: dict[str, pd.Series], raw: RawSheet, kind: Kind, letters: dict[str, str],
               display: str, sheet: str | None) -> tuple[list[Issue], set[tuple[int, str]]]:
    """Text cells over Excel's 32,767 characters (a workbook we write would cut them): one error
    per column with the count and the first cells. Returns (issues, the (row, column) cells)."""
    if not raw.long_text:
        return [], set()
    issues: list[Issue] = []
    cells: set[tuple[int, str]] = set()
    for name, series in raw_cols.items():
        col = kind.columns.get(name)
        if col is None or col.type not in _TEXT_TYPES or series.empty:
            continue
        lengths = series.map(lambda v: len(v) if isinstance(v, str) else 0)
        over = lengths.index[lengths.gt(EXCEL_TEXT_LIMIT)]
        if not len(over):
            continue
        cells.update((int(r), name) for r in over)
        letter = letters[name]
        first = int(over[0])
        longest = int(lengths.max())
        column = kind.header(name)
        if len(over) == 1:
            issues.append(Issue.of(Source(display, sheet=sheet, cell=f"{letter}{first}"), "cell.too_long",
                                   N_("column '{column}': text of {length} characters, over Excel's limit of "
                                      "{limit} per cell (the workbooks csbatch writes would cut it): shorten it"),
                                   column=column, length=f"{longest:,}", limit=f"{EXCEL_TEXT_LIMIT:,}"))
            continue
        listed = ", ".join(f"{letter}{int(r)}" for r in over[:5]) + (", …" if len(over) > 5 else "")
        issues.append(Issue.of(Source(display, sheet=sheet), "cell.too_long",
                               N_("column '{column}': text of {length} characters in {n} cells ({cells}), "
                                  "over Excel's limit of {limit} per cell (the workbooks csbatch writes "
                                  "would cut it): shorten it"),
                               column=column, length=f"{longest:,}", n=len(over), cells=listed,
                               limit=f"{EXCEL_TEXT_LIMIT:,}"))
    return issues, cells


def note_rows(raw_cols: dict[str, pd.Series], filled: pd.Series, skip: pd.Series) -> dict[int, tuple[str, str]]:
    """Rows under the data holding a single text cell (`注：本表由…`): row → (column, text).

    Only rows after the last row with two or more filled cells can be notes (so a sheet whose
    rows all have one cell has none), and only when that one cell is text that does not look like
    an identifier or a number (a row with just an ID stays a data row and is reported as one)."""
    full = filled.index[filled.ge(2) & ~skip]
    if not len(full):
        return {}
    after = filled.index[(filled.index > full[-1]) & filled.eq(1) & ~skip]
    notes: dict[int, tuple[str, str]] = {}
    for r in after:
        for name, series in raw_cols.items():
            value = series.at[r]
            if isinstance(value, str) and value.strip():
                if not _ID_LIKE.match(value):
                    notes[int(r)] = (name, value)
                break
    return notes
