"""`csbatch what-if`: what a closed month would have paid under another policy.

Both sides are recomputed with the close's own stages from the same kept inputs and the same
history (the ledger as it stood when the month closed, `HistoryBefore`): "before" under the
policy the close used, "after" under the other one. So the difference is the policy change and
nothing else — not a fix since the close, not a later month's VIP cards. Nothing is written to the
ledger (the stages that compute never write; the ledger is only read). `reproduce` says whether
"before" is what the close recorded.

The comparison lists only what changed: per employee each pay component and the gross pay, the
score's total, grade and rank; per role the gross pay; per VIP member the tier, points and
voucher; per month the totals (and the months together, for the cost of a change over a quarter).
"""

from __future__ import annotations

import gc
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from csbatch.blanks import is_blank
from csbatch.calendar import check_period
from csbatch.closing.history import HistoryBefore
from csbatch.closing.runner import run_stages
from csbatch.closing.stages import STAGES
from csbatch.closing.state import CloseState, now
from csbatch.errors import Issue, Source
from csbatch.i18n import N_, Named, Said
from csbatch.ledger.kept import close_of, recorded_policy, restore_inputs, restore_policy
from csbatch.ledger.opening import open_ledger_checked
from csbatch.ledger.store import Ledger
from csbatch.memory import give_back
from csbatch.money import ZERO
from csbatch.policy import Policy
from csbatch.policy.diff import describe_changes
from csbatch.policy.revisions import policy_at
from csbatch.reports.whatif_report import ALL_MONTHS, MEMBERS, PAY, ROLES, SCORES, TOTALS, WhatIf
from csbatch.scoring.cards import ScoreResult
from csbatch.scratch import scratch_folder

GROSS = "gross_pay"
GROSS_NAME = Said(N_("gross pay"))


@dataclass(frozen=True)
class Month:
    """One closed month to recompute: its kept inputs and the policy folder its close used."""

    period: str
    inputs_dir: Path
    policy_dir: Path


@dataclass(frozen=True)
class Side:
    """What the comparison reads of a month recomputed under one policy, kept instead of the whole
    `Computed`: its inputs, per-order pay, attendance and audit went with it. Both sides whole,
    and every month's "before" kept for the rule changes, took a million-order month's what-if
    past 2 GiB, and a quarter's grew with each month."""
    policy: Policy
    payroll: pd.DataFrame       # one row per employee: each pay component and the gross pay
    scores: ScoreResult
    members: pd.DataFrame       # the VIP members


def recompute(period: str, inputs_dir: Path, policy_dir: Path, ledger: Ledger | None
              ) -> tuple[Side | None, list[Issue]]:
    """The month computed by the close's stages under the policy in `policy_dir`, on the ledger's
    history as the month saw it; nothing written. The rest of what the stages computed is freed
    (and its memory handed back) before the other side is computed."""
    state = CloseState(period=period, inputs_dir=Path(inputs_dir), out_dir=Path("."), config_dir=Path(policy_dir),
                       started_at=now(), ledger=ledger,
                       history_of=HistoryBefore(ledger, period) if ledger is not None else None)
    outcome = run_stages(STAGES, state)
    if not outcome.ok:
        return None, outcome.issues
    c = outcome.state.computed()
    side = Side(c.policy, c.payroll.payroll, c.scores, c.vip.members)
    issues = outcome.issues
    del c, outcome, state
    gc.collect()
    give_back()
    return side, issues


# --- comparing --------------------------------------------------------------------------------

def _money(value: Any) -> Decimal:
    return ZERO if is_blank(value) else Decimal(str(value))


def _pay(c: Side) -> dict[str, dict[str, Decimal]]:
    """employee → component (and gross_pay) → amount."""
    frame = c.payroll
    columns = [col for col in frame.columns if col not in ("employee_id", "name", "role")]
    return {str(row["employee_id"]): {col: _money(row[col]) for col in columns} for _, row in frame.iterrows()}


def _people(c: Side) -> dict[str, tuple[str, str]]:
    frame = c.payroll
    return {str(e): (str(n), str(r)) for e, n, r in zip(frame["employee_id"], frame["name"], frame["role"])}


def _named(code: str, entries: Sequence[Mapping[str, Any]]) -> str:
    """A code of the policy as its name: `业绩提成 (commission)` in English (the name the policy
    gives it, and the code the English reader knows), the name alone in the other languages."""
    for found in entries:
        if code in found:
            name = str(found[code].name)
            return Named(f"{name} ({code})", name)
    return code


def _component_name(code: str, before: Side, after: Side) -> str:
    if code == GROSS:
        return GROSS_NAME
    return _named(code, [c.policy.pay.components for c in (after, before)])


def _role_name(code: str, before: Side, after: Side) -> str:
    return _named(code, [c.policy.roles for c in (after, before)])


def _scorecard_name(code: str, before: Side, after: Side) -> str:
    return _named(code, [c.policy.scorecards for c in (after, before)])


def _programme_name(code: str, before: Side, after: Side) -> str:
    return _named(code, [c.policy.vip.programmes for c in (after, before)])


def _tier_name(programme: str, code: Any, before: Side, after: Side) -> Any:
    if is_blank(code):
        return code
    return _named(str(code), [c.policy.vip.programmes[programme].tiers for c in (after, before)
                              if programme in c.policy.vip.programmes])


def _scores(c: Side) -> dict[str, tuple[str, Decimal | None, str | None, int | None]]:
    return {s.member.employee_id: (code, s.total, s.grade, s.rank)
            for code, card in c.scores.cards.items() for s in card.members}


def _members(c: Side) -> dict[tuple[str, str], dict[str, Any]]:
    frame = c.members
    return {(str(row["customer_id"]), str(row["programme"])): dict(row) for _, row in frame.iterrows()}


def _points(value: Any) -> int | None:
    return None if is_blank(value) else int(value)


def _voucher(value: Any) -> Decimal | None:
    return None if is_blank(value) else Decimal(str(value))


def _minus(a: Any, b: Any) -> Any:
    return (a if a is not None else 0) - (b if b is not None else 0)


def compare(period: str, before: Side, after: Side) -> dict[str, list[dict[str, Any]]]:
    """The rows of each what-if table (`reports.whatif_report`) for one month: what changed."""
    pay_b, pay_a = _pay(before), _pay(after)
    people = {**_people(before), **_people(after)}
    pay_rows = []
    for emp in sorted(set(pay_b) | set(pay_a)):
        name, role = people[emp]
        lines_b, lines_a = pay_b.get(emp, {}), pay_a.get(emp, {})
        codes = [*lines_b, *(c for c in lines_a if c not in lines_b)]
        codes = [c for c in codes if c != GROSS] + [GROSS]
        for code in codes:
            b, a = lines_b.get(code, ZERO), lines_a.get(code, ZERO)
            if a != b:
                pay_rows.append({"period": period, "employee_id": emp, "name": name,
                                 "role": _role_name(role, before, after),
                                 "component": _component_name(code, before, after),
                                 "before": b, "after": a, "change": a - b})
    score_b, score_a = _scores(before), _scores(after)
    score_rows = []
    for emp in sorted(set(score_b) | set(score_a)):
        card_b, total_b, grade_b, rank_b = score_b.get(emp, (None, None, None, None))
        card_a, total_a, grade_a, rank_a = score_a.get(emp, (None, None, None, None))
        if (card_b, total_b, grade_b, rank_b) != (card_a, total_a, grade_a, rank_a):
            score_rows.append({"period": period, "employee_id": emp, "name": people.get(emp, ("", ""))[0],
                               "scorecard": _scorecard_name(str(card_a or card_b), before, after),
                               "total_before": total_b, "total_after": total_a,
                               "total_change": None if total_a is None or total_b is None else total_a - total_b,
                               "grade_before": grade_b, "grade_after": grade_a,
                               "rank_before": rank_b, "rank_after": rank_a})
    role_rows = []
    roles = sorted({role for _, role in people.values()})
    for role in roles:
        staff = [e for e, (_, r) in people.items() if r == role]
        b = sum((pay_b.get(e, {}).get(GROSS, ZERO) for e in staff), ZERO)
        a = sum((pay_a.get(e, {}).get(GROSS, ZERO) for e in staff), ZERO)
        if a != b:
            role_rows.append({"period": period, "role": _role_name(role, before, after), "employees": len(staff),
                              "before": b, "after": a, "change": a - b})
    mem_b, mem_a = _members(before), _members(after)
    member_rows = []
    for key in sorted(set(mem_b) | set(mem_a)):
        mb, ma = mem_b.get(key, {}), mem_a.get(key, {})
        tier = (mb.get("tier"), ma.get("tier"))
        points = (_points(mb.get("points_close")), _points(ma.get("points_close")))
        voucher = (_voucher(mb.get("voucher_value")), _voucher(ma.get("voucher_value")))
        if tier[0] != tier[1] or points[0] != points[1] or voucher[0] != voucher[1]:
            member_rows.append({"period": period, "customer_id": key[0], "name": (ma or mb).get("name"),
                                "programme": _programme_name(key[1], before, after),
                                "tier_before": _tier_name(key[1], tier[0], before, after),
                                "tier_after": _tier_name(key[1], tier[1], before, after),
                                "points_before": points[0], "points_after": points[1],
                                "points_change": _minus(points[1], points[0]),
                                "voucher_before": voucher[0], "voucher_after": voucher[1],
                                "voucher_change": _minus(voucher[1], voucher[0])})
    total_b = sum((lines.get(GROSS, ZERO) for lines in pay_b.values()), ZERO)
    total_a = sum((lines.get(GROSS, ZERO) for lines in pay_a.values()), ZERO)
    totals = [{"period": period, "pay_before": total_b, "pay_after": total_a, "pay_change": total_a - total_b,
               "employees_changed": len({r["employee_id"] for r in pay_rows}),
               "scores_changed": len(score_rows), "members_changed": len(member_rows)}]
    return {"pay": pay_rows, "scores": score_rows, "roles": role_rows, "members": member_rows, "totals": totals}


def _rules(months: Sequence[Month], befores: Sequence[Side], after: Side) -> list[str]:
    """The rule changes; prefixed with the month when the months were closed under different policies."""
    per_month = [describe_changes(b.policy, after.policy) for b in befores]
    if all(lines == per_month[0] for lines in per_month):
        return per_month[0]
    return [Said(N_("{period}: {change}"), period=m.period, change=line)
            for m, lines in zip(months, per_month) for line in lines]


def what_if(months: Sequence[Month], after_dir: Path, ledger: Ledger | None, before_label: str,
            after_label: str) -> tuple[WhatIf | None, list[Issue]]:
    """Each month recomputed under its close's policy and under `after_dir`'s, compared."""
    issues: list[Issue] = []
    befores: list[Side] = []
    tables: dict[str, list[dict[str, Any]]] = {"pay": [], "scores": [], "roles": [], "members": [], "totals": []}
    last_after: Side | None = None
    for month in months:
        before, found = recompute(month.period, month.inputs_dir, month.policy_dir, ledger)
        if before is None:
            return None, found
        after, more = recompute(month.period, month.inputs_dir, after_dir, ledger)
        issues += more          # the warnings of "before" were the close's own
        if after is None:
            return None, issues
        befores.append(before)
        last_after = after
        for name, rows in compare(month.period, before, after).items():
            tables[name] += rows
    if last_after is None:
        return None, issues
    totals = tables["totals"]
    if len(totals) > 1:
        totals.append({"period": ALL_MONTHS, **{k: sum((r[k] for r in totals), ZERO if k.startswith("pay") else 0)
                                                for k in TOTALS.names if k != "period"}})
    result = WhatIf(periods=[m.period for m in months], before=before_label, after=after_label,
                    rules=_rules(months, befores, last_after),
                    pay=pd.DataFrame(tables["pay"], columns=PAY.names),
                    scores=pd.DataFrame(tables["scores"], columns=SCORES.names),
                    roles=pd.DataFrame(tables["roles"], columns=ROLES.names),
                    members=pd.DataFrame(tables["members"], columns=MEMBERS.names),
                    totals=pd.DataFrame(totals, columns=TOTALS.names))
    return result, issues


# --- closed months, from the ledger -------------------------------------------------------------

def months_between(first: str, last: str) -> tuple[list[str], list[Issue]]:
    """`2026-07`, `2026-10` → the four months from July to October."""
    issues = check_period(first) + check_period(last)
    if issues:
        return [], issues
    if last < first:
        return [], [Issue.of(None, "what_if.months", N_("--to {last} is before --from {first}"),
                             last=last, first=first)]
    months, (year, month) = [], (int(first[:4]), int(first[5:]))
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months, []


def read_policy(config_dir: Path, policy: str, dest: Path) -> tuple[Path | None, str, list[Issue]]:
    """`--policy REV|DIR`: a folder as it is, else a git revision of the policy repository holding
    `config_dir`, written into `dest` without touching the work tree. Returns the folder and the
    policy in words."""
    if Path(policy).is_dir():
        return Path(policy), Said(N_("the policy folder {folder}"), folder=policy), []
    revision, issues = policy_at(Path(config_dir), policy, dest)
    if revision is None:
        return None, policy, issues
    return revision.folder, Said(N_("{revision} (commit {commit})"), revision=policy, commit=revision.commit[:12]), []


def _closed_policy(ledger: Ledger, period: str) -> str:
    revision = recorded_policy(ledger, period)
    if revision is None:
        return Said(N_("unknown"))
    return revision[:21] if revision.startswith("snapshot:") else Said(N_("commit {commit}"), commit=revision[:12])


def what_if_closed(periods: Sequence[str], policy: str, config_dir: Path, ledger_path: Path,
                   inputs_dir: Path | None = None, before: str | None = None) -> tuple[WhatIf | None, list[Issue]]:
    """Closed months of the ledger at `ledger_path` recomputed under `policy` (a folder or a git
    revision of the repository holding `config_dir`), from their kept inputs (or `inputs_dir`, for a
    single month closed before csbatch kept them), compared with the same months under the policy
    their close used (or `before`, a folder or revision). The ledger is only read."""
    ledger, issues = open_ledger_checked(ledger_path, "read the ledger")
    if ledger is None:
        return None, issues
    try:
        with scratch_folder("what-if") as tmp:
            work = Path(tmp)
            after_dir, after_label, found = read_policy(config_dir, policy, work / "after")
            if after_dir is None:
                return None, found
            before_dir: Path | None = None
            before_label: str = Said(N_("the policy each month was closed with"))
            if before is not None:
                before_dir, before_label, found = read_policy(config_dir, before, work / "before")
                if before_dir is None:
                    return None, found
            never = [Issue.of(Source(str(ledger_path)), "what_if.not_closed",
                              N_("{period} was never closed with the ledger {ledger}: what-if recomputes closed "
                                 "months"), period=period, ledger=ledger_path)
                     for period in periods if close_of(ledger, period) is None]
            if never:           # every month of the range that was not closed, not only the first
                return None, never
            months = []
            for period in periods:
                month_inputs = inputs_dir
                if month_inputs is None:
                    month_inputs, found = restore_inputs(ledger, period, work / period / "inputs")
                    if month_inputs is None:
                        return None, found + _hint_inputs(period)
                month_policy = before_dir
                if month_policy is None:
                    month_policy, found = restore_policy(ledger, period, config_dir, work / period / "policy")
                    issues += found
                    if month_policy is None:
                        return None, issues + _hint_before(period)
                months.append(Month(period, month_inputs, month_policy))
            if before is None and len(periods) == 1:
                before_label = Said(N_("as closed ({policy})"), policy=_closed_policy(ledger, periods[0]))
            result, found = what_if(months, after_dir, ledger, before_label, after_label)
            return result, issues + found
    finally:
        ledger.close()


def _hint_inputs(period: str) -> list[Issue]:
    return [Issue.of(None, "what_if.inputs", N_("give the input files {period} was closed with as --inputs DIR"),
                     period=period)]


def _hint_before(period: str) -> list[Issue]:
    return [Issue.of(None, "what_if.before", N_("give the policy {period} was closed with as --before REV|DIR"),
                     period=period)]


__all__ = ["Month", "compare", "months_between", "read_policy", "recompute", "what_if", "what_if_closed"]
