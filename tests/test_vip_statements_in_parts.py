"""The VIP statements written in parts (`statement_jobs`), so the close's two writer processes
share the longest of its files out: the parts write what one pass writes, each statement once,
and two statements that would share a file are refused before anything is written."""

from __future__ import annotations

import pytest

from csbatch.reports.vip_statements import render_statements, statement_jobs
from test_vip_outputs import PERIOD, vip_result
from test_vip_statements_made_when_read import _month


def _files(folder):
    return {p.name: p.read_bytes() for p in (folder / "vip").iterdir()}


@pytest.mark.parametrize("parts", [1, 3, 7, 64])
def test_the_parts_write_what_one_pass_writes(policy, tmp_path, parts):
    result = _month(policy, 20)
    result.statements[5]["name"] = "改过的名字"          # read by index and changed: the one written
    whole = render_statements(result, tmp_path / "one", PERIOD)
    jobs = statement_jobs(result, tmp_path / "parts", PERIOD, parts=parts)
    assert len(jobs) == min(parts, 20)
    written = [path for job in reversed(jobs) for path in reversed(job())][::-1]
    assert [p.name for p in written] == [p.name for p in whole] and len(set(written)) == 20
    assert _files(tmp_path / "parts") == _files(tmp_path / "one")
    assert "改过的名字" in (tmp_path / "parts" / "vip" / whole[5].name).read_text(encoding="utf-8")


def test_statements_given_as_a_list_are_written_in_parts_too(tmp_path):
    result = vip_result()
    jobs = statement_jobs(result, tmp_path, PERIOD, parts=2)
    assert [p.name for job in jobs for p in job()] == [p.name for p in render_statements(result, tmp_path / "b", PERIOD)]


def test_no_statement_still_makes_the_folder(policy, tmp_path):
    result = _month(policy, 0)
    assert len(result.statements) == 0
    jobs = statement_jobs(result, tmp_path, PERIOD, parts=4)
    assert [job() for job in jobs] == [[]] and (tmp_path / "vip").is_dir()


def test_two_statements_sharing_a_file_are_refused_before_any_is_written(policy, tmp_path):
    result = _month(policy, 5)
    result.statements[3]["customer_id"] = result.statements[0]["customer_id"]
    with pytest.raises(ValueError, match=r"two VIP statements would share C0000\.html"):
        render_statements(result, tmp_path, PERIOD)
    assert not (tmp_path / "vip").exists() or not any((tmp_path / "vip").iterdir())
