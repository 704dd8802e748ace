"""Issue 14 (stop 38): a forked child's result is pickled with its long object arrays packed
(`csbatch.packed`): the same values of the same types come back, in arrays of the same shape and
order, while the dump holds a memo entry for each distinct object that is not a text, a Decimal or
a date, instead of one for every object and what its reduction made."""

from __future__ import annotations

import datetime as dt
import io
import pickle
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csbatch import packed
from csbatch.forked import ahead, fork_helps


class Tag:
    """Any other object: kept as itself, shared with whatever else holds it."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"Tag({self.name!r})"


def _round_trip(obj: object, tmp: Path) -> object:
    path = tmp / "said.pkl"
    with path.open("wb") as file:
        packed.dump(obj, file)
    with path.open("rb") as file:
        return packed.load(file)


def _said(values) -> list[tuple[str, str]]:
    return [(type(v).__name__, repr(v)) for v in values]


values = st.one_of(
    st.none(),
    st.text(max_size=6),
    st.sampled_from(["", "银卡", "\ud800", "😀x", "a\nb", "=HYPERLINK(\"x\")"]),
    st.decimals(allow_nan=True, allow_infinity=True, places=None),
    st.sampled_from([Decimal("1.0"), Decimal("1.00"), Decimal("-0"), Decimal("sNaN"), Decimal("1E+3")]),
    st.dates(),
    st.datetimes(),
    st.integers(), st.booleans(), st.floats(allow_nan=True),
    st.just(Tag("t")),
    st.tuples(st.integers(), st.text(max_size=2)),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(values, min_size=1, max_size=40), shape=st.sampled_from(["1d", "2c", "2f"]),
       chunk=st.sampled_from([3, 7, 1 << 20]))
def test_any_object_array_comes_back_as_it_was(tmp_path, monkeypatch, cells, shape, chunk):
    monkeypatch.setattr(packed, "SMALLEST", 1)
    monkeypatch.setattr(packed, "_CHUNK", chunk)
    flat = np.empty(len(cells) * 2, dtype=object)
    flat[:len(cells)] = cells
    flat[len(cells):] = cells[::-1]          # each object twice
    a = {"1d": flat, "2c": flat.reshape(2, -1), "2f": np.asfortranarray(flat.reshape(2, -1))}[shape]
    b = _round_trip(a, tmp_path)
    assert type(b) is np.ndarray and b.dtype == object and b.shape == a.shape
    assert (b.flags.c_contiguous, b.flags.f_contiguous) == (a.flags.c_contiguous, a.flags.f_contiguous)
    assert _said(b.ravel()) == _said(a.ravel())
    # one object in, one object out: each cell's object is its twin's (not for a number, which
    # pickle writes by value, nor for a text, made once per chunk of the array)
    twins = zip(b.ravel()[:len(cells)], b.ravel()[len(cells):][::-1])
    assert all(x is y for x, y in twins if type(x) not in (int, float, str))


def test_a_frame_of_object_columns_comes_back_equal_and_shares_values(tmp_path):
    n = 3000
    tag = Tag("shared")
    frame = pd.DataFrame({
        "customer": [f"KH{i % 97:06d}" for i in range(n)],
        "tier": ["".join(("sil", "ver")) for _ in range(n)],     # 3,000 objects
        "amount": [Decimal(f"{i % 13}.{i % 3}0") for i in range(n)],
        "day": [dt.date(2026, 11, 1 + i % 30) for i in range(n)],
        "tag": [tag if i % 2 else None for i in range(n)],
        "points": range(n),
    })
    other = pd.DataFrame({"customer": [f"KH{i % 97:06d}" for i in range(2000)]})
    back, other_back, tag_back = _round_trip((frame, other, tag), tmp_path)
    assert list(back.dtypes) == list(frame.dtypes)
    for col in frame.columns:
        assert _said(back[col]) == _said(frame[col])
    # equal texts of an array are one object (each of its cells was a text of its own), equal
    # Decimals and dates one object wherever they are; 1.0 is not 1.00
    assert len({id(v) for v in back["customer"]}) == 97
    assert len({id(v) for v in other_back["customer"]}) == 97
    assert len({id(v) for v in back["tier"]}) == 1
    assert len({id(v) for v in back["amount"]}) == len({str(v) for v in frame["amount"]}) == 39
    assert len({id(v) for v in back["day"]}) == 30
    assert all(v is tag_back for v in back["tag"][1::2])        # any other object: itself, shared


def test_the_dump_holds_no_memo_entry_per_text_decimal_or_date(tmp_path):
    n = 20_000
    cells = np.empty(n, dtype=object)
    cells[:] = [Decimal(i) / 100 if i % 3 == 0 else dt.date.fromordinal(730_000 + i) if i % 3 == 1 else f"order {i}"
                for i in range(n)]
    plain = pickle.Pickler(io.BytesIO(), protocol=pickle.HIGHEST_PROTOCOL)
    plain.dump(cells)
    with (tmp_path / "side").open("w+b") as side:
        ours = packed._Pickler(io.BytesIO(), side)
        ours.dump(cells)
    assert len(plain.memo.copy()) > 2 * n     # each object, and a Decimal's text and tuple, a date's bytes and tuple
    assert len(ours.memo.copy()) < 50


def test_a_plain_pickle_is_read_as_one(tmp_path):
    path = tmp_path / "plain.pkl"
    path.write_bytes(pickle.dumps(("raised", ValueError("no"), "text")))
    with path.open("rb") as file:
        kind, exc, text = packed.load(file)
    assert (kind, str(exc), text) == ("raised", "no", "text")


def test_a_packed_array_is_read_by_load_only(tmp_path):
    path = tmp_path / "p.pkl"
    with path.open("wb") as file:
        packed.dump(np.array(["x"] * 2000, dtype=object), file)
    with path.open("rb") as file, pytest.raises(pickle.UnpicklingError, match=r"packed\.load"):
        pickle.load(file)


@pytest.mark.skipif(not fork_helps(), reason="ahead forks only with os.fork and two cores or more")
def test_a_childs_frame_comes_back_through_the_packed_pickle():
    def work(apart: bool) -> pd.DataFrame:
        return pd.DataFrame({"customer": [f"C{i % 50}" for i in range(5000)],
                             "amount": [Decimal("12.30")] * 5000})
    got = ahead(work).result()
    assert got.equals(work(False))
    assert len({id(v) for v in got["customer"]}) == 50
    assert {str(v) for v in got["amount"]} == {"12.30"}
