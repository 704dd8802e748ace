"""Writing sample tables: XlsxWriter workbooks (constant_memory, so a million rows stream to disk)
and CSV files in a chosen encoding.

A table is a list of `Column`s holding cell values: None (blank), str (a text cell), int/float
(a number cell, shown with the column's number format), date/datetime/time (an Excel date cell).
Output is byte-for-byte reproducible: fixed document dates, no wall clock."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import xlsxwriter

_EPOCH = dt.datetime(1899, 12, 30)
MAX_ROWS = 1_048_576            # rows of an Excel worksheet
DATE = "yyyy/m/d"
DATETIME = "yyyy/m/d h:mm"
TIME = "hh:mm"
MONEY = "#,##0.00"


@dataclass
class Column:
    header: str
    values: Sequence
    fmt: str | None = None          # number format of number and date cells
    width: float | None = None


@dataclass
class Sheet:
    name: str
    columns: list[Column]
    title: str | None = None        # a title row above the header (header then on row 3)
    hidden: bool = False
    lists: dict[int, str] = field(default_factory=dict)   # column → validation list source

    @property
    def rows(self) -> int:
        return max((len(c.values) for c in self.columns), default=0)


def serial(value: dt.date | dt.datetime | dt.time) -> float:
    """Excel's serial number of a date, datetime or time of day."""
    if isinstance(value, dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    if isinstance(value, dt.datetime):
        delta = value - _EPOCH
        return delta.days + delta.seconds / 86400
    return float((value - _EPOCH.date()).days)


def _width(col: Column) -> float:
    if col.width:
        return col.width
    sample = [col.header, *(v for v in col.values[:40] if v is not None)]
    longest = max(sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(v)) for v in sample)
    return min(max(8.0, longest + 2.0), 40.0)


def write_xlsx(path: Path, sheets: list[Sheet], created: dt.datetime, title: str = "") -> Path:
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"title": title, "author": "客服部", "company": "", "created": created})
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    title_fmt = wb.add_format({"bold": True, "font_size": 14})
    formats: dict[str, object] = {}

    def fmt(code: str | None):
        if code is None:
            return None
        if code not in formats:
            formats[code] = wb.add_format({"num_format": code})
        return formats[code]

    for sheet in sheets:
        if sheet.rows + (3 if sheet.title else 1) > MAX_ROWS:
            raise ValueError(f"{path.name}[{sheet.name}]: {sheet.rows} rows do not fit a worksheet")
        ws = wb.add_worksheet(sheet.name)
        ncol = len(sheet.columns)
        for c, col in enumerate(sheet.columns):
            ws.set_column(c, c, _width(col))
        top = 0
        if sheet.title:
            ws.merge_range(0, 0, 0, max(ncol - 1, 1), sheet.title, title_fmt)
            top = 2
        for c, col in enumerate(sheet.columns):
            ws.write_string(top, c, col.header, bold)
        ws.freeze_panes(top + 1, 0)
        _write_rows(ws, sheet, top + 1, fmt)
        for c, source in sorted(sheet.lists.items()):
            ws.data_validation(top + 1, c, top + max(sheet.rows, 1), c,
                               {"validate": "list", "source": source, "ignore_blank": True})
        if sheet.hidden:
            ws.hide()
    wb.close()
    return path


def _write_rows(ws, sheet: Sheet, first: int, fmt) -> None:
    defaults = {dt.date: DATE, dt.datetime: DATETIME, dt.time: TIME}
    cols = []
    for col in sheet.columns:
        kinds = {type(v) for v in col.values[:200] if v is not None and not isinstance(v, str)}
        date_kind = next((k for k in (dt.datetime, dt.date, dt.time) if k in kinds), None)
        code = col.fmt or (defaults[date_kind] if date_kind else None)
        cols.append((col.values, len(col.values), fmt(code)))
    number, string = ws.write_number, ws.write_string
    for r in range(sheet.rows):
        row = first + r
        for c, (values, n, f) in enumerate(cols):
            if r >= n:
                continue
            v = values[r]
            if v is None:
                continue
            t = type(v)
            if t is str:
                string(row, c, v)
            elif t is float or t is int:
                number(row, c, v, f)
            elif t is dt.date or t is dt.datetime or t is dt.time:
                number(row, c, serial(v), f)
            else:
                raise TypeError(f"{sheet.name}: cannot write {v!r} ({t.__name__})")


def csv_cell(v) -> str:
    if v is None:
        return ""
    t = type(v)
    if t is str:
        return v
    if t is int:
        return str(v)
    if t is float:
        return f"{v:.2f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))
    if t is dt.datetime:
        return f"{v:%Y-%m-%d %H:%M:%S}"
    if t is dt.date:
        return v.isoformat()
    if t is dt.time:
        return f"{v:%H:%M}"
    raise TypeError(f"cannot write {v!r} to CSV")


def write_csv(path: Path, columns: list[Column], encoding: str) -> Path:
    """A CSV as Excel saves it: CRLF lines; `gbk` for a Chinese Windows export, `utf-8-sig`
    for a UTF-8 file with BOM."""
    n = max((len(c.values) for c in columns), default=0)
    with open(path, "w", encoding=encoding, newline="") as fh:
        out = csv.writer(fh, lineterminator="\r\n")
        out.writerow([c.header for c in columns])
        values = [c.values for c in columns]
        for r in range(n):
            out.writerow([csv_cell(v[r]) for v in values])
    return path
