"""The shared strings a workbook writes (`reports.workbook._SharedStrings`): a plain string goes
out as the very `<si><t>…</t></si>` XlsxWriter's `_write_si` writes, many per write; any other
string through `_write_si` itself. sharedStrings.xml is byte for byte XlsxWriter's own."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import xlsxwriter

from csbatch.reports.workbook import _SST_BATCH, _Book

#: what makes XlsxWriter change or mark a string, mixed with plain text
PIECES = ["a", "Z", " ", "\t", "\n", "\r", "&", "<", ">", '"', "'", "_x00A1_", "_x", "_X00ff_", "\x00", "\x1f",
          "\x7f", "\ufffe", "\uffff", "中", "😀", "\u00a0", "\u2003", "\u3000", "<r>", "</r>", "_", "x", "0", "=1+1"]


def _shared_strings(book_class: type, path: Path, strings: list[str]) -> bytes:
    book = book_class(str(path))
    sheet = book.add_worksheet()
    for i, text in enumerate(strings):
        sheet.write_string(i % 1000, i // 1000, text)
    book.close()
    with zipfile.ZipFile(path) as z:
        return z.read("xl/sharedStrings.xml")


def test_shared_strings_are_xlsxwriter_s(tmp_path: Path) -> None:
    rng = random.Random(14)
    strings = ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 6))) for _ in range(6000)]
    strings += [f"plain {i} 客户" for i in range(2 * _SST_BATCH + 3)]          # more than a batch in a row
    strings += ["<r><t>rich</t></r>", " lead", "trail ", "", "&amp;", "x\ny"]
    want = _shared_strings(xlsxwriter.Workbook, tmp_path / "theirs.xlsx", strings)
    got = _shared_strings(_Book, tmp_path / "ours.xlsx", strings)
    assert got == want


def test_a_workbook_without_strings_has_no_shared_strings(tmp_path: Path) -> None:
    book = _Book(str(tmp_path / "n.xlsx"))
    book.add_worksheet().write_number(0, 0, 1)
    book.close()
    with zipfile.ZipFile(tmp_path / "n.xlsx") as z:
        assert "xl/sharedStrings.xml" not in z.namelist()
