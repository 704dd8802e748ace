"""Issue 14: a close checks the ledger at a cost flat in the months it holds. The ledger logs every
change csbatch did not make itself (csbatch.ledger.guard); a close recomputes the digests only when
that log holds something, and then refuses with the messages of before. Each test closes months
through the ledger's own write path, edits the file with the sqlite3 module as an admin would, and
opens it as the close does (`open_ledger_checked`)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from csbatch.ledger import digests, guard
from csbatch.ledger.opening import open_ledger_checked
from csbatch.ledger.store import Ledger, NewClose

MONTHS = ("2026-08", "2026-09", "2026-10")


def _close(ledger: Ledger, close_id: str, period: str, folder: Path) -> None:
    pay = pd.DataFrame([["E1", "base", "2100.00", ""], ["E2", "commission", "80.50", ""]],
                       columns=["employee_id", "component", "amount", "reason"])
    orders = pd.DataFrame([[f"MD{period[2:4]}{period[5:]}0000{n}", "E1", "commission", f"{n}.25"] for n in range(1, 4)],
                          columns=["order_id", "employee_id", "component", "amount"])
    results = pd.DataFrame([["E1", "service_center", "96", "A", 1, True]],
                           columns=["employee_id", "scorecard", "total", "grade", "rank", "rated"])
    ledger.record_close(NewClose(close_id, period, folder, folder / f".{period}.partial", {}, pay, orders, results))
    ledger.mark_published(close_id)


def _sql(path: Path, *statements: str) -> list:
    """Statements run as an admin would in the sqlite3 shell (no csbatch involved); the last one's rows."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        return [conn.execute(statement).fetchall() for statement in statements][-1]
    finally:
        conn.close()


def _log(path: Path) -> list:
    return _sql(path, f"SELECT tbl, op FROM {guard.LOG} ORDER BY id")


@pytest.fixture
def three_months(tmp_path) -> Path:
    """A ledger with three closed months, checked once since (its log empty)."""
    path = tmp_path / "l.sqlite"
    ledger = Ledger(path)
    for n, period in enumerate(MONTHS):
        _close(ledger, f"close{n}", period, tmp_path)
    ledger.close()
    opened, issues = open_ledger_checked(path, "test")
    assert issues == [] and opened is not None
    opened.close()
    assert _log(path) == []
    return path


def _refusal(path: Path) -> list[str]:
    opened, issues = open_ledger_checked(path, "test")
    assert opened is None
    return [str(i) for i in issues]


OLD = "(SELECT key FROM ledger_keys WHERE text = 'close0')"


@pytest.mark.parametrize("table, edit", [
    # through the view, as before migration 7
    ("order_pay", "UPDATE order_pay SET amount = '999.25' WHERE close_id = 'close0' AND amount = '1.25'"),
    ("order_pay", "DELETE FROM order_pay WHERE close_id = 'close0' AND amount = '2.25'"),
    ("order_pay", "INSERT INTO order_pay VALUES ('close0', 'FAKE-1', 'E1', 'commission', '80000')"),
    # the compact base table under it
    ("order_pay", f"UPDATE order_pay_rows SET amount = amount + 800 WHERE owner = {OLD}"),
    ("order_pay", f"DELETE FROM order_pay_rows WHERE owner = {OLD}"),
    ("order_pay", f"INSERT INTO order_pay_rows SELECT owner, order_ref + 3200, component, employee_ref, dup, amount "
                  f"FROM order_pay_rows WHERE owner = {OLD} LIMIT 1"),
    # row tables
    ("pay_lines", "UPDATE pay_lines SET amount = '9100.00' WHERE close_id = 'close0' AND employee_id = 'E1'"),
    ("pay_lines", "DELETE FROM pay_lines WHERE close_id = 'close0' AND employee_id = 'E2'"),
    ("pay_lines", "INSERT INTO pay_lines VALUES ('close0', 'E3', 'bonus', '5000.00', '')"),
    # a row put over a digested one by its rowid, under a close the ledger does not hold
    ("pay_lines", "INSERT OR REPLACE INTO pay_lines (rowid, close_id, employee_id, component, amount) "
                  "SELECT MIN(rowid), 'nobody', 'E1', 'base', '1.00' FROM pay_lines WHERE close_id = 'close0'"),
    ("results", "UPDATE results SET grade = 'C' WHERE close_id = 'close0'"),
    ("closes", "UPDATE closes SET closed_by = 'someone@else' WHERE close_id = 'close0'"),
    # the digests themselves
    ("order_pay", "UPDATE digests SET sha256 = 'x' WHERE owner = 'close0' AND part = 'order_pay'"),
    ("order_pay", "INSERT OR REPLACE INTO digests SELECT owner, period, part, rows + 1, sha256 FROM digests "
                  "WHERE owner = 'close0' AND part = 'order_pay'"),
])
def test_an_outside_change_two_closes_back_is_refused_by_the_next_close(three_months, table, edit):
    _sql(three_months, edit)
    assert _log(three_months) != []
    refused = _refusal(three_months)
    assert any(f"table {table}, 2026-08: " in m and "changed outside csbatch" in m for m in refused), refused
    # the messages are those of the full check (`ledger verify`), as before
    ledger = Ledger(three_months)
    assert [str(i) for i in ledger.verify()[0]] == refused
    ledger.close()
    assert _refusal(three_months) == refused       # refused again: the log is kept until the ledger is intact


def test_a_deleted_digest_or_close_is_refused_as_before(three_months):
    _sql(three_months, "DELETE FROM digests WHERE owner = 'close0' AND part = 'results'")
    assert any("table results, 2026-08: " in m and "has no digest" in m for m in _refusal(three_months))


def test_a_close_writes_its_rows_with_the_insert_triggers_lifted_and_leaves_them_in_place(three_months, tmp_path):
    triggers = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    schema = _sql(three_months, triggers)
    ledger = Ledger(three_months)
    _close(ledger, "close3", "2026-11", tmp_path)
    ledger.close()
    assert _sql(three_months, triggers) == schema
    assert _log(three_months) == []
    _sql(three_months, "INSERT INTO pay_lines VALUES ('close3', 'E3', 'bonus', '5000.00', '')")
    assert any("table pay_lines, 2026-11: " in m for m in _refusal(three_months))


def test_csbatchs_own_writes_leave_the_log_empty(three_months, tmp_path):
    ledger = Ledger(three_months)
    (tmp_path / "2026-10").mkdir()
    ledger.reopen("2026-10", "a fix", tmp_path)                        # UPDATE closes, INSERT reopenings
    assert _log(three_months) == []
    _close(ledger, "close3", "2026-10", tmp_path)                      # a re-close: digests, publishing
    assert _log(three_months) == []
    ledger.import_purchases("import-1", "h.xlsx", "s", pd.DataFrame({
        "period": ["2026-05"], "customer_id": ["K1"], "store_type": ["modern"], "category": ["regular"],
        "order_id": ["H1"], "order_date": pd.to_datetime(["2026-05-10"]), "amount": ["400.00"]}))
    assert _log(three_months) == []
    ledger.close()
    opened, issues = open_ledger_checked(three_months, "test")
    assert issues == [] and opened is not None
    opened.close()


def test_the_close_recomputes_no_digest_while_the_log_is_empty(three_months, monkeypatch):
    computed: list[str] = []
    compute = digests.compute
    monkeypatch.setattr(digests, "compute", lambda conn, part, owner: computed.append(part) or compute(conn, part, owner))

    def check() -> list[str]:
        computed.clear()
        opened, issues = open_ledger_checked(three_months, "test")
        assert issues == [] and opened is not None
        opened.close()
        return list(computed)

    assert check() == []
    # an outside change that changes nothing: every digest recomputed once, found intact, log emptied
    _sql(three_months, "UPDATE closes SET closed_by = closed_by")
    assert len(check()) == len(MONTHS) * len(digests.CLOSE_PARTS)
    assert _log(three_months) == []
    assert check() == []
    # a trigger dropped: a change; the check recomputes, finds the ledger intact and makes it again
    _sql(three_months, "DROP TRIGGER outside_pay_lines_update")
    assert len(check()) == len(MONTHS) * len(digests.CLOSE_PARTS)
    assert check() == []
    _sql(three_months, "UPDATE pay_lines SET amount = '1.00' WHERE close_id = 'close0'")
    assert _log(three_months) == [("pay_lines", "update")]


def test_a_ledger_migrated_to_the_log_is_checked_in_full_once(tmp_path, monkeypatch):
    path = tmp_path / "l.sqlite"
    ledger = Ledger(path)
    _close(ledger, "close0", "2026-08", tmp_path)
    ledger.close()
    assert _log(path) == [("*", "installed")]   # made when the ledger was created: nothing checked yet
    computed: list[str] = []
    compute = digests.compute
    monkeypatch.setattr(digests, "compute", lambda conn, part, owner: computed.append(part) or compute(conn, part, owner))
    for expected in (len(digests.CLOSE_PARTS), 0):
        computed.clear()
        opened, issues = open_ledger_checked(path, "test")
        assert issues == [] and opened is not None
        opened.close()
        assert len(computed) == expected
