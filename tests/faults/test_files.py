"""Issue 9, files and rows of input workbooks: each test damages a real file of the sample month
(or writes one) and closes through the CLI.

Zip bombs, symlinks and FIFOs, .ods read, files that are not what their name says, merged cells,
hidden rows, over-long text, note rows under the data, CSVs in Big5 or UTF-16.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import zipfile
from contextlib import contextmanager
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
from harness import CONFIG, PERIOD, Closer, cli, column_of, edit_sheet, sample_month


class PolicyCloser(Closer):
    """A Closer with its own copy of the policy, edited by the test."""

    def __init__(self, tmp_path: Path, edit: dict[str, str]):
        super().__init__(tmp_path)
        self.config = tmp_path / "config"
        shutil.copytree(CONFIG, self.config)
        path = self.config / "inputs.yaml"
        text = path.read_text(encoding="utf-8")
        for old, new in edit.items():
            assert old in text
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")

    def close(self, inputs: Path, period: str = PERIOD, *extra):
        return cli("monthly-close", period, "--inputs", inputs, "--out", self.out, "--config", self.config, *extra)


@contextmanager
def deadline(seconds: int):
    """Fail (rather than hang the suite) when the block takes longer than `seconds`."""
    def expired(*_):
        raise AssertionError(f"still running after {seconds} s: a file was opened that blocks")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _rewrite_zip(path: Path, replace: dict[str, bytes]) -> None:
    """Write the workbook again with some parts replaced (deflated like Excel does)."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    parts.update(replace)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


# --- 1. zip bombs ----------------------------------------------------------------------------------

def test_zip_bomb_part_is_refused_from_the_zip_directory(tmp_path):
    """A sheet part padded with 30 MB of blanks: valid XML, stored in ~30 KB (1000×)."""
    inputs = sample_month(tmp_path)
    book = inputs / "销售订单_1.xlsx"
    with zipfile.ZipFile(book) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    padded = sheet.replace(b"</worksheet>", b" " * (30 << 20) + b"</worksheet>")
    _rewrite_zip(book, {"xl/worksheets/sheet1.xml": padded})
    assert book.stat().st_size < 1 << 20
    Closer(tmp_path).refused(inputs, "销售订单_1.xlsx: part xl/worksheets/sheet1.xml would inflate",
                             "over the limit of 200×", "zip bomb")


def test_workbook_over_the_size_limit_is_refused(tmp_path):
    inputs = sample_month(tmp_path)
    closer = PolicyCloser(tmp_path, {"workbook_uncompressed_mb: 1024": "workbook_uncompressed_mb: 0.1"})
    closer.refused(inputs, "客户档案.xlsx: would inflate to", "over the limit of 0 MB",
                   "limits.workbook_uncompressed_mb")


# --- 2. symlinks, FIFOs, devices -------------------------------------------------------------------

def test_symlinks_and_fifos_are_refused_unopened(tmp_path):
    inputs = sample_month(tmp_path)
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    # a link to a FIFO outside the folder: following it would block the close for ever
    (inputs / "奖惩记录.xlsx").symlink_to(pipe)
    (inputs / "请假_2026-10.xlsx").symlink_to(inputs / "其他调整_2026-10.xlsx")
    os.mkfifo(inputs / "行为规范记录.csv")
    with deadline(60):
        Closer(tmp_path).refused(inputs, "奖惩记录.xlsx: is a symbolic link, not a file: not opened",
                                 "请假_2026-10.xlsx: is a symbolic link",
                                 "行为规范记录.csv: is a named pipe (FIFO), not a file")


# --- 3. .ods (and .xls, .xlsb) read ----------------------------------------------------------------

def _ods_cell(value, attrs: str = "") -> str:
    if attrs == "covered":
        return "<table:covered-table-cell/>"
    if value is None:
        return f"<table:table-cell{attrs}/>"
    if isinstance(value, (int, float)):
        return (f'<table:table-cell{attrs} office:value-type="float" office:value="{value}">'
                f'<text:p>{value}</text:p></table:table-cell>')
    return f'<table:table-cell{attrs} office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def write_ods(path: Path, sheet: str, rows: list[list], *, cells: dict[tuple[int, int], str] | None = None,
              row_attrs: dict[int, str] | None = None) -> Path:
    """A minimal valid OpenDocument spreadsheet (mimetype, manifest, content), as LibreOffice's
    format defines it; no writer for .ods is installed here. `cells` adds attributes to cells
    (0-based row, column), or "covered" for a cell under a merge; `row_attrs` to rows."""
    cells, row_attrs = cells or {}, row_attrs or {}
    body = "".join(f"<table:table-row{row_attrs.get(i, '')}>"
                   + "".join(_ods_cell(v, cells.get((i, j), "")) for j, v in enumerate(row))
                   + "</table:table-row>" for i, row in enumerate(rows))
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="{escape(sheet)}">{body}'
               '</table:table></office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def test_ods_workbook_is_read(tmp_path):
    """The supervisors' reviews saved from LibreOffice as .ods close like the .xlsx. (.xlsb is read
    by the same calamine call; no writer for it exists to test with.)"""
    inputs = sample_month(tmp_path)
    book = inputs / "主管评分_2026-10.xlsx"
    ws = openpyxl.load_workbook(book).worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    book.unlink()
    write_ods(inputs / "主管评分_2026-10.ods", ws.title, rows)
    manifest = Closer(tmp_path).warned(inputs)
    read = {r["path"]: r for r in manifest["inputs"]}
    assert read["主管评分_2026-10.ods"]["kind"] == "reviews"
    assert read["主管评分_2026-10.ods"]["rows"] == len(rows) - 1


def test_xls_workbook_gets_the_same_cell_traps(tmp_path):
    """An Excel 97 .xls export is read by the same calamine call and checked by the same cell
    rules: a date serial of 59 and money with three decimals are errors naming the .xls cells."""
    xlwt = pytest.importorskip("xlwt", reason="xlwt writes the .xls (a test extra)")
    inputs = sample_month(tmp_path)
    book = inputs / "销售订单_1.xlsx"
    ws = openpyxl.load_workbook(book)["网店订单"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    date_col, money_col = rows[0].index("下单日期"), rows[0].index("实收金额")
    book.unlink()
    rows[1][date_col] = 59
    rows[2][money_col] = 1797.123
    out = xlwt.Workbook()
    sheet = out.add_sheet("网店订单")
    when = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm:ss")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, (dt.datetime, dt.date)):
                sheet.write(r, c, value, when)
            elif value is not None:
                sheet.write(r, c, value)
    out.save(str(inputs / "销售订单_1.xls"))
    d, m = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[date_col], "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[money_col]
    Closer(tmp_path).refused(
        inputs, f"销售订单_1.xls[网店订单]!{d}2: column 'order_date': '59' is before 1900-03-01",
        f"销售订单_1.xls[网店订单]!{m}3: column 'amount': '1797.123'")


def test_ods_merges_and_hidden_rows_are_checked_too(tmp_path):
    inputs = sample_month(tmp_path)
    book = inputs / "主管评分_2026-10.xlsx"
    ws = openpyxl.load_workbook(book).worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    book.unlink()
    # 沟通技巧 (column C) merged over the three reviews, the second review's row hidden
    write_ods(inputs / "主管评分_2026-10.ods", ws.title, rows,
              cells={(1, 2): ' table:number-rows-spanned="3"', (2, 2): "covered", (3, 2): "covered"},
              row_attrs={2: ' table:visibility="collapse"'})
    run = Closer(tmp_path).refused(
        inputs, "主管评分_2026-10.ods[主管评分]!C2:C4: merged cells in the data (column 'communication')")
    assert "主管评分_2026-10.ods[主管评分]: warning: row 3 is hidden" in run.stderr


# --- 4. not what the name says ---------------------------------------------------------------------

def _encrypted(path: Path) -> None:
    msoffcrypto = pytest.importorskip("msoffcrypto", reason="msoffcrypto-tool writes the encrypted workbook")
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = path.read_bytes()
    with open(path.with_suffix(".plain"), "wb") as fh:
        fh.write(plain)
    with open(path.with_suffix(".plain"), "rb") as src, open(path, "wb") as out:
        OOXMLFile(src).encrypt("secret", out)
    path.with_suffix(".plain").unlink()
    assert msoffcrypto is not None and path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"


@pytest.mark.parametrize("what, make, needles", [
    ("html", lambda p: p.write_text("<html><head><meta charset='utf-8'></head><body><table><tr><td>订单号"
                                    "</td></tr></table></body></html>", encoding="utf-8"),
     ("销售订单_1.xlsx: is a web page (HTML), not a workbook", "save it as Excel Workbook (.xlsx)")),
    ("csv", lambda p: p.write_text("订单号,下单日期,客服工号\nA1,2026-10-08,1001\n", encoding="utf-8"),
     ("销售订单_1.xlsx: is CSV text, not a workbook", "rename it to .csv", "save it as Excel Workbook (.xlsx)")),
    ("text", lambda p: p.write_text("十月的订单见附件\n", encoding="utf-8"),
     ("销售订单_1.xlsx: is plain text, not a workbook",)),
    ("ods", lambda p: write_ods(p, "Sheet1", [["订单号"], ["A1"]]),
     ("销售订单_1.xlsx: is an OpenDocument spreadsheet named .xlsx: rename it to .ods",)),
    ("encrypted", _encrypted,
     ("销售订单_1.xlsx: is protected with a password (encrypted)", "remove the password", "save it as .xlsx")),
])
def test_file_that_is_not_a_workbook_says_what_it_is(tmp_path, what, make, needles):
    inputs = sample_month(tmp_path)
    make(inputs / "销售订单_1.xlsx")
    run = Closer(tmp_path).refused(inputs, *needles)
    assert "Zip" not in run.stderr


# --- 5. merged cells -------------------------------------------------------------------------------

def test_merged_flag_cells_in_the_data_are_an_error(tmp_path):
    inputs = sample_month(tmp_path)

    def merge(ws):
        col = openpyxl.utils.get_column_letter(column_of(ws, "重点促销"))
        ws.merge_cells(f"{col}5:{col}9")
    edit_sheet(inputs / "销售订单_1.xlsx", merge, "网店订单")
    Closer(tmp_path).refused(inputs, "销售订单_1.xlsx[网店订单]!K5:K9: merged cells in the data (column 'promo')",
                             "fill_down: true")


def test_merged_team_of_audited_agents_is_an_error_not_a_crash(tmp_path):
    inputs = sample_month(tmp_path)

    def merge(ws):
        col = openpyxl.utils.get_column_letter(column_of(ws, "班组"))
        ws.merge_cells(f"{col}2:{col}6")
    edit_sheet(inputs / "员工名册.xlsx", merge)
    run = Closer(tmp_path).refused(inputs, "员工名册.xlsx[花名册]!D2:D6: merged cells in the data (column 'team')")
    assert "bug" not in run.stderr


def test_merged_team_fills_down_when_the_column_says_so(tmp_path):
    from csbatch.policy import load_policy
    from csbatch.sheets.intake import read_inputs

    inputs = sample_month(tmp_path)

    def merge(ws):
        col = openpyxl.utils.get_column_letter(column_of(ws, "班组"))
        ws[f"{col}4"] = "飞鹰组"
        ws.merge_cells(f"{col}4:{col}6")   # agents 1003–1005 in one team, typed once
    edit_sheet(inputs / "员工名册.xlsx", merge)
    closer = PolicyCloser(tmp_path, {"team:          {type: text, aliases: [班组, 小组]}":
                                     "team:          {type: text, fill_down: true, aliases: [班组, 小组]}"})
    policy, _ = load_policy(closer.config)
    month, issues = read_inputs(policy, PERIOD, inputs)
    assert month is not None, [str(i) for i in issues if i.is_error]
    roster = month["roster"].set_index("employee_id")
    assert list(roster.loc[["1003", "1004", "1005"], "team"]) == ["飞鹰组"] * 3
    closer.warned(inputs)


def test_blank_team_of_audited_agents_closes(tmp_path):
    """The roster's team column is optional: agents audited this month without a team are reported
    as "no team", not a crash in the audit's team table."""
    inputs = sample_month(tmp_path)

    def blank(ws):
        col = column_of(ws, "班组")
        for r in (4, 5, 6):
            ws.cell(r, col).value = None
    edit_sheet(inputs / "员工名册.xlsx", blank)
    Closer(tmp_path).warned(inputs)


def _order_rows(inputs: Path) -> int:
    """The sample's online orders: the rows of 网店订单 under its header row (every one an order)."""
    ws = openpyxl.load_workbook(inputs / "销售订单_1.xlsx", read_only=True)["网店订单"]
    values = list(ws.iter_rows(min_row=2, values_only=True))
    assert values and all(row[0] for row in values), "a blank or note row in the sample's orders"
    return len(values)


# --- 6. hidden and filtered-out rows ---------------------------------------------------------------

def test_hidden_and_filtered_rows_are_a_warning_and_still_counted(tmp_path):
    inputs = sample_month(tmp_path)

    def hide(ws):
        for r in (4, 7, 8, 9, 10, 11, 12):
            ws.row_dimensions[r].hidden = True
        ws.auto_filter.ref = f"A1:L{ws.max_row}"
    orders = _order_rows(inputs)
    edit_sheet(inputs / "销售订单_1.xlsx", hide, "网店订单")
    manifest = Closer(tmp_path).warned(
        inputs, "销售订单_1.xlsx[网店订单]: warning: rows 4, 7, 8, 9, 10 and 2 more, 7 in all are hidden "
                "or filtered out by the sheet's autofilter", "read and counted like every other row")
    rows = {r["path"]: r["rows"] for r in manifest["inputs"]}
    assert rows["销售订单_1.xlsx"] == orders


# --- 7. text too long for a workbook ---------------------------------------------------------------

def test_text_over_excels_cell_limit_is_an_error(tmp_path):
    """openpyxl itself cuts text at 32,767 characters, so the long text goes into the sheet XML
    directly, as another program would write it."""
    inputs = sample_month(tmp_path)
    book = inputs / "客户档案.xlsx"
    edit_sheet(book, lambda ws: setattr(ws.cell(3, column_of(ws, "地址")), "value", "LONGTEXT"))
    with zipfile.ZipFile(book) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    assert b"LONGTEXT" in sheet
    _rewrite_zip(book, {"xl/worksheets/sheet1.xml": sheet.replace(b"LONGTEXT", ("北京市朝阳区" * 6000).encode())})
    Closer(tmp_path).refused(inputs, "客户档案.xlsx[会员资料]!I3: column 'address': text of 36,000 "
                                                  "characters", "over Excel's limit of 32,767")


# --- 8. a note row under the data ------------------------------------------------------------------

def test_trailing_note_row_is_a_warning_not_a_row(tmp_path):
    inputs = sample_month(tmp_path)

    def note(ws):
        last = ws.max_row
        ws.cell(last + 2, 1).value = "注：本表由客服部制作，金额单位为元，仅供内部核算使用"
    orders = _order_rows(inputs)
    edit_sheet(inputs / "销售订单_1.xlsx", note, "网店订单")
    # the note goes two rows under the last order (a header row, then the orders)
    run_manifest = Closer(tmp_path).warned(
        inputs, f"销售订单_1.xlsx[网店订单]!A{orders + 3}: warning: note row ignored", "注：本表由客服部制作")
    rows = {r["path"]: r["rows"] for r in run_manifest["inputs"]}
    assert rows["销售订单_1.xlsx"] == orders


# --- 9. CSV neither UTF-8 nor GBK ------------------------------------------------------------------

TRADITIONAL_ROSTER = [
    "工號,姓名,崗位,班組,入職日期,底薪",
    "1001,張偉,電商客服,一組,2024-03-01,2200",
    "1002,陳國華,電商客服,一組,2023-07-15,2300",
    "1003,黃麗雲,諮詢客服,二組,2025-01-06,2100",
    "1004,劉曉東,諮詢客服,二組,2022-11-20,2400",
]


def test_big5_roster_csv_is_an_error_naming_the_encoding(tmp_path):
    inputs = sample_month(tmp_path)
    (inputs / "员工名册.xlsx").unlink()
    (inputs / "员工名册.csv").write_bytes("\r\n".join(TRADITIONAL_ROSTER).encode("big5"))
    Closer(tmp_path).refused(inputs, "员工名册.csv: is encoded as Big5 (traditional Chinese), not UTF-8 or "
                                     "GBK/GB18030", "save it again as CSV UTF-8")


def test_utf16_attendance_csv_is_an_error(tmp_path):
    inputs = sample_month(tmp_path)
    path = inputs / "考勤_2026-10.csv"
    path.write_bytes(path.read_text(encoding="gb18030").encode("utf-16"))
    Closer(tmp_path).refused(inputs, "考勤_2026-10.csv: is UTF-16 text", "save it again as CSV UTF-8")



# --- smaller checks of the same mechanisms ---------------------------------------------------------

def test_gbk_csv_with_traditional_characters_still_reads():
    """GBK holds traditional characters too: only bytes that are not plausible GBK are refused."""
    from csbatch.sheets.read import decode_text

    text = "工號,姓名,班组\r\n1001,張偉,飞鹰组\r\n1002,陳國華,星辰组\r\n"
    assert decode_text(text.encode("gbk")) == (text, "gb18030")
    assert decode_text(text.encode("utf-8-sig")) == (text, "utf-8")


def test_utf16_without_bom_is_named():
    from csbatch.sheets.read import ReadError, decode_text

    with pytest.raises(ReadError, match="UTF-16"):
        decode_text("工号,姓名\r\n1001,张伟\r\n".encode("utf-16-le"))


def test_title_merges_id_like_last_rows_and_hidden_title_rows_are_data_as_before(policy, tmp_path):
    """A merged title above the header and a hidden title row say nothing; a last row holding only
    an order number is a data row (its empty required cells are reported), not a note."""
    from builders import write_roster
    from csbatch.sheets.intake import read_inputs

    write_roster(tmp_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2026年10月 销售订单"])
    ws.merge_cells("A1:E1")
    ws.row_dimensions[1].hidden = True
    ws.append(["订单号", "下单日期", "客服工号", "客户编号", "实收金额"])
    ws.append(["A1", "2026-10-08", "1001", "C1", 100])
    ws.append(["A2"])
    wb.save(tmp_path / "销售订单.xlsx")
    _, issues = read_inputs(policy, PERIOD, tmp_path)
    text = [str(i) for i in issues]
    assert not any("merged" in t or "hidden" in t or "note row" in t for t in text), text
    assert any("销售订单.xlsx[Sheet]!B4" in t and "required" in t for t in text), text


def test_zip_limits_are_bounded_in_the_policy(tmp_path):
    closer = PolicyCloser(tmp_path, {"workbook_compression_ratio: 200 ": "workbook_compression_ratio: 5   "})
    run = cli("policy", "check", "--config", closer.config)
    assert run.exit_code == 1
    assert "inputs.yaml:" in run.output and "limits.workbook_compression_ratio" in run.output


def test_damaged_sheet_part_is_an_error_not_a_crash(tmp_path):
    """A workbook whose sheet part's compressed bytes were damaged (a broken download)."""
    inputs = sample_month(tmp_path)
    book = inputs / "主管评分_2026-10.xlsx"
    data = bytearray(book.read_bytes())
    with zipfile.ZipFile(book) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 5, start + min(info.compress_size, 200)):
        data[i] ^= 0x5A
    book.write_bytes(bytes(data))
    run = Closer(tmp_path).refused(inputs, "主管评分_2026-10.xlsx")
    assert "bug" not in run.output
