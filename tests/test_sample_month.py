"""The committed sample month: clean through `inputs check`, in step with its generator, and every
damage done to a copy of it named cell by cell."""

from __future__ import annotations

import shutil

import openpyxl
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from conftest import CONFIG, SAMPLES
from csbatch.cli import app
from csbatch.samples import generate_month

MONTH = SAMPLES / "2026-10"
runner = CliRunner()


def _check(folder):
    return runner.invoke(app, ["inputs", "check", "2026-10", "--inputs", str(folder), "--config", str(CONFIG)])


def test_committed_sample_is_clean():
    result = _check(MONTH)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip().endswith("错误 0 条，警告 2 条")
    kinds = {line.split("\t")[0] for line in result.stdout.splitlines()[2:]}
    assert kinds == {"roster", "attendance", "leave", "conduct", "recognitions", "sales", "production",
                     "contacts", "complaints", "callbacks", "customers", "redemptions", "audits",
                     "collaboration", "reviews", "adjustments", "submissions", "chat_checks", "shifts",
                     "member_changes", "meetings"}


def _cells(path):
    if path.suffix == ".csv":
        return path.read_bytes()
    wb = CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}


def test_committed_sample_matches_its_generator(policy, tmp_path):
    written = generate_month(policy, "2026-10", tmp_path, employees=21, seed=2026)
    assert sorted(p.name for p in written) == sorted(p.name for p in MONTH.iterdir())
    for path in written:
        assert _cells(path) == _cells(MONTH / path.name), f"{path.name} drifted: run `make samples`"


def test_damaged_copy_names_every_bad_cell(tmp_path):
    damaged = tmp_path / "2026-10"
    shutil.copytree(MONTH, damaged)
    book = damaged / "销售订单_2.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["门店订单"]
    header = [c.value for c in ws[3]]
    col = {name: openpyxl.utils.get_column_letter(header.index(name) + 1) for name in header if name}
    ws[f"{col['成交金额（元）']}4"] = "12,3x"
    ws[f"{col['订单状态']}5"] = "已发货"
    ws[f"{col['工号']}6"] = "9999"
    ws[f"{col['成交日期']}7"] = "2026-13-45"
    ws[f"{col['单号']}8"] = ws[f"{col['单号']}4"].value
    wb.save(book)
    with (damaged / "考勤_2026-10.csv").open("ab") as fh:
        fh.write("客服部,龚薇丹,1001,2026-10-31 25:61,1,指纹\r\n".encode("gbk"))

    result = _check(damaged)
    assert result.exit_code == 1
    errors = [l for l in result.stderr.splitlines() if ": 警告：" not in l][:-1]
    a, s, e, d, o = (col[k] for k in ("成交金额（元）", "订单状态", "工号", "成交日期", "单号"))
    # in Chinese by default: each column by the header the sheet has
    expected = {
        f"销售订单_2.xlsx[门店订单]!{a}4: 列“成交金额（元）”：'12,3x' 不是金额",
        f"销售订单_2.xlsx[门店订单]!{e}6: 列“工号”：“9999”不是员工名册中的员工",
    }
    assert expected <= set(errors), errors
    assert any(l.startswith(f"销售订单_2.xlsx[门店订单]!{s}5: 列“订单状态”：'已发货' 不是有效的值") for l in errors)
    assert any(l.startswith(f"销售订单_2.xlsx[门店订单]!{d}7: 列“成交日期”：'2026-13-45'") for l in errors)
    assert any(l.startswith(f"销售订单_2.xlsx[门店订单]!{o}8: 销售订单：单号“") and "出现了两次" in l for l in errors)
    assert any(l.startswith("考勤_2026-10.csv!D") and "'2026-10-31 25:61'" in l for l in errors)
    assert len(errors) == 6, errors
