"""Folders held by a running process: an exclusive `flock` on the folder itself, taken when the
process makes it and kept for as long as it runs. The kernel drops the lock when the process
ends, however it ends (kill -9 and the OOM killer included), so a folder whose lock can be taken
belongs to no running process: what a killed run left behind. A pid in a folder's name would
mislead (a pid is reused, and another container sharing the disk has pids of its own); a lock
does not. Used for the staging folders of a close (`ledger.staging`) and for scratch folders in
/tmp (`scratch`)."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


def hold(folder: Path) -> int:
    """Take `folder`'s lock for this process; returns the descriptor to `release`."""
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
