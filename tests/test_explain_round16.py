"""Round 16 (issue 14): the staff pages' joined places dedupe their keys by a sort, and a single
part skips the generic checks; an item's rule is worded once per phrase object. Held to the old
forms, kept here: `_first_mentions` against the old one (a dict below 256 keys, an Index above)
and `Places` against the old constructor (every part deduped by identity, then checked), on
repeats, shared parts, text parts, inexact feeds, empty parts and sizes on either side of each
limit; every item's rule of the sample month against `ItemScore.rule_in`, in both languages and
asked twice (the kept words read again), against the old `rule_in` (`spoken`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CONFIG, SAMPLES
from csbatch.closing.card_explanation import explain_card, kept
from csbatch.closing.runs import run_until_written
from csbatch.scoring.engine import ItemScore, plain, said, spoken
from csbatch.scoring.measures_kit import (
    _FEW_KEYS,
    _MANY_KEYS,
    _ROW_BITS,
    Feeds,
    Places,
    Sources,
    _Fed,
    _first_mentions,
)


def _old_first_mentions(keys: np.ndarray) -> np.ndarray:
    """Round 15's `_first_mentions`."""
    if len(keys) > 256:
        return np.flatnonzero(~pd.Index(keys).duplicated())
    first: dict[int, int] = {}
    for at, key in enumerate(keys.tolist()):
        first.setdefault(key, at)
    return np.fromiter(first.values(), dtype=np.intp, count=len(first))


class _OldPlaces(Places):
    """Round 15's `Places.__init__` (the reading methods are the class's, unchanged)."""

    def __init__(self, feeds: Feeds, parts: list[_Fed | str]) -> None:
        parts = list({id(p): p for p in parts}.values())
        self._feeds, self._parts = feeds, parts
        self._texts = None
        self._first = None
        if not parts:
            self._texts = []
            return
        if not (feeds.exact and all(isinstance(p, _Fed) for p in parts)):
            self._texts = list(dict.fromkeys(t for p in parts for t in self._part_texts(p)))
            return
        fed = cast("list[_Fed]", parts)
        if len(fed) == 1:
            self._n = len(fed[0].keys)
            if not fed[0].unique:
                self._first = _old_first_mentions(fed[0].keys)
                self._n = len(self._first)
            return
        sizes = np.array([len(p.keys) for p in fed], dtype=np.intp)
        self._ends = np.cumsum(sizes)
        self._starts = self._ends - sizes
        keys = np.concatenate([p.keys for p in fed])
        self._first = _old_first_mentions(keys)
        self._n = len(self._first)


def _keys(rng: np.random.Generator, n: int, spread: int) -> np.ndarray:
    places = rng.integers(0, 3, n).astype(np.int64) << _ROW_BITS
    return places | rng.integers(0, max(1, spread), n).astype(np.int64)


def test_first_mentions_are_the_old_ones_on_either_side_of_each_limit():
    rng = np.random.default_rng(16)
    sizes = (0, 1, 2, 3, _FEW_KEYS - 1, _FEW_KEYS, _FEW_KEYS + 1, 255, 256, 257, _MANY_KEYS - 1, _MANY_KEYS,
             _MANY_KEYS + 1, 4000)
    for n in sizes:
        for spread in (1, 2, max(1, n // 3), n + 1, 4 * n + 1):
            keys = _keys(rng, n, spread)
            want = _old_first_mentions(keys)
            got = _first_mentions(keys)
            assert got.tolist() == want.tolist() and got.dtype == want.dtype
            # sorted, reversed and all-equal keys (a stable sort's edge cases)
            for odd in (np.sort(keys), keys[::-1].copy(), np.full(n, 7 << _ROW_BITS, dtype=np.int64)):
                assert _first_mentions(odd).tolist() == _old_first_mentions(odd).tolist()


def test_first_mentions_keep_extreme_keys_apart():
    keys = np.array([np.iinfo(np.int64).max, 0, -1, np.iinfo(np.int64).min, 0] * 40, dtype=np.int64)
    assert _first_mentions(keys).tolist() == _old_first_mentions(keys).tolist() == [0, 1, 2, 3]


def _feeds(exact: bool = True) -> Feeds:
    feeds = Feeds.for_(["E1"])
    for place in ("a.xlsx[S1]", "b.csv", "c (1).xlsx[订单]", "<b>&amp;</b>.xlsx[S]"):
        feeds._id(place, "")
        feeds._id(place, "late")
    feeds.exact = exact
    return feeds


def _part(rng: np.random.Generator, feeds: Feeds, n: int, spread: int) -> _Fed:
    ids = rng.integers(0, len(feeds.words), n).astype(np.int64)
    rows = rng.integers(0, max(1, spread), n).astype(np.int64)
    keys = (ids << _ROW_BITS) | rows
    unique = bool(pd.Index(keys).is_unique)
    note: str | np.ndarray = feeds.words[0][1] if n % 2 else np.array([feeds.words[i][1] for i in ids], dtype=object)
    return _Fed(keys, note, unique)


def _same(feeds: Feeds, parts: list[Any]) -> None:
    got, want = Places(feeds, list(parts)), _OldPlaces(feeds, list(parts))
    assert len(got) == len(want)
    assert list(got) == list(want)
    assert got[:12] == want[:12] and got[3:9] == want[3:9] and got[::3] == want[::3]
    if len(want):
        assert got[-1] == want[-1] and got[0] == want[0]
        assert [type(x) for x in got] == [type(x) for x in want]


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), sizes=st.lists(st.integers(0, 1500), min_size=0, max_size=5),
       spread=st.sampled_from([1, 3, 40, 400, 5000]), shared=st.booleans(), text=st.booleans(),
       exact=st.booleans())
def test_places_say_what_the_old_constructor_said(seed, sizes, spread, shared, text, exact):
    rng = np.random.default_rng(seed)
    feeds = _feeds(exact)
    parts: list[Any] = [_part(rng, feeds, n, spread) for n in sizes if n]
    if shared and parts:
        parts.append(parts[0])              # one `add` behind two measures
        parts.insert(0, parts[-1])
    if text:
        parts.append(rng.choice(["free text", "a.xlsx[S1]!row 3", "", "<script>"]))
    _same(feeds, parts)


def test_places_of_one_part_each_kind():
    rng = np.random.default_rng(5)
    for exact in (True, False):
        feeds = _feeds(exact)
        for n, spread in ((1, 1), (30, 3), (30, 1000), (600, 50), (3000, 100), (3000, 10 ** 6)):
            _same(feeds, [_part(rng, feeds, n, spread)])
        _same(feeds, ["only a text"])
        _same(feeds, [])
        part = _part(rng, feeds, 80, 10)
        _same(feeds, [part, part, part])


def test_sources_joined_is_the_old_join():
    rng = np.random.default_rng(7)
    feeds = _feeds()
    a, b = _part(rng, feeds, 300, 60), _part(rng, feeds, 20, 5)
    feeds.parts.update({("E1", "m1"): [a], ("E1", "m2"): [a, b], ("E1", "m3"): ["text"], ("E1", "m4"): []})
    sources = Sources(feeds)
    for measures in (["m1"], ["m2"], ["m1", "m2"], ["m2", "m3"], ["m4"], ["nothing"], [], ["m3", "m1", "m1"]):
        got = sources.joined("E1", measures)
        want = _OldPlaces(feeds, [p for m in measures for p in feeds.parts.get(("E1", m), [])])
        assert list(got) == list(want) and len(got) == len(want)
    assert list(sources.joined("E9", ["m1"])) == []


@pytest.fixture(scope="module")
def computed():
    return run_until_written("2026-10", SAMPLES / "2026-10", CONFIG, through="payroll").state


def test_each_items_rule_is_rule_in(computed):
    seen = 0
    for lang in ("zh", "en", "zh", "en"):
        for card in computed.scores.cards.values():
            for member in card.members:
                eid = member.member.employee_id
                if computed.scores.member(eid)[0] is not card:
                    continue
                explained, _ = explain_card(computed, eid, lang)
                assert explained is not None
                for item, line in zip(card.card.items, explained.items):
                    score = member.items[item.code]
                    assert line.rule == (spoken(score.phrases, lang) if score.phrases else score.rule)
                    seen += 1
    assert seen > 0
    assert kept(computed.scores, "phrases said in zh", dict)       # the words were kept


def test_rule_in_of_shared_new_and_phraseless_items():
    said_once: dict = {}
    shared = said("{value} is outside every band of {table}", value="1.50", table="t")
    items = [ItemScore(None, Decimal(0), "the rule"),
             ItemScore(None, Decimal(0), "r", phrases=(shared, plain("{x}"), shared)),
             ItemScore(None, Decimal(0), "r", phrases=(shared,)),
             ItemScore(None, Decimal(0), "r", phrases=(said("floored at {floor}", floor="<b>0</b>"),))]
    for lang in ("zh", "en"):
        said_once.clear()
        for _ in range(2):
            assert [x.rule_in(lang, said_once) for x in items] == \
                [spoken(x.phrases, lang) if x.phrases else x.rule for x in items]
    # an id reused by another object after the first was freed is worded again, not read back
    said_once.clear()
    gone = said("rated {value} of {weight}", value="1", weight="2")
    said_once[id(gone)] = (said("nothing to measure → 0"), "stale")
    assert ItemScore(None, Decimal(0), "r", phrases=(gone,)).rule_in("en", said_once) == "rated 1 of 2"
