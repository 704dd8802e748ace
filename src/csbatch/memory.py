"""Memory the close has freed, handed back to the system between its stages (`give_back`).

Reading a month's sheets allocates and frees hundreds of MiB in chunks the C library keeps for
later (python-calamine's cells, numpy's temporaries, the rows turned into columns). glibc returns
only the top of its heap on its own, so a close's resident memory stayed ~200 MiB over what it
held at 1M orders: enough to keep the forked writer (`csbatch.forked`) under the memory limit
from being made. `malloc_trim(0)` gives back every free page; where the C library has no such
call (musl, macOS, Windows), nothing happens."""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, found in this process's own symbols; None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


_TRIM = _malloc_trim()


def give_back() -> None:
    """Return the free pages of the C library's heap to the system (glibc; elsewhere a no-op).
    Costs a walk of the free chunks: 0.2 s after a million-order read, milliseconds otherwise."""
    if _TRIM is not None:
        _TRIM(0)
