"""Why a pay line has its amount, worded in the workbook's language: every reason kind's English
and Chinese wording, kept in this one place.

A `Reason` IS its English text (a `str`): `data/*.csv`, the ledger, `csbatch explain` and the
policy golden cases keep reading the words they read before. It also remembers its kind and
figures, so the payroll workbook's HR import sheet can say it in Chinese (`text("zh")`). Scoring
(counted sales' production-sheet rule) and pay both word reasons, so this sits below both.
A plain `str` among reasons (an adjustment's own words, a recognition's policy name) is shown as
written in every language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

#: reason kind → language → wording ({name} fields are the reason's figures, already formatted)
WORDS: dict[str, dict[str, str]] = {
    "scheduled": {"en": "scheduled {days} of {workdays} workdays",
                  "zh": "应出勤{days}天（本月{workdays}个工作日）"},
    "absent": {"en": "absent {days} d", "zh": "旷工{days}天"},
    "unpaid_leave": {"en": "unpaid leave {days} d", "zh": "无薪假{days}天"},
    "team_lead": {"en": "team lead", "zh": "班组长"},
    "per_unit": {"en": "{units} × ¥{amount}", "zh": "{units} × ¥{amount}"},
    "capped": {"en": "total {total} capped at {cap}", "zh": "总分{total}，按上限{cap}计"},
    "complaints": {"en": "complaint {ids}", "zh": "投诉{ids}"},
    "refund": {"en": "refund of order {order} paid in {period}", "zh": "订单{order}退款（已于{period}发放）"},
    "sheet_missing": {"en": "production sheet missing → {share}", "zh": "未交生产日报 → 按{share}计"},
    "sheet_late": {"en": "production sheet late ({submitted} > {due}) → {share}",
                   "zh": "生产日报迟交（{submitted} > {due}）→ 按{share}计"},
    "over_reported": {"en": "reported {reported} > actual {actual} → {share}",
                      "zh": "上报{reported} > 实际{actual} → 按{share}计"},
    "also_over_reported": {"en": "also reported {reported} > actual {actual}",
                           "zh": "另上报{reported} > 实际{actual}"},
}

#: how reasons are joined, by language (the English separator is the key)
SEPARATORS: dict[str, dict[str, str]] = {
    "; ": {"en": "; ", "zh": "；"},
    ", ": {"en": ", ", "zh": "，"},
}


def _render(kind: str, args: Mapping[str, Any], lang: str) -> str:
    words = WORDS[kind]
    return words.get(lang, words["en"]).format(**args)


class Reason(str):
    """A reason: its English text, plus what it needs to be worded in another language."""

    _kind: str
    _args: dict[str, Any]
    _parts: tuple[str, ...]
    _sep: str

    @classmethod
    def of(cls, kind: str, **args: Any) -> Reason:
        """One reason of a kind of `WORDS`, with its figures."""
        made = cls._make(_render(kind, args, "en"))
        made._kind, made._args = kind, args
        return made

    @classmethod
    def join(cls, parts: Iterable[str], sep: str = "; ") -> Reason:
        """Reasons (or plain words) joined; blank ones are left out."""
        kept = tuple(p for p in parts if p)
        made = cls._make(sep.join(kept))
        made._parts, made._sep = kept, sep
        return made

    @classmethod
    def _make(cls, english: str) -> Reason:
        made = super().__new__(cls, english)
        made._kind, made._args, made._parts, made._sep = "", {}, (), ""
        return made

    def __reduce__(self):   # pickling and copying keep the wording, not only the English
        return _restore, (str(self), self._kind, self._args, self._parts, self._sep)

    def text(self, lang: str) -> str:
        if self._kind:
            return _render(self._kind, self._args, lang)
        if self._sep:
            sep = SEPARATORS.get(self._sep, {}).get(lang, self._sep)
            return sep.join(worded(p, lang) for p in self._parts)
        return str(self)


def _restore(english: str, kind: str, args: dict[str, Any], parts: tuple[str, ...], sep: str) -> Reason:
    made = Reason._make(english)
    made._kind, made._args, made._parts, made._sep = kind, args, parts, sep
    return made


def worded(reason: Any, lang: str) -> str:
    """`reason` in `lang`: a `Reason` worded, any other text as written ("" for none)."""
    if isinstance(reason, Reason):
        return reason.text(lang)
    return "" if reason is None else str(reason)
