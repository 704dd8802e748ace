"""The VIP programme (docs/policy.md#vip): cards, tiers, the points ledger, vouchers, greetings,
maintenance reminders, the discount audit and member statements.

The month's VIP stage is a pure function (`csbatch.vip.programme.run_vip`) over the month's
inputs and the programme's history from the ledger (`VipHistory`); it returns what the ledger
must append and what the outputs print (`VipResult`). Shapes are in `csbatch.vip.model`.
"""
