"""The specific sections of the linked-data pages, on a real build of the seed documents.

The service runs as a subprocess over the session's seed build (``seed_build``); every IRI is
found by a SPARQL query against it, none is hard-coded.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import pytest
from markupsafe import escape

sys.path.insert(0, str(Path(__file__).parent))
from conftest import FK, MARKUP, SEED_BASE  # noqa: E402

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PREFIXES = f"""PREFIX fk: <{FK}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX qb: <http://purl.org/linked-data/cube#>
"""


def select(client, query: str) -> list[dict[str, str]]:
    response = client.get(
        "/sparql", params={"query": PREFIXES + query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


def path_of(iri: str, base: str = SEED_BASE) -> str:
    assert iri.startswith(base), iri
    return "/" + iri[len(base) :]


def page(client, iri: str, lang: str = "ja", base: str = SEED_BASE) -> str:
    response = client.get(path_of(iri, base), params={"lang": lang}, headers={"Accept": BROWSER})
    assert response.status_code == 200, response.text[:2000]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def section(text: str, ident: str) -> str:
    """The HTML of ``<section id=ident>`` (sections do not nest)."""
    match = re.search(rf'<section id="{ident}"[^>]*>(.*?)</section>', text, re.S)
    assert match, f"no section #{ident}"
    return match.group(1)


def visible(fragment: str) -> str:
    """Text of an HTML fragment, tags dropped and entities decoded, whitespace collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment)))


@pytest.fixture(scope="module")
def seed(seed_server):
    with seed_server.client() as c:
        yield c


@pytest.fixture(scope="module")
def learning_support(seed) -> str:
    rows = select(seed, 'SELECT ?p WHERE { ?p a fk:Program ; rdfs:label "こどもの学習支援事業"@ja }')
    assert len({r["p"] for r in rows}) == 1, rows
    return rows[0]["p"]


def test_program_page_lists_every_place_division_evidence_and_source_line(seed, learning_support):
    listings = select(
        seed,
        f"""
        SELECT ?listing ?plan ?plan_label WHERE {{
          <{learning_support}> fk:hasListing ?listing . ?listing fk:inPlan ?plan .
          ?plan rdfs:label ?plan_label FILTER(lang(?plan_label) = "ja")
        }}""",
    )
    plans = {r["plan"] for r in listings}
    assert len(listings) == 3 and len(plans) == 2  # 1.1.1 and 2.1.3 in the child plan, one in the welfare plan

    text = page(seed, learning_support)
    assert "<h1>こどもの学習支援事業</h1>" in text
    listed = section(text, "listed-in")
    for row in listings:
        assert f'href="{path_of(row["listing"])}"' in listed
        assert str(escape(row["plan_label"])) in listed
    assert '<span class="code">1.1.1</span>' in listed and '<span class="code">2.1.3</span>' in listed
    welfare = next(r for r in listings if "welfare" in r["plan"])
    place = select(
        seed,
        f"""
        SELECT ?code ?viewpoint WHERE {{ <{welfare["listing"]}> fk:listedUnder ?c . ?c skos:notation ?code .
          OPTIONAL {{ ?c fk:parentComponent/skos:notation ?viewpoint }} }}""",
    )[0]
    assert f'<span class="code">{place["viewpoint"]}/{place["code"]}</span>' in listed
    assert "保護管理援護課" in listed
    assert "◎" in listed  # the welfare plan's lead actor column

    evidence = section(text, "target-groups")
    assert evidence.count('class="evidence-row"') >= 3
    assert "<mark>" in evidence and 'class="lines"' in evidence

    sources = section(text, "source-lines")
    assert '<span class="n">128</span><span class="t">こどもの学習支援事業（再2.1.3）</span>' in sources
    assert "kumamoto-child-plan-report-fy2023, 128–128行" in visible(sources)
    assert 'href="/id/document/kumamoto-child-plan-report-fy2023/lines/128-128"' in sources
    assert "熊本市子どもの未来応援アクションプラン" in visible(sources)  # the document's title

    assert "reviewed-table" in section(text, "identity") or "name" in section(text, "identity")
    assert section(text, "metric-tables").count("<tr>") >= 2
    assert text.index('id="source-lines"') < text.index('id="properties"')  # generic table stays below

    english = page(seed, learning_support, lang="en")
    assert "kumamoto-child-plan-report-fy2023, lines 128–128" in visible(section(english, "source-lines"))


def test_welfare_listing_page_shows_lead_and_partner_actors(seed):
    row = select(
        seed,
        """
        SELECT ?listing ?lead ?partner WHERE {
          ?listing a fk:Listing ; fk:leadActor ?l ; fk:partnerActor ?p ; fk:activityUnit ?u .
          ?l skos:prefLabel ?lead FILTER(lang(?lead) = "ja")
          ?p skos:prefLabel ?partner FILTER(lang(?partner) = "ja")
        } ORDER BY ?listing LIMIT 1""",
    )[0]
    summary = section(page(seed, row["listing"]), "summary")
    assert re.search(r'<span class="actor lead">◎ <a [^>]*>' + re.escape(row["lead"]) + "</a>", summary)
    assert re.search(r'<span class="actor partner">○ <a [^>]*>' + re.escape(row["partner"]) + "</a>", summary)


def test_indicator_page_shows_a_dash_for_a_year_not_measured(seed):
    row = select(
        seed,
        f"""
        SELECT ?indicator ?year WHERE {{
          ?obs fk:observationStatus <{FK}observation-status/not-measured> ; qb:dataSet ?indicator ; fk:refYear ?year .
          ?indicator a fk:Indicator .
        }} ORDER BY ?indicator LIMIT 1""",
    )[0]
    table = section(page(seed, row["indicator"]), "observations")
    rows = re.findall(r"<tr class=\"([^\"]*)\">(.*?)</tr>", table, re.S)
    missing = [cells for cls, cells in rows if "not-measured" in cls]
    assert missing and all(visible(cells).split()[0] == row["year"] for cells in missing)
    for cells in missing:
        value = re.search(r'<td class="num value">(.*?)</td>', cells, re.S).group(1)
        assert visible(value).strip() == "－"
    measured = [cells for cls, cells in rows if "not-measured" not in cls]
    assert measured and all(
        visible(re.search(r'<td class="num value">(.*?)</td>', c, re.S).group(1)).strip() != "－" for c in measured
    )


def test_plan_component_and_span_pages(seed):
    plan = select(seed, "SELECT ?plan WHERE { ?plan a fk:Plan ; fk:legalBasis ?law ; fk:sdgGoal ?g } LIMIT 1")[0][
        "plan"
    ]
    text = page(seed, plan)
    assert "社会福祉法" in section(text, "legal-basis")
    assert "貧困をなくそう" in section(text, "sdgs")
    tree = section(text, "components")
    count = int(select(seed, f"SELECT (COUNT(?l) AS ?n) WHERE {{ ?l a fk:Listing ; fk:inPlan <{plan}> }}")[0]["n"])
    assert tree.count('<ul class="listing-list">') > 5 and f"({count} " in tree
    component = select(seed, """SELECT ?c WHERE { ?c a fk:Measure ; skos:notation "2.1.3" }""")[0]["c"]
    under = section(page(seed, component), "listings-under")
    assert "こどもの学習支援事業" in under and "保護管理援護課" in under
    span = page(seed, SEED_BASE + "id/document/kumamoto-child-plan-report-fy2023/lines/128-128")
    assert '<span class="n">128</span>' in section(span, "quote")
    cited = section(span, "cited-by")
    assert "/target-group/children/name" in cited and "/listing/1.1.1-2" in cited


def test_markup_in_labels_and_quotes_is_shown_as_text(markup_server):
    with markup_server.client() as client:
        text = client.get("/id/program/p/1-1", headers={"Accept": BROWSER}).text
        listing = client.get("/id/plan/p/listing/1-1", headers={"Accept": BROWSER}).text
        span = client.get("/id/document/d/lines/3-3", headers={"Accept": BROWSER}).text
    for body in (text, listing, span):
        assert "<script>" not in body and "<b>太字</b>" not in body and "<img" not in body
        assert "<em>" not in body and "<u>x</u>" not in body and "<s>x</s>" not in body
        assert not re.search(r"<a[^>]+href=['\"]?javascript:", body)
    escaped = str(escape(MARKUP))  # as the templates escape it
    assert f"<h1>{escaped}</h1>" in text
    assert escaped in section(text, "listed-in") and "&lt;em&gt;課&lt;/em&gt;" in section(text, "listed-in")
    assert "&lt;script&gt;こども&lt;/script&gt;" in section(text, "target-groups")
    assert f'<span class="t">{escaped}（再2.1）</span>' in section(text, "source-lines")
    assert "&lt;img src=x onerror=alert(1)&gt;" in section(text, "names")
    assert "&lt;a href=&#39;javascript:alert(1)&#39;&gt;x&lt;/a&gt;" in section(listing, "summary")


def test_every_page_query_parses_and_every_kind_has_a_template():
    import pyoxigraph as ox

    from fukushi_kg.service import pagedata, profiles

    store = ox.Store()
    kinds = {kind for kind, _ in pagedata.KINDS}
    first_class = {}
    for kind, cls in pagedata.KINDS:
        first_class.setdefault(kind, cls)
    assert kinds == set(profiles.BUILDERS)
    templates = Path(profiles.__file__).parent / "templates" / "sections"
    for kind in kinds:
        assert (templates / f"{kind}.html").is_file(), kind
        got = pagedata.page_data(store, "https://example.org/x", {first_class[kind]}, lambda iri: f"<{iri}>")
        assert got == {"kind": kind, "triples": []}
    assert "$spans" in pagedata.query_text("spans")


def test_metric_table_page(seed):
    table = select(seed, "SELECT ?t WHERE { ?t a fk:MetricTable } ORDER BY ?t LIMIT 1")[0]["t"]
    body = section(page(seed, table), "metric-table")
    assert body.count("<tr>") >= 2 and 'class="lines"' in body


def test_an_indicator_with_two_series_shows_which_value_is_which(seed):
    """Kurume's 自分にはよいところ… is one indicator with a 小学６年 and a 中学３年 series."""
    row = select(
        seed,
        """
        SELECT ?indicator (COUNT(DISTINCT ?series) AS ?n) WHERE {
          ?obs qb:dataSet ?indicator ; fk:series ?series . ?indicator a fk:Indicator .
        } GROUP BY ?indicator HAVING (COUNT(DISTINCT ?series) > 1) LIMIT 1""",
    )[0]
    table = section(page(seed, row["indicator"]), "observations")
    rows = re.findall(r"<tr class=\"([^\"]*)\">(.*?)</tr>", table, re.S)
    firsts = {visible(cells).split()[0] for _, cells in rows}
    assert len(firsts) == int(row["n"]) and all(not f.isdigit() for f in firsts), firsts
