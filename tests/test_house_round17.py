"""Round 17 house-keeping: the two zeros live in `csbatch.money`, the page helpers in
`csbatch.reports.pages`.

The zeros are equal but not the same Decimal (`Decimal(0)` prints "0", `Decimal("0.00")` "0.00",
and a sum keeps the smaller exponent), so each module must still start from the zero it defined
before: the table below is what each module had. The page helpers moved out of `vip_statements`;
the names stay importable from there and must be the very same objects (one cached environment per
language, whichever module asks).
"""

from __future__ import annotations

import importlib
import re
from decimal import Decimal
from pathlib import Path

import pytest

from csbatch import money
from csbatch.reports import audit_page, pages, review_outputs, staff_statements, vip_statements

SRC = Path(__file__).resolve().parents[1] / "src" / "csbatch"


def test_the_two_zeros_say_which_is_which():
    assert str(money.ZERO) == "0" and money.ZERO.as_tuple().exponent == 0
    assert str(money.ZERO_CENTS) == "0.00" and money.ZERO_CENTS.as_tuple().exponent == -2
    assert money.ZERO == money.ZERO_CENTS            # equal, yet printed differently:
    assert str(sum([], money.ZERO)) == "0" and str(sum([], money.ZERO_CENTS)) == "0.00"
    assert str(money.ZERO_CENTS + Decimal(5)) == "5.00" and str(money.ZERO + Decimal(5)) == "5"


# module, the name it uses, and the zero it defined itself before round 17
BEFORE = [
    ("csbatch.grouping", "ZERO", "0"),
    ("csbatch.attendance", "_ZERO", "0"),
    ("csbatch.qa.questionnaire", "_ZERO", "0"),
    ("csbatch.scoring.measures_kit", "ZERO", "0"),
    ("csbatch.scoring.engine", "ZERO", "0"),
    ("csbatch.payroll.lines", "ZERO", "0"),
    ("csbatch.audit.kit", "ZERO", "0"),
    ("csbatch.closing.whatif", "ZERO", "0"),
    ("csbatch.reports.payroll_workbook", "ZERO", "0"),
    ("csbatch.vip.pricing", "ZERO", "0.00"),
    ("csbatch.payroll.changes", "ZERO", "0.00"),
    ("csbatch.ledger.vip_reads", "ZERO", "0.00"),
    # modules that imported ZERO from one of the above
    ("csbatch.vip.members", "ZERO", "0.00"),
    ("csbatch.vip.purchases", "ZERO", "0.00"),
    ("csbatch.vip.card_events", "ZERO", "0.00"),
    ("csbatch.vip.discount_check", "ZERO", "0.00"),
    ("csbatch.vip.points", "ZERO", "0.00"),
    ("csbatch.payroll.records", "ZERO", "0"),
    ("csbatch.payroll.compute", "ZERO", "0"),
    ("csbatch.payroll.scored", "ZERO", "0"),
    ("csbatch.payroll.fixed", "ZERO", "0"),
    ("csbatch.payroll.orders", "ZERO", "0"),
    ("csbatch.audit.complaints", "ZERO", "0"),
    ("csbatch.audit.figures", "ZERO", "0"),
    ("csbatch.scoring.measures", "ZERO", "0"),
    ("csbatch.scoring.measures_sales", "ZERO", "0"),
    ("csbatch.scoring.measures_conduct", "ZERO", "0"),
]


@pytest.mark.parametrize(("module", "name", "shown"), BEFORE)
def test_each_module_keeps_its_zero_and_takes_it_from_money(module, name, shown):
    zero = getattr(importlib.import_module(module), name)
    assert str(zero) == shown
    assert zero is (money.ZERO if shown == "0" else money.ZERO_CENTS)


def test_no_module_defines_a_zero_of_its_own():
    defined = re.compile(r"^_?ZERO\w* = Decimal\(", re.M)
    found = [str(p.relative_to(SRC)) for p in SRC.rglob("*.py") if defined.search(p.read_text("utf-8"))]
    assert found == ["money.py"]


SHARED = ["environment", "write_page", "page_renderer", "period_label", "statement_filename", "DASH", "money"]


@pytest.mark.parametrize("name", SHARED)
def test_vip_statements_names_are_the_page_helpers_themselves(name):
    assert getattr(vip_statements, name) is getattr(pages, name)


def test_the_staff_audit_and_review_pages_take_the_helpers_from_pages():
    for module, names in [(staff_statements, ["environment", "page_renderer", "period_label",
                                              "statement_filename", "write_page"]),
                          (audit_page, ["DASH", "environment", "period_label"]),
                          (review_outputs, ["environment", "period_label"])]:
        for name in names:
            assert getattr(module, name) is getattr(pages, name), (module.__name__, name)
    assert vip_statements.environment("zh") is pages.environment("zh")
    for path in (SRC / "reports").glob("*.py"):
        if path.name != "vip_statements.py":
            assert "from csbatch.reports.vip_statements import" not in path.read_text("utf-8"), path.name
