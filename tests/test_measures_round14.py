"""Round 14 (issue 14): the faster forms of the measured values and the deadline checks give what
the forms they replaced gave, kept here: `Feeds.add` (each employee's keys sliced from one gather),
`Month.holds` (a Timestamp compared as it is), the complaint due check and `missing_stages`
(records of only the columns they read)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.audit.complaints import missing_stages
from csbatch.audit.kit import Month, records, text, timestamp
from csbatch.blanks import is_blank
from csbatch.grouping import stable_order
from csbatch.policy.catalogues import COMPLAINT_STAGES
from csbatch.rules.due_calendars import Calendars, agreed_due, complaint_rule
from csbatch.rules.due_dates import status
from csbatch.scoring.measures_kit import Feeds, Period, _Fed, factorize_runs
from csbatch.scoring.measures_service import _within_due

WHO = ["E1", "E2", "E3", "日本", "<b>x</b>"]


class _OldFeeds(Feeds):
    """`Feeds.add` as it was: one gather of the keys (and notes) per employee."""

    def add(self, measures, rows, by="employee_id", note=""):  # type: ignore[no-untyped-def]
        if not self.who or rows.empty:
            return
        keys = rows[by] if isinstance(by, str) else pd.Series(np.asarray(by, dtype=object), index=rows.index)
        mine = keys.isin(self.who).to_numpy(dtype=bool)
        if not mine.any():
            return
        notes = note if isinstance(note, str) else np.asarray(note, dtype=object)[mine]
        fed, order = self._keys(rows, mine, notes)
        unique = pd.Index(fed).is_unique
        codes, emps = pd.factorize(keys[mine].to_numpy(dtype=object)[order], sort=False)
        order = order[np.argsort(codes, kind="stable")]
        sizes = np.bincount(codes, minlength=len(emps))
        ends = np.cumsum(sizes)
        names = [measures] if isinstance(measures, str) else list(measures)
        for emp, start, end in zip(emps, (ends - sizes).tolist(), ends.tolist()):
            at = order[start:end]
            part = _Fed(fed[at], notes if isinstance(notes, str) else notes[at], unique)
            for m in names:
                self.parts[(str(emp), m)].append(part)


_cells = st.sampled_from([*WHO, "X9", None, np.nan])
_files = st.sampled_from(["a.xlsx", "b.csv", "a b!row 3.xlsx", None, ""])
_sheets = st.sampled_from(["S1", "S2", None])
_numbers = st.one_of(st.none(), st.integers(min_value=1, max_value=9))
_notes = st.sampled_from(["", "late", "on time", "!row 5", "<script>"])


@st.composite
def _frames(draw) -> tuple[pd.DataFrame, Any]:
    n = draw(st.integers(min_value=0, max_value=30))
    plain = draw(st.booleans())
    numbers = [draw(st.integers(min_value=1, max_value=9)) if plain else draw(_numbers) for _ in range(n)]
    rows = pd.DataFrame({
        "employee_id": pd.Series([draw(_cells) for _ in range(n)], dtype=object),
        "_file": pd.Series([draw(_files) for _ in range(n)], dtype=object),
        "_sheet": pd.Series([draw(_sheets) for _ in range(n)], dtype=object),
        "_row": np.array(numbers, dtype=np.int64) if plain else pd.array(numbers, dtype="Int64"),
    }, index=pd.Index(draw(st.permutations(range(n))), dtype=np.int64))
    note = draw(st.one_of(_notes, st.lists(_notes, min_size=n, max_size=n)))
    return rows, note


def _parts(feeds: Feeds) -> dict:
    return {key: [(p.keys.tolist(), p.note if isinstance(p.note, str) else p.note.tolist(), p.unique)
                  if isinstance(p, _Fed) else p for p in parts] for key, parts in feeds.parts.items()}


@settings(max_examples=200, deadline=None)
@given(st.lists(_frames(), min_size=1, max_size=4), st.booleans())
def test_feeds_add_keeps_the_parts_the_per_employee_gather_kept(adds, by_series):
    new, old = Feeds(frozenset(WHO)), _OldFeeds(frozenset(WHO))
    for k, (rows, note) in enumerate(adds):
        names: Any = "m" if k % 2 else ["m", f"n{k}"]
        by: Any = rows["employee_id"].to_numpy(dtype=object)[::-1].copy() if by_series else "employee_id"
        new.add(names, rows, by=by, note=note)
        old.add(names, rows, by=by, note=note)
    assert _parts(new) == _parts(old)
    assert new.exact == old.exact and new.words == old.words
    assert {k: list(v) for k, v in new.result().items()} == {k: list(v) for k, v in old.result().items()}


_instants = st.one_of(
    st.datetimes(min_value=dt.datetime(2026, 9, 20), max_value=dt.datetime(2026, 11, 10)),
    st.dates(min_value=dt.date(2026, 9, 20), max_value=dt.date(2026, 11, 10)),
)


@settings(max_examples=300, deadline=None)
@given(_instants, st.sampled_from(["ts", "dt", "str", "np"]))
def test_month_holds_as_it_did_through_pd_timestamp(when, form):
    month = Month.of("2026-10")
    value: Any = {"ts": pd.Timestamp(when), "dt": when, "str": str(when),
                  "np": np.datetime64(pd.Timestamp(when))}[form]
    assert month.holds(value) == (month.start <= pd.Timestamp(value) < month.end)


def test_month_holds_at_the_edges():
    month = Month.of("2026-10")
    for value, inside in ((pd.Timestamp("2026-10-01"), True), (pd.Timestamp("2026-09-30 23:59:59.999999999"), False),
                          (pd.Timestamp("2026-11-01"), False), (pd.Timestamp("2026-10-31 23:59:59"), True),
                          (pd.Timestamp("2026-10-01").as_unit("s"), True)):
        assert month.holds(value) is inside
        assert (month.start <= pd.Timestamp(value) < month.end) is inside


def _old_within_due(ctx, rows: pd.DataFrame) -> np.ndarray:
    """`_within_due` as it was: records of every column."""
    rule = complaint_rule(ctx.policy)
    if rule is None or rows.empty:
        return np.zeros(len(rows), dtype=bool)
    calendars = Calendars(ctx.policy, None, ctx.period.code)
    within = []
    for row in rows.to_dict("records"):
        received: Any = row.get("received_at")
        resolved = row.get("resolved_at")
        due = None if is_blank(received) else (
            agreed_due(rule, row) or calendars.due(rule.due, period=ctx.period.code, start=pd.Timestamp(received),
                                                   reference=received))
        within.append(due is not None and is_blank(resolved)
                      and status(due, None, as_of=ctx.period.end) == "open")
    return np.asarray(within, dtype=bool)


_moments = st.one_of(st.none(), st.datetimes(min_value=dt.datetime(2026, 10, 1), max_value=dt.datetime(2026, 11, 3)))


@st.composite
def _complaints(draw) -> pd.DataFrame:
    n = draw(st.integers(min_value=0, max_value=12))
    frame = pd.DataFrame({
        "complaint_id": pd.Series([draw(st.sampled_from(["C1", "C1", "C2", None, "<i>", ""])) for _ in range(n)],
                                  dtype=object),
        "employee_id": pd.Series([draw(st.sampled_from(["E1", None, "日本"])) for _ in range(n)], dtype=object),
        "category": pd.Series([draw(st.sampled_from(["service", "wrong_explanation", "nope", None]))
                               for _ in range(n)], dtype=object),
        "received_at": pd.Series([draw(_moments) for _ in range(n)], dtype="datetime64[ns]"),
        "resolved_at": pd.Series([draw(_moments) for _ in range(n)], dtype="datetime64[ns]"),
        "loss_amount": pd.Series([draw(st.sampled_from([None, Decimal("1.005"), Decimal("1E+30")]))
                                  for _ in range(n)], dtype=object),
        "description": pd.Series([draw(st.sampled_from([None, "x", " "])) for _ in range(n)], dtype=object),
        "_file": "c.xlsx", "_sheet": "S", "_row": np.arange(2, n + 2, dtype=np.int64),
    })
    if draw(st.booleans()):
        frame["agreed_deadline"] = pd.Series([draw(_moments) for _ in range(n)], dtype="datetime64[ns]")
    for stage in COMPLAINT_STAGES:
        if draw(st.booleans()):
            frame[stage] = pd.array([draw(st.sampled_from([True, False, None])) for _ in range(n)], dtype="boolean")
    return frame


@settings(max_examples=100, deadline=None)
@given(_complaints())
def test_within_due_reads_only_its_columns_and_finds_the_same(policy, frame):
    ctx = SimpleNamespace(policy=policy, period=Period.of("2026-10"))
    assert _within_due(ctx, frame).tolist() == _old_within_due(ctx, frame).tolist()  # type: ignore[arg-type]


def _old_missing_stages_rows(policy, complaints: pd.DataFrame) -> list[dict]:
    """The rows `missing_stages` found, as it found them: records of every column."""
    kept = [s for s in COMPLAINT_STAGES if s in complaints.columns and not complaints[s].isna().all()]
    categories = policy.complaints.categories
    rows = []
    for row in records(complaints):
        category = categories.get(text(row.get("category")) or "")
        if category is None or timestamp(row.get("resolved_at")) is None:
            continue
        missing = [s for s in COMPLAINT_STAGES if s in category.stages and s in kept
                   and (is_blank(row.get(s)) or not bool(row.get(s)))]
        if missing:
            rows.append({"complaint_id": text(row.get("complaint_id")), "employee_id": text(row.get("employee_id")),
                         "category": text(row.get("category")), "category_name": category.name,
                         "resolved_at": timestamp(row.get("resolved_at")), "missing": " ".join(missing)})
    rows.sort(key=lambda r: r["complaint_id"] or "")
    return rows


@settings(max_examples=100, deadline=None)
@given(_complaints())
def test_missing_stages_reads_only_its_columns_and_finds_the_same(policy, frame):
    found = missing_stages(policy, frame)
    old = _old_missing_stages_rows(policy, frame)
    assert len(found) == len(old)
    assert found["complaint_id"].tolist() == [r["complaint_id"] for r in old]
    assert found["missing"].tolist() == [r["missing"] for r in old]
    assert [None if pd.isna(v) else v for v in found["resolved_at"]] == [r["resolved_at"] for r in old]


def test_feeds_parts_are_slices_that_outlive_the_add():
    """Each employee's part is a view of one array per `add`: a later `add` leaves it as it was."""
    feeds = Feeds(frozenset(["E1", "E2"]))
    rows = pd.DataFrame({"employee_id": ["E2", "E1", "E2"], "_file": "f.xlsx", "_sheet": "S",
                         "_row": np.array([4, 2, 3], dtype=np.int64)})
    feeds.add("m", rows)
    before = {k: [p.keys.copy() for p in v if isinstance(p, _Fed)] for k, v in feeds.parts.items()}
    feeds.add("m", rows.assign(_row=np.array([9, 8, 7], dtype=np.int64)))
    for key, keys in before.items():
        assert [p.keys.tolist() for p in feeds.parts[key][:len(keys)] if isinstance(p, _Fed)] == \
            [k.tolist() for k in keys]
    assert dict(defaultdict(list, {k: list(v) for k, v in feeds.result().items()})) == {
        ("E1", "m"): ["f.xlsx[S]!row 2", "f.xlsx[S]!row 8"],
        ("E2", "m"): ["f.xlsx[S]!row 3", "f.xlsx[S]!row 4", "f.xlsx[S]!row 7", "f.xlsx[S]!row 9"]}


_odd = st.sampled_from(["a.xlsx", "b.xlsx", "", " ", None, np.nan, pd.NA, Decimal("NaN"), Decimal("1"), 1, 1.0,
                        True, "日本", "a.xlsx "])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_odd, st.integers(min_value=1, max_value=40)), max_size=12))
def test_factorize_runs_gives_what_pd_factorize_gives(runs):
    values = np.array([v for v, n in runs for _ in range(n)], dtype=object)
    codes, uniques = factorize_runs(values)
    plain_codes, plain_uniques = pd.factorize(values)
    assert codes.tolist() == plain_codes.tolist()
    assert [repr(u) for u in uniques] == [repr(u) for u in plain_uniques]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), max_size=200), st.booleans())
def test_stable_order_is_the_stable_argsort(codes, many):
    array = np.array(codes, dtype=np.intp)
    distinct = 40_000 if many else 41
    assert stable_order(array, distinct).tolist() == np.argsort(array, kind="stable").tolist()
