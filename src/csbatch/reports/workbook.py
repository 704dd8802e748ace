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
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter

from csbatch.blanks import is_blank
from csbatch.i18n import N_, word, yes_no
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


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: wide (CJK, full-width) characters count two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


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
        self.book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                                    "strings_to_urls": False,
                                                    "strings_to_numbers": False})
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
        if is_blank(value):
            ws.write_blank(r, c, None)
        elif kind == "decimal":
            d = to_decimal(value)
            ws.write_number(r, c, float(d), self.decimal_format(d))
        elif kind in NUMERIC:
            ws.write_number(r, c, float(to_decimal(value)), self.formats[kind])
        elif kind in ("date", "datetime"):
            stamp = value if isinstance(value, dt.datetime) else pd.Timestamp(value).to_pydatetime()
            ws.write_datetime(r, c, stamp, self.formats[kind])
        elif kind == "bool":
            ws.write_string(r, c, yes_no(self.lang, bool(value)))
        else:
            text = str(value)
            ws.write_string(r, c, text, self.quoted if runs_as_formula(text) else None)

    def prints(self, ws, *, rows: int = 0, columns: int = 0, landscape: bool | None = None) -> None:
        """Declare how a sheet prints where it differs from the rest (see `PrintSetup`)."""
        self.printing[ws.name] = PrintSetup(rows, columns, landscape)

    def add_table_sheet(self, table: Table, frame: pd.DataFrame, lang: str, *, filters: bool = True,
                        bold_last_row: bool = False) -> None:
        ws = self.book.add_worksheet(table.title(lang))
        head_lines = 1
        for c, col in enumerate(table.columns):
            label = col.label(lang)
            ws.write_string(0, c, label, self.header)
            values = max((shown_width(v, col.kind) for v in frame[col.name]), default=0) if len(frame) else 0
            head = display_width(label)
            width = min(max(values, min(head, max(values, 12))), WIDEST) + 2
            ws.set_column(c, c, width, self.wrap if values > WIDEST else None)
            head_lines = max(head_lines, math.ceil(head * 1.1 / (width - 1)))   # a CJK character: 2.2
        if head_lines > 1:
            ws.set_row(0, 15 * head_lines + 2)
        last = len(frame)
        for r, row in enumerate(frame[table.names].itertuples(index=False, name=None), start=1):
            if bold_last_row and r == last:
                ws.set_row(r, None, self.bold)
            for c, (value, col) in enumerate(zip(row, table.columns)):
                self.write_value(ws, r, c, value, col.kind)
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
        return self.path
