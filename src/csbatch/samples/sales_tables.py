"""Sheets about sales: the order lists (the web shop's export and the stores' hand-kept list),
production sheets, daily contact counts, the customer base and point redemptions."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from csbatch.samples.punches import Attendance
from csbatch.samples.month_context import Month, at
from csbatch.samples.customers import Customers
from csbatch.samples.headings import header, label, yes_no
from csbatch.samples.ids import mobiles
from csbatch.samples.messy import datetime_text, fullwidth, money_text, sprinkle, typed_dates, \
    typed_money
from csbatch.samples.sales_orders import (CANCELLED, CATEGORIES, CHANNELS, COMPLETED, FLAGSHIP,
                                    IN_STORE, ONLINE, STATUSES, STORES, Orders)
from csbatch.samples.staff import ECOMMERCE, INVITATION, SELLING, Staff
from csbatch.samples.writers import DATE, DATETIME, MONEY, Column, Sheet
from csbatch.vip.card_events import card_prefixes


def completed_sales(orders: Orders, n_people: int) -> np.ndarray:
    """Completed sales of the month per employee index."""
    done = orders.status == COMPLETED
    return np.bincount(orders.agent[done], weights=orders.amount[done], minlength=n_people)


def set_targets(month: Month, staff: Staff, orders: Orders) -> None:
    """Monthly sales targets (月度任务) for selling roles, around what each sells, so target
    completion spreads over the coefficient bands."""
    rng = month.rng("targets")
    sold = completed_sales(orders, len(staff.people))
    days = len(month.workdays)
    for e in staff.by_role(*SELLING):
        share = max(sum(1 for d in month.workdays if e.active(d)) / days, 0.2)
        full = sold[e.index] / share * (0.75 + 0.55 * rng.random())
        e.target = float(max(2000, round(full / 500) * 500))


def _labels(month: Month, codes: str, values: tuple[str, ...], pick: int = 0) -> list[str | None]:
    return [label(month.policy, codes, v, pick) if v else None for v in values]


def _order_cells(month: Month, staff: Staff, customers: Customers, orders: Orders, rows: np.ndarray,
                 variant: int) -> dict[str, list]:
    """The cells of some orders, column by column; variant 1 mixes label forms (the stores'
    list), variant 0 keeps one."""
    p = month.policy
    emp_ids = [e.id for e in staff.people]
    ids = [orders.ids[i] for i in rows.tolist()]
    days = [month.workdays[d] for d in orders.day[rows].tolist()]
    agents = [emp_ids[a] for a in orders.agent[rows].tolist()]
    custs = [customers.ids[c] for c in orders.customer[rows].tolist()]
    amount = orders.amount[rows].tolist()
    lst = [None if math.isnan(x) else x for x in orders.list_amount[rows].tolist()]
    chan = [_labels(month, "channel", CHANNELS, variant + k) for k in range(2)]
    ch = orders.channel[rows].tolist()
    channel = [chan[k % 2 if variant else 0][c] for k, c in enumerate(ch)]
    cats = _labels(month, "category", CATEGORIES, variant)
    stores = [_labels(month, "store_type", STORES, k) for k in range(2)]
    st = orders.store[rows].tolist()
    store = [stores[k % 2 if variant else 0][s] for k, s in enumerate(st)]
    stat = [_labels(month, "order_status", STATUSES, k) for k in range(2)]
    status = [stat[1 if variant and k % 5 == 4 else 0][s]
              for k, s in enumerate(orders.status[rows].tolist())]
    yes, no = (yes_no(p, True, "√"), yes_no(p, False, "√")) if variant else \
        (yes_no(p, True), yes_no(p, False))
    promo = [yes if x else (no if k % 3 == 0 else None)
             for k, x in enumerate(orders.promo[rows].tolist())]
    return dict(ids=ids, days=days, agents=agents, custs=custs, amount=amount, lst=lst,
                channel=channel, category=[cats[c] for c in orders.category[rows].tolist()],
                store=store, status=status, promo=promo,
                product=[orders.product[i] for i in rows.tolist()],
                rep=[orders.rep[i] for i in rows.tolist()])


def _web_sheets(month: Month, w: dict[str, list], rng: np.random.Generator) -> list[Sheet]:
    """The web shop's export and its hidden sheet of drop-down lists."""
    p = month.policy
    h = lambda col, pick=0: header(p, "sales", col, pick)  # noqa: E731
    first = Sheet("网店订单", [
        Column(h("order_id"), w["ids"]),
        Column(h("order_date"), typed_dates(w["days"], rng, 0.03), DATE),
        Column(h("employee_id"), w["agents"]),
        Column(h("customer_id"), w["custs"]),
        Column("商品名称", w["product"]),
        Column(h("amount", 2), typed_money(w["amount"], rng, 0.03), MONEY),
        Column(h("list_amount"), w["lst"], MONEY),
        Column(h("channel"), w["channel"]),
        Column(h("category"), w["category"]),
        Column(h("store_type"), w["store"]),
        Column(h("promo"), w["promo"]),
        Column(h("status"), w["status"]),
    ])
    drop_downs = (("channel", "channel", CHANNELS), ("category", "category", CATEGORIES),
                  ("status", "order_status", STATUSES))
    options = Sheet("下拉选项", [Column(h(col), _labels(month, codes, values))
                                 for col, codes, values in drop_downs], hidden=True)
    where = {c.header: i for i, c in enumerate(first.columns)}
    for letter, (col, _, values) in zip("ABC", drop_downs):
        first.lists[where[h(col)]] = f"=下拉选项!${letter}$2:${letter}${len(values) + 1}"
    return [first, options]


def _store_sheet(month: Month, s: dict[str, list], refund: dict | None,
                 rng: np.random.Generator) -> Sheet:
    """The stores' list: a title row above the header, some employee ids typed as numbers, and
    last month's order refunded this month at the end."""
    p = month.policy
    h = lambda col, pick=0: header(p, "sales", col, pick)  # noqa: E731
    agents: list = [int(a) if k % 3 == 0 else a for k, a in enumerate(s["agents"])]  # numbers
    notes: list[str | None] = [None] * len(s["ids"])
    if refund is not None:
        s["ids"].append(refund["id"])
        s["days"].append(refund["day"])
        agents.append(refund["agent"])
        s["custs"].append(refund["customer"])
        s["product"].append(refund["product"])
        s["amount"].append(refund["amount"])
        s["lst"].append(None)
        s["channel"].append(label(p, "channel", refund["channel"]))
        s["rep"].append(None)
        s["category"].append(label(p, "category", refund["category"]))
        s["store"].append(label(p, "store_type", refund["store"]))
        s["promo"].append(None)
        s["status"].append(label(p, "order_status", "refunded"))
        notes.append(f"{refund['day'].month}月订单，本月退款")
    return Sheet("门店订单", [
        Column(h("order_id", 1), s["ids"]),
        Column(h("order_date", 1), typed_dates(s["days"], rng, 0.12), DATE),
        Column(h("employee_id", 1), agents),
        Column(h("customer_id"), s["custs"]),
        Column("商品名称", s["product"]),
        Column(h("amount", 1) + "（元）", typed_money(s["amount"], rng, 0.15), MONEY),
        Column(h("list_amount", 1), typed_money(s["lst"], rng, 0.3), MONEY),
        Column(h("channel"), s["channel"]),
        Column(h("sales_rep_id"), s["rep"]),
        Column(h("category"), s["category"]),
        Column(h("store_type"), s["store"]),
        Column(h("promo"), s["promo"]),
        Column(h("status"), s["status"]),
        Column("备注", notes),
    ], title=f"{month.label} 销售订单明细（门店及电话成交）")


def sales_sheets(month: Month, staff: Staff, customers: Customers, orders: Orders,
                 refund: dict | None) -> tuple[list[Sheet], Sheet]:
    """The web shop's export (with a hidden sheet of drop-down lists) and the stores' list
    (a title row above the header; last month's order refunded this month at the end)."""
    rng = month.rng("sales.cells")
    web = np.flatnonzero(orders.channel == ONLINE)
    shop = np.flatnonzero(orders.channel != ONLINE)
    first = _web_sheets(month, _order_cells(month, staff, customers, orders, web, 0), rng)
    second = _store_sheet(month, _order_cells(month, staff, customers, orders, shop, 1), refund, rng)
    return first, second


def previous_refund(prev: Month, staff: Staff, customers: Customers, orders: Orders) -> dict | None:
    """A completed flagship store order of last month that is refunded this month: it reverses
    commission and points of a month already closed (docs/policy.md#pay)."""
    scripted = {i for pos in orders.tags.values() for i in pos}
    for i in range(len(orders)):
        if (i not in scripted and orders.status[i] == COMPLETED and orders.store[i] == FLAGSHIP
                and orders.channel[i] == IN_STORE
                and staff.people[orders.agent[i]] is not staff.leaver):
            return dict(id=orders.ids[i], day=prev.workdays[orders.day[i]],
                        agent=staff.people[orders.agent[i]].id,
                        customer=customers.ids[orders.customer[i]],
                        product=orders.product[i], amount=float(orders.amount[i]),
                        channel=CHANNELS[orders.channel[i]],
                        category=CATEGORIES[orders.category[i]],
                        store=STORES[orders.store[i]])
    return None


def production_deadline(month: Month) -> dt.datetime:
    rule = month.policy.deadlines.get("production_sheet")
    nxt = month.last + dt.timedelta(days=1)
    due = getattr(rule, "due", None)
    if due is not None and getattr(due, "kind", "") == "next_month":
        return at(nxt.replace(day=due.day), due.at.hour, due.at.minute)
    return at(nxt.replace(day=2), 18)


def production_sheet(month: Month, staff: Staff, orders: Orders) -> Sheet:
    """One row per e-commerce agent: one submitted late, one over-reporting (虚报), one missing,
    one at the deadline to the minute."""
    p = month.policy
    rng = month.rng("production")
    sold = completed_sales(orders, len(staff.people))
    deadline = production_deadline(month)
    steady = staff.steady(ECOMMERCE)
    cases = {e.index: c for e, c in zip(steady, ("on_time", "late", "over", "missing"))}
    cases[staff.joiner.index] = "at"
    rows = []
    for e in staff.by_role(ECOMMERCE):
        case = cases.get(e.index)
        if case is None:
            u = rng.random()
            case = "late" if u < 0.03 else "over" if u < 0.06 else "missing" if u < 0.09 \
                else "on_time"
        if case == "missing":
            continue
        actual = round(float(sold[e.index]), 2)
        reported = math.ceil(actual * 1.2 / 100) * 100.0 if case == "over" else actual
        when = (deadline + dt.timedelta(minutes=25) if case == "late" else deadline
                if case == "at" else at(month.last + dt.timedelta(days=1), 9 + e.index % 8,
                                        int(rng.integers(60))))
        rows.append((e, reported, when))
    h = lambda col: header(p, "production", col)  # noqa: E731
    return Sheet("产量表", [
        Column(h("employee_id"), [e.id for e, _, _ in rows]),
        Column("姓名", [e.name for e, _, _ in rows]),
        Column(h("period"), [month.period] * len(rows)),
        Column(h("reported_sales"), [money_text(r, "yen") if k % 3 == 1 else r
                                     for k, (_, r, _) in enumerate(rows)], MONEY),
        Column(h("submitted_at"), [datetime_text(w, "slash") if k % 4 == 2 else w
                                   for k, (_, _, w) in enumerate(rows)], DATETIME),
    ])


def contacts_columns(month: Month, staff: Staff, att: Attendance, orders: Orders) -> list[Column]:
    """Daily counts per employee at work: inquiries and buyers (buyers = that day's orders) for
    sellers, invitations for invitation agents, tasks for everyone. Conversion rates of the
    e-commerce agents spread over the coefficient bands."""
    p = month.policy
    rng = month.rng("contacts")
    nd = len(month.workdays)
    index = {d: i for i, d in enumerate(month.workdays)}
    live = orders.status != CANCELLED
    per_day = np.bincount(orders.agent[live] * nd + orders.day[live],
                          minlength=len(staff.people) * nd).reshape(len(staff.people), nd)
    conv_cycle = (0.99, 0.96, 0.92, 0.86, 0.75, 0.65, 0.55)
    conv = {e.index: conv_cycle[k % len(conv_cycle)]
            for k, e in enumerate(staff.by_role(ECOMMERCE))}
    rate = {e.index: (0.36, 0.22, 0.3)[k % 3] for k, e in enumerate(staff.by_role(INVITATION))}
    rows = []
    for e in staff.people:
        days = att.at_work(e)
        buyers = [int(per_day[e.index, index[d]]) for d in days]
        extra: list[int] | np.ndarray = [0] * len(days)
        if e.role in SELLING and days:
            # Inquiries that did not buy, spread over the days: the month converts at `c`.
            c = conv.get(e.index, 0.9 + 0.1 * rng.random())
            total = sum(buyers)
            extra = rng.multinomial(max(round(total / c) - total, 0), [1 / len(days)] * len(days))
        for k, day in enumerate(days):
            inq = buy = inv = acc = None
            if e.role in SELLING:
                buy, inq = buyers[k], buyers[k] + int(extra[k])
            if e.index in rate:
                inv = 4 + int(rng.integers(0, 11))
                acc = int(rng.binomial(inv, rate[e.index]))
            tasks = int(rng.integers(0, 5))
            done = tasks - int(rng.binomial(tasks, 0.08))
            rows.append((day, e, inq, buy, inv, acc, tasks, done))
    rows.sort(key=lambda r: (r[0], r[1].id))
    dates = sprinkle([r[0].isoformat() for r in rows], 0.3, rng,
                     lambda d, k: f"{int(d[:4])}/{int(d[5:7])}/{int(d[8:])}" if k % 2 else
                     f"{int(d[:4])}年{int(d[5:7])}月{int(d[8:])}日")
    inquiries = sprinkle([r[2] for r in rows], 0.02, rng, lambda v, k: fullwidth(str(v)))
    h = lambda col, pick=0: header(p, "contacts", col, pick)  # noqa: E731
    return [Column(h("date"), dates),
            Column(h("employee_id"), [r[1].id for r in rows]),
            Column("姓名", [r[1].name for r in rows]),
            Column(h("inquiries", 1), inquiries),
            Column(h("buyers"), [r[3] for r in rows]),
            Column(h("invitations"), [r[4] for r in rows]),
            Column(h("accepted"), [r[5] for r in rows]),
            Column(h("tasks_assigned"), [r[6] for r in rows]),
            Column(h("tasks_done"), [r[7] for r in rows])]


def customers_sheet(month: Month, customers: Customers) -> Sheet:
    """National IDs are text cells (a number cell would lose digits); some phones were typed
    as numbers; birthdays are blank when the ID gives them."""
    p = month.policy
    c = customers
    h = lambda col, pick=0: header(p, "customers", col, pick)  # noqa: E731
    yes = yes_no(p, True)
    return Sheet("会员资料", [
        Column(h("customer_id"), c.ids),
        Column(h("name"), c.names),
        Column(h("phone", 1), c.phones, "0"),
        Column(h("email"), c.emails),
        Column(h("product"), c.products),
        Column(h("customer_class"), c.classes),
        Column(h("id_number"), c.id_numbers, width=22),
        Column(h("birthday"), c.birthdays, DATE),
        Column(h("address"), c.addresses, width=40),
        Column(h("engineering"), [yes if x else None for x in c.engineering]),
        Column(h("owner_id"), c.owners),
    ])


def member_changes_sheet(month: Month, customers: Customers) -> Sheet:
    """Two changes reported to the VIP desk ([003] 地址和电话发生变更时,客服人员应及时处理): a new phone
    for the month's first flagship card (the scripted qualifying order's), handled the next day, and
    a new address for the first card of the next programme, still to handle at month end. The card
    numbers are the ones the close issues: the programme's prefix, the month, 0001."""
    p = month.policy
    rng = month.rng("member_changes")
    prefixes = card_prefixes(p)
    flagship, other = (next(c for c, prog in p.vip.programmes.items() if prog.store_type == s)
                       for s in ("flagship", "modern"))
    yyyymm = month.period.replace("-", "")
    days = month.workdays
    moved = [a for a in customers.addresses if a]
    new_address = moved[int(rng.integers(len(moved)))] if moved else "上海市徐汇区漕溪北路1号"
    h = lambda col: header(p, "member_changes", col)  # noqa: E731
    return Sheet("VIP资料变更", [
        Column(h("card_no"), [f"{prefixes[flagship]}{yyyymm}0001", f"{prefixes[other]}{yyyymm}0001"]),
        Column(h("new_phone"), [mobiles(rng, 1)[0], None], width=14),
        Column(h("new_address"), [None, new_address], width=40),
        Column(h("reported_on"), [days[-4], days[-1]], DATE),
        Column(h("handled_on"), [days[-3], None], DATE),
    ])


def redemptions_sheet(month: Month) -> Sheet:
    """Headers only. Points are earned on flagship purchases by VIP members and redeemed on a
    later purchase; in a first sample month nobody holds a card yet, so nobody has points to
    redeem. (A later month could redeem points earned in earlier sample months, but the sample
    generator does not keep a ledger.)"""
    p = month.policy
    cols = ("customer_id", "date", "points", "voucher_amount", "order_id")
    return Sheet("积分兑换", [Column(header(p, "redemptions", c), []) for c in cols])

