"""The `csbatch` command: one thin function per command. Each parses its arguments, calls one
library function, prints what it returns and maps problems to exit codes:

    0  done, clean          1  problems in the policy or the inputs (all of them printed)
    2  wrong usage          3  a bug in csbatch (traceback written to a log file, not the screen)
"""

from __future__ import annotations

import functools
import sys
import traceback
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from csbatch.console import StageProgress, print_issues, print_table
from csbatch.errors import CsbatchError, Issue

app = typer.Typer(help="Month-end close for a customer-service department: attendance, KPI "
                       "scorecards, pay, VIP and audits from policy kept in YAML.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
policy_app = typer.Typer(help="Check the policy kept in config/ and run its golden cases.",
                         no_args_is_help=True)
inputs_app = typer.Typer(help="Check a month's input sheets.", no_args_is_help=True)
app.add_typer(policy_app, name="policy")
app.add_typer(inputs_app, name="inputs")
vip_app = typer.Typer(help="The VIP programme's history.", no_args_is_help=True)
app.add_typer(vip_app, name="vip")
ledger_app = typer.Typer(help="The ledger of closed months.", no_args_is_help=True)
app.add_typer(ledger_app, name="ledger")

class Lang(str, Enum):
    zh = "zh"
    en = "en"


ConfigOpt = Annotated[Optional[Path], typer.Option("--config", help="Policy folder (default: ./config, "
                                                                     "else the policy shipped with csbatch).")]
PeriodArg = Annotated[str, typer.Argument(help="The month, as YYYY-MM.")]
InputsOpt = Annotated[Path, typer.Option("--inputs", help="Folder holding the month's input files.")]


def _guarded(fn):
    """Expected failures → their messages and exit 1 (a fault of the machine — permissions, a full
    disk — too: it is not a bug); anything else is a bug → exit 3 with a private crash log."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.exceptions.TyperException):  # usage errors: exit 2
            raise
        except CsbatchError as exc:
            print_issues(exc.issues)
            raise typer.Exit(1)
        except KeyboardInterrupt:
            typer.echo("interrupted; nothing was published", err=True)
            raise typer.Exit(130)
        except Exception as exc:
            from csbatch.environment import fault_issue

            issue = fault_issue(exc, getattr(exc, "filename", None), "go on")
            if issue is not None:
                print_issues([issue])
                raise typer.Exit(1)
            from csbatch.crashlog import write_crash_log

            try:
                where = f"details written to {write_crash_log(traceback.format_exc())}"
            except OSError as failed:
                where = f"no crash log could be written ({failed})"
            typer.echo(f"csbatch: unexpected error (a bug in csbatch, not in your files); {where}", err=True)
            raise typer.Exit(3)

    return wrapper


def _finish(issues: list[Issue]) -> None:
    print_issues(issues)
    if any(i.is_error for i in issues):
        raise typer.Exit(1)


@policy_app.command("check")
@_guarded
def policy_check(config: ConfigOpt = None) -> None:
    """Load and validate the whole policy; print every problem as FILE:LINE:COL: message (and,
    as a warning, policy files with uncommitted git changes, which monthly-close refuses)."""
    from csbatch.policy import check_policy_folder
    from csbatch.resources import resolve_config

    root = resolve_config(config)
    policy, issues = check_policy_folder(root)
    _finish(issues)
    typer.echo(f"{policy.display_root}: policy is valid ({len(policy.files)} files, "
               f"{len(policy.scorecards)} scorecards, sha256 {policy.sha256[:12]})")


@policy_app.command("test")
@_guarded
def policy_test(config: ConfigOpt = None) -> None:
    """Run the golden cases of config/tests/ through the scoring engine; print every failure."""
    from csbatch.policy import load_policy
    from csbatch.policytest import run_policy_tests
    from csbatch.resources import resolve_config

    policy, issues = load_policy(resolve_config(config))
    if policy is None:
        _finish(issues)
    outcomes, found = run_policy_tests(policy)
    failed = [o for o in outcomes if not o.ok]
    for o in outcomes:
        typer.echo(f"{'ok  ' if o.ok else 'FAIL'} {o.place}: {o.name}")
        for failure in o.failures:
            typer.echo(f"       {failure}")
    typer.echo(f"{len(outcomes) - len(failed)} passed, {len(failed)} failed")
    _finish(issues + found)
    if failed:
        raise typer.Exit(1)


@inputs_app.command("check")
@_guarded
def inputs_check(period: PeriodArg, inputs: InputsOpt, config: ConfigOpt = None) -> None:
    """Read every input sheet of the month; print what was found and every problem."""
    from csbatch.closing.stages import check_inputs

    found, issues = check_inputs(period, inputs, config)
    if found is not None:
        rows = [(r.kind, r.path, ", ".join(r.sheets) or "—", str(r.rows)) for r in found.records]
        print_table(["kind", "file", "sheet", "rows"], rows, title=f"inputs for {period}")
    _finish(issues)


@app.command("monthly-close")
@_guarded
def monthly_close(
    period: PeriodArg,
    inputs: InputsOpt,
    out: Annotated[Path, typer.Option("--out", help="Folder the month's folder is written into.")],
    config: ConfigOpt = None,
    ledger: Annotated[Optional[Path], typer.Option("--ledger", help="Ledger file (default: "
                                                   "csbatch-ledger.sqlite beside the outputs).")] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Workbook headers: Chinese or English.")] = Lang.zh,
    allow_dirty: Annotated[bool, typer.Option("--allow-dirty", help="Close even though policy files have "
                                              "uncommitted git changes (recorded as a warning).")] = False,
) -> None:
    """Close the month: read inputs, compute every stage, publish OUT/PERIOD atomically."""
    from csbatch.closing.stages import monthly_close as close

    outcome = close(period, inputs, out, config, ledger, lang.value, progress=StageProgress(),
                    allow_dirty=allow_dirty)
    _finish(outcome.issues)
    typer.echo(f"closed {period}: {outcome.state.published}")
    for path in sorted(p for p in outcome.state.published.rglob("*") if p.is_file()):
        typer.echo(f"  {path}")
    if outcome.state.changes == ():
        typer.echo(f"no change against the previous close of {period}")
    elif outcome.state.changes:
        typer.echo(f"changes against the previous close of {period}:")
        print_table(["employee", "component", "before", "after", "change"],
                    [(c["employee_id"], c["component"], c["before"], c["after"], c["change"])
                     for c in outcome.state.changes])


@app.command("reopen")
@_guarded
def reopen(
    period: PeriodArg,
    reason: Annotated[str, typer.Option("--reason", help="Why the month is reopened (recorded).")],
    ledger: Annotated[Optional[Path], typer.Option("--ledger", help="Ledger file.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Folder the month was closed into "
                                                "(its ledger is OUT/csbatch-ledger.sqlite).")] = None,
) -> None:
    """Reopen a closed month so it can be closed again: records who, why and when, and moves the
    published folder aside; the next close reports what changed."""
    from csbatch.closing.stages import reopen as run
    from csbatch.ledger.store import default_ledger

    if ledger is None and out is None:
        raise typer.BadParameter("give --ledger PATH or --out DIR")
    done, issues = run(period, reason, ledger or default_ledger(out), out)
    _finish(issues)
    moved = f"; its folder moved to {done['moved_to']}" if done["moved_to"] else ""
    typer.echo(f"reopened {period} (closed {done['closed_at']}){moved}")


@vip_app.command("import-history")
@_guarded
def vip_import_history(
    file: Annotated[Path, typer.Argument(help="Earlier months' sales, in the sales-sheet format (.xlsx/.csv).")],
    ledger: Annotated[Optional[Path], typer.Option("--ledger", help="Ledger file.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Folder the months are closed into "
                                                "(its ledger is OUT/csbatch-ledger.sqlite).")] = None,
    config: ConfigOpt = None,
) -> None:
    """Load earlier purchases once, so trailing-12-month VIP spend is right from the first close."""
    from csbatch.ledger.store import default_ledger
    from csbatch.commands.vip_import_history import import_history

    if ledger is None and out is None:
        raise typer.BadParameter("give --ledger PATH or --out DIR")
    done, issues = import_history(file, ledger or default_ledger(out), config)
    _finish(issues)
    typer.echo(f"imported {done['rows']} purchases of {done['customers']} customers for "
               f"{', '.join(done['periods'])}")


@ledger_app.command("verify")
@_guarded
def ledger_verify(
    ledger: Annotated[Optional[Path], typer.Option("--ledger", help="Ledger file.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Folder the months are closed into "
                                                "(its ledger is OUT/csbatch-ledger.sqlite).")] = None,
) -> None:
    """Check the ledger against the digests each close recorded: exit 0 when nothing was changed
    outside csbatch, 1 with every table and month that was."""
    from csbatch.closing.stages import verify_ledger
    from csbatch.ledger.store import default_ledger

    if ledger is None and out is None:
        raise typer.BadParameter("give --ledger PATH or --out DIR")
    done, issues = verify_ledger(ledger or default_ledger(out))
    _finish(issues)
    typer.echo(f"{done['path']}: intact ({done['closes']} closes, {done['live']} live; {done['imports']} "
               f"history imports; {done['digests']} digests checked)")


@app.command("explain")
@_guarded
def explain(
    employee: Annotated[str, typer.Argument(help="Employee ID (工号).")],
    period: PeriodArg,
    inputs: InputsOpt,
    config: ConfigOpt = None,
) -> None:
    """Show how one employee's scorecard was computed: measured values with their input rows,
    the band or formula with its policy place, the points and the total."""
    from csbatch.console import print_explanation
    from csbatch.closing.explanation import explain as run

    explanation, issues = run(employee, period, inputs, config)
    if explanation is None:
        _finish(issues)
    print_explanation(explanation)
    _finish([i for i in issues if i.is_error])


@app.command("sample")
@_guarded
def sample(
    period: PeriodArg,
    out: Annotated[Path, typer.Option("--out", help="Folder to write the sample month into.")],
    employees: Annotated[int, typer.Option("--employees", min=1, help="Employees in the roster.")] = 20,
    orders: Annotated[Optional[int], typer.Option("--orders", min=0, help="Sales orders (default: "
                                                  "about 15 per selling agent).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same files.")] = 2026,
    config: ConfigOpt = None,
) -> None:
    """Write a realistic, consistent month of every input kind."""
    from csbatch.closing.stages import check_period
    from csbatch.policy import load_policy
    from csbatch.resources import resolve_config
    from csbatch.samples import generate_month

    _finish(check_period(period))
    policy, issues = load_policy(resolve_config(config))
    if policy is None:
        _finish(issues)
    written = generate_month(policy, period, out, employees=employees, orders=orders, seed=seed)
    typer.echo(f"wrote {len(written)} files for {period} into {out}")
    for path in written:
        typer.echo(f"  {path}")


def main() -> None:
    app()


if __name__ == "__main__":
    sys.exit(main())
