"""Issue 14: a close digests the per-order pay and VIP purchases it writes from the texts it wrote
(`digests.digest_columns`), not by reading a million rows back through the views. That is only
right if the views read back exactly those texts: these tests write odd IDs, amounts and dates
through the real write path into a real ledger and compare with the digest read back."""

from __future__ import annotations

import json
import re
import sqlite3
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.ledger import compact, digests
from csbatch.ledger.db import migrate
from csbatch.ledger.migrations import MIGRATIONS

#: IDs: any text, and the shapes the compact form splits (prefix, leading zeros, a long number)
IDS = st.one_of(st.text(max_size=12), st.from_regex(r"[A-Z订]{0,3}0{0,2}[0-9]{0,21}", fullmatch=True))
#: amounts as `str(Decimal)` writes them, and any text (dates: never missing, the column is NOT NULL)
AMOUNTS = st.one_of(st.decimals(allow_nan=False, allow_infinity=False).map(str), st.text(max_size=10),
                    st.sampled_from(["-0.00", "1E+2", "7.", "0.1234567", "-99999999999999999.5"]))
DATES = st.one_of(st.dates().map(lambda d: d.isoformat()), st.text(max_size=10),
                  st.sampled_from(["2026-02-30", "2026-9-1", "1899-12-31", "2999-12-31"]))


def _ledger() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    migrate(conn, MIGRATIONS)
    return conn


def test_digest_columns_is_digest_rows_of_the_rows_the_columns_make():
    columns = [["MD1", "MD1", "订单\"2\"", "x\\y"], ["1041", "{}", "E7", "\n"], ["80.00", "-0.00", "1E+2", ""]]
    assert digests.digest_columns(columns) == digests.digest_rows(list(zip(*columns)))
    assert digests.digest_columns([[], []]) == digests.digest_rows([])


def test_digest_columns_declines_what_it_cannot_vouch_for():
    assert digests.digest_columns([["MD1"], [1041]]) is None          # not text: stored as str(1041)
    assert digests.digest_columns([["MD1"], ["a\0b"]]) is None        # a NUL: read back from SQL instead
    assert digests.digest_columns([["MD1"], [None]]) is None
    assert digests.digest_columns([["MD1"], [Decimal("1.00")]]) is None


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(IDS, IDS, st.sampled_from(["commission", "bonus", "佣金"]), AMOUNTS), max_size=25))
def test_order_pay_digested_as_written_is_the_digest_read_back(rows):
    conn = _ledger()
    columns = [list(c) for c in zip(*rows)] if rows else [[], [], [], []]
    compact.insert_order_pay(conn, "c" * 32, *columns)
    written = digests.digest_columns(columns)
    if written is not None:
        assert written == digests.compute(conn, "order_pay", "c" * 32)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["2026-09", "2026-10"]), IDS, st.sampled_from(["flagship", "outlet"]),
                          st.sampled_from(["regular", "促销"]), IDS, DATES, AMOUNTS), max_size=25))
def test_purchases_digested_as_written_are_the_digest_read_back(rows):
    conn = _ledger()
    columns = [list(c) for c in zip(*rows)] if rows else [[] for _ in range(7)]
    compact.insert_purchases(conn, "import-1", *columns)
    written = digests.digest_columns(columns)
    if written is not None:
        assert written == digests.compute(conn, "vip_purchases", "import-1")


def test_a_close_records_the_digests_a_full_verify_recomputes(sample_close):
    """The real close: what it recorded for the two big tables is what `ledger verify` reads back."""
    conn = sqlite3.connect(f"file:{sample_close.parent / 'csbatch-ledger.sqlite'}?mode=ro", uri=True)
    (close_id,) = conn.execute("SELECT close_id FROM closes").fetchone()
    recorded = {part: (rows, sha) for part, rows, sha in
                conn.execute("SELECT part, rows, sha256 FROM digests WHERE owner = ?", (close_id,))}
    for part in ("order_pay", "vip_purchases"):
        assert recorded[part][0] > 0
        assert recorded[part] == digests.compute(conn, part, close_id)
    assert digests.verify(conn)[0] == []


def _reference_refs(conn: sqlite3.Connection, values: list) -> list:
    """The stored form of IDs as the module docstring of `ledger.compact` states it, by a regular
    expression: a trailing number without leading zeros (at most 18 digits) × 32 + its prefix's
    key where that key is below 32 and the number below 2^57, else the text."""
    found = [re.fullmatch(r"((?:.*[^0-9])?0*)([1-9][0-9]*)", v, re.DOTALL) if isinstance(v, str) else None
             for v in values]
    split = [m if m and len(m.group(2)) <= 18 else None for m in found]
    new = sorted({m.group(1) for m in split if m} - {t for (t,) in conn.execute("SELECT text FROM ledger_prefixes")})
    conn.executemany("INSERT OR IGNORE INTO ledger_prefixes (text) VALUES (?)", ((p,) for p in new))
    keys = dict(conn.execute("SELECT text, key FROM ledger_prefixes"))
    return [int(m.group(2)) * 32 + keys[m.group(1)] if m and keys[m.group(1)] < 32 and int(m.group(2)) < 1 << 57
            else v if isinstance(v, str) else str(v) for v, m in zip(values, split)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(IDS, st.integers(), st.sampled_from(["P7", "Q07", "9" * 18, "1" + "0" * 17])),
                max_size=60), st.integers(0, 40))
def test_id_refs_store_ids_as_the_format_says(values, taken):
    """`compact.id_refs` (one loop over a million IDs, encoded once each when they repeat) gives
    what the format says, also once the first 32 prefix keys are taken."""
    conn, reference = _ledger(), _ledger()
    for c in (conn, reference):
        c.executemany("INSERT INTO ledger_prefixes (text) VALUES (?)", ((f"taken{i}",) for i in range(taken)))
    assert compact.id_refs(conn, values) == _reference_refs(reference, values)
    assert list(conn.execute("SELECT * FROM ledger_prefixes")) == list(reference.execute("SELECT * FROM ledger_prefixes"))


NUMBER = st.one_of(st.integers(0, (1 << 62) - 1), st.sampled_from([0, 1, 7, 32]))


def _purchase_rows(ref):
    return st.lists(st.tuples(st.just(1), st.integers(0, 3), st.integers(0, 3), ref, ref, st.integers(0, 3),
                              st.just(0), st.integers(), st.integers()), max_size=40)


@settings(max_examples=200, deadline=None)
@given(st.one_of(_purchase_rows(NUMBER), _purchase_rows(st.one_of(NUMBER, st.text(max_size=3)))))
def test_purchases_go_in_in_the_order_of_the_tables_key(rows):
    """numpy's sort of purchase rows (every customer and order a number) is the keyed sort's."""
    assert compact._in_key_order(rows) == sorted(rows, key=compact._purchase_order)


def test_the_ledger_keeps_the_manifest_as_compact_json(sample_close):
    """The manifest's copy in the ledger (a megabyte a month at a million orders) without the
    spaces of JSON's default separators: every reader parses it."""
    conn = sqlite3.connect(f"file:{sample_close.parent / 'csbatch-ledger.sqlite'}?mode=ro", uri=True)
    (stored,) = conn.execute("SELECT manifest FROM closes").fetchone()
    assert stored == json.dumps(json.loads(stored), ensure_ascii=False, separators=(",", ":"))
