"""Golden cases of a VIP programme (config/vip.yaml): a month's purchases of a few customers →
each one's card tier, points and voucher worth, exactly as the close's VIP stage gives them.

The case runs `run_vip`, the close's own stage, on the case's customer records and store orders
typed by the real coercer (`csbatch.sheets.given`), as a first close (no earlier months): so a
threshold, a points rate or a voucher band changed in the policy moves the case's figures.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from pydantic import Field

from csbatch.blanks import is_blank
from csbatch.calendar import month_bounds
from csbatch.errors import Source
from csbatch.i18n import N_, Said
from csbatch.policy import Policy
from csbatch.policy.base import Code, Flag, Model, Text
from csbatch.policytest.kit import Row, compare
from csbatch.sheets.given import typed_rows
from csbatch.vip.programme import run_vip

#: the key people are hashed with: a case's ID numbers are made up, and nothing is kept
CASE_KEY = b"csbatch policy test"
#: the agent a case's orders are booked to (the VIP stage does not read it)
AGENT = "E"

#: expectation → vip_members.csv column (docs/outputs.md), where the names differ
COLUMNS = {"card": "status", "points": "points_close", "voucher": "voucher_value"}


class VipCustomer(Model):
    """A customer record: a card is real-name, so only a customer with an ID number gets one."""

    id_number: Text | None = None
    name: Text | None = None
    engineering: Flag = False


class MemberExpect(Model):
    """What a customer must end the month with (vip_members.csv, docs/outputs.md); `none`: no
    card, or no points in a programme without them."""

    tier: Text | None = Field(None, description="the card's tier code, none for no card")
    card: Text | None = Field(None, description="the card's status: active or void")
    issued_on: Text | None = None
    points: Text | None = Field(None, description="the closing points balance")
    points_earned: Text | None = None
    voucher: Text | None = Field(None, description="the closing balance's voucher worth")
    spend_month: Text | None = None
    spend_12m: Text | None = None
    next_tier_gap: Text | None = None


class VipCase(Model):
    name: Text
    vip: Code
    period: Text = "2026-10"
    customers: dict[Text, VipCustomer] = Field(min_length=1)
    purchases: list[Row] = Field(min_length=1)
    expect: dict[Text, MemberExpect] = Field(min_length=1)


def _cell(value: Any) -> Any:
    """A members cell as a case compares it: blank as None, a date as its day."""
    if is_blank(value):
        return None
    return value.date().isoformat() if isinstance(value, pd.Timestamp) else value


def run_vip_case(case: VipCase, policy: Policy) -> list[Said]:
    programme = policy.vip.programmes.get(case.vip)
    if programme is None:
        return [Said(N_("VIP programme '{programme}' does not exist"), programme=case.vip)]
    place = case.place or Source("tests")
    first, _ = month_bounds(case.period)
    customers = [{"customer_id": cid, "name": c.name or cid, "id_number": c.id_number,
                  "engineering": c.engineering} for cid, c in case.customers.items()]
    orders = [{"order_id": f"V{n}", "order_date": first.isoformat(), "employee_id": AGENT,
               "store_type": programme.store_type, **row.cells()} for n, row in enumerate(case.purchases, 1)]
    failures: list[Said] = []
    frames = {}
    for kind, given, places in (
            ("customers", customers, [c.place or place for c in case.customers.values()]),
            ("sales", orders, [row.where(place) for row in case.purchases])):
        frames[kind], found = typed_rows(policy, kind, given, case.period, places)
        failures += [i.line() for i in found]
    if failures:
        return failures
    result, issues = run_vip(case.period, policy, frames, None, CASE_KEY)
    failures += [i.line() for i in issues if i.is_error]
    members = result.members
    for cid, expected in case.expect.items():
        if cid not in case.customers:
            failures.append(Said(N_("{customer}: not a customer of the case"), customer=cid))
            continue
        rows = members[(members["customer_id"] == cid) & (members["programme"] == case.vip)]
        row = rows.iloc[0] if len(rows) else None
        for key, want in expected.model_dump(exclude_none=True).items():
            got = None if row is None else _cell(row[COLUMNS.get(key, key)])
            failures += compare(f"{cid}.{key}", want, got)
    return failures
