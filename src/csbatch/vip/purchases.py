"""Purchases and spend (docs/policy.md#vip: "spend is what the customer paid, net of refunds").

This month's purchases are the sales rows of a programme's store type (online orders, with no
store type, are outside both programmes): a completed order dated in the month adds its amount;
a refund reported this month of an order from an earlier month subtracts it, in this month. A
refunded order dated in this month was never counted, so it adds and subtracts nothing.

`vip import-history` reads earlier months through the same function (`history_purchases`): a
history file is the sales sheets of its months, one row per order with the status it has now, so
each row belongs to the month of its order date; a refunded order there was never counted and
adds nothing, exactly as in a close.

`Spend` answers what the card rules ask per person and programme: trailing-12-month spend,
this month's orders in date order, purchases in a card year, the purchases a maintenance reminder
comes from. Earlier months come from `EarlierPurchases` (the ledger sums them in SQL): sums for
the people this month concerns, rows only for card holders, so a close costs what its month
holds, not what the ledger has gathered."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain, compress
from operator import not_
from typing import Any

import numpy as np
import pandas as pd

from csbatch.blanks import is_blank
from csbatch.calendar import month_bounds
from csbatch.grouping import Rows
from csbatch.policy import Policy
from csbatch.text import sort_keys
from csbatch.vip.dates import as_date, shift_period
from csbatch.vip.model import PURCHASE_COLUMNS, EarlierPurchases, empty
from csbatch.vip.people import ANONYMOUS, People
from csbatch.vip.pricing import ZERO

COMPLETED = "completed"
REFUNDED = "refunded"
MONTHS = 12


def sales_default(policy: Policy, column: str, fallback: str) -> str:
    """A sales column's default code (inputs.yaml), for frames built without it."""
    kind = policy.inputs.kinds.get("sales")
    col = kind.columns.get(column) if kind is not None else None
    return col.default if col is not None and col.default else fallback


#: the sales columns `month_purchases` reads
_MONTH_COLUMNS = ("customer_id", "store_type", "category", "order_id", "order_date", "amount", "list_amount")


def month_purchases(period: str, sales: pd.DataFrame | None, policy: Policy) -> pd.DataFrame:
    """PURCHASE_COLUMNS rows of this month, plus `list_amount` (the list price, defaulting to the
    amount) and `status`, sorted by order date and order id."""
    stores = {p.store_type for p in policy.vip.programmes.values()}
    if sales is None or sales.empty:
        out = empty(PURCHASE_COLUMNS + ["list_amount", "status"])
        out["order_date"] = pd.Series([], dtype="datetime64[ns]")
        return out
    start, end = (pd.Timestamp(d) for d in month_bounds(period))
    dates = sales["order_date"]
    # a kept row is of a programme's store and dated up to the month's end (completed: in the
    # month; refunded: before it); the tests of text columns (status, blanks), which cost more,
    # are asked of those rows only (half the sales at 1M are online orders), each test cell by
    # cell as on the whole column
    at = np.flatnonzero((sales["store_type"].isin(stores) & dates.le(end)).to_numpy(dtype=bool))
    status = sales["status"].iloc[at].fillna(sales_default(policy, "status", COMPLETED))
    dated = dates.iloc[at]
    refunded = status.eq(REFUNDED) & dated.lt(start)
    kept = ((status.eq(COMPLETED) & dated.ge(start) | refunded)
            & sales["amount"].iloc[at].notna() & sales["customer_id"].iloc[at].notna()).to_numpy(dtype=bool)
    keep = np.zeros(len(sales), dtype=bool)
    keep[at[kept]] = True
    # only the columns read below are taken (not every sales column), and with a unique index the
    # refund flags by position (what `.loc[rows.index]` finds by label)
    rows = sales.loc[keep, [c for c in _MONTH_COLUMNS if c in sales.columns]]
    is_refund: list[bool] = refunded.to_numpy(dtype=bool)[kept].tolist() if sales.index.is_unique \
        else _refunded(sales, policy, start).loc[rows.index].tolist()
    amounts = [-a if r else a for a, r in zip(rows["amount"].tolist(), is_refund)]
    lists = [a if x is None or is_blank(x) else x      # None (most rows) without a call
             for a, x in zip(rows["amount"].tolist(), rows["list_amount"].tolist())] \
        if "list_amount" in rows.columns else rows["amount"].tolist()
    out = pd.DataFrame({
        "period": period,
        "customer_id": rows["customer_id"].astype(object),
        "store_type": rows["store_type"].astype(object),
        "category": rows["category"].fillna(sales_default(policy, "category", "regular")).astype(object),
        "order_id": rows["order_id"].astype(object),
        "order_date": rows["order_date"].astype("datetime64[ns]"),
        "amount": pd.Series(amounts, index=rows.index, dtype=object),
        "list_amount": pd.Series(lists, index=rows.index, dtype=object),
        "status": pd.Series([REFUNDED if r else COMPLETED for r in is_refund],
                            index=rows.index, dtype=object),
    })
    return _by_date_and_id(out)


def _refunded(sales: pd.DataFrame, policy: Policy, start: pd.Timestamp) -> pd.Series:
    """Each sales row's refund flag (refunded, dated before the month), over the whole frame: a
    frame whose index repeats labels looks its kept rows up by label, as it always did."""
    status = sales["status"].fillna(sales_default(policy, "status", COMPLETED))
    return status.eq(REFUNDED) & sales["order_date"].lt(start)


def _by_date_and_id(out: pd.DataFrame) -> pd.DataFrame:
    """Rows sorted by order date, then order id (stable). Text ids and no blank date (a month's
    rows): one numpy lexsort over the ids as fixed-width text, which orders as Python compares
    strings; anything else: pandas' sort."""
    oids, dates = sort_keys(out["order_id"].tolist()), out["order_date"]
    if oids is not None and len(oids) and not dates.isna().any():
        order = np.lexsort((oids, dates.to_numpy().view("int64")))
        return out.take(order).reset_index(drop=True)
    return out.sort_values(["order_date", "order_id"], kind="stable").reset_index(drop=True)


def history_purchases(sales: pd.DataFrame, policy: Policy) -> tuple[pd.DataFrame, list[str]]:
    """Purchases of a history file (PURCHASE_COLUMNS), each month read by `month_purchases` as
    the sheet of that month, and the months the file holds programme rows of (a month whose rows
    add nothing, e.g. only refunds, is still a month the file speaks about)."""
    stores = {p.store_type for p in policy.vip.programmes.values()}
    if sales is None or sales.empty:
        return empty(PURCHASE_COLUMNS), []
    dated = sales[sales["order_date"].notna()]
    months = dated["order_date"].dt.strftime("%Y-%m")
    frames = [month_purchases(month, dated[months == month], policy)[PURCHASE_COLUMNS]
              for month in sorted(set(months))]
    found = [f for f in frames if not f.empty]
    out = pd.concat(found, ignore_index=True) if found else empty(PURCHASE_COLUMNS)
    spoken = sorted(set(months[dated["store_type"].isin(stores)]))
    return out, spoken


@dataclass(frozen=True)
class Purchase:
    period: str
    customer_id: str
    programme: str
    category: str
    order_id: str
    order_date: dt.date
    amount: Decimal
    list_amount: Decimal

    @property
    def is_order(self) -> bool:
        """A completed order (a refund is a negative row)."""
        return self.amount > 0


def _dates(column: pd.Series) -> list[dt.date | None]:
    """A date column as dates (fast for datetime64, cell by cell otherwise)."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return [None if is_blank(d) else d for d in column.dt.date.tolist()]
    return [as_date(d) for d in column.tolist()]


_EPOCH = dt.date(1970, 1, 1).toordinal()


def _days(column: pd.Series) -> list[Any]:
    """A date column as `_dates` gives it, but for a column of datetime64 (no time zone) as the
    days since 1970-01-01 (None for a blank), made a date by `_day` only for the rows asked about
    (a million rows are not a million date objects)."""
    if not pd.api.types.is_datetime64_dtype(column):
        return _dates(column)
    days: list[Any] = column.to_numpy().astype("datetime64[D]").view("int64").tolist()
    blank = column.isna().to_numpy()
    if blank.any():
        for i in np.flatnonzero(blank).tolist():
            days[i] = None
    return days


def _day(value: Any) -> Any:
    """A value of `_days` as the date `_dates` gives (None for a blank)."""
    return dt.date.fromordinal(_EPOCH + value) if type(value) is int else value


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(value)


def _order_key(p: Purchase) -> tuple[dt.date, str]:
    return p.order_date or dt.date.min, p.order_id


class FramePurchases:
    """`EarlierPurchases` over a frame of every earlier purchase (a `VipHistory` built by hand,
    as tests do; the ledger answers in SQL instead)."""

    def __init__(self, frame: pd.DataFrame | None):
        self._frame = frame if frame is not None and not frame.empty else empty(PURCHASE_COLUMNS)

    def _rows(self, since: str, before: str, stores: Collection[str]) -> pd.DataFrame:
        f = self._frame
        period = f["period"].astype(str)
        return f[period.ge(since) & period.lt(before) & f["store_type"].isin(list(stores))]

    def _of(self, rows: pd.DataFrame, customers: Collection[str]) -> pd.DataFrame:
        return rows[rows["customer_id"].astype(str).isin(set(customers))]

    def spend(self, since: str, before: str, stores: Collection[str], customers: Collection[str]) -> pd.DataFrame:
        sums: dict[tuple[str, str], Decimal] = {}
        rows = self._of(self._rows(since, before, stores), customers)
        for cid, store, amount in zip(rows["customer_id"].tolist(), rows["store_type"].tolist(),
                                      rows["amount"].tolist()):
            sums[str(cid), store] = sums.get((str(cid), store), ZERO) + _decimal(amount)
        return pd.DataFrame({"customer_id": pd.Series([k[0] for k in sums], dtype=object),
                             "store_type": pd.Series([k[1] for k in sums], dtype=object),
                             "amount": pd.Series(list(sums.values()), dtype=object)})

    def orders(self, since: str, before: str, stores: Collection[str], customers: Collection[str]) -> pd.DataFrame:
        rows = self._rows(since, before, stores)
        refunds = {str(o) for o, a in zip(rows["order_id"].tolist(), rows["amount"].tolist()) if _decimal(a) < 0}
        mine = self._of(rows, customers)
        out = mine[PURCHASE_COLUMNS].copy()
        out["customer_id"] = out["customer_id"].astype(str)
        out["order_id"] = out["order_id"].astype(str)
        out["amount"] = pd.Series([_decimal(a) for a in out["amount"].tolist()], index=out.index, dtype=object)
        out["refunded"] = out["order_id"].isin(refunds)
        return out.reset_index(drop=True)

    def frame(self) -> pd.DataFrame:
        return self._frame


class RowsOf(Mapping[Any, list[int]]):
    """Group name → its row numbers (`Rows.of`), names in order of first appearance: what a dict
    of lists gave, with the lists made only when asked for. The names are a list (a name's code
    is its place; the look-up dict is made on the first look-up) or already a dict name → code."""

    def __init__(self, names: list[Any] | dict[Any, int], rows: Rows):
        self.names, self.rows = names, rows
        self._codes: dict[Any, int] | None = names if isinstance(names, dict) else None

    def __getitem__(self, name: Any) -> list[int]:
        if self._codes is None:
            self._codes = dict(zip(self.names, range(len(self.names))))
        return self.rows.of(self._codes[name])

    def __iter__(self) -> Iterator[Any]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


def _groups(cids: list[str], codes: list[str], people: People) -> tuple[RowsOf, RowsOf]:
    """The row numbers of each (person, programme) key and of each person, ascending; keys and
    persons in order of first appearance. One `pd.factorize` per column and a stable sort of the
    codes instead of a dict look-up per row; a person is found once per customer id and numbered
    by one dict (the persons' digests hashed as Python hashes them, cached on the string)."""
    if not cids:
        nothing = Rows(np.zeros(0, dtype=np.intp), 0)
        return RowsOf([], nothing), RowsOf([], nothing)
    cid_codes, cid_uniques = pd.factorize(np.asarray(cids, dtype=object))
    numbered: dict[str, int] = {}
    number = numbered.setdefault
    of_cid = np.fromiter((number(p, len(numbered)) for p in people.persons(cid_uniques.tolist())),
                         dtype=np.int64, count=len(cid_uniques))
    person_list = list(numbered)
    person_codes = of_cid[cid_codes]
    code_codes, programmes = pd.factorize(np.asarray(codes, dtype=object))
    key_codes, keys = pd.factorize(person_codes * len(programmes) + code_codes)
    programme_list = programmes.tolist()
    # each key's (person, programme) from its code's quotient and remainder, taken as whole arrays
    packed = np.asarray(keys, dtype=np.int64)
    owners = map(person_list.__getitem__, (packed // len(programmes)).tolist())
    kinds = map(programme_list.__getitem__, (packed % len(programmes)).tolist())
    return (RowsOf(list(zip(owners, kinds)), Rows(key_codes, len(keys))),
            RowsOf(numbered, Rows(person_codes, len(numbered))))


_plus_zero = np.frompyfunc(ZERO.__add__, 1, 1)


def _month_sums(groups: Rows, amounts: list[Decimal]) -> tuple[list[Decimal], list[Decimal]]:
    """Per group, the sum of its amounts (`sum(amounts, ZERO)` in row order) and the largest
    (`max`, the first of equals). A group of one row (most keys) is summed as `ZERO + amount`
    by one numpy pass calling `ZERO.__add__` over the object array (the same addition, without
    a Python loop); only the groups of several rows are summed by a loop."""
    n = len(groups.counts)
    column = np.empty(len(amounts), dtype=object)
    column[:] = amounts
    ordered = column[groups.order]
    starts = groups.ends - groups.counts
    largest = ordered[starts] if len(ordered) else np.empty(0, dtype=object)
    sums = np.empty(n, dtype=object)
    single = groups.counts == 1
    if single.any():
        sums[single] = _plus_zero(largest[single])
    for k, start, end in zip(np.flatnonzero(~single).tolist(), starts[~single].tolist(), groups.ends[~single].tolist()):
        of_key = ordered[start:end].tolist()
        sums[k] = sum(of_key, ZERO)
        largest[k] = max(of_key)
    return sums.tolist(), largest.tolist()


def _plus(earlier: dict[tuple[str, str], Decimal], month: dict[tuple[str, str], Decimal]
          ) -> dict[tuple[str, str], Decimal]:
    """`earlier` with `month` added key by key: `earlier.get(key, ZERO) + amount`, in the order
    that loop gives (earlier's keys, then the month's new ones). A month amount is already
    `ZERO + …` (exponent at most ZERO's), and adding ZERO to it again changes neither its value nor
    its digits: only the keys of both are added; the others are copied by one dict merge instead
    of a look-up and an addition each (most of a million orders' keys are new). The keys of both
    are found by walking the smaller dict and asking the other once per key (a second month at
    1M: 160k of them), not by a set of them and three look-ups each."""
    merged = {**earlier, **month}
    if len(earlier) <= len(month):
        of_month = month.get
        for key, amount in earlier.items():
            added = of_month(key)
            if added is not None:
                merged[key] = amount + added
    else:
        of_earlier = earlier.get
        for key, added in month.items():
            before = of_earlier(key)
            if before is not None:
                merged[key] = before + added
    return merged


def _earlier_sums(customers: list[Any], stores: list[Any], amounts: list[Decimal], people: People,
                  programme_of: dict[str, str]) -> dict[tuple[str, str], Decimal]:
    """Earlier spend (`EarlierPurchases.spend`'s rows) per (person, programme): for each row in
    order, `sums.get(key, ZERO) + amount`. Most keys have one row (ZERO + it, made in one
    comprehension and one dict); only the keys of more rows (a person with two customer IDs)
    are added up by a loop over the rows again. Each customer's person by `People.persons`."""
    texts = [c if type(c) is str else str(c) for c in customers]
    keys = list(zip(people.persons(texts), map(programme_of.__getitem__, stores)))
    sums = dict(zip(keys, [ZERO + a for a in amounts]))
    if len(sums) < len(keys):       # a key of several rows: theirs summed in row order
        repeated = {key for key, n in Counter(keys).items() if n > 1}
        for key in repeated:
            sums[key] = ZERO
        for key, amount in zip(keys, amounts):
            if key in repeated:
                sums[key] = sums[key] + amount
    return sums


class Spend:
    """Spend per person and programme: this month's purchases (objects made only for the keys
    asked about), trailing-12-month sums of earlier months as `EarlierPurchases` sums them for
    the people this month concerns (this month's buyers, `holders` of cards), and the earlier
    orders of the people whose cards look back at them (`load_orders`)."""

    def __init__(self, period: str, history: EarlierPurchases | pd.DataFrame | None, month: pd.DataFrame,
                 people: People, policy: Policy, holders: Collection[str] = ()):
        self.period = period
        self.people = people
        self.programme_of = {p.store_type: code for code, p in policy.vip.programmes.items()}
        self.earlier = FramePurchases(history) if history is None or isinstance(history, pd.DataFrame) else history
        rows = month[month["store_type"].isin(list(self.programme_of))]
        lists = rows["list_amount"].tolist() if "list_amount" in rows.columns else rows["amount"].tolist()
        cids = [str(c) for c in rows["customer_id"].tolist()]
        codes = list(map(self.programme_of.__getitem__, rows["store_type"].tolist()))
        oids = [str(o) for o in rows["order_id"].tolist()]
        amounts = list(map(_decimal, rows["amount"].tolist()))
        #: this month's rows as columns (a `Purchase` is made only for the keys asked about)
        self._columns: tuple[list[Any], ...] = (rows["period"].astype(str).tolist(), cids, codes,
                                                rows["category"].tolist(), oids, _days(rows["order_date"]),
                                                amounts, lists)
        at, self._of_person = _groups(cids, codes, people)    # this month's rows per key / person, in order
        sums, largest = _month_sums(at.rows, amounts)
        self.month: dict[tuple[str, str], Decimal] = dict(zip(at.names, sums))
        #: this month's largest order per key (the first of equals), where it is above zero
        self.largest_order: dict[tuple[str, str], Decimal] = dict(
            compress(zip(at.names, largest), map(ZERO.__lt__, largest)))
        self.refunds = frozenset(compress(oids, map(ZERO.__gt__, amounts)))   # amount < 0
        self._made: dict[tuple[str, str], list[Purchase]] = {}
        self._earlier_orders: dict[str, list[Purchase]] = {}        # kept orders of earlier months, per person
        persons = {*self._of_person, *holders}
        earlier = self.earlier.spend(shift_period(period, -(MONTHS - 1)), period, self.programme_of,
                                     self._customers(persons))
        folded = _earlier_sums(earlier["customer_id"].tolist(), earlier["store_type"].tolist(),
                               earlier["amount"].tolist(), people, self.programme_of)
        self.trailing: dict[tuple[str, str], Decimal] = _plus(folded, self.month)

    def _customers(self, persons: Collection[str]) -> list[str]:
        """The customer ids whose purchases count for `persons`, person by person: each person's
        list found by one `map` over them (hundreds of thousands), and only the persons without
        one (anonymous buyers: their customer id is in the name) looked at one by one."""
        persons = list(persons)
        found: list[Any] = list(map(self.people.customers_of.get, persons))
        for i in compress(range(len(found)), map(not_, found)):
            person = persons[i]
            found[i] = (person[len(ANONYMOUS):],) if person.startswith(ANONYMOUS) else ()
        return list(chain.from_iterable(found))

    def load_orders(self, persons: Collection[str], since: str) -> None:
        """Read the earlier orders (months from `since` on) of the `persons` not read yet, for
        `kept_orders`."""
        todo = sorted({p for p in persons if p not in self._earlier_orders})
        if not todo:
            return
        for person in todo:
            self._earlier_orders[person] = []
        found = self.earlier.orders(since, self.period, self.programme_of, self._customers(todo))
        for per, cid, store, cat, oid, day, amount, refunded in zip(
                found["period"].astype(str).tolist(), found["customer_id"].tolist(), found["store_type"].tolist(),
                found["category"].tolist(), found["order_id"].tolist(), _dates(found["order_date"]),
                found["amount"].tolist(), found["refunded"].tolist()):
            if amount > 0 and not refunded:
                self._earlier_orders[self.people.person(cid)].append(
                    Purchase(per, cid, self.programme_of[store], cat, oid, day, amount, amount))

    def trailing_12m(self, person: str, programme: str) -> Decimal:
        return self.trailing.get((person, programme), ZERO)

    def spend_month(self, person: str, programme: str) -> Decimal:
        return self.month.get((person, programme), ZERO)

    def _purchase(self, i: int) -> Purchase:
        """This month's row `i` as a `Purchase`. Each column indexed by name, not unpacked from a
        generator over the columns: members' `kept_orders` and `month_rows` make tens of
        thousands (more as cards gather over the months), and a generator per row cost half."""
        per, cid, code, cat, oid, day, amount, lst = self._columns
        found = lst[i]
        return Purchase(per[i], cid[i], code[i], cat[i], oid[i], _day(day[i]), amount[i],
                        amount[i] if found is None else _decimal(found))

    def month_rows(self, person: str, programme: str) -> list[Purchase]:
        """This month's rows (orders and refunds), by date and order id."""
        key = (person, programme)
        if key not in self._made:
            # a key's rows are its person's rows of that programme (both ascending): no look-up
            # dict of the quarter million keys for the few thousand asked about
            programmes = self._columns[2]
            at = [i for i in self._of_person.get(person, ()) if programmes[i] == programme]
            self._made[key] = sorted((self._purchase(i) for i in at), key=_order_key)
        return self._made[key]

    def month_orders(self, person: str, programme: str) -> list[Purchase]:
        return [p for p in self.month_rows(person, programme) if p.is_order]

    def kept_orders(self, person: str, programme: str | None = None) -> list[Purchase]:
        """Completed orders, earlier months and this one, that were not refunded later (earlier
        months: those `load_orders` read; a person it did not read is read whole)."""
        if person not in self._earlier_orders:
            self.load_orders([person], "")
        found = [p for p in self._earlier_orders[person] if programme is None or p.programme == programme]
        found += [p for p in (self._purchase(i) for i in self._of_person.get(person, ()))
                  if p.is_order and (programme is None or p.programme == programme)]
        return sorted((p for p in found if p.order_id not in self.refunds), key=_order_key)

    def keys(self):
        return self.trailing.keys()
