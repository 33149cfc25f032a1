"""Headless Debian Chromium for the page tests: one binary lookup, one set of flags."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SKIP_REASON = "chromium is not installed (`make browser` installs the Debian package 'chromium')"
# Without the background-networking flags Chromium keeps trying hosts this closed machine refuses.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason=SKIP_REASON)


def dump_dom(url: str, profile: Path) -> str:
    """The DOM Chromium builds for ``url`` (a throwaway profile, no background network)."""
    if CHROMIUM is None:
        pytest.skip(SKIP_REASON)
    done = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout
