"""Callback plans (docs/policy.md#audit, source [003]): per agent, how many callbacks were planned for the
month and how many of those were done, and what the customers said.

* planned — rows whose planned_date falls in the period;
* done — rows of the month with a done_at (an unplanned callback that was made counts as done);
* completion — planned rows that were done by the end of the period ÷ planned (None when nothing
  was planned);
* rated, satisfied / neutral / dissatisfied — rows of the month with a rating, by rating;

Rows of the month are those done in it, else planned in it (inputs.yaml); one planned in the
month and done in another is in the register only as planned.
* repurchase_yes, repurchase_share — customers who intend to buy again, of those who answered.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from csbatch.audit.kit import Month, People, share, table, text, timestamp
from csbatch.blanks import is_blank

CALLBACK_COLUMNS: tuple[str, ...] = ("employee_id", "name", "team", "planned", "done", "completion", "rated",
                                     "satisfied", "neutral", "dissatisfied", "repurchase_yes", "repurchase_share")
#: The rating codes of inputs.yaml's `rating` vocabulary, which the columns are named after.
RATINGS: tuple[str, ...] = ("satisfied", "neutral", "dissatisfied")


@dataclass(frozen=True)
class CallbackTotals:
    planned: int
    planned_done: int
    rated: int
    satisfied: int


def _instants(callbacks: pd.DataFrame, column: str) -> list[pd.Timestamp | None]:
    """The column's cells as instants (None when blank or the column is absent), read as a whole column."""
    if column not in callbacks.columns:
        return [None] * len(callbacks)
    values = callbacks[column]
    if pd.api.types.is_datetime64_dtype(values.dtype):
        return [None if v is pd.NaT else v for v in values.tolist()]
    return [timestamp(v) for v in values.tolist()]


def _cells(callbacks: pd.DataFrame, column: str) -> list:
    return callbacks[column].tolist() if column in callbacks.columns else [None] * len(callbacks)


_COUNTS: tuple[str, ...] = ("planned", "planned_done", "done", "rated", *RATINGS, "repurchase_yes", "answered")


def check_callbacks(month: Month, callbacks: pd.DataFrame, people: People,
                    counted: np.ndarray | None = None) -> tuple[pd.DataFrame, CallbackTotals]:
    """One row per agent named on the callback sheet, sorted by employee_id; and the totals the
    headline figures use. `counted` marks the rows of the month (`csbatch.sheets.period`); the
    others are in the register only as planned in the month (all rows count when not given)."""
    flags = [True] * len(callbacks) if counted is None else counted.tolist()
    start, end = month.start, month.end
    by_agent: dict[str, dict[str, int]] = {}
    # one pass over the register's columns: a row adds to its agent's counts
    for emp, planned_on, done_at, rating, intent, flag in zip(
            _cells(callbacks, "employee_id"), _instants(callbacks, "planned_date"),
            _instants(callbacks, "done_at"), _cells(callbacks, "rating"),
            _cells(callbacks, "repurchase_intent"), flags):
        agent = text(emp)
        if agent is None:
            continue
        c = by_agent.get(agent)
        if c is None:
            c = by_agent[agent] = dict.fromkeys(_COUNTS, 0)
        if planned_on is not None and start <= planned_on < end:
            c["planned"] += 1
            c["planned_done"] += done_at is not None and done_at < end
        if not flag:
            continue
        c["done"] += done_at is not None
        if not is_blank(rating):
            c["rated"] += 1
            if (code := str(rating)) in RATINGS:
                c[code] += 1
        if not is_blank(intent):
            c["answered"] += 1
            c["repurchase_yes"] += bool(intent)
    out = []
    for emp in sorted(by_agent):
        c = by_agent[emp]
        out.append({"employee_id": emp, "name": people.name(emp), "team": people.team(emp),
                    "planned": c["planned"], "done": c["done"],
                    "completion": share(c["planned_done"], c["planned"]),
                    "rated": c["rated"], **{code: c[code] for code in RATINGS},
                    "repurchase_yes": c["repurchase_yes"],
                    "repurchase_share": share(c["repurchase_yes"], c["answered"])})
    frame = table(out, list(CALLBACK_COLUMNS), ("planned", "done", "rated", *RATINGS, "repurchase_yes"))
    total = {name: sum(c[name] for c in by_agent.values()) for name in _COUNTS}
    return frame, CallbackTotals(total["planned"], total["planned_done"], total["rated"], total["satisfied"])
