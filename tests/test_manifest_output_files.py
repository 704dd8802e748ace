"""The manifest lists a close's files (`csbatch.closing.manifest.output_files`), and the close's
summary every file it published (`files_under`), as `sorted(root.rglob("*"))` did, walked with
`os.scandir`; `sha256_file` is the SHA-256 of a file's bytes, whatever its size."""

from __future__ import annotations

import hashlib
import os

import pytest

from csbatch.closing.manifest import files_under, output_files
from csbatch.filehash import sha256_file


def _as_rglob_lists(root):
    return [p.relative_to(root).as_posix() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != "manifest.json"]


def test_the_files_in_rglobs_order_without_manifests(tmp_path):
    root = tmp_path / "2026-11"
    for rel in ("b.txt", "a-b/x.csv", "a/b/c.html", "a/manifest.json", "manifest.json", ".hidden",
                "a/.dot/z", "a/b-/y", "a/b/z/w.html", "vip/C0001.html", "vip/C0001-x.html", "vip/C0001.htm",
                "A/upper.txt", "data/payroll.csv", "data/payroll_components.csv", "数据/工资.csv"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(rel, encoding="utf-8")
    (root / "empty").mkdir()
    if hasattr(os, "symlink"):
        try:
            os.symlink(root / "a", root / "link", target_is_directory=True)   # a folder's link: not followed
            os.symlink(root / "b.txt", root / "b.lnk")                        # a file's link: a file
        except OSError:
            pass
    listed = output_files(root)
    assert listed == _as_rglob_lists(root)
    assert "a-b/x.csv" in listed and "a/manifest.json" not in listed and "empty" not in listed
    assert listed.index("a/b/z/w.html") < listed.index("a/b-/y")    # part by part, not as one text


def test_every_file_as_rglob_lists_it_for_the_close_summary(tmp_path):
    root = tmp_path / "2026-11"
    for rel in ("manifest.json", "a/manifest.json", "a-b/x.csv", "a/b/c.html", "vip/C1.html", ".hidden"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(rel, encoding="utf-8")
    assert [root / rel for rel in files_under(root)] == sorted(p for p in root.rglob("*") if p.is_file())
    assert output_files(root) == [rel for rel in files_under(root) if not rel.endswith("manifest.json")]


@pytest.mark.parametrize("size", [0, 1, 65_537, (1 << 20) + 3, 5 << 20])
def test_a_files_sha256_is_that_of_its_bytes(tmp_path, size):
    data = os.urandom(size)
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    assert sha256_file(path) == sha256_file(str(path)) == hashlib.sha256(data).hexdigest()
