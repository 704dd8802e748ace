"""Round 19: `_Worksheet.cells_in_order` takes the stored cells' corners once at the end (two lists
and `min`/`max`) instead of four comparisons per cell. The old form is kept here; both are run on
the same cells and must leave the same table, shared strings, dimensions and XML."""

from __future__ import annotations

import math
import zipfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from xlsxwriter.worksheet import CellNumberTuple, CellStringTuple

from csbatch.reports.workbook import _Book, _Worksheet


def _old_cells_in_order(self: _Worksheet, cells: Any) -> None:
    """`cells_in_order` as it was before round 19."""
    table, index, half = self.table, self.str_table._get_shared_string_index, self.xls_strmax // 2
    rows, cols, fast = self.xls_rowmax, self.xls_colmax, not self.constant_memory
    low_row = low_col = high_row = high_col = -1
    for r, c, writer, value, fmt in cells:
        if fast and 0 <= r < rows and 0 <= c < cols and (
                (writer == "write_string" and len(value) <= half)
                or (writer == "write_number" and math.isfinite(value))):
            table[r][c] = (CellStringTuple(index(value), fmt) if writer == "write_string"
                           else CellNumberTuple(value, fmt))
            if low_row < 0:
                low_row, high_row, low_col, high_col = r, r, c, c
            else:
                low_row, high_row = min(low_row, r), max(high_row, r)
                low_col, high_col = min(low_col, c), max(high_col, c)
        else:
            getattr(self, writer)(r, c, value, fmt)
    if low_row >= 0:
        self._check_dimensions(low_row, low_col)
        self._check_dimensions(high_row, high_col)


_TEXTS = st.one_of(st.sampled_from(["", "a", "中文", "<&>", "=1+1", " x ", "_x0041_", "y" * 16384, "y" * 16383]),
                   st.text(max_size=8))
_NUMBERS = st.one_of(st.sampled_from([0.0, -0.0, math.nan, math.inf, -math.inf, 1e308, -1.5]),
                     st.floats(allow_nan=True, allow_infinity=True))
_ROWS = st.one_of(st.integers(0, 60), st.sampled_from([-1, 1_048_575, 1_048_576]))
_COLS = st.one_of(st.integers(0, 20), st.sampled_from([-1, 16_383, 16_384]))
_CELL = st.one_of(st.tuples(_ROWS, _COLS, st.just("write_string"), _TEXTS, st.sampled_from([None, 0])),
                  st.tuples(_ROWS, _COLS, st.just("write_number"), _NUMBERS, st.sampled_from([None, 1])))


def _write(path: Path, cells: list[tuple], memory: bool, old: bool) -> tuple[Any, ...]:
    # tmpdir: XlsxWriter leaves its constant-memory row file behind for a sheet with no cell
    book = _Book(str(path), {"constant_memory": memory, "nan_inf_to_errors": True, "tmpdir": str(path.parent)})
    formats = [book.add_format({"bold": True}), book.add_format({"num_format": "0.00"})]
    ws = book.add_worksheet("x")
    placed = [(r, c, w, v, None if f is None else formats[f]) for r, c, w, v, f in cells]
    (_old_cells_in_order if old else _Worksheet.cells_in_order)(ws, iter(placed))
    def plain(cell: Any) -> tuple:   # a format as its place in `formats` (Format compares by identity)
        return (type(cell).__name__, *(next(i for i, f in enumerate(formats) if f is v) if v in formats else v
                                       for v in cell))

    table = {r: {c: plain(cell) for c, cell in row.items()} for r, row in ws.table.items()}
    state = (table, dict(ws.str_table.string_table), ws.str_table.count,
             ws.str_table.unique_count, ws.dim_rowmin, ws.dim_rowmax, ws.dim_colmin, ws.dim_colmax)
    book.close()
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}
    return (*state, parts) if not memory else (parts,)


@settings(max_examples=25, deadline=None)
@given(cells=st.lists(_CELL, max_size=40), memory=st.booleans())
def test_cells_in_order_as_before(tmp_path_factory: Any, cells: list[tuple], memory: bool) -> None:
    folder = tmp_path_factory.mktemp("cells")
    if memory:   # constant memory writes rows in order only
        cells = sorted(cells, key=lambda cell: cell[0])
    assert _write(folder / "new.xlsx", cells, memory, False) == _write(folder / "old.xlsx", cells, memory, True)


def test_payslip_like_cells_as_before(tmp_path: Path) -> None:
    """Header and value strips, as `add_payslips` writes them, many rows."""
    cells = []
    for strip in range(300):
        for c in range(6):
            cells.append((3 * strip, c, "write_string", f"label{c}", 0))
            cells.append((3 * strip + 1, c, "write_number" if c > 1 else "write_string",
                          strip * 1.25 - c if c > 1 else f"E{strip}", None))
    assert _write(tmp_path / "new.xlsx", cells, False, False) == _write(tmp_path / "old.xlsx", cells, False, True)
