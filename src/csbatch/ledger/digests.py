"""Digests of what later months rely on, so a change made to the ledger outside csbatch (an
`UPDATE vip_points ...` typed into sqlite3) is found before it is carried into a close.

Each close, and each VIP history import, records in the same transaction one digest per table it
wrote: the row count and a SHA-256 over its rows. A row is the canonical JSON of the columns listed
in `PARTS` (text as stored, integers as integers, NULL as null; amounts are stored as the exact
Decimal text, so the digest is of that text), rows sorted by that JSON, so the digest depends on
the rows only, never on the order SQLite returns them in or on the Python that runs.

The digests detect edits, deletions and insertions made by anyone who does not also recompute
them; they are not a signature (whoever can write the file can rewrite a digest too).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from json.encoder import c_encode_basestring, c_make_encoder  # type: ignore[attr-defined]
from typing import Any

from csbatch.i18n import N_, Said

#: Per table, the columns digested and the column naming the close (or import) a row belongs to.
#: A later migration that adds a column to one of these tables leaves this list as it is.
PARTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "closes": ("close_id", ("close_id", "period", "closed_at", "closed_by", "out_dir", "staging", "manifest")),
    "pay_lines": ("close_id", ("employee_id", "component", "amount", "reason")),
    "order_pay": ("close_id", ("order_id", "employee_id", "component", "amount")),
    "results": ("close_id", ("employee_id", "scorecard", "total", "grade", "rank", "rated")),
    "vip_purchases": ("source", ("period", "customer_id", "store_type", "category", "order_id", "order_date",
                                 "amount")),
    "vip_cards": ("close_id", ("card_no", "person", "customer_id", "programme", "tier", "issued_on",
                               "valid_until", "status", "silver_since", "renewed_on")),
    "vip_points": ("close_id", ("card_no", "person", "customer_id", "date", "kind", "points", "order_id",
                                "note")),
    "audit_figures": ("close_id", ("figure", "value")),
    "vip_member_cards": ("import_id", ("card_no", "person", "customer_id", "programme", "tier", "issued_on",
                                       "valid_until", "silver_since", "renewed_on", "points")),
    "vip_imports": ("import_id", ("import_id", "imported_at", "imported_by", "file", "sha256", "periods", "rows")),
    "kept_files": ("close_id", ("role", "name", "kinds", "sha256", "size", "stored")),
    "close_policy": ("close_id", ("revision", "previous", "changes")),
}

#: What a close writes, and what a history import writes.
CLOSE_PARTS = ("closes", "pay_lines", "order_pay", "results", "vip_purchases", "vip_cards", "vip_points",
               "audit_figures", "kept_files", "close_policy")
#: What a close wrote when migration 4 introduced digests (kept files came with migration 5).
_CLOSE_PARTS_4 = CLOSE_PARTS[:8]
IMPORT_PARTS = ("vip_imports", "vip_purchases", "vip_member_cards")
#: What an import wrote when migration 4 introduced digests (member registers came with migration 6).
_IMPORT_PARTS_4 = IMPORT_PARTS[:2]


def _canonical(value):
    if isinstance(value, bytes):
        return {"blob": value.hex()}
    if isinstance(value, float):  # never stored by csbatch; an edit may put one there
        return {"real": repr(value)}
    return value


#: One encoder for every row (`json.dumps` with options builds a new one per call)...
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
#: ... and for rows of text, integers and NULLs, the C encoder behind it, made once (the same
#: text, a third of the time: no per-call setup), where this Python has it.
_C_ENCODER = (None if c_make_encoder is None or c_encode_basestring is None else
              c_make_encoder(None, None, c_encode_basestring, None, ":", ",", False, False, True))
#: The value types `_canonical` rewrites; a row without them is encoded as it is.
_SPECIAL = frozenset((bytes, float))


def _line(row) -> str:
    if not _SPECIAL.isdisjoint(map(type, row)):
        return _ENCODE([_canonical(v) for v in row])
    if _C_ENCODER is None:
        return _ENCODE(row)  # a tuple is encoded as the list it would become
    return "".join(_C_ENCODER(row, 0))


def digest_rows(rows) -> tuple[int, str]:
    """(row count, sha256 hex) of rows, independent of their order: the sorted JSON lines, each
    followed by a newline."""
    return _digest_lines(sorted(map(_line, rows)))


def digest_columns(columns: Sequence[Sequence[Any]]) -> tuple[int, str] | None:
    """`digest_rows` of the rows these columns make, built a column at a time, where every value is
    text without NUL; else None, and the caller reads the rows back. A close digests the million
    rows of per-order pay it has just written this way, from the very texts the ledger's views
    read back (`ledger.compact`), instead of reading them back through the views.

    Where the columns are of one length and every value is text, the lines are made, sorted and
    hashed as if no value held a character JSON escapes, and that is checked on the very bytes
    hashed (`_digest_plain`): no pass over the columns first. Otherwise (or where one does) as
    `_digest_checked`."""
    if columns and columns[0] and len(set(map(len, columns))) == 1:
        try:
            inner = list(map('","'.join, zip(*columns)))   # joins text only: anything else is a TypeError
        except TypeError:
            return None
        inner.sort()   # as the lines sort where nothing is escaped (checked below)
        try:
            found = _digest_plain(inner, 2 * len(columns) + 1)
        except UnicodeEncodeError:   # a lone surrogate: as `_digest_checked` finds it (a NUL first: None)
            found = None
        if found is not None:
            return found
    return _digest_checked(columns)


def _digest_checked(columns: Sequence[Sequence[Any]]) -> tuple[int, str] | None:
    """`digest_columns` with every column looked at first for a value not text or holding NUL
    (None) and for a character JSON escapes or that sorts before `"`."""
    plain = True
    for column in columns:
        try:
            joined = "".join(column)   # joins text only: anything else is a TypeError
        except TypeError:
            return None
        if "\0" in joined:
            return None
        if plain:   # UTF-8 bytes of a character past ASCII are all >= 0x80: only these bytes are the characters
            encoded = joined.encode("utf-8", "surrogatepass")
            plain = len(encoded.translate(None, _UNPLAIN_BYTES)) == len(encoded)   # one pass, none deleted
    if not columns or not columns[0]:
        return _digest_inner([], "", "")
    if plain:   # nothing to escape: a row's line is its values joined by `","` inside `["` and `"]`
        inner = list(map('","'.join, zip(*columns)))
        inner.sort()   # as the lines sort: no inside is the start of another's followed by `"`, space or `!`
        return _digest_inner(inner, '["', '"]')
    inner = []   # each row's line without its brackets, by the C encoder a slice at a time
    for start in range(0, len(columns[0]), _SLICE):
        rows = list(zip(*(column[start:start + _SLICE] for column in columns)))
        parts = _ROWS_ENCODE(rows)[2:-2].split("],[")
        if len(parts) != len(rows):   # a value holding `],[`: row by row
            parts = [_line(row)[1:-1] for row in rows]
        inner += parts
    inner.sort()   # as the lines sort: every inside ends with `"`, so none is the start of another
    return _digest_inner(inner, "[", "]")


#: Rows per slice of `digest_columns` and of the text hashed at once.
_SLICE = 65536
#: What JSON escapes in a string (`ensure_ascii=False`), and the two characters that sort before `"`.
_UNPLAIN = (*map(chr, range(32)), '"', "\\", " ", "!")
#: ... as bytes, found in one pass (`bytes.translate` deleting them) instead of a search a character.
_UNPLAIN_BYTES = "".join(_UNPLAIN).encode("ascii")
#: A list of rows of text as JSON, as `_line` writes each row.
_ROWS_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


def _digest_plain(inner: list[str], marks: int) -> tuple[int, str] | None:
    """`_digest_inner(inner, '["', '"]')` where no value holds a character of `_UNPLAIN`, else None:
    each slice's bytes, once encoded to be hashed, hold exactly the `marks` a line its brackets,
    separators and newline put there (`"` and the newline are of `_UNPLAIN`), counted by one
    `bytes.translate` deleting them (a value's byte past ASCII is 0x80 or more: never deleted)."""
    h = hashlib.sha256()
    for start in range(0, len(inner), _SLICE):
        lines = inner[start:start + _SLICE]
        encoded = ('["' + '"]\n["'.join(lines) + '"]\n').encode("utf-8")
        if len(encoded) - len(encoded.translate(None, _UNPLAIN_BYTES)) != marks * len(lines):
            return None
        h.update(encoded)
    return len(inner), h.hexdigest()


def _digest_lines(lines: list[str]) -> tuple[int, str]:
    return _digest_inner(lines, "", "")


def _digest_inner(inner: list[str], head: str, tail: str) -> tuple[int, str]:
    """(count, sha256) of the lines `head` + each + `tail`, each followed by a newline, joined in
    C a slice at a time (one string per slice, not per line)."""
    h = hashlib.sha256()
    between = tail + "\n" + head
    for start in range(0, len(inner), _SLICE):
        h.update((head + between.join(inner[start:start + _SLICE]) + tail + "\n").encode("utf-8"))
    return len(inner), h.hexdigest()


def compute(conn: sqlite3.Connection, part: str, owner: str) -> tuple[int, str]:
    key, columns = PARTS[part]
    rows = conn.execute(f"SELECT {', '.join(columns)} FROM {part} WHERE {key} = ?", (owner,)).fetchall()
    return digest_rows(rows)


def record(conn: sqlite3.Connection, owner: str, period: str, parts: tuple[str, ...],
           known: dict[str, tuple[int, str] | None] | None = None) -> None:
    """Record the digests of `owner`'s rows (inside the transaction that wrote them); `known`: the
    digests of parts already computed from the values written (`digest_columns`; None: read
    back)."""
    for part in parts:
        count, sha = (known or {}).get(part) or compute(conn, part, owner)
        conn.execute("INSERT OR REPLACE INTO digests (owner, period, part, rows, sha256) VALUES (?, ?, ?, ?, ?)",
                     (owner, period, part, count, sha))


@dataclass(frozen=True)
class Mismatch:
    """One part of the ledger that is not as csbatch left it."""

    part: str       # the table
    period: str     # the month (or the months of a history import)
    owner: str      # the close or import
    message: Said   # the English as a str; said in the reader's language in `said`

    def __str__(self) -> str:
        return str(self.said)

    @property
    def said(self) -> Said:
        """The line (`str` is its English) in the reader's language, inside a ledger refusal."""
        return Said(N_("table {part}, {period}: {message}"), part=self.part, period=self.period, message=self.message)


def _owners(conn: sqlite3.Connection, close_parts: tuple[str, ...] = CLOSE_PARTS,
            import_parts: tuple[str, ...] = IMPORT_PARTS) -> list[tuple[str, str, tuple[str, ...]]]:
    owners = "SELECT close_id, period FROM closes ORDER BY period, closed_at"
    closes: list[tuple[str, str, tuple[str, ...]]] = [(c, p, close_parts) for c, p in conn.execute(owners)]
    imported = "SELECT import_id, periods FROM vip_imports ORDER BY imported_at"
    imports: list[tuple[str, str, tuple[str, ...]]] = [(i, p, import_parts) for i, p in conn.execute(imported)
                                                       if import_parts]
    return closes + imports


def verify(conn: sqlite3.Connection, recompute: bool = True) -> tuple[list[Mismatch], int]:
    """Every mismatch between the ledger's rows and the digests recorded with them, and how many
    digests were checked. Without `recompute` (nothing changed outside csbatch since they were last
    found intact: csbatch.ledger.guard), only what costs nothing per row: every close and import
    has its digests, every digested close and import is still there, supersession."""
    found: list[Mismatch] = []
    recorded = {(o, p): (per, n, sha) for o, per, p, n, sha in
                conn.execute("SELECT owner, period, part, rows, sha256 FROM digests")}
    owners = _owners(conn)
    checked = 0
    for owner, period, parts in owners:
        for part in parts:
            if (owner, part) not in recorded:
                found.append(Mismatch(part, period, owner, Said(N_("{what} has no digest: it was not written by "
                                                                   "csbatch, or its digest was deleted"),
                                                                what=_what(part, owner))))
                continue
            _, count, sha = recorded.pop((owner, part))
            if not recompute:
                continue
            checked += 1
            now_count, now_sha = compute(conn, part, owner)
            if (now_count, now_sha) != (count, sha):
                change = (Said(N_("{count} rows recorded, {found} found"), count=count, found=now_count)
                          if now_count != count else
                          Said(N_("the {count} rows differ from what was recorded"), count=count))
                found.append(Mismatch(part, period, owner, Said(N_("{what} changed outside csbatch ({change})"),
                                                                what=_what(part, owner), change=change)))
    for (owner, part), (period, _, _) in sorted(recorded.items()):
        if part == "closes":
            found.append(Mismatch("closes", period, owner, Said(N_("close {close} was recorded but its row is "
                                                                   "gone (deleted outside csbatch)"),
                                                                close=owner[:12])))
        elif part == "vip_imports":
            found.append(Mismatch("vip_imports", period, owner, Said(N_("history import {owner} was recorded but "
                                                                        "its row is gone (deleted outside csbatch)"),
                                                                     owner=owner)))
    found += _supersession(conn)
    return found, checked


def _what(part: str, owner: str) -> Said:
    if owner.startswith("import-"):
        return Said(N_("the {part} rows of history import {owner}"), part=part, owner=owner)
    return Said(N_("the {part} rows of close {close}"), part=part, close=owner[:12])


def _supersession(conn: sqlite3.Connection) -> list[Mismatch]:
    """A close is superseded exactly when a reopening of it is recorded (both in one transaction)."""
    found = []
    for close_id, period, superseded, reopened in conn.execute(
            """SELECT c.close_id, c.period, c.superseded,
                      EXISTS (SELECT 1 FROM reopenings r WHERE r.close_id = c.close_id)
               FROM closes c ORDER BY c.period, c.closed_at"""):
        if bool(superseded) != bool(reopened):
            state = (N_("close {close} is superseded without a recorded reopening (changed outside csbatch)")
                     if superseded else N_("close {close} is reopened but still live (changed outside csbatch)"))
            found.append(Mismatch("closes", period, close_id, Said(state, close=close_id[:12])))
    return found


def adopt(conn: sqlite3.Connection) -> None:
    """The migration step that introduces digests: the closes and imports already in the ledger
    are taken as they are (trust on first use) and their digests recorded (of the tables there
    were then: a later migration adopts its own with `adopt_parts`)."""
    for owner, period, parts in _owners(conn, _CLOSE_PARTS_4, _IMPORT_PARTS_4):
        record(conn, owner, period, parts)


def adopt_parts(conn: sqlite3.Connection, close_parts: tuple[str, ...],
                import_parts: tuple[str, ...] = ()) -> None:
    """The digests of tables a later migration adds to what a close (or an import) writes, for the
    closes and imports already in the ledger (their rows: none)."""
    for owner, period, parts in _owners(conn, close_parts, import_parts):
        record(conn, owner, period, parts)
