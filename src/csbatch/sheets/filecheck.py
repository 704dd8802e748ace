"""What an input file really is, decided from its first bytes and its zip directory before any
parser opens it.

People save files with the wrong name: a web system's "Excel export" that is an HTML table named
`.xlsx`, a CSV renamed `.xlsx`, an old `.xls` renamed `.xlsx`, a workbook with a password (an OLE
file holding an `EncryptedPackage` stream). A parser then says "invalid Zip archive"; we say what
the file is and how to save it. A zip-based workbook is also checked from its zip directory
alone (no member is inflated): a 2 MB file can inflate to gigabytes of XML (a "zip bomb"), so the
total uncompressed size and each large member's compression ratio are capped by
`limits:` in config/inputs.yaml.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from csbatch.i18n import N_, Said

if TYPE_CHECKING:
    from csbatch.policy.inputs import Limits

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
#: The stream name an encrypted Office 2007+ file keeps its workbook in (UTF-16LE in the OLE
#: directory), and the one an encrypted .xls has instead of a plain `Workbook`.
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_SAVE_AS = Said(N_("open it in Excel (or WPS) and save it as Excel Workbook (.xlsx)"))
_HTML = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<table|<meta|<style|<div)", re.I)
_SPREADSHEETML = b"urn:schemas-microsoft-com:office:spreadsheet"

#: The zip flavours of workbook and the names they are saved under.
_FLAVOURS = {"xl/workbook.xml": ("Excel workbook", (".xlsx", ".xlsm")),
             "xl/workbook.bin": ("Excel binary workbook", (".xlsb",)),
             "content.xml": ("OpenDocument spreadsheet", (".ods",))}


class ReadError(Exception):
    """A file that cannot be read at all (misnamed, corrupt, encrypted, undecodable, too big).
    Made with a `Said` (or, for a library's own words, a plain string), kept as `said`."""

    def __init__(self, said: str):
        super().__init__(said)
        self.said = said


@dataclass(frozen=True)
class ZipLimits:
    """Caps on a zip-based workbook, from `limits:` in config/inputs.yaml."""

    max_uncompressed: int          # bytes, all members together
    max_ratio: float               # uncompressed / compressed, per member ...
    ratio_from: int                # ... of at least this many bytes uncompressed

    @classmethod
    def from_policy(cls, limits: Limits) -> ZipLimits:
        """From `InputsPolicy.limits` (sizes in MB there)."""
        mb = 1 << 20
        return cls(int(limits.workbook_uncompressed_mb * mb), float(limits.workbook_compression_ratio),
                   int(limits.compression_ratio_from_mb * mb))


def _head(path: Path, n: int = 4096) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(n)


def _encrypted_ole(path: Path) -> bool:
    """An OLE file whose directory names an `EncryptedPackage` stream (a password-protected
    .xlsx). The directory sits anywhere in the file, so the file is scanned in 4 MB chunks."""
    tail = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 22):
            if (tail + chunk).find(_ENCRYPTED) >= 0:
                return True
            tail = chunk[-len(_ENCRYPTED):]
    return False


def _text_kind(head: bytes) -> str | None:
    """'CSV text' / 'plain text' when the first bytes decode as text, else None."""
    if b"\x00" in head:
        return None
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = head.decode(enc)
            break
        except UnicodeDecodeError as exc:
            if exc.start > len(head) - 4:      # a character cut at the end of the sample
                text = head[:exc.start].decode(enc, errors="ignore")
                break
    else:
        return None
    if any(ord(ch) < 32 and ch not in "\r\n\t" for ch in text):
        return None
    first = text.splitlines()[0] if text.strip() else ""
    return "CSV text" if ("," in first or "\t" in first or "，" in first) else "plain text"


def what_is(path: Path) -> str:
    """A short name of what the file holds: 'zip', 'ole', 'encrypted', 'html', 'spreadsheetml',
    'pdf', 'empty', 'CSV text', 'plain text' or 'unknown'."""
    head = _head(path)
    if not head:
        return "empty"
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "encrypted" if _encrypted_ole(path) else "ole"
    if head.startswith(b"%PDF"):
        return "pdf"
    body = head.lstrip(b"\xef\xbb\xbf")
    if _HTML.match(body) or b"<html" in body[:1024].lower() or body.startswith(b"MIME-Version:"):
        return "html"
    if body.lstrip().startswith(b"<?xml") and _SPREADSHEETML in head:
        return "spreadsheetml"
    return _text_kind(head) or "unknown"


def _what_is(path: Path) -> str:
    try:
        return what_is(path)
    except OSError as exc:
        raise ReadError(Said(N_("cannot be read: {why}"), why=exc.strerror or str(exc))) from None


def _misnamed(what: str, suffix: str) -> Said:
    if what == "encrypted":
        return Said(N_("is protected with a password (encrypted), so it cannot be read: open it in "
                       "Excel, remove the password (File → Info → Protect Workbook) and save it as .xlsx"))
    if what == "html":
        return Said(N_("is a web page (HTML), not a workbook, although it is named {suffix} (some "
                       "systems export tables this way): {save_as}"), suffix=suffix, save_as=_SAVE_AS)
    if what == "spreadsheetml":
        return Said(N_("is an XML Spreadsheet 2003 file, not a workbook: {save_as}"), save_as=_SAVE_AS)
    if what == "CSV text":
        return Said(N_("is CSV text, not a workbook, although it is named {suffix}: rename it to .csv, "
                       "or {save_as}"), suffix=suffix, save_as=_SAVE_AS)
    if what == "plain text":
        return Said(N_("is plain text, not a workbook, although it is named {suffix}: {save_as}"),
                    suffix=suffix, save_as=_SAVE_AS)
    if what == "pdf":
        return Said(N_("is a PDF document, not a workbook: export the table from its source as .xlsx"))
    if what == "empty":
        return Said(N_("is empty (0 bytes)"))
    return Said(N_("is not a workbook (its content is not one of .xlsx, .xlsm, .xlsb, .xls, .ods): "
                   "{save_as}"), save_as=_SAVE_AS)


def check_zip(path: Path, limits: ZipLimits, suffix: str) -> None:
    """The zip directory of a workbook: a workbook of the flavour its name says, within limits."""
    try:
        with zipfile.ZipFile(path) as z:
            members = z.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReadError(Said(N_("is a damaged zip file ({error}): {save_as} again"), error=str(exc),
                             save_as=_SAVE_AS)) from None
    names = {m.filename for m in members}
    flavour = next((f for f in _FLAVOURS if f in names), None)
    if flavour is None:
        raise ReadError(Said(N_("is a zip archive but not a workbook (it holds no workbook part): {save_as}"),
                             save_as=_SAVE_AS))
    what, suffixes = _FLAVOURS[flavour]
    if suffix not in suffixes:
        raise ReadError(Said(N_("is an {what} named {suffix}: rename it to {right}"), what=what, suffix=suffix,
                             right=suffixes[0]))
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed:
        raise ReadError(Said(N_("would inflate to {size} MB of content, over the limit of {limit} MB "
                                "(limits.workbook_uncompressed_mb in config/inputs.yaml): not read; "
                                "split it, or check where it came from"),
                             size=f"{total / 2**20:,.0f}", limit=f"{limits.max_uncompressed / 2**20:,.0f}"))
    for m in members:
        if m.file_size >= limits.ratio_from and m.file_size > limits.max_ratio * max(m.compress_size, 1):
            ratio = m.file_size / max(m.compress_size, 1)
            raise ReadError(Said(N_("part {part} would inflate {ratio}× ({packed} bytes → {size}), over the "
                                    "limit of {limit}× (limits.workbook_compression_ratio in "
                                    "config/inputs.yaml): not read, since no real sheet compresses so "
                                    "well (a \"zip bomb\")"),
                                 part=m.filename, ratio=f"{ratio:,.0f}", packed=f"{m.compress_size:,}",
                                 size=f"{m.file_size:,}", limit=f"{limits.max_ratio:g}"))


def check_workbook(path: Path, limits: ZipLimits) -> None:
    """Raise ReadError saying what the file is and what to do, unless it is a workbook of the
    kind its name says and (zip) within limits."""
    suffix = path.suffix.lower()
    what = _what_is(path)
    if what == "zip" and suffix != ".xls":
        check_zip(path, limits, suffix)
    elif what == "zip":
        raise ReadError(Said(N_("is an Excel workbook (.xlsx) named .xls: rename it to .xlsx")))
    elif what == "ole" and suffix != ".xls":
        raise ReadError(Said(N_("is an Excel 97-2003 workbook (.xls) named {suffix}: rename it to .xls, "
                                "or {save_as}"), suffix=suffix, save_as=_SAVE_AS))
    elif what != "ole":
        raise ReadError(_misnamed(what, suffix))


def check_csv(path: Path) -> None:
    """A `.csv` that is really a workbook (renamed) is named for what it is."""
    what = _what_is(path)
    if what in ("zip", "ole", "encrypted"):
        raise ReadError(Said(N_("is an Excel workbook named .csv, not CSV text: rename it to .xlsx "
                                "(or .xls)")) if what != "encrypted" else _misnamed(what, ".csv"))
    if what in ("html", "spreadsheetml", "pdf"):
        raise ReadError(_misnamed(what, ".csv"))
