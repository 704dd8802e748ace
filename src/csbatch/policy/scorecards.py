"""Scorecards, the QA questionnaire and the common scoring rules (docs/policy.md#scoring, #kpi,
#questionnaire).

One scorecard shape serves all four cards: items, each turning a measured value into points by
one of a few rule kinds, then an optional multiplier, then adjustments. The QA questionnaire is a
scorecard over questionnaire items. Measured values are named (see `csbatch.policy.vocabulary`); formulas
are checked by `csbatch.policy.expressions`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from csbatch.i18n import N_, Said
from csbatch.policy.bands import BandTable
from csbatch.policy.base import (
    Code,
    Flag,
    Int,
    ItemCode,
    Model,
    NonNegFigure,
    NonNegMoney,
    NonNegNumber,
    Number,
    PositiveFigure,
    Rate,
    Text,
)


class Rounding(Model):
    """How points or money are rounded (csbatch.money): `half_up` 四舍五入, `down` toward zero,
    `floor` toward −∞ (they differ only below zero: −1.5 → −1 down, −2 floor)."""

    places: Int = Field(2, description="decimal places kept")
    mode: Literal["half_up", "down", "floor"] = Field(
        "half_up", description="half_up (四舍五入), down (toward zero) or floor (toward −∞)")


class BandRule(Model):
    """points = weight − band value (`deduct`), the band value itself (`points`), or weight ×
    band value (`coefficient`)."""

    kind: Literal["band"]
    measure: Code = Field(description="the measured value (docs/policy.md#measures)")
    table: Code = Field(description="band table: the scorecard's `bands`, else bands.yaml")
    use: Literal["deduct", "points", "coefficient"] = Field("deduct", description="how the band value gives "
                                                                              "points (above)")


class LinearRule(Model):
    """points = weight × min(cap, measured ÷ per)."""

    kind: Literal["linear"]
    measure: Code = Field(description="the measured value (docs/policy.md#measures)")
    per: PositiveFigure = Field(description="the measured value that earns the full weight")
    cap: NonNegFigure = Field(Decimal(1), description="most multiples of the weight an item can earn")


class PerEventRule(Model):
    """points = weight + Σ points-per-event × events, one term per named count."""

    kind: Literal["per_event"]
    points: dict[Code, Number] = Field(min_length=1, description="points per event, by measured count "
                                                                 "(negative deducts)")


class FormulaRule(Model):
    """points = a formula over measured values (csbatch.rules.expressions: arithmetic, min, max,
    floor, `a if c else b`)."""

    kind: Literal["formula"]
    formula: Text = Field(description="the expression; a name in it is a measured value or `weight`")


class RatingRule(Model):
    """A rating given by a superior on the reviews sheet, from 0 to the weight."""

    kind: Literal["rating"]
    measure: Code = Field(description="the rating's measured value (a reviews-sheet column)")


class RankBonusRule(Model):
    """The key-promotion rule ([004]): no standard set → full weight; at the standard → weight;
    above it → weight plus a rank bonus (N for the first of the N above, ties share the better
    rank); below → weight × measured ÷ standard."""

    kind: Literal["rank_bonus"]
    measure: Code = Field(description="the measured value ranked (promo sales)")


Rule = Annotated[
    BandRule | LinearRule | PerEventRule | FormulaRule | RatingRule | RankBonusRule,
    Field(discriminator="kind"),
]


class NoData(Model):
    """What an item scores when there is nothing to measure (no complaints, no surveys)."""

    give: Literal["full", "zero"] = Field(description="the item's full weight, or 0")
    flag: Code | None = Field(None, description="flag shown on the card when it applies")


class Item(Model):
    """A scorecard item: a measured value turned into points by its rule, then floored and rounded."""

    code: Code = Field(description="the item's code (scorecard_items.csv `item`)")
    name: Text = Field(description="Chinese label shown on the card")
    source: str | None = Field(None, description='source document, e.g. "[003]" (docs/policy.md#sources)')
    weight: NonNegNumber = Field(description="full points of the item")
    rule: Rule = Field(description="how the measured value gives points, by `kind`")
    floor: Number | None = Field(Decimal(0), description="lowest points; null = no floor (下不封顶)")
    rounding: Rounding | None = Field(None, description="rounding of the item's points; none = scoring.yaml's")
    when_no_data: NoData | None = Field(None, description="points when there is nothing to measure; none = "
                                                          "0, flagged no_data")


class MultiplierNoData(Model):
    """The multiplier of an employee with nothing to measure (e.g. not audited)."""

    value: Number = Field(description="the multiplier used")
    flag: Code | None = Field(None, description="flag shown on the card when it applies")


class Multiplier(Model):
    """Multiplies the sum of the items (the e-commerce supervisor coefficient)."""

    name: Text = Field(description="Chinese label shown on the card")
    formula: Text = Field(description="the expression over measured values")
    when_no_data: MultiplierNoData | None = Field(None, description="value when a measured value is missing")


class Adjustment(Model):
    """Points added after the items and the multiplier: per recognition record, or for a group."""

    code: Code = Field(description="the adjustment's code")
    name: Text = Field(description="Chinese label shown on the card")
    points: Number = Field(description="points added (negative deducts), per record or once")
    per_recognition: Code | None = Field(None, description="per record of this recognitions.yaml code")
    for_: Literal["everyone", "team_lead", "team_competition_winner"] | None = Field(
        None, alias="for", description="once, for everyone, team leads or the winning team's members")

    @model_validator(mode="after")
    def _one_trigger(self):
        if (self.per_recognition is None) == (self.for_ is None):
            raise ValueError(Said(N_("give exactly one of `per_recognition` or `for`")))
        return self


class Scorecard(Model):
    """A scorecard (kpi/CODE.yaml): items, then an optional multiplier, then adjustments. Roles name
    their scorecard in roles.yaml."""

    name: Text = Field(description="Chinese label shown on the card")
    source: str | None = Field(None, description='source document, e.g. "[003]" (docs/policy.md#sources)')
    total_weight: NonNegNumber | None = Field(None, description="when set, item weights must add up to it")
    items: list[Item] = Field(min_length=1, description="the items, in card order")
    multiplier: Multiplier | None = Field(None, description="multiplies the sum of the items")
    adjustments: list[Adjustment] = Field([], description="points added after the multiplier")
    shown: list[Code] = Field([], description="values shown on the card but never scored")
    bands: dict[Code, BandTable] = Field({}, description="band tables only this scorecard uses, by name")


class PromotionReview(Model):
    """Who is flagged for promotion review (needs the ledger's earlier months)."""

    grade: Text = Field(description="the grade label")
    consecutive_months: Int = Field(description="months in a row with that grade")


class CountedSales(Model):
    """Counted sales [004]: completed orders, cut by the production-sheet rules for the listed
    scorecards' roles (other roles count their completed orders as they are)."""

    statuses: list[Code] = Field(min_length=1, description="order statuses that count")
    production_sheet_rule: Code = Field(description="deadline rule the sheet is due by")
    production_sheet_scorecards: list[Code] = Field(min_length=1, description="scorecards whose roles the "
                                                                            "production-sheet rules cut")
    late_or_missing_share: Rate = Field(description="share counted when the sheet is late/missing")
    over_reported_share: Rate = Field(description="share counted when reported sales exceed actual")


class Surveys(Model):
    """How survey scores are read."""

    five_point_factor: NonNegNumber = Field(description="a 1–5 score × this is a score out of 100")


class RecordFields(Model):
    """Customer-record columns (the customers sheet)."""

    required: list[Code] = Field(min_length=1, description="customer columns that must be filled")


class Duties(Model):
    """The deadline rules (deadlines.yaml) whose outcomes the duty measures count [001]; none =
    not measured."""

    call_log_rule: Code | None = Field(None, description="rule of the receptionist's weekly call log "
                                                         "(call_log_on_time_rate)")
    service_order_rule: Code | None = Field(None, description="rule of service orders archived in the week "
                                                              "(service_order_on_time_rate)")


class MeasureSettings(Model):
    """The numbers measured values are computed with (csbatch.policy.vocabulary)."""

    counted_sales: CountedSales = Field(description="which sales count")
    surveys: Surveys = Field(description="how survey scores are read")
    incomplete_customer_records: RecordFields = Field(description="a record missing one of these is "
                                                                  "incomplete (service_center)")
    complete_customer_records: RecordFields = Field(description="a record with all of these is complete "
                                                                "(ecommerce archive)")
    complaints_count_our_fault_only: Flag = Field(True, description="only complaints with our fault (我方责任) "
                                                                    "count against staff")
    complaint_resolution_scope: Literal["agent", "team", "department"] = Field(
        "department", description="whose complaints complaint_unresolved_share is measured over: the agent's "
                                  "own, the roster team's (blank team: the agent's own) or the whole "
                                  "department's; everyone in the scope gets the same value [003]")
    duties: Duties = Field(Duties(), description="deadline rules the duty measures count (receptionist, "
                                                 "on-site specialist [001])")


class ScoringPolicy(Model):
    """Rules common to every scorecard."""

    rounding: Rounding = Field(description="rounding of points unless an item says otherwise")
    rated_min_share: Rate = Field(description="share of the month's workdays an employee must be "
                                              "scheduled for to be rated")
    grades: Code = Field(description="band table (with labels) that grades a total")
    award_candidates: list[Code] = Field([], description="recognitions the top scorer of each card is a "
                                                         "candidate for")
    training_grade: Text = Field(description="grade label flagged for training")
    promotion_review: PromotionReview = Field(description="when an employee is flagged for promotion review")
    measures: MeasureSettings = Field(description="settings of the measured values")


class QuestionnaireItem(Model):
    """A question of the QA audit: its column on the audits sheet is its code or its text."""

    code: ItemCode = Field(description="e.g. ENV-1, also an audits-sheet column name")
    text: Text = Field(description="the question, also accepted as the column name")
    aliases: list[Text] = Field([], description="other column names the audits sheet may use")
    critical: Flag = Field(False, description="auto-fail: a positive item short of full marks, or a taboo "
                                                  "violated, scores the audit 0")


class Section(Model):
    """A section of the questionnaire: positive items earn points, taboo items deduct them."""

    code: Code = Field(description="the section's code (an audits.csv column)")
    name: Text = Field(description="Chinese label")
    kind: Literal["positive", "taboo"] = Field(description="positive: each item earns 0..per_item; taboo: "
                                                           "each violation deducts per_item from points")
    points: NonNegNumber = Field(description="the section's full points")
    per_item: NonNegNumber = Field(description="points per positive item, or deducted per violation")
    items: list[QuestionnaireItem] = Field(min_length=1, description="the section's questions")


class Questionnaire(Model):
    """The QA audit questionnaire (督导问卷): N/A items leave the audit and the score is scaled back."""

    name: Text = Field(description="Chinese label")
    source: str | None = Field(None, description='source document, e.g. "[004]" (docs/policy.md#sources)')
    scale_to: NonNegNumber = Field(Decimal(100), description="score of an audit with full points on every "
                                                    "applicable item")
    sections: list[Section] = Field(min_length=1, description="the sections, in audits.csv column order")


class Promotion(Model):
    """The month's key promotion (重点促销)."""

    name: Text = Field(description="what is promoted")
    standard: NonNegMoney = Field(description="minimum promo sales for the full points, ¥")


class PeriodPolicy(Model):
    """What is set for one month (periods/YYYY-MM.yaml); a month without a file sets nothing."""

    promotion: Promotion | None = Field(None, description="the month's key promotion; none = full points "
                                                          "for everyone")
    note: str | None = Field(None, description="free text (not read)")
