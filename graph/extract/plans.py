"""Reviewed plan records (``data/reviewed/plans.toml``): a plan's name, key and what its text cannot say.

A plan's title, English title, IRI key, city, publishers, adoption and (where the text does not
print it) its period are readings a person made; they live in the reviewed file with their reason
and source lines, not in the extractors. An extractor loads the entry of its source, checks that
the lines the entry rests on still print what it expects (:meth:`ReviewedPlan.check`) and builds
its :class:`~fukushi_kg.graph.records.Plan` from it, adding what it reads in the text itself
(:meth:`ReviewedPlan.record`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

from fukushi_kg import resources
from fukushi_kg.graph.extract.reviewed import load_entries
from fukushi_kg.graph.records import Plan, Span
from fukushi_kg.graph.text import norm

PLANS = resources.reviewed("plans.toml")


@dataclass
class ReviewedPlan:
    """One ``[[plan]]`` entry; spans are ``[first, last]`` source lines."""

    source: str
    key: str
    title: str
    title_en: str
    city: str
    reason: str
    lines: list[int]
    span: list[int] | None = None
    adopted: str | None = None
    publishers: list[str] = field(default_factory=list)
    period_start: int | None = None
    period_end: int | None = None
    period_span: list[int] | None = None
    period_note: str = ""
    parent_plans: list[dict] = field(default_factory=list)
    table_years: list[int] | None = None
    checks: list[dict] = field(default_factory=list)

    def check(self, lines: list[str]) -> None:
        """Fail unless every ``checks`` item's lines still print its text (compared after :func:`norm`)."""
        for item in self.checks:
            first, last = item["lines"]
            printed = "".join(norm(lines[k - 1]) for k in range(first, last + 1) if 0 < k <= len(lines))
            if norm(item["text"]) not in printed:
                raise ValueError(
                    f"{PLANS.name} [[plan]] {self.source}: l.{first}-{last} no longer print {item['text']!r}; "
                    "the reviewed plan record rests on them and must be re-checked"
                )

    def record(self, doc: str, **read) -> Plan:
        """The Plan of document ``doc``: the reviewed fields plus what the extractor read (``read``).

        A field the entry sets cannot also be read: that would leave two answers to one question."""
        reviewed: dict = {
            "key": self.key,
            "doc": doc,
            "title": self.title,
            "title_en": self.title_en,
            "city": self.city,
            "adopted": self.adopted,
            "publishers": list(self.publishers),
            "period_start": self.period_start,
            "period_end": self.period_end,
            "period_note": self.period_note,
        }
        if self.span:
            reviewed["span"] = Span(doc, *self.span)
        if self.period_span:
            reviewed["period_span"] = Span(doc, *self.period_span)
        if self.parent_plans:
            reviewed["parent_plans"] = [(p["title"], Span(doc, *p["span"])) for p in self.parent_plans]
        both = sorted(k for k in read if reviewed.get(k) not in (None, "", []))
        if both:
            raise ValueError(f"{PLANS.name} [[plan]] {self.source} sets {', '.join(both)}, which the extractor reads")
        return Plan(**{**reviewed, **read})


def load_plan(source: str, path: Path = PLANS) -> ReviewedPlan:
    """The one ``[[plan]]`` entry of ``source`` (``"000"``), validated: reason, lines, the required keys."""
    if not path.exists():
        raise ValueError(f"{path} is missing: the reviewed plan records live there")
    entries = load_entries(path, "plan", required=("source", "key", "title", "title_en", "city"))
    hits = [e for e in entries if e["source"] == source]
    if len(hits) != 1:
        raise ValueError(f"{path.name}: {len(hits)} [[plan]] entries for source {source}, expected one")
    known = {f.name for f in fields(ReviewedPlan)}
    unknown = sorted(set(hits[0]) - known)
    if unknown:
        raise ValueError(f"{path.name} [[plan]] {source}: unknown keys {', '.join(unknown)}")
    for item in hits[0].get("checks", []):
        if set(item) != {"lines", "text"} or len(item["lines"]) != 2:
            raise ValueError(f"{path.name} [[plan]] {source}: a check needs lines = [first, last] and text")
    return ReviewedPlan(**hits[0])
