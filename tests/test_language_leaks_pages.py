"""Issue 12: the HTML pages speak one language. A Chinese close's audit page, every VIP statement
and the what-if page show no code of the policy or of the outputs (tests/leaks.py); a `--lang en`
close's audit page and VIP statements are English: `<html lang="en">`, English headings, and no
Chinese word of the page's own (the data — names, the policy's item and tier names — may stay
Chinese)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import CONFIG, SAMPLES, committed_policy, git_commit_all
from csbatch.audit.exceptions import NOTE as EXCEPTION_NOTE
from csbatch.closing.runs import monthly_close
from csbatch.i18n import catalogue_path
from csbatch.reports.whatif_report import write_page
from leaks import _walk, leaks, output_codes, page_texts, policy_codes

PERIOD = "2026-10"
HAN = re.compile(r"[\u4e00-\u9fff]+")


def close(out: Path, lang: str, config: Path = CONFIG) -> Path:
    outcome = monthly_close(PERIOD, SAMPLES / PERIOD, out, config, lang=lang)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    return out / PERIOD


@pytest.fixture(scope="module")
def zh(sample_close) -> Path:
    return sample_close


@pytest.fixture(scope="module")
def en(sample_close_en) -> Path:
    return sample_close_en


def codes(month: Path, config: Path = CONFIG) -> set[str]:
    return policy_codes(config) | output_codes(month / "data")


def policy_texts(config: Path) -> set[str]:
    """Every text of the policy (its names for items, tiers, questionnaire items …)."""
    return {text for path in config.rglob("*.yaml") for text in _walk(yaml.safe_load(path.read_text(encoding="utf-8")))}


def own_words() -> set[str]:
    """The Chinese runs of the catalogue's translations: the words csbatch itself writes."""
    from babel.messages.pofile import read_po

    with catalogue_path("zh").open("rb") as f:
        catalogue = read_po(f, locale="zh")
    return {run for m in catalogue if m.id for text in (m.string if isinstance(m.string, tuple) else (m.string,))
            for run in HAN.findall(text or "")}


def page_words(path: Path, data: set[str]) -> set[str]:
    """The Chinese runs of a page's visible text that csbatch writes itself (not the month's data)."""
    own = own_words()
    return {run for _, text in page_texts(path) for run in HAN.findall(text)
            if run in own and not any(run in value for value in data)}


def test_zh_audit_page_and_vip_statements_show_no_code(zh):
    pages = [zh / f"audit_report_{PERIOD}.html", *sorted((zh / "vip").glob("*.html"))]
    assert len(pages) > 1
    found = [leak for page in pages for leak in leaks(page_texts(page), codes(zh))]
    assert not found, "\n".join(found[:20])


def test_zh_staff_pages_show_no_code(zh):
    """Every employee's page: measured values, band tables, formulas, flags, recognitions and roster
    columns by their words, not their codes (issue 12)."""
    pages = sorted((zh / "staff").glob("*.html"))
    assert len(pages) > 10
    found = [leak for page in pages for leak in leaks(page_texts(page), codes(zh))]
    assert not found, "\n".join(found[:20])
    texts = {page.stem: " ".join(t for _, t in page_texts(page)) for page in pages}
    assert "协作问题次数 = 2" in texts["1006"] and "20 − 2 × 2 (协作问题次数)" in texts["1006"]
    assert "满意度扣分 96.5% 落在 [95%, 100%) → 20 − 1" in texts["1006"]
    assert "每项表彰的奖金：服务之星 ¥200.00" in texts["1007"] and "名册中填写了 补助" in texts["1007"]   # 1007's award
    assert "考勤 2026-10-16 旷工 1：无打卡记录" in texts["1006"]
    assert "投诉未解决比例 = " in texts["1004"]          # measured over the department (issue 13)
    assert "(5 如果 3 > 0 且 3 == 3 否则 0) - (3 × 0 如果 3 > 0 否则 0) = 20" in texts["1010"]
    assert "抽查不合格数 = 0" in texts["1010"] and "抽查聊天数 = 3" in texts["1010"]      # 服务检测's chat checks


def test_zh_explain_pay_prints_no_code(zh):
    """`csbatch explain … --pay` in Chinese (the default) names no card, item, component, measure,
    recognition or roster column by its code; English keeps the codes it always printed."""
    from typer.testing import CliRunner

    from csbatch.cli import app

    # 1006: an absence, a complaint loss, an adjustment; 1007: unpaid leave, an award (服务之星), no
    # collaboration incident: between them every kind of line
    for employee in ("1006", "1007"):
        args = ["explain", employee, PERIOD, "--inputs", str(SAMPLES / PERIOD), "--config", str(CONFIG), "--pay"]
        result = CliRunner().invoke(app, args, env={"CSBATCH_LANG": "zh"})
        assert result.exit_code == 0, result.output
        found = leaks([("explain", line) for line in result.stdout.splitlines()], codes(zh))
        assert not found, "\n".join(found[:20])
    assert "客服中心绩效考核表" in result.stdout and "服务之星 ¥200.00" in result.stdout
    english = CliRunner().invoke(app, ["--lang", "en", *args])
    assert "collaboration_incidents = 0" in english.stdout and "service_star ¥200.00" in english.stdout


def test_leak_scan_skips_input_places():
    """A place in an input file (`file[sheet]!row N`, `file!A1`) is a place, written as it is in
    every language; the same word outside a place is still found."""
    assert not leaks([("x", "回访记录_2026-10.xlsx[回访记录]!row 9; 考勤.csv!B7")], {"row"})
    assert leaks([("x", "row 9")], {"row"})


def test_zh_pages_carry_the_company_and_chinese(zh):
    audit = (zh / f"audit_report_{PERIOD}.html").read_text(encoding="utf-8")
    vip = next((zh / "vip").glob("*.html")).read_text(encoding="utf-8")
    for html in (audit, vip):
        assert '<html lang="zh-CN">' in html and "示例家居客服中心" in html
    assert "客服部月度稽核报告" in audit and "会员对账单" in vip and (">是<" in audit or ">否<" in audit)


def test_en_close_writes_english_pages(en, zh):
    audit = en / f"audit_report_{PERIOD}.html"
    statements = sorted((en / "vip").glob("*.html"))
    assert statements
    html = audit.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Customer service monthly audit" in html
    assert "Deadline checks" in html and "October 2026" in html and "示例家居客服中心" in html
    member = statements[0].read_text(encoding="utf-8")
    assert '<html lang="en">' in member and "Member statement" in member and "Points" in member
    # what the page says itself is English; only the month's data (names, the policy's names,
    # input rows) may be Chinese
    data = {cell for path in (en / "data").glob("*.csv") for cell in path.read_text(encoding="utf-8").split(",")}
    data |= policy_texts(CONFIG)
    data.add(EXCEPTION_NOTE)    # the audit stage's note on a special-price refund: not the page's words
    for page in (audit, *statements):
        assert not page_words(page, data), (page.name, sorted(page_words(page, data))[:20])
    # the same close in Chinese: the scan finds the page's own words (the check is not blind)
    assert page_words(zh / f"audit_report_{PERIOD}.html", data)


def test_staff_pages_follow_the_language(en, zh):
    assert '<html lang="en">' in (en / "staff/1005.html").read_text(encoding="utf-8")
    page = (zh / "staff/1005.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page and "工资明细" in page and "示例家居客服中心" in page


@pytest.fixture(scope="module")
def what_if(tmp_path_factory) -> tuple[Path, Path, Path]:
    """A closed month, a commission rate changed and committed: (the what-if page in Chinese,
    the month, the policy)."""
    from csbatch.closing.whatif import what_if_closed

    tmp_path = tmp_path_factory.mktemp("what-if")
    config = committed_policy(tmp_path / "repo")
    month = close(tmp_path / "out", "zh", config)
    pay = config / "pay.yaml"
    pay.write_text(pay.read_text(encoding="utf-8").replace("      ecommerce_cs: 1%", "      ecommerce_cs: 1.2%"),
                   encoding="utf-8")
    git_commit_all(tmp_path / "repo", "commission 1.2%")
    what, issues = what_if_closed([PERIOD], "HEAD", config, tmp_path / "out" / "csbatch-ledger.sqlite")
    assert what is not None, [str(i) for i in issues]
    return write_page(what, tmp_path / "what-if.html", "zh"), month, config


def test_what_if_page_is_chinese(what_if):
    page, _, _ = what_if
    html = page.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html and "<h1>假设测算 · 2026-10</h1>" in html and "调整后：HEAD" in html


def test_what_if_page_shows_no_code(what_if):
    page, month, config = what_if
    found = leaks(page_texts(page), codes(month, config))
    assert not found, "\n".join(found[:20])
