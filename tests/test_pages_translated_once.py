"""The pages' `{{ _("...") }}` (`csbatch.reports.pages._translated_once`, each text made once a
process) prints what Jinja's own newstyle gettext prints, for every message of both catalogues,
with and without variables, escaped alike."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po
from jinja2 import Environment

from csbatch.i18n import catalogue_path, translations
from csbatch.reports.pages import environment


def _stock(lang: str) -> Environment:
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    return env


def _said(env: Environment, source: str, **variables) -> str:
    try:
        return env.from_string(source).render(**variables)
    except Exception as exc:     # the same failure either way (a text with %(name)s and no name)
        return f"{type(exc).__name__}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_message_prints_as_jinja_prints_it(lang):
    with catalogue_path("zh").open("rb") as po:     # the messages (English; en prints them as they are)
        ids = [m.id for m in read_po(po) if m.id and isinstance(m.id, str)]
    assert len(ids) > 100
    ours, stock = environment(lang), _stock(lang)
    for text in [*ids, "100%% <b>", "a %s", "{first} to {last}"]:
        for _ in range(2):      # made, then known
            assert _said(ours, "{{ _(t) }}", t=text) == _said(stock, "{{ _(t) }}", t=text), text
    source = '{{ _("{first} to {last}").format(first=a, last=b) }}|{{ _("%(n)s <i>", n=a) }}'
    assert _said(ours, source, a="<script>", b="x&y") == _said(stock, source, a="<script>", b="x&y")
    assert "&lt;script&gt;" in _said(ours, source, a="<script>", b="x&y")
