"""What the month prints about its members: `vip_members.csv` (one row per card active at some
point of the month, voided ones included), `vip_points.csv` (the month's entries) and one
statement dict per member for the HTML statement (`csbatch.reports.vip_statements`).

Points columns are whole points: redeemed and expired are printed as positive counts, so
open + earned − redeemed − expired = close; earned counts issue and earn entries, net of
reversals. A programme without points prints them blank. `next_tier_gap` is what the trailing
12 months still lack for the next tier (0 when reached), blank at the top tier. The national ID
number appears only masked (`masking.id_last_digits`), the phone only masked."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple, overload

import pandas as pd

from csbatch.blanks import is_blank
from csbatch.grouping import boxed_once
from csbatch.idnumbers import mask_id
from csbatch.money import ZERO_CENTS as ZERO
from csbatch.money import to_cents
from csbatch.policy import Policy
from csbatch.vip.card_events import ACTIVE, Card, next_tier
from csbatch.vip.dates import stamp, valid_until
from csbatch.vip.identity import mask_phone
from csbatch.vip.model import empty
from csbatch.vip.people import People
from csbatch.vip.pricing import voucher_value
from csbatch.vip.purchases import Spend

MEMBER_COLUMNS = ["customer_id", "name", "programme", "tier", "card_no", "issued_on", "valid_until", "status",
                  "spend_month", "spend_12m", "points_open", "points_earned", "points_redeemed",
                  "points_expired", "points_close", "voucher_value", "next_tier_gap"]
POINTS_OUT_COLUMNS = ["customer_id", "date", "kind", "points", "order_id", "note"]


def _by_card(entries: list[dict]) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for e in entries:
        found.setdefault(e["card_no"], []).append(e)
    return found


def members_frame(cards: list[Card], spend: Spend, people: People, policy: Policy,
                  opening: dict[str, int], entries: list[dict]) -> pd.DataFrame:
    vip = policy.vip
    by_card = _by_card(entries)
    rows = []
    for card in sorted((c for c in cards if c.active_this_month), key=lambda c: c.card_no):
        programme = vip.programmes.get(card.programme)
        rec = people.record(card.customer_id, card.person)
        spend_12m = spend.trailing_12m(card.person, card.programme)
        row: dict[str, Any] = {"customer_id": card.customer_id, "name": rec.name if rec else None,
               "programme": card.programme,
               "tier": card.tier, "card_no": card.card_no, "issued_on": stamp(card.issued_on),
               "valid_until": stamp(card.valid_until), "status": card.status,
               "spend_month": spend.spend_month(card.person, card.programme), "spend_12m": spend_12m}
        if programme is not None and programme.points is not None:
            mine = by_card.get(card.card_no, [])
            earned = sum(e["points"] for e in mine if e["kind"] in ("issue", "earn"))
            redeemed = -sum(e["points"] for e in mine if e["kind"] == "redeem")
            expired = -sum(e["points"] for e in mine if e["kind"] == "expire")
            start = opening.get(card.card_no, 0)
            close = start + earned - redeemed - expired
            row.update(points_open=start, points_earned=earned, points_redeemed=redeemed,
                       points_expired=expired, points_close=close, voucher_value=voucher_value(close, policy))
        else:
            row.update(points_open=None, points_earned=None, points_redeemed=None, points_expired=None,
                       points_close=None, voucher_value=None)
        up = next_tier(programme, card.tier) if programme is not None else None
        row["next_tier_gap"] = None if up is None else to_cents(max(up[1].trailing_12m - spend_12m, ZERO))
        rows.append(row)
    out = pd.DataFrame(rows, columns=MEMBER_COLUMNS) if rows else empty(MEMBER_COLUMNS)
    for col in ("issued_on", "valid_until"):
        out[col] = out[col].astype("datetime64[ns]")
    for col in ("points_open", "points_earned", "points_redeemed", "points_expired", "points_close"):
        out[col] = out[col].astype("Int64")
    return out


def points_out_frame(entries: list[dict]) -> pd.DataFrame:
    if not entries:
        out = empty(POINTS_OUT_COLUMNS)
    else:
        ordered = sorted(entries, key=lambda e: (e["date"], e["customer_id"]))
        out = pd.DataFrame(ordered, columns=POINTS_OUT_COLUMNS)
        out["order_id"] = pd.Series([e["order_id"] for e in ordered], index=out.index, dtype=object)
    out["date"] = out["date"].astype("datetime64[ns]")
    out["points"] = out["points"].astype("int64")
    return out


class _Own(NamedTuple):
    """What a member's statement says that the members and tasks frames do not: the masked ID
    and phone, the programme's and tier's names, the free cleaning's end, the card's points
    entries and, for an active card, the customers whose tasks it lists (None: no tasks)."""

    id_masked: str | None
    phone_masked: str | None
    programme_name: str
    tier_name: str
    free_cleaning_until: Any
    entries: list[dict]
    customers: tuple[str, ...] | None


class Statements(Sequence[dict]):
    """One statement dict per member (`statements`), made when read, not held: at a year's
    members of a large department (95k at a million orders a month) the dicts, each a copy of
    the member's row and tasks, held ~300 MB in the VIP stage and again in the close, for pages
    rendered one at a time. Held here is only what the members and tasks frames do not say
    (`_Own`, per member). A statement read by index is kept, so a change made to it is what is
    rendered (as a list's would be); iterating makes the others one at a time. Reading an index
    not read before reads the tasks frame through: fine for a few, not for every index."""

    CHUNK = 1024     # members' rows made into dicts at a time

    def __init__(self, members: pd.DataFrame, tasks: pd.DataFrame, own: list[_Own]):
        self._members, self._tasks, self._own = members, tasks, own
        self._kept: dict[int, dict] = {}

    def __len__(self) -> int:
        return len(self._own)

    @overload
    def __getitem__(self, i: int) -> dict: ...

    @overload
    def __getitem__(self, i: slice) -> list[dict]: ...

    def __getitem__(self, i: int | slice) -> dict | list[dict]:
        if isinstance(i, slice):
            return [self[j] for j in range(len(self))[i]]
        at = range(len(self))[i]      # a negative index counts from the end; IndexError beyond it
        if at not in self._kept:
            self._kept[at] = next(self._made(at, at + 1))
        return self._kept[at]

    def __iter__(self) -> Iterator[dict]:
        for at, made in enumerate(self._made(0, len(self))):
            yield self._kept.get(at, made)

    def __repr__(self) -> str:
        return repr(list(self))

    def _made(self, start: int, stop: int) -> Iterator[dict]:
        tasks = self._tasks
        kinds, starts, ends, notes = (boxed_once(tasks[k]) for k in ("kind", "due_from", "due_to", "note"))
        of_customer: dict[str, list[int]] = {}
        for i, cid in enumerate(tasks["customer_id"].tolist()):
            of_customer.setdefault(cid, []).append(i)
        for first in range(start, stop, self.CHUNK):
            rows = self._members.iloc[first:min(first + self.CHUNK, stop)].to_dict("records")
            for row, own in zip(rows, self._own[first:first + len(rows)]):
                statement = {k: (None if is_blank(v) else v) for k, v in row.items()}
                statement.update(
                    id_masked=own.id_masked, phone_masked=own.phone_masked, programme_name=own.programme_name,
                    tier_name=own.tier_name, free_cleaning_until=own.free_cleaning_until, entries=own.entries,
                    tasks=[] if own.customers is None else sorted(
                        ({"kind": kinds[i], "due_from": starts[i], "due_to": ends[i], "note": notes[i]}
                         for cid in own.customers for i in of_customer.get(cid, ())),
                        key=lambda t: (t["due_from"], t["kind"], t["note"])))
                yield statement


def statements(members: pd.DataFrame, cards: list[Card], people: People, policy: Policy,
               entries: list[dict], tasks: pd.DataFrame) -> Statements:
    """Each member's statement (`Statements`): the members frame's row, and what it does not say."""
    vip = policy.vip
    mask = vip.masking
    by_no = {c.card_no: c for c in cards}
    by_card = _by_card(entries)
    own = []
    for card_no in members["card_no"].tolist():
        card = by_no[card_no]
        programme = vip.programmes.get(card.programme)
        rec = people.record(card.customer_id, card.person)
        own.append(_Own(
            id_masked=mask_id(rec.id_number if rec else None, mask.id_last_digits),
            phone_masked=mask_phone(rec.phone if rec else None, mask.phone_keep_start, mask.phone_keep_end),
            programme_name=programme.name if programme else card.programme,
            tier_name=programme.tiers[card.tier].name if programme and card.tier in programme.tiers else card.tier,
            free_cleaning_until=valid_until(card.issued_on, vip.card.free_cleaning_months),
            entries=[{k: e[k] for k in ("date", "kind", "points", "order_id", "note")}
                     for e in by_card.get(card.card_no, [])],
            customers=tuple(set(people.customers_of.get(card.person, [card.customer_id])) | {card.customer_id})
            if card.status == ACTIVE else None))
    return Statements(members, tasks, own)
