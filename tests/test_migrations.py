"""Migrations are registered Python functions: one that transforms data is written like any other,
they apply in order in one transaction, and a ledger written before they were functions (a dump in
tests/fixtures, made by that code) opens unchanged and has the schema a new ledger gets."""

from __future__ import annotations

import re
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from csbatch.ledger.db import migrate, open_ledger
from csbatch.ledger.digests import verify
from csbatch.ledger.guard import TRIGGERS
from csbatch.ledger.migrations import Migrations

FIXTURES = Path(__file__).parent / "fixtures"


def _restore(dump: str, path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript((FIXTURES / dump).read_text(encoding="utf-8"))
    conn.close()
    return path


def _everything(conn: sqlite3.Connection) -> list:
    """The schema as SQLite stores it and every row of every table, schema_migrations included."""
    schema = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    # views too (issue 14: migration 7 made order_pay and vip_purchases views returning the same rows)
    tables = sorted(name for kind, name, _, _ in schema if kind in ("table", "view"))
    return [schema, *[(t, sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr)) for t in tables]]


def _schema(conn: sqlite3.Connection) -> list:
    """The schema with SQL comments and layout dropped (a new ledger's CREATE statements keep the
    comments the statement-splitting code of before stripped)."""
    return [(kind, name, table, sql and " ".join(re.sub(r"--[^\n]*", "", sql).split()))
            for kind, name, table, sql in conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                                                       "ORDER BY type, name")]


#: What migration 5 (issue 11: kept inputs and policy revisions) adds to a ledger of version 4.
KEPT_TABLES = ("kept_files", "close_policy", "sqlite_autoindex_kept_files_1", "sqlite_autoindex_close_policy_1",
               # ... and migration 6 (issue 13: VIP members imported at go-live)
               "vip_member_cards", "vip_member_cards_import",
               # ... and migration 7 (issue 14: per-order pay and purchases stored compactly)
               "ledger_keys", "sqlite_autoindex_ledger_keys_1", "ledger_prefixes", "sqlite_autoindex_ledger_prefixes_1",
               "order_pay_rows", "vip_purchase_rows",
               "order_pay_insert", "order_pay_delete", "order_pay_update", "vip_purchases_insert",
               "vip_purchases_delete", "vip_purchases_update",
               # ... and migration 9 (issue 14: changes made outside csbatch logged by the ledger)
               "outside_changes", *TRIGGERS,
               # ... and migration 11 (issue 14: each close's forms of its per-order pay)
               "order_pay_owners")
#: What migration 7 turned from tables into views (same columns, same rows) and the indexes it
#: dropped with them: compared by their columns and rows, not by their CREATE statements.
CONVERTED = ("order_pay", "vip_purchases", "order_pay_order", "order_pay_close", "vip_purchases_period",
             "vip_purchases_source")


def _without_converted(everything: list) -> list:
    schema, *tables = everything
    return [[row for row in schema if row[1] not in CONVERTED], *tables]


def _without_kept(everything: list) -> list:
    """`_everything` of a ledger as version 4 had it: migration 5's tables, their digests and its
    schema_migrations row left out."""
    schema, *tables = everything
    out = []
    for name, rows in tables:
        if name in KEPT_TABLES:
            continue
        if name == "digests":
            rows = [r for r in rows if r[2] not in KEPT_TABLES]
        if name == "schema_migrations":
            rows = [r for r in rows if r[0] < 5]
        out.append((name, rows))
    return [[row for row in schema if row[1] not in KEPT_TABLES], *out]


def test_a_ledger_of_before_opens_unchanged(tmp_path):
    path = _restore("ledger-v4.sql", tmp_path / "l.sqlite")
    before = _everything(sqlite3.connect(path))
    conn = open_ledger(path)
    assert migrate(conn) == []
    # every row as it was (the versions and when they were applied, too); migration 5 added its
    # empty tables and their digests for the closes already there
    assert _without_converted(_without_kept(_everything(conn))) == _without_converted(before)
    assert conn.execute("SELECT COUNT(*) FROM kept_files").fetchone() == (0,)
    assert verify(conn)[0] == []
    assert [r[0] for r in conn.execute("SELECT version FROM schema_migrations")] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]


def test_a_new_ledger_has_the_schema_the_code_of_before_wrote(tmp_path):
    new = open_ledger(tmp_path / "new.sqlite")
    old = sqlite3.connect(_restore("ledger-v4.sql", tmp_path / "old.sqlite"))
    assert ([row for row in _schema(new) if row[1] not in KEPT_TABLES + CONVERTED]
            == [row for row in _schema(old) if row[1] not in CONVERTED])
    for name in ("order_pay", "vip_purchases"):  # views since migration 7: the columns of before
        assert ([r[1] for r in new.execute(f"PRAGMA table_info({name})")]
                == [r[1] for r in old.execute(f"PRAGMA table_info({name})")])
    assert (new.execute("SELECT version, name FROM schema_migrations WHERE version < 5").fetchall()
            == old.execute("SELECT version, name FROM schema_migrations").fetchall())


def _money_as_real() -> Migrations:
    """A ledger of a made-up first version storing money as REAL, and the migration to exact text."""
    registry = Migrations()

    @registry.register(1, "pay as floats")
    def _floats(conn):
        conn.execute("CREATE TABLE pay (employee_id TEXT NOT NULL, amount REAL NOT NULL)")

    @registry.register(2, "pay as exact cents")
    def _cents(conn):
        conn.execute("ALTER TABLE pay ADD COLUMN amount_text TEXT")
        for rowid, amount in conn.execute("SELECT rowid, amount FROM pay").fetchall():
            conn.execute("UPDATE pay SET amount_text = ? WHERE rowid = ?",
                         (str(Decimal(repr(amount)).quantize(Decimal("0.01"))), rowid))
        conn.execute("ALTER TABLE pay DROP COLUMN amount")
        conn.execute("ALTER TABLE pay RENAME COLUMN amount_text TO amount")

    return registry


def test_a_migration_transforms_the_rows_already_there(tmp_path):
    registry = _money_as_real()
    conn = sqlite3.connect(tmp_path / "l.sqlite", isolation_level=None)
    assert migrate(conn, list(registry)[:1]) == [1]
    conn.executemany("INSERT INTO pay VALUES (?, ?)", [("1003", 2100.1), ("1004", 0.3)])
    assert migrate(conn, registry) == [2]
    assert conn.execute("SELECT employee_id, amount FROM pay ORDER BY 1").fetchall() == [
        ("1003", "2100.10"), ("1004", "0.30")]
    assert [r[:2] for r in conn.execute("SELECT version, name FROM schema_migrations")] == [
        (1, "pay as floats"), (2, "pay as exact cents")]
    assert migrate(conn, registry) == []


def test_a_failing_migration_rolls_back_the_ones_before_it_in_the_same_open(tmp_path):
    registry = _money_as_real()

    @registry.register(3, "breaks")
    def _breaks(conn):
        conn.execute("DELETE FROM pay")
        raise sqlite3.OperationalError("disk I/O error")

    conn = sqlite3.connect(tmp_path / "l.sqlite", isolation_level=None)
    migrate(conn, list(registry)[:1])
    conn.execute("INSERT INTO pay VALUES ('1003', 2100.1)")
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, registry)
    assert conn.execute("SELECT employee_id, amount FROM pay").fetchall() == [("1003", 2100.1)]
    assert [r[0] for r in conn.execute("SELECT version FROM schema_migrations")] == [1]


def test_a_migration_that_commits_midway_is_refused(tmp_path):
    registry = Migrations()

    @registry.register(1, "executescript")
    def _script(conn):
        conn.executescript("CREATE TABLE t (x TEXT);")   # commits the open transaction first

    with pytest.raises(RuntimeError, match=r"migration 1 .* ended the transaction"):
        migrate(sqlite3.connect(tmp_path / "l.sqlite", isolation_level=None), registry)


@pytest.mark.parametrize("versions", [(2,), (1, 1), (1, 3)])
def test_versions_are_registered_one_after_another(versions):
    registry = Migrations()
    with pytest.raises(ValueError, match="registered where"):
        for version in versions:
            registry.register(version, f"v{version}")(lambda conn: None)
