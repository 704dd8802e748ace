"""Next month's call list for the VIP desk (docs/policy.md#vip, value-added services): for every
member holding an active card when this month closes —

- birthday greetings, due from `from_days_before` to `to_days_before` days before the birthday,
  for a birthday whose window starts or ends next month (the birthday from the customer sheet,
  else from the ID number's digits 7–14; 29 February is greeted on 28 February in other years);
- festival greetings for each festival of vip.yaml falling next month, due from two days before
  to the day (lunar festivals through a real lunar calendar: Mid-Autumn 2026 is 2026-09-25);
- maintenance reminders for purchases whose care date (order date + the category's cycle) less
  `days_before` falls next month, due until the day before the care date.

The phone number is printed whole: staff call it. The list is for staff, not customers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd

from csbatch.calendar import lunar_to_solar, month_bounds
from csbatch.errors import Issue
from csbatch.grouping import Once
from csbatch.i18n import N_
from csbatch.policy import Policy
from csbatch.vip.card_events import ACTIVE, Card
from csbatch.vip.dates import DAY, add_months, shift_period, stamp
from csbatch.vip.model import empty
from csbatch.vip.people import People
from csbatch.vip.pricing import yen
from csbatch.vip.purchases import Spend

TASK_COLUMNS = ["customer_id", "name", "phone", "kind", "due_from", "due_to", "note"]


def _on(year: int, month: int, day: int) -> dt.date:
    """The date, with 29 February as 28 February in a common year."""
    if month == 2 and day == 29:
        try:
            return dt.date(year, 2, 29)
        except ValueError:
            return dt.date(year, 2, 28)
    return dt.date(year, month, day)


def festivals_in(period: str, policy: Policy) -> tuple[list[tuple[str, str, dt.date]], list[Issue]]:
    """(code, name, date) of each festival of vip.yaml that falls in `period`."""
    first, last = month_bounds(period)
    found: list[tuple[str, str, dt.date]] = []
    issues: list[Issue] = []
    for f in policy.vip.greetings.festivals:
        on = f.solar or f.lunar
        assert on is not None, f"festival {f.code}: vip.yaml gives it a solar or a lunar date"
        month, day = (int(x) for x in on.split("-"))
        if f.solar:
            candidates = [_on(first.year, month, day)]
        else:
            candidates = []
            for year in (first.year - 1, first.year):   # lunar year Y-1's last months reach into Y
                try:
                    candidates.append(lunar_to_solar(year, month, day))
                except ValueError as exc:
                    if year == first.year:
                        issues.append(Issue.warn(f.place, "vip.lunar_date",
                                                 N_("festival {festival}: no lunar {lunar} in {year}: {why}"),
                                                 festival=f.code, lunar=f.lunar, year=year, why=exc))
        found.extend((f.code, f.name, d) for d in candidates if first <= d <= last)
    return sorted(found, key=lambda x: (x[2], x[0])), issues


def maintenance_months(period: str, policy: Policy) -> tuple[str, str]:
    """The months (`since` <= month < `before`) of the orders whose care can fall due next month:
    the reminder starts `days_before` a care date, which is an order date plus a cycle's months
    (the day of the month kept, or the month's last), so an order's month is the care date's
    less its cycle. Only these months' orders can give next month a reminder: reading a card
    holder's other months gave nothing more (at a million orders a month, millions of orders
    read for a few thousand reminders). Empty (`period`, `period`) without any cycle."""
    care = policy.vip.maintenance
    if not care.cycle_months:
        return period, period
    first, last = month_bounds(shift_period(period, 1))
    lead = dt.timedelta(days=care.days_before)
    cycles = care.cycle_months.values()
    return (shift_period((first + lead).strftime("%Y-%m"), -max(cycles)),
            shift_period((last + lead).strftime("%Y-%m"), 1 - min(cycles)))


def care_window(period: str, policy: Policy) -> tuple[dt.date, dt.date] | None:
    """The first and last order dates whose care reminder can start next month, for every
    cycle (None without any): a care date is an order date plus the cycle's months, the day of
    the month kept or the month's last, so the orders whose reminder starts on the month's days
    are dated from those days less `days_before` and the cycle, to the last of them plus three
    days (31 January and 28 February have one care date a month on). A window, not a rule:
    `next_month_tasks` still asks each order's care date."""
    care = policy.vip.maintenance
    if not care.cycle_months:
        return None
    first, last = month_bounds(shift_period(period, 1))
    lead = dt.timedelta(days=care.days_before)
    cycles = care.cycle_months.values()
    return (min(add_months(first + lead, -months) for months in cycles),
            max(add_months(last + lead, -months) for months in cycles) + dt.timedelta(days=3))


def _care_dates(days_before: int) -> Callable[[dt.date, int], tuple[dt.date, dt.date]]:
    """(care date, first day of its reminder) of an order date and a care cycle in months, each
    pair computed once: the members' kept orders grow with the months the ledger holds (every
    order of the cycle's months), their dates repeat (a few hundred days), and `add_months`
    (dateutil) costs some microseconds a call. Only plain dates are kept (what `Spend` gives):
    anything else is computed each time, as before."""
    lead = dt.timedelta(days=days_before)
    known: dict[tuple[dt.date, int], tuple[dt.date, dt.date]] = {}

    def dates(day: dt.date, months: int) -> tuple[dt.date, dt.date]:
        found = known.get((day, months)) if type(day) is dt.date else None     # (a datetime equals no date)
        if found is None:
            due = add_months(day, months)
            found = (due, due - lead)
            if type(day) is dt.date:
                known[day, months] = found
        return found
    return dates


def next_month_tasks(period: str, cards: list[Card], spend: Spend, people: People,
                     policy: Policy) -> tuple[pd.DataFrame, list[Issue]]:
    vip = policy.vip
    nxt = shift_period(period, 1)
    first, last = month_bounds(nxt)
    festivals, issues = festivals_in(nxt, policy)
    greet = vip.greetings.birthday
    care = vip.maintenance
    # the tasks as columns, a list each: a dict per task held ~55 MiB more at 1M with a year of
    # history (283k care reminders of 95k members), and the frame took 0.5 s more to make
    columns: dict[str, list[Any]] = {name: [] for name in TASK_COLUMNS}
    cids, names, phones, kinds, froms, tos, notes = (columns[name] for name in TASK_COLUMNS)

    def task(cid: str, person: str, kind: str, due_from: dt.date, due_to: dt.date, note: str) -> None:
        rec = people.record(cid, person)
        cids.append(cid)
        names.append(rec.name if rec else None)
        phones.append(rec.phone if rec else None)
        kinds.append(kind)
        froms.append(due_from)
        tos.append(due_to)
        notes.append(note)

    care_dates = _care_dates(care.days_before)
    lead = dt.timedelta(days=vip.greetings.festival_days_before)
    # each festival's task made once, its text shared by every member's row (95k members at 1M)
    greetings = [(f"festival:{code}", day - lead, day, f"{name} {day.isoformat()}") for code, name, day in festivals]
    members = sorted((c for c in cards if c.status == ACTIVE), key=lambda c: c.card_no)
    window = care_window(period, policy)
    cared = {} if window is None else \
        spend.care_orders(dict.fromkeys(c.person for c in members), *maintenance_months(period, policy), window)
    seen: set[str] = set()
    for card in members:
        cid, person = card.customer_id, card.person
        if person in seen:          # one call per person, whatever cards they hold
            continue
        seen.add(person)
        born = people.birthday(cid, person)
        if born is not None:
            for year in (first.year, first.year + 1):
                day = _on(year, born.month, born.day)
                start = day - dt.timedelta(days=greet.from_days_before)
                end = day - dt.timedelta(days=greet.to_days_before)
                if first <= start <= last or first <= end <= last:
                    task(cid, person, "birthday", start, end, f"birthday on {day.isoformat()}")
        for kind, due_from, due_to, note in greetings:
            task(cid, person, kind, due_from, due_to, note)
        for order in cared.get(person, ()):
            months = care.cycle_months.get(order.category, care.cycle_months.get("default"))
            if months is None:
                continue
            due, start = care_dates(order.order_date, months)
            if first <= start <= last:
                task(order.customer_id, person, "maintenance", start, due - DAY,
                     f"care of order {order.order_id} ({order.category}, {yen(order.amount)}, bought "
                     f"{order.order_date.isoformat()}) due {due.isoformat()}")
    if not cids:
        out = empty(TASK_COLUMNS)
    else:
        out = pd.DataFrame(columns, columns=TASK_COLUMNS).sort_values(
            ["due_from", "customer_id", "kind", "note"], kind="stable").reset_index(drop=True)
    stamped = Once(stamp)      # a Timestamp made per distinct day (283k reminders, a few dozen days)
    for col in ("due_from", "due_to"):
        out[col] = pd.Series(list(map(stamped.__getitem__, out[col].tolist())), index=out.index,
                             dtype="datetime64[ns]")
    return out, issues
