"""Extractor for seed 004: 久留米市 基本目標に関する現状報告及び今後の課題・方向性.

A council handout (資料２) reporting, for FY R3 (2021), the three 基本目標 of Kurume's
child plan: per goal （１）成果指標の現状値 (a table), （２）令和３年度の取組状況 (four
measures ①-④) and （３）今後の課題・方向性.  Layout and traps are documented in
``docs/sources/004-kurume-status.md`` (hazards H1-H8 below are its §3).

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
   must be used, so a wrong or stale pin fails loudly.  Rows that share a key are the
   series of one indicator (小学６年 / 中学３年, l.388/390), their observations carrying
   the series and the national average printed under them (全国（小）/（中）, l.392/394)
   as comparison values; a target printed as a change from the baseline (▲3.8％, l.399)
   is kept as a change, not a level; targets are ``planned``, not ``measured``;
6. the measures' （２） texts and the goals' （３）今後の課題・方向性 texts, skipping the
   displaced tables and the 資料２ mark (:func:`read_narratives`);
7. what the handout prints about itself: title, 資料２, report year (:func:`read_meta`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from fukushi_kg import resources
from fukushi_kg.graph.era import parse_era_year
from fukushi_kg.graph.extract.plans import load_plan
from fukushi_kg.graph.extract.reviewed import load_entries
from fukushi_kg.graph.records import (
    Comparison,
    Component,
    DocumentMeta,
    DocumentRecords,
    Indicator,
    Observation,
    Plan,
    Span,
)
from fukushi_kg.graph.sources import Document, document
from fukushi_kg.graph.text import find_line, norm

SOURCE = "004"  # its plan record is the [[plan]] entry of data/reviewed/plans.toml with this source
CORRECTIONS = resources.reviewed("corrections-004.toml")

_CIRCLED = "①②③④⑤⑥⑦⑧⑨"
_GOAL = re.compile(r"^\s*([0-9０-９])\s*【基本目標([0-9０-９])】(.+)$")
_MEASURE = re.compile(r"^\s*([①-⑨])(.+)$")

# One value cell: a number with its unit (▲ = minus), or a dash (not measured).
_CELL = r"(?:▲?[0-9０-９]+(?:[.．][0-9０-９]+)?(?:%|％|人|か所)|[－―])"
_VALUE_LINE = re.compile(
    rf"^(?:(?P<label>小学[0-9０-９]年|中学[0-9０-９]年|全国（[小中]）)\s+)?(?P<cells>(?:{_CELL}\s*)+)$"
)
_HEADER_WORDS = {"基準値", "実績現状値", "目標値", "成果指標評価指標"}
_DASHES = {"－", "―", "-", "ー"}
_UNIT_SUFFIX = {"%": ("%", "％"), "ポイント": ("%", "％"), "人": ("人",), "か所": ("か所",)}


# ----------------------------------------------------------------------------- plan


def _plan_key() -> str:
    """The plan's IRI key, from its reviewed record (data/reviewed/plans.toml)."""
    return load_plan(SOURCE).key


def read_plan(lines: list[str], doc: str) -> Plan:
    """The plan is not named anywhere in the text: its title and period are an identification,
    kept with its reasons in ``data/reviewed/plans.toml``.

    Kurume is identified by くるモニ (l.108-110), 久留米市結婚応援・子育て支援総合サイト
    (l.268) and 久留米市子どもの生活実態調査 (l.403); every table is based on R1 and
    targets R6 (l.77-85), the span of 第2期くるめ子どもの笑顔プラン (令和２～６年度).
    Fails if the lines this inference rests on (the record's ``checks`` and ``table_years``)
    have changed.
    """
    plan = load_plan(SOURCE)
    plan.check(lines)
    header = read_header(lines, table_bounds(lines, 1, len(lines))[0])
    years = sorted(header)
    if [years[0], years[-1]] != plan.table_years:
        raise ValueError(
            f"first table runs {years[0]}-{years[-1]}, not {plan.table_years}: the plan inference must be re-checked"
        )
    return plan.record(doc)


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
    key = _plan_key()
    goal: Component | None = None
    for ln, line in enumerate(lines, 1):
        if m := _GOAL.match(line):
            num, num2 = norm(m.group(1)), norm(m.group(2))
            if num != num2:
                raise ValueError(f"l.{ln}: heading number {num} but 基本目標{num2}")
            goal = Component(key, "goal", num, _title(m.group(3)), line.strip(), Span(doc, ln, ln))
            out.append(goal)
        elif (m := _MEASURE.match(line)) and goal is not None:
            n = _CIRCLED.index(m.group(1)) + 1
            out.append(
                Component(
                    key,
                    "measure",
                    f"{goal.code}.{n}",
                    m.group(2).strip(),
                    line.strip(),
                    Span(doc, ln, ln),
                    parent=goal.code,
                )
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


# ------------------------------------------------------------------------ narratives

_ACTIONS = re.compile(r"\(2\)(令和.+年度)の取組状況")  # normalised: （２）令和３年度の取組状況
_DIRECTION = "(3)今後の課題・方向性"
_HANDOUT = re.compile(r"資料[0-9]+")  # normalised: 資料２


def _is_handout_mark(line: str) -> bool:
    """The handout number 資料２ (l.74) is printed at the top of page 2, between measure
    ②'s text (54-70) and goal 1's displaced table: page furniture, not narrative."""
    return _HANDOUT.fullmatch(norm(line)) is not None


def narrative(lines: list[str], first: int, last: int, skip: set[int]) -> tuple[str, list[tuple[int, int]]]:
    """The running text of lines ``first``..``last``, and its runs of lines (first, last).

    H1: a table displaced into the text (goal 3's table, l.378-422, splits measure ④'s
    sentence …子ども | の様々な困りごと… at 376/426) and the 資料２ mark are in ``skip``:
    dropped, and they end a run, so such a text has one span per run.  Blank lines are
    dropped without ending a run.  Wrapped lines are joined without a separator (as
    Japanese); a line indented by a space starts a paragraph, joined by a newline."""
    paragraphs: list[str] = []
    runs: list[list[int]] = []
    open_run = False
    for ln in range(first, last + 1):
        raw = lines[ln - 1]
        if ln in skip:
            open_run = False
            continue
        if not raw.strip():
            continue
        if open_run:
            runs[-1][1] = ln
        else:
            runs.append([ln, ln])
            open_run = True
        if not paragraphs or raw[:1] in (" ", "\u3000"):
            paragraphs.append(raw.strip())
        else:
            paragraphs[-1] += raw.strip()
    return "\n".join(paragraphs), [(a, b) for a, b in runs]


def read_narratives(lines: list[str], components: list[Component], doc: str) -> None:
    """Per goal section: each measure's （２）令和３年度の取組状況 text (from its ①-④
    heading to the next heading, or to （３）) becomes its ``actions``; the （３）今後の
    課題・方向性 text (to the next goal) becomes the goal's ``plans_ahead``.  The goal's
    table and the 資料２ mark are skipped (:func:`narrative`).  Fails if a goal lacks its
    （２） or （３） heading, or a measure or goal is left without text."""
    sections = goal_sections(lines, components)
    for goal in (c for c in components if c.level == "goal"):
        start, end = sections[goal.code]
        actions = find_line(lines, start, end, lambda n: _ACTIONS.fullmatch(n) is not None)
        direction = find_line(lines, start, end, lambda n: n == _DIRECTION)
        first, last = table_bounds(lines, start, end)
        skip = set(range(first, last + 1)) | {ln for ln in range(start, end + 1) if _is_handout_mark(lines[ln - 1])}
        measures = [c for c in components if c.parent == goal.code]
        if not all(actions < m.span.start < direction for m in measures):
            raise ValueError(f"goal {goal.code}: measures are not between （２） l.{actions} and （３） l.{direction}")
        ends = [m.span.start - 1 for m in measures[1:]] + [direction - 1]
        for m, m_end in zip(measures, ends):
            m.actions, runs = narrative(lines, m.span.start + 1, m_end, skip)
            m.actions_spans = [Span(doc, a, b) for a, b in runs]
        goal.plans_ahead, runs = narrative(lines, direction + 1, end, skip)
        goal.plans_ahead_spans = [Span(doc, a, b) for a, b in runs]
        for c in [*measures, goal]:
            if not (c.actions if c.level == "measure" else c.plans_ahead):
                raise ValueError(f"{c.level} {c.code}: no narrative text found")


# ------------------------------------------------------------------- document meta


def read_meta(lines: list[str], doc: Document) -> DocumentMeta:
    """What the handout prints about itself: its title (the first text line, l.6, which
    must be the manifest's title), its number 資料２ (l.74, the only such line) and the
    fiscal year it reports on, from the （２）令和３年度の取組状況 headings (l.30, 232,
    334), which must all name the same year."""
    title_ln = find_line(lines, 1, len(lines), bool)
    if norm(lines[title_ln - 1]) != norm(doc.title):
        raise ValueError(f"l.{title_ln}: title {lines[title_ln - 1].strip()!r} is not the manifest's {doc.title!r}")
    marks = [ln for ln, line in enumerate(lines, 1) if _is_handout_mark(line)]
    if len(marks) != 1:
        raise ValueError(f"handout number printed on l.{marks}, expected exactly one line")
    years = {
        ln: parse_era_year(m.group(1)) for ln, line in enumerate(lines, 1) if (m := _ACTIONS.fullmatch(norm(line)))
    }
    if len(set(years.values())) != 1:
        raise ValueError(f"（２）…年度の取組状況 headings name different years: {years}")
    year_ln = min(years)
    return DocumentMeta(
        title=lines[title_ln - 1].strip(),
        title_span=Span(doc.id, title_ln, title_ln),
        number=lines[marks[0] - 1].strip(),
        number_span=Span(doc.id, marks[0], marks[0]),
        report_year=years[year_ln],
        report_year_span=Span(doc.id, year_ln, year_ln),
    )


# --------------------------------------------------------------------------- tables


def table_bounds(lines: list[str], start: int, end: int) -> tuple[int, int]:
    """H1: a goal's table is not under its （１）成果指標の現状値 heading (only blank lines
    follow it) but further on, between measures or mid-sentence.  It starts at the
    ``基準値`` header line and ends at the last text line before the page break after
    it (two consecutive empty lines; a table itself only has single blank lines)."""
    first = find_line(lines, start, end, lambda n: n == "基準値")
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
                actual = parse_era_year(part)
                if actual is None:
                    raise ValueError(f"l.{ln + 1}: no era year in {part}")
                out[actual] = "actual"
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

_NUMBER = re.compile(r"(▲)?(\d+(?:\.\d+)?)(%|人|か所)?")
_TARGET_KINDS = {"target", "interim-target"}


def cell_value(raw: str) -> float | None:
    """H5: ``▲`` = minus; units and ％/% are stripped (compared after NFKC).  None
    for a dash or words."""
    m = _NUMBER.fullmatch(norm(raw))
    if not m:
        return None
    value = float(m.group(2))
    return -value if m.group(1) else value


def observation(raw: str, year: int, kind: str, span: Span) -> Observation:
    """H4: ``－`` = not measured (value None, never 0).  H5: ``▲`` = minus.  Units and
    ％/% are stripped for the value only; the raw cell is kept.  Words (a target such
    as 小中学校ともに全国平均以上) are non-numeric.  A numeric target (目標値 column)
    is ``planned``: set by the plan, not measured."""
    n = norm(raw)
    if n in _DASHES:
        return Observation(year, kind, None, raw, span, "not-measured")
    value = cell_value(raw)
    if value is None:
        return Observation(year, kind, None, raw, span, "non-numeric")
    return Observation(year, kind, value, raw, span, "planned" if kind in _TARGET_KINDS else "measured")


# ----------------------------------------------------------------- reviewed reading


@dataclass
class Reading:
    """One [[indicator]] of corrections-004.toml: where each cell of one table row is.

    Rows with the same ``key`` are the series of one indicator (``series`` as printed,
    ``series_key`` for the IRI)."""

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
    series_key: str | None = None
    target_text: list[int] | None = None
    target_value: float | None = None  # the number a worded target is read as, in the indicator's unit
    target_note: str = ""
    change_columns: list[str] = field(default_factory=list)  # cells printed as a change from the baseline
    comparison_label: str | None = None  # 全国（小）: the labelled line the comparison cells are on
    comparison: dict[str, list[int]] = field(default_factory=dict)  # column -> [line, k], as cells
    note: str = ""
    uncertain: str = ""
    uncertain_columns: list[str] = field(default_factory=list)  # the cells `uncertain` is about


def load_readings(path: Path = CORRECTIONS) -> list[Reading]:
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: the cell-by-cell readings of the indicator tables live there")
    return [Reading(**entry) for entry in load_entries(path, "indicator", required=("key",))]


def _joined(table: Table, first: int, last: int, what: str) -> str:
    """H2: names and 評価指標 texts are wrapped over 1-4 lines after the values; join
    the lines (no separator, as Japanese) after checking they are text lines of the table."""
    missing = [ln for ln in range(first, last + 1) if ln not in table.text_lines]
    if missing:
        raise ValueError(
            f"goal {table.goal} {what}: l.{missing} are not text lines of the table l.{table.first}-{table.last}"
        )
    return "".join(table.text_lines[ln] for ln in range(first, last + 1))


def _cell(
    table: Table, reading: Reading, column: str, pos: list[int], label: str | None = None, unit: str | None = None
) -> tuple[str, int]:
    """The k-th value cell of a line, checked: the line's row label (if printed) must be
    ``label`` (the reading's series by default; unlabelled cells are shared by the
    series), and the cell must be a dash or carry ``unit`` (the reading's by default)."""
    label = reading.series if label is None else label
    unit = reading.unit if unit is None else unit
    ln, k = pos
    vl = table.values.get(ln)
    if vl is None or k >= len(vl.cells):
        raise ValueError(f"{reading.key} {column}: no value cell {k} on l.{ln} of goal {table.goal}'s table")
    if vl.label is not None and vl.label != label:
        raise ValueError(f"{reading.key} {column}: l.{ln} is labelled {vl.label!r}, not {label!r}")
    raw = vl.cells[k]
    if norm(raw) not in _DASHES and not norm(raw).endswith(tuple(norm(u) for u in _UNIT_SUFFIX[unit])):
        raise ValueError(f"{reading.key} {column}: cell {raw!r} (l.{ln}) is not in {unit}")
    return raw, ln


def _year(table: Table, reading: Reading, column: str) -> int:
    year = parse_era_year(column)
    if year not in table.years:
        raise ValueError(f"{reading.key}: column {column} ({year}) is not in the header {table.years}")
    return year


def _as_change(obs: Observation, baseline: Observation | None, key: str) -> Observation:
    """Trap: 生活困難世帯の割合's target ▲3.8％ (l.399) is not a level (a share cannot be
    −3.8%) but a change from the 19.6% baseline (l.401).  The number moves from ``value``
    to ``change``; a baseline with a number must exist to be changed from."""
    if obs.value is None or obs.kind == "baseline" or baseline is None or baseline.value is None:
        raise ValueError(f"{key} {obs.kind} {obs.year}: {obs.raw!r} cannot be a change from baseline {baseline}")
    obs.change, obs.value = obs.value, None
    return obs


def _worded_target(table: Table, reading: Reading, doc: str) -> Observation:
    """A target printed in words over its own lines (小中学校ともに全国平均以上, l.396-397).
    Kept as printed; where the reading gives ``target_value`` (全国平均以上 = a gap of 0
    or more) that number is its value, with the reading's note."""
    if reading.target_text is None:
        raise ValueError(f"{reading.key}: a worded target needs its target_text lines")
    a, b = reading.target_text
    year = next(y for y, k in table.years.items() if k == "target")
    obs = observation(_joined(table, a, b, "target"), year, "target", Span(doc, a, b))
    if reading.target_value is not None:
        if not reading.target_note:
            raise ValueError(f"{reading.key}: a worded target read as a number needs a target_note")
        obs.value, obs.status = float(reading.target_value), "planned"
        obs.notes.append(reading.target_note)
    return obs


def _comparison(table: Table, reading: Reading, column: str, doc: str) -> Comparison | None:
    """The 全国（小）/全国（中） cells (l.392, 394) printed under the series rows: the national
    average each gap was taken from, kept with the observation of the same year."""
    if column not in reading.comparison:
        return None
    if reading.comparison_label is None:
        raise ValueError(f"{reading.key}: comparison cells need their comparison_label")
    raw, ln = _cell(
        table, reading, f"comparison {column}", reading.comparison[column], label=reading.comparison_label, unit="%"
    )
    return Comparison(reading.comparison_label, cell_value(raw), raw, "%", Span(doc, ln, ln))


def row_observations(table: Table, reading: Reading, doc: str) -> list[Observation]:
    """One table row read by its reading: map the column labels (R1 …) to the header's
    years and kinds, read each cell, then apply the reading's worded target, changes
    from the baseline, comparison values, series and uncertainty."""
    obs: dict[str, Observation] = {}
    for column, pos in reading.cells.items():
        year = _year(table, reading, column)
        raw, ln = _cell(table, reading, column, pos)
        obs[column] = observation(raw, year, table.years[year], Span(doc, ln, ln))
    for column in reading.comparison:  # a gap is taken from a national figure of a measured year only
        if column not in obs or obs[column].value is None:
            raise ValueError(f"{reading.key}: comparison for {column}, which has no numeric cell")
    if reading.target_text:
        obs["target"] = _worded_target(table, reading, doc)
    baseline = next((o for o in obs.values() if o.kind == "baseline"), None)
    for column in reading.change_columns:
        obs[column] = _as_change(obs[column], baseline, reading.key)
    for column, o in obs.items():
        o.comparison = _comparison(table, reading, column, doc)
        o.series, o.series_key = reading.series if reading.series_key else None, reading.series_key
        if column in reading.uncertain_columns:
            o.uncertain = True
            o.notes.append(reading.uncertain)
    if unknown := set(reading.uncertain_columns) - set(obs):
        raise ValueError(f"{reading.key}: uncertain_columns {sorted(unknown)} have no cell")
    _check_columns(table, reading, list(obs.values()))
    return sorted(obs.values(), key=lambda o: o.year)


def indicator(table: Table, rows: list[Reading], doc: str, plan: str) -> Indicator:
    """Build one Indicator from the readings of its rows: check the printed name and
    評価指標 (shared by the series of one indicator), read each row's observations.

    An indicator printed as one row with two labelled series (小学６年 / 中学３年, l.388,
    390) is one Indicator whose observations carry their series; a single-row indicator
    keeps ``series`` None (or the reading's series if it gives no ``series_key``)."""
    first = rows[0]
    (name_first, name_last), (source_first, source_last) = first.name_lines, first.source_lines
    name = _joined(table, name_first, name_last, "name")
    source = _joined(table, source_first, source_last, "source").removesuffix("（※）")
    for r in rows:
        if norm(name) != norm(r.name) or norm(source) != norm(r.source):
            raise ValueError(f"{r.key}: printed {name!r} / {source!r}, reading says {r.name!r} / {r.source!r}")
        if (r.name_lines, r.source_lines, r.unit) != (first.name_lines, first.source_lines, first.unit):
            raise ValueError(f"{r.key}: the series of one indicator must share name, source and unit")
    keys = [r.series_key for r in rows]
    if len(rows) > 1 and (None in keys or len(set(keys)) != len(keys)):
        raise ValueError(f"{first.key}: its {len(rows)} rows need distinct series_key values")
    obs = [o for r in rows for o in row_observations(table, r, doc)]
    notes = list(dict.fromkeys(t for r in rows for t in (r.note, r.uncertain) if t))
    return Indicator(
        plan=plan,
        key=first.key,
        name=name,
        span=Span(doc, *first.name_lines),
        unit=first.unit,
        component=table.goal,
        series=None if first.series_key else first.series,
        source=source,
        observations=obs,
        notes=notes,
    )


def _check_columns(table: Table, reading: Reading, obs: list[Observation]) -> None:
    years = sorted(o.year for o in obs)
    if years != sorted(table.years):
        raise ValueError(f"{reading.key}: observations for {years}, header has {sorted(table.years)}")


def check_coverage(table: Table, readings: list[Reading]) -> None:
    """Every value cell and text line of a table is read by exactly one indicator (the
    series of one indicator may share cells and lines), the 全国（小）/全国（中） lines
    as comparison values.  A leftover or doubly used cell fails the build."""
    owners: dict[tuple[int, int], set[str]] = {}
    for r in readings:
        cells = [tuple(pos) for pos in r.cells.values()]
        if len(set(cells)) != len(cells):
            raise ValueError(f"{r.key}: one cell read for two columns: {r.cells}")
        for ln, k in cells + [tuple(pos) for pos in r.comparison.values()]:
            owners.setdefault((ln, k), set()).add(r.key)
    for ln, vl in table.values.items():
        for k in range(len(vl.cells)):
            keys = owners.get((ln, k), set())
            if len(keys) != 1:
                raise ValueError(f"goal {table.goal}: cell {vl.cells[k]!r} (l.{ln}) is read by {len(keys)} indicators")
    used: set[int] = set()
    for r in readings:
        for a, b in [r.name_lines, r.source_lines] + ([r.target_text] if r.target_text else []):
            used.update(range(a, b + 1))
    if left := sorted(set(table.text_lines) - used):
        raise ValueError(f"goal {table.goal}: text lines {left} are read by no indicator")


# ---------------------------------------------------------------------- entry point


def read_indicators(
    lines: list[str], components: list[Component], doc: str, readings: list[Reading] | None = None
) -> list[Indicator]:
    """Per goal, in goal order: find and tokenise its table, apply its readings (each
    pin checked), then check that the readings cover the whole table."""
    readings = load_readings() if readings is None else readings
    sections = goal_sections(lines, components)
    unknown = {r.goal for r in readings} - set(sections)
    if unknown:
        raise ValueError(f"readings for goals {sorted(unknown)} that the document does not have")
    out: list[Indicator] = []
    plan = _plan_key()
    for code, (start, end) in sections.items():
        table = read_table(lines, code, start, end)
        mine = [r for r in readings if r.goal == code]
        if not mine:
            raise ValueError(f"goal {code}: table l.{table.first}-{table.last} has no reading")
        rows: dict[str, list[Reading]] = {}
        for r in mine:
            rows.setdefault(r.key, []).append(r)
        out.extend(indicator(table, group, doc, plan) for group in rows.values())
        check_coverage(table, mine)
    return out


def extract(doc: Document | None = None) -> DocumentRecords:
    doc = doc or document("004")
    lines = doc.lines()
    components = read_components(lines, doc.id)
    read_narratives(lines, components, doc.id)
    return DocumentRecords(
        doc=doc.id,
        plans=[read_plan(lines, doc.id)],
        components=components,
        indicators=read_indicators(lines, components, doc.id),
        meta=read_meta(lines, doc),
    )
