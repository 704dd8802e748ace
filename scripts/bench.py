"""`make bench`: the close beside a fastexcel read of its own input files, on a generated month.

    python scripts/bench.py [--employees 500] [--orders 100000] [--rounds 3] [--months 1]
                            [--with-pandas] [--keep DIR] [--period 2026-10] [--history 0]

Generates a month at the given size (or reuses --keep DIR, generating into it when it does not
exist), then, round after round, closes it, reads the same workbooks with fastexcel (every sheet,
every cell as a string) and, with --with-pandas, reads the sales workbooks with pandas + openpyxl,
the way a hand-written script would. Each of these runs in a fresh Python process, so its peak
RSS (VmHWM, reset as it starts; else ru_maxrss) is its own; seconds are timed inside that
process, imports excluded. Prints, per stage of the close and per read, the median seconds, the
share of the close and the peak memory (a close's includes the private memory of the child it
forks to write half its files, sampled every 0.1 s), then the ratios close ÷ fastexcel read (issue 14's limit:
1.5) and pandas ÷ close (wanted: ≥ 10).

--months 2 then closes the next period (generated with the same employees, in a temporary folder,
never in --keep) on a copy of the ledger the first month left, and prints its table too: the cost
of the history the ledger holds. --history N first imports N generated months of VIP purchases
before the first month (`csbatch vip import-history`, one month at a time), as a department does
once before its first close: the first month then closes on a year of history. Speed is
measured here, never by a timed test. Needs the `bench` extra (`pip install .[bench]`: fastexcel).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "config"
LIMIT = 1.5  # issue 14: the close within 1.5x the fastexcel read of its inputs
PANDAS_WANTED = 10.0  # issue 14: >= 10x faster than the pandas + openpyxl read
CLOSE, FASTEXCEL, PANDAS, HISTORY = "close", "fastexcel", "pandas", "history"
WORKBOOKS = (".xlsx", ".xlsm", ".xls")


def _reset_peak() -> None:
    """Forget the peak this process inherited: on Linux ru_maxrss keeps the parent's resident set
    at the fork (the bench's own, large after generating a month); writing 5 to clear_refs resets
    VmHWM, which `_peak_mib` reads."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_mib() -> float:
    """This process's peak resident set so far: VmHWM where /proc has it (reset at the start),
    else ru_maxrss (KiB on Linux, bytes on macOS); once `_CLOSE_AND_CHILD` runs, the higher of
    that and this process's resident set plus its forked children's private memory."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return max(int(line.split()[1]) / 1024, _CLOSE_AND_CHILD.peak_mib)
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


class _WithChildren:
    """The memory of this process and its children together, sampled every `every` seconds while
    a child lives: the close writes half its files in a forked child (`csbatch.forked`), which
    shares the close's pages and holds as its own only those it or the close write meanwhile, so
    neither process's peak RSS is the machine's. A child counts its private pages
    (`Private_Clean` + `Private_Dirty` of /proc/PID/smaps_rollup); this process, its whole
    resident set. Linux only (elsewhere nothing is sampled and the peak is this process's)."""

    def __init__(self, every: float = 0.1) -> None:
        import threading

        self.every = every
        self.peak_mib = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="bench-memory", daemon=True)

    def start(self) -> None:
        if Path("/proc/self/smaps_rollup").exists():
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _watch(self) -> None:
        from csbatch.memory import private, resident

        children = Path(f"/proc/self/task/{os.getpid()}/children")
        while not self._stop.wait(self.every):
            with contextlib.suppress(OSError, ValueError):
                pids = children.read_text().split()
                own = resident() if pids else None
                if own is not None:     # a child gone meanwhile holds nothing
                    held = own + sum(private(pid) or 0 for pid in pids)
                    self.peak_mib = max(self.peak_mib, held / (1024 * 1024))


#: the close's process and its forked children: the VIP stage's and the writer's (started by `_child_close`)
_CLOSE_AND_CHILD = _WithChildren()


# ---------------------------------------------------------------- the child processes (one run)

def _child_close(period: str, inputs: Path, out: Path) -> dict:
    from csbatch.closing.runs import monthly_close

    stages: list[list] = []
    files: list[list] = []

    class Timer:  # the close's progress protocol (closing.runs.CloseProgress)
        def started(self, stage: str) -> None:
            pass

        def finished(self, stage: str, seconds: float, ok: bool) -> None:
            stages.append([stage, seconds, _peak_mib(), ok])

        def reading(self, name: str) -> None:
            pass

        def read(self, name: str, rows: int) -> None:
            files.append([name, rows])

    _CLOSE_AND_CHILD.start()
    began = time.perf_counter()
    outcome = monthly_close(period, inputs, out, CONFIG, progress=Timer(), allow_dirty=True)
    seconds = time.perf_counter() - began
    errors = [str(i) for i in outcome.issues if i.is_error]
    return {"seconds": seconds, "peak": _peak_mib(), "stages": stages, "files": files,
            "ok": outcome.ok, "errors": errors[:10]}


def _child_fastexcel(paths: list[Path]) -> dict:
    import fastexcel

    held, sheets, rows, cells = [], 0, 0, 0
    began = time.perf_counter()
    for path in paths:
        reader = fastexcel.read_excel(path)
        for i in range(len(reader.sheet_names)):
            sheet = reader.load_sheet(i, header_row=None, dtypes="string")
            held.append(sheet)  # kept, as the close keeps what it read
            sheets, rows, cells = sheets + 1, rows + sheet.height, cells + sheet.height * sheet.width
    seconds = time.perf_counter() - began
    return {"seconds": seconds, "peak": _peak_mib(), "sheets": sheets, "rows": rows, "cells": cells}


def _child_pandas(paths: list[Path]) -> dict:
    import pandas as pd

    held, rows = [], 0
    began = time.perf_counter()
    for path in paths:
        frames = pd.read_excel(path, sheet_name=None, engine="openpyxl")
        held.append(frames)
        rows += sum(len(f) for f in frames.values())
    seconds = time.perf_counter() - began
    return {"seconds": seconds, "peak": _peak_mib(), "rows": rows}


#: the headers of a sales sheet's order date (config/inputs.yaml), and a text date's year and month
_ORDER_DATE = {"成交日期", "下单日期", "order_date"}
_YEAR_MONTH = re.compile(r"\s*(\d{4})\s*[-/年.]\s*(\d{1,2})")


def _in_month(value: object, period: str) -> bool:
    """Whether an order date cell is of `period` (a text the pattern does not read is kept: the
    import's own reader judges it)."""
    if isinstance(value, (date, datetime)):
        return f"{value.year}-{value.month:02d}" == period
    found = _YEAR_MONTH.match(str(value))
    return found is None or f"{found[1]}-{int(found[2]):02d}" == period


def _month_csv(sales: Path, period: str, folder: Path) -> list[Path]:
    """Each sheet of a generated sales workbook as a CSV of its header and the rows of orders
    dated in `period`: a month's sales sheet also reports the refund of an order of the month
    before, which a history export lists once, in its own month (`vip import-history` refuses a
    file speaking of a month the ledger already holds)."""
    import python_calamine

    written = []
    book = python_calamine.CalamineWorkbook.from_path(str(sales))
    for i in range(len(book.sheet_names)):
        rows = book.get_sheet_by_index(i).to_python()
        top = next((r for r, row in enumerate(rows[:20]) if _ORDER_DATE & {str(c).strip() for c in row}), None)
        if top is None:     # not a sheet of orders (the drop-down lists)
            continue
        at = next(c for c, cell in enumerate(rows[top]) if str(cell).strip() in _ORDER_DATE)
        path = folder / f"{sales.stem}-{i}.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            write = csv.writer(out).writerow
            write(rows[top])
            for row in rows[top + 1:]:
                if _in_month(row[at], period):
                    write([c.isoformat() if isinstance(c, (date, datetime)) else c for c in row])
        written.append(path)
    return written


def _child_history(sales: Path, ledger: Path, period: str) -> dict:
    """`csbatch vip import-history` of one generated month's sales into `ledger` (each sheet of the
    workbook as a CSV of the month's own orders: `_month_csv`): what a department does once
    before its first close. Online orders hold no purchase with a store type; they are skipped."""
    from csbatch.commands.vip_import_history import import_history

    began = time.perf_counter()
    rows, periods, errors = 0, set(), []
    for path in _month_csv(sales, period, sales.parent):
        done, issues = import_history(path, ledger, CONFIG)
        errors += [str(i) for i in issues if i.is_error and i.code != "vip.import_empty"]
        if done:
            rows, periods = rows + done["rows"], periods | set(done["periods"])
    return {"seconds": time.perf_counter() - began, "peak": _peak_mib(), "ok": not errors, "errors": errors[:10],
            "rows": rows, "periods": sorted(periods)}


def _child(argv: list[str]) -> int:
    """`bench.py --child KIND RESULT.json ARGS...`: one timed run, its figures written as JSON."""
    kind, result, rest = argv[0], Path(argv[1]), argv[2:]
    _reset_peak()
    if kind == CLOSE:
        figures = _child_close(rest[0], Path(rest[1]), Path(rest[2]))
    elif kind == FASTEXCEL:
        figures = _child_fastexcel([Path(p) for p in rest])
    elif kind == HISTORY:
        figures = _child_history(Path(rest[0]), Path(rest[1]), rest[2])
    else:
        figures = _child_pandas([Path(p) for p in rest])
    result.write_text(json.dumps(figures), encoding="utf-8")
    return 0


def _run(kind: str, args: list[str], work: Path) -> dict:
    result = work / f"{kind}.json"
    result.unlink(missing_ok=True)
    done = subprocess.run([sys.executable, __file__, "--child", kind, str(result), *args])
    if done.returncode != 0 or not result.exists():
        raise SystemExit(f"bench: the {kind} run failed (exit {done.returncode})")
    return json.loads(result.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the parent (rounds and tables)

@dataclass
class Month:
    period: str
    inputs: Path
    workbooks: list[Path] = field(default_factory=list)
    sales: list[Path] = field(default_factory=list)
    csv_bytes: int = 0


def _files(period: str, inputs: Path) -> Month:
    """The files the close reads (csbatch's own discovery): all workbooks, and the sales ones."""
    from csbatch.policy import load_policy
    from csbatch.sheets.discover import discover

    policy, issues = load_policy(CONFIG)
    if policy is None:
        raise SystemExit("bench: the policy does not load:\n" + "\n".join(map(str, issues)))
    found, files, _ = discover(inputs, policy.inputs)
    month = Month(period, inputs)
    month.workbooks = [f.path for f in files if f.path.suffix.lower() in WORKBOOKS]
    month.sales = sorted({s.path for s in found if s.kind == "sales" and s.path.suffix.lower() in WORKBOOKS})
    month.csv_bytes = sum(f.path.stat().st_size for f in files if f.path.suffix.lower() not in WORKBOOKS)
    return month


def _generate(period: str, inputs: Path, employees: int, orders: int) -> None:
    from csbatch.errors import CsbatchError
    from csbatch.policy import load_policy
    from csbatch.samples import generate_month

    policy, issues = load_policy(CONFIG)
    if policy is None:
        raise SystemExit("bench: the policy does not load:\n" + "\n".join(map(str, issues)))
    began = time.perf_counter()
    try:
        generate_month(policy, period, inputs, employees=employees, orders=orders, seed=7)
    except CsbatchError as exc:   # e.g. a month of a year calendar.yaml does not cover yet
        raise SystemExit(f"bench: cannot generate {period}:\n{exc}") from None
    print(f"generated {period} ({employees:,} employees, {orders:,} orders) in {inputs}: "
          f"{time.perf_counter() - began:.1f} s")


def _next_period(period: str) -> str:
    year, month = map(int, period.split("-"))
    return f"{year + month // 12}-{month % 12 + 1:02d}"


def _months_before(period: str, count: int) -> list[str]:
    """The `count` months before `period`, oldest first."""
    year, month = map(int, period.split("-"))
    first = year * 12 + month - 1 - count
    return [f"{m // 12}-{m % 12 + 1:02d}" for m in range(first, first + count)]


def _history(period: str, months: int, employees: int, orders: int, work: Path) -> Path:
    """A ledger folder holding `months` of VIP purchase history before `period`: each month
    generated at the bench's size (the same customers), its sales workbooks imported one at a
    time (`vip import-history`), its inputs then deleted. The first close is then a department's
    first close after loading its history, and its trailing spend and reminders read those
    months."""
    from csbatch.ledger.store import default_ledger

    base = work / "base-history"
    base.mkdir()
    for earlier in _months_before(period, months):
        inputs = work / f"history-{earlier}"
        _generate(earlier, inputs, employees, orders)
        for sales in _files(earlier, inputs).sales:
            done = _run(HISTORY, [str(sales), str(default_ledger(base)), earlier], work)
            if not done["ok"]:
                raise SystemExit(f"bench: importing {sales.name} of {earlier} failed:\n" + "\n".join(done["errors"]))
            if done["rows"]:
                print(f"imported {sales.name} of {earlier}: {done['rows']:,} purchases "
                      f"({', '.join(done['periods'])}) in {done['seconds']:.1f} s, {done['peak']:.0f} MiB", flush=True)
        shutil.rmtree(inputs, ignore_errors=True)
    return base


def _machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.lower().startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor() or model
    return (f"machine: nproc {os.cpu_count()}, {model}; Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}; {date.today().isoformat()}")


def _mib(path: Path) -> float:
    return path.stat().st_size / (1024 * 1024) if path.exists() else 0.0


def _measure(month: Month, rounds: int, with_pandas: bool, ledger_from: Path | None, work: Path) -> tuple[dict, Path]:
    """`rounds` rounds of close / fastexcel / pandas, alternating; each close into a fresh out
    folder of its own (a copy of `ledger_from` when given). Returns the runs by kind and the last
    close's out folder (kept: the next month closes on its ledger). The rounds' folders are all
    deleted with `work` at the end, not before the next close: deleting a close's ten thousand
    files just before the next one creates as many made every file creation of that close slow
    here (ext4 without a journal looks past each recently freed inode), a cost of the bench that a
    close in its own folder does not meet."""
    runs: dict[str, list[dict]] = {CLOSE: [], FASTEXCEL: [], PANDAS: []}
    out = work
    for r in range(rounds):
        out = work / f"out-{month.period}-{r + 1}"
        if ledger_from is not None:
            shutil.copytree(ledger_from, out)
        close = _run(CLOSE, [month.period, str(month.inputs), str(out)], work)
        if not close["ok"]:
            raise SystemExit(f"bench: the close of {month.period} failed:\n" + "\n".join(close["errors"]))
        runs[CLOSE].append(close)
        runs[FASTEXCEL].append(_run(FASTEXCEL, [str(p) for p in month.workbooks], work))
        if with_pandas:
            runs[PANDAS].append(_run(PANDAS, [str(p) for p in month.sales], work))
        print(f"  round {r + 1}/{rounds}: close {close['seconds']:.2f} s, fastexcel "
              f"{runs[FASTEXCEL][-1]['seconds']:.2f} s"
              + (f", pandas {runs[PANDAS][-1]['seconds']:.2f} s" if with_pandas else ""), flush=True)
    return runs, out


def _table(month: Month, runs: dict, out: Path, rounds: int) -> list[str]:
    from csbatch.ledger.store import default_ledger

    closes = runs[CLOSE]
    close_s = statistics.median(c["seconds"] for c in closes)
    rows: list[tuple[str, float, float]] = []
    for i, (stage, *_rest) in enumerate(closes[0]["stages"]):
        rows.append((stage, statistics.median(c["stages"][i][1] for c in closes),
                     max(c["stages"][i][2] for c in closes)))
    rows.append(("close (total)", close_s, max(c["peak"] for c in closes)))
    reads = [(FASTEXCEL, "fastexcel read, all sheets as strings")]
    if runs[PANDAS]:
        reads.append((PANDAS, "pandas + openpyxl read of the sales files"))
    for kind, label in reads:
        rows.append((label, statistics.median(r["seconds"] for r in runs[kind]), max(r["peak"] for r in runs[kind])))

    input_rows = sum(rows_ for _name, rows_ in closes[0]["files"])
    wb_mib = sum(p.stat().st_size for p in month.workbooks) / (1024 * 1024)
    fx = runs[FASTEXCEL][0]
    width = max(len(r[0]) for r in rows)
    lines = [f"{month.period}: {input_rows:,} input rows read by the close; {len(month.workbooks)} workbooks "
             f"({wb_mib:.1f} MiB, {fx['sheets']} sheets, {fx['rows']:,} rows, {fx['cells']:,} cells for fastexcel; "
             f"the CSVs, {month.csv_bytes / (1024 * 1024):.1f} MiB, are not in its read); median of {rounds} round(s)",
             f"{'stage':<{width}}  {'median s':>9}  {'share':>6}  {'peak mem.':>10}",
             f"{'-' * width}  {'-' * 9}  {'-' * 6}  {'-' * 10}"]
    for name, seconds, peak in rows:
        share = f"{seconds / close_s:.0%}" if close_s else "-"
        if name == "close (total)":
            lines.append(f"{'-' * width}  {'-' * 9}  {'-' * 6}  {'-' * 10}")
        lines.append(f"{name:<{width}}  {seconds:>9.2f}  {share:>6}  {peak:>6.0f} MiB")
    lines.append("peak mem.: the process's peak RSS; the close's includes its forked children's private memory "
                 "(the VIP stage's, the writer's)")
    fx_s = statistics.median(r["seconds"] for r in runs[FASTEXCEL])
    lines.append(f"close ÷ fastexcel read: {close_s / fx_s:.2f}  (limit {LIMIT})")
    if runs[PANDAS]:
        pd_s = statistics.median(r["seconds"] for r in runs[PANDAS])
        lines.append(f"pandas ÷ close: {pd_s / close_s:.2f}  (wanted ≥ {PANDAS_WANTED:g})")
    lines.append(f"ledger after the close: {_mib(default_ledger(out)):.1f} MiB")
    return lines


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return _child(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=500)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--period", default="2026-10", help="the first month (default 2026-10)")
    parser.add_argument("--keep", type=Path, help="the first month's inputs: reused when the folder exists, "
                                                  "else generated into it")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of close / reads, alternating (default 3)")
    parser.add_argument("--months", type=int, default=1, help="months closed one after the other on the same "
                                                               "ledger (default 1)")
    parser.add_argument("--with-pandas", action="store_true", help="also time pandas + openpyxl reading "
                                                                   "the sales files")
    parser.add_argument("--history", type=int, default=0, help="months of VIP purchase history imported "
                        "(vip import-history) before the first month, generated at the same size (default 0)")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.months < 1 or args.history < 0:
        parser.error("--rounds and --months are at least 1, --history at least 0")
    try:
        import fastexcel  # noqa: F401  (the reference read; checked before minutes of generating)
    except ImportError:
        parser.error("fastexcel is not installed: `pip install .[bench]` (or `make bench`)")

    print(_machine())
    work = Path(tempfile.mkdtemp(prefix="csbatch-bench-"))
    try:
        period, ledger_from, first_close = args.period, None, None
        if args.history:
            ledger_from = _history(period, args.history, args.employees, args.orders, work)
        for m in range(args.months):
            inputs = args.keep if (m == 0 and args.keep) else work / f"inputs-{period}"
            if inputs.exists():
                print(f"reusing {inputs} for {period}")
            else:
                _generate(period, inputs, args.employees, args.orders)
            month = _files(period, inputs)
            print(f"closing {period}" + (" on the ledger the month before left" if m else
                                         f" on {args.history} month(s) of VIP history" if ledger_from else ""),
                  flush=True)
            runs, out = _measure(month, args.rounds, args.with_pandas, ledger_from, work)
            table = _table(month, runs, out, args.rounds)
            close_s = statistics.median(c["seconds"] for c in runs[CLOSE])
            if first_close is None:
                first_close = close_s
            else:
                table.append(f"close ÷ first month's close: {close_s / first_close:.2f}  "
                             f"(history: the ledger holds {m + args.history} month(s) before this one)")
            print("\n".join(["", *table, ""]), flush=True)
            if ledger_from is not None:
                shutil.rmtree(ledger_from, ignore_errors=True)
            ledger_from = work / f"base-{period}"
            out.rename(ledger_from)
            if m + 1 < args.months and inputs.parent == work:
                shutil.rmtree(inputs, ignore_errors=True)  # disk is shared; the next month is generated anew
            period = _next_period(period)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
