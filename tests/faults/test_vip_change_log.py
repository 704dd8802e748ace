"""Issue 13, item 9: faults in the VIP desk's change log (VIP资料变更) — each refused through the CLI
with its cell, nothing published and the ledger as it was."""

from __future__ import annotations

import datetime as dt

from harness import Closer, sample_month

from builders import write_xlsx

FILE = "VIP资料变更_2026-10.xlsx"
HEADER = ["卡号", "新电话", "新地址", "登记日期", "处理日期"]


def test_bad_rows_of_the_change_log_are_refused_with_their_cells(tmp_path):
    inputs = sample_month(tmp_path)
    write_xlsx(inputs / FILE, {"VIP资料变更": [
        HEADER,
        ["F2026100001", None, None, dt.date(2026, 10, 20), None],                       # no change at all
        ["F2026100001", None, "新地址1号", dt.date(2026, 10, 20), dt.date(2026, 10, 19)],  # handled before
        ["M2026100001", "139-1234-x678", None, dt.date(2026, 10, 21), None],            # not a phone
        ["Z2026100009", "13912345678", None, dt.date(2026, 10, 21), None],              # unknown card
    ]})
    run = Closer(tmp_path).refused(   # the reader refuses the bad cell before the VIP stage runs
        inputs, f"{FILE}[VIP资料变更]!B4: column 'new_phone': '139-1234-x678' is not a phone number")
    assert "13912345678" not in run.output
    write_xlsx(inputs / FILE, {"VIP资料变更": [
        HEADER,
        ["F2026100001", None, None, dt.date(2026, 10, 20), None],
        ["F2026100001", None, "新地址1号", dt.date(2026, 10, 20), dt.date(2026, 10, 19)],
        ["Z2026100009", "13912345678", None, dt.date(2026, 10, 21), None],
    ]})
    Closer(tmp_path).refused(
        inputs, f"{FILE}[VIP资料变更]!A2: card F2026100001: the change gives neither a new phone nor a new address",
        f"{FILE}[VIP资料变更]!E3: card F2026100001: handled on 2026-10-19, before it was reported on 2026-10-20",
        f"{FILE}[VIP资料变更]!A4: card Z2026100009 is not a VIP card the ledger or this month knows")
