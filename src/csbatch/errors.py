"""Problems as values with a place.

Every problem csbatch reports (a bad YAML key, a bad cell, a duplicate order) is an `Issue` carrying
the `Source` it came from, so the message can say `config/kpi/ecommerce.yaml:42:7: ...` or
`sales.xlsx[Sheet1]!E6: ...`. Stages collect issues instead of raising them, so one run reports
every problem at once; only the CLI decides how to print them and which exit code follows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from csbatch.blanks import is_blank
from csbatch.i18n import N_, Said, said_params, word
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

    @classmethod
    def of_row(cls, row: Mapping[str, Any], letter: str | None = None) -> Source | None:
        """Where a row of a typed frame came from, read from its provenance columns `_file`,
        `_sheet` and `_row` (`csbatch.sheets`): `file[sheet]!row 7`, or the cell `file[sheet]!C7`
        given its column letter. A blank sheet (a CSV) or row number is left out; None when the
        row has no file (a frame built without provenance). `row` is anything with `.get`: a
        frame row (Series), a dict of records."""
        return cls._of(row.get("_file"), row.get("_sheet"), row.get("_row"), letter)

    @classmethod
    def of_rows(cls, frame: Any) -> list[Source | None]:
        """`of_row` of every row of a DataFrame, in order (each column read once, not row by row)."""
        n = len(frame)
        if "_file" not in frame.columns:
            return [None] * n

        def column(name: str) -> Iterable[Any]:
            return frame[name] if name in frame.columns else [None] * n

        return [cls._of(f, s, r) for f, s, r in zip(frame["_file"], column("_sheet"), column("_row"))]

    @classmethod
    def _of(cls, file: Any, sheet: Any, row: Any, letter: str | None = None) -> Source | None:
        if is_blank(file):
            return None
        sheet = None if is_blank(sheet) else str(sheet)
        if is_blank(row):
            return cls(str(file), sheet=sheet)
        if letter:
            return cls(str(file), sheet=sheet, cell=f"{letter}{int(row)}")
        return cls(str(file), sheet=sheet, row=int(row))

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
    """A problem with its place. `message` is the English text (what logs, the manifest and the
    ledger keep); a person reads `shown(lang)`, the catalogue's words for `template` filled with
    `params`. An issue made with a plain message (no template) is shown as it is."""

    source: Source | None
    code: str
    message: str
    severity: Severity = Severity.ERROR
    template: str | None = None
    params: tuple[tuple[str, Any], ...] = ()

    def __post_init__(self) -> None:
        # the last guard for personal data: an ID number never reaches a message whole
        object.__setattr__(self, "message", mask_ids_in(self.message))

    @classmethod
    def of(cls, source: Source | None, code: str, template: str, /, severity: Severity = Severity.ERROR,
           **params: Any) -> Issue:
        """An issue whose message is a catalogue string: `template` marked with `N_` (its
        `{name}` placeholders filled from `params`), so it can be shown in any language."""
        return cls(source, code, template.format(**params), severity, template, tuple(params.items()))

    @classmethod
    def said(cls, source: Source | None, code: str, message: str, /,
             severity: Severity = Severity.ERROR) -> Issue:
        """An issue whose message was built before its place was known: a `Said` keeps its
        catalogue template (and is shown in any language), a plain string is shown as it is."""
        if isinstance(message, Said):
            return cls(source, code, str(message), severity, message.template, message.params)
        return cls(source, code, message, severity)

    @classmethod
    def warn(cls, source: Source | None, code: str, template: str, /, **params: Any) -> Issue:
        return cls.of(source, code, template, Severity.WARNING, **params)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_said(self) -> str:
        """The message as a piece of another message (`{problem}; nothing was published`): a
        `Said` when it has a template, so the outer message shows it in the same language."""
        if self.template is None:
            return self.message
        return Said(self.template, **dict(self.params))

    def text(self, lang: str) -> str:
        """The message in the language (ID numbers masked, as in `message`)."""
        if self.template is None or mask_ids_in(self.template.format(**dict(self.params))) != self.message:
            return self.message   # no template, or a message rewritten after it was made (`replace`)
        return mask_ids_in(word(lang, self.template).format(**said_params(lang, self.params)))

    def shown(self, lang: str) -> str:
        """The whole line a person reads: place, kind and message."""
        where = f"{self.source}: " if self.source is not None else ""
        kind = word(lang, N_("warning: ")) if self.severity is Severity.WARNING else ""
        return f"{where}{kind}{self.text(lang)}"

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source is not None else ""
        kind = "warning: " if self.severity is Severity.WARNING else ""
        return f"{where}{kind}{self.message}"

    def line(self) -> Said:
        """The whole line (`str(issue)`) as text that can be said in a language, `shown` in it:
        for a list of lines some of which are issues (a golden case's failures)."""
        return _IssueLine(self)


class _IssueLine(Said):
    """An issue's whole line among other lines that can be said in a language: its English is
    `str(issue)`, so it compares and prints as the line always did; `text(lang)` is `shown`."""

    issue: Issue

    def __new__(cls, issue: Issue) -> _IssueLine:
        self = str.__new__(cls, str(issue))
        self.template, self.params, self.issue = str(self), (), issue
        return self

    def __getnewargs_ex__(self) -> tuple[tuple[Issue], dict[str, object]]:  # type: ignore[override]
        return (self.issue,), {}

    def text(self, lang: str) -> str:
        return self.issue.shown(lang)


class CsbatchError(Exception):
    """An expected failure: the user's input or policy is wrong. Carries every issue found."""

    def __init__(self, issues: Iterable[Issue] | str, code: str = "error"):
        if isinstance(issues, str):
            issues = [Issue(None, code, issues)]
        self.issues: list[Issue] = list(issues)
        super().__init__("\n".join(str(i) for i in self.issues))

