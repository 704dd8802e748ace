"""Round 14 (issue 14, the staff pages at a million orders): an item no input row fed is an empty
`Places` without arrays, and each card item's policy place is worded once per card. Both must say
exactly what the old forms said."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from conftest import CONFIG, SAMPLES
from csbatch.closing.card_explanation import explain_card
from csbatch.closing.runs import run_until_written
from csbatch.scoring.measures_kit import Feeds, Places, joined_places

WHO = ["E1", "E2"]


def _rows(rng: random.Random, n: int) -> pd.DataFrame:
    return pd.DataFrame({
        "employee_id": [rng.choice([*WHO, None]) for _ in range(n)],
        "_file": [rng.choice(["a.xlsx", "b.csv", None]) for _ in range(n)],
        "_sheet": [rng.choice(["S1", None]) for _ in range(n)],
        "_row": pd.array([rng.choice([None, *range(2, 9)]) for _ in range(n)], dtype="Int64"),
    })


@pytest.mark.parametrize("exact", [True, False])
def test_places_of_no_part_are_an_empty_sequence(exact):
    feeds = Feeds.for_(WHO)
    feeds.exact = exact
    places = Places(feeds, [])
    assert len(places) == 0
    assert places[:] == [] and places[0:12] == [] and places[::2] == [] and list(places) == []
    assert places == [] and repr(places) == "[]" and not places
    for index in (0, -1, 5):
        with pytest.raises(IndexError):
            places[index]


@pytest.mark.parametrize("seed", range(8))
def test_joined_places_with_measures_never_fed_say_what_the_lists_say(seed):
    """Measures fed and never fed mixed (blank rows, repeats): the joined places are the
    `dict.fromkeys` of the worded lists, empty when none of the measures was fed."""
    rng = random.Random(seed)
    feeds = Feeds.for_(WHO)
    for _ in range(4):
        feeds.add(rng.sample(["a", "b", "c"], rng.randint(1, 2)), _rows(rng, rng.randint(0, 20)))
    got = feeds.result()
    plain = {key: list(got[key]) for key in got}
    for emp in [*WHO, "nobody"]:
        for names in (["a"], ["b", "c"], ["never"], [], ["never", "a", "a"], ["c", "never", "b"]):
            joined = joined_places(got, emp, names)
            want = list(dict.fromkeys(p for m in names for p in plain.get((emp, m), [])))
            assert list(joined) == want and len(joined) == len(want) and joined[:12] == want[:12]


@pytest.fixture(scope="module")
def computed():
    return run_until_written("2026-10", SAMPLES / "2026-10", CONFIG, through="payroll").state


def test_each_items_policy_place_is_the_items_own(computed):
    """The place kept per card is `str(item.place)`, for every member of every card, and a
    second explanation of the same member (the kept place read again) says the same."""
    seen = 0
    for card in computed.scores.cards.values():
        for member in card.members:
            eid = member.member.employee_id
            if computed.scores.member(eid)[0] is not card:    # explained with the first card listing them
                continue
            first, _ = explain_card(computed, eid, "zh")
            again, _ = explain_card(computed, eid, "en")
            assert first is not None and again is not None
            for item, line, line_again in zip(card.card.items, first.items, again.items):
                assert line.places[0] == line_again.places[0] == str(item.place)
                score = member.items[item.code]
                assert line.places[1:] == [str(p) for p in score.places if p is not None]
                seen += 1
    assert seen > 0
