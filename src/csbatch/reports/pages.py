"""What every HTML page of a close shares: the Jinja environment (autoescape on, StrictUndefined,
the catalogue, the formatting filters and the code names), the month's label, a page's file name
and how a page is rendered and written.

The VIP statements (`vip/`), the staff pages (`staff/`), the audit page, the review pages and the
what-if page all render through `environment(lang)`, so a filter or an escaping rule is the same on
every page. These helpers lived in `vip_statements.py`, the first page writer; they have their own
module so the other pages do not import the VIP statements to get them (`vip_statements` imports
them from here and keeps the names importable).

Money is Decimal (printed ¥1,234.50), points int, dates date/Timestamp/ISO text; None prints "—".

IDs become file names (`statement_filename`): an ID that is not a plain name (path separators,
`..`, a leading dot, control characters, a Windows device name) is written as its cleaned text
plus a short hash of the original, so it cannot leave its folder and two IDs never share a file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Callable, Iterator
from functools import cache
from string import Formatter
from types import FunctionType
from typing import Any, cast

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup, escape

from csbatch.blanks import is_blank
from csbatch.i18n import N_, resolve_lang, translations, word
from csbatch.money import to_cents
from csbatch.reports.cells import to_decimal
from csbatch.resources import templates_dir

DASH = "—"

# Codes the VIP stage uses (vip.yaml, the ledger) and their words on statements and workbooks (the
# catalogue has their Chinese); a value not listed prints as it is.
LABELS: dict[str, dict[str, str]] = {
    "programme": {"flagship": N_("Premium VIP"), "modern": N_("Regular VIP")},
    "tier": {"silver": N_("Silver card"), "gold": N_("Gold card")},
    "status": {"active": N_("Active"), "new": N_("Newly issued"), "issued": N_("Newly issued"),
               "renewed": N_("Renewed"), "upgraded": N_("Upgraded"), "void": N_("Void"), "voided": N_("Void"),
               "expired": N_("Expired"), "open": N_("To handle"), "done": N_("Handled"),
               "late": N_("Handled late"), "overdue": N_("Overdue")},
    "kind": {"issue": N_("Points on issue"), "earn": N_("Points on purchases"), "redeem": N_("Points redeemed"),
             "expire": N_("Points cleared"), "birthday": N_("Birthday greeting"),
             "festival": N_("Holiday greeting"), "greeting": N_("Holiday greeting"),
             "maintenance": N_("Care reminder"), "care": N_("Care reminder"),
             "phone_change": N_("Phone change"), "address_change": N_("Address change")},
}


def label(field: str, value: Any, lang: str = "zh") -> Any:
    """The name of a code: `label("tier", "gold")` → "金卡" ("Gold card" in English); a festival
    task (`festival:new_year`) is a 节日问候 whatever the festival (its note names it)."""
    if is_blank(value):
        return value
    code = str(value)
    if field == "kind" and code.startswith("festival:"):
        code = "festival"
    found = LABELS.get(field, {}).get(code)
    return value if found is None else word(lang, found)


# --- formatting filters ------------------------------------------------------------------------

def money(value: Any) -> str:
    """Decimal("1234.5") → "¥1,234.50"; negative → "-¥1,234.50"; missing → "—"."""
    if is_blank(value) or value == "":
        return DASH
    d = to_cents(to_decimal(value))
    return f"{'-' if d < 0 else ''}¥{abs(d):,.2f}"


def points(value: Any, signed: bool = False) -> str:
    if is_blank(value) or value == "":
        return DASH
    n = int(to_decimal(value))
    return f"{n:+,}" if signed and n else f"{n:,}"


def date(value: Any) -> str:
    if type(value) is dt.date:    # what a statement's dates are, asked first
        return value.isoformat()
    if type(value) is pd.Timestamp:   # a task's or a card's: its fields, not `.date()` (1.2 µs)
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if is_blank(value) or value == "":
        return DASH
    if isinstance(value, dt.datetime):  # pandas Timestamps too
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return pd.Timestamp(value).date().isoformat()


def text(value: Any) -> str:
    return DASH if is_blank(value) or value == "" else str(value)


def blank(value: Any) -> str:
    """Missing → "" (an empty cell collapses on a phone)."""
    return "" if is_blank(value) else str(value)


#: what `getattr` finds on a plain dict: its methods and `object`'s names
_DICT_NAMES = frozenset(dir(dict))


class _PageEnvironment(Environment):
    """Jinja's environment with `m.name` on a plain dict (a statement, a task, a points entry)
    looked up as the key at once: Jinja asks `getattr` first, and the `AttributeError` a dict
    raises for a key costs about a microsecond, some seventy times a VIP statement. What it
    finds is what Jinja finds: a dict's own names (`items`, `keys`...) still come from `getattr`,
    a missing key is the same undefined."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_NAMES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


@cache
def environment(lang: str = "zh") -> Environment:
    """The pages' Jinja environment in one language (one per language, kept for the process):
    autoescape on, StrictUndefined, the catalogue installed for `{{ _("...") }}` (a plain
    `{{ _("words") }}` written into the template as it is compiled: `_WordsInPlace`) and
    `{% trans %}`, and the formatting filters. Callers add their own filters to it; they must not
    depend on anything but the language."""
    lang = resolve_lang(lang)
    env = _PageEnvironment(loader=FileSystemLoader(str(templates_dir())), autoescape=True,
                           undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=True,
                           lstrip_blocks=True, extensions=["jinja2.ext.i18n", _WordsInPlace])
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.globals["_"] = _translated_once(translations(lang))
    env.filters.update(money=money, points=points, date=date, text=text, blank=blank,
                       label=lambda value, field: label(field, value, lang))
    env.globals.update(lang=lang, html_lang="zh-CN" if lang == "zh" else "en")
    return env


def _translated_once(catalogue: Any) -> Callable[..., str]:
    """`{{ _("...") }}` as Jinja's newstyle gettext gives it in these pages (autoescape on): the
    catalogue's text as `Markup`, always formatted with `% variables`, so the same text for the
    same words; each one without variables made once. A close renders thousands of pages with
    some thirty of them each, and Jinja's `_` resolves `gettext` and goes through three context
    calls every time: at 95k VIP statements, ~40 % of their render. Made as `Words`, so that
    `_("{first} to {last}").format(...)` of plain texts, on every task of a VIP statement, is
    `str.format`."""
    known: dict[str, Markup] = {}

    def gettext(string: str, **variables: Any) -> str:
        if variables:
            return Markup(catalogue.gettext(string)) % variables
        found = known.get(string)
        if found is None:
            found = known[string] = Words(Markup(catalogue.gettext(string)) % {})
        return found

    return gettext


class _WordsInPlace(Extension):
    """`{{ _("words") }}`, the whole of an output tag, written into the template as the text it
    prints when the template is compiled: the environment's `_` (`_translated_once`) gives the
    same `Markup` for the same words every time, and printing a `Markup` adds no escaping, so the
    page is the same without a call per page (a VIP statement prints some thirty, each through
    Jinja's `Context.call`: 186 → 159 µs a statement). A `_` with variables, or inside an
    expression, is called as before; words whose text cannot be made (`%(name)s`) are left to fail
    when rendered, as before. The words are the environment's language's: a `_` passed to
    `render` cannot change them (no page passes one)."""

    _SHAPE = ("variable_begin", "name", "lparen", "string", "rparen", "variable_end")

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        said = cast(Callable[[str], Any], self.environment.globals["_"])
        held: list[Token] = []
        for token in stream:
            held.append(token)
            at = len(held) - 1
            if token.type != self._SHAPE[at] or (at == 1 and token.value != "_"):
                yield from held[:-1]
                held = [token] if token.type == self._SHAPE[0] else []
                if not held:
                    yield token
            elif at == len(self._SHAPE) - 1:
                try:
                    words = str(said(held[3].value))
                except Exception:   # (`%(name)s` without a name) fails as before, when rendered
                    yield from held
                else:
                    yield Token(held[0].lineno, "data", words)
                held = []
        yield from held


# --- file names --------------------------------------------------------------------------------

_PLAIN = re.compile(r"\w[\w.-]{0,99}")
_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                    *(f"LPT{i}" for i in range(1, 10))}


def statement_filename(customer_id: Any) -> str:
    """`C0001` → `C0001.html`; `../x` → `x-<hash>.html`. Raises ValueError on an empty ID."""
    cid = "" if is_blank(customer_id) else str(customer_id)
    if not cid.strip():
        raise ValueError("a VIP statement has no customer_id")
    plain = (_PLAIN.fullmatch(cid) and ".." not in cid and not cid.endswith(".")
             and cid.split(".")[0].upper() not in _WINDOWS_DEVICES)
    if plain:
        return f"{cid}.html"
    cleaned = re.sub(r"[^\w-]+", "_", cid).strip("_.")[:60] or "customer"
    digest = hashlib.sha256(cid.encode("utf-8")).hexdigest()[:10]
    return f"{cleaned}-{digest}.html"


#: a page's file: created or emptied, written, closed (what `Path.write_text` opens it as)
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def write_page(path: str, text: str) -> None:
    """`Path(path).write_text(text, encoding="utf-8", newline="\n")` without its text layer:
    the thousands of pages of a close are written with one `open`, `write` and `close` each."""
    data = memoryview(text.encode("utf-8"))
    fd = os.open(path, _NEW_FILE, 0o666)
    try:
        while data:
            data = data[os.write(fd, data):]
    finally:
        os.close(fd)


# --- rendering ---------------------------------------------------------------------------------

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")     # not %B: that follows the machine's locale


def period_label(period: str, lang: str = "zh") -> str:
    """`2026-10` → `2026年10月` (English: `October 2026`)."""
    year, _, month = period.partition("-")
    if not (month.isdigit() and 1 <= int(month) <= 12):
        return period
    if resolve_lang(lang) == "en":
        return f"{MONTHS[int(month) - 1]} {year}"
    return f"{year}年{int(month)}月"


@cache
def _named_fields(text: str) -> frozenset[str] | None:
    """The names of `text`'s fields when every one is a plain `{name}` (no index or attribute, no
    conversion, no format spec), else None (a text `str.format` would reject included)."""
    names = set()
    try:
        for _, name, spec, conversion in Formatter().parse(text):
            if name is None:
                continue
            if not name.isidentifier() or spec or conversion is not None:
                return None
            names.add(name)
    except ValueError:
        return None
    return frozenset(names)


class Words(Markup):
    """A catalogue text as the pages' `_` gives it (`_translated_once`): a `Markup` whose `.format` of
    whole numbers and texts (`_("+{n} more").format(n=...)` for every long item of a staff page,
    `{rank} of {n}` on every page, `{first} to {last}` of dates on every task of a VIP statement)
    is `str.format`. markupsafe's `Markup.format` runs a Python `Formatter` that escapes each
    formatted field (~2.5 µs a call, ~10 µs with two texts); a plain `{name}` field of an `int`
    formats to digits and a sign, which escaping leaves as they are, and one of a `str`, `Markup`
    or `Words` to its text escaped as `escaped` escapes it, so the text is the same. Any other call
    (a positional argument, a value of another type, a field with a spec, a conversion or an index)
    is `Markup.format` itself. `escaped` prints a `Words` as it is, as it prints a `Markup`."""

    __slots__ = ()

    def format(self, *args: Any, **kwargs: Any) -> Words:
        if not args:
            names = _named_fields(self)
            if names is not None and names <= kwargs.keys():
                fields: dict[str, Any] = {}
                for name, value in kwargs.items():
                    kind = type(value)
                    if kind is int:
                        fields[name] = value
                    elif kind is str or kind is Markup or kind is Words:
                        fields[name] = escaped(value)
                    else:
                        break
                else:   # `Words(text)` of a plain text is `str.__new__`, without Markup's `__new__`
                    return str.__new__(Words, str.format(self, **fields))
        return super().format(*args, **kwargs)


def escaped(value: Any) -> str:
    """markupsafe's `escape(value)` as a page's output text: a plain text holding none of
    `&<>"'` (nearly every value a page prints) is its own escape and comes back as it is, a
    `Markup` or `Words` is already safe and comes back as it is (the text `escape` gives of it);
    anything else goes through `escape`. The text is the same; what is spared is the `Markup`
    object `escape` makes of every value (its `__new__` is Python: ~1 µs a value, a million values
    on a 1M-order close's staff pages), which the page's final join turns back into a `str`."""
    kind = type(value)
    if kind is str:
        if "&" in value or "<" in value or ">" in value or '"' in value or "'" in value:
            return escape(value)
        return value
    if kind is Markup or kind is Words:     # their `__html__` is themselves
        return value
    return escape(value)


def _output_escaped(template: Template) -> Callable[..., Any]:
    """The template's root render function with its output escaping done by `escaped`. Jinja's
    compiled code escapes each printed value by the name `escape` of the template's module (it
    is `markupsafe.escape`) and uses it only in `yield escape(...)`, whose values are joined into
    the page; a copy of the function over a copy of that module's names, where `escape` is
    `escaped`, yields the same texts. The template itself is left as it is (other renders of it,
    its blocks and macros keep markupsafe's `escape`). A template whose module does not hold
    markupsafe's `escape` keeps its own function."""
    root = template.root_render_func
    names = root.__globals__
    if names.get("escape") is not escape:
        return root
    spared = FunctionType(root.__code__, {**names, "escape": escaped}, root.__name__, root.__defaults__,
                          root.__closure__)
    spared.__kwdefaults__ = root.__kwdefaults__
    return spared


def page_renderer(template: Template) -> Callable[..., str]:
    """`template.render` for a template rendered once per page, thousands of times a close: the
    variables every render starts from (the template's globals: a `ChainMap` of the environment's
    and the template's, which `render` copies into a new dict for each page, ~20 µs) copied
    once, each page's context made from that copy and the page's variables (`new_context(...,
    shared=True)`: the same dict `render` would have made), and the printed values escaped
    without a `Markup` each (`_output_escaped`). Same output, same errors (a failing render's
    traceback rewritten by `handle_exception`, as `render` does)."""
    env = template.environment
    start = dict(template.globals)
    root = _output_escaped(template)

    def render(**variables: Any) -> str:
        context = template.new_context({**start, **variables}, shared=True)
        try:
            return env.concat(root(context))
        except Exception:
            env.handle_exception()
            raise   # not reached: handle_exception raises

    return render
