"""`csbatch vip import-members` (issue 13, item 9; seed [003]: cards are real-name, valid a year,
gold after a year of silver): the register read through the sheet reader, then the sample month
closed on it with real sheets — an imported gold card whose anniversary falls in the month with no
purchase in the year is voided, an imported silver card past a year with enough spend becomes gold,
and a bad register cell is refused with its place and nothing written."""

from __future__ import annotations

import csv
import shutil
import sqlite3

from builders import write_csv
from conftest import CONFIG, SAMPLES
from csbatch.closing.runs import monthly_close
from csbatch.commands.vip_import_members import import_members
from csbatch.idnumbers import check_characters


def _id(body: str) -> str:
    return body + str(check_characters([body])[0])


GOLD_ID, SILVER_ID = _id("11010119800101123"), _id("11010119850505234")
HEADER = ["卡号", "客户编号", "VIP类别", "卡级", "办卡日期", "积分余额", "身份证号", "姓名", "电话", "生日"]


def _register(folder, rows):
    return write_csv(folder / "VIP会员名册.csv", [HEADER, *rows])


GOOD = [["F20251001", "KH990001", "专业VIP", "金卡", "2025-10-15", "1200", GOLD_ID, "王金", "13800000001", ""],
        ["M20250601", "KH990002", "普通VIP", "银卡", "2025-06-01", "0", SILVER_ID, "李银", "13800000002", ""]]


def _members(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {r["card_no"]: r for r in csv.DictReader(fh)}


def test_imported_members_are_existing_members_in_the_first_close(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLES / "2026-10", inputs)
    write_csv(inputs / "客户档案_导入会员.csv", [["客户编号", "姓名", "电话", "身份证号"],
                                                 ["KH990001", "王金", "13800000001", GOLD_ID],
                                                 ["KH990002", "李银", "13800000002", SILVER_ID]])
    with (inputs / "接待统计_2026-10.csv").open(encoding="utf-8-sig") as fh:
        employee = next(csv.DictReader(fh))["工号"]
    write_csv(inputs / "销售订单_9.csv", [["订单号", "下单日期", "客服工号", "客户编号", "金额", "门店类型"],
                                          ["SO990001", "2026-10-20", employee, "KH990002", "110000", "现代"]])
    out = tmp_path / "out"
    done, issues = import_members(_register(tmp_path, GOOD), out / "csbatch-ledger.sqlite", "2026-10", CONFIG)
    assert done == {"members": 2, "first": "2026-10"}, [str(i) for i in issues]
    close = monthly_close("2026-10", inputs, out, CONFIG)
    assert close.ok, [str(i) for i in close.issues if i.is_error]
    members = _members(out / "2026-10" / "data/vip_members.csv")
    gold = members["F20251001"]
    # [003] 一年后积分清零，无消费记录VIP卡作废: anniversary 2026-10-15, no purchase in the year
    assert (gold["status"], gold["points_open"], gold["points_expired"], gold["points_close"]) == \
        ("void", "1200", "1200", "0")
    # [003] 持银卡一年以上；累积消费达目标: silver since 2025-06-01, ¥110,000 ≥ ¥100,000 in 12 months
    silver = members["M20250601"]
    assert (silver["status"], silver["tier"], silver["valid_until"]) == ("active", "gold", "2027-05-31")
    ledger = (out / "csbatch-ledger.sqlite").read_bytes()
    assert GOLD_ID.encode() not in ledger and SILVER_ID.encode() not in ledger
    # once: a second import is refused
    again, issues = import_members(_register(tmp_path, GOOD), out / "csbatch-ledger.sqlite", "2026-10", CONFIG)
    assert again is None and any(i.code == "vip.import_members_twice" for i in issues)


def test_a_bad_register_cell_is_refused_with_its_place_and_nothing_written(tmp_path):
    bad = [GOOD[0], [*GOOD[1][:4], "2025-13-01", *GOOD[1][5:]]]
    ledger = tmp_path / "out" / "csbatch-ledger.sqlite"
    done, issues = import_members(_register(tmp_path, bad), ledger, "2026-10", CONFIG)
    assert done is None
    errors = [i for i in issues if i.is_error]
    assert errors and "VIP会员名册.csv" in str(errors[0].source) and "E3" in str(errors[0].source), \
        [str(i) for i in errors]
    if ledger.exists():
        with sqlite3.connect(ledger) as conn:
            assert conn.execute("SELECT COUNT(*) FROM vip_imports").fetchone()[0] == 0
