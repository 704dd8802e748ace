"""Optional columns left blank never crash a stage: hypothesis writes the committed sample month
with random blanks, other rows' values, odd values and junk in the columns `config/inputs.yaml`
does not mark `required`, closes it through the CLI, and asserts the close ends in success
(exit 0) or issues (exit 1), never exit 3 or an exception.

Two properties: values a sheet may well hold (blanks, other rows' values, 0, far dates, long or
markup-like text, a merged pair of cells) — these mostly pass intake, so every stage and every
output writer runs on them; and junk of the wrong type (text in number columns, negatives, dates
in text columns), which mostly ends at intake. Example counts are bounded and derandomized, so CI
sees the same examples every run.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import openpyxl
import pytest
from harness import CONFIG, PERIOD, SAMPLE, cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.filterwarnings("ignore")


@dataclass(frozen=True)
class Column:
    """One optional column of one sample sheet (0-based `index`; absent columns get appended)."""
    file: str
    sheet: str | None            # None for CSV
    kind: str
    name: str                    # canonical column name
    type: str
    index: int
    present: bool
    header_row: int              # 0-based
    rows: tuple[int, ...]        # 0-based data rows
    seen: tuple                  # values this column holds in the sample
    low: float | None = None     # the column's declared min and max
    high: float | None = None


def _csv_rows(path: Path) -> tuple[list[list[str]], str]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return list(csv.reader(io.StringIO(data.decode(encoding), newline=""))), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError(f"{path.name}: not UTF-8 or GB18030")


def _sheets(path: Path, policy):
    """(sheet name or None, kind, rows) of every visible sheet of a sample file with a kind."""
    from csbatch.sheets.discover import kinds_matching

    by_file = kinds_matching(path.name, policy.inputs)
    if path.suffix == ".csv":
        if by_file:
            yield None, by_file[0], _csv_rows(path)[0]
        return
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        kinds = by_file or kinds_matching(ws.title, policy.inputs)
        if kinds:
            yield ws.title, kinds[0], [list(r) for r in ws.iter_rows(values_only=True)]


@lru_cache(maxsize=1)
def optional_columns() -> tuple[Column, ...]:
    """Every non-required column of every sample sheet, present or not."""
    from csbatch.policy import load_policy
    from csbatch.sheets.headers import find_header
    from csbatch.sheets.intake import _item_aliases

    policy, issues = load_policy(CONFIG)
    assert policy is not None, issues
    found: list[Column] = []
    for path in sorted(SAMPLE.iterdir()):
        for sheet, kind_name, rows in _sheets(path, policy):
            kind = policy.inputs.kinds[kind_name]
            match = find_header(rows, kind, _item_aliases(policy) if kind.item_columns else {})
            assert match is not None, (path.name, sheet)
            data = tuple(i for i in range(match.row + 1, len(rows))
                         if any(v not in (None, "") for v in rows[i]))
            width = max(len(r) for r in rows)
            extra = 0
            optional = [(n, c.type) for n, c in kind.columns.items() if not c.required]
            for name, type_ in optional:
                index = match.columns.get(name)
                present = index is not None
                if not present:
                    index, extra = width + extra, extra + 1
                seen = tuple(sorted({rows[i][index] for i in data if present and index < len(rows[i])
                                     and rows[i][index] not in (None, "")}, key=repr))
                spec = kind.columns[name]
                found.append(Column(path.name, sheet, kind_name, name, type_, index, present, match.row,
                                    data, seen, _bound(spec.min), _bound(spec.max)))
    return tuple(found)


def _bound(value) -> float | None:
    return None if value is None else float(value)


# --- values ------------------------------------------------------------------------------------

BLANKS = st.sampled_from([None, "", "   "])
MARKUP = st.sampled_from(['=HYPERLINK("x")', "<script>alert(1)</script>", "x" * 40000, "注：见附件",
                          "N/A", "—", "0", "-1", "2026-10-15", "1e309", "NaN", "'", '"', "\\", "\u3000"])
ODD_DATES = st.sampled_from([dt.datetime(2026, 10, 1), dt.datetime(2026, 10, 31, 23, 59),
                             dt.datetime(2026, 9, 30), dt.datetime(2026, 11, 1), dt.datetime(2025, 10, 15),
                             dt.datetime(2026, 2, 28, 12, 0)])
JUNK = st.one_of(
    MARKUP,
    st.sampled_from([-1, -0.5, -10**9, 1.5, 3.14159, True, False, 61, 1e15]),
    ODD_DATES,
    st.sampled_from([dt.time(0, 0), dt.time(23, 59, 59), dt.date(1999, 12, 31)]),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=20),
)


def fitting(column: Column):
    """Values such a column may well hold: blanks, another row's value, type-shaped odd ones."""
    options = [BLANKS]
    if column.seen:
        options.append(st.sampled_from(column.seen))
    if column.type in ("int", "number", "money"):
        low = 0 if column.low is None else column.low
        high = (10**9 if column.type == "money" else 10**6) if column.high is None else column.high
        ends = {low, high, low + (high - low) / 2, low + 1 if low + 1 <= high else low}
        if column.type == "int":
            ends = {int(v) for v in ends}
        elif column.type == "money":
            ends |= {0.01, 1797.12}
        options.append(st.sampled_from(sorted(ends)))
    elif column.type in ("date", "datetime"):
        options.append(ODD_DATES)
    elif column.type == "time":
        options.append(st.sampled_from([dt.time(0, 0), dt.time(8, 30), dt.time(23, 59), "09:00"]))
    elif column.type in ("text",):
        options.append(MARKUP)
    return st.one_of(*options)


@st.composite
def edits(draw, junk: bool, most: int):
    """[(column, row, value, merge)]: a few optional columns, each either wholly set to one value
    (a column left blank, all zeros) or changed in a few rows."""
    columns = optional_columns()
    out = []
    for column in draw(st.lists(st.sampled_from(columns), min_size=1, max_size=most, unique=True)):
        values = st.one_of(JUNK, fitting(column)) if junk else fitting(column)
        if draw(st.booleans()):
            value = draw(values)
            out += [(column, row, value, False) for row in column.rows]
            continue
        for row in draw(st.lists(st.sampled_from(column.rows), min_size=1, max_size=4, unique=True)):
            merge = column.sheet is not None and draw(st.integers(0, 7)) == 0
            out.append((column, row, draw(values), merge))
    return out


# --- writing -----------------------------------------------------------------------------------

def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def write_edits(folder: Path, changes) -> None:
    """Apply the edits to the copy of the month in `folder`: workbooks through openpyxl (text
    stays text, "=..." included), CSV files rewritten in their own encoding."""
    by_file: dict[str, list] = {}
    for change in changes:
        by_file.setdefault(change[0].file, []).append(change)
    for name, found in by_file.items():
        path = folder / name
        if path.suffix == ".csv":
            rows, encoding = _csv_rows(path)
            for column, row, value, _ in found:
                if not column.present and len(rows[column.header_row]) <= column.index:
                    rows[column.header_row] += [""] * (column.index + 1 - len(rows[column.header_row]))
                    rows[column.header_row][column.index] = column.name
                rows[row] += [""] * max(0, column.index + 1 - len(rows[row]))
                rows[row][column.index] = _as_text(value)
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\r\n").writerows(rows)
            path.write_bytes(buf.getvalue().encode(encoding))
            continue
        wb = openpyxl.load_workbook(path)
        for column, row, value, merge in found:
            ws = wb[column.sheet]
            col = column.index + 1
            if not column.present and ws.cell(column.header_row + 1, col).value is None:
                ws.cell(column.header_row + 1, col).value = column.name
            cell = ws.cell(row + 1, col)
            if not isinstance(cell, openpyxl.cell.cell.MergedCell):
                cell.value = value
                if isinstance(value, str) and cell.data_type == "f":
                    cell.data_type = "s"
            below = row + 2
            if merge and below <= ws.max_row and not any(
                    (r.min_row <= below <= r.max_row + 1 and r.min_col <= col <= r.max_col)
                    or (r.min_row <= row + 1 <= r.max_row and r.min_col <= col <= r.max_col)
                    for r in ws.merged_cells.ranges):
                ws.merge_cells(start_row=row + 1, start_column=col, end_row=below, end_column=col)
        wb.save(path)


def close_with(changes):
    with tempfile.TemporaryDirectory(prefix="csbatch-optional-") as tmp:
        month = Path(tmp) / "in"
        shutil.copytree(SAMPLE, month)
        write_edits(month, changes)
        run = cli("monthly-close", PERIOD, "--inputs", month, "--out", Path(tmp) / "out", "--config", CONFIG)
        assert run.exit_code in (0, 1) and "Traceback" not in run.output, crash_report(run.output)
        return run


def crash_report(output: str) -> str:
    """What the close printed, and the crash log it names (the traceback)."""
    found = re.search(r"details written to (\S+)", output)
    log = Path(found.group(1)) if found else None
    return output[-3000:] + ("\n" + log.read_text(encoding="utf-8") if log is not None and log.is_file() else "")


COMMON = dict(deadline=None, derandomize=True, database=None, print_blob=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@settings(max_examples=16, **COMMON)
@given(edits(junk=False, most=6))
def test_blank_and_odd_values_in_optional_columns_never_crash_a_stage(changes):
    close_with(changes)


@settings(max_examples=10, **COMMON)
@given(edits(junk=True, most=3))
def test_junk_in_optional_columns_is_an_issue_never_a_crash(changes):
    close_with(changes)


# --- the crashes these found, written out --------------------------------------------------------

def test_a_blank_team_of_an_audited_agent_closes(tmp_path):
    """Found by the property: 1015 (audited in the sample) with no team made `audit/qa.py` sort a
    team name against NaN (pandas' string dtype turned the blank into a float): TypeError."""
    from harness import Closer, column_of, edit_sheet, sample_month

    inputs = sample_month(tmp_path)

    def blank_team(ws):
        team = column_of(ws, "班组")
        for row in ws.iter_rows(min_row=2):
            if str(row[0].value) == "1015":
                row[team - 1].value = None

    edit_sheet(inputs / "员工名册.xlsx", blank_team)
    run = Closer(tmp_path).close(inputs)
    assert run.exit_code == 0, crash_report(run.output)
