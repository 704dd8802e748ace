"""Finding the month's files and which input kind each sheet holds.

A sheet's kind comes from its own name when that matches a kind's pattern (one workbook may hold
several kinds as named sheets), else from its file's name (a `销售订单.xlsx` whose sheet is
`Sheet1`). Names are compared after the usual normalisation (full-width, case). Hidden sheets are
ignored with a warning; a file or sheet that matches no kind is ignored with a warning; one that
matches two kinds is an error, since guessing would read the wrong columns.

Entries are looked at with `lstat`, never followed: a symbolic link, a FIFO, a device or a socket
in the inputs folder is an error and is never opened (a link may point at `/etc/passwd`, a FIFO or
`/dev/zero` would hang the close). Only the month's own regular files are read.
"""

from __future__ import annotations

import fnmatch
import os
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from csbatch.errors import Issue, Severity, Source
from csbatch.filehash import sha256_file
from csbatch.policy.inputs import InputsPolicy
from csbatch.sheets.filecheck import ZipLimits
from csbatch.sheets.read import CSV_SUFFIXES, EXCEL_SUFFIXES, ReadError, list_sheets


@dataclass(frozen=True)
class FoundSheet:
    kind: str
    path: Path
    display: str
    sheet: str | None  # None for CSV


@dataclass(frozen=True)
class InputFile:
    path: Path
    display: str
    sha256: str


def _norm(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold().strip()


def kinds_matching(name: str, policy: InputsPolicy) -> list[str]:
    norm = _norm(name)
    return [kind for kind, spec in policy.kinds.items()
            if any(fnmatch.fnmatchcase(norm, _norm(p)) for p in spec.files)]


def _special(mode: int) -> str | None:
    """What a non-regular, non-folder entry is, else None."""
    for test, what in ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return what
    return None


def discover(inputs_dir: Path, policy: InputsPolicy) -> tuple[list[FoundSheet], list[InputFile], list[Issue]]:
    issues: list[Issue] = []
    found: list[FoundSheet] = []
    files: list[InputFile] = []

    def warn(src: Source, code: str, msg: str) -> None:
        issues.append(Issue(src, code, msg, Severity.WARNING))

    def error(src: Source, code: str, msg: str) -> None:
        issues.append(Issue(src, code, msg))

    if not inputs_dir.is_dir():
        return [], [], [Issue(Source(str(inputs_dir)), "inputs.missing", "inputs folder not found")]
    limits = ZipLimits.from_policy(policy.limits)

    for path in sorted(inputs_dir.iterdir(), key=lambda p: p.name):
        display = path.name
        src = Source(display)
        if path.name.startswith((".", "~$")):
            continue
        try:
            mode = os.lstat(path).st_mode
        except OSError as exc:
            error(src, "inputs.unreadable", f"cannot be looked at: {exc.strerror}")
            continue
        if (special := _special(mode)) is not None:
            error(src, "inputs.special_file", f"is {special}, not a file: not opened; copy the file "
                                              "itself into the inputs folder")
            continue
        if stat.S_ISDIR(mode):
            warn(src, "inputs.folder", "folder ignored: put the month's files directly in the inputs folder")
            continue
        suffix = path.suffix.lower()
        if suffix not in EXCEL_SUFFIXES + CSV_SUFFIXES:
            hint = " (save it as .xlsx)" if suffix in (".et", ".numbers", ".xltx", ".xlt") else ""
            warn(src, "inputs.not_read", f"not read: only .xlsx, .xlsm, .xlsb, .xls, .ods and .csv "
                                         f"files are{hint}")
            continue
        file_kinds = kinds_matching(path.stem, policy)
        if len(file_kinds) > 1:
            error(src, "inputs.ambiguous", f"file name matches several input kinds: {', '.join(file_kinds)}; rename it")
            continue
        file_kind = file_kinds[0] if file_kinds else None
        before = len(found)
        if suffix in CSV_SUFFIXES:
            if file_kind is None:
                warn(src, "inputs.unmatched", "file name matches no input kind; ignored "
                                              "(see `files:` patterns in config/inputs.yaml)")
                continue
            found.append(FoundSheet(file_kind, path, display, None))
        else:
            try:
                sheets = list_sheets(path, limits)
            except ReadError as exc:
                error(src, "inputs.unreadable", str(exc))
                continue
            for info in sheets:
                ssrc = Source(display, sheet=info.name)
                sheet_kinds = kinds_matching(info.name, policy)
                if len(sheet_kinds) > 1:
                    error(ssrc, "inputs.ambiguous",
                          f"sheet name matches several input kinds: {', '.join(sheet_kinds)}; rename it")
                    continue
                kind = sheet_kinds[0] if sheet_kinds else file_kind
                if not info.visible:
                    if kind is not None:
                        warn(ssrc, "inputs.hidden_sheet", "hidden sheet ignored")
                    continue
                if kind is None:
                    warn(ssrc, "inputs.unmatched", "sheet matches no input kind; ignored")
                    continue
                found.append(FoundSheet(kind, path, display, info.name))
        if len(found) > before:
            files.append(InputFile(path, display, sha256_file(path)))

    present = {f.kind for f in found}
    for kind, spec in policy.kinds.items():
        if kind in present:
            continue
        patterns = ", ".join(spec.files)
        if spec.required:
            error(Source(str(inputs_dir)), "inputs.required_missing",
                  f"no {kind} ({spec.name}) found: expected a file or sheet named {patterns}")
        else:
            warn(Source(str(inputs_dir)), "inputs.not_provided",
                 f"{kind} ({spec.name}) not provided: the month has none")
    return found, files, issues
