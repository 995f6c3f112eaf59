"""The portal tests run the service over the session's real build of the seed documents."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reliability"))
from servers import Server, start_seed_server, stop_server  # noqa: E402


@pytest.fixture(scope="session")
def portal_server(seed_build) -> Server:
    srv = start_seed_server(seed_build[0], "--workers", "1", "--contact-email", "fukushi-kg@example.org")
    yield srv
    stop_server(srv)
