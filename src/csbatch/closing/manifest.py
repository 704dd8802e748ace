"""`manifest.json`: what went into a close and what came out — input hashes and row counts, the
policy's hash and git commit, output hashes, counts and warnings — so a published month can be
traced and its files verified.

Its keys (docs/outputs.md#manifest is generated from this list):
- `period`: the month closed, `YYYY-MM`
- `csbatch_version`: the version of csbatch that closed it
- `started_at`: when the close started (ISO, with the UTC offset)
- `finished_at`: when its files were written
- `policy`: the policy folder (`path`), its `git_commit` and `git_dirty`, the files not committed
  (`uncommitted`, with `allow_dirty`: closed with --allow-dirty), one `sha256` over every policy file
  and the `revision` a re-close or `reproduce` reads it back from: the git commit, or
  `snapshot:<sha256>` of the policy files kept beside the ledger (not in git, or --allow-dirty)
- `inputs`: every input file read: `path`, `kind`, `sha256`, `rows` (and the workbook's `sheets`), and
  where the close `kept` its sealed copy, relative to the ledger's folder (`csbatch-inputs/….sealed`)
- `outputs`: every file written but the manifest: `path` (inside the month's folder) and `sha256`
- `counts`: employees, scored employees, QA audits, pay lines and VIP members of the month
- `warnings`: every warning of the close, as printed
- `close_id`: the close's ID in the ledger
- `ledger`: the ledger file the close was recorded in
- `review`: per scored employee, the `name`, `role`, `team` and `counted_sales` (exact Decimal text)
  that `csbatch review` reads with the ledger's results to review a quarter or a year
- `changes_since_previous_close`: per employee and pay component, what this close changed against
  the close of the month it replaces (after a reopen); null for a first close
- `policy_change`: only in a re-close under another policy revision than the close it replaces:
  `from` and `to` (the revisions) and the rule `changes` in words (null when the earlier policy
  could not be read)
"""

from __future__ import annotations

import ctypes
import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from csbatch import __version__
from csbatch.clib import c_function
from csbatch.errors import Issue
from csbatch.filehash import sha256_file
from csbatch.ledger.blobs import fsync_dir
from csbatch.policy import Policy
from csbatch.policy.gitstate import GitState, git_state
from csbatch.sheets.intake import Inputs

FSYNC_THREADS = 16  # fsyncs waiting together: the file system commits them in a few journal writes


def _fsync_file(path: Path) -> None:
    with path.open("rb") as fh:
        os.fsync(fh.fileno())


#: the C library's `syncfs` (Linux, glibc 2.14+): one file system's dirty data and metadata
#: flushed in one call; None elsewhere
_SYNCFS = c_function("syncfs", [ctypes.c_int], ctypes.c_int)


def fsync_tree(folder: Path, files: bool = True) -> None:
    """Flush `folder` (and, with `files`, everything below it) to disk, so a committed close
    cannot point at files a power cut lost. On Linux, one `syncfs` of the file system that holds
    it: every file and folder flushed in one call (0.7 s for the 95k statements of a year's
    members at a million orders, where an fsync per file, 16 waiting together, took 12.6 s); it
    also waits for whatever else that file system has to write. Elsewhere the fsyncs of the
    files, then of the folders, run in threads (an fsync waits on the disk without the GIL): one
    after the other, each waits for a journal commit of its own, ~3 ms a file; waiting together,
    they share the commits. Everything is flushed before this returns, and the first failure is
    raised."""
    if files and _SYNCFS is not None:
        fd = os.open(folder, os.O_RDONLY)
        try:
            if _SYNCFS(fd) != 0:
                err = ctypes.get_errno()
                raise OSError(err, os.strerror(err), str(folder))
        finally:
            os.close(fd)
    elif files:
        paths = sorted(folder.rglob("*"))
        with ThreadPoolExecutor(max_workers=FSYNC_THREADS, thread_name_prefix="csbatch-fsync") as pool:
            for _ in pool.map(_fsync_file, [p for p in paths if p.is_file()]):
                pass
            for _ in pool.map(fsync_dir, [p for p in paths if p.is_dir()]):
                pass
    fsync_dir(folder)


def files_under(root: Path) -> list[str]:
    """Every file under `root`, as a path relative to it (`/`-separated), in the order of
    `sorted(root.rglob("*"))`: compared part by part, symbolic links to folders not followed.
    Walked with `os.scandir`, which knows each entry's kind, not a `Path` and a `stat` per file (a
    close with a year of VIP history writes 100k files)."""
    found: list[str] = []

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir() and not entry.is_symlink():
                    walk(entry.path, f"{prefix}{entry.name}/")
                elif entry.is_file():
                    found.append(prefix + entry.name)

    walk(os.fspath(root), "")
    return sorted(found, key=lambda rel: rel.split("/"))


def output_files(root: Path) -> list[str]:
    """`files_under(root)` but every `manifest.json`: the files a manifest lists."""
    return [rel for rel in files_under(root) if rel.rpartition("/")[2] != "manifest.json"]


def build_manifest(*, period: str, started_at: str, finished_at: str, policy: Policy, inputs: Inputs,
                   out_root: Path, counts: dict[str, int], warnings: list[Issue],
                   extra: dict[str, Any] | None = None,
                   git: GitState | None = None, kept: dict[str, str] | None = None,
                   policy_revision: str | None = None) -> dict[str, Any]:
    """`git` is the policy folder's state the close checked (read again when not given); a
    published close with uncommitted policy files was closed with --allow-dirty. `kept`: input
    file → its kept copy; `policy_revision`: what the ledger records (csbatch.ledger.kept)."""
    git = git if git is not None else git_state(policy.root)
    outputs = [{"path": rel, "sha256": sha256_file(os.path.join(out_root, rel))} for rel in output_files(out_root)]
    return {
        "period": period,
        "csbatch_version": __version__,
        "started_at": started_at,
        "finished_at": finished_at,
        "policy": {"path": policy.display_root, "git_commit": git.commit, "git_dirty": git.dirty,
                   **({"uncommitted": [f"{rel} ({what})" for rel, what in git.changed],
                       "allow_dirty": True} if git.changed else {}),
                   "sha256": policy.sha256, **({"revision": policy_revision} if policy_revision else {})},
        "inputs": [{"path": r.path, "kind": r.kind, "sha256": r.sha256, "rows": r.rows,
                    **({"sheets": list(r.sheets)} if r.sheets else {}),
                    **({"kept": kept[r.path]} if kept and r.path in kept else {})} for r in inputs.records],
        "outputs": outputs,
        "counts": counts,
        "warnings": [str(w) for w in warnings],
        **(extra or {}),
    }


def write_manifest(path: Path, manifest: dict[str, Any]) -> Path:
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
