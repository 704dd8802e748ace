"""A card holder's customer that the customer sheet now gives another national ID number
(`vip.card_events.holders_moved`): the card stays with its person, a warning names the row, no
second card is issued to the same customer (two statements of one customer stopped the close in a
traceback), and when every one of many holders moved, the ledger's key is refused instead."""

from __future__ import annotations

from dataclasses import replace

from csbatch.vip.card_events import ALL_MOVED
from test_vip import card, cards_of, customer, errors, history, idn, inputs, order, run


def test_a_holder_given_another_number_keeps_the_card_with_its_person_and_is_warned(policy):
    hist = history(cards=[card("F2026090001", idn(1), "C1", "2026-09-10", "2027-09-09")])
    result, issues = run(policy, "2026-10", inputs(policy, customers=[customer("C1", 2)]), hist)
    moved = [i for i in issues if i.code == "vip.holder_moved"]
    assert not errors(issues) and len(moved) == 1
    said = str(moved[0])
    assert said.startswith("customers.xlsx") and "C1" in said and "F2026090001" in said
    assert f"(ending {idn(2)[-4:]})" in said and idn(2) not in said and idn(1) not in said
    assert cards_of(result)["C1"]["person"] == card("x", idn(1), "C1", "", "")["person"]


def test_no_second_card_for_a_customer_holding_another_persons_card(policy):
    """The customer's new number is a person who qualifies: without the rule that person got a
    second card of the same customer, and publishing two statements named C1 stopped in a traceback."""
    hist = history(cards=[card("F2026090001", idn(1), "C1", "2026-09-10", "2027-09-09")])
    result, issues = run(policy, "2026-10", inputs(policy, customers=[customer("C1", 2)],
                                                   sales=[order("A1", "2026-10-05", "C1", "68800")]), hist)
    assert not errors(issues)
    assert list(result.cards["card_no"]) == ["F2026090001"]
    assert [s["customer_id"] for s in result.statements] == ["C1"]
    carded = [str(i) for i in issues if i.code == "vip.customer_carded"]
    assert len(carded) == 1 and "F2026090001" in carded[0] and carded[0].startswith("customers.xlsx")


def test_another_person_of_the_same_number_keeps_qualifying(policy):
    """The rule is one card per customer, not fewer cards: a holder whose number did not change and
    another customer who qualifies are both as before."""
    hist = history(cards=[card("F2026090001", idn(1), "C1", "2026-09-10", "2027-09-09")])
    result, issues = run(policy, "2026-10", inputs(policy, customers=[customer("C1", 1), customer("C2", 2)],
                                                   sales=[order("A1", "2026-10-05", "C2", "68800")]), hist)
    assert not [i for i in issues if i.code.startswith(("vip.holder_moved", "vip.customer_carded"))]
    assert sorted(result.cards["card_no"]) == ["F2026090001", "F2026100001"]


def _holders(n: int):
    return [card(f"F20260900{k:02d}", idn(k), f"C{k}", "2026-09-10", "2027-09-09") for k in range(1, n + 1)]


def test_every_one_of_many_holders_moved_is_the_ledgers_key_refused(policy):
    hist = history(cards=_holders(ALL_MOVED))
    moved = [customer(f"C{k}", 100 + k) for k in range(1, ALL_MOVED + 1)]
    _, issues = run(policy, "2026-10", inputs(policy, customers=moved), hist)
    refused = errors(issues)
    assert [i.code for i in refused] == ["vip.all_holders_moved"]
    assert f"every one of the {ALL_MOVED} card holders" in str(refused[0]) and "CSBATCH_ID_KEY" in str(refused[0])


def test_fewer_holders_or_one_unmoved_are_warnings(policy):
    few = ALL_MOVED - 1
    _, issues = run(policy, "2026-10", inputs(policy, customers=[customer(f"C{k}", 100 + k)
                                                                 for k in range(1, few + 1)]),
                    history(cards=_holders(few)))
    assert not errors(issues) and sum(i.code == "vip.holder_moved" for i in issues) == few
    one_stays = [customer("C1", 1)] + [customer(f"C{k}", 100 + k) for k in range(2, ALL_MOVED + 2)]
    _, issues = run(policy, "2026-10", inputs(policy, customers=one_stays), history(cards=_holders(ALL_MOVED + 1)))
    assert not errors(issues) and sum(i.code == "vip.holder_moved" for i in issues) == ALL_MOVED


def test_the_same_person_may_still_hold_two_programmes_where_the_policy_allows(policy):
    """`one_card_per_person: false`: a holder qualifying for another programme gets its card as
    before; only another person's card bars a customer."""
    two = replace(policy, vip=policy.vip.model_copy(update={"one_card_per_person": False}))
    hist = history(cards=[card("M2026090001", idn(1), "C1", "2026-09-10", "2027-09-09", "modern")])
    result, issues = run(two, "2026-10", inputs(two, customers=[customer("C1", 1)],
                                                sales=[order("A1", "2026-10-05", "C1", "68800")]), hist)
    assert not [i for i in issues if i.code == "vip.customer_carded"]
    assert sorted(result.cards["card_no"]) == ["F2026100001", "M2026090001"]
