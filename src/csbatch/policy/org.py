"""Roles and the organisation (docs/policy.md#roles), and the company's identity (company.yaml)."""

from __future__ import annotations

from pydantic import Field, model_validator

from csbatch.i18n import N_, Said
from csbatch.policy.base import Code, Int, Model, NonNegMoney, Text


class _Range(Model):
    """A range's one check, for both kinds of range: `min` not above `max`."""

    @model_validator(mode="after")
    def _ordered(self):
        if self.min > self.max:     # each range declares both
            raise ValueError(Said(N_("min {min} is above max {max}"), min=self.min, max=self.max))
        return self


class MoneyRange(_Range):
    """A range of money, both ends included."""

    min: NonNegMoney = Field(description="lowest amount, ¥")
    max: NonNegMoney = Field(description="highest amount, ¥ (not below `min`)")


class CountRange(_Range):
    """A range of counts, both ends included."""

    min: Int = Field(description="fewest")
    max: Int = Field(description="most (not below `min`)")


class Role(Model):
    """A role (岗位) of the roster's `role` column: its expected pay and head-count and the scorecard
    it is assessed on. A value outside a range is a warning, not an error."""

    name: Text = Field(description="Chinese label, accepted in the roster's role column")
    aliases: list[Text] = Field([], description="other labels the roster may use for this role")
    source: str | None = Field(None, description='source document, e.g. "[000]" (docs/policy.md#sources)')
    base_pay: MoneyRange | None = Field(None, description="expected roster base pay; none = any")
    headcount: CountRange | None = Field(None, description="expected number of employees in the role; "
                                                           "none = any")
    scorecard: Code | None = Field(None, description="the scorecard (kpi/CODE.yaml) the role is assessed on; "
                                                     "none = not scored")


class Company(Model):
    """Who publishes the close (company.yaml): the name on every employee's statement. The file is
    optional, so a policy written before it (or a month closed with one) still loads."""

    name: str = Field("", description="the company's full name, e.g. 上海某某家居有限公司; empty = none shown")
    short_name: str = Field("", description="a short name for narrow places (a page's header on a phone); "
                                            "empty = the full name")

    @property
    def shown(self) -> str:
        return self.short_name or self.name
