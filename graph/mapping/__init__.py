"""Records -> RDF, one module per kind of row (the tables of graph/tables/schema.json).

=====================  ===============================================================
``iris``               every IRI the graph mints (the IRI policy)
``terms``              the other vocabularies (oa:, qb:, eli:, sdg:) and the literals of cells
``context``            what the modules share: the dataset, spans written, reviewed registries
``reference``          ontology, code lists, cities, bodies and acts (the reviewed registries)
``document``           ``document``: the source document
``laws``               ``law_citations``; the articles cited by them and by ``plan_legal_basis``
``plan``               ``plans``, ``plan_legal_basis``, ``plan_parents``, ``plan_sdg_goals``
``components``         ``components``, ``component_spans``: the component tree
``indicators``         ``indicators``, ``observations`` and their notes
``programs``           program identity over ``listings`` and ``results``; ``graph/links``
``listings``           ``listings``, ``listing_actors``, ``listing_notes``
``metrics``            ``metric_tables``, ``metric_rows``, ``metric_values``
``results``            ``results``, ``result_sub_amounts``, ``result_description_spans``, ``result_notes``
``classifications``    target groups of listings, results and initiatives (derived, no table)
``cases``              ``cities``, ``initiatives`` and their dates, figures and notes
``labels``             fk:searchLabel beside every label (derived, no table)
=====================  ===============================================================

The function ``to_dataset`` runs them in a fixed order: the reference graphs, then per document
its document, plans, components, indicators and case studies, then the programs of all documents
together (a program spans documents), then the search labels.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Dataset

from fukushi_kg.graph import identity
from fukushi_kg.graph.mapping import cases, components, document, indicators, plan, programs, reference
from fukushi_kg.graph.mapping.context import Context
from fukushi_kg.graph.mapping.iris import DEFAULT_BASE, Iris
from fukushi_kg.graph.mapping.labels import add_search_labels
from fukushi_kg.graph.records import DocumentRecords
from fukushi_kg.graph.sources import Document

__all__ = ["DEFAULT_BASE", "Context", "Iris", "reference_dataset", "to_dataset"]


def to_dataset(
    extracted: Iterable[tuple[Document, DocumentRecords]],
    base: str = DEFAULT_BASE,
    match_table: Path | None = identity.MATCHES,
    organisations: dict | None = None,
) -> tuple[Dataset, list[str]]:
    """The whole dataset: reference graphs plus one named graph per document.

    ``match_table`` is the reviewed table of program identities (None: the automatic rules only,
    for partial record sets whose listings the table does not all name); ``organisations``: cities,
    bodies and divisions that one's own plan folders add to data/reviewed/organisations.toml.
    """
    ctx = Context(Iris(base), match_table, organisations or {})
    reference.add_reference(ctx)
    docs = list(extracted)
    for doc, rec in docs:
        document.add_document(ctx, doc, rec)
        plan.add_plan(ctx, doc, rec)
        components.add_components(ctx, doc, rec)
        indicators.add_indicators(ctx, doc, rec)
        cases.add_cases(ctx, doc, rec)
    programs.add_programs(ctx, docs)
    add_search_labels(ctx.ds, [ctx.iris.graph("ontology")])
    return ctx.ds, ctx.warnings


def reference_dataset(base: str = DEFAULT_BASE) -> Dataset:
    """The reference graphs alone (ontology and vocabularies, with their search labels), as
    ``to_dataset`` makes them before any document."""
    ctx = Context(Iris(base), None)
    reference.add_reference(ctx)
    add_search_labels(ctx.ds, [ctx.iris.graph("ontology")])
    return ctx.ds
