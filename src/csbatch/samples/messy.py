"""Values the way people type them: the same date, amount or count in the forms the intake must
accept (docs/inputs.md) — Excel cells, `2026/10/8`, `2026年10月8日`, `¥1,234.50`, `1234.5元`,
full-width digits."""

from __future__ import annotations

import datetime as dt

import numpy as np

_FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def fullwidth(text: str) -> str:
    """`1234` → `１２３４` (digits only; the intake folds them back with NFKC)."""
    return text.translate(_FULL)


def money_text(amount: float, style: str) -> str:
    """`yen`: ¥1,234.50 · `yuan`: 1234.5元 · `full`: １２３４.５ · `plain`: 1234.50"""
    if style == "yen":
        return f"¥{amount:,.2f}"
    short = f"{amount:.2f}".rstrip("0").rstrip(".")
    if style == "yuan":
        return f"{short}元"
    if style == "full":
        return fullwidth(short)
    return f"{amount:.2f}"


def date_text(day: dt.date, style: str) -> str:
    """`slash`: 2026/10/8 · `cn`: 2026年10月8日 · `iso`: 2026-10-08"""
    if style == "slash":
        return f"{day.year}/{day.month}/{day.day}"
    if style == "cn":
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()


def datetime_text(moment: dt.datetime, style: str) -> str:
    """`slash`: 2026/10/8 14:05 · `iso`: 2026-10-08 14:05:00 · `cn`: 2026年10月8日 14:05"""
    if style == "iso":
        return f"{moment:%Y-%m-%d %H:%M:%S}"
    return f"{date_text(moment.date(), style)} {moment.hour}:{moment.minute:02d}"


def sprinkle(values: list, share: float, rng: np.random.Generator, make) -> list:
    """Replace a `share` of the non-blank values by `make(value, k)` (k counts the replaced)."""
    n = len(values)
    if n == 0 or share <= 0:
        return values
    picks = np.flatnonzero(rng.random(n) < share)
    for k, i in enumerate(picks.tolist()):
        if values[i] is not None:
            values[i] = make(values[i], k)
    return values


def typed_dates(days: list, rng: np.random.Generator, share: float = 0.06) -> list:
    """Date cells, with a `share` typed as text in the two other forms, alternately."""
    return sprinkle(list(days), share, rng,
                    lambda d, k: date_text(d, "slash" if k % 2 == 0 else "cn"))


def typed_money(amounts: list, rng: np.random.Generator, share: float = 0.05) -> list:
    """Number cells, with a `share` typed as text (¥1,234.50, 1234.5元, full-width digits)."""
    styles = ("yen", "yuan", "yen", "full")
    return sprinkle(list(amounts), share, rng, lambda a, k: money_text(a, styles[k % 4]))
