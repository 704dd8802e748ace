"""The ledger's write path (issue 14): rows inserted from columns are the rows the per-row code
stored, and the faster digest is the digest of before, byte for byte (a ledger's recorded digests
must keep verifying)."""

from __future__ import annotations

import hashlib
import json
import random
from decimal import Decimal

import pandas as pd

from csbatch.ledger.digests import _canonical, digest_rows
from csbatch.ledger.store import _day, _days


def _digest_of_before(rows) -> tuple[int, str]:
    """digest_rows as it was written first: json.dumps per row, one update per line."""
    lines = sorted(json.dumps([_canonical(v) for v in row], ensure_ascii=False, separators=(",", ":"))
                   for row in rows)
    h = hashlib.sha256()
    for line in lines:
        h.update(line.encode("utf-8"))
        h.update(b"\n")
    return len(lines), h.hexdigest()


def test_the_digest_is_the_digest_of_before():
    values = ["1003", "导入的积分余额", 'a "quoted" \\ text', "tab\tnew\nline\x01", "", "\u2028", None, 0, -5,
              10 ** 15, str(Decimal("-80.50")), 1.5, float("nan"), b"\x00\xff"]
    chance = random.Random(14)
    for count in (0, 1, 7, 70_000, 140_000):   # more than one slice of lines
        rows = [tuple(chance.choice(values) for _ in range(chance.randint(1, 6))) for _ in range(count)]
        assert digest_rows(rows) == _digest_of_before(rows), count


def test_dates_of_a_column_are_the_dates_of_each_value():
    stamps = pd.Series([pd.Timestamp("2026-10-08"), pd.NaT, pd.Timestamp("2026-09-30 17:45"), pd.Timestamp("1999-01-01")])
    assert _days(stamps) == [_day(v) for v in stamps] == ["2026-10-08", None, "2026-09-30", "1999-01-01"]
    mixed = pd.Series(["2026-10-08", None, pd.Timestamp("2026-10-09"), float("nan")], dtype=object)
    assert _days(mixed) == [_day(v) for v in mixed] == ["2026-10-08", None, "2026-10-09", None]
