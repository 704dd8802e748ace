"""Rounding, in one place: money to the cent half-up, scores and shares to their places, and the
policy's rounding modes.

Every figure csbatch shows (a price, a voucher, a pay line, a QA score, a mean, a share) is rounded
here, so a tie (2.675, 90.625) goes the same way everywhere and a test of one user proves the rule
for all. Values are `Decimal` (or `int`); a float is refused, because `Decimal(2.675)` is
2.67499999… and would round to the wrong cent without a word — readers turn cells into Decimal
first (sheets/coerce), and display code that may hold a pandas float converts through `str`.

The policy's modes (`rounding: {places, mode}`) keep the names Python's `decimal` gives them:
`half_up` (四舍五入: 2.675 → 2.68, −2.5 → −3), `down` (toward zero: −1.5 → −1) and `floor`
(toward −∞: −1.5 → −2). Rounding goes through `CONTEXT`, so a caller's `localcontext` cannot
change how a figure rounds; arithmetic before rounding uses Python's default context (28
significant digits), far below a cent.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal, DivisionByZero, InvalidOperation, Overflow
from typing import Protocol

__all__ = ["CONTEXT", "MODES", "ONE", "ZERO", "ZERO_CENTS", "Rule", "floor", "half_up", "round_by", "rounded",
           "to_cents"]

#: 28 significant digits (Python's default) and every error trapped: an amount too long to round
#: to its places is an error, never a silently different number.
CONTEXT = Context(prec=28, rounding=ROUND_HALF_UP, traps=[InvalidOperation, DivisionByZero, Overflow])

#: The policy's rounding modes (`rounding: {mode: ...}`) and what `decimal` calls them.
MODES = {"half_up": ROUND_HALF_UP, "down": ROUND_DOWN, "floor": ROUND_FLOOR}

# The two zeros sums start from, in one place. They are equal but not the same Decimal: a sum
# keeps the smallest exponent of its terms, so `sum([], ZERO)` prints "0" and `sum([], ZERO_CENTS)`
# "0.00", and `ZERO_CENTS + Decimal("5")` is "5.00". Which one a module starts from can show in
# its output; each module imports the one it always had (a module of its own defined each before).

#: Zero as a whole number (`Decimal(0)`, exponent 0, prints "0"): counts, scores, pay and
#: attendance sums, which take their places from their terms.
ZERO = Decimal(0)

#: Zero to the fen (`Decimal("0.00")`, exponent −2, prints "0.00"): the VIP spend and price sums
#: and the pay-change amounts, which show two places even when nothing was added.
ZERO_CENTS = Decimal("0.00")

#: One as a whole number (`Decimal(1)`, exponent 0, prints "1"): the full-price card rate, the
#: whole of a share (`ONE - share`), a mark of one. Every module that had a one defined this
#: very value and now imports it (under the name it used); like `ZERO` it keeps exponent 0, so
#: `ONE - Decimal("0.25")` is "0.75", where a `Decimal("1.0000")` would make it "0.7500".
ONE = Decimal(1)


class Rule(Protocol):
    """A rounding rule as the policy writes it: `{places: 2, mode: half_up}`."""

    @property
    def places(self) -> int: ...

    @property
    def mode(self) -> str: ...


def rounded(value: Decimal | int, places: int, mode: str) -> Decimal:
    """`value` to `places` decimals (0 = whole numbers, negative = tens, hundreds) by a mode of
    `MODES`."""
    if not isinstance(value, (Decimal, int)) or isinstance(value, bool):
        raise TypeError(f"rounding needs a Decimal or an int, not {type(value).__name__} ({value!r})")
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=MODES[mode], context=CONTEXT)


def half_up(value: Decimal | int, places: int = 2) -> Decimal:
    """四舍五入: 2.675 → 2.68, 90.625 → 90.63, −2.5 → −3 (at 0 places)."""
    return rounded(value, places, "half_up")


#: A fen: what `to_cents` rounds to.
_CENT = Decimal("0.01")


def to_cents(amount: Decimal | int) -> Decimal:
    """An amount of money to the fen, half-up: ¥350.345 → ¥350.35. A Decimal is quantized at
    once (the CSV writers call this for every money cell of a million-row column)."""
    if type(amount) is Decimal:
        return amount.quantize(_CENT, ROUND_HALF_UP, CONTEXT)
    return rounded(amount, 2, "half_up")


def floor(value: Decimal | int, places: int = 0) -> Decimal:
    """The largest number of `places` decimals not above `value`: 2.7 → 2, −1.5 → −2."""
    return rounded(value, places, "floor")


def round_by(value: Decimal | int, rule: Rule) -> Decimal:
    """`value` rounded as a policy's rounding rule says."""
    return rounded(value, rule.places, rule.mode)
