"""`csbatch explain EMPLOYEE PERIOD`: every point of one employee's scorecard, with where it came
from — the measured value and the input rows behind it, the band or formula applied and its
place in the policy, the points, and how the total follows. It runs the close's own stages (not
a second implementation), so what it shows is what the close computed. With `pay`, the
employee's pay lines too (`csbatch.closing.pay_explanation`).

It runs the computing stages up to payroll (VIP and the audit report explain nothing here), with
the ledger's history before the month when a ledger is given: so a refund of an order paid in an
earlier month shows as the reversal the close makes of it.
"""

from __future__ import annotations

from pathlib import Path

from csbatch.closing.card_explanation import Explanation, ItemLine, coded, explain_card, label_column
from csbatch.closing.pay_explanation import PayExplanation, explain_pay
from csbatch.errors import Issue
from csbatch.i18n import N_, resolve_lang, said_in, translator, word, word_in
from csbatch.ledger.store import Ledger
from csbatch.policy.bands import fmt
from csbatch.policy.vocabulary import measure_word, show
from csbatch.reports.codewords import flag_word

SHOWN_SOURCES = 4


def explain(employee_id: str, period: str, inputs_dir: Path, config_dir: Path | None = None,
            pay: bool = False, ledger: Ledger | None = None, policy_shown_as: tuple[str, str] | None = None,
            lang: str = "zh") -> tuple[Explanation | None, PayExplanation | None, list[Issue]]:
    """The scorecard explanation of `employee_id` and, with `pay`, the pay explanation, in `lang`.
    Without `pay` an employee with no scorecard is an error; with it, only one not on the payroll
    is. `policy_shown_as` (folder as shown, as it should be shown) names the policy's places after
    the folder a restored copy came from."""
    from csbatch.closing.runs import run_until_written

    outcome = run_until_written(period, inputs_dir, config_dir, frozenset({employee_id}), history_of=ledger,
                                through="payroll")
    if not outcome.ok:
        return None, None, outcome.issues
    card_explanation, issues = explain_card(outcome.state, employee_id, lang)
    pay_explanation, more = explain_pay(outcome.state, employee_id, lang) if pay else (None, [])
    if policy_shown_as is not None:
        _show_policy_as(card_explanation, pay_explanation, *policy_shown_as)
    if not pay:
        return card_explanation, None, outcome.issues + issues
    return card_explanation, pay_explanation, outcome.issues + more


def _show_policy_as(card: Explanation | None, pay: PayExplanation | None, shown: str, wanted: str) -> None:
    def place(text: str) -> str:
        return wanted + text[len(shown):] if text.startswith(shown + "/") else text

    if card is not None:
        for line in card.items:
            line.places = [place(p) for p in line.places]
    if pay is not None:
        for item in pay.items:
            item.place = place(item.place)
            item.inputs = [(text, None if where is None else place(where)) for text, where in item.inputs]


def _measured_text(line: ItemLine, lang: str, sep: str | None = None) -> str:
    """`name = value` of each measured value, joined by `sep` (the language's comma)."""
    return (word(lang, N_(", ")) if sep is None else sep).join(
        f"{measure_word(lang, name)} = {show(name, v, lang)}" for name, v in line.measured) or "—"


def _flags(flags, lang: str) -> str:
    """Flags as words (the language's; English keeps the codes it always printed)."""
    return " ".join(flags if lang == "en" else (flag_word(f, lang) for f in flags))


def _sources_text(line: ItemLine, lang: str, sep: str = ", ") -> str:
    if not line.sources:
        return "—"
    shown = sep.join(said_in(lang, s) for s in line.sources[:SHOWN_SOURCES])
    more = len(line.sources) - SHOWN_SOURCES
    return shown + (sep + word(lang, N_("(+{count} more rows)")).format(count=more) if more > 0 else "")


def header(e: Explanation) -> str:
    team = f" · {e.team}" if e.team else ""
    card = f"{e.card_code} ({e.card_name})" if resolve_lang(e.lang) == "en" else e.card_name
    return (f"{e.employee_id} {e.name} · {e.role}{team} · {card} · {e.period}"
            + ("" if e.rated else " · " + word(e.lang, N_("not rated (partial month)"))))


def footer(e: Explanation) -> list[str]:
    _ = translator(e.lang)
    lines = []
    if e.multiplier:
        lines.append(e.multiplier)
    verdict = (_("grade {grade}, rank {rank} of {of}").format(grade=e.grade, rank=e.rank, of=e.population)
               if e.rank else _("no grade or rank"))
    lines.append(_("total: {total} → {verdict}").format(total=e.total_text, verdict=verdict))
    if e.flags:
        lines.append(_("flags: {flags}").format(flags=_flags(e.flags, e.lang)))
    return lines


def render_text(e: Explanation) -> str:
    """Plain text, one block per item (for pipes, mail and tickets), in the explanation's language."""
    _ = translator(e.lang)
    measured, source, rule, policy = label_column(_("measured:"), _("from:"), _("rule:"), _("policy:"))
    out = [header(e), ""]
    for line in e.items:
        out.append(_("{code} {name} — {points} of {weight}").format(
            code=line.code if resolve_lang(e.lang) == "en" else "", name=line.name, points=fmt(line.points),
            weight=fmt(line.weight)).lstrip()
                   + (f"  [{_flags(line.flags, e.lang)}]" if line.flags else ""))
        out.append(f"  {measured}{_measured_text(line, e.lang)}")
        out.append(f"  {source}{_sources_text(line, e.lang)}")
        out.append(f"  {rule}{line.rule}")
        out.append(f"  {policy}{', '.join(dict.fromkeys(line.places))}")
        out.append("")
    return "\n".join(out + footer(e))


def render_rich(e: Explanation):
    """A rich table for a terminal."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(title=header(e), show_lines=True, expand=True)
    for col, kw in ((word_in(e.lang, "explain", "item"), {"ratio": 2}),
                    (word_in(e.lang, "explain", "measured"), {"ratio": 3}),
                    (word_in(e.lang, "explain", "from"), {"ratio": 3}),
                    (word_in(e.lang, "explain", "rule (policy)"), {"ratio": 5}),
                    (word_in(e.lang, "explain", "points"), {"justify": "right", "ratio": 1})):
        table.add_column(col, **kw)
    for line in e.items:
        rule = Text(line.rule + "\n")
        rule.append(", ".join(dict.fromkeys(line.places)), style="dim")
        flags = f"\n{_flags(line.flags, e.lang)}" if line.flags else ""
        table.add_row(coded(e.lang, line.code, line.name, "\n"), _measured_text(line, e.lang, "\n"),
                      _sources_text(line, e.lang, "\n"), rule, f"{fmt(line.points)} / {fmt(line.weight)}" + flags)
    return Group(table, *(Text(x) for x in footer(e)))


__all__ = ["Explanation", "explain", "explain_card", "render_rich", "render_text"]
