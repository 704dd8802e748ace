"""`forked.shared`: each job runs exactly once, in whichever of the two processes takes it first;
both take jobs once their own work is done; without a child, everything runs here in order; a
failure in either is raised here."""

from __future__ import annotations

import errno
import os
import time

import pytest

from csbatch import forked


def _job(folder, n, pause=0.0):
    def job():
        time.sleep(pause)
        with open(folder / f"job-{n}", "x") as fh:   # "x": a second run of the same job fails
            fh.write(str(os.getpid()))
    return job


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_each_job_runs_once_and_both_processes_take_jobs(tmp_path):
    order = []
    jobs = [_job(tmp_path, n, 0.03) for n in range(30)]
    forked.shared(lambda: (time.sleep(0.2), order.append("here")), lambda: (tmp_path / "there").write_text(
        str(os.getpid())), jobs, fork=True)
    done = {p.name: p.read_text() for p in tmp_path.glob("job-*")}
    assert sorted(done) == sorted(f"job-{n}" for n in range(30))
    child = (tmp_path / "there").read_text()
    assert child != str(os.getpid()) and order == ["here"]
    # the child took the first jobs while this process was busy, and this process took some after
    assert done["job-0"] == child
    assert set(done.values()) == {child, str(os.getpid())}


def test_without_a_child_there_then_the_jobs_then_here(tmp_path):
    seen = []
    forked.shared(lambda: seen.append("here"), lambda: seen.append("there"),
                  [lambda n=n: seen.append(n) for n in range(3)], fork=False)
    assert seen == ["there", 0, 1, 2, "here"]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_job_failing_in_the_child_is_raised_here_after_the_rest_is_done(tmp_path):
    def full():
        if os.getpid() != parent:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "x")

    parent = os.getpid()
    jobs = [full, *(_job(tmp_path, n, 0.01) for n in range(5))]
    with pytest.raises(OSError) as caught:
        forked.shared(lambda: time.sleep(0.2), lambda: None, jobs, fork=True)
    assert caught.value.errno == errno.ENOSPC
    assert len(list(tmp_path.glob("job-*"))) == 5   # this process took what the child left


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_failure_here_stops_the_child_and_is_raised(tmp_path):
    def boom():
        raise ValueError("here failed")

    with pytest.raises(ValueError, match="here failed"):
        forked.shared(boom, lambda: time.sleep(30), [], fork=True)


def test_more_jobs_than_a_byte_can_name_are_refused():
    with pytest.raises(ValueError, match="256"):
        forked.shared(lambda: None, lambda: None, [lambda: None] * 257, fork=False)
