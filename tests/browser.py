"""Headless Chromium for the tests that check a page as a person sees it. The tests install
nothing: `make test` installs Debian's chromium where it can, and a test skips with a visible
reason where it cannot run."""

from __future__ import annotations

import os
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
