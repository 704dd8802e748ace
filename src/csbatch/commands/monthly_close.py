"""`csbatch monthly-close`: close the month and print a summary of what was published (counts, gross
pay, warnings by kind, where the files are) and what changed against the previous close of the
same month."""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch.commands.exits import finish_with
from csbatch.console import StageProgress, print_close_summary, print_table
from csbatch.i18n import Said, translator, word_in


def run(period: str, inputs: Path, out: Path, config: Path | None, ledger: Path | None, lang: str,
        allow_dirty: bool, policy_rev: str | None = None, verbose: bool = False) -> None:
    from csbatch.closing.runs import monthly_close as close
    from csbatch.closing.summary import summarize

    outcome = close(period, inputs, out, config, ledger, lang, progress=StageProgress(lang),
                    allow_dirty=allow_dirty, policy_rev=policy_rev)
    if outcome.state.policy_note:
        note = outcome.state.policy_note
        typer.echo(note.text(lang) if isinstance(note, Said) else note)
    _ = translator(lang)
    published = finish_with(outcome.state.published, outcome.issues)
    typer.echo(_("closed {period}: {folder}").format(period=period, folder=published))
    if outcome.state.policy_previous:
        rules = outcome.state.policy_changes
        said = (_("policy changed against the close it replaces ({previous}): recorded with its rule changes:")
                if rules else
                _("policy changed against the close it replaces ({previous}): no rule changed") if rules == () else
                _("policy changed against the close it replaces ({previous}): recorded (the earlier policy could "
                  "not be read)"))
        typer.echo(said.format(previous=outcome.state.policy_previous[:12]))
        for line in rules or ():
            typer.echo(f"  {line.text(lang) if isinstance(line, Said) else line}")
    print_close_summary(summarize(outcome.state, outcome.issues), lang, verbose)
    changed = outcome.state.pay_changes
    if changed is None:
        return
    why = changed.reopening
    reopened = "" if why is None else " " + _("(reopened by {by} at {at}: {reason})").format(
        by=why.reopened_by, at=why.reopened_at, reason=why.reason)
    if not changed.lines:
        typer.echo(_("no change against the previous close of {period}").format(period=period) + reopened)
        return
    typer.echo(_("changes against the previous close of {period}").format(period=period) + reopened + ":")
    print_table([_("employee"), _("name"), _("component"), _("before"), _("after"), _("change")],
                [(c.employee_id, c.name, c.component_name, f"{c.before:.2f}", f"{c.after:.2f}", f"{c.change:+.2f}")
                 for c in changed.lines]
                + [(word_in(lang, "totals row", "total"), "", "", f"{changed.before:.2f}", f"{changed.after:.2f}",
                    f"{changed.change:+.2f}")])
