"""QA audits (督导问卷, docs/policy.md#questionnaire): who needs coaching, which team, which item, and whether an
auditor marks harder than the others.

Built on the scored audits (`AuditResult.audits`: section points, score, violations) and, for
per-item shares, the marks of the audits sheet the scores came from.

* Agents expected to be audited are the employees of the month on a scorecard whose multiplier
  formula uses `qa_mean_score` (the e-commerce supervisor coefficient) — read from the policy,
  so a new scorecard that uses QA scores is covered without code.
* Means are of the audits' rounded scores (as audits.csv shows them), half-up to 2 places; an
  agent's mean is `AuditResult.mean_score`, the very number the scorecard used.
* Heatmap (team × item): a positive item's share is the points earned ÷ per_item × the audits
  where it applied; a taboo item's share is the audits without the violation ÷ the audits where
  it applied; NaN where it never applied.
* An auditor's difference is their mean minus the overall mean: a large gap either way points at
  a harsh or a lenient auditor.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from csbatch.audit.kit import Month, People, mean, share, table, team_key, text
from csbatch.blanks import is_blank
from csbatch.money import ONE, half_up
from csbatch.policy.expressions import ExpressionError, parse
from csbatch.qa.questionnaire import AuditResult

#: The measured value that names the QA mean score in scorecard formulas (csbatch.policy.vocabulary).
QA_MEASURE = "qa_mean_score"
_HEAT = 4


@dataclass(frozen=True)
class QaFrames:
    agents: pd.DataFrame
    teams: pd.DataFrame
    heatmap: pd.DataFrame
    taboos: pd.DataFrame
    not_audited: pd.DataFrame
    auditors: pd.DataFrame
    mean_score: Decimal | None


def qa_scorecards(policy) -> list[str]:
    """Scorecards whose multiplier formula uses the QA mean score."""
    out = []
    for code, card in policy.scorecards.items():
        if card.multiplier is None:
            continue
        try:
            names = parse(card.multiplier.formula).names
        except ExpressionError:   # policy check reports it
            continue
        if QA_MEASURE in names:
            out.append(code)
    return out


def expected_agents(policy, people: People) -> list[str]:
    return people.of_month(policy, scorecards=qa_scorecards(policy))


def _mark(value) -> Decimal | None:
    if is_blank(value):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return Decimal(int(value))
    return None


#: the columns that tell which sheet row an audit was scored from
_PLACE = ("audit_id", "_file", "_sheet", "_row")


def _provenance(row: dict) -> tuple[str, ...]:
    return tuple("" if is_blank(row.get(c)) else str(row.get(c)) for c in _PLACE)


def _marks(scored: pd.DataFrame, sheet: pd.DataFrame, codes: list[str]) -> list[dict[str, Decimal | None]]:
    """Item code → mark for each scored audit, from the sheet row it came from (matched by
    audit_id and place); an audit not found has every item N/A."""
    # only the columns read are boxed (`to_dict` of the whole sheet boxed every question's column
    # and the scored audits' sections: 0.08 s for 2,549 audits at 1M orders)
    sheet = sheet[[c for c in sheet.columns if c in codes or c in _PLACE]]
    out = []
    index = {_provenance(row): row for row in sheet.to_dict("records")}
    for row in scored[[c for c in scored.columns if c in _PLACE]].to_dict("records"):
        source = index.get(_provenance(row), {})
        out.append({code: _mark(source.get(code)) for code in codes})
    return out


def _positions(keys) -> dict:
    """Key → positions of the rows that have it, in row order (one pass, not a scan per key)."""
    out: dict = {}
    for i, key in enumerate(keys):
        out.setdefault(key, []).append(i)
    return out


def _sections(frame: pd.DataFrame, sections: list[str]) -> dict[str, Decimal | None]:
    return {code: mean(frame[code].tolist()) for code in sections}


def _violation_count(cells: Iterable[Any]) -> int:
    return int(sum(len(str(v).split()) for v in cells if not is_blank(v)))


def _agents(scored: pd.DataFrame, result: AuditResult, expected: list[str], people: People,
            sections: list[str]) -> pd.DataFrame:
    means = result.mean_score()
    audited = {t for e in result.audits["employee_id"] if (t := text(e)) is not None}
    # an ID matches only as the same text (`== emp` on the column as objects did the same)
    of_scored = _positions(e if isinstance(e, str) else None for e in scored["employee_id"].tolist())
    of_every = _positions(e if isinstance(e, str) else None for e in result.audits["employee_id"].tolist())
    # the columns read once as lists, each agent's cells picked by position (not a frame per agent)
    columns = {code: scored[code].tolist() for code in sections}
    violations = scored["violations"].tolist()
    rows = []
    for emp in sorted(audited | set(expected)):
        at = of_scored.get(emp, [])
        rows.append({"employee_id": emp, "name": people.name(emp), "team": people.team(emp),
                     "audits": len(of_every.get(emp, ())), "mean_score": means.get(emp),
                     **{code: mean([cells[i] for i in at]) for code, cells in columns.items()},
                     "violations": _violation_count(violations[i] for i in at)})
    return table(rows, ["employee_id", "name", "team", "audits", "mean_score", *sections, "violations"],
                 ("audits", "violations"))


def _teams(scored: pd.DataFrame, agents: pd.DataFrame, people: People, sections: list[str]) -> pd.DataFrame:
    teams = sorted({text(t) for t in agents["team"]}, key=team_key)  # a blank team is NaN here
    of_team = _positions(people.team(text(e)) for e in scored["employee_id"])
    rows = []
    for team in teams:
        mine = scored.iloc[of_team.get(team, [])]
        rows.append({"team": team, "agents": int(mine["employee_id"].nunique()), "audits": len(mine),
                     "mean_score": mean(mine["score"].tolist()), **_sections(mine, sections)})
    return table(rows, ["team", "agents", "audits", "mean_score", *sections], ("agents", "audits"))


def _item_share(marks: list[Decimal | None], per: Decimal, positive: bool) -> tuple[Decimal | None, int, int]:
    """(share, applicable audits, violations) of one item over some audits."""
    given = [m for m in marks if m is not None]
    if not given:
        return None, 0, 0
    if positive:
        return sum(given, Decimal(0)) / (per * len(given)), len(given), 0
    violated = sum(1 for m in given if m == ONE)
    return ONE - Decimal(violated) / len(given), len(given), violated


def _heatmap(scored: pd.DataFrame, marks: list[dict], people: People, questionnaire) -> pd.DataFrame:
    teams = sorted({people.team(text(e)) for e in scored["employee_id"]}, key=team_key)
    items = [(item.code, Decimal(s.per_item), s.kind == "positive")
             for s in questionnaire.sections for item in s.items]
    of_team = _positions(people.team(text(e)) for e in scored["employee_id"])
    data = {}
    for code, per, positive in items:
        column = []
        for team in teams:
            value, _, _ = _item_share([marks[i][code] for i in of_team.get(team, ())], per, positive)
            column.append(np.nan if value is None else float(half_up(value, _HEAT)))
        data[code] = pd.Series(column, dtype="float64")
    frame = pd.DataFrame(data, columns=[code for code, _, _ in items])
    frame.index = pd.Index(teams, dtype=object, name="team")
    return frame


def _taboos(marks: list[dict], questionnaire) -> pd.DataFrame:
    rows = []
    for section in questionnaire.sections:
        if section.kind == "positive":
            continue
        for item in section.items:
            _, applicable, violated = _item_share([m[item.code] for m in marks], Decimal(section.per_item), False)
            rows.append({"item": item.code, "text": item.text, "violations": violated, "audits": applicable,
                         "share": share(violated, applicable)})
    rows.sort(key=lambda r: -r["violations"])   # stable: questionnaire order among equals
    return table(rows, ["item", "text", "violations", "audits", "share"], ("violations", "audits"))


def _auditors(scored: pd.DataFrame, overall: Decimal | None) -> pd.DataFrame:
    of_auditor = _positions(text(a) for a in scored["auditor"])
    # the two columns read, each auditor's cells picked by position (a frame cut per auditor took
    # every column: 500 auditors, 0.08 s)
    scores, employees = scored["score"].tolist(), scored["employee_id"]
    rows = []
    for auditor in sorted(of_auditor, key=team_key):
        at = of_auditor[auditor]
        score = mean([scores[i] for i in at])
        rows.append({"auditor": auditor, "audits": len(at), "agents": int(employees.iloc[at].nunique()),
                     "mean_score": score,
                     "difference": None if score is None or overall is None else half_up(score - overall)})
    return table(rows, ["auditor", "audits", "agents", "mean_score", "difference"], ("audits", "agents"))


def check_qa(month: Month, policy, sheet: pd.DataFrame, result: AuditResult, people: People) -> QaFrames:
    questionnaire = policy.questionnaire
    sections = [s.code for s in questionnaire.sections]
    codes = [item.code for s in questionnaire.sections for item in s.items]
    scored = result.audits.loc[result.audits["score"].notna()].reset_index(drop=True)
    marks = _marks(scored, sheet, codes)
    expected = expected_agents(policy, people)
    agents = _agents(scored, result, expected, people, sections)
    overall = mean(scored["score"].tolist())
    not_audited = agents.loc[agents["employee_id"].isin(expected) & (agents["audits"] == 0),
                             ["employee_id", "name", "team"]].reset_index(drop=True)
    return QaFrames(
        agents=agents,
        teams=_teams(scored, agents, people, sections),
        heatmap=_heatmap(scored, marks, people, questionnaire),
        taboos=_taboos(marks, questionnaire),
        not_audited=not_audited,
        auditors=_auditors(scored, overall),
        mean_score=overall,
    )
