"""The `fukushi-kg` command: one parser for every command, its aliases, defaults that never depend on
the current folder, `build --sources DIR`, and the exit codes (0 ok, 1 validation, 2 usage or
input, 3 port in use)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import fukushi_kg
from fukushi_kg import cli, resources
from fukushi_kg.graph.sources import document

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
    assert [c.name for c in cli.COMMANDS] == [
        "build", "query", "queries", "import", "tables", "new", "diff", "lint", "serve", "load"
    ]  # fmt: skip


def test_the_aliases_run_the_same_commands(tmp_path):
    listed = run("fukushi_kg", "queries", cwd=tmp_path)
    assert listed.returncode == 0 and "single-parent-programs-both-plans" in listed.stdout
    assert run("fukushi_kg.service.cli", "queries", cwd=tmp_path).stdout == listed.stdout
    serve_help = run("fukushi_kg.service", "--help", cwd=tmp_path)
    assert serve_help.returncode == 0 and "usage: fukushi-kg serve" in serve_help.stdout
    assert "--store URL" in serve_help.stdout and "--dist DIST" in serve_help.stdout
    bad = run("fukushi_kg", "no-such-command", cwd=tmp_path)
    assert bad.returncode == 2 and "invalid choice" in bad.stderr


def test_defaults_come_from_the_package_not_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FUKUSHI_KG_DIST", raising=False)
    commands = subcommands(cli.parser())
    for name in ("query", "queries", "serve"):
        assert commands[name].get_default("queries") == resources.QUERIES, name
    assert commands["serve"].get_default("ontology") == resources.ONTOLOGY_DIR
    assert commands["build"].get_default("sources") is None  # the seeds, read through fukushi_kg.resources
    for name in ("build", "query", "lint", "serve", "load"):
        assert commands[name].get_default("dist") == Path("dist"), name
    # a query by name from a folder that has no queries/ of its own
    (tmp_path / "queries").mkdir()
    listed = run("fukushi_kg", "queries", cwd=tmp_path)
    assert "single-parent-programs-both-plans" in listed.stdout


def test_every_command_reads_FUKUSHI_KG_DIST_serve_included(tmp_path, monkeypatch):
    monkeypatch.setenv("FUKUSHI_KG_DIST", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("FUKUSHI_KG_BASE", "https://example.org/kg/")
    commands = subcommands(cli.parser())
    for name in ("build", "query", "lint", "serve", "load"):
        assert commands[name].get_default("dist") == tmp_path / "elsewhere", name
    for name in ("build", "serve"):
        assert commands[name].get_default("base") == "https://example.org/kg/", name
    from fukushi_kg.graph.rdf import DEFAULT_BASE

    assert cli.DEFAULT_BASE == DEFAULT_BASE  # the build mints what serve serves by default


# ------------------------------------------------------------------ build --sources DIR
def own_sources(folder: Path, doc_id: str = "004") -> Path:
    """A sources folder of one's own: one seed text and a manifest naming it, and beside it a plans
    folder (``<folder>-plans``) with that document's tables."""
    doc = document(doc_id)
    folder.mkdir(parents=True)
    shutil.copytree(resources.PLANS / doc.id, folder.parent / f"{folder.name}-plans" / doc.id)
    shutil.copy(doc.path, folder / doc.file)
    seed = json.loads((resources.SOURCES / "manifest.json").read_text(encoding="utf-8"))
    entry = next(d for d in seed["documents"] if d["id"] == doc.id)
    (folder / "manifest.json").write_text(json.dumps({"documents": [entry]}, ensure_ascii=False), encoding="utf-8")
    return folder


def test_build_from_a_sources_folder_of_ones_own(tmp_path):
    own_sources(tmp_path / "mysources")
    built = run(
        "fukushi_kg",
        "build",
        "--sources",
        "mysources",
        "--plans",
        "mysources-plans",
        "--no-reasoner",
        "-q",
        cwd=tmp_path,
    )
    assert built.returncode == 0, built.stderr
    report = json.loads((tmp_path / "dist" / "build-report.json").read_text(encoding="utf-8"))
    assert list(report["documents"]) == ["kurume-child-plan-status-fy2021"]
    assert report["documents"]["kurume-child-plan-status-fy2021"]["indicators"] > 0
    trig = (tmp_path / "dist" / "fukushi-kg.trig").read_text(encoding="utf-8")
    assert '"mysources/004_c8e8016e934c030f.txt"' in trig and "data/sources/" not in trig
    # lint, run from the same folder, finds the text by its fk:textFile and checks the spans
    linted = run("fukushi_kg", "lint", "--select", "SRC", cwd=tmp_path)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert "not found" not in linted.stderr and "All checks passed" in linted.stdout


def _build(args: list[str], capsys) -> tuple[int, str]:
    code = cli.main(["build", "--no-reasoner", "-q", *args])
    return code, capsys.readouterr().err


def test_build_input_errors_exit_2_with_the_fix(tmp_path, capsys):
    code, err = _build(["--sources", str(tmp_path / "missing"), "--dist", str(tmp_path / "d")], capsys)
    assert code == 2 and "missing: no such sources folder" in err
    (tmp_path / "empty").mkdir()
    code, err = _build(["--sources", str(tmp_path / "empty"), "--dist", str(tmp_path / "d")], capsys)
    assert code == 2 and "manifest.json: no manifest" in err
    broken = own_sources(tmp_path / "broken")
    (broken / "manifest.json").write_text('{"documents": [', encoding="utf-8")
    code, err = _build(["--sources", str(broken), "--dist", str(tmp_path / "d")], capsys)
    assert code == 2 and "cannot be read as JSON" in err
    (broken / "manifest.json").write_text(
        json.dumps({"documents": [{"id": "x", "file": "nope.txt"}]}), encoding="utf-8"
    )
    code, err = _build(["--sources", str(broken), "--dist", str(tmp_path / "d")], capsys)
    assert code == 2 and "missing title" in err
    good = own_sources(tmp_path / "good")
    manifest = json.loads((good / "manifest.json").read_text(encoding="utf-8"))
    manifest["documents"][0]["file"] = "gone.txt"
    (good / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    code, err = _build(["--sources", str(good), "--dist", str(tmp_path / "d")], capsys)
    assert code == 2 and "no text file 'gone.txt'" in err
    code, err = _build(["--shapes", str(tmp_path / "no.ttl"), "--dist", str(tmp_path / "d")], capsys)
    assert code == 2 and "no.ttl: no such shapes file" in err
    (tmp_path / "a-file").write_text("x")
    code, err = _build(["--dist", str(tmp_path / "a-file")], capsys)
    assert code == 2 and "the output folder is a file" in err
    assert not (tmp_path / "d").exists()  # every one stopped before any work


def test_tables_that_do_not_fit_their_text_fail_the_build_with_exit_1(tmp_path, capsys):
    folder = own_sources(tmp_path / "src")
    (folder / document("004").file).write_text("not a plan\n", encoding="utf-8")
    code, err = _build(
        ["--sources", str(folder), "--plans", str(tmp_path / "src-plans"), "--dist", str(tmp_path / "d")], capsys
    )
    assert code == 1 and "reading the tables failed" in err and "line" in err
    assert "Traceback" not in err


def test_an_error_nobody_anticipated_is_one_line_and_not_exit_1(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("FUKUSHI_KG_TRACEBACK", raising=False)
    ns = cli.parser().parse_args(["build", "--dist", str(tmp_path / "d"), "-q"])
    ns.shapes = [42]  # what no option parser produces: the build fails where it uses it
    assert cli.run_build(ns) == 2
    err = capsys.readouterr().err
    assert err.startswith("fukushi-kg build: unexpected error: AttributeError:") and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


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
    assert "already in use" in done.stderr


@pytest.mark.parametrize("module", ["fukushi_kg", "fukushi_kg.service.cli"])
def test_usage_errors_exit_2(module, tmp_path):
    done = run(module, "query", cwd=tmp_path)
    assert done.returncode == 2 and "NAME_OR_FILE" in done.stderr
