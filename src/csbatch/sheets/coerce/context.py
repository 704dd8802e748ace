"""What coercion is given and what it gives back.

`CoerceContext` is the policy and workbook boiled down to what parsing cells needs (date range,
yes/no labels, N/A labels, code lists by normalised label), built once per close so the per-type
code never reads the policy. `Coerced` is one column's outcome: every cell is exactly one of a
value, an error message, or missing; warnings are notes with a code.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from csbatch.policy.inputs import POLICY_CODE_LISTS
from csbatch.text import normalise_label

if TYPE_CHECKING:
    from csbatch.policy import Policy


@dataclass(frozen=True)
class CoerceContext:
    """What coercion needs from the policy and the workbook."""

    date1904: bool                       # the workbook's date system for serial numbers
    earliest: dt.date                    # dates before → error
    latest: dt.date                      # dates after → error
    booleans: dict[str, bool]            # normalise_label(label) → value
    not_applicable: frozenset[str]       # normalised N/A labels
    codes: dict[str, dict[str, str]]     # code-list name → {normalise_label(label): code}

    @classmethod
    def from_policy(cls, policy: Policy, period: str, date1904: bool = False) -> CoerceContext:
        """The context for closing `period` ('YYYY-MM'): dates may run to the end of the
        period plus `inputs.date_range.latest_years_after_period` years."""
        inputs = policy.inputs
        match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", period)
        if not match or not 1 <= int(match[2]) <= 12:
            raise ValueError(f"'{period}' is not a period (write YYYY-MM)")
        year = int(match[1]) + inputs.date_range.latest_years_after_period
        month = int(match[2])
        next_month = dt.date(year + month // 12, month % 12 + 1, 1)
        booleans: dict[str, bool] = {}
        for value, labels in ((True, inputs.booleans.true), (False, inputs.booleans.false)):
            for label in labels:
                booleans.setdefault(normalise_label(label), value)
        codes: dict[str, dict[str, str]] = {}
        for name in (*POLICY_CODE_LISTS, *inputs.vocabularies):
            listed = policy.code_list(name) or {}
            lookup: dict[str, str] = {}
            for code in listed:          # codes themselves first: a code always means itself
                lookup.setdefault(normalise_label(code), code)
            for code, labels in listed.items():
                for label in labels:
                    lookup.setdefault(normalise_label(label), code)
            codes[name] = lookup
        return cls(date1904=date1904, earliest=inputs.date_range.earliest,
                   latest=next_month - dt.timedelta(days=1), booleans=booleans,
                   not_applicable=frozenset(normalise_label(x) for x in inputs.not_applicable),
                   codes=codes)


@dataclass
class Coerced:
    """One column's outcome; cells are named by their index label, which intake makes the sheet
    row number."""

    values: pd.Series                    # typed per the contract, same index as the input
    errors: list[tuple[int, str]] = field(default_factory=list)          # (index label, message)
    notes: list[tuple[int, str, str]] = field(default_factory=list)      # (label, code, message)
