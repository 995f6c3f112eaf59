"""service/executor.py: a job whose request is cancelled while its worker is still answering does not
leave that answer behind for the next job (the worker is replaced), and the reads under way are
counted right (a write would otherwise wait for a read that ended)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from conftest import make_dist  # noqa: E402

from fukushi_kg.service.executor import Executor  # noqa: E402

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }"


def rows(query: str) -> dict:
    return {"op": "rows", "query": query, "row_cap": 10, "base_iri": None}


def test_a_cancelled_job_leaves_no_answer_behind(tmp_path):
    dist = make_dist(tmp_path / "dist", with_w3c_data=False)

    async def scenario() -> list:
        executor = Executor(dist / "store", 1, 30)
        await executor.start()
        try:
            running = asyncio.create_task(executor.run(rows(SLOW)))
            await asyncio.sleep(0.5)
            running.cancel()
            try:
                await running
            except asyncio.CancelledError:
                pass
            answers = []
            for value in (42, 7):
                answer = await executor.run(rows(f"SELECT ?x WHERE {{ VALUES ?x {{ {value} }} }}"))
                answers.append((answer["rows"][0]["x"]["value"], executor._busy))
            return answers
        finally:
            await executor.close()

    assert asyncio.run(scenario()) == [("42", 0), ("7", 0)]
