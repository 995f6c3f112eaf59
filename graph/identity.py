"""Program identity: which listings, within a plan and across plans, are one program.

Rules, applied in this order (each link records the rule that made it):

1. ``relisting-marker``: within a plan, a listing marked （再X）at place P and a listing at
   place X marked （再P）with the same normalised name are the same program (the child plan
   prints the marker on both copies).
2. ``normalised-name``: listings whose names are equal after NFKC, removal of spaces and of
   （再…）/（新規）/（特）markers are the same program.
3. ``suffix-variant``: names equal after also dropping one trailing 経費 / 事業費 / 事業 / 金 /
   費 are the same program, unless the reviewed table rejects the pair.
Rules 2 and 3 join only listings and results of the same city: two cities' programs of one
name are two programs.

4. ``reviewed-table``: pairs confirmed by a person in ``data/reviewed/program-matches.toml``.

The same table's ``related`` entries record programs that are *not* the same but are linked:
``kind = "component"`` (``a`` is part of ``b``) or ``kind = "family"`` (same family of programs).

The table's ``reject`` entries undo rule 2 or 3 for named pairs. Every table entry must match
listings of the build; one that matches nothing is an error, so the table cannot rot silently.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fukushi_kg import resources
from fukushi_kg.graph.records import Listing, ProgramResult
from fukushi_kg.graph.text import norm

Item = Listing | ProgramResult  # anything that names a program

MATCHES = resources.reviewed("program-matches.toml")

_MARKERS = re.compile(r"[(（]\s*(再[^)）]*|新規|拡充|特|再掲)\s*[)）]")
_SUFFIXES = ("事業費", "経費", "事業", "金", "費")


def name_key(name: str) -> str:
    """The normalised name two listings must share to be the same program (rule 2)."""
    return norm(_MARKERS.sub("", norm(name)))


def stem_key(name: str) -> str:
    """The name key without one trailing suffix such as 経費 or 事業 (rule 3)."""
    key = name_key(name)
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            return key[: -len(suffix)]
    return key


@dataclass
class Match:
    """Evidence that several listings are one program."""

    rule: str
    listings: list[Item]
    names: list[str]
    reason: str = ""


@dataclass
class Programs:
    """The result: listings grouped into programs, with the evidence of every grouping."""

    groups: list[list[Item]]  # each group is one program, items in build order
    matches: list[tuple[int, Match]] = field(default_factory=list)  # (group index, evidence)
    relations: list[tuple[Item, Item, str, str]] = field(default_factory=list)  # (a, b, kind, reason)

    def group_of(self, listing: Item) -> int:
        return self._index[id(listing)]

    def __post_init__(self) -> None:
        self._index = {id(lst): i for i, group in enumerate(self.groups) for lst in group}


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.parent[max(ra, rb)] = min(ra, rb)
        return True


def load_table(path: Path = MATCHES) -> tuple[list[dict], list[dict], list[dict]]:
    """Confirmed matches, rejected rule matches and typed relations from the reviewed table."""
    if not path.exists():
        return [], [], []
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for entry in data.get("related", []):
        if entry.get("kind") not in ("component", "family"):
            raise ValueError(f'{path}: related entry {entry.get("a")!r} needs kind = "component" or "family"')
    return data.get("match", []), data.get("reject", []), data.get("related", [])


def resolve(
    listings: list[Item], table: Path | None = MATCHES, city_of: Callable[[Item], str | None] | None = None
) -> Programs:
    """Group ``listings`` (in build order) into programs by the rules above (no table: rules 1-3 only).

    ``city_of``: the city of an item; rules 2 and 3 join only items of the same city, so that two
    cities' programs of the same name stay two programs."""
    confirmed, rejected, related = load_table(table) if table else ([], [], [])
    rejected_pairs = {frozenset((name_key(r["a"]), name_key(r["b"]))) for r in rejected}
    used_rejects: set[frozenset[str]] = set()
    uf = _UnionFind(len(listings))
    evidence: list[tuple[int, int, str, str]] = []  # (i, j, rule, reason)

    def link(i: int, j: int, rule: str, reason: str = "") -> None:
        if uf.union(i, j):
            evidence.append((i, j, rule, reason))

    # Rule 1: relisting markers inside a plan.
    by_place = {
        (lst.plan, lst.component, name_key(lst.name)): i for i, lst in enumerate(listings) if isinstance(lst, Listing)
    }
    for i, lst in enumerate(listings):
        if not isinstance(lst, Listing):
            continue  # results carry no relisting markers
        for code in lst.relisted_at:
            j = by_place.get((lst.plan, code, name_key(lst.name)))
            other = listings[j] if j is not None else None
            if j is not None and isinstance(other, Listing) and lst.component in other.relisted_at:
                link(min(i, j), max(i, j), "relisting-marker")

    # Rules 2 and 3: equal names, then equal stems.
    for rule, key in (("normalised-name", name_key), ("suffix-variant", stem_key)):
        first: dict[tuple[str | None, str], int] = {}
        for i, lst in enumerate(listings):
            k = (city_of(lst) if city_of else None, key(lst.name))
            if k not in first:
                first[k] = i
                continue
            j = first[k]
            pair = frozenset((name_key(listings[j].name), name_key(lst.name)))
            if pair in rejected_pairs:
                used_rejects.add(pair)
                continue
            link(j, i, rule)

    # Rule 4: the reviewed table.
    by_name: dict[str, list[int]] = {}
    for i, lst in enumerate(listings):
        by_name.setdefault(name_key(lst.name), []).append(i)
    for entry in confirmed:
        a, b = by_name.get(name_key(entry["a"])), by_name.get(name_key(entry["b"]))
        if not a or not b:
            missing = entry["a"] if not a else entry["b"]
            raise ValueError(f"{table}: reviewed match names {missing!r}, which no listing has")
        link(a[0], b[0], "reviewed-table", entry.get("reason", ""))
    relations = []
    for entry in related:
        a, b = by_name.get(name_key(entry["a"])), by_name.get(name_key(entry["b"]))
        if not a or not b:
            missing = entry["a"] if not a else entry["b"]
            raise ValueError(f"{table}: related entry names {missing!r}, which no listing has")
        relations.append((listings[a[0]], listings[b[0]], entry["kind"], entry.get("reason", "")))
    for pair in rejected_pairs - used_rejects:
        raise ValueError(f"{table}: reject entry {sorted(pair)} matches no pair the rules made")

    roots: dict[int, list[Item]] = {}
    for i, lst in enumerate(listings):
        roots.setdefault(uf.find(i), []).append(lst)
    groups = list(roots.values())
    programs = Programs(groups, relations=relations)
    for i, j, rule, reason in evidence:
        g = programs.group_of(listings[i])
        programs.matches.append(
            (g, Match(rule, [listings[i], listings[j]], [listings[i].name, listings[j].name], reason))
        )
    return programs
