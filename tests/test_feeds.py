"""`Feeds` keeps the rows behind each measure as numbers and words them when read: what an
explanation reads (`Sources`, `joined_places`) is what wording every row and dropping repeats
(`dict.fromkeys`, first mention first) always gave, notes, blanks and odd file names included."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd

from csbatch.i18n import N_, Said
from csbatch.scoring.measures_kit import _FEW_KEYS, Feeds, _first_mentions, _noted, joined_places, place_texts

WHO = ["E1", "E2", "E3"]


def _rows(rng: random.Random, n: int, files: list[str | None], blanks: bool = True,
          plain: bool = False) -> pd.DataFrame:
    """`plain`: the row numbers an int64 column (without `blanks`), not a nullable one."""
    rows = pd.DataFrame({
        "employee_id": [rng.choice([*WHO, "X9", None]) for _ in range(n)],
        "_file": [rng.choice(files) for _ in range(n)],
        "_sheet": [rng.choice(["S1", "S2", None]) for _ in range(n)],
        "_row": pd.array([rng.choice([None, *range(2, 9)] if blanks else range(2, 9)) for _ in range(n)], dtype="Int64"),
    })
    return rows.astype({"_row": np.int64}) if plain else rows


class _Reference:
    """The row-by-row wording Feeds replaced."""

    def __init__(self) -> None:
        self.places: dict[tuple[str, str], list[str]] = {}

    def add(self, names, rows, by="employee_id", note=""):
        keys = rows[by].to_numpy(dtype=object) if isinstance(by, str) else np.asarray(by, dtype=object)
        notes = [note] * len(rows) if isinstance(note, str) else list(note)
        mine = pd.Series(keys).isin(WHO).to_numpy()
        picked = rows[mine].assign(_who=keys[mine], _note=[n for n, m in zip(notes, mine) if m])
        picked = picked.sort_values(["_file", "_sheet", "_row"], kind="stable")
        for emp, place, n in zip(picked["_who"], place_texts(picked), picked["_note"]):
            for m in [names] if isinstance(names, str) else names:
                self.places.setdefault((emp, m), []).append(_noted(place, n))

    def add_shared(self, names, rows, who, note=""):
        picked = rows.sort_values(["_file", "_sheet", "_row"], kind="stable")
        for emp in who:
            for m in [names] if isinstance(names, str) else names:
                self.places.setdefault((emp, m), []).extend(_noted(p, note) for p in place_texts(picked))

    def text(self, emp, names, text):
        for m in [names] if isinstance(names, str) else names:
            self.places.setdefault((emp, m), []).append(text)

    def result(self):
        return {k: list(dict.fromkeys(v)) for k, v in self.places.items()}


def _same(feeds: Feeds, ref: _Reference) -> None:
    got, want = feeds.result(), ref.result()
    assert set(got) == set(want)
    for key, places in want.items():
        assert list(got[key]) == places and len(got[key]) == len(places)
        assert [type(p) for p in got[key]] == [type(p) for p in places]
        assert got[key][-1] == places[-1] and got[key][1:3] == places[1:3]
    for emp in WHO:
        names = ["a", "b", "c"]
        assert list(joined_places(got, emp, names)) == list(joined_places(want, emp, names))


def _month(files: list[str | None], seed: int, blanks: bool = True, plain: bool = False) -> bool:
    """Feeds and the reference fed the same random rows say the same; whether on the numbers."""
    rng = random.Random(seed)
    feeds, ref = Feeds.for_(WHO), _Reference()
    for target in (feeds, ref):
        r = random.Random(seed)
        for step in range(6):
            rows = _rows(r, r.randint(0, 30), files, blanks, plain)
            if step == 2:
                notes = [r.choice(["", "late", Said(N_("production sheet on time"))]) for _ in range(len(rows))]
                target.add(["a", "c"], rows, note=notes)
            elif step == 3:
                target.add_shared("b", rows, ["E1", "E3"], note="shared")
            else:
                target.add(r.choice(["a", "b", ["a", "b"]]), rows, note=r.choice(["", "x"]))
            target.text("E2", "c", r.choice(["free text", "file.xlsx[S1]!row 3"]))
    assert rng  # one seed drives both
    _same(feeds, ref)
    return feeds.exact


def test_feeds_say_what_the_row_texts_said():
    for seed in range(40):
        assert _month(["a.xlsx", "b.csv", "c (1).xlsx"], seed, blanks=False)


def test_unnumbered_noted_rows_and_odd_file_names_fall_back_to_the_texts():
    for seed in range(20):
        _month(["a.xlsx", "b.csv", None], seed)
        assert not _month(["a.xlsx!row 3", "a.xlsx", None, "b)"], seed)


def test_shared_rows_are_kept_once():
    feeds = Feeds.for_(WHO)
    rows = _rows(random.Random(1), 50, ["a.xlsx"])
    feeds.add_shared(["a", "b"], rows, WHO)
    parts = {id(p[0]) for p in feeds.parts.values()}
    assert len(parts) == 1


def _many(rng: random.Random, n: int, rows: int) -> pd.DataFrame:
    """`n` rows of two files over `rows` row numbers (more distinct places than a dict is used for)."""
    return pd.DataFrame({
        "employee_id": [rng.choice(WHO) for _ in range(n)],
        "_file": [rng.choice(["a.xlsx", "b.csv"]) for _ in range(n)],
        "_sheet": ["S1"] * n,
        "_row": pd.array([rng.randint(2, rows) for _ in range(n)], dtype="Int64"),
    })


def test_first_mentions_are_the_index_s_on_either_side_of_the_dict_limit():
    rng = np.random.default_rng(3)
    for n in (0, 1, 2, _FEW_KEYS - 1, _FEW_KEYS, _FEW_KEYS + 1, 3000):
        for spread in (1, max(1, n // 3), 4 * n + 1):
            keys = rng.integers(0, spread, n).astype(np.int64) << 32
            want = np.flatnonzero(~pd.Index(keys).duplicated())
            got = _first_mentions(keys)
            assert got.tolist() == want.tolist() and got.dtype == want.dtype


def test_many_rows_and_single_parts_say_what_the_row_texts_said():
    for seed in range(4):
        feeds, ref = Feeds.for_(WHO), _Reference()
        for target in (feeds, ref):
            r = random.Random(seed)
            target.add(["a", "b"], _many(r, 1500, 400))            # repeats, more than a dict's limit
            target.add("b", _many(r, 300, 900), note="x")           # a second part of b
            unique = pd.DataFrame({"employee_id": [WHO[i % 3] for i in range(900)], "_file": "c.xlsx",
                                   "_sheet": "S1", "_row": pd.array(range(2, 902), dtype="Int64")})
            target.add("c", unique)                                 # one part, no repeats
        assert feeds.exact
        _same(feeds, ref)
        got = feeds.result()
        assert got[("E1", "c")][5] == ref.result()[("E1", "c")][5] and got[("E2", "c")][-3:] == ref.result()[("E2", "c")][-3:]


def test_integer_row_numbers_say_what_the_row_texts_said():
    """Row numbers in a plain int64 column (a sheet's own, no blank) are placed and ordered
    without boxing them (a lexsort): the same places in the same order as the nullable column."""
    for seed in range(30):
        _month(["a.xlsx", "b.csv", None, "c (1).xlsx"], seed, blanks=False, plain=True)


def test_a_single_part_read_in_slices_says_what_the_row_texts_said():
    """One part (repeats or not, one note or a note per row) read whole, by slices and by index."""
    for seed in range(6):
        feeds, ref = Feeds.for_(WHO), _Reference()
        for target in (feeds, ref):
            r = random.Random(seed)
            rows = _many(r, 600, 40 if seed % 2 else 5000)
            notes = [r.choice(["", "late", Said(N_("production sheet on time"))]) for _ in range(len(rows))]
            target.add("a", rows, note=notes if seed < 3 else "x")
        got, want = feeds.result(), ref.result()
        for key, places in want.items():
            part = got[key]
            assert len(part) == len(places)
            for lo, hi in ((0, 12), (3, 7), (len(places) - 2, len(places) + 5), (5, 5)):
                assert part[lo:hi] == places[lo:hi]
            assert [part[i] for i in (0, -1, len(places) // 2)] == [places[i] for i in (0, -1, len(places) // 2)]
            assert [type(p) for p in part[:12]] == [type(p) for p in places[:12]]
