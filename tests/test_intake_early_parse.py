"""The heavy sheets' calamine parses in a thread of their own, the first one's started at once
(`intake._parsing_early`), while the light sheets are read and typed: the same frames, issues and
progress as one after the other, a parse that fails is the same issue, and the sheet's Python
cells are still made one sheet ahead by the worker."""

from __future__ import annotations

import threading

import pandas as pd
import pytest

import test_intake_read_ahead as read_ahead_tests
from csbatch.sheets import intake, read
from csbatch.sheets.intake import read_inputs
from test_intake_reading_order import PERIOD, _read, heavy_from_zero  # noqa: F401  (a fixture)

pytestmark = pytest.mark.usefixtures("heavy_from_zero")


def _parses(monkeypatch):
    parses: list[tuple[str, str]] = []
    parse = read.parse_excel_sheet

    def recording(path, sheet):
        parses.append((path.name, threading.current_thread().name.split("_")[0]))
        return parse(path, sheet)

    monkeypatch.setattr(intake, "parse_excel_sheet", recording)
    return parses


def test_the_first_heavy_sheet_is_parsed_early_and_the_read_is_the_same(policy, tmp_path,
                                                                       monkeypatch):
    read_ahead_tests._month(tmp_path)
    found, _, _ = intake.discover(tmp_path, policy.inputs)
    heavy = [found[j] for j in intake._heavy(found)[0] if found[j].sheet is not None]
    parses = _parses(monkeypatch)
    inputs, issues, told = _read(policy, tmp_path, ahead=True)
    assert len(heavy) > 1 and parses[0] == (heavy[0].path.name, "csbatch-parse")   # started first
    assert sorted(parses) == sorted((s.path.name, "csbatch-parse") for s in heavy)
    assert not intake._HEAVY   # done with
    parses.clear()
    seq_inputs, seq_issues, seq_told = _read(policy, tmp_path, ahead=False)
    assert not parses   # one after the other: no parse of its own
    assert inputs is None and seq_inputs is None   # the month's bad files are errors
    assert issues == seq_issues and told == seq_told


def test_an_early_parse_gives_the_same_frames(policy, tmp_path, monkeypatch):
    read_ahead_tests.write_roster(tmp_path)
    rows = [[f"A{i}", "2026-10-08", read_ahead_tests.ROSTER_ROWS[i % 3][0], f" C{i}", f"{i}.5"] for i in range(2000)]
    read_ahead_tests.write_xlsx(tmp_path / "销售订单_1.xlsx", {"S": [read_ahead_tests.SALES_HEADER, *rows]})
    read_ahead_tests.write_xlsx(tmp_path / "销售订单_2.xlsx", {"S": [read_ahead_tests.SALES_HEADER,
                                                                     *[["B" + r[0], *r[1:]] for r in rows[:5]]]})
    parses = _parses(monkeypatch)
    (inputs, *rest), (seq_inputs, *seq_rest) = (_read(policy, tmp_path, ahead) for ahead in (True, False))
    assert parses[0] == ("销售订单_1.xlsx", "csbatch-parse")
    assert inputs is not None and seq_inputs is not None and rest == seq_rest
    for name, frame in seq_inputs.frames.items():
        pd.testing.assert_frame_equal(inputs.frames[name], frame)


def test_a_failed_early_parse_is_the_same_issue(policy, tmp_path, monkeypatch):
    read_ahead_tests._month(tmp_path)
    calamine_sheet = read._calamine_sheet

    def failing(path, sheet):
        if path.name == "销售订单_1.xlsx" and sheet == "Sheet1":
            raise read.ReadError("cannot open as a workbook: boom")
        return calamine_sheet(path, sheet)

    monkeypatch.setattr(read, "_calamine_sheet", failing)
    parses = _parses(monkeypatch)
    ahead = _read(policy, tmp_path, ahead=True)[1:]
    assert ("销售订单_1.xlsx", "csbatch-parse") in parses
    assert ahead == _read(policy, tmp_path, ahead=False)[1:]
    assert any(code == "inputs.unreadable" and "boom" in text for text, code, _, _ in ahead[0])


def test_an_early_parse_not_taken_is_dropped(policy, tmp_path, monkeypatch):
    read_ahead_tests._month(tmp_path)
    read_sheet = intake._read_sheet

    def failing(found, *args):
        if found.sheet is None:
            raise RuntimeError("typing fell over")
        return read_sheet(found, *args)

    monkeypatch.setattr(intake, "_read_sheet", failing)
    with pytest.raises(RuntimeError, match="typing fell over"):
        read_inputs(policy, PERIOD, tmp_path, read_ahead=True)
    assert not intake._HEAVY
