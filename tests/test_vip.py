"""The VIP programme (csbatch.vip.programme, docs/policy.md#vip) with the default policy: small
contract-typed sheets in, exact cards, points, audit rows, tasks and issues out; then the two
sample months, the first's result fed to the second as the ledger would.

Thresholds used below (config/vip.yaml): flagship silver = one order ≥ ¥60,000 or trailing
12 months ≥ ¥150,000, gold ≥ ¥200,000 after 12 months; modern silver = ≥ ¥25,000 or ≥ ¥80,000.
Points: 1 per ¥50, 30% of the qualifying amount at issue. Vouchers: ≥ ¥3,000 purchases, 30% of
the points up to a 1,000 balance, 35% to 2,000.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from builders import typed_frame
from csbatch.errors import Severity, Source
from csbatch.idnumbers import check_characters
from csbatch.sheets.intake import read_inputs
from csbatch.vip.identity import person_of
from csbatch.vip.model import CARD_COLUMNS, POINT_COLUMNS, PURCHASE_COLUMNS, VipHistory
from csbatch.vip.programme import price_with_card, run_vip, voucher_value

D = Decimal
KEY = b"test-key"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


# ---------------------------------------------------------------------------------------------
# builders

def idn(seq: int, born: str = "19900307") -> str:
    """A valid 18-character ID number (GB 11643 check character) born on `born`."""
    first17 = f"110105{born}{seq:03d}"
    return first17 + str(check_characters([first17])[0])


def person(id_number: str) -> str:
    return person_of(id_number, KEY)


def customer(cid: str, seq: int | None, **kw) -> dict:
    row = {"customer_id": cid, "name": f"客户{cid}", "phone": f"1381234{seq or 0:04d}",
           "id_number": idn(seq) if seq is not None else None, "engineering": False}
    return {**row, **kw}


def order(oid: str, day: str, cid: str, amount, store: str = "flagship", **kw) -> dict:
    row = {"order_id": oid, "order_date": day, "employee_id": "1005", "customer_id": cid,
           "amount": amount, "channel": "in_store", "category": "regular", "store_type": store,
           "promo": False, "status": "completed"}
    return {**row, **kw}


def inputs(policy, sales=(), customers=(), redemptions=()) -> dict:
    return {"sales": typed_frame(policy, "sales", list(sales), file="sales.xlsx"),
            "customers": typed_frame(policy, "customers", list(customers), file="customers.xlsx"),
            "redemptions": typed_frame(policy, "redemptions", list(redemptions), file="redemptions.xlsx")}


def history(purchases=(), cards=(), points=()) -> VipHistory:
    p = pd.DataFrame(list(purchases), columns=PURCHASE_COLUMNS)
    p["amount"] = p["amount"].map(D)
    p["order_date"] = pd.to_datetime(p["order_date"])
    c = pd.DataFrame(list(cards), columns=CARD_COLUMNS)
    for col in ("issued_on", "valid_until", "silver_since", "renewed_on"):
        c[col] = pd.to_datetime(c[col])
    pts = pd.DataFrame(list(points), columns=POINT_COLUMNS)
    pts["date"] = pd.to_datetime(pts["date"])
    pts["points"] = pts["points"].astype("int64")
    return VipHistory(p, c, pts)


def bought(period: str, cid: str, oid: str, day: str, amount, store: str = "flagship",
           category: str = "regular") -> dict:
    return {"period": period, "customer_id": cid, "store_type": store, "category": category,
            "order_id": oid, "order_date": day, "amount": str(amount)}


def card(card_no: str, id_number: str, cid: str, issued: str, until: str, programme: str = "flagship",
         tier: str = "silver", status: str = "active", since: str | None = None,
         renewed: str | None = None) -> dict:
    return {"card_no": card_no, "person": person(id_number), "customer_id": cid, "programme": programme,
            "tier": tier, "issued_on": issued, "valid_until": until, "status": status,
            "silver_since": since or issued, "renewed_on": renewed}


def entry(card_no: str, id_number: str, cid: str, day: str, kind: str, points: int,
          order_id: str | None = None) -> dict:
    return {"card_no": card_no, "person": person(id_number), "customer_id": cid, "date": day,
            "kind": kind, "points": points, "order_id": order_id, "note": ""}


def redeem(cid: str, day: str, points: int, voucher: str, order_id: str) -> dict:
    return {"customer_id": cid, "date": day, "points": points, "voucher_amount": voucher, "order_id": order_id}


def run(policy, period, ins, hist=None):
    return run_vip(period, policy, ins, hist or VipHistory(), KEY)


def members(result) -> dict[str, dict]:
    return {r["customer_id"]: r for r in result.members.to_dict("records")}


def cards_of(result) -> dict[str, dict]:
    return {r["customer_id"]: r for r in result.cards.to_dict("records")}


def entries(result) -> list[tuple]:
    return [(r["customer_id"], r["date"].date().isoformat(), r["kind"], r["points"], r["order_id"])
            for r in result.points_out.to_dict("records")]


def errors(issues):
    return [i for i in issues if i.is_error]


def day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


# ---------------------------------------------------------------------------------------------
# qualification

def test_single_order_at_the_threshold_qualifies_and_a_cent_less_does_not(policy):
    result, issues = run(policy, "2026-10", inputs(
        policy,
        sales=[order("A1", "2026-10-05", "C1", "60000"), order("B1", "2026-10-06", "C2", "59999.99"),
               order("M1", "2026-10-07", "C3", "25000", "modern"),
               order("M2", "2026-10-08", "C4", "24999.99", "modern")],
        customers=[customer("C1", 1), customer("C2", 2), customer("C3", 3), customer("C4", 4)]))
    assert not errors(issues)
    cards = cards_of(result)
    assert set(cards) == {"C1", "C3"}
    assert cards["C1"]["card_no"] == "F2026100001" and cards["C3"]["card_no"] == "M2026100001"
    assert cards["C1"]["programme"] == "flagship" and cards["C3"]["programme"] == "modern"
    assert cards["C1"]["tier"] == "silver" and cards["C1"]["status"] == "active"
    assert cards["C1"]["issued_on"] == day("2026-10-05")
    assert cards["C1"]["valid_until"] == day("2027-10-04")
    assert cards["C1"]["silver_since"] == day("2026-10-05")
    assert cards["C1"]["person"] == person(idn(1))
    # every store order is a purchase of the month, qualifying or not
    assert sorted(result.purchases["order_id"]) == ["A1", "B1", "M1", "M2"]


def test_card_valid_one_year_less_a_day(policy):
    result, _ = run(policy, "2026-11", inputs(policy, sales=[order("A1", "2026-11-05", "C1", "68800")],
                                              customers=[customer("C1", 1)]))
    assert cards_of(result)["C1"]["valid_until"] == day("2027-11-04")


def test_trailing_spend_spanning_two_months_qualifies_in_the_second(policy):
    customers = [customer("C1", 1)]
    oct_, _ = run(policy, "2026-10", inputs(policy, customers=customers, sales=[
        order("M1", "2026-10-15", "C1", "21000", "modern"), order("M2", "2026-10-24", "C1", "21000", "modern")]))
    assert oct_.cards.empty and oct_.members.empty
    nov, issues = run(policy, "2026-11", inputs(policy, customers=customers, sales=[
        order("M3", "2026-11-12", "C1", "20100", "modern"), order("M4", "2026-11-21", "C1", "20200", "modern")]),
        VipHistory(oct_.purchases, oct_.cards, oct_.points))
    assert not errors(issues)
    c = cards_of(nov)["C1"]
    assert (c["programme"], c["issued_on"], c["card_no"]) == ("modern", day("2026-11-21"), "M2026110001")
    m = members(nov)["C1"]
    assert (m["spend_month"], m["spend_12m"]) == (D("40300"), D("82300"))
    assert m["next_tier_gap"] == D("17700.00")
    assert pd.isna(m["points_close"])          # modern cards carry no points


def test_trailing_issue_points_count_the_running_total_and_later_orders_earn(policy):
    """¥100,000 last month; this month ¥30,000 (running ¥130,000), ¥25,000 (¥155,000 ≥ ¥150,000:
    issued here, 30% × 155,000 ÷ 50 = 930 points), then ¥5,000 earns 100."""
    hist = history(purchases=[bought("2026-10", "C1", "H1", "2026-10-03", 50000),
                              bought("2026-10", "C1", "H2", "2026-10-20", 50000)])
    result, _ = run(policy, "2026-11", inputs(policy, customers=[customer("C1", 1)], sales=[
        order("A1", "2026-11-03", "C1", "30000"), order("A2", "2026-11-20", "C1", "25000"),
        order("A3", "2026-11-25", "C1", "5000")]), hist)
    assert cards_of(result)["C1"]["issued_on"] == day("2026-11-20")
    assert entries(result) == [("C1", "2026-11-20", "issue", 930, "A2"),
                               ("C1", "2026-11-25", "earn", 100, "A3")]
    assert members(result)["C1"]["spend_12m"] == D("160000")


def test_engineering_customers_never_qualify_but_their_purchases_count(policy):
    result, issues = run(policy, "2026-10", inputs(
        policy, customers=[customer("C1", 1, engineering=True)],
        sales=[order("A1", "2026-10-05", "C1", "72000")]))
    assert result.cards.empty and result.members.empty and not issues
    assert list(result.purchases["amount"]) == [D("72000")]


def test_one_person_with_two_customer_records_gets_one_card_on_combined_spend(policy):
    same = idn(7)
    result, issues = run(policy, "2026-10", inputs(
        policy, customers=[customer("C1", None, id_number=same), customer("C2", None, id_number=same)],
        sales=[order("M1", "2026-10-15", "C2", "20000", "modern"), order("M2", "2026-10-15", "C1", "22400", "modern"),
               order("M3", "2026-10-24", "C1", "22400", "modern"), order("M4", "2026-10-24", "C2", "20000", "modern"),
               order("M5", "2026-10-28", "C1", "10000", "modern")]))
    warnings = [i for i in issues if i.code == "vip.same_person"]
    assert len(warnings) == 1 and warnings[0].severity is Severity.WARNING
    assert warnings[0].source == Source("customers.xlsx", sheet="customers", row=2)
    assert "C1 (customers.xlsx[customers]!row 2) and C2 (customers.xlsx[customers]!row 3)" in warnings[0].message
    # said in Chinese, the names are joined by 和, not "and" (issue 12)
    assert "C1 (customers.xlsx[customers]!row 2) 和 C2 (customers.xlsx[customers]!row 3)" in warnings[0].text("zh")
    # 20,000 + 22,400 + 22,400 + 20,000 = 84,800 ≥ 80,000 at M4 (C2's order); M5 is a member's order
    assert len(result.cards) == 1
    c = result.cards.iloc[0]
    assert (c["customer_id"], c["issued_on"], c["person"]) == ("C2", day("2026-10-24"), person(same))
    assert members(result)["C2"]["spend_12m"] == D("94800")


def test_no_id_number_no_card_and_a_warning(policy):
    result, issues = run(policy, "2026-10", inputs(
        policy, customers=[customer("C1", 1), customer("C9", None)],
        sales=[order("A1", "2026-10-05", "C9", "68800")]))
    assert result.cards.empty
    (warning,) = issues
    assert warning.severity is Severity.WARNING and warning.code == "vip.no_id_number"
    assert warning.source == Source("customers.xlsx", sheet="customers", row=3)
    assert "customer C9 qualifies for 专业VIP 银卡 on 2026-10-05" in warning.message
    assert list(result.purchases["customer_id"]) == ["C9"]


def test_one_card_per_person_flagship_wins(policy):
    result, _ = run(policy, "2026-10", inputs(
        policy, customers=[customer("C1", 1)],
        sales=[order("M1", "2026-10-03", "C1", "25000", "modern"), order("A1", "2026-10-20", "C1", "60000")]))
    assert list(result.cards["card_no"]) == ["F2026100001"]
    assert cards_of(result)["C1"]["issued_on"] == day("2026-10-20")


def test_a_card_holder_does_not_get_a_second_card(policy):
    hist = history(cards=[card("M2026090001", idn(1), "C1", "2026-09-10", "2027-09-09", "modern")])
    result, _ = run(policy, "2026-10", inputs(policy, customers=[customer("C1", 1)],
                                              sales=[order("A1", "2026-10-05", "C1", "68800")]), hist)
    assert list(result.cards["card_no"]) == ["M2026090001"]


def test_online_orders_and_same_month_refunds_are_not_purchases(policy):
    result, _ = run(policy, "2026-10", inputs(policy, customers=[customer("C1", 1)], sales=[
        order("W1", "2026-10-05", "C1", "70000", None, channel="online"),
        order("A1", "2026-10-06", "C1", "3000", status="refunded"),
        order("A0", "2026-09-20", "C1", "2000", status="refunded"),
        order("A2", "2026-10-07", "C1", "1000", status="cancelled")]))
    assert list(zip(result.purchases["order_id"], result.purchases["amount"])) == [("A0", D("-2000"))]
    assert list(result.purchases["period"]) == ["2026-10"]
    assert result.cards.empty


# ---------------------------------------------------------------------------------------------
# points

def test_issue_points_and_earning_after_the_issue(policy):
    result, _ = run(policy, "2026-10", inputs(policy, customers=[customer("C1", 1)], sales=[
        order("A1", "2026-10-10", "C1", "68800"),
        order("A2", "2026-10-19", "C1", "4600", category="imported", list_amount="5000"),
        order("A3", "2026-10-24", "C1", "2720", list_amount="3200"),
        order("A4", "2026-10-29", "C1", "49", ),                      # under ¥50: no entry
        order("M1", "2026-10-29", "C1", "8000", "modern")]))          # another programme: no points
    assert entries(result) == [("C1", "2026-10-10", "issue", 412, "A1"),    # ⌊0.3 × 68,800 ÷ 50⌋
                               ("C1", "2026-10-19", "earn", 92, "A2"),
                               ("C1", "2026-10-24", "earn", 54, "A3")]
    note = result.points_out.iloc[0]["note"]
    assert note == "办卡消费 ¥68,800（单笔满 ¥60,000）的30%计入积分，每¥50计1分"
    m = members(result)["C1"]
    assert (m["points_open"], m["points_earned"], m["points_redeemed"], m["points_expired"], m["points_close"]) \
        == (0, 558, 0, 0, 558)
    assert m["voucher_value"] == D("167.40")
    assert m["next_tier_gap"] == D("200000") - D("76169.00")
    # the ledger's rows carry the card and the person
    assert set(result.points["card_no"]) == {"F2026100001"}
    assert set(result.points["person"]) == {person(idn(1))}


def test_a_refund_reverses_the_points_its_order_earned(policy):
    customers = [customer("C1", 1)]
    oct_, _ = run(policy, "2026-10", inputs(policy, customers=customers, sales=[
        order("A1", "2026-10-10", "C1", "68800"), order("A2", "2026-10-19", "C1", "4600")]))
    nov, issues = run(policy, "2026-11", inputs(policy, customers=customers, sales=[
        order("A2", "2026-10-19", "C1", "4600", status="refunded"),
        order("A5", "2026-11-05", "C1", "1000")]), VipHistory(oct_.purchases, oct_.cards, oct_.points))
    assert entries(nov) == [("C1", "2026-11-01", "earn", -92, "A2"), ("C1", "2026-11-05", "earn", 20, "A5")]
    assert nov.points_out.iloc[0]["note"] == "订单 A2 退款，冲回积分"
    m = members(nov)["C1"]
    assert (m["points_open"], m["points_earned"], m["points_close"]) == (504, -72, 432)
    assert (m["spend_month"], m["spend_12m"]) == (D("-3600"), D("69800"))
    assert not errors(issues)


def test_a_refunded_qualifying_order_is_flagged_for_review(policy):
    customers = [customer("C1", 1)]
    oct_, _ = run(policy, "2026-10", inputs(policy, customers=customers,
                                            sales=[order("A1", "2026-10-10", "C1", "68800")]))
    nov, issues = run(policy, "2026-11", inputs(policy, customers=customers, sales=[
        order("A1", "2026-10-10", "C1", "68800", status="refunded")]), VipHistory(oct_.purchases, oct_.cards, oct_.points))
    (warning,) = issues
    assert (warning.code, warning.severity, warning.source) == (
        "vip.qualifying_refund", Severity.WARNING, Source("sales.xlsx", sheet="sales", row=2))
    assert "order A1, refunded this month, qualified card F2026100001" in warning.message
    assert nov.points_out.empty and members(nov)["C1"]["points_close"] == 412


def test_gold_after_twelve_months_held_with_trailing_spend_of_200000(policy):
    """Silver flagship cards at the close of 2026-11 (held months counted to 2026-11-30), each with
    ¥200,000 (or a cent less) in the trailing 12 months: those held 12 whole months with the full
    amount move up. C4's anniversary is this month (renewed: it was used in its year)."""
    ids = {k: idn(k) for k in (1, 2, 3, 4)}
    cards = [card("F2025100001", ids[1], "C1", "2025-10-20", "2027-10-19", renewed="2026-10-20"),  # 13 months
             card("F2025120001", ids[2], "C2", "2025-12-01", "2026-11-30"),                       # 11 months
             card("F2025100002", ids[3], "C3", "2025-10-20", "2027-10-19", renewed="2026-10-20"),
             card("F2025110001", ids[4], "C4", "2025-11-30", "2026-11-29")]                       # 12 months
    purchases = [bought("2026-03", f"C{k}", f"H{k}", "2026-03-01", 150000) for k in (1, 2, 4)] \
        + [bought("2026-03", "C3", "H3", "2026-03-01", "149999.99")]
    result, _ = run(policy, "2026-11", inputs(
        policy, customers=[customer(f"C{k}", k) for k in (1, 2, 3, 4)],
        sales=[order(f"A{k}", "2026-11-03", f"C{k}", "50000") for k in (1, 2, 3, 4)]), history(purchases, cards))
    tiers = {c: r["tier"] for c, r in cards_of(result).items()}
    assert tiers == {"C1": "gold", "C2": "silver", "C3": "silver", "C4": "gold"}
    assert cards_of(result)["C4"]["renewed_on"] == day("2026-11-30")
    assert cards_of(result)["C1"]["silver_since"] == day("2025-10-20")
    m = members(result)
    assert m["C1"]["tier"] == "gold" and m["C1"]["next_tier_gap"] is None
    assert m["C3"]["next_tier_gap"] == D("0.01")
    # this month's orders were priced at the tier held when the month began
    assert result.discount_audit.set_index("order_id").loc["A1", "problem"] \
        == "paid ¥50,000, expected ¥45,000 (silver 90%)"


def test_anniversary_clears_points_renews_a_used_card_and_voids_an_unused_one(policy):
    a, b = idn(1), idn(2)
    hist = history(
        purchases=[bought("2025-10", "C1", "Q1", "2025-10-10", 68800),
                   bought("2026-03", "C1", "H1", "2026-03-01", 5000),
                   bought("2025-10", "C2", "Q2", "2025-10-15", 68800)],
        cards=[card("F2025100001", a, "C1", "2025-10-10", "2026-10-09"),
               card("F2025100002", b, "C2", "2025-10-15", "2026-10-14")],
        points=[entry("F2025100001", a, "C1", "2025-10-10", "issue", 412, "Q1"),
                entry("F2025100001", a, "C1", "2026-03-01", "earn", 100, "H1"),
                entry("F2025100002", b, "C2", "2025-10-15", "issue", 412, "Q2")])
    result, issues = run(policy, "2026-10", inputs(policy, customers=[customer("C1", 1), customer("C2", 2)], sales=[
        order("A1", "2026-10-05", "C1", "1000"),      # earns 20 in the old year, then cleared
        order("A2", "2026-10-20", "C1", "500"),       # earns 10 in the new year
        order("B1", "2026-10-20", "C2", "5000")]), hist)   # after the void: not a member order
    assert not errors(issues)
    assert entries(result) == [("C1", "2026-10-05", "earn", 20, "A1"),
                               ("C1", "2026-10-10", "expire", -532, None),
                               ("C2", "2026-10-15", "expire", -412, None),
                               ("C1", "2026-10-20", "earn", 10, "A2")]
    cards = cards_of(result)
    assert (cards["C1"]["status"], cards["C1"]["renewed_on"], cards["C1"]["valid_until"]) \
        == ("active", day("2026-10-10"), day("2027-10-09"))
    assert (cards["C2"]["status"], cards["C2"]["valid_until"]) == ("void", day("2026-10-14"))
    m = members(result)
    assert (m["C1"]["points_open"], m["C1"]["points_earned"], m["C1"]["points_expired"], m["C1"]["points_close"]) \
        == (512, 30, 532, 10)
    assert (m["C2"]["status"], m["C2"]["points_expired"], m["C2"]["points_close"]) == ("void", 412, 0)
    assert result.discount_audit["order_id"].tolist() == ["A1", "A2"]     # neither B1 (void) …
    assert "C2" not in set(result.tasks["customer_id"])                  # … nor tasks for a void card
    # the voided person may qualify again, but ¥5,000 does not


# ---------------------------------------------------------------------------------------------
# vouchers and prices

def test_voucher_value_by_balance_band(policy):
    assert voucher_value(1000, policy) == D("300.00")
    assert voucher_value(1001, policy) == D("350.35")
    assert voucher_value(2001, policy) == D("800.40")
    assert voucher_value(5000, policy) == D("2500.00")
    assert voucher_value(0, policy) == D("0")


def test_price_with_card_worked_example(policy):
    flagship, modern = policy.vip.programmes["flagship"], policy.vip.programmes["modern"]
    never = policy.vip.never_discounted
    assert price_with_card(D("3000"), flagship, "silver", "regular", voucher_value(1000, policy)) == D("2400.00")
    assert price_with_card(D("10000"), flagship, "silver", "regular", D("300")) == D("8700.00")
    assert price_with_card(D("5000"), flagship, "silver", "imported") == D("4600.00")
    assert price_with_card(D("1000"), modern, "gold", "new") == D("800.00")
    assert price_with_card(D("1280"), flagship, "gold", "special_price", never_discounted=never) == D("1280.00")


def test_price_and_voucher_round_half_up_at_the_cent(policy, policy_copy):
    # 10.05 × 90% = 9.045 → ¥9.05 (half-even would give ¥9.04)
    assert price_with_card(D("10.05"), policy.vip.programmes["flagship"], "silver", "regular") == D("9.05")
    # a 32.5% band: 1 point is worth ¥0.325 → ¥0.33 (half-even: ¥0.32)
    policy_copy.edit("bands.yaml", "- {to: 1000, to_inclusive: true, value: 30%}",
                     "- {to: 1000, to_inclusive: true, value: 32.5%}")
    edited, issues = policy_copy.load()
    assert issues == []
    assert voucher_value(1, edited) == D("0.33")


def test_redemptions_are_checked_in_date_order(policy):
    """A card with 1,000 points; orders A1 (¥3,000 list, ¥2,400 paid with the voucher) and A2
    (¥2,800 list)."""
    a = idn(1)
    hist = history(cards=[card("F2026100001", a, "C1", "2026-10-01", "2027-09-30")],
                   points=[entry("F2026100001", a, "C1", "2026-10-01", "issue", 1000, "Q1")])
    sales = [order("A1", "2026-11-10", "C1", "2400", list_amount="3000"),
             order("A2", "2026-11-12", "C1", "2520", list_amount="2800")]
    redemptions = [redeem("C1", "2026-11-03", 1200, "360", "A1"),      # row 2: over the balance
                   redeem("C1", "2026-11-04", 1000, "350", "A1"),      # row 3: over the 30% rate
                   redeem("C1", "2026-11-10", 1000, "300", "A1"),      # row 4: valid
                   redeem("C1", "2026-11-12", 10, "3", "A2"),          # row 5: under ¥3,000
                   redeem("C2", "2026-11-12", 10, "3", "A2")]          # row 6: no card
    result, issues = run(policy, "2026-11", inputs(policy, customers=[customer("C1", 1), customer("C2", 2)],
                                                   sales=sales, redemptions=redemptions), hist)
    found = {(i.source.row, i.code): i.message for i in errors(issues)}
    assert all(i.source.path == "redemptions.xlsx" and i.source.sheet == "redemptions" for i in errors(issues))
    assert "spends 1200 points, balance is 1000" in found[(2, "vip.redemption_balance")]
    assert "values 1000 points at ¥350, more than the 30% rate allows: ¥300" in found[(3, "vip.redemption_rate")]
    assert "purchase ¥2,800 is under the ¥3,000 voucher minimum" in found[(5, "vip.redemption_minimum")]
    assert "customer C2 holds no VIP card with points" in found[(6, "vip.redemption_no_card")]
    assert set(found) == {(2, "vip.redemption_balance"), (3, "vip.redemption_rate"),
                          (5, "vip.redemption_minimum"), (6, "vip.redemption_no_card")}
    # the valid one (row 4) is recorded; A1 then earns ⌊2,400 ÷ 50⌋ = 48 and A2 ⌊2,520 ÷ 50⌋ = 50
    assert entries(result) == [("C1", "2026-11-10", "redeem", -1000, "A1"), ("C1", "2026-11-10", "earn", 48, "A1"),
                               ("C1", "2026-11-12", "earn", 50, "A2")]
    m = members(result)["C1"]
    assert (m["points_open"], m["points_earned"], m["points_redeemed"], m["points_close"]) == (1000, 98, 1000, 98)
    # ¥3,000 × 90% − ¥300 = ¥2,400: priced right; A2 paid 90% of ¥2,800
    assert result.discount_audit.empty


# ---------------------------------------------------------------------------------------------
# discount audit

def test_discount_audit_flags_wrong_rates_and_discounted_special_price_items(policy):
    result, _ = run(policy, "2026-10", inputs(policy, customers=[customer("C1", 1)], sales=[
        order("A1", "2026-10-10", "C1", "68800"),                                     # qualifying: no card yet
        order("A2", "2026-10-10", "C1", "1000"),                                      # same day: not after it
        order("A3", "2026-10-19", "C1", "4600", category="imported", list_amount="5000"),   # 92%: right
        order("A4", "2026-10-24", "C1", "2720", list_amount="3200"),                  # gold's 85%: wrong
        order("A5", "2026-10-29", "C1", "1152", category="special_price", list_amount="1280"),
        order("A6", "2026-10-30", "C1", "999", category="special_price"),             # full price: right
        order("A7", "2026-10-30", "C1", "2000")]))                                    # no discount given
    audit = result.discount_audit
    assert list(audit.columns) == ["order_id", "customer_id", "tier", "category", "list_amount", "amount",
                                   "expected_amount", "problem"]
    assert audit.to_dict("records") == [
        {"order_id": "A4", "customer_id": "C1", "tier": "silver", "category": "regular", "list_amount": D("3200"),
         "amount": D("2720"), "expected_amount": D("2880.00"),
         "problem": "paid ¥2,720, expected ¥2,880 (silver 90%)"},
        {"order_id": "A5", "customer_id": "C1", "tier": "silver", "category": "special_price",
         "list_amount": D("1280"), "amount": D("1152"), "expected_amount": D("1280.00"),
         "problem": "special-price item discounted"},
        {"order_id": "A7", "customer_id": "C1", "tier": "silver", "category": "regular", "list_amount": D("2000"),
         "amount": D("2000"), "expected_amount": D("1800.00"),
         "problem": "paid ¥2,000, expected ¥1,800 (silver 90%)"}]


# ---------------------------------------------------------------------------------------------
# next month's tasks

def _member_history(*members, issued="2026-01-10", until="2027-01-09") -> VipHistory:
    return history(cards=[card(f"M20260100{k:02d}", id_number, cid, issued, until, "modern")
                          for k, (cid, id_number) in enumerate(members, 1)])


def test_birthday_greetings_whose_window_touches_next_month(policy):
    """Closing 2026-09: greetings due 7 to 2 days before a birthday, for windows that start or
    end in October."""
    people = [customer("C1", 1, birthday="1990-10-05"),                  # 09-28 … 10-03: ends in Oct
              customer("C2", 2, id_number=idn(2, "19851020")),            # from the ID: 10-13 … 10-18
              customer("C3", 3, birthday="1970-11-03"),                  # 10-27 … 11-01: starts in Oct
              customer("C4", 4, birthday="1970-11-10")]                  # 11-03 …: not yet
    hist = _member_history(*((p["customer_id"], p["id_number"]) for p in people))
    result, _ = run(policy, "2026-09", inputs(policy, customers=people), hist)
    birthdays = result.tasks[result.tasks["kind"] == "birthday"]
    assert birthdays[["customer_id", "due_from", "due_to"]].values.tolist() == [
        ["C1", day("2026-09-28"), day("2026-10-03")], ["C2", day("2026-10-13"), day("2026-10-18")],
        ["C3", day("2026-10-27"), day("2026-11-01")]]
    row = birthdays.iloc[0]
    assert (row["name"], row["phone"], row["note"]) == ("客户C1", "13812340001", "birthday on 2026-10-05")


def test_festival_greetings_use_the_lunar_calendar(policy):
    people = [customer("C1", 1, birthday="1990-01-15")]
    hist = _member_history(("C1", people[0]["id_number"]), issued="2026-06-01", until="2027-12-31")
    aug26, _ = run(policy, "2026-08", inputs(policy, customers=people), hist)
    assert aug26.tasks[["kind", "due_from", "due_to"]].values.tolist() == [
        ["festival:mid_autumn", day("2026-09-23"), day("2026-09-25")]]
    aug27, _ = run(policy, "2027-08", inputs(policy, customers=people), hist)
    assert aug27.tasks[["kind", "due_from", "due_to"]].values.tolist() == [
        ["festival:mid_autumn", day("2027-09-13"), day("2027-09-15")]]
    sep26, _ = run(policy, "2026-09", inputs(policy, customers=people), hist)
    assert sep26.tasks["kind"].tolist() == ["festival:national_day"]
    jan27, _ = run(policy, "2027-01", inputs(policy, customers=people), hist)
    assert jan27.tasks[["kind", "due_to"]].values.tolist() == [
        ["festival:spring_festival", day("2027-02-06")], ["festival:valentines", day("2027-02-14")]]


def test_maintenance_reminder_a_week_before_the_care_date(policy):
    people = [customer("C1", 1, birthday="1990-03-15")]
    hist = _member_history(("C1", people[0]["id_number"]))
    hist.purchases = history(purchases=[bought("2025-10", "C1", "H1", "2025-10-20", 5000),
                                        bought("2025-11", "C1", "H2", "2025-11-20", 3000),
                                        bought("2025-10", "C1", "H3", "2025-10-21", 800)]).purchases
    result, _ = run(policy, "2026-09", inputs(policy, customers=people, sales=[
        order("H3", "2025-10-21", "C1", "800", status="refunded")]), hist)   # refunded: no care
    care = result.tasks[result.tasks["kind"] == "maintenance"]
    assert care[["customer_id", "due_from", "due_to"]].values.tolist() == [
        ["C1", day("2026-10-13"), day("2026-10-19")]]
    assert "care of order H1" in care.iloc[0]["note"] and "due 2026-10-20" in care.iloc[0]["note"]


# ---------------------------------------------------------------------------------------------
# personal data

def _cells(value):
    if isinstance(value, pd.DataFrame):
        for v in value.astype(object).to_numpy().ravel().tolist() + list(value.columns):
            yield from _cells(v)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _cells(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _cells(v)
    else:
        yield str(value)


def test_no_whole_id_number_anywhere(policy):
    same = idn(5, "19901110")
    people = [customer("C1", 1, id_number=idn(1, "19901105")), customer("C2", None, id_number=same),
              customer("C3", None, id_number=same)]
    result, issues = run(policy, "2026-10", inputs(policy, customers=people, sales=[
        order("A1", "2026-10-10", "C1", "68800"), order("M1", "2026-10-12", "C2", "25000", "modern"),
        order("A2", "2026-10-20", "C1", "5000")]))
    assert len(result.members) == 2 and len(result.tasks) >= 2 and issues
    texts = list(_cells([dataclasses.asdict(result), [str(i) for i in issues]]))
    for id_number in (p["id_number"] for p in people):
        assert not any(id_number in t for t in texts)
        assert not any(id_number[:17] in t for t in texts)
    statement = result.statements[0]
    assert statement["id_masked"] == "*" * 14 + idn(1, "19901105")[-4:]
    assert statement["phone_masked"] == "138****0001"
    assert set(result.tasks["phone"]) == {"13812340001", "13812340000"}      # the call list: whole numbers


def test_statements_carry_what_the_template_prints(policy):
    result, _ = run(policy, "2026-10", inputs(policy, customers=[customer("C1", 1, birthday="1990-11-08")], sales=[
        order("A1", "2026-10-10", "C1", "68800"), order("A2", "2026-10-20", "C1", "5000")]))
    (s,) = result.statements
    assert (s["programme"], s["programme_name"], s["tier"], s["tier_name"]) \
        == ("flagship", "专业VIP", "silver", "银卡")
    assert s["free_cleaning_until"] == dt.date(2027, 10, 9)
    assert [e["kind"] for e in s["entries"]] == ["issue", "earn"]
    assert [t["kind"] for t in s["tasks"]] == ["birthday"]
    from csbatch.reports.vip_statements import render_statement
    assert "F2026100001" in render_statement(s, "2026-10")


# ---------------------------------------------------------------------------------------------
# the sample months: 2026-10 (committed), then 2026-11 from the same generator and seed

@pytest.fixture(scope="module")
def sample_months(policy, tmp_path_factory):
    from csbatch.samples import generate_month

    nov_dir = tmp_path_factory.mktemp("s11")
    generate_month(policy, "2026-11", nov_dir, employees=20, seed=2026)
    oct_in, found = read_inputs(policy, "2026-10", SAMPLES / "2026-10")
    assert not errors(found)
    nov_in, found = read_inputs(policy, "2026-11", nov_dir)
    assert not errors(found)
    oct_, oct_issues = run(policy, "2026-10", oct_in)
    nov, nov_issues = run(policy, "2026-11", nov_in, VipHistory(oct_.purchases, oct_.cards, oct_.points))
    return oct_, oct_issues, nov, nov_issues, oct_in, nov_in


def test_sample_months(sample_months):
    oct_, oct_issues, nov, nov_issues, oct_in, nov_in = sample_months
    assert not errors(oct_issues) and not errors(nov_issues)
    # the ¥68,800 flagship customer of October: a card on the order's day, 412 + 92 + 54 + 23 points
    sales = oct_in["sales"]
    (big,) = sales.loc[(sales["store_type"] == "flagship") & (sales["amount"] == D("68800")), "customer_id"]
    m = members(oct_)[big]
    assert (m["programme"], m["issued_on"], m["points_close"]) == ("flagship", day("2026-10-10"), 581)
    assert sorted(oct_.discount_audit["problem"]) == ["paid ¥2,720, expected ¥2,880 (silver 90%)",
                                                      "special-price item discounted"]
    # the modern customer spanning two months: no card in October, one in November
    assert "KH000022" not in members(oct_)
    span = members(nov)["KH000022"]
    assert (span["programme"], span["issued_on"], span["spend_12m"]) == ("modern", day("2026-11-21"), D("82300"))
    # one person, two records (KH000082 / KH000094): one card on the combined ¥84,800
    dup = [r for r in oct_.members.to_dict("records") if r["customer_id"] in ("KH000082", "KH000094")]
    assert len(dup) == 1 and dup[0]["spend_12m"] == D("84800")
    # engineering customers never hold a card
    customers = pd.concat([oct_in["customers"], nov_in["customers"]])
    engineering = set(customers.loc[customers["engineering"].fillna(False).astype(bool), "customer_id"])
    assert engineering and not engineering & (set(oct_.cards["customer_id"]) | set(nov.cards["customer_id"]))
    assert engineering & set(oct_.purchases["customer_id"])
    # October's card carries over into November with its points
    assert members(nov)[big]["points_open"] == 581 and members(nov)[big]["status"] == "active"


def test_same_inputs_same_result(policy, sample_months):
    oct_, *_ , oct_in, _ = sample_months
    again, _ = run(policy, "2026-10", oct_in)
    for name in ("purchases", "cards", "points", "members", "points_out", "tasks", "discount_audit"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(oct_, name))
