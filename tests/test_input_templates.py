"""`csbatch templates`: blank input workbooks made from the policy. The test that matters: the
sample month's rows written into the templates (through openpyxl, as a person filling them in
Excel would leave them) read back into the same typed frames, with no error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from csbatch.reports.input_templates import code_choices, write_input_templates
from csbatch.sheets.intake import read_inputs

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "2026-10"
PERIOD = "2026-10"


def _cell(value, column, labels: dict[str, str], yes_no: tuple[str, str]):
    """A typed value as a person would type it into the template's column."""
    if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
        return None
    if column.type == "code":
        return labels[value]
    if column.type == "bool":
        return yes_no[0] if value else yes_no[1]
    if column.type == "date":
        return value.date()
    if column.type == "datetime":
        return value.to_pydatetime()
    if column.type == "time":
        return (dt.datetime.min + value.to_pytimedelta()).time()
    if column.type == "int":
        return int(value)
    return value


def _item_cell(value, section_kind: str):
    if value is None:
        return "不适用"
    if section_kind == "taboo":
        return "√" if value else None
    return value


def _fill(policy, frames: dict[str, pd.DataFrame], folder: Path) -> None:
    sections = {i.code: s.kind for s in policy.questionnaire.sections for i in s.items}
    texts = {i.code: i.text for s in policy.questionnaire.sections for i in s.items}
    for path in folder.glob("*.xlsx"):
        wb = openpyxl.load_workbook(path)
        ws = wb.worksheets[0]
        code = next(k for k, spec in policy.inputs.kinds.items() if spec.name == ws.title)
        kind = policy.inputs.kinds[code]
        frame = frames[code]
        headers = [c.value for c in ws[1]]
        by_header = {h: j for j, h in enumerate(headers)}
        targets = []
        for name, column in kind.columns.items():
            j = next(j for j, h in enumerate(headers) if h == name or h in column.aliases)
            labels = code_choices(policy, column.codes, "zh") if column.codes else {}
            targets.append((name, j, lambda v, c=column, lb=labels: _cell(v, c, lb, ("是", "否"))))
        for item, section_kind in sections.items() if kind.item_columns == "questionnaire" else ():
            targets.append((item, by_header[texts[item]], lambda v, k=section_kind: _item_cell(v, k)))
        for r, (_, row) in enumerate(frame.iterrows(), start=2):
            for name, j, convert in targets:
                value = convert(row[name])
                if value is not None:
                    ws.cell(r, j + 1, value)
        wb.save(path)


@pytest.fixture(scope="module")
def sample_frames(policy):
    inputs, issues = read_inputs(policy, PERIOD, SAMPLE)
    assert inputs is not None, [str(i) for i in issues if i.is_error]
    return inputs.frames


def test_a_filled_template_reads_back_into_the_same_frames(policy, sample_frames, tmp_path):
    folder = tmp_path / "templates"
    written, issues = write_input_templates(policy, folder)
    assert issues == [] and len(written) == sum(1 for spec in policy.inputs.kinds.values() if spec.monthly)
    _fill(policy, sample_frames, folder)
    inputs, issues = read_inputs(policy, PERIOD, folder)
    assert inputs is not None, [str(i) for i in issues if i.is_error]
    assert not [i for i in issues if i.source is not None and i.source.sheet == "说明"]
    monthly = {k for k, spec in policy.inputs.kinds.items() if spec.monthly}   # not the go-live register
    # a real month (redemptions may be none; a month without a 排班表 is the usual month)
    assert all(len(sample_frames[k]) for k in monthly if k not in ("redemptions", "shifts"))
    provenance = ["_file", "_sheet", "_row"]
    for kind in monthly:
        frame = sample_frames[kind]
        got = inputs.frames[kind].drop(columns=provenance).reset_index(drop=True)
        want = frame.drop(columns=provenance).reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want, check_dtype=False, obj=kind)


def test_a_template_has_dropdowns_formats_and_a_说明_sheet(policy, tmp_path):
    written, _ = write_input_templates(policy, tmp_path / "t")
    roster = openpyxl.load_workbook(next(p for p in written if p.stem == "员工名册"))
    data, notes = roster.worksheets
    assert (data.title, notes.title, data.freeze_panes) == ("员工名册", "说明", "A2")
    headers = [c.value for c in data[1]]
    assert headers[:3] == ["工号", "姓名", "岗位"] and "入职日期" in headers
    sources = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in data.data_validations.dataValidation}
    role_list = sources["C2"]                     # 岗位: the roles' Chinese names, listed on 说明
    letter = role_list.split("$")[1]
    listed = [c.value for c in notes[letter][5:] if c.value is not None]
    assert listed == list(code_choices(policy, "roles", "zh").values()) and "督导" in listed
    assert data.column_dimensions["A"].number_format == "@"          # IDs stay text
    hire = headers.index("入职日期")
    assert data.column_dimensions[chr(65 + hire)].number_format == "yyyy-mm-dd"
    leave = openpyxl.load_workbook(next(p for p in written if p.stem == "请假")).worksheets[0]
    assert len(leave.data_validations.dataValidation) == 2          # leave type, approved 是/否


def test_templates_are_written_only_into_a_new_or_empty_folder(policy, tmp_path):
    (tmp_path / "roster.xlsx").write_text("a month's file")
    written, issues = write_input_templates(policy, tmp_path)
    assert written == [] and [i.code for i in issues] == ["templates.not_empty"]
    assert (tmp_path / "roster.xlsx").read_text() == "a month's file"


def test_english_templates_carry_the_canonical_names_and_codes(policy, tmp_path):
    written, _ = write_input_templates(policy, tmp_path / "en", lang="en")
    roster = openpyxl.load_workbook(next(p for p in written if p.stem == "roster"))
    assert [ws.title for ws in roster.worksheets] == ["roster", "Instructions"]
    assert [c.value for c in roster.worksheets[0][1]][:3] == ["employee_id", "name", "role"]
