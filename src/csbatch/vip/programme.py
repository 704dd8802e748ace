"""The month's VIP stage (docs/policy.md#vip): `run_vip(period, policy, inputs, history, key)`.

A pure function of the month's sheets (sales, customers, redemptions), the policy and what the
ledger holds of earlier months (`VipHistory`); it returns what the ledger appends and what the
outputs print (`VipResult`) and the problems found, as values. The steps, each in its module:

    people      customer records → persons (same national ID = one person)   people.py
    purchases   this month's store orders and refunds; spend per person       purchases.py
    cards       anniversaries → upgrades → new cards                          cards.py
    points      issue, earn, reversals, redemptions, clearing, in date order  points.py
    audit       member orders priced off the card's terms                     audit.py
    tasks       next month's greetings and maintenance reminders             tasks.py
    changes     members' reported address and phone changes                  changes.py
    print       members, points entries, statements                          members.py

`price_with_card` and `voucher_value` (pricing.py) are the two formulas the desk quotes.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from csbatch.errors import Issue, Source
from csbatch.policy import Policy
from csbatch.sheets.intake import Inputs
from csbatch.sheets.month_inputs import row_fields
from csbatch.vip.card_events import (
    ACTIVE,
    cards_frame,
    due_holders,
    holders_moved,
    issue_cards,
    load_cards,
    roll_anniversaries,
    upgrade,
    years_since,
)
from csbatch.vip.changes import member_changes
from csbatch.vip.discount_check import discount_audit
from csbatch.vip.members import members_frame, points_out_frame, statements
from csbatch.vip.model import PURCHASE_COLUMNS, VipHistory, VipResult
from csbatch.vip.people import People, add_card_holders, build_people
from csbatch.vip.points import points_frame, run_points
from csbatch.vip.pricing import price_with_card, voucher_value
from csbatch.vip.purchases import Spend, month_purchases
from csbatch.vip.tasks import next_month_tasks

__all__ = ["price_with_card", "run_vip", "voucher_value"]


def _kind(inputs: Inputs | Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame | None:
    try:
        return inputs[name]
    except (KeyError, TypeError):
        return None


def vip_people(inputs: Inputs | Mapping[str, pd.DataFrame], key: bytes) -> tuple[People, list[Issue]]:
    """The persons of the month's customer sheet (`build_people`), the VIP stage's first step:
    `run_vip` makes them, unless given them made (the close makes them before it forks the VIP
    stage's child: `csbatch.closing.stages.begin_vip`)."""
    return build_people(_kind(inputs, "customers"), key)


def run_vip(period: str, policy: Policy, inputs: Inputs | Mapping[str, pd.DataFrame],
            history: VipHistory | None, key: bytes,
            made: tuple[People, list[Issue]] | None = None) -> tuple[VipResult, list[Issue]]:
    """The month's VIP programme: `inputs` is the close's `Inputs` or a mapping of input kind →
    typed frame (a kind left out is no rows); `history` what the ledger holds of earlier months
    (None: a first close); `made` the people `vip_people` made of these inputs with this key,
    when made already (run_vip adds card holders to them: a copy of them, in a forked child)."""
    history = history or VipHistory()
    sales = _kind(inputs, "sales")
    issues: list[Issue] = []

    people, found = made if made is not None else vip_people(inputs, key)
    issues += found
    add_card_holders(people, history.cards)

    month = month_purchases(period, sales, policy)
    cards = load_cards(history.cards)
    issues += holders_moved(cards, people)
    holders = {c.person for c in cards if c.status == ACTIVE}
    spend = Spend(period, history.earlier if history.earlier is not None else history.purchases, month, people,
                  policy, holders)
    # the orders anniversaries look back at: the card years ending this month, of their holders
    spend.load_orders(due_holders(cards, period), years_since(cards, period))

    roll_anniversaries(cards, period, spend, policy)
    upgrade(cards, period, spend, policy)
    new, found = issue_cards(cards, period, spend, people, policy)
    issues += found
    cards += new

    points, found = run_points(period, cards, spend, people, policy, history.points, sales,
                               _kind(inputs, "redemptions"))
    issues += found
    audit = discount_audit(cards, spend, points.vouchers, policy)
    tasks, found = next_month_tasks(period, cards, spend, people, policy)
    issues += found
    place = inputs.cell if isinstance(inputs, Inputs) else lambda row, _col: Source.of_row(row_fields(row))
    changes, found = member_changes(period, _kind(inputs, "member_changes"), cards, people, policy, place)
    issues += found

    members = members_frame(cards, spend, people, policy, points.balances_open, points.entries)
    result = VipResult(
        purchases=month[PURCHASE_COLUMNS].copy(),
        cards=cards_frame(cards),
        points=points_frame(points.entries),
        members=members,
        points_out=points_out_frame(points.entries),
        tasks=tasks,
        discount_audit=audit,
        statements=statements(members, cards, people, policy, points.entries, tasks),
        member_changes=changes,
    )
    return result, issues
