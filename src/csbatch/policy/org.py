"""Roles and the organisation (policies.md §1)."""

from __future__ import annotations

from pydantic import Field, model_validator

from csbatch.policy.base import Code, Int, Model, NonNegMoney, Text


class MoneyRange(Model):
    min: NonNegMoney
    max: NonNegMoney

    @model_validator(mode="after")
    def _ordered(self):
        if self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self


class CountRange(Model):
    min: Int
    max: Int

    @model_validator(mode="after")
    def _ordered(self):
        if self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self


class Role(Model):
    name: Text = Field(description="Chinese label, accepted in the roster's role column")
    aliases: list[Text] = []
    source: str | None = None
    base_pay: MoneyRange | None = Field(None, description="expected roster base pay; none = any")
    headcount: CountRange | None = None
    scorecard: Code | None = None
