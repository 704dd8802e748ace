"""Scratch folders in the system's temporary folder (`csbatch-close-…`, `csbatch-explain-…`), and
the sweeping of those a killed run left behind.

`tempfile.TemporaryDirectory` removes its folder when the run ends, even on an exception, but not
when the process is killed (kill -9, the OOM killer, a power cut): the folder would stay in /tmp
for ever, with a copy of the policy in it. So each scratch folder holds a lock file that its
process keeps locked (`fcntl.flock`) while it lives; the kernel drops the lock when the process
dies, however it dies. Each new scratch folder first sweeps every `csbatch-*` folder of the same
user whose lock it can take: nobody holds it any more. A folder is left alone while its lock is
held (a run going on now, here or in another container sharing /tmp), for a minute after it was
last changed (the instant between making it and locking it), and, without a lock file (made by a
csbatch of before the lock), for a day.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

#: every scratch folder's name starts so; `sweep` looks only at these
PREFIX = "csbatch-"
#: the lock file its process holds locked while it lives
LOCK = ".csbatch-owner.lock"
#: seconds a locked-free folder is spared after its last change (it may not be locked yet)
GRACE = 60.0
#: seconds a folder without a lock file is spared (a csbatch of before the lock may still use it)
UNLOCKED_GRACE = 24 * 3600.0


@contextlib.contextmanager
def scratch_folder(kind: str) -> Iterator[Path]:
    """A new empty folder `csbatch-<kind>-…` for this run, removed when the run ends (the
    folders a killed run left are swept first)."""
    sweep()
    with tempfile.TemporaryDirectory(prefix=f"{PREFIX}{kind}-") as name:
        folder = Path(name)
        with (folder / LOCK).open("wb") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)   # a new file: nobody else holds it
            yield folder


def sweep(root: Path | None = None, now: float | None = None) -> list[Path]:
    """Remove the scratch folders under `root` (the temporary folder) whose run is gone; return
    them. Never raises: a folder it cannot read or remove is left as it is."""
    root = Path(root) if root is not None else Path(tempfile.gettempdir())
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        candidates = sorted(root.glob(PREFIX + "*"))
    except OSError:
        return removed
    for folder in candidates:
        try:
            if folder.is_symlink() or not folder.is_dir():
                continue
            info = folder.stat()
            if info.st_uid != os.getuid() or not _abandoned(folder, now - info.st_mtime):
                continue
        except OSError:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            removed.append(folder)
    return removed


def _abandoned(folder: Path, age: float) -> bool:
    """Whether no living run holds `folder` (see the module's docstring)."""
    if age < GRACE:
        return False
    try:
        fd = os.open(folder / LOCK, os.O_RDONLY)
    except FileNotFoundError:
        return age >= UNLOCKED_GRACE
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:   # held: its run is alive
        return False
    finally:
        os.close(fd)
    return True
