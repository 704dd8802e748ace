"""Checks across rows and sheets once every kind is read: files read twice (identical copies,
or a second copy of a keyed kind's file), keys seen twice (naming both places), employee IDs
that are not in the roster, and the roster's expected ranges (warnings). One problem in many rows
is one message (`csbatch.sheets.floods`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import pandas as pd

from csbatch.calendar import month_bounds
from csbatch.errors import Issue, Source
from csbatch.i18n import N_, Joined, Listed, Named
from csbatch.idnumbers import mask_id
from csbatch.policy.inputs import Kind
from csbatch.policy.loader import Policy
from csbatch.sheets.floods import collapse
from csbatch.sheets.month_inputs import Inputs


def _identical_files(inputs: Inputs) -> list[list[str]]:
    """Files read this close with the same content (sha256), each group in name order."""
    by_sha: dict[str, list[str]] = defaultdict(list)
    for record in inputs.records:
        if record.path not in by_sha[record.sha256]:
            by_sha[record.sha256].append(record.path)
    return [sorted(files) for files in by_sha.values() if len(files) > 1]


def _kinds_of(inputs: Inputs, policy: Policy, path: str) -> Listed:
    """The input kinds a file holds, named as a message names them (the code in English, the
    kind's name in another language)."""
    order = list(policy.inputs.kinds)
    kinds = sorted({r.kind for r in inputs.records if r.path == path}, key=order.index)
    return Listed(policy.inputs.kind_named(k) for k in kinds)


def check_copies(inputs: Inputs, policy: Policy, roster_read: bool) -> list[Issue]:
    """Two files with the same bytes (a `员工名册 - 副本.xlsx` left beside `员工名册.xlsx`, an
    attendance export saved twice): one error per copy naming both, whatever their kind, since
    reading both would count every row twice."""
    out = []
    for files in _identical_files(inputs):
        for other in files[1:]:
            out.append(Issue.of(Source(other), "inputs.copy",
                                N_("two {kind} files: {first} and {other} are identical: keep one"),
                                kind=_kinds_of(inputs, policy, other), first=files[0], other=other))
    return out


def _any_repeat(frame: pd.DataFrame, key: Sequence[str]) -> bool:
    """Whether a key whose every column is filled is seen twice. A one-column key (order IDs: a
    million distinct texts) is hashed once as a Series; a frame's `duplicated` would factorise
    the column first and then hash the codes again."""
    if len(key) == 1:
        column = frame[key[0]]
        filled = column.notna()
        return bool((column if filled.all() else column[filled]).duplicated().any())
    keys = frame[list(key)]
    return bool(keys[keys.notna().all(axis=1)].duplicated(keep=False).any())


def check_keys(inputs: Inputs, policy: Policy, roster_read: bool) -> list[Issue]:
    """A key seen twice, named at the second place with the first. Two files of one kind sharing
    keys are told apart: when one file's keys are all in the other (a second copy, perhaps
    edited) and there are two or more, that is one error naming both files; identical files are
    `check_copies`' one error; otherwise each repeated key is a row error, floods collapsed
    (`csbatch.sheets.floods`) so one pair of files or one sheet gives one message per problem."""
    out = []
    identical = {frozenset((a, b)) for files in _identical_files(inputs)
                 for i, a in enumerate(files) for b in files[i + 1:]}
    for kind, spec in policy.inputs.kinds.items():
        if not spec.key:
            continue
        frame = inputs.frames[kind]
        if frame.empty:
            continue
        # the key columns alone first: the frame is copied only when some key is seen twice
        if not _any_repeat(frame, spec.key):
            continue
        keyed = frame[frame[spec.key].notna().all(axis=1)]
        dup = keyed.duplicated(subset=spec.key, keep=False)
        keys_of = {file: set(map(tuple, rows[spec.key].itertuples(index=False)))
                   for file, rows in keyed.groupby("_file", sort=False)}
        named = policy.inputs.kind_named(kind)
        firsts: dict[tuple, tuple[str, Source | None]] = {}
        rows_of_pair: dict[tuple[str, str], list[Issue]] = defaultdict(list)
        for _, row in keyed[dup].iterrows():
            key = tuple(row[c] for c in spec.key)
            shown = Named(", ".join(f"{c} '{_shown(row[c], spec.columns[c].type)}'" for c in spec.key),
                          "，".join(f"{_header(inputs, row, spec, c)}“{_shown(row[c], spec.columns[c].type)}”"
                                   for c in spec.key))
            if key not in firsts:
                firsts[key] = (row["_file"], inputs.cell(row, spec.key[0]))
                continue
            first_file, first_at = firsts[key]
            rows_of_pair[(first_file, row["_file"])].append(
                Issue.of(inputs.cell(row, spec.key[0]), "inputs.duplicate_key",
                         N_("{kind}: {key} appears twice (also at {first})"), kind=named, key=shown,
                         first=str(first_at)))
        for (a, b), issues in rows_of_pair.items():
            if a != b and frozenset((a, b)) in identical:
                continue
            shared = keys_of[a] & keys_of[b]
            if a != b and len(shared) >= 2 and len(shared) == min(len(keys_of[a]), len(keys_of[b])):
                names = Joined((spec.header(c) for c in spec.key), " + ", " + ")
                out.append(Issue.of(Source(b), "inputs.copy",
                                    N_("two {kind} files: {first} and {other} hold the same {n} {names} "
                                       "values: keep one"), kind=named, first=a, other=b,
                                    n=len(shared), names=names))
                continue
            out.extend(collapse(issues))
    return out


def _header(inputs: Inputs, row: pd.Series, spec: Kind, column: str) -> str:
    """A column as the person's sheet heads it, else as the policy first names it."""
    aliases = spec.columns[column].aliases
    return inputs.header(row, column) or (aliases[0] if aliases else column)


def _shown(value: object, column_type: str) -> str:
    return mask_id(str(value)) if column_type == "national_id" else str(value)


#: (kind, column) pairs that name an employee of the roster.
EMPLOYEE_REFERENCES = [
    ("attendance", "employee_id"), ("leave", "employee_id"), ("conduct", "employee_id"),
    ("recognitions", "employee_id"), ("sales", "employee_id"), ("production", "employee_id"),
    ("contacts", "employee_id"), ("complaints", "employee_id"), ("callbacks", "employee_id"),
    ("customers", "owner_id"), ("audits", "employee_id"), ("collaboration", "employee_id"),
    ("reviews", "employee_id"), ("adjustments", "employee_id"), ("submissions", "employee_id"),
    ("submissions", "dispatched_by"), ("chat_checks", "employee_id"), ("meetings", "employee_id"),
    ("shifts", "employee_id"),
    ("roster", "supervisor_id"),
]


def check_employee_references(inputs: Inputs, policy: Policy, roster_read: bool) -> list[Issue]:
    if not roster_read:
        return []
    known = set(inputs.frames["roster"]["employee_id"].dropna())
    out = []
    for kind, column in EMPLOYEE_REFERENCES:
        frame = inputs.frames.get(kind)
        if frame is None or frame.empty or column not in frame:
            continue
        unknown = frame[frame[column].notna() & ~frame[column].isin(known)]
        declared = policy.inputs.kinds[kind].columns.get(column)
        alias = declared.aliases[0] if declared and declared.aliases else column
        out.extend(collapse(
            Issue.of(inputs.cell(row, column), "inputs.unknown_employee",
                     N_("column '{column}': '{value}' is not an employee in the roster"),
                     column=Named(column, inputs.header(row, column) or alias), value=row[column])
            for _, row in unknown.iterrows()))
    return out


def check_roster_ranges(inputs: Inputs, policy: Policy, roster_read: bool) -> list[Issue]:
    """Base pay and head-count outside the role's range: warnings, the close goes on."""
    roster = inputs.frames["roster"]
    if roster.empty:
        return []
    out = []
    # the two columns' values walked together; a row is made a Series only when it warns
    # (`iterrows` made one per roster row: 0.17 s at 5,000 employees for a handful of warnings)
    for pos, (code, base) in enumerate(zip(roster["role"].tolist(), roster["base_salary"].tolist(), strict=True)):
        role = policy.roles.get(code)
        if role is None or role.base_pay is None or base is None:
            continue
        if not (role.base_pay.min <= base <= role.base_pay.max):
            row = roster.iloc[pos]
            out.append(Issue.warn(inputs.cell(row, "base_salary"), "roster.base_pay_range",
                                  N_("base pay {base} of {employee} is outside the {role} range {low}–{high}"),
                                  base=base, employee=row["employee_id"], role=role.name,
                                  low=role.base_pay.min, high=role.base_pay.max))
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
            out.append(Issue.warn(Source(files[0]), "roster.headcount_range",
                                  N_("{n} {role} ({code}) in the roster; the policy expects {low}–{high}"),
                                  n=n, role=role.name, code=code, low=role.headcount.min,
                                  high=role.headcount.max))
    return out


CROSS_CHECKS = [check_copies, check_keys, check_employee_references, check_roster_ranges]
