"""Round 14: commission finds its agents by one factorize and sums each agent's per-order pays
as integers (`orders.exact_sums`); checked through `compute_payroll` against the old forms
written out here: each order's pay is rate × amount × production share, digits and all, and
each agent's line is the Decimal sum of those pays in row order, rounded once."""

from __future__ import annotations

from decimal import Decimal

from csbatch.money import to_cents
from test_payroll import PERIOD, calendar, person, run  # noqa: F401  (calendar: the fixture)

AMOUNTS = ["48.3", "48.30", "0.001", "123456789.123", "1E+3", "0", "-20.5", "7", "48.3", "99.995"]


def test_commission_per_order_and_per_agent_as_the_old_forms(policy, calendar):  # noqa: F811
    people = [person("1001", role="comprehensive_cs"), person("1002", role="ecommerce_cs"),
              person("1003", role="ecommerce_cs"), person("1004", role="ecommerce_cs")]
    agents = ["1003", "1001", "1002", "1003", "1001", "1004", "1001", "1002", "1003", "1001"]
    sales = [{"order_id": f"S{i:02d}", "order_date": "2026-10-15", "employee_id": emp, "amount": amount}
             for i, (emp, amount) in enumerate(zip(agents * 3, AMOUNTS * 3))]
    production = [
        {"employee_id": "1002", "period": PERIOD, "reported_sales": "1", "submitted_at": "2026-11-01 10:00"},
        {"employee_id": "1003", "period": PERIOD, "reported_sales": "99999999999", "submitted_at": "2026-11-01 10:00"},
        {"employee_id": "1004", "period": PERIOD, "reported_sales": "5000", "submitted_at": "2026-11-03 09:00"},
    ]
    result, issues, measured = run(policy, calendar, people, sales=sales, production=production)
    assert not [i for i in issues if i.is_error]
    rates = policy.pay.components["commission"].rates
    role = {p["employee_id"]: p["role"] for p in people}
    values = measured.values
    share = {emp: (values.at[emp, "counted_sales"] / values.at[emp, "actual_sales"]
                   if values.at[emp, "actual_sales"] else Decimal(1)) for emp in role}
    paid = result.order_pay[result.order_pay["component"] == "commission"]
    expected: dict[str, Decimal] = {}
    for order, emp, amount in zip(paid["order_id"], paid["employee_id"], paid["amount"]):
        i = int(order[1:])
        exact = rates[role[emp]] * Decimal(AMOUNTS[i % len(AMOUNTS)]) * share[emp]
        assert repr(amount) == repr(exact), order
    for row in sales:          # the loop's sum, in file order, of the pays that are not zero
        emp = row["employee_id"]
        pay = rates[role[emp]] * Decimal(row["amount"]) * share[emp]
        if pay:
            expected[emp] = expected.get(emp, Decimal(0)) + pay
    lines = {line.employee_id: line.amount for line in result.lines if line.component == "commission"}
    assert lines == {emp: to_cents(total) for emp, total in expected.items()
                     if total != 0}
    assert {repr(a) for a in lines.values()} == {repr(to_cents(total))
                                                for total in expected.values() if total != 0}
