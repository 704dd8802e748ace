"""Round 19: payroll's fixed pay shares the inputs and reasons that depend only on a role or on the
(scheduled days, workdays) pair; order bonus and commission find each order's agent from the
close's staff codes (`agent_codes`, `_paid(staff=…)`); the audit's QA auditors and marks read only
the columns they use, and the special-price refunds compare by numpy (`equal_cells`). Each is held
to its old form, kept here, on odd data (blanks, NaN/None/pd.NA, hostile text, duplicates,
Decimal amounts cents cannot hold)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.audit import exceptions, qa
from csbatch.audit.kit import mean, table, team_key, text
from csbatch.blanks import is_blank
from csbatch.errors import Source
from csbatch.i18n import N_
from csbatch.money import half_up
from csbatch.payroll import fixed as fixed_pay
from csbatch.payroll import orders
from csbatch.payroll.lines import (
    InputRows,
    OrderPay,
    PayContext,
    PayInput,
    PayLine,
    prorated,
    proration_reason,
    schedule_input,
    yuan,
)
from csbatch.policy.pay import FixedAmount
from csbatch.scoring.measures_kit import Period

# --- payroll: fixed pay --------------------------------------------------------------------------


class _Ctx(PayContext):
    """A PayContext whose roster places are made up (no inputs are read)."""

    def roster_cell(self, employee_id: Any, column: str) -> Source | None:
        return Source("roster.xlsx", sheet="S", cell=f"{column[:1].upper()}{len(str(employee_id))}")


def _ctx(policy: Any, people: pd.DataFrame) -> PayContext:
    return _Ctx(period=Period.of("2026-10"), policy=policy, inputs=None, attendance=None,   # type: ignore[arg-type]
                measured=None, scores=None, history=None, people=people)    # type: ignore[arg-type]


def _old_fixed(code: str, component: FixedAmount, ctx: PayContext) -> list[PayLine]:
    """`fixed` before round 19: every input and reason made per employee."""
    column = component.roster_column
    out = []
    for emp, person in ctx.persons(component.roles):
        own = person.get(column) if column else None
        if own is None or is_blank(own):
            amount, given_ = component.amount, PayInput.of(N_("{amount} a month for role {role}"),
                                                            component.place_of("amount"), amount=yuan(component.amount),
                                                            role=ctx.role_name(person.role))
        else:
            amount = Decimal(own)
            given_ = PayInput.of(N_("roster {column} {amount}"), ctx.roster_cell(emp, str(column)),
                                 column=ctx.roster_header(str(column)), amount=yuan(amount))
        if amount == 0:
            continue
        out.append(ctx.line(emp, code, prorated(amount, person), proration_reason(person),
                            (given_, schedule_input(person))))
    return out


def _old_base_pay(code: str, ctx: PayContext) -> list[PayLine]:
    out = []
    for emp, person in ctx.persons():
        if is_blank(person.base_salary):
            continue
        base = PayInput.of(fixed_pay.BASE_SALARY, ctx.roster_cell(emp, "base_salary"),
                           amount=yuan(Decimal(person.base_salary)))
        out.append(ctx.line(emp, code, prorated(Decimal(person.base_salary), person),
                            proration_reason(person), (base, schedule_input(person))))
    return out


def _people(roles: list[Any]) -> pd.DataFrame:
    n = len(roles)
    days = [21, 10, 21, 0, 22, 10, 21, 3][:n] + [21] * max(0, n - 8)
    return pd.DataFrame({
        "name": [f"N{i}" for i in range(n)],
        "role": roles,
        "team_lead": [i % 3 == 0 for i in range(n)],
        "base_salary": [Decimal("5000"), None, Decimal("4321.005"), np.nan, Decimal("1E+25"), Decimal("0"),
                        Decimal("3000.10"), Decimal("12")][:n] + [Decimal("100")] * max(0, n - 8),
        "subsidy": [None, Decimal("150"), np.nan, Decimal("0"), pd.NA, Decimal("99.999"), None, Decimal("200.00")][:n]
        + [None] * max(0, n - 8),
        "scheduled_days": days,
        "month_workdays": [21, 21, 21, 21, 22, 0, 21, 21][:n] + [21] * max(0, n - 8),
        "absent_days": [Decimal(0)] * n,
        "unpaid_leave_days": [Decimal(0)] * n,
    }, index=pd.Index([f"E{i}" if i != 5 else "<b>E&5</b>" for i in range(n)], name="employee_id"))


def _same_lines(new: list[PayLine], old: list[PayLine]) -> None:
    assert len(new) == len(old)
    for a, b in zip(new, old):
        assert (a, a.amount.as_tuple(), str(a.reason)) == (b, b.amount.as_tuple(), str(b.reason))
        assert tuple(a.inputs) == tuple(b.inputs)
        assert [p.text_in("zh") for p in a.inputs] == [p.text_in("zh") for p in b.inputs]
        assert getattr(a.reason, "text", str)("zh") == getattr(b.reason, "text", str)("zh")


@pytest.mark.parametrize("roles", [
    ["clerk", "after_sales", "clerk", "clerk", "no_such_role", "after_sales", None, "clerk"],
    ["clerk"] * 12,
    [],
])
def test_fixed_and_base_pay_share_inputs_as_made_per_employee(policy, roles):
    component = policy.pay.components["subsidy"]
    people = _people(roles)
    new_ctx, old_ctx = _ctx(policy, people), _ctx(policy, people)
    _same_lines(fixed_pay.fixed("subsidy", component, new_ctx), _old_fixed("subsidy", component, old_ctx))
    _same_lines(fixed_pay.base_pay("base_pay", policy.pay.components["base_pay"], new_ctx),
                _old_base_pay("base_pay", old_ctx))
    no_column = component.model_copy(update={"roster_column": None})
    _same_lines(fixed_pay.fixed("subsidy", no_column, new_ctx), _old_fixed("subsidy", no_column, old_ctx))


def test_schedule_is_made_once_per_pair_and_as_before(policy):
    ctx = _ctx(policy, _people(["clerk"] * 8))
    persons = ctx.persons()
    for _, person in persons:
        made, why = ctx.schedule(person)
        assert made == schedule_input(person) and made.text_in("zh") == schedule_input(person).text_in("zh")
        assert str(why) == str(proration_reason(person))
        assert type(why) is type(proration_reason(person))
    # the same pair, the same objects
    assert ctx.schedule(persons[0][1])[0] is ctx.schedule(persons[2][1])[0]


# --- payroll: the agents from the close's staff codes -------------------------------------------

_IDS = st.sampled_from(["E1", "E2", "e1", "E1 ", "Σ<x>", "'; DROP", "0", "00"])
_PAYS = st.sampled_from(["0", "0.00", "-0", "1.5", "1.50", "-2", "1E+3", "0.0000001",
                         "123456789012345678901234567.8"]).map(Decimal)


class _PayCtx:
    def __init__(self) -> None:
        self.order_pay = OrderPay()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_IDS, st.integers(0, 10), st.booleans()), max_size=40),
       st.lists(_PAYS, min_size=1, max_size=5))
def test_paid_with_staff_codes_as_with_its_own_factorize(rows, distinct):
    everyone = pd.Series([e for e, _, _ in rows], dtype=object)
    staff = orders.staff_codes(everyone)
    mine = np.array([keep for _, _, keep in rows], dtype=bool)
    counted = orders.Counted(pd.DataFrame({"employee_id": everyone}), np.flatnonzero(mine), np.flatnonzero(mine),
                             None)   # type: ignore[arg-type]
    ctx: Any = type("C", (), {"counted_staff": staff})()
    emps = [e for (e, _, _), keep in zip(rows, mine) if keep]
    coded = orders.agent_codes(counted, ctx)
    assert coded is not None
    old_codes, old_agents = pd.factorize(np.asarray(emps, dtype=object))
    assert coded[0].tolist() == old_codes.tolist() and coded[1].tolist() == old_agents.tolist()
    amounts = [distinct[k % len(distinct)] for (_, k, _), keep in zip(rows, mine) if keep]
    pay_codes, pay_table = orders.coded_per_distinct(lambda a: a, np.zeros(len(amounts), dtype=np.int64), [()],
                                                     amounts)
    pays = pay_table[pay_codes].tolist() if len(pay_codes) else []
    ids = [f"O{i}" for i in range(len(emps))]
    inputs = InputRows("{x}", [None] * len(emps), lambda i: {"x": i})
    new_ctx, old_ctx = _PayCtx(), _PayCtx()
    new, new_given = orders._paid("c", new_ctx, ids, emps, pays, inputs, (pay_codes, pay_table),   # type: ignore[arg-type]
                                  coded)
    old, old_given = orders._paid("c", old_ctx, ids, emps, pays, inputs, (pay_codes, pay_table))   # type: ignore[arg-type]
    assert list(new) == list(old)
    assert [(str(v), v.as_tuple()) for v in new.values()] == [(str(v), v.as_tuple()) for v in old.values()]
    assert {e: r._at.tolist() for e, r in new_given.items()} == {e: r._at.tolist() for e, r in old_given.items()}
    assert vars(new_ctx.order_pay) == vars(old_ctx.order_pay)


@pytest.mark.parametrize("blank", [None, np.nan, pd.NA])
def test_agent_codes_leave_blank_agents_to_the_old_factorize(blank):
    everyone = pd.Series(["E1", blank, "E2", "E1"], dtype=object)
    counted = orders.Counted(pd.DataFrame({"employee_id": everyone}), np.arange(4), np.arange(4),
                             None)   # type: ignore[arg-type]
    ctx: Any = type("C", (), {"counted_staff": orders.staff_codes(everyone)})()
    assert orders.agent_codes(counted, ctx) is None
    assert orders.agent_codes(counted.where(np.array([True, False, True, True])), ctx) is not None
    ctx.counted_staff = None
    assert orders.agent_codes(counted, ctx) is None


# --- audit: QA auditors and marks; special-price refunds ----------------------------------------

def _old_auditors(scored: pd.DataFrame, overall: Decimal | None) -> pd.DataFrame:
    of_auditor = qa._positions(text(a) for a in scored["auditor"])
    rows = []
    for auditor in sorted(of_auditor, key=team_key):
        mine = scored.iloc[of_auditor[auditor]]
        score = mean(mine["score"].tolist())
        rows.append({"auditor": auditor, "audits": len(mine), "agents": int(mine["employee_id"].nunique()),
                     "mean_score": score,
                     "difference": None if score is None or overall is None else half_up(score - overall)})
    return table(rows, ["auditor", "audits", "agents", "mean_score", "difference"], ("audits", "agents"))


def _old_marks(scored: pd.DataFrame, sheet: pd.DataFrame, codes: list[str]) -> list[dict[str, Decimal | None]]:
    index = {qa._provenance(row): row for row in sheet.to_dict("records")}
    out = []
    for row in scored.to_dict("records"):
        source = index.get(qa._provenance(row), {})
        out.append({code: qa._mark(source.get(code)) for code in codes})
    return out


def _audits(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    pick = lambda *values: pd.Series(rng.choice(np.array(values, dtype=object), n), dtype=object)  # noqa: E731
    return pd.DataFrame({
        "audit_id": pick("A1", "A2", "A2", None, 17, "<i>A</i>"),
        "employee_id": pick("E1", "E2", None, np.nan, "E1 ", 3),
        "auditor": pick("Q1", "Q2", None, "q1", "Σ"),
        "score": pick(Decimal("90.5"), Decimal("90.50"), None, Decimal("1E+25"), 88, Decimal("-0")),
        "s1": pick(Decimal(1), None, 2),
        "i1": pick(Decimal(1), Decimal(0), None, np.nan, True, "x", 3),
        "i2": pick(Decimal("0.5"), None, np.int64(2)),
        "_file": pick("a.xlsx", "b.xlsx", None),
        "_sheet": pick("S", None),
        "_row": rng.integers(1, 6, n),
    }, index=rng.integers(0, 4, n))


@pytest.mark.parametrize("seed", range(8))
def test_qa_auditors_and_marks_as_before(seed):
    scored, sheet = _audits(60, seed), _audits(80, seed + 100)
    for overall in (None, Decimal("89.125")):
        pd.testing.assert_frame_equal(qa._auditors(scored, overall), _old_auditors(scored, overall))
        pd.testing.assert_frame_equal(qa._auditors(scored.iloc[0:0], overall),
                                      _old_auditors(scored.iloc[0:0], overall))
    codes = ["i1", "i2", "i3"]          # i3: a code the sheet lacks
    new, old = qa._marks(scored, sheet, codes), _old_marks(scored, sheet, codes)
    assert [[(k, repr(v)) for k, v in m.items()] for m in new] == [[(k, repr(v)) for k, v in m.items()] for m in old]
    no_place = sheet.drop(columns=["_sheet", "audit_id"])
    assert qa._marks(scored, no_place, codes) == _old_marks(scored, no_place, codes)


def _old_refunded_special(sales: pd.DataFrame) -> pd.DataFrame:
    rows = sales[sales["category"] == exceptions.SPECIAL_PRICE]
    return rows[rows["status"] == exceptions.REFUNDED]


@pytest.mark.parametrize("seed", range(6))
def test_refunded_special_rows_as_before(seed):
    rng = np.random.default_rng(seed)
    n = 200
    pick = lambda *values: pd.Series(rng.choice(np.array(values, dtype=object), n), dtype=object)  # noqa: E731
    sales = pd.DataFrame({"order_id": pick("O1", "O1", None, "<x>"),
                          "category": pick("special_price", "regular", None, np.nan, "special_price "),
                          "status": pick("refunded", "paid", None, np.nan, "REFUNDED"),
                          "amount": pick(Decimal("1E+25"), Decimal("0.005"), None)},
                         index=rng.integers(0, 3, n))     # duplicate labels
    pd.testing.assert_frame_equal(exceptions._refunded_special(sales), _old_refunded_special(sales))
    with_na = sales.copy()
    with_na.loc[with_na.index[:3], "status"] = pd.NA           # cells numpy cannot compare: pandas does
    with_na["category"] = with_na["category"].where(rng.random(n) < 0.9, pd.NA)
    pd.testing.assert_frame_equal(exceptions._refunded_special(with_na), _old_refunded_special(with_na))
    typed = sales.astype({"category": "string", "status": "string"})
    pd.testing.assert_frame_equal(exceptions._refunded_special(typed), _old_refunded_special(typed))
    pd.testing.assert_frame_equal(exceptions._refunded_special(sales.iloc[0:0]),
                                  _old_refunded_special(sales.iloc[0:0]))
