"""Extractor for seed 004: 久留米市 基本目標に関する現状報告及び今後の課題・方向性.

A council handout (資料２) reporting, for FY R3 (2021), the three 基本目標 of Kurume's
child plan: per goal （１）成果指標の現状値 (a table), （２）令和３年度の取組状況 (four
measures ①-④) and （３）今後の課題・方向性.  Layout and traps are documented in
``/work/shared/notes/layout-seed-001-002-004.md`` §3 (hazards H1-H8 below refer to
its "Parsing hazards" list).

Steps:

1. the plan record: its name is never printed and is inferred (:func:`read_plan`);
2. goals and measures from their headings (H8: stray space in the goal-1 heading);
3. each goal's table is found by its header (H1: displaced from its （１） heading,
   once into the middle of a sentence) and bounded by the page break after it;
4. the table is tokenised: header years via :mod:`graph.era`, value cells split where
   they are glued (H3), ``－`` = not measured (H4), ``▲`` = minus (H5), header words
   ignored (H7), names and 評価指標 texts kept as text lines (H2);
5. the reviewed reading (``data/reviewed/corrections-004.toml``) pins each cell to
   its row and column, because the serialisation by column group (H2) differs from
   table to table; every pin is checked against the tokens and every value cell
   must be used, so a wrong or stale pin fails loudly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from graph.era import parse_era_year
from graph.extract.reviewed import load_entries
from graph.records import Component, DocumentRecords, Indicator, Observation, Plan, Span
from graph.sources import ROOT, Document, document
from graph.text import norm

PLAN_KEY = "kurume-child-smile-plan-2"
CORRECTIONS = ROOT / "data" / "reviewed" / "corrections-004.toml"

_CIRCLED = "①②③④⑤⑥⑦⑧⑨"
_GOAL = re.compile(r"^\s*([0-9０-９])\s*【基本目標([0-9０-９])】(.+)$")
_MEASURE = re.compile(r"^\s*([①-⑨])(.+)$")

# One value cell: a number with its unit (▲ = minus), or a dash (not measured).
_CELL = r"(?:▲?[0-9０-９]+(?:[.．][0-9０-９]+)?(?:%|％|人|か所)|[－―])"
_VALUE_LINE = re.compile(rf"^(?:(?P<label>小学[0-9０-９]年|中学[0-9０-９]年|全国（[小中]）)\s+)?(?P<cells>(?:{_CELL}\s*)+)$")
_HEADER_WORDS = {"基準値", "実績現状値", "目標値", "成果指標評価指標"}
_DASHES = {"－", "―", "-", "ー"}
_UNIT_SUFFIX = {"%": ("%", "％"), "ポイント": ("%", "％"), "人": ("人",), "か所": ("か所",)}


# ----------------------------------------------------------------------------- plan


def read_plan(lines: list[str], doc: str) -> Plan:
    """The plan is not named anywhere in the text: the title and period are inferred.

    Kurume is identified by くるモニ (l.108-110), 久留米市結婚応援・子育て支援総合サイト
    (l.268) and 久留米市子どもの生活実態調査 (l.403); every table is based on R1 and
    targets R6 (l.77-85), the span of 第2期くるめ子どもの笑顔プラン (令和２～６年度).
    Fails if the lines this inference rests on have changed.
    """
    title_ln = _find(lines, 1, 20, lambda n: n == "基本目標に関する現状報告及び今後の課題・方向性")
    for ln, needle in ((108, "市政アンケートモニ"), (268, "久留米市"), (403, "久留米市子どもの生活実態調査")):
        if needle not in lines[ln - 1]:
            raise ValueError(f"l.{ln} no longer mentions {needle!r}: the plan inference must be re-checked")
    header = read_header(lines, table_bounds(lines, 1, len(lines))[0])
    years = sorted(header)
    if (years[0], years[-1]) != (2019, 2024):
        raise ValueError(f"first table runs {years[0]}-{years[-1]}, not R1-R6: the plan inference must be re-checked")
    return Plan(
        key=PLAN_KEY,
        doc=doc,
        title="第2期くるめ子どもの笑顔プラン",
        title_en="Second Kurume Children's Smiles Plan",
        city="久留米市",
        span=Span(doc, title_ln, title_ln),
        period_start=2020,
        period_end=2024,
        period_span=Span(doc, 77, 85),
        period_note=(
            "inferred: the document (資料２, l.74; title l.6) never names its plan. It is Kurume "
            "(市政アンケートモニター「くるモニ」 l.108-110, 久留米市結婚応援・子育て支援総合サイト l.268, "
            "久留米市子どもの生活実態調査 l.403), a child plan with three 基本目標, baseline 令和元年度 "
            "and target 令和６年度 (l.77-85): this matches 第2期くるめ子どもの笑顔プラン, the city's "
            "FY2020-2024 (令和２～６年度) child and child-rearing plan reviewed by 久留米市子ども・"
            "子育て会議. Title and period come from that identification, not from the text."
        ),
    )


# ------------------------------------------------------------------------ hierarchy


def _title(text: str) -> str:
    """H8: the goal-1 heading prints 安心して生み 育てられる環境づくりについて, with a stray
    space and the report's について; the goal's title is the text without both."""
    text = re.sub(r"[ \u3000]+", "", text.strip())
    return text.removesuffix("について")


def read_components(lines: list[str], doc: str) -> list[Component]:
    """Goals from ``１ 【基本目標１】…`` (both numbers must agree), measures from the
    ①-④ lines of the goal's section, coded ``goal.n``; each goal must have ①-④ in order."""
    out: list[Component] = []
    goal: Component | None = None
    for ln, line in enumerate(lines, 1):
        if m := _GOAL.match(line):
            num, num2 = norm(m.group(1)), norm(m.group(2))
            if num != num2:
                raise ValueError(f"l.{ln}: heading number {num} but 基本目標{num2}")
            goal = Component(PLAN_KEY, "goal", num, _title(m.group(3)), line.strip(), Span(doc, ln, ln))
            out.append(goal)
        elif (m := _MEASURE.match(line)) and goal is not None:
            n = _CIRCLED.index(m.group(1)) + 1
            out.append(
                Component(PLAN_KEY, "measure", f"{goal.code}.{n}", m.group(2).strip(), line.strip(),
                          Span(doc, ln, ln), parent=goal.code)
            )
    _check_measures(out)
    return out


def _check_measures(components: list[Component]) -> None:
    for goal in (c for c in components if c.level == "goal"):
        codes = [c.code for c in components if c.parent == goal.code]
        if codes != [f"{goal.code}.{n}" for n in range(1, len(codes) + 1)] or not codes:
            raise ValueError(f"goal {goal.code}: measures {codes} are not ①, ②, … in order")


def goal_sections(lines: list[str], components: list[Component]) -> dict[str, tuple[int, int]]:
    """Goal code -> (heading line, last line before the next goal heading)."""
    goals = [c for c in components if c.level == "goal"]
    ends = [g.span.start - 1 for g in goals[1:]] + [len(lines)]
    return {g.code: (g.span.start, end) for g, end in zip(goals, ends)}


# --------------------------------------------------------------------------- tables


def table_bounds(lines: list[str], start: int, end: int) -> tuple[int, int]:
    """H1: a goal's table is not under its （１）成果指標の現状値 heading (only blank lines
    follow it) but further on, between measures or mid-sentence.  It starts at the
    ``基準値`` header line and ends at the last text line before the page break after
    it (two consecutive empty lines; a table itself only has single blank lines)."""
    first = _find(lines, start, end, lambda n: n == "基準値")
    last = first
    for ln in range(first, end + 1):
        if lines[ln - 1] == "" and ln < len(lines) and lines[ln] == "":
            return first, last
        if lines[ln - 1].strip():
            last = ln
    raise ValueError(f"table at l.{first}: no page break before l.{end}")


def read_header(lines: list[str], first: int) -> dict[int, str]:
    """Year -> observation kind from the header: ``基準値（令和元年度）`` baseline,
    ``実績 現状値`` over ``（令和２年度） （令和３年度）`` actuals, ``目標値（令和６年度）``
    target.  All era years go through :func:`graph.era.parse_era_year`."""
    out: dict[int, str] = {}
    ln = first
    while ln < first + 12:
        n = norm(lines[ln - 1])
        if n in ("基準値", "目標値"):
            year = parse_era_year(lines[ln])  # the （令和…年度） line right under it
            if year is None:
                raise ValueError(f"l.{ln + 1}: no era year under {n}")
            out[year] = "baseline" if n == "基準値" else "target"
        elif re.fullmatch(r"(\(令和[^()]+年度\))+", n) and n.count("(") > 1:
            for part in re.findall(r"\([^()]+\)", n):
                out[parse_era_year(part)] = "actual"
        ln += 1
    kinds = sorted(out.values())
    if kinds.count("baseline") != 1 or kinds.count("target") != 1 or kinds.count("actual") < 1:
        raise ValueError(f"table at l.{first}: header read as {out}")
    return out


@dataclass
class ValueLine:
    """One line of value cells, glued cells split apart (H3), with its row label if any."""

    line: int
    label: str | None
    cells: list[str]


@dataclass
class Table:
    goal: str
    first: int
    last: int
    years: dict[int, str]  # year -> "baseline" | "actual" | "target"
    values: dict[int, ValueLine] = field(default_factory=dict)
    text_lines: dict[int, str] = field(default_factory=dict)  # names, 評価指標, worded targets


def split_cells(text: str) -> list[str]:
    """H3: cells glued on one line (``42か所42か所``, ``43.1%－``, ``－ －``) -> one
    string per cell, as printed."""
    return re.findall(_CELL, text)


def _is_header(n: str) -> bool:
    """H7: ``成果指標 評価指標`` / ``実績 現状値`` / ``基準値`` / ``目標値`` and the
    （令和…年度） lines are column labels, never indicators or values."""
    return n in _HEADER_WORDS or re.fullmatch(r"(\(令和[^()]+年度\))+", n) is not None


def read_table(lines: list[str], goal: str, start: int, end: int) -> Table:
    """Sort the table's lines into header (dropped), value lines (tokenised), the
    （※） footnote (dropped, kept in a note by the reading) and text lines."""
    first, last = table_bounds(lines, start, end)
    table = Table(goal, first, last, read_header(lines, first))
    for ln in range(first, last + 1):
        raw = lines[ln - 1].strip()
        n = norm(raw)
        if not n or _is_header(n) or raw.startswith("（※）"):
            continue
        if m := _VALUE_LINE.match(raw):
            table.values[ln] = ValueLine(ln, m.group("label"), split_cells(m.group("cells")))
        else:
            table.text_lines[ln] = raw
    return table


# -------------------------------------------------------------------------- values


def observation(raw: str, year: int, kind: str, span: Span) -> Observation:
    """H4: ``－`` = not measured (value None, never 0).  H5: ``▲`` = minus.  Units and
    ％/% are stripped for the value only; the raw cell is kept.  Words (a target such
    as 小中学校ともに全国平均以上) are non-numeric."""
    n = norm(raw)
    if n in _DASHES:
        return Observation(year, kind, None, raw, span, "not-measured")
    m = re.fullmatch(r"(▲)?(\d+(?:\.\d+)?)(?:%|人|か所)?", n)
    if not m:
        return Observation(year, kind, None, raw, span, "non-numeric")
    value = float(m.group(2))
    return Observation(year, kind, -value if m.group(1) else value, raw, span, "measured")


# ----------------------------------------------------------------- reviewed reading


@dataclass
class Reading:
    """One [[indicator]] of corrections-004.toml: where each cell of one row is."""

    key: str
    goal: str
    name: str
    name_lines: list[int]
    source: str
    source_lines: list[int]
    unit: str
    cells: dict[str, list[int]]
    reason: str
    lines: list[int]
    series: str | None = None
    target_text: list[int] | None = None
    note: str = ""
    uncertain: str = ""


def load_readings(path: Path = CORRECTIONS) -> list[Reading]:
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: the cell-by-cell readings of the indicator tables live there")
    return [Reading(**entry) for entry in load_entries(path, "indicator", required=("key",))]


def _joined(table: Table, first: int, last: int, what: str) -> str:
    """H2: names and 評価指標 texts are wrapped over 1-4 lines after the values; join
    the lines (no separator, as Japanese) after checking they are text lines of the table."""
    missing = [ln for ln in range(first, last + 1) if ln not in table.text_lines]
    if missing:
        raise ValueError(f"goal {table.goal} {what}: l.{missing} are not text lines of the table l.{table.first}-{table.last}")
    return "".join(table.text_lines[ln] for ln in range(first, last + 1))


def _cell(table: Table, reading: Reading, column: str, pos: list[int]) -> tuple[str, int]:
    ln, k = pos
    vl = table.values.get(ln)
    if vl is None or k >= len(vl.cells):
        raise ValueError(f"{reading.key} {column}: no value cell {k} on l.{ln} of goal {table.goal}'s table")
    if vl.label is not None and vl.label != reading.series:  # unlabelled cells are shared by the series
        raise ValueError(f"{reading.key} {column}: l.{ln} is labelled {vl.label!r}, not {reading.series!r}")
    raw = vl.cells[k]
    if norm(raw) not in _DASHES and not norm(raw).endswith(tuple(norm(u) for u in _UNIT_SUFFIX[reading.unit])):
        raise ValueError(f"{reading.key} {column}: cell {raw!r} (l.{ln}) is not in {reading.unit}")
    return raw, ln


def indicator(table: Table, reading: Reading, doc: str) -> Indicator:
    """Build one Indicator from its reading: check the printed name and 評価指標, map
    the column labels (R1 …) to the header's years and kinds, read each cell."""
    name = _joined(table, *reading.name_lines, "name")
    source = _joined(table, *reading.source_lines, "source").removesuffix("（※）")
    if norm(name) != norm(reading.name) or norm(source) != norm(reading.source):
        raise ValueError(f"{reading.key}: printed {name!r} / {source!r}, reading says {reading.name!r} / {reading.source!r}")
    obs = []
    for column, pos in reading.cells.items():
        year = parse_era_year(column)
        if year not in table.years:
            raise ValueError(f"{reading.key}: column {column} ({year}) is not in the header {table.years}")
        raw, ln = _cell(table, reading, column, pos)
        obs.append(observation(raw, year, table.years[year], Span(doc, ln, ln)))
    if reading.target_text:
        a, b = reading.target_text
        year = next(y for y, k in table.years.items() if k == "target")
        obs.append(observation(_joined(table, a, b, "target"), year, "target", Span(doc, a, b)))
    _check_columns(table, reading, obs)
    notes = [t for t in (reading.note, reading.uncertain) if t]
    return Indicator(
        plan=PLAN_KEY, key=reading.key, name=name, span=Span(doc, *reading.name_lines), unit=reading.unit,
        component=table.goal, series=reading.series, source=source,
        observations=sorted(obs, key=lambda o: o.year), notes=notes,
    )


def _check_columns(table: Table, reading: Reading, obs: list[Observation]) -> None:
    years = sorted(o.year for o in obs)
    if years != sorted(table.years):
        raise ValueError(f"{reading.key}: observations for {years}, header has {sorted(table.years)}")


def check_coverage(table: Table, readings: list[Reading]) -> None:
    """Every value cell and text line of a table is read by exactly one indicator (the
    series of one indicator may share cells and lines); the 全国（小）/全国（中） lines are
    context quoted in the notes.  A leftover or doubly used cell fails the build."""
    owners: dict[tuple[int, int], set[str]] = {}
    for r in readings:
        cells = [tuple(pos) for pos in r.cells.values()]
        if len(set(cells)) != len(cells):
            raise ValueError(f"{r.key}: one cell read for two columns: {r.cells}")
        for ln, k in cells:
            owners.setdefault((ln, k), set()).add(r.name)
    for ln, vl in table.values.items():
        if vl.label and vl.label.startswith("全国"):
            continue
        for k in range(len(vl.cells)):
            names = owners.get((ln, k), set())
            if len(names) != 1:
                raise ValueError(f"goal {table.goal}: cell {vl.cells[k]!r} (l.{ln}) is read by {len(names)} indicators")
    used = set()
    for r in readings:
        for a, b in [r.name_lines, r.source_lines] + ([r.target_text] if r.target_text else []):
            used.update(range(a, b + 1))
    if left := sorted(set(table.text_lines) - used):
        raise ValueError(f"goal {table.goal}: text lines {left} are read by no indicator")


# ---------------------------------------------------------------------- entry point


def read_indicators(lines: list[str], components: list[Component], doc: str,
                    readings: list[Reading] | None = None) -> list[Indicator]:
    """Per goal, in goal order: find and tokenise its table, apply its readings (each
    pin checked), then check that the readings cover the whole table."""
    readings = load_readings() if readings is None else readings
    sections = goal_sections(lines, components)
    unknown = {r.goal for r in readings} - set(sections)
    if unknown:
        raise ValueError(f"readings for goals {sorted(unknown)} that the document does not have")
    out = []
    for code, (start, end) in sections.items():
        table = read_table(lines, code, start, end)
        mine = [r for r in readings if r.goal == code]
        if not mine:
            raise ValueError(f"goal {code}: table l.{table.first}-{table.last} has no reading")
        out.extend(indicator(table, r, doc) for r in mine)
        check_coverage(table, mine)
    return out


def _find(lines: list[str], start: int, end: int, test) -> int:
    for ln in range(start, end + 1):
        if test(norm(lines[ln - 1])):
            return ln
    raise ValueError(f"expected line not found in l.{start}-{end}")


def extract(doc: Document | None = None) -> DocumentRecords:
    doc = doc or document("004")
    lines = doc.lines()
    components = read_components(lines, doc.id)
    return DocumentRecords(
        doc=doc.id,
        plans=[read_plan(lines, doc.id)],
        components=components,
        indicators=read_indicators(lines, components, doc.id),
    )
