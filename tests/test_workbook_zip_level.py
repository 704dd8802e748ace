"""Issue 14: a workbook's parts are deflated at `ZIP_LEVEL` (zlib's 1: about a third of the
default level's time), their XML as XlsxWriter writes it; XlsxWriter's own ZipFile is put back."""

from __future__ import annotations

import zipfile
import zlib

import pytest
import xlsxwriter.workbook

from csbatch.reports import workbook as wb
from csbatch.reports.workbook import Workbook


def _deflated_size(data: bytes, level: int) -> int:
    squeeze = zlib.compressobj(level, zlib.DEFLATED, -15)      # a zip member: raw deflate
    return len(squeeze.compress(data) + squeeze.flush())


def _book(path):
    book = Workbook(path)
    sheet = book.book.add_worksheet("cells")
    for row in range(3000):
        sheet.write_string(row, 0, f"客户 {row % 97} · order {row}")
        sheet.write_number(row, 1, row * 1.25)
    return book


def test_the_parts_are_deflated_at_the_chosen_level(tmp_path):
    _book(tmp_path / "w.xlsx").close()
    with zipfile.ZipFile(tmp_path / "w.xlsx") as z:
        infos = {i.filename: i for i in z.infolist()}
        for name in ("xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"):
            info = infos[name]
            assert info.compress_type == zipfile.ZIP_DEFLATED
            assert info.compress_size == _deflated_size(z.read(name), wb.ZIP_LEVEL)
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile


def test_xlsxwriters_zipfile_is_put_back_when_storing_fails(tmp_path):
    book = _book(tmp_path / "missing" / "w.xlsx")       # the folder does not exist
    with pytest.raises(OSError):
        book.close()
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile
