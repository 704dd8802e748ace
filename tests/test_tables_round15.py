"""Issue 14 (round 15): the month's tables at a million orders.

- `_Worksheet._down_rows` makes each block's row numbers once (shared by its columns) and a per-row
  format column's style once per distinct format: the workbook must come out as writing every
  cell through `Workbook.cell` made it (sheet XML, shared strings, styles.xml byte for byte),
  across block edges, with blanks, formula-looking text and formats first shown in a later block.
- `by_person` and the audit page's per-rule counts make a row's dict for its first item only: the
  same rows as the old forms kept here, on blank, NaN, empty, numeric and duplicate keys."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csbatch.audit.deadline_checks import BY_PERSON_COLUMNS, STATUSES, by_person
from csbatch.blanks import is_blank
from csbatch.reports import audit_page, charts
from csbatch.reports import workbook as wb
from csbatch.reports.audit_workbook import DEADLINE_STATUS
from csbatch.reports.tables import Col, Table
from csbatch.reports.workbook import Workbook
from test_workbook_fast_columns import _cell_by_cell, _parts  # the form before issue 14, kept there

# --- the workbook's rows ----------------------------------------------------------------------


TABLE = Table("t", "Sheet", (
    Col("employee_id", "id", "employee id"), Col("note", "text", "note"), Col("pay", "money", "pay"),
    Col("points", "decimal", "points"), Col("n", "int", "count")))


def _same_as_cell_by_cell(tmp_path, frame: pd.DataFrame, tag: str) -> None:
    fast, slow = Workbook(tmp_path / f"fast{tag}.xlsx"), Workbook(tmp_path / f"slow{tag}.xlsx")
    fast.add_table_sheet(TABLE, frame, "en")
    _cell_by_cell(slow, TABLE, frame, "en")
    fast.close()
    slow.close()
    assert _parts(fast.path) == _parts(slow.path)


def test_blocks_formats_and_blanks_as_cell_by_cell(tmp_path, monkeypatch):
    monkeypatch.setattr(wb, "_DOWN_ROWS", 7)       # many blocks, edges everywhere
    n = 60
    frame = pd.DataFrame({
        "employee_id": [f"E{i % 9}" for i in range(n)],
        "note": [None if i % 7 == 3 else "=SUM(A1)" if i in (2, 40) else f"note {i % 5}" for i in range(n)],
        "pay": [Decimal(i) / 4 if i % 5 else None for i in range(n)],
        # decimal places 0..3, a new one (3 places) first shown in a late block; blanks between
        "points": [None if i % 6 == 1 else Decimal("1.125") if i == 50 else Decimal(i) / (2 if i % 2 else 1)
                   for i in range(n)],
        "n": [i if i % 11 else None for i in range(n)],
    })
    _same_as_cell_by_cell(tmp_path, frame, "")


_amounts = st.one_of(st.none(), st.just(float("nan")), st.just(Decimal("-0")), st.just(Decimal("0.00")),
                     st.decimals(min_value=-10**6, max_value=10**6, places=2),
                     st.decimals(min_value=-1000, max_value=1000, places=5))
_texts = st.one_of(st.none(), st.sampled_from(["", "=1+1", "-x", "&<>", " pad ", "_x0041_", "同"]), st.text(max_size=8))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(_texts, _amounts, _amounts, st.one_of(st.none(), st.integers(-5, 5))),
                     min_size=1, max_size=25))
def test_any_column_as_cell_by_cell(tmp_path, rows):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(wb, "_DOWN_ROWS", 4)
        frame = pd.DataFrame({
            "employee_id": [f"E{i}" for i in range(len(rows))],
            "note": [r[0] for r in rows], "pay": [r[1] for r in rows],
            "points": [r[2] for r in rows], "n": [r[3] for r in rows]}, dtype=object)
        _same_as_cell_by_cell(tmp_path, frame, str(abs(hash(repr(rows)))))


# --- the deadlines counted per person and per rule --------------------------------------------

def _by_person_before(deadlines: pd.DataFrame) -> pd.DataFrame:
    """`by_person` as it was before round 15 (a dict made for every item, kept or not)."""
    def column(name: str, fallback: str) -> list[Any]:
        return list(deadlines[name] if name in deadlines.columns else deadlines[fallback])

    order: dict[str, int] = {}
    counts: dict[tuple[str, str], dict[str, Any]] = {}
    for rule, rule_name, emp, name, state in zip(deadlines["rule"], column("rule_name", "rule"),
                                                  deadlines["employee_id"], column("employee_name", "employee_id"),
                                                  deadlines["status"]):
        if is_blank(emp) or str(emp) == "":
            continue
        order.setdefault(rule, len(order))
        row = counts.setdefault((str(emp), rule), dict(employee_id=str(emp), name=name, rule=rule,
                                                       rule_name=rule_name, **dict.fromkeys(STATUSES, 0), items=0))
        row["items"] += 1
        if state in STATUSES:
            row[state] += 1
    rows = sorted(counts.values(), key=lambda r: (r["employee_id"], order[r["rule"]]))
    return pd.DataFrame(rows, columns=list(BY_PERSON_COLUMNS))


def _by_rule_before(frame: pd.DataFrame) -> list[dict]:
    """The audit page's per-rule counts as `deadline_context` made them before round 15."""
    names = frame["rule_name"] if "rule_name" in frame.columns else frame["rule"]
    summary: dict[str, dict] = {}
    for rule, name, status in zip(frame["rule"], names, frame["status"]):
        row = summary.setdefault(rule, dict(rule=rule, name=name if not is_blank(name) else rule, total=0,
                                            **dict.fromkeys(DEADLINE_STATUS, 0)))
        row["total"] += 1
        if status in row:
            row[status] += 1
    return list(summary.values())


_ids = st.one_of(st.none(), st.just(float("nan")), st.just(""), st.sampled_from(["E1", "E2", "e1", " E1"]),
                 st.integers(1, 3))
_items = st.tuples(st.sampled_from(["r1", "r2", "r3"]), st.one_of(st.none(), st.just(float("nan")), st.just("规则"),
                                                                   st.sampled_from(["R1", "R2"])),
                   _ids, st.one_of(st.none(), st.just("张三"), st.just("<b>")),
                   st.sampled_from([*STATUSES, "other", None]))


@settings(max_examples=150, deadline=None)
@given(items=st.lists(_items, max_size=40), with_names=st.booleans())
def test_deadline_counts_as_before(items, with_names):
    frame = pd.DataFrame(items, columns=["rule", "rule_name", "employee_id", "employee_name", "status"], dtype=object)
    if not with_names:
        frame = frame.drop(columns=["rule_name", "employee_name"])
    old, new = _by_person_before(frame), by_person(frame)
    pd.testing.assert_frame_equal(old, new)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(charts, "deadlines_by_rule", lambda *a, **k: None)      # the counts, not the drawing
        context = audit_page.deadline_context(SimpleNamespace(deadlines=frame), "en", new)
    assert repr(context["by_rule"]) == repr(_by_rule_before(frame))
