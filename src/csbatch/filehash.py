"""A file's sha256, streamed: what the manifest records for every input and output, what input
discovery tells identical files apart by, and what a history import is remembered by. A base
module, so reading inputs does not import the publishing side of the close for it."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_file(path: Path | str) -> str:
    """`hashlib.file_digest`: read into one buffer, never a new bytes object per chunk."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()
