"""`generate_month`: a realistic, internally consistent month of every input kind.

Who and what (staff, customers) come from the seed alone; the month's events (attendance,
orders, complaints …) from the seed and the period. Files are named and sheets titled so that the
kinds' patterns of config/inputs.yaml find them, and every value is one the intake accepts."""

from __future__ import annotations

import datetime as dt
import fnmatch
import multiprocessing
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, cast

from csbatch.errors import CsbatchError, Issue
from csbatch.i18n import N_, Listed, Said
from csbatch.policy import Policy
from csbatch.samples import duty_tables as duties
from csbatch.samples import sales_tables as sales
from csbatch.samples import service_tables as service
from csbatch.samples import staff_tables as people_tables
from csbatch.samples.punches import build_attendance
from csbatch.samples.month_context import Month
from csbatch.samples.customers import build_customers, customer_count
from csbatch.samples.sales_orders import draw_orders
from csbatch.samples.staff import SELLING, build_staff
from csbatch.samples.writers import Column, Sheet, write_csv, write_xlsx

ORDERS_PER_SELLER = 15
#: Document date of files that are the same in every month (the customer base).
STABLE_CREATED = dt.datetime(2024, 1, 2, 9, 0)
#: Orders split into two sales workbooks of one sheet each must fit Excel's 1,048,576 rows.
MAX_ORDERS = 1_400_000
#: From this many orders on, files are written by parallel worker processes (fork).
PARALLEL_FROM = 100_000


@dataclass
class Output:
    """One file to write: its name, the kind (or kinds, by sheet) it holds, how to make it."""

    name: str
    kinds: tuple[str, ...]
    make: Callable[[], list[Sheet] | list[Column]]
    encoding: str | None = None        # CSV only
    rows: int = 0                      # about how many rows: the largest are written first
    stable: bool = False               # the same file in every month (no month in its metadata)


def default_orders(policy: Policy, employees: int) -> int:
    """About 15 orders per selling agent of an `employees` roster."""
    from csbatch.samples.staff import role_counts
    return ORDERS_PER_SELLER * sum(n for r, n in role_counts(policy, employees).items()
                                   if r in SELLING)


def kinds_matching(policy: Policy, name: str) -> list[str]:
    """Input kinds whose file/sheet patterns match `name` (case and full width ignored)."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    stem = folded.rsplit(".", 1)[0] if "." in folded else folded
    return sorted(k for k, kind in policy.inputs.kinds.items()
                  if any(fnmatch.fnmatchcase(x, unicodedata.normalize("NFKC", pat).casefold())
                         for pat in kind.files for x in (folded, stem)))


def generate_month(policy: Policy, period: str, out_dir: Path, *, employees: int = 20,
                   orders: int | None = None, seed: int = 2026) -> list[Path]:
    """Write a sample month of every input kind into `out_dir`; return the files written."""
    try:
        month = Month.build(policy, period, seed)
    except ValueError as exc:
        raise CsbatchError([Issue.of(None, "sample.period", N_("period '{period}' is not YYYY-MM"),
                                     period=period)]) from None
    if orders is None:
        orders = default_orders(policy, employees)
    if not 0 <= orders <= MAX_ORDERS:
        raise CsbatchError([Issue.of(None, "sample.orders", N_("a sample holds 0 to {most} orders (asked for "
                                                                 "{asked})"), most=f"{MAX_ORDERS:,}",
                                     asked=f"{orders:,}")])
    staff = build_staff(month, employees)
    att = build_attendance(month, staff)
    customers = build_customers(month, staff, customer_count(orders))
    sold = draw_orders(month, staff, customers, att, orders)
    sales.set_targets(month, staff, sold)
    refund = _last_month_refund(month, employees, customers, orders)
    web, shop = sales.sales_sheets(month, staff, customers, sold, refund)
    p = month.period
    plan = [
        Output("员工名册.xlsx", ("roster",), lambda: [people_tables.roster_sheet(month, staff)]),
        Output(f"考勤_{p}.csv", ("attendance",),
               lambda: people_tables.punch_columns(month, staff, att), "gbk"),
        Output(f"排班表_{p}.xlsx", ("shifts",), lambda: [people_tables.shifts_sheet(month, staff, att)]),
        Output(f"月度台账_{p}.xlsx", ("leave", "conduct", "recognitions", "collaboration"),
               lambda: [people_tables.leave_sheet(month, att),
                        people_tables.conduct_sheet(month, staff, att),
                        people_tables.recognitions_sheet(month, staff),
                        people_tables.collaboration_sheet(month, staff, att)]),
        Output("销售订单_1.xlsx", ("sales",), lambda: web, rows=web[0].rows),
        Output("销售订单_2.xlsx", ("sales",), lambda: [shop], rows=shop.rows),
        Output(f"产量表_{p}.xlsx", ("production",),
               lambda: [sales.production_sheet(month, staff, sold)]),
        Output(f"接待统计_{p}.csv", ("contacts",),
               lambda: sales.contacts_columns(month, staff, att, sold), "utf-8-sig"),
        Output(f"投诉登记_{p}.xlsx", ("complaints",),
               lambda: [service.complaints_sheet(month, staff, customers, sold)]),
        Output(f"回访记录_{p}.xlsx", ("callbacks",),
               lambda: [service.callbacks_sheet(month, staff, customers, sold)]),
        Output("客户档案.xlsx", ("customers",), lambda: [sales.customers_sheet(month, customers)],
               rows=len(customers), stable=True),
        Output(f"积分兑换_{p}.xlsx", ("redemptions",), lambda: [sales.redemptions_sheet(month)]),
        Output(f"VIP资料变更_{p}.xlsx", ("member_changes",),
               lambda: [sales.member_changes_sheet(month, customers)]),
        Output(f"督导问卷_{p}.xlsx", ("audits",),
               lambda: [service.audits_sheet(month, staff, att)]),
        Output(f"聊天记录抽查_{p}.xlsx", ("chat_checks",),
               lambda: [service.chat_checks_sheet(month, staff, att)]),
        Output(f"主管评分_{p}.xlsx", ("reviews",), lambda: [service.reviews_sheet(month, staff)]),
        Output(f"其他调整_{p}.xlsx", ("adjustments",),
               lambda: [service.adjustments_sheet(month, staff)]),
        Output(f"提交记录_{p}.xlsx", ("submissions",),
               lambda: [service.submissions_sheet(month, staff, att)]),
        Output(f"会议培训记录_{p}.xlsx", ("meetings",), lambda: [duties.meetings_sheet(month, staff, att)]),
    ]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    created = dt.datetime.combine(month.last + dt.timedelta(days=1), dt.time(9, 0))
    jobs = [(policy, out_dir, out, created, month) for out in plan]
    return _write_all(jobs, parallel=orders >= PARALLEL_FROM)


_JOBS: list[tuple] = []     # what forked workers write: they inherit it, nothing is pickled


def _write_job(i: int) -> Path:
    return _write(*_JOBS[i])


def _write_all(jobs: list[tuple], parallel: bool) -> list[Path]:
    """Write every file, largest first on several processes when asked and possible. Each file
    is written by one process, so the bytes do not depend on the scheduling."""
    global _JOBS
    workers = min(os.cpu_count() or 1, 4, len(jobs))
    if not parallel or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [_write(*job) for job in jobs]
    order = sorted(range(len(jobs)), key=lambda i: (-jobs[i][2].rows, i))
    _JOBS = jobs
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            done = dict(zip(order, pool.imap(_write_job, order, chunksize=1)))
    finally:
        _JOBS = []
    return [done[i] for i in range(len(jobs))]


def _write(policy: Policy, out_dir: Path, out: Output, created: dt.datetime,
           month: Month) -> Path:
    path = out_dir / out.name
    made = out.make()
    if out.encoding:
        _check_kind(policy, out.name, out.kinds)
        return write_csv(path, cast(list[Column], made), out.encoding)   # a CSV output makes columns
    made = cast(list[Sheet], made)                                         # a workbook output, sheets
    by_file = kinds_matching(policy, out.name)
    if by_file:
        _check_kind(policy, out.name, out.kinds)
    else:
        for sheet in made:
            if not sheet.hidden:
                _check_kind(policy, sheet.name, (out.kinds[made.index(sheet)],))
    stem = out.name.rsplit(".", 1)[0]
    if out.stable:
        return write_xlsx(path, made, STABLE_CREATED, title=stem)
    return write_xlsx(path, made, created, title=f"{month.label} {stem}")


def _check_kind(policy: Policy, name: str, kinds: tuple[str, ...]) -> None:
    found = kinds_matching(policy, name)
    if found != sorted(kinds):
        raise CsbatchError([Issue.of(None, "sample.kind", N_("sample file '{name}' would be read as {found}, not "
                                                               "{kinds}: check the patterns in config/inputs.yaml"),
                                     name=name, found=Listed(found) if found else Said(N_("nothing")),
                                     kinds=Listed(kinds))])


def _last_month_refund(month: Month, employees: int, customers, orders: int) -> dict | None:
    prev = month.previous()
    if prev is None:
        return None
    staff = build_staff(prev, employees)
    return sales.previous_refund(prev, staff, customers,
                                 draw_orders(prev, staff, customers, build_attendance(prev, staff),
                                             orders))
