"""Issue 14 (round 20): the formula/error scan inflates sheet XML with zlib straight from the file
(`read._Inflated`), without zipfile's CRC-32 pass. The bytes are zipfile's, chunk by chunk; a
member whose CRC is wrong is still refused (by calamine, which reads it too); a cut file is a
damaged workbook."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.sheets import read
from csbatch.sheets.read import ReadError

SHEET = "xl/worksheets/sheet1.xml"


def _book(tmp_path: Path, rows: int = 3000) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["订单号", "金额", "备注"])
    for i in range(rows):
        ws.append([f"MD{i:08d}", i * 1.25, "<script>" if i % 97 == 0 else f"第{i}行 =HYPERLINK(\"x\")"])
    ws["D5"] = "=SUM(B2:B4)"
    ws.row_dimensions[7].hidden = True
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return path


def _rezipped(path: Path, method: int, name: str) -> Path:
    out = path.with_name(name)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", method) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
    return out


def _chunks(path: Path, part: str, n: int) -> list[bytes]:
    with zipfile.ZipFile(path) as z, read._Inflated.member(z, path, part) as fh:
        chunks = []
        while chunk := fh.read(n):
            chunks.append(chunk)
    return chunks


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_the_bytes_are_zipfiles_in_whole_chunks(tmp_path, method):
    path = _rezipped(_book(tmp_path), method, f"m{method}.xlsx")
    with zipfile.ZipFile(path) as z:
        for part in (SHEET, "xl/sharedStrings.xml", "xl/workbook.xml"):
            if part not in z.namelist():
                continue
            whole = z.read(part)
            for n in (1, 700, read._BLOCK, read._CHUNK):
                chunks = _chunks(path, part, n)
                assert b"".join(chunks) == whole
                assert all(len(c) == n for c in chunks[:-1])     # blocks stay aligned across chunks


@settings(max_examples=25, deadline=None)
@given(n=st.integers(min_value=1, max_value=200_000))
def test_any_chunk_size(tmp_path_factory, n):
    path = _book(tmp_path_factory.mktemp("b"), rows=400)
    with zipfile.ZipFile(path) as z:
        assert b"".join(_chunks(path, SHEET, n)) == z.read(SHEET)


def test_the_scan_finds_the_same_in_stored_and_deflated_books(tmp_path):
    path = _book(tmp_path)
    stored = _rezipped(path, zipfile.ZIP_STORED, "stored.xlsx")
    first, second = read._scan_workbook(path, "Sheet1"), read._scan_workbook(stored, "Sheet1")
    assert first == second
    assert first[1].risky and first[1].hidden_rows == [7]


def test_a_member_with_a_wrong_crc_is_still_refused(tmp_path):
    path = _book(tmp_path)
    with zipfile.ZipFile(path) as z:
        crc = struct.pack("<I", z.getinfo(SHEET).CRC)
    data = path.read_bytes()
    assert data.count(crc) == 2                      # the local header and the central directory
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(data.replace(crc, struct.pack("<I", struct.unpack("<I", crc)[0] ^ 1)))
    assert read._scan_workbook(bad, "Sheet1")[1].risky      # the scan reads it: it checks no CRC
    with pytest.raises(ReadError, match="checksum"):
        read.read_excel_sheet(bad, "Sheet1")


def test_a_cut_workbook_is_damaged(tmp_path):
    path = _book(tmp_path)
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(SHEET)
    data = path.read_bytes()
    with path.open("rb") as fh:
        fh.seek(info.header_offset + 26)
        name_length, extra_length = struct.unpack("<HH", fh.read(4))
    start = info.header_offset + 30 + name_length + extra_length
    cut = tmp_path / "cut.xlsx"       # the sheet's compressed bytes zeroed from the middle on
    middle = start + info.compress_size // 2
    cut.write_bytes(data[:middle] + bytes(info.compress_size - info.compress_size // 2) + data[start + info.compress_size:])
    with pytest.raises(ReadError, match="damaged workbook"):
        read._checked_scan(cut, "Sheet1")


def _member(tmp_path: Path, raw: bytes) -> tuple[Path, zipfile.ZipInfo]:
    """A file holding one local header and `raw` as a deflated member's bytes."""
    name = b"xl/worksheets/sheet1.xml"
    path = tmp_path / "member.bin"
    path.write_bytes(b"PK\x03\x04" + bytes(22) + struct.pack("<HH", len(name), 0) + name + raw)
    info = zipfile.ZipInfo(name.decode())
    info.header_offset, info.compress_size, info.compress_type = 0, len(raw), zipfile.ZIP_DEFLATED
    return path, info


@settings(max_examples=30, deadline=None)
@given(text=st.binary(min_size=0, max_size=5000), repeat=st.integers(1, 300), n=st.integers(1, 5000),
       cut=st.floats(0.05, 0.95))
def test_every_byte_then_a_cut_stream_is_an_eof(tmp_path_factory, text, repeat, n, cut):
    plain = text * repeat
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = packer.compress(plain) + packer.flush()
    path, info = _member(tmp_path_factory.mktemp("m"), raw)
    with path.open("rb") as fh:
        member = read._Inflated(fh, info)
        got = b""
        while chunk := member.read(n):
            got += chunk
    assert got == plain
    short = raw[:max(1, int(len(raw) * cut))] if len(raw) > 2 else raw[:1]
    path, info = _member(tmp_path_factory.mktemp("m"), short)
    with path.open("rb") as fh, pytest.raises((EOFError, zlib.error)):
        member = read._Inflated(fh, info)
        while member.read(n):
            pass
