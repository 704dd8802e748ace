"""`csbatch explain`: how one employee's scorecard was computed."""

from __future__ import annotations

from pathlib import Path

from csbatch.commands.exits import finish, stop
from csbatch.console import print_explanation


def run(employee: str, period: str, inputs: Path, config: Path | None) -> None:
    from csbatch.closing.explanation import explain

    explanation, issues = explain(employee, period, inputs, config)
    if explanation is None:
        stop(issues)
    print_explanation(explanation)
    finish([i for i in issues if i.is_error])
