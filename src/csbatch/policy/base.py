"""The building blocks of the policy schema: a strict model base and the value types YAML text
turns into.

The YAML layer hands over text, so each type here says how its text reads: `95%` or `0.95` for a
rate, `08:30` for a clock time, `¥300` or `300` for money. Numbers become `Decimal` straight from
their text, so `0.85` is exactly 0.85 and money never passes through a float. Booleans must be
written `true`/`false`: `yes`, `no`, `on` and `off` are text.
"""

from __future__ import annotations

import re
from datetime import time
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, PrivateAttr, StrictBool, StringConstraints

from csbatch.errors import Source


class Model(BaseModel):
    """Every policy record: unknown keys are errors, records are immutable, and each knows the
    YAML place it was read from (`place`), set by the loader. (`source` is the field naming the
    source document, e.g. "[003]".)"""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              validate_default=True)
    _source: Source | None = PrivateAttr(default=None)
    _key_sources: dict[str, Source] = PrivateAttr(default_factory=dict)

    @property
    def place(self) -> Source | None:
        """Where this record was read: policy file, line and column."""
        return self._source

    def place_of(self, key: str) -> Source | None:
        """The place of one key of this record (its YAML spelling), else of the record."""
        return self._key_sources.get(key, self._source)


def _decimal(text: Any, what: str) -> Decimal:
    if isinstance(text, bool):
        raise ValueError(f"{text!r} is not {what}")
    if isinstance(text, (int, Decimal)):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(repr(text))
    if not isinstance(text, str):
        raise ValueError(f"{text!r} is not {what}")
    try:
        value = Decimal(text.strip().replace("_", ""))
    except InvalidOperation:
        raise ValueError(f"'{text}' is not {what}") from None
    if not value.is_finite():
        raise ValueError(f"'{text}' is not {what}")
    return value


def parse_number(text: Any) -> Decimal:
    return _decimal(text, "a number")


def parse_rate(text: Any) -> Decimal:
    """`95%` → 0.95; `0.95` → 0.95."""
    if isinstance(text, str) and text.strip().endswith("%"):
        return _decimal(text.strip()[:-1], "a percentage") / 100
    return _decimal(text, "a rate (write 95% or 0.95)")


def parse_money(text: Any) -> Decimal:
    """`300`, `¥300`, `1,000.50` → Decimal."""
    if isinstance(text, str):
        cleaned = text.strip().lstrip("¥￥").replace(",", "")
        if cleaned.endswith("元"):
            cleaned = cleaned[:-1]
        return _decimal(cleaned, "an amount of money")
    return _decimal(text, "an amount of money")


_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_clock(text: Any) -> time:
    if isinstance(text, time):
        return text
    if not isinstance(text, str) or not _CLOCK.match(text.strip()):
        raise ValueError(f"{text!r} is not a clock time (write it as HH:MM, e.g. 08:30)")
    h, m = _CLOCK.match(text.strip()).groups()
    return time(int(h), int(m))


def _positive_int(text: Any) -> int:
    value = _decimal(text, "a whole number")
    if value != value.to_integral_value():
        raise ValueError(f"'{text}' is not a whole number")
    return int(value)


Flag = StrictBool
Number = Annotated[Decimal, BeforeValidator(parse_number)]
Rate = Annotated[Decimal, BeforeValidator(parse_rate)]
Money = Annotated[Decimal, BeforeValidator(parse_money)]
Clock = Annotated[time, BeforeValidator(parse_clock)]
Int = Annotated[int, BeforeValidator(_positive_int)]
Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
ItemCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$")]
Text = Annotated[str, StringConstraints(min_length=1)]
