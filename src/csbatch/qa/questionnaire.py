"""The QA audit questionnaire (督导问卷, docs/policy.md#questionnaire): item marks → section points → a score
out of `scale_to` per audit, and the month's mean score per employee (the e-commerce supervisor
coefficient of §3.2 uses it).

How an audit is scored:

* A positive item earns its mark, 0…per_item (intake already turned a tick into per_item and a
  cross into 0). A section's available points are per_item × its applicable items.
* A taboo section's available points are per_item × its applicable items; it earns those less
  per_item for each violation (1 = violated, 0 = not), never below 0.
* N/A items (None) leave the audit: score = Σ earned ÷ Σ available × scale_to over every
  section, rounded half-up to 2 places. An audit with every item N/A has no score (an error).
* A critical item that fails (a positive one earning less than per_item, a taboo one violated)
  makes the score 0; the items are listed in `failed_critical`.

All arithmetic is Decimal. The work goes column by column (one item across every audit), so
`score_marks` (one audit, golden cases) and `score_audits` (a month's sheet) share one path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

import numpy as np
import pandas as pd

from csbatch.blanks import is_blank
from csbatch.calendar import month_bounds
from csbatch.errors import Issue, Source
from csbatch.i18n import N_, Joined, Said
from csbatch.money import ONE as _ONE
from csbatch.money import ZERO as _ZERO
from csbatch.money import half_up
from csbatch.policy.scorecards import Questionnaire

__all__ = [
    "AUDIT_EXTRA_COLUMNS",
    "AUDIT_LEAD_COLUMNS",
    "AuditResult",
    "AuditScore",
    "audit_columns",
    "score_audits",
    "score_marks",
]

#: The audits.csv columns before the section columns (which are the questionnaire's section codes).
AUDIT_LEAD_COLUMNS: tuple[str, ...] = ("audit_id", "audit_date", "employee_id")
#: After the section columns.
AUDIT_TAIL_COLUMNS: tuple[str, ...] = ("score", "violations")
#: Columns after the contract's, in this order.
AUDIT_EXTRA_COLUMNS: tuple[str, ...] = ("auditor", "applicable", "failed_critical",
                                        "_file", "_sheet", "_row")


def audit_columns(questionnaire: Questionnaire) -> tuple[str, ...]:
    """The audits frame's columns in order: the contract's (sections follow the policy), then
    the extras."""
    return (*AUDIT_LEAD_COLUMNS, *(s.code for s in questionnaire.sections),
            *AUDIT_TAIL_COLUMNS, *AUDIT_EXTRA_COLUMNS)


# ---------------------------------------------------------------------------------------------
# one item across every audit


def _mark(value: Any) -> tuple[Decimal | None, bool]:
    """(mark, ok): None/NaN/NA are N/A; Decimal and int are marks; anything else (a float, a
    text) is not a mark."""
    if is_blank(value):               # NaN too: from a column a file lacked
        return None, True
    if isinstance(value, Decimal):
        return (value, True) if value.is_finite() else (None, False)
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return Decimal(int(value)), True
    return None, False


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)


@dataclass
class _Scored:
    """Per audit (arrays of length n)."""

    sections: dict[str, np.ndarray]     # section code → earned points (Decimal)
    applicable: np.ndarray              # points available over applicable items (Decimal)
    score: list[Decimal | None]
    violations: list[tuple[str, ...]]
    failed_critical: list[tuple[str, ...]]
    problems: list[list[Said]]          # bad marks; the audit then has no score


def _checked_mark(code: str, value: Any, per: Decimal, positive: bool) -> tuple[Decimal | None, Said | None]:
    """(mark, problem) of one cell: a positive item's mark is 0…per_item, a taboo item's 1
    (violated) or 0; None is N/A."""
    mark, ok = _mark(value)
    if not ok:
        return None, Said(N_("{item} mark {mark} is not a Decimal mark"), item=code, mark=repr(value))
    if mark is not None and ((positive and not _ZERO <= mark <= per)
                             or (not positive and mark not in (_ZERO, _ONE))):
        allowed = f"0–{_num(per)}" if positive else Said(N_("1 (violated) or 0"))
        return None, Said(N_("{item} mark {mark} is not {allowed}"), item=code, mark=_num(mark), allowed=allowed)
    return mark, None


def _item_marks(raw: Sequence[Any] | None, code: str, per: Decimal, positive: bool,
                problems: list[list[Said]]) -> np.ndarray:
    """One item's marks across the audits (None: N/A); a bad mark is a problem of its audit."""
    marks = np.full(len(problems), None, dtype=object)
    for i, value in enumerate(raw if raw is not None else ()):
        mark, problem = _checked_mark(code, value, per, positive)
        if problem is not None:
            problems[i].append(problem)
        else:
            marks[i] = mark
    return marks


def _audit_score(earned: Decimal, available: Decimal, failed_critical: bool, bad_marks: bool,
                 scale: Decimal) -> Decimal | None:
    """No score with a bad mark or nothing applicable; 0 when a critical item failed; else
    earned ÷ available × scale, half-up to 2 places."""
    if bad_marks or available == _ZERO:
        return None
    if failed_critical:
        return half_up(_ZERO)
    return half_up(earned * scale / available)


def _score_columns(columns: Mapping[str, Sequence[Any] | None], n: int,
                   questionnaire: Questionnaire) -> _Scored:
    """Score n audits given one sequence of marks per item code (None = a column nobody
    filled: every audit N/A for that item)."""
    earned_total = np.full(n, _ZERO, dtype=object)
    available_total = np.full(n, _ZERO, dtype=object)
    violations: list[list[str]] = [[] for _ in range(n)]
    failed: list[list[str]] = [[] for _ in range(n)]
    problems: list[list[Said]] = [[] for _ in range(n)]
    sections: dict[str, np.ndarray] = {}
    for section in questionnaire.sections:
        per = Decimal(section.per_item)
        positive = section.kind == "positive"
        applicable_count = np.zeros(n, dtype=np.int64)
        violation_count = np.zeros(n, dtype=np.int64)
        earned = np.full(n, _ZERO, dtype=object)
        # the fill-ins of np.where as object arrays (numpy's stubs take no Decimal scalar)
        per_cells, zero_cells = np.full(n, per, dtype=object), np.full(n, _ZERO, dtype=object)
        for item in section.items:
            marks = _item_marks(columns.get(item.code), item.code, per, positive, problems)
            applicable = np.asarray(pd.notna(marks), dtype=bool)
            applicable_count += applicable
            if positive:
                given = np.where(applicable, marks, per_cells)
                earned = earned + np.where(applicable, marks, zero_cells)
                fails = applicable & np.asarray(given < per, dtype=bool)
            else:
                fails = applicable & np.asarray(np.where(applicable, marks, zero_cells) == _ONE,
                                                dtype=bool)
                violation_count += fails
                for i in np.flatnonzero(fails):
                    violations[i].append(item.code)
            if item.critical:
                for i in np.flatnonzero(fails):
                    failed[i].append(item.code)
        available = np.array([per * int(c) for c in applicable_count], dtype=object)
        if not positive:
            earned = np.array([max(_ZERO, a - per * int(v))
                               for a, v in zip(available, violation_count)], dtype=object)
        sections[section.code] = earned
        earned_total = earned_total + earned
        available_total = available_total + available
    scale = Decimal(questionnaire.scale_to)
    scores = [_audit_score(e, a, bool(f), bool(p), scale)
              for e, a, f, p in zip(earned_total, available_total, failed, problems)]
    return _Scored(sections=sections, applicable=available_total, score=scores,
                   violations=[tuple(v) for v in violations],
                   failed_critical=[tuple(f) for f in failed], problems=problems)


# ---------------------------------------------------------------------------------------------
# one audit


@dataclass(frozen=True)
class AuditScore:
    """One audit scored."""

    sections: dict[str, Decimal]        # section code → points earned (unscaled), questionnaire order
    applicable: Decimal                 # points available over the applicable (non-N/A) items
    score: Decimal                      # scaled to questionnaire.scale_to, half-up to 2 places
    violations: tuple[str, ...]         # taboo item codes violated, questionnaire order
    failed_critical: tuple[str, ...]    # critical items that failed (the score is then 0)


def score_marks(marks: Mapping[str, Decimal | int | None],
                questionnaire: Questionnaire) -> AuditScore:
    """Score one audit from item code → mark (positive: points 0…per_item; taboo: 1 violated or
    0; None = N/A). An item left out of `marks` is N/A. Raises ValueError for an unknown item
    code, a bad mark, or an audit with every item N/A (it has no score)."""
    known = {item.code for section in questionnaire.sections for item in section.items}
    unknown = sorted(set(marks) - known)
    if unknown:
        raise ValueError(Said(N_("not questionnaire items: {items}"), items=", ".join(unknown)))
    scored = _score_columns({code: [value] for code, value in marks.items()}, 1, questionnaire)
    if scored.problems[0]:
        raise ValueError(Joined(scored.problems[0], "; ", "；"))
    if scored.score[0] is None:
        raise ValueError(Said(N_("every item is N/A: the audit has no score")))
    return AuditScore(
        sections={code: earned[0] for code, earned in scored.sections.items()},
        applicable=scored.applicable[0],
        score=scored.score[0],
        violations=scored.violations[0],
        failed_critical=scored.failed_critical[0],
    )


# ---------------------------------------------------------------------------------------------
# a month of audits


@dataclass(frozen=True)
class AuditResult:
    audits: pd.DataFrame    # one row per audit of the period, columns of `audit_columns`

    def mean_score(self) -> pd.Series:
        """employee_id → mean score (Decimal, half-up to 2 places) of the audits that have a
        score, sorted by employee_id. The mean is of the rounded audit scores, as audits.csv
        shows them, so anyone can recompute it from that file."""
        scored = self.audits.loc[self.audits["score"].notna(), ["employee_id", "score"]]
        means = {emp: half_up(sum(group, _ZERO) / len(group))
                 for emp, group in scored.groupby("employee_id", sort=True)["score"]}
        series = pd.Series(means, dtype=object, name="qa_mean_score")
        series.index.name = "employee_id"
        return series


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series(None, index=frame.index, dtype=object)


def _out_of_period(frame: pd.DataFrame, places: list[Source | None], period: str,
                   dates: pd.Series) -> tuple[np.ndarray, list[Issue]]:
    """Which audits are dated in the period; each other one is a warning and is not counted."""
    first, last = month_bounds(period)
    start, end = pd.Timestamp(first), pd.Timestamp(last + dt.timedelta(days=1))
    inside = np.asarray((dates >= start) & (dates < end), dtype=bool)
    issues = []
    for i in np.flatnonzero(~inside):
        audit_id, date = frame.at[int(i), "audit_id"], dates.iat[int(i)]
        if is_blank(date):
            issues.append(Issue.warn(places[i], "audits.out_of_period",
                                     N_("audit {audit} has no audit date, outside {period}: not counted"),
                                     audit=str(audit_id), period=period))
        else:
            issues.append(Issue.warn(places[i], "audits.out_of_period",
                                     N_("audit {audit} is dated {date}, outside {period}: not counted"),
                                     audit=str(audit_id), period=period,
                                     date=cast(pd.Timestamp, date).date().isoformat()))   # a datetime column
    return inside, issues


def _audit_order(frame: pd.DataFrame) -> np.ndarray:
    """Positions in audit_id order; ties (duplicate ids, reported by intake) keep file, sheet,
    row order."""
    order = pd.DataFrame({
        "audit_id": frame["audit_id"].astype(object).where(frame["audit_id"].notna(), "").astype(str),
        "_file": frame["_file"].astype(object).where(frame["_file"].notna(), "").astype(str),
        "_sheet": frame["_sheet"].astype(object).where(frame["_sheet"].notna(), "").astype(str),
        "_row": pd.to_numeric(frame["_row"], errors="coerce").fillna(0).astype("int64"),
    }).reset_index(drop=True)
    return order.sort_values(list(order.columns), kind="stable").index.to_numpy()


def _unscored(frame: pd.DataFrame, places: list[Source | None], scored: _Scored) -> list[Issue]:
    """An audit with a bad mark, or with every item N/A, is an error and has no score."""
    issues = []
    for i in range(len(frame)):
        audit_id = frame.at[i, "audit_id"]
        if scored.problems[i]:
            issues.append(Issue.of(places[i], "audits.bad_mark", N_("audit {audit}: {problems}"),
                                   audit=str(audit_id), problems="; ".join(scored.problems[i])))
        elif scored.score[i] is None:
            issues.append(Issue.of(places[i], "audits.all_not_applicable",
                                   N_("audit {audit}: every item is N/A, so it has no score"), audit=str(audit_id)))
    return issues


def _audits_table(frame: pd.DataFrame, dates: pd.Series, scored: _Scored,
                  questionnaire: Questionnaire) -> pd.DataFrame:
    """The audits frame: `audit_columns` of the scored audits, in `frame`'s order."""
    out: dict[str, pd.Series] = {
        "audit_id": frame["audit_id"].astype(object),
        "audit_date": dates.astype("datetime64[ns]"),
        "employee_id": _column(frame, "employee_id").astype(object),
    }
    for code, earned in scored.sections.items():
        out[code] = pd.Series(earned, dtype=object)
    out["score"] = pd.Series(scored.score, dtype=object)
    out["violations"] = pd.Series([" ".join(v) for v in scored.violations], dtype=object)
    out["auditor"] = _column(frame, "auditor").astype(object)
    out["applicable"] = pd.Series(scored.applicable, dtype=object)
    out["failed_critical"] = pd.Series([" ".join(f) for f in scored.failed_critical], dtype=object)
    out["_file"] = frame["_file"].astype(object)
    out["_sheet"] = frame["_sheet"].astype(object)
    out["_row"] = frame["_row"]
    return pd.DataFrame({name: s.reset_index(drop=True) for name, s in out.items()},
                        columns=list(audit_columns(questionnaire)))


def score_audits(audits: pd.DataFrame, questionnaire: Questionnaire,
                 period: str) -> tuple[AuditResult, list[Issue]]:
    """Score the audits of `period` ('YYYY-MM') from an audits frame of the typed-table contract
    (item columns named by item code; a missing item column is N/A for every audit).

    Audits dated outside the period are left out with a warning each. An audit with every item
    N/A, or with a mark that is not a mark, is an error and keeps a blank score. Rows are sorted
    by audit_id (then by their place in the input)."""
    frame = audits.reset_index(drop=True)
    for name in ("_file", "_sheet", "_row"):
        if name not in frame.columns:
            frame[name] = None
    places = Source.of_rows(frame)
    dates = pd.to_datetime(_column(frame, "audit_date"))
    inside, issues = _out_of_period(frame, places, period, dates)
    frame = frame.loc[inside]
    places = [p for p, keep in zip(places, inside) if keep]

    positions = _audit_order(frame)
    frame = frame.iloc[positions].reset_index(drop=True)
    places = [places[p] for p in positions]

    codes = [item.code for section in questionnaire.sections for item in section.items]
    columns = {code: frame[code].tolist() if code in frame.columns else None for code in codes}
    scored = _score_columns(columns, len(frame), questionnaire)
    issues += _unscored(frame, places, scored)
    table = _audits_table(frame, dates.loc[inside].iloc[positions].reset_index(drop=True), scored,
                          questionnaire)
    return AuditResult(audits=table), issues
