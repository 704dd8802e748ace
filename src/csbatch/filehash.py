"""A file's sha256, streamed: what the manifest records for every input and output, what input
discovery tells identical files apart by, what a history import is remembered by, and what a
file is checked against its kept copy with (`ledger.blobs.sha256_of`). A base
module, so reading inputs does not import the publishing side of the close for it."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_and_size(path: Path | str) -> tuple[str, int]:
    """A file's sha256 and the bytes it was computed over, in one read (`hashlib.file_digest`:
    read into one buffer, never a new bytes object per chunk)."""
    with open(path, "rb") as fh:
        digest = hashlib.file_digest(fh, "sha256")
        return digest.hexdigest(), fh.tell()


def sha256_file(path: Path | str) -> str:
    return sha256_and_size(path)[0]
