"""The kept files of closes: every input file a close read and every policy file it loaded, stored
once by content beside the ledger (`<ledger folder>/csbatch-inputs/ab/abcdef….sealed`, named by the
sha256 of their plain bytes), so any closed month can be recomputed from exactly what it read.

The copies are sealed at rest (issue 11): the inputs hold whole national ID numbers and phone
numbers, and the folder lies inside `--out`, which is handed on; the house rule is that a whole ID
number appears in no file. Each copy is a sequence of Fernet tokens (AES-128-CBC with
HMAC-SHA256, from `cryptography`), one per MiB of the file, one a line, so a workbook of any size is
sealed and opened in constant memory. The key is derived with HKDF (purpose "csbatch kept inputs")
from the ledger's key (`vip.identity`: `<ledger>.key` or CSBATCH_ID_KEY): one key file protects
both, and the key that hashes ID numbers is never itself an encryption key. Each token is
authenticated; their order and completeness are checked by the sha256 of the plain bytes, which
the ledger records and names the copy by.

A file is sealed into a temporary file in its final folder while its bytes are hashed, checked
against the sha256 the close computed when it read the file (a file changed since is refused:
the close would keep something other than what it read), flushed to disk, made read-only and
renamed over its name. So the store never holds a copy that does not open to its name's hash,
keeping a file twice is a no-op, and a damaged copy is replaced by the right bytes the next time
the same file is kept. Opening a kept file checks its tokens and its hash again.
"""

from __future__ import annotations

import base64
import hashlib
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from csbatch.filehash import sha256_and_size
from csbatch.i18n import N_, Said
from csbatch.vip.identity import ENV_KEY, existing_key, key_file, load_key

#: The store's folder, beside the ledger file.
STORE = "csbatch-inputs"
#: Every copy's suffix: the name tells nothing of the original but its sha256.
SEALED = ".sealed"
#: What the sealing key is derived for, so it differs from the ID-hashing key it comes from.
PURPOSE = b"csbatch kept inputs"
CHUNK = 1 << 20


@dataclass(frozen=True)
class KeptFile:
    """One file of a close in the store. `role` is "input" (a file of `--inputs`) or "policy" (a
    file of the policy folder); `name` its path relative to that folder; `kinds` the input kinds
    read from it (comma-separated; empty for a policy file); `sha256` and `size` those of its plain
    bytes; `stored` its sealed copy, relative to the ledger's folder."""

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


class NoKey(Exception):
    """The ledger's key is missing (no key file, CSBATCH_ID_KEY not set): nothing sealed under it
    can be opened."""

    MESSAGE = N_("the ledger's key {path} is missing (and {env} is not set): the kept copies of the files of its "
                 "closes are sealed under it and cannot be opened without it; put the key file back from where it "
                 "was backed up, or set its key in {env}")

    def __init__(self, path: Path):
        super().__init__(str(path))
        self.path = path
        self.message = self.MESSAGE.format(path=path, env=ENV_KEY)


def sealing_key(ledger_path: Path, create: bool = False) -> Fernet:
    """The Fernet key of the ledger's store, derived from the ledger's key. `create`: make the
    ledger's key when it has none (a close); else raise NoKey (restoring: a new key opens nothing)."""
    key = load_key(ledger_path) if create else existing_key(ledger_path)
    if key is None:
        raise NoKey(key_file(ledger_path))
    return fernet_of(key)


def fernet_of(key: bytes) -> Fernet:
    """The store's Fernet key derived from a ledger's key (HKDF, `PURPOSE`)."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE).derive(key)
    return Fernet(base64.urlsafe_b64encode(derived))


def stored_name(sha256: str) -> str:
    """Where a file of these plain bytes is kept, relative to the ledger's folder."""
    return f"{STORE}/{sha256[:2]}/{sha256}{SEALED}"


def sha256_of(path: Path) -> tuple[str, int]:
    """A plain file's sha256 and size, as the manifest and input discovery hash files
    (`filehash.sha256_and_size`)."""
    return sha256_and_size(path)


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (a rename into it) to disk."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def first_token_opens(path: Path, fernet: Fernet) -> bool | None:
    """Whether a sealed copy's first token (one a line, as `_open` reads them) opens under the key:
    enough to tell the key without opening the whole copy. None when the copy cannot be read."""
    try:
        with path.open("rb") as fh:
            first = fh.readline().rstrip(b"\n")
    except OSError:
        return None
    try:
        fernet.decrypt(first)
    except InvalidToken:
        return False
    return True


def _open(path: Path, fernet: Fernet, sink: Callable[[bytes], object] | None = None) -> tuple[str, int]:
    """The sha256 and size of a sealed copy's plain bytes, each chunk given to `sink` once its token
    is authenticated. Raises InvalidToken for a token not sealed under this key or changed, or a
    copy with no token at all; OSError."""
    h = hashlib.sha256()
    size = tokens = 0
    with path.open("rb") as fh:
        for line in fh:
            plain = fernet.decrypt(line.rstrip(b"\n"))
            h.update(plain)
            size += len(plain)
            tokens += 1
            if sink is not None:
                sink(plain)
    if tokens == 0:   # even an empty file is one token: a copy emptied on disk is not the empty file
        raise InvalidToken
    return h.hexdigest(), size


def keep(ledger_path: Path, source: Path, sha256: str, role: str, name: str, kinds: str = "") -> KeptFile:
    """Keep `source`, whose bytes the close read had `sha256`, sealed. Raises ChangedWhileRead when
    they differ now, OSError when the store cannot be written."""
    base = Path(ledger_path).parent
    stored = stored_name(sha256)
    target = base / stored
    fernet = sealing_key(ledger_path, create=True)
    if target.is_file():
        try:
            found, size = _open(target, fernet)
        except InvalidToken:
            found, size = "", 0   # damaged, or sealed under a key since lost: sealed again below
        if found == sha256:
            return KeptFile(role, name, kinds, sha256, size, stored)
    (base / STORE).mkdir(exist_ok=True, mode=0o700)   # the inputs hold personal data: the owner's only
    target.parent.mkdir(exist_ok=True, mode=0o700)
    temp = target.with_name(f".tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        h = hashlib.sha256()
        size = 0
        with source.open("rb") as src, temp.open("xb") as dst:
            chunk = src.read(CHUNK)
            while True:
                h.update(chunk)
                size += len(chunk)
                dst.write(fernet.encrypt(chunk) + b"\n")
                chunk = src.read(CHUNK)
                if not chunk:
                    break
            dst.flush()
            os.fsync(dst.fileno())
        if h.hexdigest() != sha256:
            raise ChangedWhileRead(name)
        temp.chmod(0o400)
        os.replace(temp, target)
        fsync_dir(target.parent)
    finally:
        if temp.exists():
            temp.unlink()
    return KeptFile(role, name, kinds, sha256, size, stored)


def damaged(ledger_path: Path, kept: KeptFile, fernet: Fernet,
            sink: Callable[[bytes], object] | None = None) -> Said | None:
    """Why the kept copy cannot be used (missing, not opening with the key, or opening to bytes that
    are not its hash's), or None. Without `sink` nothing is written: the plain bytes are only hashed."""
    path = Path(ledger_path).parent / kept.stored
    if not path.is_file():
        return Said(N_("its kept copy {stored} is missing"), stored=kept.stored)
    try:
        found, _ = _open(path, fernet, sink)
    except InvalidToken:
        return Said(N_("its kept copy {stored} was changed on disk or sealed under another key (it does not "
                       "open with the ledger's key)"), stored=kept.stored)
    if found != kept.sha256:
        return Said(N_("its kept copy {stored} was changed on disk (it opens to other bytes: sha256 {found}…, "
                       "not {recorded}…)"), stored=kept.stored, found=found[:12], recorded=kept.sha256[:12])
    return None


def restore(ledger_path: Path, kept: KeptFile, dest: Path, fernet: Fernet) -> Said | None:
    """Write the kept file's plain bytes as `dest / kept.name`, checked; why not, or None (then
    nothing is left at `dest / kept.name`)."""
    target = dest / kept.name
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        problem = damaged(ledger_path, kept, fernet, out.write)
    if problem is not None:
        target.unlink()
    return problem


def snapshot_id(files: list[KeptFile]) -> str:
    """The id of a set of policy files: one sha256 over their relative names and hashes, so the
    same files make the same id wherever the folder lies."""
    h = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.name):
        h.update(f"{f.name}\0{f.sha256}\n".encode())
    return h.hexdigest()
