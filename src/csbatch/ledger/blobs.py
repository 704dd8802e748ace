"""The kept files of closes: every input file a close read and every policy file it loaded, stored
once by content beside the ledger (`<ledger folder>/csbatch-inputs/ab/abcdef….xlsx`, named by the
sha256 of their bytes), so any closed month can be recomputed from exactly what it read.

A file is copied into a temporary file in its final folder while its bytes are hashed, checked
against the sha256 the close computed when it read the file (a file changed since is refused:
the close would keep something other than what it read), flushed to disk, made read-only and
renamed over its name. So the store never holds a file whose bytes differ from its name's hash,
keeping a file twice is a no-op, and a damaged copy is replaced by the right bytes the next time
the same file is kept. Reading a kept file checks its hash again.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

#: The store's folder, beside the ledger file.
STORE = "csbatch-inputs"
_SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")


@dataclass(frozen=True)
class KeptFile:
    """One file of a close in the store. `role` is "input" (a file of `--inputs`) or "policy" (a
    file of the policy folder); `name` its path relative to that folder; `kinds` the input kinds
    read from it (comma-separated; empty for a policy file); `stored` its place in the store,
    relative to the ledger's folder."""

    role: str
    name: str
    kinds: str
    sha256: str
    size: int
    stored: str


class ChangedWhileRead(Exception):
    """The file's bytes are no longer those the close read."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


def stored_name(sha256: str, original: str) -> str:
    """Where a file of these bytes is kept, relative to the ledger's folder (its suffix kept, so
    the copy opens like the original)."""
    suffix = Path(original).suffix.lower()
    return f"{STORE}/{sha256[:2]}/{sha256}{suffix if _SUFFIX.match(suffix) else ''}"


def sha256_of(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def keep(ledger_path: Path, source: Path, sha256: str, role: str, name: str, kinds: str = "") -> KeptFile:
    """Keep `source`, whose bytes the close read had `sha256`. Raises ChangedWhileRead when they
    differ now, OSError when the store cannot be written."""
    base = Path(ledger_path).parent
    stored = stored_name(sha256, name)
    target = base / stored
    if target.is_file() and sha256_of(target)[0] == sha256:
        return KeptFile(role, name, kinds, sha256, target.stat().st_size, stored)
    (base / STORE).mkdir(exist_ok=True, mode=0o700)   # the inputs hold personal data: the owner's only
    target.parent.mkdir(exist_ok=True, mode=0o700)
    temp = target.with_name(f".tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        h = hashlib.sha256()
        size = 0
        with source.open("rb") as src, temp.open("xb") as dst:
            while chunk := src.read(1 << 20):
                h.update(chunk)
                size += len(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        if h.hexdigest() != sha256:
            raise ChangedWhileRead(name)
        temp.chmod(0o400)
        os.replace(temp, target)
        _fsync_dir(target.parent)
    finally:
        if temp.exists():
            temp.unlink()
    return KeptFile(role, name, kinds, sha256, size, stored)


def damaged(ledger_path: Path, kept: KeptFile) -> str | None:
    """Why the kept copy cannot be used (missing, or bytes that are not its hash's), or None."""
    path = Path(ledger_path).parent / kept.stored
    if not path.is_file():
        return f"its kept copy {kept.stored} is missing"
    found, _ = sha256_of(path)
    if found != kept.sha256:
        return (f"its kept copy {kept.stored} was changed on disk (its sha256 is {found[:12]}…, not "
                f"{kept.sha256[:12]}…)")
    return None


def restore(ledger_path: Path, kept: KeptFile, dest: Path) -> str | None:
    """Write the kept file as `dest / kept.name`, its bytes checked; why not, or None."""
    problem = damaged(ledger_path, kept)
    if problem is not None:
        return problem
    target = dest / kept.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(Path(ledger_path).parent / kept.stored, target)
    if sha256_of(target)[0] != kept.sha256:   # changed between the check and the copy
        target.unlink()
        return f"its kept copy {kept.stored} changed while it was read"
    return None


def snapshot_id(files: list[KeptFile]) -> str:
    """The id of a set of policy files: one sha256 over their relative names and hashes, so the
    same files make the same id wherever the folder lies."""
    h = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.name):
        h.update(f"{f.name}\0{f.sha256}\n".encode())
    return h.hexdigest()
