"""The scorecard half of `csbatch explain`: one employee's items as the close computed them (the
measured values, the input rows behind them, the band or formula and its policy place, the
points) and how the total follows. Apart from `explanation` (which runs the stages) so the
close's publish step can build each employee's `staff/ID.html` from the same explanation
without importing the runner (no cycle)."""

from __future__ import annotations

import unicodedata
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar, cast

import pandas as pd

from csbatch.closing.state import CloseState, need
from csbatch.errors import Issue
from csbatch.i18n import N_, Named, resolve_lang
from csbatch.scoring.cards import describe_total
from csbatch.scoring.engine import CardScore, Phrase
from csbatch.scoring.measures_kit import joined_places

T = TypeVar("T")


@dataclass
class ItemLine:
    code: str
    name: str
    weight: Decimal
    measured: list[tuple[str, object]]      # (measure, value) the rule used
    sources: Sequence[str]                   # input rows behind those values
    rule: str
    places: list[str]                        # policy places: the item, then bands applied
    points: Decimal
    flags: tuple[str, ...]


@dataclass
class Explanation:
    period: str
    employee_id: str
    name: str
    role: str
    team: str | None
    card_code: str
    card_name: str
    rated: bool
    items: list[ItemLine]
    multiplier: str
    total_text: str
    grade: str | None
    rank: int | None
    population: int
    flags: list[str]
    lang: str = "zh"                         # the language of the texts above and of rendering


def width(text: str) -> int:
    """How many columns `text` takes in a terminal (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def coded(lang: str, code: str, name: str, sep: str = " ") -> str:
    """A policy name, after its code in English (as `explain` always printed it); in any other
    language the name alone (a person reads no code)."""
    return f"{code}{sep}{name}" if resolve_lang(lang) == "en" else name


def label_column(*labels: str) -> list[str]:
    """Labels padded to one column (at least ten wide) so the texts after them line up."""
    wide = max(10, *(width(x) + 1 for x in labels))
    return [x + " " * (wide - width(x)) for x in labels]


#: (id of the owner, what) → (the owner, weakly, what `kept` built of it)
_kept: dict[tuple[int, str], tuple[weakref.ref[Any], Any]] = {}


def kept(owner: object, what: str, build: Callable[[], T]) -> T:
    """`build()`, computed on the first call for `owner` (a close's payroll, a scorecard, the
    roster) and kept while `owner` lives: what explaining every employee of a month (its staff
    pages) looks up in the month's results, built once for all of them instead of a scan per
    employee."""
    key = (id(owner), what)
    found = _kept.get(key)
    if found is not None and found[0]() is owner:
        return cast(T, found[1])
    value = build()
    _kept[key] = (weakref.ref(owner, lambda _: _kept.pop(key, None)), value)
    return value


def _first_rows(frame: pd.DataFrame) -> dict[Any, int]:
    """employee_id → position of the employee's first row of `frame`."""
    rows: dict[Any, int] = {}
    for i, eid in enumerate(frame["employee_id"]):
        rows.setdefault(eid, i)
    return rows


def first_row_of(frame: pd.DataFrame, employee_id: str) -> int | None:
    """The position of `employee_id`'s first row of `frame` (a DataFrame with an employee_id
    column), by an index built once per frame; None when it has none."""
    return kept(frame, "rows by employee", lambda: _first_rows(frame)).get(employee_id)


def _population(card: CardScore) -> int:
    """How many of the card's members are rated (counted once per card)."""
    return kept(card, "rated members", lambda: sum(1 for x in card.members if x.member.rated))


def _item_places(card: CardScore) -> dict[str, str]:
    """Each item's policy place as text, worded once per card: the same for every member, and
    `item.place` goes through pydantic's attribute look-up (6% of the staff pages' explaining at a
    million orders, 5,000 employees × their items)."""
    return kept(card, "item places", lambda: {item.code: str(item.place) for item in card.card.items})


def explain_card(state: CloseState, employee_id: str, lang: str = "zh") -> tuple[Explanation | None, list[Issue]]:
    """The scorecard explanation of `employee_id` in the state the computing stages left (what
    `explain` prints and what the close's `staff/ID.html` page shows), its rules in words in
    `lang`."""
    period, policy, scores = state.period, need(state.policy, "policy"), need(state.scores, "scores")
    card, score = scores.member(employee_id)
    if card is None or score is None:
        roster = need(state.inputs, "inputs")["roster"]
        at = first_row_of(roster, employee_id)
        if at is None:
            return None, [Issue.of(None, "explain.no_card", N_("employee {employee} is not in the roster"),
                                   employee=employee_id)]
        role = roster.iloc[at]["role"]
        if policy.roles[role].scorecard is None:
            return None, [Issue.of(None, "explain.no_card",
                                   N_("employee {employee} has the role {role}, which has no scorecard"),
                                   employee=employee_id, role=Named(role, policy.roles[role].name))]
        return None, [Issue.of(None, "explain.no_card", N_("employee {employee} is not employed in {period}"),
                               employee=employee_id, period=period)]
    sources = need(state.measured, "measured").sources
    item_places = _item_places(card)
    # each phrase object's words, once per month's scores and language (`ItemScore.rule_in`)
    said: dict[int, tuple[Phrase, str]] = kept(scores, f"phrases said in {resolve_lang(lang)}", dict)
    items = []
    for item in card.card.items:
        s = score.items[item.code]
        used = list(s.inputs.items())
        # without repeats, first mention first, worded only when read (a salesperson's measures
        # name thousands of order rows in a 100k-order month; a page shows a dozen)
        rows = joined_places(sources, employee_id, [name for name, _ in used])
        places = [item_places[item.code]] + [str(p) for p in s.places if p is not None]
        items.append(ItemLine(item.code, item.name, item.weight, used, rows, s.rule_in(lang, said), places,
                              s.points, s.flags))
    m = score.member
    role_name = policy.roles[m.role].name if m.role in policy.roles else m.role
    return Explanation(period, employee_id, m.name, role_name, m.team, card.code, card.card.name, m.rated,
                       items, score.multiplier_in(lang), describe_total(score, lang), score.grade, score.rank,
                       _population(card), score.flags, lang), []


__all__ = ["Explanation", "ItemLine", "coded", "explain_card", "first_row_of", "kept", "label_column", "width"]
