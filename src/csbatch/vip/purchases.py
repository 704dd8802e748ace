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
from itertools import chain, compress, repeat
from operator import is_, not_
from typing import Any

import numpy as np
import pandas as pd

from csbatch.blanks import is_blank
from csbatch.calendar import month_bounds
from csbatch.grouping import Rows
from csbatch.money import ZERO_CENTS as ZERO
from csbatch.policy import Policy
from csbatch.text import sort_keys
from csbatch.vip.dates import as_date, shift_period
from csbatch.vip.model import PURCHASE_COLUMNS, EarlierPurchases, SpendCents, empty
from csbatch.vip.people import ANONYMOUS, People

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


@dataclass(frozen=True, slots=True)
class Purchase:
    """One purchase (an order, or a refund: a negative amount). Slots, not a `__dict__`: the
    earlier orders a close reads are hundreds of thousands of these at a million orders."""

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

    def orders(self, since: str, before: str, stores: Collection[str], customers: Collection[str],
               refunds_before: str | None = None, days: tuple[int, int] | None = None) -> pd.DataFrame:
        rows = self._rows(since, before, stores)
        later = rows if refunds_before in (None, before) else self._rows(since, refunds_before, stores)
        refunds = {str(o) for o, a in zip(later["order_id"].tolist(), later["amount"].tolist()) if _decimal(a) < 0}
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

    def __init__(self, names: list[Any] | dict[Any, int], rows: Rows,
                 packed: tuple[np.ndarray, list[Any]] | None = None):
        self.names, self.rows = names, rows
        self._codes: dict[Any, int] | None = names if isinstance(names, dict) else None
        #: for (person, programme) names: each name's `person code × len(programmes) + its place in
        #: programmes` and those programmes (`_groups`), so that `Trailing` finds the keys' codes
        #: by arithmetic rather than a dict look-up per key (0.09 s for 247k keys at 1M)
        self.packed = packed

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
    return (RowsOf(list(zip(owners, kinds)), Rows(key_codes, len(keys)), (packed, programme_list)),
            RowsOf(numbered, Rows(person_codes, len(numbered))))


_plus_zero = np.frompyfunc(ZERO.__add__, 1, 1)


def _month_sums(groups: Rows, amounts: list[Decimal]) -> tuple[np.ndarray, np.ndarray]:
    """Per group, the sum of its amounts (`sum(amounts, ZERO)` in row order) and the largest
    (`max`, the first of equals). A group of one row (most keys) is summed as `ZERO + amount`
    by one numpy pass calling `ZERO.__add__` over the object array (the same addition, without
    a Python loop); only the groups of several rows are summed by a loop. As object arrays:
    `Trailing` compares them whole (round 16); `Spend` makes its dicts of their lists."""
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
    return sums, largest


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


#: cents of a sum folded or compared in int64: each part under this (`_fold_cents` takes Python
#: integers when rows × the largest could pass it), so a sum of two stays within int64
_BOUND = 2**62


def _made(cents: int) -> Decimal:
    """The Decimal of a sum of plain amounts, `ZERO` plus them: exponent -2, exactly these cents."""
    return ZERO + Decimal(cents).scaleb(-2)


def _value_cents(amount: Any) -> Any:
    """An amount's value in whole cents (under `_BOUND`), else None (a fraction of a cent, an
    infinity, NaN): for comparing values only; its digits are not kept."""
    try:
        num, den = amount.as_integer_ratio()
    except (ValueError, OverflowError, AttributeError):
        return None
    if 100 % den:
        return None
    cents = num * (100 // den)
    return cents if -_BOUND < cents < _BOUND else None


_values_cents = np.frompyfunc(_value_cents, 1, 1)


def _ceil_cents(amount: Decimal) -> int | None:
    """The fewest whole cents at or above `amount` (a threshold), clamped to int64; None for NaN,
    an infinity or anything without an exact ratio (compared as Decimals instead)."""
    try:
        num, den = amount.as_integer_ratio()
    except (ValueError, OverflowError, AttributeError):
        return None
    return max(min(-((-num * 100) // den), 2**63 - 1), -(2**63))


class Trailing(Mapping[tuple[str, str], Decimal]):
    """Trailing-12-month spend per (person, programme): what `_plus(_earlier_sums(...), month)`
    gave as a dict, with earlier months held as integer cents per key code (`person code ×
    programmes + programme`) and a Decimal made only for a key asked about (a card's upgrade, a
    member row, a qualification): at a million orders a dict of 300k tuple keys and Decimals cost
    more than anything the close asked of it. A key's value is the same Decimal, digit for digit:
    earlier `ZERO + cents` (or the exact sum where cents cannot hold it) plus this month's.
    Keys iterate with the earlier ones first (by code), then this month's new ones in order."""

    def __init__(self, codes: dict[str, int], programmes: list[str], cents: np.ndarray, has: np.ndarray,
                 exact: dict[int, Decimal], month: dict[tuple[str, str], Decimal],
                 month_arrays: tuple[np.ndarray, np.ndarray, np.ndarray]):
        self._codes, self._programmes, self._cents, self._has = codes, programmes, cents, has
        self._place = {code: j for j, code in enumerate(programmes)}
        self._exact, self._month = exact, month
        #: for each of `month`'s keys, in its order: its code, its sum (`month`'s value) and this
        #: month's largest amount (`Spend.largest_order` where above zero), as arrays
        self._month_codes, self._month_sums, self._month_largest = month_arrays

    def _code(self, key: tuple[str, str]) -> int | None:
        person, place = self._codes.get(key[0]), self._place.get(key[1])
        if person is None or place is None:
            return None
        code = person * len(self._programmes) + place
        return code if self._has[code] else None

    def _earlier(self, code: int) -> Decimal:
        found = self._exact.get(code)
        return found if found is not None else _made(int(self._cents[code]))

    def get(self, key: Any, default: Any = None) -> Any:
        code = self._code(key)
        month = self._month.get(key)
        if code is None:
            return default if month is None else month
        earlier = self._earlier(code)
        return earlier if month is None else earlier + month

    def __getitem__(self, key: tuple[str, str]) -> Decimal:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def _earlier_keys(self) -> list[tuple[str, str]]:
        persons, n = list(self._codes), len(self._programmes)
        return [(persons[c // n], self._programmes[c % n]) for c in np.flatnonzero(self._has).tolist()]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return chain(self._earlier_keys(), (k for k in self._month if self._code(k) is None))

    def __len__(self) -> int:
        return int(self._has.sum()) + sum(1 for k in self._month if self._code(k) is None)

    def reaching(self, trailing: dict[str, Decimal], single: dict[str, Decimal | None]) -> list[tuple[str, str]]:
        """`card_events._could_qualify` over this mapping, in its order: the keys whose spend
        reaches `trailing` of their programme, or whose largest order this month `single` of it
        (`largest_order.get(key, ZERO)`: a largest at or below zero counts as ZERO). A key with
        earlier sums is compared in cents over numpy arrays of every key code (this month's part
        by its value in cents); a key of this month only by its Decimal (one comparison each, no
        conversion); a sum or threshold cents cannot hold (a fraction of a cent, an infinity)
        as Decimals, by `get`."""
        n, persons, has = len(self._programmes), list(self._codes), self._has
        month_keys, month_codes = list(self._month), self._month_codes
        values = self._month_sums
        both = has[month_codes]
        common = np.flatnonzero(both)
        month_cents = _values_cents(values[common]) if len(common) else np.zeros(0, dtype=object)
        bad = np.fromiter(map(_is_none, month_cents.tolist()), dtype=bool, count=len(common))
        odd = np.zeros(len(has), dtype=bool)
        odd[list(self._exact)] = True
        odd[month_codes[common[bad]]] = True
        total = self._cents.copy()
        total[month_codes[common[~bad]]] += month_cents[~bad].astype(total.dtype)
        place = np.arange(len(has)) % n
        reached = np.zeros(len(has), dtype=bool)
        for j, code in enumerate(self._programmes):
            cents, of_j = _ceil_cents(trailing[code]), has & (place == j)
            if cents is None:
                odd |= of_j
            else:
                reached |= of_j & (total >= cents)
        reached &= ~odd
        for at in np.flatnonzero(odd & has).tolist():        # compared as Decimals
            key = (persons[at // n], self._programmes[at % n])
            reached[at] = self[key] >= trailing[key[1]]
        only = np.flatnonzero(~both)
        only_place = month_codes[only] % n
        for j, code in enumerate(self._programmes):
            of_j = only[only_place == j]
            reached[month_codes[of_j]] = (values[of_j] >= trailing[code]).astype(bool)
        present = has.copy()
        present[month_codes] = True
        month_place = month_codes % n
        for j, code in enumerate(self._programmes):
            order = single.get(code)
            if order is not None and order <= ZERO:
                reached |= present & (place == j)
            elif order is not None:     # above zero: a largest at or above it is above zero too
                of_j = np.flatnonzero(month_place == j)
                reached[month_codes[of_j[(self._month_largest[of_j] >= order).astype(bool)]]] = True
        earlier = np.flatnonzero(reached & has).tolist()
        new = np.flatnonzero(reached[month_codes] & ~both).tolist()
        return [*((persons[c // n], self._programmes[c % n]) for c in earlier), *map(month_keys.__getitem__, new)]


def _is_none(value: Any) -> bool:
    return value is None


def _month_codes(at: RowsOf, codes: dict[str, int], programmes: list[str]) -> np.ndarray:
    """Each of this month's (person, programme) keys' code in `Trailing`: from `_groups`' packed
    codes where it kept them (its person codes are `codes`' first ones), else by look-up."""
    if at.packed is not None:
        packed, kinds = at.packed
        place = np.array([programmes.index(k) for k in kinds], dtype=np.int64)
        return packed // max(len(kinds), 1) * len(programmes) + place[packed % max(len(kinds), 1)] \
            if len(kinds) else np.zeros(0, dtype=np.int64)
    return np.array([codes[p] * len(programmes) + programmes.index(c) for p, c in at.names], dtype=np.int64)


def _fold_cents(found: SpendCents, people: People, programme_of: dict[str, str], codes: dict[str, int],
                programmes: list[str]) -> tuple[np.ndarray, np.ndarray, dict[int, Decimal]]:
    """`_earlier_sums` in cents: each sum's key code (its customer's person numbered in `codes`,
    extended in place, × programmes + its programme), the cents added per code by numpy, whether a
    code has any sum, and the exact Decimal of each code holding a sum cents cannot: `ZERO` plus
    its customers' sums in customer order, as `_earlier_sums` added the sorted rows (a customer's
    plain sums, in two stored forms, first added up in cents as `spend` did)."""
    persons = people.persons(found.customers)
    numbered: list[Any] = list(map(codes.get, persons))     # a C loop: most are this month's buyers
    if None in numbered:    # holders who bought nothing this month: numbered next, in order
        number = codes.setdefault
        for i in compress(range(len(numbered)), map(is_, numbered, repeat(None))):     # found by a C loop
            numbered[i] = number(persons[i], len(codes))
    person = np.array(numbered, dtype=np.int64)
    place_of = {code: j for j, code in enumerate(programmes)}
    store_place = np.array([place_of[programme_of[s]] for s in found.store_names], dtype=np.int64)
    n = len(programmes)
    key = person[found.at] * n + store_place[found.store] if len(found.at) else np.zeros(0, dtype=np.int64)
    size = len(codes) * n
    has = np.zeros(size, dtype=bool)
    has[key] = True
    wide = bool(len(found.cents)) and (int(found.cents.max()) >= _BOUND // len(found.cents)
                                       or int(found.cents.min()) <= -_BOUND // len(found.cents))
    cents = np.zeros(size, dtype=object if wide else np.int64)
    np.add.at(cents, key, found.cents.astype(object) if wide else found.cents)
    exact: dict[int, Decimal] = {}
    if found.exact:
        odd = set(key[list(found.exact)].tolist())
        rows: dict[int, dict[str, list[int]]] = {}
        for i in np.flatnonzero(np.isin(key, list(odd))).tolist():
            rows.setdefault(int(key[i]), {}).setdefault(found.customers[found.at[i]], []).append(i)
        for code, of_customer in rows.items():
            total = ZERO
            for customer in sorted(of_customer):
                at = of_customer[customer]
                ex = [found.exact[i] for i in at if i in found.exact]
                total = total + (ex[0] if ex else _made(sum(int(found.cents[i]) for i in at)))
            exact[code] = total
    return cents, has, exact


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
        sum_array, largest_array = _month_sums(at.rows, amounts)   # kept as arrays for `Trailing`
        sums, largest = sum_array.tolist(), largest_array.tolist()
        self.month: dict[tuple[str, str], Decimal] = dict(zip(at.names, sums))
        #: this month's largest order per key (the first of equals), where it is above zero
        self.largest_order: dict[tuple[str, str], Decimal] = dict(
            compress(zip(at.names, largest), map(ZERO.__lt__, largest)))
        self.refunds = frozenset(compress(oids, map(ZERO.__gt__, amounts)))   # amount < 0
        self._made: dict[tuple[str, str], list[Purchase]] = {}
        self._rows_made: dict[int, Purchase] = {}       # this month's rows made (`_purchase`), by row
        self._earlier_orders: dict[str, list[Purchase]] = {}        # kept orders of earlier months, per person
        self._read_span: dict[str, tuple[str, str]] = {}    # the months of them read (`load_orders`), per person
        persons = {*self._of_person, *holders}
        since, customers = shift_period(period, -(MONTHS - 1)), self._customers(persons)
        in_cents = getattr(self.earlier, "spend_cents", None)
        self.trailing: Mapping[tuple[str, str], Decimal]
        if in_cents is not None:    # the ledger: folded in cents, Decimals made for the keys read
            names = self._of_person.names
            numbered: dict[str, int] = dict(names) if isinstance(names, dict) else dict(zip(names, range(len(names))))
            programmes = list(dict.fromkeys(self.programme_of.values()))    # this month's keys' too
            cents, has, exact = _fold_cents(in_cents(since, period, self.programme_of, customers), people,
                                            self.programme_of, numbered, programmes)
            self.trailing = Trailing(numbered, programmes, cents, has, exact, self.month,
                                     (_month_codes(at, numbered, programmes), sum_array, largest_array))
        else:
            earlier = self.earlier.spend(since, period, self.programme_of, customers)
            folded = _earlier_sums(earlier["customer_id"].tolist(), earlier["store_type"].tolist(),
                                   earlier["amount"].tolist(), people, self.programme_of)
            self.trailing = _plus(folded, self.month)

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

    def load_orders(self, persons: Collection[str], since: str, before: str | None = None) -> None:
        """Read the earlier orders of months `since` <= period < `before` (default: this month) of
        the `persons` whose orders of those months are not read yet, for `kept_orders`; a refund
        up to this month still takes an order out. A person read for other months is read again
        over both (their span), so what `kept_orders` gives never depends on what was asked
        before: at a million orders a month, every card holder's year of orders was millions of
        objects, where the holders of the card years ending this month are far fewer (next month's care
        reminders read their own window of days: `care_orders`)."""
        before = min(before or self.period, self.period)
        spans: dict[tuple[str, str], list[str]] = {}
        for person in sorted(set(persons)):
            read = self._read_span.get(person)
            if read is None:
                spans.setdefault((since, before), []).append(person)
            elif not self._read(person, since, before):
                spans.setdefault((min(read[0], since), max(read[1], before)), []).append(person)
        for (first, end), todo in spans.items():
            for person in todo:
                self._earlier_orders[person] = []
                self._read_span[person] = (first, end)
            if first >= end:    # no earlier month: nothing to read
                continue
            found = self.earlier.orders(first, end, self.programme_of, self._customers(todo),
                                        refunds_before=self.period)
            for person, order in self._orders_of(found):
                self._earlier_orders[person].append(order)

    def _orders_of(self, found: pd.DataFrame) -> Iterator[tuple[str, Purchase]]:
        """(person, order) of each completed order of `EarlierPurchases.orders` rows not refunded.
        One object per distinct period, category and day, not one per order: the ledger's rows
        are new strings and dates each (~150 bytes an order, 700k orders at 1M)."""
        one: dict[Any, Any] = {}
        for per, cid, store, cat, oid, day, amount, refunded in zip(
                found["period"].astype(str).tolist(), found["customer_id"].tolist(),
                found["store_type"].tolist(), found["category"].tolist(), found["order_id"].tolist(),
                _dates(found["order_date"]), found["amount"].tolist(), found["refunded"].tolist()):
            if amount > 0 and not refunded:
                yield self.people.person(cid), Purchase(one.setdefault(per, per), cid, self.programme_of[store],
                                                        one.setdefault(cat, cat), oid, one.setdefault(day, day),
                                                        amount, amount)

    def _read(self, person: str, since: str, before: str) -> bool:
        """Whether `load_orders` read the person's orders of every month `since` <= period < `before`."""
        read = self._read_span.get(person)
        return read is not None and read[0] <= since and before <= read[1]

    def trailing_12m(self, person: str, programme: str) -> Decimal:
        return self.trailing.get((person, programme), ZERO)

    def spend_month(self, person: str, programme: str) -> Decimal:
        return self.month.get((person, programme), ZERO)

    def _purchase(self, i: int) -> Purchase:
        """This month's row `i` as a `Purchase`, made once per row: `month_rows` (points, the
        discount audit, qualification) and `kept_orders` (anniversaries, next month's tasks) ask
        for the same card holders' rows, and a frozen dataclass is about 1.5 µs to make (tens of
        thousands a close, more as cards gather over the months). A `Purchase` is immutable, so
        sharing one between the lists changes nothing they hold."""
        made = self._rows_made.get(i)
        if made is None:
            made = self._rows_made[i] = self._new_purchase(i)
        return made

    def _new_purchase(self, i: int) -> Purchase:
        """This month's row `i` as a new `Purchase`. Each column indexed by name, not unpacked from a
        generator over the columns: a generator per row cost half."""
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

    def kept_orders(self, person: str, programme: str | None = None, since: str = "",
                    before: str | None = None) -> list[Purchase]:
        """Completed orders that were not refunded later: this month's, and those of the earlier
        months `since` <= period < `before` (default: all up to this month), as `load_orders`
        read them (read here, for this person alone, when it did not read them all)."""
        before = min(before or self.period, self.period)
        if not self._read(person, since, before):
            self.load_orders([person], since, before)
        found = [p for p in self._earlier_orders[person]
                 if since <= p.period < before and (programme is None or p.programme == programme)]
        found += [p for p in (self._purchase(i) for i in self._of_person.get(person, ()))
                  if p.is_order and (programme is None or p.programme == programme)]
        return sorted((p for p in found if p.order_id not in self.refunds), key=_order_key)

    def care_orders(self, persons: Collection[str], since: str, before: str,
                    days: tuple[dt.date, dt.date]) -> dict[str, list[Purchase]]:
        """Each of `persons`' orders that `kept_orders(person, since=since, before=before)` gives,
        of those dated `days` (first, last; an order without a plain date is kept too): next
        month's care reminders come only from orders of such a window. Read for all of them in
        one query, the window's days in SQL, and not kept (a person whose months `load_orders`
        read already: from those): with a year of history and 95k card holders, the two months
        `maintenance_months` gives were ~650k orders made objects and held to the end of the
        stage, for the half of them a window of a month holds. A refund up to this month takes
        an order out, as for `kept_orders`."""
        before = min(before, self.period)
        first, last = (d.toordinal() - _EPOCH for d in days)
        found: dict[str, list[Purchase]] = {}
        todo: list[str] = []
        for person in persons:      # a person whose months `load_orders` read already: from them
            if self._read(person, since, before):
                found[person] = [p for p in self._earlier_orders[person]
                                 if since <= p.period < before and _within(p.order_date, first, last)]
            else:
                found[person] = []
                todo.append(person)
        if todo and since < before:
            rows = self.earlier.orders(since, before, self.programme_of, self._customers(todo),
                                       refunds_before=self.period, days=(first, last))
            for person, order in self._orders_of(rows):
                if _within(order.order_date, first, last):
                    found[person].append(order)
        amounts, dated = self._columns[6], self._columns[5]
        for person, orders in found.items():
            orders += [self._purchase(i) for i in self._of_person.get(person, ())
                       if amounts[i] > 0 and _within(dated[i], first, last)]
            orders[:] = sorted((p for p in orders if p.order_id not in self.refunds), key=_order_key)
        return found

    def keys(self):
        return self.trailing.keys()


def _within(day: Any, first: int, last: int) -> bool:
    """Whether a date, or a day of `_days`, is within days `first`..`last` since 1970-01-01;
    True for anything else (a blank): the caller judges it as before."""
    if type(day) is int:
        return first <= day <= last
    if type(day) is dt.date:
        return first <= day.toordinal() - _EPOCH <= last
    return True
