"""Issue 14 (round 13): a table sheet's number and text columns are kept as columns (`_Worksheet.down`)
and their cells' XML joined a row at a time, not a cell tuple each in XlsxWriter's table. The file
must come out as writing every cell through `Workbook.cell` made it: the same sheet XML, shared
strings and styles.xml (whose formats are numbered in the order the cells first show them), byte
for byte, also when a cell is written over a kept column afterwards, a row has a format of its own,
a formula-looking text first shows up far down, a column is all blank, or XlsxWriter reads the
table itself (comments, autofit)."""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csbatch.reports.tables import Col, Table
from csbatch.reports.workbook import KEY_COLUMNS, WIDEST, Workbook, _widest, _Worksheet, display_width


def _cell_by_cell(book: Workbook, table: Table, frame: pd.DataFrame, lang: str, *, filters: bool = True,
                  bold_last_row: bool = False) -> None:
    """`add_table_sheet` as it was before issue 14's round 3: every cell through `Workbook.cell`."""
    ws = book.book.add_worksheet(table.title(lang))
    head_lines = 1
    for c, col in enumerate(table.columns):
        label = col.label(lang)
        ws.write_string(0, c, label, book.header)
        values = _widest(frame[col.name], col.kind)
        head = display_width(label)
        width = min(max(values, min(head, max(values, 12))), WIDEST) + 2
        ws.set_column(c, c, width, book.wrap if values > WIDEST else None)
        head_lines = max(head_lines, math.ceil(head * 1.1 / (width - 1)))
    if head_lines > 1:
        ws.set_row(0, 15 * head_lines + 2)
    if bold_last_row and len(frame):
        ws.set_row(len(frame), None, book.bold)
    for r, values in enumerate(frame[table.names].itertuples(index=False), start=1):
        for c, col in enumerate(table.columns):
            book.write_value(ws, r, c, values[c], col.kind)
    ws.freeze_panes(1, 0)
    if filters:
        ws.autofilter(0, 0, max(len(frame), 1), len(table.columns) - 1)
    keys = next((i for i, name in enumerate(table.names) if name not in KEY_COLUMNS), len(table.names))
    book.prints(ws, rows=1, columns=keys)


def _parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n.startswith("xl/")}


TABLE = Table("t", "Sheet", (
    Col("employee_id", "id", "employee id"), Col("name", "text", "name"), Col("pay", "money", "pay"),
    Col("rate", "rate", "share"), Col("n", "int", "count"), Col("note", "text", "note"),
    Col("at", "datetime", "due at"), Col("points", "decimal", "points"), Col("seen", "datetime", "seen at"),
    Col("day", "date", "day")))
SMALL = Table("s", "Other", (Col("name", "text", "name"), Col("pay", "money", "pay"), Col("note", "text", "a note")))


def _frame(n: int, *, quoted_at: int | None = None, blank_pay: bool = False, long_note: bool = False) -> pd.DataFrame:
    notes = [None if i % 7 == 3 else f"note {i % 5}" for i in range(n)]
    if quoted_at is not None and quoted_at < n:
        notes[quoted_at] = "=SUM(A1)"
    if long_note and n:
        notes[0] = "宽" * 70      # wider than WIDEST: the column wraps (a column format)
    return pd.DataFrame({
        "employee_id": [f"E{i % 9}" for i in range(n)],
        "name": ["张三" if i % 3 else None for i in range(n)],
        "pay": [None] * n if blank_pay else [Decimal(i) / 4 if i % 5 else None for i in range(n)],
        "rate": [i / 7 for i in range(n)],
        "n": [i if i % 11 else None for i in range(n)],
        "note": notes,
        "at": pd.date_range("2026-10-01", periods=n, freq="37min"),
        "points": [Decimal("1.25") if i % 2 else Decimal(i) / 8 if i % 3 else None for i in range(n)],
        # datetimes as objects (not a datetime64 column): written cell by cell before round 13
        "seen": pd.Series([dt.datetime(2026, 10, 1 + i % 28, i % 24) if i % 4 else None for i in range(n)],
                          dtype=object),
        "day": pd.Series([dt.date(2026, 10, 1 + i % 28) if i % 6 else None for i in range(n)], dtype=object),
    })


def _both(tmp_path, build) -> tuple[dict[str, bytes], dict[str, bytes]]:
    fast, slow = Workbook(tmp_path / "fast.xlsx", "zh"), Workbook(tmp_path / "slow.xlsx", "zh")
    build(fast, lambda table, frame, **kw: fast.add_table_sheet(table, frame, "zh", **kw))
    build(slow, lambda table, frame, **kw: _cell_by_cell(slow, table, frame, "zh", **kw))
    return _parts(fast.close()), _parts(slow.close())


@pytest.mark.parametrize("n", [0, 1, 15, 16, 17, 40])
@pytest.mark.parametrize("quoted_at", [None, 0, 5, 33])
def test_kept_columns_write_the_cell_by_cell_sheets(tmp_path, n, quoted_at):
    def build(book, sheet):
        sheet(TABLE, _frame(n, quoted_at=quoted_at, long_note=n > 2), bold_last_row=True)
        sheet(SMALL, _frame(n, quoted_at=quoted_at).assign(note=[f"-{i}" for i in range(n)]), filters=False)
    fast, slow = _both(tmp_path, build)
    assert fast == slow


def test_an_all_blank_column_numbers_no_format(tmp_path):
    fast, slow = _both(tmp_path, lambda book, sheet: sheet(TABLE, _frame(20, blank_pay=True)))
    assert fast == slow


def test_a_cell_written_over_a_kept_column_wins_as_in_the_table(tmp_path):
    def build(book, sheet):
        sheet(TABLE, _frame(30, quoted_at=9))
        ws = book.book.worksheets()[0]
        ws.write_string(3, 2, "over a number", book.bold)
        ws.write_number(4, 5, 7.5)             # over a text
        ws.write_string(2, 1, "over a blank")
        ws.write_string(40, 9, "below and right of the table")
        ws.set_row(12, 30, book.bold)          # a row with its own format and height
    fast, slow = _both(tmp_path, build)
    assert fast == slow


def _reads_the_table(book: Workbook, reader: str) -> None:
    book.add_table_sheet(TABLE, _frame(25, quoted_at=4), "zh")
    ws = book.book.worksheets()[0]
    ws.write_string(3, 2, "over a number")      # in `table`, over a kept column's cell
    if reader == "comment":
        ws.write_comment(2, 1, "a comment")
    else:
        ws.autofit()


@pytest.mark.parametrize("reader", ["comment", "autofit"])
def test_what_reads_the_table_itself_sees_the_kept_columns(tmp_path, monkeypatch, reader):
    """Against the same sheet with every cell a tuple in `table` (round 3's columns, no `down`):
    autofit measures a date cell as a date, so the cell-by-cell sheet differs from both."""
    kept = Workbook(tmp_path / "kept.xlsx", "zh")
    _reads_the_table(kept, reader)
    kept_parts = _parts(kept.close())
    monkeypatch.setattr(_Worksheet, "_free_column", lambda self, col: False)
    table = Workbook(tmp_path / "table.xlsx", "zh")
    _reads_the_table(table, reader)
    assert kept_parts == _parts(table.close())


texts = st.one_of(st.none(), st.sampled_from(["", "=1+1", "-x", "@a", "\tt", " lead", "a&b<c>", "_x0041_", "张三"]),
                  st.text(max_size=6))
numbers = st.one_of(st.none(), st.decimals(allow_nan=False, allow_infinity=False, places=2,
                                           min_value=-10**6, max_value=10**6))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(texts, numbers, texts), max_size=40))
def test_any_text_and_amounts_write_the_cell_by_cell_sheet(tmp_path, rows):
    frame = pd.DataFrame(rows, columns=["name", "pay", "note"], dtype=object)
    def build(book, sheet):
        sheet(SMALL, frame, bold_last_row=True)
        sheet(SMALL.__class__("s2", "Again", SMALL.columns), frame.iloc[::-1].reset_index(drop=True))
    fast, slow = _both(tmp_path, build)
    assert fast == slow


def test_formats_are_numbered_in_the_order_the_rows_first_show_them(tmp_path):
    """A decimal column's places format first shown far down, and a cell written later with a new
    format in a row between: styles.xml numbers the later cell's format first, as cell by cell."""
    frame = _frame(30).assign(points=[Decimal("1.234") if i == 20 else Decimal(i) for i in range(30)])

    def build(book, sheet):
        sheet(TABLE, frame)
        book.book.worksheets()[0].write_string(12, 14, "later", book.book.add_format({"italic": True}))
    fast, slow = _both(tmp_path, build)
    assert fast == slow


@pytest.mark.parametrize("rows", [1, 3, 16])
def test_cells_made_a_block_of_rows_at_a_time_are_the_same(tmp_path, monkeypatch, rows):
    """`_DOWN_ROWS` made small: block edges fall inside the sheet, on a quoted text, a blank row, a
    row with a cell written later."""
    monkeypatch.setattr("csbatch.reports.workbook._DOWN_ROWS", rows)

    def build(book, sheet):
        sheet(TABLE, _frame(40, quoted_at=17, long_note=True), bold_last_row=True)
        ws = book.book.worksheets()[0]
        ws.write_string(3, 2, "over a number", book.bold)
        ws.set_row(20, 30, book.bold)
        sheet(SMALL, _frame(23, quoted_at=2))
    fast, slow = _both(tmp_path, build)
    assert fast == slow
