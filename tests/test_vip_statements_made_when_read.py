"""A month's VIP statements are made when read (`csbatch.vip.members.Statements`), not held as a
dict per member: the result the VIP stage hands back carries its members and tasks frames and
little more per member. Read as a list, they are what the frames say; one read by index and
changed is the one rendered."""

from __future__ import annotations

import pickle
from dataclasses import replace

import pytest

from csbatch.blanks import is_blank
from csbatch.reports.vip_statements import render_statements
from test_vip import customer, inputs, order, run

PERIOD = "2026-10"


def _month(policy, n: int):
    """`n` customers who each get a silver card this month (one ¥68,800 order), all but the last
    ten born on 8 November (a birthday greeting next month); C0000's person also buys as C9999."""
    people = [customer(f"C{i:04d}", i + 1, birthday="1990-11-08" if i < n - 10 else "1990-03-07")
              for i in range(n)]
    people.append(customer("C9999", 1, birthday="1990-11-08"))      # C0000's person, a second id
    sales = [order(f"A{i:04d}", "2026-10-10", f"C{i:04d}", "68800") for i in range(n)]
    sales.append(order("A9999", "2026-10-11", "C9999", "1000"))
    result, _ = run(policy, PERIOD, inputs(policy, customers=people, sales=sales))
    return result


def test_the_result_holds_no_statement_dict_per_member(policy):
    result = _month(policy, 300)
    assert len(result.members) == 300 and len(result.statements) == 300
    held = len(pickle.dumps(result, protocol=5)) - len(pickle.dumps(replace(result, statements=[]), protocol=5))
    # a dict per member (its row's twenty-odd keys and values again, its tasks) pickled to ~445
    # bytes a member here (~770 at a million orders); what is held beside the frames, to ~150
    assert held < 300 * 300, held


def test_read_as_a_list_they_are_what_the_frames_say(policy):
    result = _month(policy, 40)
    made = list(result.statements)
    assert made == list(result.statements) and len(made) == len(result.members) == 40
    assert result.statements[-1] == made[-1] and result.statements[3:6] == made[3:6]
    assert repr(result.statements) == repr(made)
    with pytest.raises(IndexError):
        result.statements[40]
    tasks = result.tasks.to_dict("records")
    for row, statement in zip(result.members.to_dict("records"), made):
        assert {k: statement[k] for k in row} == {k: (None if is_blank(v) else v) for k, v in row.items()}
        ids = {row["customer_id"], "C9999"} if row["customer_id"] == "C0000" else {row["customer_id"]}
        assert statement["tasks"] == sorted(({k: t[k] for k in ("kind", "due_from", "due_to", "note")}
                                             for t in tasks if t["customer_id"] in ids),
                                            key=lambda t: (t["due_from"], t["kind"], t["note"]))
        assert statement["entries"][0]["kind"] == "issue"
    first = made[0]
    assert first["customer_id"] == "C0000" and [t["kind"] for t in first["tasks"]] == ["birthday"]
    assert [t["kind"] for t in made[-1]["tasks"]] == []


def test_a_statement_read_by_index_and_changed_is_the_one_rendered(policy, tmp_path):
    result = _month(policy, 3)
    result.statements[1]["name"] = "改过的名字"
    paths = render_statements(result, tmp_path / "a", PERIOD)
    assert "改过的名字" in paths[1].read_text(encoding="utf-8")
    del result.statements[2]["voucher_value"]
    with pytest.raises(Exception, match="voucher_value"):
        render_statements(result, tmp_path / "b", PERIOD)
