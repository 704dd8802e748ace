"""Code lists other rules refer to: recognitions (praise, criticism, awards) and complaint
categories (policies.md §3, §4)."""

from __future__ import annotations

from typing import Literal

from csbatch.policy.base import Code, Flag, Model, Text


class Recognition(Model):
    name: Text
    aliases: list[Text] = []
    source: str | None = None
    kind: Literal["praise", "criticism", "award", "conduct", "overtime"]


class ComplaintCategory(Model):
    name: Text
    aliases: list[Text] = []
    source: str | None = None


class ComplaintPolicy(Model):
    categories: dict[Code, ComplaintCategory]
    special_price_refund_is_exception: Flag = True
