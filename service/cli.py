"""The ``fukushi-kg`` command: each subcommand parses its options and calls one function.

Exit codes: 0 success, 1 the work found a problem (build validation failed), 2 usage or input
error (unknown query, bad option, missing store).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from fukushi_kg.graph.rdf import DEFAULT_BASE

DIST = Path(os.environ.get("FUKUSHI_KG_DIST", "dist"))


def _base_default() -> str:
    return os.environ.get("FUKUSHI_KG_BASE", DEFAULT_BASE)


def cmd_build(ns: argparse.Namespace) -> int:
    from fukushi_kg.graph.build import BuildError, build, main_progress

    try:
        report = build(
            ns.dist,
            ns.base,
            check_owl=not ns.no_reasoner,
            extra_shapes=ns.shapes,
            progress=None if ns.quiet else main_progress,
            plans=ns.plans,
        )
    except BuildError as exc:
        print(f"fukushi-kg build: {exc}", file=sys.stderr)
        for line in exc.details:
            print(f"  {line}", file=sys.stderr)
        return 1
    for w in report.warnings:
        print(f"warning: {w}", file=sys.stderr)
    print(
        f"built {report.triples} triples in {len(report.graphs)} named graphs into {ns.dist}/ "
        f"(SHACL: {report.shacl}; {report.reasoner}; {report.seconds['total']} s)"
    )
    return 0


def cmd_query(ns: argparse.Namespace) -> int:
    from fukushi_kg.graph.queries import QueryError, find_query, render, run
    from fukushi_kg.graph.store import StoreError, open_store

    try:
        query = find_query(ns.query)
        store = open_store(ns.dist)
        variables, rows = run(store, query.text)
    except (QueryError, StoreError) as exc:
        print(f"fukushi-kg query: {exc}", file=sys.stderr)
        return 2
    out = render(variables, rows, ns.format)
    if ns.output:
        Path(ns.output).write_text(out, encoding="utf-8")
    else:
        sys.stdout.write(out)
    return 0


def cmd_queries(ns: argparse.Namespace) -> int:
    from fukushi_kg.graph.queries import list_queries

    for q in list_queries():
        print(f"{q.name}\t{q.title}\n    columns: {', '.join(q.columns)}")
    return 0


def cmd_serve(ns: argparse.Namespace) -> int:
    from fukushi_kg.service.app import serve
    from fukushi_kg.service.settings import settings_from_args

    return serve(settings_from_args(ns)) or 0


def cmd_lint(ns: argparse.Namespace) -> int:
    from fukushi_kg.graph.lint.run import command

    return command(ns)


def cmd_load(ns: argparse.Namespace) -> int:
    from fukushi_kg.service.loader import command

    return command(ns)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="fukushi-kg", description="Knowledge graph of Japanese municipal welfare and child-support plans."
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser(
        "build",
        help="build the graph from the plan tables, validate it, write dist/ and the store",
        description="Read every document's tables (data/plans/, written by `fukushi-kg import` and reviewed), "
        "convert to RDF, validate against shapes/, check OWL consistency with HermiT, and write dumps "
        "(TriG, N-Quads, N-Triples, JSON-LD) and an Oxigraph store to DIST. No extractor runs.",
    )
    b.add_argument(
        "--plans",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder of plan tables, one subfolder per document (default: the packaged data/plans)",
    )
    b.add_argument("--dist", type=Path, default=DIST, help="output folder (default: %(default)s, env FUKUSHI_KG_DIST)")
    b.add_argument(
        "--base", default=_base_default(), help="base of minted IRIs (default: %(default)s, env FUKUSHI_KG_BASE)"
    )
    b.add_argument(
        "--shapes",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="validate against this SHACL file too (repeatable)",
    )
    b.add_argument("--no-reasoner", action="store_true", help="skip the HermiT consistency check")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
    b.set_defaults(func=cmd_build)

    q = sub.add_parser(
        "query",
        help="run a named query or a .rq file on the built store",
        description="Run a named query from queries/ (see `fukushi-kg queries`) or a .rq file on the built store. "
        "The default graph is the union of all named graphs.",
    )
    q.add_argument("query", metavar="NAME_OR_FILE")
    q.add_argument("--format", "-f", choices=["table", "csv", "tsv", "json"], default="table")
    q.add_argument("--output", "-o", help="write to this file instead of standard output")
    q.add_argument("--dist", type=Path, default=DIST, help="folder of the built store (default: %(default)s)")
    q.set_defaults(func=cmd_query)

    ql = sub.add_parser("queries", help="list the named queries and their columns")
    ql.set_defaults(func=cmd_queries)

    from fukushi_kg.graph.tables.commands import add_import_parser, add_tables_parser

    add_import_parser(sub)
    add_tables_parser(sub)

    from fukushi_kg.graph.lint.run import add_arguments as add_lint_arguments

    li = sub.add_parser(
        "lint",
        help="check a graph the way a reviewer would (SHACL, SPARQL rules, HermiT, source text)",
        description="Lint RDF files or folders, a SPARQL endpoint, or the built graph (default). "
        "Exit 0 clean, 1 findings at or above --fail-on, 2 usage or input error. "
        "Options can also be set in [tool.fukushi-kg.lint] of pyproject.toml.",
    )
    add_lint_arguments(li, DIST)
    li.set_defaults(func=cmd_lint)

    try:
        from fukushi_kg.service.settings import add_serve_arguments
    except ImportError:
        add_serve_arguments = None
    if add_serve_arguments is not None:
        s = sub.add_parser("serve", help="serve the SPARQL endpoint and linked-data pages (builds first if needed)")
        add_serve_arguments(s)
        s.set_defaults(func=cmd_serve)

    lo = sub.add_parser(
        "load",
        help="load the built dataset into an external SPARQL store (Graph Store Protocol or bulk loader)",
        description="Load DIST's named graphs into the store whose SPARQL endpoint is --to: PUT per graph with the "
        "Graph Store Protocol (authenticated), or Virtuoso's bulk loader through isql (--bulk). Each graph "
        "is replaced, keeping its name; the triple counts are read back and checked. Exit 0 loaded, "
        "1 the load failed, 2 usage or input error.",
    )
    lo.add_argument(
        "--to",
        required=True,
        metavar="URL",
        help="SPARQL query endpoint of the store, e.g. http://localhost:8890/sparql",
    )
    lo.add_argument("--dist", type=Path, default=DIST, help="build output to load (default: %(default)s)")
    lo.add_argument(
        "--graph-store",
        metavar="URL",
        help="Graph Store Protocol endpoint (default: guessed from --to for "
        "Virtuoso, Fuseki, Oxigraph server, GraphDB)",
    )
    lo.add_argument(
        "--user",
        default=os.environ.get("FUKUSHI_KG_STORE_USER"),
        help="user for the store (default: $FUKUSHI_KG_STORE_USER)",
    )
    lo.add_argument(
        "--password", default=None, help="password (default: $FUKUSHI_KG_STORE_PASSWORD; prefer the variable)"
    )
    lo.add_argument(
        "--bulk", metavar="isql:[HOST:]PORT", help="use Virtuoso's bulk loader through isql-vt on this SQL port"
    )
    lo.add_argument(
        "--bulk-dir",
        type=Path,
        metavar="DIR",
        help="folder for the bulk loader's files; must be in DirsAllowed of virtuoso.ini (default: DIST/bulk)",
    )
    lo.add_argument("--timeout", type=float, default=600.0, help="seconds per request or isql call (default: 600)")
    lo.set_defaults(func=cmd_load)
    return p


def main(argv: list[str] | None = None) -> int:
    ns = parser().parse_args(argv)
    return ns.func(ns)


if __name__ == "__main__":
    sys.exit(main())
