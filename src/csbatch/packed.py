"""A forked child's result, pickled with its long object arrays packed (`dump`, `load`).

A year of VIP history hands the close ~9 million cells of pandas object columns (95k members, 293k
reminders, 438k purchases). Pickle memoizes every object it writes, and holds a reference to it
and to what each object's `__reduce__` made (a Decimal's text and argument tuple, a date's bytes)
until the dump ends: 4 million memo entries, ~220 MiB more in the child just as it ended, the
moment the close and its VIP child held the most memory.

Here each object array of `SMALLEST` cells or more is written as the codes of its distinct objects
(told apart by identity) and those objects by kind: the texts as one string and their lengths
(equal texts of a chunk of the array once: the tier and status of 90k members, read from the
ledger as 90k objects each), the Decimals as their texts, the dates as their day numbers. These
go into a side file as they are made, each with a pickler of its own, so the dump holds none of
them; the file is then the pickle of the rest, the side file, and a trailer saying where the side
file begins. Any other object of the array goes into the pickle of the rest, where pickle shares
it with whatever else holds it. `load` makes each Decimal (by its text: 1.0 is not 1.00) and date
once per load, shared between every array that holds it, and each text once per chunk of an
array. So the result holds the same values of the same types, in arrays of the same shape and
order. (A text held by two arrays is two objects here, where pickle kept it one: making every
text once per load took a dict look-up each, 0.3 s of the close's wait at 1M orders, for ~50 MiB
at a year of VIP history.)
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import shutil
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any, Literal

import numpy as np
import pandas as pd

from csbatch.grouping import Once, identities

#: an object array of fewer cells is pickled as pickle does
SMALLEST = 1024
#: cells told apart at a time (their ids, codes and hash table: ~40 bytes a cell, then freed)
_CHUNK = 1 << 20
#: the last bytes of a packed file: this, then where its side part begins (8 bytes, little-endian)
_MAGIC = b"csbpack1"


class _Pickler(pickle.Pickler):
    def __init__(self, file: IO[bytes], side: IO[bytes]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.side = side

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is np.ndarray and obj.dtype == object and obj.size >= SMALLEST:
            return _unpacked, _packed(obj, self.side)
        return NotImplemented


def dump(obj: object, file: IO[bytes]) -> None:
    """Pickle `obj` into `file` (a file that can tell its position), its long object arrays packed."""
    with tempfile.TemporaryFile() as side:
        _Pickler(file, side).dump(obj)
        begins = file.tell()
        side.seek(0)
        shutil.copyfileobj(side, file, 1 << 20)
    file.write(_MAGIC + begins.to_bytes(8, "little"))


@dataclass
class _Reading:
    """One `load`: where the side part begins, and the values made so far, by kind."""

    fd: int
    begins: int
    decimals: Once = field(default_factory=lambda: Once(Decimal))            # text → Decimal
    days: Once = field(default_factory=lambda: Once(dt.date.fromordinal))   # day number → date


_reading: _Reading | None = None


def load(file: IO[bytes]) -> Any:
    """What `dump` wrote into `file`, or a plain pickle (read from its start)."""
    global _reading
    size = file.seek(0, os.SEEK_END)
    trailer = b""
    if size >= len(_MAGIC) + 8:
        file.seek(size - len(_MAGIC) - 8)
        trailer = file.read(len(_MAGIC) + 8)
    file.seek(0)
    if not trailer.startswith(_MAGIC):
        return pickle.load(file)
    _reading = _Reading(file.fileno(), int.from_bytes(trailer[len(_MAGIC):], "little"))
    try:
        return pickle.load(file)
    finally:
        _reading = None


def _packed(a: np.ndarray, side: IO[bytes]) -> tuple[Any, ...]:
    order: Literal["C", "F"] = "F" if a.flags.f_contiguous and not a.flags.c_contiguous else "C"
    flat = a.ravel(order=order)
    parts = []
    for start in range(0, flat.size, _CHUNK):
        cells = flat[start:start + _CHUNK]
        codes, distinct = identities(cells.tolist())
        kinds, others = _by_kind(distinct)
        said = pickle.dumps((codes.astype(np.min_scalar_type(len(distinct))), *kinds),
                            protocol=pickle.HIGHEST_PROTOCOL)
        parts.append((side.tell(), len(said), others))
        side.write(said)
    return a.shape, order, parts


def _by_kind(values: list[Any]) -> tuple[tuple[Any, ...], tuple[list[int], list[Any]]]:
    """A chunk's distinct objects by kind: (count, (where, what) of its texts, Decimals and dates),
    and (where, what) of the others."""
    kinds: dict[type, list[int]] = {}
    for i, value in enumerate(values):
        kinds.setdefault(type(value), []).append(i)
    texts, decimals, days = kinds.pop(str, []), kinds.pop(Decimal, []), kinds.pop(dt.date, [])
    others = sorted(i for at in kinds.values() for i in at)
    same, said = _same_texts([values[i] for i in texts])
    return ((len(values),
             (texts, same, "".join(said), np.fromiter(map(len, said), dtype=np.int64, count=len(said))),
             (decimals, "\n".join(str(values[i]) for i in decimals)),
             (days, np.fromiter((values[i].toordinal() for i in days), dtype=np.int64, count=len(days)))),
            (others, [values[i] for i in others]))


def _same_texts(texts: list[str]) -> tuple[np.ndarray, list[str]]:
    """Each of `texts` as the code of its value, and the values: equal texts (distinct objects:
    each of 90k members' tier read from the ledger) are written, and made again, once."""
    if not texts:
        return np.empty(0, dtype=np.uint8), []
    codes, distinct = pd.factorize(np.fromiter(texts, dtype=object, count=len(texts)))
    return codes.astype(np.min_scalar_type(len(distinct))), distinct.tolist()


def _unpacked(shape: tuple[int, ...], order: Literal["C", "F"],
              parts: list[tuple[int, int, tuple[list[int], list[Any]]]]) -> np.ndarray:
    reading = _reading
    if reading is None:
        raise pickle.UnpicklingError("a packed array is read by csbatch.packed.load")
    pools = []
    for at, size, (others_at, others) in parts:
        said = os.pread(reading.fd, size, reading.begins + at)
        if len(said) != size:
            raise pickle.UnpicklingError("a packed array's side part is cut short")
        codes, *kinds = pickle.loads(said)
        pool = _pool(kinds, reading)
        if others_at:
            pool[others_at] = np.fromiter(others, dtype=object, count=len(others))
        pools.append(pool[codes])
    flat = np.concatenate(pools) if len(pools) != 1 else pools[0]
    return flat.reshape(shape, order=order)


def _pool(kinds: list[Any], reading: _Reading) -> np.ndarray:
    count, (texts, same, joined, lengths), (decimals, said), (days, ordinals) = kinds
    pool = np.empty(count, dtype=object)
    if texts:
        ends = np.cumsum(lengths).tolist()
        built = np.fromiter(map(joined.__getitem__, map(slice, [0, *ends], ends)), dtype=object, count=len(lengths))
        pool[texts] = built[same]
    if decimals:
        pool[decimals] = np.fromiter(map(reading.decimals.__getitem__, said.split("\n")), dtype=object,
                                     count=len(decimals))
    if days:
        pool[days] = np.fromiter(map(reading.days.__getitem__, ordinals.tolist()), dtype=object, count=len(days))
    return pool
