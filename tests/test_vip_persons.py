"""`People.persons` is `People.person` of each id: the VIP stage's many-id form."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from csbatch.vip.people import ANONYMOUS, People


@given(known=st.dictionaries(st.text(max_size=6), st.text(max_size=6), max_size=8),
       asked=st.lists(st.text(max_size=6), max_size=20))
def test_persons_is_person_of_each(known, asked):
    people = People(person_by_customer=known)
    ids = asked + list(known)
    assert people.persons(ids) == [people.person(c) for c in ids]


def test_a_customer_without_a_person_is_anonymous_and_an_empty_person_too():
    people = People(person_by_customer={"KH1": "p1", "KH2": ""})
    assert people.persons(["KH1", "KH2", "KH3"]) == ["p1", ANONYMOUS + "KH2", ANONYMOUS + "KH3"]
