"""Round 15 (issue 14, the forked writer's staff pages at a million orders): faster forms of what
the pages call for every text and value. Each must give exactly what the old form gave, kept
here as it was."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import UndefinedError

from conftest import CONFIG, SAMPLES
from csbatch.i18n import Said, word
from csbatch.idnumbers import mask_id, mask_ids_in
from csbatch.money import to_cents
from csbatch.policy.bands import fmt
from csbatch.policy.vocabulary import NO_DATA, UNITS, show
from csbatch.reports.staff_statements import TEMPLATE as STAFF_TEMPLATE
from csbatch.reports.staff_statements import _install_filters, _render
from csbatch.reports.vip_statements import TEMPLATE as VIP_TEMPLATE
from csbatch.reports.vip_statements import environment, page_renderer, period_label, render_statement

# --- mask_ids_in: a search for seventeen digits first ---------------------------------------------

_OLD_ID_IN_TEXT = re.compile(
    r"(?<![0-9A-Za-z])[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
    r"[0-9]{3}[0-9Xx](?![0-9A-Za-z])")


def old_mask_ids_in(text: str) -> str:
    if len(text) < 18:
        return text
    return _OLD_ID_IN_TEXT.sub(lambda m: mask_id(m.group(0)), text)


VALID_ID = "11010519491231002X"
PIECES = [VALID_ID, VALID_ID.lower(), "110105194912310021", "1101051949123100", "12345678901234567",
          "123456789012345678", "1234567890123456789", "0" * 17, "99999920001301001X", "A", "x", "-", " ",
          "订单", "!row 12", "（", "）", "0", "7", "X", "\n", "&<>\"'", "\x00", "٣", "１２３", "𝟘"]


def _texts() -> st.SearchStrategy[str]:
    return st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6),
                              st.text(alphabet="0123456789Xx", max_size=20)), max_size=8).map("".join)


@settings(max_examples=1500)
@given(_texts())
def test_mask_ids_in_is_the_old_form(text):
    new, old = mask_ids_in(text), old_mask_ids_in(text)
    assert new == old and type(new) is type(old)


@settings(max_examples=500)
@given(_texts())
def test_mask_ids_in_of_a_str_subclass_is_what_sub_gave(text):
    said = Said("{t}", t=text)
    new, old = mask_ids_in(said), old_mask_ids_in(said)
    assert new == old and type(new) is type(old)      # a plain str from 18 characters on, else the Said


def test_mask_ids_in_the_odd_cases():
    for text in ["", "x" * 17, "x" * 18, VALID_ID, f"a {VALID_ID} b", f"a{VALID_ID}", f"{VALID_ID}0",
                 f"{VALID_ID} {VALID_ID}", "1" * 40, f"订单!row 3（身份证 {VALID_ID}）", "12345678901234567 x"]:
        assert mask_ids_in(text) == old_mask_ids_in(text)
    assert mask_ids_in(f"id {VALID_ID} ok") == "id **************002X ok"


# --- show: its imports the module's ---------------------------------------------------------------

def old_show(name: str, value, lang: str = "en") -> str:
    if value is None:
        return word(lang, NO_DATA)
    unit = UNITS.get(name, "count")
    if unit == "text" or not isinstance(value, Decimal):
        return str(value)
    if unit == "money":
        return f"¥{to_cents(value):,}"
    if unit == "rate":
        return fmt(value, "rate")
    return fmt(value)


_DECIMALS = st.one_of(st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-10**9, max_value=10**9),
                      st.sampled_from([Decimal("1.0"), Decimal("1.00"), Decimal("-0"), Decimal("0.91666666"),
                                       Decimal("1E+3"), Decimal("5292.855")]))


@settings(max_examples=1000)
@given(st.sampled_from([*UNITS, "unknown"]), st.one_of(st.none(), _DECIMALS, st.integers(), st.text(max_size=5)),
       st.sampled_from(["zh", "en"]))
def test_show_is_the_old_form(name, value, lang):
    assert show(name, value, lang) == old_show(name, value, lang)


# --- page_renderer: the template's globals copied once per close -----------------------------------

@pytest.fixture(scope="module")
def explained():
    """The sample month's state after the computing stages and every employee's page."""
    from csbatch.closing.publish import staff_pages
    from csbatch.closing.runs import run_until_written

    state = run_until_written("2026-10", SAMPLES / "2026-10", CONFIG).state
    return state, staff_pages(state)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_staff_pages_rendered_as_template_render_renders_them(explained, lang):
    state, pages = explained
    env = environment(lang)
    _install_filters(env, lang)
    template = env.get_template(STAFF_TEMPLATE)
    render = page_renderer(template)
    label = period_label(state.period, lang)
    for page in pages:
        for company in ("", "<b>Acme & Co</b>"):
            assert _render(render, page, company, state.period, label, lang) == \
                _render(template.render, page, company, state.period, label, lang)


def test_vip_statements_rendered_as_template_render_renders_them(explained):
    state, _ = explained
    env = environment("zh")
    template = env.get_template(VIP_TEMPLATE)
    render = page_renderer(template)
    assert state.vip.statements
    for statement in state.vip.statements:
        assert render_statement(statement, state.period, env, company="&", render=render) == \
            render_statement(statement, state.period, env, company="&")


def test_a_failing_render_fails_as_render_does():
    """A missing variable is StrictUndefined's error either way; the globals read are the
    template's (`lang`), and a page's variables come before them."""
    template = environment("en").from_string("{{ lang }} {{ x }} {{ y.z }}")
    render = page_renderer(template)
    assert render(x=1, y={"z": "<"}) == template.render(x=1, y={"z": "<"}) == "en 1 &lt;"
    assert render(x=1, y={"z": 2}, lang="zh") == template.render(x=1, y={"z": 2}, lang="zh")
    for call in (render, template.render):
        with pytest.raises(UndefinedError, match="'x' is undefined"):
            call(y={"z": 1})
