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


#: the per-file progress of a long read in each language (`--lang`)
PROGRESS_WORDS = {"zh": {"reading": "  读取 {name} …", "read": "  读取 {name} … {rows:,} 行"},
                  "en": {"reading": "  reading {name} …", "read": "  reading {name} … {rows:,} rows"}}


class StageProgress:
    """Shows each stage of the close as it runs, with its time, and while the inputs are read
    each file and then its rows (on a terminal only: piped output stays quiet)."""

    def __init__(self, lang: str = "zh") -> None:
        self.words = PROGRESS_WORDS.get(lang, PROGRESS_WORDS["zh"])

    def reading(self, name: str) -> None:
        if _err.is_terminal:
            _err.control(_ERASE_LINE)
            _err.print(self.words["reading"].format(name=name), end="\r", markup=False)

    def read(self, name: str, rows: int) -> None:
        if _err.is_terminal:
            _err.control(_ERASE_LINE)
            _err.print(self.words["read"].format(name=name, rows=rows), markup=False)

    def started(self, stage: str) -> None:
        if _err.is_terminal:
            _err.print(f"… {stage}", end="\r", markup=False)

    def finished(self, stage: str, seconds: float, ok: bool) -> None:
        if _err.is_terminal:
            mark = "✓" if ok else "✗"
            _err.print(f"{mark} {stage} ({seconds:.1f} s)", style="green" if ok else "red", markup=False)


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


#: the close's summary in each language (`--lang`); a later gettext catalogue takes these words
SUMMARY_WORDS = {
    "zh": {"title": "{period} 结账摘要",
           "counts": "员工 {employees} 人，已考核 {rated} 人，应发工资合计 ¥{gross}，VIP 会员 {members} 人",
           "warnings": "警告 {count} 条（按类别）：", "no_warnings": "无警告",
           "folder": "文件夹：{folder}", "files": "主要文件：",
           "more": "另有 {count} 个文件（data/ 下的 CSV、清单等），加 --verbose 列出全部",
           "every": "全部文件："},
    "en": {"title": "{period} close summary",
           "counts": "{employees} employees, {rated} rated, gross pay total ¥{gross}, {members} VIP members",
           "warnings": "{count} warnings, by kind:", "no_warnings": "no warnings",
           "folder": "folder: {folder}", "files": "main files:",
           "more": "{count} more files (data/ CSVs, the manifest, ...): --verbose lists them all",
           "every": "every file:"},
}


def print_close_summary(summary: CloseSummary, lang: str, verbose: bool = False) -> None:
    """The end of a close: the month's counts, the gross pay total, the warnings grouped by kind
    with their counts and where the files are (every file only with `verbose`)."""
    words = SUMMARY_WORDS.get(lang, SUMMARY_WORDS["zh"])
    warned = sum(count for _, count in summary.warnings)
    lines = [words["title"].format(period=summary.period),
             "  " + words["counts"].format(employees=summary.employees, rated=summary.rated,
                                           gross=f"{summary.gross_pay:,.2f}", members=summary.members)]
    if summary.warnings:
        lines.append("  " + words["warnings"].format(count=warned))
        lines += [f"    {code} ×{count}" for code, count in summary.warnings]
    else:
        lines.append("  " + words["no_warnings"])
    lines.append("  " + words["folder"].format(folder=summary.folder))
    if verbose:
        lines.append("  " + words["every"])
        lines += [f"    {path.relative_to(summary.folder).as_posix()}" for path in summary.all_files]
    else:
        lines.append("  " + words["files"])
        lines += [f"    {path.name}" for path in summary.main_files]
        rest = len(summary.all_files) - len(summary.main_files)
        if rest:
            lines.append("  " + words["more"].format(count=rest))
    if _out.is_terminal:
        _out.print(lines[0], style="bold", markup=False)
        for line in lines[1:]:
            _out.print(line, markup=False)
    else:
        print("\n".join(lines))
