"""Citizen ID numbers (GB 11643-1999): the check character of an 18-character ID.

The 18th character is ISO 7064 MOD 11-2 over the first 17 digits: Σ digitᵢ × weightᵢ mod 11
indexes `CHECK_CHARACTERS`. A 15-digit ID (issued before 1999) has no check character.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
CHECK_CHARACTERS = "10X98765432"
_CHECKS = np.array(list(CHECK_CHARACTERS))


def check_character(first17: str) -> str:
    """The check character for the first 17 digits of an ID."""
    return str(check_characters([first17])[0])


def check_characters(ids: Sequence[str]) -> np.ndarray:
    """The expected check characters of many IDs at once; each starts with 17 ASCII digits."""
    if len(ids) == 0:
        return np.array([], dtype="<U1")
    digits = np.frombuffer("".join(s[:17] for s in ids).encode("ascii"), dtype=np.uint8)
    digits = digits.reshape(-1, 17).astype(np.int64) - ord("0")
    return _CHECKS[(digits @ WEIGHTS) % 11]


def has_valid_check(id18: str) -> bool:
    """Whether an 18-character ID (17 digits, then a digit or X) carries the right check
    character."""
    return len(id18) == 18 and id18[:17].isascii() and id18[:17].isdigit() \
        and check_character(id18) == id18[17].upper()
