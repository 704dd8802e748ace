"""The company's VIP member register at go-live (`csbatch vip import-members`, docs/decisions.md
"Issue 13: existing VIP members"): each row a card held today, turned into the card the first
close starts from, so anniversaries, voids, points clearing and gold upgrades work from it.

Cards are real-name ([003]): a row's national ID number becomes the keyed hash `person` here and
goes no further (the register's name, phone and birthday are read and checked but not kept: the
customer sheet stays the source of those each month). A card is valid a year from its issue date
and renewed at each anniversary; the register lists the cards held now, so every anniversary
before the first month closed counts as a renewal, and the card enters that month in its current
card year. A silver card's silver years count from its issue date. The points balance is the
card's balance today, cleared at its next anniversary like any other."""

from __future__ import annotations

from typing import Any, cast

import pandas as pd

from csbatch.calendar import month_bounds
from csbatch.errors import Issue, Source
from csbatch.i18n import N_
from csbatch.policy import Policy
from csbatch.vip.dates import DAY, as_date, stamp, valid_until
from csbatch.vip.identity import person_of
from csbatch.vip.model import CARD_COLUMNS

REGISTER_COLUMNS = [*CARD_COLUMNS, "points"]


def register_cards(frame: pd.DataFrame, first_period: str, policy: Policy,
                   key: bytes) -> tuple[pd.DataFrame | None, list[Issue]]:
    """The register's rows (input kind `vip_members`, typed) as cards of CARD_COLUMNS with their
    points balance, as of the first day of `first_period`; None and the problems, each with its
    place, when any row is wrong."""
    vip = policy.vip
    start, end = month_bounds(first_period)
    issues: list[Issue] = []
    rows = []
    seen: dict[str, str] = {}
    for row in cast("list[dict[str, Any]]", frame.to_dict("records")):
        place = Source.of_row(row)
        card_no, code, tier = str(row["card_no"]), str(row["programme"]), str(row["tier"])
        programme = vip.programmes.get(code)
        issued = as_date(row["issued_on"])
        id_number = str(row["id_number"]).strip().upper()
        person = person_of(id_number, key)
        if programme is None:
            issues.append(Issue.of(place, "vip.register_programme",
                                   N_("card {card}: programme {programme} is not in vip.yaml"),
                                   card=card_no, programme=code))
            continue
        if tier not in programme.tiers:
            issues.append(Issue.of(place, "vip.register_tier",
                                   N_("card {card}: {programme} has no tier {tier}"),
                                   card=card_no, programme=programme.name, tier=tier))
            continue
        assert issued is not None, "issued_on is a required date column"
        if issued > end:
            issues.append(Issue.of(place, "vip.register_future",
                                   N_("card {card} is issued on {day}, after {period}, the first month to close"),
                                   card=card_no, day=issued, period=first_period))
            continue
        if vip.one_card_per_person and person in seen:
            issues.append(Issue.of(place, "vip.register_same_person",
                                   N_("card {card} and card {other} carry the same national ID number: one "
                                      "person, one card"), card=card_no, other=seen[person]))
            continue
        seen[person] = card_no
        renewed, until = None, valid_until(issued, vip.card.valid_months)
        while until + DAY < start:          # anniversaries before the first month: renewals
            renewed = until + DAY
            until = valid_until(renewed, vip.card.valid_months)
        rows.append({"card_no": card_no, "person": person, "customer_id": str(row["customer_id"]),
                     "programme": code, "tier": tier, "issued_on": stamp(issued), "valid_until": stamp(until),
                     "status": "active", "silver_since": stamp(issued), "renewed_on": stamp(renewed),
                     "points": int(row["points"]) if programme.points is not None else 0})
    if any(i.is_error for i in issues):
        return None, issues
    return pd.DataFrame(rows, columns=REGISTER_COLUMNS), issues
