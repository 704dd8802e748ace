"""The words a person reads, from gettext catalogues: Chinese by default, English on request.

Source strings (msgids) are English and stay in the code, marked where they are written:
`N_("...")` for a message kept to be translated later (an `Issue`'s template), `_("...")` (or
`word(lang, "...")`) for words translated on the spot with a translator from `translator(lang)`.
The Chinese words live in the catalogue `csbatch/locale/zh/LC_MESSAGES/csbatch.po`, kept by Babel
(`make catalogue` extracts the marked strings and updates it); English is the msgids themselves.
Codes (`award_candidate`, `base_pay`) are for machines and the `data/*.csv` files; a person sees
the catalogue's word for them.

The catalogue is read from its `.po` text (compiled in memory once per process), so a source
checkout, an editable install and a wheel need no compiled `.mo` file kept in step.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Callable, Iterable
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
ENV_VAR = "CSBATCH_LANG"     # the language when no --lang is given
DOMAIN = "csbatch"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def N_(message: str) -> str:
    """Marks a string for the catalogue without translating it (it is translated where shown)."""
    return message


class _InContext(str):
    """A marked string that remembers its gettext context (see `NC_`)."""

    context: str


def NC_(context: str, message: str) -> str:
    """Marks a string whose word depends on where it stands (`NC_("order splits", "employee id")`
    is 客服工号 where plain "employee id" is 工号); `word` then translates it in that context."""
    marked = _InContext(message)
    marked.context = context
    return marked


def catalogue_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def resolve_lang(lang: str | None = None) -> str:
    """The language to use: the one asked for, else `CSBATCH_LANG`, else Chinese; an unknown
    value falls back to Chinese (the CLI refuses it before this is reached)."""
    chosen = lang or os.environ.get(ENV_VAR) or DEFAULT_LANG
    return chosen if chosen in LANGS else DEFAULT_LANG


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The language's catalogue as a gettext object (also what Jinja's i18n extension installs);
    English, the source language, is the msgids themselves."""
    path = catalogue_path(lang)
    if not path.is_file():
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as po:
        catalog = read_po(po, locale=lang, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


def translator(lang: str) -> Callable[[str], str]:
    """`_ = translator(lang)`, then `_("Employee ID")` is that language's word for it."""
    return translations(resolve_lang(lang)).gettext


def word(lang: str, message: str) -> str:
    """One string (usually a `N_`- or `NC_`-marked one held in a variable) in the language."""
    context = getattr(message, "context", "")
    if context:
        return translations(resolve_lang(lang)).pgettext(context, message)
    return translations(resolve_lang(lang)).gettext(message)


def word_in(lang: str, context: str, message: str) -> str:
    """A string whose word depends on where it stands (`word_in(lang, "vip", "regular")`)."""
    return translations(resolve_lang(lang)).pgettext(context, message)


def yes_no(lang: str, value: bool) -> str:
    """A boolean for a person: 是/否 (yes/no), never TRUE/FALSE."""
    return word(lang, N_("yes")) if value else word(lang, N_("no"))


class Said(str):
    """English text that can be said in another language: the string itself is the English (so
    it compares, sorts and prints as the English message always has), and `text(lang)` is the
    catalogue's words for its `template` filled with its `params`. Made where a message is built
    from pieces (a cell's problem inside `column '…': …`, a flood's first message), so each piece
    is translated, not only the whole. A param that is itself `Said` is said in the same language."""

    template: str
    params: tuple[tuple[str, object], ...]

    def __new__(cls, template: str, /, **params: object) -> Said:
        self = super().__new__(cls, template.format(**params))
        self.template = template
        self.params = tuple(params.items())
        return self

    def __getnewargs_ex__(self) -> tuple[tuple[str, ...], dict[str, object]]:   # pickles as made
        return (self.template,), dict(self.params)

    def text(self, lang: str) -> str:
        return word(lang, self.template).format(**said_params(lang, self.params))


class Named(Said):
    """A name said one way in English (a column's key, `hire_date`, as the English messages have
    always named it) and another in every other language (the header the person's sheet has;
    `other` may itself be `Said`)."""

    other: str

    def __new__(cls, english: str, other: str) -> Named:
        self = str.__new__(cls, english)
        self.template, self.params, self.other = english, (), other
        return self

    def __getnewargs_ex__(self) -> tuple[tuple[str, ...], dict[str, object]]:
        return (self.template, self.other), {}

    def text(self, lang: str) -> str:
        if resolve_lang(lang) == "en":
            return self.template
        return self.other.text(lang) if isinstance(self.other, Said) else self.other


def said_in(lang: str, value: object) -> str:
    """A text in the language when it can be said in one (`Said`), else as written."""
    return value.text(lang) if isinstance(value, Said) else str(value)


def said_params(lang: str, params: Iterable[tuple[str, object]]) -> dict[str, object]:
    """Message parameters for `.format`, each `Said` one in the language (and each other text
    that can say itself in a language, as `rules.reasons.Reason` can)."""
    return {k: _in(lang, v) for k, v in params}


def _in(lang: str, value: object) -> object:
    if isinstance(value, Said):
        return value.text(lang)
    says = getattr(value, "text", None) if isinstance(value, str) else None
    return says(lang) if callable(says) else value


class Joined(Said):
    """Pieces said one after another: joined by `sep` in English (as the English lines always
    read), by `other` in the other languages, each `Said` piece in the language."""

    pieces: tuple[object, ...]
    sep: str
    other: str
    around: tuple[str, str]

    def __new__(cls, pieces: Iterable[object], sep: str = " ", other: str = "·",
                around: tuple[str, str] = ("", "")) -> Joined:
        pieces = tuple(pieces)
        english = around[0] + sep.join(str(p) for p in pieces) + around[1]
        self = str.__new__(cls, english)
        self.template, self.params = english, ()
        self.pieces, self.sep, self.other, self.around = pieces, sep, other, around
        return self

    def __getnewargs_ex__(self) -> tuple[tuple[Any, ...], dict[str, object]]:
        return (self.pieces, self.sep, self.other, self.around), {}

    def text(self, lang: str) -> str:
        sep = self.sep if resolve_lang(lang) == "en" else self.other
        said = (p.text(lang) if isinstance(p, Said) else str(p) for p in self.pieces)
        return self.around[0] + sep.join(said) + self.around[1]


class Listed(Said):
    """Names said one by one in the language and joined as the language joins a list: the English
    is the names' English joined by ", " (as messages have always listed codes), the Chinese by
    "、"-style catalogue words (`word(lang, ", ")`)."""

    items: tuple[str, ...]

    def __new__(cls, items: Iterable[str]) -> Listed:
        kept = tuple(items)
        self = str.__new__(cls, ", ".join(kept))
        self.template, self.params, self.items = str(self), (), kept
        return self

    def __getnewargs_ex__(self) -> tuple[tuple[tuple[str, ...]], dict[str, object]]:  # type: ignore[override]
        return (self.items,), {}

    def text(self, lang: str) -> str:
        return word(lang, N_(", ")).join(i.text(lang) if isinstance(i, Said) else i for i in self.items)
