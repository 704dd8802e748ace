"""`csbatch policy test`: run the golden cases of config/tests/ and print every outcome.
(Not named `policy_test.py`: pytest would take a `*_test.py` for a test file.)"""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch.commands.exits import finish, stop
from csbatch.console import language
from csbatch.i18n import said_in, translator


def run(config: Path | None) -> None:
    from csbatch.policy import load_policy
    from csbatch.policytest import run_policy_tests
    from csbatch.resources import resolve_config

    policy, issues = load_policy(resolve_config(config))
    if policy is None:
        stop(issues)
    lang = language()
    _ = translator(lang)
    outcomes, found = run_policy_tests(policy)
    failed = [o for o in outcomes if not o.ok]
    ok, fail = _("ok"), _("FAIL")
    width = max(len(ok), len(fail))
    for o in outcomes:
        typer.echo(f"{(ok if o.ok else fail).ljust(width)} {o.place}: {o.name}")
        for failure in o.failures:
            typer.echo(f"       {said_in(lang, failure)}")
    typer.echo(_("{passed} passed, {failed} failed").format(passed=len(outcomes) - len(failed), failed=len(failed)))
    finish(issues + found)
    if failed:
        raise typer.Exit(1)
