"""`make bench`: time the close's stages on a large generated month and print a table.

    python scripts/bench.py [--employees 2000] [--orders 1000000] [--keep DIR]

Speed is measured here, never by a timed test. The month is generated once into a temporary
folder (or --keep DIR, reused when it exists).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=2000)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--period", default="2026-10")
    parser.add_argument("--keep", type=Path, help="generate into (or reuse) this folder")
    args = parser.parse_args()

    from csbatch.closing.runs import monthly_close
    from csbatch.policy import load_policy
    from csbatch.samples import generate_month

    rows: list[tuple[str, float, str]] = []
    policy, issues = load_policy(ROOT / "config")
    assert policy is not None, issues
    work = Path(tempfile.mkdtemp(prefix="csbatch-bench-"))
    inputs = args.keep or work / "inputs"
    try:
        if not inputs.exists():
            began = time.perf_counter()
            generate_month(policy, args.period, inputs, employees=args.employees, orders=args.orders, seed=7)
            rows.append(("generate sample", time.perf_counter() - began,
                         f"{args.employees} employees, {args.orders} orders"))

        class Timer:
            def started(self, stage):
                pass

            def finished(self, stage, seconds, ok):
                rows.append((stage, seconds, "ok" if ok else "FAILED"))

        began = time.perf_counter()
        outcome = monthly_close(args.period, inputs, work / "out", ROOT / "config", progress=Timer())
        rows.append(("monthly-close total", time.perf_counter() - began,
                     "ok" if outcome.ok else f"{sum(i.is_error for i in outcome.issues)} errors"))
        if not outcome.ok:
            for issue in [i for i in outcome.issues if i.is_error][:10]:
                print(issue, file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    width = max(len(r[0]) for r in rows)
    print(f"{'stage':<{width}}  {'seconds':>8}  note")
    for name, seconds, note in rows:
        print(f"{name:<{width}}  {seconds:>8.2f}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
