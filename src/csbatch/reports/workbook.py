"""Writing workbooks with XlsxWriter: numbers stay numbers with formats (¥ for money, % for rates,
coefficients with the places they were rounded to), dates are dates, headers are frozen with
filters on, columns as wide as what they show (never `###`), text is always written as text —
never as a formula, whatever it starts with — and every sheet prints.

Printing is decided here, once, for every sheet of every workbook (`Workbook.close`): A4, one page
wide and as many tall as it takes, landscape when the columns are wider than a portrait page, the
company and the period in the page header, "page N of M" in the footer (words from the catalogue).
A sheet declares only what differs (`Workbook.prints`): the header rows and the leading columns
(工号, 姓名) to repeat on every page; `add_table_sheet` declares them for its tables itself."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain, compress, count, repeat
from operator import is_not
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
import xlsxwriter.packager
import xlsxwriter.sharedstrings
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import CellDatetimeTuple, CellNumberTuple, CellStringTuple

from csbatch.blanks import is_blank
from csbatch.i18n import N_, word, yes_no
from csbatch.reports.cells import FORMULA_START, runs_as_formula, to_decimal
from csbatch.reports.tables import Table

NUMBER_FORMATS = {
    "money": "¥#,##0.00;-¥#,##0.00",
    "points": "0.00",
    "decimal": "0.##",
    "number": "#,##0.####",
    "days": "0.0#",
    "int": "0",
    "rate": "0.0%",
    "measured_rate": "0.00%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}
NUMERIC = ("money", "points", "days", "rate", "measured_rate", "int", "decimal", "number")

#: Columns (in Excel's width units, about a Latin character) a portrait A4 page holds at 100 %;
#: a sheet wider than this prints landscape (and any sheet is scaled to one page wide).
PORTRAIT_WIDTH = 100
#: Columns of text wider than this wrap instead (the reasons, the rules in words).
WIDEST = 60
#: A leading column of these repeats at the left of every printed page.
KEY_COLUMNS = ("employee_id", "name")
PAGE_OF = N_("page {page} of {pages}")


#: A wide character: CJK and full-width forms, and everything above them (U+2E80 on).
_WIDE = re.compile("[\u2e80-\U0010ffff]")


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: wide (CJK, full-width) characters count two. The
    wide ones are counted by taking them out in C (`_WIDE`), not by a Python step per character
    (every distinct text of a column is measured: 290k VIP task notes of ~90 characters)."""
    if text.isascii():
        return len(text)
    return 2 * len(text) - len(_WIDE.sub("", text))


def places(value: Decimal) -> int:
    """The decimal places a Decimal was rounded to (0.9226 → 4, 20.00 → 2, 66 → 0)."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def shown_width(value: Any, kind: str) -> int:
    """How wide a value shows with its kind's format (money with ¥ and thousands, rates as %)."""
    if is_blank(value):
        return 0
    if kind in ("date", "datetime"):
        return 10 if kind == "date" else 16
    if kind == "bool":
        return 5
    if kind not in NUMERIC:
        return display_width(str(value))
    d = to_decimal(value)
    if kind == "money":
        return len(f"¥{d:,.2f}")
    if kind == "rate":
        return len(f"{d * 100:.1f}%")
    if kind == "measured_rate":
        return len(f"{d * 100:.2f}%")
    if kind == "int":
        return len(str(int(d)))
    if kind == "decimal":
        return len(f"{d:f}")
    return len(f"{d.quantize(Decimal('0.0001')).normalize() if d.is_finite() else d:,f}")


#: Excel's day 0 (1899-12-31) in microseconds since 1970, and the first day XlsxWriter's own
#: conversion needs no 1900 leap-year or time-only correction for (1900-03-01).
_MICRO = dt.timedelta(microseconds=1)
_EXCEL_EPOCH_US = (dt.datetime(1899, 12, 31) - dt.datetime(1970, 1, 1)) // _MICRO
_PLAIN_FROM_US = (dt.datetime(1900, 3, 1) - dt.datetime(1970, 1, 1)) // _MICRO
_DAY_US = 86_400_000_000


def excel_serials(values: pd.Series) -> list[float | None] | None:
    """A naive datetime64 column (of nanoseconds or a coarser unit) as Excel serial numbers (None
    for NaT), the very floats XlsxWriter's `write_datetime` computes (days, then seconds and
    microseconds as a fraction of a day, one more after the phantom 1900-02-29), without a
    datetime object per cell. None when
    the column is not such a column or holds a day before 1900-03-01 (written cell by cell)."""
    if not (isinstance(values.dtype, np.dtype) and values.dtype.kind == "M"):
        return None
    blank = values.isna().to_numpy()
    stamps = values.to_numpy()
    if stamps.dtype == "datetime64[ns]":
        micros = stamps.view("int64") // 1000              # Timestamp → timedelta: ns dropped, floor
    elif stamps.dtype.itemsize == 8 and np.datetime_data(stamps.dtype)[0] in ("us", "ms", "s", "m", "h", "D"):
        micros = stamps.astype("datetime64[us]").view("int64")     # exact: microseconds or coarser
    else:
        return None
    if (micros[~blank] < _PLAIN_FROM_US).any():
        return None
    # the same float operations in the same order as per cell (an int day count below 2**53 is
    # the float numpy adds), a column at once; floor division as Python's divmod
    days, rest = np.divmod(micros - _EXCEL_EPOCH_US, _DAY_US)
    seconds, micro = np.divmod(rest, 1_000_000)
    serials = days.astype(float) + (seconds.astype(float) + micro.astype(float) / 1e6) / 86400 + 1
    return one_per_value(serials, blank)


def one_per_value(floats: np.ndarray, blank: np.ndarray) -> list[float | None]:
    """`floats` as a list (None where `blank`) holding one float object per distinct value, each
    cell a reference to it: a sheet keeps its columns until it is written, and at a year of VIP
    history a float per cell was ~50 MB of the workbook's 250 (a month of days, a few prices and
    points repeated over 300k rows). Values are told apart by their bits (-0.0 is not 0.0), so
    each cell is the very float `tolist` gave it."""
    codes, distinct = pd.factorize(np.ascontiguousarray(floats, dtype=np.float64).view(np.int64))
    pool: list[float | None] = [*distinct.view(np.float64).tolist(), None]
    if blank.any():
        codes[blank] = -1       # the pool's last entry
    return list(map(pool.__getitem__, codes.tolist()))


def _widest(values: pd.Series, kind: str) -> int:
    """The widest of a column's values as shown (0 for none); a date column's width is fixed."""
    if not len(values):
        return 0
    if kind in ("date", "datetime"):     # any date shows as wide as any other (`shown_width`)
        return (10 if kind == "date" else 16) if values.notna().any() else 0
    return max(shown_width(v, kind) for v in values.tolist())


#: Number kinds whose shown width and written float depend on a value's number only (not on the
#: places it was rounded to, as "decimal"'s do).
_BY_VALUE = frozenset(NUMERIC) - {"decimal"}


def _floats(items: list[Any]) -> np.ndarray | None:
    """A column of Decimal, int and float values (blank: None or NaN) as floats at once, NaN for a
    blank: the floats `float(to_decimal(v))` gives each (a Decimal's float is its text's float).
    None when the column holds anything else or an infinity (written cell by cell)."""
    kinds = set(map(type, items))
    if not kinds <= {Decimal, int, float, type(None)}:
        return None
    try:
        floats = np.array(items, dtype=float)
    except (ValueError, OverflowError):       # a signalling NaN, an int beyond a float
        return None
    return None if np.isinf(floats).any() else floats


def _number_column(items: list[Any], kind: str) -> tuple[list[float | None], int] | None:
    """A by-value number column's floats (None for blank) and widest shown width, its widths
    computed once per distinct value; None when it needs the cell-by-cell path."""
    floats = _floats(items)
    if floats is None:
        return None
    blank = np.isnan(floats)
    zero = floats == 0
    if (zero & np.signbit(floats)).any():     # -0 equals 0 but shows its sign: widths per value
        return None
    given = [v for v, b in zip(items, blank.tolist()) if not b]
    widest = max((shown_width(v, kind) for v in set(given)), default=0)
    return one_per_value(floats, blank), widest


def _date_column(values: pd.Series, kind: str) -> tuple[list[float | None], int] | None:
    """A naive date column's serial numbers and its (fixed) width; None: cell by cell."""
    serials = excel_serials(values)
    return None if serials is None else (serials, _widest(values, kind))


def _text_width(texts: list[str | None], kind: str) -> int:
    """`_widest` of a text or boolean column from its written strings, once per distinct one."""
    shown = {t for t in texts if t is not None}
    if kind == "bool":
        return 5 if shown else 0
    return max(map(display_width, shown), default=0)


def _given_at(values: list[Any]) -> Iterator[int]:
    """The indices of the values that are not None, ascending, found in C (`compress` over
    `is_not`): a column blank for its first 60,000 rows costs no Python step per row."""
    return compress(count(), map(is_not, values, repeat(None)))


def _first_given(values: list[Any]) -> int | None:
    """The index of the first value that is not None (None: all are)."""
    return next(_given_at(values), None)


@dataclass(eq=False)
class _Down:
    """A column of cells from row 1 down, kept as a list instead of a cell tuple each: floats
    (`kind` "n", each cell `CellNumberTuple(value, fmt)`) or shared-string indices ("s", each
    `CellStringTuple(index, fmt if its row is in `quoted` else None)`); None is no cell."""

    kind: str
    values: list[Any]
    fmt: Any
    quoted: frozenset[int] = frozenset()     # "s": the rows (0 = row 1) written with `fmt`
    fmts: list[Any] | None = None            # "n", "d": each row's format instead of `fmt`

    def cell(self, i: int) -> Any:
        """The cell tuple XlsxWriter's writer would have stored for row i + 1 (None: no cell)."""
        v = self.values[i] if i < len(self.values) else None
        if v is None:
            return None
        if self.kind == "s":
            return CellStringTuple(v, self.fmt if i in self.quoted else None)
        fmt = self.fmt if self.fmts is None else self.fmts[i]
        return CellNumberTuple(v, fmt) if self.kind == "n" else CellDatetimeTuple(v, fmt)


class _Worksheet(xlsxwriter.worksheet.Worksheet):
    """XlsxWriter's worksheet, its cells' XML written a row at a time: a number, date or (shared)
    string cell comes out as the very text `Worksheet._write_cell` (3.3) writes, without its
    attribute list and escaping per cell (a reference or a format index has nothing to escape);
    every other kind of cell, and a constant-memory sheet, goes through XlsxWriter's own writer.

    A table's number and text columns are kept as columns (`down`, see `_Down`), not as a cell
    tuple each in `table`: at a million orders the tuples, their dicts and the per-cell checks
    when writing them cost more than the XML itself. Each column's cells are formatted with one
    comprehension when the sheet is written, a row of them joined at once; a row that also has
    cells in `table` (the header, a cell written later, a row with a format) merges both, the
    later write winning, as in `table`. Whatever of XlsxWriter reads `table` itself gets the
    columns put back first (`_settle`)."""

    def __init__(self) -> None:
        super().__init__()
        self.down: dict[int, _Down] = {}

    def _settle(self) -> None:
        """Every `down` column's cells into `table` (a cell already there was written later)."""
        table = self.table
        for c, column in self.down.items():
            for i in range(len(column.values)):
                cell = column.cell(i)
                if cell is not None and c not in table.get(i + 1, ()):
                    table[i + 1][c] = cell
        self.down.clear()

    def autofit(self, *args: Any, **kwargs: Any) -> None:
        self._settle()      # XlsxWriter's autofit reads `table`
        super().autofit(*args, **kwargs)

    def _get_range_data(self, *args: Any) -> Any:
        self._settle()      # a chart's or table's cached data read from `table`
        return super()._get_range_data(*args)

    def _free_column(self, col: int) -> bool:
        """Whether `col` can be kept in `down`: not one already, no cell of it below the header in
        `table` (a cell written before would be overwritten), a sheet not constant-memory."""
        return (not self.constant_memory and col not in self.down
                and not any(col in cells for r, cells in self.table.items() if r >= 1))

    def _calculate_spans(self) -> None:
        """`Worksheet._calculate_spans` from each row's own cells (not every column of the sheet):
        the first and last column used in each block of 16 rows, 1-based."""
        if self.comments:
            self._settle()
            super()._calculate_spans()
            return
        blocks: dict[int, tuple[int, int]] = {}
        table, last = self.table, self.dim_rowmax
        low = high = -1
        for row_num in range(self.dim_rowmin, last + 1):
            cells = table.get(row_num)
            if cells:
                first, end = min(cells), max(cells)
                if low < 0:
                    low, high = first, end
                else:
                    low, high = min(low, first), max(high, end)
            if ((row_num + 1) % 16 == 0 or row_num == last) and low >= 0:
                blocks[row_num // 16] = (low, high)
                low = -1
        for c, column in self.down.items():
            values = column.values
            # values[i] is row i + 1 (0-based, as `table`), in block (i + 1) >> 4 of 16 rows
            if None in values:
                present = {(i + 1) >> 4 for i, v in enumerate(values) if v is not None}
            else:   # rows 1 to len(values): every block from the first to the last's
                present = set(range((len(values) >> 4) + 1)) if values else set()
            for block in present:
                low, high = blocks.get(block, (c, c))
                blocks[block] = (min(low, c), max(high, c))
        self.row_spans = {block: f"{low + 1}:{high + 1}" for block, (low, high) in sorted(blocks.items())}

    def _claim(self, col: int, values: list[Any]) -> bool:
        """`_check_dimensions` of each cell of `values` but None (rows 1 down) of `col` at once, as
        each cell's write does it; False when one is off the sheet or the sheet is constant-memory
        (cell by cell)."""
        first = _first_given(values)
        if first is None:
            return True
        first += 1
        last = len(values) - (_first_given(values[::-1]) or 0)     # a value is given: never None
        if self.constant_memory or last >= self.xls_rowmax or col >= self.xls_colmax:
            return False
        self._check_dimensions(first, col)
        self._check_dimensions(last, col)
        return True

    def numbers_down(self, col: int, values: list[float | None], fmt: Any) -> None:
        """`_write_number(row, col, value, fmt)` of each value but None, from row 1 down: finite
        floats (no NaN or infinity), so each cell is stored as that writer stores it."""
        if not self._claim(col, values):
            for r, v in enumerate(values, start=1):
                if v is not None:
                    self._write_number(r, col, v, fmt)
            return
        if self._free_column(col):
            self.down[col] = _Down("n", values, fmt)
            return
        table, make = self.table, tuple.__new__      # the cell tuple made directly
        for r, v in enumerate(values, start=1):
            if v is not None:
                table[r][col] = make(CellNumberTuple, (v, fmt))

    def strings_across(self, columns: dict[int, list[str | None]], quoted: Any) -> None:
        """`_write_string(row, col, text, quoted if it runs as a formula)` of each text but None,
        row by row from row 1 (the shared strings numbered in that order). The cells are stored
        as that writer stores them: the text's index as `_get_shared_string_index` (3.x) gives it
        (a new text the next number, every cell counted once) and the cell tuple made directly."""
        at = list(columns)
        fits = all(self._claim(c, texts) for c, texts in columns.items())   # else every text cell by cell
        table, half, strings = self.table, self.xls_strmax // 2, self.str_table
        if fits and columns and self._strings_down(columns, quoted):
            return
        known, make, counted = strings.string_table, tuple.__new__, 0
        for r, row in enumerate(zip(*columns.values()), start=1):
            cells = None
            for c, text in zip(at, row):
                if text is None:
                    continue
                fmt = quoted if text.startswith(FORMULA_START) else None
                if not fits or len(text) > half:
                    self._write_string(r, c, text, fmt)
                    continue
                index = known.get(text)
                if index is None:
                    index = known[text] = strings.unique_count
                    strings.unique_count += 1
                counted += 1
                if cells is None:
                    cells = table[r]
                cells[c] = make(CellStringTuple, (index, fmt))
        strings.count += counted

    def cells_down(self, col: int, cells: list[tuple[str, Any, Any] | None]) -> bool:
        """`writer(row, col, value, format)` of each (writer, value, format) but None, from row 1
        down, kept as a `down` column (each row's format its own) when every writer is
        `write_number` of a finite number or every one `write_datetime` (its serial number as
        XlsxWriter's own conversion gives it); False, nothing done, otherwise."""
        writers = {cell[0] for cell in cells if cell is not None}
        if len(writers) != 1 or not self._free_column(col):
            return False
        writer = writers.pop()
        if writer == "write_number":
            values = [None if cell is None else cell[1] for cell in cells]
            if not all(type(v) is float and math.isfinite(v) for v in values if v is not None):
                return False
            kind = "n"
        elif writer == "write_datetime":
            convert, default = self._convert_date_time, self.default_date_format
            values = [None if cell is None else convert(cell[1]) for cell in cells]
            kind = "d"
        else:
            return False
        if not self._claim(col, values):
            return False
        fmts = [None if cell is None else cell[2] if cell[2] is not None or kind == "n" else default
                for cell in cells]
        blank = np.fromiter((v is None for v in values), dtype=bool, count=len(values))
        floats = np.fromiter((0.0 if v is None else v for v in values), dtype=np.float64, count=len(values))
        self.down[col] = _Down(kind, one_per_value(floats, blank), None, fmts=fmts)
        return True

    def _strings_down(self, columns: dict[int, list[str | None]], quoted: Any) -> bool:
        """`strings_across` kept as `down` columns: every text numbered row by row (a new text the
        next number: the table's own count, which `_get_shared_string_index` keeps equal to its
        size), every cell counted once. False, nothing done, when a column cannot be kept
        (`_free_column`), a text is longer than half the cell limit, or the table's count is not
        its size."""
        strings = self.str_table
        known, half = strings.string_table, self.xls_strmax // 2
        lists = list(columns.values())
        if (len(known) != strings.unique_count or len({len(texts) for texts in lists}) > 1
                or not all(self._free_column(c) for c in columns)):
            return False
        # the texts row by row, each distinct one numbered once in the order it first shows
        # (`factorize` keeps that order; None is its -1): a new text gets the size before it
        texts = np.empty(sum(map(len, lists)), dtype=object)
        texts[:] = list(chain.from_iterable(zip(*lists)))
        codes, distinct = pd.factorize(texts)
        if max(map(len, distinct), default=0) > half:       # each distinct text measured once
            return False
        number = known.setdefault
        # each distinct text's index, the table's own int object (every cell of that text refers to
        # it: not an int per cell), and one more entry, last: what a blank's -1 picks
        indices: list[int | None] = [*(number(t, len(known)) for t in distinct), None]
        formula = np.fromiter((*(t.startswith(FORMULA_START) for t in distinct), False), dtype=bool)
        strings.unique_count = len(known)
        given = codes >= 0
        strings.count += int(given.sum())
        width = len(lists)
        pick = indices.__getitem__
        for k, c in enumerate(columns):
            shown, present = codes[k::width], given[k::width]
            values = list(map(pick, shown.tolist()))
            marked = frozenset(np.flatnonzero(present & formula[shown]).tolist())
            self.down[c] = _Down("s", values, quoted, marked)
        return True

    def cells_in_order(self, cells: Iterable[tuple[int, int, str, Any, Any]]) -> None:
        """`writer(row, col, value, format)` of each (row, col, writer, value, format) in order (the
        shared strings numbered in that order): a finite number of `write_number` and a text of
        `write_string` up to half the cell limit stored as those writers store them, the dimensions
        then checked once at the corners the stored cells reach; any other cell, a cell off the
        sheet and every cell of a constant-memory sheet through its writer.

        The stored cells' rows and columns are appended to two lists and their corners taken
        by `min`/`max` once at the end (in C), not four comparisons in Python per cell: at a
        million orders the payslips' 140,000 cells spent a third of their time on those."""
        if self.constant_memory:
            for r, c, writer, value, fmt in cells:
                getattr(self, writer)(r, c, value, fmt)
            return
        table, index, half = self.table, self.str_table._get_shared_string_index, self.xls_strmax // 2
        rows, cols, finite = self.xls_rowmax, self.xls_colmax, math.isfinite
        stored_rows: list[int] = []
        stored_cols: list[int] = []
        row_of, col_of = stored_rows.append, stored_cols.append
        for r, c, writer, value, fmt in cells:
            if 0 <= r < rows and 0 <= c < cols:
                if writer == "write_string":
                    if len(value) <= half:
                        table[r][c] = CellStringTuple(index(value), fmt)
                        row_of(r)
                        col_of(c)
                        continue
                elif writer == "write_number" and finite(value):
                    table[r][c] = CellNumberTuple(value, fmt)
                    row_of(r)
                    col_of(c)
                    continue
            getattr(self, writer)(r, c, value, fmt)
        if stored_rows:
            self._check_dimensions(min(stored_rows), min(stored_cols))
            self._check_dimensions(max(stored_rows), max(stored_cols))

    def _number_formats(self, column_formats: dict[int, Any]) -> bool:
        """Number every format the sheet's cells and rows show (`_get_xf_index`) in the order
        writing them cell by cell first shows each: row by row, a row's own format, then its cells
        by column, a cell's format its own, else its row's, else its column's. Then every row can
        be written from the columns' joined text (a format already numbered keeps its number).
        False, nothing numbered, when a cell in `table` lies over a `down` column below the
        header (which of the two is written decides the order: `_first_new_format`'s rows)."""
        table, down = self.table, self.down
        if not down:        # every cell in `table`: numbered as it is written, nothing to do first
            return True
        if self.dim_rowmin is None or any(c in down for r, cells in table.items() if r >= 1 for c in cells):
            return False
        low, high = self.dim_rowmin, self.dim_rowmax
        row_formats = {r: info.row_format for r, info in self.row_info.items()
                       if info.row_format and low <= r <= high}
        events: list[tuple[int, int, Any]] = [(r, -1, fmt) for r, fmt in row_formats.items()]
        for r, cells in table.items():
            if low <= r <= high:
                for c, cell in cells.items():
                    fmt = cell.format or row_formats.get(r) or column_formats.get(c)
                    if fmt:
                        events.append((r, c, fmt))
        for c, column in down.items():
            values, at = column.values, column_formats.get(c)
            if column.fmts is not None:     # each row's own format: the first row of each
                seen: set[int] = set()
                for i in _given_at(values):
                    fmt = column.fmts[i] or row_formats.get(i + 1) or at
                    if fmt and id(fmt) not in seen:
                        seen.add(id(fmt))
                        events.append((i + 1, c, fmt))
                continue
            own = column.fmt if column.kind != "s" else None     # "s": `fmt` on the quoted rows only
            if column.kind == "s" and column.quoted and column.fmt:
                events.append((min(column.quoted) + 1, c, column.fmt))
            if own:
                first = _first_given(values)
                if first is not None:
                    events.append((first + 1, c, own))
                continue
            if at:      # a cell without a format of its own shows its row's, else its column's
                quoted = column.quoted if column.kind == "s" else frozenset()
                first = next((i for i in _given_at(values) if i not in quoted and i + 1 not in row_formats), None)
                if first is not None:
                    events.append((first + 1, c, at))
        for _, _, fmt in sorted(events, key=lambda event: event[:2]):
            fmt._get_xf_index()
        return True

    def _first_new_format(self, column_formats: dict[int, Any]) -> int:
        """The last row where a `down` column's cells first show a format without its number yet
        (0: none): the row its number is given in when the sheet is written cell by cell."""
        def new(fmt: Any) -> bool:
            return (fmt is not None and fmt.xf_index is None
                    and fmt._get_format_key() not in fmt.xf_format_indices)

        last = 0
        for c, column in self.down.items():
            values, quoted = column.values, column.quoted
            firsts: list[tuple[Any, bool | None]]
            if column.fmts is not None:     # each row's format: the first row of each
                shown: dict[int, tuple[Any, int]] = {}
                for i, (v, fmt) in enumerate(zip(values, column.fmts)):
                    if v is not None:
                        fmt = fmt or column_formats.get(c)
                        shown.setdefault(id(fmt), (fmt, i))
                for fmt, i in shown.values():
                    if new(fmt):
                        last = max(last, i + 1)
                continue
            if column.kind == "n":
                firsts = [(column.fmt or column_formats.get(c), None)]
            else:
                firsts = [(column.fmt, True), (column_formats.get(c), False)]
            for fmt, marked in firsts:      # marked: the cells of a quoted row, or the others
                if new(fmt):
                    first = next((i for i, v in enumerate(values)
                                  if v is not None and (marked is None or (i in quoted) == marked)), None)
                    if first is not None:
                        last = max(last, first + 1)
        return last

    def _down_rows(self, styles: dict[Any, str], column_formats: dict[int, Any], start: int) -> list[str]:
        """The `down` cells of `_DOWN_ROWS` rows from row `start` + 1 (as `_write_rows` writes them
        when a row has no format of its own), each row's in column order ("" for a row without
        one): a block at a time, so a million rows' cell texts are never all held at once."""
        def style(fmt: Any) -> str:
            if not fmt:
                return ""
            found = styles.get(fmt)
            if found is None:
                found = styles[fmt] = f' s="{fmt._get_xf_index()}"'
            return found

        stop = start + _DOWN_ROWS
        height = min(max(len(column.values) for column in self.down.values()), stop) - start
        rows = list(map(str, range(start + 2, start + 2 + height)))    # the row numbers, made once a block
        texts: list[list[str]] = []
        for c in sorted(self.down):
            column = self.down[c]
            name, values = xl_col_to_name(c), column.values[start:stop]
            given = len(values) - values.count(None)
            if not given:      # no cell: no format to number
                cells = [""] * len(values)
            elif column.fmts is not None:
                fmts, at = column.fmts[start:stop], column_formats.get(c)
                # each format's attribute once, in the order its first cell shows it (as cell by cell)
                styled = {f: style(f or at) for f in dict.fromkeys(f for f, v in zip(fmts, values) if v is not None)}
                cells = ["" if v is None else f'<c r="{name}{r}"{styled[f]}><v>{v:.16G}</v></c>'
                         for r, v, f in zip(rows, values, fmts)]
            elif column.kind != "s":
                head, tail = f'<c r="{name}', f'"{style(column.fmt or column_formats.get(c))}><v>'
                cells = ["" if v is None else f"{head}{r}{tail}{v:.16G}</v></c>" for r, v in zip(rows, values)]
            else:
                quoted = column.quoted
                marks = sum(1 for i in quoted if start <= i < stop) if quoted else 0
                plain = style(column_formats.get(c)) if marks < given else ""
                marked = style(column.fmt) if marks else ""
                head, tail = f'<c r="{name}', f'"{plain} t="s"><v>'
                cells = ["" if v is None else
                         f'<c r="{name}{r}"{marked if i in quoted else plain} t="s"><v>{v}</v></c>'
                         for i, r, v in zip(count(start), rows, values)] if marks else [
                         "" if v is None else f"{head}{r}{tail}{v}</v></c>" for r, v in zip(rows, values)]
            cells.extend([""] * (height - len(cells)))
            texts.append(cells)
        return list(map("".join, zip(*texts)))

    def _write_rows(self) -> None:
        if self.constant_memory or self.comments:
            self._settle()
            super()._write_rows()
            return
        self._calculate_spans()
        table, row_info, spans, write = self.table, self.row_info, self.row_spans, self.fh.write
        columns: dict[int, str] = {}
        styles: dict[Any, str] = {}     # a format's attribute (its index is fixed while the sheets are written)
        column_formats = {c: info.column_format for c, info in self.col_info.items()
                          if info.column_format is not None}
        # a row without row_info at the default height: `_write_row`'s <row> is its number and spans
        plain_rows = self.default_row_height == self.original_row_height and self.excel_version != 2010
        down = self.down
        rows_down = max((len(column.values) for column in down.values()), default=0)
        # a format is numbered when first written (`_get_xf_index`), and styles.xml lists them in that
        # order: the rows up to the last where a `down` column first shows a format not yet numbered
        # are written cell by cell, the rest from the columns' joined text
        ready = 0 if self._number_formats(column_formats) else self._first_new_format(column_formats)
        joined: list[str] = []
        block = 0       # the first row (0 = row 1) of `joined`
        for row_num in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = table.get(row_num)
            info = row_info.get(row_num)
            if 1 <= row_num <= rows_down:
                filled = True
                if row_num > ready:
                    if not block <= row_num - 1 < block + len(joined):
                        block = row_num - 1
                        joined = self._down_rows(styles, column_formats, block)
                    if not cells and info is None and plain_rows:
                        text = joined[row_num - 1 - block]
                        if text:
                            span = spans.get(row_num // 16)
                            write(f'<row r="{row_num + 1}" spans="{span}">{text}</row>' if span else
                                  f'<row r="{row_num + 1}">{text}</row>')
                        continue
                    filled = bool(joined[row_num - 1 - block])
                if filled:      # the row's `down` cells merged with its `table` ones (written later)
                    merged = {c: column.cell(row_num - 1) for c, column in sorted(down.items())}
                    cells = {c: cell for c, cell in merged.items() if cell is not None} | (cells or {})
            if not cells:
                if info is not None:
                    self._write_empty_row(row_num, spans.get(row_num // 16), info)
                continue
            number = str(row_num + 1)
            span = spans.get(row_num // 16)
            parts: list[str] = []
            if info is None and plain_rows:
                parts.append(f'<row r="{number}" spans="{span}">' if span else f'<row r="{number}">')
            else:
                self._write_row(row_num, span, info)
            row_format = info.row_format if info is not None else None
            for col_num in sorted(cells):
                cell = cells[col_num]
                kind = type(cell)
                if kind is not CellNumberTuple and kind is not CellStringTuple and kind is not CellDatetimeTuple:
                    write("".join(parts))
                    parts.clear()
                    self._write_cell(row_num, col_num, cell)
                    continue
                name = columns.get(col_num)
                if name is None:
                    name = columns[col_num] = xl_col_to_name(col_num)
                fmt = cell.format or row_format or column_formats.get(col_num)
                style = styles.get(fmt, "")
                if fmt and not style:
                    style = styles[fmt] = f' s="{fmt._get_xf_index()}"'
                if kind is CellStringTuple:
                    parts.append(f'<c r="{name}{number}"{style} t="s"><v>{cell.string}</v></c>')
                else:
                    parts.append(f'<c r="{name}{number}"{style}><v>{cell.number:.16G}</v></c>')
            parts.append("</row>")
            write("".join(parts))


#: a shared string XlsxWriter's `SharedStrings._write_si` (3.3) changes or marks: a control
#: character, a literal `_xHHHH_`, a non-character, XML's `& < >`, or whitespace at either end
_SST_CAREFUL = re.compile(r"[\x00-\x1f&<>\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$")

_SST_BATCH = 4096   # strings joined per write
_DOWN_ROWS = 8192   # rows of `down` cells made at a time


class _SharedStrings(xlsxwriter.sharedstrings.SharedStrings):
    """XlsxWriter's sharedStrings.xml, a plain string written as the very `<si><t>…</t></si>`
    `_write_si` writes for it (nothing to escape, no whitespace to preserve, not a rich string),
    many per write; any other string through `_write_si` itself, in the table's order."""

    def _write_sst_strings(self) -> None:
        careful, write = _SST_CAREFUL.search, self.fh.write
        parts: list[str] = []
        for string in self.string_table.string_array:
            if type(string) is str and careful(string) is None:
                parts.append(f"<si><t>{string}</t></si>")
                if len(parts) < _SST_BATCH:
                    continue
            else:
                write("".join(parts))
                parts.clear()
                self._write_si(string)
                continue
            write("".join(parts))
            parts.clear()
        write("".join(parts))


class _Packager(xlsxwriter.packager.Packager):
    def _write_shared_strings_file(self) -> None:
        """`Packager._write_shared_strings_file` (3.3) with `_SharedStrings`."""
        if not self.workbook.str_table.count:
            return
        sst = _SharedStrings()
        sst.string_table = self.workbook.str_table
        sst._set_xml_writer(self._filename("xl/sharedStrings.xml"))
        sst._assemble_xml_file()


class _Book(xlsxwriter.Workbook):
    worksheet_class = _Worksheet      # what `add_worksheet` makes when given no class (3.x)

    def _get_packager(self) -> xlsxwriter.packager.Packager:
        return _Packager()      # XlsxWriter's hook for its packager


@dataclass(frozen=True)
class PrintSetup:
    """What a sheet declares about its printing; the rest is the same for every sheet."""

    rows: int = 0                   # header rows repeated at the top of every page
    columns: int = 0                # leading columns repeated at the left (工号, 姓名)
    landscape: bool | None = None   # None: landscape when wider than a portrait page


class Workbook:
    """A thin wrapper holding the formats one workbook shares, and how its sheets print: `company`
    and `period` go in every page's header, `lang` words the footer."""

    def __init__(self, path: Path, lang: str = "zh", *, company: str = "", period: str = ""):
        self.path = path
        self.lang = lang
        self.company = company
        self.period = period
        self.printing: dict[str, PrintSetup] = {}
        # XlsxWriter writes each part to a temporary file before zipping: in the workbook's own
        # folder (the close's staging folder), not the system's, so that a close killed midway
        # leaves them where its staging folder's cleanup removes them, and a full disk is the
        # output's disk, the one the close checked
        self.book = _Book(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                      "strings_to_numbers": False, "tmpdir": str(Path(path).parent)})
        self.header = self.book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                            "text_wrap": True, "valign": "vcenter"})
        self.formats = {k: self.book.add_format({"num_format": f}) for k, f in NUMBER_FORMATS.items()}
        self.places: dict[int, Any] = {}
        self.quoted = self.book.add_format({"quote_prefix": True})
        self.bold = self.book.add_format({"bold": True})
        self.wrap = self.book.add_format({"text_wrap": True, "valign": "top"})

    def decimal_format(self, value: Decimal):
        """A decimal shows the places it was rounded to: 0.9226 as 0.9226 (not 0.92), 66 as 66."""
        n = min(places(value), 10)
        if n not in self.places:
            self.places[n] = self.book.add_format({"num_format": "0." + "0" * n if n else "0"})
        return self.places[n]

    def write_value(self, ws, r: int, c: int, value: Any, kind: str) -> None:
        """One cell; a boolean is the workbook language's word for it (是/否), never TRUE/FALSE."""
        cell = self.cell(value, kind)
        if cell is not None:      # a blank cell without a format is no cell at all (XlsxWriter)
            write, shown, fmt = cell
            getattr(ws, write)(r, c, shown, fmt)

    def cell(self, value: Any, kind: str) -> tuple[str, Any, Any] | None:
        """How a value is written: (worksheet method, what it writes, format); None when blank."""
        if is_blank(value):
            return None
        if kind == "decimal":
            d = to_decimal(value)
            return "write_number", float(d), self.decimal_format(d)
        if kind in NUMERIC:
            return "write_number", float(value if isinstance(value, Decimal) else to_decimal(value)), self.formats[kind]
        if kind in ("date", "datetime"):
            stamp = value if isinstance(value, dt.datetime) else pd.Timestamp(value).to_pydatetime()
            return "write_datetime", stamp, self.formats[kind]
        if kind == "bool":
            return "write_string", yes_no(self.lang, bool(value)), None
        text = str(value)
        return "write_string", text, self.quoted if runs_as_formula(text) else None

    def column_cells(self, values: pd.Series, kind: str) -> list[tuple[str, Any, Any] | None]:
        """`cell` for a whole column; a naive date column's serial numbers are computed at once
        (the same numbers `write_datetime` stores, written as numbers with the date format)."""
        if kind in ("date", "datetime"):
            serials = excel_serials(values)
            if serials is not None:
                fmt = self.formats[kind]
                return [None if v is None else ("write_number", v, fmt) for v in serials]
        cell = self.cell
        return [cell(v, kind) for v in values.tolist()]

    def prints(self, ws, *, rows: int = 0, columns: int = 0, landscape: bool | None = None) -> None:
        """Declare how a sheet prints where it differs from the rest (see `PrintSetup`)."""
        self.printing[ws.name] = PrintSetup(rows, columns, landscape)

    def texts(self, values: list[Any], kind: str) -> list[str | None]:
        """A text or boolean column as the strings `cell` writes (None for blank)."""
        if kind == "bool":
            yes, no = yes_no(self.lang, True), yes_no(self.lang, False)
            return [None if is_blank(v) else yes if v else no for v in values]
        return [v if type(v) is str else None if is_blank(v) else str(v) for v in values]

    def add_table_sheet(self, table: Table, frame: pd.DataFrame, lang: str, *, filters: bool = True,
                        bold_last_row: bool = False) -> None:
        """A sheet of `table`'s columns: each column converted at once (numbers and dates written
        column by column, text row by row so the shared strings keep their order), widths computed
        once per distinct value; the file comes out as writing `cell` by cell made it."""
        ws = self.book.add_worksheet(table.title(lang))
        texts: dict[int, list[str | None]] = {}
        numbers: dict[int, tuple[list[float | None], Any]] = {}
        cells: dict[int, list[tuple[str, Any, Any] | None]] = {}
        head_lines = 1
        for c, col in enumerate(table.columns):
            label = col.label(lang)
            ws.write_string(0, c, label, self.header)
            series = frame[col.name]
            dates = col.kind in ("date", "datetime")
            items = [] if dates else series.tolist()      # a date column's Timestamps: only if written cell by cell
            number = (_number_column(items, col.kind) if col.kind in _BY_VALUE else
                      _date_column(series, col.kind) if dates else None)
            if col.kind in NUMERIC or dates:
                if number is not None:
                    numbers[c] = (number[0], self.formats[col.kind])
                    values = number[1]
                else:
                    cells[c] = self.column_cells(series, col.kind)
                    values = _widest(series, col.kind)
            else:
                texts[c] = self.texts(items, col.kind)
                values = _text_width(texts[c], col.kind)
            head = display_width(label)
            width = min(max(values, min(head, max(values, 12))), WIDEST) + 2
            ws.set_column(c, c, width, self.wrap if values > WIDEST else None)
            head_lines = max(head_lines, math.ceil(head * 1.1 / (width - 1)))   # a CJK character: 2.2
        if head_lines > 1:
            ws.set_row(0, 15 * head_lines + 2)
        last = len(frame)
        if bold_last_row and last:
            ws.set_row(last, None, self.bold)
        # the dimensions checked once a column, each cell stored as XlsxWriter's own writer stores it
        for c, (floats, fmt) in numbers.items():
            ws.numbers_down(c, floats, fmt)
        writers = {name: getattr(ws, name) for name in ("write_number", "write_string", "write_datetime")}
        for c, column in cells.items():
            if ws.cells_down(c, column):
                continue
            for r, cell in enumerate(column, start=1):
                if cell is not None:
                    writers[cell[0]](r, c, cell[1], cell[2])
        ws.strings_across(texts, self.quoted)
        ws.freeze_panes(1, 0)
        if filters:
            ws.autofilter(0, 0, max(len(frame), 1), len(table.columns) - 1)
        keys = next((i for i, name in enumerate(table.names) if name not in KEY_COLUMNS), len(table.names))
        self.prints(ws, rows=1, columns=keys)

    def _print_setup(self, ws) -> None:
        """A4, one page wide, the orientation its width needs, the repeated titles it declared,
        company and period above, page numbers below."""
        setup = self.printing.get(ws.name, PrintSetup())
        # XlsxWriter keeps the last column written and each set width in pixels (3.3: `dim_colmax`,
        # `col_info`; a character is 7 px plus 5 of padding; an unset column is 64 px, 8.43)
        last = ws.dim_colmax if ws.dim_colmax is not None else 0
        pixels = {c: info.width for c, info in ws.col_info.items() if info.width is not None}
        wide = sum(max(pixels.get(c, 64) - 5, 0) / 7 for c in range(last + 1)) > PORTRAIT_WIDTH
        ws.set_paper(9)
        if setup.landscape if setup.landscape is not None else wide:
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.75, bottom=0.75)
        if setup.rows:
            ws.repeat_rows(0, setup.rows - 1)
        if setup.columns:
            ws.repeat_columns(0, setup.columns - 1)
        left = f"&L{self.company[:80].replace('&', '&&')}" if self.company else ""     # & alone is a code
        right = f"&R{self.period[:40].replace('&', '&&')}" if self.period else ""
        ws.set_header(f"{left}&C&A{right}", {"margin": 0.3})                           # &A: the sheet's name
        ws.set_footer("&C" + word(self.lang, PAGE_OF).format(page="&P", pages="&N"), {"margin": 0.3})

    def close(self) -> Path:
        for ws in self.book.worksheets():
            self._print_setup(ws)
        try:
            self.book.close()
        except xlsxwriter.exceptions.FileCreateError as exc:
            # XlsxWriter wraps the OSError of a full disk or a file-size limit in its own exception:
            # unwrap it, so the close reports an environment fault, not a bug in csbatch
            cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else exc.__context__
            if isinstance(cause, OSError):
                raise cause from None
            raise
        finally:
            self._forget_cells()
        return self.path

    def _forget_cells(self) -> None:
        """Free the sheets' cells once the file is written (or failed): XlsxWriter's workbook and
        its worksheets refer to each other, so otherwise they wait for the cyclic collector, which
        a close runs rarely (`closing.runner`): at a million orders the month's workbooks kept
        1.7 million cells alive through the publish stage, its peak of memory."""
        for ws in self.book.worksheets():
            ws.table.clear()
            if isinstance(ws, _Worksheet):
                ws.down.clear()
        self.book.str_table.string_array.clear()     # the shared strings, once written
