"""Keeps the Chinese catalogue in step with the code: `make catalogue`.

Extracts every marked string (`N_`, `NC_`, `_`, `word`, `word_in` in src/, `_()` and `{% trans %}` in
templates/) with Babel, adds the new ones to `src/csbatch/locale/zh/LC_MESSAGES/csbatch.po` with an
empty translation, drops the ones the code no longer has, and writes it sorted without source
locations (so two branches adding words rarely touch the same lines). Then fill in the msgstr.
`--check` writes nothing and lists what is wrong (tests/test_catalogues.py runs it): a string
without its Chinese, a fuzzy or stale entry, a `{placeholder}` the translation drops or invents.
"""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "src" / "csbatch" / "locale" / "zh" / "LC_MESSAGES" / "csbatch.po"
#: csbatch.i18n's own functions take the language first
KEYWORDS = {**DEFAULT_KEYWORDS, "word": (2,), "word_in": ((2, "c"), 3), "NC_": ((1, "c"), 2)}
SOURCES = [(ROOT / "src" / "csbatch", [("**.py", "python")]),
           (ROOT / "templates", [("**.j2", "jinja2")])]
FIXED_DATE = datetime(2026, 12, 1, tzinfo=UTC)   # no date churn in the header on every update
PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)[^{}]*\}(?!\})")


def _placeholders(text: str | tuple[str, ...]) -> set[str]:
    parts = text if isinstance(text, tuple) else (text,)
    return {name for part in parts for name in PLACEHOLDER.findall(part)}


def extracted() -> Catalog:
    """Every marked string of the code and the templates."""
    found = Catalog(domain="csbatch", project="csbatch", version="1", msgid_bugs_address="-",
                    creation_date=FIXED_DATE, revision_date=FIXED_DATE, last_translator="csbatch",
                    language_team="csbatch")
    for folder, method_map in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
                str(folder), method_map, keywords=KEYWORDS, strip_comment_tags=True):
            if message:       # a tuple for ngettext: singular and plural
                found.add(message, None, [(f"{folder.name}/{filename}", lineno)], auto_comments=comments,
                          context=context)
    return found


def read_catalogue() -> Catalog:
    with PO.open("rb") as f:
        return read_po(f, locale="zh", domain="csbatch")


def problems() -> list[str]:
    """What `--check` reports; empty when the catalogue and the code agree."""
    code = extracted()
    po = read_catalogue()
    found: list[str] = []
    for message in code:
        if not message.id:
            continue
        entry = po.get(message.id, context=message.context)
        where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
        if entry is None:
            found.append(f"{where}: {message.id!r} is not in the catalogue (run `make catalogue`, then translate it)")
        elif not all(entry.string if isinstance(entry.string, tuple) else (entry.string,)) or entry.fuzzy:
            found.append(f"{where}: {message.id!r} has no Chinese yet")
        elif _placeholders(entry.string) != _placeholders(message.id):
            found.append(f"{where}: {message.id!r}: the translation's {{placeholders}} differ: {entry.string!r}")
    for entry in po:
        if entry.id and code.get(entry.id, context=entry.context) is None:
            found.append(f"{PO.name}: {entry.id!r} is no longer in the code (run `make catalogue`)")
    return found


def update() -> None:
    po = read_catalogue()
    template = extracted()
    po.update(template, no_fuzzy_matching=True)
    po.revision_date = FIXED_DATE
    po.last_translator = template.last_translator
    po.language_team = template.language_team
    po.msgid_bugs_address = template.msgid_bugs_address
    po.obsolete.clear()
    with PO.open("wb") as f:
        write_po(f, po, no_location=True, sort_output=True, width=0, omit_header=False,
                 include_previous=False)


def main(argv: list[str]) -> int:
    if "--check" in argv:
        found = problems()
        print("\n".join(found) or "catalogue OK")
        return 1 if found else 0
    update()
    print(f"updated {PO.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
