"""`csbatch review 2026Q4` / `csbatch review 2026`: a quarter or a year reviewed from the months
the ledger holds as closed — never from input files, so the review shows what was published and
paid. Each month's live close gives its results (the ledger's `results`: total, grade, rank, rated)
and, from the manifest the ledger recorded, each scored employee's name, role, team and counted
sales (`review` key, csbatch.closing.publish.review_figures). A month of the period not closed (never
closed, or reopened) stops the review with an error naming it.

What it computes: per employee the months' totals and grades, the mean over the months rated and
the rank of that mean within the scorecard; the team competition ([001] "按季度或月度": the mean
total of each team's rated members per month, their mean over the period, ranked); the candidates
of each award of `config/awards.yaml` for the period (ties: every one of them); for a year, the
annual review sheet (年度考核表). The candidates are also written as a recognitions sheet of the
next month, so the admin drops it into that month's inputs and the award is paid and scored there
through the normal path (pay.yaml `awards`, kpi `adjustments`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from csbatch.errors import Issue, Source
from csbatch.i18n import N_
from csbatch.ledger.store import Ledger
from csbatch.money import half_up
from csbatch.policy.assembled import Policy
from csbatch.reports.review_outputs import Review

_QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")

BAD_PERIOD = N_("{period} is not a quarter or a year: give 2026Q4 (a quarter) or 2026 (a year)")
NOT_CLOSED = N_("{month} of {period} is not closed in the ledger {ledger}: close it (or close it again "
                "after its reopening) before reviewing {period}")
NO_FIGURES = N_("{month} of {period} was closed before csbatch kept what a review reads (names, teams and "
                "counted sales): reopen {month} and close it again")
NO_LEDGER = N_("no ledger at {ledger}: give the --out folder or --ledger file the months were closed with")
TIED = N_("{award}: {count} candidates share the best value ({value}); the recognitions sheet lists each "
          "of them: keep the one(s) the department awards")
NO_CANDIDATE = N_("{award}: no candidate in {period} (nobody on its scorecards was rated, or no sales)")


@dataclass(frozen=True)
class ReviewPeriod:
    """A quarter (`2026Q4`) or a year (`2026`): its months and the month its awards are paid in."""

    label: str
    kind: str                  # "quarter" or "year"
    months: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> ReviewPeriod | None:
        if m := _QUARTER.match(text.strip()):
            year, quarter = int(m.group(1)), int(m.group(2))
            return cls(f"{year}Q{quarter}", "quarter",
                       tuple(f"{year}-{month:02d}" for month in range(quarter * 3 - 2, quarter * 3 + 1)))
        if m := _YEAR.match(text.strip()):
            year = int(m.group(1))
            return cls(str(year), "year", tuple(f"{year}-{month:02d}" for month in range(1, 13)))
        return None

    @property
    def paid_in(self) -> str:
        """The month after the period (YYYY-MM): its recognitions sheet is that month's."""
        year, month = map(int, self.months[-1].split("-"))
        return f"{year + month // 12}-{month % 12 + 1:02d}"


def _mean(values: list[Decimal]) -> Decimal | None:
    return half_up(sum(values, Decimal(0)) / len(values)) if values else None


def _rank(frame: pd.DataFrame, value: str, group: str) -> pd.Series:
    """Rank of `value` within `group`, best first; ties share the better rank; blank: no rank."""
    numbers = frame[value].map(lambda v: None if v is None else float(v)).astype("float64")
    return numbers.groupby(frame[group]).rank(method="min", ascending=False).astype("Int64")


def read_months(ledger: Ledger, period: ReviewPeriod) -> tuple[pd.DataFrame | None, list[Issue]]:
    """Every closed month's rows (period, employee_id, name, role, team, scorecard, total, grade,
    rank, rated, counted_sales), or the errors naming each month the review cannot read."""
    from csbatch.ledger.listing import month_results

    where = Source(str(ledger.path))
    issues: list[Issue] = []
    rows: list[dict] = []
    for month in period.months:
        record = ledger.live_close(month)
        if record is None:
            issues.append(Issue.of(where, "review.not_closed", NOT_CLOSED, month=month, period=period.label,
                                   ledger=ledger.path))
            continue
        manifest, results = month_results(ledger, record.close_id)
        figures = json.loads(manifest).get("review")
        if figures is None:
            issues.append(Issue.of(where, "review.no_figures", NO_FIGURES, month=month, period=period.label))
            continue
        for employee_id, scorecard, total, grade, rank, rated in results:
            known = figures.get(employee_id, {})
            sales = known.get("counted_sales")
            rows.append({"period": month, "employee_id": employee_id, "name": known.get("name") or "",
                         "role": known.get("role") or "", "team": known.get("team") or "",
                         "scorecard": scorecard, "total": None if total is None else Decimal(total),
                         "grade": grade, "rank": rank, "rated": bool(rated),
                         "counted_sales": None if sales is None else Decimal(sales)})
    if issues:
        return None, issues
    return pd.DataFrame(rows, columns=["period", "employee_id", "name", "role", "team", "scorecard", "total",
                                       "grade", "rank", "rated", "counted_sales"]), []


def _people(months: pd.DataFrame, period: ReviewPeriod) -> pd.DataFrame:
    out = []
    for employee_id, rows in months.groupby("employee_id", sort=True):
        latest = rows.sort_values("period").iloc[-1]
        row: dict = {"employee_id": employee_id, "name": latest["name"], "role": latest["role"],
                     "team": latest["team"], "scorecard": latest["scorecard"]}
        rated: list[Decimal] = []
        for month in period.months:
            found = rows[rows["period"] == month]
            total = found["total"].iloc[0] if len(found) else None
            row[f"total:{month}"] = total
            row[f"grade:{month}"] = found["grade"].iloc[0] if len(found) else None
            if len(found) and found["rated"].iloc[0] and total is not None:
                rated.append(total)
        row["months_rated"] = len(rated)
        row["mean"] = _mean(rated)
        row["counted_sales"] = sum((v for v in rows["counted_sales"] if v is not None), Decimal(0))
        out.append(row)
    frame = pd.DataFrame(out)
    frame["rank"] = _rank(frame, "mean", "scorecard")
    return frame.sort_values(["scorecard", "rank", "employee_id"], na_position="last").reset_index(drop=True)


def _teams(months: pd.DataFrame, period: ReviewPeriod) -> pd.DataFrame:
    """The team competition: per scorecard and team, the mean total of its rated members per
    month, the mean of those months, ranked within the scorecard (teams compete on one card)."""
    rated = months[months["rated"] & months["total"].notna() & (months["team"] != "")]
    out = []
    for (scorecard, team), rows in rated.groupby(["scorecard", "team"], sort=True):
        row: dict = {"scorecard": scorecard, "team": team}
        means = []
        for month in period.months:
            value = _mean(list(rows[rows["period"] == month]["total"]))
            row[f"mean:{month}"] = value
            if value is not None:
                means.append(value)
        row["mean"] = _mean(means)
        out.append(row)
    frame = pd.DataFrame(out, columns=["scorecard", "team", *(f"mean:{m}" for m in period.months), "mean"])
    frame["rank"] = _rank(frame, "mean", "scorecard") if len(frame) else pd.Series(dtype="Int64")
    return frame.sort_values(["scorecard", "rank", "team"], na_position="last").reset_index(drop=True)


def _candidates(people: pd.DataFrame, period: ReviewPeriod, policy: Policy) -> tuple[pd.DataFrame, list[Issue]]:
    issues: list[Issue] = []
    rows = []
    for code, award in policy.awards.items():
        if award.period != period.kind:
            continue
        name = policy.recognitions[code].name if code in policy.recognitions else code
        pool = people if not award.scorecards else people[people["scorecard"].isin(award.scorecards)]
        column = "counted_sales" if award.rule == "highest_counted_sales" else "mean"
        values = [v for v in pool[column] if v is not None and not pd.isna(v) and v > 0]
        if not values:
            issues.append(Issue.warn(None, "review.no_candidate", NO_CANDIDATE, award=name, period=period.label))
            continue
        best = max(values)
        chosen = pool[pool[column].map(lambda v, best=best: v is not None and not pd.isna(v) and v == best)]
        if len(chosen) > 1:
            issues.append(Issue.warn(None, "review.tied", TIED, award=name, count=len(chosen), value=best))
        rows += [{"award": code, "award_name": name, "rule": award.rule, "employee_id": r.employee_id,
                  "name": r.name, "team": r.team, "value": best} for r in chosen.itertuples(index=False)]
    return pd.DataFrame(rows, columns=["award", "award_name", "rule", "employee_id", "name", "team", "value"]), issues


def build_review(ledger: Ledger, period: ReviewPeriod, policy: Policy) -> tuple[Review | None, list[Issue]]:
    """The review of `period` from the ledger's closed months, or the errors that stop it."""
    months, issues = read_months(ledger, period)
    if months is None:
        return None, issues
    people = _people(months, period)
    candidates, more = _candidates(people, period, policy)
    return Review(period.label, period.kind, period.months, period.paid_in, people, _teams(months, period),
                  candidates), more


def review(text: str, out: Path, config: Path | None, ledger_path: Path | None,
           lang: str) -> tuple[Path | None, list[Issue]]:
    """`csbatch review`: review the quarter or year `text` from the ledger and publish
    OUT/review-LABEL/ (workbook, page, recognitions sheet); the folder, or None with the errors."""
    from csbatch.ledger.opening import open_ledger_checked
    from csbatch.ledger.store import ledger_at
    from csbatch.policy import load_policy
    from csbatch.reports.review_outputs import write_review
    from csbatch.resources import resolve_config

    period = ReviewPeriod.parse(text)
    if period is None:
        return None, [Issue.of(None, "review.bad_period", BAD_PERIOD, period=text)]
    path = ledger_at(ledger_path, out)
    if not path.is_file():
        return None, [Issue.of(Source(str(path)), "review.no_ledger", NO_LEDGER, ledger=path)]
    policy, issues = load_policy(resolve_config(config))
    if policy is None or any(i.is_error for i in issues):
        return None, issues
    opened, more = open_ledger_checked(path, "read the ledger")
    if opened is None:
        return None, issues + more
    try:
        done, more = build_review(opened, period, policy)
    finally:
        opened.close()
    issues += more
    if done is None:
        return None, issues
    return write_review(done, Path(out) / f"review-{period.label}", policy, lang), issues


__all__ = ["ReviewPeriod", "build_review", "read_months", "review"]
