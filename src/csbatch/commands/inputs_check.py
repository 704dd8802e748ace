"""`csbatch inputs check`: read every input sheet of the month, print what was found and every
problem."""

from __future__ import annotations

from pathlib import Path

from csbatch.commands.exits import finish
from csbatch.console import StageProgress, language, print_table
from csbatch.i18n import translator


def run(period: str, inputs: Path, config: Path | None) -> None:
    from csbatch.closing.runs import check_inputs

    _ = translator(language())
    found, issues = check_inputs(period, inputs, config, StageProgress())
    if found is not None:
        rows = [(r.kind, r.path, ", ".join(r.sheets) or "—", str(r.rows)) for r in found.records]
        print_table([_("kind"), _("file"), _("sheet"), _("rows")], rows,
                    title=_("inputs for {period}").format(period=period))
    finish(issues)
