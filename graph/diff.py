"""``fukushi-kg diff OLD NEW``: what changed for a reader between two versions of the plans.

OLD and NEW are each a build (a folder with ``fukushi-kg.nq``), or plan tables (one document's
folder, or a folder of them, as ``build --plans`` takes them; converted to RDF in memory, no
validation or store), or, with ``--rev A..B``, two git revisions of ``data/plans``. Both sides
are read the way a reader meets them: through the graph. The comparison is of

- programs (by name and city): added, removed;
- listings (by plan, printed place and name): added, removed, and changed self-evaluation grade,
  responsible divisions (as resolved and as printed), ◎ lead and ○ partner actors;
- program results (by document, fiscal year and name): added, removed, changed amounts and divisions;
- indicator values (by plan, indicator, kind, year and series): added, removed, changed values
  (or status: a value that became "not measured" is a change, not a removal).

Text (Markdown, for the description of a pull request) or JSON. Exit 0, also when they differ
(``--exit-code``: 1 when they differ, as ``git diff --exit-code``), 2 input error.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

NQ = "fukushi-kg.nq"

PREFIXES = """PREFIX fk: <https://w3id.org/fukushi-kg/def/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX qb: <http://purl.org/linked-data/cube#>
"""

PROGRAMS = (
    PREFIXES
    + """SELECT ?program ?label (COALESCE(SAMPLE(?c1), SAMPLE(?c2), "") AS ?city) WHERE {
  ?program a fk:Program ; rdfs:label ?label .
  OPTIONAL {
    ?program fk:hasListing ?listing . ?listing fk:inPlan ?plan . ?plan fk:city ?town .
    ?town rdfs:label ?c1 . FILTER (lang(?c1) = "ja")
  }
  OPTIONAL {
    ?program fk:hasResult ?result . ?result fk:responsibleDivision ?division . ?division org:unitOf ?town2 .
    ?town2 rdfs:label ?c2 . FILTER (lang(?c2) = "ja")
  }
} GROUP BY ?program ?label"""
)

LISTINGS = (
    PREFIXES
    + """SELECT ?listing ?plan ?place ?label ?line ?grade ?printed_division
       (GROUP_CONCAT(DISTINCT ?dlabel; separator="|") AS ?divisions)
       (GROUP_CONCAT(DISTINCT ?lead; separator="|") AS ?leads)
       (GROUP_CONCAT(DISTINCT ?partner; separator="|") AS ?partners) WHERE {
  ?listing a fk:Listing ; fk:inPlan/rdfs:label ?plan ; rdfs:label ?label ; fk:listedUnder ?component ;
           fk:nameSpan/fk:lineStart ?line .
  FILTER (lang(?plan) = "ja")
  ?component skos:notation ?code .
  OPTIONAL { ?component a fk:Initiative ; fk:parentComponent/skos:notation ?viewpoint }
  BIND (IF(BOUND(?viewpoint), CONCAT(?viewpoint, "/", ?code), ?code) AS ?place)
  OPTIONAL { ?listing fk:selfEvaluation/skos:notation ?grade }
  OPTIONAL { ?listing fk:divisionAsPrinted ?printed_division }
  OPTIONAL { ?listing fk:responsibleDivision/skos:prefLabel ?dlabel }
  OPTIONAL { ?listing fk:leadActor/skos:prefLabel ?lead FILTER (lang(?lead) = "ja") }
  OPTIONAL { ?listing fk:partnerActor/skos:prefLabel ?partner FILTER (lang(?partner) = "ja") }
} GROUP BY ?listing ?plan ?place ?label ?line ?grade ?printed_division"""
)

RESULTS = (
    PREFIXES
    + """SELECT ?doc ?year ?order ?label ?amount ?unit ?printed ?division WHERE {
  ?r a fk:ProgramResult ; rdfs:label ?label ; fk:fiscalYear ?year ; fk:order ?order ; fk:statedIn ?d ;
     fk:amountAsPrinted ?printed ; fk:divisionAsPrinted ?division .
  ?d rdfs:label ?doc . FILTER (lang(?doc) = "ja")
  OPTIONAL { ?r fk:amount ?amount }
  OPTIONAL { ?r fk:amountUnit/skos:prefLabel ?unit FILTER (lang(?unit) = "ja") }
} ORDER BY ?doc ?order"""
)

OBSERVATIONS = (
    PREFIXES
    + """SELECT ?plan ?indicator ?obs ?kind ?year ?series ?value ?change ?raw ?status WHERE {
  ?o a qb:Observation ; qb:dataSet ?i ; fk:refYear ?year ; fk:observationKind ?k ;
     fk:observationStatus ?s ; fk:valueAsPrinted ?raw .
  ?i a fk:Indicator ; rdfs:label ?indicator ; fk:inPlan/rdfs:label ?plan . FILTER (lang(?plan) = "ja")
  BIND (STRAFTER(STR(?k), "observation-kind/") AS ?kind)
  BIND (STRAFTER(STR(?s), "observation-status/") AS ?status)
  BIND (STRAFTER(STR(?o), STR(?i)) AS ?obs)
  OPTIONAL { ?o fk:series ?series }
  OPTIONAL { ?o fk:value ?value }
  OPTIONAL { ?o fk:changeFromBaseline ?change }
}"""
)


class DiffError(ValueError):
    """A side of the comparison that cannot be read; the message says which and why."""


# ------------------------------------------------------------------ reading a side
def _rows(store: ox.Store, text: str) -> list[dict[str, str]]:
    result = store.query(text, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: ("" if sol[n] is None else sol[n].value) for n in names} for sol in result]


def _store_of_tables(folder: Path) -> ox.Store:
    from fukushi_kg.graph import identity, serialize
    from fukushi_kg.graph.rdf import to_dataset
    from fukushi_kg.graph.sources import SourcesError, documents
    from fukushi_kg.graph.tables.catalog import document_folders, own_organisations, read_plans
    from fukushi_kg.graph.tables.schema import FormatError

    try:
        seeded = bool({d.id for d in documents()} & {f.name for f in document_folders(folder)})
        extracted = read_plans([folder], seeds=seeded)
        ds, _ = to_dataset(
            extracted,
            match_table=identity.MATCHES if seeded else None,
            organisations=own_organisations([d for d, _ in extracted]),
        )
    except (FormatError, SourcesError) as exc:
        raise DiffError(
            f"{folder}: {str(exc).splitlines()[0]}" + "".join(f"\n  {d}" for d in getattr(exc, "details", [])[:20])
        ) from None
    except ValueError as exc:
        raise DiffError(f"{folder}: converting to RDF failed: {exc}") from None
    store = ox.Store()
    store.extend(serialize.sorted_quads(ds))
    return store


def open_side(path: Path) -> ox.Store:
    """The graph of a build folder (its N-Quads dump) or of plan tables, in an in-memory store."""
    if (path / NQ).is_file():
        store = ox.Store()
        try:
            store.load(path=str(path / NQ), format=ox.RdfFormat.N_QUADS)
        except (SyntaxError, OSError) as exc:
            raise DiffError(f"{path / NQ}: cannot be read ({exc})") from None
        return store
    if path.is_dir():
        return _store_of_tables(path)
    raise DiffError(f"{path}: neither a build (a folder with {NQ}) nor a folder of plan tables")


# ------------------------------------------------------------------ what a reader sees
@dataclass
class Snapshot:
    """Every fact compared, by category: key (what a reader names it by) -> the values compared."""

    programs: dict[tuple[str, ...], dict[str, str]] = field(default_factory=dict)
    listings: dict[tuple[str, ...], dict[str, str]] = field(default_factory=dict)
    results: dict[tuple[str, ...], dict[str, str]] = field(default_factory=dict)
    indicators: dict[tuple[str, ...], dict[str, str]] = field(default_factory=dict)


def _unique(rows: list[tuple[tuple[str, ...], dict[str, str]]]) -> dict[tuple[str, ...], dict[str, str]]:
    """Keys made unique in order: a second listing of one name at one place is ``name (2)``."""
    seen: Counter = Counter()
    out = {}
    for key, values in rows:
        seen[key] += 1
        out[key if seen[key] == 1 else (*key[:-1], f"{key[-1]} ({seen[key]})")] = values
    return out


def snapshot(store: ox.Store) -> Snapshot:
    snap = Snapshot()
    programs = sorted((r["label"], r["city"]) for r in _rows(store, PROGRAMS))
    snap.programs = _unique([((label, city), {}) for label, city in programs])
    listing_rows = _rows(store, LISTINGS)
    listing_rows.sort(key=lambda r: (r["plan"], r["place"], int(r["line"] or 0)))
    snap.listings = _unique(
        [
            (
                (r["plan"], r["place"], r["label"]),
                {
                    "self_evaluation": r["grade"],
                    "divisions": "|".join(sorted(filter(None, r["divisions"].split("|")))),
                    "divisions_as_printed": r["printed_division"],
                    "lead": "|".join(sorted(filter(None, r["leads"].split("|")))),
                    "partners": "|".join(sorted(filter(None, r["partners"].split("|")))),
                },
            )
            for r in listing_rows
        ]
    )
    snap.results = _unique(
        [
            (
                (r["doc"], r["year"], r["label"]),
                {"amount": f"{r['printed']} {r['unit']}".strip(), "divisions": r["division"]},
            )
            for r in _rows(store, RESULTS)
        ]
    )
    obs = sorted(_rows(store, OBSERVATIONS), key=lambda r: (r["plan"], r["indicator"], r["obs"]))
    snap.indicators = _unique(
        [
            (
                (r["plan"], r["indicator"], r["kind"], r["year"], r["series"]),
                {
                    "value": r["value"] or (f"{r['change']} (change)" if r["change"] else ""),
                    "as_printed": r["raw"],
                    "status": r["status"],
                },
            )
            for r in obs
        ]
    )
    return snap


# ------------------------------------------------------------------ comparing
_KEYS = {
    "programs": ("program", "city"),
    "listings": ("plan", "place", "program"),
    "results": ("document", "fiscal_year", "program"),
    "indicators": ("plan", "indicator", "kind", "year", "series"),
}


def compare(old: Snapshot, new: Snapshot) -> dict:
    """The changes, as JSON-ready data: per category, the added, removed and changed entries."""
    out: dict = {}
    for cat, names in _KEYS.items():
        a, b = getattr(old, cat), getattr(new, cat)

        def named(key: tuple[str, ...], names: tuple[str, ...] = names) -> dict:
            return dict(zip(names, key, strict=True))

        changed = []
        for key in [k for k in a if k in b and a[k] != b[k]]:
            diffs = {f: {"old": a[key][f], "new": b[key][f]} for f in a[key] if a[key][f] != b[key].get(f)}
            changed.append({**named(key), "changes": diffs})
        out[cat] = {
            "added": [{**named(k), **b[k]} for k in b if k not in a],
            "removed": [{**named(k), **a[k]} for k in a if k not in b],
            "changed": changed,
        }
    out["summary"] = {cat: {kind: len(entries) for kind, entries in out[cat].items()} for cat in _KEYS if cat in out}
    return out


def differs(result: dict) -> bool:
    return any(n for cat in _KEYS for n in result["summary"][cat].values())


# ------------------------------------------------------------------ text
_TITLES = {
    "programs": "Programs / 事業",
    "listings": "Listings / 掲載",
    "results": "Results / 事業実績",
    "indicators": "Indicator values / 指標値",
}
_FIELDS = {
    "self_evaluation": "self-evaluation",
    "divisions": "divisions",
    "divisions_as_printed": "divisions as printed",
    "lead": "◎ lead",
    "partners": "○ partners",
    "amount": "amount",
    "value": "value",
    "as_printed": "as printed",
    "status": "status",
}


def _label(cat: str, entry: dict) -> str:
    if cat == "programs":
        return entry["program"] + (f" ({entry['city']})" if entry["city"] else "")
    if cat == "listings":
        return f"{entry['program']} — {entry['plan']} {entry['place']}"
    if cat == "results":
        return f"{entry['program']} — {entry['document']} FY{entry['fiscal_year']}"
    series = f" [{entry['series']}]" if entry["series"] else ""
    return f"{entry['indicator']}{series} {entry['kind']} {entry['year']} — {entry['plan']}"


def _shown(value: str) -> str:
    return value if value else "(none)"


def render_text(result: dict, old: str, new: str) -> str:
    lines = [f"## Changes for readers: {old} → {new}", ""]
    if not differs(result):
        return "\n".join([*lines, "No change a reader would see (programs, listings, results, indicator values).", ""])
    summary = []
    for cat in _KEYS:
        s = result["summary"][cat]
        if any(s.values()):
            summary.append(f"{_TITLES[cat]}: +{s['added']} −{s['removed']} ~{s['changed']}")
    lines += [" · ".join(summary), ""]
    for cat in _KEYS:
        part = result[cat]
        for kind, mark in (("added", "+"), ("removed", "−"), ("changed", "~")):
            if not part[kind]:
                continue
            lines.append(f"### {_TITLES[cat]}: {kind}")
            for entry in part[kind]:
                text = f"- {mark} {_label(cat, entry)}"
                if kind == "changed":
                    text += ": " + "; ".join(
                        f"{_FIELDS.get(f, f)} {_shown(d['old'])} → {_shown(d['new'])}"
                        for f, d in entry["changes"].items()
                    )
                elif cat == "indicators":
                    text += f": {entry['as_printed']} ({entry['status']})"
                elif cat == "listings" and entry["self_evaluation"]:
                    text += f" (self-evaluation {entry['self_evaluation']})"
                elif cat == "results":
                    text += f": {entry['amount']}"
                lines.append(text)
            lines.append("")
    return "\n".join(lines)


# ------------------------------------------------------------------ git revisions
def checkout_tables(rev: str, path: str, into: Path) -> Path:
    """The files under ``path`` at git revision ``rev`` (of the repository of the current folder),
    written into ``into``; the folder that holds them."""

    def git(*args: str) -> bytes:
        done = subprocess.run(["git", *args], capture_output=True, check=False)
        if done.returncode != 0:
            raise DiffError(f"git {' '.join(args)}: {done.stderr.decode(errors='replace').strip()}")
        return done.stdout

    top = Path(git("rev-parse", "--show-toplevel").decode().strip())
    prefix = (Path.cwd().resolve() / path).resolve().relative_to(top.resolve()).as_posix()
    names = [n for n in git("ls-tree", "-r", "--name-only", rev, "--", prefix).decode().splitlines() if n]
    if not names:
        raise DiffError(f"{rev}: no files under {prefix}")
    out = into / Path(prefix).name
    for name in names:
        target = out / Path(name).relative_to(prefix)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(git("show", f"{rev}:{name}"))
    return out


# ------------------------------------------------------------------ the command
def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("old", nargs="?", type=Path, metavar="OLD", help="a build folder or plan tables")
    p.add_argument("new", nargs="?", type=Path, metavar="NEW", help="a build folder or plan tables")
    p.add_argument(
        "--rev",
        metavar="A..B",
        help="compare the plan tables at two git revisions (B may be left out: the working tree)",
    )
    p.add_argument("--path", default="data/plans", help="with --rev: the folder of plan tables (default: %(default)s)")
    p.add_argument("--format", "-f", choices=["text", "json"], default="text")
    p.add_argument("--output", "-o", type=Path, help="write to this file instead of standard output")
    p.add_argument("--exit-code", action="store_true", help="exit 1 when there are changes")
    p.set_defaults(func=command)


def command(ns: argparse.Namespace) -> int:
    def fail(text: str) -> int:
        print(f"fukushi-kg diff: {text}", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory() as tmp:
        try:
            if ns.rev:
                if ns.old or ns.new:
                    return fail("give OLD and NEW, or --rev A..B, not both")
                a, _, b = ns.rev.partition("..")
                if not a:
                    return fail(f"--rev {ns.rev!r}: give A..B (or A.. for A against the working tree)")
                old = checkout_tables(a, ns.path, Path(tmp) / "old")
                new = checkout_tables(b, ns.path, Path(tmp) / "new") if b else Path(ns.path)
                old_name, new_name = f"{a}:{ns.path}", f"{b}:{ns.path}" if b else ns.path
            else:
                if not (ns.old and ns.new):
                    return fail("give OLD and NEW (build folders or plan tables), or --rev A..B")
                old, new, old_name, new_name = ns.old, ns.new, str(ns.old), str(ns.new)
            result = compare(snapshot(open_side(old)), snapshot(open_side(new)))
        except DiffError as exc:
            return fail(str(exc))
    result = {"old": old_name, "new": new_name, **result}
    if ns.format == "json":
        text = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    else:
        text = render_text(result, old_name, new_name)
    if ns.output:
        ns.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 1 if ns.exit_code and differs(result) else 0
