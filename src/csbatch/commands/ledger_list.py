"""`csbatch ledger`: the closed months of the ledger and its reopenings."""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch.commands.exits import finish_with
from csbatch.console import print_table


def revision_text(summary) -> str:
    if summary.policy is None:
        return "— (not recorded)"
    revision = summary.policy.revision
    return revision[:21] if revision.startswith("snapshot:") else revision[:12]


def run(ledger: Path | None, out: Path | None) -> None:
    from csbatch.ledger.listing import overview
    from csbatch.ledger.store import ledger_at

    done = finish_with(*overview(ledger_at(ledger, out)))
    if not done.closes:
        typer.echo(f"{done.path}: no month closed yet")
        return
    print_table(["period", "status", "closed at", "by", "policy", "inputs (sha256)", "pay total", "members"],
                [(c.period, "live" if c.live else "reopened", c.closed_at, c.closed_by, revision_text(c),
                  f"{len(c.inputs)}: " + " ".join(f.sha256[:8] for f in c.inputs) if c.inputs else "— (not kept)",
                  f"{c.pay_total:,.2f}", "—" if c.members is None else str(c.members)) for c in done.closes],
                title=f"closes in {done.path}")
    if done.reopenings:
        print_table(["period", "reopened at", "by", "reason"],
                    [(r.period, r.reopened_at, r.reopened_by, r.reason) for r in done.reopenings],
                    title="reopenings")
