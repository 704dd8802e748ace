"""The VIP programme through two real closes of the sample months: a customer qualifying on
trailing spend that spans both, cards and points carried forward, statements written, and no
whole national ID number (nor an unmasked phone outside the greeting list) in any output."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest

from conftest import CONFIG, SAMPLES
from csbatch.closing.runs import monthly_close
from csbatch.samples import generate_month


@pytest.fixture(scope="module")
def two_months(tmp_path_factory, policy):
    root = tmp_path_factory.mktemp("vip")
    november = root / "2026-11-inputs"
    generate_month(policy, "2026-11", november, employees=20, seed=2026)
    out = root / "out"
    october_close = monthly_close("2026-10", SAMPLES / "2026-10", out, CONFIG)
    assert october_close.ok, [str(i) for i in october_close.issues if i.is_error]
    november_close = monthly_close("2026-11", november, out, CONFIG)
    assert november_close.ok, [str(i) for i in november_close.issues if i.is_error]
    return out, october_close.state, november_close.state


def _members(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {r["customer_id"]: r for r in csv.DictReader(fh)}


def test_trailing_spend_spanning_two_months_qualifies_in_the_second(two_months):
    out, _, _ = two_months
    october = _members(out / "2026-10" / "data/vip_members.csv")
    november = _members(out / "2026-11" / "data/vip_members.csv")
    assert "KH000022" not in october
    span = november["KH000022"]
    assert (span["programme"], span["tier"], span["issued_on"]) == ("modern", "silver", "2026-11-21")
    assert span["spend_12m"] == "82300.00"
    # the flagship single-order member of October is carried into November with its points
    flagship = october["KH000010"]
    assert flagship["programme"] == "flagship" and int(flagship["points_close"]) > 0
    assert november["KH000010"]["card_no"] == flagship["card_no"]
    assert november["KH000010"]["points_open"] == flagship["points_close"]


def test_statements_are_written_for_members(two_months):
    out, _, _ = two_months
    statements = sorted(p.name for p in (out / "2026-11" / "vip").glob("*.html"))
    assert "KH000022.html" in statements and "KH000010.html" in statements
    page = (out / "2026-11" / "vip" / "KH000022.html").read_text(encoding="utf-8")
    assert "普通VIP" in page and "¥82,300.00" in page


def _texts(folder: Path):
    """Every output file's text: CSV, JSON and HTML as they are, workbooks by their XML parts,
    the ledger and the kept copies of the input files (`csbatch-inputs/`, sealed) by their bytes."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                yield path, "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
        else:
            yield path, path.read_bytes().decode("utf-8", "replace")


def test_no_whole_id_number_in_any_output_or_the_ledger(two_months):
    out, october, november = two_months
    ids = {i for state in (october, november) for i in state.inputs["customers"]["id_number"].dropna()}
    assert len(ids) > 100
    checked = 0
    for path, text in _texts(out):
        leaked = [i for i in ids if i in text]
        assert not leaked, f"{path} holds the whole ID number {leaked[0][-4:]} (…)"
        checked += 1
    assert checked > 30
    masked = next(iter(_members(out / "2026-11" / "data/vip_members.csv")))
    assert masked  # members exist, so statements (with masked IDs) were among the files checked


def test_phones_are_masked_everywhere_but_the_greeting_list(two_months):
    out, october, november = two_months
    phones = {p for state in (october, november) for p in state.inputs["customers"]["phone"].dropna()}
    tasks = {out / m / "data/vip_tasks.csv" for m in ("2026-10", "2026-11")}
    seen_in_tasks = False
    for path, text in _texts(out):
        found = [p for p in phones if p in text]
        if path in tasks or path.name.startswith("vip_statements_"):
            seen_in_tasks |= bool(found)   # the call list staff use (csv and its workbook sheet)
            continue
        assert not found, f"{path} holds an unmasked phone number"
    assert seen_in_tasks
