"""``fukushi-kg publish``: the static site under Debian's nginx passes the portal checks ``serve`` passes.

One real build (the Kurume document alone, so the publication takes seconds; the seed's full
publication is measured in bench/), published by the command; nginx is started on a free port with
a configuration that includes the generated ``_server/nginx-http.conf`` and ``nginx-locations.conf``
as they are. The same checks (``site_checks``) run against ``fukushi-kg serve`` over the same build.
"""

from __future__ import annotations

import getpass
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reliability"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import site_checks  # noqa: E402
from servers import SEED_BASE, free_port, start_seed_server, stop_server  # noqa: E402

from bench import procs  # noqa: E402
from fukushi_kg.service import webconf  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DOC = "kurume-child-plan-status-fy2021"
ENDPOINT = "https://sparql.example.org/fukushi-kg/sparql"
SAMPLE = (  # a plan, a component, an indicator, a source span, an ontology term, a named graph, the dataset
    "id/plan/kurume-child-smile-plan-2",
    "id/plan/kurume-child-smile-plan-2/goal/1",
    "id/document/kurume-child-plan-status-fy2021/lines/74-74",
    "def/Plan",
    f"graph/{DOC}",
)


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "fukushi_kg", *args], capture_output=True, text=True, env=env, timeout=600
    )


@pytest.fixture(scope="module")
def small_build(tmp_path_factory) -> Path:
    """A real build of one seed document (its text, manifest entry and tables), without HermiT."""
    from fukushi_kg import resources
    from fukushi_kg.graph.build import build

    folder = tmp_path_factory.mktemp("small")
    manifest = json.loads((resources.SOURCES / "manifest.json").read_text(encoding="utf-8"))
    manifest["documents"] = [d for d in manifest["documents"] if d["id"] == DOC]
    (folder / "sources").mkdir()
    (folder / "sources" / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    for d in manifest["documents"]:
        shutil.copy(resources.SOURCES / d["file"], folder / "sources" / d["file"])
        shutil.copytree(resources.PLANS / d["id"], folder / "plans" / d["id"])
    build(folder / "dist", SEED_BASE, check_owl=False, sources=folder / "sources", plans=folder / "plans")
    return folder / "dist"


@pytest.fixture(scope="module")
def published(small_build) -> tuple[Path, str]:
    """The publication, in a folder of its own that a web server's unprivileged user may read."""
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="fukushi-kg-site-"))
    folder.chmod(0o755)
    out = folder / "out"
    host = f"http://127.0.0.1:{port}/"
    done = _cli(
        "publish", str(out), "--dist", str(small_build), "--base", SEED_BASE, "--host", host, "--endpoint", ENDPOINT
    )
    assert done.returncode == 0, done.stderr
    assert f"into {out}/" in done.stdout
    assert "/s)" in done.stderr  # progress
    yield out, f"127.0.0.1:{port}"
    shutil.rmtree(folder)


def _wait(process: subprocess.Popen, url: str, log: Path, name: str) -> None:
    """Until the web server answers ``/`` at all (bench/procs.py)."""
    try:
        procs.wait_ready(process, int(url.rsplit(":", 1)[1]), log, 20, path="/", name=name, any_status=True)
    except RuntimeError as exc:
        pytest.fail(str(exc))


def start_nginx(out: Path, folder: Path, listen: str) -> tuple[subprocess.Popen, str]:
    """Debian's nginx over the publication ``out`` with the generated configuration (pid, log in ``folder``)."""
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").is_file() else None)
    if binary is None:
        pytest.skip("nginx is not installed (Debian: apt-get install nginx; scripts/install-test-deps does it as root)")
    conf = folder / "nginx.conf"
    conf.write_text(webconf.nginx_standalone(str(out), listen, str(folder), getpass.getuser()))
    log = folder / "error.log"
    process = subprocess.Popen([binary, "-c", str(conf), "-p", str(folder), "-e", str(log)])
    url = f"http://{listen}"
    _wait(process, url, log, "nginx")
    return process, url


@pytest.fixture(scope="module")
def nginx(published, tmp_path_factory):
    out, listen = published
    process, url = start_nginx(out, tmp_path_factory.mktemp("nginx"), listen)
    yield url
    procs.stop(process)


@pytest.fixture(scope="module")
def apache(published, tmp_path_factory):
    """Debian's Apache over the same publication, with the generated .htaccess, on another free port."""
    process, url = _start_apache(published[0], tmp_path_factory.mktemp("apache"))
    yield url
    procs.stop(process)


@pytest.fixture(scope="module")
def serve(small_build):
    srv = start_seed_server(small_build, "--workers", "1")
    yield srv.url
    stop_server(srv)


@pytest.fixture(params=["serve", "nginx", "apache"])
def site(request) -> tuple[httpx.Client, str]:
    """``(client, endpoint the query page names)`` of ``fukushi-kg serve``, or of the static site under
    nginx or Apache."""
    if request.param == "serve":
        url, endpoint = request.getfixturevalue("serve"), "/sparql"
    else:
        url, endpoint = request.getfixturevalue(request.param), ENDPOINT
    with httpx.Client(base_url=url, timeout=30) as client:
        yield client, endpoint


@pytest.mark.parametrize("path", SAMPLE)
def test_content_negotiation(site, path):
    site_checks.check_negotiation(site[0], SEED_BASE, SEED_BASE + path)


@pytest.mark.parametrize("path", SAMPLE[:3] + SAMPLE[4:])
def test_extensions_and_languages(site, path):
    site_checks.check_extensions(site[0], SEED_BASE, SEED_BASE + path)
    site_checks.check_language(site[0], SEED_BASE, SEED_BASE + path)


@pytest.mark.parametrize(
    "url, accept",
    [
        ("/id/plan/kurume-child-smile-plan-2", "text/turtle"),
        ("/id/plan/kurume-child-smile-plan-2", "text/html"),
        ("/id/plan/kurume-child-smile-plan-2.jsonld", None),
        ("/dataset", "text/turtle"),
        ("/ontology", None),
        ("/", None),
        ("/context.jsonld", None),
    ],
)
def test_validators_and_head(site, url, accept):
    site_checks.check_validators(site[0], url, accept)


def test_pages_dataset_dumps(site):
    client, endpoint = site
    site_checks.check_pages(client, endpoint)
    site_checks.check_dataset(client, SEED_BASE)
    site_checks.check_dumps(client)
    site_checks.check_missing(client, SEED_BASE)


def test_static_files_are_what_serve_answers(published, serve):
    """Spot check: the published files are the service's bytes (nothing rendered twice)."""
    out, _ = published
    with httpx.Client(base_url=serve, timeout=30) as client:
        for path in SAMPLE:
            for suffix, name in ((".ttl", ".ttl"), (".jsonld", ".jsonld"), (".html?lang=en", ".en.html")):
                assert (out / (path + name)).read_bytes() == client.get("/" + path + suffix).content, path + suffix
    sums = (out / "dumps" / "SHA256SUMS").read_text()
    assert "fukushi-kg.nq.gz" in sums


def _start_apache(root: Path, folder: Path) -> tuple[subprocess.Popen, str]:
    binary = shutil.which("apache2") or ("/usr/sbin/apache2" if Path("/usr/sbin/apache2").is_file() else None)
    if binary is None:
        pytest.skip(
            "Apache is not installed (Debian: apt-get install apache2; scripts/install-test-deps does it as root)"
        )
    listen = f"127.0.0.1:{free_port()}"
    conf = folder / "httpd.conf"
    conf.write_text(webconf.apache_standalone(str(root), listen, str(folder), "www-data" if os.getuid() == 0 else None))
    log = folder / "error.log"
    process = subprocess.Popen(
        [binary, "-f", str(conf), "-DFOREGROUND"], stderr=subprocess.STDOUT, stdout=log.open("ab")
    )
    url = f"http://{listen}"
    _wait(process, url, log, "apache2")
    return process, url


def test_w3id_rules_under_apache_lead_to_the_published_files(published, nginx, tmp_path_factory):
    """The generated w3id .htaccess, as the w3id.org repository would hold it (``fukushi-kg/.htaccess``)
    under Apache: resource IRIs 303 by Accept to the host, the rest 302; the redirects end at nginx
    serving the publication (base IRI -> w3id -> host -> file)."""
    out, listen = published
    w3id = Path(tempfile.mkdtemp(prefix="fukushi-kg-w3id-"))
    try:
        w3id.chmod(0o755)
        (w3id / "fukushi-kg").mkdir(mode=0o755)
        shutil.copy(out / "_server" / "w3id.htaccess", w3id / "fukushi-kg" / ".htaccess")
        process, url = _start_apache(w3id, tmp_path_factory.mktemp("w3id"))
        host = f"http://{listen}/"
        try:
            with httpx.Client(base_url=url, timeout=30) as client:
                plan = "id/plan/kurume-child-smile-plan-2"
                for accept, target, status in (
                    ("text/turtle", f"{host}{plan}.ttl", 303),
                    ("application/ld+json", f"{host}{plan}.jsonld", 303),
                    ("text/html", f"{host}{plan}", 303),
                    (site_checks.BROWSER, f"{host}{plan}", 303),
                ):
                    r = client.get(f"/fukushi-kg/{plan}", headers={"accept": accept})
                    assert (r.status_code, r.headers["location"]) == (status, target), accept
                    assert "accept" in r.headers.get("vary", "").lower()
                    final = httpx.get(target, headers={"accept": accept})
                    assert final.status_code == 200, (accept, target)
                assert client.get("/fukushi-kg/def/").headers["location"] == host + "def/index"
                r = client.get("/fukushi-kg/dumps/SHA256SUMS")
                assert (r.status_code, r.headers["location"]) == (302, host + "dumps/SHA256SUMS")
                r = client.get("/fukushi-kg/sparql?query=ASK%7B%7D")  # the endpoint given to publish
                assert (r.status_code, r.headers["location"]) == (307, ENDPOINT + "?query=ASK%7B%7D")
        finally:
            procs.stop(process)
    finally:
        shutil.rmtree(w3id)


def test_publish_refuses_a_folder_that_is_not_a_publication(small_build, tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    done = _cli("publish", str(tmp_path), "--dist", str(small_build), "--base", SEED_BASE)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "not empty" in done.stderr
    assert (tmp_path / "keep.txt").read_text() == "mine"
    missing = _cli("publish", str(tmp_path / "new"), "--dist", str(tmp_path / "nothing"))
    assert missing.returncode == 2 and "no store" in missing.stderr


def test_jsonld_dump_is_compact_and_round_trips(small_build):
    """The JSON-LD dump carries the published context inline and gives the N-Quads dump's quads in
    Oxigraph, rdflib and pyld (graph by graph, blank nodes compared by isomorphism)."""
    import pyoxigraph as ox
    import rdflib
    from pyld import jsonld as pyld
    from rdflib.compare import isomorphic

    from fukushi_kg import resources
    from fukushi_kg.graph import jsonld

    text = (small_build / "fukushi-kg.jsonld").read_text(encoding="utf-8")
    document = json.loads(text)
    assert document["@context"] == jsonld.prefixes(resources.ONTOLOGY_DIR)
    assert '"@type":"fk:Plan"' in text
    nquads = (small_build / "fukushi-kg.nq").read_bytes()
    assert set(ox.parse(text.encode(), format=ox.RdfFormat.JSON_LD)) == set(
        ox.parse(nquads, format=ox.RdfFormat.N_QUADS)
    )

    def graphs(data: str, fmt: str) -> dict[str, rdflib.Graph]:
        ds = rdflib.Dataset()
        ds.parse(data=data, format=fmt)
        return {str(g.identifier): g for g in ds.graphs() if len(g)}

    expected = graphs(nquads.decode(), "nquads")
    for name, got in (
        ("rdflib", graphs(text, "json-ld")),
        ("pyld", graphs(pyld.to_rdf(document, {"format": "application/n-quads"}), "nquads")),
    ):
        assert set(got) == set(expected), name
        for iri, graph in expected.items():
            assert isomorphic(got[iri], graph), (name, iri)


@pytest.mark.parametrize("server_name", ["nginx", "apache"])
def test_static_site_sends_search_and_filters_to_the_service(request, server_name):
    """Search and filtered program lists need the service: the static site sends them to the one
    behind ``--endpoint`` (307, the query kept); the unfiltered list is the published file."""
    url = request.getfixturevalue(server_name)
    service = ENDPOINT[: -len("sparql")]
    with httpx.Client(base_url=url, timeout=30) as client:
        r = client.get("/search?q=%E5%AD%90%E8%82%B2%E3%81%A6")
        assert (r.status_code, r.headers["location"]) == (307, service + "search?q=%E5%AD%90%E8%82%B2%E3%81%A6")
        r = client.get("/programs?plan=x")
        assert (r.status_code, r.headers["location"]) == (307, service + "programs?plan=x")
        r = client.get("/programs.csv?plan=x")
        assert (r.status_code, r.headers["location"]) == (307, service + "programs.csv?plan=x")
        assert client.get("/programs?lang=en").status_code == 200
        assert client.get("/programs.csv").status_code == 200
