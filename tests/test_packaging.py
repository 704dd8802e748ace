"""`pip install .` must give a working csbatch: the wheel carries the default policy, the templates
and the sample generator's word lists, and the installed package finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import CONFIG, ROOT


def test_the_wheel_carries_what_csbatch_needs_at_run_time(tmp_path):
    built = subprocess.run([sys.executable, "-c",
                            "from hatchling.builders.wheel import WheelBuilder; import sys;"
                            f"print(next(WheelBuilder({str(ROOT)!r}).build(directory={str(tmp_path)!r}, versions=['standard'])))"],
                           capture_output=True, text=True, cwd=ROOT)
    assert built.returncode == 0, built.stderr
    names = set(zipfile.ZipFile(built.stdout.strip()).namelist())
    policy = {p.relative_to(CONFIG).as_posix() for p in CONFIG.rglob("*.yaml")}
    assert {f"csbatch/_default/config/{p}" for p in policy} <= names
    assert any(n.startswith("csbatch/samples/words/") and n.endswith(".txt") for n in names)
    assert {f"csbatch/_default/templates/policy-repo/{n}" for n in ("README.md", "gitignore", "pre-commit-config.yaml")} <= names
    assert "csbatch/cli.py" in names and any(n.endswith("entry_points.txt") for n in names)

    target = tmp_path / "site"
    with zipfile.ZipFile(built.stdout.strip()) as wheel:
        wheel.extractall(target)
    probe = subprocess.run([sys.executable, "-c",
                            "from csbatch.resources import default_config_dir; from csbatch.policy import load_policy;"
                            "p, i = load_policy(default_config_dir()); print(default_config_dir(), p is not None)"],
                           capture_output=True, text=True, cwd=tmp_path, env={"PYTHONPATH": str(target)})
    assert probe.returncode == 0, probe.stderr
    where, ok = probe.stdout.split()
    assert where.startswith(str(target)) and ok == "True"
