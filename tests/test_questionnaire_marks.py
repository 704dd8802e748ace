"""The questionnaire's two cell-level rules on their own (csbatch.scoring.questionnaire): which
marks an item accepts, and how one audit's points become its score. test_questionnaire.py runs
them through `score_marks` and `score_audits`."""

from __future__ import annotations

from decimal import Decimal

import pytest

from csbatch.qa.questionnaire import _audit_score, _checked_mark

D = Decimal


@pytest.mark.parametrize("value, positive, expected", [
    (None, True, (None, None)),                      # N/A
    (D("1.5"), True, (D("1.5"), None)),
    (2, True, (D(2), None)),
    (D("2.5"), True, (None, "q1 mark 2.5 is not 0–2")),
    (D(-1), True, (None, "q1 mark -1 is not 0–2")),
    (1, False, (D(1), None)),
    (D("0.5"), False, (None, "q1 mark 0.5 is not 1 (violated) or 0")),
    (1.0, True, (None, "q1 mark 1.0 is not a Decimal mark")),
    ("√", True, (None, "q1 mark '√' is not a Decimal mark")),
])
def test_a_mark_is_in_range_for_its_item_kind(value, positive, expected):
    assert _checked_mark("q1", value, D(2), positive) == expected


def test_an_audit_score_is_earned_over_available_unless_it_has_no_score_or_fails_critically():
    assert _audit_score(D(7), D(9), False, False, D(100)) == D("77.78")
    assert _audit_score(D(7), D(9), True, False, D(100)) == D("0.00")
    assert _audit_score(D(7), D(9), False, True, D(100)) is None       # a bad mark
    assert _audit_score(D(0), D(0), False, False, D(100)) is None      # every item N/A
