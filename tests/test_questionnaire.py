"""The QA audit questionnaire (docs/policy.md#questionnaire) with the default policy: 2 environment + 4
principle + 6 proactive items at 5 points (60), 10 taboos at 4 points (40), scaled to 100.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from csbatch.errors import Severity, Source
from csbatch.qa.questionnaire import AuditResult, audit_columns, score_audits, score_marks

D = Decimal
ROOT = Path(__file__).resolve().parents[1]

POSITIVE = ["ENV-1", "ENV-2", "PRN-1", "PRN-2", "PRN-3", "PRN-4",
            "PRO-1", "PRO-2", "PRO-3", "PRO-4", "PRO-5", "PRO-6"]
TABOOS = [f"TAB-{i}" for i in range(1, 11)]


@pytest.fixture(scope="module")
def q(policy):
    return policy.questionnaire


def full(**changes) -> dict[str, Decimal | None]:
    """Full marks (5 on every positive item, no violation), with `changes` (ENV_1=… for ENV-1)."""
    marks: dict[str, Decimal | None] = {code: D(5) for code in POSITIVE}
    marks.update({code: D(0) for code in TABOOS})
    marks.update({key.replace("_", "-"): value for key, value in changes.items()})
    return marks


def with_critical(questionnaire, code: str):
    sections = [s.model_copy(update={"items": [
        i.model_copy(update={"critical": True}) if i.code == code else i for i in s.items]})
        for s in questionnaire.sections]
    return questionnaire.model_copy(update={"sections": sections})


# ---------------------------------------------------------------------------------------------
# one audit


def test_full_marks_are_the_100_point_total(q):
    result = score_marks(full(), q)
    assert result.score == D(100)
    assert result.sections == {"environment": D(10), "principles": D(20), "proactive": D(30),
                               "taboos": D(40)}
    assert list(result.sections) == ["environment", "principles", "proactive", "taboos"]
    assert result.applicable == D(100)
    assert result.violations == () and result.failed_critical == ()


def test_one_taboo_violation_deducts_4(q):
    result = score_marks(full(TAB_9=D(1)), q)
    assert result.score == D(96)
    assert result.sections["taboos"] == D(36)
    assert result.violations == ("TAB-9",)


def test_violations_in_questionnaire_order(q):
    result = score_marks(full(TAB_9=D(1), TAB_5=D(1)), q)
    assert result.violations == ("TAB-5", "TAB-9")
    assert result.sections["taboos"] == D(32)
    assert result.score == D(92)


def test_positive_items_earn_their_marks(q):
    result = score_marks(full(ENV_2=D(3), PRO_4=D(4)), q)   # 100 − 2 − 1
    assert result.sections["environment"] == D(8)
    assert result.sections["proactive"] == D(29)
    assert result.score == D(97)


def test_positive_item_na_leaves_the_audit(q):
    result = score_marks(full(PRN_2=None), q)   # 95 of 95
    assert result.applicable == D(95)
    assert result.sections["principles"] == D(15)
    assert result.score == D(100)


def test_taboo_na_and_a_violation_rescale(q):
    # taboos: 9 applicable × 4 = 36 available, one violation → 32; 60 + 32 = 92 of 96
    result = score_marks(full(TAB_3=None, TAB_7=D(1)), q)
    assert result.applicable == D(96)
    assert result.sections["taboos"] == D(32)
    assert result.score == D("95.83")      # 95.8333…


def test_score_rounds_half_up(q):
    # applicable: ENV-1, ENV-2, PRN-1, PRN-2 (20) + TAB-1…3 (12) = 32; earned 17 + 12 = 29
    # 29 ÷ 32 × 100 = 90.625 → 90.63 (half-even would give 90.62)
    marks = dict.fromkeys(POSITIVE + TABOOS)
    marks.update({"ENV-1": D(5), "ENV-2": D(5), "PRN-1": D(5), "PRN-2": D(2),
                  "TAB-1": D(0), "TAB-2": D(0), "TAB-3": D(0)})
    result = score_marks(marks, q)
    assert result.applicable == D(32)
    assert result.score == D("90.63")


def test_an_item_left_out_is_na(q):
    marks = full()
    del marks["PRO-6"]
    result = score_marks(marks, q)
    assert result.applicable == D(95) and result.score == D(100)


def test_marks_may_be_ints(q):
    assert score_marks({**full(), "ENV-1": 3, "TAB-2": 1}, q).score == D(94)


@pytest.mark.parametrize("marks, message", [
    (dict.fromkeys(POSITIVE + TABOOS), "every item is N/A"),
    ({"ENV-9": D(5)}, "not questionnaire items: ENV-9"),
    ({"ENV-1": D(6)}, "ENV-1 mark 6 is not 0–5"),
    ({"ENV-1": D(-1)}, "ENV-1 mark -1 is not 0–5"),
    ({"TAB-1": D(2)}, "TAB-1 mark 2 is not 1 (violated) or 0"),
    ({"ENV-1": 4.5}, "ENV-1 mark 4.5 is not a Decimal mark"),
])
def test_bad_audits_raise(q, marks, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        score_marks({**full(), **marks}, q)


def test_critical_taboo_violated_fails_the_audit(q):
    critical = with_critical(q, "TAB-5")
    result = score_marks(full(TAB_5=D(1)), critical)
    assert result.score == D(0)
    assert result.failed_critical == ("TAB-5",)
    assert result.violations == ("TAB-5",)
    assert result.sections["taboos"] == D(36)          # the points are still shown
    # another taboo violated is an ordinary deduction
    assert score_marks(full(TAB_6=D(1)), critical).score == D(96)


def test_critical_positive_item_below_full_fails_the_audit(q):
    critical = with_critical(q, "PRO-1")
    result = score_marks(full(PRO_1=D(4)), critical)
    assert result.score == D(0) and result.failed_critical == ("PRO-1",)
    assert score_marks(full(PRO_1=None), critical).score == D(100)   # N/A does not fail
    assert score_marks(full(PRO_1=D(5), PRO_2=D(0)), critical).score == D(95)


def test_no_item_is_critical_by_default(q):
    assert not any(i.critical for s in q.sections for i in s.items)
    assert score_marks(full(PRO_1=D(0), TAB_10=D(1)), q).score == D(91)


# ---------------------------------------------------------------------------------------------
# a month of audits: frames as intake returns them


def audit(audit_id: str, date: str, employee: str, **changes) -> dict:
    return {"audit_id": audit_id, "audit_date": date, "employee_id": employee,
            "auditor": "督导甲", **full(**changes)}


def frame(rows: list[dict], file: str = "督导问卷.xlsx", sheet: str | None = "Sheet1",
          drop: tuple[str, ...] = ()) -> pd.DataFrame:
    data = {
        "audit_id": pd.Series([r["audit_id"] for r in rows], dtype=object),
        "audit_date": pd.Series(pd.to_datetime([r["audit_date"] for r in rows]),
                                dtype="datetime64[ns]"),
        "audit_time": pd.Series(pd.to_timedelta(["10:00:00"] * len(rows)), dtype="timedelta64[ns]"),
        "account": pd.Series(["店铺:小A"] * len(rows), dtype=object),
        "employee_id": pd.Series([r["employee_id"] for r in rows], dtype=object),
        "auditor": pd.Series([r["auditor"] for r in rows], dtype=object),
    }
    for code in POSITIVE + TABOOS:
        if code not in drop:
            data[code] = pd.Series([r[code] for r in rows], dtype=object)
    data["_file"] = pd.Series([file] * len(rows), dtype=object)
    data["_sheet"] = pd.Series([sheet] * len(rows), dtype=object)
    data["_row"] = pd.Series(range(2, len(rows) + 2), dtype="int64")
    return pd.DataFrame(data)


def test_audits_frame_columns_in_contract_order(q):
    result, issues = score_audits(frame([audit("A1", "2026-10-08", "1001")]), q, "2026-10")
    assert issues == []
    assert list(result.audits.columns) == [
        "audit_id", "audit_date", "employee_id", "environment", "principles", "proactive",
        "taboos", "score", "violations",
        "auditor", "applicable", "failed_critical", "_file", "_sheet", "_row"]
    assert list(result.audits.columns) == list(audit_columns(q))


def test_audits_scored_sorted_and_described(q):
    rows = [
        audit("A3", "2026-10-20", "1002", TAB_9=D(1), TAB_5=D(1)),
        audit("A1", "2026-10-08", "1001", ENV_2=D(3), PRO_4=D(4)),
        audit("A2", "2026-10-31", "1001", PRN_2=None),
    ]
    result, issues = score_audits(frame(rows), q, "2026-10")
    assert issues == []
    a = result.audits
    assert a["audit_id"].tolist() == ["A1", "A2", "A3"]
    assert a["_row"].tolist() == [3, 4, 2]
    assert a["score"].tolist() == [D(97), D(100), D(92)]
    assert a["taboos"].tolist() == [D(40), D(40), D(32)]
    assert a["environment"].tolist() == [D(8), D(10), D(10)]
    assert a["applicable"].tolist() == [D(100), D(95), D(100)]
    assert a["violations"].tolist() == ["", "", "TAB-5 TAB-9"]
    assert a["failed_critical"].tolist() == ["", "", ""]
    assert a["auditor"].tolist() == ["督导甲"] * 3
    assert a["audit_date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-10-08", "2026-10-31",
                                                                "2026-10-20"]
    assert all(isinstance(v, Decimal) for v in a["score"])


def test_mean_score_per_employee_half_up(q):
    rows = [
        audit("A1", "2026-10-08", "1002"),                             # 100
        audit("A2", "2026-10-09", "1001", TAB_1=D(1)),                 # 96
        audit("A3", "2026-10-10", "1002", TAB_1=D(1)),                 # 96
        audit("A4", "2026-10-11", "1002", ENV_1=D(2)),                 # 97
        audit("A5", "2026-10-12", "1001", **{c.replace("-", "_"): None for c in  # 90.63
                                             POSITIVE[4:] + TABOOS[3:]}, PRN_2=D(2)),
    ]
    result, issues = score_audits(frame(rows), q, "2026-10")
    assert issues == []
    assert result.audits.set_index("audit_id").at["A5", "score"] == D("90.63")
    means = result.mean_score()
    assert means.index.tolist() == ["1001", "1002"]
    assert means.index.name == "employee_id"
    # 1001: (96 + 90.63) ÷ 2 = 93.315 → 93.32; 1002: (100 + 96 + 97) ÷ 3 = 97.666… → 97.67
    assert means.to_dict() == {"1001": D("93.32"), "1002": D("97.67")}
    assert all(isinstance(v, Decimal) for v in means)


def test_mean_score_rounds_half_up_not_half_even():
    audits = pd.DataFrame({"employee_id": ["1001", "1001", "1002"],
                           "score": pd.Series([D("90.00"), D("90.25"), None], dtype=object)})
    means = AuditResult(audits=audits).mean_score()
    assert means.to_dict() == {"1001": D("90.13")}    # 90.125; no score, no mean for 1002


def test_audits_outside_the_period_are_warned_and_left_out(q):
    rows = [audit("A1", "2026-09-30", "1001"), audit("A2", "2026-10-01", "1001", TAB_1=D(1)),
            audit("A3", "2026-11-01", "1002")]
    result, issues = score_audits(frame(rows, file="督导问卷.xlsx", sheet="十月"), q, "2026-10")
    assert result.audits["audit_id"].tolist() == ["A2"]
    assert [(i.source, i.code, i.severity) for i in issues] == [
        (Source("督导问卷.xlsx", sheet="十月", row=2), "audits.out_of_period", Severity.WARNING),
        (Source("督导问卷.xlsx", sheet="十月", row=4), "audits.out_of_period", Severity.WARNING),
    ]
    assert str(issues[0]) == ("督导问卷.xlsx[十月]!row 2: warning: audit A1 is dated 2026-09-30, "
                              "outside 2026-10: not counted")
    assert "A3" in issues[1].message
    assert result.mean_score().to_dict() == {"1001": D(96)}


def test_every_item_na_is_an_error_naming_the_row(q):
    rows = [audit("A1", "2026-10-08", "1001", **{c.replace("-", "_"): None
                                                 for c in POSITIVE + TABOOS}),
            audit("A2", "2026-10-09", "1001")]
    result, issues = score_audits(frame(rows), q, "2026-10")
    assert [(i.source, i.code, i.severity) for i in issues] == [
        (Source("督导问卷.xlsx", sheet="Sheet1", row=2), "audits.all_not_applicable",
         Severity.ERROR)]
    assert "every item is N/A" in issues[0].message and "A1" in issues[0].message
    assert result.audits["score"].tolist() == [None, D(100)]
    assert result.mean_score().to_dict() == {"1001": D(100)}


def test_a_bad_mark_is_an_error_and_leaves_no_score(q):
    result, issues = score_audits(frame([audit("A1", "2026-10-08", "1001", TAB_4=D(3))]), q,
                                  "2026-10")
    assert [(i.code, i.severity) for i in issues] == [("audits.bad_mark", Severity.ERROR)]
    assert "TAB-4 mark 3" in issues[0].message
    assert result.audits["score"].tolist() == [None]


def test_an_item_column_the_sheet_lacked_is_na(q):
    result, issues = score_audits(frame([audit("A1", "2026-10-08", "1001")], drop=("ENV-2",)),
                                  q, "2026-10")
    assert issues == []
    assert result.audits["applicable"].tolist() == [D(95)]
    assert result.audits["score"].tolist() == [D(100)]


def test_critical_failure_in_the_frame(q):
    critical = with_critical(q, "TAB-5")
    rows = [audit("A1", "2026-10-08", "1001", TAB_5=D(1), TAB_9=D(1)),
            audit("A2", "2026-10-09", "1001", TAB_9=D(1))]
    result, issues = score_audits(frame(rows), critical, "2026-10")
    assert issues == []
    a = result.audits
    assert a["score"].tolist() == [D(0), D(96)]
    assert a["failed_critical"].tolist() == ["TAB-5", ""]
    assert a["violations"].tolist() == ["TAB-5 TAB-9", "TAB-9"]
    assert result.mean_score().to_dict() == {"1001": D(48)}


def test_no_audits(q):
    empty = frame([audit("A1", "2026-10-08", "1001")]).iloc[0:0]
    result, issues = score_audits(empty, q, "2026-10")
    assert issues == [] and result.audits.empty
    assert list(result.audits.columns) == list(audit_columns(q))
    assert result.mean_score().empty


# ---------------------------------------------------------------------------------------------
# the committed sample month


@pytest.fixture(scope="module")
def sample_audits(policy):
    from csbatch.sheets.intake import read_inputs

    inputs, issues = read_inputs(policy, "2026-10", ROOT / "samples" / "2026-10")
    assert inputs is not None, "\n".join(map(str, issues))
    return inputs["audits"]


def test_sample_month_audits_score_without_errors(q, sample_audits):
    result, issues = score_audits(sample_audits, q, "2026-10")
    assert issues == []
    a = result.audits
    assert len(a) == len(sample_audits) > 0
    assert a["audit_id"].is_monotonic_increasing
    assert all(isinstance(s, Decimal) and D(0) <= s <= D(100) for s in a["score"])
    # the column-wise path agrees with scoring each audit on its own
    by_id = sample_audits.set_index("audit_id")
    codes = POSITIVE + TABOOS
    for row in a.itertuples(index=False):
        one = score_marks({c: by_id.at[row.audit_id, c] for c in codes}, q)
        assert (one.score, one.applicable) == (row.score, row.applicable)
        assert " ".join(one.violations) == row.violations
    means = result.mean_score()
    assert set(means.index) == set(a["employee_id"])
    assert all(D(0) <= m <= D(100) for m in means)
