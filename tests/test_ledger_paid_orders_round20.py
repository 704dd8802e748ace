"""Issue 14 (round 20): refunds look for their earlier pay only in the closes whose stored orders
could hold them (`compact.OrderProbe`), so the lookup does not grow with the months the ledger
holds. The rows found are still exactly those the `order_pay` view shows for live closes."""

from __future__ import annotations

from csbatch.ledger import compact
from csbatch.ledger.db import immediate
from csbatch.ledger.store import Ledger
from test_ledger_paid_orders import _expected


def _month(n: int) -> list[str]:
    return [f"MD26{n:02d}{i:07d}" for i in range(1, 301)]


def _ledger(tmp_path) -> Ledger:
    """Twelve live closes of a year, each with its own month of order numbers; March also pays a
    few orders of February and text IDs; May is recorded in two parts, the second with an order
    that does not fit its first part's forms."""
    ledger = Ledger(tmp_path / "l.sqlite")
    with immediate(ledger.conn):
        for n in range(1, 13):
            close_id = f"{n:032d}"
            ledger.conn.execute("INSERT INTO closes VALUES (?, ?, 't', 'me', 'o', 's', 1, 0, '{}')",
                                (close_id, f"2026-{n:02d}"))
            orders = _month(n) + (_month(2)[:5] + ["订单7", "X", "007"] if n == 3 else [])
            compact.insert_order_pay(ledger.conn, close_id, orders, [f"E{i % 7}" for i in range(len(orders))],
                                     ["commission"] * len(orders), [f"{i}.05" for i in range(len(orders))])
            if n == 5:
                compact.insert_order_pay(ledger.conn, close_id, ["MD26010000009", "KH1"], ["E1", "E2"],
                                         ["bonus", "bonus"], ["1", "2"])
    return ledger


def test_every_close_is_read_for_the_orders_it_holds(tmp_path):
    ledger = _ledger(tmp_path)
    asked = _month(2)[:10] + _month(11)[::50] + ["订单7", "X", "007", "KH1", "MD26010000009", "MD26130000001",
                                                  "nothing", "MD26050000300"]
    paid = ledger.paid_orders(asked)
    rows = list(paid.itertuples(index=False, name=None))
    assert sorted(rows) == _expected(ledger, asked)
    assert {(o, p) for o, p, *_ in rows if o in ("MD26020000001", "MD26010000009", "KH1", "X")} == {
        ("MD26020000001", "2026-02"), ("MD26020000001", "2026-03"), ("MD26010000009", "2026-01"),
        ("MD26010000009", "2026-05"), ("KH1", "2026-05"), ("X", "2026-03")}
    assert [(r[0], r[3]) for r in rows] == sorted((r[0], r[3]) for r in rows)
    ledger.close()


def test_a_close_is_asked_only_for_orders_in_its_range(tmp_path):
    ledger = _ledger(tmp_path)
    asked = _month(2)[:3] + _month(11)[:2] + ["X"]
    probe = compact.OrderProbe(compact.id_refs(ledger.conn, asked, add=False), asked)
    forms = compact.order_forms(ledger.conn)
    owners = dict(ledger.conn.execute("SELECT w.text, w.key FROM ledger_keys w JOIN closes c ON c.close_id = w.text"))

    def probed(n: int) -> list[str]:
        base, width, _ = forms[owners[f"{n:032d}"]]
        return [text for _, _, text in probe.rows(ledger.conn, owners[f"{n:032d}"], base, width)]

    assert probed(2) == _month(2)[:3]
    assert probed(11) == _month(11)[:2]
    assert probed(7) == []                          # no order of July asked, no text held
    assert probed(3) == _month(2)[:3] + ["X"]       # March paid February's first orders and holds texts
    ledger.close()
