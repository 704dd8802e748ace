"""Prices and voucher values (docs/policy.md#vip): the two formulas the VIP desk quotes to customers
and the checks re-use. A card price is list × the tier's rate for the category (never-discounted
categories at full price), less a voucher; a voucher is worth points × the rate of the band the
points balance falls in (bands.yaml `voucher_rate`). Money is Decimal, rounded to the cent
half-up, and printed the way people write it (¥2,400, ¥350.35)."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from functools import lru_cache

from csbatch.money import ONE, to_cents
from csbatch.money import ZERO_CENTS as ZERO
from csbatch.policy import Policy
from csbatch.policy.band_lookup import lookup
from csbatch.policy.bands import fmt
from csbatch.policy.vip import Programme


@lru_cache(maxsize=8192)
def yen(amount: Decimal | int) -> str:
    """`Decimal("2800")` → `¥2,800`; `Decimal("350.35")` → `¥350.35`. Each text kept once made:
    the discount audit and the care reminders ask it hundreds of thousands of times for a few
    thousand amounts; amounts that are equal (`2800`, `2800.00`) have one text, the cents'."""
    d = to_cents(amount)
    text = f"{abs(d):,.2f}"
    if text.endswith(".00"):
        text = text[:-3]
    return f"{'-' if d < 0 else ''}¥{text}"


def percent(rate: Decimal) -> str:
    """`Decimal("0.9")` → `90%`."""
    return fmt(rate, "rate")


def card_rate(programme: Programme, tier: str, category: str | None,
              never_discounted: Collection[str] = ()) -> Decimal:
    """The share of the list price a card holder pays for a category (1 = full price)."""
    if category in never_discounted:
        return ONE
    rates = programme.discounts.get(tier, {})
    if category in rates:
        return rates[category]
    return rates.get("default", ONE)


def price_with_card(list_amount: Decimal, programme: Programme, tier: str, category: str,
                    voucher: Decimal = ZERO, never_discounted: Collection[str] = ()) -> Decimal:
    """What a card holder pays: list × rate (rounded to the cent) − voucher, never below zero.
    Silver flagship, regular, ¥3,000 with a 1,000-point voucher: 3000 × 0.90 − 300 = ¥2,400."""
    rate = card_rate(programme, tier, category, never_discounted)
    return max(to_cents(Decimal(list_amount) * rate) - Decimal(voucher), ZERO)


def voucher_rate(balance: int, policy: Policy) -> Decimal:
    """The rate of the `vouchers.rate_table` band holding a points balance (≤ 1000 → 30%, …)."""
    table = policy.band_table(policy.vip.vouchers.rate_table)
    if table is None:
        raise KeyError(f"band table '{policy.vip.vouchers.rate_table}' is not in bands.yaml")
    rate = lookup(table, Decimal(max(int(balance), 0))).value
    if rate is None:
        raise KeyError(f"band table '{policy.vip.vouchers.rate_table}' has labels, not voucher rates")
    return rate


def voucher_value(points: int, policy: Policy) -> Decimal:
    """A balance's voucher worth: points × the rate of its band (1000 → ¥300, 1001 → ¥350.35);
    nothing for no points."""
    if points <= 0:
        return ZERO
    return to_cents(Decimal(int(points)) * voucher_rate(points, policy))
