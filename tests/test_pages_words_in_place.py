"""The pages' environment (`csbatch.reports.pages.environment`) writes `{{ _("words") }}` into a
template as its text when the template is compiled (`_WordsInPlace`), and looks up `m.name` on a
plain dict as the key at once (`_PageEnvironment.getattr`). Both print what Jinja prints without
them: the VIP statements of a month, in both languages, are the pages an environment without them
renders; a `_` with variables or in an expression is still called; a dict's own names and a
missing key are what Jinja makes of them."""

from __future__ import annotations

import sys

import pytest
from jinja2 import Environment, StrictUndefined, UndefinedError
from markupsafe import Markup

from csbatch.i18n import translations, word
from csbatch.reports.pages import environment, page_renderer
from csbatch.reports.vip_statements import TEMPLATE, render_statement
from test_vip_statements_made_when_read import PERIOD, _month


def _stock(lang: str) -> Environment:
    """The pages' environment as Jinja makes it, without either of the two."""
    ours = environment(lang)
    env = Environment(loader=ours.loader, autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True,
                      trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(ours.filters)
    env.globals.update(ours.globals)
    return env


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_month_of_statements_prints_as_without_them(policy, lang):
    result = _month(policy, 40)
    ours, stock = environment(lang), _stock(lang)
    mine, theirs = (page_renderer(env.get_template(TEMPLATE)) for env in (ours, stock))
    pages = 0
    for statement in result.statements:
        page = render_statement(statement, PERIOD, ours, company="<Acme & Co>", render=mine)
        assert page == render_statement(statement, PERIOD, stock, company="<Acme & Co>", render=theirs)
        pages += 1
    assert pages == 40
    assert word(lang, "Member statement") in page and "&lt;Acme &amp; Co&gt;" in page


SOURCE = ('{{ _("Member statement") }}|{{- _("Points") -}}|{{ _("Name") ~ "<x>" }}|{{ _("%(n)s <i>", n=a) }}'
          '|{{ _("100%% <b>") }}|{{ _("{first} to {last}").format(first=a, last="&") }}|{{_( "Date" )}}')


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_words_alone_are_written_in_and_the_rest_is_called(lang):
    ours, stock = environment(lang), _stock(lang)
    assert ours.from_string(SOURCE).render(a="<script>") == stock.from_string(SOURCE).render(a="<script>")
    code = ours.compile(SOURCE, raw=True)
    for alone in ("Member statement", "Points", "100%% <b>", "Date"):
        # the words' text is in the compiled template, the message is not asked for any more
        assert repr(alone) not in code and f'"{alone}"' not in code, alone
    assert str(ours.globals["_"]("Member statement")) in code
    for called in ("Name", "%(n)s <i>", "{first} to {last}"):
        assert repr(called) in code, called


def test_words_that_cannot_be_made_fail_when_rendered_as_before():
    source = '{{ _("%(n)s left") }}'
    ours, stock = environment("en"), _stock("en")
    template = ours.from_string(source)     # compiles: the words are left to be asked for
    for env_template in (template, stock.from_string(source)):
        with pytest.raises(KeyError):
            env_template.render()


def _raised_inside(call) -> list[str]:
    """The exceptions raised (and caught) while `call()` runs."""
    raised: list[str] = []

    def trace(frame, event, arg):
        if event == "exception":
            raised.append(arg[0].__name__)
        return trace

    sys.settrace(trace)
    try:
        call()
    finally:
        sys.settrace(None)
    return raised


def test_a_dicts_key_is_found_without_an_exception_and_its_own_names_as_jinja_finds_them():
    ours, stock = environment("zh"), _stock("zh")
    row = {"name": "<李雷>", "items": "a key named like a method", "note": None}
    assert _raised_inside(lambda: ours.getattr(row, "name")) == []
    assert "AttributeError" in _raised_inside(lambda: stock.getattr(row, "name"))
    source = "{{ m.name }}|{{ m.note }}|{{ m.items is callable }}|{{ m.get('name') }}|{{ m.__class__.__name__ }}"
    assert ours.from_string(source).render(m=row) == stock.from_string(source).render(m=row) \
        == "&lt;李雷&gt;|None|True|&lt;李雷&gt;|dict"
    for env in (ours, stock):
        with pytest.raises(UndefinedError, match="missing"):
            env.from_string("{{ m.missing }}").render(m=row)


def _called_into(call, filename: str) -> list[str]:
    """The functions of `filename` (a module's file name) called while `call()` runs."""
    called: list[str] = []

    def trace(frame, event, arg):
        if event == "call" and frame.f_code.co_filename.endswith(filename):
            called.append(frame.f_code.co_name)
        return None

    sys.settrace(trace)
    try:
        call()
    finally:
        sys.settrace(None)
    return called


def test_words_of_texts_are_formatted_without_markupsafes_formatter():
    said = environment("en").globals["_"]("{first} to {last}")
    assert type(said).__name__ == "Words"
    made = said.format(first="<2026-12-01>", last=Markup("<b>2026-12-08</b>"))
    assert made == Markup("{first} to {last}").format(first="<2026-12-01>", last=Markup("<b>2026-12-08</b>"))
    assert made == "&lt;2026-12-01&gt; to <b>2026-12-08</b>"
    assert _called_into(lambda: said.format(first="2026-12-01", last="x & y"), "string.py") == []
