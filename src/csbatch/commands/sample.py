"""`csbatch sample`: write a realistic, consistent month of every input kind."""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch.commands.exits import finish, stop
from csbatch.console import language
from csbatch.i18n import N_, word


def run(period: str, out: Path, employees: int, orders: int | None, seed: int, config: Path | None) -> None:
    from csbatch.calendar import check_period
    from csbatch.policy import load_policy
    from csbatch.resources import resolve_config
    from csbatch.samples import generate_month

    finish(check_period(period))
    policy, issues = load_policy(resolve_config(config))
    if policy is None:
        stop(issues)
    written = generate_month(policy, period, out, employees=employees, orders=orders, seed=seed)
    typer.echo(word(language(), N_("wrote {count} files for {period} into {out}")).format(
        count=len(written), period=period, out=out))
    for path in written:
        typer.echo(f"  {path}")
