"""`csbatch explain`: how one employee's scorecard, and with `--pay` their pay, was computed."""

from __future__ import annotations

from pathlib import Path

from csbatch.commands.exits import finish, stop
from csbatch.console import print_explanation


def run(employee: str, period: str, inputs: Path, config: Path | None, pay: bool = False) -> None:
    from csbatch.closing.explanation import explain

    card, paid, issues = explain(employee, period, inputs, config, pay=pay)
    if card is None and paid is None:
        stop(issues)
    if card is not None:
        print_explanation(card)
    if paid is not None:
        if card is not None:
            print()
        print_explanation(paid)
    finish([i for i in issues if i.is_error])
