"""`csbatch explain EMPLOYEE PERIOD --pay`: every pay line of one employee as the close computed it
— the component with its rule in words (from pay.yaml: kind, rate or amount, caps, proration) and
its place in the policy, what the line was computed from (the `PayInput`s each mechanism records:
orders with their rows, attendance figures, recognitions, complaints, adjustment rows, refund
reversals), and the amount. The lines are the close's own `PayLine`s, not recomputed here, so
they add up to the employee's gross pay in payroll.csv to the fen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import overload

from csbatch.closing.card_explanation import coded, first_row_of, kept, label_column, width
from csbatch.closing.state import CloseState, need
from csbatch.errors import Issue
from csbatch.i18n import N_, resolve_lang, said_in, translator, word, word_in
from csbatch.payroll.compute import PayrollResult
from csbatch.payroll.lines import ADJUSTMENT, REVERSAL, PayInput, PayLine, yuan
from csbatch.policy import Policy
from csbatch.policy.bands import fmt
from csbatch.policy.pay import (
    AbsenceDeduction,
    Awards,
    BasePay,
    Commission,
    FixedAmount,
    LossDeduction,
    Manual,
    OrderBonus,
    PerformanceBonus,
    PerUnit,
    PositionAllowance,
)
from csbatch.policy.vocabulary import measure_word
from csbatch.rules.reasons import worded

PRORATED = N_("× scheduled days ÷ the month's workdays")
SHOWN_INPUTS = 8      # in a terminal's table; plain text lists every input


Input = tuple[str, str | None]             # (what, where it was read)


class WordedInputs(Sequence[Input]):
    """A pay line's inputs, each worded in the language only when read: `explain --pay` lists
    them all (a terminal's table the first few), a staff page none, and a commission line of a
    big month has thousands (one per order)."""

    def __init__(self, inputs: Sequence[PayInput], lang: str, came: str = "", places: Sequence[str] = ()) -> None:
        """`inputs` then, without a place of their own, `came` said of each of `places`."""
        self._inputs, self._lang, self._came, self._more = inputs, lang, came, places
        self._worded: dict[int, Input] = {}

    def __len__(self) -> int:
        return len(self._inputs) + len(self._more)

    @overload
    def __getitem__(self, index: int) -> Input: ...

    @overload
    def __getitem__(self, index: slice) -> list[Input]: ...

    def __getitem__(self, index: int | slice) -> Input | list[Input]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        n = len(self)
        i = index + n if index < 0 else index
        if not 0 <= i < n:
            raise IndexError(index)
        if i not in self._worded:
            if i < len(self._inputs):
                given = self._inputs[i]
                self._worded[i] = (given.text_in(self._lang), None if given.place is None else str(given.place))
            else:
                self._worded[i] = (self._came.format(place=self._more[i - len(self._inputs)]), None)
        return self._worded[i]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]   # as a list's

    def __repr__(self) -> str:
        return repr(list(self))


@dataclass
class PayItem:
    component: str                          # pay.yaml code
    name: str                               # its label on the payroll sheet
    rule: str                               # in words
    place: str                              # where pay.yaml defines the component
    inputs: Sequence[Input]                 # (what, where it was read), worded when read
    reason: str                             # as the payroll sheet prints it
    amount: Decimal


@dataclass
class PayExplanation:
    period: str
    employee_id: str
    name: str
    role: str
    items: list[PayItem]
    gross: Decimal                          # the employee's gross_pay in payroll.csv
    lang: str = "zh"                        # the language of the rules above and of rendering


def rule_text(component, role: str | None, lang: str = "zh", role_names: Mapping[str, str] | None = None,
              policy: Policy | None = None) -> str:
    """A pay.yaml component's rule in words, for an employee of `role`, in `lang`; roles by the
    names the policy gives them (`role_names`, code → name) when given. With `policy`, in any
    language but English, recognitions, roster columns and sales channels are named as the
    policy names them (服务之星, the roster's header 补助, 电话直接成交), not by their codes."""
    _ = translator(lang)
    c, prorated = component, _(PRORATED)
    own = policy is not None and resolve_lang(lang) != "en"

    def named(code: str | None) -> str | None:
        return (role_names or {}).get(code or "", code)

    def recognition(code: str) -> str:
        found = policy.recognitions.get(code) if own and policy is not None else None
        return found.name if found is not None else code

    def column(key: str) -> str:
        kind = policy.inputs.kinds.get("roster") if policy is not None else None
        return kind.header(key).text(lang) if kind is not None else key

    def channel(code: str) -> str:
        return said_in(lang, policy.inputs.code_named("channel", code)) if policy is not None else code

    if isinstance(c, BasePay):
        return _("roster base salary {prorated}").format(prorated=prorated)
    if isinstance(c, AbsenceDeduction):
        return _("− base salary ÷ the month's workdays × (absent days + unpaid leave days)")
    if isinstance(c, FixedAmount):
        roles = _(", ").join(str(named(r)) for r in c.roles)
        if c.roster_column:
            return _("{amount} a month for {roles} (or the roster's {column} when filled), {prorated}").format(
                amount=yuan(c.amount), roles=roles, column=column(c.roster_column), prorated=prorated)
        return _("{amount} a month for {roles}, {prorated}").format(amount=yuan(c.amount), roles=roles,
                                                                    prorated=prorated)
    if isinstance(c, PositionAllowance):
        parts = [_("team lead {amount}").format(amount=yuan(c.team_lead)),
                 *(f"{named(r)} {yuan(v)}" for r, v in c.roles.items())]
        rule = _("{parts} a month, {prorated}").format(parts=" + ".join(parts), prorated=prorated)
        if c.floating is not None:   # 浮动制度 [001]
            table = policy.bands.get(c.floating.table) if own and policy is not None else None
            rule += _("; floating: × the share band table {table} gives the holder's scorecard total").format(
                table=table.name if table is not None and table.name else c.floating.table)
        return rule
    if isinstance(c, OrderBonus):
        shares = _(", ").join(f"{channel(ch)} {fmt(s, 'rate')}" for ch, s in c.agent_share.items())
        return _("{rate} × each counted order's amount × the agent's share by channel ({shares}; the rest goes "
                 "to the sales rep)").format(rate=fmt(c.rate, "rate"), shares=shares)
    if isinstance(c, Commission):
        rate = c.rates.get(role or "")
        shown = fmt(rate, "rate") if rate is not None else _("the role's rate")
        return _("{rate} ({role}) × each counted order's amount × the production-sheet share").format(
            rate=shown, role=named(role))
    if isinstance(c, PerUnit):
        return f"{yuan(c.amount)} × {measure_word(lang, c.measure)}"
    if isinstance(c, PerformanceBonus):
        base = c.bases.get(role or "")
        shown = yuan(base) if base is not None else _("the role's bonus base")
        if c.team_share > 0:
            return _("bonus base {base} × ({share} × min(team's mean total, {cap}) + {own} × min(scorecard total, "
                     "{cap})) ÷ 100, each part to the fen; the team's mean is over its rated members on the same "
                     "scorecard (no team: all on the scorecard total); none when not rated, never below 0").format(
                base=shown, share=fmt(c.team_share, "rate"), own=fmt(1 - c.team_share, "rate"), cap=fmt(c.cap_total))
        return _("bonus base {base} × min(scorecard total, {cap}) ÷ 100; none when not rated, never below 0").format(
            base=shown, cap=fmt(c.cap_total))
    if isinstance(c, Awards):
        return _("cash per recognition: {amounts}").format(
            amounts=_(", ").join(f"{recognition(k)} {yuan(v)}" for k, v in c.amounts.items()))
    if isinstance(c, LossDeduction):
        return _("− the loss of each complaint received in the month that is our fault")
    if isinstance(c, Manual):
        if c.sign == "any":
            return _("only lines of the adjustments sheet")
        return _("only lines of the adjustments sheet ({sign} amounts)").format(sign=c.sign)
    return c.kind


def _line_rule(policy: Policy, code: str, origin: str, role: str | None, lang: str) -> tuple[str, str, str]:
    """(label, rule in words, policy place) of a pay line."""
    component = policy.pay.components.get(code)
    if component is None:           # compute_payroll keeps no line on an unknown component
        return code, "—", "—"
    place = str(component.place) if component.place is not None else "—"
    if origin == ADJUSTMENT:
        rule = word(lang, N_("a line of the adjustments sheet, as written"))
    elif origin == REVERSAL:
        rule = word(lang, N_("refund of an order paid in a closed month: − what that month paid for it"))
    else:
        rule = rule_text(component, role, lang, {code: r.name for code, r in policy.roles.items()}, policy)
    return component.name, rule, place


def _lines_by_employee(payroll: PayrollResult) -> dict[str, list[PayLine]]:
    lines: dict[str, list[PayLine]] = {}
    for line in payroll.lines:
        lines.setdefault(line.employee_id, []).append(line)
    return lines


def _rule(policy: Policy, code: str, origin: str, role: str | None, lang: str) -> tuple[str, str, str]:
    """`_line_rule`, worded once per policy, component, origin, role and language."""
    rules: dict[tuple[str, str, str | None, str], tuple[str, str, str]] = kept(policy, "pay rules", dict)
    key = (code, origin, role, lang)
    if key not in rules:
        rules[key] = _line_rule(policy, code, origin, role, lang)
    return rules[key]


def explain_pay(state: CloseState, employee_id: str, lang: str = "zh") -> tuple[PayExplanation | None, list[Issue]]:
    """The pay lines of `employee_id` in the state the computing stages left (through payroll),
    their rules in words in `lang` (each line's inputs worded when read)."""
    policy, payroll = need(state.policy, "policy"), need(state.payroll, "payroll")
    at = first_row_of(payroll.payroll, employee_id)
    if at is None:
        return None, [Issue.of(None, "explain.no_pay", N_("employee {employee} is not on the payroll of {period} (not "
                                                          "employed in the month)"),
                                      employee=employee_id, period=state.period)]
    # the three values read of the employee's payroll row (`iloc[at]` built a Series per employee)
    columns = kept(payroll, "payroll role, name and gross",
                   lambda: {name: payroll.payroll[name].tolist() for name in ("role", "name", "gross_pay")})
    row = {name: values[at] for name, values in columns.items()}
    role = None if row["role"] is None else str(row["role"])
    sources = need(state.measured, "measured").sources
    items = []
    lines = kept(payroll, "pay lines by employee", lambda: _lines_by_employee(payroll))
    for line in lines.get(employee_id, []):
        name, rule, place = _rule(policy, line.component, line.origin, role, lang)
        inputs = WordedInputs(line.inputs, lang)
        component = policy.pay.components.get(line.component)
        if isinstance(component, PerUnit) and line.origin not in (ADJUSTMENT, REVERSAL):
            inputs = WordedInputs(line.inputs, lang, word(lang, N_("  from {place}")),
                                  sources.get((employee_id, component.measure), []))
        items.append(PayItem(line.component, name, rule, place, inputs, line.reason, line.amount))
    role_name = policy.roles[role].name if role in policy.roles else (role or "—")
    return PayExplanation(state.period, employee_id, str(row["name"]), role_name, items,
                          row["gross_pay"], lang), []


def _inputs_lines(item: PayItem, lang: str, shown: int | None = None) -> list[str]:
    """Each input with its place; the first `shown` of them (None: all)."""
    lines = [text + (f"  ({where})" if where else "") for text, where in item.inputs[:shown]]
    more = len(item.inputs) - len(lines)
    return lines + ([word(lang, N_("(+{count} more)")).format(count=more)] if more > 0 else []) or ["—"]


def header(p: PayExplanation) -> str:
    pay = word_in(p.lang, "explain", "pay")
    return f"{p.employee_id} {p.name} · {p.role} · {pay} · {p.period}"


def footer(p: PayExplanation) -> str:
    return word(p.lang, N_("gross pay: {amount} ({count} lines)")).format(amount=yuan(p.gross), count=len(p.items))


def render_text(p: PayExplanation) -> str:
    """Plain text, one block per pay line with every input (for pipes, mail and tickets)."""
    _ = translator(p.lang)
    labels = label_column(_("rule:"), _("inputs:"), _("policy:"))
    out = [header(p), ""]
    for item in p.items:
        out.append(f"{coded(p.lang, item.component, item.name)} — {yuan(item.amount)}"
                   + (f"  [{worded(item.reason, p.lang)}]" if item.reason else ""))
        out.append(f"  {labels[0]}{item.rule}")
        lines = _inputs_lines(item, p.lang)
        out.append(f"  {labels[1]}{lines[0]}")
        out += [f"  {' ' * width(labels[1])}{x}" for x in lines[1:]]
        out.append(f"  {labels[2]}{item.place}")
        out.append("")
    return "\n".join([*out, footer(p)])


def render_rich(p: PayExplanation):
    """A rich table for a terminal (cells are Text: a sheet name in brackets is not markup)."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(title=header(p), show_lines=True, expand=True)
    for col, kw in ((word_in(p.lang, "explain", "component"), {"ratio": 2}),
                    (word_in(p.lang, "explain", "rule (policy)"), {"ratio": 4}),
                    (word_in(p.lang, "explain", "inputs"), {"ratio": 5}),
                    (word_in(p.lang, "explain", "amount"), {"justify": "right", "ratio": 1})):
        table.add_column(col, **kw)
    for item in p.items:
        rule = Text(item.rule + "\n")
        rule.append(item.place, style="dim")
        reason = f"\n{worded(item.reason, p.lang)}" if item.reason else ""
        table.add_row(Text(coded(p.lang, item.component, item.name, "\n") + reason), rule,
                      Text("\n".join(_inputs_lines(item, p.lang, SHOWN_INPUTS))), Text(yuan(item.amount)))
    return Group(table, Text(footer(p)))


__all__ = ["PayExplanation", "explain_pay", "render_rich", "render_text", "rule_text"]
