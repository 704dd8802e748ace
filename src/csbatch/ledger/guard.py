"""Changes made to the ledger outside csbatch, logged by the ledger itself (issue 14), so opening
the ledger checks its digests only when something may have changed: a check that costs the same
whether the ledger holds one month or five years of them.

Triggers on every table the digests guard (`digests.PARTS`, as stored since migration 7: the
compact tables, their keys and prefixes) and on `closes`, `vip_imports`, `reopenings` and
`digests` themselves log, into `outside_changes`, the table and the kind of change (one entry per
table and kind, however many rows changed):
- every UPDATE and DELETE;
- an INSERT into a small table (a close, an import, a digest, a reopening, a key);
- an INSERT of a row of a close or import that already has digests (whatever csbatch writes, it
  writes before recording the digests, in one transaction), or of a close or import the ledger
  does not hold (a row put over a digested one by `INSERT OR REPLACE ... rowid`).
csbatch's own writes log too (publishing, reopening, its own digests); every csbatch write
transaction (`db.immediate`, holding the write lock) forgets the entries it made itself before it
commits, so an entry left in the log is a change made by someone else.

Opening the ledger for a close (`store.Ledger.check`): the log empty and every trigger in place →
only the checks that cost nothing per row (every close has its digests, supersession); else the
digests of every table of every close recomputed, as before, with the same messages; found intact,
the log is emptied. `csbatch ledger verify` always recomputes everything.

Like the digests this is no signature: whoever drops the triggers, empties the log and edits the
rows (or edits the file's bytes) is not seen until `ledger verify`.
"""

from __future__ import annotations

import sqlite3

LOG = "outside_changes"

#: Row tables: the column naming the close (or import) and the table holding those.
_ROWS = {"pay_lines": ("close_id", "closes"), "results": ("close_id", "closes"),
         "vip_cards": ("close_id", "closes"), "vip_points": ("close_id", "closes"),
         "audit_figures": ("close_id", "closes"), "kept_files": ("close_id", "closes"),
         "close_policy": ("close_id", "closes"), "vip_member_cards": ("import_id", "vip_imports")}
#: The compact tables (migration 7): the owner is a key of ledger_keys, and part of the primary
#: key, so an `INSERT OR REPLACE` only ever replaces a row of the same owner.
_COMPACT = ("order_pay_rows", "vip_purchase_rows")
#: Tables every insert into is logged (csbatch writes a few rows a close to them).
_SMALL = ("closes", "vip_imports", "digests", "reopenings", "ledger_keys", "ledger_prefixes")
_OPS = ("insert", "update", "delete")

TRIGGERS = tuple(f"outside_{table}_{op}" for table in (*_ROWS, *_COMPACT, *_SMALL) for op in _OPS)


def _log(table: str, op: str) -> str:
    return (f"INSERT INTO {LOG} (tbl, op) SELECT '{table}', '{op}' "
            f"WHERE NOT EXISTS (SELECT 1 FROM {LOG} WHERE tbl = '{table}' AND op = '{op}');")


def _trigger(table: str, op: str, when: str = "") -> str:
    return (f"CREATE TRIGGER outside_{table}_{op} AFTER {op.upper()} ON {table} "
            f"{'WHEN ' + when + ' ' if when else ''}BEGIN {_log(table, op)} END")


def _insert_when(table: str) -> str:
    if table in _COMPACT:
        return "EXISTS (SELECT 1 FROM digests WHERE owner = (SELECT text FROM ledger_keys WHERE key = NEW.owner))"
    if table in _ROWS:
        column, owners = _ROWS[table]
        key = "close_id" if owners == "closes" else "import_id"
        return (f"EXISTS (SELECT 1 FROM digests WHERE owner = NEW.{column}) "
                f"OR NOT EXISTS (SELECT 1 FROM {owners} WHERE {key} = NEW.{column})")
    return ""


def install(conn: sqlite3.Connection) -> None:
    """The migration step: the log and its triggers. The log starts with one entry, so the first
    check after it recomputes every digest once (what the ledger held before is checked, not
    trusted), then finds the log empty."""
    conn.execute(f"CREATE TABLE {LOG} (id INTEGER PRIMARY KEY, tbl TEXT NOT NULL, op TEXT NOT NULL)")
    for table in (*_ROWS, *_COMPACT, *_SMALL):
        for op in _OPS:
            conn.execute(_trigger(table, op, _insert_when(table) if op == "insert" else ""))
    conn.execute(f"INSERT INTO {LOG} (tbl, op) VALUES ('*', 'installed')")


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
    """Empty the log (inside the write transaction that found every digest intact)."""
    conn.execute(f"DELETE FROM {LOG}")
