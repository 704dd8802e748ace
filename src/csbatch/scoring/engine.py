"""The scoring engine: one mechanism that runs every scorecard of the policy.

For one scorecard and its members (with their measured values):

    items → points (band, linear, per_event, formula, rating, rank_bonus; no-data rule; floor;
            rounding per item) → subtotal → × multiplier → adjustments → total;
    then, over the card's rated members: rank (ties share the better rank), grade, flags.

Team competition needs every member's total before adjustments, so it is applied by
`score_cards` across the card once items and multipliers are known. Every number keeps what
explains it: the measured value, the band or formula with its policy place, the points.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

import pandas as pd

from csbatch.blanks import is_blank
from csbatch.errors import Issue, Source
from csbatch.i18n import N_, NC_, Listed, Named, Said, said_params, word
from csbatch.money import ONE, ZERO, half_up, round_by
from csbatch.policy import expressions
from csbatch.policy.band_lookup import OutsideTable, lookup
from csbatch.policy.bands import Band, BandTable, fmt
from csbatch.policy.scorecards import (
    Adjustment,
    BandRule,
    FormulaRule,
    Item,
    LinearRule,
    MeasureSettings,
    PerEventRule,
    Promotion,
    RankBonusRule,
    RatingRule,
    Rounding,
    Scorecard,
)
from csbatch.policy.vocabulary import NO_DATA, UNITS, named, show
from csbatch.text import spelled


@dataclass(frozen=True)
class Phrase:
    """A piece of a rule in words: a catalogue string (`N_`) with its `{placeholders}` filled, so
    the same rule reads in English (the scores' `rule`, `data/*.csv`) and in Chinese (`explain`,
    the staff pages). A plain piece (numbers and signs only) has no words to translate. A param
    that is `Said` (a measured value's or a band table's name) is said in the language too: its
    English is the code, so `rule` reads as it always has."""

    template: str
    params: tuple[tuple[str, Any], ...] = ()
    plain: bool = False

    def text(self, lang: str = "en") -> str:
        template = self.template if self.plain or lang == "en" else word(lang, self.template)
        return template.format(**said_params(lang, self.params)) if self.params else template


def said(template: str, /, **params: Any) -> Phrase:
    """`said(N_("rated {value} of {weight}"), value=..., weight=...)`: a phrase with words."""
    return Phrase(template, tuple(params.items()))


def plain(text: str) -> Phrase:
    """A phrase with no words (a formula with its numbers): the same in every language."""
    return Phrase(text, plain=True)


def _escaped(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


#: a formula's words, said in the language when the formula is shown (`5 if 3 > 0 and 3 == 3 else 0`)
FORMULA_WORDS = {"if": NC_("formula", "if"), "else": NC_("formula", "else"), "and": NC_("formula", "and"),
                 "or": NC_("formula", "or"), "not": NC_("formula", "not")}
_FORMULA_WORD = re.compile(r"\bno data\b|(?<!')\b[A-Za-z_][A-Za-z0-9_]*\b(?!')")
#: each of those words as said, made once: a `Said` without params is its template and nothing
#: else, the same text whichever object says it (a formula is worded per member: 4,000 at 1M orders)
_FORMULA_SAID = {found: Said(template) for found, template in (*FORMULA_WORDS.items(), ("no data", NO_DATA))}


def formula(text: str, names: Iterable[str] = (), head: str = "") -> Phrase:
    """A formula as shown (`plain`), whose keywords (if, else, and, or, not), "no data" and the
    measured values among `names` are said in the language; the English is `head + text` (`head`,
    a policy's name before the formula, is shown as written)."""
    measures = set(names)
    if not measures and not any(found in text for found in _FORMULA_SAID):
        return plain(head + text)     # (no word to say: most sums are numbers and signs only)
    params: list[tuple[str, Any]] = []
    template, end = "", 0
    for m in _FORMULA_WORD.finditer(text):
        found = m.group()
        if found in _FORMULA_SAID:
            said_as: Said = _FORMULA_SAID[found]
        elif found in measures:
            said_as = named(found)
        else:
            continue
        params.append((f"w{len(params)}", said_as))
        template += _escaped(text[end:m.start()]) + "{" + params[-1][0] + "}"
        end = m.end()
    if not params:
        return plain(head + text)
    return Phrase(_escaped(head) + template + _escaped(text[end:]), tuple(params), plain=True)


def table_named(code: str, table: BandTable) -> Named:
    """A band table's name: its code in English (`rule`), else its `name` in bands.yaml, spelled
    out when it has none."""
    return Named(code, table.name or spelled(code))


def spoken(phrases: Sequence[Phrase], lang: str = "en") -> str:
    """A rule's phrases in the language, joined as `ItemScore.rule` joins them."""
    return "; ".join(p.text(lang) for p in phrases)


def spoken_once(phrases: Sequence[Phrase], lang: str, said: dict[int, tuple[Phrase, str]]) -> str:
    """`spoken(phrases, lang)`, each phrase object worded once: `said` maps a phrase's id to the
    phrase (held, so an id reused by a new object is worded again) and its words in `lang`. The
    engine hands one phrase object to every member with the same value (`_each_measured`, a
    formula's words per distinct row), so most of a card's phrases are repeats."""
    texts = []
    for phrase in phrases:
        found = said.get(id(phrase))
        if found is None or found[0] is not phrase:
            found = said[id(phrase)] = (phrase, phrase.text(lang))
        texts.append(found[1])
    return "; ".join(texts)


@dataclass(frozen=True)
class Member:
    """Who is scored and what the card needs to know about them besides measured values."""

    employee_id: str
    name: str = ""
    role: str = ""
    team: str | None = None
    team_lead: bool = False
    rated: bool = True
    recognitions: Mapping[str, int] = field(default_factory=dict)


@dataclass
class ItemScore:
    measured: Decimal | None
    points: Decimal
    rule: str                                                   # in English (`data/*.csv`)
    flags: tuple[str, ...] = ()
    inputs: dict[str, Any] = field(default_factory=dict)        # measured values the rule used
    places: list[Source] = field(default_factory=list)          # policy places of bands applied
    phrases: tuple[Phrase, ...] = ()                            # `rule`, to say in any language

    def rule_in(self, lang: str, said: dict[int, tuple[Phrase, str]] | None = None) -> str:
        """The rule in words in the language (`rule` when it was made without phrases). With
        `said` (id → the phrase, kept alive, and its words in `lang`), each phrase object is worded
        once: the engine hands one phrase object to many members (a card's band and no-data
        phrases), a third of a million-order month's 35,000 phrases are repeats (the staff pages)."""
        if not self.phrases:
            return self.rule
        if said is None:
            return spoken(self.phrases, lang)
        return spoken_once(self.phrases, lang, said)


@dataclass
class AdjustmentLine:
    adjustment: Adjustment
    count: int
    points: Decimal


@dataclass
class MemberScore:
    member: Member
    items: dict[str, ItemScore]
    subtotal: Decimal
    multiplier: Decimal
    multiplier_rule: str
    before_adjustments: Decimal
    adjustments: list[AdjustmentLine] = field(default_factory=list)
    total: Decimal | None = None
    grade: str | None = None
    rank: int | None = None
    flags: list[str] = field(default_factory=list)
    multiplier_phrase: Phrase | None = None     # `multiplier_rule`, to say in any language

    def multiplier_in(self, lang: str) -> str:
        return self.multiplier_phrase.text(lang) if self.multiplier_phrase is not None else self.multiplier_rule

    @property
    def adjustment_points(self) -> Decimal:
        return sum((a.points for a in self.adjustments), ZERO)


@dataclass
class CardScore:
    code: str
    card: Scorecard
    members: list[MemberScore]


# --- items -----------------------------------------------------------------------------------

#: band table name → the table (the policy's `band_table`, for the card at hand)
Tables = Callable[[str], BandTable]


class _Context:
    """What an item rule needs besides its own definition."""

    def __init__(self, code: str, card: Scorecard, members: Sequence[Member], measured: Mapping[str, Sequence],
                 tables: Tables, rounding: Rounding, promotion: Promotion | None, period: str,
                 scopes: Mapping[str, Phrase] | None = None):
        self.code = code
        self.card = card
        self.members = members
        self.n = len(members)
        self.measured = measured
        self.tables = tables
        self.rounding = rounding
        self.promotion = promotion
        self.period = period
        self.scopes = scopes or {}
        self.rated_rows = [i for i, m in enumerate(members) if m.rated]
        self.issues: list[Issue] = []

    def column(self, name: str) -> list:
        return list(self.measured.get(name, [None] * self.n))


def _measure_names(item: Item) -> list[str]:
    rule = item.rule
    if isinstance(rule, PerEventRule):
        return list(rule.points)
    if isinstance(rule, FormulaRule):
        expr = expressions.parse(rule.formula)
        return [n for n in _ordered_names(rule.formula) if n in expr.names and n != "weight"]
    return [rule.measure]


def measured_name(item: Item) -> str | None:
    """The measured value an item's score shows as its own (`ItemScore.measured`): its rule's first."""
    names = _measure_names(item)
    return names[0] if names else None


def _ordered_names(text: str) -> list[str]:
    seen: list[str] = []
    for name in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text):
        if name not in seen:
            seen.append(name)
    return seen


def _signed(x: Decimal) -> str:
    return f"− {fmt(-x)}" if x < 0 else f"+ {fmt(x)}"


def _band_value(band: Band) -> str:
    """What a band gives: its value, or its label in a table of labels."""
    return fmt(band.value) if band.value is not None else str(band.label)


def _band_text(table_name: str, table: BandTable, band: Band, value: Decimal, then: str) -> Phrase:
    """`table value in [band) → then`."""
    return said(N_("{table} {value} in {band} → {then}"), table=table_named(table_name, table),
                value=fmt(value, table.measure),
                band=band.describe(table.measure), then=then)


#: Per member: (raw points or None when a measured value is missing, the rule's phrases, band
#: places, missing names).
Raw = tuple[Decimal | None, list[Phrase], list[Source], set[str]]


def _each_measured(ctx: _Context, measure: str, points: Callable[[Decimal], Raw]) -> list[Raw]:
    """Per member, `points` of the measured value; a missing value gives None and names the
    measure. `points` is a function of the value alone (no issues, no state), so it is asked once
    per distinct Decimal, digits and all (a rate 0.95 and 0.950 are worded apart), and each member
    gets lists of its own: thousands of members share a few hundred values."""
    known: dict[Any, Raw] = {}
    out: list[Raw] = []
    for v in ctx.column(measure):
        if v is None:
            out.append((None, [], [], {measure}))
            continue
        key = v.as_tuple() if type(v) is Decimal else None
        raw = known.get(key) if key is not None else None
        if raw is None:
            raw = points(v)
            if key is not None:
                known[key] = raw
        out.append((raw[0], list(raw[1]), list(raw[2]), set(raw[3])))
    return out


def _band_raw(item: Item, rule: BandRule, ctx: _Context) -> list[Raw]:
    """The band holding the measured value: its value deducted from the weight, as the points,
    or times the weight (`use`)."""
    w = item.weight
    table = ctx.tables(rule.table)
    places: dict[int, Source | None] = {}   # each band's place read once (a pydantic private attribute)

    def points(v: Decimal) -> Raw:
        try:
            band = lookup(table, v)
        except OutsideTable:
            return (None, [said(N_("{value} is outside every band of {table}"), value=fmt(v, table.measure),
                                table=table_named(rule.table, table))], [], set())
        val = band.value
        if val is None:     # a table of labels (grades) gives no points
            raise TypeError(f"band table {rule.table} has labels, not values: a band rule needs values")
        if rule.use == "deduct":
            pts, then = w - val, f"{w} − {fmt(val)}"
        elif rule.use == "points":
            pts, then = val, fmt(val)
        else:
            pts, then = w * val, f"{w} × {fmt(val)}"
        place = places[id(band)] if id(band) in places else places.setdefault(id(band), band.place)
        return (pts, [_band_text(rule.table, table, band, v, then)], [place] if place else [], set())

    return _each_measured(ctx, rule.measure, points)


def _linear_raw(item: Item, rule: LinearRule, ctx: _Context) -> list[Raw]:
    """weight × min(cap, value ÷ per)."""
    w = item.weight
    return _each_measured(ctx, rule.measure, lambda v: (
        w * min(rule.cap, v / rule.per),
        [plain(f"{w} × min({fmt(rule.cap)}, {fmt(v, 'rate')} ÷ {fmt(rule.per, 'rate')})")], [], set()))


def _per_event_raw(item: Item, rule: PerEventRule, ctx: _Context) -> list[Raw]:
    """weight + Σ points per event × events, over every counted measure."""
    w = item.weight
    cols = {name: ctx.column(name) for name in rule.points}
    out: list[Raw] = []
    # the points and words are functions of the counts alone: made once per distinct counts,
    # digits and all (`exact_key`), and shared (members repeat a few small counts)
    known: dict[tuple[Any, ...], tuple[Decimal, Phrase]] = {}
    for i in range(ctx.n):
        missing = {name for name in rule.points if cols[name][i] is None}
        if missing:
            out.append((None, [], [], missing))
            continue
        key = exact_key([cols[n][i] for n in rule.points])
        made = known.get(key) if key is not None else None
        if made is None:
            pts = w + sum((rule.points[n] * cols[n][i] for n in rule.points), ZERO)
            terms = " ".join(f"{_signed(rule.points[n])} × {fmt(cols[n][i])} ({{m{k}}})"
                             for k, n in enumerate(rule.points))
            made = (pts, Phrase(f"{w} {terms}", tuple((f"m{k}", named(n)) for k, n in enumerate(rule.points)),
                                plain=True))
            if key is not None:
                known[key] = made
        out.append((made[0], [made[1]], [], set()))
    return out


def _rating_raw(item: Item, rule: RatingRule, ctx: _Context) -> list[Raw]:
    """The rating given, held between 0 and the weight."""
    w = item.weight
    return _each_measured(ctx, rule.measure,
                          lambda v: (min(max(v, ZERO), w),
                                     [said(N_("rated {value} of {weight}"), value=fmt(v), weight=w)], [], set()))


def _formula_raw(item: Item, rule: FormulaRule, ctx: _Context) -> list[Raw]:
    """The formula evaluated per member (`weight` is the item's weight); an evaluation error is
    an issue naming the employee."""
    w = item.weight
    expr = expressions.parse(rule.formula)
    env = {name: ctx.column(name) for name in expr.names if name != "weight"}
    env["weight"] = [w] * ctx.n
    result = expressions.evaluate(expr, env, ctx.n, tables=ctx.tables, population=ctx.rated_rows)
    out: list[Raw] = []
    # the words of a band hit and of the sum are functions of the numbers alone (the means are the
    # card's): made once per distinct numbers, digits and all (`exact_key`), and the one phrase
    # object shared (1M orders: members repeat a few small counts)
    hit_words: dict[tuple[Any, ...], Phrase] = {}
    sum_words: dict[tuple[Any, ...], Phrase] = {}
    for i in range(ctx.n):
        if i in result.errors:
            ctx.issues.append(Issue.of(item.place_of("rule"), "score.formula",
                                       N_("scorecard {card}, item {item}, employee {employee}: {problem}"),
                                       card=ctx.code, item=item.code, employee=ctx.members[i].employee_id,
                                       problem=result.errors[i]))
        value = result.values[i]
        # the expression evaluator types a hit's band as object; it is the Band `lookup` found
        hits = cast("list[tuple[str, Band, Decimal]]", result.hits.get(i, []))
        parts = []
        for t, b, v in hits:
            key = exact_key((v,))
            part = hit_words.get((t, id(b), key)) if key is not None else None
            if part is None:
                part = _band_text(t, ctx.tables(t), b, v, _band_value(b))
                if key is not None:
                    hit_words[(t, id(b), key)] = part   # (the band is the table's: alive, its id its own)
            parts.append(part)
        places = [b.place for _, b, _ in hits if b.place]
        if value is None:
            out.append((None, parts, places, result.missing.get(i, set()) or {"?"}))
            continue
        row = {name: env[name][i] for name in env}
        bands = [b.value for _, b, _ in hits]
        key = exact_key((*row.values(), *bands, value))
        words = sum_words.get(key) if key is not None else None
        if words is None:
            # what is substituted is a measured value, a mean or a band value: a Decimal, or None
            sums = expressions.substituted(rule.formula, row, result.means, bands,
                                           lambda name, v: "no data" if v is None else
                                           (show(name, v) if name in UNITS else fmt(cast(Decimal, v))))
            words = formula(f"{sums} = {fmt(half_up(value))}")
            if key is not None:
                sum_words[key] = words
        out.append((value, [*parts, words], places, set()))
    return out


def exact_key(values: Iterable[Any]) -> tuple[Any, ...] | None:
    """A key equal only for values that are worded alike: each a Decimal by sign, digits and
    exponent (0.5 and 0.50 are equal but read apart; -0 and 0 too) or None; None (no key: word
    the row itself) when a value is anything else (a bool, a text, a subclass)."""
    key: list[Any] = []
    for v in values:
        if v is None:
            key.append(None)
        elif type(v) is Decimal:
            key.append(v.as_tuple())
        else:
            return None
    return tuple(key)


def _rank_bonus(item: Item, rule: RankBonusRule, ctx: _Context) -> list[Raw]:
    w = item.weight
    values = ctx.column(rule.measure)
    promo = ctx.promotion
    if promo is None:
        return [(w, [said(N_("no key promotion set for {period} → {weight}"), period=ctx.period, weight=w)],
                 [], set()) for _ in values]
    std = promo.standard
    # [004] "达到标准的得满分，超出标准的按排名进行加分": only those above the standard are ranked
    qualifiers = {i for i in ctx.rated_rows if values[i] is not None and values[i] > std}
    n = len(qualifiers)
    ranks = _ranks(values[i] for i in qualifiers)
    out: list[Raw] = []
    for i, v in enumerate(values):
        if v is None:
            v = ZERO
        if v > std:
            if i in qualifiers:
                rank = ranks[v]  # ties share the better rank
                bonus = Decimal(n - rank + 1)
                out.append((w + bonus, [said(N_("¥{value} > standard ¥{standard}: rank {rank} of {of} → {weight} + "
                                                "{bonus}"), value=fmt(v), standard=fmt(std), rank=rank, of=n,
                                             weight=w, bonus=fmt(bonus))], [], set()))
            else:
                out.append((w, [said(N_("¥{value} > standard ¥{standard}; not rated, no rank bonus → {weight}"),
                                     value=fmt(v), standard=fmt(std), weight=w)], [], set()))
        elif v == std:
            out.append((w, [said(N_("¥{value} = standard ¥{standard}: met, not exceeded, no rank bonus → {weight}"),
                                 value=fmt(v), standard=fmt(std), weight=w)], [], set()))
        else:
            out.append((w * v / std, [said(N_("¥{value} < standard ¥{standard} → {weight} × {value} ÷ {standard}"),
                                           value=fmt(v), standard=fmt(std), weight=w)], [], set()))
    return out


def _item_raw(item: Item, ctx: _Context) -> list[Raw]:
    """Per member, the raw points of the item's rule (see `Raw`): one function per rule kind."""
    rule = item.rule
    if isinstance(rule, BandRule):
        return _band_raw(item, rule, ctx)
    if isinstance(rule, LinearRule):
        return _linear_raw(item, rule, ctx)
    if isinstance(rule, PerEventRule):
        return _per_event_raw(item, rule, ctx)
    if isinstance(rule, RatingRule):
        return _rating_raw(item, rule, ctx)
    if isinstance(rule, RankBonusRule):
        return _rank_bonus(item, rule, ctx)
    if isinstance(rule, FormulaRule):
        return _formula_raw(item, rule, ctx)
    return []


def score_item(item: Item, ctx: _Context) -> list[ItemScore]:
    rounding = item.rounding or ctx.rounding
    names = _measure_names(item)
    columns = {name: ctx.column(name) for name in names}     # once per item, not once per member
    firsts = columns[names[0]] if names else [None] * ctx.n
    raws = _item_raw(item, ctx)
    scores = []
    english: dict[int, tuple[Phrase, str]] = {}    # each phrase object's English once (`spoken_once`)
    for i, (raw, phrases, places, missing) in enumerate(raws):
        inputs = {name: column[i] for name, column in columns.items()}
        flags: tuple[str, ...] = ()
        if raw is None:
            nd = item.when_no_data
            if nd is not None and missing:
                raw = item.weight if nd.give == "full" else ZERO
                phrases = [said(N_("nothing to measure → full {weight}"), weight=fmt(item.weight))
                           if nd.give == "full" else said(N_("nothing to measure → 0"))]
                flags = (nd.flag,) if nd.flag else ()
            else:
                raw = ZERO
                phrases = [*phrases, said(N_("no data for {names} → 0"),
                                          names=Listed(named(m) for m in sorted(missing)))
                           if missing else said(N_("no data for a value → 0"))]
                flags = tuple(f"no_data:{m}" for m in sorted(missing) if m != "?")
        points = raw
        if item.floor is not None and points < item.floor:
            points = item.floor
            phrases = [*phrases, said(N_("floored at {floor}"), floor=fmt(item.floor))]
        rounded = round_by(points, rounding)
        if rounding.mode != "half_up" and rounded != points:
            phrases = [*phrases, said(N_("rounded down → {points}") if rounded < points
                                      else N_("rounded toward zero → {points}"), points=fmt(rounded))]
        phrases = [*phrases, *(ctx.scopes[n] for n in names if n in ctx.scopes)]
        scores.append(ItemScore(firsts[i], rounded, spoken_once(phrases, "en", english), flags, inputs, places,
                                tuple(phrases)))
    return scores


# --- the card --------------------------------------------------------------------------------

def _multipliers(card: Scorecard, ctx: _Context) -> list[tuple[Decimal, Phrase, tuple[str, ...]]]:
    m = card.multiplier
    if m is None:
        return [(ONE, plain(""), ())] * ctx.n
    expr = expressions.parse(m.formula)
    env = {name: ctx.column(name) for name in expr.names}
    result = expressions.evaluate(expr, env, ctx.n, tables=ctx.tables, population=ctx.rated_rows)
    out: list[tuple[Decimal, Phrase, tuple[str, ...]]] = []
    for i in range(ctx.n):
        value = result.values[i]
        if i in result.errors:
            ctx.issues.append(Issue.of(m.place_of("formula"), "score.formula",
                                       N_("scorecard {card}, multiplier, employee {employee}: {problem}"),
                                       card=ctx.code, employee=ctx.members[i].employee_id, problem=result.errors[i]))
        if value is None:
            nd = m.when_no_data
            v = nd.value if nd else ONE
            out.append((v, said(N_("{name}: nothing to measure → {value}"), name=m.name, value=fmt(v)),
                        (nd.flag,) if nd and nd.flag else ()))
        else:
            shown = half_up(value, 4)
            inputs = ", ".join(f"{n} {fmt(env[n][i])}" for n in sorted(env))
            out.append((value, formula(f"{m.formula} = {fmt(shown)} ({inputs})", env, f"{m.name}: "), ()))
    return out


def _adjustments(card: Scorecard, member: Member) -> list[AdjustmentLine]:
    lines = []
    for adj in card.adjustments:
        if adj.per_recognition:
            count = int(member.recognitions.get(adj.per_recognition, 0))
        elif adj.for_ == "everyone":
            count = 1
        elif adj.for_ == "team_lead":
            count = 1 if member.team_lead else 0
        else:
            continue  # team competition: decided across the card
        if count:
            lines.append(AdjustmentLine(adj, count, adj.points * count))
    return lines


#: Whose complaints `complaint_unresolved_share` is taken over, by `complaint_resolution_scope`.
COMPLAINT_SCOPES = {"agent": N_("over the agent's own complaints"),
                    "team": N_("over the complaints of the agent's team"),
                    "department": N_("over the whole department's complaints")}


def measure_scopes(settings: MeasureSettings) -> dict[str, Phrase]:
    """The scope phrase of each measured value taken over more than one employee's rows."""
    return {"complaint_unresolved_share": said(COMPLAINT_SCOPES[settings.complaint_resolution_scope])}


def score_card(code: str, card: Scorecard, members: Sequence[Member], measured: Mapping[str, Sequence], *,
               tables: Tables, rounding: Rounding, promotion: Promotion | None,
               period: str, scopes: Mapping[str, Phrase] | None = None) -> tuple[CardScore, list[Issue]]:
    """Items, subtotal, multiplier and adjustments of one card (team competition, rank and grade
    come after, in `finish_card`). `scopes` (`measure_scopes`) says, after an item's rule, whose
    rows a measured value it names was taken over."""
    ctx = _Context(code, card, members, measured, tables, rounding, promotion, period, scopes)
    items = {item.code: score_item(item, ctx) for item in card.items}
    mults = _multipliers(card, ctx)
    scores = []
    for i, member in enumerate(members):
        subtotal = sum((items[c][i].points for c in items), ZERO)
        mult, mult_rule, mult_flags = mults[i]
        before = round_by(subtotal * mult, rounding)
        flags = [f for c in items for f in items[c][i].flags] + list(mult_flags)
        scores.append(MemberScore(member, {c: items[c][i] for c in items}, subtotal, mult, mult_rule.text(),
                                  before, _adjustments(card, member), flags=flags, multiplier_phrase=mult_rule))
    return CardScore(code, card, scores), ctx.issues


def _ranks(values: Iterable[Decimal]) -> dict[Decimal, int]:
    """Each value's rank, highest first; equal values share the better rank (1 + how many are
    higher), as the position of its first equal in the values sorted high to low."""
    ranks: dict[Decimal, int] = {}
    for at, v in enumerate(sorted(values, reverse=True), start=1):
        ranks.setdefault(v, at)
    return ranks


def team_winners(card: CardScore) -> set[str]:
    """Teams with the best mean total before adjustments of their rated members (ties all win)."""
    totals: dict[str, list[Decimal]] = {}
    for s in card.members:
        if s.member.rated and s.member.team:
            totals.setdefault(s.member.team, []).append(s.before_adjustments)
    if not totals:
        return set()
    means = {team: sum(v, ZERO) / len(v) for team, v in totals.items()}
    best = max(means.values())
    return {team for team, mean in means.items() if mean == best}


def finish_card(card: CardScore, grades: BandTable, training_grade: str, rounding: Rounding) -> None:
    """Team competition, totals, ranks, grades and flags — in place."""
    winners = team_winners(card)
    competition = [a for a in card.card.adjustments if a.for_ == "team_competition_winner"]
    for s in card.members:
        if competition and s.member.team in winners:
            s.adjustments += [AdjustmentLine(a, 1, a.points) for a in competition]
        if not s.member.rated:
            s.flags.append("not_rated")
            continue
        s.total = round_by(s.before_adjustments + s.adjustment_points, rounding)
        s.grade = lookup(grades, s.total).label
        if s.grade == training_grade:
            s.flags.append("training")
    ranks = _ranks(s.total for s in card.members if s.total is not None)
    for s in card.members:
        if s.total is not None:
            s.rank = ranks[s.total]
            if s.rank == 1:
                s.flags.append("award_candidate")
        s.flags = sorted(set(s.flags))


def measured_columns(values: pd.DataFrame, employee_ids: Sequence[str],
                     names: Iterable[str]) -> dict[str, list[Any]]:
    """Measured values of `employee_ids`, as lists per measure (None where absent)."""
    out: dict[str, list[Any]] = {}
    if not values.index.is_unique:
        for name in names:
            col = values[name] if name in values.columns else None
            out[name] = [None if col is None else _clean(col.get(e)) for e in employee_ids]
        return out
    # each employee's row found once for every measure (a unique index: `get` is one look-up)
    at = values.index.get_indexer(pd.Index(list(employee_ids), dtype=object))
    absent = at < 0
    for name in names:
        if name not in values.columns or values.empty:
            out[name] = [None] * len(at)
            continue
        cells = values[name].to_numpy(dtype=object)[at]      # (a fresh array: taken)
        cells[absent | pd.isna(cells)] = None                  # `_clean` of each, at once
        out[name] = cells.tolist()
    return out


def _clean(v: Any) -> Any:
    """Missing in any of pandas' spellings (None, NaN, NA) is None: nothing to measure."""
    return None if is_blank(v) else v
