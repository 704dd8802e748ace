"""`csbatch vip import-history FILE`: a first-time user loads earlier months' purchases once, so
trailing-12-month spend is right from the first close. The file is in the sales-sheet format;
its purchases are counted by the close's own function (`vip.purchases.history_purchases`): a
completed order with a store type adds its amount in the month of its order date, a refunded
order was never counted and adds nothing. Months the ledger already holds are refused, whether
the file's rows of that month add anything or not."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import TypedDict

import typer

from csbatch.commands.exits import finish_with
from csbatch.console import language
from csbatch.errors import Issue, Source
from csbatch.filehash import sha256_file
from csbatch.i18n import N_, word
from csbatch.ledger.opening import open_ledger_checked
from csbatch.ledger.store import ImportRefused, ledger_at
from csbatch.policy import load_policy
from csbatch.resources import resolve_config
from csbatch.sheets.intake import read_kind_file
from csbatch.vip.purchases import history_purchases


class Imported(TypedDict):
    rows: int
    periods: list[str]
    customers: int


def import_history(file: Path, ledger_path: Path,
                   config_dir: Path | None = None) -> tuple[Imported | None, list[Issue]]:
    policy, issues = load_policy(resolve_config(config_dir))
    if policy is None:
        return None, issues
    today = dt.date.today()
    sales, found = read_kind_file(policy, "sales", Path(file), f"{today:%Y-%m}")
    issues += found
    if sales is None:
        return None, issues
    purchases, months = history_purchases(sales, policy)
    empty = [Issue.of(Source(Path(file).name), "vip.import_empty",
                      N_("no completed purchase with a store type (旗舰/现代) in the file"))]
    if purchases.empty and not Path(ledger_path).exists():   # refused without making a ledger
        return None, issues + empty
    ledger, refused = open_ledger_checked(Path(ledger_path), "import the purchase history")
    if ledger is None:
        return None, issues + refused
    try:
        if purchases.empty and not ledger.periods_with_purchases(months):   # a clash is named below
            return None, issues + empty
        ledger.import_purchases(f"import-{uuid.uuid4().hex[:12]}", Path(file).name, sha256_file(Path(file)),
                                purchases, months)
    except ImportRefused as exc:
        return None, issues + [Issue.of(Source(str(ledger_path)), "vip.import_twice", exc.template, **exc.values)]
    finally:
        ledger.close()
    periods = sorted(set(purchases["period"]))
    return Imported(rows=len(purchases), periods=periods, customers=purchases["customer_id"].nunique()), issues


def run(file: Path, ledger: Path | None, out: Path | None, config: Path | None) -> None:
    done = finish_with(*import_history(file, ledger_at(ledger, out), config))
    typer.echo(word(language(), N_("imported {rows} purchases of {customers} customers for {periods}")).format(
        rows=done["rows"], customers=done["customers"], periods=", ".join(done["periods"])))
