"""The ``metric_tables``, ``metric_rows`` and ``metric_values`` tables: the figures a listing prints
in a table of its own, as fk:MetricTable / qb:DataSet with one qb:Observation per cell (item, row,
year column, value as printed, and the fiscal year and number where the cell reads as such)."""

from __future__ import annotations

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from fukushi_kg.graph.mapping.context import Context
from fukushi_kg.graph.mapping.iris import ascii_code
from fukushi_kg.graph.mapping.terms import QB, fiscal_year, ja, number
from fukushi_kg.graph.records import Listing
from fukushi_kg.graph.vocab import FK


def add_metric_tables(ctx: Context, g: Graph, node: URIRef, lst: Listing, lines: list[str]) -> None:
    """The listing's metric tables, numbered in reading order under its IRI."""
    for t, table in enumerate(lst.metrics, start=1):
        tnode = URIRef(f"{node}/table/{t}")
        g.add((node, FK.hasMetricTable, tnode))
        g.add((tnode, RDF.type, FK.MetricTable))
        g.add((tnode, RDF.type, QB.DataSet))
        g.add((tnode, QB.structure, FK.metricTableStructure))
        g.add((tnode, RDFS.label, ja(table.title)))
        g.add((tnode, FK.span, ctx.span(g, table.span, lines)))
        if table.note:
            g.add((tnode, FK.readingNote, Literal(table.note)))
        for r, row in enumerate(table.rows, start=1):
            for col, value in row.values.items():
                o = URIRef(f"{tnode}/row/{r}/{ascii_code(col.replace('?', 'col'))}")
                g.add((o, RDF.type, QB.Observation))
                g.add((o, QB.dataSet, tnode))
                g.add((o, FK.metricItem, ja(row.item)))
                g.add((o, FK.rowNumber, Literal(r)))
                g.add((o, FK.yearColumn, Literal(col)))
                g.add((o, FK.valueAsPrinted, Literal(value)))
                year = fiscal_year(col)
                if year:
                    g.add((o, FK.refYear, Literal(str(year), datatype=XSD.gYear)))
                num = number(value)
                if num is not None:
                    g.add((o, FK.value, Literal(num, datatype=XSD.decimal)))
                g.add((o, FK.span, ctx.span(g, row.span, lines)))
