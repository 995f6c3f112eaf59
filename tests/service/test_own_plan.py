"""A plan written by hand, of a kind the seeds do not have, built with the seeds and served.

``data/examples/midorino-disability-plan-2024/`` is a fictional disability plan of a fictional
city (みどり野市), written as tables with ``fukushi-kg new`` and a text editor: a component tree,
listings with divisions and ◎/○ roles, a re-listing, indicators with a year not measured, a law
citation, and the city's own organisations. The real CLI builds it together with the seeds
(``build --plans``), SHACL validates it, the real service (``fukushi-kg serve``, uvicorn) shows its
pages, and the named queries answer with it as they do with the seeds.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from conftest import SEED_BASE, Server, start_process, stop_server  # noqa: E402
from test_pages import page, section, select, visible  # noqa: E402

from fukushi_kg.graph.sources import documents

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "examples" / "midorino-disability-plan-2024"
DOC = EXAMPLE.name
PLAN = SEED_BASE + "id/plan/midorino-disability-plan"
SEEDS = [
    "kumamoto-child-plan-report-fy2023",
    "kumamoto-welfare-results-fy2023",
    "designated-cities-child-support-cases-2022",
    "kumamoto-regional-welfare-plan-5",
    "kurume-child-plan-status-fy2021",
]


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "fukushi_kg", *args], cwd=cwd, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def own_build(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("own-plan") / "dist"
    built = cli("build", "--plans", str(EXAMPLE), "--dist", str(dist), "--no-reasoner", "-q")
    assert built.returncode == 0, built.stderr
    return dist


def serve(dist: Path) -> Server:
    """``fukushi-kg serve`` over ``dist`` (one worker), once it answers."""
    return start_process([sys.executable, "-m", "fukushi_kg", "serve", "--dist", str(dist), "--workers", "1"], dist)


@pytest.fixture(scope="module")
def own_server(own_build):
    srv = serve(own_build)
    with srv.client() as client:
        yield client
    stop_server(srv)


def test_the_hand_written_plan_builds_with_the_seeds_and_conforms(own_build):
    report = json.loads((own_build / "build-report.json").read_text(encoding="utf-8"))
    assert report["shacl"] == "conforms"
    assert list(report["documents"]) == [*SEEDS, DOC]
    assert report["documents"][DOC] == {
        "plans": 1,
        "components": 5,
        "listings": 6,
        "indicators": 2,
        "law_citations": 1,
    }
    assert report["graphs"][SEED_BASE + f"graph/{DOC}"] > 0
    # every document's text is copied into dist/sources/ and recorded by the name it is served by
    assert report["texts"][f"{DOC}.txt"] == DOC and set(report["texts"].values()) == {*SEEDS, DOC}
    assert sorted(p.name for p in (own_build / "sources").iterdir()) == sorted(report["texts"])
    assert (own_build / "sources" / f"{DOC}.txt").read_bytes() == (EXAMPLE / f"{DOC}.txt").read_bytes()
    # every division of the plan is one of its own organisations.toml: none minted, no warning about it
    assert not [w for w in report["warnings"] if "みどり野" in w or "not in data/reviewed" in w]


def _query(dist: Path, name: str) -> list[dict[str, str]]:
    done = cli("query", name, "--dist", str(dist), "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def test_the_named_queries_answer_with_it_as_with_the_seeds(own_build):
    programs = [r for r in _query(own_build, "programs") if r["plan"] == PLAN]
    assert [(r["place"], r["label"], r["division"], r.get("lead", ""), r.get("partners", "")) for r in programs] == [
        ("1.1", "基幹相談支援センター運営事業", "障がい福祉課", "市", "市社協"),
        ("1.1", "障がい者虐待防止事業", "障がい福祉課|福祉政策課", "市", "民生委員"),
        ("1.2", "グループホーム整備補助事業", "障がい福祉課", "市", ""),
        ("2.1", "基幹相談支援センター運営事業", "障がい福祉課", "市", "市社協"),
        ("2.1", "障がい者就労体験事業", "障がい福祉課|商工振興課", "市", "地域団体等"),
        ("2.1", "障がい者差別解消の推進", "福祉政策課", "市", "地域住民"),
    ]
    by_division = [
        r for r in _query(own_build, "programs-by-division") if r["plan_label"] == "みどり野市障がい者支援計画"
    ]
    assert {r["division"] for r in by_division} == {
        SEED_BASE + "id/org/midorino-city/disability-welfare-division",
        SEED_BASE + "id/org/midorino-city/welfare-policy-division",
        SEED_BASE + "id/org/midorino-city/commerce-industry-division",
    }
    assert len(by_division) == 8  # a listing per division: two listings have two
    indicators = {
        r["label"]: r for r in _query(own_build, "indicators") if r["plan_label"] == "みどり野市障がい者支援計画"
    }
    assert set(indicators) == {"グループホーム利用者数", "一般就労への移行者数"}
    homes = indicators["グループホーム利用者数"]
    # 2023 was not measured: the latest measured value is the baseline's, not a zero
    assert (homes["baseline_year"], homes["baseline"], homes["target"]) == ("2022", "120", "160")
    assert homes.get("latest", "") == ""
    assert indicators["一般就労への移行者数"]["latest"] == "18"
    relisted = [r for r in _query(own_build, "relisted-programs") if r["label"] == "基幹相談支援センター運営事業"]
    assert len(relisted) == 1 and relisted[0]["places"] == "1.1 (primary)|2.1 (relisting)"
    foundations = [r for r in _query(own_build, "plan-foundations") if r["plan"] == PLAN]
    assert [r["resource_label"] for r in foundations] == ["障害者基本法第11条第3項"]


def test_programs_of_two_cities_with_one_name_stay_two_programs(own_server):
    rows = select(
        own_server,
        """SELECT DISTINCT ?program ?city WHERE {
             ?listing a fk:Listing ; rdfs:label "障がい者差別解消の推進"@ja ; fk:listingOf ?program ;
                      fk:inPlan/fk:city ?city }""",
    )
    assert len(rows) == 2 and len({r["program"] for r in rows}) == 2  # one city each, never merged
    assert {r["city"].rsplit("/", 1)[-1] for r in rows} == {"kumamoto-city", "midorino-city"}


def test_its_pages_are_served(own_server):
    plan = page(own_server, PLAN)
    assert "みどり野市障がい者支援計画" in plan
    assert "障害者基本法" in section(plan, "legal-basis")
    tree = section(plan, "components")
    assert "相談支援の充実" in tree and "障がい者就労体験事業" in tree

    program = select(
        own_server,
        f"""SELECT DISTINCT ?program WHERE {{ ?program a fk:Program ; rdfs:label "基幹相談支援センター運営事業"@ja ;
                 fk:hasListing/fk:inPlan <{PLAN}> }}""",
    )
    assert len(program) == 1  # the listing and its re-listing are one program
    text = page(own_server, program[0]["program"])
    listed = section(text, "listed-in")
    assert '<span class="code">1.1</span>' in listed and '<span class="code">2.1</span>' in listed
    assert "障がい福祉課" in listed
    sources = visible(section(text, "source-lines"))
    assert "基幹相談支援センター運営事業（再２（１））" in sources  # the quoted line of the hand-written text

    listing = select(
        own_server,
        f"""SELECT ?l WHERE {{ ?l a fk:Listing ; fk:inPlan <{PLAN}> ; rdfs:label "障がい者就労体験事業"@ja }}""",
    )[0]["l"]
    summary = section(page(own_server, listing), "summary")
    assert '<span class="actor lead">◎' in summary and '<span class="actor partner">○' in summary

    indicator = PLAN + "/indicator/group-home-users"
    table = section(page(own_server, indicator), "observations")
    rows = re.findall(r"<tr class=\"([^\"]*)\">(.*?)</tr>", table, re.S)
    missing = [visible(cells).split() for cls, cells in rows if "not-measured" in cls]
    assert [cells[0] for cells in missing] == ["2023"] and "－" in missing[0]
    measured = [visible(cells).split()[0] for cls, cells in rows if "not-measured" not in cls]
    assert measured == ["2022", "2029"]

    city = page(own_server, SEED_BASE + "id/org/midorino-city")
    assert "Midorino City (fictional)" in page(own_server, SEED_BASE + "id/org/midorino-city", lang="en")
    assert "みどり野市" in city


def test_no_seeds_builds_only_ones_own_plan(tmp_path):
    built = cli("build", "--no-seeds", "--plans", str(EXAMPLE), "--dist", str(tmp_path / "d"), "--no-reasoner", "-q")
    assert built.returncode == 0, built.stderr
    report = json.loads((tmp_path / "d" / "build-report.json").read_text(encoding="utf-8"))
    assert list(report["documents"]) == [DOC] and report["shacl"] == "conforms"
    trig = (tmp_path / "d" / "fukushi-kg.trig").read_text(encoding="utf-8")
    assert f'"{EXAMPLE.relative_to(ROOT).as_posix()}/{DOC}.txt"' not in trig  # given as an absolute path
    assert f'"{EXAMPLE.as_posix()}/{DOC}.txt"' in trig  # fk:textFile: the folder as given, and its file
    assert "kumamoto-child-plan-report-fy2023" not in trig  # the seeds' documents are absent


def test_the_served_pages_quote_the_lines_of_ones_own_text(tmp_path):
    """The build serves the text of a plan folder from outside the package (its copy in
    dist/sources/, the folder may go) and the pages number its lines, blank ones included."""
    own = tmp_path / "mine" / DOC
    shutil.copytree(EXAMPLE, own)
    text = (own / f"{DOC}.txt").read_text(encoding="utf-8").splitlines()
    assert text[36] == "・障がい者差別解消の推進" and text[40] == ""  # lines 37 and 41
    listings = own / "listings.csv"  # the listing's block runs on to the blank line after it
    rows = listings.read_text(encoding="utf-8").splitlines()
    row = next(i for i, r in enumerate(rows) if ",障がい者差別解消の推進," in r)
    assert ",37,40,障がい者差別解消の推進," in rows[row]
    rows[row] = rows[row].replace(",37,40,障がい者差別解消の推進,", ",37,41,障がい者差別解消の推進,")
    listings.write_text("\n".join(rows) + "\n", encoding="utf-8")
    dist = tmp_path / "dist"
    built = cli("build", "--no-seeds", "--plans", str(own), "--dist", str(dist), "--no-reasoner", "-q")
    assert built.returncode == 0, built.stderr
    assert json.loads((dist / "build-report.json").read_text(encoding="utf-8"))["texts"] == {f"{DOC}.txt": DOC}
    shutil.rmtree(tmp_path / "mine")  # what is served is the build's copy
    srv = serve(dist)
    try:
        with srv.client() as client:
            served = client.get(f"/sources/{DOC}.txt")
            assert served.status_code == 200 and served.text.splitlines() == text
            seed = documents()[0].file
            assert client.get(f"/sources/{seed}").status_code == 404  # not a text of this build
            assert client.get("/sources/..%2Fbuild-report.json").status_code == 404
            listing = select(
                client,
                f"""SELECT ?l WHERE {{ ?l a fk:Listing ; fk:inPlan <{PLAN}> ; rdfs:label "障がい者差別解消の推進"@ja }}""",
            )[0]["l"]
            quoted = section(page(client, listing), "source-lines")
    finally:
        stop_server(srv)
    numbered = re.findall(r'<div class="line"><span class="n">(\d*)</span><span class="t">(.*?)</span></div>', quoted)
    # the block's lines as the text has them: the blank line 41 too, numbered (the quote the build
    # stored leaves blank lines out: without the text, its lines could not be numbered)
    assert numbered[-5:] == [(str(n), text[n - 1]) for n in range(37, 42)] and text[40] == ""

    published = tmp_path / "site"
    done = cli("publish", str(published), "--dist", str(dist), "--workers", "1", "--quiet")
    assert done.returncode == 0, done.stderr
    assert [p.name for p in (published / "sources").iterdir()] == [f"{DOC}.txt"]  # the recorded texts only
    assert (published / "sources" / f"{DOC}.txt").read_text(encoding="utf-8").splitlines() == text


def test_two_documents_whose_texts_share_a_name_are_refused(tmp_path):
    """A sources folder whose manifest gives two documents one text: both would be sources/<name>."""
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "plan.txt").write_text("計画\n", encoding="utf-8")
    entry = {
        "file": "plan.txt",
        "title": "計画",
        "title_en": "Plan",
        "city": None,
        "prefecture": None,
        "publisher": "みどり野市",
        "date": "2024",
        "kind": "plan",
        "layout": "generic",
    }
    manifest = {"documents": [{"id": "plan-a", **entry}, {"id": "plan-b", **entry}]}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    done = cli("build", "--sources", str(folder), "--dist", str(tmp_path / "d"), "--no-reasoner", "-q")
    assert done.returncode == 2, done.stderr
    assert "'plan.txt' of plan-b has the name of plan-a's text" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "d").exists()


def test_a_folder_that_names_no_document_and_a_duplicate_id_are_refused(tmp_path):
    stray = tmp_path / "plans" / "not-a-document"
    stray.mkdir(parents=True)
    done = cli("build", "--plans", str(tmp_path / "plans"), "--dist", str(tmp_path / "d"), "--no-reasoner", "-q")
    assert done.returncode == 1 and "not-a-document" in done.stderr and "fukushi-kg new" in done.stderr
    assert "Traceback" not in done.stderr
    done = cli(
        "build", "--plans", str(EXAMPLE), "--plans", str(EXAMPLE), "--dist", str(tmp_path / "d"), "--no-reasoner"
    )
    assert done.returncode == 2 and "used twice" in done.stderr and "Traceback" not in done.stderr
    twin = tmp_path / "twin" / "midorino-disability-plan-copy"
    shutil.copytree(EXAMPLE, twin)  # another id, but the text file keeps the example's name
    done = cli("build", "--plans", str(EXAMPLE), "--plans", str(twin.parent), "--dist", str(tmp_path / "d"))
    assert done.returncode == 2 and f"name it after the document ({twin.name}.txt)" in done.stderr


def test_lint_reads_it_as_the_build_does(tmp_path):
    """The table lint takes the folder's own description and organisations, and skips comment rows."""
    linted = cli("lint", str(EXAMPLE))
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert "graph rules not run" not in linted.stderr and "not in data/sources/manifest.json" not in linted.stderr
    folder = tmp_path / DOC
    shutil.copytree(EXAMPLE, folder)
    assert "\n#" in (folder / "plan_sdg_goals.csv").read_text(encoding="utf-8")  # an example row, commented
    with (folder / "listings.csv").open("a", encoding="utf-8") as f:
        f.write(f"#{DOC},a comment row,is,not,read\n")
    assert cli("lint", str(folder)).returncode == 0
