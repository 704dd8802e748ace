"""Reopening a closed month and verifying the ledger (`csbatch reopen`, `csbatch ledger verify`):
what the ledger does, with every refusal and every fault of the machine as an Issue saying what
to do."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TypedDict

from csbatch.calendar import check_period
from csbatch.environment import check_folder, fault_issue
from csbatch.errors import Issue, Source
from csbatch.i18n import N_
from csbatch.ledger.kept import damaged_copies
from csbatch.ledger.opening import open_ledger_checked, open_ledger_unchecked
from csbatch.ledger.store import NO_LEDGER, OrderError, PublishedElsewhere


class Reopened(TypedDict):
    period: str
    close_id: str
    moved_to: Path | None     # where the month's folder went (None: it had none)
    closed_at: str


class Verified(TypedDict):
    path: Path
    closes: int
    live: int
    imports: int
    digests: int              # digests checked


def reopen(period: str, reason: str, ledger_path: Path,
           out_dir: Path | None = None) -> tuple[Reopened | None, list[Issue]]:
    """Supersede the month's close so it can be closed again; record who, why and when, and move
    its folder aside (under `out_dir` when given: refused when the ledger says the month was
    published elsewhere)."""
    issues = check_period(period)
    if not reason.strip():
        issues.append(Issue.of(None, "reopen.reason", N_("give the reason for reopening (--reason)")))
    if issues:
        return None, issues
    if not Path(ledger_path).exists():
        return None, [Issue.of(Source(str(ledger_path)), "ledger.missing", NO_LEDGER)]
    ledger, issues = open_ledger_checked(Path(ledger_path), "reopen the month")
    if ledger is None:
        return None, issues
    try:
        try:
            record = ledger.live_close(period)
            if record is not None:
                folder = ledger.folder_under(record, out_dir)
                issues = check_folder(folder.parent, "the month's folder") if folder.exists() else []
                if issues:
                    return None, issues
            record, moved = ledger.reopen(period, reason.strip(), out_dir)
        except LookupError:
            return None, [Issue.of(Source(str(ledger_path)), "reopen.not_closed",
                                   N_("{period} is not closed in this ledger"), period=period)]
        except OrderError as exc:
            return None, [Issue.of(Source(str(ledger_path)), "reopen.order",
                                   N_("{later} is closed after {period}: reopen {later} first"),
                                   later=exc.args[0], period=period)]
        except PublishedElsewhere as exc:
            return None, [Issue.of(Source(str(exc.out_dir)), "reopen.elsewhere",
                                   N_("the ledger says {period} was published in {folder}, and {here} does "
                                      "not hold that close: give --out {out}, or move the folder back there first"),
                                   period=period, folder=exc.record.folder, here=Path(exc.out_dir) / period,
                                   out=exc.record.out_dir)]
        except (OSError, sqlite3.Error) as exc:
            issue = fault_issue(exc, ledger_path, "reopen the month")
            if issue is None:
                raise
            return None, [issue]
        return Reopened(period=period, close_id=record.close_id, moved_to=moved, closed_at=record.closed_at), []
    finally:
        ledger.close()


def verify_ledger(ledger_path: Path) -> tuple[Verified | None, list[Issue]]:
    """What `csbatch ledger verify` does: check every close and history import of the ledger
    against the digests recorded with them; every difference is an error naming table and month."""
    path = Path(ledger_path)
    if not path.exists():
        return None, [Issue.of(Source(str(path)), "ledger.missing", NO_LEDGER)]
    ledger, issues = open_ledger_unchecked(path, "read the ledger")
    if ledger is None:
        return None, issues
    try:
        issues, checked = ledger.verify()
        issues += damaged_copies(ledger)
        closes, live = ledger.conn.execute("SELECT COUNT(*), TOTAL(superseded = 0) FROM closes").fetchone()
        imports = ledger.conn.execute("SELECT COUNT(*) FROM vip_imports").fetchone()[0]
        return Verified(path=path, closes=closes, live=int(live), imports=imports, digests=checked), issues
    finally:
        ledger.close()

