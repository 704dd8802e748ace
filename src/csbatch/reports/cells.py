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
from typing import Any, Literal

import numpy as np
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


def _money_text(value: Any) -> str:
    return f"{to_cents(to_decimal(value))}"


def _decimal_text(value: Any) -> str:
    return f"{to_decimal(value):f}"


def _number_text(value: Any) -> str:
    d = to_decimal(value)
    exponent = d.as_tuple().exponent   # a letter for infinity, not rounded
    if isinstance(exponent, int) and exponent < -6:  # a ratio such as 14/15: six places are plenty
        d = half_up(d, 6)
    return f"{d.normalize():f}"


def _int_text(value: Any) -> str:
    return str(int(value))


def _bool_text(value: Any) -> str:
    return "true" if bool(value) else "false"


def _date_text(value: Any) -> str:
    if isinstance(value, dt.datetime):  # pandas Timestamps are datetimes too
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return pd.Timestamp(value).date().isoformat()


def _datetime_text(value: Any) -> str:
    return pd.Timestamp(value).isoformat(sep=" ")


def _plain_text(value: Any) -> str:
    text = str(value)
    return "'" + text if runs_as_formula(text) else text


#: How a non-blank value of each kind is written as CSV text (any other kind: as text).
_CSV_TEXT = {"money": _money_text, "points": _money_text, "decimal": _decimal_text, "days": _number_text,
             "rate": _number_text, "measured_rate": _number_text, "number": _number_text, "int": _int_text,
             "bool": _bool_text, "date": _date_text, "datetime": _datetime_text}


def csv_column(values: list[Any], kind: str) -> list[str]:
    """The contract's text for a column of values: money and points with two decimals, days and
    counts as plain numbers, rates as fractions, dates ISO; blank as empty (the kind looked up once)."""
    text = _CSV_TEXT.get(kind, _plain_text)
    if text is _plain_text:     # a str is its own text unless it runs as a formula
        return [v if type(v) is str and not v.startswith(FORMULA_START) else "" if is_blank(v) else text(v)
                for v in values]
    if text is _money_text:     # a finite Decimal straight to the fen
        return [f"{to_cents(v)}" if type(v) is Decimal and v.is_finite()
                else "" if is_blank(v) else text(v) for v in values]
    return ["" if v is None or (type(v) not in _NEVER_BLANK and is_blank(v)) else text(v) for v in values]


_NEVER_BLANK = frozenset({int, str, bool})      # types `is_blank` is always False for


#: numpy's unit for each kind's text: a date to the day, a date and time to the second.
_ISO_UNITS: dict[str, Literal["D", "s"]] = {"date": "D", "datetime": "s"}


def csv_dates(values: pd.Series, kind: str) -> list[str] | None:
    """A naive datetime64 column (any unit)'s CSV text at once (numpy's ISO text, the very text `_date_text` and
    `_datetime_text` give each value): None when the column is not one, or for a datetime a value
    has a fraction of a second (its text then carries the fraction; written value by value)."""
    unit = _ISO_UNITS.get(kind)
    if unit is None or not (isinstance(values.dtype, np.dtype) and values.dtype.kind == "M"):
        return None
    stamps = values.to_numpy()
    blank = np.isnat(stamps)
    if unit == "s" and (stamps[~blank] != stamps[~blank].astype("datetime64[s]")).any():
        return None
    texts = np.datetime_as_string(stamps, unit=unit).tolist()
    if unit == "s":
        texts = [t.replace("T", " ") for t in texts]
    return ["" if b else t for t, b in zip(texts, blank.tolist())]


def csv_fraction_datetimes(values: pd.Series) -> list[str] | None:
    """`csv_dates` of a naive datetime64 column some of whose values carry a fraction of a second
    (the deadlines' 23:59:59.999999), at once: whole seconds as numpy's text to the second, the
    others to the microsecond, each the very text `_datetime_text` (`Timestamp.isoformat`) gives.
    None when the column is not one, or a value has a part below a microsecond (value by value)."""
    if not (isinstance(values.dtype, np.dtype) and values.dtype.kind == "M"):
        return None
    stamps = values.to_numpy()
    blank = np.isnat(stamps)
    given = stamps[~blank]
    fraction = given != given.astype("datetime64[s]")
    if (given[fraction] != given[fraction].astype("datetime64[us]")).any():
        return None
    texts = np.datetime_as_string(stamps, unit="s").astype(object)     # object: longer texts fit
    micro = np.zeros(len(stamps), dtype=bool)
    micro[~blank] = fraction
    texts[micro] = np.datetime_as_string(stamps[micro], unit="us")
    return ["" if b else t.replace("T", " ") for t, b in zip(texts.tolist(), blank.tolist())]
