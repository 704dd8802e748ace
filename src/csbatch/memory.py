"""Memory the close has freed, handed back to the system between its stages (`give_back`).

Reading a month's sheets allocates and frees hundreds of MiB in chunks the C library keeps for
later (python-calamine's cells, numpy's temporaries, the rows turned into columns). glibc returns
only the top of its heap on its own, so a close's resident memory stayed ~200 MiB over what it
held at 1M orders: enough to keep the forked writer (`csbatch.forked`) under the memory limit
from being made. `malloc_trim(0)` gives back every free page; where the C library has no such
call (musl, macOS, Windows), nothing happens.

Also how much memory this process holds (`resident`) and, in a forked child, how much of it is
the child's own (`private`): what decides whether a close forks a child at all."""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

from csbatch.clib import c_function

#: glibc's `malloc_trim`, found in this process's own symbols; None elsewhere
_TRIM = c_function("malloc_trim", [ctypes.c_size_t], ctypes.c_int)


def give_back() -> None:
    """Return the free pages of the C library's heap to the system (glibc; elsewhere a no-op).
    Costs a walk of the free chunks: 0.2 s after a million-order read, milliseconds otherwise."""
    if _TRIM is not None:
        _TRIM(0)


# --- how much -------------------------------------------------------------------------------------

def resident() -> int | None:
    """This process's resident memory in bytes (Linux's /proc; None elsewhere)."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def private(pid: int | str = "self") -> int | None:
    """The memory only this process (or process `pid`: the bench's close watching its children)
    maps, in bytes: a forked child's own share (what it allocated and the pages it copied),
    beside what it still shares with its parent (Linux 4.14+; None elsewhere, or once `pid` is
    gone)."""
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return None
    found = [int(line.split()[1]) for line in lines if line.startswith(("Private_Clean:", "Private_Dirty:"))]
    return sum(found) * 1024 if found else None
