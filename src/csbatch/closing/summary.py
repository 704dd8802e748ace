"""What a close tells the person who ran it when it ends: how many employees, how many rated,
the gross pay total, the VIP members, the warnings grouped by kind and where the files are.
Read from the close's state, not from the files it wrote, so it is the same numbers the
workbooks and the manifest carry; the console prints it (`console.print_close_summary`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from csbatch.closing.manifest import files_under
from csbatch.closing.state import CloseState, need
from csbatch.errors import Issue


@dataclass(frozen=True)
class CloseSummary:
    period: str
    employees: int                      # the month's population (attendance summary)
    rated: int                          # employees scored on a scorecard
    gross_pay: Decimal                  # the sum of payroll.csv's gross_pay
    members: int                        # VIP members of the month (vip_members.csv rows)
    warnings: tuple[tuple[str, int], ...]   # (issue code, how many), most frequent first
    folder: Path                        # the published month's folder
    main_files: tuple[Path, ...]        # its workbooks and pages at the top of the folder
    all_files: tuple[Path, ...]         # every file under it (shown with --verbose)


def summarize(state: CloseState, issues: Sequence[Issue]) -> CloseSummary:
    """The summary of a published close (`state.published` set: no error stopped it)."""
    computed = state.computed()
    folder = need(state.published, "published folder")
    files = tuple(folder / rel for rel in files_under(folder))
    kinds = Counter(i.code for i in issues if not i.is_error)
    return CloseSummary(
        period=state.period,
        employees=len(computed.attendance.summary),
        rated=sum(len(card.members) for card in computed.scores.cards.values()),
        gross_pay=sum(computed.payroll.payroll["gross_pay"], Decimal(0)),
        members=len(computed.vip.members),
        warnings=tuple(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
        folder=folder,
        main_files=tuple(p for p in files if p.parent == folder and p.suffix in (".xlsx", ".html")),
        all_files=files,
    )
