"""The language-leak scanner (issue 12): the codes a person must never read in a Chinese output.

Codes come from two places: the policy (every identifier-like key and value of config/*.yaml:
scorecard, item, role, leave, conduct, category, tier and pay-item codes, and the policy's own field
names) and the outputs' machine side (every identifier-like value of the close's `data/*.csv`,
where codes belong: flags, reasons, kinds), plus TRUE/FALSE. A Chinese workbook's cells and a
page's visible text (not its markup, styles or scripts) are scanned for them as whole words.
A place in an input (`回访记录_2026-10.xlsx[回访记录]!row 9`, `考勤.csv!B7`) is a place, written the
same in every language (decided in issue 12): it is skipped, not scanned.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import yaml

IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
WORD = re.compile(r"(?<![A-Za-z0-9_./:-])([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*)(?![A-Za-z0-9_/(-]|\.[a-z])")
#: a place in an input file: `file[sheet]!row N` (or `rows N–M`), `file!A1`
PLACE = re.compile(r"[^\s;,，；：()（）]+!(?:rows? \d+(?:[–-]\d+)?|\$?[A-Z]{1,3}\$?\d+)")
ALWAYS = {"TRUE", "FALSE", "True", "False", "true", "false", "None", "nan", "NaN"}


def _walk(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)
    elif isinstance(node, str):
        yield node


def policy_codes(config: Path) -> set[str]:
    found: set[str] = set()
    for path in config.rglob("*.yaml"):
        if "tests" in path.relative_to(config).parts:
            continue        # golden cases: expectations, not the policy's words
        found |= {s for s in _walk(yaml.safe_load(path.read_text(encoding="utf-8"))) if IDENTIFIER.match(s)}
    return {c for c in found if len(c) >= 3}


def output_codes(data: Path) -> set[str]:
    found: set[str] = set()
    for path in data.glob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.reader(f):
                for cell in row:
                    found |= {part.split(":")[0] for part in cell.split() if IDENTIFIER.match(part.split(":")[0])}
    return {c for c in found if len(c) >= 3}


def workbook_texts(path: Path) -> Iterator[tuple[str, str]]:
    """(where, text) of every text cell and every sheet title of a workbook."""
    book = openpyxl.load_workbook(path, read_only=True)
    for ws in book.worksheets:
        yield f"{path.name}[{ws.title}]", ws.title
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str | bool):
                    yield f"{path.name}[{ws.title}]!{cell.coordinate}", str(cell.value)


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._hidden += 1
        for name, value in attrs:
            if name in ("title", "alt", "aria-label", "placeholder") and value:
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(data)


def page_texts(path: Path) -> Iterator[tuple[str, str]]:
    """(where, text) of a page's visible text and its title/alt attributes."""
    parser = _Visible()
    parser.feed(path.read_text(encoding="utf-8"))
    for text in parser.texts:
        yield path.name, text


def leaks(texts: Iterable[tuple[str, str]], codes: set[str]) -> list[str]:
    """`where: 'code' in '…text…'` for each code found as a whole word."""
    codes = codes | ALWAYS
    found = []
    for where, text in texts:
        for match in WORD.finditer(PLACE.sub(" ", text)):
            if match.group(1) in codes:
                found.append(f"{where}: {match.group(1)!r} in {text[:80]!r}")
    return found
