"""Words for the codes a workbook would otherwise show (issue 12): a scorecard's flags, a VIP
product category. Codes stay in `data/*.csv`; a person reads these words, from the catalogue.

A code the catalogue has no word for (a flag a department adds in its own policy) is shown spelled
out (`no_calls` → "no calls"): a readable word rather than a code, in either language.
"""

from __future__ import annotations

from csbatch.i18n import N_, NC_, word
from csbatch.text import spelled

#: scorecard flags: the engine's own and the sample policy's `when_no_data.flag`s
FLAGS = {
    "award_candidate": N_("award candidate"),
    "training": N_("training"),
    "not_rated": N_("not rated"),
    "not_audited": N_("not audited"),
    "no_surveys": N_("no surveys"),
    "no_ratings": N_("no ratings"),
}
NO_DATA = N_("no data: {measure}")

#: VIP product categories (vip.yaml `discounts` and `never_discounted`)
CATEGORIES = {
    "regular": N_("regular"),
    "special_price": N_("special price"),
    "imported": N_("imported"),
    "new": NC_("product", "new"),
}

#: stages of the complaint process (csbatch.policy.catalogues.ComplaintStage), as a person reads them
STAGES = {
    "customer_signed": N_("customer signature"),
    "archived": N_("archived"),
    "product_retrieved": N_("product retrieved"),
    "escalated": N_("escalated to the manager"),
    "sales_manager_reviewed": N_("reviewed by the sales manager"),
}


def flag_word(flag: str, lang: str) -> str:
    kind, _, measure = flag.partition(":")
    if kind == "no_data" and measure:
        return word(lang, NO_DATA).format(measure=spelled(measure))
    return word(lang, FLAGS[flag]) if flag in FLAGS else spelled(flag)


def flags_text(flags, lang: str) -> str:
    """A member's flags as words, joined as the language joins a list."""
    return word(lang, N_(", ")).join(flag_word(f, lang) for f in flags)


def category_word(category: str, lang: str) -> str:
    return word(lang, CATEGORIES[category]) if category in CATEGORIES else spelled(category)


def stages_text(stages: str, lang: str) -> str:
    """A space-separated list of stage codes as words, joined as the language joins a list."""
    return word(lang, N_(", ")).join(word(lang, STAGES[s]) if s in STAGES else spelled(s) for s in stages.split())


def stages_texts(values, lang: str) -> list[str]:
    """`stages_text` of each value of a column, worded once per distinct value."""
    said: dict[str, str] = {}
    return [said[v] if v in said else said.setdefault(v, stages_text(v, lang)) for v in values]
