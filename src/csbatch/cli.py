"""The `csbatch` command: one thin function per command. Each parses its arguments and hands them
to its module in `csbatch.commands`, which calls one library function, prints what it returns
and maps problems to exit codes:

    0  done, clean          1  problems in the policy or the inputs (all of them printed)
    2  wrong usage          3  a bug in csbatch (traceback written to a log file, not the screen)
"""

from __future__ import annotations

import functools
import traceback
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from csbatch.console import language, print_issues, use_language
from csbatch.errors import CsbatchError
from csbatch.i18n import N_, word

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}   # every command and group: -h as well as --help

app = typer.Typer(help="Month-end close for a customer-service department: attendance, KPI "
                       "scorecards, pay, VIP and audits from policy kept in YAML.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  context_settings=HELP_OPTIONS)
policy_app = typer.Typer(help="Check the policy kept in config/ and run its golden cases.",
                         no_args_is_help=True)
inputs_app = typer.Typer(help="Check a month's input sheets.", no_args_is_help=True)
app.add_typer(policy_app, name="policy")
app.add_typer(inputs_app, name="inputs")
vip_app = typer.Typer(help="The VIP programme's history.", no_args_is_help=True)
app.add_typer(vip_app, name="vip")
ledger_app = typer.Typer(help="The ledger of closed months: with no command, every close and reopening.",
                         invoke_without_command=True)
app.add_typer(ledger_app, name="ledger")

class Lang(StrEnum):
    zh = "zh"
    en = "en"


def _use_language(value: Lang | None) -> Lang | None:
    """A command's `--lang` (or CSBATCH_LANG) also sets the language its messages are printed in."""
    if value is not None:
        use_language(value.value)
    return value


_LANG_HELP = ("Language of what people read (workbooks, pages, messages): zh (Chinese, the default) "
              "or en (English).")
AppLangOpt = Annotated[Lang | None, typer.Option("--lang", envvar="CSBATCH_LANG", help=_LANG_HELP)]
# CSBATCH_LANG is read once, by the app's option: a command's own --lang wins over the app's, and
# the app's (given or from the environment) is what a command without one uses.
LangOpt = Annotated[Lang | None, typer.Option("--lang", callback=_use_language, help=_LANG_HELP)]


ConfigOpt = Annotated[Path | None, typer.Option("--config", help="Policy folder (default: ./config, "
                                                                     "else the policy shipped with csbatch).")]
PeriodArg = Annotated[str, typer.Argument(help="The month, as YYYY-MM.")]
InputsOpt = Annotated[Path, typer.Option("--inputs", help="Folder holding the month's input files.")]
LedgerOpt = Annotated[Path | None, typer.Option("--ledger", help="Ledger file.")]
ClosedOutOpt = Annotated[Path | None, typer.Option("--out", help="Folder the months are closed into "
                                                   "(its ledger is OUT/csbatch-ledger.sqlite).")]


def _version() -> str:
    """The installed distribution's version; the package's own when run from a source tree."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("csbatch")
    except PackageNotFoundError:
        from csbatch import __version__

        return __version__


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"csbatch {_version()}")
        raise typer.Exit()


@app.callback()
def _main(
    _show_version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                                help="Print csbatch's version and exit.")] = False,
    lang: AppLangOpt = None,
) -> None:
    """Options before any command: `--version`, `--lang` (the app's help is the `Typer(help=...)`
    above). Every run starts from its own language: this option, else CSBATCH_LANG, else zh."""
    use_language(lang.value if lang is not None else None)


def _one_paragraph(doc: str | None) -> str | None:
    """A docstring as help: its lines joined into whole paragraphs, so typer's rich help wraps
    the sentences to the terminal instead of keeping the source's line breaks (in the command
    list they cut sentences in half)."""
    if doc is None:
        return None
    return "\n\n".join(" ".join(part.split()) for part in doc.strip().split("\n\n"))


def _need_ledger(ledger: Path | None, out: Path | None) -> None:
    """A command that reads the ledger is told where: the file, or the folder months close into."""
    if ledger is None and out is None:
        raise typer.BadParameter(word(language(), N_("give --ledger PATH or --out DIR")))


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
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            typer.echo(word(language(), N_("interrupted; nothing was published")), err=True)
            raise typer.Exit(130) from None
        except Exception as exc:
            from csbatch.environment import fault_issue

            issue = fault_issue(exc, getattr(exc, "filename", None), "go on")
            if issue is not None:
                print_issues([issue])
                raise typer.Exit(1) from None
            from csbatch.crashlog import write_crash_log

            try:
                log = write_crash_log(traceback.format_exc())
                said = word(language(), N_("csbatch: unexpected error (a bug in csbatch, not in your files); "
                                           "details written to {log}")).format(log=log)
            except OSError as failed:
                said = word(language(), N_("csbatch: unexpected error (a bug in csbatch, not in your files); "
                                           "no crash log could be written ({why})")).format(why=failed)
            typer.echo(said, err=True)
            raise typer.Exit(3) from None

    wrapper.__doc__ = _one_paragraph(fn.__doc__)
    return wrapper


@policy_app.command("check")
@_guarded
def policy_check(config: ConfigOpt = None, lang: LangOpt = None) -> None:
    """Load and validate the whole policy; print every problem as FILE:LINE:COL: message (and,
    as a warning, policy files with uncommitted git changes, which monthly-close refuses)."""
    from csbatch.commands import policy_check as command

    command.run(config)


@policy_app.command("test")
@_guarded
def policy_test(config: ConfigOpt = None, lang: LangOpt = None) -> None:
    """Run the golden cases of config/tests/ through the scoring engine; print every failure."""
    from csbatch.commands import policy_test_cases as command

    command.run(config)


@inputs_app.command("check")
@_guarded
def inputs_check(period: PeriodArg, inputs: InputsOpt, config: ConfigOpt = None, lang: LangOpt = None) -> None:
    """Read every input sheet of the month; print what was found and every problem."""
    from csbatch.commands import inputs_check as command

    command.run(period, inputs, config)


@app.command("monthly-close")
@_guarded
def monthly_close(
    period: PeriodArg,
    inputs: InputsOpt,
    out: Annotated[Path, typer.Option("--out", help="Folder the month's folder is written into.")],
    config: ConfigOpt = None,
    ledger: Annotated[Path | None, typer.Option("--ledger", help="Ledger file (default: "
                                                   "csbatch-ledger.sqlite beside the outputs).")] = None,
    lang: LangOpt = None,
    allow_dirty: Annotated[bool, typer.Option("--allow-dirty", help="Close even though policy files have "
                                              "uncommitted git changes (recorded as a warning).")] = False,
    policy_rev: Annotated[str | None, typer.Option("--policy-rev", help="Close with this git revision of the "
                                                   "policy repository (read without touching the work tree); "
                                                   "'worktree': the policy folder as it is. Default: a reopened "
                                                   "month uses the revision it was closed with, else the "
                                                   "folder as it is.")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="End with every file written, not "
                                          "only the month's workbooks and pages.")] = False,
) -> None:
    """Close the month: read inputs, compute every stage, publish OUT/PERIOD atomically. Ends with a
    summary: employees, rated, gross pay total, VIP members, warnings by kind, where the files are."""
    from csbatch.commands import monthly_close as command

    command.run(period, inputs, out, config, ledger, language(), allow_dirty, policy_rev, verbose)


@app.command("review")
@_guarded
def review(
    period: Annotated[str, typer.Argument(metavar="PERIOD", help="A quarter (2026Q4) or a year (2026).")],
    out: Annotated[Path, typer.Option("--out", help="Folder the months were closed into; the review is "
                                                   "written into OUT/review-PERIOD.")],
    config: ConfigOpt = None,
    ledger: LedgerOpt = None,
    lang: LangOpt = None,
) -> None:
    """Review a quarter or a year from its closed months: each employee's totals, grades, mean and
    rank, the team competition, the award candidates (config/awards.yaml), for a year the annual
    review sheet; as a workbook, a page and a recognitions sheet for the next month's inputs."""
    from csbatch.commands import review as command

    command.run(period, out, config, ledger, language())


@app.command("reopen")
@_guarded
def reopen(
    period: PeriodArg,
    reason: Annotated[str, typer.Option("--reason", help="Why the month is reopened (recorded).")],
    ledger: LedgerOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help="Folder the month was closed into "
                                                "(its ledger is OUT/csbatch-ledger.sqlite).")] = None,
    lang: LangOpt = None,
) -> None:
    """Reopen a closed month so it can be closed again: records who, why and when, and moves the
    published folder aside; the next close reports what changed."""
    from csbatch.commands import reopen as command

    _need_ledger(ledger, out)
    command.run(period, reason, ledger, out)


@vip_app.command("import-history")
@_guarded
def vip_import_history(
    file: Annotated[Path, typer.Argument(help="Earlier months' sales, in the sales-sheet format (.xlsx/.csv).")],
    ledger: LedgerOpt = None,
    out: ClosedOutOpt = None,
    config: ConfigOpt = None,
    lang: LangOpt = None,
) -> None:
    """Load earlier purchases once, so trailing-12-month VIP spend is right from the first close."""
    from csbatch.commands import vip_import_history as command

    _need_ledger(ledger, out)
    command.run(file, ledger, out, config)


@vip_app.command("import-members")
@_guarded
def vip_import_members(
    file: Annotated[Path, typer.Argument(help="The VIP member register (VIP会员名册, .xlsx/.csv).")],
    first: Annotated[str, typer.Option("--first", help="The first month to be closed with these members, "
                                                      "as YYYY-MM.")],
    ledger: LedgerOpt = None,
    out: ClosedOutOpt = None,
    config: ConfigOpt = None,
    lang: LangOpt = None,
) -> None:
    """Load the current VIP members once, before the first close, so it treats them as existing."""
    from csbatch.commands import vip_import_members as command

    _need_ledger(ledger, out)
    command.run(file, first, ledger, out, config)


@ledger_app.callback()
@_guarded
def ledger_list(
    ctx: typer.Context,
    ledger: LedgerOpt = None,
    out: ClosedOutOpt = None,
    lang: LangOpt = None,
) -> None:
    """List the closed months (closed at, by whom, policy revision, input files, pay total, VIP
    members) and every reopening (who, why, when)."""
    from csbatch.commands import ledger_list as command

    if ctx.invoked_subcommand is not None:
        return
    _need_ledger(ledger, out)
    command.run(ledger, out)


@ledger_app.command("show")
@_guarded
def ledger_show(
    period: PeriodArg,
    ledger: LedgerOpt = None,
    out: ClosedOutOpt = None,
    lang: LangOpt = None,
) -> None:
    """One month in detail: its input files (kind, size, sha256), its policy revision, its pay
    totals, its closes and reopenings."""
    from csbatch.commands import ledger_show as command

    _need_ledger(ledger, out)
    command.run(period, ledger, out)


@ledger_app.command("verify")
@_guarded
def ledger_verify(ledger: LedgerOpt = None, out: ClosedOutOpt = None, lang: LangOpt = None) -> None:
    """Check the ledger against the digests each close recorded: exit 0 when nothing was changed
    outside csbatch, 1 with every table and month that was."""
    from csbatch.commands import ledger_verify as command

    _need_ledger(ledger, out)
    command.run(ledger, out)


@app.command("reproduce")
@_guarded
def reproduce(
    period: PeriodArg,
    ledger: LedgerOpt = None,
    out: ClosedOutOpt = None,
    config: Annotated[Path | None, typer.Option("--config", help="Policy folder whose git repository holds "
                                                   "the recorded commit (default: ./config).")] = None,
    lang: LangOpt = None,
) -> None:
    """Recompute a closed month from the input files and the policy revision its close kept, and
    compare with what was recorded: exit 0 "identical", 1 with every difference."""
    from csbatch.commands import reproduce as command

    _need_ledger(ledger, out)
    command.run(period, ledger, out, config)


@app.command("explain")
@_guarded
def explain(
    employee: Annotated[str, typer.Argument(help="Employee ID (工号).")],
    period: PeriodArg,
    inputs: Annotated[Path | None, typer.Option("--inputs", help="Folder holding the month's input files "
                                                    "(needed unless the month is closed in the ledger).")] = None,
    config: ConfigOpt = None,
    pay: Annotated[bool, typer.Option("--pay", help="Explain the employee's pay too: each pay line with its "
                                                    "rule, inputs and policy place.")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Folder the months are closed into (its ledger "
                                                "is OUT/csbatch-ledger.sqlite): a closed month is explained "
                                                "from what its close kept.")] = None,
    ledger: LedgerOpt = None,
    lang: LangOpt = None,
) -> None:
    """Show how one employee's scorecard was computed: measured values with their input rows,
    the band or formula with its policy place, the points and the total; with --pay, each pay line too.
    For a month closed in the ledger (--out/--ledger), from the inputs and policy its close kept."""
    from csbatch.commands import explain as command

    command.run(employee, period, inputs, config, pay, out, ledger)


@app.command("init")
@_guarded
def init(
    folder: Annotated[Path, typer.Argument(help="New or empty folder for the policy repository.")],
    lang: LangOpt = None,
) -> None:
    """Make a new company's policy repository: config/ (the default policy, the values a company
    sets marked), .gitignore, README, pre-commit hooks, and a first git commit when git is installed."""
    from csbatch.commands import init as command

    command.run(folder)


PolicyOpt = Annotated[str, typer.Option("--policy", help="The other policy: a git revision of the policy "
                                         "repository (a commit, branch, tag, HEAD~1), or a policy folder.")]
ReportOpt = Annotated[Path | None, typer.Option("--report", help="Folder the what-if workbook and page are "
                                                "written into (default: what-if/ beside the ledger).")]


@app.command("what-if")
@_guarded
def what_if(
    period: Annotated[str | None, typer.Argument(help="The closed month, as YYYY-MM (or --from/--to).")] = None,
    policy: PolicyOpt = "HEAD",
    first: Annotated[str | None, typer.Option("--from", help="First closed month of a range.")] = None,
    last: Annotated[str | None, typer.Option("--to", help="Last closed month of a range.")] = None,
    before: Annotated[str | None, typer.Option("--before", help="Compare with this policy (revision or "
                                               "folder) instead of the one each month was closed with.")] = None,
    inputs: Annotated[Path | None, typer.Option("--inputs", help="The month's input files, for a month "
                                                "closed before csbatch kept them.")] = None,
    config: ConfigOpt = None,
    ledger: LedgerOpt = None,
    out: ClosedOutOpt = None,
    report: ReportOpt = None,
    lang: LangOpt = None,
) -> None:
    """Recompute closed months from their kept inputs under another policy and show what would
    change: pay per employee and role, scores, VIP members, totals. Writes nothing to the ledger."""
    from csbatch.commands import what_if as command

    _need_ledger(ledger, out)
    if (period is None) == (first is None or last is None) or (period is not None and (first or last)):
        raise typer.BadParameter(word(language(), N_("give a PERIOD, or --from and --to")))
    command.run(period, policy, first, last, before, inputs, config, ledger, out, report, language())


@policy_app.command("diff")
@_guarded
def policy_diff(
    rev1: Annotated[str, typer.Argument(help="The policy before: a git revision of the policy repository, "
                                        "or a folder.")],
    rev2: Annotated[str | None, typer.Argument(help="The policy after (default: the work tree).")] = None,
    config: ConfigOpt = None,
    month: Annotated[str | None, typer.Option("--month", help="Also show what the change would do to this "
                                              "closed month (what-if).")] = None,
    ledger: LedgerOpt = None,
    out: ClosedOutOpt = None,
    report: ReportOpt = None,
    lang: LangOpt = None,
) -> None:
    """The rule changes between two policies, in words, read from the typed policy."""
    from csbatch.commands import policy_diff as command

    if month is not None and ledger is None and out is None:
        raise typer.BadParameter(word(language(), N_("--month needs the ledger: give --ledger PATH or --out DIR")))
    command.run(rev1, rev2, config, month, ledger, out, report, language())


@app.command("sample")
@_guarded
def sample(
    period: PeriodArg,
    out: Annotated[Path, typer.Option("--out", help="Folder to write the sample month into.")],
    employees: Annotated[int, typer.Option("--employees", min=1, help="Employees in the roster.")] = 20,
    orders: Annotated[int | None, typer.Option("--orders", min=0, help="Sales orders (default: "
                                                  "about 15 per selling agent).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same files.")] = 2026,
    config: ConfigOpt = None,
    lang: LangOpt = None,
) -> None:
    """Write a realistic, consistent month of every input kind."""
    from csbatch.commands import sample as command

    command.run(period, out, employees, orders, seed, config)


@app.command("templates")
@_guarded
def templates(
    out: Annotated[Path, typer.Argument(metavar="DIR", help="A new or empty folder to write the templates into.")],
    lang: LangOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Write a blank input workbook for every input kind of the policy: its headers, dropdowns
    of the policy's codes, date formats and a 说明 sheet."""
    from csbatch.commands import templates as command

    command.run(out, config, language())


def main() -> None:
    app()


if __name__ == "__main__":
    main()
