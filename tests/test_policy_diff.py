"""The typed policy diff (`csbatch.policy.diff`): each rule change in words, values as the policy
writes them, band tables by their intervals; nothing for an unchanged policy."""

from __future__ import annotations

import pytest

from csbatch.policy.assembled import Policy
from csbatch.policy.diff import NOT_RULES, PARTS, describe_changes


def test_every_part_of_the_policy_is_compared():
    import dataclasses

    fields = {f.name for f in dataclasses.fields(Policy)}
    assert fields - NOT_RULES == set(PARTS)


def test_the_same_policy_has_no_changes(policy):
    assert describe_changes(policy, policy) == []


@pytest.fixture
def changed(policy_copy):
    before, issues = policy_copy.load()
    assert before is not None, issues
    return before, policy_copy


def load(copy):
    after, issues = copy.load()
    assert after is not None, "\n".join(map(str, issues))
    return after


def test_rates_money_and_times_read_as_the_policy_writes_them(changed):
    before, copy = changed
    copy.edit("pay.yaml", "      ecommerce_cs: 1%", "      ecommerce_cs: 1.2%")
    copy.edit("roles.yaml", "  base_pay: {min: 3000, max: 4000}", "  base_pay: {min: 3200, max: 4000}")
    copy.edit("vip.yaml", "single_order: 60000, trailing_12m: 150000", "single_order: 60000, trailing_12m: 160000")
    copy.edit("deadlines.yaml", "due: {kind: next_month, day: 2, at: 18:00}", "due: {kind: next_month, day: 3, at: 17:30}")
    assert describe_changes(before, load(copy)) == [
        "role supervisor base_pay min: ¥3,000 → ¥3,200",
        "pay component commission rate ecommerce_cs: 1% → 1.2%",
        "VIP programme flagship tier silver trailing_12m: ¥150,000 → ¥160,000",
        "deadline production_sheet due day: 2 → 3",
        "deadline production_sheet due at: 18:00 → 17:30",
    ]


def test_band_tables_by_interval_worded_by_their_use(changed):
    before, copy = changed
    copy.edit("bands.yaml", "- {from: 95%, to: 100%, value: 1}", "- {from: 95%, to: 100%, value: 2}")
    copy.edit("bands.yaml", "- {from: 80%, to: 95%, value: 2}", "- {from: 82%, to: 95%, value: 2}")
    copy.edit("bands.yaml", "- {from: 75%, to: 80%, value: 3}", "- {from: 75%, to: 82%, value: 3}")
    copy.edit("bands.yaml", "- {from: 85, to: 95, label: B, name: 良好}", "- {from: 85, to: 95, label: B+, name: 良好}")
    copy.edit("bands.yaml", "    - {to: 1000, to_inclusive: true, value: 30%}",
              "    - {to: 1000, to_inclusive: true, value: 32%}")
    assert describe_changes(before, load(copy)) == [
        "band table satisfaction_deduction band [95%, 100%) deduction: 1 → 2",
        "band table satisfaction_deduction band [75%, 80%) → [75%, 82%)",
        "band table satisfaction_deduction band [80%, 95%) → [82%, 95%)",
        "band table grades band [85, 95) grade: B → B+",
        "band table voucher_rate band (-∞, 1000] rate: 30% → 32%",
    ]


def test_added_and_removed_records_are_named(changed):
    before, copy = changed
    copy.edit("kpi/ecommerce.yaml", "multiplier:\n",
              "  - code: tidy\n    name: 整洁\n    weight: 0\n    rule: {kind: formula, formula: weight}\n\nmultiplier:\n")
    copy.edit("vip.yaml", "    - {code: valentines, name: 情人节, solar: 02-14}\n", "")
    assert describe_changes(before, load(copy)) == [
        "scorecard ecommerce item tidy (整洁) added",
        "VIP greetings festival valentines (情人节) removed",
    ]
