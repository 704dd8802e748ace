"""The kept copies of a close's files are sealed at rest (issue 11): no whole ID number or phone
number of the inputs is in any of them, yet the month reproduces identical from them; a copy
changed by one byte, sealed under another key, or whose ledger key is gone is refused by name."""

from __future__ import annotations

import base64
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from typer.testing import CliRunner

from conftest import CONFIG, SAMPLES
from csbatch.cli import app
from csbatch.closing.runs import monthly_close
from csbatch.ledger import Ledger, blobs
from csbatch.ledger.kept import close_of, kept_files, restore_inputs

runner = CliRunner(env={"CSBATCH_LANG": "en"})   # the English lines are the point
PERIOD = "2026-10"


@pytest.fixture(scope="module")
def closed(tmp_path_factory):
    """The sample month closed once; each test works on its own copy of the output folder."""
    assert not os.environ.get("CSBATCH_ID_KEY")
    out = tmp_path_factory.mktemp("sealed") / "out"
    result = monthly_close(PERIOD, SAMPLES / PERIOD, out, CONFIG)
    assert result.ok, [str(i) for i in result.issues if i.is_error]
    customers = result.state.inputs["customers"]
    secrets = {str(v) for column in ("id_number", "phone") for v in customers[column].dropna()}
    return out, secrets


@pytest.fixture
def out(closed, tmp_path):
    copy = tmp_path / "out"
    shutil.copytree(closed[0], copy)
    return copy


def _kept(out: Path):
    ledger = Ledger(out / "csbatch-ledger.sqlite")
    try:
        return kept_files(ledger, close_of(ledger, PERIOD).close_id, "input")
    finally:
        ledger.close()


def _bytes_of(path: Path) -> list[bytes]:
    """A file's bytes, and each member's decompressed when it is a zip (a workbook kept plain)."""
    found = [path.read_bytes()]
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            found += [z.read(n) for n in z.namelist()]
    return found


def test_no_kept_copy_holds_an_id_or_phone_number_and_the_month_still_reproduces_identical(closed, out):
    _, secrets = closed
    assert len(secrets) > 200
    copies = sorted(p for p in (out / "csbatch-inputs").rglob("*") if p.is_file())
    assert len(copies) >= len(_kept(out)) > 10 and all(p.suffix == ".sealed" for p in copies)
    for path in copies:
        for data in _bytes_of(path):
            text = data.decode("utf-8", "replace")
            leaked = [s for s in secrets if s in text]
            assert not leaked, f"{path} holds {leaked[0][-4:]} (…) whole"
    # the sealing key is HKDF-SHA256 of the ledger's key for this purpose alone: whoever holds the
    # key file can open a copy with any Fernet implementation
    key = (out / "csbatch-ledger.sqlite.key").read_text().strip().encode()
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"csbatch kept inputs").derive(key)
    roster = next(f for f in _kept(out) if f.name == "员工名册.xlsx")
    tokens = (out / roster.stored).read_bytes().splitlines()
    plain = b"".join(Fernet(base64.urlsafe_b64encode(derived)).decrypt(t) for t in tokens)
    assert plain == (SAMPLES / PERIOD / "员工名册.xlsx").read_bytes()

    result = runner.invoke(app, ["reproduce", PERIOD, "--out", str(out), "--config", str(CONFIG)])
    assert result.exit_code == 0, result.output
    assert f"{PERIOD}: identical" in result.stdout
    assert runner.invoke(app, ["ledger", "verify", "--out", str(out)]).exit_code == 0


def test_a_kept_copy_with_one_byte_changed_is_refused_by_restore_and_by_ledger_verify(out, tmp_path):
    customers = next(f for f in _kept(out) if f.name == "客户档案.xlsx")
    copy = out / customers.stored
    data = bytearray(copy.read_bytes())
    middle = len(data) // 2
    data[middle] = ord("A") if data[middle] != ord("A") else ord("B")   # still a base64 letter
    copy.chmod(0o600)
    copy.write_bytes(bytes(data))

    ledger = Ledger(out / "csbatch-ledger.sqlite")
    restored, issues = restore_inputs(ledger, PERIOD, tmp_path / "again")
    ledger.close()
    assert restored is None
    assert [(i.code, str(i.source)) for i in issues] == [("kept.damaged", str(copy))]
    assert "客户档案.xlsx" in issues[0].message and "does not open with the ledger's key" in issues[0].message
    assert not (tmp_path / "again" / "客户档案.xlsx").exists()   # nothing half-restored is left

    verified = runner.invoke(app, ["ledger", "verify", "--out", str(out)])
    assert verified.exit_code == 1
    assert customers.stored in verified.output and "does not open with the ledger's key" in verified.output
    result = runner.invoke(app, ["reproduce", PERIOD, "--out", str(out), "--config", str(CONFIG)])
    assert result.exit_code != 0 and "客户档案.xlsx" in result.output


def test_without_the_ledgers_key_nothing_kept_can_be_opened_and_the_key_file_is_named(out, tmp_path, monkeypatch):
    monkeypatch.delenv("CSBATCH_ID_KEY", raising=False)
    key = out / "csbatch-ledger.sqlite.key"
    key.unlink()
    ledger = Ledger(out / "csbatch-ledger.sqlite")
    restored, issues = restore_inputs(ledger, PERIOD, tmp_path / "again")
    ledger.close()
    assert restored is None and [(i.code, str(i.source)) for i in issues] == [("kept.no_key", str(key))]
    assert f"the ledger's key {key} is missing" in issues[0].message
    assert not key.exists()   # restoring never makes a new key: it would open nothing
    verified = runner.invoke(app, ["ledger", "verify", "--out", str(out)])
    assert verified.exit_code == 1 and str(key) in verified.output.replace("\n", "")
    result = runner.invoke(app, ["--lang", "zh", "reproduce", PERIOD, "--out", str(out), "--config", str(CONFIG)])
    assert result.exit_code != 0 and f"结账台账的密钥 {key} 不见了" in result.output.replace("\n", "")


def test_copies_sealed_under_another_key_are_refused(out, tmp_path):
    (out / "csbatch-ledger.sqlite.key").chmod(0o600)
    (out / "csbatch-ledger.sqlite.key").write_text("0" * 64)
    ledger = Ledger(out / "csbatch-ledger.sqlite")
    restored, issues = restore_inputs(ledger, PERIOD, tmp_path / "again")
    ledger.close()
    assert restored is None and len(issues) == len(_kept(out))
    assert all(i.code == "kept.damaged" and "sealed under another key" in i.message for i in issues)


def test_a_large_file_is_sealed_in_chunks_and_a_copy_missing_or_reordering_one_is_refused(tmp_path):
    ledger_path = tmp_path / "l.sqlite"
    source = tmp_path / "big.csv"
    source.write_bytes(os.urandom(2 * blobs.CHUNK + 12345))
    sha, size = blobs.sha256_of(source)
    kept = blobs.keep(ledger_path, source, sha, "input", "big.csv")
    assert kept.size == size
    copy = tmp_path / kept.stored
    tokens = copy.read_bytes().splitlines(keepends=True)
    assert len(tokens) == 3   # one token per MiB: sealed and opened in constant memory
    fernet = blobs.sealing_key(ledger_path)
    assert blobs.restore(ledger_path, kept, tmp_path / "back", fernet) is None
    assert (tmp_path / "back" / "big.csv").read_bytes() == source.read_bytes()
    copy.chmod(0o600)
    for changed in (tokens[:2], [tokens[1], tokens[0], tokens[2]], []):
        copy.write_bytes(b"".join(changed))
        assert "changed on disk" in (blobs.damaged(ledger_path, kept, fernet) or "")

    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    kept = blobs.keep(ledger_path, empty, blobs.sha256_of(empty)[0], "input", "empty.csv")
    assert blobs.restore(ledger_path, kept, tmp_path / "back", fernet) is None
    assert (tmp_path / "back" / "empty.csv").read_bytes() == b""
    (tmp_path / kept.stored).chmod(0o600)
    (tmp_path / kept.stored).write_bytes(b"")   # emptied on disk: not the empty file it was
    assert "changed on disk" in (blobs.damaged(ledger_path, kept, fernet) or "")
