"""The ledger's schema, as numbered migrations: Python functions registered with
`@migration(version, name)`, applied once each, in order, inside the transaction that opens the
ledger (csbatch.ledger.db.migrate), and recorded in `schema_migrations`. A migration runs its SQL
with `conn.execute`, one statement a call, and may read and rewrite rows in Python between
statements, so one that must transform data is written like any other. Add a migration at the
end; never edit one that has shipped (ledgers already record it as applied).

Not `executescript`: it commits the open transaction first, so a failing migration would leave the
ones before it applied (db.migrate refuses a migration that ends the transaction).

Money is stored as TEXT holding the exact Decimal, never as a floating REAL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from csbatch.ledger import compact, guard
from csbatch.ledger.digests import adopt, adopt_parts


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


class Migrations:
    """An ordered register of migrations: versions 1, 2, 3, ... in the order they are registered,
    so two migrations can never claim one number nor leave a gap."""

    def __init__(self) -> None:
        self._all: list[Migration] = []

    def register(self, version: int, name: str) -> Callable[[Callable[[sqlite3.Connection], None]],
                                                            Callable[[sqlite3.Connection], None]]:
        def add(apply: Callable[[sqlite3.Connection], None]) -> Callable[[sqlite3.Connection], None]:
            expected = len(self._all) + 1
            if version != expected:
                raise ValueError(f"migration {version} ({name!r}) registered where {expected} comes next")
            self._all.append(Migration(version, name, apply))
            return apply
        return add

    def __iter__(self) -> Iterator[Migration]:
        return iter(self._all)


#: csbatch's own ledger schema.
MIGRATIONS = Migrations()
migration = MIGRATIONS.register


@migration(1, "closes, reopenings, pay lines, order pay, results")
def _closes_and_pay(conn: sqlite3.Connection) -> None:
    conn.execute("""
        CREATE TABLE closes (
            close_id    TEXT PRIMARY KEY,
            period      TEXT NOT NULL,
            closed_at   TEXT NOT NULL,
            closed_by   TEXT NOT NULL,
            out_dir     TEXT NOT NULL,      -- the folder the month is published in (OUT)
            staging     TEXT NOT NULL,      -- the folder renamed to OUT/PERIOD once committed
            published   INTEGER NOT NULL DEFAULT 0,
            superseded  INTEGER NOT NULL DEFAULT 0,
            manifest    TEXT NOT NULL
        )""")
    # one live close per month: the database itself refuses a second one
    conn.execute("CREATE UNIQUE INDEX closes_one_live_per_period ON closes(period) WHERE superseded = 0")
    conn.execute("""
        CREATE TABLE reopenings (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            period      TEXT NOT NULL,
            close_id    TEXT NOT NULL REFERENCES closes(close_id),
            reopened_at TEXT NOT NULL,
            reopened_by TEXT NOT NULL,
            reason      TEXT NOT NULL,
            moved_to    TEXT
        )""")
    conn.execute("""
        CREATE TABLE pay_lines (
            close_id    TEXT NOT NULL REFERENCES closes(close_id),
            employee_id TEXT NOT NULL,
            component   TEXT NOT NULL,
            amount      TEXT NOT NULL,
            reason      TEXT NOT NULL DEFAULT ''
        )""")
    conn.execute("CREATE INDEX pay_lines_close ON pay_lines(close_id)")
    conn.execute("""
        CREATE TABLE order_pay (
            close_id    TEXT NOT NULL REFERENCES closes(close_id),
            order_id    TEXT NOT NULL,
            employee_id TEXT NOT NULL,
            component   TEXT NOT NULL,
            amount      TEXT NOT NULL
        )""")
    conn.execute("CREATE INDEX order_pay_order ON order_pay(order_id)")
    conn.execute("""
        CREATE TABLE results (
            close_id    TEXT NOT NULL REFERENCES closes(close_id),
            employee_id TEXT NOT NULL,
            scorecard   TEXT NOT NULL,
            total       TEXT,
            grade       TEXT,
            rank        INTEGER,
            rated       INTEGER NOT NULL
        )""")
    conn.execute("CREATE INDEX results_employee ON results(employee_id)")


@migration(2, "VIP purchases, history imports, cards and points")
def _vip(conn: sqlite3.Connection) -> None:
    conn.execute("""
        CREATE TABLE vip_imports (
            import_id   TEXT PRIMARY KEY,
            imported_at TEXT NOT NULL,
            imported_by TEXT NOT NULL,
            file        TEXT NOT NULL,
            sha256      TEXT NOT NULL,
            periods     TEXT NOT NULL,
            rows        INTEGER NOT NULL
        )""")
    # completed purchases per customer and store type, net of refunds (a refund is a negative row
    # of the month it was reported); from a close or a history import
    conn.execute("""
        CREATE TABLE vip_purchases (
            source      TEXT NOT NULL,      -- close_id or import_id
            period      TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            store_type  TEXT NOT NULL,
            category    TEXT NOT NULL,
            order_id    TEXT NOT NULL,
            order_date  TEXT NOT NULL,
            amount      TEXT NOT NULL
        )""")
    conn.execute("CREATE INDEX vip_purchases_period ON vip_purchases(period)")
    # every card as each close left it (the latest live close's rows are the current state)
    conn.execute("""
        CREATE TABLE vip_cards (
            close_id    TEXT NOT NULL REFERENCES closes(close_id),
            card_no     TEXT NOT NULL,
            person      TEXT NOT NULL,      -- keyed hash of the ID number, never the number
            customer_id TEXT NOT NULL,
            programme   TEXT NOT NULL,
            tier        TEXT NOT NULL,
            issued_on   TEXT NOT NULL,
            valid_until TEXT NOT NULL,
            status      TEXT NOT NULL,
            silver_since TEXT,
            renewed_on  TEXT
        )""")
    # the points ledger: append-only entries; a balance is a sum, never a stored total
    conn.execute("""
        CREATE TABLE vip_points (
            close_id    TEXT NOT NULL REFERENCES closes(close_id),
            card_no     TEXT NOT NULL,
            person      TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            date        TEXT NOT NULL,
            kind        TEXT NOT NULL CHECK (kind IN ('issue', 'earn', 'redeem', 'expire')),
            points      INTEGER NOT NULL,
            order_id    TEXT,
            note        TEXT NOT NULL DEFAULT ''
        )""")
    conn.execute("CREATE INDEX vip_points_order ON vip_points(order_id)")


@migration(3, "audit figures for trends")
def _audit_figures(conn: sqlite3.Connection) -> None:
    # the audit report's headline figures of each close (shares as fractions, money as text)
    conn.execute("""
        CREATE TABLE audit_figures (
            close_id    TEXT NOT NULL REFERENCES closes(close_id),
            figure      TEXT NOT NULL,
            value       TEXT
        )""")


@migration(4, "digests of every close and history import")
def _digests(conn: sqlite3.Connection) -> None:
    # per close (or import) and table: row count and sha256 of its rows (csbatch.ledger.digests);
    # a close first checks the ledger against them
    conn.execute("""
        CREATE TABLE digests (
            owner       TEXT NOT NULL,      -- close_id or import_id
            period      TEXT NOT NULL,      -- the month (an import: its months)
            part        TEXT NOT NULL,      -- the table
            rows        INTEGER NOT NULL,
            sha256      TEXT NOT NULL,
            PRIMARY KEY (owner, part)
        )""")
    conn.execute("CREATE INDEX order_pay_close ON order_pay(close_id)")
    conn.execute("CREATE INDEX results_close ON results(close_id)")
    conn.execute("CREATE INDEX vip_purchases_source ON vip_purchases(source)")
    conn.execute("CREATE INDEX vip_cards_close ON vip_cards(close_id)")
    conn.execute("CREATE INDEX vip_points_close ON vip_points(close_id)")
    conn.execute("CREATE INDEX audit_figures_close ON audit_figures(close_id)")
    adopt(conn)  # the closes and imports already in the ledger: their digests recorded


@migration(5, "kept input and policy files, the policy revision of each close")
def _kept(conn: sqlite3.Connection) -> None:
    # the files a close read, kept by content beside the ledger (csbatch.ledger.blobs)
    conn.execute("""
        CREATE TABLE kept_files (
            close_id    TEXT NOT NULL REFERENCES closes(close_id),
            role        TEXT NOT NULL CHECK (role IN ('input', 'policy')),
            name        TEXT NOT NULL,      -- relative to the inputs folder or the policy folder
            kinds       TEXT NOT NULL,      -- input kinds read from it, comma-separated ('' for policy)
            sha256      TEXT NOT NULL,
            size        INTEGER NOT NULL,
            stored      TEXT NOT NULL,      -- its copy, relative to the ledger's folder
            PRIMARY KEY (close_id, role, name)
        )""")
    # the policy revision a close used: a git commit, or "snapshot:<sha256>" of its kept policy
    # files; for a re-close with another policy than the close it replaces, that one and the changes
    conn.execute("""
        CREATE TABLE close_policy (
            close_id    TEXT PRIMARY KEY REFERENCES closes(close_id),
            revision    TEXT NOT NULL,
            previous    TEXT,               -- the replaced close's revision, when it differs
            changes     TEXT                -- JSON list of the rule changes in words, when known
        )""")
    adopt_parts(conn, ("kept_files", "close_policy"))  # closes made before: none kept, digested as such


@migration(6, "VIP members imported at go-live")
def _vip_members(conn: sqlite3.Connection) -> None:
    # the company's member register as `csbatch vip import-members` loaded it: the cards a first
    # close starts from (with no earlier live close), each with its points balance then
    conn.execute("""
        CREATE TABLE vip_member_cards (
            import_id   TEXT NOT NULL REFERENCES vip_imports(import_id),
            card_no     TEXT NOT NULL,
            person      TEXT NOT NULL,      -- keyed hash of the ID number, never the number
            customer_id TEXT NOT NULL,
            programme   TEXT NOT NULL,
            tier        TEXT NOT NULL,
            issued_on   TEXT NOT NULL,
            valid_until TEXT NOT NULL,      -- the card year the first close starts in
            silver_since TEXT,
            renewed_on  TEXT,
            points      INTEGER NOT NULL
        )""")
    conn.execute("CREATE INDEX vip_member_cards_import ON vip_member_cards(import_id)")
    adopt_parts(conn, (), ("vip_member_cards",))  # history imports made before: no members, digested as such


@migration(7, "per-order pay and VIP purchases stored compactly")
def _compact(conn: sqlite3.Connection) -> None:
    # order_pay and vip_purchases become views over WITHOUT ROWID tables of small integers
    # (csbatch.ledger.compact), returning the rows of before to the letter: digests still match
    compact.convert(conn)


@migration(8, "VIP purchases keyed by month, store type and customer")
def _purchases_by_customer(conn: sqlite3.Connection) -> None:
    # trailing-12-month spend reads the months and customers it asks about (csbatch.ledger.vip_reads),
    # not every purchase the ledger holds; the view vip_purchases returns the same rows
    compact.reorder_purchases(conn)


@migration(9, "changes made outside csbatch logged by the ledger")
def _outside_changes(conn: sqlite3.Connection) -> None:
    # triggers log every change csbatch did not make itself (csbatch.ledger.guard), so a close
    # recomputes the digests only when the log holds something: the first open after this once
    guard.install(conn)


@migration(10, "employees of per-order pay stored by their number")
def _order_pay_staff(conn: sqlite3.Connection) -> None:
    # an employee ID that is only a number is stored as that number (two bytes a row, not three);
    # the view order_pay returns the same rows, the outside-changes triggers are made again
    compact.restaff_order_pay(conn)


@migration(11, "per-order pay stored in each close's own forms")
def _order_pay_owners(conn: sqlite3.Connection) -> None:
    # a close's orders stored from its smallest number on and its commonest component as 0
    # (order_pay_owners): ~4 bytes a row less; the closes of before keep their rows as they are,
    # the view order_pay returns the same rows; the new table logged like the others (ledger.guard)
    compact.own_order_pay(conn)
    guard.watch(conn, "order_pay_owners")
