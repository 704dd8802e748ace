"""The discount audit (docs/policy.md#vip): member orders priced off the card's terms.

A member order is a completed order of a card holder in their programme's stores, after the
qualifying purchase (which was priced without a card) and while the card ran. Its expected price
is `price_with_card` at the tier held when the month began (an upgrade counts from the period's
last day), less the voucher of a valid redemption on it. Rows: every order whose paid amount
differs, and every never-discounted (special-price) item sold below its list price."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd

from csbatch.money import ZERO_CENTS as ZERO
from csbatch.policy import Policy
from csbatch.policy.vip import Programme
from csbatch.rules.reasons import Reason
from csbatch.vip.card_events import Card
from csbatch.vip.model import empty
from csbatch.vip.pricing import card_rate, percent, price_with_card, yen
from csbatch.vip.purchases import Spend

AUDIT_COLUMNS = ["order_id", "customer_id", "tier", "category", "list_amount", "amount", "expected_amount",
                 "problem"]


def _category_name(policy: Policy, code: str) -> str:
    """The category's Chinese label in the policy's vocabulary (inputs.yaml), else its code."""
    labels = policy.code_list("category") or {}
    return next((x for x in labels.get(code, [])[1:] if not x.isascii()), code)


def _terms(programme: Programme, tier: str, category: str, voucher: Decimal, never: set[str]) -> Reason:
    """The terms an order is priced on: full price or the tier's card rate, less its voucher."""
    rate = card_rate(programme, tier, category, never)
    tier_name = programme.tiers[tier].name if tier in programme.tiers else tier
    terms = (Reason.of("full_price") if category in never else
             Reason.of("card_rate", tier=Reason.named(tier, tier_name), rate=percent(rate)))
    if voucher:
        terms = Reason.of("less_voucher", terms=terms, voucher=yen(voucher))
    return terms


def discount_audit(cards: list[Card], spend: Spend, vouchers: dict[str, Decimal],
                   policy: Policy) -> pd.DataFrame:
    vip = policy.vip
    never = set(vip.never_discounted)
    rows = []
    worded: dict[tuple[Any, ...], Reason] = {}
    # each problem worded once and shared by the rows that have it: a `Reason` holds its figures
    # (~1.5 KB a row); at a million orders a month with 95k members the audit flagged 104k orders
    # with 9k distinct problems, ~110 MB held in the VIP stage and again in the close
    problems: dict[tuple[Any, ...], Reason] = {}
    for card in cards:
        programme = vip.programmes.get(card.programme)
        if programme is None or not card.active_this_month:
            continue
        tier = card.tier_at_start or card.tier
        for order in spend.month_orders(card.person, card.programme):
            if not card.member_order(order):
                continue
            voucher = vouchers.get(order.order_id, ZERO)
            expected = price_with_card(order.list_amount, programme, tier, order.category, voucher, never)
            if order.amount == expected:
                continue
            problem: Reason | None
            if order.category in never and order.amount < expected:
                problem = problems.get((order.category,))
                if problem is None:
                    problem = problems[order.category,] = Reason.of("never_discounted", category=Reason.named(
                        order.category.replace("_", "-"), _category_name(policy, order.category)))
            else:
                # the terms depend on the card and the order's category and voucher only: worded
                # once per such set (thousands of rows at a million orders share a few dozen); the
                # voucher by its text, as `yen` words it (1.0 and 1.00 are equal, not one text)
                said = (card.programme, tier, order.category, type(voucher), str(voucher))
                terms = worded.get(said)
                if terms is None:
                    terms = worded[said] = _terms(programme, tier, order.category, voucher, never)
                paid, price = yen(order.amount), yen(expected)
                problem = problems.get((paid, price, id(terms)))     # the terms by identity: kept in `worded`
                if problem is None:
                    problem = problems[paid, price, id(terms)] = Reason.of("off_terms", paid=paid, expected=price,
                                                                           terms=terms)
            rows.append({"order_id": order.order_id, "customer_id": order.customer_id, "tier": tier,
                         "category": order.category, "list_amount": order.list_amount, "amount": order.amount,
                         "expected_amount": expected, "problem": problem, "_date": order.order_date})
    if not rows:
        return empty(AUDIT_COLUMNS)
    out = pd.DataFrame(rows).sort_values(["_date", "order_id"], kind="stable")
    return out[AUDIT_COLUMNS].reset_index(drop=True)
