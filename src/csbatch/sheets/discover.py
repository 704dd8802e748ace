"""Finding the month's files and which input kind each sheet holds.

A sheet's kind comes from its own name when that matches a kind's pattern (one workbook may hold
several kinds as named sheets), else from its file's name (a `销售订单.xlsx` whose sheet is
`Sheet1`). Names are compared after the usual normalisation (full-width, case). Hidden sheets are
ignored with a warning; a file or sheet that matches no kind is ignored with a warning; one that
matches two kinds is an error, since guessing would read the wrong columns. A sheet named like an
instructions sheet (`NOTES_SHEETS`: the 说明 sheet of `csbatch templates`) is never data: it is
skipped without a word unless its own name matches a kind.

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

from csbatch.errors import Issue, Source
from csbatch.filehash import sha256_file
from csbatch.i18n import N_, Listed, Said
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


#: Sheet names that hold instructions for people, never rows (normalised as `_norm` does).
NOTES_SHEETS = frozenset({"说明", "填写说明", "instructions", "readme"})


def _norm(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold().strip()


def kinds_matching(name: str, policy: InputsPolicy) -> list[str]:
    norm = _norm(name)
    return [kind for kind, spec in policy.kinds.items()
            if spec.monthly and any(fnmatch.fnmatchcase(norm, _norm(p)) for p in spec.files)]


def is_notes_sheet(name: str) -> bool:
    """An instructions sheet (说明), which no kind's pattern names: never read as data."""
    return _norm(name) in NOTES_SHEETS


def _special(mode: int) -> str | None:
    """What a non-regular, non-folder entry is, else None."""
    for test, what in ((stat.S_ISLNK, N_("a symbolic link")), (stat.S_ISFIFO, N_("a named pipe (FIFO)")),
                       (stat.S_ISCHR, N_("a character device")), (stat.S_ISBLK, N_("a block device")),
                       (stat.S_ISSOCK, N_("a socket"))):
        if test(mode):
            return what
    return None


def _not_an_input(path: Path) -> Issue | None:
    """Why a folder entry is not read, looking with `lstat` only: unreadable, special (never
    opened), a folder, or not a spreadsheet or CSV file. None for a file to read."""
    src = Source(path.name)
    try:
        mode = os.lstat(path).st_mode
    except OSError as exc:
        return Issue.of(src, "inputs.unreadable", N_("cannot be looked at: {why}"), why=exc.strerror)
    if (special := _special(mode)) is not None:
        return Issue.of(src, "inputs.special_file", N_("is {what}, not a file: not opened; copy the file "
                                                       "itself into the inputs folder"), what=Said(special))
    if stat.S_ISDIR(mode):
        return Issue.warn(src, "inputs.folder",
                          N_("folder ignored: put the month's files directly in the inputs folder"))
    suffix = path.suffix.lower()
    if suffix not in EXCEL_SUFFIXES + CSV_SUFFIXES:
        if suffix in (".et", ".numbers", ".xltx", ".xlt"):
            return Issue.warn(src, "inputs.not_read", N_("not read: only .xlsx, .xlsm, .xlsb, .xls, .ods "
                                                         "and .csv files are (save it as .xlsx)"))
        return Issue.warn(src, "inputs.not_read",
                          N_("not read: only .xlsx, .xlsm, .xlsb, .xls, .ods and .csv files are"))
    return None


def _workbook_sheets(path: Path, file_kind: str | None, policy: InputsPolicy,
                     limits: ZipLimits) -> tuple[list[FoundSheet], list[Issue]]:
    """A workbook's sheets and their kinds: the sheet's own name, else the file's."""
    display = path.name
    try:
        sheets = list_sheets(path, limits)
    except ReadError as exc:
        return [], [Issue.said(Source(display), "inputs.unreadable", exc.said)]
    found: list[FoundSheet] = []
    issues: list[Issue] = []
    for info in sheets:
        ssrc = Source(display, sheet=info.name)
        sheet_kinds = kinds_matching(info.name, policy)
        if len(sheet_kinds) > 1:
            issues.append(Issue.of(ssrc, "inputs.ambiguous",
                                   N_("sheet name matches several input kinds: {kinds}; rename it"),
                                   kinds=Listed(policy.kind_named(k) for k in sheet_kinds)))
            continue
        if not sheet_kinds and is_notes_sheet(info.name):
            continue
        kind = sheet_kinds[0] if sheet_kinds else file_kind
        if not info.visible:
            if kind is not None:
                issues.append(Issue.warn(ssrc, "inputs.hidden_sheet", N_("hidden sheet ignored")))
            continue
        if kind is None:
            issues.append(Issue.warn(ssrc, "inputs.unmatched", N_("sheet matches no input kind; ignored")))
            continue
        found.append(FoundSheet(kind, path, display, info.name))
    return found, issues


def _sheets_of(path: Path, policy: InputsPolicy, limits: ZipLimits) -> tuple[list[FoundSheet], list[Issue]]:
    """The input sheets one folder entry holds (a CSV file is one), with what was said about it."""
    refused = _not_an_input(path)
    if refused is not None:
        return [], [refused]
    src = Source(path.name)
    file_kinds = kinds_matching(path.stem, policy)
    if len(file_kinds) > 1:
        return [], [Issue.of(src, "inputs.ambiguous", N_("file name matches several input kinds: {kinds}; rename it"),
                             kinds=Listed(policy.kind_named(k) for k in file_kinds))]
    file_kind = file_kinds[0] if file_kinds else None
    if path.suffix.lower() not in CSV_SUFFIXES:
        return _workbook_sheets(path, file_kind, policy, limits)
    if file_kind is None:
        return [], [Issue.warn(src, "inputs.unmatched", N_("file name matches no input kind; ignored "
                                                           "(see `files:` patterns in config/inputs.yaml)"))]
    return [FoundSheet(file_kind, path, path.name, None)], []


def _missing_kinds(inputs_dir: Path, present: set[str], policy: InputsPolicy) -> list[Issue]:
    """A required kind nobody provided is an error; an optional one, a warning."""
    issues = []
    for kind, spec in policy.kinds.items():
        if kind in present or not spec.monthly or not (spec.required or spec.noted_missing):
            continue
        patterns = ", ".join(spec.files)
        if spec.required:
            issues.append(Issue.of(Source(str(inputs_dir)), "inputs.required_missing",
                                   N_("no {kind} ({name}) found: expected a file or sheet named {patterns}"),
                                   kind=kind, name=spec.name, patterns=patterns))
        else:
            issues.append(Issue.warn(Source(str(inputs_dir)), "inputs.not_provided",
                                     N_("{kind} ({name}) not provided: the month has none"), kind=kind,
                                     name=spec.name))
    return issues


def discover(inputs_dir: Path, policy: InputsPolicy) -> tuple[list[FoundSheet], list[InputFile], list[Issue]]:
    """The month's input sheets by kind, the files they are in (fingerprinted), and what was
    said on the way: each folder entry in name order, then the kinds nobody provided."""
    if not inputs_dir.is_dir():
        return [], [], [Issue.of(Source(str(inputs_dir)), "inputs.missing", N_("inputs folder not found"))]
    limits = ZipLimits.from_policy(policy.limits)
    issues: list[Issue] = []
    found: list[FoundSheet] = []
    files: list[InputFile] = []
    for path in sorted(inputs_dir.iterdir(), key=lambda p: p.name):
        if path.name.startswith((".", "~$")):
            continue
        sheets, said = _sheets_of(path, policy, limits)
        issues += said
        found += sheets
        if sheets:
            files.append(InputFile(path, path.name, sha256_file(path)))
    issues += _missing_kinds(inputs_dir, {f.kind for f in found}, policy)
    return found, files, issues
