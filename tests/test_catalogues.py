"""The words a person reads come from the catalogue (issue 12): every marked string of the code and
the templates has its Chinese, placeholders survive translation, and `--lang`/CSBATCH_LANG choose
the language of the messages."""

from __future__ import annotations

from typer.testing import CliRunner

from conftest import load_script
from csbatch import i18n
from csbatch.cli import app
from csbatch.errors import Issue, Source


def _catalogue_script():
    return load_script("catalogue")


def test_every_marked_string_has_its_chinese():
    assert _catalogue_script().problems() == []


def test_check_names_a_string_without_chinese(tmp_path, monkeypatch):
    script = _catalogue_script()
    po = tmp_path / "csbatch.po"
    po.write_text(script.PO.read_text(encoding="utf-8").replace('msgstr "是"', 'msgstr ""'), encoding="utf-8")
    monkeypatch.setattr(script, "PO", po)
    assert any("'yes' has no Chinese yet" in p for p in script.problems())


def test_an_issue_is_shown_in_either_language():
    issue = Issue.warn(Source("a.xlsx", sheet="S", cell="B2"), "x", i18n.N_("{count} error"), count=1)
    assert issue.message == "1 error"
    assert issue.shown("en") == "a.xlsx[S]!B2: warning: 1 error"
    assert issue.shown("zh").startswith("a.xlsx[S]!B2: 警告：")
    assert i18n.yes_no("zh", True) == "是" and i18n.yes_no("zh", False) == "否"
    assert i18n.yes_no("en", True) == "yes"


def test_lang_option_and_environment_choose_the_messages_language(tmp_path):
    runner = CliRunner()
    args = ["policy", "check", "--config", str(tmp_path / "none")]
    assert runner.invoke(app, args).stderr.splitlines()[-1] == "错误 1 条，警告 0 条"
    assert runner.invoke(app, ["--lang", "en", *args]).stderr.splitlines()[-1] == "1 error, 0 warnings"
    assert runner.invoke(app, [*args, "--lang", "en"]).stderr.splitlines()[-1] == "1 error, 0 warnings"
    assert runner.invoke(app, args, env={"CSBATCH_LANG": "en"}).stderr.splitlines()[-1] == "1 error, 0 warnings"
    # an explicit --lang, before or after the command, wins over the environment
    for given in (["--lang", "zh", *args], [*args, "--lang", "zh"]):
        assert runner.invoke(app, given, env={"CSBATCH_LANG": "en"}).stderr.splitlines()[-1] == "错误 1 条，警告 0 条"
    # each run starts again from the default: the last one's language does not stick
    assert runner.invoke(app, args).stderr.splitlines()[-1] == "错误 1 条，警告 0 条"


def test_an_issue_inside_another_is_shown_in_the_same_language():
    inner = Issue.of(Source("out"), "close.write_failed", i18n.N_("cannot write the close: {why}"), why="disk full")
    outer = Issue.of(inner.source, inner.code, i18n.N_("{problem}; nothing was published and the ledger is unchanged"),
                     problem=inner.as_said())
    assert outer.message == "cannot write the close: disk full; nothing was published and the ledger is unchanged"
    assert outer.text("zh") == "无法写入结账结果：disk full；未发布任何结果，结账台账未改动"
