"""Code lists other rules refer to: recognitions (praise, criticism, awards) and complaint
categories (docs/policy.md#recognitions, #complaints)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, get_args

from pydantic import Field

from csbatch.policy.base import Code, Flag, Model, NonNegNumber, Text

#: The stages of the complaint process [003], each an optional yes/no column of the complaints
#: sheet (config/inputs.yaml) under the same code: the customer signed the complaint form,
#: the case was archived, the complained-of product was retrieved (客诉品取回), the complaint was
#: escalated to the manager, and the sales manager reviewed the return or exchange.
ComplaintStage = Literal["customer_signed", "archived", "product_retrieved", "escalated",
                         "sales_manager_reviewed"]
#: The stages in process order.
COMPLAINT_STAGES: tuple[ComplaintStage, ...] = get_args(ComplaintStage)


class Recognition(Model):
    """A kind of record of the recognitions sheet (奖惩): scorecards turn it into points, pay into
    cash."""

    name: Text = Field(description="Chinese label, accepted in the recognitions sheet's kind column")
    aliases: list[Text] = Field([], description="other labels the recognitions sheet may use")
    source: str | None = Field(None, description='source document, e.g. "[003]" (docs/policy.md#sources)')
    kind: Literal["praise", "criticism", "award", "conduct", "overtime"] = Field(
        description="what sort of record it is (scorecard adjustments and award cash name codes)")


class Award(Model):
    """A quarterly or annual award (config/awards.yaml): `csbatch review` names its candidates by
    the rule and writes them as recognitions of the award's code (the key, a recognitions code of
    kind award), which pay and scorecards turn into cash and points in the next close."""

    period: Literal["quarter", "year"] = Field(description="the review it is decided in: a quarter's or a year's")
    rule: Literal["highest_counted_sales", "highest_mean_total"] = Field(
        description="who is the candidate: the highest counted sales summed over the period's months, or the "
                    "highest mean scorecard total over the months the employee was rated")
    scorecards: list[Code] = Field([], description="only members of these scorecards (kpi/CODE.yaml) are "
                                                   "candidates; empty: every scored employee")
    source: str | None = Field(None, description='source document, e.g. "[004]" (docs/policy.md#sources)')


class ComplaintCategory(Model):
    """A complaint category (投诉类别) of the complaints sheet."""

    name: Text = Field(description="Chinese label, accepted in the complaints sheet's category column")
    aliases: list[Text] = Field([], description="other labels the complaints sheet may use")
    source: str | None = Field(None, description='source document, e.g. "[003]" (docs/policy.md#sources)')
    penalty_points: NonNegNumber = Field(
        Decimal(0), description="scorecard points an our-fault complaint of the category costs its agent, by how "
                       "serious the category is (依情节轻重 [003]); summed as the measure complaint_penalty_points")
    stages: list[ComplaintStage] = Field(
        [], description="stages of the complaint process a resolved complaint of the category must record "
                        "as done (yes); one missing is listed in the audit report")


class ComplaintPolicy(Model):
    """Complaint categories; only complaints with our fault count against staff."""

    categories: dict[Code, ComplaintCategory] = Field(description="complaint categories by code")
    special_price_refund_is_exception: Flag = Field(
        True, description="a refund of a special-price (特价) order is listed as an exception")
