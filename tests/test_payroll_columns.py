"""Payroll's column-wise paths held to the per-value ones on odd values (issue 14, round 10)."""

from __future__ import annotations

import random
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, cast

import numpy as np
import pandas as pd

from csbatch.payroll.compute import _text_ranks
from csbatch.payroll.lines import ZERO, InputRows, OrderPay
from csbatch.payroll.orders import _paid


def test_distinct_text_ranks_are_the_hashed_ones() -> None:
    rng = random.Random(10)
    pool = ["O1", "O10", "O2", "O2 ", "é", "a", "ab", "a b", "Z", "b\0c", "中", "", "𝒳", "MD2610000001"]
    cases: list[list[object]] = [
        [rng.choice(pool) for _ in range(3000)],
        [f"MD{n:011d}" for n in rng.sample(range(10**6), 2000)],
        [f"WD{n}" for n in range(500)] + [f"MD{n}" for n in range(500, 0, -1)] + ["MD7"] * 3,
        ["only"], [], ["a", None], ["a\0", "b"], ["a", 1], ["a", np.nan],
    ]
    for texts in cases:
        hashed, sorted_once = _text_ranks(list(texts)), _text_ranks(list(texts), distinct=True)
        if hashed is None:
            assert sorted_once is None
            continue
        assert sorted_once is not None and sorted_once.dtype == np.intp
        assert np.array_equal(hashed, sorted_once), texts[:5]


def _old_paid(code: str, ctx: Any, orders: list[Any], emps: list[Any], pays: list[Decimal],
              inputs: InputRows) -> tuple[dict[str, Decimal], dict[str, Any]]:
    """`orders._paid` as it was before round 10 (object arrays and a take of each column)."""
    kept = np.flatnonzero(np.fromiter(map(bool, pays), dtype=bool, count=len(pays)))
    paid_emps = np.asarray(emps, dtype=object)[kept]
    ctx.order_pay.extend(code, np.asarray(orders, dtype=object)[kept].tolist(), paid_emps.tolist(),
                         [pays[i] for i in kept.tolist()])
    codes, agents = pd.factorize(paid_emps)
    by_agent = np.split(kept[np.argsort(codes, kind="stable")], np.cumsum(np.bincount(codes))[:-1]) \
        if len(kept) else []
    sums = [ZERO] * len(agents)
    for at, pay in zip(codes.tolist(), map(pays.__getitem__, kept.tolist())):
        sums[at] += pay
    return dict(zip(agents, sums)), {emp: inputs.of(at) for emp, at in zip(agents, by_agent)}


def test_paid_is_the_object_array_take() -> None:
    rng = random.Random(11)
    pool = [Decimal("0"), Decimal("-0"), Decimal("0.000"), Decimal("1.851750"), Decimal("-3.5"), Decimal("1E+2"),
            Decimal("0.1"), Decimal("12.34500"), Decimal("-0.00"), Decimal("7")]
    people = ["E1", "E10", "E2", "中", "E 3"]
    rows = InputRows("t", [], lambda i: {})
    cases = [(0, pool), (1, pool), (2, [Decimal(0)]), (500, [Decimal(0)]), (3000, pool), (3000, pool[3:8])]
    for n, values in cases:
        orders = [f"MD{rng.randrange(10**6)}" for _ in range(n)]
        emps = [rng.choice(people) for _ in range(n)]
        pays = [rng.choice(values) for _ in range(n)]
        old_ctx, new_ctx = SimpleNamespace(order_pay=OrderPay()), SimpleNamespace(order_pay=OrderPay())
        old_sums, old_given = _old_paid("c", old_ctx, orders, emps, pays, rows)
        new_sums, new_given = _paid("c", cast(Any, new_ctx), orders, emps, pays, rows)
        assert [(k, str(v)) for k, v in new_sums.items()] == [(k, str(v)) for k, v in old_sums.items()]
        assert list(new_given) == list(old_given)
        assert all(np.array_equal(new_given[k]._at, old_given[k]._at) for k in old_given)
        for column in ("order_id", "employee_id", "component", "amount"):
            assert [str(v) for v in getattr(new_ctx.order_pay, column)] == \
                [str(v) for v in getattr(old_ctx.order_pay, column)]
