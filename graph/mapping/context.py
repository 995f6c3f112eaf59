"""What every mapping module shares: the dataset being built and its named graphs, the source spans
already written, the reviewed registries (data/reviewed/laws.toml, organisations.toml), the
divisions minted, the code lists of ontology/vocabularies.ttl, and the build's warnings."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, SKOS
from rdflib.term import IdentifiedNode

from fukushi_kg import resources
from fukushi_kg.graph import identity, source_meta
from fukushi_kg.graph.mapping.iris import Iris, slug_hash
from fukushi_kg.graph.mapping.terms import OA, en, ja
from fukushi_kg.graph.records import Span
from fukushi_kg.graph.text import norm
from fukushi_kg.graph.vocab import FK, code_list


def _load_toml(name: str) -> dict:
    return tomllib.loads(resources.reviewed(name).read_text(encoding="utf-8"))


@dataclass
class Context:
    """The dataset under construction and the state the mapping modules share."""

    iris: Iris
    match_table: Path | None = identity.MATCHES
    extra_orgs: dict = field(default_factory=dict)  # cities, bodies, divisions of one's own plan folders
    ds: Dataset = field(default_factory=lambda: Dataset(default_union=False))
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.laws = _load_toml("laws.toml")
        self.orgs = _load_toml("organisations.toml")
        for section, entries in self.extra_orgs.items():
            self.orgs.setdefault(section, {}).update(entries)
        self.division_index = {
            (city, norm(name)): (slug, label_en)
            for city, table in self.orgs["divisions"].items()
            for name, (slug, label_en) in table.items()
        }
        self._spans_done: set[tuple[IdentifiedNode, Span]] = set()
        self.text_urls: dict[str, URIRef] = {}
        self.plan_city: dict[str, str] = {}
        self.divisions_done: set[URIRef] = set()
        self._codes: dict[tuple[str, str], URIRef] = {}
        for d in ("ontology", "vocabularies", "links"):
            self.ds.graph(self.iris.graph(d))

    def g(self, name: str) -> Graph:
        return self.ds.graph(self.iris.graph(name))

    def span(self, g: Graph, span: Span, lines: list[str]) -> URIRef:
        """The span resource, with document, line numbers, RFC 5147 selector and quoted text."""
        node = self.iris.span(span)
        if (g.identifier, span) in self._spans_done:
            return node
        self._spans_done.add((g.identifier, span))
        g.add((node, RDF.type, FK.SourceSpan))
        g.add((node, FK.document, self.iris.document(span.doc)))
        g.add((node, OA.hasSource, self.text_url(span.doc)))
        g.add((node, FK.lineStart, Literal(span.start, datatype=XSD.integer)))
        g.add((node, FK.lineEnd, Literal(span.end, datatype=XSD.integer)))
        g.add((node, OA.hasSelector, URIRef(f"{node}#selector")))
        sel = URIRef(f"{node}#selector")
        g.add((sel, RDF.type, OA.FragmentSelector))
        g.add((sel, DCTERMS.conformsTo, URIRef("http://tools.ietf.org/rfc/rfc5147")))
        g.add((sel, RDF.value, Literal(f"line={span.start - 1},{span.end}")))
        quoted = "\n".join(ln.rstrip() for ln in lines[span.start - 1 : span.end] if ln.strip())
        g.add((node, FK.quotedText, Literal(quoted)))
        g.add((node, RDFS.label, Literal(f"{span.doc} lines {span.start}-{span.end}")))
        return node

    def text_url(self, doc_id: str) -> URIRef:
        """The served plain text of a document (the source of its spans' RFC 5147 selectors)."""
        if doc_id not in self.text_urls:
            from fukushi_kg.graph.sources import document

            self.text_urls[doc_id] = source_meta.text_url(self.iris.base, document(doc_id))
        return self.text_urls[doc_id]

    def division(self, city: str, name: str) -> URIRef:
        """The division of ``city`` printed as ``name`` (its reviewed slug, else a minted one and a warning)."""
        key = (city, norm(name))
        if key in self.division_index:
            slug, label_en = self.division_index[key]
        else:
            slug, label_en = f"unit-{slug_hash(name)}", ""
            self.warnings.append(f"division {name!r} is not in data/reviewed/organisations.toml; minted {slug}")
        node = self.iris.division(city, slug)
        if node not in self.divisions_done:
            self.divisions_done.add(node)
            g = self.g("vocabularies")
            g.add((node, RDF.type, ORG.OrganizationalUnit))
            g.add((node, RDFS.label, ja(name)))
            g.add((node, SKOS.prefLabel, ja(name)))
            if label_en:
                g.add((node, RDFS.label, en(label_en)))
            g.add((node, ORG.unitOf, self.iris.city(city)))
            g.add((self.iris.city(city), ORG.hasUnit, node))
        return node

    def publisher(self, key: str) -> URIRef:
        """An organisations.toml key of a publisher: ``city-or-body`` or ``city-or-body/division-slug``."""
        org, _, unit = key.partition("/")
        if org not in self.orgs["cities"] and org not in self.orgs["bodies"]:
            raise ValueError(
                f"publisher {key!r} of data/sources/manifest.json is not in data/reviewed/organisations.toml"
            )
        if not unit:
            return self.iris.city(org)
        for name, (slug, _label_en) in self.orgs.get("divisions", {}).get(org, {}).items():
            if slug == unit:
                node = self.division(org, name)
                self.g("vocabularies").add((node, RDF.type, FOAF.Agent))
                return node
        raise ValueError(f"publisher {key!r}: no division {unit!r} of {org!r} in data/reviewed/organisations.toml")

    def city_slug(self, name: str | None) -> str | None:
        """The organisations.toml slug of a city printed as ``name`` (None when it is not one)."""
        for slug, city in self.orgs["cities"].items():
            if name and norm(city["name"]) == norm(name):
                return slug
        return None

    def org_by_name(self, name: str) -> URIRef | None:
        """The city or body printed as ``name`` (None when organisations.toml has neither)."""
        slug = self.city_slug(name)
        if slug:
            return self.iris.city(slug)
        for slug, body in self.orgs["bodies"].items():
            if norm(body["name"]) == norm(name):
                return self.iris.city(slug)
        return None

    def code(self, scheme: str, printed: str) -> URIRef:
        """The concept of code list ``scheme`` whose skos:notation is ``printed`` (after NFKC)."""
        if not self._codes:
            voc = self.g("vocabularies")
            for c, n in voc.subject_objects(SKOS.notation):
                self._codes[(str(c).rsplit("/", 1)[0] + "/", norm(str(n)))] = URIRef(str(c))
        found = self._codes.get((code_list(scheme), norm(printed)))
        if found is None:
            raise ValueError(f"{printed!r} is not a notation of the {scheme} code list of ontology/vocabularies.ttl")
        return found
