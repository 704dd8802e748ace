"""What the ledger's checks and `explain` of a closed month say is said in the reader's language
whole: the pieces built inside a message (which table and close changed, why a kept copy cannot be
used, which policy revision a close used) came out in English inside a Chinese sentence. The
month is closed through the CLI (in English, as every fault test), the ledger and its kept copies
are damaged for real, and the commands are run again in Chinese, the default."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from harness import CONFIG, PERIOD
from test_ledger_integrity import closed, closed_october  # noqa: F401  (fixtures: the sample month closed)
from typer.testing import CliRunner

#: English words a Chinese message must not hold (paths, codes and ids are ASCII, but not these)
ENGLISH = re.compile(r"\b(?:table|rows?|close|changed|outside|kept|copy|missing|explained|commit|"
                     r"snapshot|recorded|found|differ)\b")


def _zh(*args: str | Path):
    from csbatch.cli import app

    result = CliRunner(env={"CSBATCH_LANG": "zh"}).invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def _english_in(text: str, *places: str) -> list[str]:
    """The English words left in `text` once the places (paths, ids) are taken out."""
    for place in places:
        text = text.replace(place, "")
    return ENGLISH.findall(text)


def test_a_changed_table_is_named_in_chinese(closed):  # noqa: F811
    closed, _ = closed
    conn = sqlite3.connect(closed.ledger)
    conn.execute("UPDATE vip_points SET points = points + 1000 WHERE rowid = (SELECT MIN(rowid) FROM vip_points)")
    conn.commit()
    conn.close()
    code, _, err = _zh("ledger", "verify", "--out", closed.out)
    assert code == 1, err
    line, = [x for x in err.splitlines() if "vip_points" in x]
    assert f"表 vip_points，{PERIOD}：结账 " in line and "在 vip_points 表中的行在 csbatch 之外被改动（" in line, line
    assert "行与记录的不同）" in line, line
    assert _english_in(line, str(closed.ledger)) == [], line


def _missing(copy: Path) -> None:
    copy.unlink()


def _changed(copy: Path) -> None:
    copy.write_bytes(copy.read_bytes()[:-8] + b"AAAAAAAA")


@pytest.mark.parametrize(("damage", "said"), [(_missing, "不见了"), (_changed, "在磁盘上被改动了")])
def test_a_damaged_kept_copy_is_said_in_chinese(closed, damage, said):  # noqa: F811
    closed, _ = closed
    copy = sorted(p for p in (closed.out / "csbatch-inputs").rglob("*") if p.is_file())[0]
    damage(copy)
    code, _, err = _zh("ledger", "verify", "--out", closed.out)
    assert code == 1, err
    stored = copy.relative_to(closed.out).as_posix()
    line, = [x for x in err.splitlines() if f"它保存的副本 {stored} {said}" in x]
    assert _english_in(line, str(copy), stored) == [], line


def test_explain_of_a_closed_month_says_where_it_reads_in_chinese(closed):  # noqa: F811
    closed, _ = closed
    code, out, err = _zh("explain", "1006", PERIOD, "--out", closed.out, "--config", CONFIG)
    assert code == 0, err
    note, = [x for x in err.splitlines() if x.startswith(f"{PERIOD} 已结账（")]
    assert "按结账时保存的 19 个输入文件和当时的策略（" in note and "提交 " in note, note
    assert _english_in(note) == [], note
    assert "1006" in out


def test_inputs_that_differ_from_the_kept_ones_are_listed_in_chinese(closed, tmp_path):  # noqa: F811
    closed, inputs = closed
    given = shutil.copytree(inputs, tmp_path / "given")
    (given / "其他调整_2026-10.xlsx").unlink()
    (given / "考勤_2026-10.csv").write_bytes((given / "考勤_2026-10.csv").read_bytes() + b"\n")
    (given / "备注.csv").write_text("x\n", encoding="utf-8")
    code, _, err = _zh("explain", "1006", PERIOD, "--out", closed.out, "--inputs", given, "--config", CONFIG)
    assert code == 0, err
    line, = [x for x in err.splitlines() if "（缺少 其他调整_2026-10.xlsx；" in x]
    assert "；考勤_2026-10.csv 已改动；备注.csv 结账时未读取）" in line, line
    assert _english_in(line, str(given)) == [], line
