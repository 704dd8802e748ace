"""How typed text is compared: the one normalisation used for headers, codes, labels and
booleans, so `ＲＯＬＥ`, `Role `, `role` and `ro le` all meet."""

from __future__ import annotations

import re
import unicodedata

_UNIT = re.compile(r"[(\[【][^)\]】]*[)\]】]$")


def normalise_label(text: str) -> str:
    """NFKC (full-width → half-width), case-folded, without white space, `_` and `-`."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    return "".join(ch for ch in text if not ch.isspace() and ch not in "_-")


def normalise_header(text: str) -> str:
    """A header as compared with aliases: like a label, and without a trailing unit in
    brackets (`金额(元)`, `金额（元）`, `amount [¥]`)."""
    text = unicodedata.normalize("NFKC", str(text)).strip()
    text = _UNIT.sub("", text.rstrip("*✱ ")).strip()
    return normalise_label(text)


def spelled(code: str) -> str:
    """A code as words, for a reader with no better name for it (`base_pay` → "base pay")."""
    return code.replace("_", " ")
