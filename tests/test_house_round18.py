"""Round 18 house-keeping: the one lives in `csbatch.money` beside the two zeros, and the audit
modules take money's names (`half_up`, `ONE`) from money rather than through `csbatch.audit.kit`.

Every module that had a one defined `Decimal(1)` (exponent 0, prints "1"); a `Decimal("1.00")`
would be equal but would change the places of what it is subtracted from or multiplied by, so each
module must still hold exactly that one: the table below is what each module had, under the name
it used. `payroll.lines` keeps `ONE` importable because a test (and perhaps other code) takes it
from there; `audit.kit` keeps `half_up` importable because a test calls `kit.half_up`.
"""

from __future__ import annotations

import importlib
import re
from decimal import Decimal
from pathlib import Path

import pytest

from csbatch import money
from csbatch.audit import kit

SRC = Path(__file__).resolve().parents[1] / "src" / "csbatch"


def test_the_one_is_a_whole_one():
    assert str(money.ONE) == "1" and money.ONE.as_tuple().exponent == 0
    assert Decimal("1.00") == money.ONE              # equal to a one with places, yet it keeps none:
    assert str(money.ONE - Decimal("0.25")) == "0.75" and str(Decimal("1.0000") - Decimal("0.25")) == "0.7500"
    assert str(money.ONE * Decimal("2800")) == "2800" and str(money.ONE - money.ZERO) == "1"


# module, the name it uses, and where it had it from before round 18
BEFORE = [
    ("csbatch.vip.pricing", "ONE"),               # defined Decimal(1)
    ("csbatch.payroll.lines", "ONE"),             # defined Decimal(1)
    ("csbatch.qa.questionnaire", "_ONE"),         # defined Decimal(1)
    ("csbatch.attendance", "_ONE"),               # defined Decimal(1)
    ("csbatch.scoring.engine", "ONE"),            # defined Decimal(1)
    ("csbatch.payroll.fixed", "ONE"),             # from payroll.lines
    ("csbatch.payroll.orders", "ONE"),            # from payroll.lines
    ("csbatch.payroll.scored", "ONE"),            # from payroll.lines
    ("csbatch.audit.qa", "ONE"),                  # from audit.kit (which defined Decimal(1))
    ("csbatch.scoring.measures_service", "ONE"),  # from scoring.measures_kit (which defined Decimal(1))
    ("csbatch.scoring.measures_conduct", "ONE"),  # from scoring.measures_kit
]


@pytest.mark.parametrize(("module", "name"), BEFORE)
def test_each_module_keeps_its_one_and_takes_it_from_money(module, name):
    one = getattr(importlib.import_module(module), name)
    assert type(one) is Decimal and str(one) == "1" and one.as_tuple() == (0, (1,), 0)
    assert one is money.ONE


def test_no_module_defines_a_one_of_its_own():
    defined = re.compile(r"^\w+ *(?::[^=\n]+)?= *Decimal\((1|\"1(\.0*)?\"|'1(\.0*)?')\)", re.M)
    found = [str(p.relative_to(SRC)) for p in SRC.rglob("*.py") if defined.search(p.read_text("utf-8"))]
    assert found == ["money.py"]


def test_no_module_takes_the_one_from_anywhere_but_money():
    imports = re.compile(r"^from csbatch\.(?!money )[\w.]+ import (\([^)]*\)|[^\n]*)", re.M)
    found = [str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
             if any(re.search(r"\b_?ONE\b", names) for names in imports.findall(p.read_text("utf-8")))]
    assert found == []


# the audit modules that took money's rounding through audit.kit before round 18
AUDIT = ["complaints", "exceptions", "figures", "qa"]


@pytest.mark.parametrize("name", AUDIT)
def test_audit_modules_take_half_up_from_money(name):
    module = importlib.import_module(f"csbatch.audit.{name}")
    assert module.half_up is money.half_up
    text = (SRC / "audit" / f"{name}.py").read_text("utf-8")
    imported = " ".join(re.findall(r"^from csbatch\.audit\.kit import (\([^)]*\)|[^\n]*)", text, re.M))
    assert not set(re.findall(r"\w+", imported)) & set(money.__all__), imported


def test_audit_kit_still_offers_half_up_and_zero_as_money_s_own():
    assert kit.half_up is money.half_up and kit.ZERO is money.ZERO
    assert kit.half_up(Decimal("2.675")) == Decimal("2.68")
