"""The code is kept the way pyproject.toml says: ruff (lint and format) and mypy, run by the suite
so that CI (`make test`) runs them too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _tool(name: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / name), *args], cwd=ROOT, capture_output=True, text=True, timeout=900)


def test_ruff_check():
    done = _tool("ruff", "check", "--no-cache", ".")
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-2000:]


def test_ruff_format():
    done = _tool("ruff", "format", "--no-cache", "--check", ".")
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-2000:]


def test_mypy():
    done = _tool("mypy", "--no-incremental")
    assert done.returncode == 0, done.stdout[-8000:] + done.stderr[-2000:]
