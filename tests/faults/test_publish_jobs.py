"""The publish stage's writers as jobs (`publish._jobs`, shared by `csbatch.forked.shared`): each
job writes files no other job writes, and the memory each writer (and the ledger's rows) freed is
handed back after it, since the forked child and the close now run at the same time."""

from __future__ import annotations

from harness import CONFIG, PERIOD, sample_month

from csbatch.closing import publish
from csbatch.closing.runs import monthly_close


def _written(folder):
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_each_job_writes_its_own_files_and_all_of_them_together_are_the_month(tmp_path):
    outcome = monthly_close(PERIOD, sample_month(tmp_path), tmp_path / "out", CONFIG)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    seen: dict[str, int] = {}
    jobs = publish._jobs(outcome.state, tmp_path / "jobs", None)
    for n, job in enumerate(jobs):
        before = _written(tmp_path / "jobs") if (tmp_path / "jobs").exists() else set()
        job()
        mine = _written(tmp_path / "jobs") - before
        assert mine, f"job {n} wrote nothing"
        for name in mine:
            assert name not in seen
            seen[name] = n
    publish.write_staff_pages(outcome.state, tmp_path / "jobs")
    published = _written(tmp_path / "out" / PERIOD) - {"manifest.json"}
    assert _written(tmp_path / "jobs") == published


def test_memory_is_handed_back_after_the_rows_the_pages_and_each_job(tmp_path, monkeypatch):
    outcome = monthly_close(PERIOD, sample_month(tmp_path), tmp_path / "out", CONFIG)
    assert outcome.ok
    done: list[str] = []
    monkeypatch.setattr(publish, "give_back", lambda: done.append("given back"))
    publish.write_outputs(outcome.state, tmp_path / "here", fork=False, rows=lambda: done.append("rows"))
    jobs = len(publish._jobs(outcome.state, tmp_path / "again", None))
    assert done == ["given back"] * (jobs + 1) + ["rows", "given back"]
