"""`make bench`'s peak memory of a close counts the forked writer's private memory too: the
child shares the close's pages, so neither process's own peak RSS is what the machine held."""

from __future__ import annotations

import importlib.util
import os
import sys
import time

import pytest

from conftest import ROOT

MIB = 1024 * 1024


def _bench():
    spec = importlib.util.spec_from_file_location("bench_script", ROOT / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module     # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def _resident_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MIB


@pytest.mark.skipif(not os.path.exists("/proc/self/smaps_rollup") or not hasattr(os, "fork"),
                    reason="needs Linux's /proc/PID/smaps_rollup and os.fork")
def test_a_forked_childs_private_memory_is_added_to_the_parents_resident_set():
    watch = _bench()._WithChildren(every=0.02)
    watch.start()
    try:
        own = _resident_mib()
        pid = os.fork()
        if pid == 0:                                   # the child: 200 MiB of its own, held a while
            try:
                held = b"x" * (200 * MIB)
                time.sleep(1.0)
                os._exit(0 if len(held) else 1)
            finally:
                os._exit(1)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
    finally:
        watch.stop()
    assert watch.peak_mib > own + 180, f"sampled {watch.peak_mib:.0f} MiB, this process alone {own:.0f} MiB"


def test_without_a_child_nothing_is_sampled():
    watch = _bench()._WithChildren(every=0.01)
    watch.start()
    time.sleep(0.1)
    watch.stop()
    assert watch.peak_mib == 0.0
