"""People, not customer records (docs/policy.md#vip: one card per person, real name). Customer
records with the same national ID number are one person, keyed by `person_of` (a keyed hash:
the number itself goes no further than this module, and only its masked form leaves it). A
record without an ID number is a person of its own, `customer:<id>`, whose spend is counted but
who gets no card."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from csbatch.blanks import is_blank
from csbatch.errors import Issue, Source
from csbatch.grouping import first_codes
from csbatch.i18n import N_, Said
from csbatch.idnumbers import id_ending
from csbatch.vip.dates import as_date
from csbatch.vip.identity import person_hasher

ANONYMOUS = "customer:"


@dataclass(frozen=True)
class Record:
    """One row of the customer sheet, as the VIP stage needs it."""

    customer_id: str
    name: str | None
    phone: str | None
    id_number: str | None
    birthday: dt.date | None
    engineering: bool
    place: tuple[Any, Any, Any] | None   # the row's `_file`, `_sheet`, `_row` (`source`, made when asked)

    @property
    def source(self) -> Source | None:
        """Where the row came from (`Source.of_row`): made for the few records a message names,
        not for every customer."""
        if self.place is None:
            return None
        file, sheet, row = self.place
        return Source.of_row({"_file": file, "_sheet": sheet, "_row": row})


def birthday_from_id(id_number: str | None) -> dt.date | None:
    """Digits 7–14 of an 18-character ID (YYYYMMDD), or 7–12 of a 15-digit one (YYMMDD, 19YY)."""
    if not id_number:
        return None
    text = id_number.strip()
    digits = text[6:14] if len(text) == 18 else "19" + text[6:12] if len(text) == 15 else ""
    if len(digits) != 8 or not digits.isdigit():
        return None
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def _flag(value) -> bool:
    return False if is_blank(value) else bool(value)


def _text(value) -> str | None:
    if type(value) is str:      # the common cell, without is_blank's checks
        return value.strip() or None
    if is_blank(value):
        return None
    text = str(value).strip()
    return text or None


class _Records(Mapping[str, Record]):
    """The customer sheet's records by customer id, each made when first asked for (a close asks
    for the few people a card, a task or a message concerns, not for every customer): the row of
    each id (its first), and the sheet's columns as lists."""

    def __init__(self, row_of: dict[str, int], columns: dict[str, list[Any]]):
        self._row_of, self._columns = row_of, columns
        self._made: dict[str, Record] = {}

    def __getitem__(self, customer_id: str) -> Record:
        made = self.get(customer_id)
        if made is None:
            raise KeyError(customer_id)
        return made

    def get(self, customer_id: str, default: Any = None) -> Any:
        """The record, made the first time it is asked for; `default` for an id the sheet lacks.
        `Mapping.get` would put a `try`/`except KeyError` around `[]`: this is asked for each
        member's birthday, tasks and statement (95k members at a million orders a month)."""
        made = self._made.get(customer_id)
        if made is None:
            i = self._row_of.get(customer_id)
            if i is None:
                return default
            made = self._made[customer_id] = self._record(customer_id, i)
        return made

    def _record(self, cid: str, i: int) -> Record:
        col = self._columns
        id_number = _text(col["id_number"][i])
        birthday = col["birthday"][i]
        place = (col["_file"][i], col["_sheet"][i], col["_row"][i]) if "_file" in col else None
        return Record(cid, _text(col["name"][i]), _text(col["phone"][i]), id_number.upper() if id_number else None,
                      birthday if type(birthday) is dt.date else as_date(birthday), _flag(col["engineering"][i]),
                      place)

    def __contains__(self, customer_id: object) -> bool:
        return customer_id in self._row_of

    def __iter__(self) -> Iterator[str]:
        return iter(self._row_of)

    def __len__(self) -> int:
        return len(self._row_of)


@dataclass
class People:
    records: Mapping[str, Record] = field(default_factory=dict)
    person_by_customer: dict[str, str] = field(default_factory=dict)
    customers_of: dict[str, list[str]] = field(default_factory=dict)

    def person(self, customer_id: str) -> str:
        return self.person_by_customer.get(customer_id) or ANONYMOUS + str(customer_id)

    def persons(self, customer_ids: Iterable[str]) -> list[str]:
        """`person` of each customer id, in one comprehension: hundreds of thousands of ids at a
        million orders, where a method call each costs more than the look-up."""
        found = self.person_by_customer.get
        return [found(c) or ANONYMOUS + str(c) for c in customer_ids]

    @staticmethod
    def real_name(person: str) -> bool:
        return not person.startswith(ANONYMOUS)

    def engineering(self, person: str) -> bool:
        return any(self.records[c].engineering for c in self.customers_of.get(person, ())
                   if c in self.records)

    def record(self, customer_id: str, person: str | None = None) -> Record | None:
        """The customer's record, else another record of the same person."""
        found = self.records.get(customer_id)
        if found is not None:
            return found
        for other in self.customers_of.get(person or "", ()):
            found = self.records.get(other)
            if found is not None:
                return found
        return None

    def birthday(self, customer_id: str, person: str) -> dt.date | None:
        """The sheet's birthday, else the ID number's, of the customer, else of the person's
        other records."""
        order = [customer_id] + [c for c in self.customers_of.get(person, ()) if c != customer_id]
        for cid in order:
            rec = self.records.get(cid)
            if rec is not None and (rec.birthday or birthday_from_id(rec.id_number)):
                return rec.birthday or birthday_from_id(rec.id_number)
        return None


def _texts(values: list[Any]) -> list[str | None]:
    """`_text` of each value, a text cell stripped in the comprehension itself."""
    return [(v.strip() or None) if type(v) is str else _text(v) for v in values]


def _persons(customer_ids: list[Any], id_numbers: list[Any], person_of: Callable[[str], str]
             ) -> tuple[dict[str, int], dict[str, str], dict[str, list[str]]]:
    """The row of each customer id (its first; a blank id is no customer), each customer's person
    and each person's customer ids, all in order of first appearance: what a loop over the rows
    gave (a dict check, a `setdefault` and a list per row), made by `pd.factorize` and whole-list
    dicts; only the persons of several customer ids (a few dozen at 1M) are gathered by a loop."""
    cids = _texts(customer_ids)
    codes, uniques = pd.factorize(np.asarray(cids, dtype=object))
    known = codes >= 0
    rows: list[int] = (first_codes(codes).tolist() if known.all()
                       else np.flatnonzero(known)[first_codes(codes[known])].tolist())
    unique_cids: list[str] = uniques.tolist()
    numbers = _texts([id_numbers[i] for i in rows])
    persons = [person_of(n.upper()) if n else ANONYMOUS + c for n, c in zip(numbers, unique_cids)]
    customers_of = {p: [c] for p, c in zip(persons, unique_cids)}
    if len(customers_of) < len(persons):    # a person of several customer ids: theirs in row order
        shared = {p for p, n in Counter(persons).items() if n > 1}
        for p in shared:
            customers_of[p] = []
        for p, c in zip(persons, unique_cids):
            if p in shared:
                customers_of[p].append(c)
    return dict(zip(unique_cids, rows)), dict(zip(unique_cids, persons)), customers_of


def build_people(customers: pd.DataFrame | None, key: bytes) -> tuple[People, list[Issue]]:
    """People from the customer sheet; a WARNING names every set of records sharing an ID."""
    people = People()
    issues: list[Issue] = []
    if customers is None or customers.empty:
        return people, issues
    n = len(customers)

    def column(name: str) -> list:
        return customers[name].tolist() if name in customers.columns else [None] * n

    birthdays = customers["birthday"].dt.date.tolist() \
        if "birthday" in customers.columns and pd.api.types.is_datetime64_any_dtype(customers["birthday"]) \
        else [as_date(b) for b in column("birthday")]
    ids = column("id_number")
    row_of, people.person_by_customer, people.customers_of = _persons(column("customer_id"), ids,
                                                                      person_hasher(key))
    columns = {"id_number": ids, "birthday": birthdays,
               **{name: column(name) for name in ("name", "phone", "engineering")},
               **({name: column(name) for name in ("_file", "_sheet", "_row")} if "_file" in customers.columns else {})}
    people.records = _Records(row_of, columns)
    for cids in people.customers_of.values():
        if len(cids) < 2:
            continue
        recs = [people.records[c] for c in cids]
        names = [f"{r.customer_id} ({r.source})" if r.source else r.customer_id for r in recs]
        named: str = names[0]
        for more in names[1:]:      # "A and B and C", said in the message's language
            named = Said(N_("{first} and {second}"), first=named, second=more)
        issues.append(Issue.warn(recs[0].source, "vip.same_person",
                                 N_("customer records {named} carry the same national ID number (ending "
                                    "{ending}): one person, one card; their purchases count together"),
                                 named=named, ending=id_ending(recs[0].id_number)))
    return people, issues


def add_card_holders(people: People, cards: pd.DataFrame) -> None:
    """A card's customer who is no longer on the customer sheet still belongs to the card's
    person (the ledger knows them by the hash)."""
    for cid, person in zip(cards["customer_id"].tolist(), cards["person"].tolist()):
        if cid is None or person is None or cid in people.person_by_customer:
            continue
        people.person_by_customer[cid] = person
        people.customers_of.setdefault(person, []).append(cid)
