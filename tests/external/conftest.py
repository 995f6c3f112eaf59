"""Fixtures for the external-store tests: Debian's Virtuoso Open Source on loopback, in a temporary folder.

The server runs from a copy of the package's virtuoso.ini whose database, log and lock paths point
into the test's folder, on free SQL and HTTP ports, so it never touches a shared database. It is
stopped when the session ends, whatever happened. Without the package the tests skip and say why
(``scripts/install-test-deps`` installs it where it runs as root with apt-get).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bench import procs

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
SEED_BASE = "https://w3id.org/fukushi-kg/"
DBA = ("dba", "dba")  # the Debian package's DBA account


def virtuoso_ini(template: str, folder: Path, sql_port: int, http_port: int) -> str:
    """``template`` with every path under ``folder``, the given ports, and ``folder`` in DirsAllowed."""
    values = {
        ("Database", "DatabaseFile"): folder / "virtuoso.db",
        ("Database", "ErrorLogFile"): folder / "virtuoso.log",
        ("Database", "LockFile"): folder / "virtuoso.lck",
        ("Database", "TransactionFile"): folder / "virtuoso.trx",
        ("Database", "xa_persistent_file"): folder / "virtuoso.pxa",
        ("TempDatabase", "DatabaseFile"): folder / "virtuoso-temp.db",
        ("TempDatabase", "TransactionFile"): folder / "virtuoso-temp.trx",
        ("Parameters", "ServerPort"): sql_port,
        ("Parameters", "DirsAllowed"): f"., {folder}, /usr/share/virtuoso-opensource-7/vad",
        ("HTTPServer", "ServerPort"): http_port,
        ("SPARQL", "MaxQueryExecutionTime"): 10,  # a query the tests abandon does not keep the server busy for long
    }
    section, out = None, []
    for line in template.splitlines():
        header = re.match(r"\s*\[(.+)\]", line)
        if header:
            section = header.group(1)
        setting = re.match(r"(\s*)(\w+)(\s*=\s*)", line)
        if setting and (section, setting.group(2)) in values:
            line = f"{setting.group(1)}{setting.group(2)}{setting.group(3)}{values[(section, setting.group(2))]}"
        out.append(line)
    return "\n".join(out) + "\n"


@dataclass
class Virtuoso:
    folder: Path
    sql_port: int
    http_port: int
    process: subprocess.Popen

    @property
    def sparql(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    def log(self) -> str:
        path = self.folder / "virtuoso.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A Virtuoso server of its own, ready for SPARQL over HTTP and isql."""
    binary = shutil.which("virtuoso-t")
    if binary is None or shutil.which("isql-vt") is None or not SYSTEM_INI.is_file():
        pytest.skip(
            "Virtuoso Open Source is not installed (Debian: apt-get install virtuoso-opensource; "
            "scripts/install-test-deps does it when run as root)"
        )
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = procs.free_port(), procs.free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(virtuoso_ini(SYSTEM_INI.read_text(errors="replace"), folder, sql_port, http_port))
    process = procs.spawn([binary, "+configfile", str(ini), "+foreground"], folder / "stdout.log", cwd=folder)
    server = Virtuoso(folder, sql_port, http_port, process)
    try:
        try:
            procs.wait_ready(process, http_port, folder / "stdout.log", 90, name="virtuoso-t")
        except RuntimeError as exc:
            pytest.fail(f"{exc}\n{server.log()}")
        yield server
    finally:
        procs.stop(process, 30)


@dataclass
class Service:
    url: str
    process: subprocess.Popen
    log: Path

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60)


def start_service_process(dist: Path, *extra: str, env: dict | None = None) -> Service:
    """``python -m service`` over ``dist`` (seed build, repository queries) on a free port, once it answers."""
    port = procs.free_port()
    log = dist.parent / f"service-{port}.log"
    cmd = [
        sys.executable,
        "-m",
        "fukushi_kg.service",
        "--dist",
        str(dist),
        "--port",
        str(port),
        "--base",
        SEED_BASE,
        "--queries",
        str(ROOT / "queries"),
        "--ontology",
        str(ROOT / "ontology"),
        *extra,
    ]
    process = procs.spawn(cmd, log, cwd=ROOT, env={**os.environ, **(env or {})})
    try:
        procs.wait_ready(process, port, log, 60, path="/api/queries", name="the service")
    except RuntimeError as exc:
        pytest.fail(str(exc))
    return Service(f"http://{procs.HOST}:{port}", process, log)


def stop_service(service: Service) -> None:
    procs.stop(service.process)


@pytest.fixture(scope="session")
def start_service():
    """``start_service(dist, *options)``: the service as a subprocess; every one started is stopped at the end."""
    started: list[Service] = []

    def start(dist: Path, *extra: str, env: dict | None = None) -> Service:
        service = start_service_process(dist, *extra, env=env)
        started.append(service)
        return service

    yield start
    for service in started:
        stop_service(service)
