"""what-if over a range names every month of it that was never closed (it stopped at the first)."""

from __future__ import annotations

from csbatch.closing.whatif import what_if_closed
from test_what_if import closed  # noqa: F401  (the fixture: the sample October closed)


def test_every_month_of_the_range_not_closed_is_named(closed):  # noqa: F811
    config, out = closed
    what, issues = what_if_closed(["2026-08", "2026-09", "2026-10"], "HEAD", config, out / "csbatch-ledger.sqlite")
    assert what is None
    assert [(i.code, dict(i.params)["period"]) for i in issues] == [("what_if.not_closed", "2026-08"),
                                                                     ("what_if.not_closed", "2026-09")]
