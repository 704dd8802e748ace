"""Pay from the month's records (docs/policy.md#pay): award cash from the recognitions sheet, complaint
losses from the complaint register, and the one-off lines of the adjustments sheet."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from csbatch.blanks import is_blank
from csbatch.errors import Issue
from csbatch.i18n import N_
from csbatch.money import ZERO
from csbatch.payroll.lines import ADJUSTMENT, PayContext, PayInput, PayLine, yuan
from csbatch.policy.pay import Awards, LossDeduction
from csbatch.rules.reasons import Reason
from csbatch.sheets.period import counted


def awards(code: str, component: Awards, ctx: PayContext) -> list[PayLine]:
    """Σ cash of the recognitions dated in the period whose kind the component prices; the reason
    names them (服务之星; 月度优秀员工)."""
    rec = ctx.frame("recognitions")
    rec = rec[counted(rec, ctx.policy.inputs.kinds.get("recognitions"), ctx.period.code)
              & rec["kind"].isin(list(component.amounts)).to_numpy(dtype=bool)]
    rec = rec.sort_values(["date", "_file", "_row"], kind="stable")
    cash: dict[str, Decimal] = {}
    names: dict[str, list[str]] = {}
    inputs: dict[str, list[PayInput]] = {}
    for emp, kind, place in zip(rec["employee_id"], rec["kind"], range(len(rec))):
        if emp not in ctx.people.index:
            continue
        cash[emp] = cash.get(emp, ZERO) + component.amounts[kind]
        known = ctx.policy.recognitions.get(kind)
        names.setdefault(emp, []).append(known.name if known is not None else kind)
        inputs.setdefault(emp, []).append(PayInput.of(N_("recognition {name} {amount}"),
                                                      ctx.cell(rec.iloc[place], "kind"), name=names[emp][-1],
                                                      amount=yuan(component.amounts[kind])))
    return [ctx.line(emp, code, cash[emp], Reason.join(names[emp]), inputs[emp])
            for emp in ctx.people.index if cash.get(emp)]


def loss_deduction(code: str, component: LossDeduction, ctx: PayContext) -> list[PayLine]:
    """− Σ loss amount of the complaints received in the period that are our fault (a blank
    our_fault is the column's default: ours), per responsible employee. A loss on a complaint
    received in another month (kept in the register because it was resolved in this one) is left
    out with a warning: it is deducted in the month it was received."""
    comp = ctx.frame("complaints")
    ours = comp["our_fault"].astype("boolean").fillna(True).to_numpy(dtype=bool)
    with_loss = ours & comp["loss_amount"].map(lambda v: not is_blank(v) and v != 0).to_numpy(dtype=bool) \
        & comp["employee_id"].notna().to_numpy(dtype=bool)
    inside = counted(comp, ctx.policy.inputs.kinds.get("complaints"), ctx.period.code)
    for _, row in comp[with_loss & ~inside].iterrows():
        ctx.issues.append(Issue.warn(ctx.cell(row, "loss_amount"), "payroll.loss_outside_period",
                                     N_("complaint {complaint} was not received in {period}: its loss is not "
                                        "deducted this month"), complaint=row["complaint_id"], period=ctx.period.code))
    rows = comp[with_loss & inside].sort_values(["received_at", "_file", "_row"], kind="stable")
    loss: dict[str, Decimal] = {}
    ids: dict[str, list[str]] = {}
    inputs: dict[str, list[PayInput]] = {}
    for emp, cid, amount, place in zip(rows["employee_id"], rows["complaint_id"], rows["loss_amount"],
                                       range(len(rows))):
        if emp not in ctx.people.index:
            continue
        loss[emp] = loss.get(emp, ZERO) + Decimal(amount)
        ids.setdefault(emp, []).append(str(cid))
        inputs.setdefault(emp, []).append(PayInput.of(N_("complaint {complaint} loss {amount}"),
                                                      ctx.cell(rows.iloc[place], "loss_amount"), complaint=cid,
                                                      amount=yuan(Decimal(amount))))
    return [ctx.line(emp, code, -loss[emp], Reason.of("complaints", ids=", ".join(ids[emp])), inputs[emp])
            for emp in ctx.people.index if loss.get(emp)]


def adjustments(ctx: PayContext) -> list[PayLine]:
    """One line per row of the adjustments sheet, on its component, with its reason. A `manual`
    component's sign is enforced (a zero amount breaks no sign); a row for someone not on this
    month's payroll, or breaking the sign, is an error naming the cell."""
    rows = ctx.frame("adjustments").sort_values(["_file", "_row"], kind="stable")
    components = ctx.policy.pay.components
    out = []
    for _, row in rows.iterrows():
        emp, code, amount = row["employee_id"], row["component"], row["amount"]
        if is_blank(emp) or is_blank(code) or is_blank(amount):
            continue            # intake reports the blank required cell
        if code not in components:
            ctx.issues.append(Issue.of(ctx.cell(row, "component"), "payroll.adjustment_component",
                                       N_("'{component}' is not a pay component of pay.yaml"), component=code))
            continue
        if emp not in ctx.people.index:
            ctx.issues.append(Issue.of(ctx.cell(row, "employee_id"), "payroll.adjustment_not_employed",
                                       N_("adjustment for {employee}, who is not employed in {period}: no payroll "
                                          "row to put it on"), employee=emp, period=ctx.period.code))
            continue
        sign = getattr(components[code], "sign", "any")
        if (sign == "positive" and amount < 0) or (sign == "negative" and amount > 0):
            ctx.issues.append(Issue.of(ctx.cell(row, "amount"), "payroll.adjustment_sign",
                                       N_("adjustment {amount} on '{component}' for {employee}: pay.yaml allows "
                                          "only {sign} amounts on this component"),
                                       amount=amount, component=code, employee=emp, sign=sign))
            continue
        reason = "" if is_blank(row["reason"]) else str(row["reason"]).strip()
        given = (PayInput.of(N_("adjustment {amount}: {reason}"), ctx.cell(row, "amount"),
                             amount=yuan(Decimal(amount)), reason=reason) if reason else
                 PayInput.of(N_("adjustment {amount}"), ctx.cell(row, "amount"), amount=yuan(Decimal(amount))))
        line = ctx.line(emp, code, Decimal(amount), reason, (given,))
        out.append(replace(line, origin=ADJUSTMENT))
    return out
