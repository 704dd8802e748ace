"""Every package csbatch imports is declared in pyproject.toml, and requirements.lock (what `make
demo` and `make test` install) pins a release of each declared package that its range admits: a
dependency added to the code without pyproject.toml, or to pyproject.toml without `make lock`,
fails here instead of working only on machines that happen to have it."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
RUNTIME = [Requirement(r) for r in PYPROJECT["project"]["dependencies"]]
TEST = [Requirement(r) for r in PYPROJECT["project"]["optional-dependencies"]["test"]]


def _imported(folder) -> dict[str, str]:
    """Top-level module -> the first file importing it, for every `import`, `from ... import` and
    `pytest.importorskip("...")` under `folder` (relative imports excluded)."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "importorskip"
                  and node.args and isinstance(node.args[0], ast.Constant)):
                names = [node.args[0].value]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], path.relative_to(ROOT).as_posix())
    return found


def _undeclared(folder, declared: list[Requirement], own: set[str]) -> list[str]:
    allowed = {canonicalize_name(r.name) for r in declared}
    providers = importlib.metadata.packages_distributions()
    missing = []
    for module, where in sorted(_imported(folder).items()):
        if module in sys.stdlib_module_names or module in own:
            continue
        dists = {canonicalize_name(d) for d in providers.get(module, [])}
        if not dists & allowed:
            missing.append(f"{module} (imported in {where}, from {sorted(dists) or 'no installed package'})")
    return missing


def test_every_import_of_csbatch_is_a_declared_dependency():
    assert _undeclared(ROOT / "src", RUNTIME, {"csbatch"}) == []


def test_every_import_of_the_tests_is_declared_or_the_tests_own():
    own = {"csbatch"} | {p.stem for p in (ROOT / "tests").rglob("*.py")}
    assert _undeclared(ROOT / "tests", RUNTIME + TEST, own) == []


def _locked() -> dict[str, str]:
    """Package -> version pinned in requirements.lock for this Python and platform."""
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        pin = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;([^\\]*))?", line)
        if pin and (not pin[3] or Requirement(f"x; {pin[3].strip()}").marker.evaluate()):
            pins[canonicalize_name(pin[1])] = pin[2]
    return pins


def test_the_lock_pins_every_declared_package_within_its_range():
    pins = _locked()
    wrong = []
    for r in RUNTIME + TEST:
        pinned = pins.get(canonicalize_name(r.name))
        if (not r.marker or r.marker.evaluate()) and (pinned is None or not r.specifier.contains(pinned, True)):
            wrong.append(f"{r} (locked: {pinned or 'nothing'})")
    assert wrong == [], "run `make lock` after editing pyproject.toml's dependencies"
