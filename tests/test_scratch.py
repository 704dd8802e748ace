"""Scratch folders a killed run leaves in /tmp are swept by the next run (`csbatch.scratch`):
only those whose lock nobody holds, never a living run's, never another user's."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from csbatch import scratch
from csbatch.closing.runs import monthly_close

_HOLDER = textwrap.dedent("""
    import os, sys, tempfile
    tempfile.tempdir = sys.argv[1]
    from csbatch.scratch import scratch_folder
    with scratch_folder("close") as folder:
        (folder / "chosen").mkdir()
        print(folder, flush=True)
        sys.stdin.readline()      # holds the folder until told, or until killed
""")


def _holder(root: Path) -> tuple[subprocess.Popen, Path]:
    proc = subprocess.Popen([sys.executable, "-c", _HOLDER, str(root)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": "src"})
    assert proc.stdout is not None
    return proc, Path(proc.stdout.readline().strip())


def _age(folder: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(folder, (then, then))


def test_a_killed_runs_folder_is_swept_a_living_one_kept(tmp_path):
    killed, left = _holder(tmp_path)
    alive, held = _holder(tmp_path)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    assert left.is_dir() and (left / "chosen").is_dir()          # kill -9: TemporaryDirectory did not clean up
    assert left.name.startswith("csbatch-close.held-")
    assert scratch.sweep(tmp_path) == []                           # both changed under a minute ago
    _age(left, 120)
    _age(held, 120)
    assert scratch.sweep(tmp_path) == [left]
    assert not left.exists() and held.is_dir()                     # its lock is held: a run going on
    alive.communicate("\n")
    assert alive.returncode == 0 and not held.exists()             # ended normally: removed by itself


def test_only_held_scratch_folders_are_swept(tmp_path):
    old = tmp_path / "csbatch-close-x1y2z3"                        # a csbatch of before the lock
    old.mkdir()
    other = tmp_path / "something.held-else"
    other.mkdir()
    unheld = tmp_path / "csbatch-explain.held-abc"                 # its run died before the sweep
    unheld.mkdir()
    link = tmp_path / "csbatch-close.held-link"
    link.symlink_to(unheld)
    for folder in (old, other, unheld):
        _age(folder, 10 * 24 * 3600)
    assert scratch.sweep(tmp_path) == [unheld]
    assert old.is_dir() and other.is_dir() and link.is_symlink()


def test_a_close_sweeps_before_it_starts(tmp_path, monkeypatch):
    killed, left = _holder(tmp_path)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    _age(left, 120)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    outcome = monthly_close("2026-11", tmp_path / "no inputs", tmp_path / "out", ledger=tmp_path / "l.sqlite")
    assert not outcome.ok                                          # nothing to close: still, the folder is gone
    assert not left.exists()
    assert [p.name for p in tmp_path.glob("csbatch-*")] == []      # and its own scratch folder removed too
