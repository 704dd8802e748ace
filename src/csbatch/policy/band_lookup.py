"""Looking values up in a band table (the checks that make a lookup unambiguous are in
`csbatch.policy.bands`)."""

from __future__ import annotations

from decimal import Decimal

from csbatch.policy.bands import Band, BandTable


class OutsideTable(ValueError):
    pass


def lookup(table: BandTable, x: Decimal) -> Band:
    """The band containing `x`. A checked table has exactly one for every value of its domain."""
    for band in table.bands:
        if band.contains(x):
            return band
    raise OutsideTable(f"{x} is outside every band of the table")
