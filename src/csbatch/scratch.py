"""Scratch folders in the system's temporary folder (`csbatch-close.held-…`,
`csbatch-explain.held-…`), and the sweeping of those a killed run left behind.

`tempfile.TemporaryDirectory` removes its folder when the run ends, even on an exception, but not
when the process is killed (kill -9, the OOM killer, a power cut): the folder would stay in /tmp
for ever, with a copy of the policy or the inputs in it. So each scratch folder is held by its
process while it lives (`csbatch.folderlock`, as a close's staging folder), and each new one first
sweeps every scratch folder of the same user that nobody holds. A folder is left alone while it
is held (a run going on now, here or in another container sharing /tmp) and for a minute after
it last changed (the instant between making it and taking its lock). Only names with `.held-`
are swept: a folder made by a csbatch of before the lock cannot say whether its run is alive.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from csbatch.folderlock import abandoned, hold, release

#: the names `sweep` looks at: `csbatch-<kind>.held-<random>`
PATTERN = "csbatch-*.held-*"
#: seconds a folder is spared after its last change (it may not be held yet)
GRACE = 60.0


@contextlib.contextmanager
def scratch_folder(kind: str) -> Iterator[Path]:
    """A new empty folder `csbatch-<kind>.held-…` for this run, held while the run lasts and
    removed when it ends (the folders killed runs left are swept first)."""
    sweep()
    with tempfile.TemporaryDirectory(prefix=f"csbatch-{kind}.held-") as name:
        lock = hold(Path(name))
        try:
            yield Path(name)
        finally:
            release(lock)


def sweep(root: Path | None = None) -> list[Path]:
    """Remove the scratch folders under `root` (the temporary folder) whose run is gone; return
    them. Never raises: a folder it cannot read or remove is left as it is."""
    root = Path(root) if root is not None else Path(tempfile.gettempdir())
    now = time.time()
    removed: list[Path] = []
    try:
        candidates = sorted(root.glob(PATTERN))
    except OSError:
        return removed
    for folder in candidates:
        try:
            if folder.is_symlink() or not folder.is_dir():
                continue
            info = folder.stat()
        except OSError:
            continue
        if info.st_uid != os.getuid() or now - info.st_mtime < GRACE or not abandoned(folder):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            removed.append(folder)
    return removed
