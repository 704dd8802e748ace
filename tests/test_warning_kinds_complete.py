"""Every kind of warning a close can give has words in the close summary (`console.WARNING_KINDS`):
a kind not listed is shown by its code (`vip.holder_moved ×3` in a Chinese summary), as three
were. The warnings are found in the source itself: each `Issue.warn(place, "code", …)` call."""

from __future__ import annotations

import ast
from pathlib import Path

from csbatch.console import WARNING_KINDS

SRC = Path(__file__).resolve().parents[1] / "src" / "csbatch"
#: warnings of commands other than the close, which print no close summary
NOT_THE_CLOSE = ("init.", "review.")


def _warning_codes() -> dict[str, str]:
    """code → the first file that warns with it."""
    found: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "warn"
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "Issue"
                    and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)):
                found.setdefault(node.args[1].value, str(path.relative_to(SRC)))
    return found


def test_every_warning_of_the_close_has_words_in_its_summary():
    codes = _warning_codes()
    assert len(codes) > 25      # the scan finds the warnings (it found 36 when written)
    missing = {c: f for c, f in codes.items() if c not in WARNING_KINDS and not c.startswith(NOT_THE_CLOSE)}
    assert missing == {}
