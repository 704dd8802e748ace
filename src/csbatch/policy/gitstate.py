"""Whether the policy folder is what its git commit says: pay must be traceable to a reviewed policy.

A close records the commit of the git work tree holding the policy. A policy file modified,
staged, deleted or never added (or a `.yaml` file git ignores, which the loader still reads) means
the close would run on a policy no commit holds: `monthly-close` refuses it unless
`--allow-dirty`, and then says so in a warning the manifest (and the ledger's copy of it) keeps.
A folder no commit holds any file of (outside git, or ignored as a whole, e.g. the default policy
inside an installed package) cannot be traced at all: a warning.

Reading the state runs the real `git` binary read-only (`GIT_OPTIONAL_LOCKS=0`: `git status` does
not rewrite the index); when git is missing or fails, the state is unknown and a warning says why.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from csbatch.errors import Issue, Source
from csbatch.i18n import N_, NC_, Joined, Said

#: Shown in a message before "and N more".
_SHOWN = 10
#: Files the loader reads or names (`.yml` is refused by name), so an ignored one still matters.
_POLICY_SUFFIXES = (".yaml", ".yml")
#: Environment that would point git at another repository than the folder's own.
_REDIRECTS = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR")


@dataclass(frozen=True)
class GitState:
    """The git state of a policy folder. `changed` holds (path relative to the folder, what
    changed); `unknown` says why the state could not be read or the folder is not versioned."""

    commit: str | None = None
    changed: tuple[tuple[str, str], ...] = ()     # what changed: a Said (English as a str)
    unknown: str | None = None                    # a Said: in the reader's language in a message

    @property
    def versioned(self) -> bool:
        return self.unknown is None

    @property
    def dirty(self) -> bool | None:
        """True/False inside git; None when the folder is not versioned (as manifests said)."""
        return bool(self.changed) if self.versioned else None


def run_git(folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in _REDIRECTS}
    env["GIT_OPTIONAL_LOCKS"] = "0"
    env["LC_ALL"] = "C"
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, env=env, timeout=30)


def _what(xy: str) -> Said:
    if xy == "??":
        return Said(NC_("git state", "untracked"))
    if xy == "!!":
        return Said(NC_("git state", "ignored by git"))
    if "D" in xy:
        return Said(NC_("git state", "deleted"))
    if xy[1] != " ":
        return Said(NC_("git state", "modified"))
    return Said(NC_("git state", "staged, not committed"))


def _failed(what: str, err: list[str], returncode: int) -> Said:
    """`what` (a N_ message with {why}) with git's first line of error, else its exit status."""
    return Said(what, why=err[0] if err else Said(N_("exit {status}"), status=returncode))


def _entries(raw: bytes) -> list[tuple[str, str]]:
    """(XY, path) of `git status --porcelain=v1 -z`; a rename's second (old) path is skipped."""
    parts = raw.decode("utf-8", "surrogateescape").split("\0")
    out, i = [], 0
    while i < len(parts):
        entry = parts[i]
        i += 1
        if len(entry) < 4:
            continue
        xy, path = entry[:2], entry[3:]
        if "R" in xy or "C" in xy:
            i += 1
        out.append((xy, path))
    return out


def git_state(folder: Path) -> GitState:
    """Read the git state of `folder` (see the module's docstring)."""
    folder = Path(folder)
    try:
        top = run_git(folder, "rev-parse", "--show-toplevel")
        if top.returncode != 0:
            err = top.stderr.decode("utf-8", "replace").strip().splitlines()
            if err and "not a git repository" in err[0]:
                return GitState(unknown=Said(N_("it is not inside a git work tree")))
            return GitState(unknown=_failed(N_("git could not read it ({why})"), err, top.returncode))
        toplevel = Path(os.path.realpath(top.stdout.decode("utf-8", "surrogateescape").strip()))
        tracked = run_git(folder, "ls-files", "-z", "--", ".")
        if tracked.returncode == 0 and not tracked.stdout.strip(b"\0"):
            return GitState(unknown=Said(N_("no file of it is committed to the git work tree it lies in "
                                            "(it is ignored or was never added)")))
        head = run_git(folder, "rev-parse", "--verify", "--quiet", "HEAD")
        status = run_git(folder, "status", "--porcelain=v1", "-z", "--untracked-files=all",
                      "--ignored=traditional", "--", ".")
        if status.returncode != 0:
            err = status.stderr.decode("utf-8", "replace").strip().splitlines()
            return GitState(unknown=_failed(N_("git status failed ({why})"), err, status.returncode))
    except FileNotFoundError:
        return GitState(unknown=Said(N_("git is not installed, so its state cannot be read")))
    except (OSError, subprocess.SubprocessError) as exc:
        return GitState(unknown=Said(N_("git could not be run ({why})"), why=str(exc)))

    base = Path(os.path.realpath(folder))
    changed = []
    for xy, path in _entries(status.stdout):
        try:
            rel = (toplevel / path).relative_to(base).as_posix()
        except ValueError:
            continue
        if xy == "!!" and not rel.endswith(_POLICY_SUFFIXES):
            continue   # ignored caches and editor files the loader never reads
        changed.append((rel, _what(xy)))
    commit = (head.stdout.decode().strip() or None) if head.returncode == 0 else None
    return GitState(commit=commit, changed=tuple(sorted(changed)))


def _listed(shown_root: str, changed: tuple[tuple[str, str], ...]) -> Said:
    prefix = "" if shown_root == "." else shown_root.rstrip("/") + "/"
    names = Joined((Said(N_("{file} ({what})"), file=f"{prefix}{rel}", what=what) for rel, what in changed[:_SHOWN]),
                   ", ", "、")
    if len(changed) > _SHOWN:
        return Said(N_("{files} and {n} more"), files=names, n=len(changed) - _SHOWN)
    return names


def close_issues(state: GitState, shown_root: str, allow_dirty: bool) -> list[Issue]:
    """What `monthly-close` says of the policy's git state: uncommitted changes are an error
    (a warning with `allow_dirty`); a policy not versioned is a warning."""
    where = Source(shown_root)
    if not state.versioned:
        return [Issue.warn(where, "policy.not_versioned",
                           N_("the policy folder is not kept in git: {why}; this close cannot be traced to "
                              "a reviewed policy commit (the manifest records the policy's sha256 only)"),
                           why=state.unknown)]
    if not state.changed:
        return []
    files = _listed(shown_root, state.changed)
    if allow_dirty:
        if state.commit is None:
            return [Issue.warn(where, "policy.uncommitted",
                               N_("closed with uncommitted policy changes (--allow-dirty): {files}; the policy "
                                  "used is not the one of commit (none yet)"), files=files)]
        return [Issue.warn(where, "policy.uncommitted",
                           N_("closed with uncommitted policy changes (--allow-dirty): {files}; the policy "
                              "used is not the one of commit {commit}"), files=files, commit=state.commit[:12])]
    return [Issue.of(where, "policy.uncommitted",
                     N_("the policy has uncommitted changes: {files}; commit them (or undo them) so the "
                        "close uses a reviewed policy, or close with --allow-dirty to record them as a "
                        "warning"), files=files)]


def check_issues(state: GitState, shown_root: str) -> list[Issue]:
    """What `policy check` says: uncommitted changes are fine while editing, but a close refuses
    them — a warning, so the editor knows before closing."""
    if not state.versioned or not state.changed:
        return []
    return [Issue.warn(Source(shown_root), "policy.uncommitted",
                       N_("uncommitted changes: {files}; monthly-close refuses them until they are "
                          "committed (or --allow-dirty)"), files=_listed(shown_root, state.changed))]
