"""What `csbatch explain` reads for a month, so that for a closed month it explains what was paid:
the input files and the policy revision its close kept (`csbatch.ledger.kept`), not what the
inputs folder and the policy's work tree hold today. A month that is not closed (never closed, or
reopened) is read from `--inputs` and the policy folder, as the close will read it. With a ledger,
that ledger is the history either way (a refund of an order paid in an earlier month shows as the
reversal the close makes of it).

When `--inputs` is given for a closed month and its files differ from the kept ones (compared by
sha256), the explanation still reads the kept files and says so: what was paid came from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from csbatch.errors import Issue, Source
from csbatch.i18n import N_, Joined, Said
from csbatch.ledger.store import Ledger, ledger_at
from csbatch.resources import resolve_config
from csbatch.sheets.read import CSV_SUFFIXES, EXCEL_SUFFIXES

NO_INPUTS = N_("give --inputs FOLDER (the month's input files), or --out/--ledger to explain a closed month "
                "from the files its close kept")
NOT_CLOSED = N_("{period} is not closed in the ledger {ledger}: give --inputs FOLDER to explain it from the "
                "month's files")
NO_LEDGER = N_("no ledger at {ledger}: give the --out folder or --ledger file the month was closed with")
DIFFERS = N_("--inputs {given} differs from the input files {period} was closed with ({what}): explaining what "
             "was paid, from the kept files; to pay from the new files, reopen {period} and close it again")
FROM_KEPT = N_("{period} is closed (at {at} by {by}): explained from the {count} input files its close kept and "
               "the policy it used ({revision}); policy places are in that revision")
SHOWN_DIFFERENCES = 3


@dataclass
class MonthBasis:
    """Where an explanation reads the month: the inputs folder, the policy folder, the ledger for
    the history (open; the caller closes it), and for a closed month how its places are shown and
    what to tell the reader."""

    inputs: Path
    config: Path
    ledger: Ledger | None = None
    policy_shown_as: tuple[str, str] | None = None    # (restored folder's display, the policy folder's)
    note: Said | None = None


def month_basis(period: str, inputs: Path | None, config: Path | None, out: Path | None, ledger: Path | None,
                work: Path) -> tuple[MonthBasis | None, list[Issue]]:
    """The basis for explaining `period`; restored files go into `work` (an empty folder the caller
    removes)."""
    from csbatch.ledger.opening import open_ledger_checked

    config_dir = resolve_config(config)
    if out is None and ledger is None:
        if inputs is None:
            return None, [Issue.of(None, "explain.no_inputs", NO_INPUTS)]
        return MonthBasis(Path(inputs), config_dir), []
    path = ledger_at(ledger, out)
    if not path.is_file():
        return None, [Issue.of(Source(str(path)), "explain.no_ledger", NO_LEDGER, ledger=path)]
    opened, issues = open_ledger_checked(path, "read the ledger")
    if opened is None:
        return None, issues
    record = opened.live_close(period)
    if record is None:
        if inputs is None:
            opened.close()
            return None, [Issue.of(Source(str(path)), "explain.not_closed", NOT_CLOSED, period=period, ledger=path)]
        return MonthBasis(Path(inputs), config_dir, opened), []
    basis, issues = _kept(opened, period, inputs, config_dir, work)
    if basis is None:
        opened.close()
        return None, issues
    basis.note = Said(FROM_KEPT, period=period, at=record.closed_at, by=record.closed_by,
                                  count=len(_kept_inputs(opened, record.close_id)),
                                  revision=_revision_text(opened, period))
    return basis, issues


def _kept_inputs(ledger: Ledger, close_id: str) -> dict[str, str]:
    from csbatch.ledger.kept import kept_files

    return {f.name: f.sha256 for f in kept_files(ledger, close_id, "input")}


def _revision_text(ledger: Ledger, period: str) -> Said:
    """The policy revision the close used, said in the reader's language."""
    from csbatch.ledger.kept import SNAPSHOT, recorded_policy

    revision = recorded_policy(ledger, period)
    if revision is None:
        return Said(N_("not recorded"))
    if revision.startswith(SNAPSHOT):
        return Said(N_("a snapshot of its files, {snapshot}"), snapshot=revision[:len(SNAPSHOT) + 12])
    return Said(N_("commit {commit}"), commit=revision[:12])


def _kept(ledger: Ledger, period: str, inputs: Path | None, config_dir: Path,
          work: Path) -> tuple[MonthBasis | None, list[Issue]]:
    from csbatch.ledger.kept import restore_inputs, restore_policy
    from csbatch.policy.loader import display_root

    kept_inputs, issues = restore_inputs(ledger, period, work / "inputs")
    if kept_inputs is None:
        return None, issues
    kept_policy, more = restore_policy(ledger, period, config_dir, work / "config")
    issues += more
    if kept_policy is None:
        return None, issues
    if inputs is not None:
        record = ledger.live_close(period)
        differences = _differences(Path(inputs), _kept_inputs(ledger, record.close_id) if record else {})
        if differences:
            hidden = len(differences) - SHOWN_DIFFERENCES
            beyond = [Said(N_("+{n} more"), n=hidden)] if hidden > 0 else []
            shown = Joined([*differences[:SHOWN_DIFFERENCES], *beyond], "; ", "；")
            issues.append(Issue.warn(Source(str(inputs)), "explain.inputs_differ", DIFFERS,
                                     given=inputs, period=period, what=shown))
    return MonthBasis(kept_inputs, kept_policy, ledger,
                      (display_root(kept_policy), display_root(config_dir))), issues


def _differences(folder: Path, kept: dict[str, str]) -> list[Said]:
    """How the input files of `folder` differ from the kept ones (name → sha256), in words: a kept
    file missing or changed, a file the close did not read. Hidden and Office lock files are not
    read by a close, nor files of other kinds."""
    from csbatch.ledger.blobs import sha256_of

    if not folder.is_dir():
        return [Said(N_("{folder} is not a folder"), folder=folder)]
    found = {p.name: p for p in folder.iterdir()
             if p.is_file() and not p.name.startswith((".", "~$"))
             and p.suffix.lower() in EXCEL_SUFFIXES + CSV_SUFFIXES}
    out = []
    for name, sha in sorted(kept.items()):
        if name not in found:
            out.append(Said(N_("{name} missing"), name=name))
        elif sha256_of(found[name])[0] != sha:
            out.append(Said(N_("{name} changed"), name=name))
    out += [Said(N_("{name} not read by the close"), name=name) for name in sorted(set(found) - set(kept))]
    return out


__all__ = ["MonthBasis", "month_basis"]
