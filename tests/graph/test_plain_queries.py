"""Questions a researcher writes as plain SPARQL from the ontology and the README (issue 15):
each answered on the seed build, with plain literals, without lang() or NFKC in the query."""

from __future__ import annotations

import subprocess
import sys

import pytest

from fukushi_kg.graph.queries import QueryError, find_query, iter_rows, run

PREFIXES = """PREFIX fk: <https://w3id.org/fukushi-kg/def/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


def rows(store, text: str) -> list[dict[str, str]]:
    variables, found = run(store, PREFIXES + text)
    return [{v: (t.value if t is not None else "") for v, t in zip(variables, r)} for r in found]


def one(store, text: str) -> str:
    (row,) = rows(store, text)
    (value,) = row.values()
    return value


def test_codes_match_plain_literals_through_their_notation(seed_store):
    assert (
        one(seed_store, 'SELECT (COUNT(?r) AS ?n) WHERE { ?r a fk:ProgramResult ; fk:flag/skos:notation "新規" }')
        == "7"
    )
    assert one(seed_store, 'SELECT (COUNT(?l) AS ?n) WHERE { ?l a fk:Listing ; fk:flag/skos:notation "新規" }') == "2"
    assert one(seed_store, 'SELECT (COUNT(?r) AS ?n) WHERE { ?r fk:qualifier/skos:notation "扶助費のみ" }') == "1"
    assert one(seed_store, 'SELECT (COUNT(?l) AS ?n) WHERE { ?l fk:selfEvaluation/skos:notation "A" }') == "19"
    initiatives = 'SELECT (COUNT(?i) AS ?n) WHERE { ?i fk:initiativeLevel/skos:notation "item" }'
    assert one(seed_store, initiatives) == "16"
    # a printed cell is a plain string: the series and the division as printed match without @ja
    assert one(seed_store, 'SELECT (COUNT(?o) AS ?n) WHERE { ?o fk:series "小学６年" }') == "4"
    printed = 'SELECT (COUNT(?r) AS ?n) WHERE { ?r fk:divisionAsPrinted "介護保険課・介護事業指導課" }'
    assert one(seed_store, printed) == "4"


def test_no_coded_or_printed_cell_carries_a_language_tag_and_every_code_has_a_notation(seed_store):
    tagged = """SELECT ?s ?p ?o WHERE {
      VALUES ?p { fk:flag fk:qualifier fk:series fk:divisionAsPrinted fk:matchedText fk:comparedName
                  fk:initiativeLevel fk:evidenceKind fk:dateRole fk:datePrecision }
      ?s ?p ?o FILTER (isLiteral(?o) && (lang(?o) != "" || ?p IN (fk:flag, fk:qualifier, fk:initiativeLevel)))
    } LIMIT 5"""
    assert rows(seed_store, tagged) == []
    unnoted = """SELECT DISTINCT ?c WHERE { ?c a skos:Concept . FILTER NOT EXISTS { ?c skos:notation ?n } }"""
    assert rows(seed_store, unnoted) == []


def test_search_labels_are_width_insensitive(seed_store):
    plan = one(
        seed_store,
        'SELECT ?p WHERE { ?p a fk:Plan ; fk:searchLabel ?s FILTER (CONTAINS(?s, "第5次熊本市地域福祉計画")) }',
    )
    assert plan.endswith("/id/plan/kumamoto-regional-welfare-plan-5")
    # the printed label keeps the full-width digit
    assert "第５次" in one(seed_store, f'SELECT ?l WHERE {{ <{plan}> rdfs:label ?l FILTER (lang(?l) = "ja") }}')
    # a citation printed 社会福祉法第１０７条 and the article resource 社会福祉法第107条 meet on their search labels
    same = rows(
        seed_store,
        """SELECT DISTINCT ?citation ?article WHERE {
          ?citation fk:citedLaw ?article ; fk:searchLabel ?s . ?article fk:searchLabel ?s .
          FILTER (?s = "社会福祉法第107条") }""",
    )
    assert same and all(r["article"].endswith("/eli/jp/act/1951/45/art_107") for r in same)
    # every label but the source spans' locators has its search form
    missing = """SELECT ?x WHERE { ?x rdfs:label|skos:prefLabel|skos:altLabel ?l .
      FILTER NOT EXISTS { ?x a fk:SourceSpan } FILTER NOT EXISTS { ?x fk:searchLabel ?s }
      FILTER NOT EXISTS { GRAPH <https://w3id.org/fukushi-kg/graph/ontology> { ?x ?p ?o } } } LIMIT 5"""
    assert rows(seed_store, missing) == []


def test_articles_and_paragraphs_carry_their_numbers_act_and_egov_id(seed_store):
    art = rows(
        seed_store,
        """SELECT DISTINCT ?p ?act WHERE { ?p a fk:Article ; fk:articleNumber 107 ; fk:act ?act ;
             fk:egovLawId "326AC0000000045" }""",
    )
    assert [r["act"] for r in art] == ["https://w3id.org/fukushi-kg/eli/jp/act/1951/45"]
    par = rows(
        seed_store,
        """SELECT DISTINCT ?p ?a ?n WHERE { ?p a fk:Paragraph ; fk:articleNumber ?a ; fk:paragraphNumber ?n ;
             fk:act/fk:egovLawId "326AC0000000045" } ORDER BY ?a ?n""",
    )
    assert ("11", "7") in {(r["a"], r["n"]) for r in par}
    assert all(r["p"].endswith(f"/art_{r['a']}/par_{r['n']}") for r in par)


def test_joint_division_is_one_reporting_unit_so_sums_by_unit_are_right(seed_store):
    by_unit = rows(
        seed_store,
        """SELECT ?unit (SUM(?a) AS ?total) WHERE {
          { SELECT DISTINCT ?r ?unit ?a WHERE { ?r fk:reportingUnit ?unit ; fk:amount ?a } } } GROUP BY ?unit""",
    )
    assert sum(int(r["total"]) for r in by_unit) == 63_508_087
    joint = rows(
        seed_store,
        """SELECT DISTINCT ?unit ?label ?member WHERE { ?unit a fk:JointReportingUnit ; skos:prefLabel ?label ;
             fk:memberDivision/skos:prefLabel ?member }""",
    )
    assert {r["label"] for r in joint} == {"介護保険課・介護事業指導課"}
    assert {r["member"] for r in joint} == {"介護保険課", "介護事業指導課"}
    # what the README warns of: grouped by member division, the joint amounts count twice
    by_division = """SELECT (SUM(?a) AS ?t) WHERE {
      { SELECT DISTINCT ?r ?d ?a WHERE { ?r a fk:ProgramResult ; fk:responsibleDivision ?d ; fk:amount ?a } } }"""
    assert one(seed_store, by_division) == "63998493"
    spending = list(iter_rows(seed_store, "spending"))
    per_division: dict[str, int] = {}
    for r in spending:
        per_division[r["division"]] = per_division.get(r["division"], 0) + int(r["amount_yen"] or 0)
    assert sum(per_division.values()) == 63_508_087_000
    assert per_division["介護保険課・介護事業指導課"] == 490_406_000


def test_single_parent_reading_is_a_parameter(seed_store):
    broad = {r["label"] for r in iter_rows(seed_store, "single-parent-programs")}
    strict = {r["label"] for r in iter_rows(seed_store, "single-parent-programs", reading="strict")}
    assert broad == {r["label"] for r in iter_rows(seed_store, "single-parent-programs", reading="broad")}
    # the job fair counts only by the heading it is listed under (ひとり親家庭等の就労支援)
    assert broad - strict == {"人手不足・多様な働き方支援就職面談会事業"}
    assert strict < broad and "児童扶養手当給付事業" in strict
    both = {r["label"] for r in iter_rows(seed_store, "single-parent-programs-both-plans", reading="strict")}
    assert both <= strict and len(both) == 4
    q = find_query("single-parent-programs")
    assert [(p.name, p.choices) for p in q.parameters] == [("reading", ("broad", "strict"))]
    with pytest.raises(QueryError, match="broad, strict"):
        q.bind({"reading": "loose"})
    with pytest.raises(QueryError, match="no parameter 'depth'"):
        q.bind({"depth": "1"})


def test_cli_query_parameter(seed_build):
    dist = str(seed_build[0])
    cmd = [sys.executable, "-m", "fukushi_kg", "query", "single-parent-programs", "--dist", dist, "-f", "csv"]
    strict = subprocess.run([*cmd, "--param", "reading=strict"], capture_output=True, text=True)
    assert strict.returncode == 0, strict.stderr
    assert len(strict.stdout.splitlines()) == 1 + 18
    bad = subprocess.run([*cmd, "--param", "reading=loose"], capture_output=True, text=True)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "broad, strict" in bad.stderr


def test_indicators_without_a_printed_baseline_use_the_earliest_actual_marked(seed_store):
    marked = rows(seed_store, "SELECT ?o ?y WHERE { ?o fk:usedAsBaseline true ; fk:refYear ?y } ORDER BY ?o")
    assert [r["o"].rsplit("/", 2)[-2:] for r in marked] == [["ch4-1", "actual-2023"], ["ch4-2", "actual-2023"]]
    indicators = list(iter_rows(seed_store, "indicators"))
    stand_ins = [r for r in indicators if r["baseline_kind"] == "earliest actual"]
    assert {r["label"] for r in stand_ins} == {"成年後見制度利用者数", "市民後見人の対応ケース数"}
    guardianship = next(r for r in stand_ins if r["label"] == "成年後見制度利用者数")
    assert (guardianship["baseline_year"], guardianship["baseline"]) == ("2023", "1544")
    assert guardianship["on_track"] == ""  # the only actual is the reference itself: nothing to judge
    assert all(r["baseline_kind"] in ("printed", "earliest actual") for r in indicators)


def test_sakai_single_parent_initiative_has_no_component_start_date(seed_store):
    sakai = rows(
        seed_store,
        """SELECT ?i ?start WHERE { ?i a fk:CityInitiative ; rdfs:label "ひとり親家庭への自立支援施策"@ja .
             OPTIONAL { ?i fk:startDate ?start } }""",
    )
    assert [r["start"] for r in sakai] == [""]
    mentioned = rows(
        seed_store,
        """SELECT ?d WHERE { ?i rdfs:label "ひとり親家庭への自立支援施策"@ja ; fk:statedDate ?s .
             ?s fk:valueAsPrinted "本年10月から" ; <http://purl.org/dc/terms/date> ?d }""",
    )
    assert [r["d"] for r in mentioned] == ["2022-10"]  # kept as a stated date of its component


def test_merged_program_label_by_rule_and_every_printed_name_as_alt_label(seed_store):
    found = rows(
        seed_store,
        """SELECT DISTINCT ?p ?label ?alt WHERE { ?p a fk:Program ; rdfs:label ?label ; skos:altLabel ?alt ;
             fk:searchLabel ?s FILTER (CONTAINS(?s, "サポートンター")) }""",
    )
    assert [(r["label"], r["alt"]) for r in found] == [
        ("こどもの権利サポートセンター開設準備経費", "こどもの権利サポートンター開設準備経費")
    ]
    one_label = "SELECT ?p WHERE { ?p a fk:Program ; rdfs:label ?a, ?b FILTER (?a != ?b) } LIMIT 1"
    assert rows(seed_store, one_label) == []


def test_report_years_and_listing_places(seed_store):
    years = rows(seed_store, "SELECT ?d ?y WHERE { ?d a fk:SourceDocument ; fk:reportYear ?y } ORDER BY ?d")
    assert {(r["d"].rsplit("/", 1)[-1], r["y"]) for r in years} == {
        ("kumamoto-child-plan-report-fy2023", "2023"),
        ("kumamoto-welfare-results-fy2023", "2023"),
        ("kurume-child-plan-status-fy2021", "2021"),
    }
    place = one(
        seed_store,
        'SELECT ?place WHERE { ?l a fk:Listing ; rdfs:label "市民活動支援センター事業"@ja ; fk:placeInPlan ?place }',
    )
    assert place == "Ⅰ-1/1"
    assert rows(seed_store, "SELECT ?l WHERE { ?l a fk:Listing ; skos:notation ?n } LIMIT 1") == []
