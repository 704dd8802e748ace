"""Staging folders (`OUT/.PERIOD.partial-PID-ID`) and who owns them.

A close writes every file of the month into a hidden staging folder and holds it
(`csbatch.folderlock`) for as long as it runs, so a staging folder whose lock can be taken belongs
to no running close: it is a leftover, and it holds a full month of pay and personal data, so the
next close (or reopening) removes it. The pid in the name is only for people reading a listing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from csbatch.folderlock import abandoned, hold, release

__all__ = ["PATTERN", "abandoned", "hold", "name", "release", "remove_leftovers"]

PATTERN = ".*.partial-*"


def name(period: str, close_id: str) -> str:
    return f".{period}.partial-{os.getpid()}-{close_id[:12]}"


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
