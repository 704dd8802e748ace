"""The staff: a roster mixing every role of config/roles.yaml in two to four teams.

Who works here (ids, names, roles, teams, supervisors) depends on the seed and the head count
only, so it is the same in every month; the month adds a joiner (hired mid-month, an e-commerce
agent, too few days to be rated) and a leaver (a comprehensive agent leaving after three quarters
of the month). Role codes the generator gives special parts to are named here, once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from csbatch.errors import CsbatchError, Issue
from csbatch.i18n import N_, Listed
from csbatch.samples.month_context import Month
from csbatch.samples.words import words

# Roles with a part in the sample (orders, callbacks, audits, call logs …) and a typical mix
# per 20 employees, with the least the scripted cases need.
ECOMMERCE, COMPREHENSIVE, CONSULTING = "ecommerce_cs", "comprehensive_cs", "consulting_cs"
INVITATION, SUPERVISOR, RECEPTIONIST = "invitation_cs", "supervisor", "receptionist"
AFTER_SALES, INFO, CLERK = "after_sales", "info_specialist", "clerk"
LEAD, MANAGER, ONLINE_LEAD, ONSITE = "cs_lead", "cs_manager", "online_lead", "onsite_specialist"
SELLING = (ECOMMERCE, COMPREHENSIVE, CONSULTING)
MIX = {MANAGER: (1, 1), LEAD: (0.5, 1), ONLINE_LEAD: (0.5, 1), SUPERVISOR: (2, 1), CONSULTING: (2, 1),
       COMPREHENSIVE: (4, 4), ECOMMERCE: (5, 5), INVITATION: (1, 1), INFO: (1, 1),
       AFTER_SALES: (1, 1), CLERK: (1, 1), RECEPTIONIST: (1, 1), ONSITE: (1, 1)}
#: Roles without a team (they lead or manage the department or a part of it).
UNTEAMED = (MANAGER, LEAD, ONLINE_LEAD, SUPERVISOR)
#: Base pay of roles the policy gives no range (the roster's value is taken as is).
UNRANGED_PAY = {MANAGER: (6500, 8000), LEAD: (4500, 5500), ONLINE_LEAD: (4000, 5000)}
FIRST_ID = 1001


@dataclass
class Employee:
    index: int
    id: str
    name: str
    role: str
    team: str | None
    team_lead: bool
    hire: dt.date
    leave: dt.date | None
    base: float
    subsidy: float | None = None
    target: float | None = None
    supervisor: str | None = None
    note: str | None = None

    def active(self, day: dt.date) -> bool:
        return self.hire <= day and (self.leave is None or day <= self.leave)


@dataclass
class Staff:
    people: list[Employee]
    joiner: Employee
    leaver: Employee

    def by_role(self, *roles: str) -> list[Employee]:
        return [e for e in self.people if e.role in roles]

    def steady(self, *roles: str) -> list[Employee]:
        """Employees of the roles who work the whole month, in id order."""
        return [e for e in self.by_role(*roles) if e is not self.joiner and e is not self.leaver]

    def by_id(self) -> dict[str, Employee]:
        return {e.id: e for e in self.people}


def minimum_employees(policy) -> int:
    return sum(MIX[r][1] for r in policy.roles if r in MIX) + sum(
        1 for r in policy.roles if r not in MIX)


def role_counts(policy, n: int) -> dict[str, int]:
    missing = [r for r in MIX if r not in policy.roles]
    if missing:
        raise CsbatchError([Issue.of(None, "sample.roles", N_("the sample generator needs the roles {roles} in "
                                                                "config/roles.yaml"), roles=Listed(missing))])
    least = minimum_employees(policy)
    if n < least:
        raise CsbatchError([Issue.of(None, "sample.employees", N_("a sample needs at least {least} employees to "
                                                                    "hold every role and every scripted case (asked "
                                                                    "for {asked})"), least=least, asked=n)])
    counts = {r: 1 if r in (MANAGER, ONLINE_LEAD) else max(MIX[r][1], round(MIX[r][0] * n / 20))
              for r in MIX}
    counts.update({r: 1 for r in policy.roles if r not in MIX})
    grow = [ECOMMERCE, COMPREHENSIVE, CONSULTING, AFTER_SALES, INVITATION]
    k = 0
    while sum(counts.values()) < n:
        counts[grow[k % len(grow)]] += 1
        k += 1
    while sum(counts.values()) > n:
        role = max((r for r in MIX if r not in (MANAGER, ONLINE_LEAD) and counts[r] > MIX[r][1]),
                   key=lambda r: (counts[r] - MIX[r][1], r))
        counts[role] -= 1
    return {r: counts[r] for r in policy.roles}


def person_names(rng: np.random.Generator, n: int, unique: bool = True) -> list[str]:
    """`n` Chinese names (surname + one or two given characters), distinct when `unique`."""
    surnames, given = words("surnames"), words("given_chars")
    taken: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        m = (n - len(out)) * 2
        s = rng.integers(0, len(surnames), m)
        g1 = rng.integers(0, len(given), m)
        g2 = rng.integers(-len(given) // 2, len(given), m)   # < 0: a one-character given name
        for a, b, c in zip(s.tolist(), g1.tolist(), g2.tolist()):
            name = surnames[a] + given[b] + (given[c] if c >= 0 else "")
            if len(out) < n and (not unique or name not in taken):
                taken.add(name)
                out.append(name)
    return out


def build_staff(month: Month, n: int) -> Staff:
    policy = month.policy
    rng = month.base_rng("staff")
    counts = role_counts(policy, n)
    roles = [r for r in (MANAGER, LEAD, ONLINE_LEAD) for _ in range(counts[r])]
    rest = [r for r in counts if r not in (MANAGER, LEAD, ONLINE_LEAD) for _ in range(counts[r])]
    roles += [rest[i] for i in rng.permutation(len(rest)).tolist()]
    # The newest hire (highest id) is the month's joiner: an e-commerce agent.
    last = max(i for i, r in enumerate(roles) if r == ECOMMERCE)
    roles[last], roles[-1] = roles[-1], roles[last]
    names = person_names(rng, n)
    # Hired between 2015 and six weeks before the month, longest-serving first.
    end = min(dt.date(2025, 6, 30), month.first - dt.timedelta(days=45))
    span = (end - dt.date(2015, 1, 1)).days
    hires = sorted((dt.date(2015, 1, 1) + dt.timedelta(days=int(d))
                    for d in rng.integers(0, span, n)))
    teams_n = 2 if n < 15 else 3 if n < 60 else 4
    teams = list(words("teams")[:teams_n])
    pay = rng.random(n)
    people = []
    for i, role in enumerate(roles):
        people.append(Employee(i, str(FIRST_ID + i), names[i], role, None, False, hires[i],
                               None, _base_pay(policy, role, float(pay[i]))))
    agents = [e for e in people if e.role not in UNTEAMED]
    for k, e in enumerate(agents):
        e.team = teams[k % teams_n]
    staff = Staff(people, joiner=people[-1], leaver=people_of(people, COMPREHENSIVE)[-1])
    _team_leads(staff, teams)
    supervisors = people_of(people, SUPERVISOR)
    for k, e in enumerate(people_of(people, ECOMMERCE)):
        e.supervisor = supervisors[k % len(supervisors)].id
    _month_changes(month, staff)
    return staff


def people_of(people: list[Employee], role: str) -> list[Employee]:
    return [e for e in people if e.role == role]


def _base_pay(policy, role: str, u: float) -> float:
    rng_ = policy.roles[role].base_pay
    lo, hi = (float(rng_.min), float(rng_.max)) if rng_ else UNRANGED_PAY.get(role, (3000, 4000))
    return float(lo + round(u * (hi - lo) / 50) * 50)


def _team_leads(staff: Staff, teams: list[str]) -> None:
    prefer = [ECOMMERCE, COMPREHENSIVE, CONSULTING, INVITATION, AFTER_SALES]
    for k, team in enumerate(teams):
        members = [e for e in staff.people if e.team == team
                   and e is not staff.joiner and e is not staff.leaver]
        order = prefer[k % len(prefer):] + prefer[:k % len(prefer)]
        for role in order:
            pick = [e for e in members if e.role == role]
            if pick:
                pick[0].team_lead = True
                break


def _month_changes(month: Month, staff: Staff) -> None:
    days = month.workdays
    # Hired just after mid-month: scheduled for fewer than half the workdays, so not rated.
    staff.joiner.hire = days[min(len(days) // 2 + 1, len(days) - 1)]
    staff.joiner.note = f"{month.first.month}月新入职"
    staff.leaver.leave = days[(3 * len(days)) // 4]
    staff.leaver.note = "个人原因离职"
    # One base pay just above its role's range: a warning, not an error (docs/policy.md#roles).
    outlier = staff.steady(COMPREHENSIVE)[0]
    top = month.policy.roles[outlier.role].base_pay
    outlier.base = float(top.max) + 100 if top else outlier.base
    outlier.note = "资深员工，底薪经总经理特批"
    # Per-person subsidy overrides on a few agents (blank = the role's default).
    for e, amount in zip(staff.steady(CONSULTING, INVITATION), (300.0, 150.0)):
        e.subsidy = amount
