"""Why a line has its amount (a pay line, a mispriced VIP order), worded in the workbook's
language: every reason kind's English, marked for the catalogue (its Chinese is in csbatch.po).

A `Reason` IS its English text (a `str`): `data/*.csv`, the ledger, `csbatch explain` and the
policy golden cases keep reading the words they read before. It also remembers its kind and
figures, so a workbook can say it in Chinese (`text("zh")`). Scoring (counted sales'
production-sheet rule), pay and the VIP audit word reasons, so this sits below them.
A plain `str` among reasons (an adjustment's own words, a recognition's policy name) is shown as
written in every language; `Reason.named` is a policy name with its English stand-in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from csbatch.i18n import N_, word

#: reason kind → its English wording ({name} fields are the reason's figures, already formatted,
#: or reasons themselves, worded in the same language)
WORDS: dict[str, str] = {
    "scheduled": N_("scheduled {days} of {workdays} workdays"),
    "absent": N_("absent {days} d"),
    "unpaid_leave": N_("unpaid leave {days} d"),
    "team_lead": N_("team lead"),
    "floated": N_("floating: total {total} → {share}"),
    "not_floated": N_("no rated total: paid as set"),
    "per_unit": N_("{units} × ¥{amount}"),
    "capped": N_("total {total} capped at {cap}"),
    "team_split": N_("team part {share} on team {team}'s mean total {mean}: {team_part}; own part {own_share} "
                     "on own total {total}: {own_part}"),
    "team_capped": N_("team mean {mean} capped at {cap}"),
    "complaints": N_("complaint {ids}"),
    "refund": N_("refund of order {order} paid in {period}"),
    "sheet_missing": N_("production sheet missing → {share}"),
    "sheet_late": N_("production sheet late ({submitted} > {due}) → {share}"),
    "over_reported": N_("reported {reported} > actual {actual} → {share}"),
    "also_over_reported": N_("also reported {reported} > actual {actual}"),
    "off_terms": N_("paid {paid}, expected {expected} ({terms})"),
    "card_rate": N_("{tier} {rate}"),
    "full_price": N_("full price"),
    "less_voucher": N_("{terms}, less a {voucher} voucher"),
    "never_discounted": N_("{category} item discounted"),
}

#: how reasons are joined (the English separator is the msgid)
SEPARATORS: dict[str, str] = {"; ": N_("; "), ", ": N_(", ")}

NAMED = "="     # the kind of a `Reason.named`: its args are its text by language


def _render(kind: str, args: Mapping[str, Any], lang: str) -> str:
    if kind == NAMED:
        return args.get(lang, args["en"])
    return word(lang, WORDS[kind]).format(**{k: worded(v, lang) for k, v in args.items()})


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
    def named(cls, english: str, chinese: str) -> Reason:
        """A name the policy gives in Chinese only (a VIP tier, a category), with the English it
        stands for (its code, as the CSV files have it)."""
        made = cls._make(english)
        made._kind, made._args = NAMED, {"en": english, "zh": chinese}
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
            sep = word(lang, SEPARATORS[self._sep]) if self._sep in SEPARATORS else self._sep
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
