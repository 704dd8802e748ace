"""Checks across the whole policy that a schema alone cannot make: references that must resolve,
weights that must add up, band tables without gaps or overlaps, formulas with known names, and
labels that would make an input code ambiguous.

Like beancount's validators, each check is a function `(policy) -> issues`, listed in `CHECKS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from csbatch.errors import Issue
from csbatch.policy import expressions
from csbatch.policy.assembled import Policy
from csbatch.policy.bands import BandTable, fmt, table_problems
from csbatch.policy.base import Model
from csbatch.policy.inputs import POLICY_CODE_LISTS
from csbatch.policy.pay import Awards, Commission, FixedAmount, OrderBonus, PerformanceBonus, PerUnit, PositionAllowance
from csbatch.policy.scorecards import (
    BandRule,
    FormulaRule,
    LinearRule,
    PerEventRule,
    Questionnaire,
    RankBonusRule,
    RatingRule,
    Scorecard,
)
from csbatch.policy.vocabulary import FORMULA_NAMES, MEASURES
from csbatch.text import normalise_header, normalise_label


def _issue(record: Model, key: str | None, message: str, code: str = "policy.check") -> Issue:
    src = record.place_of(key) if key else record.place
    return Issue(src, code, message)


def _unknown(record: Model, key: str, what: str, name: str, known: Iterable[str]) -> Issue:
    known = sorted(known)
    return _issue(record, key, f"{key}: {what} '{name}' does not exist (known: {', '.join(known)})",
                  "policy.reference")


# --- band tables -------------------------------------------------------------------------------

def _table_issues(name: str, table: BandTable, where: str) -> list[Issue]:
    out = []
    for message, idx in table_problems(table):
        bands = [table.bands[i] for i in idx]
        lines = " and ".join(f"#{i + 1} on line {b.place.line}" for i, b in zip(idx, bands)
                             if b.place is not None)
        anchor = bands[0] if bands else (table.domain or table)   # no band named: the domain
        out.append(Issue(anchor.place, "policy.bands",
                         f"{where}{name}: {message}" + (f" (bands {lines})" if len(idx) > 1 else "")))
    return out


def check_bands_file(tables: dict[str, BandTable]) -> list[Issue]:
    out = []
    for name, table in tables.items():
        out += _table_issues(name, table, "")
    return out


def check_shared_names(p: Policy) -> list[Issue]:
    out = []
    for card, sc in p.scorecards.items():
        for name, table in sc.bands.items():
            if name in p.bands:
                out.append(_issue(table, None, f"band table '{name}' of scorecard '{card}' has the "
                                               "same name as a shared table in bands.yaml",
                                  "policy.duplicate"))
    return out


# --- scorecards --------------------------------------------------------------------------------

def _known_tables(p: Policy, card: str) -> set[str]:
    return set(p.bands) | set(p.scorecards[card].bands)


def check_scorecard_file(card: str, sc: Scorecard) -> list[Issue]:
    """What one scorecard file can get wrong on its own: weights, item codes, its band tables."""
    out: list[Issue] = check_bands_file(sc.bands)
    if sc.total_weight is not None:
        total = sum((i.weight for i in sc.items), Decimal(0))
        if total != sc.total_weight:
            parts = " + ".join(f"{i.code} {i.weight}" for i in sc.items)
            out.append(_issue(sc, "total_weight",
                              f"total_weight: item weights add up to {total} ({parts}), "
                              f"not {sc.total_weight}", "policy.weights"))
    seen: set[str] = set()
    for item in sc.items:
        if item.code in seen:
            out.append(_issue(item, "code", f"item code '{item.code}' is used twice in "
                                            f"scorecard '{card}'", "policy.duplicate"))
        seen.add(item.code)
    return out


def check_scorecards(p: Policy) -> list[Issue]:
    """References of scorecards: measured values, band tables, formulas, recognitions."""
    out: list[Issue] = []
    names = set(MEASURES) | set(FORMULA_NAMES)
    for card, sc in p.scorecards.items():
        tables = _known_tables(p, card)
        for item in sc.items:
            rule = item.rule
            measures = []
            if isinstance(rule, (BandRule, LinearRule, RatingRule, RankBonusRule)):
                measures = [rule.measure]
            elif isinstance(rule, PerEventRule):
                measures = list(rule.points)
            for m in measures:
                if m not in MEASURES:
                    out.append(_issue(rule, "measure" if not isinstance(rule, PerEventRule) else "points",
                                      f"items.{item.code}: measured value '{m}' is not known "
                                      f"(see csbatch.policy.vocabulary)", "policy.reference"))
            if isinstance(rule, BandRule) and rule.table not in tables:
                out.append(_unknown(rule, "table", "band table", rule.table, tables))
            if isinstance(rule, FormulaRule):
                for msg in expressions.check(rule.formula, names, tables.__contains__):
                    out.append(_issue(rule, "formula", f"items.{item.code}.formula: {msg}",
                                      "policy.formula"))
        if sc.multiplier is not None:
            for msg in expressions.check(sc.multiplier.formula, names, tables.__contains__):
                out.append(_issue(sc.multiplier, "formula", f"multiplier.formula: {msg}",
                                  "policy.formula"))
        for adj in sc.adjustments:
            if adj.per_recognition and adj.per_recognition not in p.recognitions:
                out.append(_unknown(adj, "per_recognition", "recognition", adj.per_recognition,
                                    p.recognitions))
        for shown in sc.shown:
            if shown not in MEASURES:
                out.append(_issue(sc, "shown", f"shown: measured value '{shown}' is not known",
                                  "policy.reference"))
    return out


def check_scoring(p: Policy) -> list[Issue]:
    out = []
    s = p.scoring
    table = p.bands.get(s.grades)
    if table is None:
        out.append(_unknown(s, "grades", "band table", s.grades, p.bands))
    else:
        labels = [b.label for b in table.bands]
        if any(l is None for l in labels):
            out.append(_issue(s, "grades", f"grades: band table '{s.grades}' must give each band a "
                                           "label (the grade)", "policy.reference"))
        for key, grade in (("training_grade", s.training_grade),
                           ("promotion_review", s.promotion_review.grade)):
            if grade not in labels:
                out.append(_issue(s, key, f"{key}: grade '{grade}' is not a label of '{s.grades}'",
                                  "policy.reference"))
    m = s.measures
    cs = m.counted_sales
    if cs.production_sheet_rule not in p.deadlines:
        out.append(_unknown(cs, "production_sheet_rule", "deadline rule", cs.production_sheet_rule,
                            p.deadlines))
    out += [_unknown(cs, "production_sheet_scorecards", "scorecard", c, p.scorecards)
            for c in cs.production_sheet_scorecards if c not in p.scorecards]
    statuses = _vocab(p, "order_status")
    out += [_unknown(cs, "statuses", "order status", c, statuses) for c in cs.statuses if c not in statuses]
    customer_columns = p.inputs.kinds["customers"].columns if "customers" in p.inputs.kinds else {}
    for key in ("incomplete_customer_records", "complete_customer_records"):
        fields = getattr(m, key)
        out += [_unknown(fields, "required", "customers column", c, customer_columns)
                for c in fields.required if c not in customer_columns]
    for code in s.award_candidates:
        if code not in p.recognitions:
            out.append(_unknown(s, "award_candidates", "recognition", code, p.recognitions))
    return out


def check_questionnaire_file(q: Questionnaire) -> list[Issue]:
    out = []
    total = sum((s.points for s in q.sections), Decimal(0))
    if total != q.scale_to:
        out.append(_issue(q, "scale_to", f"scale_to: sections add up to {total}, not {q.scale_to}",
                          "policy.weights"))
    codes: set[str] = set()
    for s in q.sections:
        full = s.per_item * len(s.items)
        if full != s.points:
            verb = "items × per_item" if s.kind == "positive" else "violations × per_item"
            out.append(_issue(s, "points", f"sections.{s.code}: {len(s.items)} {verb} "
                                           f"{s.per_item} = {full}, not the section's {s.points}",
                              "policy.weights"))
        for item in s.items:
            if item.code in codes:
                out.append(_issue(item, "code", f"questionnaire item '{item.code}' is listed twice",
                                  "policy.duplicate"))
            codes.add(item.code)
    return out


# --- roles, pay, vip, deadlines, inputs ---------------------------------------------------------

def check_roles(p: Policy) -> list[Issue]:
    out = []
    for role in p.roles.values():
        if role.scorecard is not None and role.scorecard not in p.scorecards:
            out.append(_unknown(role, "scorecard", "scorecard", role.scorecard, p.scorecards))
    return out


def _roles_ref(record: Model, key: str, roles: Iterable[str], p: Policy) -> list[Issue]:
    return [_unknown(record, key, "role", r, p.roles) for r in roles if r not in p.roles]


def _vocab(p: Policy, name: str) -> set[str]:
    return set(p.inputs.vocabularies.get(name, {}))


def check_pay(p: Policy) -> list[Issue]:
    out = []
    for c in p.pay.components.values():   # each kind is one class (`kind` is the tag)
        if isinstance(c, (FixedAmount, OrderBonus, PerUnit, PositionAllowance)):
            out += _roles_ref(c, "roles", c.roles, p)
        if isinstance(c, Commission):
            out += _roles_ref(c, "rates", c.rates, p)
        if isinstance(c, PerformanceBonus):
            out += _roles_ref(c, "bases", c.bases, p)
            for r in c.bases:
                if r in p.roles and p.roles[r].scorecard is None:
                    out.append(_issue(c, "bases", f"bases: role '{r}' has no scorecard, so it is "
                                                  "never rated and cannot earn a performance bonus",
                                      "policy.reference"))
        if isinstance(c, Awards):
            out += [_unknown(c, "amounts", "recognition", r, p.recognitions)
                    for r in c.amounts if r not in p.recognitions]
        if isinstance(c, OrderBonus):
            channels = _vocab(p, "channel")
            out += [_unknown(c, "agent_share", "sales channel", ch, channels)
                    for ch in c.agent_share if ch not in channels]
        if isinstance(c, PerUnit) and c.measure not in MEASURES:
            out.append(_issue(c, "measure", f"measure: measured value '{c.measure}' is not known",
                              "policy.reference"))
    seen: dict[str, str] = {}
    for code, c in p.pay.components.items():   # an HR system would merge two items of one code
        hr = c.hr_code or code
        if hr in seen:
            out.append(_issue(c, "hr_code" if c.hr_code else None,
                              f"{code}: HR item code '{hr}' is also {seen[hr]}'s; give each component its own"))
        seen[hr] = code
    return out


def check_vip(p: Policy) -> list[Issue]:
    out = []
    v = p.vip
    categories = _vocab(p, "category") | {"default"}
    stores = _vocab(p, "store_type")
    for prog in v.programmes.values():
        if prog.store_type not in stores:
            out.append(_unknown(prog, "store_type", "store type", prog.store_type, stores))
        for tier in prog.tiers.values():
            if tier.requires and tier.requires.tier not in prog.tiers:
                out.append(_unknown(tier.requires, "tier", "tier", tier.requires.tier, prog.tiers))
        for tier_code, rates in prog.discounts.items():
            if tier_code not in prog.tiers:
                out.append(_unknown(prog, "discounts", "tier", tier_code, prog.tiers))
            out += [_unknown(prog, "discounts", "product category", c, categories)
                    for c in rates if c not in categories]
    out += [_unknown(v, "never_discounted", "product category", c, categories)
            for c in v.never_discounted if c not in categories]
    out += [_unknown(v.maintenance, "cycle_months", "product category", c, categories)
            for c in v.maintenance.cycle_months if c not in categories]
    if v.vouchers.rate_table not in p.bands:
        out.append(_unknown(v.vouchers, "rate_table", "band table", v.vouchers.rate_table, p.bands))
    else:   # its values are the share of the points balance paid out: a rate, 0% to 100%
        table = p.bands[v.vouchers.rate_table]
        for i, band in enumerate(table.bands):
            if band.value is not None and not 0 <= band.value <= 1:
                out.append(Issue(band.place, "policy.bands",
                                 f"{v.vouchers.rate_table}: band #{i + 1} {band.describe(table.measure)}: "
                                 f"value {fmt(band.value, 'rate')} is not a voucher rate between 0% and 100%"))
    for f in v.greetings.festivals:
        if (f.solar is None) == (f.lunar is None):
            out.append(_issue(f, None, f"festival '{f.code}': give exactly one of `solar` or `lunar`"))
    b = v.greetings.birthday
    if b.from_days_before < b.to_days_before:
        out.append(_issue(b, "from_days_before", "birthday: from_days_before must be at least "
                                                 "to_days_before"))
    return out


def check_deadlines(p: Policy) -> list[Issue]:
    out = []
    for rule in p.deadlines.values():
        ev = rule.evidence
        kind = p.inputs.kinds.get(ev.sheet)
        if kind is None:
            out.append(_unknown(ev, "sheet", "input kind", ev.sheet, p.inputs.kinds))
            continue
        for key in ("done", "start", "reference", "key"):
            col = getattr(ev, key)
            if col is not None and col not in kind.columns:
                out.append(_unknown(ev, key, f"column of '{ev.sheet}'", col, kind.columns))
        if ev.kind is not None and ev.kind not in p.deadlines:
            out.append(_unknown(ev, "kind", "deadline rule", ev.kind, p.deadlines))
        out += _roles_ref(rule.expected, "roles", rule.expected.roles, p)
        out += [_unknown(rule.expected, "scorecards", "scorecard", s, p.scorecards)
                for s in rule.expected.scorecards if s not in p.scorecards]
    return out


def check_inputs(p: Policy) -> list[Issue]:
    out = []
    inp = p.inputs
    if "roster" not in inp.kinds:
        out.append(_issue(inp, "kinds", "kinds: the roster kind is required"))
    for name, kind in inp.kinds.items():
        for key in kind.key:
            if key not in kind.columns:
                out.append(_unknown(kind, "key", "column", key, kind.columns))
        for col in kind.columns.values():
            if col.codes and col.codes not in POLICY_CODE_LISTS and col.codes not in inp.vocabularies:
                out.append(_unknown(col, "codes", "code list", col.codes,
                                    [*POLICY_CODE_LISTS, *inp.vocabularies]))
        if kind.period is not None:
            out += _period_issues(kind.period, kind, inp)
        seen: dict[str, str] = {}
        for col_name, col in kind.columns.items():
            for label in [col_name, *col.aliases]:
                norm = normalise_header(label)
                if norm in seen and seen[norm] != col_name:
                    out.append(_issue(col, "aliases", f"kinds.{name}: header '{label}' would match "
                                                      f"both '{seen[norm]}' and '{col_name}'",
                                      "policy.ambiguous"))
                seen[norm] = col_name
    return out


_DATED = ("date", "datetime", "month")


def _period_issues(rule, kind, inp) -> list[Issue]:
    """A kind's period columns exist and hold dates (a month column only alone: it has no day);
    `earlier` names a code column and one of its codes."""
    out = []
    for key, names in (("date", rule.date), ("until", [rule.until] if rule.until else []),
                       ("also", rule.also)):
        for name in names:
            col = kind.columns.get(name)
            if col is None:
                out.append(_unknown(rule, key, "column", name, kind.columns))
            elif col.type not in _DATED:
                out.append(_issue(rule, key, f"{key}: column '{name}' is a {col.type} column, not a "
                                             "date, datetime or month"))
            elif col.type == "month" and (key != "date" or len(rule.date) > 1 or rule.until):
                out.append(_issue(rule, key, f"{key}: month column '{name}' can only be a kind's "
                                             "only period column"))
    for name, code in rule.earlier.items():
        col = kind.columns.get(name)
        if col is None:
            out.append(_unknown(rule, "earlier", "column", name, kind.columns))
        elif col.type != "code":
            out.append(_issue(rule, "earlier", f"earlier: column '{name}' is not a code column"))
        elif col.codes in inp.vocabularies and code not in inp.vocabularies[col.codes]:
            out.append(_unknown(rule, "earlier", f"code of '{col.codes}'", code, inp.vocabularies[col.codes]))
    return out


def _shared_labels(labels: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    """(label, first code, second code) for each label that two codes of one list share."""
    seen: dict[str, str] = {}
    shared = []
    for code, names in labels.items():
        for label in names:
            norm = normalise_label(label)
            if seen.setdefault(norm, code) != code:
                shared.append((label, seen[norm], code))
    return shared


def check_code_labels(p: Policy) -> list[Issue]:
    """A label (name or alias) that two codes share would make an input cell ambiguous."""
    out = []
    records: dict[str, dict[str, Any]] = {
        "roles": p.roles, "leave_types": p.leave.types, "conduct": p.conduct,
        "recognitions": p.recognitions, "complaint_categories": p.complaints.categories,
        "pay_components": p.pay.components, "deadline_rules": p.deadlines,
    }
    for name in (*POLICY_CODE_LISTS, *p.inputs.vocabularies):
        labels = p.code_list(name)
        assert labels is not None, name   # each name is a policy code list or a vocabulary
        for label, first, second in _shared_labels(labels):
            if name in records:
                rec = records[name][second]
                where, what = (rec, "aliases" if label in rec.aliases else "name"), name.replace("_", " ")
            else:
                where, what = (p.inputs, "vocabularies"), f"vocabularies.{name}"
            out.append(_issue(*where, f"{what}: label '{label}' belongs to both '{first}' and "
                                      f"'{second}'", "policy.ambiguous"))
    bools = p.inputs.booleans
    both = {normalise_label(x) for x in bools.true} & {normalise_label(x) for x in bools.false}
    if both:
        out.append(_issue(bools, None, f"booleans: {', '.join(sorted(both))} listed as both true "
                                       "and false", "policy.ambiguous"))
    return out


def check_conduct(p: Policy) -> list[Issue]:
    out = []
    seen: dict[str, str] = {}
    for code, item in p.conduct.items():
        if item.from_attendance:
            if item.from_attendance in seen:
                out.append(_issue(item, "from_attendance",
                                  f"conduct '{code}' and '{seen[item.from_attendance]}' both count "
                                  f"attendance '{item.from_attendance}'", "policy.duplicate"))
            seen[item.from_attendance] = code
    return out


#: Checks of one file on its own, run as soon as it validates (so a schema error elsewhere does
#: not hide them): attribute of Policy → check.
FILE_CHECKS: dict[str, Callable[[Any], list[Issue]]] = {   # each takes its file's validated value
    "bands": check_bands_file,
    "questionnaire": check_questionnaire_file,
}

#: Checks across files, run once every file validated.
CHECKS = [check_shared_names, check_scorecards, check_scoring, check_roles, check_pay, check_vip,
          check_deadlines, check_inputs, check_code_labels, check_conduct]


def check_policy(p: Policy) -> list[Issue]:
    issues: list[Issue] = []
    for check in CHECKS:
        issues.extend(check(p))
    return issues
