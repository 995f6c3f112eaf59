"""Fixtures of the reliability suite: the seed build, copies of it to break, and the figures each test reports.

Time budget (CI, 2 cores, target <= 4 minutes for the suite): the long parts are bounded by
environment variables with small defaults, documented in docs/reliability.md:

- ``FUKUSHI_KG_LOAD_SECONDS`` (default 20): duration of each load phase; 60 for the documented run.
- ``FUKUSHI_KG_LOAD_CLIENTS`` (default 100): concurrent clients.
- ``FUKUSHI_KG_FUZZ_EXAMPLES`` (default 25): hypothesis examples per fuzzed target.
- ``FUKUSHI_KG_API_EXAMPLES`` (default 20): schemathesis examples per API operation.
- ``FUKUSHI_KG_FAULT_STAGES`` (default ``tables,validate,store``; ``all`` adds ``dumps``): where builds are killed.
- ``FUKUSHI_KG_RELIABILITY_REPORT``: a file to write the figures to as JSON.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

FIGURES: dict[str, dict] = {}


def env_number(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


@pytest.fixture(scope="session")
def figures() -> dict[str, dict]:
    """Tests put what they measured here; it is printed at the end of the run (and written as JSON on request)."""
    return FIGURES


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not FIGURES:
        return
    terminalreporter.section("reliability figures")
    for name, values in FIGURES.items():
        terminalreporter.write_line(f"{name}: {json.dumps(values, ensure_ascii=False)}")
    target = os.environ.get("FUKUSHI_KG_RELIABILITY_REPORT")
    if target:
        Path(target).write_text(json.dumps(FIGURES, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


@pytest.fixture(scope="session")
def seed_dist(seed_build) -> Path:
    """The session's seed build (read-only: copy it with ``copy_dist`` before breaking anything)."""
    return seed_build[0]


def copy_dist(src: Path, dest: Path) -> Path:
    """A copy of a built dist/ (the store link stays a link into the copy's stores/)."""
    shutil.copytree(src, dest, symlinks=True)
    return dest
