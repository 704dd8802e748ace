"""An .xlsx's scan runs in a second thread while calamine parses the sheet
(`read.read_excel_sheet`): the outcome is that of scanning first."""

from __future__ import annotations

import threading
import zlib

import pytest

from builders import write_xlsx
from csbatch.sheets import read
from csbatch.sheets.filecheck import ReadError


def _book(tmp_path):
    path = tmp_path / "book.xlsx"
    write_xlsx(path, {"Sheet1": [["a", "b"], [1, "x"]]})
    return path


def test_the_scan_runs_beside_the_parse_and_gives_the_same_sheet(tmp_path, monkeypatch):
    path = _book(tmp_path)
    threads: list[bool] = []
    scan = read._scan_workbook

    def scanning(*args):
        threads.append(threading.current_thread() is threading.main_thread())
        return scan(*args)

    monkeypatch.setattr(read, "_scan_workbook", scanning)
    sheet = read.read_excel_sheet(path, "Sheet1")
    assert threads == [False]
    assert sheet.rows == [["a", "b"], [1, "x"]] and not sheet.unreadable and not sheet.long_text


def test_a_damaged_zip_is_said_first_whatever_calamine_met(tmp_path, monkeypatch):
    path = _book(tmp_path)

    def damaged(*args):
        raise zlib.error("invalid stored block lengths")

    def calamine_fails(*args):
        raise ReadError("cannot open as a workbook: boom")

    monkeypatch.setattr(read, "_scan_workbook", damaged)
    monkeypatch.setattr(read, "_calamine_cells", calamine_fails)
    with pytest.raises(ReadError, match="damaged workbook"):
        read.read_excel_sheet(path, "Sheet1")
    monkeypatch.setattr(read, "_scan_workbook", lambda *args: (False, read._Scan()))
    with pytest.raises(ReadError, match="boom"):
        read.read_excel_sheet(path, "Sheet1")
