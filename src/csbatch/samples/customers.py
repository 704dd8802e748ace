"""The customer base (客户档案): the same in every month for a seed and head count, so that
consecutive sample months build a purchase history on the same people (VIP trailing spend).

The first customers are reserved for the scripted VIP cases of `orders.py`, twelve of each so
that a case falls on a different customer in every month of a year; the rest buy at random.
Reserved customers have complete records; the others are sometimes incomplete, as records are."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from csbatch.samples.month_context import Month
from csbatch.samples.ids import emails, mobiles, national_ids
from csbatch.samples.staff import AFTER_SALES, CLERK, INFO, SELLING, Staff, person_names
from csbatch.samples.words import fields, words

POOL = 12
#: Scripted cases, each with POOL reserved customers (dup_a/dup_b: one person, two records).
CASES = ("big_flagship", "span", "near_flagship", "near_modern", "at_modern",
         "engineering", "dup_a", "dup_b")


@dataclass
class Customers:
    ids: list[str]
    names: list[str | None]
    phones: list[str | int | None]
    emails: list[str | None]
    products: list[str | None]
    classes: list[str | None]
    id_numbers: list[str | None]
    birthdays: list[dt.date | None]      # shown in the sheet (blank: derived from the ID)
    births: list[dt.date]                # the real birth date
    addresses: list[str | None]
    engineering: list[bool]
    owners: list[str | None]
    pools: dict[str, list[int]]
    free: np.ndarray                     # indexes of customers that buy at random

    def __len__(self) -> int:
        return len(self.ids)

    def pool(self, case: str, month: Month) -> int:
        """The customer playing `case` this month (a different one each month of a year)."""
        return self.pools[case][month.index % POOL]


def customer_count(orders: int) -> int:
    return max(len(CASES) * POOL + 100, min(200_000, orders // 3))


def build_customers(month: Month, staff: Staff, n: int) -> Customers:
    rng = month.base_rng("customers")
    reserved = len(CASES) * POOL
    regions = fields("addresses")
    streets, blocks = words("streets"), words("communities")
    products = [p for p, _, _ in fields("products")]
    classes = words("customer_classes")

    births = [dt.date(1960, 1, 1) + dt.timedelta(days=int(x))
              for x in rng.integers(0, (dt.date(2003, 12, 31) - dt.date(1960, 1, 1)).days, n)]
    region = rng.integers(0, len(regions), n)
    ids_ = national_ids(rng, [regions[r][0] for r in region.tolist()], births)
    names = person_names(rng, n, unique=False)
    phones = mobiles(rng, n)
    mails = emails(rng, n)
    u = rng.random((n, 9)).tolist()
    owners_pool = [e.id for e in staff.by_role(*SELLING, INFO, AFTER_SALES, CLERK)]
    owner = rng.integers(0, len(owners_pool), n).tolist()
    product = rng.integers(0, len(products), n).tolist()
    klass = rng.integers(0, len(classes), n).tolist()
    street = rng.integers(0, len(streets), n).tolist()
    number = rng.integers(1, 400, (n, 3)).tolist()

    def blank(i: int, col: int, share: float) -> bool:
        return i >= reserved and u[i][col] < share

    c = Customers([f"KH{i + 1:06d}" for i in range(n)], [], [], [], [], [], [], [], births, [],
                  [], [], {}, np.arange(reserved, n))
    for i in range(n):
        c.names.append(None if blank(i, 0, 0.03) else names[i])
        phone = None if blank(i, 1, 0.05) else phones[i]
        c.phones.append(int(phone) if phone and u[i][8] < 0.12 else phone)   # typed as a number
        c.emails.append(None if blank(i, 2, 0.3) else mails[i])
        c.products.append(None if blank(i, 3, 0.05) else products[product[i]])
        c.classes.append(None if blank(i, 4, 0.2) else classes[klass[i]])
        c.id_numbers.append(None if blank(i, 5, 0.15) else ids_[i])
        c.birthdays.append(births[i] if u[i][6] < 0.5 or c.id_numbers[i] is None else None)
        n1, n2, n3 = number[i]
        c.addresses.append(None if blank(i, 7, 0.12) else
                           f"{regions[region[i]][1]}{streets[street[i]]}{n1}号"
                           f"{blocks[(n1 + n2) % len(blocks)]}{n2 % 30 + 1}栋{n3 + 100}室")
        c.engineering.append(bool(i >= reserved and u[i][7] > 0.97))
        c.owners.append(owners_pool[owner[i]])
    for k, case in enumerate(CASES):
        c.pools[case] = list(range(k * POOL, (k + 1) * POOL))
    for i in c.pools["engineering"]:
        c.engineering[i] = True
        c.classes[i] = "工程客户" if c.classes[i] is None else c.classes[i]
    # One person registered twice (at two stores): two customer ids, one national ID.
    for a, b in zip(c.pools["dup_a"], c.pools["dup_b"]):
        c.names[b], c.id_numbers[b], c.births[b] = c.names[a], c.id_numbers[a], c.births[a]
        c.birthdays[b] = c.birthdays[a]
    return c
