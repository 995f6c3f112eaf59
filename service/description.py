"""Machine-readable descriptions: the SPARQL Service Description and the VoID + DCAT-AP dataset description."""

from __future__ import annotations

import pyoxigraph as ox

from fukushi_kg import __version__
from fukushi_kg.graph import publish
from fukushi_kg.service import formats
from fukushi_kg.service.dataset_facts import LINK_TARGETS, Facts
from fukushi_kg.service.runtime import Runtime

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
FORMATS = "http://www.w3.org/ns/formats/"
FOAF = "http://xmlns.com/foaf/0.1/"
VCARD = "http://www.w3.org/2006/vcard/ns#"
SPDX = "http://spdx.org/rdf/terms#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCATAP = "http://data.europa.eu/r5r/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
EU = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"
PREFIXES = {
    "sd": SD,
    "void": VOID,
    "dcat": DCAT,
    "dct": DCT,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "formats": FORMATS,
    "foaf": FOAF,
    "vcard": VCARD,
    "spdx": SPDX,
    "skos": SKOS,
    "dcatap": DCATAP,
}
CC_BY = "https://creativecommons.org/licenses/by/4.0/"

RESULT_FORMATS = [
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
    "TriG",
]
DUMPS = {"trig": formats.TRIG, "nt": formats.NTRIPLES, "nq": formats.NQUADS, "jsonld": formats.JSONLD}
FILE_TYPES = {"trig": "RDF_TRIG", "nt": "RDF_N_TRIPLES", "nq": "RDF_N_QUADS", "jsonld": "JSON_LD"}
FORMAT_NAMES = {"trig": "TriG", "nt": "N-Triples", "nq": "N-Quads", "jsonld": "JSON-LD"}
GEONAMES_JAPAN = "https://sws.geonames.org/1861060/"
FIRST_RELEASE = "2026-11-24"  # fukushi-kg 0.1.0 (CHANGELOG.md), the first release that served the dataset
KEYWORDS = [
    ("福祉", "ja"),
    ("子ども・子育て支援", "ja"),
    ("地域福祉計画", "ja"),
    ("自治体", "ja"),
    ("行政計画", "ja"),
    ("welfare", "en"),
    ("child support", "en"),
    ("municipal plans", "en"),
    ("local government", "en"),
    ("linked data", "en"),
]


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=_n(XSD + "integer"))


def _serialize(triples: list[ox.Triple], media_type: str) -> bytes:
    return (
        ox.serialize(triples, format=formats.RDF_FORMATS[media_type], prefixes=PREFIXES) or b""
    )  # bytes without an output


def service_description(rt: Runtime, endpoint: str, media_type: str) -> bytes:
    """sd:Service for ``endpoint``: languages, result formats, features and the default dataset."""
    service = ox.BlankNode("service")
    dataset = ox.BlankNode("dataset")
    default = ox.BlankNode("defaultGraph")
    t = [
        ox.Triple(service, _n(RDF + "type"), _n(SD + "Service")),
        ox.Triple(service, _n(SD + "endpoint"), _n(endpoint)),
        ox.Triple(service, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Query")),
        ox.Triple(service, _n(SD + "feature"), _n(SD + "UnionDefaultGraph")),
        ox.Triple(service, _n(SD + "defaultEntailmentRegime"), _n("http://www.w3.org/ns/entailment/Simple")),
        ox.Triple(service, _n(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, _n(RDF + "type"), _n(SD + "Dataset")),
        ox.Triple(dataset, _n(DCT + "source"), _n(rt.settings.base)),
        ox.Triple(dataset, _n(SD + "defaultGraph"), default),
        ox.Triple(default, _n(RDF + "type"), _n(SD + "Graph")),
        ox.Triple(default, _n(VOID + "triples"), _int(rt.triples)),
    ]
    if rt.settings.write_token:
        t.append(ox.Triple(service, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Update")))
    if rt.settings.allow:
        t.append(ox.Triple(service, _n(SD + "feature"), _n(SD + "BasicFederatedQuery")))
    for name in RESULT_FORMATS:
        t.append(ox.Triple(service, _n(SD + "resultFormat"), _n(FORMATS + name)))
    for i, (graph, count) in enumerate(sorted(rt.graphs.items())):
        named = ox.BlankNode(f"named{i}")
        described = ox.BlankNode(f"graph{i}")
        t += [
            ox.Triple(dataset, _n(SD + "namedGraph"), named),
            ox.Triple(named, _n(RDF + "type"), _n(SD + "NamedGraph")),
            ox.Triple(named, _n(SD + "name"), _n(graph)),
            ox.Triple(named, _n(SD + "graph"), described),
            ox.Triple(described, _n(RDF + "type"), _n(SD + "Graph")),
            ox.Triple(described, _n(VOID + "triples"), _int(count)),
        ]
    return _serialize(t, media_type)


def dataset_iri(rt: Runtime) -> str:
    return rt.settings.base + "id/dataset"


def catalog_iri(rt: Runtime) -> str:
    return rt.settings.base + "id/catalog"


class _Triples(list):
    """A list of oxigraph triples with small helpers for IRIs, literals and typed resources."""

    def add(self, s, p: str, o) -> None:
        self.append(ox.Triple(s, _n(p), o))

    def iri(self, s, p: str, o: str, *types: str) -> ox.NamedNode:
        node = _n(o)
        self.add(s, p, node)
        for t in types:
            self.add(node, RDF + "type", _n(t))
        return node

    def text(self, s, p: str, value: str, lang: str | None = None, datatype: str | None = None) -> None:
        if datatype:
            self.add(s, p, ox.Literal(value, datatype=_n(datatype)))
        else:
            self.add(s, p, ox.Literal(value, language=lang) if lang else ox.Literal(value))

    def both(self, s, p: str, ja: str, en: str) -> None:
        self.text(s, p, ja, "ja")
        self.text(s, p, en, "en")


def _built(rt: Runtime) -> str | None:
    built = (rt.report or {}).get("built")
    return built if isinstance(built, str) and built else None


def _common(t: _Triples, rt: Runtime, node, agent, contact) -> None:
    """Publisher, contact point, licence, theme and keywords: shared by the dataset and the service."""
    t.add(node, DCT + "publisher", agent)
    t.add(node, DCAT + "contactPoint", contact)
    t.iri(node, DCT + "license", CC_BY, DCT + "LicenseDocument")
    t.iri(node, DCAT + "theme", EU + "data-theme/SOCI", SKOS + "Concept")
    for word, lang in KEYWORDS:
        t.text(node, DCAT + "keyword", word, lang)


def _agent(t: _Triples, rt: Runtime) -> tuple[ox.NamedNode, ox.NamedNode]:
    base = rt.settings.base
    agent = _n(base + "id/agent/fukushi-kg")
    t.add(agent, RDF + "type", _n(FOAF + "Agent"))
    t.text(agent, FOAF + "name", "fukushi-kg")
    t.both(agent, RDFS + "label", "fukushi-kg プロジェクト", "the fukushi-kg project")
    t.iri(agent, FOAF + "homepage", base, FOAF + "Document")
    contact = _n(base + "id/agent/fukushi-kg#contact")
    t.add(contact, RDF + "type", _n(VCARD + "Kind"))
    t.add(contact, RDF + "type", _n(VCARD + "Organization"))
    t.text(contact, VCARD + "fn", "fukushi-kg")
    if rt.settings.contact_email:
        t.add(contact, VCARD + "hasEmail", _n("mailto:" + rt.settings.contact_email))
    t.add(contact, VCARD + "hasURL", _n(base))
    lic = _n(CC_BY)
    t.add(lic, RDF + "type", _n(DCT + "LicenseDocument"))
    t.iri(lic, DCT + "type", ADMS_ATTRIBUTION, SKOS + "Concept")
    t.text(lic, RDFS + "label", "Creative Commons Attribution 4.0 International (CC BY 4.0)", "en")
    _concepts(t)
    return agent, contact


# The controlled-vocabulary terms the description uses, with the labels their publishers give them
# (DCAT-AP requires a skos:prefLabel on every skos:Concept and a dct:title on every scheme).
ADMS_ATTRIBUTION = "http://purl.org/adms/licencetype/Attribution"
CONCEPTS: dict[str, tuple[str, str | None]] = {
    EU + "data-theme/SOCI": ("Population and society", EU + "data-theme"),
    EU + "planned-availability/AVAILABLE": ("Available", EU + "planned-availability"),
    ADMS_ATTRIBUTION: ("Attribution", None),
}
SCHEMES = {
    EU + "data-theme": "Data theme",
    EU + "planned-availability": "Planned availability",
}


def _concepts(t: _Triples) -> None:
    for iri, (label, scheme) in CONCEPTS.items():
        t.text(_n(iri), SKOS + "prefLabel", label, "en")
        if scheme:
            t.add(_n(iri), SKOS + "inScheme", _n(scheme))
    for iri, title in SCHEMES.items():
        t.add(_n(iri), RDF + "type", _n(SKOS + "ConceptScheme"))
        t.text(_n(iri), DCT + "title", title, "en")


def _distributions(t: _Triples, rt: Runtime, ds) -> None:
    """One distribution per dump and per gzip copy present in dist/, with size and SHA-256."""
    base, dist = rt.settings.base, rt.settings.dist
    sums = publish.read_sums(dist)
    for ext, mt in DUMPS.items():
        for gz in (False, True):
            name = f"fukushi-kg.{ext}" + (".gz" if gz else "")
            path = dist / name
            if not path.is_file():
                continue
            url = _n(f"{base}dumps/{name}")
            d = _n(f"{dataset_iri(rt)}#{name}")
            t.add(ds, VOID + "dataDump", url)
            t.add(ds, DCAT + "distribution", d)
            t.add(d, RDF + "type", _n(DCAT + "Distribution"))
            what = FORMAT_NAMES[ext] + (", gzip" if gz else "")
            t.text(d, DCT + "title", f"fukushi-kg ({what})", "en")
            t.both(
                d,
                DCT + "description",
                f"全名前付きグラフのダンプ（{what}）。",
                f"A dump of every named graph ({what}).",
            )
            t.add(d, DCAT + "accessURL", url)
            t.add(d, DCAT + "downloadURL", url)
            t.iri(d, DCT + "license", CC_BY, DCT + "LicenseDocument")
            t.iri(d, DCT + "format", EU + "file-type/" + FILE_TYPES[ext], DCT + "MediaTypeOrExtent")
            t.iri(d, DCAT + "mediaType", IANA + mt, DCT + "MediaType")
            if gz:
                t.iri(d, DCAT + "compressFormat", IANA + "application/gzip", DCT + "MediaType")
            t.iri(d, DCATAP + "availability", EU + "planned-availability/AVAILABLE", SKOS + "Concept")
            t.text(d, DCAT + "byteSize", str(path.stat().st_size), datatype=XSD + "nonNegativeInteger")
            if name in sums:
                c = _n(f"{dataset_iri(rt)}#{name}-sha256")
                t.add(d, SPDX + "checksum", c)
                t.add(c, RDF + "type", _n(SPDX + "Checksum"))
                t.add(c, SPDX + "algorithm", _n(SPDX + "checksumAlgorithm_sha256"))
                t.text(c, SPDX + "checksumValue", sums[name], datatype=XSD + "hexBinary")


def _void(t: _Triples, rt: Runtime, ds, facts: Facts, examples: list[str]) -> None:
    base = rt.settings.base
    t.add(ds, RDF + "type", _n(VOID + "Dataset"))
    t.add(ds, VOID + "triples", _int(facts.triples))
    t.add(ds, VOID + "sparqlEndpoint", _n(base + "sparql"))
    t.text(ds, VOID + "uriSpace", base)  # id/, def/, eli/ and graph/ are all minted under the base
    t.add(ds, VOID + "rootResource", _n(base + "id/catalog"))
    for ns in facts.vocabularies:
        t.add(ds, VOID + "vocabulary", _n(ns))
    for ex in examples:
        t.add(ds, VOID + "exampleResource", _n(ex))
    for graph, count in sorted(rt.graphs.items()):
        g = _n(graph)
        t.add(ds, VOID + "subset", g)
        t.add(g, RDF + "type", _n(VOID + "Dataset"))
        t.add(g, VOID + "triples", _int(count))
    for target, (prefix, title_ja, title_en) in LINK_TARGETS.items():
        other = _n(f"{dataset_iri(rt)}#{target}")
        used = [(p, n) for (k, p), n in sorted(facts.links.items()) if k == target]
        if not used:
            continue
        t.add(other, RDF + "type", _n(VOID + "Dataset"))
        t.both(other, DCT + "title", title_ja, title_en)
        t.text(other, VOID + "uriSpace", prefix)
        for p, n in used:
            ls = _n(f"{dataset_iri(rt)}#linkset-{target}-{namespace_local(p)}")
            t.add(ds, VOID + "subset", ls)
            t.add(ls, RDF + "type", _n(VOID + "Linkset"))
            t.add(ls, VOID + "subjectsTarget", ds)
            t.add(ls, VOID + "objectsTarget", other)
            t.add(ls, VOID + "target", ds)
            t.add(ls, VOID + "target", other)
            t.add(ls, VOID + "linkPredicate", _n(p))
            t.add(ls, VOID + "triples", _int(n))


def namespace_local(iri: str) -> str:
    """A predicate's local name, for a linkset's fragment (rdfs:seeAlso -> seeAlso)."""
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def dataset_description(rt: Runtime, facts: Facts, examples: list[str], media_type: str) -> bytes:
    """DCAT-AP 3 catalogue (catalogue, dataset, distributions, data service, agent, contact) with the
    VoID description of the dataset. Every URL is built from the configured base, never from the request."""
    base = rt.settings.base
    t = _Triples()
    agent, contact = _agent(t, rt)
    built = _built(rt)

    cat = _n(catalog_iri(rt))
    ds = _n(dataset_iri(rt))
    service = _n(base + "sparql")
    japan = _n(GEONAMES_JAPAN)
    t.add(japan, RDF + "type", _n(DCT + "Location"))
    t.both(japan, RDFS + "label", "日本", "Japan")

    t.add(cat, RDF + "type", _n(DCAT + "Catalog"))
    t.both(cat, DCT + "title", "fukushi-kg データカタログ", "fukushi-kg data catalogue")
    t.both(
        cat,
        DCT + "description",
        "自治体の福祉・子ども計画を読み取ったナレッジグラフ（fukushi-kg）のデータセットと SPARQL サービス。",
        "The datasets and SPARQL service of fukushi-kg, a knowledge graph read from Japanese municipal welfare and child-support plans.",
    )
    t.add(cat, DCT + "publisher", agent)
    t.iri(cat, DCT + "license", CC_BY, DCT + "LicenseDocument")
    t.add(cat, DCAT + "dataset", ds)
    t.add(cat, DCAT + "service", service)
    t.iri(cat, FOAF + "homepage", base, FOAF + "Document")
    t.iri(cat, DCAT + "themeTaxonomy", EU + "data-theme", SKOS + "ConceptScheme")
    t.iri(cat, DCT + "language", EU + "language/JPN", DCT + "LinguisticSystem")
    t.iri(cat, DCT + "language", EU + "language/ENG", DCT + "LinguisticSystem")
    t.add(cat, DCT + "spatial", japan)
    t.text(cat, DCT + "issued", FIRST_RELEASE, datatype=XSD + "date")
    if built:
        t.text(cat, DCT + "modified", built, datatype=XSD + "dateTime")
    t.text(cat, RDFS + "comment", f"fukushi-kg {__version__}", "en")

    t.add(ds, RDF + "type", _n(DCAT + "Dataset"))
    t.both(ds, DCT + "title", "福祉計画ナレッジグラフ", "fukushi-kg: Japanese municipal welfare plans knowledge graph")
    t.both(
        ds,
        DCT + "description",
        "熊本市・久留米市などの福祉・子ども計画、進捗報告、事業実績、指定都市の取組事例集から、計画の体系、事業と所管課、"
        "自己評価、指標と目標、根拠法令、SDGs、対象者を、出典の行への参照とともに読み取ったリンクトデータ。",
        "Linked data read from municipal welfare and child-support plans, progress and results reports of Kumamoto, Kurume "
        "and the designated cities: plan hierarchies, programs and responsible divisions, self-evaluations, indicators and "
        "targets, legal bases, SDG goals and target groups, each fact traced to the source lines it came from.",
    )
    _common(t, rt, ds, agent, contact)
    t.add(ds, DCT + "spatial", japan)
    for area in facts.areas:
        t.iri(ds, DCT + "spatial", area, DCT + "Location")
    if facts.first_year and facts.last_year:
        period = _n(f"{dataset_iri(rt)}#period")
        t.add(ds, DCT + "temporal", period)
        t.add(period, RDF + "type", _n(DCT + "PeriodOfTime"))
        # fiscal years: April of the first to March of the year after the last
        t.text(period, DCAT + "startDate", f"{facts.first_year:04d}-04-01", datatype=XSD + "date")
        t.text(period, DCAT + "endDate", f"{facts.last_year + 1:04d}-03-31", datatype=XSD + "date")
    t.text(ds, DCT + "issued", FIRST_RELEASE, datatype=XSD + "date")
    if built:
        t.text(ds, DCT + "modified", built, datatype=XSD + "dateTime")
    t.iri(ds, DCT + "language", EU + "language/JPN", DCT + "LinguisticSystem")
    t.iri(ds, DCAT + "landingPage", base + "dataset", FOAF + "Document")
    _distributions(t, rt, ds)
    sparql_dist = _n(f"{dataset_iri(rt)}#sparql")
    t.add(ds, DCAT + "distribution", sparql_dist)
    t.add(sparql_dist, RDF + "type", _n(DCAT + "Distribution"))
    t.text(sparql_dist, DCT + "title", "SPARQL endpoint", "en")
    t.both(
        sparql_dist,
        DCT + "description",
        "SPARQL 1.1 Protocol による問い合わせ。",
        "Queries by the SPARQL 1.1 Protocol.",
    )
    t.add(sparql_dist, DCAT + "accessURL", service)
    t.add(sparql_dist, DCAT + "accessService", service)
    t.iri(sparql_dist, DCT + "license", CC_BY, DCT + "LicenseDocument")
    t.iri(sparql_dist, DCT + "format", EU + "file-type/SPARQLQ", DCT + "MediaTypeOrExtent")
    t.iri(sparql_dist, DCATAP + "availability", EU + "planned-availability/AVAILABLE", SKOS + "Concept")

    t.add(service, RDF + "type", _n(DCAT + "DataService"))
    t.both(service, DCT + "title", "fukushi-kg SPARQL エンドポイント", "fukushi-kg SPARQL endpoint")
    t.add(service, DCAT + "endpointURL", service)
    t.add(service, DCAT + "endpointDescription", service)  # GET without a query: the SPARQL Service Description
    t.iri(service, DCT + "conformsTo", "https://www.w3.org/TR/sparql11-protocol/", DCT + "Standard")
    t.add(service, DCAT + "servesDataset", ds)
    _common(t, rt, service, agent, contact)

    _void(t, rt, ds, facts, examples)
    # each triple once, grouped by subject, in a stable order (the helpers state a shared node's type each time)
    return _serialize(sorted(set(t), key=str), media_type)
