"""People, not customer records: two customer records with the same national ID number are one
person. The ledger matches people by a keyed hash (HMAC-SHA256) of the normalised ID number; the
key lives outside the ledger (a key file beside it, or CSBATCH_ID_KEY), so the ledger alone does
not reveal whose purchases it holds. Outputs print only the last digits of an ID number."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path

ENV_KEY = "CSBATCH_ID_KEY"


def load_key(ledger_path: Path | None) -> bytes:
    """The hashing key: CSBATCH_ID_KEY, else `<ledger>.key` beside the ledger (created once,
    readable by its owner only), else a key for this run only (no ledger: nothing to match)."""
    if os.environ.get(ENV_KEY):
        return os.environ[ENV_KEY].encode()
    if ledger_path is None:
        return secrets.token_bytes(32)
    path = key_file(ledger_path)
    if not path.exists():
        _create_key(path)
    return path.read_text().strip().encode()


def _create_key(path: Path) -> None:
    """Write a new key at `path` unless another process got there first. Two closes starting at
    once on a new ledger both find no key: the key is written whole into a file of its own, then
    linked to `path` (atomic, and refused when `path` exists), so neither ever reads a key half
    written (an empty key would hash every person differently) nor fails because the other won;
    both then read the one key that was linked."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, draft = tempfile.mkstemp(prefix=path.name + ".", suffix=".new", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(FileExistsError):   # another close linked its key first: the ledger's
            os.link(draft, path)
    finally:
        os.unlink(draft)


def key_file(ledger_path: Path) -> Path:
    """Where the ledger's key is kept when CSBATCH_ID_KEY is not set: `<ledger>.key` beside it."""
    return Path(str(ledger_path) + ".key")


def existing_key(ledger_path: Path) -> bytes | None:
    """The ledger's key as `load_key` finds it, but never a new one: None when CSBATCH_ID_KEY is
    not set and the key file is missing (what was sealed under the lost key cannot be opened)."""
    if os.environ.get(ENV_KEY):
        return os.environ[ENV_KEY].encode()
    path = key_file(ledger_path)
    return path.read_text().strip().encode() if path.is_file() else None


def person_of(id_number: str, key: bytes) -> str:
    return hmac.new(key, id_number.strip().upper().encode(), hashlib.sha256).hexdigest()


def person_hasher(key: bytes) -> Callable[[str], str]:
    """`person_of` under one key, for many ID numbers: the keyed state is set up once and copied
    per number (the same digest, without hashing the key again each time)."""
    keyed = hmac.new(key, digestmod=hashlib.sha256)

    def person(id_number: str) -> str:
        h = keyed.copy()
        h.update(id_number.strip().upper().encode())
        return h.hexdigest()
    return person


def mask_phone(phone: str | None, start: int = 3, end: int = 4) -> str:
    """`13812341234` → `138****1234`."""
    if not phone:
        return ""
    if len(phone) <= start + end:
        return "*" * len(phone)
    return phone[:start] + "*" * (len(phone) - start - end) + phone[-end:]
