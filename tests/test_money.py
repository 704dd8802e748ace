"""csbatch.money: the one place figures are rounded. Ties go half-up (2.675 → 2.68, −2.5 → −3);
`floor` and the policy's `down` differ below zero; floats are refused rather than rounded from
their binary expansion. Each user's own tie is tested beside it: a VIP price and a voucher
(test_vip), a payroll line (test_payroll, order bonus 132.585), a QA score (test_questionnaire,
90.625) and the `down`/`floor` modes through the scoring engine (test_engine)."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, localcontext
from decimal import Decimal as D

import pytest

from csbatch.money import floor, half_up, round_by, rounded, to_cents
from csbatch.policy.scorecards import Rounding


def test_ties_go_half_up():
    assert to_cents(D("2.675")) == D("2.68")
    assert half_up(D("90.625")) == D("90.63")
    assert half_up(D("-2.5"), 0) == D("-3") and half_up(D("2.5"), 0) == D("3")
    assert half_up(D("0.92305"), 4) == D("0.9231")
    assert to_cents(7) == D("7.00")


def test_a_float_is_refused_not_rounded_from_its_binary_expansion():
    # D(2.675) is 2.67499999999999982236431605997495353221893310546875: it would give ¥2.67
    with pytest.raises(TypeError, match="float"):
        to_cents(2.675)  # type: ignore[arg-type]


def test_floor_and_down_differ_below_zero():
    assert floor(D("-1.5")) == D("-2") and floor(D("1.5")) == D("1")
    assert rounded(D("-1.5"), 0, "down") == D("-1") and rounded(D("1.5"), 0, "down") == D("1")
    assert floor(D("2.679"), 2) == D("2.67")


def test_a_policy_rule_rounds_by_its_mode():
    assert round_by(D("-40.5"), Rounding(places=0, mode="down")) == D("-40")
    assert round_by(D("-40.5"), Rounding(places=0, mode="floor")) == D("-41")
    assert round_by(D("2.675"), Rounding()) == D("2.68")


def test_a_callers_decimal_context_does_not_change_rounding():
    with localcontext() as ctx:
        ctx.rounding = ROUND_HALF_EVEN
        ctx.prec = 3
        assert to_cents(D("12345.675")) == D("12345.68")
