"""`csbatch ledger show PERIOD`: one month in detail — its input files, policy revision, totals,
and its closes and reopenings."""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch.commands.exits import finish_with
from csbatch.commands.ledger_list import revision_text
from csbatch.console import print_table


def run(period: str, ledger: Path | None, out: Path | None) -> None:
    from csbatch.ledger.listing import overview
    from csbatch.ledger.store import ledger_at

    done = finish_with(*overview(ledger_at(ledger, out), period))
    close = next((c for c in done.closes if c.live), done.closes[-1])
    typer.echo(f"{period}: {'closed' if close.live else 'reopened, last closed'} at {close.closed_at} by "
               f"{close.closed_by} (close {close.close_id[:12]}), published in {close.folder}")
    if close.policy is None:
        typer.echo("policy: not recorded (closed before csbatch kept each close's policy)")
    else:
        typer.echo(f"policy: {close.policy.revision}")
        if close.policy.previous:
            typer.echo(f"  changed from {close.policy.previous} (the close it replaced)"
                       + ("" if close.policy.changes else ": the rule changes were not recorded"))
            for line in close.policy.changes or ():
                typer.echo(f"  {line}")
    if close.inputs:
        print_table(["input file", "kind", "size", "sha256", "kept as"],
                    [(f.name, f.kinds, f"{f.size:,}", f.sha256, f.stored) for f in close.inputs],
                    title="input files (kept beside the ledger)")
    else:
        typer.echo("input files: not kept (closed before csbatch kept each close's inputs)")
    print_table(["component", "total"], [*((k, f"{v:,.2f}") for k, v in sorted(close.components.items())),
                                        ("(all)", f"{close.pay_total:,.2f}")], title="pay")
    if close.members is not None:
        typer.echo(f"VIP members: {close.members}")
    if len(done.closes) > 1 or done.reopenings:
        print_table(["closed at", "by", "policy", "status"],
                    [(c.closed_at, c.closed_by, revision_text(c), "live" if c.live else "reopened")
                     for c in done.closes], title=f"closes of {period}")
        print_table(["reopened at", "by", "reason"],
                    [(r.reopened_at, r.reopened_by, r.reason) for r in done.reopenings], title="reopenings")
