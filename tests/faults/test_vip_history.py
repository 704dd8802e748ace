"""VIP history: `csbatch vip import-history` and the close count purchases with one function
(`vip.purchases.month_purchases`, through `history_purchases` for a history file), so a refunded
order that was never counted adds nothing in either, and a refund of an order counted in an
earlier month is reversed by the close of the month it is reported in."""

from __future__ import annotations

import csv
import sqlite3
from decimal import Decimal
from pathlib import Path

from harness import CONFIG, Closer, cli, sample_month

from builders import write_xlsx

HEADER = ["订单号", "下单日期", "客服工号", "客户编号", "实收金额", "门店类型", "订单状态"]


def history(path: Path, *rows) -> Path:
    return write_xlsx(path, {"销售": [HEADER, *rows]})


def ledger_purchases(ledger: Path) -> list[tuple[str, str, str, Decimal]]:
    """(period, customer, order, amount) of every purchase row the ledger holds."""
    con = sqlite3.connect(ledger)
    try:
        rows = con.execute("SELECT period, customer_id, order_id, amount FROM vip_purchases").fetchall()
    finally:
        con.close()
    return sorted((p, c, o, Decimal(a)) for p, c, o, a in rows)


def import_history(file: Path, out: Path):
    return cli("vip", "import-history", file, "--out", out, "--config", CONFIG)


def members(out: Path) -> dict[tuple[str, str], dict]:
    with open(out / "2026-10" / "data" / "vip_members.csv", encoding="utf-8-sig", newline="") as fh:
        return {(r["customer_id"], r["programme"]): r for r in csv.DictReader(fh)}


def test_imported_refund_never_counted_adds_nothing_and_the_card_follows(tmp_path):
    # KH000097 spends 25,610 at modern stores in the sample October (four orders, none ≥ 25,000).
    # Earlier months, by hand: three completed modern orders of 18,500 (May–July) = 55,500; the
    # August order of 5,000 was refunded, so never counted: it adds nothing (recording it as
    # −5,000 would leave 50,500). Trailing 12 months at the October close: 55,500 + 25,610 =
    # 81,110 ≥ 80,000 → a modern silver card. With the −5,000: 76,110, no card.
    file = history(tmp_path / "history.xlsx",
                   ["H1", "2026-05-10", "1003", "KH000097", 18500, "现代", "已完成"],
                   ["H2", "2026-06-10", "1003", "KH000097", 18500, "现代", "已完成"],
                   ["H3", "2026-07-10", "1003", "KH000097", 18500, "现代", "已完成"],
                   ["H4", "2026-08-10", "1003", "KH000097", 5000, "现代", "已退款"])
    closer = Closer(tmp_path)
    run = import_history(file, closer.out)
    assert run.exit_code == 0, run.output
    assert "imported 3 purchases of 1 customers for 2026-05, 2026-06, 2026-07" in run.stdout
    assert [(p, o, a) for p, _, o, a in ledger_purchases(closer.ledger)] == [
        ("2026-05", "H1", Decimal("18500")), ("2026-06", "H2", Decimal("18500")),
        ("2026-07", "H3", Decimal("18500"))]

    run = closer.close(sample_month(tmp_path))
    assert run.exit_code == 0, run.output
    member = members(closer.out)[("KH000097", "modern")]
    assert (member["spend_month"], member["spend_12m"], member["tier"]) == ("25610.00", "81110.00", "silver")


def test_import_and_close_count_a_month_alike(tmp_path):
    """The sample's store orders imported as history and the same month closed give the same
    purchases, except the refund of a September order (MD26090000008, ¥6,540): the close of the
    month it is reported in reverses it; a history file can only show it as refunded in its own
    month, never counted."""
    inputs = sample_month(tmp_path)
    imported = Closer(tmp_path / "imported")
    run = import_history(inputs / "销售订单_2.xlsx", imported.out)
    assert run.exit_code == 0, run.output
    closed = Closer(tmp_path / "closed")
    run = closed.close(inputs)
    assert run.exit_code == 0, run.output

    by_import = ledger_purchases(imported.ledger)
    by_close = ledger_purchases(closed.ledger)
    reversal = ("2026-10", "KH000171", "MD26090000008", Decimal("-6540"))
    assert reversal in by_close and all(row[2] != "MD26090000008" for row in by_import)
    assert by_import == [row for row in by_close if row != reversal]
    assert {row[0] for row in by_import} == {"2026-10"}


def test_refund_of_an_order_counted_earlier_is_reversed_by_the_close(tmp_path):
    # MD26090000008 (KH000171, flagship, ¥6,540, ordered 2026-09-01) imported as a completed
    # September purchase; the sample October reports it refunded: the October close records
    # −6,540 in October, so KH000171's trailing flagship spend nets the order out.
    file = history(tmp_path / "history.xlsx",
                   ["MD26090000008", "2026-09-01", "1005", "KH000171", 6540, "旗舰", "已完成"])
    closer = Closer(tmp_path)
    assert import_history(file, closer.out).exit_code == 0
    run = closer.close(sample_month(tmp_path))
    assert run.exit_code == 0, run.output
    rows = [r for r in ledger_purchases(closer.ledger) if r[2] == "MD26090000008"]
    assert rows == [("2026-09", "KH000171", "MD26090000008", Decimal("6540")),
                    ("2026-10", "KH000171", "MD26090000008", Decimal("-6540"))]


def test_import_refuses_a_refund_in_a_month_the_ledger_already_holds(tmp_path):
    # A second file whose only programme row is a refund dated in a month the ledger holds adds
    # nothing, yet it speaks about that month: refused like any reload, not silently dropped.
    closer = Closer(tmp_path)
    first = history(tmp_path / "may.xlsx", ["H1", "2026-05-10", "1003", "K1", 40000, "现代", "已完成"])
    assert import_history(first, closer.out).exit_code == 0
    before = closer.ledger.read_bytes()
    again = history(tmp_path / "refund.xlsx", ["H1", "2026-05-10", "1003", "K1", 40000, "现代", "已退款"])
    run = import_history(again, closer.out)
    assert run.exit_code == 1, run.output
    assert "already has purchases for 2026-05" in run.stderr
    assert closer.ledger.read_bytes() == before


def test_import_of_refunds_only_is_an_error_not_an_empty_import(tmp_path):
    closer = Closer(tmp_path)
    file = history(tmp_path / "refunds.xlsx", ["H4", "2026-06-13", "1003", "K1", 2000, "现代", "已退款"])
    run = import_history(file, closer.out)
    assert run.exit_code == 1, run.output
    assert "no completed purchase with a store type" in run.stderr
    assert not closer.ledger.exists() or ledger_purchases(closer.ledger) == []
