"""Round 16: a sheet's row marks set by position (`intake._marked`) and the roster's base-pay check
without `iterrows`, each compared with the form it replaces (kept here)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csbatch.sheets import intake

_FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FAST
@given(start=st.integers(0, 5), n=st.integers(0, 30),
       rows=st.lists(st.integers(-3, 40), max_size=8), as_index=st.booleans())
def test_marked_same_as_isin(start: int, n: int, rows: list[int], as_index: bool) -> None:
    index = pd.RangeIndex(start, start + n)
    values = pd.Index(rows, dtype="int64") if as_index else rows
    assert intake._marked(index, values).tolist() == index.isin(values).tolist()   # the old form
    other = pd.Index(list(range(start, start + 2 * n, 2)), dtype="int64")   # not a RangeIndex of step 1
    assert intake._marked(other, values).tolist() == other.isin(values).tolist()


def _old_roster_base_pay(inputs, policy):   # the loop `check_roster_ranges` had (base pay part)
    from csbatch.errors import Issue
    from csbatch.i18n import N_

    out = []
    for _, row in inputs.frames["roster"].iterrows():
        role = policy.roles.get(row["role"])
        base = row["base_salary"]
        if role is None or role.base_pay is None or base is None:
            continue
        if not (role.base_pay.min <= base <= role.base_pay.max):
            out.append(Issue.warn(inputs.cell(row, "base_salary"), "roster.base_pay_range",
                                  N_("base pay {base} of {employee} is outside the {role} range {low}–{high}"),
                                  base=base, employee=row["employee_id"], role=role.name,
                                  low=role.base_pay.min, high=role.base_pay.max))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(
    st.sampled_from(["consulting_cs", "supervisor", "clerk", "no_such_role", "", None]),
    st.one_of(st.none(), st.just(Decimal("2000")), st.just(Decimal("2500.00")), st.just(Decimal("1999.99")),
              st.just(Decimal("2500.01")), st.just(Decimal("1E+40")), st.decimals(allow_nan=False,
                                                                                   allow_infinity=False,
                                                                                   places=2)),
    st.sampled_from(["E001", "<b>x</b>", "工号\u200b", "E001"])), min_size=1, max_size=12))
def test_roster_base_pay_same_as_old_loop(policy, rows) -> None:
    from csbatch.sheets.crosscheck import check_roster_ranges
    from csbatch.sheets.month_inputs import Inputs

    n = len(rows)
    frame = pd.DataFrame({
        "employee_id": pd.Series([r[2] for r in rows], dtype=object),
        "role": pd.Series([r[0] for r in rows], dtype=object),
        "base_salary": pd.Series([r[1] for r in rows], dtype=object),
        "hire_date": pd.Series([pd.Timestamp("2020-01-01")] * n),
        "leave_date": pd.Series([pd.NaT] * n, dtype="datetime64[ns]"),
        "_file": ["员工名册.xlsx"] * n, "_sheet": ["名册"] * n, "_row": pd.Series(range(2, n + 2), dtype="int64")})
    inputs = Inputs("2026-10", {"roster": frame}, [], {("员工名册.xlsx", "名册"): {"base_salary": "D"}})
    new = [i for i in check_roster_ranges(inputs, policy, True) if i.code == "roster.base_pay_range"]
    old = _old_roster_base_pay(inputs, policy)
    assert new == old
