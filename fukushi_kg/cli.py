"""The ``fukushi-kg`` command: every subcommand, its options and the function it runs, in one place.

``COMMANDS`` lists the subcommands; each declares its options here, or through the
``add_arguments(parser)`` of the module that does the work (``graph/lint/run.py`` for ``lint``,
``service/settings.py`` for ``serve``). The options every command that reads or writes the build
shares are declared once: ``--dist`` (default ``$FUKUSHI_KG_DIST`` or ``dist``) and, where IRIs are
minted or served, ``--base`` (default ``$FUKUSHI_KG_BASE`` or ``https://w3id.org/fukushi-kg/``).
No default depends on the current folder except ``dist``, the output the user asked for there: the
ontology, shapes, named queries and seed sources are the ones shipped in the package
(``fukushi_kg.resources``).

Exit codes: 0 success; 1 the work found a problem (the build's validation failed, lint findings
at or above ``--fail-on``, a load that did not arrive intact); 2 usage or input error (bad
option, unknown query, missing store, sources folder or manifest, an error nobody expected);
3 ``serve`` could not bind its port (in use).

``python -m fukushi_kg``, ``python -m fukushi_kg.service.cli`` (all commands) and
``python -m fukushi_kg.service`` (``serve``) are aliases of this.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fukushi_kg import __version__, resources
from fukushi_kg.service.settings import DEFAULT_BASE

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PORT_IN_USE = 3  # uvicorn's start-up failure, raised as SystemExit(3) by `serve`


def default_dist() -> Path:
    return Path(os.environ.get("FUKUSHI_KG_DIST") or "dist")


def default_base() -> str:
    return os.environ.get("FUKUSHI_KG_BASE") or DEFAULT_BASE


# ------------------------------------------------------------------ what each command runs
def run_build(ns: argparse.Namespace) -> int:
    from fukushi_kg.graph.build import BuildError, build, main_progress

    try:
        report = build(
            ns.dist,
            ns.base,
            check_owl=not ns.no_reasoner,
            extra_shapes=ns.shapes,
            progress=None if ns.quiet else main_progress,
            plans=ns.plans,
            sources=ns.sources,
            seeds=not ns.no_seeds,
            force=ns.force,
        )
    except BuildError as exc:
        _error("build", str(exc), exc.details)
        return exc.exit_code
    except OSError as exc:  # a file that cannot be read or written: the sources, the output folder
        _error("build", f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc))
        return EXIT_USAGE
    except Exception as exc:  # a bug: one line and the way to the traceback, never exit 1 (validation)
        _unexpected("build", exc)
        return EXIT_USAGE
    for w in report.warnings:
        print(f"warning: {w}", file=sys.stderr)
    if report.unchanged:
        print(
            f"unchanged: {ns.dist}/ holds the build of these inputs ({report.triples} triples, built {report.built}; "
            f"{report.seconds['total']} s)"
        )
        return EXIT_OK
    print(
        f"built {report.triples} triples in {len(report.graphs)} named graphs into {ns.dist}/ "
        f"(SHACL: {report.shacl}; {report.reasoner}; {report.seconds['total']} s)"
    )
    return EXIT_OK


def run_query(ns: argparse.Namespace) -> int:
    from fukushi_kg.graph.queries import QueryError, find_query, render, run
    from fukushi_kg.graph.store import StoreError, open_store

    try:
        query = find_query(ns.query, ns.queries)
        params = {}
        for item in ns.param or []:
            name, sep, value = item.partition("=")
            if not sep:
                raise QueryError(f"--param {item!r}: give NAME=VALUE")
            params[name.strip()] = value.strip()
        text = query.bind(params)
        store = open_store(ns.dist)
        variables, rows = run(store, text)
    except (QueryError, StoreError) as exc:
        _error("query", str(exc))
        return EXIT_USAGE
    out = render(variables, rows, ns.format)
    if ns.output:
        Path(ns.output).write_text(out, encoding="utf-8")
    else:
        sys.stdout.write(out)
    return EXIT_OK


def run_queries(ns: argparse.Namespace) -> int:
    from fukushi_kg.graph.queries import list_queries

    if not ns.queries.is_dir():
        _error("queries", f"{ns.queries}: no such folder")
        return EXIT_USAGE
    for q in list_queries(ns.queries):
        print(f"{q.name}\t{q.title}\n    columns: {', '.join(q.columns)}")
        for p in q.parameters:
            print(
                f"    parameter {p.name}: {' | '.join(p.choices)} (default {p.default}){': ' + p.description if p.description else ''}"
            )
    return EXIT_OK


def run_lint(ns: argparse.Namespace) -> int:
    from fukushi_kg.graph.lint.run import command

    try:
        return command(ns)
    except Exception as exc:  # a bug: one line and the way to the traceback
        _unexpected("lint", exc)
        return EXIT_USAGE


def run_serve(ns: argparse.Namespace) -> int:
    import logging

    from fukushi_kg.service.app import serve
    from fukushi_kg.service.settings import settings_from_args

    logging.basicConfig(level=logging.INFO)
    serve(settings_from_args(ns))  # until stopped; start-up failures raise SystemExit(2 or 3)
    return EXIT_OK


def run_load(ns: argparse.Namespace) -> int:
    from fukushi_kg.service.loader import command

    return command(ns)


# ------------------------------------------------------------------ the options declared here
def build_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--plans",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="a document's table folder, or a folder of them, added to the seeds (repeatable): a folder named "
        "after a seed document replaces its tables; one written by `fukushi-kg new` adds its document",
    )
    p.add_argument(
        "--no-seeds",
        action="store_true",
        help="leave the seed documents out: build only the --plans folders (and --sources documents)",
    )
    p.add_argument(
        "--sources",
        type=Path,
        default=None,
        metavar="DIR",
        help="build from this folder: DIR/manifest.json names each document and its text file in DIR "
        "(default: the seed sources shipped with fukushi-kg)",
    )
    p.add_argument(
        "--shapes",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="validate against this SHACL file too (repeatable)",
    )
    p.add_argument("--no-reasoner", action="store_true", help="skip the HermiT consistency check")
    p.add_argument(
        "--force",
        action="store_true",
        help="build even when the output folder already holds the build of the same inputs (by content), "
        "and run every step (no HermiT verdict taken from DIST/.cache)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress messages")


def _queries_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--queries",
        type=Path,
        default=resources.QUERIES,
        metavar="DIR",
        help="folder of named .rq queries (default: the queries shipped with fukushi-kg)",
    )


def query_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", metavar="NAME_OR_FILE")
    p.add_argument("--format", "-f", choices=["table", "csv", "tsv", "json"], default="table")
    p.add_argument("--output", "-o", help="write to this file instead of standard output")
    p.add_argument(
        "--param",
        "-p",
        action="append",
        metavar="NAME=VALUE",
        help="set a parameter of the named query (see `fukushi-kg queries`), e.g. --param reading=strict",
    )
    _queries_argument(p)


def load_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--to",
        required=True,
        metavar="URL",
        help="SPARQL query endpoint of the store, e.g. http://localhost:8890/sparql",
    )
    p.add_argument(
        "--graph-store",
        metavar="URL",
        help="Graph Store Protocol endpoint (default: guessed from --to for Virtuoso, Fuseki, Oxigraph server, GraphDB)",
    )
    p.add_argument(
        "--user",
        default=os.environ.get("FUKUSHI_KG_STORE_USER"),
        help="user for the store (default: $FUKUSHI_KG_STORE_USER)",
    )
    p.add_argument(
        "--password", default=None, help="password (default: $FUKUSHI_KG_STORE_PASSWORD; prefer the variable)"
    )
    p.add_argument(
        "--bulk", metavar="isql:[HOST:]PORT", help="use Virtuoso's bulk loader through isql-vt on this SQL port"
    )
    p.add_argument(
        "--bulk-dir",
        type=Path,
        metavar="DIR",
        help="folder for the bulk loader's files; must be in DirsAllowed of virtuoso.ini (default: DIST/bulk)",
    )
    p.add_argument("--timeout", type=float, default=600.0, help="seconds per request or isql call (default: 600)")


def import_arguments(p: argparse.ArgumentParser) -> None:
    from fukushi_kg.graph.tables.commands import import_arguments

    import_arguments(p)


def tables_arguments(p: argparse.ArgumentParser) -> None:
    from fukushi_kg.graph.tables.commands import tables_arguments

    tables_arguments(p)


def new_arguments(p: argparse.ArgumentParser) -> None:
    from fukushi_kg.graph.tables.scaffold import new_arguments

    new_arguments(p)


def diff_arguments(p: argparse.ArgumentParser) -> None:
    from fukushi_kg.graph.diff import add_arguments

    add_arguments(p)


def run_tables_action(ns: argparse.Namespace) -> int:
    """``import``, ``tables ACTION``, ``new`` and ``diff``: the function their module set (``func``)."""
    return int(ns.func(ns))


def lint_arguments(p: argparse.ArgumentParser) -> None:
    from fukushi_kg.graph.lint.run import add_arguments

    add_arguments(p)


def serve_arguments(p: argparse.ArgumentParser) -> None:
    from fukushi_kg.service.settings import add_arguments

    add_arguments(p)


def run_publish(ns: argparse.Namespace) -> int:
    from fukushi_kg.service.publish import PublishError, main_progress, publish
    from fukushi_kg.service.settings import _contact

    try:
        report = publish(
            ns.dist,
            ns.out,
            base=ns.base,
            host=ns.host or ns.base,
            endpoint=ns.endpoint,
            workers=ns.workers,
            contact_email=_contact(ns.contact_email or os.environ.get("FUKUSHI_KG_CONTACT", "")),
            queries=ns.queries,
            ontology=ns.ontology,
            progress=None if ns.quiet else main_progress,
        )
    except PublishError as exc:
        _error("publish", str(exc))
        return EXIT_USAGE
    except OSError as exc:
        _error("publish", f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc))
        return EXIT_USAGE
    except Exception as exc:
        _unexpected("publish", exc)
        return EXIT_USAGE
    for iri in report.skipped:
        print(f"warning: not published (its path cannot be a file): {iri}", file=sys.stderr)
    print(
        f"published {report.resources} resources in {report.files} files ({report.bytes / 1e6:.1f} MB) "
        f"into {ns.out}/ in {report.seconds} s; web-server configuration in {ns.out}/_server/ and {ns.out}/.htaccess"
    )
    return EXIT_OK


def publish_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "out", type=Path, metavar="OUT", help="folder to write the site into (new, or an earlier publication)"
    )
    p.add_argument(
        "--host",
        metavar="URL",
        help="where OUT/ is served, e.g. https://fukushi-kg.example.org/ (the target of the w3id redirects; "
        "default: the base)",
    )
    p.add_argument(
        "--endpoint",
        metavar="URL",
        help="the SPARQL endpoint the query page asks (default: {base}sparql)",
    )
    p.add_argument("--workers", type=int, help="query worker processes rendering the pages (default: CPUs, at least 2)")
    p.add_argument("--contact-email", metavar="ADDRESS", help="the dataset's contact point (as for serve)")
    p.add_argument(
        "--queries", type=Path, default=resources.QUERIES, metavar="DIR", help="named .rq queries (as for serve)"
    )
    p.add_argument(
        "--ontology",
        type=Path,
        default=resources.ONTOLOGY_DIR,
        metavar="DIR",
        help="ontology .ttl files (as for serve)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")


# ------------------------------------------------------------------ the commands
@dataclass(frozen=True)
class Command:
    name: str
    help: str
    description: str
    arguments: Callable[[argparse.ArgumentParser], None] | None
    run: Callable[[argparse.Namespace], int]
    dist: str | None = None  # what --dist is to this command; None: it has no --dist
    base: bool = False  # whether it takes --base


COMMANDS: tuple[Command, ...] = (
    Command(
        "build",
        "build the graph from the plan tables, validate it, write dist/ and the store",
        "Read every document's tables (data/plans/ or --plans DIR, written by `fukushi-kg import` and "
        "reviewed) with the documents of the seeds or --sources DIR, convert to RDF, validate against the "
        "shapes, check OWL consistency with HermiT, and write dumps (TriG, N-Quads, N-Triples, JSON-LD) and an "
        "Oxigraph store to DIST. No extractor runs. Exit 0 built, 1 the graph failed validation, 2 usage or "
        "input error.",
        build_arguments,
        run_build,
        dist="output folder",
        base=True,
    ),
    Command(
        "query",
        "run a named query or a .rq file on the built store",
        "Run a named query (see `fukushi-kg queries`) or a .rq file on the built store. "
        "The default graph is the union of all named graphs.",
        query_arguments,
        run_query,
        dist="folder of the built store",
    ),
    Command("queries", "list the named queries and their columns", "", _queries_argument, run_queries),
    Command(
        "import",
        "run the importer (extractor) of source documents and write their tables to data/plans/",
        "Read each source document (all with an importer when none is named) with the extractor of its layout "
        "and write its tables (CSV + datapackage.json) to OUT/<document-id>/. Deterministic: importing the same "
        "text twice writes byte-identical files, so a changed importer shows up as a diff of rows. Exit 0 done, "
        "1 an extractor failed, 2 unknown document.",
        import_arguments,
        run_tables_action,
    ),
    Command(
        "tables",
        "check, create, export or import a plan's tables (docs/format.md)",
        "Work on the tables of one document (data/plans/<document-id>/). See docs/format.md.",
        tables_arguments,
        run_tables_action,
    ),
    Command(
        "new",
        "write the empty tables of a new plan (a folder of CSVs, or FILE.xlsx) to fill by hand",
        "Write OUT: every table of the format with its header row, commented example rows (first cell "
        "starting with #, skipped when read) in the tables a document of KIND uses, and the document's "
        "description (datapackage.json, or the workbook's _document sheet) to fill in. See docs/format.md. "
        "Exit 0 written, 2 usage error (OUT exists, a bad id).",
        new_arguments,
        run_tables_action,
    ),
    Command(
        "diff",
        "what changed for a reader between two builds or two versions of plan tables",
        "Compare OLD and NEW (two build folders, two plan-table folders, or with --rev A..B two git revisions "
        "of data/plans): programs and listings added or removed, grades, divisions, amounts and indicator "
        "values changed. Text for a pull request's description, or --format json. Exit 0 (also when they "
        "differ; --exit-code: 1 when they differ), 2 usage or input error.",
        diff_arguments,
        run_tables_action,
    ),
    Command(
        "lint",
        "check a graph or plan tables the way a reviewer would (SHACL, SPARQL rules, HermiT, source text)",
        "Lint RDF files or folders, a SPARQL endpoint, the built graph (default), or plan tables (a folder "
        "data/plans/<document-id>/, several, data/plans/ for all, or an .xlsx workbook: the format's checks, "
        "then every rule on the graph the tables make, each finding at file:line:column or Sheet!cell). "
        "Exit 0 clean, 1 findings at or above --fail-on, 2 usage or input error. "
        "Options can also be set in [tool.fukushi-kg.lint] of pyproject.toml.",
        lint_arguments,
        run_lint,
        dist="folder of the built graph linted when no PATH is given",
    ),
    Command(
        "serve",
        "serve the SPARQL endpoint and linked-data pages (builds first if needed)",
        "Serve DIST/store (built first when missing) or --store URL: the SPARQL endpoint, the linked-data "
        "pages, the dumps and the query page. Exit 2 when the store cannot be used, 3 when the port is in use.",
        serve_arguments,
        run_serve,
        dist="build output directory",
        base=True,
    ),
    Command(
        "publish",
        "write the whole site as static files, with nginx, Apache and w3id configuration",
        "Write every resource's HTML (ja, en) and RDF (Turtle, N-Triples, RDF/XML, compact JSON-LD), the "
        "pages, the dataset's DCAT-AP + VoID description, the dumps with their checksums, the source texts and "
        "a query page asking --endpoint into OUT, plus OUT/_server/nginx*.conf, OUT/.htaccess (Apache) and "
        "OUT/_server/w3id.htaccess (the redirects from --base to --host). Exit 0 written, 2 usage or input error.",
        publish_arguments,
        run_publish,
        dist="build to publish",
        base=True,
    ),
    Command(
        "load",
        "load the built dataset into an external SPARQL store (Graph Store Protocol or bulk loader)",
        "Load DIST's named graphs into the store whose SPARQL endpoint is --to: PUT per graph with the "
        "Graph Store Protocol (authenticated), or Virtuoso's bulk loader through isql (--bulk). Each graph "
        "is replaced, keeping its name; the triple counts are read back and checked. Exit 0 loaded, "
        "1 the load failed, 2 usage or input error.",
        load_arguments,
        run_load,
        dist="build output to load",
    ),
)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="fukushi-kg", description="Knowledge graph of Japanese municipal welfare and child-support plans."
    )
    p.add_argument("--version", action="version", version=f"fukushi-kg {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        c = sub.add_parser(command.name, help=command.help, description=command.description or command.help)
        if command.dist is not None:
            c.add_argument(
                "--dist",
                type=Path,
                default=default_dist(),
                metavar="DIST",
                help=f"{command.dist} (default: %(default)s; env FUKUSHI_KG_DIST)",
            )
        if command.base:
            c.add_argument(
                "--base",
                default=default_base(),
                help="base of the dataset's IRIs (default: %(default)s; env FUKUSHI_KG_BASE)",
            )
        if command.arguments is not None:
            command.arguments(c)
        c.set_defaults(run=command.run)
    return p


def main(argv: list[str] | None = None) -> int:
    ns = parser().parse_args(argv)
    return ns.run(ns)


def _error(command: str, message: str, details: list[str] | None = None) -> None:
    print(f"fukushi-kg {command}: {message}", file=sys.stderr)
    for line in details or []:
        print(f"  {line}", file=sys.stderr)


def _unexpected(command: str, exc: Exception) -> None:
    """An error no check anticipated: one line; the traceback only with FUKUSHI_KG_TRACEBACK=1."""
    if os.environ.get("FUKUSHI_KG_TRACEBACK") == "1":
        traceback.print_exception(exc, file=sys.stderr)
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" at {Path(where.filename).name}:{where.lineno}" if where else ""
    _error(
        command,
        f"unexpected error: {type(exc).__name__}: {exc}{at} (a bug; FUKUSHI_KG_TRACEBACK=1 shows the traceback)",
    )


if __name__ == "__main__":
    sys.exit(main())
