"""Extractor for source 003: 第５次熊本市地域福祉計画・熊本市地域福祉活動計画 (FY2025-2031).

The layout and its traps are documented in ``docs/sources/003-welfare-plan.md``; section
numbers below (§4, §11 A1 ...) refer to that file. Line numbers in records are
1-based file lines (blank lines count); internally ``lines[i]`` is line ``i + 1``.

What is read:

* the plan (period, legal basis §107/§109 and the adult-guardianship act, parent
  plan, SDG goals, 基本理念);
* the hierarchy 基本方針 → 取組の視点 → 取組, with each 基本方針's 取組の主な対象;
* the 218 program blocks, anchored on the legend line ``事業の実施主体「◎」`` (§3),
  with their ◎/○ actor columns rebuilt by a position model (§4, :func:`assign_columns`)
  and a few reviewed readings from ``data/reviewed/corrections-003.toml``;
* the 10 基本方針 成果指標 and the 2 chapter-4 indicators (§5);
* law citations, found in the line-joined text because names wrap (§6, §11 E25).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from pathlib import Path

from fukushi_kg import resources
from fukushi_kg.graph.extract.plans import load_plan
from fukushi_kg.graph.extract.reviewed import load_entries
from fukushi_kg.graph.records import (
    Component,
    DocumentRecords,
    Indicator,
    LawRef,
    Listing,
    Observation,
    Plan,
    Span,
)
from fukushi_kg.graph.sources import Document, document
from fukushi_kg.graph.text import display_width, norm

SOURCE = "003"  # its plan record is the [[plan]] entry of data/reviewed/plans.toml with this source
CORRECTIONS = resources.reviewed("corrections-003.toml")
LAWS = resources.reviewed("laws.toml")

#: The six matrix columns, in printed order (header 市 市社協 民生委員 校区社協 地域団体等 地域住民).
ACTORS = ("city", "city-cswc", "welfare-commissioners", "district-cswc", "community-groups", "residents")

LEAD, PARTNERS = "◎", "○〇"  # ○ U+25CB and 〇 U+3007 are both partner marks (§11 A3)
MARKS = LEAD + PARTNERS
LEGEND = "事業の実施主体「◎」"
TABLE_HEADER = ("事業名等", "事業概要")
NAME_MAX_WIDTH = 20  # name cells wrap at 8-9 full-width characters (§3 "Name")
ASSUMED_UNIT_START = 13  # T when the unit is not on the mark line (§4)

ROMAN = {"Ⅰ": "I", "Ⅱ": "II", "Ⅲ": "III", "Ⅳ": "IV"}


# --------------------------------------------------------------------------- entry point


def extract(doc: Document | None = None) -> DocumentRecords:
    """Read every record of document 003."""
    doc = doc or document("003")
    lines = doc.lines()
    components = extract_components(lines, doc.id)
    citations = find_law_citations(lines, doc.id)
    basis = [c for c in citations if c.role == "legal-basis"]
    return DocumentRecords(
        doc=doc.id,
        plans=[extract_plan(lines, doc, basis)],
        components=components,
        listings=extract_listings(lines, doc.id, components),
        indicators=extract_policy_indicators(lines, doc.id) + extract_chapter4_indicators(lines, doc.id),
        laws=citations,  # every citation; those that found the plan are also its legal_basis
    )


def _span(doc: str, start: int, end: int | None = None) -> Span:
    """Span from 0-based line indexes (inclusive)."""
    return Span(doc, start + 1, (start if end is None else end) + 1)


def _next_nonblank(lines: list[str], i: int) -> int:
    """Index of the first non-blank line after ``i``."""
    i += 1
    while not lines[i].strip():
        i += 1
    return i


def _prev_nonblank(lines: list[str], i: int) -> int:
    i -= 1
    while not lines[i].strip():
        i -= 1
    return i


def _fiscal(reiwa: str) -> int:
    """令和N (digits of any width) as a western year."""
    return 2018 + int(unicodedata.normalize("NFKC", reiwa))


# --------------------------------------------------------------------------- plan


def _plan_key() -> str:
    """The plan's IRI key, from its reviewed record (data/reviewed/plans.toml)."""
    return load_plan(SOURCE).key


def extract_plan(lines: list[str], doc: Document, basis: list[LawRef]) -> Plan:
    """The plan record: its name, key and publishers from ``data/reviewed/plans.toml`` (no cover
    survives, §1); period (l.119), legal basis, parent plan, SDG goals and 基本理念 read here."""
    plan = load_plan(SOURCE)
    plan.check(lines)
    start, end, period_at = _period(lines)
    return plan.record(
        doc.id,
        span=_span(doc.id, 0, len(lines) - 1),
        period_start=start,
        period_end=end,
        period_span=_span(doc.id, period_at),
        legal_basis=basis,
        parent_plans=_parent_plans(lines, doc.id),
        sdg_goals=_sdg_goals(lines, doc.id),
        principle=_principle(lines, doc.id),
    )


def _period(lines: list[str]) -> tuple[int, int, int]:
    """「計画期間は、令和７年度（２０２５年度）から令和１３年度（２０３１年度）…」 (l.119)."""
    pattern = re.compile(r"計画期間は、.*?（(\d{4})年度）から.*?（(\d{4})年度）")
    for i, line in enumerate(lines):
        m = pattern.search(unicodedata.normalize("NFKC", line).replace("(", "（").replace(")", "）"))
        if m:
            return int(m[1]), int(m[2]), i
    raise ValueError("003: plan period sentence not found")


def _parent_plans(lines: list[str], doc: str) -> list[tuple[str, Span]]:
    """「熊本市第８次総合計画」を最上位計画とし (l.148)."""
    for i, line in enumerate(lines):
        m = re.search(r"「(熊本市第.次総合計画)」を最上位計画", line)
        if m:
            return [(m[1], _span(doc, i))]
    raise ValueError("003: parent plan sentence not found")


def _sdg_goals(lines: list[str], doc: str) -> list[tuple[int, Span]]:
    """「本計画においては、主にゴール 1・3・11・17に関連します。」 (l.275, §7)."""
    for i, line in enumerate(lines):
        m = re.search(r"ゴール\s*([0-9０-９・\s]+)に関連", line)
        if m:
            numbers = unicodedata.normalize("NFKC", m[1]).replace(" ", "").split("・")
            return [(int(n), _span(doc, i)) for n in numbers if n]
    raise ValueError("003: SDG goal sentence not found")


def _principle(lines: list[str], doc: str) -> tuple[str, Span]:
    """The line after ``≪基本理念≫`` (l.1581), printed with spaces; the 『』 are dropped."""
    for i, line in enumerate(lines):
        if line.strip() == "≪基本理念≫":
            j = _next_nonblank(lines, i)
            return lines[j].strip().strip("『』"), _span(doc, j)
    raise ValueError("003: 基本理念 not found")


# --------------------------------------------------------------------------- hierarchy

_POLICY = re.compile(r"^\s*基本方針([ⅠⅡⅢⅣ])\s+(\S.*?)\s*$")
_VIEWPOINT = re.compile(r"^\s*取組の視点\s*([ⅠⅡⅢⅣ])-(\d+)\s*$")
_INITIATIVE = re.compile(r"^\s*【取組\s*([0-9０-９]+)】\s*(\S.*?)\s*$")


def extract_components(lines: list[str], doc: str) -> list[Component]:
    """基本方針 / 取組の視点 / 取組 in document order, parents from heading order (§2)."""
    out: list[Component] = []
    key = _plan_key()
    policy = viewpoint = None
    for i, line in enumerate(lines):
        if _is_policy_heading(lines, i) and (m := _POLICY.match(line)):  # the heading test matched _POLICY
            policy = m[1]
            out.append(Component(key, "basic-policy", policy, m[2], line.strip(), _span(doc, i)))
        elif (m := _VIEWPOINT.match(line)) and policy:
            viewpoint = f"{m[1]}-{m[2]}"
            t = _next_nonblank(lines, i)
            out.append(
                Component(key, "viewpoint", viewpoint, lines[t].strip(), line.strip(), _span(doc, i, t), parent=m[1])
            )
        elif (m := _INITIATIVE.match(line)) and viewpoint:
            code = unicodedata.normalize("NFKC", m[1])
            out.append(Component(key, "initiative", code, m[2], line.strip(), _span(doc, i), parent=viewpoint))
    _attach_targets(lines, doc, out)
    return out


def _status(kind: str) -> str:
    """A target or interim target is a planned value, not a measurement."""
    return "planned" if kind in ("target", "interim-target") else "measured"


def _is_policy_heading(lines: list[str], i: int) -> bool:
    """A real 基本方針 section heading (1657, 2463, 3720, 5766), not a false hit (§11 D22).

    False hits are the 4th plan's headings (987...), the summary headings that carry
    ＜…＞ and follow their description (1583...), and sentences 「基本方針Ⅰでは、」.
    The real heading is followed by its 「基本方針Xでは、」 introduction.
    """
    m = _POLICY.match(lines[i])
    if not m or "＜" in m[2] or m[2].startswith("では"):
        return False
    following = lines[_next_nonblank(lines, i)].strip()
    return following.startswith(f"基本方針{m[1]}では")


def _attach_targets(lines: list[str], doc: str, components: list[Component]) -> None:
    """取組の主な対象: once per 基本方針, value line printed *before* its label (§2, §11 C19)."""
    policies = [c for c in components if c.level == "basic-policy"]
    for i, line in enumerate(lines):
        if line.strip() != "取組の主な対象":
            continue
        owner = [p for p in policies if p.span.start <= i + 1][-1]
        value = _prev_nonblank(lines, i)
        owner.target = lines[value].strip()
        owner.target_span = _span(doc, value, i)


# --------------------------------------------------------------------------- program blocks


@dataclass
class Block:
    """One program entry as laid out in the file (0-based indexes)."""

    name_lines: list[int]
    description_lines: list[int]
    legend: int
    mark_line: int
    unit_lines: list[int]
    unit: str | None

    @property
    def end(self) -> int:
        return self.unit_lines[-1] if self.unit_lines else self.mark_line


def find_blocks(lines: list[str], units: Units | None = None) -> list[Block]:
    """Cut the 218 blocks by their legend line (§3 "Anchor").

    A block starts after the previous block's last unit line or after a
    ``事業名等 事業概要`` page header, whichever is later, so target boxes (§11 C19),
    sidebars (§9) and chart data (§11 C20) printed between blocks never become names:
    each of them is followed by a page header before the next block. ``units``: the
    reviewed printed forms of 主な活動の単位 (default: corrections-003.toml).
    """
    units = load_units() if units is None else units
    headers = [i for i, l in enumerate(lines) if l.strip().startswith(TABLE_HEADER[0]) and TABLE_HEADER[1] in l]
    blocks: list[Block] = []
    previous_end = -1
    for legend in (i for i, l in enumerate(lines) if l.strip().startswith(LEGEND)):
        start = max([previous_end] + [h for h in headers if h < legend]) + 1
        body = [i for i in range(start, legend) if lines[i].strip()]
        names, description = _split_name_and_description(lines, body)
        mark = _mark_line(lines, legend)
        unit, unit_lines = read_unit(lines, mark, units)
        block = Block(names, description, legend, mark, unit_lines, unit)
        blocks.append(block)
        previous_end = block.end
    return blocks


def _split_name_and_description(lines: list[str], body: list[int]) -> tuple[list[int], list[int]]:
    """Name = the leading lines no wider than 20 cells; the description's first line is wider (§3)."""
    n = 0
    while n < len(body) and display_width(lines[body[n]].strip()) <= NAME_MAX_WIDTH:
        n += 1
    if n == 0 or n == len(body):
        raise ValueError(f"003: cannot split name/description at line {body[0] + 1 if body else '?'}")
    return body[:n], body[n:]


def _mark_line(lines: list[str], legend: int) -> int:
    """The line after the column header ``市 市社協 …`` (3547 prints ``市 市 市社協``, §11 A6)."""
    i = legend + 1
    while not (lines[i].strip().startswith("市 ") and "市社協" in lines[i]):
        i += 1
        if i - legend > 6:
            raise ValueError(f"003: no column header after legend line {legend + 1}")
    mark = _next_nonblank(lines, i)
    if not lines[mark].strip() or lines[mark].strip()[0] not in MARKS:
        raise ValueError(f"003: line {mark + 1} is not a mark line")
    return mark


@dataclass(frozen=True)
class Units:
    """The reviewed printed forms of 主な活動の単位 (``[[unit]]`` in corrections-003.toml)."""

    one_line: frozenset[str]  # a unit printed on one line, read as printed
    wraps: dict[str, tuple[str, str]]  # first line -> (the line that must follow, the unit read)


def load_units(path: Path = CORRECTIONS) -> Units:
    """The ``[[unit]]`` entries, each with its reason and lines; a form listed twice, or a wrapped
    form without both ``next_line`` and ``unit``, is an error."""
    one_line: set[str] = set()
    wraps: dict[str, tuple[str, str]] = {}
    for e in load_entries(path, "unit", required=("printed",)):
        printed = e["printed"]
        if printed in one_line or printed in wraps:
            raise ValueError(f"{path.name} [[unit]] {printed!r} is listed twice")
        if "next_line" in e or "unit" in e:
            if not (e.get("next_line") and e.get("unit")):
                raise ValueError(f"{path.name} [[unit]] {printed!r}: a wrapped unit needs next_line and unit")
            wraps[printed] = (e["next_line"], e["unit"])
        else:
            one_line.add(printed)
    if not one_line:
        raise ValueError(f"{path.name}: no [[unit]] entries; the printed forms of 主な活動の単位 live there")
    return Units(frozenset(one_line), wraps)


def read_unit(lines: list[str], mark: int, units: Units) -> tuple[str | None, list[int]]:
    """主な活動の単位: on the mark line or on the next 1-2 lines (§11 A5).

    ``町内自治会`` / ``隣近所`` and ``日常生活圏域`` / ``（地域包括ケア圏域）`` wrap onto two lines
    and are read as the unit their reviewed entry gives. Only the reviewed forms are accepted.
    """
    rest = lines[mark].lstrip(" " + MARKS).strip()
    at = mark
    if not rest:
        at = _next_nonblank(lines, mark)
        rest = lines[at].strip()
        if rest not in units.one_line and rest not in units.wraps:
            return None, []
    if rest in units.one_line:
        return rest, [at]
    if rest in units.wraps:
        second_piece, unit = units.wraps[rest]
        nxt = _next_nonblank(lines, at)
        if lines[nxt].strip() != second_piece:
            raise ValueError(f"003: unit {rest!r} at line {at + 1} lacks its second line")
        return unit, sorted({at, nxt})
    raise ValueError(f"003: unknown unit {rest!r} at line {at + 1}")


def split_titles(texts: list[str]) -> list[list[str]]:
    """Split a name cell holding two stacked titles (3051-3059, 3072-3078, 5921-5927; §11 B10).

    A title ends early on a line shorter than the wrap width, and the second title
    repeats the first one's opening words (食生活改善推進員 / 8020推進員 / 熊本市).
    An explicit break without a shared prefix (ボランティア / 入門講座事業, 1915) and a
    parenthetical continuation (（公民館主催講座）, §11 B11) stay one name.
    """
    for k in range(1, len(texts)):
        first, second = norm("".join(texts[:k])), norm("".join(texts[k:]))
        short = display_width(texts[k - 1]) < 16
        if short and len(_common_prefix(first, second)) >= 3:
            return [texts[:k], texts[k:]]
    return [texts]


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def clean_name(printed: str) -> str:
    """Drop the ASCII spaces of letter-spacing (シ ス テ ム （ K-, 市 LINE を…; §11 B9)."""
    return printed.replace(" ", "")


# --------------------------------------------------------------------------- the matrix


@dataclass
class MarkReading:
    """Columns (0 = 市 … 5 = 地域住民) of each mark of one mark line."""

    marks: str  # the mark characters, left to right
    positions: list[int]
    unit_start: int  # T
    unit_start_assumed: bool
    columns: list[int]
    tie: bool  # the best and second-best assignments score the same


def read_mark_positions(line: str) -> tuple[str, list[int], int | None]:
    """The marks of a mark line, their character positions, and T (where the unit starts)."""
    marks, positions, unit_start = "", [], None
    for pos, ch in enumerate(line):
        if ch in MARKS:
            marks += ch
            positions.append(pos)
        elif ch != " ":
            unit_start = pos
            break
    return marks, positions, unit_start


def assign_columns(line: str) -> MarkReading:
    """Rebuild the ◎/○ columns of a mark line from collapsed whitespace (§4, §11 A1-A3, A7).

    The header carries no positions and the mark line keeps only runs of spaces, so
    left-to-right assignment is wrong. Model: a mark at character position ``p`` on a
    line whose unit starts at column ``T`` sits near column ``p·6/T`` (T = 13 when the
    unit is on the next lines). Every strictly increasing assignment of columns is
    scored by the squared distance to those positions (exact fractions), subject to:

    * a gap of 1-2 spaces between two marks means adjacent columns;
    * a gap of 4 or more skips at least one column (3 is left to the fit);
    * two or more leading spaces mean the 市 column is empty (a single leading
      space is not reliable, §11 A2: 1816/1898 are 市 lines).

    The trailing run before the unit is carried by T itself. Returns the best
    assignment and whether it ties with the second best (1913, 1928, 2406, 4299).
    """
    marks, positions, unit_start = read_mark_positions(line)
    assumed = unit_start is None
    t = ASSUMED_UNIT_START if unit_start is None else unit_start
    scored = []
    for cols in combinations(range(len(ACTORS)), len(marks)):
        if not _columns_allowed(positions, cols):
            continue
        score = sum((Fraction(p * len(ACTORS), t) - c) ** 2 for p, c in zip(positions, cols))
        scored.append((score, cols))
    if not scored:
        raise ValueError(f"003: no column assignment fits mark line {line!r}")
    scored.sort()
    tie = len(scored) > 1 and scored[0][0] == scored[1][0]
    return MarkReading(marks, positions, t, assumed, list(scored[0][1]), tie)


def _columns_allowed(positions: list[int], cols: tuple[int, ...]) -> bool:
    """The adjacency rules of §4 observations 2 and 4."""
    if positions[0] >= 2 and cols[0] == 0:
        return False
    for (p, q), (c, d) in zip(zip(positions, positions[1:]), zip(cols, cols[1:])):
        gap = q - p - 1
        if gap <= 2 and d - c != 1:
            return False
        if gap >= 4 and d - c < 2:
            return False
    return True


def _roles(reading: MarkReading) -> tuple[list[str], list[str]]:
    lead = [ACTORS[c] for m, c in zip(reading.marks, reading.columns) if m == LEAD]
    partners = [ACTORS[c] for m, c in zip(reading.marks, reading.columns) if m != LEAD]
    return lead, partners


def _is_trivial(reading: MarkReading) -> bool:
    """A lone ◎ at the start of the line: 市 lead, nothing else (88 lines, §4)."""
    return reading.marks == LEAD and reading.positions == [0]


def _model_note(reading: MarkReading) -> str:
    t = f"T={reading.unit_start}" + (" assumed (unit on the next line)" if reading.unit_start_assumed else "")
    cols = ", ".join(f"{m}@{p}→{ACTORS[c]}" for m, p, c in zip(reading.marks, reading.positions, reading.columns))
    return f"◎/○ columns by position model ({t}): {cols}"


# --------------------------------------------------------------------------- listings


def extract_listings(lines: list[str], doc: str, components: list[Component]) -> list[Listing]:
    """All program entries, in document order, numbered within their 取組."""
    initiatives = [c for c in components if c.level == "initiative"]
    corrections = load_corrections()
    listings: list[Listing] = []
    seqs: Counter[str] = Counter()
    for block in find_blocks(lines):
        owner = [c for c in initiatives if c.span.start <= block.legend + 1][-1]
        seqs[owner.code] += 1
        listings.append(_listing(lines, doc, block, owner, seqs[owner.code]))
    apply_corrections(listings, corrections)
    return listings


def _listing(lines: list[str], doc: str, block: Block, owner: Component, seq: int) -> Listing:
    texts = [lines[i].strip() for i in block.name_lines]
    titles = split_titles(texts)
    printed = "".join(texts)
    names = [clean_name("".join(t)) for t in titles]
    reading = assign_columns(lines[block.mark_line])
    lead, partners = _roles(reading)
    listing = Listing(
        plan=owner.plan,
        component=owner.code,
        seq=seq,
        name="／".join(names),
        name_as_printed=printed,
        name_span=_span(doc, block.name_lines[0], block.name_lines[-1]),
        span=_span(doc, block.name_lines[0], block.end),
        names=names if len(names) > 1 else [],
        description="".join(lines[i].strip() for i in block.description_lines),
        description_span=_span(doc, block.description_lines[0], block.description_lines[-1]),
        lead=lead,
        partners=partners,
        marks_as_printed=lines[block.mark_line],
        marks_span=_span(doc, block.mark_line),
        unit=block.unit,
        unit_span=_span(doc, block.unit_lines[0], block.unit_lines[-1]) if block.unit_lines else None,
    )
    if not _is_trivial(reading):
        listing.notes.append(_model_note(reading))
    if reading.tie:
        listing.uncertain = True
        listing.notes.append("position model: two column readings score the same")
    if len(names) > 1:
        listing.notes.append("two titles stacked in one 事業名等 cell, one description and one matrix")
    return listing


# --------------------------------------------------------------------------- reviewed corrections


def load_corrections(path: Path = CORRECTIONS) -> list[dict]:
    """Reviewed readings (``[[entry]]`` tables) for lines the position model cannot settle."""
    return load_entries(path)


def apply_corrections(listings: list[Listing], corrections: list[dict]) -> None:
    """Apply each reviewed reading to the entry whose name starts on ``name_line``.

    Fails loudly when no entry matches (name, name line, mark line), when an actor
    key is unknown, or when a ``check`` entry disagrees with the position model.
    """
    by_line = {x.name_span.start: x for x in listings}
    for c in corrections:
        listing = by_line.get(c["name_line"])
        if listing is None or c["name"] not in [listing.name, *listing.names]:
            raise ValueError(f"corrections-003: no entry {c['name']!r} at line {c['name_line']}")
        marks_at = listing.marks_span.start if listing.marks_span else None
        if "mark_line" in c and marks_at != c["mark_line"]:
            raise ValueError(f"corrections-003: {c['name']!r} has its marks on {marks_at}")
        reviewed = (list(c.get("lead", listing.lead)), list(c.get("partners", listing.partners)))
        unknown = set(reviewed[0] + reviewed[1]) - set(ACTORS)
        if unknown:
            raise ValueError(f"corrections-003: unknown actor {unknown} for {c['name']!r}")
        model = (listing.lead, listing.partners)
        if c.get("check") and reviewed != model:
            raise ValueError(f"corrections-003: model reads {c['name']!r} as {model}, reviewed {reviewed}")
        if reviewed != model:
            listing.notes.append(f"position model read lead={model[0]} partners={model[1]}; reviewed reading applied")
        listing.lead, listing.partners = reviewed
        listing.uncertain = bool(c.get("uncertain", False))
        listing.notes.append(f"reviewed (lines {', '.join(map(str, c['lines']))}): {c['reason']}")


# --------------------------------------------------------------------------- indicators

_VALUE = re.compile(r"([0-9０-９][0-9０-９,，.．]*)\s*(%|％|人|箇所|件)")


def extract_policy_indicators(lines: list[str], doc: str) -> list[Indicator]:
    """The 成果指標 table closing each 基本方針 (§5, §11 D24).

    Header: 基準値 令和5年度 | 基準値 令和9年度 | 目標値 令和13年度 (基準値 printed twice;
    the middle column is an interim target). Rows: wrapped name lines, then a line of
    three values; name and values share one line at 2432 and 7094.
    """
    out: list[Indicator] = []
    plan = _plan_key()
    for i, line in enumerate(lines):
        m = re.match(r"^\s*【基本方針([ⅠⅡⅢⅣ])の成果指標】", line)
        if m:
            out += _indicator_table(lines, doc, i, m[1], plan)
    return out


def _indicator_table(lines: list[str], doc: str, title: int, policy: str, plan: str) -> list[Indicator]:
    columns, i = _indicator_columns(lines, title)
    rows: list[Indicator] = []
    pending: list[int] = []
    while len(pending) <= 3:
        i = _next_nonblank(lines, i)
        line = lines[i].strip()
        values = list(_VALUE.finditer(line))
        if len(values) != len(columns) or values[-1].end() != len(line):
            pending.append(i)
            continue
        head = line[: values[0].start()].strip()
        name_lines = pending + ([i] if head else [])
        name = "".join(lines[j].strip() for j in pending) + head
        ind = Indicator(
            plan=plan,
            key=f"{ROMAN[policy]}-{len(rows) + 1}",
            name=name,
            span=_span(doc, name_lines[0], name_lines[-1]),
            unit=unicodedata.normalize("NFKC", values[0][2]),
            component=policy,
        )
        for (year, kind), v in zip(columns, values):
            ind.observations.append(Observation(year, kind, _number(v[1]), v[0], _span(doc, i), _status(kind)))
        ind.notes.append("the 令和9年度 column is headed 基準値 as printed; read as the interim target")
        rows.append(ind)
        pending = []
    return rows


def _indicator_columns(lines: list[str], title: int) -> tuple[list[tuple[int, str]], int]:
    """(year, kind) of each value column, read from the header lines after the title."""
    kinds = {"基準値": "baseline", "目標値": "target"}
    columns: list[tuple[int, str]] = []
    label, i = None, title
    while len(columns) < 3:
        i = _next_nonblank(lines, i)
        text = lines[i].strip()
        if text in kinds:
            label = kinds[text]
        elif (m := re.match(r"令和\s*([0-9０-９]+)\s*年度", text)) and label:
            kind = "interim-target" if label == "baseline" and columns else label
            columns.append((_fiscal(m[1]), kind))
    return columns, i


def _number(printed: str) -> float:
    """'３7.４' → 37.4, '1,336' → 1336.0 (mixed digit widths, §11 D24)."""
    return float(unicodedata.normalize("NFKC", printed).replace(",", ""))


def extract_chapter4_indicators(lines: list[str], doc: str) -> list[Indicator]:
    """Chapter 4 ３．成果指標 (8332-8344): ``➢ 指標 N name`` then 実績値 ⇒ 目標値 on the next line.

    Indicator 1 counts calendar years (令和5年, not 年度).
    """
    out: list[Indicator] = []
    plan = _plan_key()
    value = re.compile(
        r"(実績値|目標値)[：:\s]*令和\s*([0-9０-９]+)\s*年(度?)[：:\s]*(?:年間)?\s*(([0-9０-９,]+)\s*(件|ケース))"
    )
    for i, line in enumerate(lines):
        m = re.match(r"^\s*➢\s*指標\s*([0-9０-９]+)\s+(\S.*?)\s*$", line)
        if not m:
            continue
        j = _next_nonblank(lines, i)
        found = list(value.finditer(lines[j]))
        if len(found) != 2:
            raise ValueError(f"003: chapter-4 indicator values not found at line {j + 1}")
        ind = Indicator(
            plan=plan,
            key=f"ch4-{unicodedata.normalize('NFKC', m[1])}",
            name=m[2],
            span=_span(doc, i),
            unit=found[0][6],
            calendar_years=not found[0][3],
        )
        for v in found:
            kind = "actual" if v[1] == "実績値" else "target"
            ind.observations.append(Observation(_fiscal(v[2]), kind, _number(v[5]), v[4], _span(doc, j), _status(kind)))
        out.append(ind)
    return out


# --------------------------------------------------------------------------- laws


@dataclass
class _Char:
    norm: str  # NFKC of one printed character
    line: int
    col: int


def _joined(lines: list[str]) -> list[_Char]:
    """The document as one stream of non-space characters, each with its line and column.

    Law names wrap across lines (災害対|策基本法 69/71, 「成年後見制|度の…」 240/242; §11 E25),
    so citations are searched in this stream, not line by line.
    """
    out: list[_Char] = []
    for li, line in enumerate(lines):
        for col, ch in enumerate(line):
            if ch in " \u3000\t":
                continue
            for n in unicodedata.normalize("NFKC", ch):
                out.append(_Char(n, li, col))
    return out


def _law_names() -> list[tuple[str, str]]:
    """(normalised printed form, key) for every name and alias in laws.toml, longest first."""
    data = tomllib.loads(LAWS.read_text(encoding="utf-8"))
    forms = [(norm(v["name"]), k) for k, v in data.items()]
    forms += [(norm(a), k) for k, v in data.items() for a in v.get("aliases", [])]
    return sorted(forms, key=lambda f: -len(f[0]))


_ARTICLE = re.compile(r"第(\d+)条(?:第(\d+)項)?|(別表)")  # 別表: the appended table (8540)
_BASIS_AFTER = ("に基づく", "に規定する", "」に基づき")


def find_law_citations(lines: list[str], doc: str) -> list[LawRef]:
    """Every citation of a law in laws.toml, with the article when one follows the name.

    ``社会福祉法人`` is not a citation of 社会福祉法. Citations in 「３ 計画の位置づけ」
    followed by に基づく / に規定する are the plan's legal basis (l.136, 138, 240-242).
    """
    stream = _joined(lines)
    text = "".join(c.norm for c in stream)
    basis_lines = _basis_section(lines)
    taken = [False] * len(text)
    found: list[tuple[int, LawRef]] = []
    for form, key in _law_names():
        for m in re.finditer(re.escape(form), text):
            a, b = m.start(), m.end()
            if any(taken[a:b]) or text[b : b + 1] == "人":
                continue
            for k in range(a, b):
                taken[k] = True
            article = None
            if am := _ARTICLE.match(text, b):
                article = "annex" if am[3] else am[1] + (f"-{am[2]}" if am[2] else "")
                b = am.end()
            first, last = stream[a], stream[b - 1]
            basis = first.line in basis_lines and text[b : b + 6].startswith(_BASIS_AFTER)
            ref = LawRef(
                key,
                article,
                _printed(lines, first, last),
                _span(doc, first.line, last.line),
                "legal-basis" if basis else "cited",
            )
            found.append((a, ref))
    return [ref for _, ref in sorted(found, key=lambda f: f[0])]


def _basis_section(lines: list[str]) -> range:
    """Indexes of 「３ 計画の位置づけ」 up to ③ ＳＤＧｓとの関係 (l.133-262)."""
    start = next(i for i, l in enumerate(lines) if l.strip() == "３ 計画の位置づけ")
    end = next(i for i, l in enumerate(lines) if "ＳＤＧｓとの関係" in l)
    return range(start, end)


def _printed(lines: list[str], first: _Char, last: _Char) -> str:
    """The citation as printed, wrapped lines joined."""
    if first.line == last.line:
        return lines[first.line][first.col : last.col + 1]
    parts = [lines[first.line][first.col :].strip()]
    parts += [lines[i].strip() for i in range(first.line + 1, last.line)]
    parts.append(lines[last.line][: last.col + 1].strip())
    return "".join(parts)
