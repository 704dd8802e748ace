"""Staging folders (`OUT/.PERIOD.partial-PID-ID`) and who owns them.

A close writes every file of the month into a hidden staging folder and holds an exclusive
`flock` on that folder for as long as it runs. The kernel drops the lock when the process ends,
however it ends (kill -9 included), so a staging folder whose lock can be taken belongs to no
running close: it is a leftover, and it holds a full month of pay and personal data, so the next
close (or reopening) removes it. The pid in the name is only for people reading a listing: a pid
is reused (in a container, a later close may well get the same one), a lock is not.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

PATTERN = ".*.partial-*"


def name(period: str, close_id: str) -> str:
    return f".{period}.partial-{os.getpid()}-{close_id[:12]}"


def hold(folder: Path) -> int:
    """Take the staging folder's lock for this process; returns the descriptor to `release`."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


def release(fd: int) -> None:
    os.close(fd)


def abandoned(folder: Path) -> bool:
    """True when no running process holds `folder`'s lock."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing drops the lock taken just now
    return True


def remove_leftovers(out_dir: Path, keep: set[Path]) -> list[Path]:
    """Remove every staging folder in `out_dir` that no running close holds, except those in
    `keep` (committed closes waiting to be renamed into place). Returns what was removed."""
    removed = []
    for folder in sorted(Path(out_dir).glob(PATTERN)):
        if not folder.is_dir() or folder.is_symlink() or folder.resolve() in keep:
            continue
        if abandoned(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed
