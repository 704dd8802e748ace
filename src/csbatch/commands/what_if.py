"""`csbatch what-if`: what closed months would have paid under another policy, on the terminal and
as `what-if/PERIOD-REV.xlsx` and `.html`; the ledger is only read."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from csbatch.commands.exits import finish, finish_with
from csbatch.console import print_table
from csbatch.i18n import translator


def report_name(periods: list[str], policy: str) -> str:
    """`2026-10`, `HEAD~1` → `2026-10-HEAD_1`; several months → `2026-07_2026-10-REV`; a folder
    gives its name."""
    months = periods[0] if len(periods) == 1 else f"{periods[0]}_{periods[-1]}"
    label = Path(policy).name if Path(policy).is_dir() else policy
    return f"{months}-{re.sub(r'[^A-Za-z0-9_.-]+', '_', label).strip('_.') or 'policy'}"


def show(what, lang: str) -> None:
    from csbatch.reports.pages import money
    from csbatch.reports.whatif_report import said as in_lang
    from csbatch.reports.whatif_report import text_tables

    _ = translator(lang)
    typer.echo(_("what-if {periods}").format(periods=", ".join(what.periods)))
    typer.echo("  " + _("before: {policy}").format(policy=in_lang(what.before, lang)))
    typer.echo("  " + _("after:  {policy}").format(policy=in_lang(what.after, lang)))
    for table in text_tables(what, lang):
        if table["rows"]:
            print_table(table["headers"], table["rows"], title=table["title"])
    if not what.rules:
        typer.echo(_("the two policies have the same rules"))
    said = _("gross pay change: {change} over the months") if len(what.periods) > 1 else _("gross pay change: {change}")
    typer.echo(said.format(change=money(what.pay_change)))


def run(period: str | None, policy: str, first: str | None, last: str | None, before: str | None,
        inputs: Path | None, config: Path | None, ledger: Path | None, out: Path | None,
        report: Path | None, lang: str) -> None:
    from csbatch.closing.whatif import months_between, what_if_closed
    from csbatch.ledger.store import ledger_at
    from csbatch.reports.whatif_report import write_page, write_workbook
    from csbatch.resources import resolve_config

    if period is not None:
        periods = [period]
    else:
        found, issues = months_between(first or "", last or "")
        finish(issues)
        periods = found
    if inputs is not None and len(periods) > 1:
        _ = translator(lang)
        raise typer.BadParameter(_("--inputs gives one month's files: what-if them one month at a time"),
                                 param_hint="--inputs")
    ledger_path = ledger_at(ledger, out)
    what, issues = what_if_closed(periods, policy, resolve_config(config), ledger_path, inputs, before)
    what = finish_with(what, [i for i in issues if i.is_error])
    show(what, lang)
    folder = report if report is not None else ledger_path.parent / "what-if"
    name = report_name(periods, policy)
    written = [write_workbook(what, folder / f"{name}.xlsx", lang), write_page(what, folder / f"{name}.html", lang)]
    _ = translator(lang)
    typer.echo(_("written: {files}").format(files=", ".join(str(p) for p in written)))
    finish([i for i in issues if not i.is_error])
