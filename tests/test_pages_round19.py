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


# --- Words.format: str.format of whole numbers --------------------------------------------------

FORMATS = ["+{n} more", "{rank} of {n}", "{n}", "{{n}} {n}", "<b>{n}</b> &amp;", "{n:>5}", "{n!r}", "{0}",
           "{n.real}", "{n[0]}", "{x}", "{", "}", "{n:,}", "{n:<>8}", "", "no fields", "{n}{n}", "{ n}"]


def _values_for_format():
    return st.one_of(st.integers(), st.booleans(), st.decimals(allow_nan=False), st.sampled_from(HOSTILE),
                     st.sampled_from([Markup("<i>"), 1.5, None, [1]]))


@settings(max_examples=1500)
@given(st.sampled_from(FORMATS), st.dictionaries(st.sampled_from(["n", "rank", "x"]), _values_for_format()),
       st.lists(st.integers(), max_size=1))
def test_words_format_is_markup_format(text, kwargs, args):
    from csbatch.reports.pages import Words

    def outcome(words):
        try:
            return "ok", str(words.format(*args, **kwargs))
        except Exception as exc:     # the same error either way
            return type(exc).__name__, str(exc)

    assert outcome(Words(text)) == outcome(Markup(text))
    result = Words(text).format(*args, **kwargs) if outcome(Markup(text))[0] == "ok" else None
    assert result is None or type(result) is Words


def test_words_format_odd_cases():
    from csbatch.reports.pages import Words

    for text in FORMATS:
        for n in (0, -1, 10**30, True, Decimal("1.0"), "<x>", Markup("<y>")):
            try:
                old = str(Markup(text).format(n=n, rank=n))
            except Exception as exc:
                with pytest.raises(type(exc)):
                    Words(text).format(n=n, rank=n)
            else:
                assert str(Words(text).format(n=n, rank=n)) == old
    assert escaped(Words("<b>")) == "<b>" == str(escape(Words("<b>")))


# --- the audit page's cells: a datetime's text from its fields, an int's at once ----------------

def _old_datetime_text(value) -> str:
    import datetime as dt

    from csbatch.blanks import is_blank
    from csbatch.reports.pages import DASH
    if is_blank(value) or value == "":
        return DASH
    if isinstance(value, dt.datetime):
        return dt.datetime.strftime(value, "%Y-%m-%d %H:%M")
    return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")


@settings(max_examples=1000)
@given(st.datetimes(), st.sampled_from([None, "UTC", "Asia/Shanghai", "America/St_Johns"]), st.integers(0, 999))
def test_datetime_text_is_the_old_form(value, tz, nanos):
    from csbatch.reports.audit_page import datetime_text
    assert datetime_text(value) == _old_datetime_text(value)
    if pd.Timestamp.min < pd.Timestamp(value) < pd.Timestamp.max - pd.Timedelta(days=2):
        stamp = pd.Timestamp(value) + pd.Timedelta(nanoseconds=nanos)
        stamp = stamp.tz_localize(tz, ambiguous=True, nonexistent="shift_forward") if tz else stamp
        assert datetime_text(stamp) == _old_datetime_text(stamp)


def test_datetime_text_odd_cases():
    import datetime as dt

    from csbatch.reports.audit_page import datetime_text
    for value in [dt.datetime(1, 1, 1), dt.datetime(999, 12, 31, 23, 59), dt.datetime(1000, 1, 1), dt.datetime.max,
                  dt.date(2026, 10, 1), "2026-10-01 08:30", pd.NaT, None, "", math.nan,
                  pd.Timestamp("2026-10-01 08:30:59.999999999", tz="Asia/Shanghai"),
                  dt.datetime(2026, 10, 1, 8, 30, tzinfo=dt.UTC)]:
        assert datetime_text(value) == _old_datetime_text(value)


def _old_fmt_int(value) -> str:
    from csbatch.reports import audit_page
    d = audit_page._dec(value)
    return audit_page.DASH if d is None else f"{int(d):,}"


@given(st.one_of(st.integers(), st.integers().map(lambda n: __import__("numpy").int64(n % 2**62)),
                 st.decimals(allow_nan=True, allow_infinity=False), st.sampled_from([None, math.nan, "", "12"])))
def test_fmt_int_is_the_old_form(value):
    from csbatch.reports.audit_page import fmt
    assert fmt(value, "int") == _old_fmt_int(value)


def test_fmt_int_of_a_bool_fails_as_before():
    from csbatch.reports.audit_page import fmt
    for value in (True, False):
        with pytest.raises(Exception) as was:
            _old_fmt_int(value)
        with pytest.raises(type(was.value)):
            fmt(value, "int")
