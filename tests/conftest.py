"""Shared fixtures: the repository's default policy, and editable copies of it."""

from __future__ import annotations

import atexit
import importlib.util
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def load_script(name: str):
    """A script of `scripts/` (not a package) as a module, for the tests of what it generates."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
#: The repository's policy as checked out: what the `policy` fixture loads (messages: config/…).
CHECKOUT_CONFIG = ROOT / "config"
SAMPLES = ROOT / "samples"


def git_commit_all(folder: Path, message: str = "policy") -> None:
    """Commit everything in `folder` (a git work tree, made one when it is not)."""
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(folder), "-c", "user.name=csbatch tests",
                        "-c", "user.email=tests@example.invalid", "-c", "commit.gpgsign=false", *args],
                       check=True, capture_output=True)
    if not (folder / ".git").exists():
        git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", message)


def committed_policy(parent: Path) -> Path:
    """A copy of the checked-out policy as `parent/config`, committed in its own git repository:
    clean whatever state the developer's checkout is in (a close refuses uncommitted policy)."""
    root = parent / "config"
    shutil.copytree(CHECKOUT_CONFIG, root)
    git_commit_all(parent)
    return root


_CLEAN = Path(tempfile.mkdtemp(prefix="csbatch-tests-policy-"))
atexit.register(shutil.rmtree, _CLEAN, ignore_errors=True)
#: The policy the tests close with: the checkout's policy, committed (see `committed_policy`).
CONFIG = committed_policy(_CLEAN)


@pytest.fixture(scope="session")
def sample_close(tmp_path_factory) -> Path:
    """The committed sample month closed once with the committed policy: `OUT/2026-10`, for the
    tests that only read what a close publishes."""
    from csbatch.closing.runs import monthly_close

    out = tmp_path_factory.mktemp("sample-close") / "out"
    outcome = monthly_close("2026-10", SAMPLES / "2026-10", out, CONFIG)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    return out / "2026-10"


@pytest.fixture(scope="session")
def sample_close_en(tmp_path_factory) -> Path:
    """The same month closed once in English through the command line (`csbatch --lang en
    monthly-close …`), so the option is seen to reach every output: `OUT/2026-10`."""
    from typer.testing import CliRunner

    from csbatch.cli import app

    out = tmp_path_factory.mktemp("sample-close-en") / "out"
    result = CliRunner().invoke(app, ["--lang", "en", "monthly-close", "2026-10", "--inputs",
                                      str(SAMPLES / "2026-10"), "--out", str(out), "--config", str(CONFIG)])
    assert result.exit_code == 0, result.output
    return out / "2026-10"


@pytest.fixture(scope="session")
def policy():
    from csbatch.policy import load_policy

    loaded, issues = load_policy(CHECKOUT_CONFIG)
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
    shutil.copytree(CHECKOUT_CONFIG, root)
    monkeypatch.chdir(tmp_path)  # messages show paths relative to the working folder: config/…
    return PolicyCopy(root)
