"""A ledger is closed on only with the key its closes were made with (`csbatch.ledger.keycheck`), and
a card holder's customer given another ID number is named (`vip.card_events.holders_moved`).

Found at 1M orders: a ledger copied without its `.key` file was closed on with a new key, every
card holder hashed to someone new and was issued a second card, and publishing stopped in a
traceback (two statements of one customer). A missing or another key is refused before
anything is written, naming the key, and the ledger is left as it was; a card holder's new
number is a warning at its row."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from conftest import CONFIG, SAMPLES
from csbatch.closing.runs import monthly_close, run_until_written
from csbatch.filehash import sha256_file
from csbatch.ledger import Ledger
from csbatch.samples import generate_month
from csbatch.vip.identity import ENV_KEY, key_file

LEDGER = "csbatch-ledger.sqlite"
CARD_HOLDER = "KH000010"     # issued a flagship card by the sample October close


@pytest.fixture(scope="module")
def october(tmp_path_factory, policy) -> tuple[Path, Path]:
    """The sample October closed (its folder: ledger, key, kept copies) and November's inputs."""
    root = tmp_path_factory.mktemp("keycheck")
    november = root / "2026-11-inputs"
    generate_month(policy, "2026-11", november, employees=20, seed=2026)
    out = root / "out"
    closed = monthly_close("2026-10", SAMPLES / "2026-10", out, CONFIG)
    assert closed.ok, [str(i) for i in closed.issues if i.is_error]
    return out, november


@pytest.fixture
def copy(october, tmp_path, monkeypatch) -> tuple[Path, Path]:
    monkeypatch.delenv(ENV_KEY, raising=False)
    out, november = october
    shutil.copytree(out, tmp_path / "out")
    return tmp_path / "out", november


def _refused(out: Path, november: Path, code: str) -> list[str]:
    """November closed on `out`'s ledger: refused with `code`, nothing published, ledger unchanged."""
    ledger = out / LEDGER
    before = sha256_file(ledger)
    outcome = monthly_close("2026-11", november, out, CONFIG)
    assert not outcome.ok
    found = [i for i in outcome.issues if i.is_error]
    assert {i.code for i in found} == {code}, [str(i) for i in found]
    assert not (out / "2026-11").exists()
    assert sha256_file(ledger) == before
    return [str(i) for i in found]


def test_a_missing_key_is_refused_before_a_new_one_is_made(copy):
    out, november = copy
    key_file(out / LEDGER).unlink()
    said = _refused(out, november, "ledger.key_missing")
    assert said[0].startswith(f"{key_file(out / LEDGER)}: missing")
    assert ENV_KEY in said[0]
    assert not key_file(out / LEDGER).exists()    # no new key was made


def test_another_key_file_is_refused_by_the_kept_copies(copy):
    out, november = copy
    key_file(out / LEDGER).write_text("0" * 64)
    said = _refused(out, november, "ledger.key_wrong")
    assert said[0].startswith(f"{key_file(out / LEDGER)}: not the key")


def test_another_key_in_the_environment_is_refused_and_named(copy, monkeypatch):
    out, november = copy
    monkeypatch.setenv(ENV_KEY, "another key")
    said = _refused(out, november, "ledger.key_wrong")
    assert said[0].startswith(f"{ENV_KEY}: not the key")


def test_the_right_key_passes_though_the_smallest_copy_is_damaged(copy):
    out, november = copy
    smallest = min((p for p in (out / "csbatch-inputs").rglob("*.sealed")), key=lambda p: p.stat().st_size)
    smallest.chmod(0o600)
    smallest.write_bytes(b"not a token\n")
    outcome = monthly_close("2026-11", november, out, CONFIG)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]


def test_another_key_without_kept_copies_is_warned_by_the_card_holders(copy):
    """Only the ledger and a key moved (no `csbatch-inputs`): nothing to try the key on. The few
    card holders of the sample, each now someone else, are named, and keep their cards (refused
    from `card_events.ALL_MOVED` holders on: tests/test_vip_holder_moved.py)."""
    out, november = copy
    shutil.rmtree(out / "csbatch-inputs")
    key_file(out / LEDGER).write_text("0" * 64)
    outcome = monthly_close("2026-11", november, out, CONFIG)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    moved = [str(i) for i in outcome.issues if i.code == "vip.holder_moved"]
    assert any(CARD_HOLDER in s for s in moved)
    members = (out / "2026-11" / "data" / "vip_members.csv").read_text(encoding="utf-8-sig").splitlines()
    ids = [line.split(",")[0] for line in members[1:]]
    assert len(ids) == len(set(ids)) and CARD_HOLDER in ids


def _id_cell(folder: Path, customer: str) -> tuple[Path, openpyxl.Workbook, object]:
    path = next(folder.glob("客户档案*.xlsx"))
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("客户编号")].value == customer)
    return path, book, row[header.index("身份证号")]


def test_a_card_holder_given_another_id_number_is_warned_at_the_row(copy, tmp_path):
    out, november = copy
    changed = tmp_path / "november"
    shutil.copytree(november, changed)
    path, book, cell = _id_cell(changed, CARD_HOLDER)
    other = "110101199003071234" if cell.value != "110101199003071234" else "110101199003071242"
    cell.value = other
    book.save(path)
    outcome = monthly_close("2026-11", changed, out, CONFIG)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    said = [str(i) for i in outcome.issues if i.code == "vip.holder_moved"]
    assert len(said) == 1
    assert said[0].startswith(f"{path.name}[") and f"!row {cell.row}" in said[0]
    assert CARD_HOLDER in said[0] and f"(ending {other[-4:]})" in said[0]
    assert other not in said[0]


def test_explain_on_a_ledger_without_its_key_refuses_and_makes_none(copy):
    """what-if, explain and reproduce compute on the ledger without a check-ledger stage: the VIP
    stage refuses there too, and never leaves a new key beside the ledger."""
    out, november = copy
    key_file(out / LEDGER).unlink()
    ledger = Ledger(out / LEDGER)
    try:
        outcome = run_until_written("2026-11", november, CONFIG, history_of=ledger)
    finally:
        ledger.close()
    assert [i.code for i in outcome.issues if i.is_error] == ["ledger.key_missing"]
    assert not key_file(out / LEDGER).exists()
