"""Memory a stage freed goes back to the system before the next stage (`csbatch.memory`): glibc
keeps freed chunks below a live one, so without `malloc_trim` the close's resident set stayed
~200 MiB over what it held at a million orders, enough to forbid the forked writer its room."""

from __future__ import annotations

import os

import pytest

from csbatch import memory
from csbatch.closing.runner import Stage, run_stages

MIB = 1024 * 1024

needs_trim = pytest.mark.skipif(memory._TRIM is None, reason="no glibc malloc_trim here (not Linux with glibc)")


def _resident() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _freed_under_a_live_chunk() -> tuple[bytearray, int]:
    """About 100 MiB of 2 KiB chunks (C heap, not Python's small-object arenas) freed while the
    chunk allocated after them lives on, so the heap cannot shrink from its top; the live chunk
    and the resident set measured after the free."""
    chunks = [bytearray(2048) for _ in range(50_000)]
    for chunk in chunks:
        chunk[::512] = b"\x01" * 4          # touched: resident
    pin = bytearray(2048)
    del chunks
    return pin, _resident()


@needs_trim
def test_give_back_returns_freed_chunks_to_the_system():
    pin, before = _freed_under_a_live_chunk()
    memory.give_back()
    after = _resident()
    assert before - after > 50 * MIB, f"resident {before // MIB} MiB before, {after // MIB} MiB after"
    assert len(pin) == 2048


@needs_trim
def test_each_stage_hands_back_what_it_freed_before_the_next_begins():
    held: dict[str, int] = {}

    def allocating(state: list) -> tuple[list, list]:
        pin, held["freed"] = _freed_under_a_live_chunk()
        return [*state, pin], []

    def next_stage(state: list) -> tuple[list, list]:
        held["next"] = _resident()
        return state, []

    outcome = run_stages([Stage("allocating", allocating), Stage("next", next_stage)], [])
    assert outcome.ok
    assert held["freed"] - held["next"] > 50 * MIB, held

