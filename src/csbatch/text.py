"""How typed text is compared: the one normalisation used for headers, codes, labels and
booleans, so `ＲＯＬＥ`, `Role `, `role` and `ro le` all meet; and how a million text IDs are
sorted without a Python comparison per pair (`sort_keys`)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np

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


def sort_keys(texts: Sequence[Any]) -> np.ndarray | None:
    """`texts` as a fixed-width numpy array that sorts (`np.lexsort`, `np.argsort`) as Python
    compares the strings (code-point order): bytes when all are ASCII (half the width of UCS-4,
    compared faster), else UCS-4. None when a value is not a plain `str`, or ends in NUL (numpy
    drops trailing NULs, so `"a\0"` would sort as `"a"`): sort those the slow way. Both checks
    are column-wise: the set of the values' types, and the characters numpy kept against the
    texts' lengths."""
    if len(texts) == 0:
        return np.asarray([], dtype=np.bytes_)
    if set(map(type, texts)) != {str}:
        return None
    try:
        keys = np.asarray(texts, dtype=np.bytes_)
    except UnicodeEncodeError:
        keys = np.asarray(texts, dtype=np.str_)
    # numpy keeps a text without its trailing NULs (never longer): fewer characters in all is
    # a text that ended in NUL
    if int(np.strings.str_len(keys).sum()) != sum(map(len, texts)):
        return None
    return keys
