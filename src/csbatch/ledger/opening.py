"""Opening the ledger as every command that uses it must: a file that is not a ledger, or a
folder or disk the user cannot use, is an Issue saying what to do (never a bug), and a ledger
changed outside csbatch is refused before anything relies on it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from csbatch.environment import fault_issue
from csbatch.errors import Issue, Source
from csbatch.ledger.db import NotALedger
from csbatch.ledger.store import Ledger


def open_ledger_unchecked(path: Path, doing: str) -> tuple[Ledger | None, list[Issue]]:
    """The ledger at `path` (created if new), not yet checked against its digests: for `ledger
    verify`, which reports the differences itself."""
    try:
        return Ledger(path), []
    except NotALedger as exc:
        return None, [Issue.of(Source(str(path)), "env.not_a_ledger", exc.MESSAGE, path=exc.path, tables=exc.tables)]
    except (OSError, sqlite3.Error) as exc:
        issue = fault_issue(exc, path, doing)
        if issue is None:
            raise
        return None, [issue]


def open_ledger_checked(path: Path, doing: str) -> tuple[Ledger | None, list[Issue]]:
    """The ledger at `path`, opened (created if new) and checked against its digests (recomputed
    only when the ledger logged a change made outside csbatch: `Ledger.check`); or None and what
    stops it: a file that is not a ledger, a folder or disk it cannot use, a change made to it
    outside csbatch."""
    ledger, issues = open_ledger_unchecked(path, doing)
    if ledger is None:
        return None, issues
    issues = ledger.check()
    if issues:
        ledger.close()
        return None, issues
    return ledger, []
