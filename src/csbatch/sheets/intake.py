"""`read_inputs`: the month's folder → one typed DataFrame per input kind, or every problem.

Stage order: discover files → per sheet: read cells → find the header → coerce each column →
concatenate each kind → cross-checks (keys, roster references, roster ranges) → the month's rows
(`csbatch.sheets.period`). Every bad cell of every file is reported in the one pass; nothing is
raised at the user.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
from collections import defaultdict
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from csbatch.errors import Issue, Severity, Source
from csbatch.i18n import N_, Named, Said
from csbatch.policy.inputs import Kind
from csbatch.policy.loader import Policy
from csbatch.policy.scorecards import Section
from csbatch.sheets import month_grid
from csbatch.sheets import rows as sheet_rows
from csbatch.sheets.coerce import CoerceContext, Coerced, coerce_audit_items, coerce_column
from csbatch.sheets.discover import FoundSheet, discover, is_notes_sheet
from csbatch.sheets.floods import collapse, column_issues
from csbatch.sheets.gathered import gathered
from csbatch.sheets.headers import HeaderMatch, find_header
from csbatch.sheets.month_inputs import InputRecord, Inputs, row_fields
from csbatch.sheets.period import month_rows
from csbatch.sheets.read import (
    ParsedSheet,
    RawSheet,
    ReadError,
    column_letter,
    parse_excel_sheet,
    read_csv,
    read_excel_sheet,
)
from csbatch.text import normalise_header, normalise_label

_DIGIT = re.compile("[0-9]")
TOTALS = {normalise_label(x) for x in ("合计", "总计", "小计", "total", "totals", "sum")}
#: the longest cell `_totals_rows` looks at (`合计` with spaces, `Totals:`)
_TOTAL_LENGTH = 8
#: `_mapped_columns` keeps a sheet's cells in one array when at least 3 of 4 columns are read
_SHARED_SHARE = 4 / 3


class ReadProgress(Protocol):
    """Told of each input file as it is read, so a long read can show which file it is in and,
    when done, its rows (the close's progress on a terminal: `csbatch.console.StageProgress`);
    the sheets layer only calls it and prints nothing itself."""

    def reading(self, name: str) -> None: ...
    def read(self, name: str, rows: int) -> None: ...




def _item_aliases(policy: Policy) -> dict[str, str]:
    index: dict[str, str] = {}
    for section in policy.questionnaire.sections:
        for item in section.items:
            for label in (item.code, item.text, *item.aliases):
                index[normalise_header(label)] = item.code
    return index


def _item_sections(policy: Policy) -> dict[str, Section]:
    return {item.code: section for section in policy.questionnaire.sections for item in section.items}


def _text_lengths(values: np.ndarray) -> np.ndarray | None:
    """Each cell's length when every cell is text (one C-level `str.__len__` per cell, which
    refuses anything not a `str`), else None: of a sheet's leftmost mapped column, both its blank
    cells (`_filled_counts`) and its short ones (`_totals_rows`) from the one pass."""
    try:
        return np.fromiter(map(str.__len__, values), dtype=np.int64, count=len(values))
    except TypeError:   # numbers, dates or missing cells among the texts
        return None


def _totals_rows(first: pd.Series, lengths: np.ndarray | None = None) -> pd.Index:
    """Rows whose first mapped cell says 合计/总计/total: only short texts can, so only those are
    normalised (a million-row sheet must not pay for a per-cell check). `lengths`: the cells'
    `_text_lengths` when every one is text (None: not known)."""
    values = first.to_numpy(dtype=object)
    if lengths is None:
        if pd.api.types.infer_dtype(first, skipna=True) not in ("string", "mixed", "mixed-integer"):
            return pd.Index([])
        lengths = _text_lengths(values)
    if lengths is not None:   # a column of texts: the short ones (IDs are all longer)
        short = np.flatnonzero(lengths <= _TOTAL_LENGTH)
        # short IDs (`KH082173`: every cell of a customer sheet) have an ASCII digit, which a
        # total never has: ruled out on their code points in numpy, no call per cell
        points = values[short].astype(f"<U{_TOTAL_LENGTH}").view(np.uint32).reshape(len(short), _TOTAL_LENGTH)
        short = short[~((points >= ord("0")) & (points <= ord("9"))).any(axis=1)]
    else:   # numbers, dates or missing cells among the texts
        short = np.arange(len(values))
    # each distinct value once (factorised in C); a text with an ASCII digit is never a total
    codes, uniq = pd.factorize(values[short])
    try:   # texts only: those with a digit (short IDs: most of them) ruled out by a C-level `map`
        maybe = np.flatnonzero(~np.fromiter(map(bool, map(_DIGIT.search, uniq)), dtype=bool, count=len(uniq)))
    except TypeError:   # numbers, dates or missing cells among them
        maybe = np.arange(len(uniq))
    hit = np.zeros(len(uniq), dtype=bool)
    hit[maybe] = [isinstance(v, str) and len(v) <= _TOTAL_LENGTH and not _DIGIT.search(v)
                  and normalise_label(v) in TOTALS for v in uniq[maybe]]
    if not hit.any():
        return pd.Index([])
    return first.index[short[(codes >= 0) & hit[codes]]]


@dataclass
class _SheetResult:
    frame: pd.DataFrame | None
    letters: dict[str, str]
    issues: list[Issue]
    headers: dict[str, str] | None = None


_IN_COLUMN = N_("column '{column}': {problem}")


def _column(name: str, header: str | None) -> Named:
    """A column as a message names it: by its key in English (as it always has), by the header
    the person's sheet has in every other language (the key when the sheet lacks the column)."""
    return Named(name, header or name)


def _cell_issues(found: FoundSheet, column: Named, letter: str | None, result: Coerced,
                 bad_cells: set[tuple[int, str]]) -> list[Issue]:
    """One column's cell errors and notes as issues, a flood (one problem in many rows) as one
    issue (`csbatch.sheets.floods`); cells already reported as unreadable are left out."""
    name = str(column)
    errors = [(idx, msg) for idx, msg in result.errors if (idx, name) not in bad_cells]
    issues = column_issues(found.display, found.sheet, letter, "cell.invalid", Severity.ERROR,
                           [idx for idx, _ in errors],
                           [Said(_IN_COLUMN, column=column, problem=msg) for _, msg in errors])
    by_code: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for idx, code, msg in result.notes:
        by_code[code].append((idx, msg))
    for code, notes in by_code.items():
        issues += column_issues(found.display, found.sheet, letter, code, Severity.WARNING,
                                [idx for idx, _ in notes],
                                [Said(_IN_COLUMN, column=column, problem=msg) for _, msg in notes])
    return issues


def _read_sheet(found: FoundSheet, kind: Kind, policy: Policy, period: str,
                items: dict[str, str], cells: RawSheet | ReadError | None = None) -> _SheetResult:
    """One sheet → its typed frame with provenance, or the problems that stop it: read the cells
    (unless `cells` holds them, or the ReadError reading them gave, from `_raw_sheets`) → locate
    the header → map the columns → drop padding (blank, totals and note rows) → flag hidden rows,
    over-long and unreadable cells → coerce each column → add provenance."""
    where = Source(found.display, sheet=found.sheet)
    raw = _try_raw(found) if cells is None else cells
    if isinstance(raw, ReadError):
        return _SheetResult(None, {}, [Issue.said(where, "inputs.unreadable", raw.said)])
    header = find_header(raw.rows, kind, items if kind.item_columns else None)
    if header is None:
        return _SheetResult(None, {}, [_no_header(where, kind)])
    issues = _header_issues(found, kind, header, raw.rows[header.row])
    if any(i.is_error for i in issues):
        return _SheetResult(None, {}, issues)

    letters = {name: column_letter(j) for name, j in header.columns.items()}
    letters.update({code: column_letter(j) for code, j in header.items.items()})
    wanted = {**header.columns, **header.items}
    raw_cols = _mapped_columns(raw, header.row, wanted)
    # merged ranges in the data: an error, or filled down where the column says so
    issues += sheet_rows.apply_merges(raw_cols, raw, wanted, kind, header.row, found.display, found.sheet)
    # the cells under the header are in raw_cols now: the rows (their lists and the cells of the
    # columns not read) are freed before coercion makes its values (the read's peak memory)
    del raw.rows[header.row + 1:]
    raw_cols, padding = _drop_padding(found, raw, raw_cols, wanted, letters)
    issues += padding
    rows_index = raw_cols[min(wanted, key=wanted.__getitem__)].index
    issues += sheet_rows.hidden_rows(raw, rows_index, found.display, found.sheet)
    too_long, long_cells = sheet_rows.long_texts(raw_cols, raw, kind, letters, found.display, found.sheet)
    issues += too_long
    headings = raw.rows[header.row]
    texts = {name: str(headings[j]).strip() for name, j in wanted.items()
             if j < len(headings) and headings[j] is not None and str(headings[j]).strip()}
    columns = {name: _column(name, texts.get(name)) for name in wanted}
    unreadable, bad_cells = _unreadable_cells(found, raw, wanted, columns, rows_index)
    issues += unreadable

    frame, cell_issues = _coerce_columns(found, kind, policy, period, raw, header, raw_cols, rows_index,
                                         letters, columns, set(long_cells) | bad_cells)
    issues += cell_issues
    if kind.item_columns == "month_days":
        frame, grid_issues = month_grid.long_form(frame, kind, header, period, where, letters)
        issues += grid_issues
    return _SheetResult(_with_provenance(frame, found), letters, issues, texts)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading a sheet makes millions of cell objects and no reference cycles: the cyclic garbage
    collector would walk them again and again while they are made (~7% of the read at 100k
    orders, default thresholds), so it waits until the month's sheets are read. Paused once around
    the whole read, not per sheet: the switch is global, and the worker reading ahead
    (`_raw_sheets`) makes its cells between two sheets of this thread."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class _HeavyParses:
    """The heavy workbook sheets' calamine parses, all in one thread of their own (`_parsing_early`):
    the first one's started at once, each other's when the worker reading ahead comes to it."""

    def __init__(self, pool: ThreadPoolExecutor, sheets: list[FoundSheet]) -> None:
        self.pool = pool
        self.heavy = {(s.path, s.sheet) for s in sheets if s.sheet is not None}
        self.started: dict[tuple[Path, str | None], Future[ParsedSheet]] = {}

    def start(self, found: FoundSheet) -> None:
        assert found.sheet is not None
        self.started[(found.path, found.sheet)] = self.pool.submit(parse_excel_sheet, found.path, found.sheet)

    def take(self, found: FoundSheet) -> ParsedSheet | None:
        """The sheet's parse (waited for; its ReadError raised), or None for a sheet not heavy."""
        key = (found.path, found.sheet)
        if key not in self.heavy:
            return None
        if key not in self.started:
            self.start(found)
        return self.started.pop(key).result()


#: the heavy sheets' parses of the read in progress (`_parsing_early`), taken by `_read_raw`
_HEAVY: list[_HeavyParses] = []


def _read_raw(found: FoundSheet) -> RawSheet:
    if found.sheet is None:
        return read_csv(found.path)
    parsed = _HEAVY[-1].take(found) if _HEAVY else None
    return read_excel_sheet(found.path, found.sheet, parsed)


@contextmanager
def _parsing_early(heavy: list[FoundSheet]) -> Iterator[None]:
    """calamine's parse of the heavy workbook sheets in a thread of their own, the first one's
    started at once, while the light sheets before it are read and typed: a parse holds no GIL
    and makes no Python object, so only calamine's own copy of the cells waits (the Python rows
    are still made one sheet ahead, by `_raw_sheets`, when the sheet's turn comes); without it the
    main thread waits for the whole of that parse after the light sheets. One thread for all of
    them, so calamine's memory is reused from one big sheet to the next (a thread allocates from
    its own heap). A parse not taken (the read stopped by an error) is awaited and dropped."""
    sheets = [s for s in heavy if s.sheet is not None]  # a CSV is read in Python (the GIL): nothing to win
    if not sheets:
        yield
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="csbatch-parse") as pool:
        parses = _HeavyParses(pool, sheets)
        parses.start(sheets[0])
        _HEAVY.append(parses)
        try:
            yield
        finally:
            _HEAVY.remove(parses)
            parses.started.clear()


def _try_raw(found: FoundSheet) -> RawSheet | ReadError:
    """A sheet's cells, or the ReadError that says why they cannot be read (handed back, not
    raised, so a worker thread's read reaches `_read_sheet` as the same issue)."""
    try:
        return _read_raw(found)
    except ReadError as exc:
        return exc


def read_ahead_default() -> bool:
    """Whether the month's sheets are read one ahead in a second thread (this one and the
    reader): with two cores or more, never with one."""
    return (os.cpu_count() or 1) >= 2


def _raw_sheets(found: list[FoundSheet], ahead: bool) -> Generator[RawSheet | ReadError, None, None]:
    """Each sheet's cells (or its ReadError), in `found` order. With `ahead`, one worker thread
    reads sheet N+1 while the caller maps and coerces sheet N: python-calamine's parse and zlib's
    inflating release the GIL, so they run on the second core. At most one sheet is read ahead
    (the read's peak memory: two sheets' cells at once, never three); what is yielded, and in what
    order, does not depend on the threads' timing, and an error the worker meets (ReadError as a
    value, anything else raised) reaches the caller at that sheet, as it would without it."""
    if not ahead or len(found) < 2:
        for sheet in found:
            yield _try_raw(sheet)
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="csbatch-read") as pool:
        pending = pool.submit(_try_raw, found[0])
        for following in [*found[1:], None]:
            cells = pending.result()
            if following is not None:
                pending = pool.submit(_try_raw, following)
            yield cells
            del cells   # the caller frees this sheet's rows; this frame must not keep them


#: a sheet whose estimated read is at least this many bytes of workbook (and a tenth of the
#: month's) is read in the middle of the month rather than at its place in the folder
HEAVY_BYTES = 1 << 20
#: a CSV's bytes cost about an eighth of a workbook's (compressed) bytes to read
_CSV_SHARE = 8


def _read_weights(found: list[FoundSheet]) -> list[float]:
    """Each sheet's estimated read cost: its file's bytes shared among the file's sheets, a CSV's
    bytes counted at an eighth (plain text, no inflating, no XML)."""
    sheets: dict[Path, int] = defaultdict(int)
    for sheet in found:
        sheets[sheet.path] += 1
    sizes = {path: path.stat().st_size if path.is_file() else 0 for path in sheets}
    return [sizes[s.path] / sheets[s.path] / (_CSV_SHARE if s.sheet is None else 1) for s in found]


def _heavy(found: list[FoundSheet]) -> tuple[list[int], list[float]]:
    """(the heavy sheets' positions, heaviest first; every sheet's estimated read cost)."""
    weights = _read_weights(found)
    total = sum(weights)
    heavy = [j for j, w in enumerate(weights) if w >= HEAVY_BYTES and w >= total / 10]
    heavy.sort(key=lambda j: (-weights[j], j))
    return heavy, weights


def reading_order(found: list[FoundSheet]) -> list[int]:
    """The order the sheets are read and typed in with a worker reading one ahead (positions in
    `found`): the heavy sheets (`HEAVY_BYTES`, a tenth of the month's estimated read) in the
    middle, so neither end of the two-thread pipeline waits on one: light sheets in the folder's
    order first (the main thread starts typing at once), then the heavy ones, heaviest first (the
    worker reads the next big sheet while the main thread types one), then the heaviest light
    sheet (the worker's read while the last heavy sheet is typed), so the main thread's typing
    after the worker's last read is of a light sheet. Without a heavy sheet, the folder's order.
    What `read_inputs` returns does not depend on this order."""
    heavy, weights = _heavy(found)
    if not heavy:
        return list(range(len(found)))
    light = [j for j in range(len(found)) if j not in heavy]
    follower = [max(light, key=lambda j: (weights[j], -j))] if light else []
    return [j for j in light if j not in follower] + heavy + follower


class _FolderProgress:
    """The progress calls in the folder's order whatever order the sheets are typed in: a file's
    `reading` once the sheets before it are typed, its `read` once its own are."""

    def __init__(self, found: list[FoundSheet], results: list[_SheetResult | None],
                 progress: ReadProgress | None) -> None:
        self.found, self.results, self.progress = found, results, progress
        self.next = 0
        self.rows = 0
        self.said = False

    def advance(self) -> None:
        found, results = self.found, self.results
        while self.next < len(found):
            sheet = found[self.next]
            if self.progress and not self.said:
                self.progress.reading(sheet.display)
            self.said = True
            result = results[self.next]
            if result is None:
                return
            self.rows += 0 if result.frame is None else len(result.frame)
            self.next += 1
            if self.next == len(found) or found[self.next].display != sheet.display:
                if self.progress:
                    self.progress.read(sheet.display, self.rows)
                self.rows, self.said = 0, False


def _no_header(where: Source, kind: Kind) -> Issue:
    expected = ", ".join(f"{n} ({c.aliases[0]})" if c.aliases else n
                         for n, c in kind.columns.items() if c.required)
    return Issue.of(where, "inputs.no_header",
                    N_("no header row found in the first rows; expected columns such as {expected}"),
                    expected=expected)


#: how many of a header row's cells a missing-column message lists
SHOWN_HEADERS = 20


def _headers_found(cells: list[Any]) -> str:
    texts = [str(c).strip() for c in cells if c is not None and str(c).strip()]
    shown = ", ".join(texts[:SHOWN_HEADERS])
    more = len(texts) - SHOWN_HEADERS
    return Said(N_("{shown}, … ({more} more)"), shown=shown, more=more) if more > 0 else shown


def _header_issues(found: FoundSheet, kind: Kind, header: HeaderMatch, cells: list[Any]) -> list[Issue]:
    """Two columns meaning one name, and required columns the header lacks: said with the
    headers the row does have and where an alias goes, so the fix is one line of inputs.yaml."""
    issues: list[Issue] = []
    header_row = header.row + 1
    for name, first, second in header.duplicates:
        issues.append(Issue.of(Source(found.display, sheet=found.sheet, cell=f"{column_letter(second)}{header_row}"),
                               "inputs.duplicate_column", N_("columns {first} and {second} both mean '{name}'"),
                               first=column_letter(first), second=column_letter(second), name=name))
    for name, col in kind.columns.items():
        if col.required and name not in header.columns:
            names = ", ".join(col.aliases)
            issues.append(Issue.of(Source(found.display, sheet=found.sheet), "inputs.missing_column",
                                   N_("missing required column '{name}' ({names}); header found on row "
                                      "{row}: {found}; if one of these is '{name}', add it to "
                                      "kinds.{kind}.columns.{name}.aliases in config/inputs.yaml"),
                                   name=name, names=names, row=header_row, found=_headers_found(cells),
                                   kind=found.kind))
    return issues


def _cell_array(rows: list[list[Any]], first: int) -> np.ndarray | None:
    """`rows[first:]` as one 2-D object array laid out column by column (`order="F"`) when they
    are all as wide (a workbook's always are; a CSV's nearly always), else None. The array is
    built from `rows` itself with its first rows (the header and above) taken off the list
    meanwhile and put back after (two moves of the list's pointers), not from a copy of its
    data part, which increfs and later decrefs each row list (a cache miss each: ~0.2 s at a
    million orders). numpy tells rows of several widths by the shape it finds (a 1-D array of
    the row lists, made without looking into the cells), so no separate pass over the rows'
    lengths is needed either."""
    if len(rows) <= first:
        return None
    head = rows[:first]
    del rows[:first]
    try:
        cells = np.array(rows, dtype=object, order="F")
    finally:
        rows[:0] = head
    if cells.ndim != 2:   # rows of several widths (or cells that are sequences: never read so)
        return None
    return cells


def _mapped_columns(raw: RawSheet, header_row0: int, wanted: dict[str, int]) -> dict[str, pd.Series]:
    """One object series per mapped column (name → column index), straight from the rows under
    the header and indexed by sheet row number; CSV rows may be short, so they are padded with "".
    A long column is made anew while the rows are alive (`csbatch.sheets.gathered`): what the
    close keeps of a big sheet then sits together, and its memory goes back when the rows go."""
    rows, first = raw.rows, header_row0 + 1
    index = pd.RangeIndex(header_row0 + 2, header_row0 + 2 + max(len(rows) - first, 0))
    cells = _cell_array(rows, first)
    if cells is not None and cells.shape[1] > max(wanted.values(), default=-1):
        # a workbook's rows are all as wide: one 2-D object array (built in C, no per-cell
        # Python loop and no container per row), laid out column by column so that each column
        # is a contiguous view of it (a copy costs an incref per cell: as much as building it)
        width = cells.shape[1]
        # the cells of columns not read must not live on in the array through coercion (they
        # are freed with the rows): cleared when few, and with many the array is not kept (the
        # columns read are copied: n pointers a column not read would cost otherwise)
        shared = len(set(wanted.values())) * _SHARED_SHARE >= width
        if shared:
            cells[:, sorted(set(range(width)) - set(wanted.values()))] = None

        def column(j: int) -> np.ndarray:
            view = cells[:, j]
            made = gathered(view)
            return view.copy() if made is view and not shared else made

        columns = {j: column(j) for j in set(wanted.values())}
        return {name: pd.Series(columns[j], index=index, dtype=object, copy=False) for name, j in wanted.items()}
    padded = {}
    for j in set(wanted.values()):
        values = np.empty(max(len(rows) - first, 0), dtype=object)
        values[:] = [r[j] if j < len(r) else "" for r in rows[first:]]
        padded[j] = gathered(values)
    return {name: pd.Series(padded[j], index=index, dtype=object, copy=False) for name, j in wanted.items()}


def _blank_cells(values: np.ndarray) -> np.ndarray:
    """Empty or missing cells of raw object cells (a pandas comparison and isna on an object
    Series cost three times as much); cells of text only (no missing cell possible) need the
    comparison alone."""
    if pd.api.types.infer_dtype(values, skipna=False) == "string":
        return values == ""
    return pd.isna(values) | (values == "")


def _filled_counts(raw_cols: dict[str, pd.Series], first_blank: np.ndarray | None = None) -> np.ndarray:
    """Per row, how many mapped cells are filled, exact up to 2 (a higher count reads as 2 or
    more, all `_drop_padding` and `rows.note_rows` ask): a column is looked at only in the rows
    still under two, so a sheet of full rows pays for two columns' blank tests, not every
    column's (padding, totals and note rows are the few that go on). The count does not depend
    on the columns' order, so the columns of text come first (one pass each: their lengths),
    the others (dates, numbers: a comparison and a missing-value test) only for the rows left.
    `first_blank`: the first column's blank cells when already known (`_drop_padding`)."""
    columns = list(raw_cols.values())
    counts = np.zeros(len(columns[0]), dtype=np.int32)
    rows = np.arange(len(counts))
    if first_blank is not None:
        counts += ~first_blank
        rows = rows[counts < 2]
        columns = columns[1:]
    later = []
    for series in columns:
        if not len(rows):
            return counts
        values = series.to_numpy(dtype=object, copy=False)
        lengths = _text_lengths(values if len(rows) == len(values) else values[rows])
        if lengths is None:
            later.append(series)
            continue
        counts[rows] += lengths > 0
        rows = rows[counts[rows] < 2]
    for series in later:
        if not len(rows):
            break
        values = series.to_numpy(dtype=object, copy=False)
        counts[rows] += ~_blank_cells(values if len(rows) == len(values) else values[rows])
        rows = rows[counts[rows] < 2]
    return counts


def _marked(index: pd.Index, rows: Sequence[int] | pd.Index) -> np.ndarray:
    """`index.isin(rows)` for a sheet's row numbers: on the mapped columns' `RangeIndex` the rows'
    positions are set directly (pandas hashes all of the index, ~13 ms a 528k-row sheet each time,
    three times a sheet, for lists that are nearly always empty)."""
    if not isinstance(index, pd.RangeIndex) or index.step != 1:
        return index.isin(rows)
    mask = np.zeros(len(index), dtype=bool)
    if len(rows):
        at = np.asarray(rows, dtype=np.int64) - index.start
        mask[at[(at >= 0) & (at < len(index))]] = True
    return mask


def _drop_padding(found: FoundSheet, raw: RawSheet, raw_cols: dict[str, pd.Series], wanted: dict[str, int],
                  letters: dict[str, str]) -> tuple[dict[str, pd.Series], list[Issue]]:
    """The rows that are data: without rows blank in every mapped column (padding, said nothing
    about), totals rows and note rows under the data (a warning each)."""
    issues: list[Issue] = []
    index = next(iter(raw_cols.values())).index
    # rows blank in every mapped column are padding, not data (vectorised: empty or missing cells);
    # a row whose only content is an unreadable (formula/error) cell is still reported. The
    # leftmost column (where a totals row says so) is looked at first: one pass over it tells
    # both its blank cells and its short texts, when it is all text (an ID column: most sheets)
    first_col = min(wanted, key=wanted.__getitem__)
    first = raw_cols[first_col]
    lengths = _text_lengths(first.to_numpy(dtype=object, copy=False))
    ordered = {first_col: first, **raw_cols}
    counts = _filled_counts(ordered, None if lengths is None else lengths == 0)
    filled = pd.Series(counts, index=index, copy=False)
    unreadable = _marked(index, [r + 1 for (r, c) in raw.unreadable if c in wanted.values()])
    blank = (counts == 0) & ~unreadable
    if blank.any():   # a mask's copy of a million cells only when there is a blank row to leave out
        totals = _marked(index, _totals_rows(first[~blank], None if lengths is None else lengths[~blank]))
    else:
        totals = _marked(index, _totals_rows(first, lengths))
    for r in index[totals]:
        issues.append(Issue.warn(Source(found.display, sheet=found.sheet, row=int(r)), "inputs.totals_row",
                                 N_("totals row ignored")))
    notes = sheet_rows.note_rows(raw_cols, filled, pd.Series(blank | totals | unreadable, index=index, copy=False))
    for r, (name, note) in notes.items():
        shown = note if len(note) <= 40 else note[:40] + "…"
        issues.append(Issue.warn(Source(found.display, sheet=found.sheet, cell=f"{letters[name]}{r}"),
                                 "inputs.note_row", N_("note row ignored (a single text under the data): "
                                                       "'{note}'"), note=shown))
    keep = ~blank & ~totals & ~_marked(index, list(notes))
    if len(index) and not keep.all():
        raw_cols = {n: s[keep] for n, s in raw_cols.items()}
    return raw_cols, issues


def _unreadable_cells(found: FoundSheet, raw: RawSheet, wanted: dict[str, int], columns: dict[str, Named],
                      rows_index: pd.Index) -> tuple[list[Issue], set[tuple[int, str]]]:
    """Formula and error cells of the kept rows' mapped columns: an error each, and the
    (row, column) cells, so coercion does not report them a second time."""
    issues: list[Issue] = []
    bad_cells: set[tuple[int, str]] = set()
    by_col = {j: name for name, j in wanted.items()}
    for (r, c), why in sorted(raw.unreadable.items()):
        if c in by_col and (r + 1) in rows_index:
            name = by_col[c]
            bad_cells.add((r + 1, name))
            issues.append(Issue.of(Source(found.display, sheet=found.sheet, cell=f"{column_letter(c)}{r + 1}"),
                                   "cell.unreadable", _IN_COLUMN, column=columns[name], problem=why))
    return issues, bad_cells


def _coerce_columns(found: FoundSheet, kind: Kind, policy: Policy, period: str, raw: RawSheet,
                    header: HeaderMatch, raw_cols: dict[str, pd.Series], rows_index: pd.Index,
                    letters: dict[str, str], columns: dict[str, Named],
                    bad_cells: set[tuple[int, str]]) -> tuple[pd.DataFrame, list[Issue]]:
    """Every declared column typed by the contract (a column the sheet lacks reads as blank),
    then the questionnaire's item columns; the cell errors and notes of each, in column order."""
    ctx = CoerceContext.from_policy(policy, period, date1904=raw.date1904)
    out: dict[str, pd.Series] = {}
    issues: list[Issue] = []
    sections = _item_sections(policy)

    def take(name: str, result: Coerced) -> None:
        out[name] = result.values
        declared = kind.columns.get(name)
        column = columns.get(name) or _column(name, declared.aliases[0] if declared and declared.aliases else None)
        issues.extend(_cell_issues(found, column, letters.get(name), result, bad_cells))

    for name, col in kind.columns.items():
        series = raw_cols.get(name)
        if series is None:
            series = pd.Series("", index=rows_index, dtype=object)
        take(name, coerce_column(series, col, ctx))
    for code in header.items:
        if kind.item_columns == "month_days" and kind.value:   # a day's cell: the value column
            value = kind.columns[kind.value].model_copy(update={"required": False, "default": None})
            result = coerce_column(raw_cols[code], value, ctx)
            out[code] = result.values
            day = columns.get(code) or _column(code, None)
            issues.extend(_cell_issues(found, day, letters.get(code), result, bad_cells))
            continue
        section = sections[code]
        take(code, coerce_audit_items(raw_cols[code], section.kind, section.per_item, ctx))
    # not consolidated (`copy=False`): each column keeps the array its coercion made, which
    # nothing else holds; stacking the object columns into one block would copy them all (an
    # incref per cell, ~60 ms a 528k-row sales sheet), and a kind read from several sheets is
    # copied once more by `read_inputs`' concatenation anyway
    return pd.DataFrame(out, index=rows_index, copy=False), issues


def _with_provenance(frame: pd.DataFrame, found: FoundSheet) -> pd.DataFrame:
    """The provenance columns (`PROVENANCE`): file, sheet (None for a CSV), sheet row number."""
    rows_index = frame.index
    frame["_file"] = found.display
    frame["_sheet"] = found.sheet
    frame["_row"] = rows_index.astype("int64")
    return frame.reset_index(drop=True)


def _empty_frame(kind: Kind, policy: Policy, period: str) -> pd.DataFrame:
    ctx = CoerceContext.from_policy(policy, period)
    empty = pd.Series([], dtype=object)
    out = {name: coerce_column(empty, col.model_copy(update={"required": False}), ctx).values
           for name, col in kind.columns.items()}
    frame = pd.DataFrame(out)
    frame["_file"] = pd.Series([], dtype=object)
    frame["_sheet"] = pd.Series([], dtype=object)
    frame["_row"] = pd.Series([], dtype="int64")
    return frame


def read_inputs(policy: Policy, period: str, inputs_dir: Path,
                progress: ReadProgress | None = None, *,
                read_ahead: bool | None = None) -> tuple[Inputs | None, list[Issue]]:
    """Read every input kind for `period` from `inputs_dir`. Returns (inputs, issues); inputs is
    None when any issue is an error. `progress` is told of each file as it starts and, once all
    its sheets are read, of the rows read from it (before the month's rows are chosen).
    `read_ahead` (default: with two cores, `read_ahead_default`) reads the next sheet in a second
    thread while this one is typed (`_raw_sheets`); the result is the same either way."""
    from csbatch.sheets.crosscheck import CROSS_CHECKS

    found, files, issues = discover(Path(inputs_dir), policy.inputs)
    items = _item_aliases(policy)
    parts: dict[str, list[pd.DataFrame]] = defaultdict(list)
    letters: dict[tuple[str, str | None], dict[str, str]] = {}
    headers: dict[tuple[str, str | None], dict[str, str]] = {}
    rows_by_file: dict[tuple[str, str], int] = defaultdict(int)
    sheets_by_file: dict[tuple[str, str], list[str]] = defaultdict(list)
    ahead = read_ahead_default() if read_ahead is None else read_ahead
    sequence = reading_order(found) if ahead else list(range(len(found)))
    results: list[_SheetResult | None] = [None] * len(found)
    told = _FolderProgress(found, results, progress)
    heavy = [found[j] for j in _heavy(found)[0]] if ahead else []   # in the reading order
    with _collector_paused(), _parsing_early(heavy), \
            contextlib.closing(_raw_sheets([found[j] for j in sequence], ahead)) as raws:
        told.advance()
        for j in sequence:
            sheet = found[j]
            results[j] = _read_sheet(sheet, policy.inputs.kinds[sheet.kind], policy, period, items, next(raws))
            told.advance()
    for sheet, result in zip(found, results, strict=True):   # in the folder's order, whatever the reading order
        assert result is not None
        issues.extend(result.issues)
        if result.frame is not None:
            parts[sheet.kind].append(result.frame)
            letters[(sheet.display, sheet.sheet)] = result.letters
            headers[(sheet.display, sheet.sheet)] = result.headers or {}
            rows_by_file[(sheet.display, sheet.kind)] += len(result.frame)
            if sheet.sheet is not None:
                sheets_by_file[(sheet.display, sheet.kind)].append(sheet.sheet)

    frames: dict[str, pd.DataFrame] = {}
    for name, kind in policy.inputs.kinds.items():
        if parts.get(name):
            frames[name] = pd.concat(parts[name], ignore_index=True) if len(parts[name]) > 1 else parts[name][0]
        else:
            frames[name] = _empty_frame(kind, policy, period)

    sha = {f.display: f.sha256 for f in files}
    order = {kind: i for i, kind in enumerate(policy.inputs.kinds)}
    records = [InputRecord(display, kind, sha[display], rows, tuple(sheets_by_file[(display, kind)]))
               for (display, kind), rows in sorted(rows_by_file.items(), key=lambda kv: (order[kv[0][1]], kv[0][0]))]
    inputs = Inputs(period, frames, records, letters, headers)
    for check in CROSS_CHECKS:  # on what could be read, so one run reports everything
        issues.extend(check(inputs, policy, roster_read="roster" in parts))
    # the month: every later stage sees only the rows of the period (sheets/period.py)
    inputs.frames, outside = month_rows(frames, policy.inputs.kinds, period, letters, issues)
    issues.extend(outside)
    if any(i.is_error for i in issues):
        return None, issues
    return inputs, issues


def read_kind_file(policy: Policy, kind: str, path: Path, period: str) -> tuple[pd.DataFrame | None, list[Issue]]:
    """One file read as input `kind` whatever its name (every visible sheet of a workbook), with
    the same headers, coercion and key check as the month's folder."""
    from csbatch.sheets.filecheck import ZipLimits
    from csbatch.sheets.read import CSV_SUFFIXES, list_sheets

    path = Path(path)
    spec = policy.inputs.kinds[kind]
    issues: list[Issue] = []
    if not path.is_file():
        return None, [Issue.of(Source(str(path)), "inputs.missing", N_("file not found"))]
    if path.suffix.lower() in CSV_SUFFIXES:
        sheets = [FoundSheet(kind, path, path.name, None)]
    else:
        try:
            infos = list_sheets(path, ZipLimits.from_policy(policy.inputs.limits))
        except ReadError as exc:
            return None, [Issue.said(Source(path.name), "inputs.unreadable", exc.said)]
        sheets = [FoundSheet(kind, path, path.name, i.name) for i in infos
                  if i.visible and not is_notes_sheet(i.name)]
    frames = []
    for sheet in sheets:
        result = _read_sheet(sheet, spec, policy, period, _item_aliases(policy))
        issues += result.issues
        if result.frame is not None:
            frames.append(result.frame)
    if any(i.is_error for i in issues) or not frames:
        return None, issues
    frame = pd.concat(frames, ignore_index=True)
    if spec.key:
        dup = frame.duplicated(subset=spec.key, keep="first") & frame[spec.key].notna().all(axis=1)
        issues += collapse(Issue.of(Source.of_row(row_fields(row)), "inputs.duplicate_key",
                                    N_("{kind}: {key} '{value}' appears twice"), kind=kind, key=spec.key[0],
                                    value=row[spec.key[0]])
                           for _, row in frame[dup].iterrows())
    return (None if any(i.is_error for i in issues) else frame), issues
