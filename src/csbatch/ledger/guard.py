"""Changes made to the ledger outside csbatch, logged by the ledger itself (issue 14), so opening
the ledger checks its digests only when something may have changed: a check that costs the same
whether the ledger holds one month or five years of them.

Triggers on every table the digests guard (`digests.PARTS`, as stored since migration 7: the
compact tables, their keys and prefixes) and on `closes`, `vip_imports`, `reopenings` and
`digests` themselves log every INSERT, UPDATE and DELETE into `outside_changes`: the table and the
kind of change, one entry per table and kind however many rows changed. csbatch's own writes log
too (publishing, reopening, its digests); every csbatch write transaction (`db.immediate`, which
holds the write lock) forgets the entries it made itself before it commits, so an entry left in the
log is a change made by someone else. A close's (or import's) bulk inserts run with the insert
triggers of the row tables `lifted`: dropped and made again inside that transaction, so the rows
csbatch writes cost nothing more, and no other connection ever sees them missing.

Opening the ledger for a close (`store.Ledger.check`): the log empty and every trigger in place →
only the checks that cost nothing per row (every close has its digests, supersession); else the
digests of every table of every close recomputed, as before, with the same messages; found intact,
the log is emptied. `csbatch ledger verify` always recomputes everything.

A trigger missing (dropped by hand) counts as a change: every check recomputes until one finds the
ledger intact and makes it again. Like the digests this is no signature: whoever edits rows and
then empties the log (or turns triggers off in their own connection, or edits the file's bytes)
is not seen until `ledger verify`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

LOG = "outside_changes"

#: The tables a close or an import writes many rows to (the rows of its own close or import).
ROWS = ("pay_lines", "results", "vip_cards", "vip_points", "audit_figures", "kept_files", "close_policy",
        "vip_member_cards", "order_pay_rows", "vip_purchase_rows")
#: The others guarded (csbatch writes a few rows a close to them).
_SMALL = ("closes", "vip_imports", "digests", "reopenings", "ledger_keys", "ledger_prefixes",
          "order_pay_owners")   # migration 11 (made then: `watch`)
_OPS = ("insert", "update", "delete")

TRIGGERS = tuple(f"outside_{table}_{op}" for table in (*ROWS, *_SMALL) for op in _OPS)


def _trigger(table: str, op: str) -> str:
    return (f"CREATE TRIGGER outside_{table}_{op} AFTER {op.upper()} ON {table} BEGIN "
            f"INSERT INTO {LOG} (tbl, op) SELECT '{table}', '{op}' "
            f"WHERE NOT EXISTS (SELECT 1 FROM {LOG} WHERE tbl = '{table}' AND op = '{op}'); END")


def install(conn: sqlite3.Connection) -> None:
    """The migration step: the log and its triggers. The log starts with one entry, so the first
    check after it recomputes every digest once (what the ledger held before is checked, not
    trusted), then finds the log empty."""
    conn.execute(f"CREATE TABLE {LOG} (id INTEGER PRIMARY KEY, tbl TEXT NOT NULL, op TEXT NOT NULL)")
    _make_triggers(conn, present=set())
    conn.execute(f"INSERT INTO {LOG} (tbl, op) VALUES ('*', 'installed')")


@contextmanager
def lifted(conn: sqlite3.Connection) -> Iterator[None]:
    """Inside csbatch's own write transaction: the insert triggers of the row tables dropped while
    it writes a close's (or import's) rows, made again as they were (their stored SQL) after. A
    trigger an admin dropped stays dropped (the next check sees it missing)."""
    names = [f"outside_{table}_insert" for table in ROWS]
    stored = conn.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
                          f"({', '.join('?' * len(names))})", names).fetchall()
    for name, _ in stored:
        conn.execute(f"DROP TRIGGER {name}")
    yield
    for _, sql in stored:
        conn.execute(sql)


def mark(conn: sqlite3.Connection) -> int | None:
    """The log's last entry (0: empty) at the start of a csbatch write transaction; None when the
    ledger has no log yet (a migration about to make it)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (LOG,)).fetchone() is None:
        return None
    return conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {LOG}").fetchone()[0]


def forget_own(conn: sqlite3.Connection, since: int | None) -> None:
    """Forget the entries csbatch's own write transaction made (after `mark` returned `since`)."""
    if since is not None and conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {LOG}").fetchone()[0] > since:
        conn.execute(f"DELETE FROM {LOG} WHERE id > ?", (since,))


def untouched(conn: sqlite3.Connection) -> bool:
    """True when nothing was changed outside csbatch since the digests were last found intact:
    the log exists and is empty, and every trigger is in place."""
    if mark(conn) != 0:
        return False
    present = conn.execute(f"SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name IN "
                           f"({', '.join('?' * len(TRIGGERS))})", TRIGGERS).fetchone()[0]
    return present == len(TRIGGERS)


def clear(conn: sqlite3.Connection) -> None:
    """Empty the log and make any missing trigger again (inside the write transaction that found
    every digest intact)."""
    conn.execute(f"DELETE FROM {LOG}")
    _make_triggers(conn, present={r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")})


def watch(conn: sqlite3.Connection, table: str) -> None:
    """The migration step of a table made after migration 9: its triggers."""
    _make_triggers(conn, present=set(), tables=(table,))


def _make_triggers(conn: sqlite3.Connection, present: set[str], tables: tuple[str, ...] = (*ROWS, *_SMALL)) -> None:
    """Every trigger of `TRIGGERS` on `tables` whose name is not in `present`, on the tables
    there are (migration 9 comes before the tables later migrations make)."""
    there = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in tables:
        for op in _OPS:
            if f"outside_{table}_{op}" not in present and table in there:
                conn.execute(_trigger(table, op))
