"""Two closes starting at once on a new ledger both create its VIP key file (`load_key`): each
must get the same whole key, never an error because the other won, nor a key read half written."""

from __future__ import annotations

import multiprocessing
import stat

from csbatch.vip.identity import key_file, load_key


def _load(ledger, barrier, keys):
    barrier.wait()
    try:
        keys.put(load_key(ledger).decode())
    except Exception as exc:   # the test's own report of what went wrong in the child
        keys.put(f"error: {exc!r}")


def test_closes_creating_the_key_at_once_share_one_whole_key(tmp_path, monkeypatch):
    monkeypatch.delenv("CSBATCH_ID_KEY", raising=False)
    ctx = multiprocessing.get_context("fork")
    for attempt in range(15):
        ledger = tmp_path / f"run{attempt}" / "csbatch-ledger.sqlite"
        barrier, keys = ctx.Barrier(6), ctx.Queue()
        procs = [ctx.Process(target=_load, args=(ledger, barrier, keys)) for _ in range(6)]
        for p in procs:
            p.start()
        got = [keys.get(timeout=60) for _ in procs]
        for p in procs:
            p.join(60)
        assert len(set(got)) == 1, got
        assert len(got[0]) == 64 and int(got[0], 16) >= 0, got
        assert key_file(ledger).read_text() == got[0]
        assert stat.S_IMODE(key_file(ledger).stat().st_mode) == 0o600
        assert [f.name for f in ledger.parent.iterdir()] == [key_file(ledger).name]   # no draft left
