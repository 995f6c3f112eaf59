"""The package as a user without a checkout gets it: the wheel, installed into a new virtual
environment, run from a folder that is not the repository.

One module-scoped install serves every test here: the wheel is built from this checkout
(``pip wheel --no-deps``), installed with its declared dependencies only into a fresh ``venv``,
and every command runs with a temporary folder as its working directory and a clean environment
(no PYTHONPATH), so an undeclared dependency, a data file missing from the wheel or a default that
depends on the current folder fails here.  The pre-commit hook is run through the real
``pre-commit try-repo``, which installs the repository the way pre-commit installs hooks.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import httpx
import pytest

from bench import procs

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "lint" / "fixtures"

pytestmark = pytest.mark.slow


def _env(home: Path) -> dict[str, str]:
    """A clean environment: nothing of this checkout on the path, pip's cache kept."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "JAVA_HOME")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env["PRE_COMMIT_HOME"] = str(home / "pre-commit-cache")
    return env


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path, dict[str, str]]:
    """``(bin, workdir, env)``: the wheel installed in a new venv; an empty working folder."""
    home = tmp_path_factory.mktemp("wheel")
    env = _env(home)
    wheels = home / "wheels"
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(ROOT)], home, env
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = wheels.glob("fukushi_kg-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names}
    assert top <= {"fukushi_kg", wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1] + ".dist-info"}, top
    for needed in (
        "fukushi_kg/ontology/fukushi.ttl",
        "fukushi_kg/ontology/vocabularies.ttl",
        "fukushi_kg/shapes/fukushi-shapes.ttl",
        "fukushi_kg/queries/programs.rq",
        "fukushi_kg/data/sources/manifest.json",
        "fukushi_kg/data/reviewed/laws.toml",
        "fukushi_kg/data/plans/kumamoto-regional-welfare-plan-5/datapackage.json",
        "fukushi_kg/data/plans/kumamoto-regional-welfare-plan-5/listings.csv",
        "fukushi_kg/graph/tables/schema.json",
        "fukushi_kg/graph/tables/examples.json",
        "fukushi_kg/service/templates/base.html",
        "fukushi_kg/graph/lint/rules/REL001.rq",
        "fukushi_kg/graph/shortcuts/planOrder.rq",
    ):
        assert needed in names, needed
    env_dir = home / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / "bin"
    done = _run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)], home, env, timeout=1200)
    assert done.returncode == 0, done.stderr[-3000:]
    work = home / "elsewhere"
    work.mkdir()
    return bin_dir, work, env


def test_no_generic_top_level_modules(installed):
    bin_dir, work, env = installed
    site = _run([str(bin_dir / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], work, env)
    entries = {p.name for p in Path(site.stdout.strip()).iterdir()}
    assert "graph" not in entries and "service" not in entries, sorted(entries)
    assert "fukushi_kg" in entries


def test_version_and_queries(installed):
    bin_dir, work, env = installed
    version = _run([str(bin_dir / "fukushi-kg"), "--version"], work, env)
    assert version.returncode == 0 and version.stdout.strip().split()[-1][0].isdigit(), version
    listed = _run([str(bin_dir / "fukushi-kg"), "queries"], work, env)
    assert listed.returncode == 0, listed.stderr
    assert "single-parent-programs-both-plans" in listed.stdout
    new = _run([str(bin_dir / "fukushi-kg"), "new", "plan", "my-plan"], work, env)  # examples.json is packaged
    assert new.returncode == 0 and "\n#my-plan," in (work / "my-plan" / "listings.csv").read_text(encoding="utf-8")


def test_build_query_serve_from_another_folder(installed):
    bin_dir, work, env = installed
    exe = str(bin_dir / "fukushi-kg")
    built = _run([exe, "build", "--dist", "dist"], work, env, timeout=900)
    assert built.returncode == 0, built.stderr[-3000:]
    assert (work / "dist" / "store").is_dir()
    answer = _run([exe, "query", "single-parent-programs-both-plans", "--dist", "dist", "--format", "csv"], work, env)
    assert answer.returncode == 0, answer.stderr
    assert "ひとり親家庭等日常生活支援事業" in answer.stdout
    assert len(answer.stdout.strip().splitlines()) == 5  # header + the four programs both plans list

    # FUKUSHI_KG_DIST is honoured by serve as by the other commands.
    port = procs.free_port()
    serve_env = dict(env, FUKUSHI_KG_DIST=str(work / "dist"))
    log = work / "serve.log"
    proc = procs.spawn([exe, "serve", "--port", str(port)], log, cwd=work, env=serve_env)
    try:
        procs.wait_ready(proc, port, log, 90, name="the installed fukushi-kg serve")
        r = httpx.get(
            f"http://127.0.0.1:{port}/sparql",
            params={"query": "ASK { ?s ?p ?o }"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        )
        assert r.status_code == 200 and r.json()["boolean"] is True, r.text
        # the explore pages, their queries, the translation catalogue and the vendored editor are in the wheel
        home = httpx.get(f"http://127.0.0.1:{port}/?lang=ja", timeout=30)
        assert home.status_code == 200 and "計画期間" in home.text and "熊本市" in home.text, home.text[-2000:]
        found = httpx.get(f"http://127.0.0.1:{port}/search", params={"q": "第5次"}, timeout=30)
        assert found.status_code == 200 and "<mark>第５次</mark>" in found.text
        editor = httpx.get(f"http://127.0.0.1:{port}/static/vendor/codemirror/sparql-editor.js", timeout=30)
        assert editor.status_code == 200 and "FukushiEditor" in editor.text
    finally:
        procs.stop(proc, 30)


def test_lint_a_file(installed, tmp_path):
    bin_dir, work, env = installed
    clean = shutil.copy(FIXTURES / "clean.trig", work / "clean.trig")
    broken = shutil.copy(FIXTURES / "REL001.trig", work / "REL001.trig")
    ok = _run([str(bin_dir / "fukushi-kg"), "lint", Path(clean).name, "--format", "json"], work, env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = _run([str(bin_dir / "fukushi-kg"), "lint", Path(broken).name], work, env)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "REL001" in bad.stdout
    missing = _run([str(bin_dir / "fukushi-kg"), "lint", "no-such-file.ttl"], work, env)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr, missing.stderr


def test_pre_commit_try_repo(installed, tmp_path):
    """The published hook, installed by pre-commit itself from this repository."""
    bin_dir, work, env = installed
    tools = tmp_path / "tools"
    venv.EnvBuilder(with_pip=True).create(tools)
    got = _run([str(tools / "bin" / "python"), "-m", "pip", "install", "--quiet", "pre-commit"], tmp_path, env)
    assert got.returncode == 0, got.stderr[-2000:]
    repo = tmp_path / "data-repo"
    repo.mkdir()
    git_env = dict(
        env,
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.org",
    )
    for cmd in (["git", "init", "-q"],):
        assert _run(cmd, repo, git_env).returncode == 0
    shutil.copy(FIXTURES / "clean.trig", repo / "plan.trig")
    shutil.copy(FIXTURES / "REL001.trig", repo / "broken.trig")
    assert _run(["git", "add", "."], repo, git_env).returncode == 0
    pre_commit = str(tools / "bin" / "pre-commit")
    clean = _run(
        [pre_commit, "try-repo", str(ROOT), "fukushi-kg-lint", "--files", "plan.trig"], repo, git_env, timeout=1200
    )
    assert clean.returncode == 0, clean.stdout[-3000:] + clean.stderr[-3000:]
    assert "fukushi-kg lint" in clean.stdout and "Passed" in clean.stdout, clean.stdout
    broken = _run([pre_commit, "try-repo", str(ROOT), "fukushi-kg-lint", "--files", "broken.trig"], repo, git_env)
    assert broken.returncode == 1, broken.stdout[-3000:]
    assert "REL001" in broken.stdout and "Failed" in broken.stdout, broken.stdout

    # the plan tables' hook: a seed plan folder passes; a broken cell fails, reported at its line and column
    doc = "kurume-child-plan-status-fy2021"
    folder = repo / "data" / "plans" / doc
    shutil.copytree(ROOT / "data" / "plans" / doc, folder)
    assert _run(["git", "add", "."], repo, git_env).returncode == 0
    staged = f"data/plans/{doc}/observations.csv"
    tables = _run(
        [pre_commit, "try-repo", str(ROOT), "fukushi-kg-lint-tables", "--files", staged], repo, git_env, timeout=1200
    )
    assert tables.returncode == 0, tables.stdout[-3000:] + tables.stderr[-3000:]
    assert "fukushi-kg lint (plan tables)" in tables.stdout and "Passed" in tables.stdout, tables.stdout
    text = (folder / "observations.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    header = text[0].rstrip("\n").split(",")
    cells = text[1].split(",")
    cells[header.index("year")] = "令和5年"
    text[1] = ",".join(cells)
    (folder / "observations.csv").write_text("".join(text), encoding="utf-8")
    assert _run(["git", "add", "."], repo, git_env).returncode == 0
    broken = _run([pre_commit, "try-repo", str(ROOT), "fukushi-kg-lint-tables", "--files", staged], repo, git_env)
    assert broken.returncode == 1, broken.stdout[-3000:]
    assert "Failed" in broken.stdout, broken.stdout
    assert f"{staged}:2:{header.index('year') + 1}: TAB016 [violation] year: '令和5年'" in broken.stdout, broken.stdout
    assert "Traceback" not in broken.stdout
