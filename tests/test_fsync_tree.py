"""A close's files are flushed before the ledger commits it (`manifest.fsync_tree`): on Linux by
one `syncfs` of their file system, not an fsync per file (95k statements at a year's members:
0.7 s against 12.6 s); elsewhere by an fsync per file and folder; a failure is an OSError that
names the folder."""

from __future__ import annotations

import ctypes
import errno
import os
import sys

import pytest

from csbatch.closing import manifest


def _tree(root, n: int):
    for i in range(n):
        sub = root / f"d{i % 3}"
        sub.mkdir(exist_ok=True)
        (sub / f"f{i}.html").write_text("x" * 100, encoding="utf-8")


def _counting(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        calls.append(fd)
        real(fd)
    monkeypatch.setattr(os, "fsync", fsync)
    return calls


@pytest.mark.skipif(manifest._SYNCFS is None, reason="syncfs is Linux's (glibc)")
def test_on_linux_one_syncfs_flushes_the_tree(tmp_path, monkeypatch):
    _tree(tmp_path, 300)
    calls = _counting(monkeypatch)
    manifest.fsync_tree(tmp_path)
    assert len(calls) == 1          # the folder itself; the files and sub-folders by the syncfs


def test_without_syncfs_every_file_and_folder_is_fsynced(tmp_path, monkeypatch):
    _tree(tmp_path, 300)
    monkeypatch.setattr(manifest, "_SYNCFS", None)
    calls = _counting(monkeypatch)
    manifest.fsync_tree(tmp_path)
    assert len(calls) == 300 + 3 + 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="syncfs is Linux's")
def test_a_failed_syncfs_is_an_os_error_naming_the_folder(tmp_path, monkeypatch):
    def failing(fd: int) -> int:
        ctypes.set_errno(errno.EIO)
        return -1
    monkeypatch.setattr(manifest, "_SYNCFS", failing)
    with pytest.raises(OSError) as raised:
        manifest.fsync_tree(tmp_path)
    assert raised.value.errno == errno.EIO and raised.value.filename == str(tmp_path)
