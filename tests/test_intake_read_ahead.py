"""The month's sheets read one ahead in a worker thread (`_raw_sheets`): the same frames, issues
(in the same order) and progress as one after the other, on a month of several files with bad
ones among them; an unexpected error in the worker still reaches the caller."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pandas as pd
import pytest

from builders import ROSTER_ROWS, write_csv, write_roster, write_xlsx
from csbatch.sheets import intake
from csbatch.sheets.intake import read_inputs

PERIOD = "2026-10"
SALES_HEADER = ["订单号", "下单日期", "客服工号", "客户编号", "实收金额"]


def _month(folder):
    write_roster(folder)
    write_xlsx(folder / "销售订单_1.xlsx", {
        "Sheet1": [SALES_HEADER, *[[f"A{i}", "2026-10-08", "1001", f"C{i}", 100 + i] for i in range(50)]],
        "Sheet2": [SALES_HEADER, ["B1", "2026-10-09", "1002", "C1", "abc"], ["合计", None, None, None, 5]]})
    write_xlsx(folder / "销售订单_2.xlsx", {"Sheet1": [["no header here"], ["at all"]]})
    (folder / "考勤.csv").write_bytes("工号,日期\n".encode() + b"1001,\xff\xff\xff\n")   # a bad file
    write_xlsx(folder / "销售订单_3.xlsx", {
        "Sheet1": [SALES_HEADER, ["D1", "2026-10-10", "9999", "C9", 7], ["D1", "2026-10-11", "1001", "C9", 8]]})
    write_csv(folder / "接待统计.csv", [["工号", "日期", "接待量"], ["1001", "2026-10-08", "x"]])


def _read(policy, folder, ahead):
    told: list[tuple[object, ...]] = []
    recorder = SimpleNamespace(reading=lambda name: told.append(("reading", name)),
                               read=lambda name, rows: told.append(("read", name, rows)))
    inputs, issues = read_inputs(policy, PERIOD, folder, recorder, read_ahead=ahead)
    return inputs, [(str(i), i.code, i.severity) for i in issues], told


def test_read_ahead_gives_the_same_issues_in_the_same_order_and_progress(policy, tmp_path):
    _month(tmp_path)
    inputs, issues, told = _read(policy, tmp_path, ahead=True)
    seq_inputs, seq_issues, seq_told = _read(policy, tmp_path, ahead=False)
    assert inputs is None and seq_inputs is None   # the bad files are errors
    assert issues == seq_issues
    assert told == seq_told
    codes = {code for _, code, _ in issues}
    assert {"inputs.unreadable", "inputs.no_header", "cell.invalid", "inputs.totals_row"} <= codes


def test_read_ahead_gives_the_same_frames(policy, tmp_path):
    write_roster(tmp_path)
    for n in range(1, 4):
        write_xlsx(tmp_path / f"销售订单_{n}.xlsx", {
            f"S{k}": [SALES_HEADER, *[[f"A{n}{k}{i}", "2026-10-08", ROSTER_ROWS[i % 3][0], "C", i] for i in range(20)]]
            for k in range(2)})
    inputs, issues, told = _read(policy, tmp_path, ahead=True)
    seq_inputs, seq_issues, seq_told = _read(policy, tmp_path, ahead=False)
    assert inputs is not None and seq_inputs is not None
    assert issues == seq_issues and told == seq_told
    for name, frame in seq_inputs.frames.items():
        pd.testing.assert_frame_equal(inputs.frames[name], frame)
    assert inputs.records == seq_inputs.records
    assert len(inputs["sales"]) == 3 * 2 * 20


def test_at_most_one_sheet_is_read_ahead_in_another_thread(policy, tmp_path, monkeypatch):
    """Sheet N+2 is read only once sheet N is typed (two sheets' cells at most), by a worker."""
    _month(tmp_path)
    events: list[tuple[str, str, str | None]] = []
    try_raw, read_sheet = intake._try_raw, intake._read_sheet

    def reading(found):
        events.append(("raw", found.display, found.sheet))
        return try_raw(found), threading.current_thread() is threading.main_thread()

    def typed(found, *args):
        *rest, (cells, in_main) = args
        assert not in_main
        result = read_sheet(found, *rest, cells)
        events.append(("typed", found.display, found.sheet))
        return result

    monkeypatch.setattr(intake, "_try_raw", reading)
    monkeypatch.setattr(intake, "_read_sheet", typed)
    read_inputs(policy, PERIOD, tmp_path, read_ahead=True)
    raws = [e[1:] for e in events if e[0] == "raw"]
    assert len(raws) == 7
    for n, sheet in enumerate(raws[2:]):
        assert events.index(("typed", *raws[n])) < events.index(("raw", *sheet))


@pytest.mark.parametrize("ahead", [True, False])
def test_an_unexpected_error_in_the_reader_reaches_the_caller(policy, tmp_path, monkeypatch, ahead):
    write_roster(tmp_path)
    write_xlsx(tmp_path / "销售订单.xlsx", {"Sheet1": [SALES_HEADER, ["A1", "2026-10-08", "1001", "C1", 1]]})
    read_raw = intake._read_raw

    def failing(found):
        if found.kind == "sales":
            raise RuntimeError("calamine fell over")
        return read_raw(found)

    monkeypatch.setattr(intake, "_read_raw", failing)
    with pytest.raises(RuntimeError, match="calamine fell over"):
        read_inputs(policy, PERIOD, tmp_path, read_ahead=ahead)


def test_one_core_reads_one_sheet_after_the_other(monkeypatch):
    monkeypatch.setattr(intake.os, "cpu_count", lambda: 1)
    assert not intake.read_ahead_default()
    monkeypatch.setattr(intake.os, "cpu_count", lambda: 2)
    assert intake.read_ahead_default()
