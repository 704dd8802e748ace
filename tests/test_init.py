"""`csbatch init DIR`: a new company's policy repository, and the pre-commit hooks csbatch ships
(`.pre-commit-hooks.yaml`) run the way pre-commit runs them, on a repository `init` made. Everything
goes through the real command in a subprocess, with the real git."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from conftest import CHECKOUT_CONFIG, ROOT, SAMPLES
from csbatch.policy import load_policy
from csbatch.policyrepo import COMPANY_SET, MARKER

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")


def csbatch(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "csbatch.cli", *args], capture_output=True, text=True,
                          cwd=cwd, env=env)


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True)
    return done.stdout


def _values(x):
    """A policy record as plain values (its place in the YAML left out: comments move nothing,
    but the two folders differ)."""
    if isinstance(x, BaseModel):
        return x.model_dump()
    if isinstance(x, dict):
        return {k: _values(v) for k, v in x.items()}
    return x


@needs_git
def test_init_makes_a_committed_policy_repository_with_the_default_policys_values(tmp_path):
    made = csbatch("init", "acme", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    repo = tmp_path / "acme"
    for name in (".gitignore", "README.md", ".pre-commit-config.yaml", "config/pay.yaml", "config/kpi/ecommerce.yaml",
                 "config/tests/ecommerce.yaml"):
        assert (repo / name).is_file(), name
    assert "已在 acme 建立策略仓库" in made.stdout     # Chinese by default

    default, issues = load_policy(CHECKOUT_CONFIG)
    assert default is not None, issues
    ours, issues = load_policy(repo / "config")
    assert ours is not None and not issues, issues
    for field in ("roles", "worktime", "leave", "conduct", "recognitions", "complaints", "bands", "scoring",
                  "scorecards", "questionnaire", "pay", "vip", "deadlines", "inputs", "audit", "periods"):
        assert _values(getattr(ours, field)) == _values(getattr(default, field)), field
    assert {f.path.relative_to(ours.root) for f in ours.files} == {f.path.relative_to(default.root) for f in default.files}

    assert len(git(repo, "log", "--format=%H").split()) == 1
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""
    # the policy test cases pass on it, and nothing else than comments changed
    assert csbatch("policy", "test", "--config", "config", cwd=repo).returncode == 0


def test_the_values_a_company_sets_are_marked_on_their_lines(tmp_path):
    assert csbatch("init", str(tmp_path / "acme"), cwd=tmp_path, env=_without_git(tmp_path)).returncode == 0
    config = tmp_path / "acme" / "config"

    def line(rel: str, starts: str) -> str:
        found = [l for l in (config / rel).read_text(encoding="utf-8").splitlines() if l.strip().startswith(starts)]
        assert found, f"{starts!r} not in {rel}"
        return found[0]

    assert line("pay.yaml", "ecommerce_cs: 1%") == "      ecommerce_cs: 1%"        # inside a marked mapping
    assert line("pay.yaml", "rates:").endswith(f"# {MARKER}; of counted sales")     # the default's note kept
    assert line("pay.yaml", "amount: 200").endswith(f"# {MARKER}; per month")       # "company-set," replaced
    assert line("roles.yaml", "ecommerce_cs:").endswith(MARKER)                     # the roles are the company's
    assert line("roles.yaml", "base_pay: {min: 3000").endswith(MARKER)
    assert line("calendar.yaml", "closed: []").endswith(f"# {MARKER}; extra days the company is closed, e.g. [2026-12-31]")
    assert line("vip.yaml", "silver: {name: 银卡, single_order: 60000").endswith(MARKER)
    assert line("kpi/ecommerce.yaml", "weight: 45").endswith(MARKER)
    assert MARKER not in line("pay.yaml", "name: 基本工资")                             # not a company value
    assert MARKER not in (config / "inputs.yaml").read_text(encoding="utf-8")
    # a marker only on lines of the keys COMPANY_SET names: each of its patterns finds a key
    for glob, patterns in COMPANY_SET.items():
        text = "".join(p.read_text(encoding="utf-8") for p in config.glob(glob))
        assert text.count(MARKER) >= len(patterns), glob


def test_a_close_inside_the_repository_leaves_git_status_clean(tmp_path):
    if GIT is None:
        pytest.skip("git is not installed")
    assert csbatch("init", "acme", cwd=tmp_path).returncode == 0
    repo = tmp_path / "acme"
    shutil.copytree(SAMPLES / "2026-10", repo / "inbox" / "2026-10")
    closed = csbatch("monthly-close", "2026-10", "--inputs", "inbox/2026-10", "--out", "closes", cwd=repo)
    assert closed.returncode == 0, closed.stderr
    assert (repo / "closes" / "csbatch-ledger.sqlite").is_file() and (repo / "closes" / "2026-10").is_dir()
    assert "uncommitted" not in closed.stderr and "not inside a git" not in closed.stderr
    # a ledger elsewhere (--ledger) and a stray input sheet at the top are kept out too
    (repo / "payroll.sqlite").write_bytes(b"")
    (repo / "payroll.sqlite.key").write_bytes(b"k")
    shutil.copy(next((repo / "inbox" / "2026-10").glob("*.xlsx")), repo / "stray.xlsx")
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""


def test_a_folder_that_is_not_empty_is_refused(tmp_path):
    (tmp_path / "acme").mkdir()
    (tmp_path / "acme" / ".keep").write_text("")
    refused = csbatch("init", "acme", cwd=tmp_path)
    assert refused.returncode == 1
    assert "acme 不是空的" in refused.stderr
    assert sorted(p.name for p in (tmp_path / "acme").iterdir()) == [".keep"]
    (tmp_path / "file").write_text("x")
    assert "file 不是文件夹" in csbatch("init", "file", cwd=tmp_path).stderr


def _without_git(tmp_path: Path) -> dict[str, str]:
    empty = tmp_path / "no-git-bin"
    empty.mkdir(exist_ok=True)
    return {**os.environ, "PATH": str(empty)}


def test_without_git_the_files_are_written_and_a_warning_says_so(tmp_path):
    made = csbatch("init", "acme", cwd=tmp_path, env=_without_git(tmp_path))
    assert made.returncode == 0, made.stderr
    assert "未安装 git" in made.stderr and "还不是 git 仓库" in made.stderr
    assert (tmp_path / "acme" / "config" / "pay.yaml").is_file() and not (tmp_path / "acme" / ".git").exists()


@needs_git
def test_the_first_commit_is_the_users_else_a_fixed_identity_for_that_commit_only(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    bare = {**{k: v for k, v in os.environ.items() if not k.startswith("GIT_")}, "HOME": str(home),
            "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": str(home / ".gitconfig")}
    assert csbatch("init", "anon", cwd=tmp_path, env=bare).returncode == 0
    assert git(tmp_path / "anon", "log", "--format=%an <%ae>|%cn") == "csbatch init <csbatch-init@localhost>|csbatch init\n"
    assert not (home / ".gitconfig").exists()   # nothing written to the user's config
    assert "user." not in (tmp_path / "anon" / ".git" / "config").read_text()

    (home / ".gitconfig").write_text("[user]\n\tname = Wang Fang\n\temail = wang@example.com\n")
    assert csbatch("init", "mine", cwd=tmp_path, env=bare).returncode == 0
    assert git(tmp_path / "mine", "log", "--format=%an <%ae>") == "Wang Fang <wang@example.com>\n"


@needs_git
def test_the_first_branch_is_main_unless_the_users_git_config_names_its_own(tmp_path):
    """The README's routine reviews with `policy diff main BRANCH`: git's own default (master, on
    git before 3.0 without init.defaultBranch) would leave that command failing."""
    home = tmp_path / "home"
    home.mkdir()
    bare = {**{k: v for k, v in os.environ.items() if not k.startswith("GIT_")}, "HOME": str(home),
            "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": str(home / ".gitconfig")}
    made = csbatch("init", "acme", cwd=tmp_path, env=bare)
    assert made.returncode == 0, made.stderr
    assert git(tmp_path / "acme", "branch", "--show-current") == "main\n"
    assert "分支 main\n" in made.stdout
    assert csbatch("policy", "diff", "main", "--config", "config", cwd=tmp_path / "acme").returncode == 0

    (home / ".gitconfig").write_text("[init]\n\tdefaultBranch = trunk\n")
    assert csbatch("init", "ours", cwd=tmp_path, env=bare).returncode == 0
    assert git(tmp_path / "ours", "branch", "--show-current") == "trunk\n"


# --- the pre-commit hooks ------------------------------------------------------------------------

HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def run_hook(hook: dict, repo: Path) -> subprocess.CompletedProcess:
    """The hook's entry as pre-commit runs it in the repository's top folder (no file names:
    pass_filenames is false), its `csbatch` being this checkout's."""
    program, *args = shlex.split(hook["entry"])
    assert program == "csbatch"
    return csbatch(*args, cwd=repo)


def test_the_shipped_hooks_are_csbatchs_policy_check_and_test():
    assert [h["id"] for h in HOOKS] == ["csbatch-policy-check", "csbatch-policy-test"]
    for hook in HOOKS:
        assert hook["language"] == "python" and hook["pass_filenames"] is False and hook["files"] == "^config/"


def test_the_hooks_pass_a_clean_policy_and_fail_a_broken_band_table_naming_its_line(tmp_path):
    assert csbatch("init", "acme", cwd=tmp_path, env=_without_git(tmp_path)).returncode == 0
    repo = tmp_path / "acme"
    for hook in HOOKS:
        ok = run_hook(hook, repo)
        assert ok.returncode == 0, (hook["id"], ok.stderr)

    bands = repo / "config" / "bands.yaml"
    text = bands.read_text(encoding="utf-8")
    broken = "    - {from: 80%, to: 96%, value: 2}"
    bands.write_text(text.replace("    - {from: 80%, to: 95%, value: 2}", broken), encoding="utf-8")
    line = text.splitlines().index("    - {from: 80%, to: 95%, value: 2}") + 1
    for hook in HOOKS:
        failed = run_hook(hook, repo)
        assert failed.returncode == 1, (hook["id"], failed.stdout, failed.stderr)
        assert any(l.startswith(f"config/bands.yaml:{line}:") and "重叠" in l for l in failed.stderr.splitlines()), \
            (hook["id"], failed.stderr)


def test_the_new_repositorys_pre_commit_config_runs_the_shipped_hooks(tmp_path):
    assert csbatch("init", "acme", cwd=tmp_path, env=_without_git(tmp_path)).returncode == 0
    config = yaml.safe_load((tmp_path / "acme" / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    local = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert list(local) == [h["id"] for h in HOOKS]
    for hook in HOOKS:
        assert {k: local[hook["id"]][k] for k in ("entry", "pass_filenames", "files")} == \
               {k: hook[k] for k in ("entry", "pass_filenames", "files")}


def test_the_ecommerce_coefficients_the_seed_does_not_give_are_company_set():
    """[004]'s copy gives two coefficients (成交率 90% → 1, 指标完成率 100%–110% → 1): those two stay
    unmarked; every other coefficient value is the company's."""
    from csbatch.policyrepo import mark_company_set

    text, _ = mark_company_set((CHECKOUT_CONFIG / "kpi" / "ecommerce.yaml").read_text(encoding="utf-8"), "kpi/ecommerce.yaml")
    bands = [line for line in text.splitlines() if line.lstrip().startswith("- {from:")]
    unmarked = [line.split("#")[0].strip() for line in bands if MARKER not in line]
    assert unmarked == ["- {from: 90%, to: 95%, value: 1.0}", "- {from: 100%, to: 110%, value: 1.0}"]
    assert len(bands) == 16
