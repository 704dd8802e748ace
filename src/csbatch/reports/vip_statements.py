"""`vip/CUSTOMER_ID.html`: one printable statement per member (docs/outputs.md), rendered from
`templates/vip_statement.html.j2` with jinja2, autoescape on — a customer named
`<script>alert(1)</script>` prints as those characters, never as markup.

A statement is a dict from `VipResult.statements`:

    customer_id, name, id_masked, phone_masked, programme, tier, card_no, issued_on, valid_until,
    status, spend_month, spend_12m, points_open, points_earned, points_redeemed, points_expired,
    points_close, voucher_value, next_tier_gap, free_cleaning_until,
    programme_name, tier_name (optional: the policy's names; else the codes' names,
    `csbatch.reports.pages.LABELS`),
    entries: [{date, kind, points, order_id, note}], tasks: [{kind, due_from, due_to, note}]

Money is Decimal (printed ¥1,234.50), points int, dates date/Timestamp/ISO text; None prints "—".
A missing key is an error (StrictUndefined), not a blank on a customer's statement.

Customer IDs become file names through `csbatch.reports.pages.statement_filename`: an ID that is
not a plain name (path separators, `..`, a leading dot, control characters, a Windows device name)
is written as its cleaned text plus a short hash of the original, so it cannot leave `vip/` and two
IDs never share a file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment

# The page helpers live in csbatch.reports.pages; the ones this module does not use itself stay
# importable from here (`X as X`), for code and tests written when they lived here.
from csbatch.reports.pages import DASH as DASH
from csbatch.reports.pages import environment, page_renderer, period_label, statement_filename, write_page
from csbatch.reports.pages import money as money

TEMPLATE = "vip_statement.html.j2"


def render_statement(statement: dict, period: str, env: Environment | None = None, lang: str = "zh",
                     company: str = "", render: Callable[..., str] | None = None, label: str | None = None) -> str:
    """One statement's page; `render` a `page_renderer` of the statement template made once for
    a close's statements (default: the environment's template), `label` the period's words when
    made once for them (default: made here)."""
    env = env or environment(lang)
    render = render or env.get_template(TEMPLATE).render
    return render(m=statement, period=period, company=company,
                  period_label=period_label(period, str(env.globals["lang"])) if label is None else label)


def render_statements(result, folder: Path, period: str, lang: str = "zh", company: str = "") -> list[Path]:
    """Write `folder/vip/<customer_id>.html` for every statement of `result`; returns the paths
    in the statements' order. `company`: the name shown on each statement (company.yaml)."""
    out = Path(folder) / "vip"
    out.mkdir(parents=True, exist_ok=True)
    env = environment(lang)
    render = page_renderer(env.get_template(TEMPLATE))   # looked up once (get_template stats the file)
    label = period_label(period, str(env.globals["lang"]))   # and the period's words (95k statements)
    written: list[Path] = []
    seen: dict[str, Any] = {}
    for statement in result.statements:
        name = statement_filename(statement.get("customer_id"))
        if name in seen:
            raise ValueError(f"two VIP statements would share {name}: customers "
                             f"{seen[name]!r} and {statement.get('customer_id')!r}")
        seen[name] = statement.get("customer_id")
        path = out / name
        if os.path.basename(name) != name or name in (os.curdir, os.pardir):  # cannot happen with the names above
            raise ValueError(f"customer id {statement.get('customer_id')!r} leaves the vip folder")
        write_page(str(path), render_statement(statement, period, env, company=company, render=render, label=label))
        written.append(path)
    return written
