"""Reading a sheet's cells: workbooks with python-calamine, CSV decoded strictly.

Workbooks: .xlsx/.xlsm, and .xlsb, .xls and .ods (calamine reads them all). Before calamine opens
a file, `filecheck.check_workbook` has made sure it is the workbook its name says and, for a zip,
that it inflates within limits.

python-calamine is fast but returns `""` both for an empty cell and for a cell whose value Excel
cannot give us: a cached error (`#N/A`, `#REF!`) or a formula written by a script and never
calculated. Those must be errors, never silent blanks, so when a sheet contains any formula or
error cell at all (a cheap byte scan of its sheet XML), openpyxl looks at that workbook once more to
name those cells. The same one pass over the sheet XML finds hidden rows (`<row hidden="1">`, also
what an autofilter writes for the rows it filters out) and whether any text could be longer than
Excel's 32,767 characters (only a run of that many bytes without a `<` can hold one). Date serials
need the workbook's date system (1900 or 1904), read from `xl/workbook.xml`. Merged ranges come
from calamine, which reads them with the sheet (xlsx, xls); an .ods's merges and hidden rows from
its content.xml, parsed only when a byte scan finds a span or a hidden row. Formulas without a
value can only be found in .xlsx/.xlsm; for .xlsb and .xls neither they nor hidden rows are checked
(see docs/decisions.md).

CSV files are decoded as UTF-8 (with or without BOM) or GB18030 (a superset of GBK, what Chinese
Excel saves), strictly: a byte that is neither is an error naming its offset, and bytes that
decode as GB18030 but that charset-normalizer finds are not Chinese GBK text (Big5, UTF-16) are an
error naming the encoding.
"""

from __future__ import annotations

import codecs
import csv
import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol
from xml.etree import ElementTree

import numpy as np
from python_calamine import CalamineWorkbook, SheetVisibleEnum

from csbatch.i18n import N_, Said
from csbatch.sheets.filecheck import ReadError, ZipLimits, check_csv, check_workbook

OOXML_SUFFIXES = (".xlsx", ".xlsm")
EXCEL_SUFFIXES = (*OOXML_SUFFIXES, ".xlsb", ".xls", ".ods")
CSV_SUFFIXES = (".csv",)
#: Excel keeps at most this many characters in a cell; a longer text would be cut in our outputs.
EXCEL_TEXT_LIMIT = 32_767


@dataclass
class RawSheet:
    """The cells of one sheet as read: `rows[i][j]` is Excel row i+1, column j+1."""

    rows: list[list[Any]]
    date1904: bool = False
    #: (row index, column index) → why the cell has no usable value (formula/error)
    unreadable: dict[tuple[int, int], str] = field(default_factory=dict)
    #: merged ranges as 0-based inclusive (first row, first column, last row, last column)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    #: 1-based numbers of hidden rows; `filtered`: the sheet has an autofilter
    hidden_rows: list[int] = field(default_factory=list)
    filtered: bool = False
    #: False only when no cell can hold more than EXCEL_TEXT_LIMIT characters (proved by a scan)
    long_text: bool = True


@dataclass(frozen=True)
class SheetInfo:
    name: str
    visible: bool


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _open_error(exc: Exception) -> ReadError:
    text = str(exc)
    if "password" in text.lower() or "encrypt" in text.lower():
        return ReadError(Said(N_("is protected with a password (encrypted), so it cannot be read: open "
                                 "it in Excel, remove the password and save it as .xlsx")))
    return ReadError(Said(N_("cannot open as a workbook: {error}"), error=text))


def list_sheets(path: Path, limits: ZipLimits) -> list[SheetInfo]:
    """The sheets of a workbook, after `check_workbook` (what it really is, zip limits)."""
    check_workbook(path, limits)
    try:
        with CalamineWorkbook.from_path(str(path)) as wb:
            return [SheetInfo(m.name, m.visible == SheetVisibleEnum.Visible) for m in wb.sheets_metadata]
    except Exception as exc:  # calamine raises its own error types for corrupt files
        raise _open_error(exc) from None


_DATE1904 = re.compile(rb"<(?:\w+:)?workbookPr\b[^>]*\bdate1904=\"(?:1|true)\"")
#: What only an error cell puts in sheet XML. Plain `bytes.find` scans ~1 GB/s; a regex over the
#: same bytes is 30× slower.
_ERROR_CELL = b't="e"'
#: A formula is an `f` element: `<f>`, `<f `, `<f/` or namespaced `<x:f>`, `<x:f `.
_F, _BEFORE_F, _AFTER_F = ord("f"), (ord("<"), ord(":")), (ord(">"), ord(" "), ord("/"))
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b[^>]*>")
_HIDDEN = re.compile(rb"\bhidden=\"(?:1|true)\"")
_ROW_NUMBER = re.compile(rb"\br=\"(\d+)\"")
#: A text of more than EXCEL_TEXT_LIMIT characters is a run of at least 32,767 bytes without `<`
#: (the XML escapes `<` in text), and such a run always contains a whole 16 KiB block aligned to
#: the stream (2 × 16,384 − 1 = 32,767): looking for a `<` in each block costs one short `find`.
_BLOCK = 16_384
_CHUNK = 1 << 22  # a multiple of _BLOCK, so blocks stay aligned across chunks


class _Reads(Protocol):
    def read(self, n: int, /) -> bytes: ...


@dataclass
class _Scan:
    risky: bool = False           # a formula or error cell
    hidden_rows: list[int] = field(default_factory=list)
    filtered: bool = False
    long_run: bool = False        # some run of text could exceed EXCEL_TEXT_LIMIT


#: `f` bytes looked at one by one before the rest of a chunk is left to numpy
_FEW_F = 1_000


def _formula_or_error(body: bytes) -> bool:
    """Whether `body` holds an error cell or a formula: the same bytes as `<f>`, `<f `, `<f/`,
    `:f>`, `:f `, found from the few `f` bytes of sheet XML (tags and numbers have none), where
    five `bytes.find` calls would each scan the whole chunk (20× slower): the first `_FEW_F` by
    `bytes.find` (memchr: a chunk with a handful costs one fast pass, no array), a chunk with
    more (English texts) in one numpy pass."""
    if body.find(_ERROR_CELL) >= 0:
        return True
    pos, last = body.find(b"f", 1), len(body) - 1
    for _ in range(_FEW_F):
        if not 0 <= pos < last:
            return False
        if body[pos - 1] in _BEFORE_F and body[pos + 1] in _AFTER_F:
            return True
        pos = body.find(b"f", pos + 1)
    cells = np.frombuffer(body, dtype=np.uint8)
    at = np.flatnonzero(cells[1:-1] == _F) + 1
    before, after = cells[at - 1], cells[at + 1]
    return bool((np.isin(before, _BEFORE_F) & np.isin(after, _AFTER_F)).any())


def _long_run(chunk: bytes) -> bool:
    return any(chunk.find(b"<", start, start + _BLOCK) < 0
               for start in range(0, len(chunk) - _BLOCK + 1, _BLOCK))


def _hidden_rows(body: bytes, found: list[int]) -> None:
    """Numbers of the `<row>` tags with `hidden="1"` in `body`, found from each `hidden="` (so the
    cost follows the hidden rows, not the sheet)."""
    pos = body.find(b'hidden="')
    while pos >= 0:
        start, end = body.rfind(b"<", 0, pos), body.find(b">", pos)
        tag = body[start:end + 1]
        if _ROW_TAG.match(tag) and _HIDDEN.search(tag) and (number := _ROW_NUMBER.search(tag)):
            found.append(int(number.group(1)))
        pos = body.find(b'hidden="', pos + 8)


def _scan_xml(fh: _Reads, scan: _Scan, *, rows: bool) -> None:
    """One streamed pass over a sheet (rows=True) or the shared strings: cut at the last `<` of
    each chunk so no tag is split, and look for each marker with `bytes.find`."""
    carry = b""
    while True:
        chunk = fh.read(_CHUNK)
        if chunk and not scan.long_run:
            scan.long_run = _long_run(chunk)
        window = carry + chunk
        cut = window.rfind(b"<") if chunk else len(window)
        body, carry = (window[:cut], window[cut:]) if cut > 0 else (window, b"")
        if not rows:
            # a rich-text string is split into runs (`<r><t>…</t></r>`): the block test above
            # cannot see its length, so such a workbook is checked cell by cell
            scan.long_run = scan.long_run or body.find(b"<r>") >= 0 or body.find(b":r>") >= 0
        else:
            if not scan.risky:
                scan.risky = _formula_or_error(body)
            _hidden_rows(body, scan.hidden_rows)
            if scan.hidden_rows and not scan.filtered:
                scan.filtered = body.find(b"autoFilter") >= 0
        if not chunk:
            return


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML part, from `xl/workbook.xml` and its relationships."""
    targets = {}
    for rel in ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels")):
        target = rel.get("Target", "")
        targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(posixpath.join("xl", target))
    parts: dict[str, str] = {}
    for element in ElementTree.fromstring(z.read("xl/workbook.xml")).iter():
        if element.tag.endswith("}sheet"):
            # r:id, in the transitional or the strict relationships namespace
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
            name = element.get("name")
            if rid in targets and name is not None:   # a sheet without a name is never asked for
                parts[name] = targets[rid]
    return parts


class _Inflated:
    """A zip member's bytes, inflated by zlib straight from the file. zipfile's reader computes
    the member's CRC-32 as it goes and reads the file a few KiB at a time: 0.41-0.49 s of CPU for
    a 1M sales sheet (281 MB of XML) where this takes 0.27 s. The CRC is not lost: calamine reads
    the same members and refuses one whose CRC is wrong (`Invalid checksum`). `read(n)` returns
    exactly n bytes but at the end (`_scan_xml` keeps its blocks aligned so); a member neither
    stored nor deflated, or encrypted, is read by zipfile (`member`)."""

    _RAW = 1 << 20   # compressed bytes read at a time

    def __init__(self, fh: IO[bytes], info: zipfile.ZipInfo):
        fh.seek(info.header_offset)
        header = fh.read(30)
        if len(header) != 30 or header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile(f"bad local header for {info.filename}")
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        fh.seek(info.header_offset + 30 + name_length + extra_length)
        self._fh, self._left, self._tail = fh, info.compress_size, b""
        self._inflate = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None

    @staticmethod
    @contextmanager
    def member(z: zipfile.ZipFile, path: Path, part: str) -> Iterator[_Reads]:
        info = z.getinfo(part)
        if info.flag_bits & 1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            with z.open(part) as fh:
                yield fh
            return
        with path.open("rb") as raw:
            yield _Inflated(raw, info)

    def _raw(self, n: int) -> bytes:
        data = self._fh.read(min(n, self._left))
        if len(data) < min(n, self._left):
            raise EOFError("the workbook ends inside a compressed part")
        self._left -= len(data)
        return data

    def read(self, n: int) -> bytes:
        if self._inflate is None:
            return self._raw(n)
        parts, size = [], 0
        while size < n and not self._inflate.eof:
            if not self._tail and self._left:
                self._tail = self._raw(self._RAW)
            before = len(self._tail)
            # with no input left, zlib may still hold output of input it took (a match cut at
            # the last call's limit): asked again with nothing, it gives that, else nothing
            piece = self._inflate.decompress(self._tail, n - size)
            self._tail = self._inflate.unconsumed_tail
            if not piece and len(self._tail) == before:   # no progress, and the stream not ended
                raise EOFError("a compressed part of the workbook is cut short")
            parts.append(piece)
            size += len(piece)
        return b"".join(parts)


def _scan_workbook(path: Path, sheet: str) -> tuple[bool, _Scan]:
    """(uses the 1904 date system, what one pass over the sheet's XML found)."""
    scan = _Scan()
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        date1904 = bool(_DATE1904.search(z.read("xl/workbook.xml")))
        try:
            parts = [_sheet_parts(z)[sheet]]
        except (KeyError, ElementTree.ParseError):  # unusual layout: scan every sheet, rows unknown
            parts = [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        for part in parts:
            if part in names:
                with _Inflated.member(z, path, part) as fh:
                    _scan_xml(fh, scan, rows=len(parts) == 1)
        if len(parts) != 1:
            scan.risky = scan.long_run = True
        if "xl/sharedStrings.xml" in names and not scan.long_run:
            with _Inflated.member(z, path, "xl/sharedStrings.xml") as fh:
                _scan_xml(fh, scan, rows=False)
    return date1904, scan


_ODS_MARKERS = (b'table:visibility="', b"number-rows-spanned", b"number-columns-spanned")
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
#: Repeated hidden rows beyond this many (a sheet hiding its empty tail) are not listed one by one.
_MAX_LISTED = 100_000


def _scan_ods(path: Path, sheet: str) -> tuple[list[tuple[int, int, int, int]], list[int], bool]:
    """(merged ranges, hidden rows, filtered) of one sheet of an .ods, where calamine reports
    neither. A byte scan of content.xml first; only a file that spans or hides something is parsed
    (streamed, counting repeated rows and cells as calamine does)."""
    with zipfile.ZipFile(path) as z:
        with z.open("content.xml") as fh:
            tail, present = b"", False
            while not present and (chunk := fh.read(_CHUNK)):
                present = any((tail + chunk).find(m) >= 0 for m in _ODS_MARKERS)
                tail = chunk[-32:]
        if not present:
            return [], [], False
        merges: list[tuple[int, int, int, int]] = []
        hidden: list[int] = []
        filtered = False
        inside, row, col = False, 0, 0
        with z.open("content.xml") as fh:
            for event, element in ElementTree.iterparse(fh, events=("start", "end")):
                tag = element.tag
                if tag == f"{_TABLE}table":
                    inside = event == "start" and element.get(f"{_TABLE}name") == sheet
                    if event == "end":
                        element.clear()
                    continue
                if not inside:
                    continue
                if tag == f"{_TABLE}table-row" and event == "start":
                    col = 0
                elif tag == f"{_TABLE}table-row":
                    repeat = int(element.get(f"{_TABLE}number-rows-repeated", "1"))
                    visibility = element.get(f"{_TABLE}visibility", "visible")
                    if visibility != "visible":
                        filtered = filtered or visibility == "filter"
                        hidden.extend(range(row + 1, row + 1 + min(repeat, _MAX_LISTED)))
                    row += repeat
                    element.clear()
                elif tag in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell") and event == "start":
                    rows = int(element.get(f"{_TABLE}number-rows-spanned", "1"))
                    cols = int(element.get(f"{_TABLE}number-columns-spanned", "1"))
                    if rows > 1 or cols > 1:
                        merges.append((row, col, row + rows - 1, col + cols - 1))
                    col += int(element.get(f"{_TABLE}number-columns-repeated", "1"))
    return merges, hidden, filtered


def _unreadable_cells(path: Path, sheet: str) -> dict[tuple[int, int], str]:
    """Cells with a cached error value, and formula cells with no cached value (openpyxl)."""
    import openpyxl

    found: dict[tuple[int, int], str] = {}
    formulas: set[tuple[int, int]] = set()
    wb = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    try:
        for r, row in enumerate(wb[sheet].iter_rows()):
            for c, cell in enumerate(row):
                if getattr(cell, "data_type", None) == "f":
                    formulas.add((r, c))
    finally:
        wb.close()
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    try:
        for r, row in enumerate(wb[sheet].iter_rows()):
            for c, cell in enumerate(row):
                kind = getattr(cell, "data_type", None)
                if kind == "e":
                    found[(r, c)] = Said(N_("holds the error value {value}"), value=cell.value)
                elif (r, c) in formulas and cell.value is None:
                    found[(r, c)] = Said(N_("is a formula with no calculated value (the file was "
                                            "written by a program and never opened in Excel); open "
                                            "and save it in Excel, or paste values"))
    finally:
        wb.close()
    return found


def _checked_scan(path: Path, sheet: str) -> tuple[bool, _Scan]:
    """`_scan_workbook`, a damaged zip said as a ReadError."""
    try:
        return _scan_workbook(path, sheet)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error, ElementTree.ParseError) as exc:
        raise ReadError(Said(N_("is a damaged workbook ({error}): open it in Excel and save it again"),
                             error=str(exc))) from None


def _calamine_sheet(path: Path, sheet: str) -> Any:
    """One sheet as python-calamine parses it (its cells held in Rust; the GIL is released)."""
    try:
        with CalamineWorkbook.from_path(str(path)) as wb:
            return wb.get_sheet_by_name(sheet)
    except Exception as exc:
        raise _open_error(exc) from None


def _calamine_cells(data: Any) -> tuple[list[list[Any]], list[tuple[int, int, int, int]]]:
    """(rows, merged ranges) of a parsed sheet, as Python objects (`to_python` holds the GIL)."""
    try:
        rows = data.to_python(skip_empty_area=False)
        return rows, [(r1, c1, r2, c2) for (r1, c1), (r2, c2) in (data.merged_cell_ranges or [])]
    except Exception as exc:
        raise _open_error(exc) from None


@dataclass
class ParsedSheet:
    """The part of a sheet's read that runs without the GIL, done: calamine's parse (its cells
    still in Rust, no Python object per cell yet) and what the .xlsx's scan found."""

    data: Any
    date1904: bool
    scan: _Scan


def parse_excel_sheet(path: Path, sheet: str) -> ParsedSheet:
    """The first half of `read_excel_sheet`: an .xlsx's scan runs in a second thread while calamine
    parses the same sheet (both mostly without the GIL: zlib's inflating, numpy's compare,
    calamine's parse), so it takes the longer of the two, not their sum; the outcome is that of
    scanning first: a damaged zip is said as such, whatever calamine met. It can run ahead in a
    worker (`csbatch.sheets.intake`) while another thread makes Python objects."""
    if path.suffix.lower() not in OOXML_SUFFIXES:
        return ParsedSheet(_calamine_sheet(path, sheet), False, _Scan(long_run=True))
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="csbatch-scan") as pool:
        scanning = pool.submit(_checked_scan, path, sheet)
        try:
            data = _calamine_sheet(path, sheet)
        except ReadError:
            scanning.result()   # a damaged workbook's own error first, as when scanned first
            raise
        date1904, scan = scanning.result()
    return ParsedSheet(data, date1904, scan)


def read_excel_sheet(path: Path, sheet: str, parsed: ParsedSheet | None = None) -> RawSheet:
    """One sheet of a workbook that `list_sheets` has checked: `parse_excel_sheet` (unless
    `parsed` holds what it gave), then the cells as Python objects, then what calamine does not
    report (an .ods's merges and hidden rows, the cells behind formulas and error values)."""
    if parsed is None:
        parsed = parse_excel_sheet(path, sheet)
    date1904, scan = parsed.date1904, parsed.scan
    rows, merges = _calamine_cells(parsed.data)
    parsed.data = None   # calamine's copy of the cells is freed before the checks below
    if path.suffix.lower() == ".ods":
        try:
            merges, scan.hidden_rows, scan.filtered = _scan_ods(path, sheet)
        except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error, ElementTree.ParseError,
                ValueError) as exc:
            raise ReadError(Said(N_("is a damaged spreadsheet ({error}): open it and save it again"),
                                 error=str(exc))) from None
    unreadable = _unreadable_cells(path, sheet) if scan.risky else {}
    return RawSheet(rows, date1904, unreadable, merges, sorted(set(scan.hidden_rows)), scan.filtered,
                    scan.long_run)


#: charset-normalizer's names → what a person calls them.
_ENCODING_NAMES = {"big5": "Big5 (traditional Chinese)", "big5hkscs": "Big5 (traditional Chinese)",
                   "cp950": "Big5 (traditional Chinese)", "utf_16": "UTF-16", "utf_16_le": "UTF-16",
                   "utf_16_be": "UTF-16", "utf_32": "UTF-32", "utf_32_le": "UTF-32",
                   "utf_32_be": "UTF-32", "shift_jis": "Shift-JIS (Japanese)",
                   "cp932": "Shift-JIS (Japanese)", "euc_kr": "EUC-KR (Korean)",
                   "cp949": "EUC-KR (Korean)"}
#: The encodings a CSV saved here may be in. GB18030 decodes nearly any bytes, so bytes that
#: decode under it are asked of charset-normalizer among these: GBK is kept only when it is one
#: of the plausible readings (when Big5 and GBK both are, GBK wins: it is what Chinese Excel
#: saves). 64 KB of lines is plenty to tell them apart and keeps a big CSV fast.
_CANDIDATES = ["gb18030", "big5", "utf_16", "utf_32", "shift_jis", "euc_kr"]
_SAMPLE = 1 << 16
_SAVE_UTF8 = Said(N_("save it again as CSV UTF-8 (Excel: Save As → CSV UTF-8)"))


def _other_encoding(data: bytes) -> str | None:
    """What charset-normalizer reads bytes as when GBK is not a plausible reading, else None."""
    from charset_normalizer import from_bytes

    sample = data[:_SAMPLE]
    if len(data) > _SAMPLE and b"\n" in sample:
        sample = sample[:sample.rfind(b"\n") + 1]
    matches = from_bytes(sample, cp_isolation=_CANDIDATES)
    if any(m.encoding == "gb18030" for m in matches):
        return None
    best = matches.best()
    return _ENCODING_NAMES.get(best.encoding, best.encoding) if best else "an unknown encoding"


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes strictly: UTF-8 (BOM or not), else GBK/GB18030 when that is what the bytes
    are. Returns (text, encoding)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReadError(Said(N_("is UTF-16 text, not UTF-8 or GBK/GB18030: {save_as}"), save_as=_SAVE_UTF8))
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as first:
        utf8_error = first
    try:
        text = codecs.decode(data, "gb18030")
    except UnicodeDecodeError:
        text = None
    other = _other_encoding(data)
    if other in (None, "an unknown encoding") and b"\x00" in data[:_SAMPLE]:
        other = "UTF-16"  # text in any 8-bit encoding has no NUL bytes; UTF-16 has them in plenty
    if text is not None and other is None and "\x00" not in text:
        return text, "gb18030"
    if other and other != "an unknown encoding":
        raise ReadError(Said(N_("is encoded as {encoding}, not UTF-8 or GBK/GB18030; read that way its "
                                "names would be garbled: {save_as}"), encoding=other, save_as=_SAVE_UTF8))
    raise ReadError(Said(N_("not UTF-8 or GBK/GB18030 text (byte {byte} cannot be decoded); {save_as}"),
                         byte=utf8_error.start, save_as=_SAVE_UTF8))


def read_csv(path: Path) -> RawSheet:
    check_csv(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(Said(N_("cannot be read: {why}"), why=exc.strerror or str(exc))) from None
    text, _ = decode_text(data)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ReadError(Said(N_("not a readable CSV file: {error}"), error=str(exc))) from None
    return RawSheet(rows, long_text=len(text) > EXCEL_TEXT_LIMIT)
