"""The small tools every measure is built from: grouped Decimal sums, counts and ratios over
contract-typed frames (vectorised: a sales sheet can hold a million rows), the period, and
`Feeds`, which remembers which input rows fed a measure of the employees being explained."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from typing import TYPE_CHECKING, Any, cast, overload

import numpy as np
import pandas as pd

from csbatch.blanks import is_blank
from csbatch.calendar import month_bounds
from csbatch.errors import Issue, Source
from csbatch.grouping import exact_sums, first_codes, identity_codes, stable_order
from csbatch.i18n import N_, Said
from csbatch.money import ZERO
from csbatch.sheets.period import counted

if TYPE_CHECKING:
    from csbatch.attendance import AttendanceResult
    from csbatch.policy import Policy
    from csbatch.sheets.intake import Inputs


# ---------------------------------------------------------------------------------------------
# masks


def truthy(values: pd.Series) -> np.ndarray:
    """A nullable boolean column as a plain mask (blank = False)."""
    return values.astype("boolean").to_numpy(dtype=bool, na_value=False)


def filled(values: pd.Series) -> np.ndarray:
    """Cells that hold something: not blank, not only spaces (`str(v).strip() != ""`, asked of
    the cells that are not blank only). A column of few distinct objects (a code, a product
    name: the reader hands equal cells one object) is asked once per object
    (`grouping.identity_codes`), judged by its first cells: coding a column of distinct texts
    (phones, e-mails) costs more than asking each."""
    cells = values.to_numpy(dtype=object)
    if len(cells) >= _PROBE * 4 and len(identity_codes(cells[:_PROBE])[1]) * 4 <= _PROBE:
        codes, distinct = identity_codes(cells)
        return _filled(distinct)[codes]
    return _filled(cells)


#: the cells `filled` codes first to judge whether a column holds few distinct objects
_PROBE = 256


def _filled(cells: np.ndarray) -> np.ndarray:
    out = ~pd.isna(cells)
    at = np.flatnonzero(out)
    if len(at):
        out[at] = [not (text := str(v)).isspace() and text != "" for v in cells[at]]
    return out


@dataclass(frozen=True)
class Period:
    code: str
    first: pd.Timestamp
    end: pd.Timestamp          # exclusive: the first instant after the period

    @classmethod
    def of(cls, period: str) -> Period:
        first, last = month_bounds(period)
        return cls(period, pd.Timestamp(first), pd.Timestamp(last) + pd.Timedelta(days=1))

    def holds(self, values: pd.Series) -> np.ndarray:
        """Dates or datetimes inside the period (blank = outside)."""
        when = values.astype("datetime64[ns]")
        return ((when >= self.first) & (when < self.end)).to_numpy(dtype=bool)


# ---------------------------------------------------------------------------------------------
# grouped numbers (index: employee_id)


def decimal_sum(values: Iterable[Decimal]) -> Decimal:
    """Σ of Decimals, exactly (0 for none)."""
    return sum(values, ZERO)


def dsum(values: pd.Series, keys: pd.Series | np.ndarray) -> pd.Series:
    """Σ of Decimal cells per key (blank cells and blank keys skipped)."""
    cells, owners = values.to_numpy(dtype=object), np.asarray(keys, dtype=object)
    # the cells coded by object identity once (`grouping.identity_codes`: a month's amounts are a
    # few thousand objects), which answers both questions asked of them: blank or not, per distinct
    # object (`pd.isna` of a million Decimal cells asks each whether it is a Decimal NaN), and the
    # codes `exact_sums` sums by (it coded the kept cells a second time)
    cell_codes, distinct = identity_codes(cells)
    kept = np.flatnonzero(~(pd.isna(distinct)[cell_codes] | pd.isna(owners)))
    if not len(kept):
        return pd.Series([], dtype=object)
    # a groupby's sum per key without a Python call per group: each key's cells added to its sum
    # in row order (the rows read in order: gathering them per key reads them scattered over
    # memory, slower); keys in order of first appearance
    codes, uniques = pd.factorize(owners[kept])
    # as integers where that is certain to give the loop's Decimals, value and exponent
    # (`grouping.exact_sums`: a month's order amounts are a few thousand objects)
    summed = cells[kept].tolist()
    sums = exact_sums(codes, len(uniques), summed, coded=(cell_codes[kept], distinct))
    if sums is None:
        sums = [ZERO] * len(uniques)
        for at, cell in zip(codes.tolist(), summed):
            sums[at] += cell
    return pd.Series(sums, index=pd.Index(uniques), dtype=object, name=values.name)


def isums(rows: pd.DataFrame, columns: Sequence[str], keys: pd.Series | np.ndarray) -> dict[str, pd.Series]:
    """Σ of each of `columns`' integer cells per key, as Decimal (keys with only blank cells sum
    to 0), from one groupby: the keys are made a Series, asked for blanks and factorized once,
    not once per column as round 19's `isum` of each did (the contacts' six sums, ~0.07 s at
    1M orders). Each column is summed by itself, as `isum` summed it."""
    keyed = pd.Series(np.asarray(keys, dtype=object), index=rows.index)
    keep = keyed.notna().to_numpy(dtype=bool)
    if not keep.any():
        return {c: pd.Series([], dtype=object) for c in columns}
    sums = rows[list(columns)][keep].astype("Int64").groupby(keyed[keep], sort=False).sum()
    return {c: decimals(sums[c]) for c in columns}


def count(keys: pd.Series | np.ndarray) -> pd.Series:
    """Rows per key, as Decimal: `value_counts(sort=False)` of the non-blank keys (first
    appearance first). Where every key is a text (`str` itself, none blank: the employee IDs the
    reader gives), the keys are hashed once as objects and counted by their codes; pandas would
    infer a string array of every row, copy it, ask each cell whether it is blank and hash it
    again (~15 counts of up to 200k keys a close). Any other column (a blank, a number, an
    unhashable or odd object) is counted the old way, whose index dtype pandas infers from the
    whole column, blanks included."""
    cells = np.asarray(keys, dtype=object)
    try:
        codes, distinct = pd.factorize(cells, use_na_sentinel=False)
    except TypeError:       # an unhashable cell: pandas' own way says what it does with it
        return _counted(cells)
    if not len(distinct) or not all(type(k) is str for k in distinct.tolist()):
        return _counted(cells)
    sizes = np.bincount(codes, minlength=len(distinct))
    return pd.Series([Decimal(n) for n in sizes.tolist()], index=pd.Index(distinct, dtype="str"), dtype=object)


def _counted(cells: np.ndarray) -> pd.Series:
    """`count` by pandas: a Series of the cells, its non-blank ones' `value_counts`."""
    keys = pd.Series(cells)
    return decimals(keys[keys.notna()].value_counts(sort=False))


def decimals(values: pd.Series) -> pd.Series:
    """Integer-like cells as Decimal, blanks as None (a per-employee series, not per-order)."""
    return pd.Series([None if is_blank(v) else Decimal(int(v)) for v in values],
                     index=values.index, dtype=object)


def ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    """num ÷ den per key of `den`; None where den is blank or zero (nothing to measure); a key
    with a denominator and no numerator has 0 on top."""
    out = {}
    # the numerators by key in a dict (a `Series.get` per key costs microseconds): for an object
    # column with a unique index, what `num.get(key)` returns; other forms keep `num.get`
    top = dict(zip(num.index.tolist(), num.to_numpy())).get \
        if num.dtype == object and num.index.dtype == object and num.index.is_unique and not num.index.hasnans \
        else num.get
    for key, d in den.items():
        if is_blank(d) or d == 0:
            continue
        n = top(key)
        out[key] = (ZERO if n is None or is_blank(n) else Decimal(n)) / Decimal(d)
    return pd.Series(out, dtype=object)


# ---------------------------------------------------------------------------------------------
# where numbers came from


@dataclass(slots=True)
class _Fed:
    """Rows one `add` fed to a measure of one employee, as numbers: each key is the id of its
    (file-and-sheet place, note) in `Feeds` shifted left 32 bits, plus its row number + 1 (0: no
    row number); `note` is the note said after each place (or each row's). Slotted, not frozen:
    a close makes one per employee and `add` (a hundred thousand), and a frozen dataclass's
    `__init__` costs three times a plain one's; nothing assigns to one after it is made."""

    keys: np.ndarray
    note: str | np.ndarray          # one for every row, or each row's (object array, as `keys`)
    unique: bool = False            # no key twice

    def note_of(self, at: int) -> str:
        return self.note if isinstance(self.note, str) else self.note[at]


@dataclass
class Feeds:
    """The input places behind each (employee, measure), kept only for the employees asked
    about: `add` filters first, so a million-row sheet costs one `isin`. Rows are kept as numbers
    (`_Fed`), one array per employee and `add` shared by every measure it feeds, and worded only
    when an explanation reads them (`Sources`): the close explains everyone."""

    who: frozenset[str] = frozenset()
    parts: dict[tuple[str, str], list[_Fed | str]] = field(default_factory=lambda: defaultdict(list))
    #: (place text, note) of each key's id, and the ids by (place text, note)
    words: list[tuple[str, str]] = field(default_factory=list)
    ids: dict[tuple[str, str], int] = field(default_factory=dict)
    #: equal keys ⇔ equal texts (no place or note holds "!row ", no unnumbered row has a note);
    #: otherwise `Sources` dedupes the worded texts, as before
    exact: bool = True

    @classmethod
    def for_(cls, explain_for: Collection[str] | None) -> Feeds:
        return cls(frozenset(str(e) for e in explain_for or ()))

    @property
    def active(self) -> bool:
        return bool(self.who)

    def _keys(self, rows: pd.DataFrame, mine: np.ndarray | None,
              note: str | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(key of each row of `rows` picked by `mine` with `note` (or each row's), the order of
        those rows by file, sheet and row number: a stable sort of the place and row number columns)."""
        def column(name: str) -> pd.Series:
            return rows[name] if mine is None else rows[name][mine]

        files, sheets, numbers = (column(c) for c in PLACE_COLUMNS)
        row_numbers = _numbers(numbers)
        placed = SheetRows.of_columns(files.to_numpy(dtype=object), sheets.to_numpy(dtype=object), row_numbers)
        notes: Sequence[str] | np.ndarray
        if isinstance(note, str):
            notes, noted = [note], np.zeros(len(placed.which), dtype=np.intp)
            # one note: the (place, note) pairs are the places, already coded in order of first
            # appearance (what a factorize of them would give back)
            each, pair = placed.which, np.arange(len(placed.places), dtype=np.int64)
        else:
            noted, notes = pd.factorize(note)
            each, pair = pd.factorize(placed.which.astype(np.int64) * len(notes) + noted)
        ids = np.array([self._id(str(placed.places[p // len(notes)]), str(notes[p % len(notes)])) for p in pair],
                       dtype=np.int64)
        if ((np.asarray([bool(n) for n in notes], dtype=bool)[noted]) & (placed.numbers < 0)).any():
            self.exact = False
        keys = (ids[each] << _ROW_BITS) | (placed.numbers + 1)
        # the places in the order a sort of the rows by file and sheet puts them, then the rows
        first = first_codes(placed.which)
        by_place = pd.DataFrame({"f": files.to_numpy()[first], "s": sheets.to_numpy()[first]}) \
            .sort_values(["f", "s"], kind="stable").index.to_numpy()
        rank = np.empty(len(by_place), dtype=np.intp)
        rank[by_place] = np.arange(len(by_place))
        if row_numbers.dtype.kind in "iu":    # row numbers without blanks: one stable lexsort
            return keys, _lexsorted(row_numbers, rank[placed.which])
        order = pd.DataFrame({"at": rank[placed.which], "row": numbers.reset_index(drop=True)}) \
            .sort_values(["at", "row"], kind="stable").index.to_numpy()
        return keys, order

    def _id(self, place: str, note: str) -> int:
        key = (place, note)
        found = self.ids.get(key)
        if found is None:
            found = self.ids[key] = len(self.words)
            self.words.append(key)
            if "!row " in place or "!row " in note:
                self.exact = False
        return found

    def add(self, measures: str | Iterable[str], rows: pd.DataFrame,
            by: str | pd.Series | np.ndarray = "employee_id", note: str | Sequence[str] = "") -> None:
        """The `rows` fed `measures` of the employee in column/series `by` of each row, each said
        with `note` (one for all, or one per row)."""
        if not self.who or rows.empty:
            return
        keys = rows[by].to_numpy(dtype=object) if isinstance(by, str) else np.asarray(by, dtype=object)
        # the employees found once: which are asked about is asked of each distinct key (one hash
        # of a million rows, not an `isin` and then a factorize of the rows kept); equal keys are
        # one code, so each distinct key answers for all its rows as `isin` does
        all_codes, distinct = pd.factorize(keys)
        asked = np.append(pd.Index(distinct, dtype=object).isin(self.who), False)   # blank (-1): no
        mine = asked[all_codes]
        if not mine.any():
            return
        notes = note if isinstance(note, str) else np.asarray(note, dtype=object)[mine]
        fed, order = self._keys(rows, mine, notes)
        unique = _unique(fed, order)
        # each employee numbered in order of first appearance in the sorted rows (as a factorize
        # of their keys would): the codes of one hash table renumbered, integers only
        codes, firsts = pd.factorize(all_codes[mine][order], sort=False)
        emps = distinct[firsts]
        order = order[stable_order(codes, len(emps))]
        sizes = np.bincount(codes, minlength=len(emps))
        ends = np.cumsum(sizes)
        names = [measures] if isinstance(measures, str) else list(measures)
        # the keys (and notes) put in employee order once, each employee's part a slice of them
        # (a view): one gather per employee cost more than the rest of the loop
        fed = fed[order]
        each_note = notes if isinstance(notes, str) else notes[order]
        parts = self.parts
        for emp, start, end in zip(emps.tolist(), (ends - sizes).tolist(), ends.tolist()):
            part = _Fed(fed[start:end], each_note if isinstance(each_note, str) else each_note[start:end], unique)
            who = str(emp)
            for m in names:
                parts[(who, m)].append(part)

    def add_shared(self, measures: str | Iterable[str], rows: pd.DataFrame, who: Iterable[str],
                   note: str = "") -> None:
        """The same `rows` fed `measures` of every employee of `who` (the complaints of a team or
        of the department): kept once, not once per employee."""
        who = [w for w in who if w in self.who]
        if not who or rows.empty:
            return
        fed, order = self._keys(rows, None, note)
        part = _Fed(fed[order], note, _unique(fed, order))
        names = [measures] if isinstance(measures, str) else list(measures)
        for emp in who:
            for m in names:
                self.parts[(str(emp), m)].append(part)

    def text(self, employee_id: str, measures: str | Iterable[str], text: str) -> None:
        if employee_id not in self.who or not text:
            return
        for m in [measures] if isinstance(measures, str) else measures:
            self.parts[(employee_id, m)].append(text)

    def result(self) -> Sources:
        """Each (employee, measure)'s places without repeats, first mention first."""
        return Sources(self)


_ROW_BITS = 32
#: the columns `Feeds.add` reads besides the employee's
PLACE_COLUMNS = ("_file", "_sheet", "_row")


def _noted(place: str, note: str) -> str:
    return Said(N_("{place} ({note})"), place=place, note=note) if note else place


def _lexsorted(rows: np.ndarray, ranks: np.ndarray) -> np.ndarray:
    """`np.lexsort((rows, ranks))` (a stable sort by rank, then row number): the positions in
    order as they are when the rows already are in that order (a sheet read top to bottom, its
    files in name order: checked in one pass), else the sort."""
    if len(ranks) > 1:
        up = np.diff(ranks)
        if not ((up > 0) | ((up == 0) & (rows[1:] >= rows[:-1]))).all():
            return np.lexsort((rows, ranks))
    return np.arange(len(ranks), dtype=np.intp)


def _unique(keys: np.ndarray, order: np.ndarray) -> bool:
    """`pd.Index(keys).is_unique` without a hash table of a million keys where `order` (the
    rows' sort by place and row number) already groups them: each key is an id (high bits) and a
    row number (low bits); when every id's keys are together in that order, by row number, equal
    keys are neighbours (checked in one pass), else the hash table."""
    ordered = keys[order]
    if len(ordered) < 2:
        return True
    ids, rows = ordered >> _ROW_BITS, ordered & ((1 << _ROW_BITS) - 1)
    new_id = ids[1:] != ids[:-1]
    grouped = (new_id | (rows[1:] >= rows[:-1])).all() and \
        len(np.unique(ids[np.flatnonzero(np.append(True, new_id))])) == int(new_id.sum()) + 1
    if not grouped:
        return bool(pd.Index(keys).is_unique)
    return not bool((ordered[1:] == ordered[:-1]).any())


_FEW_KEYS = 48      # deduplicated in a dict up to this: a sort's calls cost more below it
_MANY_KEYS = 1024   # deduplicated by a hash table (`pd.Index`) above this: a sort's n log n costs more


def _first_mentions(keys: np.ndarray) -> np.ndarray:
    """The positions of each key's first mention, in order (`~pd.Index(keys).duplicated()`'s).
    Between a few keys and many (most joined places of a month: a few hundred keys), a stable
    sort: the first of each run of equal keys is its first mention (~3x faster than building an
    Index at 1M orders' sizes)."""
    n = len(keys)
    if n > _MANY_KEYS:
        return np.flatnonzero(~pd.Index(keys).duplicated())
    if n > _FEW_KEYS:
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        first = np.empty(n, dtype=bool)
        first[0] = True
        np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
        return np.sort(order[first])
    seen: dict[int, int] = {}
    for at, key in enumerate(keys.tolist()):
        seen.setdefault(key, at)
    return np.fromiter(seen.values(), dtype=np.intp, count=len(seen))


class Places(Sequence[str]):
    """The places that fed one or more measures of one employee, without repeats, first mention
    first (as `dict.fromkeys` of their texts): the repeats found on the numbers, a place worded
    only when read (a page shows a dozen of a salesperson's thousands of order rows)."""

    def __init__(self, feeds: Feeds, parts: list[_Fed | str]) -> None:
        self._feeds = feeds
        self._texts: list[str] | None = None
        self._first: np.ndarray | None = None        # positions of the first mentions (None: all)
        if not parts:               # an item no input row fed (a fifth of a month's items): no arrays
            self._parts: list[_Fed | str] = []
            self._texts = []
            return
        # a part met again (the rows of one `add` behind two measures of an item) adds nothing; most
        # items have one part, nothing to dedupe (a list of its own either way: the caller's may grow)
        parts = list({id(p): p for p in parts}.values()) if len(parts) > 1 else list(parts)
        self._parts = parts
        if not (feeds.exact and all(isinstance(p, _Fed) for p in parts)):
            self._texts = list(dict.fromkeys(t for p in parts for t in self._part_texts(p)))
            return
        fed = cast("list[_Fed]", parts)
        if len(fed) == 1:           # most items: one part, worded from its own keys (`_worded`)
            self._n = len(fed[0].keys)
            if not fed[0].unique:
                self._first = _first_mentions(fed[0].keys)
                self._n = len(self._first)
            return
        # the parts' bounds from Python ints (`np.cumsum` of a few sizes costs more than the sums)
        ends = list(accumulate(len(p.keys) for p in fed))
        self._ends = np.array(ends, dtype=np.intp)
        self._starts = np.array([0, *ends[:-1]], dtype=np.intp)
        self._first = _first_mentions(np.concatenate([p.keys for p in fed]))
        self._n = len(self._first)

    def _part_texts(self, part: _Fed | str) -> list[str]:
        if isinstance(part, str):
            return [part]
        return [self._word(part, j) for j in range(len(part.keys))]

    def _word(self, part: _Fed, at: int) -> str:
        return self._said(int(part.keys[at]), part.note_of(at))

    def _said(self, key: int, note: str) -> str:
        place, _ = self._feeds.words[key >> _ROW_BITS]
        number = (key & ((1 << _ROW_BITS) - 1)) - 1
        return _noted(place if number < 0 else f"{place}!row {number}", note)

    def __len__(self) -> int:
        return len(self._texts) if self._texts is not None else self._n

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if self._texts is not None:
            return self._texts[index]
        if isinstance(index, slice):
            lo, hi, step = index.indices(self._n)
            if step != 1:
                return [self[i] for i in range(lo, hi, step)]
            return self._worded(lo, max(lo, hi))
        i = index + self._n if index < 0 else index
        if not 0 <= i < self._n:
            raise IndexError(index)
        return self._worded(i, i + 1)[0]

    def _worded(self, lo: int, hi: int) -> list[str]:
        """The texts of the first mentions lo..hi-1, one look-up of their parts for all."""
        if len(self._parts) == 1:       # one part: its own keys, or its first mentions
            part = cast(_Fed, self._parts[0])
            at = slice(lo, hi) if self._first is None else self._first[lo:hi]
            keys, note = part.keys[at].tolist(), part.note
            if isinstance(note, str):
                return [self._said(key, note) for key in keys]
            return [self._said(key, said) for key, said in zip(keys, note[at].tolist())]
        at = np.arange(lo, hi) if self._first is None else self._first[lo:hi]
        which = np.searchsorted(self._ends, at, side="right")
        return [self._word(cast(_Fed, self._parts[w]), a - s)
                for a, w, s in zip(at.tolist(), which.tolist(), self._starts[which].tolist())]

    def __iter__(self) -> Iterator[str]:
        return iter(self[:])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]   # as a list's

    def __repr__(self) -> str:
        return repr(list(self))


class Sources(Mapping[tuple[str, str], Places]):
    """(employee_id, measure) → the `Places` that fed it (`Feeds.result`)."""

    def __init__(self, feeds: Feeds) -> None:
        self._feeds = feeds
        self._parts = {key: v for key, v in feeds.parts.items() if v}

    def __getitem__(self, key: tuple[str, str]) -> Places:
        return Places(self._feeds, self._parts[key])

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._parts)

    def __len__(self) -> int:
        return len(self._parts)

    def joined(self, employee_id: str, measures: Iterable[str]) -> Places:
        """The places of each of `measures` of `employee_id`, one after the other, without repeats."""
        return Places(self._feeds, [p for m in measures for p in self._parts.get((employee_id, m), [])])


def joined_places(sources: Mapping[tuple[str, str], Sequence[str]], employee_id: str,
                  measures: Iterable[str]) -> Sequence[str]:
    """`Sources.joined` of `sources`, or of a plain mapping of lists."""
    if isinstance(sources, Sources):
        return sources.joined(employee_id, measures)
    return list(dict.fromkeys(p for m in measures for p in sources.get((employee_id, m), [])))


def factorize_runs(values: np.ndarray) -> tuple[np.ndarray, Any]:
    """`pd.factorize(values)` of an object column that holds long runs of one value (a sheet's
    file and sheet names: one per row of a million-row sheet): only the first cell of each run
    factorized, its code repeated over the run. Equal neighbours (`!=` False) factorize alike;
    a comparison that does not give a plain mask (pd.NA, an odd object) goes the plain way."""
    n = len(values)
    if n < 64:
        return pd.factorize(values)
    try:
        differs = values[1:] != values[:-1]
    except (TypeError, ValueError):
        return pd.factorize(values)
    if not isinstance(differs, np.ndarray) or differs.dtype != bool or differs.shape != (n - 1,):
        return pd.factorize(values)
    heads = np.flatnonzero(np.concatenate(([True], differs)))
    if len(heads) > n // 8:        # short runs: the plain factorize is cheaper
        return pd.factorize(values)
    codes, uniques = pd.factorize(values[heads])
    return np.repeat(codes, np.diff(np.append(heads, n))), uniques


def _numbers(column: pd.Series) -> np.ndarray:
    """A row-number column as it is when it holds integers only (no blank), else as objects."""
    plain = isinstance(column.dtype, np.dtype) and column.dtype.kind in "iu"   # not a nullable Int64
    return column.to_numpy() if plain else column.to_numpy(dtype=object)


@dataclass(frozen=True)
class SheetRows:
    """Where each row of a frame with provenance columns came from, column-wise: `places` the
    distinct file-and-sheet places (`Source.of_row` without the row; None: no file), `which`
    each row's index into them, `numbers` its row number (-1 when blank or unplaced)."""

    places: list[Source | None]
    which: np.ndarray
    numbers: np.ndarray

    @classmethod
    def of(cls, rows: pd.DataFrame) -> SheetRows:
        """Each file and sheet placed once, the row numbers read as one column (million-row
        sheets feed several measures and every order is paid)."""
        n = len(rows)
        if "_file" not in rows.columns:
            return cls([None], np.zeros(n, dtype=np.intp), np.full(n, -1, dtype=np.int64))

        def column(name: str) -> np.ndarray:
            return rows[name].to_numpy(dtype=object) if name in rows.columns else np.full(n, None, dtype=object)

        numbers = _numbers(rows["_row"]) if "_row" in rows.columns else column("_row")
        return cls.of_columns(column("_file"), column("_sheet"), numbers)

    @classmethod
    def of_columns(cls, files: np.ndarray, sheets: np.ndarray, numbers: np.ndarray) -> SheetRows:
        """`of` the provenance columns as object arrays (a blank file, sheet or row: None or NaN);
        the row numbers may also be a column of integers (no blanks), read as they are."""
        file_codes, _ = factorize_runs(files)           # blanks: -1
        sheet_codes, sheet_names = factorize_runs(sheets)
        pairs = (file_codes.astype(np.int64) + 1) * (len(sheet_names) + 1) + sheet_codes + 1
        which = pd.factorize(pairs)[0].astype(np.intp)
        first = first_codes(which)
        places = [Source.of_row({"_file": files[i], "_sheet": sheets[i]}) for i in first]
        unplaced = np.array([p is None for p in places], dtype=bool)[which]
        if numbers.dtype.kind in "iu":
            return cls(places, which, np.where(unplaced, -1, numbers).astype(np.int64))
        blank = pd.isna(numbers) | unplaced
        numbers = pd.to_numeric(pd.Series(np.where(blank, 0, numbers))).to_numpy()
        return cls(places, which, np.where(blank, -1, numbers).astype(np.int64))

    def take(self, positions: np.ndarray) -> SheetRows:
        """The rows at `positions` (their places, found once, shared)."""
        return SheetRows(self.places, self.which[positions], self.numbers[positions])

    def __iter__(self) -> Iterator[tuple[Source | None, int | None]]:
        """(place of the file and sheet, row number or None) of each row."""
        for at, number in zip(self.which.tolist(), self.numbers.tolist()):
            yield self.places[at], (None if number < 0 else number)

    def texts(self) -> list[str]:
        """`str(Source.of_row(row))` of each row."""
        words = np.array([str(p) for p in self.places], dtype=object)[self.which]
        numbered = self.numbers >= 0
        words[numbered] = words[numbered] + "!row " + self.numbers[numbered].astype(str).astype(object)
        return words.tolist()


def place_texts(rows: pd.DataFrame) -> list[str]:
    """`str(Source.of_row(row))` of every row, in order."""
    return SheetRows.of(rows).texts()


# ---------------------------------------------------------------------------------------------
# what every measure module is handed


@dataclass
class Context:
    """The month's inputs as the measure modules see them. `people` is indexed by employee_id
    in population order (attendance summary) with the roster facts measures need: role,
    scorecard (of the role), sales_target, supervisor_id, scheduled_days, month_workdays."""

    period: Period
    policy: Policy
    inputs: Inputs
    attendance: AttendanceResult
    people: pd.DataFrame
    roster: pd.DataFrame      # the roster rows of the population (provenance kept), same index
    feeds: Feeds
    issues: list[Issue] = field(default_factory=list)
    #: the month's deadline outcomes (`csbatch.audit.deadline_checks`: rule, employee_id, status, …);
    #: None when the caller has none, so the on-time shares measure nothing
    deadlines: pd.DataFrame | None = None

    def frame(self, kind: str) -> pd.DataFrame:
        """An input kind, with a fresh 0..n-1 index (intake concatenates files)."""
        return self.inputs[kind].reset_index(drop=True)

    def counted(self, kind: str) -> np.ndarray:
        """Which rows of `frame(kind)` count this month: the one period rule of inputs.yaml
        (`csbatch.sheets.period`), which intake already applied to the close's inputs — rows of
        another month were reported there; the register's kept rows are left out here."""
        return counted(self.frame(kind), self.policy.inputs.kinds.get(kind), self.period.code)

    def month_rows(self, kind: str) -> pd.DataFrame:
        """The rows of `kind` that count this month (`counted`)."""
        frame = self.frame(kind)
        return frame[counted(frame, self.policy.inputs.kinds.get(kind), self.period.code)]

    @property
    def settings(self):
        return self.policy.scoring.measures

    def cell(self, row: pd.Series, column: str) -> Source | None:
        """The place of `column` in an input row (`Inputs.cell`)."""
        return self.inputs.cell(row, column)
