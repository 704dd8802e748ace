"""Pay components of the payroll bonus sheet (policies.md §5).

Components are listed in the order the payroll sheet shows them. Each has a `kind` that names the
mechanism computing it; the numbers (rates, amounts, which roles) are here, never in code.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field

from csbatch.policy.base import Code, Model, NonNegMoney, NonNegNumber, Rate, Text
from csbatch.policy.scorecards import Rounding


class _Component(Model):
    name: Text
    aliases: list[Text] = []
    source: str | None = None


class BasePay(_Component):
    """Roster base × scheduled days ÷ the month's workdays."""

    kind: Literal["base_pay"]


class AbsenceDeduction(_Component):
    """− base ÷ workdays × (absent days + unpaid share of leave days)."""

    kind: Literal["absence_deduction"]


class FixedAmount(_Component):
    """A fixed monthly amount for the listed roles; the roster may override it per person."""

    kind: Literal["fixed"]
    amount: NonNegMoney
    roles: list[Code] = Field(min_length=1)
    roster_column: Code | None = None


class PositionAllowance(_Component):
    kind: Literal["position_allowance"]
    team_lead: NonNegMoney = Field(description="for an employee flagged as team lead")
    roles: dict[Code, NonNegMoney] = {}


class OrderBonus(_Component):
    """rate × each completed order's amount, shared by channel (the rest goes to the sales rep)."""

    kind: Literal["order_bonus"]
    rate: Rate
    roles: list[Code] = Field(min_length=1)
    agent_share: dict[Code, Rate] = Field(description="agent's share by sales channel")


class Commission(_Component):
    kind: Literal["commission"]
    rates: dict[Code, Rate] = Field(min_length=1, description="rate on counted sales, by role")


class PerUnit(_Component):
    kind: Literal["per_unit"]
    measure: Code
    amount: NonNegMoney
    roles: list[Code] = Field(min_length=1)


class PerformanceBonus(_Component):
    """base × total ÷ 100 with the total capped; none when not rated."""

    kind: Literal["performance_bonus"]
    bases: dict[Code, NonNegMoney] = Field(min_length=1)
    cap_total: NonNegNumber


class Awards(_Component):
    kind: Literal["awards"]
    amounts: dict[Code, NonNegMoney] = Field(min_length=1, description="cash by recognition code")


class LossDeduction(_Component):
    kind: Literal["loss_deduction"]


class Manual(_Component):
    """Only what the adjustments sheet brings, each line with its reason."""

    kind: Literal["manual"]
    sign: Literal["any", "positive", "negative"] = "any"


Component = Annotated[
    Union[BasePay, AbsenceDeduction, FixedAmount, PositionAllowance, OrderBonus, Commission,
          PerUnit, PerformanceBonus, Awards, LossDeduction, Manual],
    Field(discriminator="kind"),
]


class PayPolicy(Model):
    rounding: Rounding
    components: dict[Code, Component] = Field(min_length=1)
