"""The per-order inputs of order bonus and commission (`payroll.lines.RowInputs`): kept as row
positions and worded when read, they read exactly like the tuple of `PayInput`s a pay line had
when each order's input was made at once (what `csbatch explain --pay` lists)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from csbatch.calendar import WorkCalendar
from csbatch.payroll.lines import PayInput, RowInputs
from test_payroll import History, lines_of, person, run

D = Decimal
ORDER_BONUS = "order {order} {amount} × {rate} × {channel} share {share} = {pay}"
COMMISSION = "order {order} {amount} × {rate} × production share {share} = {pay}"


@pytest.fixture(scope="module")
def calendar(policy):
    built, issues = WorkCalendar.build(policy.calendar, policy.schedule, {2026})
    assert built is not None, issues
    return built


def said(inputs) -> list[tuple[str, str | None, tuple]]:
    return [(i.text, None if i.place is None else str(i.place), i.params) for i in inputs]


def test_order_bonus_inputs_read_like_the_tuple_they_stand_for(policy, calendar):
    sales = [{"order_id": "A1", "order_date": "2026-10-12", "employee_id": "1001", "amount": "10000",
              "channel": "phone_direct"},
             {"order_id": "A9", "order_date": "2026-10-12", "employee_id": "1002", "amount": "50",
              "channel": "phone_direct"},
             {"order_id": "A2", "order_date": "2026-10-13", "employee_id": "1001", "amount": "6517",
              "channel": "invitation_sales", "sales_rep_id": "XS101"}]
    result, _, _ = run(policy, calendar, [person("1001"), person("1002")], sales=sales)
    [line] = lines_of(result, "1001", "order_bonus")
    assert isinstance(line.inputs, RowInputs) and len(line.inputs) == 2
    expected = (
        PayInput.of(ORDER_BONUS, line.inputs[0].place, order="A1", amount="¥10,000.00", rate="1%",
                    channel="phone_direct", share="100%", pay="¥100.00"),
        PayInput.of(ORDER_BONUS, line.inputs[1].place, order="A2", amount="¥6,517.00", rate="1%",
                    channel="invitation_sales", share="50%", pay="¥32.585"))
    assert tuple(line.inputs) == expected
    assert [str(i.place) for i in line.inputs] == ["销售订单.xlsx[sales]!row 2", "销售订单.xlsx[sales]!row 4"]
    assert line.inputs[-1] == expected[-1] and line.inputs[:1] == expected[:1] and line.inputs[5:] == ()
    assert expected[1] in line.inputs and list(reversed(line.inputs)) == list(reversed(expected))
    assert line.inputs[1].text_in("en") == "order A2 ¥6,517.00 × 1% × invitation_sales share 50% = ¥32.585"
    [other] = lines_of(result, "1002", "order_bonus")
    assert said(other.inputs) == [("order A9 ¥50.00 × 1% × phone_direct share 100% = ¥0.50",
                                   "销售订单.xlsx[sales]!row 3", other.inputs[0].params)]


def test_commission_inputs_name_each_paid_order_in_file_order(policy, calendar):
    people = [person("1001", role="comprehensive_cs"), person("1002", role="ecommerce_cs")]
    sales = [{"order_id": f"S{i}", "order_date": "2026-10-15", "employee_id": emp, "amount": amount}
             for i, (emp, amount) in enumerate([("1001", "10000"), ("1002", "8000"), ("1001", "2345.67"),
                                                ("1001", "0")])]
    result, _, _ = run(policy, calendar, people, sales=sales)
    [line] = lines_of(result, "1001", "commission")
    assert [i.text for i in line.inputs] == [
        "order S0 ¥10,000.00 × 2% × production share 100% = ¥200.00",
        "order S2 ¥2,345.67 × 2% × production share 100% = ¥46.9134"]     # S3 pays nothing: not listed
    assert [i.template for i in line.inputs] == [COMMISSION, COMMISSION]
    assert line.amount == D("246.91") and "RowInputs(2 × " in repr(line.inputs)


def test_a_reversal_names_the_status_cell_of_the_refund(policy, calendar):
    sales = [{"order_id": "R0", "order_date": "2026-10-02", "employee_id": "1001", "amount": "100"},
             {"order_id": "R1", "order_date": "2026-09-20", "employee_id": "1009", "amount": "100",
              "status": "refunded"}]
    history = History([("R1", "2026-09", "1009", "commission", "2.00")])
    _, issues, _ = run(policy, calendar, [person("1001")], sales=sales, history=history)
    assert [(i.code, str(i.source)) for i in issues] == [("payroll.reversal_not_employed",
                                                          "销售订单.xlsx[sales]!row 3")]
