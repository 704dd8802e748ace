"""Checks across rows and sheets once every kind is read: keys seen twice (naming both places),
employee IDs that are not in the roster, and the roster's expected ranges (warnings)."""

from __future__ import annotations

import pandas as pd

from csbatch.calendar import month_bounds
from csbatch.errors import Issue, Severity, Source
from csbatch.policy.loader import Policy


def _row_source(row) -> Source:
    return Source(row["_file"], sheet=row["_sheet"], row=int(row["_row"]))


def check_keys(inputs, policy: Policy, roster_read: bool) -> list[Issue]:
    out = []
    for kind, spec in policy.inputs.kinds.items():
        if not spec.key:
            continue
        frame = inputs.frames[kind]
        if frame.empty:
            continue
        keyed = frame.dropna(subset=spec.key)
        dup = keyed.duplicated(subset=spec.key, keep=False)
        if not dup.any():
            continue
        firsts: dict[tuple, Source] = {}
        for _, row in keyed[dup].iterrows():
            key = tuple(row[c] for c in spec.key)
            shown = ", ".join(f"{c} '{row[c]}'" for c in spec.key) if len(spec.key) > 1 else \
                f"{spec.key[0]} '{row[spec.key[0]]}'"
            if key not in firsts:
                firsts[key] = inputs.cell(row, spec.key[0])
                continue
            out.append(Issue(inputs.cell(row, spec.key[0]), "inputs.duplicate_key",
                             f"{kind}: {shown} appears twice (also at {firsts[key]})"))
    return out


#: (kind, column) pairs that name an employee of the roster.
EMPLOYEE_REFERENCES = [
    ("attendance", "employee_id"), ("leave", "employee_id"), ("conduct", "employee_id"),
    ("recognitions", "employee_id"), ("sales", "employee_id"), ("production", "employee_id"),
    ("contacts", "employee_id"), ("complaints", "employee_id"), ("callbacks", "employee_id"),
    ("customers", "owner_id"), ("audits", "employee_id"), ("collaboration", "employee_id"),
    ("reviews", "employee_id"), ("adjustments", "employee_id"), ("submissions", "employee_id"),
    ("roster", "supervisor_id"),
]


def check_employee_references(inputs, policy: Policy, roster_read: bool) -> list[Issue]:
    if not roster_read:
        return []
    known = set(inputs.frames["roster"]["employee_id"].dropna())
    out = []
    for kind, column in EMPLOYEE_REFERENCES:
        frame = inputs.frames.get(kind)
        if frame is None or frame.empty or column not in frame:
            continue
        unknown = frame[frame[column].notna() & ~frame[column].isin(known)]
        for _, row in unknown.iterrows():
            out.append(Issue(inputs.cell(row, column), "inputs.unknown_employee",
                             f"column '{column}': '{row[column]}' is not an employee in the roster"))
    return out


def check_roster_ranges(inputs, policy: Policy, roster_read: bool) -> list[Issue]:
    """Base pay and head-count outside the role's range: warnings, the close goes on."""
    roster = inputs.frames["roster"]
    if roster.empty:
        return []
    out = []
    for _, row in roster.iterrows():
        role = policy.roles.get(row["role"])
        base = row["base_salary"]
        if role is None or role.base_pay is None or base is None:
            continue
        if not (role.base_pay.min <= base <= role.base_pay.max):
            out.append(Issue(inputs.cell(row, "base_salary"), "roster.base_pay_range",
                             f"base pay {base} of {row['employee_id']} is outside the {role.name} "
                             f"range {role.base_pay.min}–{role.base_pay.max}", Severity.WARNING))
    start, end = month_bounds(inputs.period)
    active = roster[(roster["hire_date"] <= pd.Timestamp(end)) &
                    (roster["leave_date"].isna() | (roster["leave_date"] >= pd.Timestamp(start)))]
    counts = active["role"].value_counts()
    files = sorted(set(roster["_file"]))
    for code, role in policy.roles.items():
        if role.headcount is None:
            continue
        n = int(counts.get(code, 0))
        if not (role.headcount.min <= n <= role.headcount.max):
            out.append(Issue(Source(files[0]), "roster.headcount_range",
                             f"{n} {role.name} ({code}) in the roster; the policy expects "
                             f"{role.headcount.min}–{role.headcount.max}", Severity.WARNING))
    return out


CROSS_CHECKS = [check_keys, check_employee_references, check_roster_ranges]
