"""How one value is written: as CSV text by its column kind, and whether a text would run as a
formula in a spreadsheet.

A text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is what spreadsheets treat
as a formula (CSV injection). Workbooks write such text as a string cell with Excel's quote
prefix; CSV files, which Excel opens too, get a leading apostrophe (the OWASP advice), so a
customer named `=HYPERLINK(...)` stays data everywhere.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pandas as pd

from csbatch.blanks import is_blank
from csbatch.money import half_up, to_cents

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def runs_as_formula(text: str) -> bool:
    return text.startswith(FORMULA_START)


def to_decimal(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return Decimal(value)
    return Decimal(str(value))


def csv_text(value: Any, kind: str) -> str:
    """The contract's text for a value: money and points with two decimals, days and counts as
    plain numbers, rates as fractions, dates ISO."""
    if is_blank(value):
        return ""
    if kind == "money" or kind == "points":
        return f"{to_cents(to_decimal(value))}"
    if kind == "decimal":
        return f"{to_decimal(value):f}"
    if kind in ("days", "rate", "measured_rate", "number"):
        d = to_decimal(value)
        exponent = d.as_tuple().exponent   # a letter for infinity, not rounded
        if isinstance(exponent, int) and exponent < -6:  # a ratio such as 14/15: six places are plenty
            d = half_up(d, 6)
        return f"{d.normalize():f}"
    if kind == "int":
        return str(int(value))
    if kind == "bool":
        return "true" if bool(value) else "false"
    if kind == "date":
        if isinstance(value, dt.datetime):  # pandas Timestamps are datetimes too
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return pd.Timestamp(value).date().isoformat()
    if kind == "datetime":
        return pd.Timestamp(value).isoformat(sep=" ")
    text = str(value)
    return "'" + text if runs_as_formula(text) else text
