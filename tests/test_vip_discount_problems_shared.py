"""The discount audit words each problem once and shares it between the rows that have it (issue
14): a `Reason` keeps its figures to be worded in Chinese (~1.5 KB a row), and at a million
orders a month with a year of members the audit flagged 104k orders with 6k distinct problems,
160 MB held in the VIP stage and again in the close. A shared problem reads the same in every
language as one worded for its row alone."""

from __future__ import annotations

import pandas as pd

from csbatch.reports.vip_workbook import _once_per_text, _shown
from csbatch.rules.reasons import Reason, worded
from test_vip import customer, inputs, order, run


def test_equal_problems_are_one_reason_and_read_as_before(policy):
    result, _ = run(policy, "2026-10", inputs(policy, customers=[customer("C1", 1), customer("C2", 2)], sales=[
        order("Q1", "2026-10-01", "C1", "68800"), order("Q2", "2026-10-01", "C2", "68800"),   # their cards
        order("A1", "2026-10-20", "C1", "2000"), order("A2", "2026-10-21", "C2", "2000"),      # no discount
        order("A3", "2026-10-22", "C1", "2000"),
        order("B1", "2026-10-23", "C1", "2720", list_amount="3200"),                          # another price
        order("S1", "2026-10-24", "C1", "1152", category="special_price", list_amount="1280"),
        order("S2", "2026-10-25", "C2", "1000", category="special_price", list_amount="1280")]))
    audit = result.discount_audit
    problems = dict(zip(audit["order_id"], audit["problem"]))
    assert sorted(problems) == ["A1", "A2", "A3", "B1", "S1", "S2"]
    assert problems["A1"] is problems["A2"] is problems["A3"]
    assert problems["S1"] is problems["S2"]
    assert problems["B1"] is not problems["A1"] and problems["B1"] != problems["A1"]
    assert all(isinstance(p, Reason) for p in problems.values())
    assert {o: (p, p.text("zh")) for o, p in problems.items() if o in ("A1", "B1", "S1")} == {
        "A1": ("paid ¥2,000, expected ¥1,800 (silver 90%)", "实付¥2,000，应收¥1,800（银卡90%）"),
        "B1": ("paid ¥2,720, expected ¥2,880 (silver 90%)", "实付¥2,720，应收¥2,880（银卡90%）"),
        "S1": ("special-price item discounted", "特价商品被打折")}


def test_the_workbook_words_each_shared_problem_once(policy):
    """The VIP workbook's problem column asks each `Reason` object its words once
    (`vip_workbook._once_per_text`): a problem shared by many rows is worded once. Two reasons
    of one English are two objects, each asked: their Chinese can differ."""
    silver = Reason.of("off_terms", paid="¥2,000", expected="¥1,800",
                       terms=Reason.of("card_rate", tier=Reason.named("silver", "银卡"), rate="90%"))
    other = Reason.of("off_terms", paid="¥2,000", expected="¥1,800",
                      terms=Reason.of("card_rate", tier=Reason.named("silver", "专业银卡"), rate="90%"))
    asked: list[object] = []

    def word(value):
        asked.append(value)
        return worded(value, "zh")

    each = _once_per_text(word)
    column = [silver, silver, other, silver, other]
    assert [each(p) for p in column] == [worded(p, "zh") for p in column]
    assert [id(p) for p in asked] == [id(silver), id(other)]
    assert worded(silver, "zh") != worded(other, "zh") and silver == other

    frame = pd.DataFrame({"problem": pd.Series(column, dtype=object)})
    for lang in ("zh", "en"):
        assert _shown(frame, lang)["problem"].tolist() == [worded(p, lang) for p in column]
