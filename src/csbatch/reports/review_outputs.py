"""What `csbatch review` publishes in OUT/review-LABEL/ (docs/review.md):

- `review_LABEL.xlsx`: the employees' months, mean and rank; the team competition; the award
  candidates; for a year, the annual review sheet (年度考核表). Written by the close's workbook
  writer (`csbatch.reports.workbook`), so it prints like the month's workbooks;
- `review_LABEL.html`: the same for reading, rendered with autoescape on (a name such as
  `<script>` prints as those characters);
- the recognitions sheet of the month the awards are paid in (`奖惩记录_LABEL.xlsx`, English
  `recognitions_LABEL.xlsx`): the recognitions input kind's own headers and kind labels, so it is
  dropped into that month's inputs as it is.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from csbatch.i18n import N_, resolve_lang, word
from csbatch.policy import Policy
from csbatch.reports.input_templates import WORDS, _header, code_choices, template_name
from csbatch.reports.pages import environment, period_label
from csbatch.reports.tables import Col, Table
from csbatch.reports.workbook import Workbook

TEMPLATE = "review.html.j2"


@dataclass(frozen=True)
class Review:
    """What a review publishes (computed by `csbatch.closing.review`). `label`: 2026Q4 or 2026;
    `kind`: quarter or year; `paid_in`: the month its awards are paid in. `people`: a row per
    employee (employee_id, name, role, team, scorecard, per month `total:YYYY-MM` and
    `grade:YYYY-MM`, months_rated, mean, rank, counted_sales); `teams`: a row per scorecard and
    team (per month `mean:YYYY-MM`, mean, rank); `candidates`: a row per award candidate (award,
    award_name, rule, employee_id, name, team, value)."""

    label: str
    kind: str
    months: tuple[str, ...]
    paid_in: str
    people: pd.DataFrame
    teams: pd.DataFrame
    candidates: pd.DataFrame
MONTH_TOTAL = N_("{month} total")
MONTH_GRADE = N_("{month} grade")
MONTH_MEAN = N_("{month} mean")
RULES = {"highest_counted_sales": N_("highest counted sales"), "highest_mean_total": N_("highest mean total")}
NOTE = N_("{award}, review {period}")

_LEAD = (Col("employee_id", "id", N_("employee id")), Col("name", "text", N_("name")),
         Col("role", "text", N_("role")), Col("team", "text", N_("team")),
         Col("scorecard", "text", N_("scorecard")))
_TAIL = (Col("months_rated", "int", N_("months rated")), Col("mean", "decimal", N_("mean total")),
         Col("rank", "int", N_("rank")), Col("counted_sales", "money", N_("counted sales")))


def _month_col(name: str, kind, header: str, month: str) -> Col:
    return Col(name, kind, header.format(month=month), named=word("zh", header).format(month=month))


def people_table(review: Review) -> Table:
    months = tuple(c for m in review.months for c in (_month_col(f"total:{m}", "decimal", MONTH_TOTAL, m),
                                                       _month_col(f"grade:{m}", "text", MONTH_GRADE, m)))
    return Table("review_employees", N_("Employees"), _LEAD + months + _TAIL)


def teams_table(review: Review) -> Table:
    return Table("review_teams", N_("Team competition"), (
        Col("scorecard", "text", N_("scorecard")), Col("team", "text", N_("team")),
        *(_month_col(f"mean:{m}", "decimal", MONTH_MEAN, m) for m in review.months),
        Col("mean", "decimal", N_("mean total")), Col("rank", "int", N_("rank"))))


CANDIDATES = Table("review_candidates", N_("Award candidates"), (
    Col("award_name", "text", N_("award")), Col("rule", "text", N_("rule")),
    Col("employee_id", "id", N_("employee id")), Col("name", "text", N_("name")), Col("team", "text", N_("team")),
    Col("value", "decimal", N_("value"))))


def annual_table(review: Review) -> Table:
    months = tuple(_month_col(f"grade:{m}", "text", MONTH_GRADE, m) for m in review.months)
    return Table("annual_review", N_("Annual review sheet"), _LEAD + months + _TAIL + (
        Col("awards", "text", N_("award candidate")), Col("assessment", "text", N_("manager's assessment"))))


def _named(review: Review, policy: Policy, lang: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The frames with codes shown as names: roles and scorecards by the policy's names (Chinese),
    rules in words."""
    def role(code):
        return policy.roles[code].name if lang == "zh" and code in policy.roles else code

    def card(code):
        return policy.scorecards[code].name if lang == "zh" and code in policy.scorecards else code

    people = review.people.assign(role=review.people["role"].map(role),
                                  scorecard=review.people["scorecard"].map(card))
    teams = review.teams.assign(scorecard=review.teams["scorecard"].map(card))
    candidates = review.candidates.assign(rule=review.candidates["rule"].map(lambda r: word(lang, RULES[r])),
                                          award_name=[policy.recognitions[c].name if lang == "zh" else c
                                                      for c in review.candidates["award"]])
    return people, teams, candidates


def write_workbook(path: Path, review: Review, policy: Policy, lang: str) -> Path:
    people, teams, candidates = _named(review, policy, lang)
    wb = Workbook(path, lang, company=policy.company.shown, period=review.label)
    wb.add_table_sheet(people_table(review), people, lang)
    wb.add_table_sheet(teams_table(review), teams, lang)
    wb.add_table_sheet(CANDIDATES, candidates, lang)
    if review.kind == "year":
        awards = candidates.groupby("employee_id")["award_name"].agg(word(lang, WORDS["list_sep"]).join)
        wb.add_table_sheet(annual_table(review), people.assign(awards=people["employee_id"].map(awards),
                                                               assessment=None), lang)
    return wb.close()


def write_recognitions(folder: Path, review: Review, policy: Policy, lang: str) -> Path:
    """The award candidates as the recognitions input of the month after the period: the kind's
    headers and labels the reader maps back, dated the 1st of that month."""
    kind = policy.inputs.kinds["recognitions"]
    name = template_name("recognitions", kind, policy, lang) or "recognitions"
    labels = code_choices(policy, "recognitions", lang)
    headers = {column: _header(column, kind.columns[column], kind, lang)
               for column in ("employee_id", "date", "kind", "note")}
    table = Table("recognitions", name, tuple(Col(c, "date" if c == "date" else "text", h)
                                               for c, h in headers.items()))
    day = pd.Timestamp(f"{review.paid_in}-01")
    shown = [labels.get(str(code), str(code)) for code in review.candidates["award"]]
    rows = pd.DataFrame([{"employee_id": eid, "date": day, "kind": award,
                          "note": word(lang, NOTE).format(award=award, period=review.label)}
                         for eid, award in zip(review.candidates["employee_id"], shown, strict=True)],
                        columns=["employee_id", "date", "kind", "note"])
    wb = Workbook(folder / f"{name}_{review.label}.xlsx", lang, company=policy.company.shown,
                  period=review.paid_in)
    wb.add_table_sheet(table, rows, lang, filters=False)
    return wb.close()


def render_page(review: Review, policy: Policy, lang: str) -> str:
    lang = resolve_lang(lang)
    people, teams, candidates = _named(review, policy, lang)

    def columns(table: Table) -> list[tuple[str, str, str]]:
        return [(c.name, c.label(lang), c.kind) for c in table.columns]

    def records(frame: pd.DataFrame) -> list[dict]:
        return [{k: (None if v is None or (not isinstance(v, str) and pd.isna(v)) else v) for k, v in row.items()}
                for row in frame.to_dict("records")]

    env = environment(lang)
    return env.get_template(TEMPLATE).render(
        label=review.label, months=[period_label(m, lang) for m in review.months],
        company=policy.company.shown,
        sections=[(word(lang, people_table(review).heading), columns(people_table(review)), records(people)),
                  (word(lang, teams_table(review).heading), columns(teams_table(review)), records(teams)),
                  (word(lang, CANDIDATES.heading), columns(CANDIDATES), records(candidates))])


def write_review(review: Review, folder: Path, policy: Policy, lang: str) -> Path:
    """Every file of the review, written beside `folder` and then put in its place: a review of the
    period written before (it is read from the ledger, so it can be written again at any time, in
    another language too) is replaced whole, never mixed with the new files."""
    work = folder.with_name(f".{folder.name}.writing")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    label = review.label
    write_workbook(work / f"review_{label}.xlsx", review, policy, lang)
    (work / f"review_{label}.html").write_text(render_page(review, policy, lang), encoding="utf-8", newline="\n")
    write_recognitions(work, review, policy, lang)
    shutil.rmtree(folder, ignore_errors=True)
    work.rename(folder)
    return folder


__all__ = ["Review", "render_page", "write_review"]
