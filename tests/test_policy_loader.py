"""The policy loader's steps (csbatch.policy.loader): discover → identify → read → validate →
check each file → assemble → check the whole. Each test breaks one step on a real copy of
config/ and checks what that step says; test_policy_check.py covers the checks themselves."""

from __future__ import annotations

from pathlib import Path

from csbatch.errors import Severity
from csbatch.policy.loader import _Entry, _identify


def _said(issues) -> list[tuple[str, str]]:
    return [(str(i.source), i.code) for i in issues]


def test_a_folder_that_is_not_there_or_holds_no_fixed_file_is_refused(tmp_path, monkeypatch):
    from csbatch.policy import load_policy

    monkeypatch.chdir(tmp_path)
    assert _said(load_policy(Path("nowhere"))[1]) == [("nowhere", "policy.missing")]
    (tmp_path / "kpi").mkdir()
    (tmp_path / "kpi" / "x.yaml").write_text("{}\n")
    policy, issues = load_policy(tmp_path / "kpi")
    assert policy is None and _said(issues) == [("kpi", "policy.not_a_policy")]


def test_discovery_refuses_yml_and_warns_of_other_folders(policy_copy):
    policy_copy.write("bonus.yml", "x: 1\n")
    policy_copy.write("drafts/old.yaml", "x: 1\n")
    policy_copy.write("tests/case.yaml", "x: 1\n")       # golden cases: not policy, no warning
    policy_copy.write(".git-like/x.yaml", "x: 1\n")      # hidden: not looked at
    policy_copy.write("kpi/.draft.yaml", "x: 1\n")
    policy, issues = policy_copy.load()
    assert policy is None
    assert _said(issues) == [("config/drafts", "policy.unknown_folder"),
                             ("config/bonus.yml", "policy.unknown_file")]
    assert issues[0].severity == Severity.WARNING
    assert str(issues[1]) == "config/bonus.yml: policy files end in .yaml; rename it"


def test_a_file_is_identified_by_its_place():
    def identified(rel: str) -> tuple[str, bool]:
        entry = _identify(_Entry(Path("/p") / rel, rel, f"config/{rel}"))
        return entry.attr, entry.stopped

    assert identified("vip.yaml") == ("vip", False)
    assert identified("qa/questionnaire.yaml") == ("questionnaire", False)
    assert identified("kpi/ecommerce.yaml") == ("scorecard", False)
    assert identified("periods/2026-10.yaml") == ("period", False)
    for rel in ("pays.yaml", "kpi/E-Commerce.yaml", "periods/2026-13.yaml", "periods/vip.yaml",
                "qa/vip.yaml"):
        assert identified(rel) == ("", True), rel


def test_an_empty_file_is_an_error_and_a_present_broken_file_is_not_missing(policy_copy):
    policy_copy.write("leave.yaml", "")
    policy_copy.write("bands.yaml", "a: [1,\n")
    policy, issues = policy_copy.load()
    assert policy is None
    # bands.yaml's syntax error stops it there, and it is not reported missing as well
    assert [(str(i.source).split(":")[0], i.code) for i in issues] == \
        [("config/bands.yaml", "yaml.syntax"), ("config/leave.yaml", "policy.empty")]
    assert str(issues[1]) == "config/leave.yaml:1:1: file is empty"


def test_issues_come_file_by_file_in_path_order(policy_copy):
    """Each file's issues together, files in path order, then the missing files."""
    policy_copy.write("zz.yml", "")
    policy_copy.write("aa.yaml", "x: 1\n")
    policy_copy.write("periods/2026-10.yaml", "")
    (policy_copy.root / "vip.yaml").unlink()
    _policy, issues = policy_copy.load()
    assert [str(i.source) for i in issues] == ["config/aa.yaml", "config/periods/2026-10.yaml:1:1",
                                               "config/zz.yml", "config/vip.yaml"]
