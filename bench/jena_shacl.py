"""The linter's SHACL against Apache Jena's SHACL engine, in one run on one machine.

    python -m bench.jena_shacl --dist DIST [--dist DIST2 ...] [--out bench/results]

For each dist (a build's output folder, or any folder holding ``fukushi-kg.nt``), the same data
(the N-Triples dump) and the same shapes (shapes/*.ttl) go to
  - fukushi-kg: ``graph.validate.validate`` (SPARQL constraints once over the whole graph on
    Oxigraph; each core constraint asked on Oxigraph whether it may fail, and pySHACL run on the
    shapes and focus nodes that may only, graph/shacl_core.py), the build's and the linter's
    validation;
  - pySHACL alone: ``graph.validate.validate_with_pyshacl`` (SPARQL constraints per focus node);
  - Jena: ``bench/jena`` (one class), ``ShaclValidator`` on a graph parsed from the same file.
Parsing is not timed on any side (Jena reports its parse and validation apart). Findings are
compared as counts of (focus node, source shape, path); a blank property shape is named by its
node shape and path on every side. Results: ``SHACL.md`` and ``shacl.json`` in ``--out``.

The Java runner is built by Maven (bench/jena/pom.xml, jena-shacl 5.6.0) into ``--work``; where
the Maven registry cannot be reached it is compiled with javac against the Jena jars of the
Debian package ``libapache-jena-java`` (/usr/share/java), and the version that ran is reported.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JENA = ROOT / "bench" / "jena"
DEBIAN_JARS = Path("/usr/share/java")


def build_runner(work: Path) -> tuple[str, str]:
    """(classpath, how it was built and which Jena) of the Java runner."""
    target = work / "jena-target"
    mvn = subprocess.run(
        ["mvn", "-q", "-B", "-f", str(JENA / "pom.xml"), f"-Djena.target={target}", "package"],
        capture_output=True,
        text=True,
    )
    if mvn.returncode == 0:
        cp = f"{target / 'classes'}:{target / 'lib'}/*"
        jars = sorted(p.name for p in (target / "lib").glob("jena-shacl-*.jar"))
        return cp, f"Maven, {jars[0] if jars else 'jena-shacl'}"
    shacl = sorted(DEBIAN_JARS.glob("jena-shacl-*.jar"))
    if not shacl:
        last = (mvn.stderr or mvn.stdout).strip().splitlines()[-1:] or ["mvn failed"]
        raise SystemExit(f"cannot build the Jena runner: {last[0]} (and no Debian libapache-jena-java)")
    classes = work / "jena-classes"
    classes.mkdir(parents=True, exist_ok=True)
    cp = ":".join([str(_debian_xerces_messages(work)), *_debian_jars()])
    src = JENA / "src" / "main" / "java" / "fukushikg" / "JenaShacl.java"
    subprocess.run(["javac", "-d", str(classes), "-cp", cp, str(src)], check=True)
    why = "the Maven registry was unreachable" if "Unknown host" in (mvn.stdout + mvn.stderr) else "mvn failed"
    return f"{classes}:{cp}", f"javac against Debian's {shacl[-1].name} ({why})"


def _debian_jars() -> list[str]:
    """The jars of libapache-jena-java and the Java packages it depends on (one SLF4J binding: nop)."""
    deps = subprocess.run(
        ["apt-cache", "depends", "--recurse", "--important", "libapache-jena-java"], capture_output=True, text=True
    ).stdout.split()
    jars = set()
    for pkg in {"libapache-jena-java", *(d for d in deps if d.startswith("lib") and d.endswith("-java"))}:
        files = subprocess.run(["dpkg", "-L", pkg], capture_output=True, text=True).stdout.split()
        jars |= {f for f in files if re.fullmatch(r"/usr/share/java/[^/]+\.jar", f)}
    keep = [
        j
        for j in sorted(jars)
        if not re.search(r"-[0-9][0-9.]*\.jar$", j) and not re.search(r"slf4j-(log4j12|jcl|jdk14|simple)|maven", j)
    ]
    return [*keep, str(DEBIAN_JARS / "slf4j-nop.jar")]


def _debian_xerces_messages(work: Path) -> Path:
    """Debian's jena-core moves Jena's copy of Xerces to the package ``xerces`` but leaves its
    message bundles under org/apache/jena/ext/xerces, so datatype initialisation fails; a folder
    with the bundles where the classes look for them, first on the class path, mends that."""
    import zipfile

    root = work / "jena-xerces-messages"
    prefix = "org/apache/jena/ext/xerces/"
    with zipfile.ZipFile(DEBIAN_JARS / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith(prefix) and name.endswith(".properties"):
                target = root / "xerces" / name[len(prefix) :]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return root


def run_jena(cp: str, nt: Path, shapes: list[Path]) -> dict:
    t0 = time.perf_counter()
    proc = subprocess.run(
        ["java", "-Xmx3g", "-cp", cp, "fukushikg.JenaShacl", str(nt), *map(str, shapes)],
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - t0
    lines = [json.loads(x) for x in proc.stdout.splitlines() if x.strip()]
    summary = lines[-1]
    keys = Counter((x["focus"], x["shape"], x["path"]) for x in lines[:-1])
    return {
        "seconds": summary["validate_ms"] / 1000,
        "parse_seconds": summary["parse_ms"] / 1000,
        "wall_seconds": round(wall, 2),
        "keys": keys,
    }


def _shape_key(shapes_graph, shape: str) -> str:
    """The shape's IRI, or for a blank property shape "parent|path" (as the Java runner names it)."""
    from rdflib import BNode, Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    if shape.startswith(("http://", "https://", "urn:")):
        return shape
    node = BNode(shape)
    parent = next(iter(shapes_graph.subjects(sh.property, node)), "")
    path = shapes_graph.value(node, sh.path) or ""
    return f"{parent}|{path}"


def run_python(nt: Path, shapes: list[Path], pyshacl_max: int) -> dict:
    import pyoxigraph as ox
    from rdflib import Graph

    from fukushi_kg.graph import validate

    shapes_graph = validate.load_shapes([p for p in shapes if p.parent != validate.SHAPES])
    data = Graph()
    data.parse(nt, format="nt")
    store = ox.Store()
    store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    out: dict = {"triples": len(data), "pyshacl": None}
    runs = [("fukushi-kg", lambda: validate.validate(data, shapes_graph, store=store))]
    if len(data) <= pyshacl_max:
        runs.append(("pyshacl", lambda: validate.validate_with_pyshacl(data, shapes_graph)))
    for name, fn in runs:
        t0 = time.perf_counter()
        findings = fn()
        seconds = time.perf_counter() - t0
        keys = Counter((f.focus, _shape_key(shapes_graph, f.shape), f.path) for f in findings)
        out[name] = {"seconds": round(seconds, 3), "keys": keys}
    return out


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def measure(nt: Path, cp: str, pyshacl_max: int) -> dict:
    from fukushi_kg.graph.validate import SHAPES

    shapes = sorted(SHAPES.glob("*.ttl"))
    load_before = _load()
    py = run_python(nt, shapes, pyshacl_max)
    jena = run_jena(cp, nt, shapes)
    ours, pysh = py["fukushi-kg"], py["pyshacl"]

    def diff(a: Counter, b: Counter | None) -> int | None:
        return None if b is None else sum(((a - b) + (b - a)).values())

    return {
        "data": str(nt),
        "triples": py["triples"],
        "load_average_before": load_before,
        "load_average_after": _load(),
        "seconds": {"fukushi-kg": ours["seconds"], "pyshacl": pysh and pysh["seconds"], "jena": jena["seconds"]},
        "jena_parse_seconds": jena["parse_seconds"],
        "findings": {
            "fukushi-kg": sum(ours["keys"].values()),
            "pyshacl": pysh and sum(pysh["keys"].values()),
            "jena": sum(jena["keys"].values()),
        },
        "differences": {
            "fukushi-kg vs pyshacl": diff(ours["keys"], pysh and pysh["keys"]),
            "fukushi-kg vs jena": diff(ours["keys"], jena["keys"]),
            "examples vs jena": [
                list(k) for k in list(((ours["keys"] - jena["keys"]) + (jena["keys"] - ours["keys"])).keys())[:5]
            ],
        },
    }


def report(results: list[dict], runner: str) -> str:
    import pyoxigraph
    import pyshacl

    lines = [
        "# SHACL validation: fukushi-kg vs pySHACL vs Apache Jena",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}; Python "
        f"{platform.python_version()}, pySHACL {pyshacl.__version__}, pyoxigraph {pyoxigraph.__version__}; "
        f"Jena runner: {runner}. Written by `python -m bench.jena_shacl`. Seconds of validation only "
        "(parsing not timed); findings compared as counts of (focus node, source shape, path).",
        "",
        "| data | triples | load avg (1/5/15 min) | fukushi-kg s | pySHACL s | Jena s | pySHACL / fukushi-kg "
        "| Jena / fukushi-kg | findings (ours/pySHACL/Jena) | differing (vs pySHACL / vs Jena) |",
        "|---|---:|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in results:
        s, f, d = r["seconds"], r["findings"], r["differences"]
        pysh = "not run" if s["pyshacl"] is None else f"{s['pyshacl']:.2f}"
        ratio = "–" if s["pyshacl"] is None else f"{s['pyshacl'] / s['fukushi-kg']:.1f}x"
        lines.append(
            f"| {Path(r['data']).parent.name}/{Path(r['data']).name} | {r['triples']:,} | {r['load_average_before']} "
            f"| {s['fukushi-kg']:.2f} | {pysh} | {s['jena']:.2f} "
            f"| {ratio} | {s['jena'] / s['fukushi-kg']:.2f}x "
            f"| {f['fukushi-kg']}/{f['pyshacl']}/{f['jena']} | {d['fukushi-kg vs pyshacl']} / {d['fukushi-kg vs jena']} |"
        )
    return "\n".join(lines) + "\n"


def broken_copy(nt: Path, out: Path, every: int = 37) -> Path:
    """``nt`` with defects, so the engines have findings to agree on: every ``every``-th triple
    dropped (missing values, types and links) and every ``every``-th integer typed as a string."""
    out.mkdir(parents=True, exist_ok=True)
    target = out / "fukushi-kg.nt"
    integer = "^^<http://www.w3.org/2001/XMLSchema#integer>"
    with nt.open(encoding="utf-8") as src, target.open("w", encoding="utf-8") as dst:
        ints = 0
        for n, line in enumerate(src):
            if n % every == every - 1:
                continue
            if integer in line:
                ints += 1
                if ints % every == 0:
                    line = line.replace(integer, "^^<http://www.w3.org/2001/XMLSchema#string>")
            dst.write(line)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.jena_shacl", description=__doc__.splitlines()[0])
    p.add_argument("--dist", type=Path, action="append", required=True, help="folder with fukushi-kg.nt")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    p.add_argument("--work", type=Path, default=Path("/tmp/fukushi-kg-bench"))
    p.add_argument("--broken", action="store_true", help="also validate a copy of each dist's data with defects")
    p.add_argument(
        "--pyshacl-max", type=float, default=2e5, help="largest triple count pySHACL alone is run on (default 2e5)"
    )
    ns = p.parse_args(argv)
    for d in ns.dist:
        if not (d / "fukushi-kg.nt").is_file():
            print(f"{d}: no fukushi-kg.nt", file=sys.stderr)
            return 2
    ns.work.mkdir(parents=True, exist_ok=True)
    cp, runner = build_runner(ns.work)
    results = []
    dists = list(ns.dist)
    if ns.broken:
        dists += [broken_copy(d / "fukushi-kg.nt", ns.work / f"{d.name}-broken") for d in ns.dist]
    for d in dists:
        print(f"validating {d / 'fukushi-kg.nt'}", file=sys.stderr)
        results.append(measure(d / "fukushi-kg.nt", cp, int(ns.pyshacl_max)))
        print(json.dumps(results[-1]["seconds"]), results[-1]["findings"], file=sys.stderr)
    ns.out.mkdir(parents=True, exist_ok=True)
    (ns.out / "shacl.json").write_text(json.dumps({"runner": runner, "results": results}, indent=1) + "\n")
    text = report(results, runner)
    (ns.out / "SHACL.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
