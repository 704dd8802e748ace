"""Problems as values with a place.

Every problem csbatch reports (a bad YAML key, a bad cell, a duplicate order) is an `Issue` carrying
the `Source` it came from, so the message can say `config/kpi/ecommerce.yaml:42:7: ...` or
`sales.xlsx[Sheet1]!E6: ...`. Stages collect issues instead of raising them, so one run reports
every problem at once; only the CLI decides how to print them and which exit code follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Iterable

from csbatch.idnumbers import mask_ids_in


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Source:
    """Where something came from: a line of a policy file, or a cell/row of an input sheet."""

    path: str
    line: int | None = None
    col: int | None = None
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.path}:{self.line}" + (f":{self.col}" if self.col is not None else "")
        text = self.path
        if self.sheet is not None:
            text += f"[{self.sheet}]"
        if self.cell is not None:
            text += f"!{self.cell}"
        elif self.row is not None:
            text += f"!row {self.row}"
        return text


@dataclass(frozen=True, slots=True)
class Issue:
    source: Source | None
    code: str
    message: str
    severity: Severity = Severity.ERROR

    def __post_init__(self) -> None:
        # the last guard for personal data: an ID number never reaches a message whole
        object.__setattr__(self, "message", mask_ids_in(self.message))

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source is not None else ""
        kind = "warning: " if self.severity is Severity.WARNING else ""
        return f"{where}{kind}{self.message}"


class CsbatchError(Exception):
    """An expected failure: the user's input or policy is wrong. Carries every issue found."""

    def __init__(self, issues: Iterable[Issue] | str, code: str = "error"):
        if isinstance(issues, str):
            issues = [Issue(None, code, issues)]
        self.issues: list[Issue] = list(issues)
        super().__init__("\n".join(str(i) for i in self.issues))

