"""What reading the month's inputs hands on: `Inputs` (each kind's typed frame, the files read,
the column letters to name cells by) and the `InputRecord` of each file. Apart from
`csbatch.sheets.intake`, which builds them, so the cross-file checks intake runs can name them
without an import cycle."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import pandas as pd

from csbatch.errors import Source


@dataclass(frozen=True)
class InputRecord:
    """One file × kind that went into the close (for the manifest)."""

    path: str
    kind: str
    sha256: str
    rows: int
    sheets: tuple[str, ...] = ()


@dataclass
class Inputs:
    """What `read_inputs` hands to every stage: the month's typed frame of each input kind (the
    contract of `csbatch.sheets`, with provenance columns; an empty frame of the declared columns
    for a kind no file gave), the files read, and the column letters to name cells by."""

    period: str
    frames: dict[str, pd.DataFrame]
    records: list[InputRecord]
    #: (file, sheet) → canonical column → column letter, to name cells in later messages
    letters: dict[tuple[str, str | None], dict[str, str]] = field(default_factory=dict)
    #: (file, sheet) → canonical column → the header the sheet has for it, to name columns in
    #: later messages as the person's sheet does
    headers: dict[tuple[str, str | None], dict[str, str]] = field(default_factory=dict)

    def __getitem__(self, kind: str) -> pd.DataFrame:
        return self.frames[kind]

    def header(self, row: pd.Series, column: str) -> str | None:
        """The header `column` has in the sheet a record came from; None when unknown."""
        place = Source.of_row(row_fields(row))
        return None if place is None else self.headers.get((place.path, place.sheet), {}).get(column)

    def cell(self, row: pd.Series, column: str) -> Source | None:
        """The place of `column` in the sheet row a record came from (`Source.of_row`; the row
        alone when the sheet had no such column)."""
        fields = row_fields(row)
        place = Source.of_row(fields)
        if place is None:
            return None
        letter = self.letters.get((place.path, place.sheet), {}).get(column)
        return place if letter is None else Source.of_row(fields, letter)


def row_fields(row: pd.Series) -> Mapping[str, Any]:
    """A frame row as what `Source.of_row` reads: pandas-stubs do not make a Series a Mapping,
    yet it has the `.get` of_row uses."""
    return cast("Mapping[str, Any]", row)
