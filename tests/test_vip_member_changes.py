"""Members' address and phone changes on the VIP list (issue 13, item 9; seed [003] 申办VIP卡注意事项
4.: 申请表上地址和电话发生变更时,客服人员应及时处理): the desk's change log (VIP资料变更) read through
the sheet reader and closed with the sample month — each change a task row with its due day
(vip.yaml `member_changes.handle_within_days`, company-set 3) and status, the new phone masked in
every output; a change naming a card nobody knows is refused with its cell and nothing written."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import zipfile

import pandas as pd

from builders import read_csv_rows, write_csv, write_xlsx
from conftest import CONFIG, SAMPLES
from csbatch.closing.runs import monthly_close
from csbatch.commands.vip_import_members import import_members
from csbatch.idnumbers import check_characters

NEW_PHONE = "13912345678"
HEADER = ["卡号", "新电话", "新地址", "登记日期", "处理日期"]
SILVER_ID = "11010119850505234" + str(check_characters(["11010119850505234"])[0])


def _month(tmp_path, changes):
    """The sample month with the change log, and a ledger holding one imported member (M20250601)."""
    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLES / "2026-10", inputs)
    write_xlsx(inputs / "VIP资料变更_2026-10.xlsx", {"VIP资料变更": [HEADER, *changes]})
    write_csv(inputs / "客户档案_导入会员.csv", [["客户编号", "姓名", "电话", "身份证号"],
                                                 ["KH990002", "李银", "13800000002", SILVER_ID]])
    register = write_csv(tmp_path / "VIP会员名册.csv", [
        ["卡号", "客户编号", "VIP类别", "卡级", "办卡日期", "积分余额", "身份证号"],
        ["M20250601", "KH990002", "普通VIP", "银卡", "2025-06-01", "0", SILVER_ID]])
    out = tmp_path / "out"
    done, issues = import_members(register, out / "csbatch-ledger.sqlite", "2026-10", CONFIG)
    assert done is not None, [str(i) for i in issues]
    return inputs, out


def _every_output_text(folder) -> str:
    """Every published file's text, workbooks unzipped (their cells are XML inside)."""
    texts = []
    for path in [folder] if folder.is_file() else folder.rglob("*"):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                texts += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
        elif path.is_file():
            texts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(texts)


def test_a_phone_change_is_a_task_with_the_new_phone_masked_everywhere(tmp_path):
    inputs, out = _month(tmp_path, [
        # F2026100001: the flagship card the sample month issues on 2026-10-10
        ["F2026100001", NEW_PHONE, None, dt.date(2026, 10, 20), None],
        ["M20250601", None, "上海市徐汇区漕溪北路1号", dt.date(2026, 10, 12), dt.date(2026, 10, 14)],
        ["M20250601", "021-64871234", None, dt.date(2026, 10, 29), None]])
    close = monthly_close("2026-10", inputs, out, CONFIG)
    assert close.ok, [str(i) for i in close.issues if i.is_error]
    rows = read_csv_rows(out / "2026-10" / "data/vip_member_changes.csv")
    assert [(r["card_no"], r["kind"], r["new_value"], r["reported_on"], r["due_on"], r["handled_on"], r["status"])
            for r in rows] == [
        ("M20250601", "address_change", "上海市徐汇区漕溪北路1号", "2026-10-12", "2026-10-15", "2026-10-14", "done"),
        ("F2026100001", "phone_change", "139****5678", "2026-10-20", "2026-10-23", "", "overdue"),
        ("M20250601", "phone_change", "021****1234", "2026-10-29", "2026-11-01", "", "open")]
    assert rows[1]["customer_id"] == "KH000010" and rows[0]["customer_id"] == "KH990002"
    assert "139****5678" in _every_output_text(out / "2026-10" / "vip_statements_2026-10.xlsx")
    everything = _every_output_text(out / "2026-10")
    assert NEW_PHONE not in everything and "02164871234" not in everything
    ledger = (out / "csbatch-ledger.sqlite").read_bytes()
    assert NEW_PHONE.encode() not in ledger.replace(b"-", b"")


def test_a_change_of_an_unknown_card_is_refused_with_its_cell(tmp_path):
    inputs, out = _month(tmp_path, [["M20250601", NEW_PHONE, None, dt.date(2026, 10, 20), None],
                                    ["X20269999", NEW_PHONE, None, dt.date(2026, 10, 21), None]])
    close = monthly_close("2026-10", inputs, out, CONFIG)
    assert not close.ok
    errors = [i for i in close.issues if i.is_error]
    assert [i.code for i in errors] == ["vip.change_unknown_card"], [str(i) for i in errors]
    assert "VIP资料变更_2026-10.xlsx" in str(errors[0].source) and "A3" in str(errors[0].source)
    assert "X20269999" in str(errors[0])
    assert not (out / "2026-10").exists()


def test_the_csv_contract_is_the_stage_s_columns():
    from csbatch.reports.tables import VIP_MEMBER_CHANGES
    from csbatch.vip.model import MEMBER_CHANGE_COLUMNS
    assert VIP_MEMBER_CHANGES.names == MEMBER_CHANGE_COLUMNS


def test_due_day_and_status_at_month_end(policy):
    """Handled after the due day is `late`; with no `handle_within_days` there is no due day, and an
    unhandled change stays `open` however long ago it was reported."""
    from builders import typed_frame
    from csbatch.vip.card_events import Card
    from csbatch.vip.changes import member_changes
    from csbatch.vip.people import People

    card = Card("F2026100001", "p1", "KH1", "flagship", "silver", dt.date(2026, 10, 1), dt.date(2027, 9, 30),
                "active")
    rows = typed_frame(policy, "member_changes", [
        {"card_no": "F2026100001", "new_address": "新地址1号", "reported_on": "2026-10-02",
         "handled_on": "2026-10-09"},
        {"card_no": "F2026100001", "new_phone": "13912345678", "reported_on": "2026-10-03"}])

    def status(p):
        out, issues = member_changes("2026-10", rows, [card], People(), p, lambda row, col: None)
        assert issues == []
        return [(r["status"], None if pd.isna(r["due_on"]) else r["due_on"].date().isoformat())
                for r in out.to_dict("records")]

    assert status(policy) == [("late", "2026-10-05"), ("overdue", "2026-10-06")]
    unset = dataclasses.replace(policy, vip=policy.vip.model_copy(update={
        "member_changes": policy.vip.member_changes.model_copy(update={"handle_within_days": None})}))
    assert status(unset) == [("done", None), ("open", None)]
