"""Finding the month's files (csbatch.sheets.discover), one rule at a time: what a folder entry
is refused for before anything opens it, and what a kind nobody provided says.
test_intake.py and faults/test_files.py cover the same through `read_inputs` and the close."""

from __future__ import annotations

import os

from csbatch.errors import Severity
from csbatch.sheets.discover import _missing_kinds, _not_an_input


def test_an_entry_is_refused_by_what_lstat_says_before_it_is_opened(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "月报.numbers").write_text("x")
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "名册.xlsx").write_text("x")
    (tmp_path / "link.xlsx").symlink_to(tmp_path / "名册.xlsx")
    os.mkfifo(tmp_path / "pipe.csv")

    def said(name: str):
        issue = _not_an_input(tmp_path / name)
        return None if issue is None else (issue.code, issue.severity, issue.message)

    assert said("名册.xlsx") is None          # a file to read, whatever is inside
    assert said("sub")[:2] == ("inputs.folder", Severity.WARNING)
    assert said("月报.numbers")[2].endswith("files are (save it as .xlsx)")
    assert said("notes.txt")[2].endswith("files are")
    assert said("link.xlsx")[:2] == ("inputs.special_file", Severity.ERROR)
    assert said("pipe.csv")[2].startswith("is a named pipe (FIFO), not a file")
    assert said("gone.xlsx")[0] == "inputs.unreadable"


def test_a_required_kind_nobody_provided_is_an_error_an_optional_one_a_warning(policy, tmp_path):
    kinds = set(policy.inputs.kinds)
    issues = _missing_kinds(tmp_path, kinds - {"roster", "redemptions"}, policy.inputs)
    assert [(i.code, i.severity) for i in issues] == [("inputs.required_missing", Severity.ERROR),
                                                      ("inputs.not_provided", Severity.WARNING)]
    assert issues[0].message.startswith("no roster (")
    assert issues[0].message.endswith("found: expected a file or sheet named roster*, 员工*, 花名册*")
    assert issues[1].message.endswith("not provided: the month has none")
    assert _missing_kinds(tmp_path, kinds, policy.inputs) == []


def test_a_说明_sheet_is_instructions_never_rows_unless_its_name_names_a_kind(policy, tmp_path):
    import openpyxl

    from csbatch.sheets.discover import discover

    wb = openpyxl.Workbook()
    wb.active.title = "员工名册"
    wb.create_sheet("说明")
    wb.create_sheet("Instructions")
    wb.create_sheet("Sheet2")
    wb.save(tmp_path / "员工名册.xlsx")
    found, _, issues = discover(tmp_path, policy.inputs)
    # Sheet2 falls back to the file's kind; 说明 and Instructions are skipped without a word
    assert [(f.kind, f.sheet) for f in found] == [("roster", "员工名册"), ("roster", "Sheet2")]
    assert not [i for i in issues if i.source is not None and i.source.sheet in ("说明", "Instructions")]
