"""Issue 14, round 15: a close is recorded in one transaction taken before its files are written
(`Ledger.recording`): the month's live close is checked first, the rows go in while the files are
written, and the close's own row gets its time and manifest at `finish`. Nothing is visible to
another connection before the commit; left without `finish`, nothing is recorded; finished, the
ledger is the one `record_close` leaves."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from csbatch.ledger import store
from csbatch.ledger.store import AlreadyClosed, Ledger
from test_ledger_record_round13 import _close, _tables


@pytest.fixture(autouse=True)
def _fixed_time(monkeypatch):
    monkeypatch.setattr(store, "now", lambda: "2026-11-01T00:00:00+00:00")
    monkeypatch.setattr(store, "who", lambda: "hr@host")


def _closes(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT close_id, closed_at, manifest FROM closes").fetchall() + \
            conn.execute("SELECT close_id, COUNT(*) FROM pay_lines GROUP BY close_id").fetchall()
    finally:
        conn.close()


def test_recorded_in_two_steps_the_ledger_is_the_one_record_close_leaves(tmp_path):
    new = _close(300, text_ids=True, twice=True)
    at_once, in_steps = tmp_path / "once.sqlite", tmp_path / "steps.sqlite"
    ledger = Ledger(at_once)
    ledger.record_close(new)
    ledger.close()
    ledger = Ledger(in_steps)
    began = replace(new, manifest={})
    with ledger.recording(began) as recording:
        recording.write_rows()
        assert _closes(in_steps) == []          # another connection sees nothing before the commit
        recording.finish(new)
    assert ledger.verify()[0] == []
    ledger.close()
    assert _tables(in_steps) == _tables(at_once)
    assert _closes(in_steps)[0] == (new.close_id, "2026-11-01T00:00:00+00:00", '{"x":"é"}')


def test_left_without_finish_nothing_is_recorded(tmp_path):
    path = tmp_path / "l.sqlite"
    ledger = Ledger(path)
    before = _tables(path)
    with ledger.recording(_close(50, text_ids=False, twice=False)) as recording:
        recording.write_rows()
    assert _tables(path) == before
    assert ledger.live_close("2026-10") is None and ledger.verify()[0] == []
    ledger.close()


def test_a_failure_while_the_files_are_written_rolls_the_rows_back(tmp_path):
    path = tmp_path / "l.sqlite"
    ledger = Ledger(path)
    before = _tables(path)
    with pytest.raises(OSError), ledger.recording(_close(50, text_ids=False, twice=False)) as recording:
        recording.write_rows()
        raise OSError(28, "No space left on device")
    assert _tables(path) == before
    ledger.close()


def test_a_month_already_closed_is_refused_before_any_row_is_written(tmp_path):
    path = tmp_path / "l.sqlite"
    ledger = Ledger(path)
    new = _close(50, text_ids=False, twice=False)
    ledger.record_close(new)
    before = _tables(path)
    with pytest.raises(AlreadyClosed), ledger.recording(replace(new, close_id="d" * 32)):
        pytest.fail("the body ran for a month already closed")
    assert _tables(path) == before
    ledger.close()


def test_rows_are_written_once_and_finished_once(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite")
    new = _close(20, text_ids=False, twice=False)
    with ledger.recording(new) as recording:
        with pytest.raises(RuntimeError):
            recording.finish(new)               # before its rows
        recording.write_rows()
        with pytest.raises(RuntimeError):
            recording.write_rows()
        with pytest.raises(RuntimeError):
            recording.finish(replace(new, close_id="e" * 32))
        recording.finish(new)
        with pytest.raises(RuntimeError):
            recording.finish(new)
    assert ledger.live_close("2026-10") is not None
    ledger.close()
