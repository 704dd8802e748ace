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
COUNTED = "_counted"


@dataclass(frozen=True)
class CallbackTotals:
    planned: int
    planned_done: int
    rated: int
    satisfied: int


def _count(every: list[dict], month: Month) -> dict:
    planned = [r for r in every if (t := timestamp(r.get("planned_date"))) is not None and month.holds(t)]
    rows = [r for r in every if r.get(COUNTED, True)]
    ratings = [text(r.get("rating")) for r in rows]
    answers = [bool(r.get("repurchase_intent")) for r in rows if not is_blank(r.get("repurchase_intent"))]
    return {
        "planned": len(planned),
        "planned_done": sum(1 for r in planned
                            if (t := timestamp(r.get("done_at"))) is not None and t < month.end),
        "done": sum(1 for r in rows if not is_blank(r.get("done_at"))),
        "rated": sum(1 for v in ratings if v is not None),
        **{code: ratings.count(code) for code in RATINGS},
        "repurchase_yes": sum(answers),
        "answered": len(answers),
    }


def check_callbacks(month: Month, callbacks: pd.DataFrame, people: People,
                    counted: np.ndarray | None = None) -> tuple[pd.DataFrame, CallbackTotals]:
    """One row per agent named on the callback sheet, sorted by employee_id; and the totals the
    headline figures use. `counted` marks the rows of the month (`csbatch.sheets.period`); the
    others are in the register only as planned in the month (all rows count when not given)."""
    by_agent: dict[str, list[dict]] = {}
    flags = [True] * len(callbacks) if counted is None else counted.tolist()
    for row, flag in zip(callbacks.to_dict("records"), flags):
        row[COUNTED] = flag
        emp = text(row.get("employee_id"))
        if emp is not None:
            by_agent.setdefault(emp, []).append(row)
    out = []
    for emp in sorted(by_agent):
        c = _count(by_agent[emp], month)
        out.append({"employee_id": emp, "name": people.name(emp), "team": people.team(emp),
                    "planned": c["planned"], "done": c["done"],
                    "completion": share(c["planned_done"], c["planned"]),
                    "rated": c["rated"], **{code: c[code] for code in RATINGS},
                    "repurchase_yes": c["repurchase_yes"],
                    "repurchase_share": share(c["repurchase_yes"], c["answered"])})
    frame = table(out, list(CALLBACK_COLUMNS), ("planned", "done", "rated", *RATINGS, "repurchase_yes"))
    total = _count([r for rows in by_agent.values() for r in rows], month)
    return frame, CallbackTotals(total["planned"], total["planned_done"], total["rated"], total["satisfied"])
