"""Round 19 (issue 14, the page writers at a million orders): a page's printed values escaped
without a `Markup` each (`pages.escaped`, used by `page_renderer`, which the audit page now renders
through too). Each text must be exactly what markupsafe's `escape` and `Template.render` gave; the
old forms are kept here."""

from __future__ import annotations

import dataclasses
import math
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import UndefinedError
from markupsafe import Markup, escape

from conftest import CONFIG, SAMPLES
from csbatch.i18n import Said
from csbatch.reports import audit_page
from csbatch.reports.pages import environment, escaped, page_renderer

HOSTILE = ["", "&", "<", ">", '"', "'", "&amp;", "<script>alert(1)</script>", "a & b", "O'Brien", 'say "x"',
           "订单!row 12", "\x00", "\n", "{{ x }}", "%s", "{n}", "—", "𝟘"]


class _Html:
    def __html__(self) -> str:
        return "<b>safe</b>"


class _Str:
    def __str__(self) -> str:
        return "<i>&</i>"


def _values() -> st.SearchStrategy[object]:
    texts = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=8)), max_size=6).map("".join)
    return st.one_of(texts, texts.map(Markup), texts.map(lambda t: Said("{t}", t=t)),
                     st.integers(), st.decimals(allow_nan=True), st.floats(allow_nan=True),
                     st.sampled_from([None, True, False, Decimal("1.0"), Decimal("-0.00"), Decimal("1E+3"),
                                      math.nan, _Html(), _Str(), pd.NaT, pd.NA]))


@settings(max_examples=2000)
@given(_values())
def test_escaped_is_the_text_escape_gives(value):
    assert escaped(value) == str(escape(value))


def test_escaped_odd_cases():
    for text in HOSTILE:
        assert escaped(text) == str(escape(text))
        assert escaped(Markup(text)) == str(escape(Markup(text))) == text
    assert escaped("plain") == "plain" and type(escaped("plain")) is str
    assert escaped(_Html()) == "<b>safe</b>"
    assert escaped(_Str()) == "&lt;i&gt;&amp;&lt;/i&gt;"
    assert escaped(None) == "None" and escaped(Decimal("-0.00")) == "-0.00"


TEMPLATES = [
    "{{ a }}|{{ b }}|{{ c|safe }}|{{ n }}|{{ d }}",
    "{% macro m(x) %}<p>{{ x }}</p>{% endmacro %}{{ m(a) }}{{ m(c) }}{% for v in xs %}[{{ v }}]{% endfor %}",
    "{% set s %}<{{ a }}>{% endset %}{{ s }}{{ s|length }}{{ a ~ b }}{{ (a ~ b)|e }}",
    "{% block body %}{{ a }}{% endblock %}{{ self.body() }}",
    "{{ a if n else b }}{{ xs|join(', ') }}{{ '%s'|format(a) }}{{ c|striptags }}",
]


@pytest.mark.parametrize("source", TEMPLATES)
@settings(max_examples=100, deadline=None)
@given(st.sampled_from(HOSTILE), st.text(max_size=6), st.lists(st.sampled_from(HOSTILE), max_size=4))
def test_page_renderer_renders_what_render_renders(source, a, b, xs):
    template = environment("en").from_string(source)
    variables = dict(a=a, b=b, c=f"<u>{a}</u>", n=len(xs), d=Decimal("1.50"), xs=xs)
    assert page_renderer(template)(**variables) == template.render(**variables)


def test_a_render_failing_midway_fails_as_render_does():
    template = environment("en").from_string("{% for r in rows %}{{ r.a }}&{{ r.b }}{% endfor %}")
    rows = [dict(a="<", b="x"), dict(a="y")]
    for call in (page_renderer(template), template.render):
        with pytest.raises(UndefinedError, match="has no attribute 'b'"):
            call(rows=rows)


def test_the_template_itself_keeps_markupsafe_escape():
    template = environment("en").from_string("{{ a }}")
    page_renderer(template)(a="<")
    assert template.root_render_func.__globals__["escape"] is escape
    assert template.render(a="<") == "&lt;"


@pytest.fixture(scope="module")
def report_and_policy():
    from csbatch.closing.runs import run_until_written

    state = run_until_written("2026-10", SAMPLES / "2026-10", CONFIG).state
    c = state.computed()
    return c.audit, c.policy


def _hostile(report):
    """The sample's report with every text cell of its complaints and deadlines made hostile."""
    def spoil(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        for col in frame.columns:
            texts = frame[col].dtype == object and all(type(v) is str for v in frame[col])
            if texts and col not in ("status", "sla_status", "rule", "category"):
                frame[col] = [HOSTILE[i % len(HOSTILE)] + str(v) for i, v in enumerate(frame[col])]
        return frame
    return dataclasses.replace(report, complaints=spoil(report.complaints), deadlines=spoil(report.deadlines),
                               callbacks=spoil(report.callbacks))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("hostile", [False, True])
def test_the_audit_page_is_what_template_render_gave(report_and_policy, monkeypatch, lang, hostile):
    report, policy = report_and_policy
    if hostile:
        report = _hostile(report)
    new = audit_page.render_audit_page(report, policy, lang)
    assert ("&lt;script&gt;alert(1)&lt;/script&gt;" in new) is hostile and "<script>alert" not in new
    monkeypatch.setattr(audit_page, "page_renderer", lambda template: template.render)   # the old form
    assert new == audit_page.render_audit_page(report, policy, lang)
