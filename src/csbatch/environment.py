"""Failures of the machine, not of csbatch: a folder it may not write, a full disk, a file where a
folder belongs, a file that is not an SQLite database. They are problems the person running
csbatch can fix, so they are reported as errors (exit 1) saying what to do, never as a bug.

`fault_issue` turns such an exception (OSError by errno, sqlite3.Error by its SQLite error name)
into an Issue; anything else returns None and stays a bug. `check_folder` looks before writing,
so a close refuses a folder it cannot use before it computes anything.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from pathlib import Path

from csbatch.errors import Issue, Source
from csbatch.i18n import N_, Said

_FULL = N_("the disk is full (or a file-size limit was reached): free space there, then run again")

#: Out of memory (Python's MemoryError; SQLite's SQLITE_NOMEM): the month or file is larger than
#: this machine can hold (issue 14: about 1.9 GiB at a million orders; `vip import-history` holds
#: its whole file, about 1.5 GiB per million rows).
_NO_MEMORY = ("env.out_of_memory", N_("the machine ran out of memory: close other programs and run again, or "
                                      "run on a machine with more memory; a long purchase history for `vip "
                                      "import-history` can be imported one file per month"))

#: errno → (code, what happened and what to do); `{where}` is the folder or file involved.
_OS: dict[int, tuple[str, str]] = {
    errno.EACCES: ("env.permission", N_("permission denied: give the user running csbatch write access to "
                                     "{where}, or choose another folder")),
    errno.EPERM: ("env.permission", N_("operation not permitted: give the user running csbatch write access "
                                    "to {where}, or choose another folder")),
    errno.EROFS: ("env.read_only", N_("{where} is on a read-only file system: choose a folder on a writable disk")),
    errno.ENOSPC: ("env.disk_full", _FULL),
    errno.EDQUOT: ("env.disk_full", N_("the disk quota is used up: free space there, then run again")),
    errno.EFBIG: ("env.disk_full", _FULL),
    errno.ENOTDIR: ("env.not_a_folder", N_("a part of the path is a file, not a folder: give a folder")),
    errno.EISDIR: ("env.is_a_folder", N_("it is a folder, not a file: give a file's path")),
    errno.EEXIST: ("env.exists", N_("it already exists as a file where a folder was expected: give a folder, "
                                 "or move the file away")),
    errno.EIO: ("env.io", N_("the disk reported an input/output error: check the disk, then run again")),
}

#: SQLite error names (sqlite3.Error.sqlite_errorname, primary code) → (code, message).
_SQLITE: dict[str, tuple[str, str]] = {
    "SQLITE_READONLY": ("env.read_only", N_("the ledger cannot be written (attempt to write a readonly database): "
                                         "give the user running csbatch write access to the ledger file and "
                                         "its folder {where} (SQLite writes -wal and -shm files beside it)")),
    "SQLITE_CANTOPEN": ("env.cannot_open", N_("the ledger cannot be opened or created: check that {where} is a "
                                           "folder the user running csbatch can write, and that --ledger names "
                                           "a file, not a folder")),
    "SQLITE_PERM": ("env.permission", N_("permission denied on the ledger: give the user running csbatch write "
                                      "access to {where}")),
    "SQLITE_FULL": ("env.disk_full", N_("the ledger cannot be written (database or disk is full): free space "
                                     "on the ledger's disk {where}, then run again")),
    "SQLITE_NOTADB": ("env.not_a_ledger", N_("this file is not a csbatch ledger (file is not a database): give "
                                          "--ledger the csbatch-ledger.sqlite file a close wrote, or a new path")),
    "SQLITE_CORRUPT": ("env.corrupt", N_("the ledger file is damaged (database disk image is malformed): restore "
                                      "it from a backup")),
    "SQLITE_IOERR": ("env.io", N_("the disk failed while reading or writing the ledger (disk I/O error): check the "
                               "disk and its free space, then run again")),
    "SQLITE_NOMEM": _NO_MEMORY,
    "SQLITE_BUSY": ("env.busy", N_("the ledger is locked by another program (database is locked): wait for it to "
                                "finish, or close the program holding it, then run again")),
}


#: What the callers of `fault_issue` and `check_folder` say they were doing, and which folder they
#: check: marked here so a person reads them in the catalogue's language (a new caller's words
#: belong here too, or are shown as they are).
_CALLERS_WORDS = (N_("go on"), N_("write the close"), N_("reopen the month"), N_("finish the interrupted close"),
                  N_("import the purchase history"), N_("read the ledger"), N_("reproduce the month"),
                  N_("use the ledger"), N_("the month's folder"), N_("the ledger's folder"))


def fault_issue(exc: BaseException, path: Path | str | None, doing: str) -> Issue | None:
    """The Issue for an environment fault met while `doing` (e.g. "write the close") at `path`;
    None when `exc` is not one (it is then a bug and must stay an exception)."""
    found = _classify(exc)
    if found is None:
        return None
    code, message = found
    place = getattr(exc, "filename", None) or path
    if place is None:
        return Issue.of(None, code, N_("cannot {doing}: {problem}"), doing=Said(doing),
                        problem=Said(message, where=Said(N_("its folder"))))
    where = Path(place) if Path(place).is_dir() else Path(place).parent
    return Issue.of(Source(str(place)), code, N_("cannot {doing}: {problem}"), doing=Said(doing),
                    problem=Said(message, where=str(where)))


def _classify(exc: BaseException) -> tuple[str, str] | None:
    if isinstance(exc, MemoryError):
        return _NO_MEMORY
    if isinstance(exc, sqlite3.Error):
        name = (getattr(exc, "sqlite_errorname", None) or "").split("_")
        primary = "_".join(name[:2]) if len(name) >= 2 else ""
        if primary in _SQLITE:
            return _SQLITE[primary]
        text = str(exc).lower()  # a sqlite3 built without error names
        for needle, key in (("readonly", "SQLITE_READONLY"), ("disk is full", "SQLITE_FULL"),
                            ("not a database", "SQLITE_NOTADB"), ("unable to open", "SQLITE_CANTOPEN"),
                            ("disk i/o", "SQLITE_IOERR"), ("locked", "SQLITE_BUSY")):
            if needle in text:
                return _SQLITE[key]
        return None
    if isinstance(exc, OSError) and exc.errno in _OS:
        return _OS[exc.errno]
    return None


def check_folder(folder: Path, role: str) -> list[Issue]:
    """Refuse, before anything is computed, a `folder` csbatch must write into (`role`: "--out",
    "the ledger's folder") that is a file, sits under a file, or that this user may not write."""
    folder = Path(folder)
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        what = Said(N_("is a file")) if existing == folder else \
            Said(N_("is under {existing}, which is a file"), existing=str(existing))
        return [Issue.of(Source(str(folder)), "env.not_a_folder",
                         N_("{role} {folder} {what}, not a folder: give a folder (it is created if missing)"),
                         role=Said(role), folder=str(folder), what=what)]
    if not os.access(existing, os.W_OK | os.X_OK):
        return [Issue.of(Source(str(folder)), "env.permission",
                         N_("{role} {folder} cannot be written by this user ({existing} is read-only for it): "
                            "give the user running csbatch write access to it, or choose another folder"),
                         role=Said(role), folder=str(folder), existing=str(existing))]
    return []


class Footprint:
    """What a run may create before it knows whether it will publish: the `--out` folder (and
    missing parents), the ledger with its SQLite side files and its key. `forget()` removes
    exactly what did not exist when the footprint was taken, so a refused first close leaves the
    disk as it found it. Folders are removed only when empty; nothing that existed is touched."""

    _SIDE_FILES = ("", "-wal", "-shm", "-journal", ".key")

    def __init__(self, folders: list[Path], ledger: Path):
        self._files = [Path(str(ledger) + side) for side in self._SIDE_FILES
                       if not Path(str(ledger) + side).exists()]
        self._folders: list[Path] = []
        for folder in folders:
            folder = Path(folder)
            while not folder.exists() and folder != folder.parent:
                self._folders.append(folder)
                folder = folder.parent

    def forget(self) -> None:
        for path in self._files:
            # never created (its folder is a file)
            with contextlib.suppress(FileNotFoundError, NotADirectoryError):
                path.unlink()
        for folder in sorted(set(self._folders), key=lambda p: len(p.parts), reverse=True):
            # not empty, or already gone: it holds something we did not create
            with contextlib.suppress(OSError):
                folder.rmdir()
