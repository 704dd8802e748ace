"""The VIP programmes (policies.md §7)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field

from csbatch.policy.base import Code, Flag, Int, Model, NonNegMoney, Rate, Text


def _month_day(text: str) -> str:
    if not re.fullmatch(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", text):
        raise ValueError(f"'{text}' is not a month-day (write MM-DD, e.g. 08-15)")
    return text


MonthDay = Annotated[str, AfterValidator(_month_day)]


class TierRequirement(Model):
    tier: Code
    held_months: Int


class Tier(Model):
    name: Text
    single_order: NonNegMoney | None = Field(None, description="one order at or above qualifies")
    trailing_12m: NonNegMoney = Field(description="trailing-12-month spend at or above qualifies")
    requires: TierRequirement | None = None


class Points(Model):
    per_amount: NonNegMoney = Field(description="¥ of paid amount per point, per order, rounded down")


class Programme(Model):
    name: Text
    store_type: Code
    tiers: dict[Code, Tier] = Field(min_length=1)
    discounts: dict[Code, dict[Code, Rate]] = Field(
        description="rate by tier, then by product category (`default` for the rest)")
    points: Points | None = None


class Card(Model):
    valid_months: Int = 12
    issue_points_share: Rate
    clear_points_on_anniversary: Flag = True
    void_without_purchase: Flag = True
    free_cleaning_months: Int = 12


class Vouchers(Model):
    min_purchase: NonNegMoney
    rate_table: Code


class Birthday(Model):
    from_days_before: Int
    to_days_before: Int


class Festival(Model):
    code: Code
    name: Text
    solar: MonthDay | None = None
    lunar: MonthDay | None = None


class Greetings(Model):
    birthday: Birthday
    festival_days_before: Int = Field(description="a festival greeting is due from this many days before")
    festivals: list[Festival]


class Maintenance(Model):
    days_before: Int
    cycle_months: dict[Code, Int] = Field(description="by product category; `default` for the rest")


class Masking(Model):
    id_last_digits: Int = 4
    phone_keep_start: Int = 3
    phone_keep_end: Int = 4


class VipPolicy(Model):
    exclude_engineering: Flag = True
    one_card_per_person: Flag = True
    never_discounted: list[Code] = []
    programmes: dict[Code, Programme] = Field(min_length=1)
    card: Card
    vouchers: Vouchers
    greetings: Greetings
    maintenance: Maintenance
    masking: Masking = Masking()
