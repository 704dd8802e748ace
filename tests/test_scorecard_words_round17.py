"""Round 17: a card's words made once per distinct numbers. `_formula_raw` words a band hit and a
formula's sum once per distinct (values, band values, result), digits and all, and shares the
phrase; `formula` skips its scan when the text has no word to say; `score_item` words each phrase
object once (`spoken_once`). Each is held to the old per-member form, kept here."""

from __future__ import annotations

import re
from decimal import Decimal as D
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.i18n import Said
from csbatch.money import half_up
from csbatch.policy import expressions
from csbatch.policy.bands import fmt
from csbatch.policy.vocabulary import NO_DATA, UNITS, named, show
from csbatch.scoring import engine
from csbatch.scoring.engine import (
    FORMULA_WORDS,
    Member,
    Phrase,
    _band_text,
    _band_value,
    _escaped,
    formula,
    plain,
    said,
    score_card,
    spoken,
    spoken_once,
)

_OLD_WORD = re.compile(r"\bno data\b|(?<!')\b[A-Za-z_][A-Za-z0-9_]*\b(?!')")


def _old_formula(text, names=(), head=""):
    """`formula` before round 17: every text scanned, a `Said` made per word."""
    measures = set(names)
    params: list[tuple[str, Any]] = []
    template, end = "", 0
    for m in _OLD_WORD.finditer(text):
        found = m.group()
        if found == "no data" or found in FORMULA_WORDS:
            said_as: Said = Said(NO_DATA if found == "no data" else FORMULA_WORDS[found])
        elif found in measures:
            said_as = named(found)
        else:
            continue
        params.append((f"w{len(params)}", said_as))
        template += _escaped(text[end:m.start()]) + "{" + params[-1][0] + "}"
        end = m.end()
    if not params:
        return plain(head + text)
    return Phrase(_escaped(head) + template + _escaped(text[end:]), tuple(params), plain=True)


def _old_formula_raw(item, rule, ctx):
    """`_formula_raw` before round 17: every member's words made on their own."""
    w = item.weight
    expr = expressions.parse(rule.formula)
    env = {name: ctx.column(name) for name in expr.names if name != "weight"}
    env["weight"] = [w] * ctx.n
    result = expressions.evaluate(expr, env, ctx.n, tables=ctx.tables, population=ctx.rated_rows)
    out = []
    for i in range(ctx.n):
        if i in result.errors:
            ctx.issues.append(engine.Issue.of(item.place_of("rule"), "score.formula",
                                              "scorecard {card}, item {item}, employee {employee}: {problem}",
                                              card=ctx.code, item=item.code, employee=ctx.members[i].employee_id,
                                              problem=result.errors[i]))
        value = result.values[i]
        hits = result.hits.get(i, [])
        parts = [_band_text(t, ctx.tables(t), b, v, _band_value(b)) for t, b, v in hits]
        places = [b.place for _, b, _ in hits if b.place]
        if value is None:
            out.append((None, parts, places, result.missing.get(i, set()) or {"?"}))
            continue
        row = {name: env[name][i] for name in env}
        sums = expressions.substituted(rule.formula, row, result.means, [b.value for _, b, _ in hits],
                                       lambda name, v: "no data" if v is None else
                                       (show(name, v) if name in UNITS else fmt(cast(D, v))))
        shown = fmt(half_up(value))
        out.append((value, [*parts, _old_formula(f"{sums} = {shown}")], places, set()))
    return out


def _phrase(p: Phrase) -> tuple:
    return (p.template, tuple((k, type(v), str(v), v.text("zh") if isinstance(v, Said) else v) for k, v in p.params),
            p.plain, p.text("en"), p.text("zh"))


_TEXT = st.lists(st.sampled_from(["if", "else", "and", "or", "not", "no data", "no", "data", "iffy", "'if'", "x",
                                  "team_satisfaction_rate", "1.50", "-0", " ", "×", "{", "}", "(", ")", "==", "_and",
                                  "café", "'", "\0"]), max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.sampled_from([(), ("x",), ("team_satisfaction_rate", "data")]), st.sampled_from(["", "m{x}: "]))
def test_formula_words_as_before(text, names, head):
    assert _phrase(formula(text, names, head)) == _phrase(_old_formula(text, names, head))


def test_spoken_once_is_spoken_and_rewords_a_new_object_at_a_reused_id():
    a, b = said("rated {value} of {weight}", value="1.50", weight=D(5)), plain("1 + 2")
    kept: dict = {}
    assert spoken_once([a, b, a], "en", kept) == spoken([a, b, a]) == spoken_once([a, b, a], "en", kept)
    assert spoken_once([b], "zh", {}) == spoken([b], "zh")
    other = plain("3")
    kept[id(other)] = (plain("stale"), "stale")       # an id once another object's
    assert spoken_once([other], "en", kept) == "3"


_VALUES = [None, D("0.5"), D("0.50"), D("-0"), D(0), D(1), D(2), D("1.0"), D("3E+1"), D("0.333333333")]


def _card(policy, code: str, employees: dict[str, dict]) -> list[tuple]:
    ms = [Member(e, name=e) for e in employees]
    names = {n for values in employees.values() for n in values}
    measured = {n: [employees[e].get(n) for e in employees] for n in names}
    card, issues = score_card(code, policy.scorecards[code], ms, measured,
                              tables=lambda t: policy.band_table(t, code),
                              rounding=policy.scoring.rounding, promotion=None, period="2026-10")
    rows: list[tuple] = [tuple(map(str, issues))]
    for s in card.members:
        for c, item in s.items.items():
            rows.append((s.member.employee_id, c, repr(item.measured), repr(item.points), item.rule, item.flags,
                         repr(item.inputs), repr(item.places), tuple(_phrase(p) for p in item.phrases),
                         item.rule_in("zh"), item.rule_in("en", {})))
    return rows


@pytest.mark.parametrize("seed", range(6))
def test_formula_items_worded_per_distinct_numbers_as_per_member(policy, monkeypatch, seed):
    """Members sharing numbers (equal and not alike: 0.5 and 0.50, -0 and 0), blanks, repeats: the
    ecommerce card (a band hit and a mean in a formula) and the supervisor card (if/else, max)."""
    import random

    pick = random.Random(seed).choice
    cards = {
        "ecommerce": ["counted_sales", "conversion_rate", "callbacks_neutral", "callbacks_dissatisfied",
                      "callbacks_rated", "callbacks_satisfied", "complete_customer_records", "customer_records",
                      "classified_customer_records", "qa_mean_score", "promo_sales", "target_completion"],
        "supervisor": ["team_satisfaction_rate", "assignment_issues", "publicity_issues", "general_issues",
                       "team_sales_completion", "onsite_rating"],
    }
    for code, names in cards.items():
        employees = {f"E{i}": {n: pick(_VALUES[1:] if n == "customer_records" else _VALUES) for n in names}
                     for i in range(40)}
        employees["E1"] = dict(employees["E0"])      # the same objects
        new = _card(policy, code, employees)
        monkeypatch.setattr(engine, "_formula_raw", _old_formula_raw)
        monkeypatch.setattr(engine, "formula", _old_formula)
        monkeypatch.setattr(engine, "spoken_once", lambda phrases, lang, kept: spoken(phrases, lang))
        old = _card(policy, code, employees)
        monkeypatch.undo()
        assert new == old


def _old_per_event_raw(item, rule, ctx):
    """`_per_event_raw` before round 17: every member's points and words made on their own."""
    w = item.weight
    cols = {name: ctx.column(name) for name in rule.points}
    out = []
    for i in range(ctx.n):
        missing = {name for name in rule.points if cols[name][i] is None}
        if missing:
            out.append((None, [], [], missing))
            continue
        pts = w + sum((rule.points[n] * cols[n][i] for n in rule.points), D(0))
        terms = " ".join(f"{engine._signed(rule.points[n])} × {fmt(cols[n][i])} ({{m{k}}})"
                         for k, n in enumerate(rule.points))
        said_terms = Phrase(f"{w} {terms}", tuple((f"m{k}", named(n)) for k, n in enumerate(rule.points)), plain=True)
        out.append((pts, [said_terms], [], set()))
    return out


_COUNTS = [None, D(0), D("-0"), D("0.0"), D(1), D("1.00"), D(3), D("2.5"), D("1E+1"), D("-0.5")]


@pytest.mark.parametrize("seed", range(6))
def test_per_event_items_made_per_distinct_counts_as_per_member(policy, monkeypatch, seed):
    """Counts equal and not alike (0, -0, 0.0; 1 and 1.00), blanks, negatives: the ecommerce card's
    complaint penalty (no floor) and the onsite card's conduct points (floored at 0)."""
    import random

    pick = random.Random(seed).choice
    for code, name in (("ecommerce", "complaint_penalty_points"), ("onsite", "conduct_points_lost")):
        employees = {f"E{i}": {name: pick(_COUNTS)} for i in range(40)}
        new = _card(policy, code, employees)
        monkeypatch.setattr(engine, "_per_event_raw", _old_per_event_raw)
        old = _card(policy, code, employees)
        monkeypatch.undo()
        assert new == old
