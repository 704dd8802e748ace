"""What the close asks of the ledger, and how a close and a reopening are recorded.

Publishing a month touches two things that cannot change in one atomic step: the ledger and the
`OUT/PERIOD` folder. The ledger is the truth. A close writes every file into a staging folder,
commits the ledger (the one atomic step), then renames the staging folder into place and marks
the close published. A crash before the commit leaves the ledger as it was and no `OUT/PERIOD`;
a crash between the commit and the rename leaves a committed close whose staging folder is
complete, and `reconcile` (run at the start of every close and reopening) finishes the rename.
HR therefore never sees a folder the ledger does not know.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import socket
import sqlite3
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any, SupportsInt, cast

import numpy as np
import pandas as pd

from csbatch.blanks import is_blank
from csbatch.errors import Issue, Source
from csbatch.i18n import N_
from csbatch.ledger import compact, digests, guard, staging
from csbatch.ledger.blobs import KeptFile
from csbatch.ledger.db import immediate, open_ledger
from csbatch.payroll.changes import Reopening

if TYPE_CHECKING:
    from csbatch.vip.model import VipHistory, VipResult

LEDGER_NAME = "csbatch-ledger.sqlite"
#: the messages every command that reads a ledger may give (catalogue strings, `Issue.of`)
NO_LEDGER = N_("no ledger here: nothing was ever closed with it")
NEVER_CLOSED = N_("{period} was never closed with this ledger")
ALREADY_CLOSED = N_("{period} is already closed (by {by} at {at}, published in {folder}). To close it again, "
                    "reopen it first: csbatch reopen {period} --reason \"…\" --ledger {ledger}")


def default_ledger(out_dir: Path) -> Path:
    return Path(out_dir) / LEDGER_NAME


def ledger_at(ledger: Path | None, out_dir: Path | None) -> Path:
    """`--ledger`, else the ledger in `--out` (the command line refuses neither given)."""
    if ledger is not None:
        return ledger
    if out_dir is None:
        raise ValueError("no ledger: give --ledger PATH or --out DIR")
    return default_ledger(out_dir)


def who() -> str:
    try:
        user = getpass.getuser()
    except Exception:  # no login name in some containers
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


def now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True)
class CloseRecord:
    close_id: str
    period: str
    closed_at: str
    closed_by: str
    out_dir: str
    staging: str
    published: bool
    superseded: bool

    @property
    def folder(self) -> Path:
        return Path(self.out_dir) / self.period


class OrderError(Exception):
    """A month cannot be reopened while a later month stays closed."""


class PublishedElsewhere(Exception):
    """The ledger says the month was published in another folder than the `--out` given."""

    def __init__(self, record: CloseRecord, out_dir: Path):
        super().__init__(record.close_id)
        self.record = record
        self.out_dir = out_dir


class ImportRefused(Exception):
    """A purchase history or the member register cannot be imported into this ledger (a catalogue
    message and its values)."""

    def __init__(self, template: str, **values: Any):
        super().__init__(template)
        self.template = template
        self.values = values


class AlreadyClosed(Exception):
    def __init__(self, record: CloseRecord):
        super().__init__(record.close_id)
        self.record = record


@dataclass(frozen=True)
class NewClose:
    close_id: str
    period: str
    out_dir: Path
    staging: Path
    manifest: dict
    pay_lines: pd.DataFrame      # employee_id, component, amount, reason
    order_pay: pd.DataFrame      # order_id, employee_id, component, amount
    results: pd.DataFrame        # employee_id, scorecard, total, grade, rank, rated
    vip: VipResult | None = None                         # purchases, cards (state after the close), points
    figures: Mapping[str, Decimal | None] | None = None  # the audit report's headline figures, for later trends
    kept: tuple[KeptFile, ...] = ()                      # the input and policy files it read, kept (ledger.kept)
    policy_revision: str | None = None                   # a git commit or "snapshot:<sha256>"
    policy_previous: str | None = None                   # a re-close's: the replaced close's, when it differs
    policy_changes: tuple[str, ...] | None = None        # ... and the rule changes in words, when known


class _Unfinished(Exception):
    """A close's recording left without `finish`: rolled back, and not an error."""


class CloseRecording:
    """A close being recorded (`Ledger.recording`): its rows, then its own record."""

    def __init__(self, ledger: Ledger, new: NewClose) -> None:
        self._ledger, self._new = ledger, new
        self._known: dict[str, tuple[int, str] | None] | None = None
        self.finished = False

    def write_rows(self) -> None:
        """Insert the month's rows (uncommitted until `finish`)."""
        if self._known is not None:
            raise RuntimeError("a close's rows are written once")
        self._known = self._ledger._record_rows(self._new)

    def finish(self, new: NewClose) -> None:
        """Record the close itself: `new` is the close begun, with its manifest, kept files and
        policy revision now known (the rows are `write_rows`' own)."""
        if self._known is None or new.close_id != self._new.close_id or self.finished:
            raise RuntimeError("a close is finished once, after its rows, with its own id")
        self._ledger._finish_close(new, self._known)
        self.finished = True


def _day(value) -> str | None:
    """A date as ISO text (YYYY-MM-DD), or None."""
    if is_blank(value):
        return None
    return pd.Timestamp(value).date().isoformat()


def _days(values: pd.Series) -> list[str | None]:
    """`_day` of each value; a datetime column at once (NaT: None), any other value by value."""
    if not pd.api.types.is_datetime64_any_dtype(values.dtype):
        return [_day(v) for v in values]
    if values.dtype == np.dtype("datetime64[ns]"):   # no time zone: numpy's ISO text of each distinct day
        days, where = np.unique(values.to_numpy().astype("datetime64[D]"), return_inverse=True)
        texts = [None if np.isnat(d) else t for d, t in zip(days, np.datetime_as_string(days, unit="D").tolist())]
        return list(map(texts.__getitem__, where.ravel().tolist()))
    text = values.dt.strftime("%Y-%m-%d")
    return [None if blank else t for t, blank in zip(text, values.isna())]


def _text(value) -> str | None:
    if is_blank(value):
        return None
    return str(value)


class Ledger:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.conn: sqlite3.Connection = open_ledger(self.path)

    def close(self) -> None:
        self.conn.close()

    # --- reading -------------------------------------------------------------------------------

    def _record(self, row) -> CloseRecord:
        return CloseRecord(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]), bool(row[7]))

    _COLUMNS = "close_id, period, closed_at, closed_by, out_dir, staging, published, superseded"

    def live_close(self, period: str) -> CloseRecord | None:
        row = self.conn.execute(f"SELECT {self._COLUMNS} FROM closes WHERE period = ? AND superseded = 0",
                                (period,)).fetchone()
        return self._record(row) if row else None

    def close_by_id(self, close_id: str) -> CloseRecord | None:
        row = self.conn.execute(f"SELECT {self._COLUMNS} FROM closes WHERE close_id = ?", (close_id,)).fetchone()
        return self._record(row) if row else None

    def verify(self, recompute: bool = True) -> tuple[list[Issue], int]:
        """The ledger checked against the digests its closes and imports recorded: one error per
        table and month changed outside csbatch, and how many digests were checked (without
        `recompute`: none, only the checks `digests.verify` makes without reading rows)."""
        found, checked = digests.verify(self.conn, recompute)
        return [Issue.of(Source(str(self.path)), "ledger.tampered",
                         N_("{change}; no month is built on a changed ledger: restore it from a backup (or "
                            "undo the change); `csbatch ledger verify` lists every difference"), change=m.said)
                for m in found], checked

    def check(self) -> list[Issue]:
        """What every command that builds on the ledger checks first: its digests recomputed only
        when the ledger logged a change csbatch did not make (csbatch.ledger.guard), so the check
        costs the same however many months the ledger holds; found intact, the log is emptied."""
        if guard.untouched(self.conn):
            return self.verify(recompute=False)[0]
        with immediate(self.conn):   # the write lock: no change is logged between the check and the clear
            issues, _ = self.verify()
            if not issues and guard.mark(self.conn) is not None:
                guard.clear(self.conn)
        return issues

    def already_closed(self, record: CloseRecord, template: str = ALREADY_CLOSED) -> Issue:
        """The refusal to close a month again (`template`: ALREADY_CLOSED, or a message built on it)."""
        return Issue.of(Source(str(self.path)), "ledger.closed", template, period=record.period,
                        by=record.closed_by, at=record.closed_at, folder=record.folder, ledger=self.path)

    def check_open(self, period: str) -> list[Issue]:
        record = self.live_close(period)
        if record is None:
            return []
        return [self.already_closed(record)]

    # history the stages read -------------------------------------------------------------------

    def paid_orders(self, order_ids: Collection[str]) -> pd.DataFrame:
        """Per-order pay of live closes for these orders (to reverse refunds): each live close's
        stored form of each order (`compact.id_refs`, encoded once, in the close's own forms since
        migration 11) in a TEMP table, the rows read by the key of `order_pay_rows` (its close,
        the order), so the cost follows the orders asked about, never a scan of every row the
        ledger holds; a close is asked only for the orders within its range (`compact.OrderProbe`),
        so it does not grow with the months held either."""
        ids = list(dict.fromkeys(order_ids))
        texts = [i if isinstance(i, str) else str(i) for i in ids]
        refs = compact.id_refs(self.conn, ids, add=False)
        forms = compact.order_forms(self.conn)
        live = self.conn.execute("SELECT w.key, c.period FROM closes c JOIN ledger_keys w ON w.text = c.close_id "
                                 "WHERE c.superseded = 0").fetchall()
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS paid_forms (owner, ref, order_id, PRIMARY KEY (owner, ref)) "
                          "WITHOUT ROWID")
        try:
            self.conn.execute("DELETE FROM temp.paid_forms")
            probe = compact.OrderProbe(refs, texts)
            for owner, _ in live:
                base, width, _ = forms.get(owner, (0, 32, 0))
                self.conn.executemany("INSERT OR IGNORE INTO temp.paid_forms VALUES (?, ?, ?)",
                                      probe.rows(self.conn, owner, base, width))
            # CROSS JOIN fixes the order: the orders of each close, then its rows by key
            rows = self.conn.execute(
                f"""SELECT r.owner, r.order_id, {compact.staff_sql('o.employee_ref')}, o.component,
                           {compact.amount_sql('o.amount')}
                    FROM temp.paid_forms r CROSS JOIN order_pay_rows o
                    WHERE o.owner = r.owner AND o.order_ref = r.ref
                    ORDER BY o.owner, o.order_ref, o.component, o.employee_ref, o.dup""").fetchall()
        finally:
            self.conn.execute("DELETE FROM temp.paid_forms")
        periods = dict(live)
        keys = dict(self.conn.execute("SELECT key, text FROM ledger_keys")) if rows else {}
        shifts = {owner: forms.get(owner, (0, 32, 0))[2] for owner in periods}
        rows = sorted(((o, periods[w], e, keys[k + shifts[w]], a) for w, o, e, k, a in rows),
                      key=lambda r: (r[0], r[3]))
        frame = pd.DataFrame(rows, columns=["order_id", "period", "employee_id", "component", "amount"])
        frame["amount"] = frame["amount"].map(Decimal)
        return frame

    def grade(self, employee_id: str, period: str) -> str | None:
        row = self.conn.execute(
            """SELECT r.grade FROM results r JOIN closes c ON c.close_id = r.close_id
               WHERE c.superseded = 0 AND c.period = ? AND r.employee_id = ?""", (period, employee_id)).fetchone()
        return row[0] if row else None

    def previous_pay(self, period: str) -> pd.DataFrame | None:
        """Pay lines of the latest superseded close of `period` (what a re-close compares with)."""
        row = self.conn.execute(
            """SELECT close_id FROM closes WHERE period = ? AND superseded = 1
               ORDER BY closed_at DESC, rowid DESC LIMIT 1""", (period,)).fetchone()
        if row is None:
            return None
        lines = self.conn.execute("SELECT employee_id, component, amount FROM pay_lines WHERE close_id = ?",
                                  (row[0],)).fetchall()
        frame = pd.DataFrame(lines, columns=["employee_id", "component", "amount"])
        frame["amount"] = frame["amount"].map(Decimal)
        return frame

    def last_reopening(self, period: str) -> Reopening | None:
        """Who reopened `period` last, when and why (what a re-close tells HR)."""
        row = self.conn.execute("SELECT reopened_at, reopened_by, reason FROM reopenings WHERE period = ? "
                                "ORDER BY id DESC LIMIT 1", (period,)).fetchone()
        return Reopening(*row) if row else None

    # --- writing -------------------------------------------------------------------------------

    def record_close(self, new: NewClose) -> None:
        """Commit the close. Raises AlreadyClosed if another close of the month won the race."""
        with self.recording(new) as recording:
            recording.write_rows()
            recording.finish(new)

    @contextmanager
    def recording(self, new: NewClose) -> Iterator[CloseRecording]:
        """The close being recorded, in one transaction holding the ledger's write lock from the
        start: the month's live close is checked first (AlreadyClosed before anything is written),
        `write_rows` inserts the month's rows (while the files are still being written: see
        `csbatch.closing.publish`), `finish` records the close with its manifest and commits. Left
        without `finish` (or by an exception), nothing is recorded: the transaction rolls back."""
        recording = CloseRecording(self, new)
        try:
            # the row tables' insert triggers lifted while csbatch writes its own rows (ledger.guard)
            with immediate(self.conn), guard.lifted(self.conn):
                existing = self.live_close(new.period)
                if existing is not None:
                    raise AlreadyClosed(existing)
                # the manifest and the time come with `finish`, once the files are written
                self.conn.execute(
                    f"INSERT INTO closes ({self._COLUMNS}, manifest) VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?)",
                    (new.close_id, new.period, "", who(), str(Path(new.out_dir).resolve()),
                     str(Path(new.staging).resolve()), "{}"))
                yield recording
                if not recording.finished:
                    raise _Unfinished
                from csbatch.failpoints import failpoint
                failpoint("close.before_commit")
        except _Unfinished:
            return              # rolled back: the caller left without recording the close
        except sqlite3.IntegrityError:  # the unique index caught a race the check did not
            winner = self.live_close(new.period)
            if winner is None:  # not that index: a bug in what the close recorded
                raise
            raise AlreadyClosed(winner) from None

    def _record_rows(self, new: NewClose) -> dict[str, tuple[int, str] | None]:
        """The month's rows (pay lines, per-order pay, results, VIP, audit figures); returns the
        digests already known from the values written (`digests.record`)."""
        lines, paid = new.pay_lines, new.order_pay
        # columns by `tolist` (the same values): iterating a `str` column goes through pandas'
        # `__getitem__` a value at a time (17k pay lines at 1M: 13 ms, 4.6 ms this way)
        self.conn.executemany("INSERT INTO pay_lines VALUES (?, ?, ?, ?, ?)", zip(
            repeat(new.close_id), lines["employee_id"].tolist(), lines["component"].tolist(),
            map(str, lines["amount"].tolist()), (reason or "" for reason in lines["reason"].tolist())))
        # `tolist`: the values `list` gives, without pandas' Python loop a value at a time
        order_ids, employee_ids, components = (paid[c].tolist() for c in ("order_id", "employee_id",
                                                                           "component"))
        amounts = list(map(str, paid["amount"].tolist()))
        compact.insert_order_pay(self.conn, new.close_id, order_ids, employee_ids, components, amounts)
        # the view reads back these very texts (ledger.compact): digested as written
        known = {"order_pay": digests.digest_columns([order_ids, employee_ids, components, amounts])}
        del order_ids, employee_ids, components, amounts
        self.conn.executemany("INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?)", (
            (new.close_id, r.employee_id, r.scorecard, _text(r.total), _text(r.grade),
             None if is_blank(r.rank) else int(cast(SupportsInt, r.rank)), int(bool(r.rated)))
            for r in new.results.itertuples(index=False)))
        if new.vip is not None:
            known["vip_purchases"] = self._record_vip(new.close_id, new.vip)
        self.conn.executemany("INSERT INTO audit_figures VALUES (?, ?, ?)", (
            (new.close_id, figure, _text(value)) for figure, value in sorted((new.figures or {}).items())))
        return known

    def _finish_close(self, new: NewClose, known: dict[str, tuple[int, str] | None]) -> None:
        """The close's own row completed (its time, its manifest), what it kept, the digests."""
        manifest = json.dumps(new.manifest, ensure_ascii=False, separators=(",", ":"))   # read as JSON only
        self.conn.execute("UPDATE closes SET closed_at = ?, manifest = ? WHERE close_id = ?",
                          (now(), manifest, new.close_id))
        self._record_kept(new)
        digests.record(self.conn, new.close_id, new.period, digests.CLOSE_PARTS, known)

    def _record_kept(self, new: NewClose) -> None:
        self.conn.executemany("INSERT INTO kept_files VALUES (?, ?, ?, ?, ?, ?, ?)", (
            (new.close_id, k.role, k.name, k.kinds, k.sha256, k.size, k.stored) for k in new.kept))
        if new.policy_revision is not None:
            changes = None if new.policy_changes is None else json.dumps(list(new.policy_changes), ensure_ascii=False)
            self.conn.execute("INSERT INTO close_policy VALUES (?, ?, ?, ?)",
                              (new.close_id, new.policy_revision, new.policy_previous, changes))

    def _record_vip(self, close_id: str, vip: VipResult) -> tuple[int, str] | None:
        """The close's VIP rows; returns the digest of its purchases, as `_record_purchases`."""
        purchases = self._record_purchases(close_id, vip.purchases)
        self.conn.executemany("INSERT INTO vip_cards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (
            (close_id, r.card_no, r.person, r.customer_id, r.programme, r.tier, _day(r.issued_on),
             _day(r.valid_until), r.status, _day(r.silver_since), _day(r.renewed_on))
            for r in vip.cards.itertuples(index=False)))
        self.conn.executemany("INSERT INTO vip_points VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (
            (close_id, r.card_no, r.person, r.customer_id, _day(r.date), r.kind, int(cast(SupportsInt, r.points)),
             _text(r.order_id), r.note or "")
            for r in vip.points.itertuples(index=False)))
        return purchases

    def _record_purchases(self, source: str, purchases: pd.DataFrame) -> tuple[int, str] | None:
        """VIP purchases (PURCHASE_COLUMNS) of a close or a history import, inserted from columns;
        returns their digest computed from the texts written (`digests.digest_columns`: the view
        reads them back), None where it must be read back."""
        texts = [purchases[c].tolist() for c in ("period", "customer_id", "store_type", "category", "order_id")]
        columns = [*texts, _days(purchases["order_date"]), list(map(str, purchases["amount"].tolist()))]
        compact.insert_purchases(self.conn, source, *columns)
        return digests.digest_columns(columns)

    def vip_history(self, before: str | None = None) -> VipHistory:
        """The VIP programme as earlier months left it: purchases of live closes and history
        imports (asked for in SQL, `ledger.vip_reads`; loaded whole only when read), the cards of
        the latest live close, every points entry of live closes. With `before` (a period), as it
        stood when that month closed: only what months before it left (what-if recomputes a
        closed month on it)."""
        from csbatch.ledger.vip_reads import LedgerPurchases
        from csbatch.vip.model import CARD_COLUMNS, POINT_COLUMNS, VipHistory

        until = before or "9999-99"
        latest = self.conn.execute("SELECT close_id FROM closes WHERE superseded = 0 AND period < ? "
                                   "ORDER BY period DESC LIMIT 1", (until,)).fetchone()
        if latest is not None:
            card_rows = self.conn.execute(
                f"SELECT {', '.join(CARD_COLUMNS)} FROM vip_cards WHERE close_id = ? ORDER BY card_no",
                (latest[0],)).fetchall()
        else:  # no earlier close: the members imported at go-live, all active
            card_rows = self.conn.execute(
                f"""SELECT {', '.join("'active'" if c == "status" else c for c in CARD_COLUMNS)}
                    FROM vip_member_cards ORDER BY card_no""").fetchall()
        cards = pd.DataFrame(card_rows, columns=CARD_COLUMNS)
        for col in ("issued_on", "valid_until", "silver_since", "renewed_on"):
            cards[col] = pd.to_datetime(cards[col])
        points = pd.DataFrame(self.conn.execute(
            f"""SELECT {', '.join('v.' + c for c in POINT_COLUMNS)} FROM vip_points v
                JOIN closes c ON c.close_id = v.close_id WHERE c.superseded = 0 AND c.period < ?
                ORDER BY v.date, v.rowid""", (until,)).fetchall(), columns=POINT_COLUMNS)
        imported = pd.DataFrame(self.conn.execute(
            """SELECT card_no, person, customer_id, COALESCE(renewed_on, issued_on), 'issue', points, NULL,
                      '导入的积分余额' FROM vip_member_cards WHERE points != 0 ORDER BY card_no""").fetchall(),
            columns=POINT_COLUMNS)
        if not imported.empty:  # the balance each imported card had at go-live: the first entry of its sum
            points = pd.concat([imported, points], ignore_index=True) if not points.empty else imported
        points["date"] = pd.to_datetime(points["date"])
        points["points"] = points["points"].astype("int64")
        return VipHistory(None, cards, points, earlier=LedgerPurchases(self.conn, until))

    def figures_history(self, before: str) -> pd.DataFrame:
        """Headline audit figures of the live closes of months before `before`: period, figure, value."""
        rows = self.conn.execute(
            """SELECT c.period, f.figure, f.value FROM audit_figures f JOIN closes c ON c.close_id = f.close_id
               WHERE c.superseded = 0 AND c.period < ? ORDER BY c.period, f.figure""", (before,)).fetchall()
        values = [None if v is None else Decimal(v) for _, _, v in rows]  # pandas would make None a NaN
        frame = pd.DataFrame([r[:2] for r in rows], columns=["period", "figure"])
        frame["value"] = pd.Series(values, dtype=object)
        return frame

    def later_close(self, period: str) -> CloseRecord | None:
        row = self.conn.execute(f"SELECT {self._COLUMNS} FROM closes WHERE period > ? AND superseded = 0 "
                                "ORDER BY period DESC LIMIT 1", (period,)).fetchone()
        return self._record(row) if row else None

    def check_order(self, period: str) -> list[Issue]:
        """Months close in order: what a close carries forward (VIP cards and points, refunds of
        closed months) would be wrong for a month closed after a later one."""
        later = self.later_close(period)
        if later is None:
            return []
        return [Issue.of(Source(str(self.path)), "ledger.order",
                         N_("{later} is already closed: months close in order, so {period} cannot be "
                            "closed after it (reopen {later} first)"), later=later.period, period=period)]

    def periods_with_purchases(self, periods: Collection[str]) -> list[str]:
        found = self.conn.execute(
            f"""SELECT DISTINCT period FROM vip_purchases
                WHERE period IN ({','.join('?' * len(periods))})
                  AND (source IN (SELECT close_id FROM closes WHERE superseded = 0)
                       OR source IN (SELECT import_id FROM vip_imports))""", list(periods)).fetchall()
        return sorted(r[0] for r in found)

    def import_purchases(self, import_id: str, file: str, sha256: str, purchases: pd.DataFrame,
                         months: Collection[str] = ()) -> None:
        """Record a history file's purchases; `months` are the months the file speaks about even
        where nothing of theirs is recorded (only refunds), refused like the rest if held."""
        periods = sorted(set(purchases["period"]) | set(months))
        with immediate(self.conn), guard.lifted(self.conn):
            clash = self.periods_with_purchases(periods)
            if clash:
                raise ImportRefused(N_("the ledger already has purchases for {months}: history is loaded once, "
                                       "for months it has none of"), months=", ".join(clash))
            self.conn.execute("INSERT INTO vip_imports VALUES (?, ?, ?, ?, ?, ?, ?)",
                              (import_id, now(), who(), file, sha256, ",".join(periods), len(purchases)))
            known = self._record_purchases(import_id, purchases)
            digests.record(self.conn, import_id, ",".join(periods), digests.IMPORT_PARTS, {"vip_purchases": known})

    def import_members(self, import_id: str, file: str, sha256: str, first_period: str,
                       cards: pd.DataFrame) -> None:
        """Record the member register (`vip.register.register_cards`: CARD_COLUMNS and points),
        once, before any close: raises ImportRefused when members were imported already or a
        live close carries cards of its own."""
        with immediate(self.conn), guard.lifted(self.conn):
            done = self.conn.execute("SELECT i.import_id, i.imported_at, i.file FROM vip_imports i WHERE EXISTS "
                                     "(SELECT 1 FROM vip_member_cards m WHERE m.import_id = i.import_id)").fetchone()
            if done is not None:
                raise ImportRefused(N_("the members were imported already ({file}, at {at}): the register is "
                                        "loaded once"), file=str(done[2]), at=str(done[1]))
            live = self.conn.execute("SELECT period FROM closes WHERE superseded = 0 ORDER BY period LIMIT 1"
                                     ).fetchone()
            if live is not None:
                raise ImportRefused(N_("{period} is already closed with this ledger: its close made the "
                                        "members; the register is loaded before the first close"), period=str(live[0]))
            self.conn.execute("INSERT INTO vip_imports VALUES (?, ?, ?, ?, ?, ?, ?)",
                              (import_id, now(), who(), file, sha256, first_period, len(cards)))
            self.conn.executemany("INSERT INTO vip_member_cards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (
                (import_id, r.card_no, r.person, r.customer_id, r.programme, r.tier, _day(r.issued_on),
                 _day(r.valid_until), _day(r.silver_since), _day(r.renewed_on), int(cast(SupportsInt, r.points)))
                for r in cards.itertuples(index=False)))
            digests.record(self.conn, import_id, first_period, digests.IMPORT_PARTS)

    def mark_published(self, close_id: str) -> None:
        with immediate(self.conn):
            self.conn.execute("UPDATE closes SET published = 1 WHERE close_id = ?", (close_id,))

    def reopen(self, period: str, reason: str, out_dir: Path | None = None) -> tuple[CloseRecord, Path | None]:
        """Supersede the live close of `period` and move its folder aside, under `out_dir` when
        given. Returns the close and where its folder went. Raises LookupError (not closed),
        OrderError (a later month is closed), PublishedElsewhere (`out_dir` does not hold it)."""
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        with immediate(self.conn):
            record = self.live_close(period)
            if record is None:
                raise LookupError(period)
            later = self.later_close(period)
            if later is not None:
                raise OrderError(later.period)
            folder = self.folder_under(record, out_dir)
            moved_to = folder.with_name(f"{period}.reopened-{stamp}")
            n = 1
            while moved_to.exists() or moved_to.is_symlink():
                n += 1
                moved_to = folder.with_name(f"{period}.reopened-{stamp}-{n}")
            self.conn.execute("UPDATE closes SET superseded = 1 WHERE close_id = ?", (record.close_id,))
            self.conn.execute("INSERT INTO reopenings (period, close_id, reopened_at, reopened_by, reason, "
                              "moved_to) VALUES (?, ?, ?, ?, ?, ?)",
                              (period, record.close_id, now(), who(), reason, str(moved_to)))
        staging.remove_leftovers(folder.parent, self._awaiting_publication())
        if folder.exists():
            os.rename(folder, moved_to)
            return record, moved_to
        return record, None

    @staticmethod
    def folder_under(record: CloseRecord, out_dir: Path | None) -> Path:
        """The close's published folder: where the ledger says, or under `out_dir` when that is
        another folder holding this very close (the whole OUT was moved). Anything else is
        refused rather than guessed."""
        if out_dir is None or Path(out_dir).resolve() == Path(record.out_dir).resolve():
            return record.folder
        here = Path(out_dir) / record.period
        try:
            close_id = json.loads((here / "manifest.json").read_text(encoding="utf-8")).get("close_id")
        except (OSError, ValueError, AttributeError):
            close_id = None
        if close_id != record.close_id:
            raise PublishedElsewhere(record, Path(out_dir))
        return here

    # --- recovery ------------------------------------------------------------------------------

    def reconcile(self, out_dir: Path, period: str) -> list[Issue]:
        """Finish what a crash interrupted, so ledger and folders agree again:
        a committed close whose staging folder was not yet renamed is published; a superseded
        close's folder left in place by a crashed reopening is moved aside; staging folders no
        running close holds (of any month: they hold full outputs) are removed."""
        issues: list[Issue] = []
        out_dir = Path(out_dir)
        live = self.live_close(period)
        if live is not None and not live.published:
            folder = Path(live.staging)
            if folder.exists() and not live.folder.exists():
                os.rename(folder, live.folder)
                issues.append(Issue.warn(Source(str(live.folder)), "ledger.recovered",
                                         N_("finished publishing the close that was interrupted after it "
                                            "was committed")))
            if live.folder.exists():
                self.mark_published(live.close_id)
        folder = out_dir / period
        manifest = folder / "manifest.json"
        if manifest.exists():
            try:
                close_id = json.loads(manifest.read_text(encoding="utf-8")).get("close_id")
            except (ValueError, OSError):
                close_id = None
            record = self.close_by_id(close_id) if close_id else None
            if record is not None and record.superseded:
                row = self.conn.execute("SELECT moved_to FROM reopenings WHERE close_id = ? ORDER BY id DESC",
                                        (record.close_id,)).fetchone()
                if row and row[0] and not Path(row[0]).exists():
                    os.rename(folder, row[0])
                    issues.append(Issue.warn(Source(str(folder)), "ledger.recovered",
                                             N_("moved the reopened close's folder aside to {moved}"), moved=row[0]))
        staging.remove_leftovers(out_dir, self._awaiting_publication())
        return issues

    def _awaiting_publication(self) -> set[Path]:
        """Staging folders of committed closes not yet renamed into place (never leftovers)."""
        return {Path(r[0]).resolve() for r in self.conn.execute(
            "SELECT staging FROM closes WHERE published = 0 AND superseded = 0")}


def changes(previous: pd.DataFrame | None, current: pd.DataFrame) -> list[dict[str, str]] | None:
    """Per employee and component, what a re-close changed against the close it replaces (None
    for a first close: there is nothing to compare with)."""
    if previous is None:
        return None
    def sums(frame: pd.DataFrame) -> dict[tuple[str, str], Decimal]:
        out: dict[tuple[str, str], Decimal] = {}
        for employee_id, component, amount in zip(frame["employee_id"], frame["component"], frame["amount"]):
            key = (employee_id, component)
            out[key] = out.get(key, Decimal(0)) + Decimal(amount)
        return out
    old, new = sums(previous), sums(current)
    rows = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key, Decimal("0.00")), new.get(key, Decimal("0.00"))
        if before != after:
            rows.append({"employee_id": key[0], "component": key[1], "before": f"{before:.2f}",
                         "after": f"{after:.2f}", "change": f"{after - before:+.2f}"})
    return rows


__all__ = ["AlreadyClosed", "CloseRecord", "ImportRefused", "Ledger", "NewClose", "PublishedElsewhere", "changes",
           "default_ledger", "who"]

