"""A workbook's parts are written to temporary files in the workbook's own folder (the close's
staging folder), never the system's temp folder: a close killed while writing leaves them where
the staging folder's cleanup removes them."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from csbatch.reports.tables import Col, Table
from csbatch.reports.workbook import Workbook


def test_parts_are_written_beside_the_workbook(tmp_path, monkeypatch):
    made: list[str | None] = []
    real = tempfile.mkstemp

    def recording(*args, **kwargs):
        made.append(kwargs.get("dir"))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", recording)
    folder = tmp_path / "staging"
    folder.mkdir()
    book = Workbook(folder / "book.xlsx")
    book.add_table_sheet(Table("t", "T", (Col("a", "text", "A"),)), pd.DataFrame({"a": ["x", "y"]}), "zh")
    book.close()
    assert made and {Path(d) for d in made} == {folder}
    assert sorted(p.name for p in folder.iterdir()) == ["book.xlsx"]   # none left behind
