"""Opening the ledger: WAL journal, `synchronous=FULL` (a commit survives a power cut), foreign
keys on, and every pending migration applied inside one `BEGIN IMMEDIATE` transaction.

Connections run in autocommit mode; the code opens its own `BEGIN IMMEDIATE` transactions, so
two closes at the same time serialise on the database's write lock instead of interleaving.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from csbatch.i18n import N_
from csbatch.ledger import guard
from csbatch.ledger.migrations import MIGRATIONS, Migration

BUSY_TIMEOUT_S = 30.0


class NotALedger(Exception):
    """The file is an SQLite database of something else: csbatch must not add its tables to it."""

    MESSAGE = N_("{path} is an SQLite database but not a csbatch ledger (it holds {tables}); give --ledger the "
                 "csbatch-ledger.sqlite file a close wrote, or a path where none exists yet")

    def __init__(self, path: Path, tables: list[str]):
        self.path = path
        self.tables = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
        super().__init__(self.MESSAGE.format(path=path, tables=self.tables))


def open_reader(path: str | Path, timeout: float = BUSY_TIMEOUT_S) -> sqlite3.Connection:
    """A read-only connection to the ledger at `path`, which an open connection already made and
    migrated: what a forked child reads through, since a connection must never be used on both
    sides of a fork (SQLite's locks are per process). TEMP tables still work (their own database)."""
    return sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True, timeout=timeout,
                           isolation_level=None)


def ledger_file(conn: sqlite3.Connection) -> str:
    """The file `conn` has open as its main database ("" for one in memory)."""
    return str(conn.execute("PRAGMA database_list").fetchone()[2])


def open_ledger(path: Path, timeout: float = BUSY_TIMEOUT_S) -> sqlite3.Connection:
    """Open (or create) the ledger at `path`. Raises NotALedger for another application's SQLite
    file (before writing anything to it), sqlite3.Error or OSError when the file or its folder
    cannot be used (csbatch.environment says what to do)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a ledger file", str(path))
    with _opening(path.parent):
        conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
        try:
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
            if tables and "schema_migrations" not in tables:
                raise NotALedger(path, tables)
            _configure(conn)
        except BaseException:
            conn.close()
            raise
    return conn


@contextmanager
def _opening(folder: Path) -> Iterator[None]:
    """One process at a time creates and configures a ledger in `folder`: two closes started
    together on a new ledger otherwise race in switching the fresh file to WAL (one sees "database
    is locked", the other a disk I/O error, and neither closes). An advisory lock on the folder
    itself (nothing new appears in it), where the platform has one."""
    try:
        import fcntl
    except ImportError:          # no flock (Windows): SQLite's own locking only
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)             # closing the descriptor releases the lock


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    migrate(conn)


@contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction that takes the write lock at once (`BEGIN IMMEDIATE`): commits on
    success, rolls back on any exception (a failed COMMIT included). What it writes is csbatch's
    own: the entries the ledger's triggers logged for it are forgotten (csbatch.ledger.guard)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        since = guard.mark(conn)   # csbatch's own writes are no change made outside csbatch
        yield conn
        guard.forget_own(conn, since)
        conn.execute("COMMIT")  # a full disk may fail the COMMIT itself: then roll back too
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def migrate(conn: sqlite3.Connection, migrations: Iterable[Migration] = MIGRATIONS) -> list[int]:
    """Apply the migrations not yet recorded, in order, all in one transaction (one that fails
    rolls every one back); return the versions applied now."""
    applied_now = []
    with immediate(conn):
        conn.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
                            version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)""")
        done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
        for step in migrations:
            if step.version in done:
                continue
            step.apply(conn)
            if not conn.in_transaction:  # executescript or a COMMIT: what came before is committed
                raise RuntimeError(f"migration {step.version} ({step.name}) ended the transaction; "
                                   "run its SQL with conn.execute, not executescript or COMMIT")
            conn.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                         (step.version, step.name, dt.datetime.now().astimezone().isoformat(timespec="seconds")))
            applied_now.append(step.version)
    return applied_now
