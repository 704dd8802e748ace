"""Pay: the components of the payroll bonus sheet (docs/policy.md#pay) as exact Decimal lines.

Interface between the pay computation and the rest of the close:

    compute_payroll(period, policy, inputs, attendance, measured, scores, history)
        -> (PayrollResult, issues)

    history: anything with (`payroll.lines.PaidOrders`; None: no ledger, nothing to reverse)
        paid_orders(order_ids: Collection[str]) -> pd.DataFrame
            columns order_id, period, employee_id, component, amount (Decimal, exact)
            — the per-order pay lines of orders paid in CLOSED months (from the ledger), so a
            refund reported this month can be reversed without touching the closed month.
        grade(employee_id: str, period: str) -> str | None   (used by scorecards, not pay)

    PayrollResult (see payroll.compute): lines, payroll, components, order_splits, order_pay
"""
