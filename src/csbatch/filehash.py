"""A file's sha256, streamed: what the manifest records for every input and output, what input
discovery tells identical files apart by, and what a history import is remembered by. A base
module, so reading inputs does not import the publishing side of the close for it."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()
