"""Policy in git, end to end, the way a new admin runs it (README "Policy in git"): `csbatch init`
makes the policy repository, the sample month is closed into `closes/` inside it, a commission rate
change is committed, and then `policy diff`, `what-if`, `reproduce`, `reopen`, a re-close with the
recorded revision, a re-close with `--policy-rev HEAD` and `csbatch ledger` tell one consistent
story. Every step is the real command in a subprocess, with the real git; the expected pay change
is worked out here by hand from the per-order pay the close recorded and the two rates."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from conftest import SAMPLES
from csbatch.money import to_cents

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

PERIOD = "2026-10"
OLD, NEW = Decimal("0.01"), Decimal("0.012")          # commission ecommerce_cs: 1% → 1.2%
RULE = "pay component commission rate ecommerce_cs: 1% → 1.2%"     # as the ledger and the manifest record it
RULE_ZH = "工资·项目·业绩提成·比例·网购客服：1% → 1.2%"              # as a person reads it: the policy's names
CENT = Decimal("0.01")
COMMISSION = "业绩提成"
GROSS = "应发合计"


#: The routine's commands, exactly as both READMEs show them (README.md "Policy in git" and the
#: admin README `init` writes), run by the story below.
ROUTINE = {
    "close": f"monthly-close {PERIOD} --inputs inbox/{PERIOD} --out closes",
    "review": "policy diff main commission-rate",
    "what-if branch": f"what-if {PERIOD} --policy commission-rate --out closes",
    "reproduce": f"reproduce {PERIOD} --out closes",
    "ledger": "ledger --out closes",
    "show": f"ledger show {PERIOD} --out closes",
}


def cents(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def payroll(repo: Path) -> dict[str, dict[str, str]]:
    with open(repo / "closes" / PERIOD / "data" / "payroll.csv", encoding="utf-8-sig", newline="") as f:
        return {row["employee_id"]: row for row in csv.DictReader(f)}


def ledger_digest(repo: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted((repo / "closes").glob("csbatch-ledger.sqlite*")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


@dataclass
class Story:
    repo: Path
    env: dict[str, str]             # git configured by this story only: an identity, no default branch
    first: str = ""                 # the commit the month was first closed with
    second: str = ""                # the commit with the new rate
    said: dict[str, subprocess.CompletedProcess | str] = field(default_factory=dict)
    pay: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)   # payroll.csv after each close
    by_hand: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    ledger_untouched: bool = False

    def csbatch(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "csbatch.cli", *args], capture_output=True, text=True,
                              cwd=cwd or self.repo, env=self.env)

    def ok(self, *args: str, cwd: Path | None = None) -> str:
        done = self.csbatch(*args, cwd=cwd)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done.stdout

    def routine(self, step: str, *more: str) -> str:
        return self.ok(*shlex.split(ROUTINE[step]), *more)

    def git(self, *args: str) -> str:
        return subprocess.run(["git", "-C", str(self.repo), *args], capture_output=True, text=True, check=True,
                              env=self.env).stdout


@pytest.fixture(scope="module")
def story(tmp_path_factory) -> Story:
    root = tmp_path_factory.mktemp("policy-in-git")
    (root / ".gitconfig").write_text("[user]\n\tname = Wang Fang\n\temail = wang@example.com\n"
                                     "[commit]\n\tgpgsign = false\n", encoding="utf-8")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GIT_")}, "HOME": str(root),
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": str(root / ".gitconfig")}
    s = Story(repo=root / "acme", env=env)
    s.ok("init", "acme", cwd=root)
    repo = s.repo
    s.first = s.git("rev-parse", "HEAD").strip()

    # 1. close the month from the committed policy; inbox/ and closes/ stay out of git
    shutil.copytree(SAMPLES / PERIOD, repo / "inbox" / PERIOD)
    s.said["close"] = s.routine("close")
    s.pay["close"] = payroll(repo)
    s.by_hand = _commission_by_hand(repo, s.pay["close"])

    # 2. the rate change on a branch, reviewed against main and tried on the closed month, merged
    s.git("switch", "-q", "-c", "commission-rate")
    pay = repo / "config" / "pay.yaml"
    text = pay.read_text(encoding="utf-8")
    assert text.count("      ecommerce_cs: 1%") == 1
    pay.write_text(text.replace("      ecommerce_cs: 1%", "      ecommerce_cs: 1.2%"), encoding="utf-8")
    s.git("commit", "-q", "-am", "commission ecommerce_cs 1.2%")
    s.said["review"] = s.routine("review")
    s.said["what-if branch"] = s.routine("what-if branch")
    s.git("switch", "-q", "main")
    s.git("merge", "-q", "--ff-only", "commission-rate")
    s.second = s.git("rev-parse", "HEAD").strip()
    s.said["status"] = s.git("status", "--porcelain", "--untracked-files=all")

    # 3. after the merge: the rule change in words, the month under HEAD; the ledger untouched
    s.said["diff"] = s.ok("policy", "diff", "HEAD~1", "HEAD")
    before = ledger_digest(repo)
    s.said["what-if"] = s.ok("what-if", PERIOD, "--policy", "HEAD", "--out", "closes")
    s.ledger_untouched = ledger_digest(repo) == before
    s.said["reproduce"] = s.csbatch(*shlex.split(ROUTINE["reproduce"]))

    # 4. reopen and close again: the revision the month was closed with, not the work tree's rate
    s.said["reopen"] = s.ok("reopen", PERIOD, "--reason", "a late leave note", "--out", "closes")
    s.said["reclose"] = s.routine("close")
    s.pay["reclose"] = payroll(repo)

    # 5. reopen and close with the new revision: the new rate, recorded with its rule change
    s.ok("reopen", PERIOD, "--reason", "the new rate applies from October", "--out", "closes")
    s.said["new-rate"] = s.routine("close", "--policy-rev", "HEAD")
    s.pay["new-rate"] = payroll(repo)
    s.said["ledger"] = s.routine("ledger")
    s.said["show"] = s.routine("show")
    s.said["reproduce-new"] = s.csbatch(*shlex.split(ROUTINE["reproduce"]))
    return s


def _commission_by_hand(repo: Path, pay: dict[str, dict[str, str]]) -> dict[str, tuple[Decimal, Decimal]]:
    """Each ecommerce_cs agent's commission at 1 % and at 1.2 %: the exact per-order amounts the close
    recorded at 1 %, summed, scaled by 1.2 / 1, each rounded half up to cents once."""
    conn = sqlite3.connect(repo / "closes" / "csbatch-ledger.sqlite")
    try:
        rows = conn.execute("SELECT employee_id, amount FROM order_pay WHERE component = 'commission'").fetchall()
    finally:
        conn.close()
    exact: dict[str, Decimal] = {}
    for employee, amount in rows:
        if pay[employee]["role"] == "ecommerce_cs":
            exact[employee] = exact.get(employee, Decimal(0)) + Decimal(amount)
    return {e: (to_cents(x), to_cents(x * NEW / OLD))
            for e, x in exact.items()}


def changed(story: Story) -> dict[str, tuple[Decimal, Decimal]]:
    return {e: (b, a) for e, (b, a) in story.by_hand.items() if a != b}


def test_the_close_pays_what_the_ledger_recorded_and_leaves_git_clean(story):
    assert story.said["status"] == ""
    pay = story.pay["close"]
    for employee, (before, _) in story.by_hand.items():
        assert Decimal(pay[employee]["commission"]) == before, employee
    assert len(changed(story)) >= 2


def test_policy_diff_names_the_change_in_words(story):
    said = story.said["diff"]
    assert f"HEAD~1（提交 {story.first[:12]}） → HEAD（提交 {story.second[:12]}）：规则变化 1 处" in said
    assert [l.strip() for l in said.splitlines()[1:] if l.strip()] == [RULE_ZH]
    assert [l.strip() for l in str(story.said["review"]).splitlines()[1:] if l.strip()] == [RULE_ZH]


def test_what_if_reports_exactly_the_changed_lines_and_totals(story):
    expected = changed(story)
    pay = story.pay["close"]
    total_change = sum((a - b for b, a in expected.values()), Decimal(0))
    gross_before = sum((Decimal(r["gross_pay"]) for r in pay.values()), Decimal(0))

    # the terminal: every pay row of the month is a changed commission or that employee's gross
    said = str(story.said["what-if"])
    assert f"\n  之前：按结账时（提交 {story.first[:12]}）\n" in said     # Chinese by default
    assert f"\n  之后：HEAD（提交 {story.second[:12]}）" in said
    rows = [l.split("\t") for l in said.splitlines() if l.startswith(f"{PERIOD}\t") and len(l.split("\t")) == 8]
    assert {(r[1], r[4]) for r in rows} == {(e, c) for e in expected for c in (COMMISSION, GROSS)}
    for _, employee, name, role, component, before, after, change in rows:
        b, a = expected[employee]
        gross = Decimal(pay[employee]["gross_pay"])
        want = (b, a) if component == COMMISSION else (gross, gross + a - b)
        assert (role, name) == ("网购客服", pay[employee]["name"])
        assert (before, after, change) == tuple(f"¥{v:,.2f}" for v in (*want, want[1] - want[0])), employee
    assert f"{PERIOD}\t¥{gross_before:,.2f}\t¥{gross_before + total_change:,.2f}\t¥{total_change:,.2f}\t" \
           f"{len(expected)}\t0\t0" in said
    assert RULE_ZH in said and f"应发工资变化：¥{total_change:,.2f}" in said
    workbook, page = (Path("closes") / "what-if" / f"{PERIOD}-HEAD.{ext}" for ext in ("xlsx", "html"))
    assert f"已写入：{workbook}, {page}" in said
    assert story.ledger_untouched

    # the workbook, read back
    book = openpyxl.load_workbook(story.repo / workbook)
    lines = {(r[1], r[4]): tuple(map(cents, r[5:8])) for r in book["工资变化"].iter_rows(min_row=2, values_only=True)}
    assert {k: v for k, v in lines.items() if k[1] == COMMISSION} == \
           {(e, COMMISSION): (b, a, a - b) for e, (b, a) in expected.items()}
    assert {k[0]: v[2] for k, v in lines.items() if k[1] == GROSS} == {e: a - b for e, (b, a) in expected.items()}
    totals = list(book["合计"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], *map(cents, r[1:4]), *r[4:7]) for r in totals] == \
           [(PERIOD, gross_before, gross_before + total_change, total_change, len(expected), 0, 0)]
    assert [r[0] for r in book["规则变化"].iter_rows(min_row=2, values_only=True)] == [RULE_ZH]
    assert book["考核变化"].max_row == 1 and book["会员变化"].max_row == 1    # a rate changes no score or member
    assert RULE_ZH in (story.repo / page).read_text(encoding="utf-8")


def test_the_branch_before_the_merge_gives_the_same_what_if_as_head_after_it(story):
    def rows(said) -> list[str]:
        return [l for l in str(said).splitlines() if l.startswith(f"{PERIOD}\t")]

    assert rows(story.said["what-if branch"]) == rows(story.said["what-if"]) != []
    assert f"之后：commission-rate（提交 {story.second[:12]}）" in str(story.said["what-if branch"])
    assert (story.repo / "closes" / "what-if" / f"{PERIOD}-commission-rate.xlsx").is_file()


def test_both_readmes_show_the_commands_this_story_runs():
    from conftest import ROOT

    for readme in (ROOT / "README.md", ROOT / "templates" / "policy-repo" / "README.md"):
        text = " ".join(readme.read_text(encoding="utf-8").split())     # lines wrapped anywhere
        for step, command in ROUTINE.items():
            assert f"csbatch {command}" in text, (readme.relative_to(ROOT), step)
        assert "csbatch reopen 2026-10 --reason" in text and "--policy-rev HEAD" in text, readme


def test_reproduce_says_identical(story):
    done = story.said["reproduce"]
    assert isinstance(done, subprocess.CompletedProcess)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith(f"{PERIOD}：完全一致")
    assert f"结账时的策略（{story.first[:12]}）" in done.stdout


def test_a_reclose_after_a_reopen_uses_the_recorded_revision(story):
    said = str(story.said["reclose"])
    assert f"{PERIOD} 重新结账，沿用上次结账所用的制度 {story.first[:12]}" in said
    assert f"与 {PERIOD} 上一次结账相比没有变化" in said and "a late leave note" in said
    assert story.pay["reclose"] == story.pay["close"]        # the old pay, though the work tree says 1.2 %
    assert "ecommerce_cs: 1.2%" in (story.repo / "config" / "pay.yaml").read_text(encoding="utf-8")


def test_policy_rev_head_applies_the_new_rate_and_records_the_change(story):
    expected = changed(story)
    said = str(story.said["new-rate"])
    assert f"{PERIOD} 按 HEAD（{story.second[:12]}）的制度结账，而不是上次结账所用的 {story.first[:12]}" in said
    assert f"策略与被替换的那次结账（{story.first[:12]}）不同：已记录，规则变化如下：\n" \
           f"  {RULE_ZH}\n" in said
    for employee, (b, a) in expected.items():
        assert f"{employee}\t{story.pay['close'][employee]['name']}\t业绩提成\t{b}\t{a}\t{a - b:+}" in said
    old, new = story.pay["close"], story.pay["new-rate"]
    for employee in old:
        b, a = expected.get(employee, (Decimal(0), Decimal(0)))
        assert Decimal(new[employee]["commission"]) - Decimal(old[employee]["commission"]) == a - b, employee
        assert Decimal(new[employee]["gross_pay"]) - Decimal(old[employee]["gross_pay"]) == a - b, employee

    manifest = json.loads((story.repo / "closes" / PERIOD / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["policy"]["git_commit"] == story.second
    assert manifest["policy_change"] == {"from": story.first, "to": story.second, "changes": [RULE]}
    show = str(story.said["show"])
    assert f"策略：{story.second}\n  由 {story.first} 变更而来（被替换的那次结账）\n  {RULE}\n" in show
    sheet = openpyxl.load_workbook(story.repo / "closes" / PERIOD / f"payroll_bonus_{PERIOD}.xlsx")["变更明细"]
    assert {r[0]: (cents(r[3]), cents(r[4]), r[6]) for r in sheet.iter_rows(min_row=2, values_only=True)
            if r[0] != "合计"} == {e: (b, a, "the new rate applies from October") for e, (b, a) in expected.items()}
    # and that close reproduces from its own revision
    done = story.said["reproduce-new"]
    assert isinstance(done, subprocess.CompletedProcess) and done.returncode == 0, done.stdout + done.stderr
    assert f"结账时的策略（{story.second[:12]}）" in done.stdout


def test_the_ledger_lists_the_closes_and_the_reopenings(story):
    said = str(story.said["ledger"]).splitlines()
    closes = [l.split("\t") for l in said if l.startswith(f"{PERIOD}\t") and len(l.split("\t")) == 8]
    assert [(c[1], c[4]) for c in closes] == [("已重新打开", story.first[:12]), ("已重新打开", story.first[:12]),
                                             ("有效", story.second[:12])]                # Chinese by default
    gross = sum((Decimal(r["gross_pay"]) for r in story.pay["close"].values()), Decimal(0))
    change = sum((a - b for b, a in changed(story).values()), Decimal(0))
    assert [c[6] for c in closes] == [f"{gross:,.2f}", f"{gross:,.2f}", f"{gross + change:,.2f}"]
    reopenings = said[said.index("重新打开记录"):]
    assert [l.split("\t")[-1] for l in reopenings if l.startswith(f"{PERIOD}\t")] == \
           ["a late leave note", "the new rate applies from October"]
