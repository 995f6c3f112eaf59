"""The service-test helpers (tests/service/conftest.py), importable from the reliability tests and loadgen.

They are loaded under another module name so that two files called ``conftest`` never collide.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # bench/procs.py, when loadgen runs outside pytest
    sys.path.insert(0, str(ROOT))
_NAME = "fukushi_kg_service_test_helpers"
if _NAME in sys.modules:
    _helpers = sys.modules[_NAME]
else:
    _spec = importlib.util.spec_from_file_location(_NAME, ROOT / "tests" / "service" / "conftest.py")
    _helpers = importlib.util.module_from_spec(_spec)
    sys.modules[_NAME] = _helpers
    _spec.loader.exec_module(_helpers)

BASE = _helpers.BASE
SEED_BASE = _helpers.SEED_BASE
TOKEN = _helpers.TOKEN
Server = _helpers.Server
free_port = _helpers.free_port
make_dist = _helpers.make_dist
start_server = _helpers.start_server
start_seed_server = _helpers.start_seed_server
stop_server = _helpers.stop_server
