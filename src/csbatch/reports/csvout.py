"""Writing a contract table as `data/NAME.csv`: UTF-8 with BOM (so Excel opens Chinese right), one
header row, the contract's columns in order then any extra ones, byte-identical for the same
input (rows come sorted from the stage that computed them; no timestamps)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from csbatch.reports.cells import csv_column, csv_dates, csv_fraction_datetimes
from csbatch.reports.tables import Table


def write_csv(path: Path, table: Table, frame: pd.DataFrame) -> Path:
    missing = [c for c in table.names if c not in frame.columns]
    if missing:
        raise ValueError(f"{table.name}: the frame lacks contract columns {missing}")
    columns = [_column(frame[c.name], c.kind) for c in table.columns]   # each column at once
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(table.names)
        writer.writerows(zip(*columns))
    return path


def _column(values: pd.Series, kind: str) -> list[str]:
    dates = csv_dates(values, kind)
    if dates is None and kind == "datetime":
        dates = csv_fraction_datetimes(values)
    return dates if dates is not None else csv_column(values.tolist(), kind)
