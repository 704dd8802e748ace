"""Loading the policy folder: read → validate each file → assemble `Policy` → cross-checks.

Each file of `config/` has one schema (`FILES`, `kpi/*.yaml`, `periods/YYYY-MM.yaml`); a YAML file
that is none of these is an error, so a misnamed file cannot be silently ignored. The result is
an immutable `Policy` whose records know their file and line.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from csbatch.errors import Issue, Severity, Source
from csbatch.policy.assembled import Policy, PolicyFile
from csbatch.policy.audit import AuditPolicy
from csbatch.policy.bands import BandTable
from csbatch.policy.catalogues import ComplaintPolicy, Recognition
from csbatch.policy.deadlines import DeadlineRule
from csbatch.policy.inputs import InputsPolicy
from csbatch.policy.org import Role
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
    "complaints.yaml": ("complaints", ComplaintPolicy),
    "bands.yaml": ("bands", dict[str, BandTable]),
    "scoring.yaml": ("scoring", ScoringPolicy),
    "qa/questionnaire.yaml": ("questionnaire", Questionnaire),
    "pay.yaml": ("pay", PayPolicy),
    "vip.yaml": ("vip", VipPolicy),
    "deadlines.yaml": ("deadlines", dict[str, DeadlineRule]),
    "inputs.yaml": ("inputs", InputsPolicy),
    "audit.yaml": ("audit", AuditPolicy),
}
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


def load_policy(root: Path) -> tuple[Policy | None, list[Issue]]:
    """Load and check the policy folder. Returns (policy, issues); policy is None on any error."""
    from csbatch.policy.checks import FILE_CHECKS, check_policy, check_scorecard_file

    root = Path(root)
    shown = display_root(root)
    issues: list[Issue] = []
    if not root.is_dir():
        return None, [Issue(Source(shown), "policy.missing", "policy folder not found")]

    if not any((root / rel).is_file() for rel in FILES):
        return None, [Issue(Source(shown), "policy.not_a_policy",
                            f"not a csbatch policy folder: none of {', '.join(FILES)} is in it")]

    parts: dict[str, Any] = {}
    scorecards: dict[str, Scorecard] = {}
    periods: dict[str, PeriodPolicy] = {}
    files: list[PolicyFile] = []

    candidates = [p for p in root.iterdir() if p.is_file()]
    for sub in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if sub.name in POLICY_DIRS:
            candidates += [p for p in sub.iterdir() if p.is_file()]
        elif sub.name not in OTHER_DIRS:
            issues.append(Issue(Source(f"{shown}/{sub.name}"), "policy.unknown_folder",
                                f"folder ignored: policy files live in {', '.join(POLICY_DIRS)}/ "
                                "or at the top of the policy folder", Severity.WARNING))
    for path in sorted(candidates):
        rel = path.relative_to(root).as_posix()
        display = f"{shown}/{rel}" if shown != "." else rel
        if path.name.startswith("."):
            continue
        if path.suffix == ".yml":
            issues.append(Issue(Source(display), "policy.unknown_file",
                                "policy files end in .yaml; rename it"))
            continue
        if path.suffix != ".yaml":
            continue
        raw = path.read_bytes()
        files.append(PolicyFile(path, display, hashlib.sha256(raw).hexdigest()))
        top, _, name = rel.rpartition("/")
        if rel in FILES:
            attr, schema = FILES[rel]
        elif top == SCORECARD_DIR and _CODE.match(path.stem):
            attr, schema = "scorecard", Scorecard
        elif top == PERIOD_DIR and _PERIOD_FILE.match(name):
            attr, schema = "period", PeriodPolicy
        else:
            known = ", ".join([*FILES, f"{SCORECARD_DIR}/CODE.yaml", f"{PERIOD_DIR}/YYYY-MM.yaml"])
            issues.append(Issue(Source(display), "policy.unknown_file",
                                f"not a policy file this version knows (expected one of: {known})"))
            continue
        data, locs, found = load_yaml(path, display)
        issues.extend(found)
        if found and data is None:
            continue
        if data is None:
            issues.append(Issue(Source(display, line=1, col=1), "policy.empty", "file is empty"))
            continue
        value, found = validate(schema, data, locs)
        issues.extend(found)
        if value is None:
            continue
        if attr == "scorecard":
            issues.extend(check_scorecard_file(path.stem, value))
            scorecards[path.stem] = value
        elif attr == "period":
            periods[path.stem] = value
        else:
            if attr in FILE_CHECKS:
                issues.extend(FILE_CHECKS[attr](value))
            parts[attr] = value

    for rel, (attr, _) in FILES.items():
        if attr not in parts and not any(f.display.endswith("/" + rel) or f.display == rel
                                         for f in files):
            issues.append(Issue(Source(f"{shown}/{rel}"), "policy.missing_file",
                                "required policy file is missing"))
    if any(i.is_error for i in issues):
        return None, issues

    policy = Policy(root=root, display_root=shown, scorecards=scorecards, periods=periods,
                    files=tuple(files), **parts)
    issues.extend(check_policy(policy))
    if any(i.is_error for i in issues):
        return None, issues
    return policy, issues
