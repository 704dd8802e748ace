"""Round 15's faster forms of the attendance, audit, scoring and payroll stages give what the old
forms gave: each old form is kept here and compared with the new on odd frames (blanks, NA,
duplicates, Decimal amounts cents cannot hold, keys a merge would match as NaN)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest

from csbatch import attendance
from csbatch.audit import complaints as complaint_checks
from csbatch.audit import exceptions, kit
from csbatch.calendar import WorkCalendar
from csbatch.payroll import orders as pay_orders
from csbatch.rules.due_calendars import Calendars, agreed_due, complaint_rule
from csbatch.rules.due_dates import status

# --- attendance: the night shifts' values merged only for their employees ----------------------

_DAY = pd.Timedelta(days=1)


def _old_shift_dates(emp: pd.Series, at: pd.Series, overnight: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    day = at.dt.normalize()
    t = at - day
    if overnight.empty:
        return day, t
    prev = pd.DataFrame({"employee_id": emp.to_numpy(), "date": (day - _DAY).to_numpy()})
    cutoff = prev.merge(overnight[["employee_id", "date", "cutoff"]], how="left", on=["employee_id", "date"])["cutoff"]
    back = pd.Series((t + _DAY).to_numpy() < cutoff.astype("timedelta64[ns]").to_numpy(), index=at.index)
    return day.where(~back, day - _DAY), t.where(~back, t + _DAY)


def _old_night_start(frame: pd.DataFrame, overnight: pd.DataFrame) -> np.ndarray:
    return frame[["employee_id", "date"]].merge(overnight[["employee_id", "date", "start"]], how="left",
                                                on=["employee_id", "date"])["start"] \
        .astype("timedelta64[ns]").to_numpy()


def _overnight(emps: list[Any]) -> pd.DataFrame:
    days = pd.to_datetime(["2026-10-05", "2026-10-06", "2026-10-07"])   # keys distinct, as judged days are
    return pd.DataFrame({"employee_id": pd.Series(emps, dtype=object), "date": days,
                         "start": pd.to_timedelta(["22:00:00", "21:00:00", "20:00:00"]),
                         "cutoff": pd.to_timedelta(["31:00:00", "30:00:00", "33:00:00"])})


@pytest.mark.parametrize("night", [["E1", "E2", "E2"], ["E1", np.nan, "E3"], ["E9", "E8", "E7"]])
def test_night_values_match_the_merge(night):
    rng = np.random.default_rng(7)
    emps = np.array(rng.choice(np.array(["E1", "E2", "E3", None, np.nan, "E4"], dtype=object), 400), dtype=object)
    at = pd.Series(pd.Timestamp("2026-10-05") + pd.to_timedelta(rng.integers(0, 3 * 24 * 60, 400), unit="min"))
    overnight = _overnight(night)
    old_day, old_t = _old_shift_dates(pd.Series(emps, dtype=object), at, overnight)
    new_day, new_t = attendance._shift_dates(pd.Series(emps, dtype=object), at, overnight)
    pd.testing.assert_series_equal(new_day, old_day)
    pd.testing.assert_series_equal(new_t, old_t)
    frame = pd.DataFrame({"employee_id": emps, "date": at.dt.normalize().to_numpy()})
    np.testing.assert_array_equal(attendance._night_values(emps, frame["date"].to_numpy(), overnight, "start"),
                                  _old_night_start(frame, overnight))


def test_night_values_of_no_rows_and_no_night_employee():
    overnight = _overnight(["E1", "E2", "E3"])
    empty = attendance._night_values(np.array([], dtype=object), np.array([], dtype="datetime64[ns]"),
                                     overnight, "cutoff")
    assert empty.dtype == np.dtype("timedelta64[ns]") and len(empty) == 0
    none = attendance._night_values(np.array(["X"], dtype=object), np.array(["2026-10-05"], dtype="datetime64[ns]"),
                                    overnight, "cutoff")
    assert pd.isna(none[0])


# --- audit: records of masked columns; special-price refunds -----------------------------------

def _old_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    columns = frame.columns.tolist()
    if not columns:
        return frame.to_dict("records")
    cells = [kit.instants(frame.iloc[:, k]) if isinstance(kind, np.dtype) and kind.kind == "M"
             else list(frame.iloc[:, k]) for k, kind in enumerate(frame.dtypes)]
    for k, kind in enumerate(frame.dtypes):
        if (not isinstance(kind, np.dtype) or kind.kind == "O") and not set(map(type, cells[k])) <= kit._NATIVE:
            cells[k] = [kit._native(v) for v in cells[k]]
    return [dict(zip(columns, row)) for row in zip(*cells)]


def _same(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert list(x) == list(y)
        for k in x:
            assert type(x[k]) is type(y[k]), (k, x[k], y[k])
            assert (x[k] != x[k] and y[k] != y[k]) or x[k] == y[k], (k, x[k], y[k])


def _odd_frame() -> pd.DataFrame:
    half = Decimal("0.005")
    return pd.DataFrame({
        "id": pd.Series(["C1", "C1", None, "C2", float("nan")], dtype=object),
        "flag": pd.array([True, None, False, True, None], dtype="boolean"),
        "whole": pd.array([1, None, -3, 2**40, 0], dtype="Int64"),
        "part": pd.array([0.5, None, float("inf"), -0.0, 1e300], dtype="Float64"),
        "amount": pd.Series([half, Decimal("NaN"), None, Decimal("1E+30"), Decimal("-0.001")], dtype=object),
        "at": pd.to_datetime(["2026-10-01 08:00", None, "2026-10-01 08:00", "2026-10-31 23:59", None]),
        "mixed": pd.Series([np.int64(3), np.float64(2.5), np.bool_(True), pd.NA, "x"], dtype=object),
        "text": pd.Series(["a", None, "<b>", "a", ""], dtype="str"),
    }, index=[0, 0, 1, 1, 2])   # an index that repeats, as intake's concatenation leaves it


def test_records_of_masked_columns_as_before():
    frame = _odd_frame()
    _same(kit.records(frame), _old_records(frame))
    _same(kit.records(frame), frame.to_dict("records"))
    for name in frame.columns:
        _same(kit.records(frame[[name]]), _old_records(frame[[name]]))
        _same(kit.records(frame[[name]].iloc[0:0]), _old_records(frame[[name]].iloc[0:0]))
    all_na = pd.DataFrame({"flag": pd.array([None, None], dtype="boolean")})
    _same(kit.records(all_na), _old_records(all_na))


def _old_special_price_refunds(policy, sales: pd.DataFrame) -> pd.DataFrame | None:
    if not policy.complaints.special_price_refund_is_exception:
        return None
    rows = []
    hits = sales[(sales["status"] == exceptions.REFUNDED) & (sales["category"] == exceptions.SPECIAL_PRICE)]
    for row in hits.to_dict("records"):
        amount: Any = row.get("amount")
        rows.append({
            "order_id": kit.text(row.get("order_id")),
            "customer_id": kit.text(row.get("customer_id")),
            "employee_id": kit.text(row.get("employee_id")),
            "order_date": kit.timestamp(row.get("order_date")),
            "amount": None if kit.is_blank(amount) else kit.half_up(Decimal(amount)),
            "note": exceptions.NOTE,
        })
    rows.sort(key=lambda r: (r["order_date"] or pd.Timestamp.min, r["order_id"] or ""))
    return pd.DataFrame({name: pd.Series([r[name] for r in rows],
                                         dtype="datetime64[ns]" if name == "order_date" else object)
                         for name in exceptions.EXCEPTION_COLUMNS})


_POLICY = SimpleNamespace(complaints=SimpleNamespace(special_price_refund_is_exception=True))


def _sales(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    pick = lambda *values: pd.Series(rng.choice(np.array(values, dtype=object), n), dtype=object)  # noqa: E731
    return pd.DataFrame({
        "order_id": pick("O1", "O2", "O2", None, 17, "<script>"),
        "order_date": pd.Series(pd.to_datetime(rng.choice(np.array(["2026-10-01", "2026-09-30T12:00", None],
                                                                   dtype=object), n), format="ISO8601")),
        "employee_id": pick("E1", None, float("nan"), "E2"),
        "customer_id": pick("K1", None),
        "amount": pick(Decimal("10.005"), Decimal("0.001"), Decimal("-3.335"), None, 12, 1.5, Decimal("1E+25")),
        "category": pick("special_price", "regular", None, float("nan"), "SPECIAL_PRICE"),
        "status": pick("refunded", "paid", None, "refunded "),
        "promo": pd.array(rng.choice(np.array([True, False, None], dtype=object), n), dtype="boolean"),
    }, index=rng.integers(0, 5, n))


@pytest.mark.parametrize("seed", range(6))
def test_special_price_refunds_as_before(seed):
    sales = _sales(300, seed)
    pd.testing.assert_frame_equal(exceptions.special_price_refunds(_POLICY, sales),
                                  _old_special_price_refunds(_POLICY, sales))
    empty = sales.iloc[0:0]
    pd.testing.assert_frame_equal(exceptions.special_price_refunds(_POLICY, empty),
                                  _old_special_price_refunds(_POLICY, empty))


def test_special_price_refunds_with_a_string_dtype_and_missing_columns():
    sales = _sales(200, 11)
    sales["category"] = sales["category"].astype("string")
    sales = sales.drop(columns=["customer_id"])
    pd.testing.assert_frame_equal(exceptions.special_price_refunds(_POLICY, sales),
                                  _old_special_price_refunds(_POLICY, sales))




# --- attendance: the month's Decimal sums per employee -------------------------------------------

def _old_summarise(employment: pd.DataFrame, days: pd.DataFrame, month_workdays: int,
                   scheduled: pd.DataFrame) -> pd.DataFrame:
    g = days.groupby("employee_id", sort=True)
    counts = pd.DataFrame({
        "scheduled_days": scheduled.groupby("employee_id", sort=True).size(),
        "present_days": g["present"].sum(),
        "late_count": g["late"].sum(),
        "late_minutes": g["late_minutes"].sum(),
        "early_count": g["early"].sum(),
        "missing_punches": g["missing_punch"].sum(),
    })
    amounts = pd.DataFrame({
        "absent_days": g["absent_share"].agg(attendance._dsum),
        "paid_leave_days": g["paid_leave_share"].agg(attendance._dsum),
        "unpaid_leave_days": g["unpaid_leave_share"].agg(attendance._dsum),
    }, dtype=object)
    summary = employment.drop(columns=["from", "to"]).merge(
        counts.join(amounts), how="left", left_on="employee_id", right_index=True)
    for column in counts.columns:
        summary[column] = summary[column].fillna(0).astype("int64")
    for column in amounts.columns:
        summary[column] = attendance._decimal_column(summary[column])
    summary["month_workdays"] = month_workdays
    extras = [c for c in attendance.SUMMARY_EXTRA_COLUMNS if c in summary.columns]
    return summary[[*attendance.SUMMARY_COLUMNS, *extras]].sort_values("employee_id", kind="stable") \
        .reset_index(drop=True)


def _month_days(n: int, seed: int, blank_ids: bool) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    ids = np.array(["E2", "E10", "E1", "E3", "E1 "] + ([None, float("nan")] if blank_ids else []), dtype=object)
    shares = np.array([Decimal(0), Decimal("0.5"), Decimal(1), Decimal("0.3333333333333333333333333333"),
                       Decimal("1E-30"), Decimal("-0.125"), Decimal("0.50")], dtype=object)
    emps = rng.choice(ids, n)
    days = pd.DataFrame({
        "employee_id": pd.Series(emps, dtype=object),
        "present": rng.random(n) < 0.8, "late": rng.random(n) < 0.2,
        "late_minutes": rng.integers(0, 30, n), "early": rng.random(n) < 0.1,
        "missing_punch": rng.random(n) < 0.05,
        "absent_share": pd.Series(rng.choice(shares, n), dtype=object),
        "paid_leave_share": pd.Series(rng.choice(shares, n), dtype=object),
        "unpaid_leave_share": pd.Series(rng.choice(shares, n), dtype=object),
    }, index=rng.integers(0, 3, n))
    people = ["E1", "E2", "E3", "E10", "E4", "E1 "]    # E4: employed, no day
    employment = pd.DataFrame({"employee_id": pd.Series(people, dtype=object), "name": people,
                               "from": pd.Timestamp("2026-10-01"), "to": pd.Timestamp("2026-10-31"),
                               "role": ["agent", None, "agent", "lead", "agent", "agent"]})
    scheduled = pd.DataFrame({"employee_id": pd.Series(rng.choice(np.array(people, dtype=object), 3 * n // 2),
                                                       dtype=object)})
    return employment, days, scheduled


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("blank_ids", [False, True])
def test_summary_sums_as_before(seed, blank_ids):
    employment, days, scheduled = _month_days(200, seed, blank_ids)
    new = attendance._summarise(employment, days, 22, scheduled)
    old = _old_summarise(employment, days, 22, scheduled)
    pd.testing.assert_frame_equal(new, old)
    for column in ("absent_days", "paid_leave_days", "unpaid_leave_days"):   # digits and all
        assert [str(v) for v in new[column]] == [str(v) for v in old[column]]


def test_summary_of_no_days():
    employment, days, scheduled = _month_days(50, 1, False)
    pd.testing.assert_frame_equal(attendance._summarise(employment, days.iloc[0:0], 22, scheduled),
                                  _old_summarise(employment, days.iloc[0:0], 22, scheduled))


# --- audit: the complaint register's due times by column -----------------------------------------

def _old_check_complaints(month, policy, complaints, calendars):
    from csbatch.errors import Issue, Source
    from csbatch.i18n import N_
    issues = []
    rule = complaint_rule(policy)
    categories = policy.complaints.categories
    entries = []
    for row in kit.records(complaints):
        received, resolved = kit.timestamp(row.get("received_at")), kit.timestamp(row.get("resolved_at"))
        due = sla = days = None
        if received is not None:
            if rule is not None:
                found = agreed_due(rule, row) or calendars.due(rule.due, period=month.period, start=received,
                                                               reference=received)
                due = pd.Timestamp(found) if found is not None else None
            if due is not None:
                sla = complaint_checks._AT_MONTH_END[status(due, resolved, as_of=month.end)]
            span = (resolved if resolved is not None else month.end) - received
            if span < pd.Timedelta(0):
                issues.append(Issue.warn(Source.of_row(row), "complaints.resolved_before_received",
                                         N_("complaint {complaint} is resolved before it was received (or "
                                            "received after the period): check the times"),
                                         complaint=kit.text(row.get("complaint_id"))))
            days = complaint_checks._days(span)
        loss: Any = row.get("loss_amount")
        category = kit.text(row.get("category"))
        entries.append({
            "complaint_id": kit.text(row.get("complaint_id")),
            "employee_id": kit.text(row.get("employee_id")),
            "category": category,
            "our_fault": complaint_checks._our_fault(row.get("our_fault")),
            "received_at": received,
            "resolved_at": resolved,
            "days_open": days,
            "sla_status": sla,
            "satisfied": None if kit.is_blank(row.get("satisfied")) else bool(row.get("satisfied")),
            "loss_amount": None if kit.is_blank(loss) else kit.half_up(Decimal(loss)),
            "customer_id": kit.text(row.get("customer_id")),
            "order_id": kit.text(row.get("order_id")),
            "description": None if kit.is_blank(row.get("description")) else str(row.get("description")),
            "category_name": categories[category].name if category in categories else None,
            "due_at": due,
        })
    entries.sort(key=lambda r: (r["complaint_id"] or "", r["received_at"] or pd.Timestamp.min))
    frame = pd.DataFrame({
        name: pd.Series([r[name] for r in entries],
                        dtype="datetime64[ns]" if name in ("received_at", "resolved_at", "due_at") else object)
        for name in complaint_checks.COMPLAINT_FRAME_COLUMNS})
    return frame, complaint_checks._by_category(frame, categories), issues


def _register(n: int, seed: int, unit: str = "ns") -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    base = pd.Timestamp("2026-10-01").value

    def instants(blank: float) -> pd.Series:
        ns = base + rng.integers(-5 * 86_400, 40 * 86_400, n) * 10**9 + rng.integers(0, 10**9, n)
        values = pd.Series(pd.to_datetime(ns, unit="ns")).astype(f"datetime64[{unit}]")
        return values.where(rng.random(n) >= blank)
    pick = lambda *values: pd.Series(rng.choice(np.array(values, dtype=object), n), dtype=object)  # noqa: E731
    flags = lambda: pd.array(rng.choice(np.array([True, False, None], dtype=object), n), dtype="boolean")  # noqa: E731
    return pd.DataFrame({
        "complaint_id": pick("C1", "C2", "C2", None, "<C3>", 4), "received_at": instants(0.1),
        "customer_id": pick("K1", None), "order_id": pick("O1", None, float("nan")),
        "employee_id": pick("E1", "E2", None), "category": pick("quality", "delivery", "service", None, "other"),
        "our_fault": flags(), "resolved_at": instants(0.3), "satisfied": flags(),
        "loss_amount": pick(Decimal("10.005"), Decimal("1E-9"), None, Decimal("-2.675"), 3),
        "description": pick("late again", None, "<b>bold</b>", ""), "agreed_deadline": instants(0.8),
        "customer_signed": flags(), "archived": flags(),
        "_file": "投诉.xlsx", "_sheet": "Sheet1", "_row": np.arange(2, n + 2),
    }, index=rng.integers(0, 4, n))


def _same_checks(new, old):
    pd.testing.assert_frame_equal(new[0], old[0])
    pd.testing.assert_frame_equal(new[1], old[1])
    assert [str(i) for i in new[2]] == [str(i) for i in old[2]]


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("unit", ["ns", "us", "s"])
def test_complaints_as_before(policy, seed, unit):
    month = kit.Month.of("2026-10")
    calendar, _ = WorkCalendar.build(policy.calendar, policy.schedule, {2026})
    register = _register(150, seed, unit)
    for cal in (calendar, None):
        _same_checks(complaint_checks.check_complaints(month, policy, register, Calendars(policy, cal, "2026-10")),
                     _old_check_complaints(month, policy, register, Calendars(policy, cal, "2026-10")))


def test_complaints_counted_in_workdays_or_without_received_as_before(policy, monkeypatch):
    month = kit.Month.of("2026-12")
    calendar, _ = WorkCalendar.build(policy.calendar, policy.schedule, {2026})
    register = _register(80, 5)
    rule = complaint_rule(policy)
    workdays = rule.model_copy(update={"due": rule.due.model_copy(update={"counting": "workdays"})})
    for asked in (rule, workdays, None):
        monkeypatch.setattr(complaint_checks, "complaint_rule", lambda _p, asked=asked: asked)
        monkeypatch.setitem(globals(), "complaint_rule", lambda _p, asked=asked: asked)
        _same_checks(complaint_checks.check_complaints(month, policy, register, Calendars(policy, calendar, "2026-12")),
                     _old_check_complaints(month, policy, register, Calendars(policy, calendar, "2026-12")))
    monkeypatch.undo()
    blank = register.assign(received_at=pd.Series(pd.NaT, index=register.index, dtype="datetime64[ns]"))
    as_text = register.assign(received_at=register["received_at"].astype(str).astype(object))
    for frame in (blank, register.iloc[0:0], as_text.where(as_text["received_at"] != "NaT", None)):
        _same_checks(complaint_checks.check_complaints(month, policy, frame, Calendars(policy, calendar, "2026-12")),
                     _old_check_complaints(month, policy, frame, Calendars(policy, calendar, "2026-12")))


# --- payroll: the order bonus's whole pay and agent's part from one set of pairs -----------------

@pytest.mark.parametrize("seed", range(5))
def test_order_bonus_pairs_give_per_distinct_pays(seed):
    rng = np.random.default_rng(seed)
    a, b = Decimal("48.3"), Decimal("48.30")          # equal, other digits: told apart by identity
    amounts_pool = [a, b, Decimal("0.001"), Decimal("1E+20"), Decimal("-12.345"), Decimal(0), Decimal("NaN")]
    amounts = [amounts_pool[k] for k in rng.integers(0, len(amounts_pool), 300)]
    half, also_half = Decimal("0.5"), Decimal("0.50")
    shares = [(half, also_half, Decimal(1), Decimal("0.333"))[k] for k in rng.integers(0, 4, 300)]
    share_codes, by_share = pay_orders.identities(shares)
    terms = [(s,) for s in by_share]
    rate = Decimal("0.015")
    old_wholes = pay_orders.per_distinct(lambda share, amount: rate * amount, share_codes, terms, amounts)
    old_codes, old_table = pay_orders.coded_per_distinct(lambda share, amount: rate * amount * share, share_codes,
                                                         terms, amounts)
    codes, firsts = pay_orders.distinct_pairs(share_codes, ids := pay_orders.identities(amounts))
    wholes = pay_orders._pay_table(lambda share, amount: rate * amount, firsts, share_codes, terms, ids)[codes]
    agents = pay_orders._pay_table(lambda share, amount: rate * amount * share, firsts, share_codes, terms, ids)
    np.testing.assert_array_equal(codes, old_codes)
    for new, old in ((wholes.tolist(), old_wholes), (agents[codes].tolist(), old_table[old_codes].tolist())):
        assert [(str(x), type(x)) for x in new] == [(str(y), type(y)) for y in old]
