"""Every close keeps the exact input files it read and the policy it used, content-addressed beside
the ledger, so the month can be recomputed: what is kept, how it is read back, and that a kept
copy changed on disk is refused by its hash."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from builders import write_attendance, write_xlsx
from conftest import CHECKOUT_CONFIG, CONFIG
from csbatch.closing.runs import monthly_close
from csbatch.filehash import sha256_file
from csbatch.ledger import Ledger, blobs
from csbatch.ledger.kept import close_of, kept_files, recorded_policy, restore_inputs, restore_policy

ROSTER = [["工号", "姓名", "岗位", "班组", "入职日期", "底薪"],
          ["1003", "王五", "咨询类客服", "二组", "2024-01-15", 2100],
          ["1005", "钱七", "综合类客服", "二组", "2024-02-01", 2400]]


def month(folder: Path, adjustment: int = 350) -> Path:
    write_xlsx(folder / "员工名册.xlsx", {"Sheet1": ROSTER})
    write_attendance(folder, ["1003", "1005"], "2026-10")
    write_xlsx(folder / "其他调整.xlsx", {"Sheet1": [["工号", "项目", "金额", "原因"],
                                                 ["1003", "其他调整", adjustment, "补发"]]})
    return folder


def head(folder: Path) -> str:
    return subprocess.run(["git", "-C", str(folder), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_a_close_keeps_its_inputs_and_policy_by_content(tmp_path):
    inputs, out = month(tmp_path / "in"), tmp_path / "out"
    assert monthly_close("2026-10", inputs, out, CONFIG).ok
    ledger = Ledger(out / "csbatch-ledger.sqlite")
    record = close_of(ledger, "2026-10")
    files = kept_files(ledger, record.close_id, "input")
    assert [(f.name, f.kinds) for f in files] == sorted(
        (p.name, k) for p, k in [(inputs / "员工名册.xlsx", "roster"), (inputs / "其他调整.xlsx", "adjustments"),
                                 (next(inputs.glob("*考勤*")), "attendance")])
    for f in files:
        copy = out / f.stored
        assert f.stored == f"csbatch-inputs/{f.sha256[:2]}/{f.sha256}.sealed"   # its plain sha256, nothing else
        assert f.sha256 == sha256_file(inputs / f.name) and f.size == (inputs / f.name).stat().st_size
        assert sha256_file(copy) != f.sha256 and (inputs / f.name).read_bytes() not in copy.read_bytes()   # sealed
        assert not copy.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)   # read-only
    assert stat.S_IMODE((out / "csbatch-inputs").stat().st_mode) == 0o700   # personal data: owner only
    policy = kept_files(ledger, record.close_id, "policy")
    assert {f.name for f in policy} >= {"pay.yaml", "roles.yaml", "qa/questionnaire.yaml"}
    # the manifest names each kept copy, and the revision: the commit of the (clean) policy repo
    manifest = json.loads((out / "2026-10" / "manifest.json").read_text(encoding="utf-8"))
    assert {i["path"]: i["kept"] for i in manifest["inputs"]} == {f.name: f.stored for f in files}
    assert manifest["policy"]["revision"] == recorded_policy(ledger, "2026-10") == head(CONFIG)
    assert ledger.verify() == ([], ledger.verify()[1])

    restored, issues = restore_inputs(ledger, "2026-10", tmp_path / "again")
    assert issues == [] and restored is not None
    assert sorted(p.name for p in restored.iterdir()) == sorted(f.name for f in files)
    assert all((restored / f.name).read_bytes() == (inputs / f.name).read_bytes() for f in files)
    folder, issues = restore_policy(ledger, "2026-10", CONFIG, tmp_path / "policy")
    assert issues == [] and folder is not None
    assert (folder / "pay.yaml").read_bytes() == (CONFIG / "pay.yaml").read_bytes()
    ledger.close()


def test_the_same_files_are_kept_once_and_a_second_close_adds_no_copy(tmp_path):
    inputs, out = month(tmp_path / "in"), tmp_path / "out"
    assert monthly_close("2026-10", inputs, out, CONFIG).ok
    before = sorted(p for p in (out / "csbatch-inputs").rglob("*") if p.is_file())
    from csbatch.ledger.maintenance import reopen
    assert reopen("2026-10", "check", out / "csbatch-ledger.sqlite")[1] == []
    assert monthly_close("2026-10", inputs, out, CONFIG).ok
    assert sorted(p for p in (out / "csbatch-inputs").rglob("*") if p.is_file()) == before


def test_a_kept_copy_changed_on_disk_is_refused_by_its_hash(tmp_path):
    inputs, out = month(tmp_path / "in"), tmp_path / "out"
    assert monthly_close("2026-10", inputs, out, CONFIG).ok
    ledger = Ledger(out / "csbatch-ledger.sqlite")
    roster = next(f for f in kept_files(ledger, close_of(ledger, "2026-10").close_id)
                  if f.name == "员工名册.xlsx")
    adjustments = next(f for f in kept_files(ledger, close_of(ledger, "2026-10").close_id)
                       if f.name == "其他调整.xlsx")
    copy = out / roster.stored
    copy.chmod(0o600)
    shutil.copyfile(out / adjustments.stored, copy)   # another copy sealed under the same key
    restored, issues = restore_inputs(ledger, "2026-10", tmp_path / "again")
    assert restored is None
    assert [(i.code, str(i.source)) for i in issues] == [("kept.damaged", str(copy))]
    assert "员工名册.xlsx" in issues[0].message and "changed on disk (it opens to other bytes" in issues[0].message
    assert not (tmp_path / "again" / "员工名册.xlsx").exists()   # nothing half-restored is left
    copy.unlink()
    _, issues = restore_inputs(ledger, "2026-10", tmp_path / "again2")
    assert "is missing" in issues[0].message
    # keeping the same file again (the next close of the same roster) repairs the copy
    blobs.keep(ledger.path, inputs / "员工名册.xlsx", roster.sha256, "input", "员工名册.xlsx", "roster")
    assert restore_inputs(ledger, "2026-10", tmp_path / "again3")[1] == []
    ledger.close()


def test_a_file_changed_since_it_was_read_is_not_kept(tmp_path):
    source = tmp_path / "a.csv"
    source.write_bytes(b"x,y\n")
    with pytest.raises(blobs.ChangedWhileRead):
        blobs.keep(tmp_path / "l.sqlite", source, "0" * 64, "input", "a.csv")
    assert [p for p in (tmp_path / "csbatch-inputs").rglob("*") if p.is_file()] == []


def test_a_policy_outside_git_is_recorded_as_a_snapshot_and_restored_from_it(tmp_path):
    config = tmp_path / "loose-config"
    shutil.copytree(CHECKOUT_CONFIG, config)
    inputs, out = month(tmp_path / "in"), tmp_path / "out"
    assert monthly_close("2026-10", inputs, out, config).ok
    ledger = Ledger(out / "csbatch-ledger.sqlite")
    revision = recorded_policy(ledger, "2026-10")
    assert revision is not None and revision.startswith("snapshot:") and len(revision) == len("snapshot:") + 64
    (config / "pay.yaml").write_text("changed afterwards", encoding="utf-8")
    folder, issues = restore_policy(ledger, "2026-10", config, tmp_path / "policy")
    assert issues == [] and folder is not None
    assert (folder / "pay.yaml").read_bytes() == (CHECKOUT_CONFIG / "pay.yaml").read_bytes()
    ledger.close()


def test_a_lost_commit_falls_back_to_the_kept_policy_files(tmp_path):
    inputs, out = month(tmp_path / "in"), tmp_path / "out"
    assert monthly_close("2026-10", inputs, out, CONFIG).ok
    ledger = Ledger(out / "csbatch-ledger.sqlite")
    elsewhere = tmp_path / "clone"
    from conftest import committed_policy
    other = committed_policy(elsewhere)    # another repository: the close's commit is not in it
    folder, issues = restore_policy(ledger, "2026-10", other, tmp_path / "policy")
    assert folder is not None and [i.code for i in issues] == ["kept.policy_copy"]
    assert (folder / "pay.yaml").read_bytes() == (CONFIG / "pay.yaml").read_bytes()
    ledger.close()


def test_a_month_never_closed_has_nothing_to_restore(tmp_path):
    ledger = Ledger(tmp_path / "csbatch-ledger.sqlite")
    assert recorded_policy(ledger, "2026-10") is None
    assert [i.code for i in restore_inputs(ledger, "2026-10", tmp_path / "x")[1]] == ["kept.not_closed"]
    ledger.close()


def test_ledger_lists_closes_and_reopenings_shows_a_month_and_verifies_the_kept_copies(tmp_path):
    from typer.testing import CliRunner

    from csbatch.cli import app
    from csbatch.ledger.maintenance import reopen

    runner = CliRunner(env={"CSBATCH_LANG": "en"})
    inputs, out = month(tmp_path / "in"), tmp_path / "out"
    assert monthly_close("2026-10", inputs, out, CONFIG).ok
    assert reopen("2026-10", "adjustment was wrong", out / "csbatch-ledger.sqlite")[1] == []
    assert monthly_close("2026-10", month(inputs, adjustment=500), out, CONFIG).ok
    ledger = Ledger(out / "csbatch-ledger.sqlite")
    files = kept_files(ledger, close_of(ledger, "2026-10").close_id, "input")
    total = ledger.conn.execute("SELECT amount FROM pay_lines WHERE close_id = ?",
                                (close_of(ledger, "2026-10").close_id,)).fetchall()
    ledger.close()
    from decimal import Decimal
    pay_total = f"{sum(Decimal(a) for (a,) in total):,.2f}"

    listed = runner.invoke(app, ["ledger", "--out", str(out)])
    assert listed.exit_code == 0, listed.output
    lines = [line.split("\t") for line in listed.stdout.splitlines() if line.startswith("2026-10")]
    assert [row[1] for row in lines if len(row) == 8] == ["reopened", "live"]
    live = next(row for row in lines if len(row) == 8 and row[1] == "live")
    assert live[4] == head(CONFIG)[:12] and live[6] == pay_total and "@" in live[3]
    assert live[5] == f"{len(files)}: " + " ".join(f.sha256[:8] for f in files)
    assert any(row[-1] == "adjustment was wrong" for row in lines)

    shown = runner.invoke(app, ["ledger", "show", "2026-10", "--out", str(out)])
    assert shown.exit_code == 0, shown.output
    assert f"policy: {head(CONFIG)}" in shown.stdout
    for f in files:
        assert f"{f.name}\t{f.kinds}\t{f.size:,}\t{f.sha256}\t{f.stored}" in shown.stdout
    assert f"(all)\t{pay_total}" in shown.stdout and "adjustment was wrong" in shown.stdout
    assert runner.invoke(app, ["ledger", "show", "2026-09", "--out", str(out)]).exit_code == 1

    assert runner.invoke(app, ["ledger", "verify", "--out", str(out)]).exit_code == 0
    copy = out / files[0].stored
    copy.chmod(0o600)
    copy.write_bytes(b"edited")
    verified = runner.invoke(app, ["ledger", "verify", "--out", str(out)])
    assert verified.exit_code == 1 and "was changed on disk" in verified.output and files[0].name in verified.output
