"""Faults of the machine, not of the inputs: folders the user may not write, a full disk, an `--out`
that is a file, a `--ledger` that is not a ledger, leftovers of a killed close, `--out` and
`--inputs` nested, a reopen pointed at another folder. Each is built for real (another user via
setpriv, a file-size limit set with setrlimit, kill -9 at a failpoint, real SQLite files) and
each ends in exit 1 with what to do, never exit 3."""

from __future__ import annotations

import errno
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from harness import CONFIG, PERIOD, ROOT, Closer, cli, sample_month

NOBODY = 65534


def _close_cmd(inputs: Path, out: Path, *extra: str | Path) -> list[str]:
    return [sys.executable, "-m", "csbatch.cli", "--lang", "en", "monthly-close", PERIOD, "--inputs", str(inputs),
            "--out", str(out), "--config", str(CONFIG), *map(str, extra)]


# --- another user ------------------------------------------------------------------------------

def _python_for_nobody() -> str | None:
    """An interpreter of this Python's version that another user can run (the venv's own may sit
    under /root, mode 0700); it reads the venv's packages through PYTHONPATH."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (sys.executable, f"/usr/bin/{version}", f"/usr/local/bin/{version}"):
        if Path(candidate).exists():
            probe = subprocess.run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                                    candidate, "-c", "import pandas, openpyxl, typer, csbatch.cli"],
                                   env=_nobody_env(), capture_output=True, cwd="/")
            if probe.returncode == 0:
                return candidate
    return None


ENGLISH = {**os.environ, "CSBATCH_LANG": "en"}     # a subprocess's refusals, read in English


def _nobody_env(home: Path | None = None) -> dict[str, str]:
    site = [p for p in sys.path if p.endswith("site-packages")]
    return {"PATH": "/usr/bin:/bin", "HOME": str(home or "/nonexistent"), "MPLCONFIGDIR": str(home or "/tmp"),
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), *site]), "LANG": "C.UTF-8",
            "CSBATCH_LANG": "en"}      # the faults pin what each refusal says: the English msgid


@pytest.fixture
def nobody():
    """(run, base): `run(*args)` runs csbatch as uid 65534 in a world-readable folder `base`."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run csbatch as another user")
    python = _python_for_nobody()
    if python is None:
        pytest.skip("no Python interpreter of this version that uid 65534 may run (the venv's is private)")
    base = Path(tempfile.mkdtemp(prefix="csbatch-faults-", dir="/tmp"))
    base.chmod(0o755)
    home = base / "home"
    home.mkdir()
    os.chown(home, NOBODY, NOBODY)

    def run(*args: str | Path) -> subprocess.CompletedProcess:
        return subprocess.run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                               python, "-m", "csbatch.cli", *map(str, args)],
                              env=_nobody_env(home), capture_output=True, text=True, cwd=base)
    try:
        yield run, base
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _readable_month(base: Path) -> Path:
    inputs = sample_month(base)
    for path in [inputs, *inputs.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return inputs


def _refused_env(run: subprocess.CompletedProcess, *needles: str) -> None:
    assert run.returncode == 1, (run.returncode, run.stderr)
    assert "Traceback" not in run.stdout + run.stderr and "a bug in csbatch" not in run.stderr
    for needle in needles:
        assert needle in run.stderr, f"{needle!r} not in:\n{run.stderr}"


def test_a_read_only_out_folder(nobody):
    run, base = nobody
    inputs = _readable_month(base)
    out = base / "closes"          # root's folder, mode 0755: uid 65534 cannot write it
    out.mkdir()
    _refused_env(run("monthly-close", PERIOD, "--inputs", inputs, "--out", out, "--config", CONFIG),
                 f"--out {out} cannot be written by this user", "give the user running csbatch write access")
    assert list(out.iterdir()) == []


def test_a_read_only_ledger_folder(nobody):
    run, base = nobody
    inputs = _readable_month(base)
    out = base / "mine"
    out.mkdir()
    os.chown(out, NOBODY, NOBODY)
    shared = base / "shared"       # the ledger's folder belongs to root
    shared.mkdir()
    _refused_env(run("monthly-close", PERIOD, "--inputs", inputs, "--out", out, "--config", CONFIG,
                     "--ledger", shared / "csbatch-ledger.sqlite"),
                 f"the ledger's folder {shared} cannot be written by this user")
    assert list(out.iterdir()) == [] and list(shared.iterdir()) == []


def test_a_ledger_file_of_another_user(nobody):
    run, base = nobody
    inputs = _readable_month(base)
    out = base / "mine"
    out.mkdir()
    from csbatch.ledger import Ledger
    Ledger(out / "csbatch-ledger.sqlite").close()   # created by root: 0644, read-only for uid 65534
    os.chown(out, NOBODY, NOBODY)
    before = (out / "csbatch-ledger.sqlite").read_bytes()
    _refused_env(run("monthly-close", PERIOD, "--inputs", inputs, "--out", out, "--config", CONFIG),
                 "cannot be written by this user")
    assert (out / "csbatch-ledger.sqlite").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["csbatch-ledger.sqlite"]


def test_sqlite_and_os_errors_are_mapped_to_what_to_do(tmp_path):
    """Real errors raised by sqlite3 and the OS, through the one mapping the CLI and the close use."""
    from csbatch.environment import fault_issue

    db = tmp_path / "l.sqlite"
    sqlite3.connect(db).close()
    ro = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as readonly:
        ro.execute("CREATE TABLE t (a)")
    ro.close()
    assert "attempt to write a readonly database" in str(readonly.value)
    assert "give the user running csbatch write access" in fault_issue(readonly.value, db, "write").message

    text = tmp_path / "notes.sqlite"
    text.write_text("hello\n" * 200)
    with pytest.raises(sqlite3.DatabaseError) as notadb:
        sqlite3.connect(text).execute("SELECT * FROM sqlite_master")
    assert "not a csbatch ledger" in fault_issue(notadb.value, text, "open").message

    with pytest.raises(sqlite3.OperationalError) as cantopen:
        sqlite3.connect(tmp_path / "no" / "such" / "l.sqlite")
    assert fault_issue(cantopen.value, tmp_path, "open").code == "env.cannot_open"

    with pytest.raises(OSError) as notdir:
        (text / "sub").mkdir()
    assert notdir.value.errno == errno.ENOTDIR and fault_issue(notdir.value, text, "write").code == "env.not_a_folder"

    with pytest.raises(sqlite3.OperationalError) as bug:   # our own SQL being wrong stays a bug
        sqlite3.connect(db).execute("SELEC 1")
    assert fault_issue(bug.value, db, "write") is None


# --- a full disk --------------------------------------------------------------------------------

def _limited(limit: int):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # writes past the limit fail with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def _reopened_month(tmp_path: Path) -> tuple[Closer, Path, Path]:
    inputs = sample_month(tmp_path)
    closer = Closer(tmp_path)
    assert closer.close(inputs).exit_code == 0
    assert cli("reopen", PERIOD, "--reason", "disk test", "--out", closer.out).exit_code == 0
    moved, = closer.out.glob(f"{PERIOD}.reopened-*")
    return closer, inputs, moved


def test_a_full_disk_at_commit(tmp_path):
    closer, inputs, moved = _reopened_month(tmp_path)
    # every output file fits under the limit; the ledger's write-ahead log of the commit does not
    limit = max(p.stat().st_size for p in moved.rglob("*") if p.is_file()) + 8192
    before = closer.snapshot()
    run = subprocess.run(_close_cmd(inputs, closer.out), preexec_fn=_limited(limit), capture_output=True, text=True,
                         env=ENGLISH)
    _refused_env(run, "cannot write the close", "csbatch-ledger.sqlite", "disk",
                 "nothing was published and the ledger is unchanged")
    assert closer.snapshot() == before and not (closer.out / PERIOD).exists()
    assert not list(closer.out.glob(".*.partial-*"))


def test_a_full_disk_while_writing_the_outputs(tmp_path):
    closer, inputs, _ = _reopened_month(tmp_path)
    before = closer.snapshot()
    run = subprocess.run(_close_cmd(inputs, closer.out), preexec_fn=_limited(32 * 1024), capture_output=True,
                         text=True, env=ENGLISH)
    _refused_env(run, "cannot write the close: the disk is full", "nothing was published")
    assert closer.snapshot() == before and not list(closer.out.glob(".*.partial-*"))


# --- files where folders belong, and the reverse ---------------------------------------------------

def test_an_out_that_is_a_file(tmp_path):
    inputs = sample_month(tmp_path)
    out = tmp_path / "closes.txt"
    out.write_text("notes")
    run = cli("monthly-close", PERIOD, "--inputs", inputs, "--out", out, "--config", CONFIG)
    _refused_env(_completed(run), f"--out {out} is a file, not a folder")
    below = cli("monthly-close", PERIOD, "--inputs", inputs, "--out", out / "2026", "--config", CONFIG)
    _refused_env(_completed(below), f"is under {out}, which is a file")
    assert out.read_text() == "notes"


def test_any_command_meeting_a_file_where_a_folder_belongs_is_not_a_bug(tmp_path):
    """The CLI's last resort: an environment fault no command foresaw is still exit 1, not 3."""
    note = tmp_path / "samples"
    note.write_text("x")
    run = cli("sample", PERIOD, "--out", note, "--config", CONFIG)
    _refused_env(_completed(run), f"{note}: cannot go on: it already exists as a file where a folder was expected")


def _completed(run) -> subprocess.CompletedProcess:
    return subprocess.CompletedProcess([], run.exit_code, run.stdout, run.stderr)


def test_a_ledger_that_is_a_text_file(tmp_path):
    inputs = sample_month(tmp_path)
    notes = tmp_path / "ledger.sqlite"
    notes.write_text("the September ledger is on the shared drive\n" * 50)
    Closer(tmp_path).refused(inputs, "not a csbatch ledger (file is not a database)", extra=("--ledger", notes))
    assert notes.read_text().startswith("the September ledger")


def test_a_ledger_that_is_another_programs_database(tmp_path):
    inputs = sample_month(tmp_path)
    other = tmp_path / "crm.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers VALUES (1, '张三')")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    Closer(tmp_path).refused(inputs, "is an SQLite database but not a csbatch ledger (it holds customers)",
                             extra=("--ledger", other))
    assert other.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["crm.db", "in"]


def test_a_ledger_that_is_a_folder(tmp_path):
    inputs = sample_month(tmp_path)
    folder = tmp_path / "ledgers"
    folder.mkdir()
    Closer(tmp_path).refused(inputs, "is a folder, not a file", extra=("--ledger", folder))


def test_out_inside_inputs_is_refused(tmp_path):
    inputs = sample_month(tmp_path)
    closer = Closer(tmp_path)
    closer.out = inputs / "closes"
    run = closer.close(inputs)
    _refused_env(_completed(run), f"--out {closer.out} is inside --inputs {inputs}")
    assert not closer.out.exists()


def test_inputs_inside_out_is_refused(tmp_path):
    inputs = sample_month(tmp_path, "out/inbox")
    Closer(tmp_path).refused(inputs, f"--inputs {inputs} is inside --out {tmp_path / 'out'}")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["inbox"]


# --- leftovers of a killed close ---------------------------------------------------------------

def test_a_killed_closes_staging_folder_is_removed_by_the_next_close(tmp_path):
    inputs = sample_month(tmp_path)
    closer = Closer(tmp_path)
    killed = subprocess.run(_close_cmd(inputs, closer.out), env={**os.environ, "CSBATCH_FAILPOINT": "close.files_written"},
                            capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    leftover, = closer.out.glob(f".{PERIOD}.partial-*")
    assert (leftover / "manifest.json").exists() and (leftover / "data" / "payroll.csv").exists()
    # its pid now belongs to a live process (this one): a pid check would keep it for ever
    reused = leftover.with_name(f".{PERIOD}.partial-{os.getpid()}-{leftover.name.rsplit('-', 1)[1]}")
    leftover.rename(reused)
    assert closer.close(inputs).exit_code == 0
    assert not list(closer.out.glob(".*.partial-*"))


def test_a_running_closes_staging_folder_is_kept_and_reopen_removes_it_once_gone(tmp_path):
    from csbatch.ledger import staging

    inputs = sample_month(tmp_path)
    closer = Closer(tmp_path)
    assert closer.close(inputs).exit_code == 0
    running = closer.out / f".{PERIOD}.partial-1-abcdefabcdef"   # another close of the month, still writing
    running.mkdir()
    (running / "payroll.csv").write_text("employee_id\n")
    lock = staging.hold(running)
    try:
        assert cli("reopen", PERIOD, "--reason", "late leave", "--out", closer.out).exit_code == 0
        assert running.exists()
        assert closer.close(inputs).exit_code == 0
        assert running.exists()
    finally:
        staging.release(lock)
    assert cli("reopen", PERIOD, "--reason", "again", "--out", closer.out).exit_code == 0
    assert not running.exists()


# --- reopen and the folder it moves ---------------------------------------------------------------

def test_reopen_moves_the_folder_under_the_out_given(tmp_path):
    inputs = sample_month(tmp_path)
    closer = Closer(tmp_path)
    assert closer.close(inputs).exit_code == 0
    moved_out = tmp_path / "archive" / "closes"     # the whole OUT moved, ledger and all
    moved_out.parent.mkdir()
    closer.out.rename(moved_out)
    run = cli("reopen", PERIOD, "--reason", "late leave", "--out", moved_out)
    assert run.exit_code == 0, run.output
    aside, = moved_out.glob(f"{PERIOD}.reopened-*")
    assert (aside / "manifest.json").exists() and not (moved_out / PERIOD).exists()
    assert str(aside) in run.stdout


def test_reopen_refuses_an_out_where_the_month_was_not_published(tmp_path):
    inputs = sample_month(tmp_path)
    closer = Closer(tmp_path)
    assert closer.close(inputs).exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    before = closer.snapshot()
    run = cli("reopen", PERIOD, "--reason", "x", "--ledger", closer.ledger, "--out", elsewhere)
    _refused_env(_completed(run), f"the ledger says {PERIOD} was published in {closer.out / PERIOD}",
                 f"give --out {closer.out}")
    assert closer.snapshot() == before and list(elsewhere.iterdir()) == []
