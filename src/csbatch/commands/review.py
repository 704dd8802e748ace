"""`csbatch review 2026Q4` / `csbatch review 2026`: review a quarter or a year from the months the
ledger holds as closed, publish OUT/review-LABEL/ and say where it is."""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch.commands.exits import finish_with
from csbatch.i18n import translator


def run(period: str, out: Path, config: Path | None, ledger: Path | None, lang: str) -> None:
    from csbatch.closing.review import review

    folder, issues = review(period, out, config, ledger, lang)
    published = finish_with(folder, issues)
    _ = translator(lang)
    typer.echo(_("reviewed {period}: {folder}").format(period=period, folder=published))
    for path in sorted(published.iterdir()):
        typer.echo(f"    {path.name}")
