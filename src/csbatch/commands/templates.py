"""`csbatch templates DIR`: blank input workbooks, one per input kind of the policy."""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch.commands.exits import finish, stop

#: What the command says when done, by language.
WORDS = {"zh": "已在 {out} 写入 {n} 个输入模板", "en": "wrote {n} input templates into {out}"}


def run(out: Path, config: Path | None, lang: str) -> None:
    from csbatch.policy import load_policy
    from csbatch.reports.input_templates import write_input_templates
    from csbatch.resources import resolve_config

    policy, issues = load_policy(resolve_config(config))
    if policy is None:
        stop(issues)
    written, problems = write_input_templates(policy, out, lang)
    finish(issues + problems)
    typer.echo(WORDS[lang].format(n=len(written), out=out))
    for path in written:
        typer.echo(f"  {path}")
