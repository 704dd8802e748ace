"""`csbatch reproduce PERIOD`: recompute a closed month from what its close kept — the exact input
files and the policy revision (`csbatch.ledger.kept`), with the history earlier months left
(`HistoryBefore`) and the ledger's VIP key — and compare it with what the close recorded.

"Identical" means both of:
- every row the ledger keeps of the close for later months (pay lines, per-order pay, results,
  audit figures, VIP purchases, cards and points) is the row the recomputation records, compared
  as the ledger stores them (money as exact Decimal text); the recomputed close is recorded into a
  scratch ledger by the same code, so nothing is compared that a close would not store;
- every `data/*.csv` file the close published has the sha256 its manifest recorded when written
  again from the recomputation (the contract files are byte-stable; the workbooks and HTML pages
  are renderings of the same data and are not compared).
A difference names the table (or file), the row (employee and component, card, order...), the
field, and the recorded and recomputed values. Nothing is written to the ledger or `--out`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from csbatch.closing.publish import pay_lines_frame, results_frame, write_data_files
from csbatch.closing.runs import run_until_written
from csbatch.errors import Issue, Source
from csbatch.filehash import sha256_file
from csbatch.ledger.digests import PARTS
from csbatch.ledger.kept import close_of, kept_files, recorded_policy, restore_inputs, restore_policy
from csbatch.ledger.opening import open_ledger_checked
from csbatch.ledger.store import NO_LEDGER, Ledger, NewClose
from csbatch.resources import resolve_config
from csbatch.scratch import scratch_folder

#: The tables compared, and the columns that name a row in each (the other digested columns are
#: the row's fields).
KEYS: dict[str, tuple[str, ...]] = {
    "pay_lines": ("employee_id", "component"),
    "order_pay": ("order_id", "employee_id", "component"),
    "results": ("employee_id", "scorecard"),
    "audit_figures": ("figure",),
    "vip_purchases": ("customer_id", "order_id", "store_type", "category"),
    "vip_cards": ("card_no",),
    "vip_points": ("card_no", "date", "kind", "order_id"),
}


@dataclass(frozen=True)
class Difference:
    part: str           # the ledger table, or the data file
    row: str            # which row: "employee_id 1003, component other"
    field: str
    recorded: str
    recomputed: str


@dataclass
class Reproduction:
    period: str
    close_id: str
    revision: str
    inputs: int
    differences: list[Difference] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not self.differences


def _rows(ledger: Ledger, part: str, close_id: str, only: set[tuple] | None = None) -> dict[tuple, list[tuple]]:
    """The close's rows of `part` by key: those whose key is in `only` (the rest stream past), or
    every one."""
    owner, columns = PARTS[part]
    keys = KEYS[part]
    values = [c for c in columns if c not in keys]
    out: dict[tuple, list[tuple]] = defaultdict(list)
    query = f"SELECT {', '.join(keys + tuple(values))} FROM {part} WHERE {owner} = ?"
    for row in ledger.conn.execute(query, (close_id,)):
        key = tuple(row[:len(keys)])
        if only is None or key in only:
            out[key].append(tuple(row[len(keys):]))
    return out


#: The recorded ledger's name on the recomputed (scratch) one's connection, attached to it once.
RECORDED = "recorded"


def _differing_keys(recorded: Ledger, recomputed: Ledger, part: str, close_id: str) -> set[tuple]:
    """The keys whose rows differ between the two ledgers, found in SQL: each side's rows counted
    per distinct row, and the counted rows one side has and the other lacks. The same rows as
    sorted lists per key compare (a row twice on one side and once on the other differs), without
    holding a million-order month's rows of both ledgers as Python tuples (700 MB at 1M orders,
    which took `reproduce` past 2 GiB)."""
    owner, columns = PARTS[part]
    keys = ", ".join(KEYS[part])
    every = ", ".join(KEYS[part] + tuple(c for c in columns if c not in KEYS[part]))
    counted = f"SELECT {every}, count(*) FROM {{db}}.{part} WHERE {owner} = ? GROUP BY {every}"
    a, b = counted.format(db=RECORDED), counted.format(db="main")
    query = f"SELECT {keys} FROM ({a} EXCEPT {b}) UNION SELECT {keys} FROM ({b} EXCEPT {a})"
    if RECORDED not in {name for _, name, _ in recomputed.conn.execute("PRAGMA database_list")}:
        recomputed.conn.execute(f"ATTACH DATABASE ? AS {RECORDED}", (str(recorded.path),))
    return {tuple(row) for row in recomputed.conn.execute(query, (close_id,) * 4)}


def _show(value) -> str:
    return "—" if value is None else str(value)


def compare_part(part: str, recorded: Ledger, recomputed: Ledger, close_id: str) -> list[Difference]:
    """Every difference between the rows of `part` the two ledgers hold for the close."""
    differing = _differing_keys(recorded, recomputed, part, close_id)
    if not differing:
        return []
    return differences(part, _rows(recorded, part, close_id, differing), _rows(recomputed, part, close_id, differing))


def differences(part: str, old: dict[tuple, list[tuple]], new: dict[tuple, list[tuple]]) -> list[Difference]:
    """The differences between two sides' rows of `part` by key (`_rows`), in words: a value that
    changed in a row, or the rows of a key when either side has other than one."""
    keys = KEYS[part]
    values = [c for c in PARTS[part][1] if c not in keys]
    found = []
    for key in sorted(set(old) | set(new), key=lambda k: tuple(_show(v) for v in k)):
        a, b = sorted(old.get(key, []), key=repr), sorted(new.get(key, []), key=repr)
        if a == b:
            continue
        row = ", ".join(f"{k} {_show(v)}" for k, v in zip(keys, key))
        if len(a) == 1 and len(b) == 1:
            found += [Difference(part, row, name, _show(x), _show(y))
                      for name, x, y in zip(values, a[0], b[0]) if x != y]
        else:
            def shown(rows: list[tuple]) -> str:
                return "; ".join("/".join(_show(v) for v in r) for r in rows) or "no row"
            found.append(Difference(part, row, "/".join(values), shown(a), shown(b)))
    return found


def _data_files(manifest: dict, folder: Path) -> list[Difference]:
    recorded = {o["path"]: o["sha256"] for o in manifest.get("outputs", []) if o["path"].startswith("data/")}
    now = {p.relative_to(folder).as_posix(): sha256_file(p) for p in sorted((folder / "data").glob("*.csv"))}
    return [Difference(path, "the whole file", "sha256", recorded.get(path, "no file")[:12],
                       now.get(path, "no file")[:12])
            for path in sorted(set(recorded) | set(now)) if recorded.get(path) != now.get(path)]


def reproduce(period: str, ledger_path: Path, config_dir: Path | None = None
              ) -> tuple[Reproduction | None, list[Issue]]:
    """Recompute `period` from its kept inputs and policy and compare (see the module's docstring).
    `config_dir` is the policy folder whose git repository holds the recorded commit."""
    path = Path(ledger_path)
    if not path.exists():
        return None, [Issue.of(Source(str(path)), "ledger.missing", NO_LEDGER)]
    ledger, issues = open_ledger_checked(path, "reproduce the month")
    if ledger is None:
        return None, issues
    try:
        record = close_of(ledger, period)
        revision = recorded_policy(ledger, period)
        with scratch_folder("reproduce") as tmp:
            work = Path(tmp)
            inputs, found = restore_inputs(ledger, period, work / "inputs")
            issues += found
            if record is None:      # never closed: said once (restoring the policy would say it again)
                return None, issues
            policy, found = restore_policy(ledger, period, resolve_config(config_dir), work / "policy")
            issues += found
            if inputs is None or policy is None or record is None or revision is None:
                return None, issues
            outcome = run_until_written(period, inputs, policy, history_of=ledger)
            issues += [i for i in outcome.issues if i.is_error]
            if not outcome.ok:
                return None, issues
            c = outcome.state.computed()
            scratch = Ledger(work / "scratch" / "ledger.sqlite")
            try:
                scratch.record_close(NewClose(record.close_id, period, work, work, {}, pay_lines_frame(c),
                                              c.payroll.order_pay, results_frame(c.scores), c.vip,
                                              c.audit.figures))
                differences = [d for part in KEYS for d in compare_part(part, ledger, scratch, record.close_id)]
            finally:
                scratch.close()
            write_data_files(outcome.state, work / "out")
            manifest = json.loads(ledger.conn.execute("SELECT manifest FROM closes WHERE close_id = ?",
                                                      (record.close_id,)).fetchone()[0])
            differences += _data_files(manifest, work / "out")
        return Reproduction(period, record.close_id, revision, len(kept_files(ledger, record.close_id, "input")),
                            differences), issues
    finally:
        ledger.close()


__all__ = ["Difference", "Reproduction", "reproduce"]
