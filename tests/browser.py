"""Headless Chromium for the tests that check a page as a person sees it. The tests install
nothing: `make test` installs Debian's chromium where it can, and a test skips with a visible
reason where it cannot run."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest


def chromium_or_skip() -> str:
    exe = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
    if exe is None:
        pytest.skip("chromium not installed: `make test` installs Debian's chromium where it can (root + apt-get)")
    try:
        probe = subprocess.run([exe, "--headless", "--no-sandbox", "--version"], capture_output=True, text=True,
                               timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"chromium not installed: {exe} cannot run ({exc})")
    if probe.returncode != 0:
        pytest.skip(f"chromium not installed: {exe} --version failed: {probe.stderr.strip()[:200]}")
    return exe


def chromium(exe: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    """Chromium headless, offline (no background networking), with its own empty profile."""
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-dev-shm-usage", "--hide-scrollbars", f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env={**os.environ, "LANG": "zh_CN.UTF-8"})


def measured_in_iframe(exe: str, folder: Path, page: str, width: int, measure: str) -> str:
    """`page` laid out in an iframe `width` px wide (headless Chromium keeps a window at least
    500 px wide, so a phone's width needs an iframe), measured from the outer page because the page
    itself runs no script but its own (CSP). `measure` is the body of a JS function of `d` (the
    page's document) and `w` (its window) returning a string; that string is returned."""
    probe = ('<!doctype html><html><head><title>probe</title></head><body style="margin:0">'
             f'<iframe id="f" style="border:0;width:{width}px;height:900px" srcdoc="{html.escape(page)}"></iframe>'
             "<script>document.getElementById('f').onload = function () {"
             f" document.title = 'M:' + (function (d, w) {{ {measure} }})(this.contentDocument, this.contentWindow);"
             " };</script></body></html>")
    path = folder / "probe.html"
    path.write_text(probe, encoding="utf-8")
    dom = chromium(exe, folder / "profile", "--window-size=1400,1000", "--virtual-time-budget=5000",
                   "--dump-dom", path.resolve().as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    found = re.search(r"<title>M:(.*?)</title>", dom.stdout, re.S)
    assert found, dom.stdout[:300]
    return found.group(1)
