"""Issue 9, cells: cell values that would pay or score wrong, message floods and personal data.

Each test damages a real copy of the sample month and closes it through the CLI: an error names
the cell, publishes nothing and leaves the ledger byte-identical; a warning is printed and kept in
the manifest. A few smaller tests check the flood rule itself on issues.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
import typer
from harness import Closer, column_of, edit_sheet, sample_month
from openpyxl.utils import get_column_letter

from csbatch.cli import _guarded
from csbatch.errors import Issue, Severity, Source
from csbatch.idnumbers import check_characters
from csbatch.sheets.floods import collapse, column_issues

SALES = "销售订单_1.xlsx"
SALES_SHEET = "网店订单"
ROSTER = "员工名册.xlsx"


def _refused(tmp_path, inputs, *needles):
    """`Closer.refused` on a fresh `--out`: the refusal leaves no folder, ledger or key behind."""
    return Closer(tmp_path).refused(inputs, *needles)


def _column(path, header, sheet=None) -> str:
    """The letter of the column headed `header`."""
    wb = openpyxl.load_workbook(path)
    return get_column_letter(column_of(wb[sheet] if sheet else wb.worksheets[0], header))


# -- 1. date serials of 60 or less ------------------------------------------------------------------

def test_date_serial_60_or_less_is_an_error(tmp_path):
    inputs = sample_month(tmp_path)

    def damage(ws):
        col = column_of(ws, "下单日期")
        ws.cell(2, col).value = 60                    # Excel's phantom 1900-02-29, date-formatted
        ws.cell(2, col).number_format = "yyyy/m/d"
        ws.cell(3, col).value = 59                    # 1900-02-28 as a plain number
        ws.cell(3, col).number_format = "General"
    edit_sheet(inputs / SALES, damage, SALES_SHEET)
    b = _column(inputs / SALES, "下单日期", SALES_SHEET)
    _refused(
        tmp_path, inputs,
        f"{SALES}[{SALES_SHEET}]!{b}2: column 'order_date': '1900-02-28' is before 1900-03-01 "
        "(an Excel date serial of 60 or less)",
        f"{SALES}[{SALES_SHEET}]!{b}3: column 'order_date': '59' is before 1900-03-01")


# -- 2. money with more than two decimals -----------------------------------------------------------

def test_money_with_more_than_two_decimals_is_an_error(tmp_path):
    inputs = sample_month(tmp_path)
    edit_sheet(inputs / SALES, lambda ws: ws.cell(2, column_of(ws, "实收金额")).__setattr__("value", 1797.123),
               SALES_SHEET)
    f = _column(inputs / SALES, "实收金额", SALES_SHEET)
    _refused(
        tmp_path, inputs, f"{SALES}[{SALES_SHEET}]!{f}2: column 'amount': '1797.123' has more than two "
                "decimals: an amount is whole cents (fen)")


def test_money_float_noise_closes_as_the_cent(tmp_path):
    """1797.1200000000001 is what a formula or script makes of ¥1,797.12: the same pay as the
    clean month, to the byte."""
    clean = Closer(tmp_path / "clean")
    assert clean.close(sample_month(tmp_path, "clean_in")).exit_code == 0
    inputs = sample_month(tmp_path)

    def noise(ws):
        col = column_of(ws, "实收金额")
        for row in range(2, 12):
            cell = ws.cell(row, col)
            if isinstance(cell.value, (int, float)):
                cell.value = float(cell.value) + 1e-10
    edit_sheet(inputs / SALES, noise, SALES_SHEET)
    noisy = Closer(tmp_path)
    run = noisy.close(inputs)
    assert run.exit_code == 0, run.output
    assert "decimals" not in run.output
    for name in ("payroll.csv", "payroll_components.csv", "order_splits.csv"):
        assert (noisy.out / "2026-10" / "data" / name).read_bytes() == \
            (clean.out / "2026-10" / "data" / name).read_bytes(), name


# -- 3. a percentage in a 0–100 score column --------------------------------------------------------

def test_percentage_in_a_score_column_is_an_error(tmp_path):
    inputs = sample_month(tmp_path)
    book = inputs / "回访记录_2026-10.xlsx"

    def damage(ws):
        col = column_of(ws, "评分")
        ws.cell(2, col).value = "92%"                 # typed as text
        ws.cell(5, col).value = 0.97                  # typed as 97% in Excel: kept as 0.97
        ws.cell(5, col).number_format = "0%"
    edit_sheet(book, damage)
    h = _column(book, "评分")
    _refused(
        tmp_path, inputs,
        f"回访记录_2026-10.xlsx[回访记录]!{h}2: column 'score': '92%' is a percentage; this column "
        "holds points 0–100: write the number without %",
        f"回访记录_2026-10.xlsx[回访记录]!{h}5: column 'score': '0.97' looks like a percentage")


# -- 4. a 10-digit phone ----------------------------------------------------------------------------

def test_ten_digit_phone_is_a_warning(tmp_path):
    inputs = sample_month(tmp_path)
    book = inputs / "客户档案.xlsx"
    edit_sheet(book, lambda ws: ws.cell(2, column_of(ws, "手机")).__setattr__("value", "1877201769"))
    c = _column(book, "手机")
    manifest = Closer(tmp_path).warned(
        inputs, "column 'phone': '1877201769' has 10 digits: a mobile number has 11")
    assert any(w.startswith(f"客户档案.xlsx[会员资料]!{c}2: warning: column 'phone': ")
               for w in manifest["warnings"])


# -- 5. floods --------------------------------------------------------------------------------------

def _recode_csv(path, old: str, new: str) -> int:
    text = path.read_bytes().decode("gb18030")
    n = text.count(f",{old},")
    path.write_bytes(text.replace(f",{old},", f",{new},").encode("gb18030"))
    return n


def test_one_wrong_id_in_many_rows_is_one_message(tmp_path):
    inputs = sample_month(tmp_path)
    n = _recode_csv(inputs / "考勤_2026-10.csv", "1001", "10O1")
    assert n > 5

    def damage(ws):
        amount, order = column_of(ws, "实收金额"), column_of(ws, "订单号")
        for row in range(2, 10):
            ws.cell(row, amount).value = "12,3x"
        first = ws.cell(2, order).value
        for row in range(12, 19):
            ws.cell(row, order).value = first
    edit_sheet(inputs / SALES, damage, SALES_SHEET)
    run = _refused(
        tmp_path, inputs,
        f"考勤_2026-10.csv: column 'employee_id': '10O1' is not an employee in the roster ({n} rows: "
        "C2, C3, C4, C5, C6, …)",
        f"{SALES}[{SALES_SHEET}]: column 'amount': '12,3x' is not an amount (8 rows: F2, F3, F4, F5, "
        "F6, …)",
        "sales: order_id 'WD26100000001' appears twice (also at 销售订单_1.xlsx[网店订单]!A2) "
        "(7 rows: A12, A13, A14, A15, A16, …)")
    lines = run.stderr.splitlines()
    assert sum("10O1" in line for line in lines) == 1
    assert sum("'12,3x'" in line for line in lines) == 1
    assert sum("appears twice" in line for line in lines) == 1


def test_one_roster_id_typed_wrong_is_one_message_per_sheet(tmp_path):
    """The issue's case: an employee ID mistyped in the roster makes every row naming that
    employee unknown, in every sheet: one message per sheet, not one per row (five or fewer rows
    keep their own messages)."""
    inputs = sample_month(tmp_path)

    def typo(ws):
        col = column_of(ws, "工号")
        for row in range(2, ws.max_row + 1):
            if str(ws.cell(row, col).value) == "1003":
                ws.cell(row, col).value = "1OO3"
    edit_sheet(inputs / ROSTER, typo)
    run = _refused(tmp_path, inputs, "考勤_2026-10.csv: column 'employee_id': '1003' is not an "
                                     "employee in the roster (")
    unknown = [line for line in run.stderr.splitlines() if "'1003' is not an employee" in line]
    by_sheet: dict[str, list[str]] = {}
    for line in unknown:
        by_sheet.setdefault(line.split(": column ")[0].split("!")[0], []).append(line)
    for lines in by_sheet.values():     # one message, or five at most, each naming its cell
        assert len(lines) == 1 or (len(lines) <= 5 and all("!" in l for l in lines)), lines
    assert sum(int(m) for m in re.findall(r"\(([0-9]+) rows: ", "\n".join(unknown))) > 50


def test_a_few_problems_keep_their_own_cells():
    """Five or fewer: each its own message, exactly as one would be alone."""
    few = [Issue(Source("a.csv", cell=f"C{r}"), "inputs.unknown_employee",
                 "column 'employee_id': '10O1' is not an employee in the roster") for r in range(2, 7)]
    assert collapse(few) == few
    assert [str(i) for i in column_issues("a.csv", None, "C", "x", Severity.ERROR, [2, 3],
                                          ["column 'e': 'a' is bad", "column 'e': 'b' is bad"])] == \
        ["a.csv!C2: column 'e': 'a' is bad", "a.csv!C3: column 'e': 'b' is bad"]


def test_a_flood_of_different_values_names_some_of_them():
    rows = list(range(2, 12))
    messages = [f"column 'amount': '{v}' is not an amount" for v in "aabcdeeeee"]
    messages[9] = "column 'amount': '-3' is negative"
    issues = column_issues("s.xlsx", "S", "E", "cell.invalid", Severity.ERROR, rows, messages)
    assert [str(i) for i in issues] == [
        "s.xlsx[S]: column 'amount': 'a' is not an amount (also 'b', 'c', 'd' and 1 more; "
        "9 rows: E2, E3, E4, E5, E6, …)",
        "s.xlsx[S]!E11: column 'amount': '-3' is negative"]
    same = [Issue(Source("s.xlsx", sheet="S", cell=f"E{r}"), "cell.invalid", m)
            for r, m in zip(rows, messages)]
    assert [str(i) for i in collapse(same)] == [str(i) for i in issues]


# -- 6. a second copy of a file ---------------------------------------------------------------------

def test_an_identical_copy_is_one_error_naming_both_files(tmp_path):
    inputs = sample_month(tmp_path)
    shutil.copy(inputs / ROSTER, inputs / "员工名册 - 副本.xlsx")
    run = _refused(
        tmp_path, inputs, "员工名册.xlsx: two roster files: 员工名册 - 副本.xlsx and 员工名册.xlsx are identical: "
                "keep one")
    assert "appears twice" not in run.stderr
    assert len([l for l in run.stderr.splitlines() if ": warning: " not in l]) == 2   # + the count


def test_an_edited_copy_of_a_keyed_file_is_one_error_naming_both_files(tmp_path):
    inputs = sample_month(tmp_path)
    copy = inputs / "员工名册 - 副本.xlsx"
    shutil.copy(inputs / ROSTER, copy)
    edit_sheet(copy, lambda ws: ws.cell(2, column_of(ws, "姓名")).__setattr__("value", "龚薇"))
    run = _refused(
        tmp_path, inputs, "员工名册.xlsx: two roster files: 员工名册 - 副本.xlsx and 员工名册.xlsx hold the same "
                "21 employee_id values: keep one")
    assert "appears twice" not in run.stderr


def test_an_identical_copy_of_an_unkeyed_file_is_an_error(tmp_path):
    inputs = sample_month(tmp_path)
    shutil.copy(inputs / "考勤_2026-10.csv", inputs / "考勤_2026-10 (1).csv")
    _refused(tmp_path, inputs, "two attendance files: 考勤_2026-10 (1).csv and 考勤_2026-10.csv "
                                     "are identical: keep one")


# -- 7. personal data -------------------------------------------------------------------------------

def _every_byte(out) -> list[tuple[str, bytes]]:
    """Every file under `out` (the ledger and its journal included), and every member of every
    zip container (xlsx) decompressed; the kept copies of the input files (`csbatch-inputs/`)
    included: they are sealed (issue 11)."""
    found = []
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        found.append((str(path), path.read_bytes()))
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                found += [(f"{path}:{n}", z.read(n)) for n in z.namelist()]
    return found


def test_a_bad_check_digit_id_is_never_shown_whole(tmp_path):
    inputs = sample_month(tmp_path)
    book = inputs / "客户档案.xlsx"
    shown = {}

    def damage(ws):
        cell = ws.cell(2, column_of(ws, "身份证号"))
        good = cell.value
        wrong = next(c for c in "0123456789" if c != check_characters([good[:17]])[0])
        cell.value = shown["id"] = good[:17] + wrong
        shown["cell"] = cell.coordinate
    edit_sheet(book, damage)
    bad = shown["id"]
    closer = Closer(tmp_path)
    masked = "*" * 14 + bad[-4:]
    run = closer.close(inputs)
    assert run.exit_code == 0, run.output
    line = (f"客户档案.xlsx[会员资料]!{shown['cell']}: warning: column 'id_number': '{masked}' fails "
            "the national-ID check (GB 11643); check the number for a typing error")
    assert line in run.stderr.splitlines()
    manifest = json.loads((closer.out / "2026-10" / "manifest.json").read_text(encoding="utf-8"))
    assert line in manifest["warnings"]
    assert "should be" not in run.output
    assert bad not in run.output and bad[:14] not in run.output
    for where, data in _every_byte(closer.out):
        for needle in (bad, bad[:14]):
            assert needle.encode() not in data, f"{needle} in {where}"
            assert needle.encode("utf-16-le") not in data, f"{needle} in {where}"


def test_a_crash_log_masks_id_numbers(tmp_path, monkeypatch, capsys):
    """Whatever a bug's traceback quotes, an ID number reaches the crash log masked."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    @_guarded
    def crash():
        raise KeyError("customer 110105194912310021 not found")

    with pytest.raises(typer.Exit):
        crash()
    log = re.search(r"written to (\S+\.log)", capsys.readouterr().err).group(1)
    text = Path(log).read_text(encoding="utf-8")
    assert "**************0021" in text and "110105194912310021" not in text
