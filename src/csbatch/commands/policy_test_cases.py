"""`csbatch policy test`: run the golden cases of config/tests/ and print every outcome.
(Not named `policy_test.py`: pytest would take a `*_test.py` for a test file.)"""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch.commands.exits import finish, stop


def run(config: Path | None) -> None:
    from csbatch.policy import load_policy
    from csbatch.policytest import run_policy_tests
    from csbatch.resources import resolve_config

    policy, issues = load_policy(resolve_config(config))
    if policy is None:
        stop(issues)
    outcomes, found = run_policy_tests(policy)
    failed = [o for o in outcomes if not o.ok]
    for o in outcomes:
        typer.echo(f"{'ok  ' if o.ok else 'FAIL'} {o.place}: {o.name}")
        for failure in o.failures:
            typer.echo(f"       {failure}")
    typer.echo(f"{len(outcomes) - len(failed)} passed, {len(failed)} failed")
    finish(issues + found)
    if failed:
        raise typer.Exit(1)
