"""The explore pages over the real seed build: home, search, facets with CSV, dashboards, query page.

Every count a page shows is checked against an independent SPARQL query sent to /sparql (never a
number written here), and every chart and facet against the query the page itself shows.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

FK = "https://w3id.org/fukushi-kg/def/"
SEED = "https://w3id.org/fukushi-kg/"
SINGLE_PARENT = FK + "target-group/single-parent-household"
WELFARE_PLAN = SEED + "id/plan/kumamoto-regional-welfare-plan-5"


def select(server, query: str) -> list[dict]:
    r = httpx.get(
        server.url + "/sparql",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert r.status_code == 200, r.text
    return [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]


def get(server, path: str, **params) -> httpx.Response:
    return httpx.get(server.url + path, params=params, timeout=60)


def shown_queries(page: str) -> list[str]:
    """The SPARQL texts a page shows (its <pre class="sparql"> blocks)."""
    return [html.unescape(q) for q in re.findall(r'<pre class="sparql"><code>(.*?)</code></pre>', page, re.S)]


def query_links(page: str) -> list[str]:
    return [
        parse_qs(urlsplit(html.unescape(h)).query)["query"][0]
        for h in re.findall(r'href="(/query\?query=[^"]+)"', page)
    ]


@pytest.fixture(scope="module")
def home_ja(seed_server) -> str:
    r = get(seed_server, "/", lang="ja")
    assert r.status_code == 200
    return r.text


def test_home_lists_plans_with_periods_and_counts_from_the_graph(seed_server, home_ja):
    listings = select(
        seed_server,
        f"SELECT (COUNT(DISTINCT ?l) AS ?n) WHERE {{ ?l a <{FK}Listing> ; <{FK}inPlan> <{WELFARE_PLAN}> }}",
    )[0]["n"]
    rows = re.findall(r"<tr><td><a href=\"(/id/plan/[^\"]+)\">([^<]+)</a>.*?</tr>", home_ja, re.S)
    plans = {path: label for path, label in rows}
    assert plans["/id/plan/kumamoto-regional-welfare-plan-5"] == "第５次熊本市地域福祉計画・熊本市地域福祉活動計画"
    welfare_row = re.search(r'<tr><td><a href="/id/plan/kumamoto-regional-welfare-plan-5">.*?</tr>', home_ja, re.S)[0]
    assert "2025–2031" in welfare_row and f'<td class="num">{listings}</td>' in welfare_row
    assert "/dashboards/kumamoto-regional-welfare-plan-5" in welfare_row
    assert not re.search(r"/date/\d", home_ja)  # no raw IRIs of date nodes
    documents = select(seed_server, f"SELECT ?d WHERE {{ ?d a <{FK}SourceDocument> ; <{FK}documentKind> ?k }}")
    for d in documents:
        assert f'href="/{d["d"][len(SEED) :]}"' in home_ja


def test_home_offers_the_named_queries_and_ways_in_by_group_division_sdg_and_law(seed_server, home_ja):
    assert 'href="/query?name=single-parent-programs&amp;run=1"' in home_ja
    assert "/programs?" + urlencode([("group", SINGLE_PARENT), ("lang", "ja")]).replace("&", "&amp;") in home_ja
    assert (
        "/programs?" + urlencode([("sdg", "http://metadata.un.org/sdg/1"), ("lang", "ja")]).replace("&", "&amp;")
        in home_ja
    )
    assert 'href="/id/org/kumamoto-city/child-support-division"' not in home_ja  # divisions open the facet page
    assert (
        "/programs?division=https%3A%2F%2Fw3id.org%2Ffukushi-kg%2Fid%2Forg%2Fkumamoto-city%2Fchild-support-division"
        in home_ja
    )
    assert re.search(r'href="/eli/jp/act/1951/45"[^>]*>社会福祉法</a>', home_ja)
    # each section's query, as shown, answers with the rows the section lists
    texts = shown_queries(home_ja)
    assert len(texts) == 6 and all(q in query_links(home_ja) for q in texts)
    groups = next(q for q in texts if "servesTargetGroup ?group" in q)
    listed = select(seed_server, groups)
    assert any(r["group"] == SINGLE_PARENT for r in listed)


def test_home_speaks_english_from_the_catalogue(seed_server):
    en = get(seed_server, "/", lang="en").text
    ja = get(seed_server, "/", lang="ja").text
    assert '<h2 id="plans">Plans</h2>' in en and '<h2 id="plans">計画</h2>' in ja
    assert "Kumamoto City 5th Regional Welfare Plan" in en
    assert "計画期間" in ja and "Period" in en


def test_search_is_width_insensitive_and_highlights_the_printed_text(seed_server):
    page = get(seed_server, "/search", q="第5次", lang="ja").text
    first = re.search(r'<ol class="results" id="search-results">\s*<li><a href="([^"]+)">(.*?)</a>', page, re.S)
    assert first is not None
    href, name = html.unescape(first[1]), first[2]
    assert href.startswith("/id/plan/kumamoto-regional-welfare-plan-5?")
    assert parse_qs(urlsplit(href).query)["hl"] == ["第5次"]
    assert name.startswith("<mark>第５次</mark>熊本市地域福祉計画")
    # half-width katakana and full-width Latin find the printed forms too
    assert get(seed_server, "/search", q="ｻﾎﾟｰﾄｾﾝﾀｰ").text.count("<li>") >= 1
    wide = get(seed_server, "/search", q="ＮＰＯ").text
    assert "<mark>NPO</mark>" in wide or "<mark>ＮＰＯ</mark>" in wide


def test_search_finds_every_program_by_part_of_its_name(seed_server):
    programs = select(
        seed_server,
        f"SELECT ?p (MIN(?l) AS ?label) WHERE {{ ?p a <{FK}Program> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"
        " GROUP BY ?p ORDER BY ?p",
    )
    assert len(programs) > 300
    for row in programs[::37]:  # a spread of programs; the middle of each name, as a person would type it
        label = row["label"]
        part = label[len(label) // 4 : len(label) // 4 + max(2, len(label) // 2)]
        page = get(seed_server, "/search", q=part).text
        assert f'href="/{row["p"][len(SEED) :]}?' in page, (label, part)


def test_search_needs_every_word_and_bounds_the_query(seed_server):
    both = get(seed_server, "/search", q="ひとり親 就労").text
    only = get(seed_server, "/search", q="ひとり親").text
    count = lambda page: int(re.search(r'id="search-count" role="status">(\d+)', page)[1])  # noqa: E731
    assert 0 < count(both) < count(only)
    assert get(seed_server, "/search", q="").status_code == 200
    long = get(seed_server, "/search", q="あ" * 201)
    assert long.status_code == 400 and "at most 200" in long.text


def test_facets_filter_count_and_download_what_is_shown(seed_server):
    expected = {
        r["p"]
        for r in select(
            seed_server,
            f"SELECT DISTINCT ?p WHERE {{ ?p a <{FK}Program> ; <{FK}servesTargetGroup> <{SINGLE_PARENT}> }}",
        )
    }
    page = get(seed_server, "/programs", group=SINGLE_PARENT, lang="ja").text
    assert f'id="program-count" role="status">事業 {len(expected)} 件' in page
    rows = re.findall(r'<tr><td><a href="(/id/program/[^"]+)">', page)
    assert {SEED + r[1:] for r in rows} == expected
    # the query shown is the query that gives these programs
    shown = shown_queries(page)[0]
    assert f"FILTER EXISTS {{ ?program fk:servesTargetGroup <{SINGLE_PARENT}> }}" in shown
    assert {r["program"] for r in select(seed_server, shown)} == expected
    # the counts of another facet are over the programs shown
    welfare = re.search(
        r'<a href="[^"]*plan=https%3A%2F%2Fw3id.org%2Ffukushi-kg%2Fid%2Fplan%2Fkumamoto-regional-welfare-plan-5[^"]*">[^<]+</a> <span class="count">(\d+)</span>',
        page,
    )
    both = select(
        seed_server,
        f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p <{FK}servesTargetGroup> <{SINGLE_PARENT}> ; <{FK}hasListing>/<{FK}inPlan> <{WELFARE_PLAN}> }}",
    )[0]["n"]
    assert welfare is not None and welfare[1] == both
    narrowed = get(seed_server, "/programs", group=SINGLE_PARENT, plan=WELFARE_PLAN).text
    assert len(re.findall(r'<tr><td><a href="/id/program/', narrowed)) == int(both)
    # CSV of what is shown: one row per program, the target group column naming the group
    body = get(seed_server, "/programs.csv", group=SINGLE_PARENT, lang="ja")
    assert body.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(body.text)))
    assert {r["program"] for r in table} == expected
    assert all("ひとり親家庭" in r["group"].split("|") for r in table)


def test_facets_refuse_what_is_not_an_iri(seed_server):
    r = get(seed_server, "/programs", group="<x> } DROP ALL {")
    assert r.status_code == 400 and "not an IRI" in r.text


def test_plan_dashboard_draws_every_indicator_series_as_svg_with_its_query(seed_server):
    key = "kurume-child-smile-plan-2"
    series = select(
        seed_server,
        "PREFIX qb: <http://purl.org/linked-data/cube#> "
        f"SELECT DISTINCT ?i ?s WHERE {{ ?i a <{FK}Indicator> ; <{FK}inPlan> <{SEED}id/plan/{key}> . "
        f"?o qb:dataSet ?i OPTIONAL {{ ?o <{FK}series> ?x }} BIND (COALESCE(STR(?x), '') AS ?s) }}",
    )
    page = get(seed_server, f"/dashboards/{key}", lang="en").text
    figures = re.findall(r'<figure class="indicator">(.*?)</figure>', page, re.S)
    assert len(figures) == len(series) > 0
    for f in figures:
        assert '<svg class="chart"' in f and 'role="img"' in f and "<title " in f
        assert 'class="chart-query" href="/query?query=' in f  # each chart links to the query behind it
        assert re.search(r'class="status (yes|no|unknown)"', f)
    # an indicator with a baseline, actuals and target: 待機児童数 54 (R1) → 35 (R3) → 0 (R6) is behind
    waiting = next(f for f in figures if "待機児童数" in f)
    assert 'class="status no"' in waiting and "<rect" in waiting and waiting.count("<circle") == 3
    text = shown_queries(page)[0]
    assert f"<{SEED}id/plan/{key}>" in text and text in query_links(page)
    assert len(select(seed_server, text)) >= len(series)


def test_plan_dashboard_grades_per_measure_match_the_graph(seed_server):
    key = "kumamoto-child-future-action-plan"
    grades = select(
        seed_server,
        f"SELECT ?g (COUNT(?l) AS ?n) WHERE {{ ?l a <{FK}Listing> ; <{FK}inPlan> <{SEED}id/plan/{key}> ; "
        f"<{FK}selfEvaluation>/<http://www.w3.org/2004/02/skos/core#notation> ?g }} GROUP BY ?g",
    )
    page = get(seed_server, f"/dashboards/{key}").text
    section = re.search(r'<section id="grades".*?</section>', page, re.S)[0]
    assert section.count('<svg class="chart"') == 1 and 'class="chart-query" href="/query?query=' in section
    cells = re.findall(r"<tr><td><a [^>]+>[^<]+</a></td>((?:<td class=\"num\">\d+</td>)+)</tr>", section)
    totals = [
        sum(int(n) for n in re.findall(r">(\d+)<", row.split("</td>")[i] + "</td>")) for row in cells for i in range(4)
    ]
    by_grade = {g: sum(totals[j] for j in range(i, len(totals), 4)) for i, g in enumerate("ABCD")}
    assert {g: n for g, n in by_grade.items() if n} == {r["g"]: int(r["n"]) for r in grades}


def test_results_report_dashboard_sums_spending_once_per_reporting_division(seed_server):
    rows = select(
        seed_server,
        f"SELECT ?r ?yen (GROUP_CONCAT(STR(?f)) AS ?flags) WHERE {{ ?r a <{FK}ProgramResult> ; <{FK}amountYen> ?yen "
        f"OPTIONAL {{ ?r <{FK}flag>/<http://www.w3.org/2004/02/skos/core#notation> ?f }} }} GROUP BY ?r ?yen",
    )
    assert sum("再掲" in r.get("flags", "") for r in rows) == 1  # 001 flags one entry 再掲
    expected = sum(int(r["yen"]) for r in rows if "再掲" not in r.get("flags", "")) // 1000
    page = get(seed_server, "/dashboards/kumamoto-welfare-results-fy2023", lang="en").text
    assert f"Total: {expected:,} thousand yen" in page
    amounts = re.findall(r'<tr><td>[^<]+</td><td class="num">([\d,]+)</td></tr>', page)
    assert sum(int(a.replace(",", "")) for a in amounts) == expected
    assert page.count('<svg class="chart"') == 1
    assert get(seed_server, "/dashboards/no-such-plan").status_code == 404


def test_query_page_carries_the_query_and_the_ontology_vocabulary(seed_server):
    text = "SELECT ?p WHERE { ?p a fk:Program } LIMIT 3"
    page = get(seed_server, "/query", query=text).text
    assert (
        f'spellcheck="false" aria-label="SPARQL クエリ">{html.escape(text)}</textarea>' in page
        or html.escape(text) in page
    )
    vocabulary = json.loads(
        html.unescape(re.search(r'<script type="application/json" id="vocabulary">(.*?)</script>', page, re.S)[1])
    )
    assert vocabulary["prefixes"]["fk"] == FK
    names = {t["name"]: t["kind"] for t in vocabulary["terms"]}
    assert names["fk:Program"] == "class" and names["fk:servesTargetGroup"] == "property"
    assert '<script src="/static/vendor/codemirror/sparql-editor.js"></script>' in page
    named = get(seed_server, "/query", name="spending").text
    assert "fk:ProgramResult" in html.unescape(named) and '<option value="spending" ' in named
