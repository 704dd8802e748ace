"""Issue 14 (round 4): a workbook's sheets write their cells' XML a row at a time
(`csbatch.reports.workbook._Worksheet`). The sheet XML comes out byte for byte as XlsxWriter's own
writer makes it: numbers, dates and strings with a cell, row or column format or none, rows with
only a format or a height, gaps between rows and columns, and cells of other kinds (a formula, a
boolean, a blank with a format, a rich string, a comment) mixed in."""

from __future__ import annotations

import datetime as dt
import random
import zipfile
from pathlib import Path

import xlsxwriter

from csbatch.reports.workbook import Workbook, _Book


def _fill(book: xlsxwriter.Workbook, seed: int, *, others: bool, comments: bool = False) -> None:
    rnd = random.Random(seed)
    formats = [None, *(book.add_format(f) for f in ({"bold": True}, {"num_format": "0.00"},
                                                    {"num_format": "yyyy-mm-dd"}, {"text_wrap": True}))]
    ws = book.add_worksheet("data")
    ws.set_column(2, 3, 20, formats[1])
    ws.set_column(6, 6, 30)
    ws.set_row(5, 30)
    ws.set_row(7, None, formats[4])
    ws.set_row(40, 20)                           # a row with only a height, past every cell
    for r in range(0, 60):
        if r % 11 == 10:
            continue                             # a gap
        for c in rnd.sample(range(0, 40), rnd.randint(0, 12)):
            fmt = rnd.choice(formats)
            pick = rnd.random()
            if pick < 0.35:
                ws.write_number(r, c, rnd.choice([0.0, -0.0, 1 / 3, 1e20, -12.5, 7, 1e-9]), fmt)
            elif pick < 0.7:
                ws.write_string(r, c, rnd.choice(["a", " lead", "<&>\"'", "中文", "=1+1", "x" * 50]), fmt)
            elif pick < 0.8:
                ws.write_datetime(r, c, dt.datetime(2026, 10, rnd.randint(1, 31), 9, 30), formats[3])
            elif others and pick < 0.85:
                ws.write_formula(r, c, "=1+2", fmt, 3)
            elif others and pick < 0.9:
                ws.write_boolean(r, c, rnd.random() < 0.5, fmt)
            elif others and pick < 0.95:
                ws.write_blank(r, c, None, formats[1])
            elif others:
                ws.write_rich_string(r, c, "x", formats[1], "bold", " y")
    if comments:
        ws.write_comment(3, 3, "a note")
        ws.write_comment(50, 45, "far away")
    ws.freeze_panes(1, 0)


def _sheets(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()
                if n.startswith("xl/worksheets/") or n in ("xl/sharedStrings.xml", "xl/styles.xml")}


def test_rows_come_out_as_xlsxwriter_writes_them(tmp_path: Path) -> None:
    for seed in range(6):
        for others in (False, True):
            for comments in (False, True):
                for kind, name in ((xlsxwriter.Workbook, "stock"), (_Book, "fast")):
                    book = kind(str(tmp_path / f"{name}.xlsx"), {})
                    _fill(book, seed, others=others, comments=comments)
                    book.close()
                assert _sheets(tmp_path / "fast.xlsx") == _sheets(tmp_path / "stock.xlsx"), (seed, others, comments)


def test_constant_memory_sheets_are_left_to_xlsxwriter(tmp_path: Path) -> None:
    for kind, name in ((xlsxwriter.Workbook, "stock"), (_Book, "fast")):
        book = kind(str(tmp_path / f"{name}.xlsx"), {"constant_memory": True})
        ws = book.add_worksheet()
        for r in range(30):
            ws.write_number(r, 0, r / 7)
            ws.write_string(r, 2, f"row {r}")
        book.close()
    assert _sheets(tmp_path / "fast.xlsx") == _sheets(tmp_path / "stock.xlsx")


def test_the_wrapper_writes_with_the_fast_sheets(tmp_path: Path) -> None:
    book = Workbook(tmp_path / "w.xlsx")
    assert type(book.book.add_worksheet("x")).__name__ == "_Worksheet"


def test_plain_rows_other_heights_and_2010_data_bars_are_xlsxwriter_s_rows(tmp_path: Path) -> None:
    """A row without a format or height opens as `<row r= spans=>` written at once; a sheet whose
    default row height changed, or one a 2010 data bar turns into an Excel 2010 sheet, leaves the
    row's tag to XlsxWriter."""
    for setup in ("plain", "default_height", "hidden_default", "data_bar_2010"):
        for seed in range(3):
            for kind, name in ((xlsxwriter.Workbook, "stock"), (_Book, "fast")):
                book = kind(str(tmp_path / f"{name}.xlsx"), {})
                _fill(book, seed, others=True)
                ws = book.get_worksheet_by_name("data")
                if setup == "default_height":
                    ws.set_default_row(24)
                elif setup == "hidden_default":
                    ws.set_default_row(hide_unused_rows=True)
                elif setup == "data_bar_2010":
                    ws.conditional_format(0, 0, 59, 0, {"type": "data_bar", "data_bar_2010": True})
                for r in range(60, 90):                 # rows past 16-row blocks, a cell in one column
                    ws.write_number(r, 1 + r % 3, r)
                book.close()
            assert _sheets(tmp_path / "fast.xlsx") == _sheets(tmp_path / "stock.xlsx"), (setup, seed)


def test_cells_in_order_are_the_writers_cells(tmp_path: Path) -> None:
    """`_Worksheet.cells_in_order` stores what `write_number` and `write_string` store, in the same
    order (shared strings), with the same dimensions; a long text, a date, a cell off the sheet
    and a constant-memory sheet through the writers."""
    for seed in range(5):
        for memory in (False, True):
            rnd = random.Random(seed)
            fmt_specs = [{"bold": True}, {"num_format": "0.00"}, {"num_format": "yyyy-mm-dd"}]
            cells = []
            for _ in range(400):
                r, c = rnd.randint(2, 80) if not memory else len(cells) // 5 + 2, rnd.randint(1, 30)
                pick = rnd.random()
                if pick < 0.45:
                    cells.append((r, c, "write_string", rnd.choice(["a", "中文", "<&>", "=1+1", "y" * 20000]), 0))
                elif pick < 0.9:
                    cells.append((r, c, "write_number", rnd.choice([0.0, -1.5, 1e20, 7]), 1))
                elif pick < 0.95:
                    cells.append((r, c, "write_datetime", dt.datetime(2026, 10, 5, 8), 2))
                else:
                    cells.append((rnd.choice([r, 1_048_576]), rnd.choice([c, 16_384]), "write_number", 3.0, None))
            for kind, name in ((xlsxwriter.Workbook, "stock"), (_Book, "fast")):
                book = kind(str(tmp_path / f"{name}.xlsx"), {"constant_memory": memory})
                formats = [book.add_format(f) for f in fmt_specs]
                ws = book.add_worksheet("x")
                placed = [(r, c, w, v, None if f is None else formats[f]) for r, c, w, v, f in cells]
                if kind is _Book:
                    ws.cells_in_order(iter(placed))
                else:
                    for r, c, w, v, f in placed:
                        getattr(ws, w)(r, c, v, f)
                book.close()
            assert _sheets(tmp_path / "fast.xlsx") == _sheets(tmp_path / "stock.xlsx"), (seed, memory)
