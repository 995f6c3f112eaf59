"""The `fukushi-kg` command: one parser for every command, its aliases, and the exit codes (0 ok,
1 validation, 2 usage or input, 3 port in use)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import fukushi_kg
from fukushi_kg import cli

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """``python -m ARGS`` with this checkout first on the path, from ``cwd``."""
    environ = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""), **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=cwd, env=environ, capture_output=True, text=True, timeout=timeout
    )


def subcommands(p) -> dict:
    return next(a for a in p._actions if a.dest == "command").choices


def test_version_from_the_package(tmp_path):
    done = run("fukushi_kg", "--version", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout.strip() == f"fukushi-kg {fukushi_kg.__version__}"


def test_one_parser_declares_every_command():
    assert list(subcommands(cli.parser())) == [c.name for c in cli.COMMANDS]
    assert [c.name for c in cli.COMMANDS] == ["build", "query", "queries", "lint", "serve", "load"]


def test_the_aliases_run_the_same_commands(tmp_path):
    listed = run("fukushi_kg", "queries", cwd=tmp_path)
    assert listed.returncode == 0 and "single-parent-programs-both-plans" in listed.stdout
    assert run("fukushi_kg.service.cli", "queries", cwd=tmp_path).stdout == listed.stdout
    serve_help = run("fukushi_kg.service", "--help", cwd=tmp_path)
    assert serve_help.returncode == 0 and "usage: fukushi-kg serve" in serve_help.stdout
    assert "--store URL" in serve_help.stdout and "--dist DIST" in serve_help.stdout
    bad = run("fukushi_kg", "no-such-command", cwd=tmp_path)
    assert bad.returncode == 2 and "invalid choice" in bad.stderr


# ------------------------------------------------------------------ serve: port in use
def test_serve_exits_3_when_the_port_is_in_use(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        # an external store that is not there: nothing is built, the port is the only problem
        done = run(
            "fukushi_kg",
            "serve",
            "--port",
            str(port),
            "--store",
            "http://127.0.0.1:9/sparql",
            "--dist",
            str(tmp_path / "dist"),
            cwd=tmp_path,
            timeout=60,
        )
    assert done.returncode == 3, done.stderr[-2000:]
    assert "address already in use" in done.stderr


@pytest.mark.parametrize("module", ["fukushi_kg", "fukushi_kg.service.cli"])
def test_usage_errors_exit_2(module, tmp_path):
    done = run(module, "query", cwd=tmp_path)
    assert done.returncode == 2 and "NAME_OR_FILE" in done.stderr
