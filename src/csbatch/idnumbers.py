"""Citizen ID numbers (GB 11643-1999): the check character of an 18-character ID, and how an ID
is shown — never whole.

The 18th character is ISO 7064 MOD 11-2 over the first 17 digits: Σ digitᵢ × weightᵢ mod 11
indexes `CHECK_CHARACTERS`. A 15-digit ID (issued before 1999) has no check character.

An ID number is personal data: whatever a person reads (messages, the manifest, the ledger's copy
of it, outputs, crash logs) shows only its last four characters (`mask_id`). `mask_ids_in` masks
every ID-shaped run in a free text; `csbatch.errors.Issue` passes every message through it, so an
ID pasted into some other column cannot reach the screen or the manifest whole either. This is
the one place that computes the check character (the sample generator uses it too).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
CHECK_CHARACTERS = "10X98765432"
_CHECKS = np.array(list(CHECK_CHARACTERS))

#: Digits of an ID shown to people.
SHOWN = 4

#: An 18-character ID as it may sit in free text: a region (not starting with 0), a birth date
#: 18xx–20xx with a real month and day, a sequence, a check character. Runs of more digits (order
#: numbers) are left alone; a 15-digit ID is masked where it is known to be one (its column).
_ID_IN_TEXT = re.compile(
    r"(?<![0-9A-Za-z])[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
    r"[0-9]{3}[0-9Xx](?![0-9A-Za-z])")


def check_characters(ids: Sequence[str]) -> np.ndarray:
    """The expected check characters of many IDs at once; each starts with 17 ASCII digits."""
    if len(ids) == 0:
        return np.array([], dtype="<U1")
    codes = np.frombuffer("".join(s[:17] for s in ids).encode("ascii"), dtype=np.uint8)
    digits = codes.reshape(-1, 17).astype(np.int64) - ord("0")
    return _CHECKS[(digits @ WEIGHTS) % 11]


def mask_id(id_number: str | None, keep: int = SHOWN) -> str:
    """An 18-character number → `**************` and its last `keep` characters only."""
    if not id_number:
        return ""
    keep = max(0, min(keep, SHOWN, len(id_number) - 1))
    return "*" * (len(id_number) - keep) + (id_number[-keep:] if keep else "")


def id_ending(id_number: str | None) -> str:
    """The characters `mask_id` shows, without its stars: what a message names a number by
    ("ending 1234")."""
    return mask_id(id_number)[-SHOWN:]


#: Any 18-character run shaped like an ID (17 digits and a digit or X), valid date or not: what a
#: crash log masks, since a traceback may quote a mistyped number too.
_ID_SHAPED = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


def mask_id_shaped(text: str) -> str:
    """`text` with every 18-character ID-shaped run masked, a mistyped one too (for logs)."""
    return _ID_SHAPED.sub(lambda m: mask_id(m.group(0)), text)


#: Seventeen digits in a row, which every ID `_ID_IN_TEXT` finds begins with. Searched for first:
#: the full pattern opens with a look-behind, so the regex engine tries it at every position of
#: every text, while this one it scans for in C; the texts a staff page masks (input rows, rules,
#: names: about 900,000 at a million orders) almost never hold one.
_SEVENTEEN_DIGITS = re.compile(r"[0-9]{17}")


def mask_ids_in(text: str) -> str:
    """`text` with every ID-shaped run masked (`mask_id`). From 18 characters on, the result is a
    plain `str` (what `re.sub` returns for a `str` subclass such as `Said`), masked or not."""
    if len(text) < 18:
        return text
    if _SEVENTEEN_DIGITS.search(text) is None:
        return text if type(text) is str else str.__str__(text)
    return _ID_IN_TEXT.sub(lambda m: mask_id(m.group(0)), text)
