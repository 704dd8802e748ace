"""The test builder `typed_frame` is held to the real reader: the same rows written to a real
workbook and read by `read_inputs` give the same frame, column by column, dtypes, values and
provenance, for every input kind. So a test that builds its input with `typed_frame` tests what
the close would see (a builder that drifted from intake would make such a test prove nothing).
Each kind has a full row (every column) and a sparse one (required columns only: the blanks get
the declared defaults); two kinds go through CSV.

Questionnaire item columns are not built by `typed_frame` (test_audit adds marks itself), so an
audits frame is compared on its declared columns."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from builders import typed_frame, write_csv, write_xlsx
from csbatch.sheets.intake import read_inputs

PERIOD = "2026-10"
KINDS = ("roster", "attendance", "leave", "conduct", "recognitions", "sales", "production", "contacts",
         "complaints", "callbacks", "customers", "redemptions", "audits", "collaboration", "reviews",
         "adjustments", "submissions", "chat_checks", "shifts", "meetings", "member_changes")
EMPLOYEES = ("E01", "E02")
#: one value per declared type, as a test hands it to typed_frame
SAMPLE = {"id": "X-1", "text": "备注 A", "bool": True, "date": "2026-10-05", "datetime": "2026-10-05 09:15:00",
          "time": "08:30:00", "money": "2200.5", "number": "4.5", "int": 3, "month": PERIOD,
          "phone": "13800138000", "national_id": "11010519491231002X"}
#: kinds written as CSV (every cell text, no sheet); the others as a workbook with one sheet
CSV = {"attendance", "contacts"}
#: columns naming an employee must name one on the roster
EMPLOYEE_COLUMNS = {"employee_id", "supervisor_id", "sales_rep_id", "owner_id", "dispatched_by"}
#: rows a kind needs to be read as the period's (dated kinds, roster roles)
OVERRIDES: dict[str, list[dict]] = {
    "roster": [{"supervisor_id": "E02", "leave_date": None, "base_salary": "3500.5"},
               {"role": "supervisor", "base_salary": "3500.5"}],
    "attendance": [{"punch_time": None}, {"date": "2026-10-06"}],
    "leave": [{"end": "2026-10-05 18:00:00"}, {"end": "2026-10-06 18:00:00"}],
    "shifts": [{}, {"date": "2026-10-06", "shift": "off"}],   # a row without a shift is no entry
}


def _code(policy, kind: str, name: str) -> str:
    column = policy.inputs.kinds[kind].columns[name]
    return next(iter(policy.code_list(column.codes)))


def _rows(policy, kind: str) -> list[dict]:
    """A full row (every column) and a sparse one (required columns only)."""
    columns = policy.inputs.kinds[kind].columns
    full, sparse = {}, {}
    for name, col in columns.items():
        value = _code(policy, kind, name) if col.type == "code" else SAMPLE[col.type]
        full[name] = EMPLOYEES[0] if name in EMPLOYEE_COLUMNS else value
        if col.required:   # the second row's ids differ from the first's: keys stay unique
            sparse[name] = EMPLOYEES[1] if name in EMPLOYEE_COLUMNS else f"{value}-2" if col.type == "id" \
                else value
    rows = [full, sparse]
    for row, extra in zip(rows, OVERRIDES.get(kind, [])):
        row.update(extra)
    return [{k: v for k, v in row.items() if v is not None} for row in rows]


def _cell(value, type_: str):
    """The cell a person would type for `value`."""
    if type_ == "bool":
        return "是" if value else "否"
    if type_ in ("money", "number"):
        return float(value)
    return value


@pytest.fixture(scope="module")
def read_back(policy, tmp_path_factory) -> tuple[dict, dict]:
    """Every kind's rows written to `<kind>.xlsx` (sheet `<kind>`) and read by `read_inputs`."""
    folder: Path = tmp_path_factory.mktemp("inputs")
    rows = {kind: _rows(policy, kind) for kind, spec in policy.inputs.kinds.items() if spec.monthly}
    for kind, kind_rows in rows.items():
        columns = policy.inputs.kinds[kind].columns
        table = [list(columns)] + [[_cell(r.get(n), c.type) if r.get(n) is not None else None
                                    for n, c in columns.items()] for r in kind_rows]
        if kind in CSV:
            write_csv(folder / f"{kind}.csv", [["" if v is None else v for v in row] for row in table])
        else:
            write_xlsx(folder / f"{kind}.xlsx", {kind: table})
    inputs, issues = read_inputs(policy, PERIOD, folder)
    assert inputs is not None, "\n".join(map(str, issues))
    return rows, inputs.frames


@pytest.mark.parametrize("kind", KINDS)
def test_typed_frame_is_what_the_reader_reads(policy, read_back, kind):
    rows, frames = read_back
    built = typed_frame(policy, kind, rows[kind], file=f"{kind}.csv" if kind in CSV else None)
    read = frames[kind][list(built.columns)]
    pd.testing.assert_frame_equal(built, read, check_exact=True)


def test_every_kind_is_compared(policy):
    """Every kind a close reads (not the go-live register `vip import-members` reads once)."""
    assert sorted(KINDS) == sorted(k for k, spec in policy.inputs.kinds.items() if spec.monthly)
