"""Headers and code labels as people write them, taken from the policy (config/inputs.yaml and
the code lists): never a copy of a config list in code."""

from __future__ import annotations

import re

from csbatch.policy import Policy

_CJK = re.compile(r"[\u4e00-\u9fff]")


def chinese(words: list[str]) -> list[str]:
    return [w for w in words if _CJK.search(w)]


def header(policy: Policy, kind: str, column: str, pick: int | str = 0) -> str:
    """A Chinese alias of a column: the `pick`-th one, or the named one (which must be an alias)."""
    aliases = chinese(policy.inputs.kinds[kind].columns[column].aliases) or [column]
    if isinstance(pick, str):
        if pick not in aliases:
            raise ValueError(f"{pick!r} is not an alias of {kind}.{column}: {aliases}")
        return pick
    return aliases[pick % len(aliases)]


def label(policy: Policy, codes: str, code: str, pick: int = 0) -> str:
    """A Chinese label of a code (`pick` chooses among its name and aliases)."""
    found = policy.code_list(codes)
    if found is None or code not in found:
        raise ValueError(f"{code!r} is not a code of {codes!r}")
    names = chinese(found[code]) or [code]
    return names[pick % len(names)]


def codes(policy: Policy, codes: str) -> list[str]:
    found = policy.code_list(codes)
    if found is None:
        raise ValueError(f"no code list {codes!r}")
    return list(found)


def yes_no(policy: Policy, value: bool, style: str = "是") -> str:
    """A boolean as typed: `style` names the true word of a pair the policy accepts (是/否, √/×,
    已批准/未批准, 待审批 for a pending request, Y/N)."""
    pairs = {"是": ("是", "否"), "√": ("√", "×"), "已批准": ("已批准", "未批准"),
             "待审批": ("已批准", "待审批"), "Y": ("y", "n")}
    word = pairs[style][0 if value else 1]
    allowed = policy.inputs.booleans.true if value else policy.inputs.booleans.false
    if word not in allowed:
        raise ValueError(f"{word!r} is not a boolean word of config/inputs.yaml")
    return word.upper() if style == "Y" else word
