"""The ledger's schema, as numbered migrations applied once each and recorded in
`schema_migrations`. Add a migration at the end; never edit one that has shipped.

Money is stored as TEXT holding the exact Decimal, never as a floating REAL. A migration is SQL,
or SQL and a Python step run after it in the same transaction.
"""

from __future__ import annotations

from typing import Callable

from csbatch.ledger.digests import adopt

MIGRATIONS: list[tuple[int, str, str] | tuple[int, str, str, Callable]] = [
    (1, "closes, reopenings, pay lines, order pay, results", """
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
        );
        -- one live close per month: the database itself refuses a second one
        CREATE UNIQUE INDEX closes_one_live_per_period ON closes(period) WHERE superseded = 0;

        CREATE TABLE reopenings (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            period      TEXT NOT NULL,
            close_id    TEXT NOT NULL REFERENCES closes(close_id),
            reopened_at TEXT NOT NULL,
            reopened_by TEXT NOT NULL,
            reason      TEXT NOT NULL,
            moved_to    TEXT
        );

        CREATE TABLE pay_lines (
            close_id    TEXT NOT NULL REFERENCES closes(close_id),
            employee_id TEXT NOT NULL,
            component   TEXT NOT NULL,
            amount      TEXT NOT NULL,
            reason      TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX pay_lines_close ON pay_lines(close_id);

        CREATE TABLE order_pay (
            close_id    TEXT NOT NULL REFERENCES closes(close_id),
            order_id    TEXT NOT NULL,
            employee_id TEXT NOT NULL,
            component   TEXT NOT NULL,
            amount      TEXT NOT NULL
        );
        CREATE INDEX order_pay_order ON order_pay(order_id);

        CREATE TABLE results (
            close_id    TEXT NOT NULL REFERENCES closes(close_id),
            employee_id TEXT NOT NULL,
            scorecard   TEXT NOT NULL,
            total       TEXT,
            grade       TEXT,
            rank        INTEGER,
            rated       INTEGER NOT NULL
        );
        CREATE INDEX results_employee ON results(employee_id);
    """),
    (2, "VIP purchases, history imports, cards and points", """
        CREATE TABLE vip_imports (
            import_id   TEXT PRIMARY KEY,
            imported_at TEXT NOT NULL,
            imported_by TEXT NOT NULL,
            file        TEXT NOT NULL,
            sha256      TEXT NOT NULL,
            periods     TEXT NOT NULL,
            rows        INTEGER NOT NULL
        );

        -- completed purchases per customer and store type, net of refunds (a refund is a
        -- negative row of the month it was reported); from a close or a history import
        CREATE TABLE vip_purchases (
            source      TEXT NOT NULL,      -- close_id or import_id
            period      TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            store_type  TEXT NOT NULL,
            category    TEXT NOT NULL,
            order_id    TEXT NOT NULL,
            order_date  TEXT NOT NULL,
            amount      TEXT NOT NULL
        );
        CREATE INDEX vip_purchases_period ON vip_purchases(period);

        -- every card as each close left it (the latest live close's rows are the current state)
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
        );

        -- the points ledger: append-only entries; a balance is a sum, never a stored total
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
        );
        CREATE INDEX vip_points_order ON vip_points(order_id);
    """),
    (3, "audit figures for trends", """
        -- the audit report's headline figures of each close (shares as fractions, money as text)
        CREATE TABLE audit_figures (
            close_id    TEXT NOT NULL REFERENCES closes(close_id),
            figure      TEXT NOT NULL,
            value       TEXT
        );
    """),
    (4, "digests of every close and history import", """
        -- per close (or import) and table: row count and sha256 of its rows (csbatch.ledger.digests);
        -- a close first checks the ledger against them
        CREATE TABLE digests (
            owner       TEXT NOT NULL,      -- close_id or import_id
            period      TEXT NOT NULL,      -- the month (an import: its months)
            part        TEXT NOT NULL,      -- the table
            rows        INTEGER NOT NULL,
            sha256      TEXT NOT NULL,
            PRIMARY KEY (owner, part)
        );
        CREATE INDEX order_pay_close ON order_pay(close_id);
        CREATE INDEX results_close ON results(close_id);
        CREATE INDEX vip_purchases_source ON vip_purchases(source);
        CREATE INDEX vip_cards_close ON vip_cards(close_id);
        CREATE INDEX vip_points_close ON vip_points(close_id);
        CREATE INDEX audit_figures_close ON audit_figures(close_id);
    """, adopt),
]
