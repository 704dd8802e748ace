"""The reference in docs/ (policy.md, inputs.md, outputs.md) is generated from the code by
scripts/gen_docs.py; these tests fail when the committed files drift from what the code says, or
when the code gains a policy key, column or output file without a description."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import Field

from conftest import load_script
from csbatch.policy.base import Model, Rate

ROOT = Path(__file__).resolve().parents[1]


gen_docs = load_script("gen_docs")


@pytest.fixture(scope="module")
def generated() -> dict[str, str]:
    return gen_docs.generate()     # closes the sample month once


def test_committed_reference_is_what_the_code_generates(generated):
    assert sorted(generated) == ["inputs.md", "outputs.md", "policy.md"]
    stale = [name for name, text in generated.items()
             if (ROOT / "docs" / name).read_text(encoding="utf-8") != text]
    assert not stale, f"docs/{', docs/'.join(stale)} out of date with the code: run make docs"


def test_reference_covers_every_file_and_csv_column(generated):
    for rel in ("roles.yaml", "pay.yaml", "kpi/CODE.yaml", "periods/YYYY-MM.yaml"):
        assert f"## {rel}" in generated["policy.md"]
    assert "| `late_grace_minutes` | [Minutes](#value-types) | optional | `0` |" in generated["policy.md"]
    assert "| `Minutes` | whole minutes | 0–120 |" in generated["policy.md"]
    assert "## sales · 销售订单" in generated["inputs.md"]
    assert "| `amount` ✱ | 金额, 成交金额, 实收金额 |" in generated["inputs.md"]
    for name in ("payroll.csv", "vip_members.csv", "complaints.csv"):
        assert f"### {name}" in generated["outputs.md"]
    assert "`vip/CUSTOMER_ID.html`" in generated["outputs.md"]


def test_a_policy_key_without_a_description_is_an_error():
    class Undocumented(Model):
        share: Rate = Field(description="documented")
        cap: Rate

    schema = gen_docs._Schema()
    schema.collect(Undocumented)
    schema.finish()
    with pytest.raises(gen_docs.DocsError, match=r"Undocumented\.cap has no description"):
        gen_docs._field_rows(schema, Undocumented)


def test_docs_point_inside_the_repository():
    """No reference to the spec files that lived outside the repository: code, config, templates
    and tests cite docs/inputs.md and docs/outputs.md, the docs link each other by file name."""
    gone = re.compile(r"policies\.md|shared/(?:spec|seeds)|\.\./seeds")
    bare = re.compile(r"(?<!docs/)\b(?:inputs|outputs)\.md")
    hits = []
    for path in [ROOT / "README.md", *ROOT.glob("docs/*.md"), *ROOT.glob("src/**/*.py"),
                 *ROOT.glob("tests/**/*.py"), *ROOT.glob("config/**/*.yaml"),
                 *(p for p in ROOT.glob("templates/**/*") if p.is_file())]:
        if path.name == Path(__file__).name:
            continue
        text = path.read_text(encoding="utf-8")
        found = gone.findall(text) if path.parent.name == "docs" else gone.findall(text) + bare.findall(text)
        hits += [f"{path.relative_to(ROOT)}: {f}" for f in found]
    assert not hits, hits
