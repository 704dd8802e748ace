"""What every kind of golden case shares: how expected text is compared with what a rule gave and
how the got value is shown on failure (one place, so every case reads `expected 66, got 65` the
same way), and `Row`, an input row a case writes column by column."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from pydantic import ConfigDict

from csbatch.errors import Source
from csbatch.i18n import N_, Said
from csbatch.policy.bands import fmt
from csbatch.policy.base import Model, parse_money, parse_rate

#: what an expectation writes for "nothing" (no line, no card, no due time)
NONE_WORDS = ("none", "null", "")


def same(expected: str, got) -> bool:
    """Numbers compare as numbers (95% = 0.95, ¥1,000 = 1000), lists as sets of words, None as
    `none`, everything else as text."""
    if isinstance(got, Decimal):
        try:
            return parse_rate(expected) == got
        except (ValueError, InvalidOperation):
            try:
                return parse_money(expected) == got
            except (ValueError, InvalidOperation):
                return False
    if isinstance(got, (list, tuple)):
        return sorted(expected.split()) == sorted(got)
    if got is None:
        return expected.strip().lower() in NONE_WORDS
    return expected == str(got)


def shown(got) -> str:
    if isinstance(got, Decimal):
        return fmt(got)
    if isinstance(got, (list, tuple)):
        return " ".join(got) or "(none)"
    return "none" if got is None else str(got)


def money(amount: Decimal | None) -> str:
    """A pay line's amount as the payroll sheet shows it: to its cents (115.80)."""
    return "none" if amount is None else f"{amount:f}"


def compare(label: str, want: str, got, why: str = "", as_text=shown) -> list[Said]:
    """[] when `got` is `want`, else the failure line `label: expected …, got …` (`as_text(got)`,
    with the rule that gave it, when known)."""
    if same(want, got):
        return []
    return [expected_got(label, want, as_text(got), why)]


def expected_got(label: str, want: object, got: object, why: object = "") -> Said:
    """The failure line `label: expected …, got …` (with the rule or reason that gave it, when known)."""
    if why:
        return Said(N_("{label}: expected {want}, got {got} ({why})"), label=label, want=want, got=got, why=why)
    return Said(N_("{label}: expected {want}, got {got}"), label=label, want=want, got=got)


def not_in_case(employee: str) -> Said:
    return Said(N_("{employee}: not an employee of the case"), employee=employee)


def no_role(employee: str, role: str) -> Said:
    return Said(N_("{employee}: role '{role}' does not exist"), employee=employee, role=role)


class Row(Model):
    """An input row as a case writes it: column name → cell as written (the input kind's columns,
    docs/inputs.md; the real coercer types them). A model only so it knows its line."""

    model_config = ConfigDict(extra="allow", frozen=True)

    def cells(self) -> dict[str, object]:
        return dict(self.model_extra or {})

    def where(self, fallback: Source) -> Source:
        return self.place or fallback
