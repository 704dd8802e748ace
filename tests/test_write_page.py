"""`write_page`: the staff pages and VIP statements are written as `Path.write_text(text,
encoding="utf-8", newline="\\n")` wrote them: the same bytes, an existing file replaced."""

from __future__ import annotations

from pathlib import Path

import pytest

from csbatch.reports.vip_statements import write_page

TEXTS = ["", "<p>a</p>\n", "line\r\nother\rlast\n", "客户 · 月度 😀\n" * 5000, "\ufeffbom"]


@pytest.mark.parametrize("text", TEXTS)
def test_write_page_writes_what_write_text_wrote(tmp_path: Path, text: str) -> None:
    theirs, ours = tmp_path / "theirs.html", tmp_path / "ours.html"
    theirs.write_text(text, encoding="utf-8", newline="\n")
    write_page(str(ours), text)
    assert ours.read_bytes() == theirs.read_bytes()
    assert ours.stat().st_mode == theirs.stat().st_mode


def test_write_page_replaces_a_longer_file(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text("x" * 10_000)
    write_page(str(page), "short")
    assert page.read_text() == "short"


def test_write_page_refuses_text_utf8_cannot_hold(tmp_path: Path) -> None:
    with pytest.raises(UnicodeEncodeError):
        write_page(str(tmp_path / "bad.html"), "\udc80")
    assert not (tmp_path / "bad.html").exists()
