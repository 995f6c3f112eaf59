"""``fukushi-kg publish OUT/``: the whole site as files, for any static web server.

The service renders every representation (``create_app`` runs in this process, its worker pool
over the build's store, and each URL is asked of it through ASGI), so the files are byte for byte
what ``fukushi-kg serve`` answers: no second set of templates. Written:

- every dereferenceable IRI ``{base}{id,def,eli,graph}/P`` as ``P.ja.html``, ``P.en.html``, ``P.ttl``,
  ``P.nt``, ``P.rdf``, ``P.jsonld`` (and ``P.trig`` for a named graph); ``/def/`` is ``def/index.*``;
- ``index``, ``query``, ``ontology``, ``dataset``, ``programs`` (unfiltered, and ``programs.csv``),
  ``dashboards`` and every ``dashboards/KEY`` page in both languages, the dataset's DCAT-AP +
  VoID description in each RDF format, ``context.jsonld``, ``openapi.json``, ``404.{ja,en}.html``;
- ``dumps/`` (the dumps, their gzip copies, ``SHA256SUMS``), ``sources/`` (the source texts the
  build recorded, graph/source_texts.py),
  ``static/`` (style sheet and scripts);
- the web-server configuration (:mod:`service.webconf`): ``_server/nginx.conf``,
  ``.htaccess`` (Apache) and ``_server/w3id.htaccess`` (the redirects for the w3id.org repository).

Every file's modification time is the build time, so ``Last-Modified`` says when the data changed
and two publications of one build give the same validators.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from fukushi_kg import resources
from fukushi_kg.graph import source_texts
from fukushi_kg.service import alternates, webconf
from fukushi_kg.service.pages import DUMP_FILES
from fukushi_kg.service.settings import Settings

AREAS = ("id", "def", "eli", "graph")
RDF_EXTENSIONS = (".ttl", ".nt", ".rdf", ".jsonld")
# What a published path may hold: the characters of a minted IRI's path that need no escaping in a
# URL nor in a file name (anything else is reported and left out rather than published wrongly).
SAFE_PATH = re.compile(r"^[A-Za-z0-9._~!$'()*+,;=:@/-]+$")
STATIC = Path(__file__).parent / "static"


class PublishError(Exception):
    """The publication could not be made (the message says why); nothing usable was written."""


@dataclass
class Report:
    out: Path
    resources: int = 0
    files: int = 0
    bytes: int = 0
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0


def resource_query(base: str) -> str:
    """Every IRI under ``base`` in a dereferenceable area, as subject, object or named graph."""
    areas = " || ".join(f'STRSTARTS(STR(?x), "{base}{a}/")' for a in AREAS)
    return (
        "SELECT DISTINCT ?x WHERE { "
        "{ GRAPH ?g { ?x ?p ?o } } UNION { GRAPH ?g { ?s ?p ?x } } UNION { GRAPH ?x { ?s ?p ?o } } "
        f"FILTER(isIRI(?x) && ({areas})) }}"
    )


def site_path(iri: str, base: str) -> str | None:
    """``id/plan/x`` for ``{base}id/plan/x`` (``def/index`` for the ontology document), or None when
    the IRI cannot be a file (outside the areas, an empty or dot segment, a character outside ``SAFE_PATH``)."""
    if not iri.startswith(base):
        return None
    rest = iri[len(base) :]
    if rest == "def/":
        return "def/index"
    if not SAFE_PATH.match(rest) or rest.split("/", 1)[0] not in AREAS:
        return None
    segments = rest.split("/")
    if len(segments) < 2 or any(s in ("", ".", "..") for s in segments):
        return None
    return rest


class Site:
    """Writes the files; fetches each URL from the application through ASGI."""

    def __init__(self, client, out: Path, report: Report):
        self.client, self.out, self.report = client, out, report

    async def save(self, url: str, target: str, ok: tuple[int, ...] = (200,), absent: tuple[int, ...] = ()) -> bool:
        """Write ``url``'s answer to ``target``; an ``absent`` status writes nothing (as served: the file is missing)."""
        response = await self.client.get(url)
        if response.status_code in absent:
            return False
        if response.status_code not in ok:
            raise PublishError(f"{url} answered {response.status_code}: {response.text[:200]}")
        self.write(target, response.content)
        return True

    def write(self, target: str, body: bytes) -> None:
        path = self.out / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        self.report.files += 1
        self.report.bytes += len(body)

    def copy(self, source: Path, target: str) -> None:
        path = self.out / target
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, path)
        self.report.files += 1
        self.report.bytes += path.stat().st_size


async def _resource(site: Site, path: str, graph: bool) -> None:
    """One IRI's representations: HTML in each language, then every RDF format."""
    url = "/" + path
    for lang in alternates.LANGUAGES:
        await site.save(f"{url}.html?lang={lang}", f"{path}.{lang}.html", absent=(404,))
    for ext in RDF_EXTENSIONS + ((".trig",) if graph else ()):
        await site.save(url + ext, path + ext, absent=(404,))  # an IRI only ever an object has no RDF


async def _pages(site: Site, settings: Settings) -> None:
    for lang in alternates.LANGUAGES:
        await site.save(f"/?lang={lang}", f"index.{lang}.html")
        await site.save(f"/query?lang={lang}", f"query.{lang}.html")
        await site.save(f"/ontology?lang={lang}", f"ontology.{lang}.html")
        await site.save(f"/dataset?format=html&lang={lang}", f"dataset.{lang}.html")
        await site.save(f"/id/{webconf.MISSING}?lang={lang}", f"404.{lang}.html", ok=(404,))
    # the explore pages that need no request parameters: the programs (unfiltered; filtering and
    # search need the service, see service.webconf) and every dashboard the index links
    keys: set[str] = set()
    for lang in alternates.LANGUAGES:
        await site.save(f"/programs?lang={lang}", f"programs.{lang}.html")
        index = await site.client.get(f"/dashboards?lang={lang}")
        if index.status_code != 200:
            raise PublishError(f"/dashboards answered {index.status_code}: {index.text[:200]}")
        site.write(f"dashboards.{lang}.html", index.content)
        keys.update(re.findall(r'href="/dashboards/([A-Za-z0-9._~-]+)', index.text))
    await site.save("/programs.csv", "programs.csv")
    for key in sorted(keys):
        for lang in alternates.LANGUAGES:
            await site.save(f"/dashboards/{key}?lang={lang}", f"dashboards/{key}.{lang}.html")
    for ext in RDF_EXTENSIONS:
        await site.save(f"/dataset?format={ext[1:]}", "dataset" + ext)
    await site.save("/context.jsonld", "context.jsonld")
    await site.save("/openapi.json", "openapi.json")  # the endpoint's API, linked from every page
    for name in DUMP_FILES:
        if (settings.dist / name).is_file():
            site.copy(settings.dist / name, f"dumps/{name}")
    for name, path in sorted(source_texts.of_build(settings.dist).items()):  # the texts the build recorded
        site.copy(path, f"sources/{name}")
    for path in sorted(STATIC.rglob("*")):
        if path.is_file():
            site.copy(path, f"static/{path.relative_to(STATIC)}")


async def _publish(settings: Settings, out: Path, report: Report, progress: Callable[[str], None] | None) -> None:
    import httpx

    from fukushi_kg.service.app import create_app
    from fukushi_kg.service.sparql import run_job

    app = create_app(settings)
    async with app.router.lifespan_context(app):
        rt = app.state.runtime
        answer = await run_job(rt, {"op": "rows", "query": resource_query(settings.base), "row_cap": 10_000_000})
        if not isinstance(answer, dict) or not answer.get("ok"):
            raise PublishError(f"the resources could not be listed: {getattr(answer, 'body', answer)!r}")
        iris = sorted({row["x"]["value"] for row in answer["rows"]})
        graphs = set(rt.graphs)
        paths: list[tuple[str, bool]] = []
        for iri in iris:
            if "#" in iri:  # a fragment is never sent to a server: its document's representations describe it
                continue
            path = site_path(iri, settings.base)
            if path is None:
                report.skipped.append(iri)
            else:
                paths.append((path, iri in graphs or iri == settings.base + "def/"))
        for extra in ("id/dataset", "id/catalog"):  # described at /dataset, not (only) in the store
            if (extra, False) not in paths:
                paths.append((extra, False))
        report.resources = len(paths)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://publish.invalid", timeout=None) as client:
            site = Site(client, out, report)
            await _pages(site, settings)
            done = 0
            started = time.monotonic()
            step = max(1, len(paths) // 20)
            queue: asyncio.Queue[tuple[str, bool]] = asyncio.Queue()
            for item in paths:
                queue.put_nowait(item)

            async def worker() -> None:
                nonlocal done
                while not queue.empty():
                    path, graph = queue.get_nowait()
                    await _resource(site, path, graph)
                    done += 1
                    if progress and (done % step == 0 or done == len(paths)):
                        rate = done / max(time.monotonic() - started, 1e-6)
                        progress(f"  {done}/{len(paths)} resources ({rate:.0f}/s)")

            await asyncio.gather(*(worker() for _ in range(max(2, settings.workers * 2))))


def publish(
    dist: Path,
    out: Path,
    *,
    base: str,
    host: str,
    endpoint: str | None = None,
    workers: int | None = None,
    contact_email: str = "",
    queries: Path = resources.QUERIES,
    ontology: Path = resources.ONTOLOGY_DIR,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Write the site of the build in ``dist`` into ``out`` (made empty first if it holds an earlier
    publication; refused if it holds anything else) and the web servers' configuration."""
    started = time.monotonic()
    for name, folder in (("--queries", queries), ("--ontology", ontology)):
        if not folder.is_dir():
            raise PublishError(f"{name} {folder}: no such folder")
    if not (dist / "store").exists():
        raise PublishError(f"no store at {dist / 'store'}: run `fukushi-kg build --dist {dist}` first")
    host = host.rstrip("/") + "/"
    if not re.match(r"^https?://[^/\s]+/", host):
        raise PublishError(f"--host must be an http(s) URL such as https://data.example.org/ (got {host!r})")
    if out.exists():
        if any(out.iterdir()) and not (out / webconf.MARKER).is_file():
            raise PublishError(f"{out} is not empty and not an earlier publication; choose a new folder")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    marker = out / webconf.MARKER  # first, so that a publication stopped half-way can be replaced
    marker.parent.mkdir(parents=True)
    marker.write_text(json.dumps({"complete": False}) + "\n", encoding="utf-8")
    settings = Settings(
        dist=dist,
        base=base,
        workers=workers or max(2, os.cpu_count() or 2),
        contact_email=contact_email,
        query_endpoint=endpoint or base + "sparql",
        queries_dir=queries,
        ontology_dir=ontology,
    )
    report = Report(out)
    if progress:
        progress(f"publishing {dist}/ into {out}/")
    asyncio.run(_publish(settings, out, report, progress))
    built = _built(dist)
    conf = webconf.Site(base=base, host=host, endpoint=settings.query_endpoint)
    for name, text in webconf.files(conf, str(out.resolve())).items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text, encoding="utf-8")
        report.files += 1
    marker.write_text(
        json.dumps({"base": base, "host": host, "endpoint": settings.query_endpoint, "complete": True}, indent=2)
        + "\n",
        encoding="utf-8",
    )
    for root, _, names in os.walk(out):
        for name in names:
            os.utime(os.path.join(root, name), (built, built))
    report.seconds = round(time.monotonic() - started, 1)
    return report


def _built(dist: Path) -> float:
    """The build time (``built`` in the build report), else the report's modification time."""
    path = dist / "build-report.json"
    try:
        built = json.loads(path.read_text(encoding="utf-8")).get("built")
        if built:
            return datetime.fromisoformat(str(built).replace("Z", "+00:00")).timestamp()
        return path.stat().st_mtime
    except (OSError, ValueError):
        return time.time()


def main_progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
