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

Each line is `Said`: as a string it is the English above (what the ledger and the manifest record,
what the tests of the English read); `text(lang)` says it in another language from the catalogue,
built from its pieces — the part's and the YAML key's words, and the policy's own names for its
codes (业绩提成, not `commission`; 网购客服, not `ecommerce_cs`), e.g.

    工资·项目·业绩提成·比例·网购客服：1% → 1.2%

A YAML key without a word in the catalogue (`_FIELD_WORDS`) is shown as the file writes it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from csbatch.i18n import N_, NC_, Joined, Named, Said
from csbatch.policy.assembled import Policy
from csbatch.policy.bands import Band, BandTable, fmt
from csbatch.policy.base import NonNegMoney, Rate
from csbatch.policy.scorecards import BandRule

#: The words naming each part of `Policy` (compared in the order `Policy` declares them).
PARTS: dict[str, str] = {
    "roles": NC_("policy part", "role"), "worktime": NC_("policy part", "work time"),
    "leave": NC_("policy part", "leave"), "conduct": NC_("policy part", "conduct"),
    "recognitions": NC_("policy part", "recognition"), "complaints": NC_("policy part", "complaints"),
    "bands": NC_("policy part", "band table"), "scoring": NC_("policy part", "scoring"),
    "scorecards": NC_("policy part", "scorecard"), "questionnaire": NC_("policy part", "QA questionnaire"),
    "pay": NC_("policy part", "pay"), "vip": NC_("policy part", "VIP"), "deadlines": NC_("policy part", "deadline"),
    "inputs": NC_("policy part", "inputs"), "audit": NC_("policy part", "audit report"),
    "periods": NC_("policy part", "period"), "company": NC_("policy part", "company"),
    "awards": NC_("policy part", "award"),
}
#: `Policy` fields that are not rules: where the policy was read from.
NOT_RULES = frozenset({"root", "display_root", "files"})

#: A container's key read as the name of one of its entries ("components" → "component").
_SINGULAR = {
    "components": NC_("policy part", "component"), "programmes": NC_("policy part", "programme"),
    "tiers": NC_("policy part", "tier"), "items": NC_("policy part", "item"),
    "bands": NC_("policy part", "band table"), "rates": NC_("policy part", "rate"),
    "amounts": NC_("policy part", "amount"), "bases": NC_("policy part", "base"),
    "categories": NC_("policy part", "category"), "types": NC_("policy part", "type"),
    "festivals": NC_("policy part", "festival"), "sections": NC_("policy part", "section"),
    "adjustments": NC_("policy part", "adjustment"), "discounts": NC_("policy part", "discount"),
    "kinds": NC_("policy part", "kind"), "rules": NC_("policy part", "rule"), "years": NC_("policy part", "year"),
}
_USE_WORDS = {"deduct": NC_("band value", "deduction"), "points": NC_("band value", "points"),
              "coefficient": NC_("band value", "coefficient")}

#: The policy's YAML keys said in words in the other languages (English says the key itself); a key
#: not listed here is shown as the policy file writes it.
FIELD = "policy field"
_FIELD_WORDS = frozenset({
    NC_("policy field", "rate"), NC_("policy field", "min"), NC_("policy field", "max"),
    NC_("policy field", "base_pay"), NC_("policy field", "amount"), NC_("policy field", "value"),
    NC_("policy field", "name"), NC_("policy field", "weight"), NC_("policy field", "cap"),
    NC_("policy field", "cap_total"), NC_("policy field", "floor"), NC_("policy field", "from"),
    NC_("policy field", "to"), NC_("policy field", "day"), NC_("policy field", "days"), NC_("policy field", "at"),
    NC_("policy field", "due"), NC_("policy field", "kind"), NC_("policy field", "formula"),
    NC_("policy field", "points"), NC_("policy field", "label"), NC_("policy field", "table"),
    NC_("policy field", "measure"), NC_("policy field", "rule"), NC_("policy field", "per_amount"),
    NC_("policy field", "single_order"), NC_("policy field", "trailing_12m"), NC_("policy field", "valid_months"),
    NC_("policy field", "held_months"), NC_("policy field", "rounding"), NC_("policy field", "agent_share"),
    NC_("policy field", "multiplier"), NC_("policy field", "grades"), NC_("policy field", "late_grace_minutes"),
    NC_("policy field", "early_grace_minutes"), NC_("policy field", "min_purchase"), NC_("policy field", "per_item"),
    NC_("policy field", "per_recognition"), NC_("policy field", "headcount"), NC_("policy field", "tier"),
    NC_("policy field", "greetings"), NC_("policy field", "vouchers"), NC_("policy field", "card"),
    NC_("policy field", "rate_table"),
})

# How a Decimal field reads, by the policy type it was declared with (base.py's Annotated types).
_MONEY = {id(m) for m in typing.get_args(NonNegMoney)[1:]}
_RATE = {id(m) for m in typing.get_args(Rate)[1:]}

Path = tuple[object, ...]      # a change's place: words, the policy's keys and names, one after another


def _field(key: str) -> object:
    """A YAML key as a piece of a change's place: the key in English, its word otherwise."""
    return Said(NC_(FIELD, key)) if key in _FIELD_WORDS else key


def _names(policies: typing.Iterable[Policy]) -> dict[str, str]:
    """code → the policy's name for it, for every named entry of the policies (roles first, as
    `Policy` declares its parts): what a code is called where the change does not hold the entry."""
    found: dict[str, str] = {}

    def visit(node: Any) -> None:
        if isinstance(node, BaseModel):
            code, name = getattr(node, "code", None), getattr(node, "name", None)
            if isinstance(code, str) and isinstance(name, str):
                found.setdefault(code, name)
            for field_name in type(node).model_fields:
                visit(getattr(node, field_name))
        elif isinstance(node, Mapping):
            for key, value in node.items():
                name = getattr(value, "name", None)
                if isinstance(key, str) and isinstance(name, str):
                    found.setdefault(key, name)
                visit(value)
        elif isinstance(node, (list, tuple)):
            for value in node:
                visit(value)

    for policy in policies:
        for part in dataclasses.fields(Policy):
            if part.name not in NOT_RULES:
                visit(getattr(policy, part.name))
    return found


@dataclasses.dataclass(frozen=True)
class _BandWords:
    value: str = NC_("band value", "value")
    label: str = NC_("band value", "label")
    rate: bool = False      # the band values are rates (shown as percentages)


class _Walk:
    def __init__(self, before: Policy, after: Policy):
        self.out: list[str] = []
        self.words: dict[tuple[str | None, str], _BandWords] = {}
        self.names = _names((after, before))
        for policy in (before, after):
            self._learn_words(policy)

    def _learn_words(self, policy: Policy) -> None:
        """What each band table's values mean, from the rules that use it."""
        for card_code, card in policy.scorecards.items():
            for item in card.items:
                if isinstance(item.rule, BandRule):
                    scope = card_code if item.rule.table in card.bands else None
                    self.words.setdefault((scope, item.rule.table), _BandWords(_USE_WORDS[item.rule.use]))
        self.words.setdefault((None, policy.scoring.grades), _BandWords(label=NC_("band value", "grade")))
        self.words.setdefault((None, policy.vip.vouchers.rate_table),
                              _BandWords(NC_("band value", "rate"), rate=True))

    def say(self, template: str, path: Path, **params: object) -> None:
        """One change: its place, then what changed (`template` has `{path}`)."""
        self.out.append(Said(template, path=Joined(path), **params))

    # --- values ------------------------------------------------------------------------------

    def code(self, key: Any, value: Any = None) -> object:
        """A key of the policy: the code in English, the policy's name for it otherwise."""
        named = getattr(value, "name", None)
        name = named if isinstance(named, str) else self.names.get(str(key))
        return Named(str(key), name) if name is not None else str(key)

    def show(self, x: Any, kind: str = "number", measure: str = "count") -> object:
        if x is None:
            return Said(NC_("policy value", "none"))
        if isinstance(x, bool):
            return Said(NC_("policy value", "true")) if x else Said(NC_("policy value", "false"))
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
            return str(named) if isinstance(named, str) else Said(NC_("policy value", "set"))
        if isinstance(x, (list, tuple)):
            return Joined((self.show(v, kind, measure) for v in x), ", ", "、", ("[", "]"))
        if isinstance(x, Mapping):
            return Joined((Joined((self.code(k), self.show(v, kind, measure)), ": ", "：") for k, v in x.items()),
                           ", ", "，", ("{", "}"))
        if isinstance(x, str):
            return self.code(x)
        return str(x)

    def entry(self, key: Any, value: Any) -> object:
        """An added or removed entry: its key, and its name when it has one (only the name in
        the other languages)."""
        named = getattr(value, "name", None)
        if isinstance(named, str) and named != str(key):
            return Named(f"{key} ({named})", named)
        return self.code(key)

    # --- walking -----------------------------------------------------------------------------

    def walk(self, path: Path, a: Any, b: Any, kind: str = "number", measure: str = "count",
             scope: str | None = None) -> None:
        if a == b:
            return
        if a is None or b is None:
            if isinstance(a, BaseModel) or isinstance(b, BaseModel):
                if a is not None:
                    self.say(N_("{path} removed"), path)
                else:
                    self.added(path, b, kind, measure)
                return
            self.change(path, a, b, kind, measure)
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
            self.change(path, a, b, kind, measure)

    def change(self, path: Path, a: Any, b: Any, kind: str = "number", measure: str = "count") -> None:
        self.say(N_("{path}: {before} → {after}"), path, before=self.show(a, kind, measure),
                 after=self.show(b, kind, measure))

    def added(self, path: Path, value: Any, kind: str, measure: str) -> None:
        """An entry added at `path`: with its name when it is a named record, its value when it is a value."""
        if isinstance(value, BaseModel):
            named = getattr(value, "name", None)
            if isinstance(named, str):
                self.say(N_("{path} added ({name})"), path, name=named)
            else:
                self.say(N_("{path} added"), path)
        else:
            self.say(N_("{path} added: {value}"), path, value=self.show(value, kind, measure))

    def model(self, path: Path, a: BaseModel, b: BaseModel, measure: str, scope: str | None) -> None:
        fields_a, fields_b = type(a).model_fields, type(b).model_fields
        if type(a) is not type(b) and "kind" in fields_a and "kind" in fields_b:
            self.change((*path, _field("kind")), getattr(a, "kind", None), getattr(b, "kind", None))
        for name, info in fields_b.items():
            if name == "kind" or name not in fields_a:
                continue
            key = info.alias or name
            self.walk((*path, _field(key)), getattr(a, name), getattr(b, name), _kind(info), measure, scope)
        for name, info in fields_a.items():    # fields only the old kind had
            if name not in fields_b and getattr(a, name) is not None:
                self.say(N_("{path} removed"), (*path, _field(info.alias or name)))
        for name, info in fields_b.items():
            if name not in fields_a and name != "kind" and getattr(b, name) is not None:
                self.say(N_("{path}: {value}"), (*path, _field(info.alias or name)),
                         value=self.show(getattr(b, name), _kind(info), measure))

    def mapping(self, path: Path, a: Mapping, b: Mapping, kind: str, measure: str, scope: str | None) -> None:
        path = _singular(path)
        for key in a:
            if key not in b:
                self.say(N_("{path} removed"), (*path, self.entry(key, a[key])))
        for key, value in b.items():
            if key not in a:
                if isinstance(value, BaseModel):
                    self.say(N_("{path} added"), (*path, self.entry(key, value)))
                else:
                    self.say(N_("{path} added: {value}"), (*path, self.entry(key, value)),
                             value=self.show(value, kind, measure))
            else:
                inner = scope
                if len(path) == 1 and path[0] == PARTS["scorecards"]:
                    inner = str(key)     # a scorecard's own band tables are named within it
                self.walk((*path, self.code(key, value)), a[key], value, kind, measure, inner)

    def sequence(self, path: Path, a: list, b: list, kind: str, measure: str, scope: str | None) -> None:
        coded = all(isinstance(x, BaseModel) and isinstance(getattr(x, "code", None), str) for x in a + b)
        if coded:
            self.mapping(path, {x.code: x for x in a}, {x.code: x for x in b}, kind, measure, scope)
            order_a = [x.code for x in a if x.code in {y.code for y in b}]
            order_b = [x.code for x in b if x.code in {y.code for y in a}]
            if order_a != order_b:
                self.say(N_("{path} order: {before} → {after}"), path,
                         before=Joined((self.code(c) for c in order_a), ", ", "、"),
                         after=Joined((self.code(c) for c in order_b), ", ", "、"))
            return
        if any(isinstance(x, BaseModel) for x in a + b):
            each = _singular(path)
            for i, (x, y) in enumerate(zip(a, b)):
                self.walk((*each, f"#{i + 1}"), x, y, kind, measure, scope)
            for i in range(len(b), len(a)):
                self.say(N_("{path} removed"), (*each, f"#{i + 1}"))
            for i in range(len(a), len(b)):
                self.added((*each, f"#{i + 1}"), b[i], kind, measure)
            return
        removed = [x for x in a if x not in b]
        added = [x for x in b if x not in a]
        for x in removed:
            self.say(N_("{path}: {value} removed"), path, value=self.show(x, kind, measure))
        for x in added:
            self.say(N_("{path}: {value} added"), path, value=self.show(x, kind, measure))
        if not removed and not added:
            self.say(N_("{path} order: {before} → {after}"), path, before=self.show(a, kind, measure),
                     after=self.show(b, kind, measure))

    # --- band tables -------------------------------------------------------------------------

    def table(self, path: Path, a: BandTable, b: BandTable, scope: str | None) -> None:
        """A band table: its settings, then its bands matched by interval ("band [95%, 100%)
        deduction: 1 → 2"); bands whose bounds moved are paired in order of their lower bounds."""
        name = str(path[-1])
        words = self.words.get((scope, name)) or self.words.get((None, name)) or _BandWords()
        for field_name, info in BandTable.model_fields.items():
            if field_name != "bands":
                self.walk((*path, _field(info.alias or field_name)), getattr(a, field_name), getattr(b, field_name),
                          "figure", b.measure, scope)
        m = b.measure
        band = (*path, Said(NC_("policy part", "band")))
        olds = {x.describe(m): x for x in a.bands}
        news = {x.describe(m): x for x in b.bands}
        for where in news:
            if where in olds:
                self.band_values((*band, where), olds[where], news[where], words)
        gone = sorted((x for w, x in olds.items() if w not in news), key=_start)
        new = sorted((x for w, x in news.items() if w not in olds), key=_start)
        if len(gone) == len(new):
            for x, y in zip(gone, new):
                self.say(N_("{path} {before} → {after}"), band, before=x.describe(m), after=y.describe(m))
                self.band_values((*band, y.describe(m)), x, y, words)
            return
        for x in gone:
            self.say(N_("{path} ({value}) removed"), (*band, x.describe(m)), value=self.band_value(x, words))
        for y in new:
            self.say(N_("{path} ({value}) added"), (*band, y.describe(m)), value=self.band_value(y, words))

    def band_value(self, band: Band, words: _BandWords) -> Said:
        if band.label is not None:
            if band.name:
                return Said(N_("{word} {label} {name}"), word=Said(words.label), label=band.label, name=band.name)
            return Said(N_("{word} {label}"), word=Said(words.label), label=band.label)
        return Said(N_("{word} {value}"), word=Said(words.value),
                    value=self.show(band.value, "rate" if words.rate else "number"))

    def band_values(self, path: Path, x: Band, y: Band, words: _BandWords) -> None:
        kind = "rate" if words.rate else "number"
        if x.value != y.value:
            self.change((*path, Said(words.value)), x.value, y.value, kind)
        if x.label != y.label:
            self.change((*path, Said(words.label)), x.label, y.label)
        if x.name != y.name:
            self.change((*path, Said(NC_("band value", "name"))), x.name, y.name)


def _start(band: Band) -> tuple[bool, Decimal, bool]:
    lo = band.lower
    return (lo.value is not None, lo.value if lo.value is not None else Decimal(0), not lo.inclusive)


def _singular(path: Path) -> Path:
    """A path ending in a container's key ("components") ends in the name of one entry ("component")."""
    word = _SINGULAR.get(str(path[-1])) if path else None
    return path if word is None else (*path[:-1], Said(word))


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
    """Every rule change from `before` to `after`, one line in words each (empty: the same rules):
    each line is `Said`, the English (YAML keys and codes) as a string, `text(lang)` in another
    language with the policy's names for its codes."""
    walk = _Walk(before, after)
    for part in dataclasses.fields(Policy):
        if part.name not in NOT_RULES:
            walk.walk((Said(PARTS.get(part.name, part.name)),), getattr(before, part.name), getattr(after, part.name))
    return walk.out


__all__ = ["PARTS", "describe_changes"]
