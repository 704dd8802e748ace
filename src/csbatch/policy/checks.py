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
from csbatch.i18n import N_
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
from csbatch.text import normalise_header, normalise_label, spelled


def _issue(record: Model, at: str | None, template: str, code: str = "policy.check", /, **params: Any) -> Issue:
    """An issue at `record`'s key `at` (or the record), its message a catalogue template (`N_`)."""
    src = record.place_of(at) if at else record.place
    return Issue.of(src, code, template, **params)


#: "does not exist" by what the name should have been (a catalogue string each, so each is said whole)
_UNKNOWN = {
    "band table": N_("{key}: band table '{name}' does not exist (known: {known})"),
    "code list": N_("{key}: code list '{name}' does not exist (known: {known})"),
    "column": N_("{key}: column '{name}' does not exist (known: {known})"),
    "customers column": N_("{key}: customers column '{name}' does not exist (known: {known})"),
    "deadline rule": N_("{key}: deadline rule '{name}' does not exist (known: {known})"),
    "input kind": N_("{key}: input kind '{name}' does not exist (known: {known})"),
    "order status": N_("{key}: order status '{name}' does not exist (known: {known})"),
    "product category": N_("{key}: product category '{name}' does not exist (known: {known})"),
    "recognition": N_("{key}: recognition '{name}' does not exist (known: {known})"),
    "role": N_("{key}: role '{name}' does not exist (known: {known})"),
    "sales channel": N_("{key}: sales channel '{name}' does not exist (known: {known})"),
    "scorecard": N_("{key}: scorecard '{name}' does not exist (known: {known})"),
    "store type": N_("{key}: store type '{name}' does not exist (known: {known})"),
    "tier": N_("{key}: tier '{name}' does not exist (known: {known})"),
    "column of": N_("{key}: column of '{of}' '{name}' does not exist (known: {known})"),
    "code of": N_("{key}: code of '{of}' '{name}' does not exist (known: {known})"),
}


def _unknown(record: Model, key: str, what: str, name: str, known: Iterable[str], of: str = "") -> Issue:
    return _issue(record, key, _UNKNOWN[what], "policy.reference", key=key, name=name,
                  known=", ".join(sorted(known)), of=of)


# --- band tables -------------------------------------------------------------------------------

def _table_issues(name: str, table: BandTable, where: str) -> list[Issue]:
    out = []
    for template, params, idx in table_problems(table):
        bands = [table.bands[i] for i in idx]
        anchor = bands[0] if bands else (table.domain or table)   # no band named: the domain
        out.append(Issue.of(anchor.place, "policy.bands", template, table=f"{where}{name}", **params))
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
                out.append(_issue(table, None, N_("band table '{name}' of scorecard '{card}' has the same "
                                                  "name as a shared table in bands.yaml"),
                                  "policy.duplicate", name=name, card=card))
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
                              N_("total_weight: item weights add up to {total} ({parts}), not {wanted}"),
                              "policy.weights", total=total, parts=parts, wanted=sc.total_weight))
    seen: set[str] = set()
    for item in sc.items:
        if item.code in seen:
            out.append(_issue(item, "code", N_("item code '{code}' is used twice in scorecard '{card}'"),
                                  "policy.duplicate", code=item.code, card=card))
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
                                      N_("items.{item}: measured value '{measure}' is not known (see "
                                         "csbatch.policy.vocabulary)"), "policy.reference", item=item.code, measure=m))
            if isinstance(rule, BandRule) and rule.table not in tables:
                out.append(_unknown(rule, "table", "band table", rule.table, tables))
            if isinstance(rule, FormulaRule):
                for msg in expressions.check(rule.formula, names, tables.__contains__):
                    out.append(_issue(rule, "formula", N_("items.{item}.formula: {problem}"), "policy.formula",
                                      item=item.code, problem=msg))
        if sc.multiplier is not None:
            for msg in expressions.check(sc.multiplier.formula, names, tables.__contains__):
                out.append(_issue(sc.multiplier, "formula", N_("multiplier.formula: {problem}"), "policy.formula",
                                  problem=msg))
        for adj in sc.adjustments:
            if adj.per_recognition and adj.per_recognition not in p.recognitions:
                out.append(_unknown(adj, "per_recognition", "recognition", adj.per_recognition,
                                    p.recognitions))
        for shown in sc.shown:
            if shown not in MEASURES:
                out.append(_issue(sc, "shown", N_("shown: measured value '{measure}' is not known"),
                                  "policy.reference", measure=shown))
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
            out.append(_issue(s, "grades", N_("grades: band table '{table}' must give each band a label (the grade)"),
                              "policy.reference", table=s.grades))
        for key, grade in (("training_grade", s.training_grade),
                           ("promotion_review", s.promotion_review.grade)):
            if grade not in labels:
                out.append(_issue(s, key, N_("{key}: grade '{grade}' is not a label of '{table}'"),
                                  "policy.reference", key=key, grade=grade, table=s.grades))
    m = s.measures
    cs = m.counted_sales
    if cs.production_sheet_rule not in p.deadlines:
        out.append(_unknown(cs, "production_sheet_rule", "deadline rule", cs.production_sheet_rule,
                            p.deadlines))
    out += [_unknown(cs, "production_sheet_scorecards", "scorecard", c, p.scorecards)
            for c in cs.production_sheet_scorecards if c not in p.scorecards]
    out += [_unknown(m.duties, key, "deadline rule", rule, p.deadlines)
            for key, rule in (("call_log_rule", m.duties.call_log_rule),
                              ("service_order_rule", m.duties.service_order_rule))
            if rule is not None and rule not in p.deadlines]
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
    for code, award in p.awards.items():   # an award is paid as the recognition of its code
        if code not in p.recognitions:
            out.append(_unknown(award, "code", "recognition", code, p.recognitions))
        out += [_unknown(award, "scorecards", "scorecard", c, p.scorecards)
                for c in award.scorecards if c not in p.scorecards]
    return out


def check_questionnaire_file(q: Questionnaire) -> list[Issue]:
    out = []
    total = sum((s.points for s in q.sections), Decimal(0))
    if total != q.scale_to:
        out.append(_issue(q, "scale_to", N_("scale_to: sections add up to {total}, not {wanted}"),
                          "policy.weights", total=total, wanted=q.scale_to))
    codes: set[str] = set()
    for s in q.sections:
        full = s.per_item * len(s.items)
        if full != s.points:
            said = (N_("sections.{section}: {count} items × per_item {per_item} = {full}, not the section's "
                       "{points}") if s.kind == "positive" else
                    N_("sections.{section}: {count} violations × per_item {per_item} = {full}, not the section's "
                       "{points}"))
            out.append(_issue(s, "points", said, "policy.weights", section=s.code, count=len(s.items),
                              per_item=s.per_item, full=full, points=s.points))
        for item in s.items:
            if item.code in codes:
                out.append(_issue(item, "code", N_("questionnaire item '{code}' is listed twice"),
                                  "policy.duplicate", code=item.code))
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
                    out.append(_issue(c, "bases", N_("bases: role '{role}' has no scorecard, so it is never rated and "
                                                     "cannot earn a performance bonus"),
                                      "policy.reference", role=r))
        if isinstance(c, PositionAllowance) and c.floating is not None:
            out += _floating(c, p)
        if isinstance(c, Awards):
            out += [_unknown(c, "amounts", "recognition", r, p.recognitions)
                    for r in c.amounts if r not in p.recognitions]
        if isinstance(c, OrderBonus):
            channels = _vocab(p, "channel")
            out += [_unknown(c, "agent_share", "sales channel", ch, channels)
                    for ch in c.agent_share if ch not in channels]
        if isinstance(c, PerUnit) and c.measure not in MEASURES:
            out.append(_issue(c, "measure", N_("measure: measured value '{measure}' is not known"),
                              "policy.reference", measure=c.measure))
    seen: dict[str, str] = {}
    for code, c in p.pay.components.items():   # an HR system would merge two items of one code
        hr = c.hr_code or code
        if hr in seen:
            out.append(_issue(c, "hr_code" if c.hr_code else None,
                              N_("{code}: HR item code '{hr}' is also {other}'s; give each component its own"),
                              code=code, hr=hr, other=seen[hr]))
        seen[hr] = code
    return out


def _floating(c: PositionAllowance, p: Policy) -> list[Issue]:
    """浮动制度: a points table of shares, over roles that have an allowance."""
    f = c.floating
    assert f is not None
    out = [_issue(f, "roles", N_("floating: role '{role}' has no position allowance in roles"),
                  "policy.reference", role=r) for r in f.roles if r not in c.roles]
    table = p.bands.get(f.table)
    if table is None:
        return [*out, _unknown(f, "table", "band table", f.table, p.bands)]
    if table.measure != "points" or any(b.value is None or b.value < 0 for b in table.bands):
        out.append(_issue(f, "table", N_("floating: band table '{table}' must look up points and give each band a "
                                         "share of 0% or more"), "policy.reference", table=f.table))
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
                out.append(Issue.of(band.place, "policy.bands",
                                    N_("{table}: band #{n} {band}: value {value} is not a voucher rate between 0% "
                                       "and 100%"), table=v.vouchers.rate_table, n=i + 1,
                                    band=band.describe(table.measure), value=fmt(band.value, "rate")))
    for f in v.greetings.festivals:
        if (f.solar is None) == (f.lunar is None):
            out.append(_issue(f, None, N_("festival '{code}': give exactly one of `solar` or `lunar`"), code=f.code))
    b = v.greetings.birthday
    if b.from_days_before < b.to_days_before:
        out.append(_issue(b, "from_days_before", N_("birthday: from_days_before must be at least to_days_before")))
    return out


def check_deadlines(p: Policy) -> list[Issue]:
    out = []
    for rule in p.deadlines.values():
        ev = rule.evidence
        kind = p.inputs.kinds.get(ev.sheet)
        if kind is None:
            out.append(_unknown(ev, "sheet", "input kind", ev.sheet, p.inputs.kinds))
            continue
        for key in ("done", "start", "reference", "key", "agreed", "attended", "excuse", "score"):
            col = getattr(ev, key)
            if col is not None and col not in kind.columns:
                out.append(_unknown(ev, key, "column of", col, kind.columns, of=ev.sheet))
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
        out.append(_issue(inp, "kinds", N_("kinds: the roster kind is required")))
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
                    out.append(_issue(col, "aliases",
                                      N_("kinds.{kind}: header '{label}' would match both '{first}' and '{second}'"),
                                      "policy.ambiguous", kind=name, label=label, first=seen[norm], second=col_name))
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
                out.append(_issue(rule, key, N_("{key}: column '{name}' is a {type} column, not a date, datetime or "
                                                "month"), key=key, name=name, type=col.type))
            elif col.type == "month" and (key != "date" or len(rule.date) > 1 or rule.until):
                out.append(_issue(rule, key, N_("{key}: month column '{name}' can only be a kind's only period column"),
                                      key=key, name=name))
    for name, code in rule.earlier.items():
        col = kind.columns.get(name)
        if col is None:
            out.append(_unknown(rule, "earlier", "column", name, kind.columns))
        elif col.type != "code":
            out.append(_issue(rule, "earlier", N_("earlier: column '{name}' is not a code column"), name=name))
        elif col.codes in inp.vocabularies and code not in inp.vocabularies[col.codes]:
            out.append(_unknown(rule, "earlier", "code of", code, inp.vocabularies[col.codes], of=col.codes))
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
                where, what = (rec, "aliases" if label in rec.aliases else "name"), spelled(name)
            else:
                where, what = (p.inputs, "vocabularies"), f"vocabularies.{name}"
            out.append(_issue(*where, N_("{what}: label '{label}' belongs to both '{first}' and '{second}'"),
                              "policy.ambiguous", what=what, label=label, first=first, second=second))
    bools = p.inputs.booleans
    both = {normalise_label(x) for x in bools.true} & {normalise_label(x) for x in bools.false}
    if both:
        out.append(_issue(bools, None, N_("booleans: {labels} listed as both true and false"), "policy.ambiguous",
                          labels=", ".join(sorted(both))))
    return out


def check_conduct(p: Policy) -> list[Issue]:
    out = []
    seen: dict[str, str] = {}
    for code, item in p.conduct.items():
        if item.from_attendance:
            if item.from_attendance in seen:
                out.append(_issue(item, "from_attendance",
                                  N_("conduct '{code}' and '{other}' both count attendance '{kind}'"),
                                  "policy.duplicate", code=code, other=seen[item.from_attendance],
                                  kind=item.from_attendance))
            seen[item.from_attendance] = code
        rule = p.deadlines.get(item.from_absence) if item.from_absence else None
        if item.from_absence and (rule is None or rule.evidence.attended is None):
            out.append(_issue(item, "from_absence",
                              N_("conduct '{code}': from_absence '{rule}' is not a deadline rule whose "
                                 "evidence reads attendance (evidence.attended)"), code=code, rule=item.from_absence))
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
