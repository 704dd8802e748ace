"""`csbatch.forked.beside`: the child's work, its errors and its death come back to the parent."""

from __future__ import annotations

import errno
import os
import signal
import threading
from pathlib import Path

import pytest

from csbatch import forked
from csbatch.forked import ChildDied, ChildTraceback, beside


def _write(path: Path, text: str):
    return lambda: path.write_text(text, encoding="utf-8")


def test_both_sides_run_forked_or_not(tmp_path):
    for fork in (True, False):
        a, b = tmp_path / f"a{fork}", tmp_path / f"b{fork}"
        beside(_write(a, "child"), _write(b, "parent"), fork)
        assert a.read_text(encoding="utf-8") == "child" and b.read_text(encoding="utf-8") == "parent"


def test_one_core_runs_everything_here(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert not forked.fork_helps()
    pids: list[int] = []
    beside(lambda: pids.append(os.getpid()), lambda: pids.append(os.getpid()))
    assert pids == [os.getpid(), os.getpid()]      # the child's append would not be seen here


def test_an_os_error_in_the_child_is_the_same_os_error_here(tmp_path):
    def full():
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "page.html"))
    with pytest.raises(OSError) as raised:
        beside(full, lambda: None, fork=True)
    assert (raised.value.errno, raised.value.filename) == (errno.ENOSPC, str(tmp_path / "page.html"))
    assert raised.value.strerror == os.strerror(errno.ENOSPC)
    assert isinstance(raised.value.__cause__, ChildTraceback) and "in full" in str(raised.value.__cause__)


def test_a_bug_in_the_child_keeps_its_traceback():
    def bug():
        return {}["missing"]
    with pytest.raises(KeyError) as raised:
        beside(bug, lambda: None, fork=True)
    cause = raised.value.__cause__
    assert isinstance(cause, ChildTraceback) and "in bug" in str(cause) and "KeyError" in str(cause)


def test_an_exception_that_does_not_pickle_is_still_said():
    class Local(Exception):        # a local class cannot be pickled
        pass

    def bug():
        raise Local("where it went wrong")
    with pytest.raises(ChildDied, match="where it went wrong") as raised:
        beside(bug, lambda: None, fork=True)
    assert "in bug" in str(raised.value.__cause__)


@pytest.mark.parametrize("death", [lambda: os.kill(os.getpid(), signal.SIGKILL), lambda: os._exit(0)])
def test_a_child_that_dies_without_a_word_is_an_error(death):
    with pytest.raises(ChildDied, match="without saying"):
        beside(death, lambda: None, fork=True)


def test_the_parents_error_comes_first_and_the_child_is_ended(tmp_path):
    started = tmp_path / "started"
    gone = threading.Event()

    def slow():
        started.touch()
        signal.pause()                 # only a signal ends it

    def failing():
        while not started.exists():
            gone.wait(0.01)
        raise PermissionError(errno.EACCES, "Permission denied", "x")
    with pytest.raises(PermissionError):
        beside(slow, failing, fork=True)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)     # no child left behind
