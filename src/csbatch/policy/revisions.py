"""A policy as a git revision held it: what `what-if`, `policy diff`, `reproduce` and a re-close
of a reopened month read, without touching the work tree or the index.

`policy_at(folder, rev, dest)` writes the files of the policy folder at `rev` (a commit, a tag, a
branch, `HEAD~1`) from git's object store into `dest` (`git archive`, extracted with tarfile's
`data` filter: no links out, no devices) and returns the folder to load with `load_policy`. The
revision is resolved to its full commit id first, so a caller can record exactly what it read.
"""

from __future__ import annotations

import io
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from csbatch.errors import Issue, Source
from csbatch.i18n import N_
from csbatch.policy.gitstate import run_git


@dataclass(frozen=True)
class Revision:
    """A policy folder at one commit: `commit` is the full id `rev` named, `folder` the files."""

    rev: str
    commit: str
    folder: Path


def _error(folder: Path, template: str, **params: Any) -> list[Issue]:
    return [Issue.of(Source(str(folder)), "policy.revision", template, **params)]


def resolve(folder: Path, rev: str) -> tuple[str | None, list[Issue]]:
    """The full commit id of `rev` in the git repository holding `folder`."""
    try:
        found = run_git(folder, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    except FileNotFoundError:
        return None, _error(folder, N_("git is not installed, so a policy revision cannot be read"))
    if found.returncode != 0:
        inside = run_git(folder, "rev-parse", "--show-toplevel")
        if inside.returncode != 0:
            return None, _error(folder, N_("the policy folder is not in a git repository, so there is no "
                                           "revision '{rev}' to read"), rev=rev)
        return None, _error(folder, N_("'{rev}' is not a commit of the policy's git repository"), rev=rev)
    return found.stdout.decode().strip(), []


def policy_at(folder: Path, rev: str, dest: Path) -> tuple[Revision | None, list[Issue]]:
    """Write the policy folder `folder` as revision `rev` holds it into `dest` (see the module's
    docstring). `dest` must be an empty or missing folder of the caller's (a temporary one)."""
    folder = Path(folder)
    commit, issues = resolve(folder, rev)
    if commit is None:
        return None, issues
    prefix = run_git(folder, "rev-parse", "--show-prefix").stdout.decode().strip() or "."
    # Run inside the policy folder, `git archive` writes that folder's subtree, relative to it.
    archive = run_git(folder, "archive", "--format=tar", commit, "--", ".")
    if archive.returncode != 0 or not archive.stdout:
        return None, _error(folder, N_("revision {commit} holds no policy folder '{prefix}'"), commit=commit[:12],
                            prefix=prefix)
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")
    root = dest
    return Revision(rev=rev, commit=commit, folder=root), []
