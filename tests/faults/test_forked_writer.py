"""The publish stage's pages are written by a forked child (`csbatch.forked.beside`) while the close
writes its workbooks and CSVs: the same files either way, and a fault in the child is the close's
fault (said as such, nothing published, the ledger unchanged), never a silent success."""

from __future__ import annotations

import errno
import os
import signal
import zipfile

import pytest
from harness import CONFIG, PERIOD, Closer, cli, sample_month

from csbatch import forked
from csbatch.closing import publish
from csbatch.closing.runs import monthly_close
from csbatch.forked import ChildDied


@pytest.fixture
def forking(monkeypatch):
    """The child is made whatever the machine's cores."""
    monkeypatch.setattr(forked, "fork_helps", lambda: True)


def _files(folder):
    """Every file's bytes; a workbook's as each of its parts but the one that says when it was
    written (docProps/core.xml; the zip's entries are stamped with that time too)."""
    files = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                files.update({f"{name}::{part}": book.read(part) for part in book.namelist()
                              if part != "docProps/core.xml"})
        elif path.is_file():
            files[name] = path.read_bytes()
    return files


def test_the_files_are_the_same_forked_or_not(tmp_path):
    outcome = monthly_close(PERIOD, sample_month(tmp_path), tmp_path / "out", CONFIG)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    publish.write_outputs(outcome.state, tmp_path / "forked", fork=True)
    publish.write_outputs(outcome.state, tmp_path / "here", fork=False)
    forked_files, here_files = _files(tmp_path / "forked"), _files(tmp_path / "here")
    assert len(forked_files) > 20 and any(name.startswith("staff/") for name in forked_files)
    assert forked_files.keys() == here_files.keys()
    for name, data in forked_files.items():
        assert data == here_files[name], name
    published = _files(tmp_path / "out" / PERIOD)
    assert {name: published[name] for name in here_files} == here_files


def _reopened(tmp_path):
    closer = Closer(tmp_path)
    inputs = sample_month(tmp_path)
    assert closer.close(inputs).exit_code == 0
    assert cli("reopen", PERIOD, "--reason", "fork test", "--out", closer.out).exit_code == 0
    return closer, inputs


def test_a_full_disk_in_the_child_is_said_and_nothing_is_published(tmp_path, monkeypatch, forking):
    closer, inputs = _reopened(tmp_path)

    def full(pages, folder, *args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder / "staff"))
    monkeypatch.setattr(publish, "render_pages", full)
    closer.refused(inputs, "cannot write the close: the disk is full", "nothing was published and the ledger is unchanged")
    assert not list(closer.out.glob(".*.partial-*"))


def test_a_child_killed_midway_is_an_error_not_a_success(tmp_path, monkeypatch, forking):
    closer, inputs = _reopened(tmp_path)

    def killed(pages, folder, *args):
        (folder / "staff").mkdir(parents=True, exist_ok=True)
        os.kill(os.getpid(), signal.SIGKILL)
    monkeypatch.setattr(publish, "render_pages", killed)
    before = closer.snapshot()
    with pytest.raises(ChildDied, match="killed by signal 9"):
        monthly_close(PERIOD, inputs, closer.out, CONFIG)
    assert closer.snapshot() == before and not (closer.out / PERIOD).exists()
    assert not list(closer.out.glob(".*.partial-*"))


def test_no_child_without_room_for_it(tmp_path, monkeypatch):
    """A month whose close already holds most of the memory limit writes its pages here."""
    monkeypatch.setattr(publish, "MEMORY_LIMIT", 1)
    assert not publish.room_for_a_child()
    monkeypatch.setattr(forked, "fork_helps", lambda: pytest.fail("a child was made without room for it"))
    outcome = monthly_close(PERIOD, sample_month(tmp_path), tmp_path / "out", CONFIG)
    assert outcome.ok and (tmp_path / "out" / PERIOD / "staff").is_dir()
