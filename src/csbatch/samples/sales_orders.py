"""Sales orders (销售订单): drawn with numpy, so a million rows take seconds.

Selling agents (e-commerce online; comprehensive in store or by phone; consulting by phone or
after an invitation, with a non-CS sales rep) sell to the free customers of the base. Scripted
orders are added for the VIP rules: a flagship single order over the threshold followed by member
orders (one priced right, one at the wrong rate, one discounting a special-price item), a
customer whose spend crosses the trailing-12-month threshold only with last month's orders,
customers just under and exactly at a threshold, an engineering customer, one person holding
two customer records, and a refunded special-price order."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from csbatch.errors import CsbatchError, Issue
from csbatch.i18n import N_
from csbatch.samples.punches import Attendance
from csbatch.samples.month_context import Month
from csbatch.samples.customers import POOL, Customers
from csbatch.samples.staff import COMPREHENSIVE, CONSULTING, ECOMMERCE, SELLING, Staff
from csbatch.samples.words import fields

CHANNELS = ("online", "in_store", "phone_direct", "invitation_sales")
CATEGORIES = ("regular", "new", "imported", "special_price")
STORES = ("", "flagship", "modern")
STATUSES = ("completed", "refunded", "cancelled")
ONLINE, IN_STORE, PHONE, INVITED = range(4)
REGULAR, NEW, IMPORTED, SPECIAL = range(4)
FLAGSHIP, MODERN = 1, 2
COMPLETED, REFUNDED, CANCELLED = range(3)
PROMO_PRICE = 398.0
SALES_REPS = tuple(f"XS{k}" for k in range(101, 107))     # the sales department's reps
ROLE_SHARE = {ECOMMERCE: 1.0, COMPREHENSIVE: 0.8, CONSULTING: 0.6}


@dataclass
class Orders:
    ids: list[str]
    day: np.ndarray            # index into month.workdays
    agent: np.ndarray          # employee index
    customer: np.ndarray       # customer index
    amount: np.ndarray
    list_amount: np.ndarray    # NaN: not given
    channel: np.ndarray
    category: np.ndarray
    store: np.ndarray
    promo: np.ndarray
    status: np.ndarray
    product: list[str]
    rep: list[str | None]
    tags: dict[str, list[int]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class Scripted:
    tag: str
    agent: int
    day: int
    customer: int
    amount: float
    channel: int
    store: int
    category: int = REGULAR
    list_amount: float = math.nan
    status: int = COMPLETED
    product: str = "家具组合套餐"
    rep: str | None = None


def check_codes(month: Month) -> None:
    """The codes this module draws must be in config/inputs.yaml's vocabularies."""
    for name, codes in (("channel", CHANNELS), ("category", CATEGORIES),
                        ("store_type", STORES[1:]), ("order_status", STATUSES)):
        vocab = month.policy.code_list(name) or {}
        missing = [c for c in codes if c not in vocab]
        if missing:
            raise ValueError(f"vocabulary {name} lacks {missing}")


def split(total: float, cap: float) -> list[float]:
    """`total` as equal orders (whole ¥100) each below 90% of `cap`."""
    k = math.ceil(total / (0.9 * cap))
    each = math.floor(total / k / 100) * 100
    return [float(each)] * (k - 1) + [round(total - each * (k - 1), 2)]  # cents, not float noise


def _tier(month: Month, store: str) -> tuple[float, float]:
    prog = next(p for p in month.policy.vip.programmes.values() if p.store_type == store)
    silver = prog.tiers["silver"]
    if silver.single_order is None:
        raise CsbatchError([Issue.of(None, "sample.single_order",
                                     N_("the sample month scripts a qualifying single order: give the silver tier "
                                        "of the {store} programme a single_order in vip.yaml"), store=store)])
    return float(silver.single_order), float(silver.trailing_12m)


def _rate(month: Month, store: str, tier: str, category: str) -> float:
    prog = next(p for p in month.policy.vip.programmes.values() if p.store_type == store)
    rates = prog.discounts[tier]
    return float(rates.get(category, rates["default"]))


def _scripted(month: Month, staff: Staff, customers: Customers,
              att: Attendance, rng: np.random.Generator) -> list[Scripted]:
    comp, cons, ecom = (staff.steady(r) for r in (COMPREHENSIVE, CONSULTING, ECOMMERCE))
    index = {d: i for i, d in enumerate(month.workdays)}

    def day(e, frac: float) -> int:
        days = att.at_work(e)
        return index[days[min(int(frac * len(days)), len(days) - 1)]]

    single_f, trail_f = _tier(month, "flagship")
    single_m, trail_m = _tier(month, "modern")
    out: list[Scripted] = []
    big = customers.pool("big_flagship", month)
    seller = comp[0]
    out.append(Scripted("vip_single", seller.index, day(seller, 0.1), big,
                        math.ceil((single_f + 8800) / 100) * 100, IN_STORE, FLAGSHIP,
                        product="全屋家具套餐"))
    # After the qualifying order the customer is a silver member of the flagship programme.
    for frac, cat, price, tier, tag in (
            (0.45, IMPORTED, 5000.0, "silver", "member_right"),
            (0.7, REGULAR, 3200.0, "gold", "member_wrong_rate"),
            (0.9, SPECIAL, 1280.0, "silver", "member_special_discounted")):
        rate = _rate(month, "flagship", tier, "default" if cat == SPECIAL else CATEGORIES[cat])
        out.append(Scripted(tag, seller.index, day(seller, frac), big, round(price * rate, 2),
                            IN_STORE, FLAGSHIP, cat, list_amount=price, product="单人休闲椅"))
    store_seller = comp[1 % len(comp)]
    span_now = customers.pool("span", month)
    span_before = customers.pools["span"][(month.index - 1) % POOL]
    cases = [("span_start", span_now, split(0.525 * trail_m, single_m), MODERN),
             ("span_qualifies", span_before, split(0.50375 * trail_m, single_m), MODERN),
             ("near_trailing", customers.pool("near_flagship", month),
              split(trail_f - 600, single_f), FLAGSHIP),
             ("near_single", customers.pool("near_modern", month), [single_m - 20], MODERN),
             ("at_single", customers.pool("at_modern", month), [single_m], MODERN),
             ("same_person_a", customers.pool("dup_a", month), split(0.56 * trail_m, single_m),
              MODERN),
             ("same_person_b", customers.pool("dup_b", month), split(0.5 * trail_m, single_m),
              MODERN)]
    for tag, who, amounts, store in cases:
        for k, amount in enumerate(amounts):
            out.append(Scripted(tag, store_seller.index,
                                day(store_seller, (k + 1) / (len(amounts) + 1)), who,
                                float(amount), IN_STORE, store))
    phone = cons[0] if cons else comp[0]
    out.append(Scripted("engineering", phone.index, day(phone, 0.5),
                        customers.pool("engineering", month), single_f + 12000, PHONE, FLAGSHIP,
                        product="酒店客房家具"))
    web = ecom[0]
    free = customers.free
    out.append(Scripted("special_refund", web.index, day(web, 0.25),
                        int(free[int(rng.integers(len(free)))]), 419.3, ONLINE, 0, SPECIAL,
                        status=REFUNDED, product="床品四件套"))
    out.append(Scripted("cancelled", web.index, day(web, 0.5),
                        int(free[int(rng.integers(len(free)))]), 259.0, ONLINE, 0,
                        status=CANCELLED, product="靠垫套装"))
    return out


def _sellers_and_days(month: Month, staff: Staff, att: Attendance, rng: np.random.Generator,
                      n: int) -> tuple[list, np.ndarray, np.ndarray]:
    """(selling agents, the agent of each order, its day): agents weighted by role share and
    days at work, each order on one of its agent's working days."""
    agents = staff.by_role(*SELLING)
    index = {d: i for i, d in enumerate(month.workdays)}
    avail = [[index[d] for d in att.at_work(e)] for e in agents]
    lens = np.array([len(a) for a in avail])
    mat = np.zeros((len(agents), max(lens.max(), 1)), dtype=np.int64)
    for i, a in enumerate(avail):
        mat[i, : len(a)] = a
    weight = np.array([ROLE_SHARE[e.role] for e in agents]) * lens
    agent = rng.choice(len(agents), size=n, p=weight / weight.sum())
    day = mat[agent, (rng.random(n) * lens[agent]).astype(np.int64)]
    return agents, agent, day


def _drawn_fields(month: Month, agents: list, a: np.ndarray, customers: Customers,
                  rng: np.random.Generator, n: int) -> dict:
    """Channel, store, promotion, product and price, category, status, customer and sales rep
    of each drawn order (by its agent's role)."""
    role = np.array([SELLING.index(e.role) for e in agents])[a]
    u = rng.random((n, 9))
    channel = np.select([role == 0, role == 1],
                        [ONLINE, np.where(u[:, 0] < 0.8, IN_STORE, PHONE)],
                        np.where(u[:, 0] < 0.6, PHONE, INVITED)).astype(np.int8)
    online = channel == ONLINE
    store = np.where(online, 0, np.where(u[:, 1] < 0.4, FLAGSHIP, MODERN)).astype(np.int8)
    promotion = month.policy.period(month.period).promotion
    appetite = 0.1 + 0.45 * rng.random(len(agents))
    promo = online & (u[:, 2] < appetite[a]) & (promotion is not None)

    catalogue = fields("products")
    web = [(p, float(x)) for p, x, where in catalogue if where == "online"]
    shop = [(p, float(x)) for p, x, where in catalogue if where == "store"]
    pick_web = rng.integers(0, len(web), n)
    pick_shop = rng.integers(0, len(shop), n)
    price = np.where(online, np.array([x for _, x in web])[pick_web],
                     np.array([x for _, x in shop])[pick_shop])
    price = np.where(promo, PROMO_PRICE, price)
    qty = np.where(online, 1 + (u[:, 3] > 0.6) + (u[:, 3] > 0.9),
                   1 + ((u[:, 3] > 0.85) & (price < 10000)))
    amount = np.where(online, price * qty,
                      np.floor(price * qty * (0.9 + 0.1 * u[:, 4]) / 10) * 10)
    category = np.select([u[:, 5] < 0.6, u[:, 5] < 0.75, u[:, 5] < 0.87],
                         [REGULAR, NEW, IMPORTED], SPECIAL).astype(np.int8)
    category = np.where(promo, REGULAR, category).astype(np.int8)
    amount = np.where(category == SPECIAL, np.round(amount * 0.7, 1), amount)
    status = np.select([u[:, 6] < 0.93, u[:, 6] < 0.97], [COMPLETED, REFUNDED],
                       CANCELLED).astype(np.int8)
    free = customers.free
    customer = free[np.minimum((len(free) * u[:, 7] ** 1.6).astype(np.int64), len(free) - 1)]
    rep_pick = (u[:, 8] * len(SALES_REPS)).astype(np.int64)
    names_web = np.array([p for p, _ in web], dtype=object)
    names_shop = np.array([p for p, _ in shop], dtype=object)
    product = np.where(online, names_web[pick_web], names_shop[pick_shop])
    if promotion is not None:
        product = np.where(promo, promotion.name, product)
    return dict(channel=channel, store=store, promo=promo, amount=amount, category=category,
                status=status, customer=customer, rep_pick=rep_pick, product=product)


def draw_orders(month: Month, staff: Staff, customers: Customers, att: Attendance,
                total: int) -> Orders:
    check_codes(month)
    rng = month.rng("orders")
    scripted = _scripted(month, staff, customers, att, rng)
    n = max(0, total - len(scripted))
    agents, a, day = _sellers_and_days(month, staff, att, rng, n)
    d = _drawn_fields(month, agents, a, customers, rng, n)
    channel = d["channel"]

    s = scripted
    agent_idx = np.array([e.index for e in agents])[a]
    cols = dict(
        day=np.concatenate([day, [x.day for x in s]]).astype(np.int64),
        agent=np.concatenate([agent_idx, [x.agent for x in s]]).astype(np.int64),
        customer=np.concatenate([d["customer"], [x.customer for x in s]]).astype(np.int64),
        amount=np.concatenate([d["amount"], [x.amount for x in s]]).astype(np.float64),
        list_amount=np.concatenate([np.full(n, np.nan), [x.list_amount for x in s]]),
        channel=np.concatenate([channel, [x.channel for x in s]]).astype(np.int8),
        category=np.concatenate([d["category"], [x.category for x in s]]).astype(np.int8),
        store=np.concatenate([d["store"], [x.store for x in s]]).astype(np.int8),
        promo=np.concatenate([d["promo"], np.zeros(len(s), bool)]),
        status=np.concatenate([d["status"], [x.status for x in s]]).astype(np.int8),
    )
    products = d["product"].tolist() + [x.product for x in s]
    reps = [SALES_REPS[k] if c == INVITED else None
            for k, c in zip(d["rep_pick"].tolist(), channel.tolist())] + [x.rep for x in s]
    # File order: by day, then shuffled; ids numbered per shop (WD online, MD stores).
    order = np.lexsort((rng.random(len(products)), cols["day"]))
    cols = {k: v[order] for k, v in cols.items()}
    products = [products[i] for i in order.tolist()]
    reps = [reps[i] for i in order.tolist()]
    is_web = cols["channel"] == ONLINE
    seq = np.where(is_web, np.cumsum(is_web), np.cumsum(~is_web))
    web_prefix, shop_prefix = f"WD{month.yymm}", f"MD{month.yymm}"
    ids = [f"{web_prefix if w else shop_prefix}{k:07d}"
           for w, k in zip(is_web.tolist(), seq.tolist())]
    where = np.empty_like(order)
    where[order] = np.arange(len(order))
    tags: dict[str, list[int]] = {}
    for k, x in enumerate(s):
        tags.setdefault(x.tag, []).append(int(where[n + k]))
    return Orders(ids=ids, product=products, rep=reps, tags=tags, **cols)
