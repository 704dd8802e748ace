"""The order the month's sheets are read and typed in with a worker reading ahead
(`intake.reading_order`: heavy sheets in the middle): what `read_inputs` returns (frames, issues
and their order) and the progress calls stay in the folder's order, as when read one after the
other, odd and bad sheets included; still at most one sheet read ahead."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

import test_intake_read_ahead as read_ahead_tests
from builders import ROSTER_ROWS, write_csv, write_roster, write_xlsx
from csbatch.sheets import intake
from csbatch.sheets.discover import FoundSheet
from csbatch.sheets.intake import read_inputs, reading_order

PERIOD = "2026-10"
SALES_HEADER = ["订单号", "下单日期", "客服工号", "客户编号", "实收金额"]


def _month(folder):
    """Bad and odd sheets around two heavy sales workbooks (one with a totals row, a bad amount,
    blank padding and a note row) and a heavy CSV."""
    write_roster(folder)
    big = [[f"A{i}", "2026-10-08", ROSTER_ROWS[i % 3][0], f"C{i % 97}", 100 + i] for i in range(3000)]
    write_xlsx(folder / "销售订单_1.xlsx", {
        "Sheet1": [SALES_HEADER, *big[:1500], ["B1", "2026-10-09", "1002", "C1", "abc"], [None] * 5,
                   ["合计", None, None, None, 5], ["备注：十月", None, None, None, None]],
        "Sheet2": [SALES_HEADER, ["B2", "2026-10-09", "1002", " C1\u200b", "1,234.50"]]})
    write_xlsx(folder / "销售订单_2.xlsx", {"Sheet1": [["no header here"], ["at all"]]})
    (folder / "考勤.csv").write_bytes("工号,日期\n".encode() + b"1001,\xff\xff\xff\n")   # a bad file
    write_xlsx(folder / "销售订单_3.xlsx", {"Sheet1": [SALES_HEADER, *big[1500:]]})
    write_csv(folder / "接待统计.csv", [["工号", "日期", "接待量"],
                                     *[["1001", f"2026-10-{1 + i % 28:02d}", str(i)] for i in range(20000)],
                                     ["1001", "2026-10-08", "x"]])


def _read(policy, folder, ahead):
    told: list[tuple[object, ...]] = []
    recorder = SimpleNamespace(reading=lambda name: told.append(("reading", name)),
                               read=lambda name, rows: told.append(("read", name, rows)))
    inputs, issues = read_inputs(policy, PERIOD, folder, recorder, read_ahead=ahead)
    return inputs, [(str(i), i.code, i.severity, i.source) for i in issues], told


@pytest.fixture
def heavy_from_zero(monkeypatch):
    monkeypatch.setattr(intake, "HEAVY_BYTES", 0)   # the tenth of the month alone decides


def test_heavy_sheets_go_to_the_middle(policy, tmp_path, heavy_from_zero):
    _month(tmp_path)
    found, _, _ = intake.discover(tmp_path, policy.inputs)
    order = reading_order(found)
    assert sorted(order) == list(range(len(found))) and order != list(range(len(found)))
    names = [(found[j].display, found[j].sheet) for j in order]
    heavy = {("销售订单_1.xlsx", "Sheet1"), ("销售订单_1.xlsx", "Sheet2"), ("销售订单_3.xlsx", "Sheet1")}
    assert names[0] not in heavy and names[-1] not in heavy
    assert heavy & set(names[1:-1])


def test_no_heavy_sheet_keeps_the_folders_order(tmp_path):
    for n in range(4):
        (tmp_path / f"{n}.csv").write_text("a\n1\n")
    found = [FoundSheet("sales", tmp_path / f"{n}.csv", f"{n}.csv", None) for n in range(4)]
    assert reading_order(found) == [0, 1, 2, 3]   # below HEAVY_BYTES
    assert reading_order([]) == []


def test_reordered_read_gives_the_same_issues_frames_and_progress(policy, tmp_path, heavy_from_zero, monkeypatch):
    _month(tmp_path)
    read: list[tuple[str, str | None]] = []
    try_raw = intake._try_raw

    def recording(found):
        read.append((found.display, found.sheet))
        return try_raw(found)

    monkeypatch.setattr(intake, "_try_raw", recording)
    inputs, issues, told = _read(policy, tmp_path, ahead=True)
    reordered = list(read)
    read.clear()
    seq_inputs, seq_issues, seq_told = _read(policy, tmp_path, ahead=False)
    assert reordered != read and sorted(reordered) == sorted(read)   # the new path was taken (read: the folder order)
    assert inputs is None and seq_inputs is None   # the bad files are errors
    assert issues == seq_issues and told == seq_told
    codes = {code for _, code, _, _ in issues}
    assert {"inputs.unreadable", "inputs.no_header", "cell.invalid", "inputs.totals_row", "inputs.note_row"} <= codes


def test_reordered_read_gives_the_same_frames_and_records(policy, tmp_path, heavy_from_zero):
    write_roster(tmp_path)
    for n in range(1, 4):
        rows = 30 if n != 2 else 3000
        write_xlsx(tmp_path / f"销售订单_{n}.xlsx", {
            f"S{k}": [SALES_HEADER, *[[f"A{n}{k}-{i}", "2026-10-08", ROSTER_ROWS[i % 3][0], f" C{i}", f"{i}.5"]
                                      for i in range(rows)]] for k in range(2)})
    (inputs, *rest), (seq_inputs, *seq_rest) = (_read(policy, tmp_path, ahead) for ahead in (True, False))
    assert inputs is not None and seq_inputs is not None and rest == seq_rest   # issues, progress
    assert (inputs.records, list(inputs.letters.items()), list(inputs.headers.items())) == \
        (seq_inputs.records, list(seq_inputs.letters.items()), list(seq_inputs.headers.items()))
    assert list(inputs.frames) == list(seq_inputs.frames)
    for name, frame in seq_inputs.frames.items():
        pd.testing.assert_frame_equal(inputs.frames[name], frame)


def test_still_at_most_one_sheet_read_ahead(policy, tmp_path, heavy_from_zero, monkeypatch):
    """The read-ahead test's check (sheet N+2 is read only once sheet N is typed, by a worker),
    on its month read in an order that is not the folder's."""
    read_ahead_tests._month(tmp_path / "order")
    found, _, _ = intake.discover(tmp_path / "order", policy.inputs)
    assert reading_order(found) != list(range(len(found)))
    month = tmp_path / "month"
    month.mkdir()
    read_ahead_tests.test_at_most_one_sheet_is_read_ahead_in_another_thread(policy, month, monkeypatch)
