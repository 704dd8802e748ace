"""Scorecards, the QA questionnaire and the common scoring rules (policies.md §3, §6).

One scorecard shape serves all four cards: items, each turning a measured value into points by
one of a few rule kinds, then an optional multiplier, then adjustments. The QA questionnaire is a
scorecard over questionnaire items. Measured values are named (see `csbatch.policy.vocabulary`); formulas
are checked by `csbatch.policy.expressions`.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, model_validator

from csbatch.policy.bands import BandTable
from csbatch.policy.base import (Code, Flag, Int, ItemCode, Model, NonNegFigure, NonNegMoney, NonNegNumber, Number,
                                 PositiveFigure, Rate, Text)


class Rounding(Model):
    """How points or money are rounded (csbatch.money): `half_up` 四舍五入, `down` toward zero,
    `floor` toward −∞ (they differ only below zero: −1.5 → −1 down, −2 floor)."""

    places: Int = 2
    mode: Literal["half_up", "down", "floor"] = "half_up"


class BandRule(Model):
    """points = weight − band value (`deduct`), the band value itself (`points`), or weight ×
    band value (`coefficient`)."""

    kind: Literal["band"]
    measure: Code
    table: Code
    use: Literal["deduct", "points", "coefficient"] = "deduct"


class LinearRule(Model):
    """points = weight × min(cap, measured ÷ per)."""

    kind: Literal["linear"]
    measure: Code
    per: PositiveFigure = Field(description="the measured value that earns the full weight")
    cap: NonNegFigure = Field(1, description="most multiples of the weight an item can earn")


class PerEventRule(Model):
    """points = weight + Σ points-per-event × events, one term per named count."""

    kind: Literal["per_event"]
    points: dict[Code, Number] = Field(min_length=1)


class FormulaRule(Model):
    kind: Literal["formula"]
    formula: Text


class RatingRule(Model):
    """A rating given by a superior on the reviews sheet, from 0 to the weight."""

    kind: Literal["rating"]
    measure: Code


class RankBonusRule(Model):
    """The key-promotion rule: no standard set → full weight; at or above the standard → weight
    plus a rank bonus (N for the first of N qualifiers, ties share the better rank); below →
    weight × measured ÷ standard."""

    kind: Literal["rank_bonus"]
    measure: Code


Rule = Annotated[
    Union[BandRule, LinearRule, PerEventRule, FormulaRule, RatingRule, RankBonusRule],
    Field(discriminator="kind"),
]


class NoData(Model):
    """What an item scores when there is nothing to measure (no complaints, no surveys)."""

    give: Literal["full", "zero"]
    flag: Code | None = None


class Item(Model):
    code: Code
    name: Text
    source: str | None = None
    weight: NonNegNumber
    rule: Rule
    floor: Number | None = Field(0, description="lowest points; null = no floor (下不封顶)")
    rounding: Rounding | None = None
    when_no_data: NoData | None = None


class MultiplierNoData(Model):
    value: Number
    flag: Code | None = None


class Multiplier(Model):
    """Multiplies the sum of the items (the e-commerce supervisor coefficient)."""

    name: Text
    formula: Text
    when_no_data: MultiplierNoData | None = None


class Adjustment(Model):
    code: Code
    name: Text
    points: Number
    per_recognition: Code | None = None
    for_: Literal["everyone", "team_lead", "team_competition_winner"] | None = Field(None, alias="for")

    @model_validator(mode="after")
    def _one_trigger(self):
        if (self.per_recognition is None) == (self.for_ is None):
            raise ValueError("give exactly one of `per_recognition` or `for`")
        return self


class Scorecard(Model):
    name: Text
    source: str | None = None
    total_weight: NonNegNumber | None = Field(None, description="when set, item weights must add up to it")
    items: list[Item] = Field(min_length=1)
    multiplier: Multiplier | None = None
    adjustments: list[Adjustment] = []
    shown: list[Code] = Field([], description="values shown on the card but never scored")
    bands: dict[Code, BandTable] = {}


class PromotionReview(Model):
    grade: Text
    consecutive_months: Int


class CountedSales(Model):
    """Counted sales [004]: completed orders, cut by the production-sheet rules for the listed
    scorecards' roles (other roles count their completed orders as they are)."""

    statuses: list[Code] = Field(min_length=1, description="order statuses that count")
    production_sheet_rule: Code = Field(description="deadline rule the sheet is due by")
    production_sheet_scorecards: list[Code] = Field(min_length=1)
    late_or_missing_share: Rate = Field(description="share counted when the sheet is late/missing")
    over_reported_share: Rate = Field(description="share counted when reported sales exceed actual")


class Surveys(Model):
    five_point_factor: NonNegNumber = Field(description="a 1–5 score × this is a score out of 100")


class RecordFields(Model):
    required: list[Code] = Field(min_length=1, description="customer columns that must be filled")


class MeasureSettings(Model):
    """The numbers measured values are computed with (csbatch.policy.vocabulary)."""

    counted_sales: CountedSales
    surveys: Surveys
    incomplete_customer_records: RecordFields
    complete_customer_records: RecordFields
    complaints_count_our_fault_only: Flag = True


class ScoringPolicy(Model):
    rounding: Rounding
    rated_min_share: Rate = Field(description="share of the month's workdays an employee must be "
                                              "scheduled for to be rated")
    grades: Code = Field(description="band table (with labels) that grades a total")
    award_candidates: list[Code] = []
    training_grade: Text
    promotion_review: PromotionReview
    measures: MeasureSettings


class QuestionnaireItem(Model):
    code: ItemCode
    text: Text
    aliases: list[Text] = []
    critical: Flag = False


class Section(Model):
    code: Code
    name: Text
    kind: Literal["positive", "taboo"]
    points: NonNegNumber = Field(description="the section's full points")
    per_item: NonNegNumber = Field(description="points per positive item, or deducted per violation")
    items: list[QuestionnaireItem] = Field(min_length=1)


class Questionnaire(Model):
    name: Text
    source: str | None = None
    scale_to: NonNegNumber = 100
    sections: list[Section] = Field(min_length=1)


class Promotion(Model):
    name: Text
    standard: NonNegMoney = Field(description="minimum promo sales for the full points, ¥")


class PeriodPolicy(Model):
    promotion: Promotion | None = None
    note: str | None = None
