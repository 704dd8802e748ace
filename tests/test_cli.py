"""The `csbatch` command: help for every command, the README's tour, exit codes, and output that
names every problem. Runs the real command in a subprocess where the entry point matters."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from pathlib import Path

from typer.main import get_command
from typer.testing import CliRunner

from builders import ROSTER_ROWS, write_attendance, write_roster, write_xlsx
from conftest import CONFIG, ROOT, SAMPLES
from csbatch.cli import app

runner = CliRunner()


def _commands(group, prefix=()):
    for name, cmd in sorted(group.commands.items()):
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, prefix + (name,))
        else:
            yield prefix + (name,), cmd


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = list(_commands(get_command(app)))
    assert {" ".join(p) for p, _ in commands} >= {"policy check", "inputs check", "monthly-close", "sample"}
    for path, cmd in commands:
        assert cmd.help and cmd.help.strip(), f"{' '.join(path)} has no help"
        assert f"csbatch {' '.join(path)}" in readme, f"README does not show `csbatch {' '.join(path)}`"
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output


def test_readme_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```")[1]
    assert "make demo" in first_block and "make test" in first_block


def test_policy_check_through_the_installed_entry_point(tmp_path):
    ok = subprocess.run([Path(sys.executable).with_name("csbatch"), "policy", "check", "--config", str(CONFIG)],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "：策略有效（" in ok.stdout and "张考核表" in ok.stdout     # Chinese by default


def test_policy_check_fails_with_every_problem(policy_copy):
    policy_copy.edit("kpi/ecommerce.yaml", "    weight: 25\n", "    weigth: 25\n")
    policy_copy.edit("bands.yaml", "    - {from: 80%, to: 95%, value: 2}", "    - {from: 80%, to: 96%, value: 2}")
    result = runner.invoke(app, ["policy", "check", "--config", "config"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    # Chinese by default, each problem at its file, line and column
    assert any(re.match(r"config/kpi/ecommerce\.yaml:\d+:\d+: items\[\d\]\.weigth：未知的键 'weigth'（是不是想写 "
                        r"'weight'？）$", l) for l in lines), lines
    assert any(re.match(r"config/kpi/ecommerce\.yaml:\d+:\d+: items\[\d\]\.weight：缺少必填的键 'weight'$", l)
               for l in lines), lines
    assert any(re.match(r"config/bands\.yaml:\d+:\d+: satisfaction_deduction：第 3 档 \[80%, 96%\) 与第 2 档 "
                        r"\[95%, 100%\) 重叠（第 3 档在第 \d+ 行，第 2 档在第 \d+ 行）$", l) for l in lines), lines
    assert lines[-1] == "错误 3 条，警告 0 条"        # the count in the default language
    english = runner.invoke(app, ["--lang", "en", "policy", "check", "--config", "config"]).stderr.splitlines()
    assert any(re.match(r"config/kpi/ecommerce\.yaml:\d+:\d+: items\[\d\]\.weigth: unknown key 'weigth' \(did you "
                        r"mean 'weight'\?\)$", l) for l in english), english
    assert any(re.match(r"config/kpi/ecommerce\.yaml:\d+:\d+: items\[\d\]\.weight: missing required key 'weight'$", l)
               for l in english), english
    assert any(l.startswith("config/bands.yaml:") and "[95%, 100%) overlap (bands #3 on line" in l for l in english)
    assert english[-1] == "3 errors, 0 warnings"


def test_inputs_check_prints_the_table_and_problems(tmp_path):
    write_roster(tmp_path / "in")
    write_xlsx(tmp_path / "in" / "sales.xlsx", {"Sheet1": [["订单号", "下单日期", "客服工号", "客户编号", "实收金额"],
                                                            ["A1", "2026-10-08", "1001", "C1", "¥1,200"]]})
    result = runner.invoke(app, ["inputs", "check", "2026-10", "--inputs", str(tmp_path / "in"),
                                 "--config", str(CONFIG)])
    assert result.exit_code == 0, result.output
    assert "roster\t员工名册.xlsx\tSheet1\t9" in result.stdout
    assert "sales\tsales.xlsx\tSheet1\t1" in result.stdout

    write_xlsx(tmp_path / "in" / "sales.xlsx", {"Sheet1": [["订单号", "下单日期", "客服工号", "客户编号", "实收金额"],
                                                            ["A1", "2026-10-08", "1001", "C1", "12,3x"]]})
    bad = runner.invoke(app, ["inputs", "check", "2026-10", "--inputs", str(tmp_path / "in"),
                              "--config", str(CONFIG)])
    assert bad.exit_code == 1
    # Chinese by default, the column named by the sheet's own header; English on request
    assert "sales.xlsx[Sheet1]!E2: 列“实收金额”：'12,3x' 不是金额" in bad.stderr.splitlines()
    english = runner.invoke(app, ["--lang", "en", "inputs", "check", "2026-10", "--inputs", str(tmp_path / "in"),
                                  "--config", str(CONFIG)])
    assert "sales.xlsx[Sheet1]!E2: column 'amount': '12,3x' is not an amount" in english.stderr.splitlines()


def test_monthly_close_lists_what_it_wrote(tmp_path):
    write_roster(tmp_path / "in")
    write_attendance(tmp_path / "in", [row[0] for row in ROSTER_ROWS])
    result = runner.invoke(app, ["monthly-close", "2026-10", "--inputs", str(tmp_path / "in"),
                                 "--out", str(tmp_path / "out"), "--config", str(CONFIG)])
    assert result.exit_code == 0, result.output
    assert "已结账 2026-10" in result.stdout and "payroll_bonus_2026-10.xlsx" in result.stdout
    assert "data/attendance.csv" not in result.stdout          # the full list only with --verbose
    assert "读取" not in result.stderr                          # per-file progress: a terminal only
    again = runner.invoke(app, ["monthly-close", "2026-10", "--inputs", str(tmp_path / "in"),
                                "--out", str(tmp_path / "out"), "--config", str(CONFIG)])
    assert again.exit_code == 1 and "2026-10 已结账" in again.stderr            # refused, in Chinese


def test_a_close_on_a_terminal_shows_each_file_read_with_its_rows(tmp_path, monkeypatch):
    import io

    from rich.console import Console

    import csbatch.console

    shown = io.StringIO()
    monkeypatch.setattr(csbatch.console, "_err", Console(file=shown, force_terminal=True, color_system=None,
                                                         width=200))
    write_roster(tmp_path / "in")
    write_attendance(tmp_path / "in", [row[0] for row in ROSTER_ROWS])
    result = runner.invoke(app, ["monthly-close", "2026-10", "--inputs", str(tmp_path / "in"),
                                 "--out", str(tmp_path / "out"), "--config", str(CONFIG)])
    assert result.exit_code == 0, result.output
    text = shown.getvalue()
    files = sorted(p.name for p in (tmp_path / "in").iterdir())
    assert "  读取 员工名册.xlsx …" in text
    assert f"  读取 员工名册.xlsx … {len(ROSTER_ROWS)} 行\n" in text
    assert [name for name in files if f"读取 {name} … " in text] == files
    assert text.index("读取 员工名册.xlsx") < text.index("✓ 读取输入")   # the stage in Chinese too


def test_usage_errors_exit_2(tmp_path):
    result = runner.invoke(app, ["monthly-close", "2026-10"])
    assert result.exit_code == 2
    lang = runner.invoke(app, ["monthly-close", "2026-10", "--inputs", str(tmp_path), "--out",
                               str(tmp_path / "o"), "--lang", "fr"])
    assert lang.exit_code == 2


def test_a_bug_is_exit_3_with_a_log_not_a_traceback(tmp_path, monkeypatch):
    import os
    import stat
    import tempfile

    import csbatch.closing.runs

    def broken(*args, **kwargs):
        raise RuntimeError("boom for 11010519900307123X and 110105199003071234")

    monkeypatch.setattr(csbatch.closing.runs, "monthly_close", broken)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    args = ["monthly-close", "2026-10", "--inputs", str(tmp_path), "--out", str(tmp_path / "o"), "--config", str(CONFIG)]
    results = [runner.invoke(app, args) for _ in range(2)]   # two crashes in the same second
    for result in results:
        assert result.exit_code == 3
        assert "Traceback" not in result.output and "意外错误" in result.stderr
    folder = tmp_path / f"csbatch-{os.getuid()}"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    logs = sorted(folder.glob("csbatch-error-*.log"))
    assert len(logs) == 2 and all(str(log) in r.stderr for log, r in zip(logs, sorted(results, key=lambda r: r.stderr)))
    text = logs[0].read_text()
    assert "RuntimeError: boom for **************123X and **************1234" in text
    assert "11010519900307" not in text


def _panel_rows(lines, title):
    """The rows of a help panel (`╭─ Commands ─…╮`), without its borders."""
    start = next((i for i, l in enumerate(lines) if l.startswith(f"╭─ {title} ")), None)
    if start is None:
        return []
    rows = []
    for line in lines[start + 1:]:
        if line.startswith("╰"):
            break
        rows.append(line[2:-2])
    return rows


def _groups(group, prefix=()):
    yield prefix, group
    for name, cmd in sorted(group.commands.items()):
        if hasattr(cmd, "commands"):
            yield from _groups(cmd, prefix + (name,))


def test_help_reads_as_whole_sentences_at_80_columns():
    """Every help page at 80 columns: no line wider, the command's text whole (its first sentence
    intact, no word cut), and in each command list no description line broken before the
    column's end (the docstrings' own line breaks used to show there)."""
    from rich.cells import cell_len

    root = get_command(app)
    pages = [(p, c) for p, c in _commands(root)] + list(_groups(root))
    for path, cmd in pages:
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "80", "TERMINAL_WIDTH": "80"})
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        assert all(cell_len(l) <= 80 for l in lines), f"{' '.join(path)}: a help line is wider than 80"
        usage = next(i for i, l in enumerate(lines) if "Usage:" in l)
        panel = next(i for i, l in enumerate(lines) if l.startswith("╭"))
        shown = " ".join(" ".join(lines[usage + 1:panel]).split())
        wanted = " ".join((cmd.help or "").split())
        assert shown == wanted, f"{' '.join(path)}: help shown as {shown!r}"
        rows = _panel_rows(lines, "Commands")
        if not rows:
            continue
        column = len(rows[0]) - len(rows[0].split("  ", 1)[1].lstrip())   # where descriptions start
        width = len(rows[0])
        listed: dict[str, list[str]] = {}
        for row in rows:
            if row[:column].strip():
                listed[row[:column].strip()] = []
            listed[list(listed)[-1]].append(row[column:].strip())
        for name, described in listed.items():
            first = " ".join((cmd.commands[name].help or "").split()).split(". ")[0]
            assert " ".join(described).startswith(first), f"{' '.join(path)} {name}: first sentence broken"
        for this, following in itertools.pairwise(rows):
            if following[:column].strip():        # the next command's row
                continue
            text = this[column:].rstrip()
            next_word = following[column:].split()[0]
            assert cell_len(text) + 1 + cell_len(next_word) > width - column, \
                f"{' '.join(path)}: {text!r} is broken before {next_word!r}"


def test_version_and_short_help_everywhere():
    version = subprocess.run([Path(sys.executable).with_name("csbatch"), "--version"], capture_output=True, text=True)
    from importlib.metadata import version as installed

    assert version.returncode == 0 and version.stdout.strip() == f"csbatch {installed('csbatch')}"
    for path, _ in _commands(get_command(app)):
        short = runner.invoke(app, [*path, "-h"])
        assert short.exit_code == 0 and "Usage" in short.output, " ".join(path)
    assert "-h" in runner.invoke(app, ["policy", "-h"]).output


def test_a_close_of_the_sample_month_ends_with_its_summary(tmp_path):
    """Through the installed command: the summary's numbers are the published files' numbers."""
    import csv
    import json
    from decimal import Decimal

    csbatch = Path(sys.executable).with_name("csbatch")
    args = [csbatch, "monthly-close", "2026-10", "--inputs", SAMPLES / "2026-10", "--config", CONFIG,
            "--allow-dirty"]
    zh = subprocess.run([*args, "--out", tmp_path / "zh"], capture_output=True, text=True, encoding="utf-8")
    assert zh.returncode == 0, zh.stderr
    month = tmp_path / "zh" / "2026-10"
    with (month / "data" / "payroll.csv").open(encoding="utf-8-sig") as fh:
        gross = sum((Decimal(row["gross_pay"]) for row in csv.DictReader(fh)), Decimal(0))
    counts = json.loads((month / "manifest.json").read_text(encoding="utf-8"))["counts"]
    warnings = json.loads((month / "manifest.json").read_text(encoding="utf-8"))["warnings"]
    out = zh.stdout
    assert (f"员工 {counts['employees']} 人，已考核 {counts['scored']} 人，应发工资合计 ¥{gross:,.2f}，"
            f"VIP 会员 {counts['members']} 人") in out
    assert f"警告 {len(warnings)} 条" in out and "    疑似同一人的客户 ×12" in out   # a kind in words, not its code
    assert "vip.same_person" not in out
    assert f"文件夹：{month}" in out and "    payroll_bonus_2026-10.xlsx" in out
    assert "data/payroll.csv" not in out and "--verbose" in out

    en = subprocess.run([*args, "--out", tmp_path / "en", "--lang", "en", "-v"], capture_output=True,
                        text=True, encoding="utf-8")
    assert en.returncode == 0, en.stderr
    assert f"{counts['employees']} employees, {counts['scored']} rated, gross pay total ¥{gross:,.2f}" in en.stdout
    assert "    data/payroll.csv" in en.stdout and "    vip/" in en.stdout
    assert "    customers that look like the same person ×12" in en.stdout
