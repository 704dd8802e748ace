"""Round 19 (issue 14): cells coded by object identity (`grouping.identity_codes`) give what
`grouping.identities` gives; `dsum` and `filled`, which now ask blankness once per distinct
object, give what their round-18 forms (kept here) gave."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.grouping import exact_sums, identities, identity_codes
from csbatch.scoring.measures_kit import ZERO, dsum, filled
from test_measures_round15 import _outcome, _same  # Series compared value by value, type and repr
from test_stages_round15 import _register  # a complaint register of odd cells, its instants in any unit

_objects = st.sampled_from([
    Decimal("48.3"), Decimal("48.30"), Decimal("NaN"), Decimal("sNaN"), Decimal("-0"), Decimal("1E-28"),
    Decimal("1E+30"), None, np.nan, pd.NA, pd.NaT, "", " ", "<b>x</b>", 3, 2.5, (1, 2), [3], "日本",
])


def _array(cells: list[Any]) -> np.ndarray:
    out = np.empty(len(cells), dtype=object)
    for at, cell in enumerate(cells):
        out[at] = cell
    return out


def _shared(cells: list[Any], share: bool) -> list[Any]:
    """Equal-looking cells made one object, as the reader hands them (or each its own copy)."""
    if not share:
        return cells
    first: dict[str, Any] = {}
    return [first.setdefault(repr(c), c) for c in cells]


@settings(max_examples=300, deadline=None)
@given(st.lists(_objects, max_size=40), st.booleans(), st.integers(min_value=1, max_value=3))
def test_identity_codes_are_identities(cells, share, step):
    cells = _shared(cells, share)
    array = _array(cells)[::step]          # a strided view (a row of a frame's 2-D block) too
    codes, distinct = identity_codes(array)
    old_codes, old_distinct = identities(array.tolist())
    assert codes.tolist() == old_codes.tolist()
    assert len(distinct) == len(old_distinct) and all(a is b for a, b in zip(distinct.tolist(), old_distinct))


def test_identity_codes_of_nothing():
    codes, distinct = identity_codes(np.empty(0, dtype=object))
    assert codes.tolist() == [] and distinct.tolist() == []


def _round18_dsum(values: pd.Series, keys: Any) -> pd.Series:
    """`dsum` before round 19: `pd.isna` of every cell, the kept cells coded by `identities`."""
    cells, owners = values.to_numpy(dtype=object), np.asarray(keys, dtype=object)
    kept = np.flatnonzero(~(pd.isna(cells) | pd.isna(owners)))
    if not len(kept):
        return pd.Series([], dtype=object)
    codes, uniques = pd.factorize(owners[kept])
    summed = cells[kept].tolist()
    sums = exact_sums(codes, len(uniques), summed)
    if sums is None:
        sums = [ZERO] * len(uniques)
        for at, cell in zip(codes.tolist(), summed):
            sums[at] += cell
    return pd.Series(sums, index=pd.Index(uniques), dtype=object, name=values.name)


_amounts = st.sampled_from([
    Decimal("48.3"), Decimal("48.30"), Decimal("0.001"), Decimal("-0.001"), Decimal("1E+30"), Decimal("1E-28"),
    Decimal("2E-28"), Decimal("1E-30"), Decimal("-0"), Decimal("0.00"), Decimal("99999999999999999999999999.99"),
    Decimal("NaN"), Decimal("Infinity"), None, np.nan, pd.NA, pd.NaT, 3, 2.5, Decimal("-48.3"), Decimal(2) ** 70,
])
_owners = st.sampled_from(["E1", "E2", "日本", "<b>x</b>", None, np.nan, pd.NA, 1, "1"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_amounts, _owners), max_size=40), st.booleans())
def test_dsum_is_the_round18_dsum(rows, share):
    values = pd.Series(_shared([a for a, _ in rows], share), dtype=object, name="amount")
    keys = np.array([o for _, o in rows], dtype=object)
    _same(_outcome(dsum, values, keys), _outcome(_round18_dsum, values, keys))


def test_dsum_of_tiny_exponents_only():
    """Every amount at exponent -28: the integer path declines (the unused blanks' place holds 0's
    exponent) and the loop answers, as before."""
    tiny = Decimal("1E-28")
    values = pd.Series([tiny, None, tiny, Decimal("NaN")], dtype=object)
    _same(dsum(values, ["E1", "E1", "E2", "E2"]), _round18_dsum(values, ["E1", "E1", "E2", "E2"]))


def _round18_filled(values: pd.Series) -> np.ndarray:
    """`filled` before round 19: each cell that is not blank asked whether it holds a text."""
    cells = values.to_numpy(dtype=object)
    out = ~pd.isna(cells)
    at = np.flatnonzero(out)
    if len(at):
        out[at] = [not (text := str(v)).isspace() and text != "" for v in cells[at]]
    return out


_texts = st.sampled_from(["", " ", "\u3000", "\t\n", "x", " x ", "<script>", "日本", None, np.nan, pd.NA, pd.NaT,
                          Decimal("NaN"), Decimal("0"), 0, 1.5, True])


@settings(max_examples=200, deadline=None)
@given(st.lists(_texts, min_size=1, max_size=12), st.integers(min_value=0, max_value=3000), st.booleans(),
       st.booleans())
def test_filled_is_the_round18_filled(kinds, n, share, strided):
    """Columns of few objects repeated (asked per object), of many (asked per cell), and short."""
    cells = [kinds[i % len(kinds)] for i in range(n)]
    if not share:                       # each text its own object: coded, then asked per cell
        cells = ["".join(list(c)) if isinstance(c, str) else c for c in cells]
    array = _array(cells)
    values = pd.Series(array[::2] if strided else array, dtype=object)
    assert filled(values).tolist() == _round18_filled(values).tolist()


def test_filled_of_distinct_texts_after_repeated_ones():
    """The first cells decide the way only: either way gives the same answer."""
    cells = [" "] * 300 + [f"{k} " if k % 3 else " " * (k % 5) for k in range(3000)]
    values = pd.Series(cells, dtype=object)
    assert filled(values).tolist() == _round18_filled(values).tolist()


# ---------------------------------------------------------------------------------------------
# the row rules' due times for the whole column (`deadline_checks._after_dues`)


def _judged_rows(policy, frame: pd.DataFrame, calendar, period: str, rule=None, per_row: bool = False):
    import csbatch.audit.deadline_checks as dc
    from csbatch.audit.kit import Month, People
    from csbatch.rules.due_calendars import Calendars

    rule = rule or policy.deadlines["complaint_resolution"]
    people = People((), {}, {}, {}, {})
    context = dc._Context("complaint_resolution", rule, frame, Month.of(period), people,
                          Calendars(policy, calendar, period), policy, [])
    before = dc._after_dues
    if per_row:                 # the form before round 19: `calendars.due` asked by each row
        dc._after_dues = lambda _c: None
    try:
        items = list(dc._each_row(context))
    except Exception as e:      # (an instant beyond the bounds: both fail alike)
        items = [type(e)]
    finally:
        dc._after_dues = before
    return [repr(i) if not isinstance(i, type) else i for i in items] + \
        [(i.due.unit, None if i.done is None else i.done.unit) for i in items if not isinstance(i, type)], \
        [str(i) for i in context.issues]


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("unit", ["ns", "us", "ms", "s"])
def test_row_rule_dues_as_each_row_asked(policy, seed, unit):
    from csbatch.calendar import WorkCalendar

    calendar, _ = WorkCalendar.build(policy.calendar, policy.schedule, {2026})
    frame = _register(120, seed, unit)
    for cal in (calendar, None):
        assert _judged_rows(policy, frame, cal, "2026-10") == \
            _judged_rows(policy, frame, cal, "2026-10", per_row=True)


def test_row_rule_dues_at_the_edges(policy):
    from csbatch.calendar import WorkCalendar

    calendar, _ = WorkCalendar.build(policy.calendar, policy.schedule, {2026})
    frame = _register(40, 7, "ns")
    rule = policy.deadlines["complaint_resolution"]
    workdays = rule.model_copy(update={"due": rule.due.model_copy(update={"counting": "workdays"})})
    blank = frame.assign(received_at=pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]"))
    as_text = frame.assign(received_at=frame["received_at"].astype(str).astype(object))
    late = frame.assign(received_at=pd.Series([pd.Timestamp("2262-04-10")] * len(frame), index=frame.index))
    old = frame.assign(received_at=frame["received_at"] - pd.Timedelta(days=365 * 60))      # before 1970
    for data, asked in ((frame, workdays), (blank, rule), (frame.iloc[0:0], rule), (late, rule), (old, rule),
                        (as_text.where(as_text["received_at"] != "NaT", None), rule)):
        assert _judged_rows(policy, data, calendar, "2026-10", asked) == \
            _judged_rows(policy, data, calendar, "2026-10", asked, per_row=True)


# ---------------------------------------------------------------------------------------------
# People.build: the columns read as records, whole days of leave asked per share object


def _round18_people(summary: pd.DataFrame, roster: pd.DataFrame | None, days: pd.DataFrame | None):
    """`People.build` before round 19 (every column through `to_dict`, each day's share asked)."""
    import datetime as dt

    from csbatch.audit.kit import People, text, timestamp
    from csbatch.blanks import is_blank

    names: dict[str, str] = {}
    teams: dict[str, str] = {}
    roles: dict[str, str] = {}
    employed: dict[str, tuple[dt.date | None, dt.date | None]] = {}
    leads: set[str] = set()
    if roster is not None:
        for row in roster.to_dict("records"):
            emp = text(row.get("employee_id"))
            if emp is None:
                continue
            for mapping, column in ((names, "name"), (teams, "team"), (roles, "role")):
                value = text(row.get(column))
                if value is not None:
                    mapping[emp] = value
            hired, left = timestamp(row.get("hire_date")), timestamp(row.get("leave_date"))
            employed[emp] = (hired.date() if hired is not None else None, left.date() if left is not None else None)
            if not is_blank(row.get("team_lead")) and bool(row.get("team_lead")):
                leads.add(emp)
    month = []
    for row in summary.to_dict("records"):
        emp = text(row.get("employee_id"))
        if emp is None:
            continue
        month.append(emp)
        for mapping, column in ((names, "name"), (roles, "role")):
            value = text(row.get(column))
            if value is not None:
                mapping[emp] = value
    on_leave: set[tuple[str, dt.date]] = set()
    if days is not None and {"employee_id", "date", "leave_share"} <= set(days.columns):
        whole = [i for i, share in enumerate(days["leave_share"].tolist()) if not is_blank(share) and share >= 1]
        for emp, day in zip(days["employee_id"].iloc[whole], days["date"].iloc[whole]):
            on_leave.add((str(emp), pd.Timestamp(day).date()))
    return People(tuple(month), names, teams, roles, employed, frozenset(leads), frozenset(on_leave))


def _shown(people) -> list[Any]:
    return [repr(people.month), sorted((k, type(v).__name__, v) for k, v in people.names.items()),
            sorted(people.teams.items()), sorted(people.roles.items()),
            sorted((k, repr(v)) for k, v in people.employed.items()), sorted(people.leads), sorted(map(repr, people.on_leave))]


_ids = st.sampled_from(["E1", "E2", "日本", "<b>x</b>", None, np.nan, 7, "7", ""])
_words = st.sampled_from(["A", "", " ", None, np.nan, pd.NA, 3, "<i>"])
_dates = st.sampled_from([pd.Timestamp("2026-10-01"), pd.Timestamp("1960-02-29 13:00"), pd.NaT])
_leads = st.sampled_from([True, False, None])
_shares = st.sampled_from([Decimal("1"), Decimal("1.00"), Decimal("0.5"), Decimal("0"), Decimal("NaN"), None, np.nan,
                           1, 1.0, 2, 0.25, Decimal("1E+1")])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_ids, _words, _words, _words, _dates, _dates, _leads), max_size=12),
       st.lists(st.tuples(_ids, _words, _words), max_size=12),
       st.lists(st.tuples(_ids, _dates, _shares), max_size=60), st.booleans(), st.booleans())
def test_people_build_is_the_round18_build(roster_rows, summary_rows, day_rows, share, extra):
    from csbatch.audit.kit import People

    roster = pd.DataFrame({
        "employee_id": pd.Series([r[0] for r in roster_rows], dtype=object),
        "name": pd.Series([r[1] for r in roster_rows], dtype=object),
        "team": pd.Series([r[2] for r in roster_rows], dtype=object),
        "role": pd.Series([r[3] for r in roster_rows], dtype=object),
        "hire_date": pd.Series([r[4] for r in roster_rows], dtype="datetime64[ns]"),
        "leave_date": pd.Series([r[5] for r in roster_rows], dtype="datetime64[ns]"),
        "team_lead": pd.array([r[6] for r in roster_rows], dtype="boolean"),
    })
    if extra:       # columns nobody reads, and a text team_lead
        roster = roster.assign(phone="x", base_salary=Decimal("1.5"),
                               team_lead=roster["team_lead"].astype(object).where(roster["team_lead"].notna(), "是"))
    summary = pd.DataFrame({"employee_id": pd.Series([r[0] for r in summary_rows], dtype=object),
                            "name": pd.Series([r[1] for r in summary_rows], dtype=object),
                            "role": pd.Series([r[2] for r in summary_rows], dtype=object),
                            "scheduled_days": 20})
    days = pd.DataFrame({"employee_id": pd.Series([r[0] for r in day_rows], dtype=object),
                         "date": pd.Series([r[1] for r in day_rows], dtype="datetime64[ns]"),
                         "leave_share": pd.Series(_shared([r[2] for r in day_rows], share), dtype=object)})
    for given_roster, given_days in ((roster, days), (None, None), (roster.iloc[0:0], days.iloc[0:0])):
        new = _outcome(People.build, summary, given_roster, given_days)
        old = _outcome(_round18_people, summary, given_roster, given_days)
        assert (new if isinstance(new, type) else _shown(new)) == (old if isinstance(old, type) else _shown(old))
