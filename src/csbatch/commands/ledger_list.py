"""`csbatch ledger`: the closed months of the ledger and its reopenings."""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch.commands.exits import finish_with
from csbatch.console import language, print_table
from csbatch.i18n import N_, translator, word


def revision_text(summary) -> str:
    if summary.policy is None:
        return "— " + word(language(), N_("(not recorded)"))
    revision = summary.policy.revision
    return revision[:21] if revision.startswith("snapshot:") else revision[:12]


def status_text(live: bool) -> str:
    """A close's status in the ledger's listings: live, or reopened since."""
    return word(language(), N_("live") if live else N_("reopened"))


def run(ledger: Path | None, out: Path | None) -> None:
    from csbatch.ledger.listing import overview
    from csbatch.ledger.store import ledger_at

    _ = translator(language())
    done = finish_with(*overview(ledger_at(ledger, out)))
    if not done.closes:
        typer.echo(_("{path}: no month closed yet").format(path=done.path))
        return
    print_table([_("period"), _("status"), _("closed at"), _("by"), _("policy"), _("inputs (sha256)"),
                 _("pay total"), _("members")],
                [(c.period, status_text(c.live), c.closed_at, c.closed_by, revision_text(c),
                  f"{len(c.inputs)}: " + " ".join(f.sha256[:8] for f in c.inputs) if c.inputs
                  else "— " + _("(not kept)"),
                  f"{c.pay_total:,.2f}", "—" if c.members is None else str(c.members)) for c in done.closes],
                title=_("closes in {path}").format(path=done.path))
    if done.reopenings:
        print_table([_("period"), _("reopened at"), _("by"), _("reason")],
                    [(r.period, r.reopened_at, r.reopened_by, r.reason) for r in done.reopenings],
                    title=_("reopenings"))
