"""The building blocks of the policy schema: a strict model base and the value types YAML text
turns into.

The YAML layer hands over text, so each type here says how its text reads: `95%` or `0.95` for a
rate, `08:30` for a clock time, `¥300` or `300` for money. Numbers become `Decimal` straight from
their text, so `0.85` is exactly 0.85 and money never passes through a float. Booleans must be
written `true`/`false`: `yes`, `no`, `on` and `off` are text.

Each type also says which values make sense, so a slip is an error at its file:line instead of
wrong pay: a `Rate` is a share from 0% to 100% (`15` is 1500%, refused, with the hint to write
`15%`), `Minutes` a grace period of 0–120 minutes, `NonNegMoney` and `NonNegNumber` amounts and
caps of at least 0, `Int` a count (a whole number of at least 0). `Figure` (a number or a
percentage) and `Number` are unbounded: band bounds are checked against their table's domain
(`csbatch.policy.bands`), and points may be negative.
"""

from __future__ import annotations

import re
from datetime import time
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, PrivateAttr, StrictBool, StringConstraints

from csbatch.errors import Source
from csbatch.i18n import N_, Said


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


def _is_not(written: str, what: str) -> ValueError:
    """The policy value's problem, said in the reader's language (`csbatch.policy.validate` shows
    a ValueError's `Said` as it is)."""
    return ValueError(Said(N_("{written} is not {what}"), written=written, what=Said(what)))


def _decimal(text: Any, what: str) -> Decimal:
    if isinstance(text, bool):
        raise _is_not(repr(text), what)
    if isinstance(text, (int, Decimal)):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(repr(text))
    if not isinstance(text, str):
        raise _is_not(repr(text), what)
    try:
        value = Decimal(text.strip().replace("_", ""))
    except InvalidOperation:
        raise _is_not(f"'{text}'", what) from None
    if not value.is_finite():
        raise _is_not(f"'{text}'", what)
    return value


def parse_number(text: Any) -> Decimal:
    return _decimal(text, N_("a number"))


def parse_rate(text: Any) -> Decimal:
    """`95%` → 0.95; `0.95` → 0.95."""
    if isinstance(text, str) and text.strip().endswith("%"):
        return _decimal(text.strip()[:-1], N_("a percentage")) / 100
    return _decimal(text, N_("a rate (write 95% or 0.95)"))


def parse_money(text: Any) -> Decimal:
    """`300`, `¥300`, `1,000.50` → Decimal."""
    if isinstance(text, str):
        cleaned = text.strip().lstrip("¥￥").replace(",", "")
        if cleaned.endswith("元"):
            cleaned = cleaned[:-1]
        return _decimal(cleaned, N_("an amount of money"))
    return _decimal(text, N_("an amount of money"))


_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_clock(text: Any) -> time:
    if isinstance(text, time):
        return text
    found = _CLOCK.match(text.strip()) if isinstance(text, str) else None
    if found is None:
        raise ValueError(Said(N_("{written} is not a clock time (write it as HH:MM, e.g. 08:30)"), written=repr(text)))
    h, m = found.groups()
    return time(int(h), int(m))


def _whole(text: Any) -> int:
    value = _decimal(text, N_("a whole number"))
    if value != value.to_integral_value():
        raise _is_not(f"'{text}'", N_("a whole number"))
    return int(value)


def _percent(value: Decimal) -> str:
    return f"{(value * 100).normalize():f}%"


def _written(text: Any) -> str:
    return str(text).strip() if not isinstance(text, Decimal) else f"{text:f}"


def parse_share(text: Any) -> Decimal:
    """A rate from 0% to 100%: `95%` or `0.95`. `15` would be 1500%: refused with the hint."""
    value = parse_rate(text)
    if 0 <= value <= 1:
        return value
    written = _written(text)
    if not written.endswith("%") and 1 < value <= 100:
        raise ValueError(Said(N_("'{written}' is not a rate between 0% and 100% ({written} means {percent}; write "
                                 "{written}% for a percentage)"), written=written, percent=_percent(value)))
    raise ValueError(Said(N_("'{written}' is not a rate between 0% and 100%"), written=written))


def _count(text: Any) -> int:
    value = _whole(text)
    if value < 0:
        raise ValueError(Said(N_("'{written}' is negative; write a whole number of at least 0"),
                              written=_written(text)))
    return value


#: The longest grace period (minutes) a schedule may grant: two hours.
MAX_GRACE_MINUTES = 120


def _minutes(text: Any) -> int:
    value = _whole(text)
    if not 0 <= value <= MAX_GRACE_MINUTES:
        raise ValueError(Said(N_("'{written}' is not between 0 and {most} minutes"), written=_written(text),
                              most=MAX_GRACE_MINUTES))
    return value


def _not_negative(parse, what: str):
    def check(text: Any) -> Decimal:
        value = parse(text)
        if value < 0:
            raise ValueError(Said(N_("'{written}' is negative; {what} is at least 0"), written=_written(text),
                                  what=Said(what)))
        return value
    return check


def _positive(text: Any) -> Decimal:
    value = parse_rate(text)
    if value <= 0:
        raise ValueError(Said(N_("'{written}' must be above 0"), written=_written(text)))
    return value


Flag = StrictBool
Number = Annotated[Decimal, BeforeValidator(parse_number)]
NonNegNumber = Annotated[Decimal, BeforeValidator(_not_negative(parse_number, N_("this number")))]
Figure = Annotated[Decimal, BeforeValidator(parse_rate)]          # a number, or a percentage with %
PositiveFigure = Annotated[Decimal, BeforeValidator(_positive)]
NonNegFigure = Annotated[Decimal, BeforeValidator(_not_negative(parse_rate, N_("this value")))]
Rate = Annotated[Decimal, BeforeValidator(parse_share)]
NonNegMoney = Annotated[Decimal, BeforeValidator(_not_negative(parse_money, N_("an amount")))]
Clock = Annotated[time, BeforeValidator(parse_clock)]
Int = Annotated[int, BeforeValidator(_count)]
Minutes = Annotated[int, BeforeValidator(_minutes)]
Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
ItemCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$")]
Text = Annotated[str, StringConstraints(min_length=1)]
