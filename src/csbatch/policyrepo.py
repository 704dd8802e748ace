"""`csbatch init`: a new company's policy repository, ready to review in git like code.

A team that copies `config/` by hand gets no `.gitignore` (so `closes/` with the ledger, its ID key
and payroll files shows up in `git status`), no review step and no idea which of the hundreds of
values are its own to set. `init_repository` writes, into an empty folder:

- `config/`: the default policy, its values untouched (it loads to the same `Policy`), with every
  value a company sets for itself marked by a comment `← 公司设定 / company sets this` at the end
  of its line (`COMPANY_SET` says which keys; `grep -rn 公司设定 config/` lists them);
- `.gitignore`, `README.md` and `.pre-commit-config.yaml` from `templates/policy-repo/`;
- when git is installed, a repository with one commit holding all of it, authored by the user's
  git identity, else by a fixed "csbatch init" identity given for that commit only (`git -c`:
  nothing is written to any git config), on a branch `main` (the README's routine reviews a
  change with `policy diff main BRANCH`) unless the user's git config names its own default branch.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from csbatch.errors import Issue, Source
from csbatch.i18n import N_
from csbatch.policy.gitstate import run_git
from csbatch.policy.yamlio import PathKey, parse_yaml
from csbatch.resources import default_config_dir, templates_dir

MARKER = "← 公司设定 / company sets this"
#: The default policy's own note for a value no source document gives, which the marker replaces.
_COMPANY_SET_NOTE = re.compile(r"^company-set\b[,:]?\s*")

#: Policy file (a glob relative to config/) → key paths (dots; `*` is any key or list index) whose
#: line gets the marker: what a company must review before its first close.
COMPANY_SET: dict[str, tuple[str, ...]] = {
    "roles.yaml": ("*", "*.base_pay", "*.headcount"),
    "calendar.yaml": ("calendar.closed", "calendar.open", "calendar.years", "schedule.workdays",
                      "schedule.start", "schedule.lunch", "schedule.end", "schedule.late_grace_minutes",
                      "schedule.early_grace_minutes", "attendance.tracked"),
    "leave.yaml": ("types.*",),
    "conduct.yaml": ("*",),
    "bands.yaml": ("grades", "voucher_rate"),
    "scoring.yaml": ("rated_min_share",),
    "kpi/*.yaml": ("items.*.weight",),
    # [004] gives only the 90%–95% conversion value (band 2) and the 100%–110% target value (band 2)
    "kpi/ecommerce.yaml": ("bands.conversion_coefficient.bands.[013456].value",
                           "bands.target_coefficient.bands.[01345678].value"),
    "pay.yaml": ("rounding", "components.*.amount", "components.*.rate", "components.*.rates",
                 "components.*.amounts", "components.*.bases", "components.*.team_lead",
                 "components.*.roles", "components.*.cap_total", "components.*.agent_share"),
    "vip.yaml": ("programmes.*.tiers.*", "programmes.*.discounts", "programmes.*.points",
                 "card.valid_months", "card.issue_points_share", "vouchers.min_purchase",
                 "greetings.festival_days_before", "maintenance.days_before", "maintenance.cycle_months"),
    "deadlines.yaml": ("*.due",),
    "audit.yaml": ("*",),
}

#: Files of templates/policy-repo/ → their name in the new repository (dot files are kept without
#: the dot in the source tree, where they would otherwise act on csbatch's own repository).
_TEMPLATES = {"README.md": "README.md", "gitignore": ".gitignore",
              "pre-commit-config.yaml": ".pre-commit-config.yaml"}
#: Who makes the first commit when git has no identity configured: git config key → (value, the
#: variables that give it instead).
_FALLBACK_IDENTITY = {"user.name": ("csbatch init", ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME")),
                      "user.email": ("csbatch-init@localhost", ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"))}
_COMMIT_MESSAGE = "csbatch init: the default policy, to be set for this company"
#: The first branch's name, unless the user's git config sets `init.defaultBranch`.
MAIN_BRANCH = "main"


@dataclass(frozen=True)
class Initialised:
    """What `init_repository` made: the folder, the files written, the first commit and its
    branch (None without git) and the marked values."""

    folder: Path
    files: tuple[str, ...]
    commit: str | None
    marked: int
    branch: str | None = None


def _matches(path: PathKey, pattern: str) -> bool:
    parts = pattern.split(".")
    return len(parts) == len(path) and all(fnmatch.fnmatchcase(str(k), p) for k, p in zip(path, parts))


def _comment_at(line: str) -> int | None:
    """Where the line's comment starts (`#` after a space, outside quotes), or None."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return i
    return None


def _marked(line: str, column: int | None) -> str:
    """`line` with the marker at its end: a new comment (at `column`, where a neighbour's comment
    starts, when the line is shorter), or leading an existing one, whose own "company-set" prefix
    it replaces."""
    at = _comment_at(line)
    if at is None:
        body = line.rstrip()
        pad = column - len(body) if column is not None and column > len(body) + 1 else 3
        return f"{body}{' ' * pad}# {MARKER}"
    note = _COMPANY_SET_NOTE.sub("", line[at + 1:].strip())
    return f"{line[:at]}# {MARKER}" + (f"; {note}" if note else "")


def mark_company_set(text: str, rel: str) -> tuple[str, int]:
    """The policy file `rel` (its text) with the marker on the line of every key `COMPANY_SET`
    names for it, and how many lines were marked. Only comments change: the values are the same."""
    patterns = [p for glob, ps in COMPANY_SET.items() if fnmatch.fnmatchcase(rel, glob) for p in ps]
    if not patterns:
        return text, 0
    _, locs, issues = parse_yaml(text, rel)
    if issues:
        return text, 0
    lines = sorted({line for path, (line, _) in locs.keys.items() if any(_matches(path, p) for p in patterns)})
    out = text.splitlines(keepends=True)
    bodies = [line.rstrip("\r\n") for line in out]
    for n in lines:
        near = [_comment_at(bodies[i]) for i in (n - 2, n) if 0 <= i < len(bodies)]
        column = max((c for c in near if c), default=None)
        out[n - 1] = _marked(bodies[n - 1], column) + out[n - 1][len(bodies[n - 1]):]
    return "".join(out), len(lines)


def _refusal(folder: Path) -> str | None:
    """Why `folder` cannot take a new repository (a catalogue template of `{folder}`), or None."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        return N_("{folder} is not a folder; give a new or empty folder")
    if folder.is_dir() and any(folder.iterdir()):
        return N_("{folder} is not empty; csbatch init makes a new policy repository in a new or empty folder")
    return None


def _write_files(folder: Path) -> tuple[list[str], int]:
    source = default_config_dir()
    written, marked = [], 0
    for path in sorted(source.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        rel = path.relative_to(source).as_posix()
        dest = folder / "config" / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".yaml":
            text, n = mark_company_set(path.read_text(encoding="utf-8"), rel)
            dest.write_text(text, encoding="utf-8", newline="")
            marked += n
        else:
            shutil.copyfile(path, dest)
        written.append(f"config/{rel}")
    for name, target in _TEMPLATES.items():
        shutil.copyfile(templates_dir() / "policy-repo" / name, folder / target)
        written.append(target)
    return written, marked


def _git_text(folder: Path, *args: str) -> str | None:
    done = run_git(folder, *args)
    return done.stdout.decode("utf-8", "replace").strip() if done.returncode == 0 else None


def _first_commit(folder: Path) -> tuple[str | None, list[Issue]]:
    """`git init`, add everything, commit. The author is the user's git identity (config or
    GIT_AUTHOR_*/GIT_COMMITTER_* variables), else the fixed one for this commit only."""
    where = Source(str(folder))
    try:
        made = run_git(folder, "init", "-q")
    except FileNotFoundError:
        return None, [Issue.warn(where, "init.no_git", N_("git is not installed: the policy was written but is not "
                                                      "a git repository yet; install git, then run `git init` "
                                                      "and commit it"))]
    if made.returncode != 0:
        return None, [Issue.warn(where, "init.git", N_("git init failed ({why}): the policy was written but is not "
                                                    "committed"), why=made.stderr.decode("utf-8", "replace").strip())]
    if _git_text(folder, "config", "init.defaultBranch") is None:
        # the routine in the README reviews against `main`; git's own default may still be master
        run_git(folder, "symbolic-ref", "HEAD", f"refs/heads/{MAIN_BRANCH}")
    identity: list[str] = []
    for key, (value, variables) in _FALLBACK_IDENTITY.items():
        if not all(os.environ.get(v) for v in variables) and not _git_text(folder, "config", key):
            identity += ["-c", f"{key}={value}"]
    run_git(folder, "add", "-A")
    done = run_git(folder, *identity, "commit", "-q", "-m", _COMMIT_MESSAGE)
    if done.returncode != 0:
        why = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
        return None, [Issue.warn(where, "init.git", N_("git commit failed ({why}): the files are added to git but not "
                                                    "committed"), why=why[0] if why else f"exit {done.returncode}")]
    return _git_text(folder, "rev-parse", "HEAD"), []


def init_repository(folder: Path) -> tuple[Initialised | None, list[Issue]]:
    """Make a new company's policy repository in `folder` (new or empty; see the module's docstring)."""
    folder = Path(folder)
    refused = _refusal(folder)
    if refused:
        return None, [Issue.of(Source(str(folder)), "init.not_empty", refused, folder=folder)]
    folder.mkdir(parents=True, exist_ok=True)
    files, marked = _write_files(folder)
    commit, issues = _first_commit(folder)
    branch = _git_text(folder, "symbolic-ref", "--short", "HEAD") if commit else None
    return Initialised(folder, tuple(files), commit, marked, branch), issues
