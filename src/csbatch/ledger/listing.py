"""What `csbatch ledger` and `csbatch ledger show PERIOD` print: the closes the ledger holds (when,
by whom, with which policy revision and input files, the pay total and VIP members) and the
reopenings (who, why, when). Read only: the ledger is opened as it is, never created or checked
(`ledger verify` checks it)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from csbatch.errors import Issue, Source
from csbatch.ledger.blobs import KeptFile
from csbatch.ledger.kept import ClosePolicy, close_policy, kept_files
from csbatch.ledger.opening import open_ledger_unchecked
from csbatch.ledger.store import NEVER_CLOSED, NO_LEDGER, Ledger


@dataclass(frozen=True)
class Reopening:
    period: str
    close_id: str
    reopened_at: str
    reopened_by: str
    reason: str


@dataclass(frozen=True)
class CloseSummary:
    close_id: str
    period: str
    closed_at: str
    closed_by: str
    live: bool
    policy: ClosePolicy | None
    inputs: list[KeptFile]
    pay_total: Decimal
    members: int | None
    folder: str
    components: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Overview:
    path: Path
    closes: list[CloseSummary]
    reopenings: list[Reopening]


def _summary(ledger: Ledger, row: tuple) -> CloseSummary:
    close_id, period, closed_at, closed_by, superseded, out_dir, manifest = row
    components: dict[str, Decimal] = {}
    for component, amount in ledger.conn.execute("SELECT component, amount FROM pay_lines WHERE close_id = ?",
                                                 (close_id,)):
        components[component] = components.get(component, Decimal(0)) + Decimal(amount)
    try:
        members = json.loads(manifest).get("counts", {}).get("members")
    except (ValueError, AttributeError):
        members = None
    return CloseSummary(close_id, period, closed_at, closed_by, not superseded, close_policy(ledger, close_id),
                        kept_files(ledger, close_id, "input"), sum(components.values(), Decimal(0)), members,
                        str(Path(out_dir) / period), components)


def _open(path: Path) -> tuple[Ledger | None, list[Issue]]:
    if not Path(path).exists():
        return None, [Issue.of(Source(str(path)), "ledger.missing", NO_LEDGER)]
    return open_ledger_unchecked(Path(path), "read the ledger")


_CLOSES = "SELECT close_id, period, closed_at, closed_by, superseded, out_dir, manifest FROM closes"
_REOPENINGS = "SELECT period, close_id, reopened_at, reopened_by, reason FROM reopenings"


def overview(path: Path, period: str | None = None) -> tuple[Overview | None, list[Issue]]:
    """Every close of the ledger (of `period` only, when given), oldest first, and every reopening."""
    ledger, issues = _open(path)
    if ledger is None:
        return None, issues
    try:
        where, args = (" WHERE period = ?", (period,)) if period else ("", ())
        closes = [_summary(ledger, r) for r in
                  ledger.conn.execute(_CLOSES + where + " ORDER BY period, closed_at, rowid", args).fetchall()]
        reopenings = [Reopening(*r) for r in ledger.conn.execute(_REOPENINGS + where + " ORDER BY id", args)]
    finally:
        ledger.close()
    if period and not closes:
        return None, [Issue.of(Source(str(path)), "ledger.not_closed", NEVER_CLOSED, period=period)]
    return Overview(Path(path), closes, reopenings), []


def month_results(ledger: Ledger, close_id: str) -> tuple[str, list[tuple]]:
    """A close's manifest (JSON text) and its results rows (employee_id, scorecard, total, grade,
    rank, rated), for `csbatch review`."""
    manifest = ledger.conn.execute("SELECT manifest FROM closes WHERE close_id = ?", (close_id,)).fetchone()[0]
    rows = ledger.conn.execute("SELECT employee_id, scorecard, total, grade, rank, rated FROM results "
                               "WHERE close_id = ? ORDER BY employee_id", (close_id,)).fetchall()
    return manifest, rows


__all__ = ["CloseSummary", "Overview", "Reopening", "month_results", "overview"]
