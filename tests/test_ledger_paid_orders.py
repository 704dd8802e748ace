"""Issue 14 (round 5): the pay of refunded orders is read in one lookup by the key of
`order_pay_rows` (a TEMP table of the orders' stored forms), not by chunks of IN-lists that scan
every row. It finds exactly the rows of live closes that the `order_pay` view shows for those
orders, whatever the shape of the ID and however many orders are asked about."""

from __future__ import annotations

from decimal import Decimal

from csbatch.ledger import compact
from csbatch.ledger.db import immediate
from csbatch.ledger.store import Ledger

#: IDs of odd shapes: prefixes, leading zeros, plain numbers, text, a NUL at the end, too long a number
ODD = ["MD26100000002", "KH013550", "1041", "007", "0", "00", "A0", "X", "", "订单12", "MD7\x00", "7\x00",
       "123456789012345678901", "E-1", "MD26100000002 "]
MANY = [f"MD2611{n:07d}" for n in range(700)]       # more than 500 orders refunded at once


def _ledger(tmp_path) -> Ledger:
    ledger = Ledger(tmp_path / "l.sqlite")
    closes = [("a" * 32, "2026-09", 0), ("b" * 32, "2026-10", 1), ("c" * 32, "2026-10", 0), ("d" * 32, "2026-11", 0)]
    with immediate(ledger.conn):
        for close_id, period, superseded in closes:
            ledger.conn.execute("INSERT INTO closes VALUES (?, ?, 't', 'me', 'o', 's', 1, ?, '{}')",
                                (close_id, period, superseded))
            orders = ODD + MANY
            n = len(orders)
            compact.insert_order_pay(ledger.conn, close_id, orders + ODD[:3], [f"E{i % 7}" for i in range(n + 3)],
                                     (["commission", "bonus"] * n)[:n + 3],
                                     [f"{i}.{i % 100:02d}" if i % 5 else f"-{i}" for i in range(n + 3)])
    return ledger


def _expected(ledger: Ledger, order_ids: list[str]) -> list[tuple]:
    wanted = set(order_ids)
    return sorted((o, p, e, k, Decimal(a)) for p, o, e, k, a in ledger.conn.execute(
        """SELECT c.period, v.order_id, v.employee_id, v.component, v.amount FROM order_pay v
           JOIN closes c ON c.close_id = v.close_id WHERE c.superseded = 0""") if o in wanted)


def test_paid_orders_finds_what_the_view_shows_for_ids_of_every_shape(tmp_path):
    ledger = _ledger(tmp_path)
    asked = ODD + MANY[::-1] + ["nothing", "MD0", "MD26100000002"]       # repeats and misses too
    paid = ledger.paid_orders(asked)
    assert list(paid.columns) == ["order_id", "period", "employee_id", "component", "amount"]
    rows = list(paid.itertuples(index=False, name=None))
    assert sorted(rows) == _expected(ledger, asked)
    assert len(rows) == 3 * (len(ODD) + len(MANY) + 3)       # three live closes; the superseded one is not read
    assert [(r[0], r[3]) for r in rows] == sorted((r[0], r[3]) for r in rows)    # by order, then component
    assert all(type(a) is Decimal for a in paid["amount"])
    assert ledger.paid_orders(MANY[:600]).shape == (3 * 600, 5)
    ledger.close()


def test_paid_orders_of_nothing_and_again(tmp_path):
    ledger = _ledger(tmp_path)
    assert ledger.paid_orders([]).empty
    assert list(ledger.paid_orders([]).columns) == ["order_id", "period", "employee_id", "component", "amount"]
    first = ledger.paid_orders(["MD7\x00", "007"])
    again = ledger.paid_orders(["MD7\x00", "007"])   # the TEMP table of the last call left nothing behind
    assert first.equals(again)
    assert sorted(set(first["order_id"])) == ["007", "MD7\x00"]
    assert ledger.paid_orders(["nothing"]).empty
    ledger.close()
