"""`csbatch explain`: how one employee's scorecard, and with `--pay` their pay, was computed; for a
closed month from the inputs and policy its close kept (`csbatch.closing.closed_month`)."""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch.commands.exits import finish, stop
from csbatch.console import language, print_explanation
from csbatch.scratch import scratch_folder


def run(employee: str, period: str, inputs: Path | None, config: Path | None, pay: bool = False,
        out: Path | None = None, ledger: Path | None = None) -> None:
    from csbatch.closing.closed_month import month_basis
    from csbatch.closing.explanation import explain

    with scratch_folder("explain") as work:
        basis, said = month_basis(period, inputs, config, out, ledger, Path(work))
        if basis is None:
            stop(said)
        try:
            card, paid, issues = explain(employee, period, basis.inputs, basis.config, pay=pay,
                                         ledger=basis.ledger, policy_shown_as=basis.policy_shown_as, lang=language())
        finally:
            if basis.ledger is not None:
                basis.ledger.close()
    if basis.note:
        typer.echo(basis.note.text(language()), err=True)
    if card is None and paid is None:
        stop(said + issues)
    if card is not None:
        print_explanation(card)
    if paid is not None:
        if card is not None:
            print()
        print_explanation(paid)
    finish(said + [i for i in issues if i.is_error])
