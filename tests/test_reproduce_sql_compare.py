"""`reproduce` finds the differing rows in SQL (`reproduction._differing_keys`) instead of holding
both ledgers' rows as Python lists (700 MB at a million orders, past 2 GiB): the differences are
those the row lists gave, a row twice on one side and once on the other included. The old form is
kept here as the oracle."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from pathlib import Path

from csbatch.closing.reproduction import KEYS, Difference, compare_part
from csbatch.ledger import Ledger
from csbatch.ledger.digests import PARTS


def _old_rows(ledger: Ledger, part: str, close_id: str) -> dict[tuple, list[tuple]]:
    owner, columns = PARTS[part]
    keys = KEYS[part]
    values = [c for c in columns if c not in keys]
    out: dict[tuple, list[tuple]] = defaultdict(list)
    query = f"SELECT {', '.join(keys + tuple(values))} FROM {part} WHERE {owner} = ?"
    for row in ledger.conn.execute(query, (close_id,)):
        out[tuple(row[:len(keys)])].append(tuple(row[len(keys):]))
    return out


def _show(value) -> str:
    return "—" if value is None else str(value)


def _old_compare(part: str, recorded: Ledger, recomputed: Ledger, close_id: str) -> list[Difference]:
    """`compare_part` as it was (stop 30)."""
    keys = KEYS[part]
    values = [c for c in PARTS[part][1] if c not in keys]
    old, new = _old_rows(recorded, part, close_id), _old_rows(recomputed, part, close_id)
    found = []
    for key in sorted(set(old) | set(new), key=lambda k: tuple(_show(v) for v in k)):
        a, b = sorted(old.get(key, []), key=repr), sorted(new.get(key, []), key=repr)
        if a == b:
            continue
        row = ", ".join(f"{k} {_show(v)}" for k, v in zip(keys, key))
        if len(a) == 1 and len(b) == 1:
            found += [Difference(part, row, name, _show(x), _show(y))
                      for name, x, y in zip(values, a[0], b[0]) if x != y]
        else:
            def shown(rows: list[tuple]) -> str:
                return "; ".join("/".join(_show(v) for v in r) for r in rows) or "no row"
            found.append(Difference(part, row, "/".join(values), shown(a), shown(b)))
    return found


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
