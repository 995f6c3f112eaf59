"""Peak RSS of the service's processes while one large SELECT is streamed to a client.

    python -m bench synth 1000000 -o /tmp/1e6.nq
    python -c "from pathlib import Path; from bench import suite; suite.make_dist(Path('/tmp/1e6.nq'), Path('/tmp/d'), 0)"
    python bench/stream_memory.py /tmp/d json csv

Starts ``python -m service`` (from ``--code``, default this checkout) over the dist with the row cap
lifted, asks ``SELECT * WHERE { ?s ?p ?o }`` once per format, reads the body as it comes and samples
VmRSS of the front process and of every child (forkserver, workers, resource tracker) every 50 ms.
Results for bench/results/NOTES.md ("Streaming").
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import procs  # noqa: E402

QUERY = "SELECT * WHERE { ?s ?p ?o }"


def rss_mib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dist", type=Path)
    parser.add_argument("formats", nargs="+", help="json, csv, tsv, xml")
    parser.add_argument(
        "--code",
        type=Path,
        default=Path(__file__).resolve().parents[1],
        help="directory holding the service package to run (e.g. a copy of an older version)",
    )
    opts = parser.parse_args()
    port = procs.free_port()
    log = Path(tempfile.gettempdir()) / f"stream-memory-{port}.log"
    server = procs.spawn(
        [
            sys.executable,
            "-m",
            "fukushi_kg.service",
            "--dist",
            str(opts.dist),
            "--port",
            str(port),
            "--row-cap",
            "100000000",
            "--timeout",
            "900",
            "--workers",
            "2",
        ],
        log,
        cwd=opts.code,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        procs.wait_ready(server, port, log, 120, name="the service")
        idle = sum(rss_mib(p) for p in procs.tree(server.pid))
        print(f"idle: {idle} MiB RSS over the process tree")
        for fmt in opts.formats:
            stop, peaks = threading.Event(), {"front": 0, "child": 0, "sum": 0}

            def sample() -> None:
                while not stop.is_set():
                    front = rss_mib(server.pid)
                    children = [rss_mib(p) for p in procs.tree(server.pid) if p != server.pid]
                    peaks["front"] = max(peaks["front"], front)
                    peaks["child"] = max([peaks["child"], *children])
                    peaks["sum"] = max(peaks["sum"], front + sum(children))
                    time.sleep(0.05)

            sampler = threading.Thread(target=sample)
            sampler.start()
            started, first, size = time.monotonic(), None, 0
            with httpx.stream("GET", url + "/sparql", params={"query": QUERY, "format": fmt}, timeout=900) as r:
                for chunk in r.iter_bytes():
                    first = first if first is not None else time.monotonic() - started
                    size += len(chunk)
                rows = r.headers.get("Fukushi-Row-Count")
            total = time.monotonic() - started
            stop.set()
            sampler.join()
            print(
                f"{fmt}: {r.status_code}, {rows} rows, {size / 2**20:.0f} MiB, first byte {first:.1f} s, "
                f"all {total:.1f} s; peak RSS MiB: front {peaks['front']}, largest child {peaks['child']}, "
                f"sum {peaks['sum']}"
            )
    finally:
        procs.stop(server, 20)


if __name__ == "__main__":
    main()
