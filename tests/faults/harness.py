"""What every fault test needs: a real month of input files in `tmp_path` (a copy of the committed
sample month), a way to damage one of its files for real, and the close run through the CLI, with
the checks that a refusal published nothing and left the ledger byte-identical.

Each test in this folder builds one bad input, closes through `csbatch monthly-close` (in-process,
with typer's runner) and asserts the outcome the issue lists: an error (exit 1, the problem named
by place, nothing published, the ledger unchanged) or a warning (exit 0, printed and kept in the
manifest).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from conftest import CONFIG  # the checkout's policy committed in a repository of its own: clean

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "2026-10"
PERIOD = "2026-10"

# The fault tests read each refusal's message in English (the msgids: what the code says);
# tests/test_catalogues.py and the zh tests check the same messages in Chinese.
runner = CliRunner(env={"CSBATCH_LANG": "en"})


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def cli(*args: str | Path) -> Run:
    """`csbatch ARGS...` in-process; stdout and stderr apart."""
    from csbatch.cli import app

    result = runner.invoke(app, [str(a) for a in args])
    return Run(result.exit_code, result.stdout, result.stderr)


def sample_month(tmp_path: Path, name: str = "in") -> Path:
    """A fresh copy of the committed sample month (every input kind, 2026-10)."""
    target = tmp_path / name
    shutil.copytree(SAMPLE, target)
    return target


def edit_sheet(path: Path, edit: Callable[[openpyxl.worksheet.worksheet.Worksheet], None],
               sheet: str | None = None) -> Path:
    """Open a real workbook with openpyxl, let `edit` change one sheet, save it in place."""
    wb = openpyxl.load_workbook(path)
    edit(wb[sheet] if sheet else wb.worksheets[0])
    wb.save(path)
    return path


def column_of(ws, header: str) -> int:
    """1-based column of the header cell `header` (searched in the first 10 rows)."""
    for row in ws.iter_rows(min_row=1, max_row=10):
        for cell in row:
            if cell.value == header:
                return cell.column
    raise AssertionError(f"no header {header!r} in {ws.title}")


class Closer:
    """Closes months into `tmp_path/out` with the ledger at `tmp_path/out/csbatch-ledger.sqlite`."""

    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path
        self.out = tmp_path / "out"
        self.ledger = self.out / "csbatch-ledger.sqlite"

    def close(self, inputs: Path, period: str = PERIOD, *extra: str | Path) -> Run:
        return cli("monthly-close", period, "--inputs", inputs, "--out", self.out, "--config", CONFIG, *extra)

    def snapshot(self) -> dict[str, bytes]:
        """Every file under `out` (the ledger included) and its bytes."""
        if not self.out.exists():
            return {}
        return {p.relative_to(self.out).as_posix(): p.read_bytes()
                for p in sorted(self.out.rglob("*")) if p.is_file()}

    def refused(self, inputs: Path, *needles: str, period: str = PERIOD, extra: tuple = ()) -> Run:
        """Close, expecting exit 1 with every `needle` in the messages, nothing published and
        every byte under `out` (ledger included) as it was; a fresh `out` is not even created."""
        before = self.snapshot()
        out_existed = self.out.exists()
        existed = (self.out / period).exists()
        run = self.close(inputs, period, *extra)
        assert run.exit_code == 1, run.output
        assert "Traceback" not in run.output
        for needle in needles:
            assert needle in run.stderr, f"{needle!r} not in:\n{run.stderr}"
        assert (self.out / period).exists() == existed
        assert self.out.exists() == out_existed, "a refused close left the --out folder it created"
        assert self.snapshot() == before
        return run

    def warned(self, inputs: Path, *needles: str, period: str = PERIOD, extra: tuple = ()) -> dict:
        """Close, expecting success with every `needle` in a warning printed and kept in the
        manifest; returns the manifest."""
        run = self.close(inputs, period, *extra)
        assert run.exit_code == 0, run.output
        manifest = json.loads((self.out / period / "manifest.json").read_text(encoding="utf-8"))
        kept = json.dumps(manifest["warnings"], ensure_ascii=False)
        for needle in needles:
            assert needle in run.stderr, f"{needle!r} not printed:\n{run.stderr}"
            assert needle in kept, f"{needle!r} not in the manifest's warnings"
        return manifest
