"""`beside`: the audit's files are written by a forked process while this one writes the rest;
whatever either raises is raised here, after both are done, with its type and details."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from csbatch.closing.publish import beside


def test_both_run_and_the_files_of_both_are_there(tmp_path: Path):
    beside(lambda: (tmp_path / "other.txt").write_text("other"), lambda: (tmp_path / "here.txt").write_text("here"))
    assert (tmp_path / "other.txt").read_text() == "other"
    assert (tmp_path / "here.txt").read_text() == "here"


def test_the_other_process_full_disk_comes_back_as_the_oserror_it_was(tmp_path: Path):
    def full():
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "a.xlsx"))

    with pytest.raises(OSError) as caught:
        beside(full, lambda: None)
    assert caught.value.errno == errno.ENOSPC and caught.value.filename == str(tmp_path / "a.xlsx")


def test_this_process_error_wins_and_the_other_is_waited_for(tmp_path: Path):
    def slow():
        import time
        time.sleep(0.3)
        (tmp_path / "late.txt").write_text("done")

    def broken():
        raise ValueError("here")

    with pytest.raises(ValueError, match="here"):
        beside(slow, broken)
    assert (tmp_path / "late.txt").read_text() == "done"   # finished before the error was raised


def test_an_exception_that_does_not_pickle_is_still_an_error():
    class Local(Exception):
        pass

    def odd():
        raise Local("cannot be pickled: a local class")

    with pytest.raises(RuntimeError, match="Local: cannot be pickled"):
        beside(odd, lambda: None)
