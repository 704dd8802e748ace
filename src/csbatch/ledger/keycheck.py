"""Whether the ledger's key (`vip.identity`: `<ledger>.key` or CSBATCH_ID_KEY) is the one its closes
were made with, asked before a month is computed on it.

The key matches VIP members across months (a keyed hash of their national ID number) and seals
the kept copies of every close's files (`ledger.blobs`). A ledger copied without its key file,
or a CSBATCH_ID_KEY other than the one it was made with, used to be taken as a new ledger's: a
new key was made (or the other used) and every card holder hashed to someone new, so the close
issued each of them a second card beside the first (and then stopped in a traceback, two
statements of one customer). It is refused here instead, naming the key.

A missing key is refused once the ledger holds a close or imported members. A key that is there is
tried on the ledger's own evidence, without storing anything new: the first token of a few of
its smallest kept copies. One that opens proves the key; none opening proves another key (or
copies changed on disk, which `ledger verify` tells apart). A ledger with no kept copy on disk
(made before copies were kept, or only imported members) cannot be tried and is let through."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from csbatch.errors import Issue, Source
from csbatch.i18n import N_
from csbatch.ledger.blobs import ENV_KEY, fernet_of, first_token_opens
from csbatch.vip.identity import existing_key, key_file

MISSING = N_("missing (and {env} is not set), but the ledger {ledger} holds closes made with this key: its VIP "
             "members are matched by it and the kept copies of its files are sealed under it; a new key would "
             "count every member as a new person. Put the key file back from where it was backed up, or set "
             "its key in {env}")
WRONG = N_("not the key the ledger {ledger} was made with: none of its kept copies ({copy}, ...) opens under "
           "it, and every VIP member would count as a new person. Use the ledger's own key file (or its key in "
           "{env}); if the key is right, `csbatch ledger verify` tells which copies changed")

#: How many kept copies are tried (the smallest first): one damaged copy does not make a right
#: key look wrong.
TRIED = 3


def _holds_anything(conn: sqlite3.Connection) -> bool:
    """Whether the ledger holds something made with its key: a close, or the members imported at
    go-live (`vip import-members` hashes their ID numbers). Purchases imported with `vip
    import-history` are kept by customer, and a ledger holding only those has no key yet."""
    return conn.execute("SELECT EXISTS (SELECT 1 FROM closes) OR EXISTS (SELECT 1 FROM vip_member_cards)"
                        ).fetchone()[0] == 1


def _smallest_copies(conn: sqlite3.Connection, folder: Path) -> list[Path]:
    """Up to `TRIED` kept copies that are on disk, the smallest first (a policy file: one token)."""
    found = []
    for stored, _ in conn.execute("SELECT DISTINCT stored, size FROM kept_files ORDER BY size, stored"):
        copy = folder / stored
        if copy.is_file():
            found.append(copy)
            if len(found) == TRIED:
                break
    return found


def checked_key(ledger_path: Path, conn: sqlite3.Connection) -> tuple[bytes | None, list[Issue]]:
    """The ledger's key, read once, with the issues refusing it (missing, or not the one its kept
    copies are sealed under, each naming the key); (None, []) for a new ledger with no key yet,
    which the close makes."""
    where = key_file(ledger_path)
    key = existing_key(ledger_path)
    if key is None:
        if not _holds_anything(conn):
            return None, []
        return None, [Issue.of(Source(str(where)), "ledger.key_missing", MISSING, ledger=ledger_path, env=ENV_KEY)]
    copies = _smallest_copies(conn, ledger_path.parent)
    if not copies:
        return key, []
    fernet = fernet_of(key)
    opened = [first_token_opens(copy, fernet) for copy in copies]
    if True in opened or False not in opened:
        return key, []
    shown = ENV_KEY if os.environ.get(ENV_KEY) else str(where)   # the key used: the variable first
    return None, [Issue.of(Source(shown), "ledger.key_wrong", WRONG, ledger=ledger_path,
                           copy=copies[0].name, env=ENV_KEY)]


def key_problems(ledger_path: Path, conn: sqlite3.Connection) -> list[Issue]:
    """`checked_key`'s issues alone: the close's check-ledger stage refuses before computing."""
    return checked_key(ledger_path, conn)[1]
