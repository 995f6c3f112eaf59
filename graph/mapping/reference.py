"""The reference graphs: the ontology (``graph/ontology``), and in ``graph/vocabularies`` the code
lists, the municipalities and bodies of data/reviewed/organisations.toml (fk:Municipality,
org:FormalOrganization, foaf:Agent, with their e-Stat area) and the acts of data/reviewed/laws.toml
(eli:LegalResource). These come from the reviewed registries, not from the plan tables."""

from __future__ import annotations

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, SKOS

from fukushi_kg import resources
from fukushi_kg.graph.mapping.context import Context
from fukushi_kg.graph.mapping.terms import ELI, ESTAT_SAC, en, ja
from fukushi_kg.graph.vocab import FK


def add_reference(ctx: Context) -> None:
    """Ontology, code lists, cities, bodies and laws."""
    onto = ctx.g("ontology")
    onto.parse(resources.ONTOLOGY)
    voc = ctx.g("vocabularies")
    voc.parse(resources.VOCABULARIES)
    for slug, city in ctx.orgs["cities"].items():
        node = ctx.iris.city(slug)
        voc.add((node, RDF.type, FK.Municipality))
        voc.add((node, RDF.type, ORG.FormalOrganization))
        voc.add((node, RDFS.label, ja(city["name"])))
        voc.add((node, RDFS.label, en(city["name_en"])))
        voc.add((node, FK.localGovernmentCode, Literal(city["code"])))
        voc.add((node, SKOS.notation, Literal(city["code"])))
        voc.add((node, RDF.type, FOAF.Agent))
        if city.get("fictional"):  # an example city of one's own: no e-Stat area to link
            voc.add((node, RDFS.comment, en("A fictional city of an example plan; its code is no real one.")))
            continue
        area = URIRef(f"{ESTAT_SAC}{city['code'][:5]}")
        voc.add((node, RDFS.seeAlso, area))
        voc.add((node, DCTERMS.spatial, area))  # the area the municipality governs
        voc.add((node, FK.designatedCity, Literal(bool(city.get("designated", False)))))
        if city.get("prefecture"):
            prefecture = URIRef(f"{ESTAT_SAC}{city['code'][:2]}000")
            voc.add((node, FK.prefecture, prefecture))
            voc.add((prefecture, RDFS.label, ja(city["prefecture"])))
    for slug, body in ctx.orgs["bodies"].items():
        node = ctx.iris.city(slug)
        voc.add((node, RDF.type, ORG.FormalOrganization))
        voc.add((node, RDF.type, FOAF.Agent))
        voc.add((node, RDFS.label, ja(body["name"])))
        voc.add((node, RDFS.label, en(body["name_en"])))
    for key, law in ctx.laws.items():
        node = ctx.iris.law(law, key)
        voc.add((node, RDF.type, ELI.LegalResource))
        voc.add((node, RDFS.label, ja(law["name"])))
        voc.add((node, RDFS.label, en(law["name_en"])))
        voc.add((node, DCTERMS.title, ja(law["name"])))  # ELI puts eli:title on the expression, not here
        if law.get("number"):
            voc.add((node, FK.lawNumber, Literal(law["number"])))
        if law.get("egov"):
            voc.add((node, FK.egovLawId, Literal(law["egov"])))
            voc.add((node, ELI.id_local, Literal(law["egov"])))
            voc.add((node, RDFS.seeAlso, URIRef(f"https://laws.e-gov.go.jp/law/{law['egov']}")))
        for alias in law.get("aliases", []):
            voc.add((node, SKOS.altLabel, ja(alias)))
