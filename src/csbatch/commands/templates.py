"""`csbatch templates DIR`: blank input workbooks, one per input kind of the policy."""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch.commands.exits import finish, stop
from csbatch.i18n import N_, word


def run(out: Path, config: Path | None, lang: str) -> None:
    from csbatch.policy import load_policy
    from csbatch.reports.input_templates import write_input_templates
    from csbatch.resources import resolve_config

    policy, issues = load_policy(resolve_config(config))
    if policy is None:
        stop(issues)
    written, problems = write_input_templates(policy, out, lang)
    finish(issues + problems)
    typer.echo(word(lang, N_("wrote {n} input templates into {out}")).format(n=len(written), out=out))
    for path in written:
        typer.echo(f"  {path}")
