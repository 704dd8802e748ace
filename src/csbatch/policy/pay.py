"""Pay components of the payroll bonus sheet (docs/policy.md#pay).

Components are listed in the order the payroll sheet shows them. Each has a `kind` that names the
mechanism computing it; the numbers (rates, amounts, which roles) are here, never in code.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from csbatch.i18n import N_, Said
from csbatch.policy.base import Code, Flag, Model, NonNegMoney, NonNegNumber, Rate, Text
from csbatch.policy.scorecards import Rounding

#: A code or label a payroll system imports: 1 to 40 characters, kept whole (never truncated).
HrText = Annotated[str, StringConstraints(min_length=1, max_length=40, strip_whitespace=True)]


class _Component(Model):
    name: Text = Field(description="Chinese label: the payroll sheet's column header; accepted in the "
                                   "adjustments sheet's component column")
    hr_code: HrText | None = Field(None, description="the item code the HR system imports (HR import sheet's "
                                                    "项目代码); default: the component's code")
    hr_name: HrText | None = Field(None, description="the item name the HR system imports (项目名称); "
                                                    "default: `name`")
    aliases: list[Text] = Field([], description="other labels the adjustments sheet may use")
    source: str | None = Field(None, description='source document, e.g. "[000]" (docs/policy.md#sources)')


class BasePay(_Component):
    """Roster base × scheduled days ÷ the month's workdays."""

    kind: Literal["base_pay"]


class AbsenceDeduction(_Component):
    """− base ÷ workdays × (absent days + unpaid share of leave days)."""

    kind: Literal["absence_deduction"]


class FixedAmount(_Component):
    """A fixed monthly amount for the listed roles; the roster may override it per person."""

    kind: Literal["fixed"]
    amount: NonNegMoney = Field(description="¥ a month")
    roles: list[Code] = Field(min_length=1, description="roles that get it")
    roster_column: Code | None = Field(None, description="roster column that overrides the amount per person "
                                                         "when filled")


class FloatingAllowance(Model):
    """浮动制度 [001]: the allowance × the share a band table gives the holder's scorecard total."""

    table: Code = Field(description="band table (bands.yaml, measure points) whose band of the holder's "
                                    "scorecard total gives the share of the allowance paid (a rate, 0% or more)")
    team_lead: Flag = Field(True, description="the team-lead allowance floats")
    roles: list[Code] = Field([], description="roles whose allowance floats; a holder with no scorecard or "
                                              "not rated is paid the allowance as set")


class PositionAllowance(_Component):
    """A monthly allowance (岗位津贴) for team leads and for the listed roles, floating with the
    holder's scorecard total when `floating` says so."""

    kind: Literal["position_allowance"]
    team_lead: NonNegMoney = Field(description="for an employee flagged as team lead")
    roles: dict[Code, NonNegMoney] = Field({}, description="¥ a month by role")
    floating: FloatingAllowance | None = Field(None, description="浮动制度: which allowances float with the "
                                                                 "holder's total, by which band table; none = "
                                                                 "all paid as set")


class OrderBonus(_Component):
    """rate × each completed order's amount, shared by channel (the rest goes to the sales rep)."""

    kind: Literal["order_bonus"]
    rate: Rate = Field(description="share of each completed order's amount")
    roles: list[Code] = Field(min_length=1, description="roles that earn it")
    agent_share: dict[Code, Rate] = Field(description="agent's share by sales channel")


class Commission(_Component):
    """rate × counted sales (业绩提成)."""

    kind: Literal["commission"]
    rates: dict[Code, Rate] = Field(min_length=1, description="rate on counted sales, by role")


class PerUnit(_Component):
    """amount × a measured count (e.g. ¥20 per accepted invitation)."""

    kind: Literal["per_unit"]
    measure: Code = Field(description="the measured count (docs/policy.md#measures)")
    amount: NonNegMoney = Field(description="¥ per unit")
    roles: list[Code] = Field(min_length=1, description="roles that earn it")


class PerformanceBonus(_Component):
    """base × total ÷ 100 with the total capped; none when not rated. With a team share ([002]
    根据团队整体业绩和个人业绩), that share of the base is paid on the team's mean total instead."""

    kind: Literal["performance_bonus"]
    bases: dict[Code, NonNegMoney] = Field(min_length=1, description="bonus base ¥ by role")
    cap_total: NonNegNumber = Field(description="a total above this counts as this")
    team_share: Rate = Field(Decimal(0), description="share of the bonus base paid on the team's mean total (the "
                                                     "mean of the rated members of the employee's team on the same "
                                                     "scorecard, capped alike); the rest is paid on the employee's "
                                                     "own total. An employee with no team gets it all on their own "
                                                     "total. 0% to 100%; 0%: no team part")


class Awards(_Component):
    """Cash for awards recorded on the recognitions sheet."""

    kind: Literal["awards"]
    amounts: dict[Code, NonNegMoney] = Field(min_length=1, description="cash by recognition code")


class LossDeduction(_Component):
    """− the loss amounts of complaints the employee caused."""

    kind: Literal["loss_deduction"]


class Manual(_Component):
    """Only what the adjustments sheet brings, each line with its reason."""

    kind: Literal["manual"]
    sign: Literal["any", "positive", "negative"] = Field("any", description="the sign an adjustment line may "
                                                                     "have")


Component = Annotated[
    BasePay | AbsenceDeduction | FixedAmount | PositionAllowance | OrderBonus | Commission | PerUnit
    | PerformanceBonus | Awards | LossDeduction | Manual,
    Field(discriminator="kind"),
]


class HrImportHeaders(Model):
    """The HR import sheet's header text, column by column; a column left out has the workbook
    language's default (期间, 工号, 姓名, 项目代码, 项目名称, 金额, 备注)."""

    period: HrText | None = Field(None, description="header of the period column (YYYY-MM)")
    employee_id: HrText | None = Field(None, description="header of the employee ID column")
    name: HrText | None = Field(None, description="header of the employee name column")
    code: HrText | None = Field(None, description="header of the item code column (`hr_code`)")
    item: HrText | None = Field(None, description="header of the item name column (`hr_name`)")
    amount: HrText | None = Field(None, description="header of the amount column (¥, negative = deduction)")
    note: HrText | None = Field(None, description="header of the note column (the reason, in the workbook's "
                                                  "language)")

    @model_validator(mode="after")
    def _distinct(self):
        given = [v for v in self.model_dump().values() if v is not None]
        twice = sorted({v for v in given if given.count(v) > 1})
        if twice:
            raise ValueError(Said(N_("headers must differ: {headers} is given to more than one column"),
                                  headers=", ".join(twice)))
        return self


class HrImport(Model):
    """How the payroll workbook's HR import sheet names its columns (items are named per component:
    `hr_code`, `hr_name`)."""

    headers: HrImportHeaders = Field(HrImportHeaders(), description="header text by column")


class PayPolicy(Model):
    """The pay components of the payroll bonus sheet."""

    rounding: Rounding = Field(description="rounding of each pay line")
    components: dict[Code, Component] = Field(min_length=1, description="components by code, in the payroll "
                                                                        "sheet's column order")
    hr_import: HrImport = Field(HrImport(), description="the HR import sheet's headers (optional)")
