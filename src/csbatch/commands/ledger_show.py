"""`csbatch ledger show PERIOD`: one month in detail — its input files, policy revision, totals,
and its closes and reopenings."""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch.commands.exits import finish_with
from csbatch.commands.ledger_list import revision_text, status_text
from csbatch.console import language, print_table
from csbatch.i18n import translator, word_in


def run(period: str, ledger: Path | None, out: Path | None) -> None:
    from csbatch.ledger.listing import overview
    from csbatch.ledger.store import ledger_at

    _ = translator(language())
    done = finish_with(*overview(ledger_at(ledger, out), period))
    close = next((c for c in done.closes if c.live), done.closes[-1])
    said = (_("{period}: closed at {at} by {by} (close {close}), published in {folder}") if close.live else
            _("{period}: reopened, last closed at {at} by {by} (close {close}), published in {folder}"))
    typer.echo(said.format(period=period, at=close.closed_at, by=close.closed_by, close=close.close_id[:12],
                           folder=close.folder))
    if close.policy is None:
        typer.echo(_("policy: not recorded (closed before csbatch kept each close's policy)"))
    else:
        typer.echo(_("policy: {revision}").format(revision=close.policy.revision))
        if close.policy.previous:
            typer.echo("  " + (_("changed from {previous} (the close it replaced)") if close.policy.changes else
                               _("changed from {previous} (the close it replaced): the rule changes were not "
                                 "recorded")).format(previous=close.policy.previous))
            for line in close.policy.changes or ():
                typer.echo(f"  {line}")
    if close.inputs:
        print_table([_("input file"), _("kind"), _("size"), "sha256", _("kept as")],
                    [(f.name, f.kinds, f"{f.size:,}", f.sha256, f.stored) for f in close.inputs],
                    title=_("input files (kept beside the ledger)"))
    else:
        typer.echo(_("input files: not kept (closed before csbatch kept each close's inputs)"))
    total = word_in(language(), "totals row", "total")
    print_table([_("component"), total], [*((k, f"{v:,.2f}") for k, v in sorted(close.components.items())),
                                          (_("(all)"), f"{close.pay_total:,.2f}")], title=_("pay"))
    if close.members is not None:
        typer.echo(_("VIP members: {count}").format(count=close.members))
    if len(done.closes) > 1 or done.reopenings:
        print_table([_("closed at"), _("by"), _("policy"), _("status")],
                    [(c.closed_at, c.closed_by, revision_text(c), status_text(c.live))
                     for c in done.closes], title=_("closes of {period}").format(period=period))
        print_table([_("reopened at"), _("by"), _("reason")],
                    [(r.reopened_at, r.reopened_by, r.reason) for r in done.reopenings], title=_("reopenings"))
