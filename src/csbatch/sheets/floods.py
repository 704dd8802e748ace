"""One message for one problem in many rows.

A wrong value repeated down a column (one roster ID typed wrong and used in every attendance
row; a whole column of amounts in a form we refuse) is one mistake, and a hundred messages about
it hide the other problems. More than five problems in one sheet column with the same code,
severity and message shape are one message, with the count and the first five cells:

    考勤.csv: column 'employee_id': '10O1' is not an employee in the roster (107 rows: A2, A3, A4, A5, A6, …)

The shape of a message is its text with quoted values (`'10O1'`) and cell references
(`!A12`) left out, so `'12,3x' is not an amount` and `'abc' is not an amount` are one problem
whose message names up to three other values (`'12,3x' is not an amount (also 'abc', 'x';
7 rows: E2, …)`), while `is negative` is another. Up to five keep their own places and texts
exactly (`file[sheet]!E6: column 'x': …`): one message would name every cell anyway.

The flood's message is `Said`: its first message keeps its own catalogue words inside the flood's
(`{first} ({n} rows: {cells})`), so a Chinese reader gets both in Chinese; the places stay as
places are written everywhere (`E6`, `row 7`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from csbatch.errors import Issue, Severity, Source
from csbatch.i18n import N_, Said

#: Cells named in a flood's message.
SHOWN_CELLS = 5

_COLUMN = re.compile(r"column '[^']*': ")
_QUOTED = re.compile(r"'[^']*'")
_PLACE = re.compile(r"!(?:[A-Z]+[0-9]+|row [0-9]+)")
_LETTERS = re.compile(r"[A-Z]+")


def shape(message: str) -> str:
    """The message without the values and places that vary from row to row (the column's own
    name is kept)."""
    head = _COLUMN.match(message)
    start = head.end() if head else 0
    return message[:start] + _PLACE.sub("!…", _QUOTED.sub("'…'", message[start:]))


def _value(message: str) -> str | None:
    """The first quoted value of a message after its column name (`'10O1'`), if any."""
    head = _COLUMN.match(message)
    found = _QUOTED.search(message, head.end() if head else 0)
    return found.group(0) if found else None


def flood_message(messages: Sequence[str], n: int, places: Sequence[str]) -> Said:
    """The one message for `n` cells or rows: the first of their distinct `messages` (in sheet
    order), up to three other values they name, the count and the first five `places`."""
    first = messages[0]
    shown = ", ".join(places[:SHOWN_CELLS]) + (", …" if n > SHOWN_CELLS else "")
    if len(messages) == 1:
        return Said(N_("{first} ({n} rows: {cells})"), first=first, n=n, cells=shown)
    values = list(dict.fromkeys(v for v in map(_value, messages) if v is not None))
    others = [v for v in values if v != _value(first)]
    if not others:
        return Said(N_("{first} (and {more} more like it; {n} rows: {cells})"), first=first, more=n - 1,
                    n=n, cells=shown)
    if len(others) > 3:
        return Said(N_("{first} (also {also} and {more} more; {n} rows: {cells})"), first=first,
                    also=", ".join(others[:3]), more=len(others) - 3, n=n, cells=shown)
    return Said(N_("{first} (also {also}; {n} rows: {cells})"), first=first, also=", ".join(others),
                n=n, cells=shown)


def said(issue: Issue) -> str:
    """An issue's message as it was made: `Said` when it has catalogue words, else its text."""
    return Said(issue.template, **dict(issue.params)) if issue.template is not None else issue.message


def _place(source: Source) -> str:
    return source.cell if source.cell is not None else f"row {source.row}"


def collapse(issues: Iterable[Issue]) -> list[Issue]:
    """`issues` with each flood (same file, sheet, column, code, severity and message shape in
    more than five cells or rows) made one issue at the sheet; the rest as they were, in the
    order of each group's first issue."""
    groups: dict[tuple, list[Issue]] = {}
    for n, issue in enumerate(issues):
        src = issue.source
        if src is None or (src.cell is None and src.row is None):
            key: tuple = ("alone", n)
        else:
            letters = _LETTERS.match(src.cell) if src.cell else None
            assert letters is not None or not src.cell, "a cell reference starts with its column letters"
            column = letters.group(0) if letters else None
            key = (src.path, src.sheet, column, issue.code, issue.severity, shape(issue.message))
        groups.setdefault(key, []).append(issue)
    out = []
    for members in groups.values():
        if len(members) <= SHOWN_CELLS:
            out.extend(members)
            continue
        first = members[0]
        places = [m.source for m in members if m.source is not None]   # all: the unplaced are alone
        messages = list(dict.fromkeys(said(m) for m in members))
        out.append(Issue.said(Source(places[0].path, sheet=places[0].sheet), first.code,
                              flood_message(messages, len(members),
                                            [_place(p) for p in places[:SHOWN_CELLS]]),
                              first.severity))
    return out


def column_issues(path: str, sheet: str | None, letter: str | None, code: str,
                  severity: Severity, rows: Sequence[int], messages: Sequence[str]) -> list[Issue]:
    """The problems of one column of one sheet (`messages[i]` at sheet row `rows[i]`, in row
    order) as issues, floods collapsed; the same result as `collapse` on one issue per cell, but
    grouped with pandas so a column of a million bad cells costs no million issues."""
    if len(rows) == 0:
        return []

    def where(row: int) -> Source:
        return Source(path, sheet=sheet, cell=f"{letter}{row}") if letter else \
            Source(path, sheet=sheet, row=int(row))

    at_row = np.asarray(rows)
    msg_codes, distinct = pd.factorize(pd.Series(messages, dtype=object))
    shape_codes, _ = pd.factorize(pd.Series([shape(m) for m in distinct], dtype=object))
    groups = shape_codes[msg_codes]
    order = np.argsort(groups, kind="stable")
    starts = np.flatnonzero(np.r_[True, groups[order][1:] != groups[order][:-1]])
    bounds = np.r_[starts, len(order)]
    found = []
    for a, b in itertools.pairwise(bounds):
        at = order[a:b]                       # positions of one shape, in row order
        if len(at) <= SHOWN_CELLS:
            found += [(i, Issue.said(where(at_row[i]), code, distinct[msg_codes[i]], severity)) for i in at]
            continue
        messages = distinct[pd.unique(msg_codes[at])].tolist()
        places = [(f"{letter}{r}" if letter else f"row {r}") for r in at_row[at[:SHOWN_CELLS]]]
        text = flood_message(messages, len(at), places)
        found.append((at[0], Issue.said(Source(path, sheet=sheet), code, text, severity)))
    return [issue for _, issue in sorted(found, key=lambda x: x[0])]
