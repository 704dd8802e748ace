"""Issue 13 item 3, faults in the recurring duties' sheets: a bad submission time, an employee
not on the roster and a person recorded twice for the same meeting are errors naming the cell
(or row); the close publishes nothing."""

from __future__ import annotations

from pathlib import Path

from conftest import CONFIG
from csbatch.closing.runs import monthly_close
from test_duties import MEETING_ROWS, month


def refused(tmp_path: Path, *needles: str, **sheets) -> None:
    out = tmp_path / "out"
    outcome = monthly_close("2026-10", month(tmp_path / "in", **sheets), out, CONFIG)
    errors = [str(i) for i in outcome.issues if i.is_error]
    assert not outcome.ok and errors
    for needle in needles:
        assert any(needle in e for e in errors), (needle, errors)
    assert not (out / "2026-10").exists()


def test_a_bad_submission_time_names_its_cell(tmp_path):
    refused(tmp_path, "提交记录.xlsx[Sheet1]!D2", "25:61",
            submissions=[["1003", "业务记录", "2026-10-08", "2026-10-08 25:61"]])


def test_a_meeting_of_someone_not_on_the_roster_names_its_cell(tmp_path):
    refused(tmp_path, "会议培训记录.xlsx[Sheet1]!C2", "9999",
            meetings=[["团队例会", "2026-10-09", "9999", "是", "", ""]])


def test_an_unknown_duty_kind_names_its_cell(tmp_path):
    refused(tmp_path, "会议培训记录.xlsx[Sheet1]!A2", "周会",
            meetings=[["周会", "2026-10-09", "1003", "是", "", ""]])


def test_the_same_person_twice_at_one_meeting_is_an_error(tmp_path):
    refused(tmp_path, "会议培训记录.xlsx[Sheet1]", meetings=[*MEETING_ROWS, MEETING_ROWS[1]])
