"""What the policy's git state adds to a message is said in the reader's language: why a policy
folder is not versioned and what changed in each uncommitted file were English inside the Chinese
warnings (tests/faults/test_policy.py reads them in English)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from typer.testing import CliRunner

from conftest import CHECKOUT_CONFIG, committed_policy
from csbatch.cli import app

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "2026-10"
ENGLISH = re.compile(r"\b(?:modified|untracked|deleted|staged|ignored|not inside|work tree|more)\b")


def _zh(*args: str | Path):
    result = CliRunner(env={"CSBATCH_LANG": "zh"}).invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_uncommitted_files_are_listed_in_chinese(tmp_path):
    config = committed_policy(tmp_path)
    with (config / "pay.yaml").open("a", encoding="utf-8") as fh:
        fh.write("# a local edit\n")
    (config / "periods" / "2026-10.yaml").unlink()
    (config / "periods" / "2026-11.yaml").write_text("note: not yet reviewed\n", encoding="utf-8")
    code, _, err = _zh("policy", "check", "--config", config)
    assert code == 0, err
    line, = [x for x in err.splitlines() if "pay.yaml" in x]
    assert "pay.yaml（已修改）" in line, line
    assert "2026-10.yaml（已删除）" in line and "2026-11.yaml（未纳入 git）" in line, line
    assert ENGLISH.findall(line.replace(str(config), "")) == [], line


def test_a_policy_outside_git_says_why_in_chinese(tmp_path, monkeypatch):
    shutil.copytree(CHECKOUT_CONFIG, tmp_path / "config")
    monkeypatch.chdir(tmp_path)
    code, _, err = _zh("monthly-close", "2026-10", "--inputs", SAMPLE, "--out", tmp_path / "out",
                       "--config", "config")
    assert code == 0, err
    line, = [x for x in err.splitlines() if "git" in x and x.startswith("config:")]
    assert "策略文件夹未纳入 git 管理：它不在 git 工作区中；" in line, line
    assert ENGLISH.findall(line) == [], line
    # the manifest keeps the English, as every message it records
    manifest = json.loads((tmp_path / "out" / "2026-10" / "manifest.json").read_text(encoding="utf-8"))
    assert any("it is not inside a git work tree" in w for w in map(json.dumps, manifest["warnings"]))
