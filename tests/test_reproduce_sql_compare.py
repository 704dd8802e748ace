"""`reproduce` finds the differing rows in SQL (`reproduction._differing_keys`) instead of holding
both ledgers' rows as Python lists (700 MB at a million orders, past 2 GiB): the differences are
those the row lists gave, a row twice on one side and once on the other included. The old form is
kept here as the oracle."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from csbatch.closing.reproduction import KEYS, Difference, _rows, compare_part, differences
from csbatch.ledger import Ledger


def _old_compare(part: str, recorded: Ledger, recomputed: Ledger, close_id: str) -> list[Difference]:
    """`compare_part` as it was (stop 30): every row of both ledgers, by key, then described."""
    return differences(part, _rows(recorded, part, close_id), _rows(recomputed, part, close_id))


def _copy(source: Path, dest: Path) -> Path:
    with sqlite3.connect(source) as a, sqlite3.connect(dest) as b:
        a.backup(b)
    return dest


def _all(recorded: Ledger, recomputed: Ledger, close_id: str) -> tuple[list, list]:
    new = [d for part in KEYS for d in compare_part(part, recorded, recomputed, close_id)]
    old = [d for part in KEYS for d in _old_compare(part, recorded, recomputed, close_id)]
    return new, old


def test_the_sql_comparison_finds_what_the_row_lists_found(sample_close, tmp_path):
    source = sample_close.parent / "csbatch-ledger.sqlite"
    recorded = Ledger(_copy(source, tmp_path / "recorded.sqlite"))
    recomputed_path = _copy(source, tmp_path / "recomputed.sqlite")
    close_id = recorded.conn.execute("SELECT close_id FROM closes").fetchone()[0]
    try:
        same = Ledger(recomputed_path)
        try:
            assert _all(recorded, same, close_id) == ([], [])
        finally:
            same.close()
        with sqlite3.connect(recomputed_path) as raw:
            first, second, third = raw.execute("SELECT rowid FROM pay_lines ORDER BY rowid LIMIT 3").fetchall()
            raw.execute("INSERT INTO pay_lines SELECT * FROM pay_lines WHERE rowid = ?", first)   # twice now
            raw.execute("UPDATE pay_lines SET amount = '1.00' WHERE rowid = ?", second)
            raw.execute("DELETE FROM pay_lines WHERE rowid = ?", third)
            raw.execute("UPDATE results SET grade = 'Z' WHERE rowid = (SELECT min(rowid) FROM results)")
            raw.execute("INSERT INTO results SELECT * FROM results WHERE rowid = (SELECT max(rowid) FROM results)")
        recomputed = Ledger(recomputed_path)
        try:
            new, old = _all(recorded, recomputed, close_id)
        finally:
            recomputed.close()
        assert new == old
        assert len(new) >= 5 and {d.part for d in new} == {"pay_lines", "results"}
        assert any(d.recomputed.count(";") == 1 and d.recorded.count(";") == 0 for d in new)   # the row twice
    finally:
        recorded.close()
