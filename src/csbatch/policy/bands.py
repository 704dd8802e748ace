"""Band tables: the one shape of every tiered rule (coefficients, deduction tables, grades,
voucher rates).

A band is an interval with a value (a number) or a label (a grade). Bounds are `from` (inclusive)
and `to` (exclusive) unless the band says otherwise; `at: X` is the closed point [X, X]; a missing
bound is open to infinity. A table must cover its domain with no gap and no overlap: the checks
live here, next to the shape they check, and name the bands involved.

The domain is what the measured value can be: the table's `domain` when it declares one, else the
measure's natural range (`NATURAL_DOMAIN`: a rate, a count or money is never negative; points and
scores may be). A declared domain must lie inside the natural one, and every finite bound a band
writes (`from`, `to`, `at`) must lie inside the domain: `at: 150%` in a table of shares from 0% to
100%, or `from: -5` in a table of counts, is a slip that would never match (or match what the
writer did not mean). An open bound (no `from`/`to`) runs to the end of the domain.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, model_validator

from csbatch.i18n import N_, Said
from csbatch.money import floor, half_up
from csbatch.policy.base import Figure, Flag, Model, Text

Measure = Literal["rate", "count", "points", "money", "score"]


class Bound:
    """One end of an interval: a value (None = infinite) and whether it belongs to the interval."""

    __slots__ = ("inclusive", "value")

    def __init__(self, value: Decimal | None, inclusive: bool):
        self.value = value
        self.inclusive = inclusive


class Interval(Model):
    """An interval of values: `from` (inclusive) … `to` (exclusive), or the point `at`; a missing
    bound is open."""

    at: Figure | None = Field(None, description="exactly this value (instead of from/to)")
    from_: Figure | None = Field(None, alias="from", description="lower bound; none = open")
    to: Figure | None = Field(None, description="upper bound; none = open")
    from_inclusive: Flag | None = Field(None, description="false: the lower bound is excluded")
    to_inclusive: Flag | None = Field(None, description="true: the upper bound is included")

    @model_validator(mode="after")
    def _shape(self):
        if self.at is not None and (self.from_ is not None or self.to is not None
                                    or self.from_inclusive is not None
                                    or self.to_inclusive is not None):
            raise ValueError(Said(N_("write either `at` or `from`/`to`, not both")))
        if self.from_ is None and self.from_inclusive is not None:
            raise ValueError(Said(N_("from_inclusive without `from`")))
        if self.to is None and self.to_inclusive is not None:
            raise ValueError(Said(N_("to_inclusive without `to`")))
        return self

    @property
    def lower(self) -> Bound:
        if self.at is not None:
            return Bound(self.at, True)
        return Bound(self.from_, self.from_inclusive is not False and self.from_ is not None)

    @property
    def upper(self) -> Bound:
        if self.at is not None:
            return Bound(self.at, True)
        return Bound(self.to, bool(self.to_inclusive) and self.to is not None)

    def contains(self, x: Decimal) -> bool:
        lo, hi = self.lower, self.upper
        if lo.value is not None and (x < lo.value or (x == lo.value and not lo.inclusive)):
            return False
        return not (hi.value is not None and (x > hi.value or (x == hi.value and not hi.inclusive)))

    def describe(self, measure: str = "count") -> str:
        if self.at is not None:
            return f"= {fmt(self.at, measure)}"
        lo, hi = self.lower, self.upper
        left = "(-∞" if lo.value is None else ("[" if lo.inclusive else "(") + fmt(lo.value, measure)
        right = "∞)" if hi.value is None else fmt(hi.value, measure) + ("]" if hi.inclusive else ")")
        return f"{left}, {right}"


class Band(Interval):
    """A band of a table: an interval with a value or a label."""

    value: Figure | None = Field(None, description="the band's number (points, coefficient, rate)")
    label: Text | None = Field(None, description="the band's label (a grade)")
    name: Text | None = Field(None, description="a Chinese name of the label (优秀)")


#: The values each measure can take, when its table declares no `domain` (None: no limit).
NATURAL_DOMAIN: dict[str, Decimal | None] = {"rate": Decimal(0), "count": Decimal(0), "money": Decimal(0),
                                             "points": None, "score": None}


class BandTable(Model):
    """A band table: bands that cover the domain with no gap and no overlap."""

    name: Text | None = Field(None, description="the table's name as a person reads it in a rule "
                                                "(满意度扣分); its code, spelled out, when none")
    description: str | None = Field(None, description="what the table is, for people")
    source: str | None = Field(None, description='source document, e.g. "[003]" (docs/policy.md#sources)')
    measure: Measure = Field("count", description="what is looked up: rate, count, points, money or score")
    domain: Interval | None = Field(None, description="values the table must cover; default all")
    bands: list[Band] = Field(min_length=1, description="the bands")

    @property
    def effective_domain(self) -> Interval:
        """The declared domain, else the measure's natural range."""
        if self.domain is not None:
            return self.domain
        low = NATURAL_DOMAIN.get(self.measure)
        return Interval(**{"from": low}) if low is not None else Interval()


def fmt(x: Decimal, measure: str = "count") -> str:
    """A number as a person reads it: 95%, 1.2, 66 — at most four decimals (a ratio such as 11/12
    shows as 91.6667%), never an exponent."""
    if measure == "rate":
        return f"{_short(x * 100)}%"
    return _short(x)


def _short(x: Decimal) -> str:
    exponent = x.as_tuple().exponent           # a letter for NaN and infinity, not rounded
    if isinstance(exponent, int) and exponent < -4:
        x = half_up(x, 4)
    return f"{x.normalize():f}"


def _cmp_upper_lower(hi: Bound, lo: Bound, whole: bool = False) -> str:
    """How the end of one band meets the start of the next: 'gap', 'overlap' or 'meet'. In a
    table of counts (`whole`), a gap holding no whole number is no gap: [0, 0] then [1, 1] meet."""
    if hi.value is None or lo.value is None:  # sorted by start, so an open end runs into the next
        return "overlap"
    if hi.value < lo.value:
        if whole:
            first = hi.value if (not hi.inclusive and hi.value == hi.value.to_integral_value()) \
                else floor(hi.value) + 1
            if first > lo.value or (first == lo.value and lo.inclusive):
                return "meet"
        return "gap"
    if hi.value > lo.value:
        return "overlap"
    if hi.inclusive and lo.inclusive:
        return "overlap"
    if not hi.inclusive and not lo.inclusive:
        return "gap"
    return "meet"


#: a table's problem: (catalogue template, its values, indices of the bands it names); every
#: template starts with `{table}: `, the table's name as the message shows it
Problem = tuple[str, dict[str, Any], list[int]]


def table_problems(table: BandTable) -> list[Problem]:
    """Every structural problem of a table (see `Problem`); `{table}` is left for the caller."""
    m = table.measure
    out: list[Problem] = []
    kinds = {("value" if b.value is not None else "") + ("label" if b.label is not None else "")
             for b in table.bands}
    if "" in kinds:
        i = next(i for i, b in enumerate(table.bands) if b.value is None and b.label is None)
        out.append((N_("{table}: band #{n} {band} has neither `value` nor `label`"),
                    {"n": i + 1, "band": table.bands[i].describe(m)}, [i]))
    elif len(kinds) > 1:
        lines = [str(b.place.line) for b in table.bands if b.place is not None]
        out.append((N_("{table}: bands mix `value` and `label`; a table yields one or the other (bands on lines "
                       "{lines})"), {"lines": ", ".join(lines)}, list(range(len(table.bands)))))
    good: list[int] = []
    for i, b in enumerate(table.bands):
        lo, hi = b.lower, b.upper
        if lo.value is not None and hi.value is not None:
            if lo.value > hi.value:
                out.append((N_("{table}: band #{n}: lower bound {lower} is above its upper bound {upper}"),
                            {"n": i + 1, "lower": fmt(lo.value, m), "upper": fmt(hi.value, m)}, [i]))
                continue
            if lo.value == hi.value and not (lo.inclusive and hi.inclusive):
                out.append((N_("{table}: band #{n} {band} is empty: its bounds are equal but not both inclusive; "
                               "declare `to_inclusive: true` or write `at: {at}`"),
                            {"n": i + 1, "band": b.describe(m), "at": fmt(lo.value, m)}, [i]))
                continue
        good.append(i)

    def start_key(i: int):
        lo = table.bands[i].lower
        return (lo.value is not None, lo.value if lo.value is not None else Decimal(0), not lo.inclusive)

    order = sorted(good, key=start_key)
    for ia, ib in itertools.pairwise(order):
        ba, bb = table.bands[ia], table.bands[ib]
        rel = _cmp_upper_lower(ba.upper, bb.lower, whole=m == "count")
        pair = {"a": ia + 1, "band_a": ba.describe(m), "b": ib + 1, "band_b": bb.describe(m),
                "line_a": ba.place.line if ba.place else None, "line_b": bb.place.line if bb.place else None}
        placed = ba.place is not None and bb.place is not None
        if rel == "gap":
            out.append((N_("{table}: bands #{a} {band_a} and #{b} {band_b} leave a gap between them (bands #{a} "
                           "on line {line_a} and #{b} on line {line_b})") if placed else
                        N_("{table}: bands #{a} {band_a} and #{b} {band_b} leave a gap between them"),
                        pair, [ia, ib]))
        elif rel == "overlap":
            out.append((N_("{table}: bands #{a} {band_a} and #{b} {band_b} overlap (bands #{a} on line {line_a} "
                           "and #{b} on line {line_b})") if placed else
                        N_("{table}: bands #{a} {band_a} and #{b} {band_b} overlap"), pair, [ia, ib]))
    out += _outside_domain(table)
    if order:
        first, last = table.bands[order[0]], table.bands[order[-1]]
        dom = table.effective_domain
        dlo, dhi = dom.lower, dom.upper
        flo, lhi = first.lower, last.upper
        if flo.value is not None and (dlo.value is None or flo.value > dlo.value or (
                flo.value == dlo.value and dlo.inclusive and not flo.inclusive)):
            out.append((N_("{table}: band #{n} {band} leaves values below it uncovered (the table's domain is "
                           "{domain})"), {"n": order[0] + 1, "band": first.describe(m), "domain": dom.describe(m)},
                        [order[0]]))
        if lhi.value is not None and (dhi.value is None or lhi.value < dhi.value or (
                lhi.value == dhi.value and dhi.inclusive and not lhi.inclusive)):
            out.append((N_("{table}: band #{n} {band} leaves values above it uncovered (the table's domain is "
                           "{domain})"), {"n": order[-1] + 1, "band": last.describe(m), "domain": dom.describe(m)},
                        [order[-1]]))
    return out


def _outside(x: Decimal, dom: Interval) -> bool:
    lo, hi = dom.lower, dom.upper
    return (lo.value is not None and x < lo.value) or (hi.value is not None and x > hi.value)


def _outside_domain(table: BandTable) -> list[Problem]:
    """A declared domain outside the measure's natural range, and band bounds outside the domain."""
    m = table.measure
    out: list[Problem] = []
    natural = NATURAL_DOMAIN.get(m)
    if table.domain is not None and natural is not None:
        low = table.domain.lower.value
        if low is None or low < natural:
            out.append((N_("{table}: domain {domain} reaches below {natural}, but a {measure} is never negative"),
                        {"domain": table.domain.describe(m), "natural": fmt(natural, m), "measure": m}, []))
    dom = table.effective_domain
    for i, b in enumerate(table.bands):
        written = (("at", b.at), ("from", b.from_), ("to", b.to))
        bad = [f"{key} {fmt(x, m)}" for key, x in written if x is not None and _outside(x, dom)]
        said = {"n": i + 1, "band": b.describe(m), "domain": dom.describe(m), "bounds": bad[0] if bad else "",
                "other": bad[-1] if bad else ""}
        if len(bad) == 1:
            out.append((N_("{table}: band #{n} {band}: {bounds} lies outside the table's domain {domain}"), said, [i]))
        elif bad:
            out.append((N_("{table}: band #{n} {band}: {bounds} and {other} lies outside the table's domain "
                           "{domain}"), said, [i]))
    return out
