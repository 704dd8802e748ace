"""One answer to "is this cell blank?": the missing value of one scalar, in any of its spellings.

A typed frame (`csbatch.sheets`) stores a blank cell as the missing value of its column's dtype:
None in an object column, NaN in a float one, NaT in a datetime or timedelta one, pd.NA in a
nullable Int64/boolean one, and NaN again where a concatenated frame fills a column one file
lacked. Code that looks at one value (a row in a loop, a single cell) asks `is_blank`. Code that
works on a whole column keeps pandas' vectorised `Series.isna()`/`notna()`: the same answer cell
by cell, without a Python call per row. A string, even an empty one, is a value here: the reader
already turned empty cells into missing values, and a text column decides what "" means itself.

`is_blank(v)` is `pd.isna(v)` for every scalar (a test holds the two together) without pandas'
generic dispatch per call, and it does not raise on a signalling Decimal NaN.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd


def is_blank(value: object) -> bool:
    """None, NaN (float, numpy or Decimal), NaT (pandas or numpy) and pd.NA: an empty cell. A
    text, what pages and rows ask about most, is answered first."""
    if type(value) is str:
        return False
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, (float, np.floating)):
        return bool(value != value)
    if isinstance(value, Decimal):
        return value.is_nan()
    if isinstance(value, (np.datetime64, np.timedelta64)):
        return bool(np.isnat(value))
    return False
