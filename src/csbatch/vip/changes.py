"""Members' address and phone changes as tasks on the VIP list ([003] 申办VIP卡注意事项 4.:
申请表上地址和电话发生变更时,客服人员应及时处理). The evidence is the desk's change log, input kind
`member_changes` (VIP资料变更: card number, new phone and/or new address, the day it was reported,
the day it was handled), not a comparison of the customer sheet with the ledger: the ledger keeps no
phones or addresses (docs/decisions.md, "Issue 13: members' address and phone changes").

Each change is one task row: a row giving both a new phone and a new address is two. Due
`member_changes.handle_within_days` after it was reported (company-set in vip.yaml; none: no due
date); its status at month end is `done`, `late` (handled after the due day), `open` or `overdue`.
The new phone prints masked (`vip.masking`): this list is not the call list, nobody dials from it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd

from csbatch.blanks import is_blank
from csbatch.calendar import month_bounds
from csbatch.errors import Issue, Source
from csbatch.i18n import N_
from csbatch.policy import Policy
from csbatch.vip.card_events import Card
from csbatch.vip.dates import as_date, stamp
from csbatch.vip.identity import mask_phone
from csbatch.vip.model import MEMBER_CHANGE_COLUMNS, empty
from csbatch.vip.people import People

#: Where a cell of a change row is: `Inputs.cell` in a close, the row alone otherwise.
Place = Callable[[pd.Series, str], Source | None]


def _status(handled: dt.date | None, due: dt.date | None, month_end: dt.date) -> str:
    if handled is not None:
        return "late" if due is not None and handled > due else "done"
    return "overdue" if due is not None and due < month_end else "open"


def member_changes(period: str, changes: pd.DataFrame | None, cards: list[Card], people: People,
                   policy: Policy, place: Place) -> tuple[pd.DataFrame, list[Issue]]:
    """The month's change tasks (MEMBER_CHANGE_COLUMNS) from the change log's typed rows; a row naming a
    card the ledger and this month do not know, with neither a new phone nor a new address, or
    handled before it was reported, is an error with its cell."""
    issues: list[Issue] = []
    rows: list[dict[str, Any]] = []
    by_no = {c.card_no: c for c in cards}
    mask = policy.vip.masking
    within = policy.vip.member_changes.handle_within_days
    _, month_end = month_bounds(period)
    for _, row in (changes if changes is not None else empty([])).iterrows():
        card_no = str(row["card_no"])
        card = by_no.get(card_no)
        if card is None:
            issues.append(Issue.of(place(row, "card_no"), "vip.change_unknown_card",
                                   N_("card {card} is not a VIP card the ledger or this month knows"),
                                   card=card_no))
            continue
        new = [(kind, value) for kind, value in (("phone_change", row.get("new_phone")),
                                                 ("address_change", row.get("new_address")))
               if not is_blank(value) and str(value).strip()]
        if not new:
            issues.append(Issue.of(place(row, "card_no"), "vip.change_empty",
                                   N_("card {card}: the change gives neither a new phone nor a new address"),
                                   card=card_no))
            continue
        reported, handled = as_date(row["reported_on"]), as_date(row.get("handled_on"))
        assert reported is not None, "reported_on is a required date column"
        if handled is not None and handled < reported:
            issues.append(Issue.of(place(row, "handled_on"), "vip.change_handled_early",
                                   N_("card {card}: handled on {handled}, before it was reported on {reported}"),
                                   card=card_no, handled=handled, reported=reported))
            continue
        due = None if within is None else reported + dt.timedelta(days=within)
        rec = people.record(card.customer_id, card.person)
        for kind, value in new:
            shown = mask_phone(str(value), mask.phone_keep_start, mask.phone_keep_end) \
                if kind == "phone_change" else str(value).strip()
            rows.append({"card_no": card_no, "customer_id": card.customer_id, "name": rec.name if rec else None,
                         "kind": kind, "new_value": shown, "reported_on": stamp(reported), "due_on": stamp(due),
                         "handled_on": stamp(handled), "status": _status(handled, due, month_end)})
    if any(i.is_error for i in issues) or not rows:
        out = empty(MEMBER_CHANGE_COLUMNS)
    else:
        out = pd.DataFrame(rows, columns=MEMBER_CHANGE_COLUMNS).sort_values(
            ["reported_on", "card_no", "kind"], kind="stable").reset_index(drop=True)
    for col in ("reported_on", "due_on", "handled_on"):
        out[col] = out[col].astype("datetime64[ns]")
    return out, issues
