"""`csbatch reproduce PERIOD`: recompute a closed month from its kept inputs and policy revision
and say "identical", or list every difference (exit 1)."""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch import i18n
from csbatch.commands.exits import finish_with
from csbatch.console import language, print_table
from csbatch.i18n import translator


def _revision(revision: str) -> str:
    return revision[:21] if revision.startswith("snapshot:") else revision[:12]


def run(period: str, ledger: Path | None, out: Path | None, config: Path | None) -> None:
    from csbatch.closing.reproduction import reproduce
    from csbatch.ledger.store import ledger_at

    lang = language()
    _ = translator(lang)
    done = finish_with(*reproduce(period, ledger_at(ledger, out), config))
    said = {"period": period, "inputs": done.inputs, "revision": _revision(done.revision)}
    if done.identical:
        typer.echo(_("{period}: identical — recomputed from its {inputs} kept input files and the policy it was "
                     "closed with ({revision}), every ledger row and data file is as recorded").format(**said))
        return
    print_table([_("table or file"), _("row"), _("field"), _("recorded"), _("recomputed")],
                [(d.part, d.row, d.field, d.recorded, d.recomputed) for d in done.differences],
                title=_("{period} recomputed from its {inputs} kept input files and the policy it was closed "
                        "with ({revision})").format(**said))
    typer.echo(i18n.translations(lang).ngettext(
        "{period}: {count} difference against what was recorded",
        "{period}: {count} differences against what was recorded",
        len(done.differences)).format(period=period, count=len(done.differences)))
    raise typer.Exit(1)
