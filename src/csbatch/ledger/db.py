"""Opening the ledger: WAL journal, `synchronous=FULL` (a commit survives a power cut), foreign
keys on, and every pending migration applied inside one `BEGIN IMMEDIATE` transaction.

Connections run in autocommit mode; the code opens its own `BEGIN IMMEDIATE` transactions, so
two closes at the same time serialise on the database's write lock instead of interleaving.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from csbatch.ledger.migrations import MIGRATIONS

BUSY_TIMEOUT_S = 30.0


def open_ledger(path: Path, timeout: float = BUSY_TIMEOUT_S) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    migrate(conn)
    return conn


@contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction that takes the write lock at once (`BEGIN IMMEDIATE`): commits on
    success, rolls back on any exception."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _statements(sql: str) -> list[str]:
    """The statements of a migration: `--` comments dropped (they may contain `;`), split on `;`.
    Migrations hold no string literal with `--` or `;`."""
    lines = [line.split("--", 1)[0] for line in sql.splitlines()]
    return [s for s in "\n".join(lines).split(";") if s.strip()]


def migrate(conn: sqlite3.Connection) -> list[int]:
    """Apply the migrations not yet recorded; return the versions applied now."""
    applied_now = []
    with immediate(conn):
        conn.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
                            version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)""")
        done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
        for version, name, sql in MIGRATIONS:
            if version in done:
                continue
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                         (version, name, dt.datetime.now().astimezone().isoformat(timespec="seconds")))
            applied_now.append(version)
    return applied_now
