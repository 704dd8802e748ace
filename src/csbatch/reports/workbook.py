"""Writing workbooks with XlsxWriter: numbers stay numbers with formats (¥ for money), dates are
dates, headers are frozen with filters on, and text is always written as text — never as a
formula, whatever it starts with."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter

from csbatch.blanks import is_blank
from csbatch.i18n import yes_no
from csbatch.reports.cells import runs_as_formula, to_decimal
from csbatch.reports.tables import Table

NUMBER_FORMATS = {
    "money": "¥#,##0.00;-¥#,##0.00",
    "points": "0.00",
    "decimal": "0.##",
    "number": "#,##0.####",
    "days": "0.0#",
    "int": "0",
    "rate": "0.0%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}


class Workbook:
    """A thin wrapper holding the formats one workbook shares."""

    def __init__(self, path: Path):
        self.path = path
        self.book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                                    "strings_to_urls": False,
                                                    "strings_to_numbers": False})
        self.header = self.book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                            "text_wrap": True, "valign": "vcenter"})
        self.formats = {k: self.book.add_format({"num_format": f}) for k, f in NUMBER_FORMATS.items()}
        self.quoted = self.book.add_format({"quote_prefix": True})
        self.bold = self.book.add_format({"bold": True})

    def write_value(self, ws, r: int, c: int, value: Any, kind: str, lang: str = "zh") -> None:
        """One cell; a boolean is the language's word for it (是/否), never TRUE/FALSE."""
        if is_blank(value):
            ws.write_blank(r, c, None)
        elif kind in ("money", "points", "days", "rate", "int", "decimal", "number"):
            ws.write_number(r, c, float(to_decimal(value)), self.formats[kind])
        elif kind in ("date", "datetime"):
            stamp = value if isinstance(value, dt.datetime) else pd.Timestamp(value).to_pydatetime()
            ws.write_datetime(r, c, stamp, self.formats[kind])
        elif kind == "bool":
            ws.write_string(r, c, yes_no(lang, bool(value)))
        else:
            text = str(value)
            ws.write_string(r, c, text, self.quoted if runs_as_formula(text) else None)

    def add_table_sheet(self, table: Table, frame: pd.DataFrame, lang: str, *, filters: bool = True,
                        bold_last_row: bool = False) -> None:
        ws = self.book.add_worksheet(table.title(lang))
        for c, col in enumerate(table.columns):
            label = col.label(lang)
            ws.write_string(0, c, label, self.header)
            ws.set_column(c, c, max(10, min(40, 2 * len(label) + 2)))
        last = len(frame)
        for r, row in enumerate(frame[table.names].itertuples(index=False, name=None), start=1):
            if bold_last_row and r == last:
                ws.set_row(r, None, self.bold)
            for c, (value, col) in enumerate(zip(row, table.columns)):
                self.write_value(ws, r, c, value, col.kind, lang)
        ws.freeze_panes(1, 0)
        if filters:
            ws.autofilter(0, 0, max(len(frame), 1), len(table.columns) - 1)

    def close(self) -> Path:
        self.book.close()
        return self.path
