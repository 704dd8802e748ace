"""`csbatch vip import-history FILE`: a first-time user loads earlier months' purchases once, so
trailing-12-month spend is right from the first close. The file is in the sales-sheet format;
its completed purchases with a store type (net of refunds) go to the ledger, for months the
ledger has none of."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from pathlib import Path

import pandas as pd

from csbatch.errors import Issue, Source
from csbatch.ledger import Ledger
from csbatch.manifest import sha256_file
from csbatch.policy import load_policy
from csbatch.resources import resolve_config
from csbatch.sheets.intake import read_kind_file
from csbatch.vip.model import PURCHASE_COLUMNS


def purchases_of(sales: pd.DataFrame, store_types: set[str], completed: set[str], refunded: str = "refunded") -> pd.DataFrame:
    """Purchases per customer and store type from sales rows: completed → +amount, refunded →
    −amount, each in the month of its order date; rows without a programme's store type are
    outside the programmes."""
    rows = sales[sales["store_type"].isin(store_types) & sales["status"].isin(completed | {refunded})]
    sign = rows["status"].map(lambda st: Decimal(-1) if st == refunded else Decimal(1))
    out = pd.DataFrame({
        "period": rows["order_date"].dt.strftime("%Y-%m"),
        "customer_id": rows["customer_id"],
        "store_type": rows["store_type"],
        "category": rows["category"].fillna("regular"),
        "order_id": rows["order_id"],
        "order_date": rows["order_date"],
        "amount": [a * s for a, s in zip(rows["amount"], sign)],
    })
    return out[PURCHASE_COLUMNS].reset_index(drop=True)


def import_history(file: Path, ledger_path: Path, config_dir: Path | None = None) -> tuple[dict | None, list[Issue]]:
    policy, issues = load_policy(resolve_config(config_dir))
    if policy is None:
        return None, issues
    today = dt.date.today()
    sales, found = read_kind_file(policy, "sales", Path(file), f"{today:%Y-%m}")
    issues += found
    if sales is None:
        return None, issues
    stores = {p.store_type for p in policy.vip.programmes.values()}
    purchases = purchases_of(sales, stores, set(policy.scoring.measures.counted_sales.statuses))
    if purchases.empty:
        return None, issues + [Issue(Source(Path(file).name), "vip.import_empty",
                                     "no completed purchase with a store type (旗舰/现代) in the file")]
    ledger = Ledger(ledger_path)
    try:
        ledger.import_purchases(f"import-{uuid.uuid4().hex[:12]}", Path(file).name, sha256_file(Path(file)), purchases)
    except ValueError as exc:
        return None, issues + [Issue(Source(str(ledger_path)), "vip.import_twice", str(exc))]
    finally:
        ledger.close()
    periods = sorted(set(purchases["period"]))
    return {"rows": len(purchases), "periods": periods, "customers": purchases["customer_id"].nunique()}, issues
