"""`csbatch policy diff REV1 [REV2]`: the rule changes between two policies in words (a git
revision of the policy repository, or a folder; REV2 defaults to the work tree), and with
`--month` what that change would have done to a closed month."""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch import i18n
from csbatch.commands.exits import finish_with
from csbatch.i18n import translator
from csbatch.scratch import scratch_folder


def run(rev1: str, rev2: str | None, config: Path | None, month: str | None, ledger: Path | None,
        out: Path | None, report: Path | None, lang: str) -> None:
    from csbatch.closing.whatif import read_policy
    from csbatch.policy import load_policy
    from csbatch.policy.diff import describe_changes
    from csbatch.reports.whatif_report import said
    from csbatch.resources import resolve_config

    _ = translator(lang)
    config_dir = resolve_config(config)
    with scratch_folder("policy-diff") as tmp:
        policies = []
        for name, rev in (("before", rev1), ("after", rev2)):
            folder: Path | None = config_dir
            words = _("the work tree {folder}").format(folder=config_dir)
            if rev is not None:
                folder, words, issues = read_policy(config_dir, rev, Path(tmp) / name)
                folder = finish_with(folder, issues)
            loaded, issues = load_policy(finish_with(folder, []))
            policies.append((finish_with(loaded, [i for i in issues if i.is_error]), words))
        (before, before_words), (after, after_words) = policies
        changes = describe_changes(before, after)
    count = i18n.translations(lang).ngettext("{count} rule change", "{count} rule changes", len(changes))
    typer.echo(_("{before} → {after}: {changes}").format(
        before=said(before_words, lang), after=said(after_words, lang),
        changes=count.format(count=len(changes)) if changes else _("the same rules")))
    for line in changes:
        typer.echo(f"  {said(line, lang)}")
    if month is not None:
        from csbatch.commands import what_if

        what_if.run(month, rev2 if rev2 is not None else str(config_dir), None, None, rev1, None, config, ledger,
                    out, report, lang)
