"""What a re-close changed in pay, as HR reads it: per employee and pay component the amount
before and after with the change, the employee's name and the component's name (pay.yaml `name`,
not its code), and why the month was reopened (who, when, why: the ledger's reopen record).

The ledger compares the pay lines (`csbatch.ledger.store.changes`, what the manifest records);
this gives those rows words and a total, once, for both the payroll workbook's 变更明细 sheet and
the console after `monthly-close`. A first close has no `PayChanges`: there is nothing to compare.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from csbatch.money import ZERO_CENTS as ZERO
from csbatch.policy import Policy


@dataclass(frozen=True)
class Reopening:
    """The ledger's record of the reopening a re-close follows."""
    reopened_at: str
    reopened_by: str
    reason: str


@dataclass(frozen=True)
class ChangedLine:
    employee_id: str
    name: str              # blank when the employee is not on this close's payroll
    component: str         # code
    component_name: str    # pay.yaml `name`; the code when the policy no longer has the component
    before: Decimal
    after: Decimal

    @property
    def change(self) -> Decimal:
        return self.after - self.before


@dataclass(frozen=True)
class PayChanges:
    """A re-close's changes against the close it replaces; no lines when nothing changed."""
    lines: tuple[ChangedLine, ...]
    reopening: Reopening | None     # None only for a ledger that lost the record (never written so)

    @property
    def before(self) -> Decimal:
        return sum((line.before for line in self.lines), ZERO)

    @property
    def after(self) -> Decimal:
        return sum((line.after for line in self.lines), ZERO)

    @property
    def change(self) -> Decimal:
        return self.after - self.before

    def frame(self) -> pd.DataFrame:
        """The changed lines, then a total row ("合计"), in the columns of the 变更明细 sheet."""
        why = self.reopening or Reopening("", "", "")
        rows = [{"employee_id": line.employee_id, "name": line.name, "component": line.component_name,
                 "before": line.before, "after": line.after, "change": line.change, "reason": why.reason,
                 "reopened_by": why.reopened_by, "reopened_at": why.reopened_at} for line in self.lines]
        rows.append({"employee_id": "合计", "name": None, "component": None, "before": self.before,
                     "after": self.after, "change": self.change, "reason": None, "reopened_by": None,
                     "reopened_at": None})
        return pd.DataFrame(rows)


def describe(rows: Iterable[Mapping[str, str]], payroll: pd.DataFrame, policy: Policy,
             reopening: Reopening | None) -> PayChanges:
    """The ledger's change rows (employee_id, component, before, after as text with two decimals)
    with names: the employee's from this close's payroll, the component's from the policy."""
    names = dict(zip(payroll["employee_id"], payroll["name"]))
    components = policy.pay.components
    lines = tuple(ChangedLine(employee_id=r["employee_id"], name=str(names.get(r["employee_id"], "")),
                              component=r["component"],
                              component_name=components[r["component"]].name if r["component"] in components
                              else r["component"],
                              before=Decimal(r["before"]), after=Decimal(r["after"]))
                  for r in rows)
    return PayChanges(lines, reopening)
