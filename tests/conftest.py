"""Shared fixtures: the repository's default policy, and editable copies of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "config"
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def policy():
    from csbatch.policy import load_policy

    loaded, issues = load_policy(CONFIG)
    assert loaded is not None, "\n".join(map(str, issues))
    return loaded


class PolicyCopy:
    """A copy of config/ in a temporary folder, edited by exact text replacement so each test
    states the broken policy it builds."""

    def __init__(self, root: Path):
        self.root = root

    def edit(self, rel: str, old: str, new: str) -> Path:
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {rel}"
        path.write_text(text.replace(old, new), encoding="utf-8")
        return path

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def line_of(self, rel: str, needle: str, nth: int = 1) -> int:
        """1-based line of the nth line containing `needle`."""
        found = [i for i, line in enumerate((self.root / rel).read_text(encoding="utf-8").splitlines(), 1)
                 if needle in line]
        assert len(found) >= nth, f"{needle!r} not found {nth} times in {rel}"
        return found[nth - 1]

    def load(self):
        from csbatch.policy import load_policy

        return load_policy(self.root)


@pytest.fixture
def policy_copy(tmp_path, monkeypatch) -> PolicyCopy:
    root = tmp_path / "config"
    shutil.copytree(CONFIG, root)
    monkeypatch.chdir(tmp_path)  # messages show paths relative to the working folder: config/…
    return PolicyCopy(root)
