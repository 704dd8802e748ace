"""Blank input workbooks, one per input kind of `config/inputs.yaml` (`csbatch templates`).

Supervisors used to invent their own sheets, and each month someone mapped their headers by hand.
A template made from the policy reads back with no question asked: its file and data sheet are
named so discovery finds the kind, its headers are names the reader knows (a column's first
Chinese alias), code and yes/no columns offer the policy's labels in a dropdown, date and time
columns carry date formats, and IDs, phones and national IDs are text cells (a leading zero kept,
an 18-digit ID never rounded to a float). A 说明 sheet says what the file is and what each column
takes; discovery skips it by its name (`sheets.discover.NOTES_SHEETS`), and the dropdowns' lists
live on it, so nothing is hidden. Nothing is ever written as a formula.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from csbatch.errors import Issue, Source
from csbatch.i18n import N_, NC_, word
from csbatch.policy import Policy
from csbatch.policy.inputs import Column, Kind
from csbatch.reports.workbook import Workbook, display_width
from csbatch.sheets.discover import is_notes_sheet, kinds_matching
from csbatch.sheets.headers import alias_index
from csbatch.sheets.read import column_letter
from csbatch.text import normalise_header, normalise_label

#: Rows of the data sheet that carry the dropdowns and bounds (formats cover whole columns).
TEMPLATE_ROWS = 2000

#: Every word a person reads in a template (English msgids; the Chinese is in the catalogue, in
#: the context "input template" so a template's "text" or "type" keeps its own word).
WORDS = {
    "notes": NC_("input template", "Instructions"),
    "column": NC_("input template", "Column"),
    "required": NC_("input template", "Required"),
    "type": NC_("input template", "Type"),
    "default": NC_("input template", "Default"),
    "values": NC_("input template", "Allowed values"),
    "aliases": NC_("input template", "Other accepted headers"),
    "yes": NC_("input template", "yes"),
    "no": NC_("input template", "no"),
    "kind_required": NC_("input template", "required every month"),
    "kind_optional": NC_("input template", "optional"),
    "files": NC_("input template", "Found by a file or sheet name matching any of: {patterns}"),
    "layout": NC_("input template", "The first row is the header, one record per row; this sheet is never read."),
    "from": NC_("input template", "at least {min}"),
    "to": NC_("input template", "at most {max}"),
    "lists": NC_("input template", "Dropdown lists"),
    "item": NC_("input template", "questionnaire item"),
    "positive_list": NC_("input template", "points"),
    "taboo_list": NC_("input template", "taboo"),
    "item_list": NC_("input template", "questionnaire item ({what})"),
    "positive": NC_("input template", "points 0–{max}, √ = full, × = 0, {na} = not applicable"),
    "taboo": NC_("input template", "√/yes = violated, ×/no or blank = not, {na} = not applicable"),
    "id": NC_("input template", "ID (text)"),
    "text": NC_("input template", "text"),
    "int": NC_("input template", "whole number"),
    "number": NC_("input template", "number"),
    "money": NC_("input template", "amount (yuan)"),
    "date": NC_("input template", "date (2026-10-31)"),
    "datetime": NC_("input template", "date and time (2026-10-31 09:30)"),
    "time": NC_("input template", "time (09:30)"),
    "month": NC_("input template", "month (2026-10)"),
    "bool": NC_("input template", "yes/no"),
    "code": NC_("input template", "one of the list"),
    "phone": NC_("input template", "phone (text)"),
    "national_id": NC_("input template", "national ID (text)"),
    "list_sep": NC_("input template", ", "),        # between the items of a list: 、
}

def _words(lang: str) -> dict[str, str]:
    """The template's words in the language."""
    return {key: word(lang, text) for key, text in WORDS.items()}


#: Number format of a column by its declared type; "@" is Excel's text format.
TYPE_FORMATS = {"id": "@", "text": "@", "code": "@", "phone": "@", "national_id": "@", "month": "@",
                "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm", "time": "hh:mm",
                "money": "#,##0.00", "int": "0"}
#: Room a typical value of the type needs, in character widths.
TYPE_WIDTHS = {"date": 12, "datetime": 17, "time": 8, "national_id": 20, "phone": 14, "money": 12,
               "month": 9, "id": 12}

_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class _Field:
    """One column of a template: its header, type, how it is read and what may be typed."""

    header: str
    type: str
    required: bool
    default: str
    choices: list[str]      # a dropdown's labels; empty: no dropdown
    rule: str               # allowed values in words
    aliases: list[str]
    list_name: str = ""     # the dropdown list's heading on the notes sheet; blank: the header

    @property
    def list_key(self) -> tuple[str, ...]:
        return tuple(self.choices)


def _header(name: str, column: Column, kind: Kind, lang: str) -> str:
    """The column's first Chinese alias (zh) or its canonical name, when the reader maps it back."""
    if lang == "zh":
        chinese = next((a for a in column.aliases if _CJK.search(a)), None)
        if chinese is not None and alias_index(kind).get(normalise_header(chinese)) == name:
            return chinese
    return name


def _pick(labels: list[str], lang: str) -> str:
    """The label a person of the language writes: Chinese for zh, a word for en, else the first."""
    if lang == "zh":
        found = next((x for x in labels if _CJK.search(x)), None)
    else:
        found = next((x for x in labels if x.isascii() and x.isalpha() and len(x) > 1), None)
    return found if found is not None else labels[0]


def code_choices(policy: Policy, codes: str, lang: str) -> dict[str, str]:
    """Code → the one label a template offers for it, which the reader maps back to that code:
    the code's Chinese name (zh) or the code itself (en)."""
    listed = policy.code_list(codes) or {}
    lookup: dict[str, str] = {}
    for code in listed:                       # as CoerceContext builds it: codes first
        lookup.setdefault(normalise_label(code), code)
    for code, labels in listed.items():
        for label in labels:
            lookup.setdefault(normalise_label(label), code)
    choices = {}
    for code, labels in listed.items():
        usable = [x for x in labels if lookup.get(normalise_label(x)) == code]
        choices[code] = _pick(usable, lang) if lang == "zh" else code
    return choices


def _yes_no(policy: Policy, lang: str) -> list[str]:
    booleans = policy.inputs.booleans
    return [_pick(booleans.true, lang), _pick(booleans.false, lang)]


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _field(name: str, column: Column, kind: Kind, policy: Policy, lang: str) -> _Field:
    words = _words(lang)
    labels: dict[str, str] = {}
    default = column.default or ""
    if column.type == "code" and column.codes is not None:
        labels = code_choices(policy, column.codes, lang)
    elif column.type == "bool":
        truthy = {normalise_label(x) for x in policy.inputs.booleans.true}
        yes, no = _yes_no(policy, lang)
        labels = {"true": yes, "false": no}
        default = default and ("true" if normalise_label(default) in truthy else "false")
    choices = list(labels.values())
    default = labels.get(default, default)
    rule = words["list_sep"].join(choices)
    bounds = [words["from"].format(min=_number(column.min))] if column.min is not None else []
    bounds += [words["to"].format(max=_number(column.max))] if column.max is not None else []
    rule = rule or word(lang, ", ").join(bounds)
    header = _header(name, column, kind, lang)
    others = [a for a in (name, *column.aliases) if a != header]
    return _Field(header, column.type, column.required, default, choices, rule, others)


def _item_fields(policy: Policy, lang: str) -> list[_Field]:
    """The questionnaire's items, one column each (an audits kind's `item_columns`)."""
    words = _words(lang)
    inputs = policy.inputs
    tick = next(x for x in inputs.booleans.true if not x.isalnum())
    cross = next(x for x in inputs.booleans.false if not x.isalnum())
    na = _pick(inputs.not_applicable, lang)
    fields = []
    for section in policy.questionnaire.sections:
        if section.kind == "positive":
            top = int(section.per_item)
            choices = [*(str(n) for n in range(top, -1, -1)), tick, cross, na]
            rule = words["positive"].format(max=_number(section.per_item), na=na)
        else:
            choices, rule = [tick, cross, na], words["taboo"].format(na=na)
        for item in section.items:
            header = item.text if lang == "zh" else item.code
            others = [x for x in (item.code, item.text, *item.aliases) if x != header]
            fields.append(_Field(header, "item", False, "", choices, rule, others,
                                 words["item_list"].format(what=words[section.kind + "_list"])))
    return fields


def template_name(code: str, kind: Kind, policy: Policy, lang: str) -> str | None:
    """A file and sheet name the kind's `files` patterns find and no other kind's do: the kind's
    Chinese name (zh) or a pattern without its wildcard, whichever fits first."""
    patterns = [p.rstrip("*") for p in kind.files if not re.search(r"[*?\[\]]", p.rstrip("*"))]
    candidates = [kind.name, *patterns] if lang == "zh" else [*patterns, kind.name]
    return next((c for c in candidates if c and not is_notes_sheet(c)
                 and kinds_matching(c, policy.inputs) == [code]), None)


def _width(f: _Field) -> float:
    longest = max([display_width(f.header), TYPE_WIDTHS.get(f.type, 8),
                   *(display_width(c) for c in f.choices)])
    return min(longest + 3, 40)


def _write_data_sheet(wb: Workbook, name: str, fields: list[_Field], lists: dict[int, str]) -> None:
    ws = wb.book.add_worksheet(name)
    formats = {}
    for c, f in enumerate(fields):
        code = TYPE_FORMATS.get(f.type)
        if code not in formats:
            formats[code] = wb.book.add_format({"num_format": code}) if code else None
        ws.set_column(c, c, _width(f), formats[code])
        ws.write_string(0, c, f.header, wb.header)
        if c in lists:
            ws.data_validation(1, c, TEMPLATE_ROWS, c, {
                "validate": "list", "source": lists[c], "ignore_blank": True, "error_type": "warning",
                "error_title": f.header[:32], "error_message": f.rule[:255]})
    ws.freeze_panes(1, 0)
    wb.prints(ws, rows=1)
    ws.activate()


#: Columns of the notes table; the dropdown lists start one column to its right.
_NOTES_WIDTHS = {"column": 24, "required": 6, "type": 22, "default": 8, "values": 40, "aliases": 30}
_FIRST_LIST = len(_NOTES_WIDTHS) + 1
_LIST_ROW = 5          # 0-based row of a list's first label (under its header on row 4)


def _list_columns(fields: list[_Field]) -> dict[int, int]:
    """Data column → the notes sheet column holding its dropdown list (columns offering the same
    labels, like the questionnaire's items, share one list)."""
    where: dict[tuple[str, ...], int] = {}
    for f in fields:
        if f.choices:
            where.setdefault(f.list_key, _FIRST_LIST + len(where))
    return {c: where[f.list_key] for c, f in enumerate(fields) if f.choices}


def _list_source(notes: str, col: int, f: _Field) -> str:
    letter = column_letter(col)
    quoted = notes.replace("'", "''")
    return f"='{quoted}'!${letter}${_LIST_ROW + 1}:${letter}${_LIST_ROW + len(f.choices)}"


def _write_notes(wb: Workbook, kind: Kind, fields: list[_Field], lang: str) -> None:
    """The 说明 sheet: the kind, how it is found, each column (required, type, default, allowed
    values, other headers), and to the right the dropdowns' lists (a range, so a list of any
    length and any characters works)."""
    words = _words(lang)
    ws = wb.book.add_worksheet(words["notes"])
    title = wb.book.add_format({"bold": True, "font_size": 14})
    wrap = wb.book.add_format({"text_wrap": True, "valign": "top"})
    sep = words["list_sep"]
    found = words["files"].format(patterns=sep.join(kind.files))
    needed = words["kind_required"] if kind.required else words["kind_optional"]
    if lang == "zh":
        lines = [kind.name, f"{found}（{needed}）"]
    else:
        lines = [f"{kind.name}: {kind.description}" if kind.description else kind.name, f"{found} ({needed})"]
    ws.write_string(0, 0, lines[0], title)
    ws.write_string(1, 0, lines[1])
    ws.write_string(2, 0, words["layout"])
    for c, (key, width) in enumerate(_NOTES_WIDTHS.items()):
        ws.write_string(4, c, words[key], wb.header)
        ws.set_column(c, c, width, wrap)
    for r, f in enumerate(fields, start=5):
        kind_word = words["item"] if f.type == "item" else words[f.type]
        cells = [f.header, words["yes"] if f.required else "", kind_word, f.default, f.rule, sep.join(f.aliases)]
        for c, text in enumerate(cells):
            wb.write_value(ws, r, c, text or None, "text")
    ws.write_string(3, _FIRST_LIST, words["lists"], wb.bold)
    first_user = {col: c for c, col in reversed(_list_columns(fields).items())}
    for col, c in first_user.items():
        f = fields[c]
        ws.write_string(4, col, f.list_name or f.header, wb.header)
        ws.set_column(col, col, _width(f))
        for r, choice in enumerate(f.choices, start=_LIST_ROW):
            wb.write_value(ws, r, col, choice, "int" if choice.isdigit() else "text")
    ws.freeze_panes(5, 0)
    wb.prints(ws, rows=5)


def write_input_templates(policy: Policy, out: Path, lang: str = "zh") -> tuple[list[Path], list[Issue]]:
    """One blank workbook per input kind a close reads in `out`, a new or empty folder (a template
    never overwrites a month's files; the go-live member register, read once by `vip
    import-members`, is not a month's sheet). Returns the files written and the problems (an
    error: none written)."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        return [], [Issue.of(Source(str(out)), "templates.not_empty",
                             N_("is not an empty folder: templates are written into a new or empty folder"))]
    kinds = {code: kind for code, kind in policy.inputs.kinds.items() if kind.monthly}
    names = {code: template_name(code, kind, policy, lang) for code, kind in kinds.items()}
    unnamed = [Issue.of(Source("config/inputs.yaml"), "templates.no_name",
                        N_("kinds.{kind}.files: no plain name among the patterns finds {kind} and no other kind"),
                        kind=code)
               for code, name in names.items() if name is None]
    if unnamed:
        return [], unnamed
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for code, kind in kinds.items():
        fields = [_field(n, col, kind, policy, lang) for n, col in kind.columns.items()]
        if kind.item_columns == "questionnaire":
            fields += _item_fields(policy, lang)
        name = names[code] or code
        wb = Workbook(out / f"{name}.xlsx", lang, company=policy.company.shown)
        notes = _words(lang)["notes"]
        lists = {c: _list_source(notes, col, fields[c]) for c, col in _list_columns(fields).items()}
        _write_data_sheet(wb, name, fields, lists)      # first: the sheet Excel opens on
        _write_notes(wb, kind, fields, lang)
        written.append(wb.close())
    return written, []
