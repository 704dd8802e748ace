"""`csbatch policy check`: the default policy is clean, and each kind of broken policy is reported
with its file, line, column and key path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest


def _messages(issues) -> list[str]:
    return [str(i) for i in issues if i.is_error]


def _single(pc, *needles: str) -> str:
    policy, issues = pc.load()
    assert policy is None
    errors = _messages(issues)
    hits = [e for e in errors if all(n in e for n in needles)]
    assert len(hits) == 1, f"expected one error with {needles}, got:\n" + "\n".join(errors)
    return hits[0]


def test_default_policy_is_clean(policy_copy):
    policy, issues = policy_copy.load()
    assert policy is not None, "\n".join(map(str, issues))
    assert issues == []
    assert set(policy.scorecards) == {"service_center", "ecommerce", "supervisor", "invitation", "receptionist",
                                      "onsite"}
    assert policy.roles["ecommerce_cs"].scorecard == "ecommerce"


def test_unknown_key_is_an_error_with_a_suggestion(policy_copy):
    policy_copy.edit("kpi/ecommerce.yaml", "    weight: 25\n", "    weigth: 25\n")
    line = policy_copy.line_of("kpi/ecommerce.yaml", "weigth: 25")
    msg = _single(policy_copy, "weigth")
    assert msg.startswith(f"config/kpi/ecommerce.yaml:{line}:5: ")
    assert "items[1].weigth: unknown key 'weigth' (did you mean 'weight'?)" in msg


# Keys that were once accepted and changed nothing (issue 10): each is refused now, since a reader
# of the policy would believe it is a setting.
@pytest.mark.parametrize("rel, old, new, key", [
    ("pay.yaml", "rounding: {places: 2", "currency: CNY\nrounding: {places: 2", "currency"),
    ("scoring.yaml", "grades: grades", "ranking_ties: share_better\ngrades: grades", "ranking_ties"),
    ("scoring.yaml", "grades: grades", "team_competition_by: mean_total_before_adjustments\ngrades: grades",
     "team_competition_by"),
    ("leave.yaml", "types:", "unapproved: absence\ntypes:", "unapproved"),
    ("roles.yaml", "  scorecard: ecommerce\n", "  scorecard: ecommerce\n  team_lead_allowed: true\n",
     "team_lead_allowed"),
    ("deadlines.yaml", "at: 10:00}", "at: 10:00, covers: previous_week}", "covers"),
    ("periods/2026-10.yaml", "  standard: 3000", "  match: promo_flag\n  standard: 3000", "match"),
    ("kpi/ecommerce.yaml", "{kind: rank_bonus, measure: promo_sales}",
     "{kind: rank_bonus, measure: promo_sales, bonus_first: qualifier_count}", "bonus_first"),
    ("kpi/ecommerce.yaml", "{kind: rank_bonus, measure: promo_sales}",
     "{kind: rank_bonus, measure: promo_sales, standard: period.promotion}", "standard"),
    ("kpi/ecommerce.yaml", "name: 网购客服绩效考核表", "name: 网购客服绩效考核表\nroles_note: e-commerce staff", "roles_note"),
])
def test_a_key_that_changes_nothing_is_refused(policy_copy, rel, old, new, key):
    policy_copy.edit(rel, old, new)
    assert f"unknown key '{key}'" in _single(policy_copy, f"config/{rel}:", f"unknown key '{key}'")

def test_wrong_type_names_the_key_path(policy_copy):
    policy_copy.edit("kpi/service_center.yaml", "    weight: 20\n    rule: {kind: per_event",
                     "    weight: twenty\n    rule: {kind: per_event")
    line = policy_copy.line_of("kpi/service_center.yaml", "weight: twenty")
    msg = _single(policy_copy, "twenty")
    assert msg == f"config/kpi/service_center.yaml:{line}:13: items[0].weight: 'twenty' is not a number"


def test_missing_field(policy_copy):
    policy_copy.edit("roles.yaml", "  name: 网购客服\n", "")
    msg = _single(policy_copy, "ecommerce_cs.name")
    line = policy_copy.line_of("roles.yaml", "aliases: [电商客服")
    assert msg == f"config/roles.yaml:{line}:3: ecommerce_cs.name: missing required key 'name'"


def test_reference_that_does_not_resolve(policy_copy):
    policy_copy.edit("roles.yaml", "  scorecard: ecommerce\n", "  scorecard: e_commerce\n")
    line = policy_copy.line_of("roles.yaml", "scorecard: e_commerce")
    msg = _single(policy_copy, "e_commerce")
    assert msg.startswith(f"config/roles.yaml:{line}:14: scorecard: scorecard 'e_commerce' does not exist")
    assert "ecommerce" in msg.split("known:")[1]


def test_unknown_band_table_in_a_rule(policy_copy):
    policy_copy.edit("kpi/service_center.yaml", "table: feedback_deduction}", "table: feedback_deductions}")
    line = policy_copy.line_of("kpi/service_center.yaml", "feedback_deductions")
    msg = _single(policy_copy, "feedback_deductions")
    assert msg.startswith(f"config/kpi/service_center.yaml:{line}:")
    assert "band table 'feedback_deductions' does not exist" in msg


def test_weights_that_do_not_add_up(policy_copy):
    policy_copy.edit("kpi/invitation.yaml", "    weight: 40                      # company-set",
                     "    weight: 45")
    line = policy_copy.line_of("kpi/invitation.yaml", "total_weight: 100")
    msg = _single(policy_copy, "total_weight")
    assert msg.startswith(f"config/kpi/invitation.yaml:{line}:15: total_weight: item weights add up to 105")
    assert "invitation_success 45" in msg and "not 100" in msg


def test_questionnaire_points_must_add_up(policy_copy):
    policy_copy.edit("qa/questionnaire.yaml", "    points: 40\n    per_item: 4\n", "    points: 56\n    per_item: 4\n")
    msg = _single(policy_copy, "sections.taboos")
    line = policy_copy.line_of("qa/questionnaire.yaml", "points: 56")
    assert msg.startswith(f"config/qa/questionnaire.yaml:{line}:")
    assert "10 violations × per_item 4 = 40, not the section's 56" in msg


def test_band_overlap_names_both_bands(policy_copy):
    policy_copy.edit("bands.yaml", "    - {from: 80%, to: 95%, value: 2}", "    - {from: 80%, to: 96%, value: 2}")
    first = policy_copy.line_of("bands.yaml", "{from: 80%, to: 96%")
    second = policy_copy.line_of("bands.yaml", "{from: 95%, to: 100%")
    msg = _single(policy_copy, "overlap")
    assert msg.startswith(f"config/bands.yaml:{first}:")
    assert "satisfaction_deduction: bands #3 [80%, 96%) and #2 [95%, 100%) overlap" in msg
    assert f"#3 on line {first} and #2 on line {second}" in msg


def test_band_gap_names_both_bands(policy_copy):
    policy_copy.edit("kpi/ecommerce.yaml", "      - {from: 85%, to: 90%, value: 0.7}",
                     "      - {from: 86%, to: 90%, value: 0.7}")
    msg = _single(policy_copy, "gap")
    line = policy_copy.line_of("kpi/ecommerce.yaml", "{from: 80%, to: 85%, value: 0.6}")
    assert msg.startswith(f"config/kpi/ecommerce.yaml:{line}:")
    assert "target_coefficient: bands #7 [80%, 85%) and #6 [86%, 90%) leave a gap between them" in msg


def test_gap_at_a_shared_bound_when_both_sides_exclude_it(policy_copy):
    policy_copy.edit("bands.yaml", "    - {from: 95%, to: 100%, value: 1}",
                     "    - {from: 95%, from_inclusive: false, to: 100%, value: 1}")
    msg = _single(policy_copy, "gap")
    assert "bands #3 [80%, 95%) and #2 (95%, 100%) leave a gap" in msg


def test_band_lower_bound_above_upper(policy_copy):
    policy_copy.edit("bands.yaml", "    - {from: 75%, to: 80%, value: 3}", "    - {from: 85%, to: 80%, value: 3}")
    line = policy_copy.line_of("bands.yaml", "{from: 85%, to: 80%")
    _policy, issues = policy_copy.load()
    errors = _messages(issues)
    hit = [e for e in errors if "above its upper" in e]
    assert hit == [f"config/bands.yaml:{line}:7: satisfaction_deduction: band #4: lower bound 85% is "
                   "above its upper bound 80%"]


def test_point_band_without_declared_inclusivity(policy_copy):
    policy_copy.edit("bands.yaml", "    - {at: 100%, value: 0}", "    - {from: 100%, to: 100%, value: 0}")
    line = policy_copy.line_of("bands.yaml", "{from: 100%, to: 100%")
    msg = _single(policy_copy, "is empty")
    assert msg.startswith(f"config/bands.yaml:{line}:7: satisfaction_deduction: band #1 [100%, 100%) is empty")
    assert "declare `to_inclusive: true` or write `at: 100%`" in msg


def test_band_leaving_the_domain_uncovered(policy_copy):
    policy_copy.edit("bands.yaml", "    - {from: 0%, to: 75%, value: 5}", "    - {from: 10%, to: 75%, value: 5}")
    msg = _single(policy_copy, "uncovered")
    assert "band #5 [10%, 75%) leaves values below it uncovered (the table's domain is [0%, 100%])" in msg


def test_duplicate_keys_are_errors(policy_copy):
    policy_copy.edit("pay.yaml", "    amount: 200             # company-set, per month\n",
                     "    amount: 200\n    amount: 250\n")
    first = policy_copy.line_of("pay.yaml", "amount: 200")
    second = policy_copy.line_of("pay.yaml", "amount: 250")
    msg = _single(policy_copy, "duplicate key")
    assert msg == (f"config/pay.yaml:{second}:5: components.subsidy.amount: duplicate key 'amount' "
                   f"(first defined on line {first})")


def test_times_and_codes_come_through_as_written(policy_copy):
    policy_copy.edit("calendar.yaml", "  start: 08:30 ", "  start: 8:30 ")
    policy_copy.edit("roles.yaml", "  name: 接线员\n", "  name: 0830\n")
    policy_copy.edit("leave.yaml", "  sick:         {name: 病假, paid: 80%}", "  sick:         {name: 0755, paid: 80%}")
    policy, issues = policy_copy.load()
    assert policy is not None, _messages(issues)
    assert policy.schedule.start == dt.time(8, 30)  # not the sexagesimal 510
    assert policy.schedule.end == dt.time(17, 30)
    assert policy.roles["receptionist"].name == "0830"
    assert policy.leave.types["sick"].name == "0755"  # not the octal 493


def test_yes_no_are_text_where_text_is_meant_and_errors_where_a_boolean_is(policy_copy):
    policy_copy.edit("roles.yaml", "  name: 客服经理\n", "  name: no\n")
    policy_copy.edit("vip.yaml", "exclude_engineering: true", "exclude_engineering: yes")
    msg = _single(policy_copy, "exclude_engineering")
    line = policy_copy.line_of("vip.yaml", "exclude_engineering: yes")
    assert msg == f"config/vip.yaml:{line}:22: exclude_engineering: 'yes' is not a boolean; write true or false"
    policy_copy.edit("vip.yaml", "exclude_engineering: yes", "exclude_engineering: true")
    policy, _issues = policy_copy.load()
    assert policy is not None and policy.roles["cs_manager"].name == "no"


def test_decimals_are_exact(policy):
    assert policy.pay.components["commission"].rates["ecommerce_cs"] == Decimal("0.01")
    assert policy.vip.programmes["flagship"].discounts["silver"]["imported"] == Decimal("0.92")
    assert policy.pay.components["subsidy"].amount == Decimal("200")


def test_anchors_and_aliases_are_refused(policy_copy):
    policy_copy.edit("leave.yaml", "  annual:       {name: 年假, aliases: [年休假], paid: 100%}",
                     "  annual:       &full {name: 年假, aliases: [年休假], paid: 100%}")
    policy_copy.edit("leave.yaml", "  marriage:     {name: 婚假, paid: 100%}", "  marriage:     *full")
    _policy, issues = policy_copy.load()
    errors = _messages(issues)
    a = policy_copy.line_of("leave.yaml", "&full")
    b = policy_copy.line_of("leave.yaml", "*full")
    assert f"config/leave.yaml:{a}:17: types.annual: anchors (&full) are not allowed; write the value out in full so a reviewer sees it" in errors
    assert f"config/leave.yaml:{b}:17: types.marriage: aliases (*full) are not allowed; write the value out in full" in errors


def test_tags_are_refused_and_never_constructed(policy_copy, tmp_path):
    marker = tmp_path / "pwned"
    policy_copy.edit("scoring.yaml", "training_grade: D",
                     f"training_grade: !!python/object/apply:os.system ['touch {marker}']")
    _policy, issues = policy_copy.load()
    line = policy_copy.line_of("scoring.yaml", "!!python")
    assert any(str(i).startswith(f"config/scoring.yaml:{line}:17: training_grade: explicit tags") for i in issues)
    assert not marker.exists()


def test_unknown_policy_file(policy_copy):
    policy_copy.write("pays.yaml", "rounding: {places: 2}\n")
    msg = _single(policy_copy, "pays.yaml")
    assert msg.startswith("config/pays.yaml: not a policy file this version knows")


def test_missing_policy_file(policy_copy):
    (policy_copy.root / "vip.yaml").unlink()
    msg = _single(policy_copy, "vip.yaml")
    assert msg == "config/vip.yaml: required policy file is missing"


def test_yaml_syntax_error_has_its_line(policy_copy):
    policy_copy.edit("scoring.yaml", "grades: grades ", "grades: [grades ")
    _policy, issues = policy_copy.load()
    errors = _messages(issues)
    assert len(errors) == 1 and errors[0].startswith("config/scoring.yaml:")
    assert "YAML syntax" in errors[0]


def test_formula_with_an_unknown_name(policy_copy):
    policy_copy.edit("kpi/ecommerce.yaml", "weight - 3 * callbacks_neutral", "weight - 3 * callbacks_neutrl")
    line = policy_copy.line_of("kpi/ecommerce.yaml", "formula: >-", nth=2)
    msg = _single(policy_copy, "callbacks_neutrl")
    assert msg.startswith(f"config/kpi/ecommerce.yaml:{line}:")
    assert "items.service_check.formula: unknown name 'callbacks_neutrl' in formula" in msg


def test_formula_may_not_call_python(policy_copy):
    policy_copy.edit("kpi/ecommerce.yaml", "formula: qa_mean_score / 100",
                     "formula: __import__('os').system('true')")
    msg = _single(policy_copy, "multiplier.formula")
    assert "unknown function '__import__('os').system'" in msg


def test_ambiguous_label(policy_copy):
    policy_copy.edit("leave.yaml", "  sick:         {name: 病假, paid: 80%}",
                     "  sick:         {name: 病假, aliases: [事假], paid: 80%}")
    msg = _single(policy_copy, "belongs to both")
    assert "leave types: label '事假' belongs to both 'sick' and 'personal'" in msg


def test_every_problem_is_reported_at_once(policy_copy):
    policy_copy.edit("kpi/ecommerce.yaml", "    weight: 25\n", "    weigth: 25\n")
    policy_copy.edit("pay.yaml", "    amount: 20              # company-set, per accepted invitation\n",
                     "    amount: lots\n")
    _policy, issues = policy_copy.load()
    errors = _messages(issues)
    assert any("weigth" in e for e in errors) and any("'lots' is not an amount of money" in e for e in errors)


def test_measure_settings_reference_real_columns_and_rules(policy_copy):
    policy_copy.edit("scoring.yaml", "    required: [name, phone, product]\n", "    required: [name, mobile, product]\n")
    line = policy_copy.line_of("scoring.yaml", "required: [name, mobile")
    msg = _single(policy_copy, "mobile")
    assert msg.startswith(f"config/scoring.yaml:{line}:15: required: customers column 'mobile' does not exist")


def test_production_sheet_rule_numbers_are_policy(policy):
    cs = policy.scoring.measures.counted_sales
    assert cs.late_or_missing_share == Decimal("0") and cs.over_reported_share == Decimal("0.5")
    assert policy.deadlines[cs.production_sheet_rule].due.day == 2


def test_ambiguous_vocabulary_label(policy_copy):
    policy_copy.edit("inputs.yaml", "    in_store: [到店成交]", "    in_store: [到店成交, 在线成交]")
    msg = _single(policy_copy, "belongs to both")
    assert msg.endswith("vocabularies.channel: label '在线成交' belongs to both 'online' and 'in_store'")


def test_a_floating_allowance_needs_a_points_table_of_shares_and_allowance_roles(policy_copy):
    """浮动制度 [001]: the band table must exist, look up points and give shares; a floating role must
    have an allowance (issue 13, item 6)."""
    line = "    floating: {table: allowance_float, team_lead: true, roles: [online_lead]}"
    policy_copy.edit("pay.yaml", line, line.replace("allowance_float", "grades").replace("online_lead", "clerk"))
    for needle in ("band table 'grades' must look up points and give each band a share",
                   "role 'clerk' has no position allowance"):
        assert "config/pay.yaml:" in _single(policy_copy, needle)
    policy_copy.edit("pay.yaml", "table: grades", "table: allowance_flaot")
    assert "allowance_flaot" in _single(policy_copy, "band table 'allowance_flaot' does not exist")
