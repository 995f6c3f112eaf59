"""Run the same W3C protocol / graph store manifest cases, plus SSRF probes, against fukushi-kg and rdflib-endpoint.

Both serve the test fixture data (tests/service/conftest.py make_dist). The manifests are the vendored copy in
tests/service/w3c/ (see its README and LICENSE.md). Usage:

    python bench/protocol_compare.py            # prints a table and the cases only fukushi-kg passes
    python bench/protocol_compare.py --json out.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "service"))
sys.path.insert(0, str(ROOT))  # bench/procs.py, which the tests' helpers use too
import conftest  # noqa: E402
import w3c_manifest  # noqa: E402

from bench import procs  # noqa: E402

MANIFESTS = {
    "protocol": ("protocol/manifest.ttl", {"/sparql/": "/sparql"}),
    "gsp": ("graph-store-protocol/manifest.ttl", {"/gsp": "/store"}),
}


def ssrf_probe(url: str, headers: dict) -> dict[str, str | None]:
    """Each probe: None when it read nothing and called nothing, else what leaked."""
    with procs.recording_server("text/turtle", b"<urn:leak> <urn:leak> <urn:leak> .") as (port, hits):
        return _probe(url, headers, port, hits)


def _probe(url: str, headers: dict, port: int, hits: list[str]) -> dict[str, str | None]:
    target = f"http://127.0.0.1:{port}/"
    probes = {
        "FROM <file:///etc/passwd>": ("query", "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o } LIMIT 5"),
        "FROM <http://127.0.0.1:PORT/>": ("query", f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }} LIMIT 5"),
        "SERVICE <http://127.0.0.1:PORT/>": ("query", f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"),
        "LOAD <http://127.0.0.1:PORT/>": ("update", f"LOAD <{target}x.ttl>"),
    }
    out: dict[str, str | None] = {}
    with httpx.Client(base_url=url, timeout=30) as client:
        for name, (kind, text) in probes.items():
            before = len(hits)
            response = client.post("/sparql", data={kind: text}, headers=headers)
            leaked = []
            if len(hits) > before:
                leaked.append(f"made {len(hits) - before} request(s) to 127.0.0.1")
            if "root:" in response.text or "urn:leak" in response.text:
                leaked.append("returned outside data")
            out[name] = "; ".join(leaked) or None
    return out


def timing(url: str, query: str, n: int = 30) -> float:
    with httpx.Client(base_url=url, timeout=60) as client:
        start = time.perf_counter()
        for _ in range(n):
            client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
        return (time.perf_counter() - start) / n * 1000


def run_all(url: str, headers: dict) -> dict[str, str | None]:
    results = {}
    for label, (relative, prefixes) in MANIFESTS.items():
        manifest = conftest.W3C / relative
        if not manifest.is_file():
            raise SystemExit(f"{manifest} is missing: the W3C manifests are vendored in tests/service/w3c/")
        for case in w3c_manifest.load_cases(manifest):
            with httpx.Client(base_url=url, timeout=30) as client:
                for r in case.requests:  # fresh graphs per case, as the manifests assume
                    if label == "gsp" and "graph=" in r.path and "$" not in r.path:
                        client.delete(
                            "/store", params={"graph": httpx.URL(r.path).params.get("graph")}, headers=headers
                        )
                    elif label == "gsp" and r.path.startswith("/gsp/"):  # direct identification
                        client.delete("/store" + r.path[len("/gsp") :].split("?")[0], headers=headers)
                results[f"{label}:{case.id}"] = w3c_manifest.run_case(case, client, prefixes, headers)
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="compare-"))
    ours_dist = conftest.make_dist(work / "ours" / "dist")
    theirs_dist = conftest.make_dist(work / "theirs" / "dist")
    import pytest  # conftest.start_server reports start failures through pytest.fail

    ours = conftest.start_server(
        ours_dist, "--timeout", "10", "--workers", "2", env={"FUKUSHI_KG_WRITE_TOKEN": conftest.TOKEN}
    )
    auth = {"Authorization": f"Bearer {conftest.TOKEN}"}
    theirs = procs.start_rdflib_endpoint(theirs_dist / "fukushi-kg.trig", work / "rdflib-endpoint.log", 60)
    theirs_url = theirs.url
    try:
        query = "SELECT ?s ?o WHERE { ?s <https://example.org/fk/def/value> ?o } ORDER BY ?o"
        report = {
            "fukushi-kg": {
                "cases": run_all(ours.url, auth),
                "ssrf": ssrf_probe(ours.url, auth),
                "ms_per_select": timing(ours.url, query),
            },
            "rdflib-endpoint": {
                "cases": run_all(theirs_url, {}),
                "ssrf": ssrf_probe(theirs_url, {}),
                "ms_per_select": timing(theirs_url, query),
            },
        }
    finally:
        conftest.stop_server(ours)
        theirs.stop()
    del pytest
    ours_cases, theirs_cases = report["fukushi-kg"]["cases"], report["rdflib-endpoint"]["cases"]
    only_ours = sorted(c for c in ours_cases if ours_cases[c] is None and theirs_cases.get(c) is not None)
    only_theirs = sorted(c for c in theirs_cases if theirs_cases[c] is None and ours_cases.get(c) is not None)
    for name, side in report.items():
        passed = sum(1 for v in side["cases"].values() if v is None)
        safe = sum(1 for v in side["ssrf"].values() if v is None)
        print(
            f"{name:16} cases {passed}/{len(side['cases'])}  ssrf-safe {safe}/{len(side['ssrf'])}  "
            f"{side['ms_per_select']:.1f} ms/SELECT"
        )
    print("\nrdflib-endpoint fails, fukushi-kg passes:")
    for c in only_ours:
        print(f"  {c}: {theirs_cases[c][:160]}")
    print("\nfukushi-kg fails, rdflib-endpoint passes:", ", ".join(only_theirs) or "none")
    for name, problem in report["rdflib-endpoint"]["ssrf"].items():
        if problem:
            print(f"  rdflib-endpoint SSRF {name}: {problem}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {**report, "only_fukushi_kg": only_ours, "only_rdflib_endpoint": only_theirs},
                indent=2,
                ensure_ascii=False,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
