"""The rule changes between two policies, in words: what `csbatch policy diff` prints, what a
re-close with another policy records, what a reviewer reads before a policy change pays anyone.

A text diff of the YAML shows a moved comment as a change and a band table's new bound as two
unrelated lines. This reads the typed policy instead: it walks both `Policy` values field by
field (dicts by key, lists of coded records by code, band tables by their intervals) and names
each change by its YAML keys, with values as the policy writes them — rates as percentages,
money as ¥, clock times as HH:MM — e.g.

    pay component commission rate ecommerce_cs: 1% → 1.2%
    band table satisfaction_deduction band [95%, 100%) deduction: 1 → 2
    scorecard ecommerce item complaints (投诉) added

Band values are worded by what uses the table: a scorecard's band rule (`deduction`, `points`,
`coefficient`), the grades (`grade`), the voucher rates (`rate`, a percentage).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from csbatch.policy.assembled import Policy
from csbatch.policy.bands import Band, BandTable, fmt
from csbatch.policy.base import NonNegMoney, Rate
from csbatch.policy.scorecards import BandRule

#: The words naming each part of `Policy` (compared in the order `Policy` declares them).
PARTS: dict[str, str] = {
    "roles": "role", "worktime": "work time", "leave": "leave", "conduct": "conduct",
    "recognitions": "recognition", "complaints": "complaints", "bands": "band table",
    "scoring": "scoring", "scorecards": "scorecard", "questionnaire": "QA questionnaire", "pay": "pay",
    "vip": "VIP", "deadlines": "deadline", "inputs": "inputs", "audit": "audit report", "periods": "period",
    "company": "company",
}
#: `Policy` fields that are not rules: where the policy was read from.
NOT_RULES = frozenset({"root", "display_root", "files"})

#: A container's key read as the name of one of its entries ("components" → "component").
_SINGULAR = {
    "components": "component", "programmes": "programme", "tiers": "tier", "items": "item",
    "bands": "band table", "rates": "rate", "amounts": "amount", "bases": "base", "categories": "category",
    "types": "type", "festivals": "festival", "sections": "section", "adjustments": "adjustment",
    "discounts": "discount", "kinds": "kind", "rules": "rule", "years": "year",
}
_USE_WORDS = {"deduct": "deduction", "points": "points", "coefficient": "coefficient"}

# How a Decimal field reads, by the policy type it was declared with (base.py's Annotated types).
_MONEY = {id(m) for m in typing.get_args(NonNegMoney)[1:]}
_RATE = {id(m) for m in typing.get_args(Rate)[1:]}


@dataclasses.dataclass(frozen=True)
class _BandWords:
    value: str = "value"
    label: str = "label"
    rate: bool = False      # the band values are rates (shown as percentages)


class _Walk:
    def __init__(self, before: Policy, after: Policy):
        self.out: list[str] = []
        self.words: dict[tuple[str | None, str], _BandWords] = {}
        for policy in (before, after):
            self._learn_words(policy)

    def _learn_words(self, policy: Policy) -> None:
        """What each band table's values mean, from the rules that use it."""
        for card_code, card in policy.scorecards.items():
            for item in card.items:
                if isinstance(item.rule, BandRule):
                    scope = card_code if item.rule.table in card.bands else None
                    self.words.setdefault((scope, item.rule.table), _BandWords(_USE_WORDS[item.rule.use]))
        self.words.setdefault((None, policy.scoring.grades), _BandWords(label="grade"))
        self.words.setdefault((None, policy.vip.vouchers.rate_table), _BandWords("rate", rate=True))

    # --- values ------------------------------------------------------------------------------

    @staticmethod
    def show(x: Any, kind: str = "number", measure: str = "count") -> str:
        if x is None:
            return "none"
        if isinstance(x, bool):
            return "true" if x else "false"
        if isinstance(x, Decimal):
            if kind == "money":
                return money(x)
            if kind == "rate":
                return fmt(x, "rate")
            return fmt(x, measure if kind == "figure" else "count")
        if isinstance(x, dt.time):
            return f"{x:%H:%M}"
        if isinstance(x, BaseModel):
            named = getattr(x, "name", None)
            return str(named) if isinstance(named, str) else "set"
        if isinstance(x, (list, tuple)):
            return "[" + ", ".join(_Walk.show(v, kind, measure) for v in x) + "]"
        if isinstance(x, Mapping):
            return "{" + ", ".join(f"{k}: {_Walk.show(v, kind, measure)}" for k, v in x.items()) + "}"
        return str(x)

    @staticmethod
    def entry(key: Any, value: Any) -> str:
        """An added or removed entry: its key, and its name when it has one."""
        named = getattr(value, "name", None)
        return f"{key} ({named})" if isinstance(named, str) and named != str(key) else str(key)

    # --- walking -----------------------------------------------------------------------------

    def walk(self, path: str, a: Any, b: Any, kind: str = "number", measure: str = "count",
             scope: str | None = None) -> None:
        if a == b:
            return
        if a is None or b is None:
            if isinstance(a, BaseModel) or isinstance(b, BaseModel):
                self.out.append(f"{path} {'added' if a is None else 'removed'}"
                                + ("" if a is not None else self._summary(b, kind, measure)))
                return
            self.out.append(f"{path}: {self.show(a, kind, measure)} → {self.show(b, kind, measure)}")
            return
        if isinstance(a, BandTable) and isinstance(b, BandTable):
            self.table(path, a, b, scope)
            return
        if isinstance(a, BaseModel) and isinstance(b, BaseModel):
            self.model(path, a, b, measure, scope)
        elif isinstance(a, Mapping) and isinstance(b, Mapping):
            self.mapping(path, a, b, kind, measure, scope)
        elif isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
            self.sequence(path, list(a), list(b), kind, measure, scope)
        else:
            self.out.append(f"{path}: {self.show(a, kind, measure)} → {self.show(b, kind, measure)}")

    def _summary(self, value: Any, kind: str, measure: str) -> str:
        if isinstance(value, BaseModel):
            named = getattr(value, "name", None)
            return f" ({named})" if isinstance(named, str) else ""
        return f": {self.show(value, kind, measure)}"

    def model(self, path: str, a: BaseModel, b: BaseModel, measure: str, scope: str | None) -> None:
        fields_a, fields_b = type(a).model_fields, type(b).model_fields
        if type(a) is not type(b) and "kind" in fields_a and "kind" in fields_b:
            self.out.append(f"{path} kind: {getattr(a, 'kind', None)} → {getattr(b, 'kind', None)}")
        for name, info in fields_b.items():
            if name == "kind" or name not in fields_a:
                continue
            key = info.alias or name
            self.walk(f"{path} {key}", getattr(a, name), getattr(b, name), _kind(info), measure, scope)
        for name, info in fields_a.items():    # fields only the old kind had
            if name not in fields_b and getattr(a, name) is not None:
                self.out.append(f"{path} {info.alias or name} removed")
        for name, info in fields_b.items():
            if name not in fields_a and name != "kind" and getattr(b, name) is not None:
                self.out.append(f"{path} {info.alias or name}: {self.show(getattr(b, name), _kind(info), measure)}")

    def mapping(self, path: str, a: Mapping, b: Mapping, kind: str, measure: str, scope: str | None) -> None:
        path = _singular(path)
        for key in a:
            if key not in b:
                self.out.append(f"{path} {self.entry(key, a[key])} removed")
        for key, value in b.items():
            if key not in a:
                self.out.append(f"{path} {self.entry(key, value)} added"
                                + ("" if isinstance(value, BaseModel) else f": {self.show(value, kind, measure)}"))
            else:
                inner = scope
                if path == PARTS["scorecards"]:
                    inner = str(key)     # a scorecard's own band tables are named within it
                self.walk(f"{path} {key}", a[key], value, kind, measure, inner)

    def sequence(self, path: str, a: list, b: list, kind: str, measure: str, scope: str | None) -> None:
        coded = all(isinstance(x, BaseModel) and isinstance(getattr(x, "code", None), str) for x in a + b)
        if coded:
            self.mapping(path, {x.code: x for x in a}, {x.code: x for x in b}, kind, measure, scope)
            order_a = [x.code for x in a if x.code in {y.code for y in b}]
            order_b = [x.code for x in b if x.code in {y.code for y in a}]
            if order_a != order_b:
                self.out.append(f"{path} order: {', '.join(order_a)} → {', '.join(order_b)}")
            return
        if any(isinstance(x, BaseModel) for x in a + b):
            for i, (x, y) in enumerate(zip(a, b)):
                self.walk(f"{_singular(path)} #{i + 1}", x, y, kind, measure, scope)
            for i in range(len(b), len(a)):
                self.out.append(f"{_singular(path)} #{i + 1} removed")
            for i in range(len(a), len(b)):
                self.out.append(f"{_singular(path)} #{i + 1} added{self._summary(b[i], kind, measure)}")
            return
        removed = [x for x in a if x not in b]
        added = [x for x in b if x not in a]
        for x in removed:
            self.out.append(f"{path}: {self.show(x, kind, measure)} removed")
        for x in added:
            self.out.append(f"{path}: {self.show(x, kind, measure)} added")
        if not removed and not added:
            self.out.append(f"{path} order: {self.show(a, kind, measure)} → {self.show(b, kind, measure)}")

    # --- band tables -------------------------------------------------------------------------

    def table(self, path: str, a: BandTable, b: BandTable, scope: str | None) -> None:
        """A band table: its settings, then its bands matched by interval ("band [95%, 100%)
        deduction: 1 → 2"); bands whose bounds moved are paired in order of their lower bounds."""
        name = path.rsplit(" ", 1)[-1]
        words = self.words.get((scope, name)) or self.words.get((None, name)) or _BandWords()
        for field_name, info in BandTable.model_fields.items():
            if field_name != "bands":
                self.walk(f"{path} {info.alias or field_name}", getattr(a, field_name), getattr(b, field_name),
                          "figure", b.measure, scope)
        m = b.measure
        olds = {x.describe(m): x for x in a.bands}
        news = {x.describe(m): x for x in b.bands}
        for where in news:
            if where in olds:
                self.band_values(f"{path} band {where}", olds[where], news[where], words)
        gone = sorted((x for w, x in olds.items() if w not in news), key=_start)
        new = sorted((x for w, x in news.items() if w not in olds), key=_start)
        if len(gone) == len(new):
            for x, y in zip(gone, new):
                self.out.append(f"{path} band {x.describe(m)} → {y.describe(m)}")
                self.band_values(f"{path} band {y.describe(m)}", x, y, words)
            return
        for x in gone:
            self.out.append(f"{path} band {x.describe(m)} ({self.band_value(x, words)}) removed")
        for y in new:
            self.out.append(f"{path} band {y.describe(m)} ({self.band_value(y, words)}) added")

    def band_value(self, band: Band, words: _BandWords) -> str:
        if band.label is not None:
            return f"{words.label} {band.label}" + (f" {band.name}" if band.name else "")
        return f"{words.value} {self.show(band.value, 'rate' if words.rate else 'number')}"

    def band_values(self, path: str, x: Band, y: Band, words: _BandWords) -> None:
        kind = "rate" if words.rate else "number"
        if x.value != y.value:
            self.out.append(f"{path} {words.value}: {self.show(x.value, kind)} → {self.show(y.value, kind)}")
        if x.label != y.label:
            self.out.append(f"{path} {words.label}: {self.show(x.label)} → {self.show(y.label)}")
        if x.name != y.name:
            self.out.append(f"{path} name: {self.show(x.name)} → {self.show(y.name)}")


def _start(band: Band) -> tuple[bool, Decimal, bool]:
    lo = band.lower
    return (lo.value is not None, lo.value if lo.value is not None else Decimal(0), not lo.inclusive)


def _singular(path: str) -> str:
    head, _, last = path.rpartition(" ")
    word = _SINGULAR.get(last)
    if word is None:
        return path
    return f"{head} {word}" if head else word


def _kind(info: Any) -> str:
    """How a field's Decimal values read: money, a rate, a figure (a band bound) or a number."""
    seen: list[Any] = list(info.metadata)

    def collect(tp: Any) -> None:
        seen.extend(getattr(tp, "__metadata__", ()))
        for arg in typing.get_args(tp):
            collect(arg)
    collect(info.annotation)
    ids = {id(m) for m in seen}
    if ids & _MONEY:
        return "money"
    if ids & _RATE:
        return "rate"
    return "number"


def money(x: Decimal) -> str:
    """¥1,000 or ¥1,000.5: the amount as written, with thousands separators."""
    value = x.normalize()
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return f"¥{value:,f}"


def describe_changes(before: Policy, after: Policy) -> list[str]:
    """Every rule change from `before` to `after`, one line in words each (empty: the same rules)."""
    walk = _Walk(before, after)
    for part in dataclasses.fields(Policy):
        if part.name not in NOT_RULES:
            walk.walk(PARTS.get(part.name, part.name), getattr(before, part.name), getattr(after, part.name))
    return walk.out


__all__ = ["PARTS", "describe_changes"]
