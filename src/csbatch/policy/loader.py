"""Loading the policy folder: read → validate each file → assemble `Policy` → cross-checks.

Each file of `config/` has one schema (`FILES`, `kpi/*.yaml`, `periods/YYYY-MM.yaml`); a YAML file
that is none of these is an error, so a misnamed file cannot be silently ignored. The result is
an immutable `Policy` whose records know their file and line.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from csbatch.errors import Issue, Source
from csbatch.i18n import N_
from csbatch.policy.assembled import Policy, PolicyFile
from csbatch.policy.audit import AuditPolicy
from csbatch.policy.bands import BandTable
from csbatch.policy.catalogues import Award, ComplaintPolicy, Recognition
from csbatch.policy.deadlines import DeadlineRule
from csbatch.policy.inputs import InputsPolicy
from csbatch.policy.org import Company, Role
from csbatch.policy.pay import PayPolicy
from csbatch.policy.scorecards import PeriodPolicy, Questionnaire, Scorecard, ScoringPolicy
from csbatch.policy.validate import validate
from csbatch.policy.vip import VipPolicy
from csbatch.policy.worktime import ConductItem, LeavePolicy, WorktimeFile
from csbatch.policy.yamlio import load_yaml

#: Fixed files: relative path → (attribute of Policy, schema).
FILES: dict[str, tuple[str, Any]] = {
    "roles.yaml": ("roles", dict[str, Role]),
    "calendar.yaml": ("worktime", WorktimeFile),
    "leave.yaml": ("leave", LeavePolicy),
    "conduct.yaml": ("conduct", dict[str, ConductItem]),
    "recognitions.yaml": ("recognitions", dict[str, Recognition]),
    "awards.yaml": ("awards", dict[str, Award]),
    "complaints.yaml": ("complaints", ComplaintPolicy),
    "bands.yaml": ("bands", dict[str, BandTable]),
    "scoring.yaml": ("scoring", ScoringPolicy),
    "qa/questionnaire.yaml": ("questionnaire", Questionnaire),
    "pay.yaml": ("pay", PayPolicy),
    "vip.yaml": ("vip", VipPolicy),
    "deadlines.yaml": ("deadlines", dict[str, DeadlineRule]),
    "inputs.yaml": ("inputs", InputsPolicy),
    "audit.yaml": ("audit", AuditPolicy),
    "company.yaml": ("company", Company),
}
#: Files of FILES a policy may leave out (the Policy's default stands in).
OPTIONAL_FILES = frozenset({"company.yaml", "awards.yaml"})
SCORECARD_DIR = "kpi"
PERIOD_DIR = "periods"
#: Folders of policy-adjacent YAML that `policy check` does not load (golden cases, issue 3).
OTHER_DIRS = ("tests",)
POLICY_DIRS = ("kpi", "periods", "qa")
_PERIOD_FILE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])\.yaml$")
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


def display_root(root: Path) -> str:
    """The policy folder as messages show it: relative to the working folder when inside it."""
    try:
        rel = root.resolve().relative_to(Path.cwd().resolve())
        return str(rel) if str(rel) != "." else "."
    except ValueError:
        return str(root)


@dataclass(frozen=True)
class _Entry:
    """One file of the policy folder on its way through the per-file steps: what each step made
    of it and the issues it raised. A step that fails it sets `stopped`; later steps pass it by."""

    path: Path
    rel: str                            # relative to the policy folder, e.g. kpi/ecommerce.yaml
    display: str                        # as messages show it
    file: PolicyFile | None = None      # every .yaml file is fingerprinted, known or not
    attr: str = ""                      # Policy attribute, "scorecard" or "period"
    schema: Any = None
    data: Any = None
    locs: Any = None
    value: Any = None
    issues: tuple[Issue, ...] = ()
    stopped: bool = False

    def with_issues(self, found: list[Issue], *, stop: bool = False, **changes: Any) -> _Entry:
        return replace(self, issues=(*self.issues, *found), stopped=self.stopped or stop, **changes)


def _refuse_folder(root: Path, shown: str) -> list[Issue]:
    """A folder that is missing or holds none of the fixed files is no policy folder at all."""
    if not root.is_dir():
        return [Issue.of(Source(shown), "policy.missing", N_("policy folder not found"))]
    if not any((root / rel).is_file() for rel in FILES):
        return [Issue.of(Source(shown), "policy.not_a_policy",
                         N_("not a csbatch policy folder: none of {files} is in it"), files=", ".join(FILES))]
    return []


def _discover(root: Path, shown: str) -> tuple[list[_Entry], list[Issue]]:
    """The YAML files at the top of the folder and in POLICY_DIRS, in path order, each .yaml one
    fingerprinted; a `.yml` file is refused, and any other folder is ignored with a warning."""
    issues: list[Issue] = []
    candidates = [p for p in root.iterdir() if p.is_file()]
    for sub in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if sub.name in POLICY_DIRS:
            candidates += [p for p in sub.iterdir() if p.is_file()]
        elif sub.name not in OTHER_DIRS:
            issues.append(Issue.warn(Source(f"{shown}/{sub.name}"), "policy.unknown_folder",
                                     N_("folder ignored: policy files live in {folders}/ or at the top of "
                                        "the policy folder"), folders=", ".join(POLICY_DIRS)))
    entries: list[_Entry] = []
    for path in sorted(candidates):
        rel = path.relative_to(root).as_posix()
        display = f"{shown}/{rel}" if shown != "." else rel
        if path.name.startswith("."):
            continue
        if path.suffix == ".yml":
            entries.append(_Entry(path, rel, display).with_issues(
                [Issue.of(Source(display), "policy.unknown_file", N_("policy files end in .yaml; rename it"))],
                stop=True))
            continue
        if path.suffix != ".yaml":
            continue
        raw = path.read_bytes()
        entries.append(_Entry(path, rel, display, PolicyFile(path, display, hashlib.sha256(raw).hexdigest())))
    return entries, issues


def _identify(entry: _Entry) -> _Entry:
    """Which schema the file has, by its place: a fixed file, kpi/CODE.yaml or periods/YYYY-MM.yaml."""
    top, _, name = entry.rel.rpartition("/")
    if entry.rel in FILES:
        attr, schema = FILES[entry.rel]
    elif top == SCORECARD_DIR and _CODE.match(entry.path.stem):
        attr, schema = "scorecard", Scorecard
    elif top == PERIOD_DIR and _PERIOD_FILE.match(name):
        attr, schema = "period", PeriodPolicy
    else:
        known = ", ".join([*FILES, f"{SCORECARD_DIR}/CODE.yaml", f"{PERIOD_DIR}/YYYY-MM.yaml"])
        return entry.with_issues([Issue.of(Source(entry.display), "policy.unknown_file",
                                           N_("not a policy file this version knows (expected one of: {known})"),
                                           known=known)],
                                 stop=True)
    return replace(entry, attr=attr, schema=schema)


def _read(entry: _Entry) -> _Entry:
    """The file's YAML, with the line and column of every key; an empty file is an error."""
    data, locs, found = load_yaml(entry.path, entry.display)
    if found and data is None:
        return entry.with_issues(found, stop=True)
    if data is None:
        return entry.with_issues([*found, Issue.of(Source(entry.display, line=1, col=1), "policy.empty",
                                                   N_("file is empty"))], stop=True)
    return entry.with_issues(found, data=data, locs=locs)


def _validate(entry: _Entry) -> _Entry:
    """The YAML against the file's schema: a typed record, or the issues that prevent one."""
    value, found = validate(entry.schema, entry.data, entry.locs)
    return entry.with_issues(found, stop=value is None, value=value)


def _check_file(entry: _Entry) -> _Entry:
    """The checks that need only this one file (`FILE_CHECKS`, a scorecard's own checks)."""
    from csbatch.policy.checks import FILE_CHECKS, check_scorecard_file

    if entry.attr == "scorecard":
        return entry.with_issues(check_scorecard_file(entry.path.stem, entry.value))
    if entry.attr in FILE_CHECKS:
        return entry.with_issues(FILE_CHECKS[entry.attr](entry.value))
    return entry


#: The steps each file goes through, in order (discovery makes the entries).
FILE_STEPS = (_identify, _read, _validate, _check_file)


def _missing_files(shown: str, entries: list[_Entry]) -> list[Issue]:
    """Every fixed file must be there (a file that is there but broken has its own issues)."""
    parts = {e.attr for e in entries if not e.stopped}
    files = [e.file for e in entries if e.file is not None]
    return [Issue.of(Source(f"{shown}/{rel}"), "policy.missing_file", N_("required policy file is missing"))
            for rel, (attr, _) in FILES.items()
            if rel not in OPTIONAL_FILES and attr not in parts
            and not any(f.display.endswith("/" + rel) or f.display == rel for f in files)]


def _assemble(root: Path, shown: str, entries: list[_Entry]) -> Policy:
    """The Policy of the files that passed every step."""
    loaded = [e for e in entries if not e.stopped]
    return Policy(root=root, display_root=shown,
                  scorecards={e.path.stem: e.value for e in loaded if e.attr == "scorecard"},
                  periods={e.path.stem: e.value for e in loaded if e.attr == "period"},
                  files=tuple(e.file for e in entries if e.file is not None),
                  **{e.attr: e.value for e in loaded if e.attr not in ("scorecard", "period")})


def load_policy(root: Path) -> tuple[Policy | None, list[Issue]]:
    """Load and check the policy folder. Returns (policy, issues); policy is None on any error.

    discover → identify → read → validate → check each file → assemble → check the whole."""
    from csbatch.policy.checks import check_policy

    root = Path(root)
    shown = display_root(root)
    refused = _refuse_folder(root, shown)
    if refused:
        return None, refused
    entries, issues = _discover(root, shown)
    for step in FILE_STEPS:
        entries = [e if e.stopped else step(e) for e in entries]
    issues += [i for e in entries for i in e.issues]
    issues += _missing_files(shown, entries)
    if any(i.is_error for i in issues):
        return None, issues
    policy = _assemble(root, shown, entries)
    issues.extend(check_policy(policy))
    if any(i.is_error for i in issues):
        return None, issues
    return policy, issues
