"""What a close kept so its month can be recomputed: the exact input files it read and the policy
it used, recorded in the ledger (`kept_files`, `close_policy`) with the copies in the content store
beside it (`csbatch.ledger.blobs`).

The policy revision of a close is the git commit of its policy folder when that was committed and
clean; otherwise (not in git, or closed with `--allow-dirty`) it is `snapshot:<sha256>`, the id of
the policy files it loaded (`blobs.snapshot_id`). Those files are kept in every case (they are a
few kilobytes), so a commit a rewritten history lost can still be restored.

`restore_inputs`, `restore_policy` and `recorded_policy` are what `reproduce`, `what-if`,
`explain` and a re-close read: the close of a month is its live close, or, while it is reopened,
the latest close it had.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from csbatch.errors import Issue, Source
from csbatch.i18n import N_, Joined, Said
from csbatch.ledger import blobs
from csbatch.ledger.blobs import KeptFile
from csbatch.ledger.store import NEVER_CLOSED, CloseRecord, Ledger
from csbatch.policy.assembled import Policy
from csbatch.policy.gitstate import GitState
from csbatch.policy.revisions import policy_at
from csbatch.sheets.month_inputs import InputRecord

SNAPSHOT = "snapshot:"


@dataclass(frozen=True)
class ClosePolicy:
    """The policy revision a close used; for a re-close with another policy than the close it
    replaced, that close's revision and the rule changes in words (None when not known)."""

    revision: str
    previous: str | None
    changes: tuple[str, ...] | None


# --- keeping (the close, while it publishes) ---------------------------------------------------

def keep_inputs(ledger_path: Path, inputs_dir: Path, records: Iterable[InputRecord]) -> list[KeptFile]:
    """Keep every input file the close read (one per file, with every kind read from it). Raises
    blobs.ChangedWhileRead for a file changed since it was read, OSError."""
    kinds: dict[str, list[str]] = {}
    sha: dict[str, str] = {}
    for r in records:
        kinds.setdefault(r.path, []).append(r.kind)
        sha[r.path] = r.sha256
    return [blobs.keep(ledger_path, Path(inputs_dir) / name, sha[name], "input", name, ",".join(kinds[name]))
            for name in sorted(kinds)]


def keep_policy(ledger_path: Path, policy: Policy, git: GitState | None) -> tuple[list[KeptFile], str]:
    """Keep every policy file the close loaded; return them and the close's policy revision."""
    root = Path(policy.root)
    kept = [blobs.keep(ledger_path, f.path, f.sha256, "policy", Path(f.path).relative_to(root).as_posix())
            for f in sorted(policy.files, key=lambda f: str(f.path))]
    if git is not None and git.versioned and not git.changed and git.commit:
        return kept, git.commit
    return kept, SNAPSHOT + blobs.snapshot_id(kept)


# --- reading ------------------------------------------------------------------------------------

def close_of(ledger: Ledger, period: str) -> CloseRecord | None:
    """The month's live close, else (reopened) its latest close."""
    live = ledger.live_close(period)
    if live is not None:
        return live
    row = ledger.conn.execute("SELECT close_id FROM closes WHERE period = ? ORDER BY closed_at DESC, rowid DESC "
                              "LIMIT 1", (period,)).fetchone()
    return ledger.close_by_id(row[0]) if row else None


def kept_files(ledger: Ledger, close_id: str, role: str | None = None) -> list[KeptFile]:
    rows = ledger.conn.execute("SELECT role, name, kinds, sha256, size, stored FROM kept_files WHERE close_id = ? "
                               "ORDER BY role, name", (close_id,)).fetchall()
    return [KeptFile(*r) for r in rows if role is None or r[0] == role]


def close_policy(ledger: Ledger, close_id: str) -> ClosePolicy | None:
    row = ledger.conn.execute("SELECT revision, previous, changes FROM close_policy WHERE close_id = ?",
                              (close_id,)).fetchone()
    if row is None:
        return None
    return ClosePolicy(row[0], row[1], None if row[2] is None else tuple(json.loads(row[2])))


def recorded_policy(ledger: Ledger, period: str) -> str | None:
    """The policy revision the close of `period` used: a commit id or "snapshot:<sha256>" (None:
    not closed, or closed before csbatch recorded it)."""
    record = close_of(ledger, period)
    found = close_policy(ledger, record.close_id) if record is not None else None
    return found.revision if found is not None else None


# --- restoring ----------------------------------------------------------------------------------

def _not_closed(ledger: Ledger, period: str) -> list[Issue]:
    return [Issue.of(Source(str(ledger.path)), "kept.not_closed", NEVER_CLOSED, period=period)]


def _no_key(code: str, missing: blobs.NoKey) -> list[Issue]:
    return [Issue.of(Source(str(missing.path)), code, missing.MESSAGE, path=missing.path, env=blobs.ENV_KEY)]


#: a kept copy that does not restore, by what it is a copy of
DAMAGED = {"input": N_("input file {name}: {problem}; the month cannot be recomputed from it: restore the "
                       "ledger's folder from a backup"),
           "policy": N_("policy file {name}: {problem}; the month cannot be recomputed from it: restore the "
                        "ledger's folder from a backup")}


def _restore_all(ledger: Ledger, files: list[KeptFile], dest: Path, what: str) -> list[Issue]:
    try:
        fernet = blobs.sealing_key(ledger.path)
    except blobs.NoKey as missing:
        return _no_key("kept.no_key", missing)
    issues = []
    for kept in files:
        problem = blobs.restore(ledger.path, kept, dest, fernet)
        if problem is not None:
            issues.append(Issue.of(Source(str(ledger.path.parent / kept.stored)), "kept.damaged",
                                   DAMAGED[what], name=kept.name, problem=problem))
    return issues


def damaged_copies(ledger: Ledger) -> list[Issue]:
    """Every kept copy any close refers to that is missing, does not open with the ledger's key or
    opens to bytes that are not its sha256's (what `ledger verify` adds to the digests: the copies
    live outside the database). Each copy is opened and hashed; no plain byte is written."""
    issues = []
    rows = ledger.conn.execute("""SELECT k.stored, k.sha256, MIN(k.role), MIN(k.name), GROUP_CONCAT(DISTINCT c.period)
                                  FROM kept_files k JOIN closes c ON c.close_id = k.close_id
                                  GROUP BY k.stored, k.sha256 ORDER BY k.stored""").fetchall()
    if not rows:
        return []
    try:
        fernet = blobs.sealing_key(ledger.path)
    except blobs.NoKey as missing:
        return _no_key("ledger.kept_no_key", missing)
    for stored, sha256, role, name, periods in rows:
        problem = blobs.damaged(ledger.path, KeptFile(role, name, "", sha256, 0, stored), fernet)
        if problem is not None:
            issues.append(Issue.of(Source(str(ledger.path.parent / stored)), "ledger.kept_damaged",
                                   N_("{role} file {name} of {periods}: {problem}; those months cannot be "
                                      "recomputed from it: restore the ledger's folder from a backup"),
                                   role=role, name=name, periods=periods, problem=problem))
    return issues


def restore_inputs(ledger: Ledger, period: str, dest: Path) -> tuple[Path | None, list[Issue]]:
    """The exact input files the close of `period` read, written into `dest` with their original
    names; the folder to read as `--inputs`. Each copy's bytes are checked against its sha256."""
    record = close_of(ledger, period)
    if record is None:
        return None, _not_closed(ledger, period)
    files = kept_files(ledger, record.close_id, "input")
    if not files:
        return None, [Issue.of(Source(str(ledger.path)), "kept.none",
                               N_("{period} was closed (at {at}) before csbatch kept the input files of each "
                                  "close: it cannot be recomputed from the ledger"),
                               period=period, at=record.closed_at)]
    dest.mkdir(parents=True, exist_ok=True)
    issues = _restore_all(ledger, files, dest, "input")
    return (None if issues else dest), issues


def _matches(folder: Path, files: list[KeptFile]) -> bool:
    return all((folder / f.name).is_file() and blobs.sha256_of(folder / f.name)[0] == f.sha256 for f in files)


def restore_policy(ledger: Ledger, period: str, config_dir: Path, dest: Path) -> tuple[Path | None, list[Issue]]:
    """The policy folder the close of `period` used, written into `dest` (empty or missing): its
    commit read from the git repository of `config_dir` (without touching the work tree) when
    that commit holds the very files the close loaded; else the kept copies of those files."""
    record = close_of(ledger, period)
    if record is None:
        return None, _not_closed(ledger, period)
    found = close_policy(ledger, record.close_id)
    files = kept_files(ledger, record.close_id, "policy")
    if found is None or not files:
        return None, [Issue.of(Source(str(ledger.path)), "kept.none",
                               N_("{period} was closed (at {at}) before csbatch recorded the policy of each "
                                  "close: its policy revision is not known"), period=period, at=record.closed_at)]
    issues: list[Issue] = []
    if not found.revision.startswith(SNAPSHOT):
        revision, problems = policy_at(Path(config_dir), found.revision, dest)
        if revision is not None and _matches(dest, files):
            return dest, []
        why = (Joined((i.as_said() for i in problems), "; ", "；") if problems else
               Said(N_("its files there differ from those the close loaded")))
        issues.append(Issue.warn(Source(str(config_dir)), "kept.policy_copy",
                                 N_("the policy commit {revision} {period} was closed with could not be read from "
                                    "the policy repository ({why}): the kept copies of the policy files are used"),
                                 revision=found.revision[:12], period=period, why=why))
        if dest.exists():
            shutil.rmtree(dest)
    dest.mkdir(parents=True, exist_ok=True)
    damaged = _restore_all(ledger, files, dest, "policy")
    return (None if damaged else dest), issues + damaged


__all__ = ["ClosePolicy", "close_of", "close_policy", "keep_inputs", "keep_policy", "kept_files",
           "recorded_policy", "restore_inputs", "restore_policy"]
