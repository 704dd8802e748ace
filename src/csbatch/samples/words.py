"""Word lists for sample data, shipped as text files in `words/` (read with importlib.resources,
so they travel inside the wheel). A file is one entry a line; `#` starts a comment line; fields
of a line are separated by `|`."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def words(name: str) -> tuple[str, ...]:
    """The lines of `words/NAME.txt`, without comments, blanks or duplicates, in file order."""
    text = resources.files(__package__).joinpath("words").joinpath(f"{name}.txt").read_text("utf-8")
    seen: dict[str, None] = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            seen.setdefault(line, None)
    return tuple(seen)


@cache
def fields(name: str) -> tuple[tuple[str, ...], ...]:
    """The lines of `words/NAME.txt` split on `|`, each field stripped."""
    return tuple(tuple(f.strip() for f in line.split("|")) for line in words(name))


def keyed(name: str) -> dict[str, tuple[str, ...]]:
    """`KEY | TEXT` lines grouped by key, texts in file order."""
    out: dict[str, list[str]] = {}
    for key, text in fields(name):
        out.setdefault(key, []).append(text)
    return {k: tuple(v) for k, v in out.items()}
