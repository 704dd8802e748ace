"""Cards (docs/policy.md#vip): what happens to each card in a month, in this order —

1. anniversaries: a card year that has ended by the month's last day is renewed for another year when the card was
   used in it, else voided (`void_without_purchase`); its points are cleared separately
   (`points.py`) on the anniversary;
2. upgrades: a card held at the required tier long enough whose trailing-12-month spend reaches
   the next tier's threshold moves up on the period's last day;
3. issues: a person holding no card who qualifies for a programme's entry tier this month — one
   order at or above `single_order`, else trailing-12-month spend at or above `trailing_12m` —
   gets a card dated on the qualifying purchase. One card per person: when a person qualifies for
   two programmes in one month, the programme listed first in vip.yaml wins. Engineering
   customers never qualify; a customer without a national ID number gets no card (cards are
   real-name), and a warning says so.

Cards are mutable records here (the month changes them); the frames of `model.py` are built from
them at the end."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from csbatch.calendar import month_bounds
from csbatch.errors import Issue
from csbatch.i18n import N_
from csbatch.idnumbers import id_ending
from csbatch.money import ZERO_CENTS as ZERO
from csbatch.policy import Policy
from csbatch.policy.vip import Programme, Tier
from csbatch.vip.dates import DAY, as_date, months_held, stamp, valid_until
from csbatch.vip.identity import ENV_KEY
from csbatch.vip.model import CARD_COLUMNS, empty
from csbatch.vip.people import People
from csbatch.vip.pricing import yen
from csbatch.vip.purchases import Purchase, Spend, Trailing

ACTIVE = "active"
VOID = "void"


@dataclass
class Card:
    card_no: str
    person: str
    customer_id: str
    programme: str
    tier: str
    issued_on: dt.date
    valid_until: dt.date
    status: str
    silver_since: dt.date | None = None
    renewed_on: dt.date | None = None
    # what this month did to it
    new: bool = False
    active_at_start: bool = False
    tier_at_start: str = ""
    voided_on: dt.date | None = None
    anniversaries: list[dt.date] = field(default_factory=list)
    qualifying_amount: Decimal | None = None
    qualifying_orders: frozenset[str] = frozenset()
    qualifying_order: str | None = None
    qualified_by: str = ""

    @property
    def active_this_month(self) -> bool:
        return self.new or self.active_at_start

    def active_on(self, day: dt.date) -> bool:
        """Whether the card could be used on `day` of this month."""
        if not self.active_this_month or day < self.issued_on:
            return False
        return self.voided_on is None or day < self.voided_on

    def member_order(self, order: Purchase) -> bool:
        """An order priced with the card: after the qualifying purchase, while the card ran."""
        if order.order_id in self.qualifying_orders:
            return False
        if self.new and order.order_date <= self.issued_on:
            return False
        return self.active_on(order.order_date)


def entry_tier(programme: Programme) -> str:
    """The tier a card starts at: the first one that requires no other tier."""
    return next(code for code, t in programme.tiers.items() if t.requires is None)


def next_tier(programme: Programme, tier: str) -> tuple[str, Tier] | None:
    return next(((code, t) for code, t in programme.tiers.items()
                 if t.requires is not None and t.requires.tier == tier), None)


def load_cards(history: pd.DataFrame) -> list[Card]:
    cards: list[Card] = []
    if history is None or history.empty:
        return cards
    for r in history[CARD_COLUMNS].itertuples(index=False):
        status = str(r.status)
        issued, until = as_date(r.issued_on), as_date(r.valid_until)
        assert issued is not None and until is not None, "the ledger keeps both dates of every card"
        cards.append(Card(str(r.card_no), str(r.person), str(r.customer_id), str(r.programme), str(r.tier),
                          issued, until, status, as_date(r.silver_since),
                          as_date(r.renewed_on), active_at_start=status == ACTIVE, tier_at_start=str(r.tier)))
    return cards


#: From how many active card holders on the customer sheet "every one of them has another national
#: ID number now" is taken as the ledger's key being another, not as numbers corrected: a few
#: holders may all be corrected in one month, ten or more at once is not believable.
ALL_MOVED = 10


def holders_moved(cards: list[Card], people: People) -> list[Issue]:
    """Active cards whose customer this month's customer sheet gives another person's national ID
    number (a person is the keyed hash of the number). The card stays with its person, and the
    customer's purchases now count for the person of the new number: a warning for each, naming
    the row. When every one of `ALL_MOVED` or more holders on the sheet moved, the numbers did not
    change: the ledger's key is not the one its cards were made with, and that is
    refused (`csbatch.ledger.keycheck` refuses it first wherever the ledger's kept copies show it)."""
    moved: list[Card] = []
    present = 0
    for card in cards:
        now = people.person_by_customer.get(card.customer_id)
        if card.status != ACTIVE or now is None or not people.real_name(now):
            continue
        present += 1
        if now != card.person:
            moved.append(card)
    if moved and len(moved) == present >= ALL_MOVED:
        return [Issue.of(None, "vip.all_holders_moved",
                         N_("every one of the {count} card holders on the customer sheet has another national "
                            "ID number than their card was issued to: the ledger's key (the .key file beside it, "
                            "or {env}) is not the one its cards were made with. Use the ledger's own key"),
                         count=present, env=ENV_KEY)]
    issues: list[Issue] = []
    for card in moved:
        record = people.records.get(card.customer_id)
        issues.append(Issue.warn(record.source if record is not None else None, "vip.holder_moved",
                                 N_("customer {customer} holds card {card}, issued to the person of another "
                                    "national ID number than the one this sheet gives (ending {ending}): the card "
                                    "stays with that person, and this customer's purchases now count for the "
                                    "person of this number; if the number is wrong, correct it"),
                                 customer=card.customer_id, card=card.card_no,
                                 ending=id_ending(record.id_number if record is not None else None)))
    return issues


def cards_frame(cards: list[Card]) -> pd.DataFrame:
    if not cards:
        out = empty(CARD_COLUMNS)
    else:
        out = pd.DataFrame([{
            "card_no": c.card_no, "person": c.person, "customer_id": c.customer_id, "programme": c.programme,
            "tier": c.tier, "issued_on": stamp(c.issued_on), "valid_until": stamp(c.valid_until),
            "status": c.status, "silver_since": stamp(c.silver_since), "renewed_on": stamp(c.renewed_on),
        } for c in sorted(cards, key=lambda c: c.card_no)], columns=CARD_COLUMNS)
    for col in ("issued_on", "valid_until", "silver_since", "renewed_on"):
        out[col] = out[col].astype("datetime64[ns]")
    return out


# --- 1. anniversaries ---------------------------------------------------------------------------

def roll_anniversaries(cards: list[Card], period: str, spend: Spend, policy: Policy) -> None:
    """Renew or void every active card whose year ended before this month's last day."""
    rules = policy.vip.card
    _, end = month_bounds(period)
    for card in cards:
        while card.status == ACTIVE and card.valid_until + DAY <= end:
            anniversary = card.valid_until + DAY
            year_start = card.renewed_on or card.issued_on
            first_year = card.renewed_on is None
            used = any((p.order_date > year_start if first_year else p.order_date >= year_start)
                       and p.order_date <= card.valid_until
                       for p in spend.kept_orders(card.person, card.programme, since=_year_month(card)))
            card.anniversaries.append(anniversary)
            if rules.void_without_purchase and not used:
                card.status = VOID
                card.voided_on = anniversary
            else:
                card.renewed_on = anniversary
                card.valid_until = valid_until(anniversary, rules.valid_months)


def _due(cards: list[Card], period: str) -> list[Card]:
    """The active cards whose year ends before this month's last day: `roll_anniversaries`' cards."""
    _, end = month_bounds(period)
    return [c for c in cards if c.status == ACTIVE and c.valid_until + DAY <= end]


def _year_month(card: Card) -> str:
    """The month the card's current year starts in: the first month of orders its anniversary
    looks at."""
    return (card.renewed_on or card.issued_on).strftime("%Y-%m")


def years_since(cards: list[Card], period: str) -> str:
    """The first month whose orders `roll_anniversaries` looks at: the start of the year of the
    earliest card whose year ends before this month's last day (this month, when none does)."""
    return min([period, *map(_year_month, _due(cards, period))])


def due_holders(cards: list[Card], period: str) -> set[str]:
    """The persons whose orders `roll_anniversaries` looks at: the holders of `_due` cards only
    (every holder's year of orders was read before, at a million orders a month millions of
    them, for the few cards whose year ends)."""
    return {c.person for c in _due(cards, period)}


# --- 2. upgrades ---------------------------------------------------------------------------------

def upgrade(cards: list[Card], period: str, spend: Spend, policy: Policy) -> None:
    _, end = month_bounds(period)
    for card in cards:
        if card.status != ACTIVE or card.new:
            continue
        programme = policy.vip.programmes.get(card.programme)
        found = next_tier(programme, card.tier) if programme is not None else None
        if found is None:
            continue
        code, tier = found
        assert tier.requires is not None, "next_tier finds only a tier that requires one"
        held = months_held(card.silver_since or card.issued_on, end)
        if held >= tier.requires.held_months and spend.trailing_12m(card.person, card.programme) >= tier.trailing_12m:
            card.tier = code


# --- 3. issues -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Qualification:
    programme: str
    tier: str
    day: dt.date
    amount: Decimal
    orders: frozenset[str]
    order: str
    customer_id: str
    how: str


def qualification(person: str, code: str, programme: Programme, spend: Spend) -> Qualification | None:
    """How a person qualifies for the programme's entry tier this month, if they do."""
    tier_code = entry_tier(programme)
    tier = programme.tiers[tier_code]
    orders = spend.month_orders(person, code)
    if not orders:
        return None
    if tier.single_order is not None:
        single = next((p for p in orders if p.amount >= tier.single_order), None)
        if single is not None:
            return Qualification(code, tier_code, single.order_date, single.amount, frozenset({single.order_id}),
                                 single.order_id, single.customer_id,
                                 f"单笔满 {yen(tier.single_order)}")
    running = spend.trailing_12m(person, code) - sum((p.amount for p in orders), Decimal(0))
    counted: list[str] = []
    for p in orders:
        running += p.amount
        counted.append(p.order_id)
        if running >= tier.trailing_12m:
            return Qualification(code, tier_code, p.order_date, running, frozenset(counted), p.order_id,
                                 p.customer_id, f"近12个月累计满 {yen(tier.trailing_12m)}")
    return None


def _entry_tiers(policy: Policy) -> dict[str, Tier]:
    """Each programme's entry tier (looked up once per close, not once per person)."""
    return {code: p.tiers[entry_tier(p)] for code, p in policy.vip.programmes.items()}


def _could_qualify(spend: Spend, entry: dict[str, Tier]) -> list[tuple[str, str]]:
    """The keys of `spend.keys()` (in its order) whose trailing spend reaches their programme's
    entry tier, or whose largest order this month its single order: one comprehension over the
    trailing sums (hundreds of thousands of keys), not a call and two look-ups per key."""
    trailing = {code: tier.trailing_12m for code, tier in entry.items()}
    single = {code: tier.single_order for code, tier in entry.items()}
    largest = spend.largest_order
    if isinstance(spend.trailing, Trailing):    # the ledger's: compared in cents (`Trailing.reaching`)
        return spend.trailing.reaching(trailing, single)
    return [key for key, amount in spend.trailing.items()
            if amount >= trailing[key[1]]
            or ((order := single[key[1]]) is not None and largest.get(key, ZERO) >= order)]


def card_prefixes(policy: Policy) -> dict[str, str]:
    """Each programme's card-number prefix: its code's first letter (the whole code when two share one)."""
    codes = list(policy.vip.programmes)
    letters = [c[0].upper() for c in codes]
    return {c: (letter if letters.count(letter) == 1 else c.upper()) for c, letter in zip(codes, letters)}


def issue_cards(cards: list[Card], period: str, spend: Spend, people: People,
                policy: Policy) -> tuple[list[Card], list[Issue]]:
    vip = policy.vip
    order = list(vip.programmes)
    holding: dict[str, set[str]] = {}
    carded: dict[str, Card] = {}    # customer id → an active card it holds
    for card in cards:
        if card.status == ACTIVE:
            holding.setdefault(card.person, set()).add(card.programme)
            carded[card.customer_id] = card
    candidates: dict[str, list[Qualification]] = {}
    entry = _entry_tiers(policy)
    for key in sorted(_could_qualify(spend, entry)):
        person, code = key
        held = holding.get(person, set())
        if (vip.one_card_per_person and held) or code in held:
            continue
        found = qualification(person, code, vip.programmes[code], spend)
        if found is not None:
            candidates.setdefault(person, []).append(found)
    issues: list[Issue] = []
    chosen: list[tuple[str, Qualification]] = []
    for person, quals in sorted(candidates.items()):
        quals.sort(key=lambda q: order.index(q.programme))
        if vip.one_card_per_person:
            quals = quals[:1]
        for q in quals:
            if vip.exclude_engineering and people.engineering(person):
                continue
            if not people.real_name(person):
                rec = people.record(q.customer_id)
                programme = vip.programmes[q.programme]
                template = (N_("customer {customer} qualifies for {programme} {tier} on {day} ({how}, order "
                               "{order}) but has no national ID number in the customer sheet: cards are "
                               "real-name, so none is issued") if rec is not None else
                            N_("customer {customer} qualifies for {programme} {tier} on {day} ({how}, order "
                               "{order}) but is not in the customer sheet: cards are real-name, so none is "
                               "issued"))
                issues.append(Issue.warn(rec.source if rec is not None else None, "vip.no_id_number", template,
                                         customer=q.customer_id, programme=programme.name,
                                         tier=programme.tiers[q.tier].name, day=q.day, how=q.how, order=q.order))
                continue
            held_here = carded.get(q.customer_id)
            if held_here is not None and held_here.person != person:   # `holders_moved`: one per customer
                rec = people.record(q.customer_id)
                issues.append(Issue.warn(rec.source if rec is not None else None, "vip.customer_carded",
                                         N_("customer {customer} qualifies for {programme} on {day} but already "
                                            "holds card {card}, issued to the person of another national ID "
                                            "number: no second card is issued to one customer"),
                                         customer=q.customer_id, programme=vip.programmes[q.programme].name,
                                         day=q.day, card=held_here.card_no))
                continue
            chosen.append((person, q))
    prefixes = card_prefixes(policy)
    taken = {c.card_no for c in cards}
    yyyymm = period.replace("-", "")
    new: list[Card] = []
    for code in order:
        seq = 0
        mine = sorted(((p, q) for p, q in chosen if q.programme == code),
                      key=lambda pq: (pq[1].day, pq[1].customer_id))
        for person, q in mine:
            seq += 1
            while f"{prefixes[code]}{yyyymm}{seq:04d}" in taken:
                seq += 1
            card_no = f"{prefixes[code]}{yyyymm}{seq:04d}"
            taken.add(card_no)
            new.append(Card(card_no, person, q.customer_id, code, q.tier, q.day,
                            valid_until(q.day, vip.card.valid_months), ACTIVE, silver_since=q.day,
                            new=True, tier_at_start=q.tier, qualifying_amount=q.amount,
                            qualifying_orders=q.orders, qualifying_order=q.order, qualified_by=q.how))
    return new, issues
