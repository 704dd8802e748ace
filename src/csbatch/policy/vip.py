"""The VIP programmes (docs/policy.md#vip)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field

from csbatch.i18n import N_, Said
from csbatch.policy.base import Code, Flag, Int, Model, NonNegMoney, Rate, Text


def _month_day(text: str) -> str:
    if not re.fullmatch(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", text):
        raise ValueError(Said(N_("'{written}' is not a month-day (write MM-DD, e.g. 08-15)"), written=text))
    return text


MonthDay = Annotated[str, AfterValidator(_month_day)]


class TierRequirement(Model):
    """A tier that must be held first (gold: silver held a year)."""

    tier: Code = Field(description="the tier held")
    held_months: Int = Field(description="for at least this many months")


class Tier(Model):
    """A card tier: reached by one order, or by trailing-12-month spend (what the customer paid, net
    of refunds)."""

    name: Text = Field(description="Chinese label")
    single_order: NonNegMoney | None = Field(None, description="one order at or above qualifies")
    trailing_12m: NonNegMoney = Field(description="trailing-12-month spend at or above qualifies")
    requires: TierRequirement | None = Field(None, description="a tier that must be held first")


class Points(Model):
    """Points earned on paid amounts (flagship cards)."""

    per_amount: NonNegMoney = Field(description="¥ of paid amount per point, per order, rounded down")


class Programme(Model):
    """A VIP programme of one store type."""

    name: Text = Field(description="Chinese label")
    store_type: Code = Field(description="orders of this store type (the sales sheet's store_type) "
                                         "belong to it")
    tiers: dict[Code, Tier] = Field(min_length=1, description="tiers by code, lowest first")
    discounts: dict[Code, dict[Code, Rate]] = Field(
        description="rate by tier, then by product category (`default` for the rest)")
    points: Points | None = Field(None, description="points earned; none = the programme has no points")


class Card(Model):
    """Card rules common to both programmes."""

    valid_months: Int = Field(12, description="a card is valid this long from its issue date")
    issue_points_share: Rate = Field(description="share of the qualifying amount that counts toward "
                                                 "points at issue")
    clear_points_on_anniversary: Flag = Field(True, description="points are cleared on each anniversary")
    void_without_purchase: Flag = Field(True, description="a card with no purchase in its year is voided, "
                                                          "else renewed")
    free_cleaning_months: Int = Field(12, description="free cleaning within this many months of issue")


class Vouchers(Model):
    """Points turned into a voucher on a purchase."""

    min_purchase: NonNegMoney = Field(description="vouchers only on a purchase of at least this, ¥")
    rate_table: Code = Field(description="band table (bands.yaml): voucher value = balance × rate by balance")


class Birthday(Model):
    """A birthday greeting is due in a window before the birthday."""

    from_days_before: Int = Field(description="window opens this many days before")
    to_days_before: Int = Field(description="window closes this many days before")


class Festival(Model):
    """A festival greeted every year, on a solar or a lunar date."""

    code: Code = Field(description="the festival's code")
    name: Text = Field(description="Chinese label")
    solar: MonthDay | None = Field(None, description="solar date MM-DD")
    lunar: MonthDay | None = Field(None, description="lunar date MM-DD (a lunar calendar converts it)")


class Greetings(Model):
    """Greetings on next month's call list."""

    birthday: Birthday = Field(description="the birthday greeting window")
    festival_days_before: Int = Field(description="a festival greeting is due from this many days before")
    festivals: list[Festival] = Field(description="festivals greeted")


class Maintenance(Model):
    """A maintenance reminder before a product's care date (purchase + the category's cycle)."""

    days_before: Int = Field(description="the reminder is due this many days before the care date")
    cycle_months: dict[Code, Int] = Field(description="by product category; `default` for the rest")


class Masking(Model):
    """How personal data prints (PIPL: national IDs are sensitive)."""

    id_last_digits: Int = Field(4, description="digits of a national ID number printed (the last ones)")
    phone_keep_start: Int = Field(3, description="leading digits of a phone number printed")
    phone_keep_end: Int = Field(4, description="trailing digits of a phone number printed")


class MemberChanges(Model):
    """A member's reported address or phone change ([003]: 客服人员应及时处理, promptly, no number)."""

    handle_within_days: Int | None = Field(None, le=365, description="a change is due this many days after it "
                                                                      "was reported (company-set; blank: no due "
                                                                      "day)")


class VipPolicy(Model):
    """The VIP programmes: cards, tiers, points, vouchers and value-added services."""

    exclude_engineering: Flag = Field(True, description="engineering customers (工程客户) never qualify")
    one_card_per_person: Flag = Field(True, description="customers with the same national ID are one person")
    never_discounted: list[Code] = Field([], description="product categories never discounted (特价)")
    programmes: dict[Code, Programme] = Field(min_length=1, description="programmes by code")
    card: Card = Field(description="card rules")
    vouchers: Vouchers = Field(description="voucher rules")
    greetings: Greetings = Field(description="greetings on the call list")
    maintenance: Maintenance = Field(description="maintenance reminders on the call list")
    masking: Masking = Field(Masking(), description="how IDs and phone numbers print")
    member_changes: MemberChanges = Field(MemberChanges(), description="members' address and phone changes on "
                                                                       "the VIP list")
