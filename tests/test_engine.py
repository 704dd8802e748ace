"""The scoring engine on measured values given directly: every item kind, the source's worked
example, each band boundary of the spec exactly at the bound, promotion rank bonus, team
competition, partial months, multiplier and adjustments."""

from __future__ import annotations

from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from csbatch.policy.scorecards import Promotion
from csbatch.scoring.cards import ScoreResult, teams_frame
from csbatch.scoring.engine import Member, finish_card, score_card


def run(policy, code, employees: dict[str, dict], *, members: dict[str, dict] | None = None,
        promotion=None, period="2026-10"):
    """Score `employees` (id → measured values) on card `code`; `members` overrides Member fields."""
    members = members or {}
    ms = [Member(e, name=e, **members.get(e, {})) for e in employees]
    names = {n for values in employees.values() for n in values}
    measured = {n: [employees[e].get(n) for e in employees] for n in names}
    card, issues = score_card(code, policy.scorecards[code], ms, measured,
                              tables=lambda t: policy.band_table(t, code),
                              rounding=policy.scoring.rounding, promotion=promotion, period=period)
    finish_card(card, policy.bands[policy.scoring.grades], policy.scoring.training_grade,
                policy.scoring.rounding)
    return {s.member.employee_id: s for s in card.members}, issues


def pct(x: str) -> D:
    return D(x) / 100


ECOM_A = {"counted_sales": D(9650), "conversion_rate": pct("95"), "target_completion": D(9650) / D(8000)}
ECOM_B = {"counted_sales": D(7200), "conversion_rate": pct("95"), "target_completion": D(7200) / D(8000)}
ECOM_C = {"counted_sales": D(8950), "conversion_rate": pct("95"), "target_completion": D(8950) / D(8000)}


def test_worked_example_66_and_33(policy):
    scores, issues = run(policy, "ecommerce", {"A": ECOM_A, "B": ECOM_B, "C": ECOM_C})
    assert issues == []
    assert scores["A"].items["sales"].points == D(66)
    assert scores["B"].items["sales"].points == D(33)
    rule = scores["B"].items["sales"].rule
    assert "target_coefficient 90% in [90%, 95%) → 0.8" in rule and "rounded down → 33" in rule


@pytest.mark.parametrize("mode,points,words", [("down", "-40", "rounded toward zero → -40"),
                                               ("floor", "-41", "rounded down → -41")])
def test_rounding_down_is_toward_zero_and_floor_below(policy_copy, mode, points, words):
    # with no floor, −50 ÷ mean 50 × 45 × 1.0 (conversion 90%) × 0.9 (target 95%) = −40.5
    policy_copy.edit("kpi/ecommerce.yaml", "    rounding: {places: 0, mode: down}   # rounded down to whole points",
                     f"    rounding: {{places: 0, mode: {mode}}}\n    floor: null")
    b = {"counted_sales": D(150), "conversion_rate": pct("90"), "target_completion": pct("95")}
    edited, issues = policy_copy.load()
    assert issues == []
    scores, issues = run(edited, "ecommerce", {"A": dict(b, counted_sales=D(-50)), "B": b})
    assert issues == []
    assert scores["A"].items["sales"].points == D(points) and words in scores["A"].items["sales"].rule


def test_team_mean_rounds_half_up():
    def scored(total: str, rated: bool = True):
        return SimpleNamespace(member=SimpleNamespace(team="T1", rated=rated), before_adjustments=D(total))
    card = SimpleNamespace(members=[scored("66.13"), scored("33.00"), scored("10.00", rated=False)])
    teams = teams_frame(ScoreResult(cards={"ecommerce": card}))
    assert teams["mean_before_adjustments"].tolist() == [D("49.57")]   # 49.565; half-even: 49.56


def test_average_of_zero_gives_zero_not_an_error(policy):
    zero = {"counted_sales": D(0), "conversion_rate": pct("95"), "target_completion": D(0)}
    scores, issues = run(policy, "ecommerce", {"A": zero, "B": dict(zero)})
    assert issues == [] and scores["A"].items["sales"].points == 0


@pytest.mark.parametrize("conversion,coefficient", [("90", "1.0"), ("89.99", "0.9"), ("98", "1.2"), ("59.99", "0.6")])
def test_conversion_band_at_the_bound(policy, conversion, coefficient):
    a = dict(ECOM_A, conversion_rate=pct(conversion), target_completion=D(1))
    scores, _ = run(policy, "ecommerce", {"A": a})
    # alone in the population: sales ÷ mean = 1, so points = ⌊45 × conversion coefficient × 1.0⌋
    expected = (D(45) * D(coefficient)).to_integral_value(rounding="ROUND_FLOOR")
    assert scores["A"].items["sales"].points == expected


@pytest.mark.parametrize("completion,coefficient", [("90", "0.8"), ("89.99", "0.7"), ("95", "0.9"), ("120", "1.2"),
                                                    ("74.99", "0.4")])
def test_target_band_at_the_bound(policy, completion, coefficient):
    a = dict(ECOM_A, conversion_rate=pct("90"), target_completion=pct(completion))
    scores, _ = run(policy, "ecommerce", {"A": a})
    assert scores["A"].items["sales"].points == (D(45) * D(coefficient)).to_integral_value(rounding="ROUND_FLOOR")


@pytest.mark.parametrize("value,points", [("100", "20"), ("95", "19"), ("94.99", "18"), ("80", "18"),
                                          ("75", "17"), ("74.99", "15")])
def test_satisfaction_band_at_the_bound(policy, value, points):
    scores, _ = run(policy, "service_center", {"A": {"survey_satisfaction": pct(value)}})
    assert scores["A"].items["satisfaction"].points == D(points)


@pytest.mark.parametrize("value,points", [("75", "7"), ("74.99", "5"), ("95", "9"), ("100", "10")])
def test_callback_completion_band_at_the_bound(policy, value, points):
    scores, _ = run(policy, "service_center", {"A": {"callback_completion_rate": pct(value)}})
    assert scores["A"].items["callback_completion"].points == D(points)


def test_no_data_rules(policy):
    scores, _ = run(policy, "service_center", {"A": {"feedback_items": D(0)}})
    a = scores["A"]
    assert a.items["satisfaction"].points == 20 and "no_surveys" in a.items["satisfaction"].flags
    assert a.items["complaint_resolution"].points == 20          # no complaints → 20
    assert a.items["callback_completion"].points == 10           # none planned → 10
    assert a.items["feedback"].points == 5                       # 0 items → −5
    assert a.items["collaboration"].points == 0 and "no_data:collaboration_incidents" in a.flags


def test_per_event_floor_and_no_floor(policy):
    scores, _ = run(policy, "service_center", {"A": {"collaboration_incidents": D(3)},
                                               "B": {"collaboration_incidents": D(11)}})
    assert scores["A"].items["collaboration"].points == 14
    assert scores["B"].items["collaboration"].points == 0 and "floored at 0" in scores["B"].items["collaboration"].rule
    # one complaint each of service, wrong_explanation, unverifiable_wording: 10 + 6 + 3 points
    ecom, _ = run(policy, "ecommerce", {"A": {"complaint_penalty_points": D(19)}})
    assert ecom["A"].items["complaints"].points == D(5 - 10 - 6 - 3)  # 下不封顶


def test_complaint_resolution_bands(policy):
    cases = {"A": D(0), "B": pct("0.39"), "C": pct("0.4"), "D": pct("1.5"), "E": D(1)}
    scores, _ = run(policy, "service_center", {k: {"complaint_unresolved_share": v} for k, v in cases.items()})
    assert [scores[k].items["complaint_resolution"].points for k in cases] == [20, 18, 16, 10, 10]


def test_promotion_rank_bonus_with_ties(policy):
    promo = Promotion(name="组合", standard=D(3000))
    sales = {"A": "5000", "B": "4000", "C": "4000", "D": "3000", "E": "1500"}
    scores, _ = run(policy, "ecommerce", {k: {"promo_sales": D(v)} for k, v in sales.items()}, promotion=promo)
    points = {k: scores[k].items["promotion"].points for k in sales}
    # [004] "超出标准的按排名进行加分": 3 exceed the standard: 1st +3, B and C tie for 2nd (+2 each);
    # D is exactly at it: full points, no rank bonus
    assert points == {"A": D(28), "B": D(27), "C": D(27), "D": D(25), "E": D("12.50")}
    assert "rank 2 of 3 → 25 + 2" in scores["B"].items["promotion"].rule
    assert "no rank bonus" in scores["D"].items["promotion"].rule


def test_promotion_exactly_at_the_standard_gets_no_rank_bonus_just_above_does(policy):
    promo = Promotion(name="组合", standard=D(3000))
    sales = {"AT": D(3000), "ABOVE": D("3000.01")}
    scores, _ = run(policy, "ecommerce", {k: {"promo_sales": v} for k, v in sales.items()}, promotion=promo)
    assert scores["AT"].items["promotion"].points == D(25)
    assert scores["ABOVE"].items["promotion"].points == D(26)      # the only one above: rank 1 of 1 → +1


def test_no_promotion_set_gives_everyone_full_points(policy):
    scores, _ = run(policy, "ecommerce", {"A": {"promo_sales": D(0)}, "B": {"promo_sales": D(9000)}}, period="2026-11")
    assert {s.items["promotion"].points for s in scores.values()} == {D(25)}
    assert scores["A"].items["promotion"].rule == "no key promotion set for 2026-11 → 25"


def test_multiplier_from_audits_and_not_audited(policy):
    base = dict(ECOM_A, promo_sales=D(0), qa_mean_score=D(90))
    scores, _ = run(policy, "ecommerce", {"A": base, "B": dict(base, qa_mean_score=None)})
    a, b = scores["A"], scores["B"]
    assert a.multiplier == D("0.9") and a.before_adjustments == (a.subtotal * D("0.9")).quantize(D("0.01"))
    assert b.multiplier == 1 and "not_audited" in b.flags


def test_adjustments_team_competition_and_ranks(policy):
    employees = {"A": dict(ECOM_A), "B": dict(ECOM_B), "C": dict(ECOM_C), "D": dict(ECOM_B)}
    members = {"A": {"team": "一组", "team_lead": True, "recognitions": {"overtime": 2}},
               "B": {"team": "二组", "recognitions": {"refused_team_work": 1}},
               "C": {"team": "一组"}, "D": {"team": "二组"}}
    scores, _ = run(policy, "ecommerce", employees, members=members)
    a, b, c, d = (scores[k] for k in "ABCD")
    assert {line.adjustment.code for line in a.adjustments} == {"overtime", "lead_management", "team_competition"}
    assert a.adjustment_points == D(2 + 10 + 5) and c.adjustment_points == D(5)
    assert b.adjustment_points == D(-10) and d.adjustment_points == 0
    assert a.total == a.before_adjustments + 17
    assert a.rank == 1 and "award_candidate" in a.flags
    assert (b.total, d.total) != (None, None) and b.rank == 4 and d.rank == 3


def test_team_competition_tie_rewards_both(policy):
    employees = {"A": dict(ECOM_A), "B": dict(ECOM_A)}
    scores, _ = run(policy, "ecommerce", employees, members={"A": {"team": "一组"}, "B": {"team": "二组"}})
    assert all(s.adjustment_points == 5 for s in scores.values())
    assert scores["A"].rank == scores["B"].rank == 1   # ties share the better rank


def test_partial_month_is_not_rated(policy):
    scores, _ = run(policy, "service_center", {"A": {"collaboration_incidents": D(0)}}, members={"A": {"rated": False}})
    a = scores["A"]
    assert a.items["collaboration"].points == 20 and a.total is None and a.grade is None and a.rank is None
    assert "not_rated" in a.flags


def test_grades_and_training_flag(policy):
    full = {"collaboration_incidents": D(0), "feedback_items": D(6), "incomplete_customer_records": D(0),
            "conduct_points_lost": D(0)}
    scores, _ = run(policy, "service_center", {"A": full, "B": dict(full, collaboration_incidents=D(10),
                                                                        conduct_points_lost=D(10))},
                    members={"A": {"recognitions": {"company_praise": 1}}})
    assert scores["A"].total == D(103) and scores["A"].grade == "A"
    assert scores["B"].total == D(70) and scores["B"].grade == "C"
    low, _ = run(policy, "service_center", {"C": dict(full, collaboration_incidents=D(10), conduct_points_lost=D(10),
                                                     incomplete_customer_records=D(1))})
    assert low["C"].total == D(68) and low["C"].grade == "D" and "training" in low["C"].flags


def test_supervisor_card(policy):
    sup = {"team_satisfaction_rate": D(1), "team_sales_completion": pct("80"), "assignment_issues": D(1),
           "publicity_issues": D(0), "general_issues": D(2), "onsite_rating": D(25)}
    scores, _ = run(policy, "supervisor", {"S": sup})
    s = scores["S"]
    assert s.items["satisfaction"].points == 40      # 30 × 100% + 10
    assert s.items["production"].points == 16        # 20 × 0.8
    assert s.items["daily_management"].points == 10  # 0 + 10 + 0
    assert s.items["onsite"].points == 25
    assert s.total == 40 + 16 + 10 + 25 + 20         # + management bonus


def test_invitation_card(policy):
    inv = {"invitation_success_rate": pct("24"), "survey_satisfaction": pct("96"), "task_completion_rate": pct("90"),
           "communication_rating": D(8), "teamwork_rating": D("9.5")}
    scores, _ = run(policy, "invitation", {"I": inv})
    i = scores["I"]
    assert i.items["invitation_success"].points == D(32)   # 40 × 24% ÷ 30%
    assert i.items["satisfaction"].points == 19 and i.items["task_completion"].points == 18
    assert i.total == D("86.50") and i.grade == "B"


def test_an_unguarded_division_by_zero_is_a_policy_error(policy_copy):
    policy_copy.edit("kpi/ecommerce.yaml", "formula: qa_mean_score / 100", "formula: 100 / qa_mean_score")
    policy, issues = policy_copy.load()
    _scores, issues = run(policy, "ecommerce", {"A": dict(ECOM_A, qa_mean_score=D(0))})
    assert len(issues) == 1
    assert str(issues[0]).startswith("config/kpi/ecommerce.yaml:")
    assert "scorecard ecommerce, multiplier, employee A: division by zero in '100 / qa_mean_score'" in str(issues[0])
