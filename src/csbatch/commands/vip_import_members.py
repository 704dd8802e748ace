"""`csbatch vip import-members FILE --first PERIOD`: a first-time user loads the company's current
VIP member register once, before the first close, so the close treats those members as existing
(anniversaries, voids for no purchase, points clearing, gold upgrades). The file is read as input
kind `vip_members` through the sheet reader (Chinese headers and aliases of config/inputs.yaml);
its rows become cards in `vip.register.register_cards`. Nothing is written when any cell or row is
wrong, when members were imported already, or when the ledger holds a live close (that close made
the members)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TypedDict

import typer

from csbatch.calendar import check_period
from csbatch.commands.exits import finish_with
from csbatch.console import language
from csbatch.errors import Issue, Source
from csbatch.filehash import sha256_file
from csbatch.i18n import N_, word
from csbatch.ledger.opening import open_ledger_checked
from csbatch.ledger.store import ImportRefused, ledger_at
from csbatch.policy import load_policy
from csbatch.resources import resolve_config
from csbatch.sheets.intake import read_kind_file
from csbatch.vip.identity import load_key
from csbatch.vip.register import register_cards


class Imported(TypedDict):
    members: int
    first: str


def import_members(file: Path, ledger_path: Path, first_period: str,
                   config_dir: Path | None = None) -> tuple[Imported | None, list[Issue]]:
    bad_period = check_period(first_period)
    if bad_period:
        return None, bad_period
    policy, issues = load_policy(resolve_config(config_dir))
    if policy is None:
        return None, issues
    register, found = read_kind_file(policy, "vip_members", Path(file), first_period)
    issues += found
    if register is None:
        return None, issues
    if register.empty:
        return None, issues + [Issue.of(Source(Path(file).name), "vip.register_empty",
                                        N_("no member in the register"))]
    cards, found = register_cards(register, first_period, policy, load_key(Path(ledger_path)))
    issues += found
    if cards is None:
        return None, issues
    ledger, refused = open_ledger_checked(Path(ledger_path), "import the VIP members")
    if ledger is None:
        return None, issues + refused
    try:
        ledger.import_members(f"import-{uuid.uuid4().hex[:12]}", Path(file).name, sha256_file(Path(file)),
                              first_period, cards)
    except ImportRefused as exc:
        return None, issues + [Issue.of(Source(str(ledger_path)), "vip.import_members_twice", exc.template,
                                        **exc.values)]
    finally:
        ledger.close()
    return Imported(members=len(cards), first=first_period), issues


def run(file: Path, first_period: str, ledger: Path | None, out: Path | None, config: Path | None) -> None:
    done = finish_with(*import_members(file, ledger_at(ledger, out), first_period, config))
    typer.echo(word(language(), N_("imported {members} VIP members; the first close is {first}")).format(
        members=done["members"], first=done["first"]))
