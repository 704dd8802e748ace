"""Issue 12: every sheet of every workbook prints — A4, one page wide, landscape when wide, the
header rows and 工号/姓名 repeated, the company and period above, page numbers below — read back
with openpyxl, then proven on paper: one close of the sample month and its blank input templates,
converted to PDF by headless LibreOffice in one call (skipped, saying why, where it is missing:
`make test` installs it where it can), each sheet's page count within a bound set by its rows and
no `###` anywhere."""

from __future__ import annotations

import math
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from conftest import CONFIG
from csbatch.policy import load_policy
from csbatch.reports.input_templates import write_input_templates
from csbatch.reports.tables import Col, Table
from csbatch.reports.workbook import PORTRAIT_WIDTH, Workbook

PERIOD = "2026-10"
#: Rows a page holds at the least (a sheet fitted to one page wide is scaled down, never up):
#: a sheet of n rows prints on at most ceil(n / this) pages — more means columns spilled over.
ROWS_PER_PAGE = 20


@pytest.fixture(scope="module")
def books(sample_close, tmp_path_factory) -> tuple[Path, list[Path]]:
    """(the month's folder, workbooks): the sample close's four workbooks and the blank templates."""
    month, root = sample_close, tmp_path_factory.mktemp("print")
    policy, issues = load_policy(CONFIG)
    assert policy is not None, issues
    templates, issues = write_input_templates(policy, root / "templates")
    assert templates and not issues
    return month, sorted(month.glob("*.xlsx")) + templates


@pytest.fixture(scope="module")
def company():
    policy, _ = load_policy(CONFIG)
    assert policy is not None and policy.company.shown
    return policy.company.shown


def _width(ws) -> float:
    """The sheet's columns' widths as set (the file stores each with 5 px of padding: +0.71)."""
    widths = {c: d.width - 0.7109375 for d in ws.column_dimensions.values() if d.width and d.min
              for c in range(d.min, d.max + 1)}
    return sum(widths.get(c, 8.43) for c in range(1, ws.max_column + 1))


def test_every_sheet_has_a_print_setup(books, company):
    _, paths = books
    assert {p.name for p in paths} >= {f"{n}_{PERIOD}.xlsx" for n in
                                        ("payroll_bonus", "kpi_scorecards", "audit_report", "vip_statements")}
    for path in paths:
        templates = not path.name.endswith(f"{PERIOD}.xlsx")
        for ws in openpyxl.load_workbook(path):
            where = f"{path.name} / {ws.title}"
            setup = ws.page_setup
            assert setup.paperSize == 9, where                                        # A4
            assert ws.sheet_properties.pageSetUpPr.fitToPage, where
            assert (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0), where         # one page wide (1: the default)
            wide = _width(ws) > PORTRAIT_WIDTH
            if ws.title not in ("工资条", "图表"):                                      # they declare theirs
                assert setup.orientation == ("landscape" if wide else "portrait"), where
            header = ws.oddHeader
            assert header.left.text == company and header.center.text == "&A", where
            assert (header.right.text or "") == ("" if templates else PERIOD), where
            assert ws.oddFooter.center.text == "第 &P 页 / 共 &N 页", where
            first = [c.value for c in ws[1]]
            if templates or ws.title in ("工资条", "图表", "班组汇总"):
                continue        # no one header row to repeat: 说明, strips, charts, a block per scorecard
            assert ws.print_title_rows == "$1:$1", where                                # the header row
            if first[:2] == ["工号", "姓名"]:
                assert ws.print_title_cols == "$A:$B", where
            elif first[:1] == ["工号"]:
                assert ws.print_title_cols == "$A:$A", where


def test_payroll_repeats_its_keys_and_kpi_shows_rates_and_coefficients(books):
    month, _ = books
    payroll = openpyxl.load_workbook(month / f"payroll_bonus_{PERIOD}.xlsx")
    ws = payroll["工资奖金明细"]
    assert ws.print_title_rows == "$1:$1" and ws.print_title_cols == "$A:$B"
    assert payroll["工资条"].print_title_rows is None          # each strip carries its own header
    kpi = openpyxl.load_workbook(month / f"kpi_scorecards_{PERIOD}.xlsx")
    card = kpi["邀约客服绩效考核表"]
    head = {c.value: c.column for c in card[1]}
    rate = card.cell(2, head["邀约成功率（测量值）"])
    assert 0 < rate.value < 1 and rate.number_format == "0.00%"     # measured rates: two decimals of %
    card = kpi["网购客服绩效考核表"]
    head = {c.value: c.column for c in card[1]}
    multipliers = [card.cell(r, head["系数"]) for r in range(2, card.max_row + 1)]
    assert any(round(m.value, 2) != m.value for m in multipliers)          # 0.9356: four places used …
    for m in multipliers:                                                  # … and shown, each to its own places
        shown = len(m.number_format.partition(".")[2])
        assert round(m.value, shown) == m.value, (m.value, m.number_format)
    assert "0.0000" in {m.number_format for m in multipliers}
    assert "¥" in card.cell(2, head["销售业绩（测量值）"]).number_format


def test_english_footer_and_a_wide_sheet_lands_landscape(tmp_path):
    import pandas as pd

    table = Table("t", "Wide", tuple(Col(f"c{i}", "text", f"column {i}") for i in range(12)))
    frame = pd.DataFrame([{f"c{i}": "x" * 15 for i in range(12)}])
    book = Workbook(tmp_path / "w.xlsx", "en", company="A & B Ltd", period=PERIOD)
    book.add_table_sheet(table, frame, "en")
    ws = openpyxl.load_workbook(book.close())["Wide"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.oddFooter.center.text == "page &P of &N"
    assert ws.oddHeader.left.text == "A && B Ltd"             # & doubled: not a header code
    assert ws.print_title_cols is None                        # no 工号/姓名 to repeat


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice not installed: `make test` installs libreoffice-calc where it can (root + apt-get)")
    return exe


@pytest.fixture(scope="module")
def pdfs(books, tmp_path_factory) -> dict[Path, Path]:
    """Each workbook → its PDF, all converted by one LibreOffice run."""
    exe = _soffice()
    _, paths = books
    out = tmp_path_factory.mktemp("pdf")
    profile = (out / "profile").as_uri()          # its own profile: no clash with a running LibreOffice
    run = subprocess.run([exe, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                          "--outdir", str(out), *map(str, paths)], capture_output=True, text=True, timeout=600)
    made = {p: out / f"{p.stem}.pdf" for p in paths}
    if not any(pdf.exists() for pdf in made.values()):
        pytest.skip(f"LibreOffice could not convert here (exit {run.returncode}): {run.stderr.strip()[:300]}")
    return made


def test_workbooks_print_one_page_wide_without_hashes(books, pdfs, company):
    for path, pdf in pdfs.items():
        assert pdf.exists(), f"{path.name} was not converted"
        pages = [p.extract_text() for p in PdfReader(pdf).pages]
        text = "\n".join(pages)
        assert "###" not in text, f"{path.name}: a column too narrow for its value"
        period = "" if not path.name.endswith(f"{PERIOD}.xlsx") else f" {PERIOD}"
        firsts = [p.splitlines()[0].strip() if p.strip() else "" for p in pages]
        for ws in openpyxl.load_workbook(path):
            printed = sum(1 for f in firsts if f == f"{company} {ws.title}{period}")
            bound = max(1, math.ceil(ws.max_row / ROWS_PER_PAGE))
            assert 1 <= printed <= bound, f"{path.name} / {ws.title}: {printed} pages for {ws.max_row} rows"
        assert all(f"第 {n} 页 / 共 {len(pages)} 页" in page for n, page in enumerate(pages, start=1)), path.name


def test_close_workbooks_print_within_bounds(pdfs):
    """The issue's counts before: payroll 11 pages, KPI 30, audit 24."""
    counts = {p.name.split(f"_{PERIOD}")[0]: len(PdfReader(pdf).pages) for p, pdf in pdfs.items()
              if p.name.endswith(f"{PERIOD}.xlsx")}
    assert counts["payroll_bonus"] <= 9
    assert counts["kpi_scorecards"] <= 8
    # 14 sheets a page each, but 时限检查 holds issue 13's recurring duties: 239 deadline items (26 in
    # the sample before), 7 landscape pages at one page wide, so 13 + 7
    assert counts["audit_report"] <= 20
    assert counts["vip_statements"] <= 5
