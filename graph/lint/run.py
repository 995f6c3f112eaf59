"""Select the rules, run them on an input, locate and collect the findings; the ``lint`` command.

``lint(input, options)`` is the library entry point (used by the CLI and by POST /lint);
``command(ns)`` is what ``fukushi-kg lint`` calls.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from fukushi_kg.graph import validate
from fukushi_kg.graph.lint import codes as codes_mod
from fukushi_kg.graph.lint import rules
from fukushi_kg.graph.lint.codes import SelectionError, select_codes, severity_rank
from fukushi_kg.graph.lint.inputs import InputError, LocalInput, RemoteInput, open_input
from fukushi_kg.graph.lint.model import Finding, Location, Skip
from fukushi_kg.graph.lint.texts import texts_for

FAIL_ON = ("violation", "warning", "info")


class UsageError(ValueError):
    """Bad options or configuration (exit 2)."""


@dataclass
class LintOptions:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str = "violation"
    shapes: list[Path] = field(default_factory=list)
    # folders SRC001 may read fk:textFile paths under (links and .. may not lead out); empty: only
    # the published sources of the package (POST /lint, and a remote endpoint without --source-root)
    source_roots: list[Path] = field(default_factory=list)


@dataclass
class LintResult:
    input: str
    findings: list[Finding]
    codes: list[str]  # the codes that were run
    skipped: list[Skip]
    notices: list[str]
    seconds: float
    fail_on: str = "violation"

    @property
    def failed(self) -> bool:
        return any(severity_rank(f.severity) >= severity_rank(self.fail_on) for f in self.findings)

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in ("violation", "warning", "info")}
        for f in self.findings:
            out[f.severity] += 1
        return out


class _Context:
    """What rules see: ``select`` on the input (local or remote), a local copy, shapes, notices."""

    def __init__(self, inp: LocalInput | RemoteInput, options: LintOptions):
        self.input = inp
        self.remote = isinstance(inp, RemoteInput)
        self.texts = texts_for(options.source_roots)
        self.extra_shapes = options.shapes
        self.notices: list[str] = list(inp.notices)
        self._shapes: Graph | None = None

    def select(self, query: str):
        return self.input.select(query)

    def local(self) -> LocalInput:
        copy = self.input.local()
        for n in copy.notices:
            if n not in self.notices:
                self.notices.append(n)
        return copy

    def notice(self, text: str) -> None:
        self.notices.append(text)

    def shapes(self) -> Graph:
        if self._shapes is None:
            self._shapes = load_shapes(self.extra_shapes)
        return self._shapes


def load_shapes(extra: list[Path]) -> Graph:
    """shapes/*.ttl plus ``extra`` (graph/validate.py, as the build reads them); InputError (with
    the file) if one is missing or cannot be parsed."""
    try:
        return validate.load_shapes(extra)
    except validate.ShapesError as exc:
        raise InputError(str(exc)) from None


_LOCATE = """PREFIX fk: <https://w3id.org/fukushi-kg/def/>
PREFIX qb: <http://purl.org/linked-data/cube#>
SELECT ?focus ?file ?start ?prio WHERE {
  VALUES ?focus { %s }
  {
    ?focus fk:lineStart ?start ; fk:document/fk:textFile ?file . BIND (0 AS ?prio)
  } UNION {
    ?focus fk:nameSpan ?sp . ?sp fk:lineStart ?start ; fk:document/fk:textFile ?file . BIND (1 AS ?prio)
  } UNION {
    ?focus fk:span ?sp . ?sp fk:lineStart ?start ; fk:document/fk:textFile ?file . BIND (2 AS ?prio)
  } UNION {
    ?focus fk:divisionSpan|fk:evaluationSpan|fk:descriptionSpan|fk:marksSpan|fk:unitSpan|fk:evidenceSpan ?sp .
    ?sp fk:lineStart ?start ; fk:document/fk:textFile ?file . BIND (3 AS ?prio)
  } UNION {
    ?focus fk:hasListing/fk:nameSpan|qb:dataSet/fk:nameSpan|fk:classifiedListing/fk:nameSpan ?sp .
    ?sp fk:lineStart ?start ; fk:document/fk:textFile ?file . BIND (4 AS ?prio)
  }
}"""


def _locate(ctx: _Context, findings: list[Finding]) -> None:
    """Source location (the fact's span) where there is one, and the RDF input location."""
    anchors = sorted(
        {f.anchor or f.focus for f in findings if f.location is None and not (f.anchor or f.focus).startswith("_:")}
    )
    best: dict[str, tuple[int, int, str]] = {}
    for i in range(0, len(anchors), 200):
        chunk = anchors[i : i + 200]
        values = " ".join(f"<{a}>" for a in chunk if ">" not in a and " " not in a)
        if not values:
            continue
        for row in ctx.select(_LOCATE % values):
            try:
                key = (int(row["prio"].value), int(row["start"].value), row["file"].value)
            except (KeyError, ValueError):
                continue
            focus = row["focus"].value
            if focus not in best or key < best[focus]:
                best[focus] = key
    rdf_cache: dict[str, Location | None] = {}
    for f in findings:
        if f.focus not in rdf_cache:
            rdf_cache[f.focus] = ctx.input.locate(f.focus)
        f.rdf_location = rdf_cache[f.focus]
        if f.location is None:
            hit = best.get(f.anchor or f.focus)
            if hit:
                f.location = Location(hit[2], hit[1], 1, "source")
            elif f.rdf_location is not None:
                f.location = f.rdf_location
            else:
                f.location = Location(ctx.input.description, None, None, "endpoint" if ctx.remote else "rdf")


def _sort_key(f: Finding) -> tuple:
    loc = f.location or Location("")
    return (loc.file, loc.line or 0, loc.column or 0, f.code, f.focus, f.message_en)


def lint(inp: LocalInput | RemoteInput, options: LintOptions | None = None) -> LintResult:
    """Run the selected rules on ``inp``."""
    options = options or LintOptions()
    t0 = time.monotonic()
    chosen = select_codes(options.select or None, options.ignore or None)
    chosen_set = {c.code for c in chosen}
    ctx = _Context(inp, options)
    if any(c.startswith("SHACL") for c in chosen_set):
        ctx.shapes()  # a bad --shapes file is an input error before any rule runs
    findings: list[Finding] = []
    skipped: list[Skip] = []
    for module in rules.modules():
        wanted = chosen_set & set(module.CODES)
        if not wanted:
            continue
        output = module.check(ctx, wanted)
        findings.extend(f for f in output.findings if f.code in wanted)
        for s in output.skipped:
            skipped.append(Skip(tuple(c for c in s.codes if c in wanted), s.reason))
            ctx.notice(f"{', '.join(c for c in s.codes if c in wanted)} skipped: {s.reason}")
    unique: dict[tuple, Finding] = {}
    for f in findings:
        unique.setdefault(f.key(), f)
    findings = list(unique.values())
    _locate(ctx, findings)
    findings.sort(key=_sort_key)
    return LintResult(
        input=inp.description,
        findings=findings,
        codes=[c.code for c in chosen],
        skipped=skipped,
        notices=ctx.notices,
        seconds=round(time.monotonic() - t0, 3),
        fail_on=options.fail_on,
    )


# ------------------------------------------------------------------ configuration
def find_config(start: Path) -> tuple[dict, Path | None]:
    """The [tool.fukushi-kg.lint] table of the nearest pyproject.toml at or above ``start``."""
    start = start.resolve()
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise UsageError(f"{candidate}: {exc}") from None
            table = data.get("tool", {}).get("fukushi-kg", {}).get("lint")
            if table is not None:
                return table, candidate
    return {}, None


def _as_list(value, key: str, where: Path) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise UsageError(f"{where}: [tool.fukushi-kg.lint] {key} must be a string or a list of strings")


def options_from(ns, config: dict, config_path: Path | None) -> LintOptions:
    """CLI options over the config table (CLI wins where given)."""
    where = config_path or Path("pyproject.toml")
    unknown = set(config) - {"select", "ignore", "fail-on", "shapes", "source-root"}
    if unknown:
        raise UsageError(f"{where}: unknown keys in [tool.fukushi-kg.lint]: {', '.join(sorted(unknown))}")

    def split(values):
        return [s.strip() for v in values or [] for s in v.split(",") if s.strip()]

    select = split(ns.select) or _as_list(config.get("select", []), "select", where)
    ignore = split(ns.ignore) + _as_list(config.get("ignore", []), "ignore", where)
    fail_on = ns.fail_on or config.get("fail-on", "violation")
    if fail_on not in FAIL_ON:
        raise UsageError(f"fail-on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    base = config_path.parent if config_path else Path.cwd()
    shapes = [base / s for s in _as_list(config.get("shapes", []), "shapes", where)] + list(ns.shapes or [])
    roots = [Path(r) for r in (ns.source_root or [])]
    if not roots and "source-root" in config:
        roots = [base / r for r in _as_list(config["source-root"], "source-root", where)]
    return LintOptions(select=select, ignore=ignore, fail_on=fail_on, shapes=shapes, source_roots=roots)


def list_rules() -> str:
    lines = []
    for c in (*codes_mod.TABLE, *codes_mod.PLAN_TABLE_CODES):
        lines.append(f"{c.code:<9} {c.name:<30} {c.severity:<9} {c.summary}")
    return "\n".join(lines) + "\n"


def command(ns) -> int:
    """``fukushi-kg lint``: exit 0 clean, 1 findings at or above --fail-on, 2 usage or input error."""
    if ns.list_rules:
        sys.stdout.write(list_rules())
        return 0
    try:
        if ns.config:
            if not Path(ns.config).is_file():
                raise UsageError(f"{ns.config}: no such config file")
            config, path = find_config(Path(ns.config).parent)
            if path is None or path.resolve() != Path(ns.config).resolve():
                config, path = {}, Path(ns.config)
        else:
            config, path = find_config(Path.cwd())
        options = options_from(ns, config, path)
        from fukushi_kg.graph.lint.tables.run import is_tables_input, lint_tables

        if is_tables_input(ns.paths):
            result = lint_tables([Path(p) for p in ns.paths], options)
            return _emit(ns, result)
        password = os.environ.get("FUKUSHI_KG_STORE_PASSWORD") or None
        inp = open_input(ns.paths, ns.dist, user=ns.user, password=password)
        if not options.source_roots and not isinstance(inp, RemoteInput):
            options.source_roots = [Path.cwd()]  # local files: their own folder; a remote graph: published sources only
        try:
            result = lint(inp, options)
        finally:
            if isinstance(inp, RemoteInput):
                inp.close()
    except (UsageError, SelectionError, InputError) as exc:
        print(f"fukushi-kg lint: {exc}", file=sys.stderr)
        return 2
    return _emit(ns, result)


def _emit(ns, result: LintResult) -> int:
    """Write the report as asked; the exit code of the result."""
    from fukushi_kg.graph.lint import report

    text = report.render(result, ns.format, lang=ns.lang)
    if ns.output:
        Path(ns.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    for n in result.notices:
        print(f"notice: {n}", file=sys.stderr)
    if ns.exit_zero:
        return 0
    return 1 if result.failed else 0


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``fukushi-kg lint`` besides ``--dist`` (fukushi_kg/cli.py declares the command)."""
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH_OR_URL",
        help="RDF files (.ttl .trig .nt .nq .jsonld) or folders, or one SPARQL endpoint URL, or plan tables: "
        "folders data/plans/<document-id>/ (or data/plans/ for all) and .xlsx workbooks "
        "(default: the built graph DIST/fukushi-kg.trig)",
    )
    p.add_argument(
        "--select",
        action="append",
        metavar="CODES",
        help="rule codes or prefixes to run, comma-separated (e.g. REL,SRC001)",
    )
    p.add_argument("--ignore", action="append", metavar="CODES", help="rule codes or prefixes to skip, comma-separated")
    p.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default=None,
        help="exit 1 when a finding is at least this severe (default: violation)",
    )
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    p.add_argument("--format", "-f", choices=["text", "json", "sarif", "junit"], default="text")
    p.add_argument("--output", "-o", help="write the report to this file")
    p.add_argument("--lang", choices=["en", "ja"], default="en", help="language of the messages in text output")
    p.add_argument(
        "--shapes",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="also validate against this SHACL file (repeatable)",
    )
    p.add_argument(
        "--source-root",
        type=Path,
        action="append",
        metavar="DIR",
        help="folder the fk:textFile paths are relative to; absolute paths, .. and links out of it are refused "
        "(default: the current folder for files, none for an endpoint; the published sources are always available)",
    )
    p.add_argument(
        "--config",
        metavar="PYPROJECT",
        help="pyproject.toml to read [tool.fukushi-kg.lint] from (default: the nearest one)",
    )
    p.add_argument(
        "--user",
        default=os.environ.get("FUKUSHI_KG_STORE_USER"),
        help="user for a SPARQL endpoint that wants one (default: $FUKUSHI_KG_STORE_USER; "
        "password in $FUKUSHI_KG_STORE_PASSWORD)",
    )
    p.add_argument("--list-rules", action="store_true", help="print the rule codes and exit")
