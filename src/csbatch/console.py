"""Printing for people: problems, tables and stage progress. Rich formatting when the stream is a
terminal, plain text when it is piped or captured, so output can be grepped and diffed."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.control import Control
from rich.segment import ControlType
from rich.table import Table

from csbatch import i18n
from csbatch.errors import Issue
from csbatch.i18n import N_

if TYPE_CHECKING:
    from csbatch.closing.explanation import Explanation
    from csbatch.closing.pay_explanation import PayExplanation
    from csbatch.closing.summary import CloseSummary

_err = Console(stderr=True, highlight=False, soft_wrap=True)
_out = Console(highlight=False, soft_wrap=True)
_ERASE_LINE = Control((ControlType.ERASE_IN_LINE, 2))   # what a "\r" line left behind
_language = [i18n.resolve_lang()]     # what messages are printed in: `--lang`, else CSBATCH_LANG, else zh


def use_language(lang: str | None) -> str:
    """Prints every later message in `lang` (the CLI's `--lang` sets it); returns the one in use."""
    _language[0] = i18n.resolve_lang(lang)
    return _language[0]


def language() -> str:
    return _language[0]


def print_issues(issues: Sequence[Issue]) -> None:
    """Every problem on its own line (errors first, then warnings), in the language in use, then
    a count."""
    lang = language()
    errors = [i for i in issues if i.is_error]
    warnings = [i for i in issues if not i.is_error]
    for issue in errors + warnings:
        text = issue.shown(lang)
        if _err.is_terminal:
            _err.print(text, style="red" if issue.is_error else "yellow", markup=False)
        else:
            print(text, file=sys.stderr)
    if errors or warnings:
        words = i18n.translations(lang)
        summary = (words.ngettext("{count} error", "{count} errors", len(errors)).format(count=len(errors))
                   + words.gettext(", ")
                   + words.ngettext("{count} warning", "{count} warnings", len(warnings)).format(count=len(warnings)))
        if _err.is_terminal:
            _err.print(summary, style="bold", markup=False)
        else:
            print(summary, file=sys.stderr)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]], title: str | None = None) -> None:
    if _out.is_terminal:
        table = Table(*headers, title=title)
        for row in rows:
            table.add_row(*row)
        _out.print(table)
        return
    if title:
        print(title)
    print("\t".join(headers))
    for row in rows:
        print("\t".join(row))


#: the stages of a close as progress names them (`csbatch.closing` names each stage in English)
STAGE_NAMES = (N_("check ledger"), N_("load policy"), N_("read inputs"), N_("attendance"), N_("QA audits"),
               N_("measured values"), N_("scorecards"), N_("payroll"), N_("VIP"), N_("audit"), N_("publish"))


class StageProgress:
    """Shows each stage of the close as it runs, with its time, and while the inputs are read
    each file and then its rows (on a terminal only: piped output stays quiet)."""

    def __init__(self, lang: str | None = None) -> None:
        self.lang = lang or language()

    def reading(self, name: str) -> None:
        if _err.is_terminal:
            _err.control(_ERASE_LINE)
            _err.print(progress_line(self.lang, name), end="\r", markup=False)

    def read(self, name: str, rows: int) -> None:
        if _err.is_terminal:
            _err.control(_ERASE_LINE)
            _err.print(progress_line(self.lang, name, rows), markup=False)

    def started(self, stage: str) -> None:
        if _err.is_terminal:
            _err.print(f"… {stage_name(self.lang, stage)}", end="\r", markup=False)

    def finished(self, stage: str, seconds: float, ok: bool) -> None:
        if _err.is_terminal:
            _err.print(stage_line(self.lang, stage, seconds, ok), style="green" if ok else "red", markup=False)


def progress_line(lang: str, name: str, rows: int | None = None) -> str:
    """A file being read (`rows` None) or read, with its rows."""
    if rows is None:
        return "  " + i18n.word(lang, N_("reading {name} …")).format(name=name)
    return "  " + i18n.word(lang, N_("reading {name} … {rows:,} rows")).format(name=name, rows=rows)


def stage_line(lang: str, stage: str, seconds: float, ok: bool) -> str:
    """A stage done: its mark, its name in the language (`STAGE_NAMES`) and its time."""
    mark = "✓" if ok else "✗"
    return f"{mark} {stage_name(lang, stage)} ({seconds:.1f} s)"


def stage_name(lang: str, stage: str) -> str:
    """A stage of the close in the language; a stage `STAGE_NAMES` does not know, as it is named."""
    return i18n.word(lang, stage) if stage in STAGE_NAMES else stage


def print_explanation(explanation: Explanation | PayExplanation) -> None:
    """A scorecard's or a month's pay explanation: a table on a terminal, plain text when piped."""
    from csbatch.closing import explanation as card
    from csbatch.closing import pay_explanation as pay

    terminal = _out.is_terminal
    if isinstance(explanation, pay.PayExplanation):
        shown = pay.render_rich(explanation) if terminal else pay.render_text(explanation)
    else:
        shown = card.render_rich(explanation) if terminal else card.render_text(explanation)
    if terminal:
        _out.print(shown)
    else:
        print(shown)


#: What the close summary says of each kind of warning (an issue code is for machines: the ledger,
#: manifest.json); a kind not listed is shown by its code.
WARNING_KINDS = {
    "attendance.not_tracked": N_("attendance not tracked for an employee"),
    "audits.out_of_period": N_("QA audits outside the month"),
    "complaints.resolved_before_received": N_("complaints resolved before they were received"),
    "deadlines.no_evidence": N_("deadline rules without their evidence sheet"),
    "deadlines.not_expected": N_("deadline evidence for an item not expected"),
    "explain.inputs_differ": N_("inputs differ from the ones the close kept"),
    "inputs.folder": N_("folders in the inputs folder"),
    "inputs.hidden_rows": N_("hidden rows read"),
    "inputs.hidden_sheet": N_("hidden sheets"),
    "inputs.not_provided": N_("input kinds not provided"),
    "inputs.not_read": N_("files not read"),
    "inputs.note_row": N_("note rows skipped"),
    "inputs.totals_row": N_("totals rows skipped"),
    "inputs.unmatched": N_("files that match no input kind"),
    "kept.policy_copy": N_("policy copy not kept"),
    "ledger.recovered": N_("ledger recovered from an interrupted close"),
    "measures.not_a_supervisor": N_("supervisor ratings by someone who is not a supervisor"),
    "payroll.loss_outside_period": N_("losses dated outside the month"),
    "payroll.no_sales_rep": N_("orders without a sales rep"),
    "payroll.reversal_not_employed": N_("reversals for people not employed"),
    "period.outside": N_("rows dated outside the month"),
    "policy.not_versioned": N_("policy not kept in git"),
    "policy.uncommitted": N_("uncommitted policy changes"),
    "policy.unknown_folder": N_("folders ignored in the policy"),
    "roster.base_pay_range": N_("base pay outside the role's range"),
    "roster.headcount_range": N_("headcount outside the role's range"),
    "vip.customer_carded": N_("customers holding another person's card"),
    "vip.holder_moved": N_("card holders whose customer has another ID number"),
    "vip.lunar_date": N_("lunar dates that could not be converted"),
    "vip.no_id_number": N_("VIP customers without an ID number"),
    "vip.qualifying_refund": N_("refunds of qualifying purchases"),
    "vip.same_person": N_("customers that look like the same person"),
}


def warning_kind(lang: str, code: str) -> str:
    """A kind of warning in words (`WARNING_KINDS`), else its code."""
    return i18n.word(lang, WARNING_KINDS[code]) if code in WARNING_KINDS else code


def print_close_summary(summary: CloseSummary, lang: str, verbose: bool = False) -> None:
    """The end of a close: the month's counts, the gross pay total, the warnings grouped by kind
    with their counts and where the files are (every file only with `verbose`)."""
    _ = i18n.translator(lang)
    warned = sum(count for _, count in summary.warnings)
    lines = [_("{period} close summary").format(period=summary.period),
             "  " + _("{employees} employees, {rated} rated, gross pay total ¥{gross}, {members} VIP members").format(
                 employees=summary.employees, rated=summary.rated, gross=f"{summary.gross_pay:,.2f}",
                 members=summary.members)]
    if summary.warnings:
        lines.append("  " + _("{count} warnings, by kind:").format(count=warned))
        lines += [f"    {warning_kind(lang, code)} ×{count}" for code, count in summary.warnings]
    else:
        lines.append("  " + _("no warnings"))
    lines.append("  " + _("folder: {folder}").format(folder=summary.folder))
    if verbose:
        lines.append("  " + _("every file:"))
        lines += [f"    {path.relative_to(summary.folder).as_posix()}" for path in summary.all_files]
    else:
        lines.append("  " + _("main files:"))
        lines += [f"    {path.name}" for path in summary.main_files]
        rest = len(summary.all_files) - len(summary.main_files)
        if rest:
            lines.append("  " + _("{count} more files (data/ CSVs, the manifest, ...): --verbose lists them "
                                  "all").format(count=rest))
    if _out.is_terminal:
        _out.print(lines[0], style="bold", markup=False)
        for line in lines[1:]:
            _out.print(line, markup=False)
    else:
        print("\n".join(lines))
