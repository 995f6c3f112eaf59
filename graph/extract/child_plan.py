"""Extractor for seed 000: 熊本市子どもの未来応援アクションプラン, FY2023 progress report.

The layout and every trap referred to below (H1..H12, §1..§8) are documented in
``docs/sources/000-child-plan-report.md``.  The text extraction of the PDF keeps
each page together but not each program box: on a page, all 所管課 / 自己評価
blocks come first (in page order), then the labels and texts of all programs
interleaved, then the 〇 metric tables (in page order), then any 再掲のため省略
lines.  So the extractor works page by page:

1. split pages (§8.1) and track the 基本目標 / 基本施策 / 施策 headings (§2);
2. read the 所管課 blocks (H1, H8) and the program names (H3, H4);
3. read the metric tables (H7) and attach them to programs by title;
4. pair names with 所管課 blocks by solving small constraints per page (H1):
   table order = page order, relisting partners share a division, seed 001 as a
   name → division gazetteer, and reviewed corrections for what remains;
5. attach 事業概要 texts where a page's summaries can be told apart by content;
6. attach the three field texts (取組内容, 今後の取組み方針等, 自己評価の理由) by box
   width, tense and subject words, with reviewed placements where those cannot decide;
7. read the plan record and the plan / goal indicators (§1, §4, H6).

Uncertain readings are flagged on the records (``uncertain`` + ``notes``).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from fukushi_kg import resources
from fukushi_kg.graph.era import parse_era_year
from fukushi_kg.graph.extract.plans import load_plan
from fukushi_kg.graph.extract.reviewed import load_entries, load_tables
from fukushi_kg.graph.records import (
    Component,
    DocumentMeta,
    DocumentRecords,
    Indicator,
    Listing,
    MetricRow,
    MetricTable,
    Observation,
    Plan,
    Span,
)
from fukushi_kg.graph.sources import Document, document
from fukushi_kg.graph.text import display_width, find_line, norm

SOURCE = "000"  # its plan record is the [[plan]] entry of data/reviewed/plans.toml with this source
CORRECTIONS = resources.reviewed("corrections-000.toml")
FIRST_PAGE = 3  # the extract starts on PDF page 3 (§1)

# Label lines of a program box (compared after norm()).
_LABELS = (
    "事業概要",
    "令和5年度(2023年度)に講じた取組内容",
    "今後の取組み方針等",
    "取組に対する自己評価等",
    "(3)令和5年度(2023年度)の取組み状況と今後の取組み方針",
    "事業名",
    "自己評価",
    "自己評",
    "価の理",
    "由",
    "の理由",
    "項目",
)
_LABEL_PREFIXES = ("所管課", "自己評価", "事業名", "事業概要", "今後の取組み方針")

_MARK_RE = re.compile(r"[（(]再\s*[0-9０-９]\s*[.．]\s*[0-9０-９]\s*[.．]\s*[0-9０-９]\s*[）)]")
_FLAG_RE = re.compile(r"[（(](新規|特)[）)]")
_GRADE_RE = re.compile(r"^自己評価([A-D])?(自己評価)?$")
_VALUE_RE = re.compile(r"^(?:[0-9][0-9,]*(?:\.[0-9]+)?(?:（暫定）|\(暫定\))?|全校|集計中)$")


# --------------------------------------------------------------------------- pages


@dataclass
class _Page:
    """One inferred PDF page: lines ``start``..``end`` (1-based, inclusive)."""

    number: int
    start: int
    end: int


def _is_page_number(line: str) -> bool:
    return re.fullmatch(r"\d{1,2}", line.strip()) is not None


def split_pages(lines: list[str]) -> list[_Page]:
    """§8.1: a page starts at a line opening with one ASCII space and text, or at
    the first text line after a lone printed page number (l.391, 852, 1891, 1961)."""
    starts: list[int] = []
    after_number = False
    for i, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if after_number or (line.startswith(" ") and line[1:2] != " "):
            starts.append(i)
        after_number = _is_page_number(line)
    ends = [s - 1 for s in starts[1:]] + [len(lines)]
    pages = []
    for k, (s, e) in enumerate(zip(starts, ends)):
        while e > s and not lines[e - 1].strip():
            e -= 1
        pages.append(_Page(FIRST_PAGE + k, s, e))
    return pages


# ------------------------------------------------------------------- hierarchy

_CIRCLED = "①②③④⑤⑥⑦⑧⑨"


def _heading(line: str) -> tuple[str, str, str] | None:
    """(level, number, title) for a 基本目標１． / 基本施策（1） / 施策① line (§2)."""
    n = norm(line)
    if m := re.match(r"^基本目標(\d)\.(.+)$", n):
        return "goal", m.group(1), _after(line, "．")
    if m := re.match(r"^基本施策\((\d)\)(.+)$", n):
        return "policy", m.group(1), _after(line, "）")
    if m := re.match(r"^施策([①-⑨])(.+)$", line.strip()):  # NFKC would turn ① into 1
        return "measure", str(_CIRCLED.index(m.group(1)) + 1), _after(line, m.group(1))
    return None


def _after(line: str, sep: str) -> str:
    return line.split(sep, 1)[1].strip()


def read_components(lines: list[str], pages: list[_Page], doc: str) -> list[Component]:
    """Headings appear only at page starts (§8.2); codes are built from the
    running goal / policy numbers, so 施策② under 基本施策（2）of goal 1 is 1.2.2."""
    out: list[Component] = []
    key = _plan_key()
    goal = policy = ""
    for page in pages:
        for ln in range(page.start, min(page.end, page.start + 4) + 1):
            h = _heading(lines[ln - 1])
            if not h:
                continue
            level, num, title = h
            if level == "goal":
                goal, policy, code, parent = num, "", num, None
            elif level == "policy":
                policy = f"{goal}.{num}"
                code, parent = policy, goal
            else:
                code, parent = f"{policy}.{num}", policy
            out.append(Component(key, level, code, title, lines[ln - 1].strip(), Span(doc, ln, ln), parent))
    return out


def measure_of_pages(components: list[Component], pages: list[_Page]) -> dict[int, str]:
    """A program belongs to the last 施策 heading at or before its page (§8)."""
    out: dict[int, str] = {}
    current = ""
    measures = [c for c in components if c.level == "measure"]
    for page in pages:
        for c in measures:
            if page.start <= c.span.start <= page.end:
                current = c.code
        out[page.number] = current
    return out


# ------------------------------------------------------------- 所管課 blocks


@dataclass
class _Block:
    division: str  # as printed
    division_line: int
    grade: str | None
    grade_line: int

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.division, self.grade)

    @property
    def atoms(self) -> list[str]:
        return [d.strip() for d in self.division.split("、") if d.strip()]


def read_blocks(lines: list[str], page: _Page) -> list[_Block]:
    """H1/H8: each ``所管課 X`` line is followed by a ``自己評価`` line whose letter
    (A-D, H8/§6 include D) may be absent.  Grade lines without a 所管課 (ward pages,
    H9) are not blocks."""
    out = []
    for ln in range(page.start, page.end + 1):
        text = lines[ln - 1].strip()
        if not text.startswith("所管課"):
            continue
        division = text[len("所管課") :].strip()
        gl = _next_nonblank(lines, ln, page.end)
        m = _GRADE_RE.match(norm(lines[gl - 1])) if gl else None
        if not m or not gl:
            raise ValueError(f"l.{ln}: 所管課 line not followed by a 自己評価 line")
        out.append(_Block(division, ln, m.group(1), gl))
    return out


def _next_nonblank(lines: list[str], ln: int, end: int) -> int | None:
    for k in range(ln + 1, end + 1):
        if lines[k - 1].strip():
            return k
    return None


# ----------------------------------------------------------------- names


@dataclass
class _Name:
    printed: str  # wraps joined with "", markers kept, label removed
    start: int
    end: int
    label_line: int


def _is_label(line: str) -> bool:
    n = norm(line)
    return n in _LABELS or n.startswith(_LABEL_PREFIXES)


def _paragraphs(lines: list[str], start: int, end: int) -> list[tuple[int, int]]:
    """Runs of consecutive non-blank lines as (first, last) line numbers."""
    out: list[tuple[int, int]] = []
    run: int | None = None
    for ln in range(start, end + 1):
        blank = not lines[ln - 1].strip()
        if not blank and run is None:
            run = ln
        if blank and run is not None:
            out.append((run, ln - 1))
            run = None
    if run is not None:
        out.append((run, end))
    return out


def _name_like(lines: list[str], first: int, last: int, max_lines: int) -> bool:
    """A name is a short run (H3) that is no label, no bullet and no sentence."""
    texts = [lines[k - 1].strip() for k in range(first, last + 1)]
    if len(texts) > max_lines or _is_label(texts[0]):
        return False
    if texts[0][:1] in "・【〇○※(（1234567890" and not texts[0].startswith("（特）"):
        return False
    return not any(t.endswith(("。", "、")) for t in texts) and all(display_width(t) <= 60 for t in texts)


def _join_wrapped(lines: list[str], ln: int, text: str, end: int) -> tuple[str, int]:
    """H3/H4: a marker split as ``…（再`` / ``4.1.1）`` continues on the next line."""
    last = ln
    while norm(text).endswith("(再") or norm(text).count("(") > norm(text).count(")"):
        nxt = _next_nonblank(lines, last, end)
        if nxt is None or nxt - last > 1:
            break
        text += lines[nxt - 1].strip()
        last = nxt
    return text, last


def read_names(lines: list[str], page: _Page) -> list[_Name]:
    """H3: ``事業名 X`` (81), bare ``事業名`` whose name is the next short line (9),
    and the glued ``…（再4.2.1）事業名`` (l.617).  The 北区 mini-form
    ``１）実施事業名`` (H9) is no program name."""
    out: list[_Name] = []
    for ln in range(page.start, page.end + 1):
        raw = lines[ln - 1].strip()
        n = norm(raw)
        if n.endswith("実施事業名") or "事業名" not in n:
            continue
        if n.startswith("事業名") and n != "事業名":
            text, last = _join_wrapped(lines, ln, raw[len("事業名") :].strip(), page.end)
            out.append(_Name(text, ln, last, ln))
        elif n == "事業名":
            out.append(_name_after_bare_label(lines, ln, page))
        elif n.endswith("事業名"):
            out.append(_glued_name(lines, ln, page))
    return out


def _name_after_bare_label(lines: list[str], ln: int, page: _Page) -> _Name:
    """H3: the name is the paragraph right after the label if it looks like a name
    (2237-2238, 2682-2683, …), otherwise the next one-line name-like paragraph,
    sometimes 6-24 lines away (120→128, 1692→1703, 1911→1935, 3300→3306)."""
    paras = [p for p in _paragraphs(lines, ln + 1, page.end)]
    if paras and _name_like(lines, *paras[0], max_lines=2):
        first, last = paras[0]
    else:
        for first, last in paras:
            if first == last and _name_like(lines, first, last, max_lines=1):
                break
        else:
            raise ValueError(f"l.{ln}: no name found after bare 事業名 label")
    text = "".join(lines[k - 1].strip() for k in range(first, last + 1))
    return _Name(text, first, last, ln)


def _glued_name(lines: list[str], ln: int, page: _Page) -> _Name:
    """H3: ``スクールソーシャルワーカー`` / ``（SSW)配置事業（再4.2.1）事業名`` (616-617)."""
    first = ln
    while first - 1 >= page.start and lines[first - 2].strip():
        first -= 1
    parts = [lines[k - 1].strip() for k in range(first, ln + 1)]
    parts[-1] = parts[-1][: parts[-1].rindex("事業名")].strip()
    return _Name("".join(parts), first, ln, ln)


def clean_name(printed: str) -> str:
    """H4: strip （再X.X.X）, （新規）, （特） in any width; keep the rest as printed."""
    return _FLAG_RE.sub("", _MARK_RE.sub("", printed)).strip()


def relisting_codes(printed: str) -> list[str]:
    """H4: codes of （再X.X.X） markers, full-width digits normalised (（再２.2.1）)."""
    return [re.sub(r"[^0-9.]", "", norm(m.group(0))) for m in _MARK_RE.finditer(printed)]


def flags_of(printed: str) -> list[str]:
    return [m.group(1) for m in _FLAG_RE.finditer(printed)]


# ----------------------------------------------------------------- metric tables


def read_tables(lines: list[str], page: _Page, doc: str) -> list[MetricTable]:
    """H7: a table starts at ``〇``/``○``; header ``項目 R3 R4 R5`` or ``R3 R4 R5``;
    rows ``item v3 v4 v5``.  It stops at the next table, a page end, a lone page
    number, a ``※`` note, ``再掲のため省略`` or ``令和5年度事業実施なし``."""
    starts = [ln for ln in range(page.start, page.end + 1) if lines[ln - 1].startswith(("〇", "○"))]
    out = []
    for k, ln in enumerate(starts):
        stop = starts[k + 1] - 1 if k + 1 < len(starts) else page.end
        out.append(_read_table(lines, ln, stop, doc))
    return out


def _is_table_stop(text: str) -> bool:
    return _is_page_number(text) or text.startswith("※") or norm(text) in ("再掲のため省略", "令和5年度事業実施なし")


def _read_table(lines: list[str], ln: int, stop: int, doc: str) -> MetricTable:
    title = lines[ln - 1].strip()[1:].strip()
    columns: list[str] = []
    rows: list[MetricRow] = []
    pending: tuple[str, int] | None = None  # an item wrapped over two lines (296-297)
    trailing: list[tuple[int, int]] = []  # lines after the rows (group labels)
    grouped = False  # header ``R3 R4 R5`` without 項目: group labels follow the rows
    last = ln
    for k in range(ln + 1, stop + 1):
        text = lines[k - 1].strip()
        if not text:
            continue
        if _is_table_stop(text):
            break
        n = norm(text)
        if not columns and re.fullmatch(r"(項目)?R3R4R5", n):
            columns, grouped, last = ["R3", "R4", "R5"], not n.startswith("項目"), k
            continue
        row = _parse_row(text)
        if rows and not row and not grouped and not _row_follows(lines, k, stop):
            break  # text after an ungrouped table belongs to another box
        last = k
        if row and not trailing:
            item, values = row
            start = k
            if pending:
                item, start = pending[0] + item, pending[1]
                pending = None
            rows.append(MetricRow(item, _value_map(values), Span(doc, start, k)))
        elif rows and not trailing and _row_follows(lines, k, stop):
            pending = (text, k)
        elif not rows:
            pending = (text, k)
        else:
            trailing.append((k, k))
    table = MetricTable(title, Span(doc, ln, last), columns, rows)
    _annotate_table(table, lines, trailing)
    return table


def _row_follows(lines: list[str], k: int, stop: int) -> bool:
    nxt = _next_nonblank(lines, k, stop)
    return nxt is not None and nxt == k + 1 and _parse_row(lines[nxt - 1].strip()) is not None


def _parse_row(text: str) -> tuple[str, list[str]] | None:
    """``item v…``: trailing tokens that look like values (numbers, 全校, 集計中,
    ``41.3（暫定）``).  Values are kept as printed."""
    tokens = text.split()
    values: list[str] = []
    while len(tokens) > 1 and _VALUE_RE.match(tokens[-1]):
        values.insert(0, tokens.pop())
    if not values:
        return None
    return " ".join(tokens), values


def _value_map(values: list[str]) -> dict[str, str]:
    """H7: three values are R3/R4/R5; fewer cannot be placed, so they get ?1, ?2."""
    if len(values) == 3:
        return dict(zip(("R3", "R4", "R5"), values))
    return {f"?{i}": v for i, v in enumerate(values, start=1)}


def _annotate_table(table: MetricTable, lines: list[str], trailing: list[tuple[int, int]]) -> None:
    """Notes for short rows and for group labels printed after the rows (H7)."""
    notes = [n for n in [_short_rows_note(table)] if n]
    labels = _group_labels(lines, trailing)
    if labels:
        notes.append(
            "grouped table: group labels printed after the rows, wrapped: "
            + " / ".join(labels)
            + f"; in print order they would cover rows 1-{len(table.rows) // 2} and"
            f" {len(table.rows) // 2 + 1}-{len(table.rows)}"
        )
    table.note = "; ".join(notes)


def _short_rows_note(table: MetricTable) -> str:
    short = [r.item for r in table.rows if any(k.startswith("?") for k in r.values)]
    if not short:
        return ""
    return (
        "fewer than three values in "
        + "、".join(short)
        + ", whose year columns cannot be told apart: the values are keyed ?1, ?2 …"
    )


def _group_labels(lines: list[str], trailing: list[tuple[int, int]]) -> list[str]:
    """Join label fragments that sit on consecutive lines (``一時預`` / ``かり``)."""
    labels: list[str] = []
    prev = -2
    for ln, _ in trailing:
        text = lines[ln - 1].strip()
        if ln == prev + 1 and labels:
            labels[-1] += text
        else:
            labels.append(text)
        prev = ln
    return [t for t in labels if norm(t) != "項目"]


def load_table_aliases(path: Path = CORRECTIONS) -> dict[str, str]:
    """Table title -> program (clean name) for tables whose title is not their program's name (H7):
    the reviewed ``[[table_alias]]`` entries of corrections-000.toml, each with its reason and lines."""
    aliases: dict[str, str] = {}
    for entry in load_tables(path, ("table_alias",), required=("table", "program"))["table_alias"]:
        if entry["table"] in aliases:
            raise ValueError(f"{path.name} [[table_alias]] {entry['table']!r} is listed twice")
        aliases[entry["table"]] = entry["program"]
    return aliases


def _bigrams(text: str) -> set[str]:
    t = norm(text)
    for w in ("事業", "経費", "関連", "推進"):
        t = t.replace(w, "")
    return {t[i : i + 2] for i in range(len(t) - 1)}


def similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams, generic words removed."""
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def table_owner(title: str, names: list[str], aliases: dict[str, str]) -> str | None:
    """The program (clean name) a table belongs to: a reviewed alias or the one
    name clearly most similar to the title (H7: titles differ from names)."""
    if title in aliases:
        alias = aliases[title]
        return alias if alias in names else None
    scored = sorted(((similarity(title, n), n) for n in names), reverse=True)
    if not scored or scored[0][0] < 0.3:
        return None
    if len(scored) > 1 and scored[1][0] > scored[0][0] - 0.1:
        return None
    return scored[0][1]


# ----------------------------------------------------------------- seed 001 gazetteer


def gazetteer_pages(lines: list[str], divisions: set[str]) -> list[tuple[str, str]]:
    """Seed 001 (same city, same year, results by division): (division, page text).
    Its pages start at `` 所属名``; the division is the first standalone line that is
    one of the divisions seen in seed 000."""
    pages: list[list[str]] = []
    for line in lines:
        if line.startswith(" 所属名"):
            pages.append([])
        if pages:
            pages[-1].append(line)
    out = []
    for page in pages:
        owner = next((ln.strip() for ln in page if ln.strip() in divisions), None)
        if owner:
            out.append((owner, "".join(norm(ln) for ln in page)))
    return out


def gazetteer_division(name: str, pages: list[tuple[str, str]]) -> str | None:
    """The one division under which seed 001 prints the program name, if unique."""
    found = {d for d, text in pages if norm(name) in text}
    return found.pop() if len(found) == 1 else None


# ----------------------------------------------------------------- corrections


@dataclass
class Correction:
    program: str
    reason: str
    lines: list[int]
    measure: str | None = None
    division: str | None = None
    self_evaluation: str | None = None
    description: list[int] | None = None  # [first, last] lines of the 事業概要 text
    uncertain: bool = False
    note: str = ""


def load_corrections(path: Path = CORRECTIONS) -> list[Correction]:
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: the reviewed pairings of the ambiguous pages live there")
    return [Correction(**entry) for entry in load_entries(path, required=("program",))]


def _corrections_for(corrections: list[Correction], name: str, measure: str) -> list[Correction]:
    return [c for c in corrections if c.program == name and c.measure in (None, measure)]


# ----------------------------------------------------------------- pairing


@dataclass
class _Entry:
    name: _Name
    clean: str
    measure: str
    page: _Page
    block: _Block | None = None
    tables: list[MetricTable] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    uncertain: bool = False

    @property
    def paired(self) -> _Block:
        """The 所管課 / 自己評価 block that pair_page gave this entry."""
        if self.block is None:
            raise ValueError(f"l.{self.name.start}: {self.clean} has no 所管課 / 自己評価 block")
        return self.block


def pair_page(
    entries: list[_Entry],
    blocks: list[_Block],
    table_order: list[int],
    known: dict[str, str],
    gaz: dict[str, str],
    corrections: list[Correction],
) -> None:
    """H1: choose the block of each entry.  Every permutation is tried; a candidate
    must keep (a) the first tables of programs in page order, (b) a relisted copy
    on its primary's division with a blank grade (§5), (c) a seed 001 division when
    that division is on the page, (d) reviewed corrections.  If the surviving
    candidates disagree on any entry's (division, grade), the page is ambiguous
    and the extractor fails loudly (add a correction)."""
    n = len(entries)
    if n != len(blocks):
        raise ValueError(f"p.{entries[0].page.number if entries else '?'}: {n} names but {len(blocks)} 所管課 blocks")
    candidates = []
    for perm in itertools.permutations(range(n)):
        if _consistent(perm, entries, blocks, table_order, known, gaz, corrections):
            candidates.append(perm)
    if not candidates:
        raise ValueError(f"p.{entries[0].page.number}: no pairing satisfies the constraints")
    outcomes = {tuple(blocks[p].key for p in perm) for perm in candidates}
    if len(outcomes) > 1:
        names = ", ".join(e.clean for e in entries)
        raise ValueError(f"p.{entries[0].page.number}: pairing ambiguous for {names}; add a correction")
    for e, p in zip(entries, candidates[0]):
        e.block = blocks[p]


def _consistent(perm, entries, blocks, table_order, known, gaz, corrections) -> bool:
    # (a) table order = page order (H1)
    positions = [perm[i] for i in table_order]
    if positions != sorted(positions):
        return False
    for e, p in zip(entries, perm):
        b = blocks[p]
        codes = relisting_codes(e.name.printed)
        # (b) relisted copy: same division as its primary, blank grade
        if e.clean in known and codes:
            if b.division != known[e.clean] or b.grade is not None:
                return False
        # (c) seed 001 as gazetteer, where it names a division present on the page
        g = gaz.get(e.clean)
        if g and any(g in blk.atoms for blk in blocks) and g not in b.atoms:
            return False
        # (d) reviewed corrections
        for c in _corrections_for(corrections, e.clean, e.measure):
            if c.division is not None and c.division != b.division:
                return False
            if c.self_evaluation is not None and (c.self_evaluation or None) != b.grade:
                return False
    return True


# ----------------------------------------------------------------- listings


def _entries_of_page(lines, page, measure, doc) -> tuple[list[_Entry], list[_Block], list[MetricTable]]:
    blocks = read_blocks(lines, page)
    names = sorted(read_names(lines, page), key=lambda nm: nm.start)
    tables = read_tables(lines, page, doc)
    entries = [_Entry(nm, clean_name(nm.printed), measure, page) for nm in names]
    if not blocks and entries:
        raise ValueError(f"p.{page.number}: program names without 所管課 blocks")
    return entries, blocks, tables


def _attach_tables(entries: list[_Entry], tables: list[MetricTable], aliases: dict[str, str]) -> list[int]:
    """Attach each table to its program (H7); return, in table order, the entry
    index of each program's first table (for the page-order constraint, H1)."""
    names = [e.clean for e in entries]
    order: list[int] = []
    unowned = []
    for t in tables:
        owner = table_owner(t.title, names, aliases)
        if owner is None:
            unowned.append(t)
            continue
        i = names.index(owner)
        if not entries[i].tables:
            order.append(i)
        _note_duplicate(entries[i].tables, t)
        entries[i].tables.append(t)
    _place_unowned(entries, unowned, order)
    return order


def _note_duplicate(previous: list[MetricTable], t: MetricTable) -> None:
    """H7: 〇こども・若者総合相談センター is printed twice (3060, 3066)."""
    for p in previous:
        if p.title == t.title and [(r.item, r.values) for r in p.rows] == [(r.item, r.values) for r in t.rows]:
            t.note = (t.note + "; " if t.note else "") + (
                f"identical to the table at l.{p.span.start}: the source prints it twice"
            )


def _place_unowned(entries: list[_Entry], unowned: list[MetricTable], order: list[int]) -> None:
    """A table whose title matches no program on the page: the duplicated
    〇こども・若者総合相談センター (3060 = 3066, H7).  By table order = page order it
    goes to the program without a table; that is a judgement, so it is noted."""
    for t in unowned:
        bare = [i for i, e in enumerate(entries) if not e.tables]
        if len(bare) != 1:
            raise ValueError(f"l.{t.span.start}: table 〇{t.title} matches no program")
        e = entries[bare[0]]
        e.tables.append(t)
        order.append(bare[0])
        t.note = (t.note + "; " if t.note else "") + (
            "title matches no program on the page; placed by table order = page order"
        )


def build_listings(
    lines: list[str],
    pages: list[_Page],
    measures: dict[int, str],
    doc: str,
    corrections: list[Correction],
    aliases: dict[str, str] | None = None,
) -> list[_Entry]:
    """Pages in order; entries paired with blocks page by page (primaries first,
    so a relisted copy can look up its primary's division).  ``aliases``: the reviewed
    table-to-program readings (default: corrections-000.toml)."""
    aliases = load_table_aliases() if aliases is None else aliases
    gaz_pages = gazetteer_pages(document("001").lines(), _all_divisions(lines, pages))
    known: dict[str, str] = {}
    out: list[_Entry] = []
    orphan_tables: list[MetricTable] = []
    for page in pages:
        entries, blocks, tables = _entries_of_page(lines, page, measures[page.number], doc)
        if not entries:
            orphan_tables += tables
            continue
        order = _attach_tables(entries, tables, aliases)
        gaz = {e.clean: d for e in entries if (d := gazetteer_division(e.clean, gaz_pages))}
        pair_page(entries, blocks, order, known, gaz, corrections)
        for e in entries:
            known.setdefault(e.clean, e.paired.division)
        out += entries
    _attach_orphans(out, orphan_tables, aliases)
    _check_aliases(out, aliases)
    _apply_correction_notes(out, corrections)
    return out


def _check_aliases(entries: list[_Entry], aliases: dict[str, str]) -> None:
    """Every reviewed table alias names a printed table, and that table went to its program."""
    owners = {t.title: e.clean for e in entries for t in e.tables}
    for title, program in aliases.items():
        if title not in owners:
            raise ValueError(f"[[table_alias]] {title!r}: no such table is printed")
        if owners[title] != program:
            raise ValueError(
                f"[[table_alias]] {title!r}: the table went to {owners[title]!r}, not {program!r} "
                "(the program is not on the table's page)"
            )


def _attach_orphans(entries: list[_Entry], tables: list[MetricTable], aliases: dict[str, str]) -> None:
    """H9: tables on the ward sub-pages (p.10-11) belong to まちづくり推進経費."""
    for t in tables:
        owner = aliases.get(t.title)
        match = [e for e in entries if e.clean == owner]
        if len(match) != 1:
            raise ValueError(f"l.{t.span.start}: table 〇{t.title} on a page without programs")
        match[0].tables.append(t)


def _all_divisions(lines: list[str], pages: list[_Page]) -> set[str]:
    return {a for p in pages for b in read_blocks(lines, p) for a in b.atoms}


def _apply_correction_notes(entries: list[_Entry], corrections: list[Correction]) -> None:
    """Every correction must hit exactly one entry (fail loudly otherwise)."""
    for c in corrections:
        hits = [e for e in entries if e.clean == c.program and c.measure in (None, e.measure)]
        if len(hits) != 1:
            raise ValueError(f"correction for {c.program!r} matches {len(hits)} entries")
        e = hits[0]
        if c.division is not None and e.paired.division != c.division:
            raise ValueError(f"correction for {c.program!r} not applied")
        if c.self_evaluation is not None and e.paired.grade != (c.self_evaluation or None):
            raise ValueError(f"correction for {c.program!r} not applied")
        if c.uncertain:
            e.uncertain = True
        if c.division is not None or c.self_evaluation is not None or c.note:
            e.notes.append(f"{c.note or c.reason} (reviewed correction, l.{', '.join(map(str, c.lines))})")


def _relisting(entries: list[_Entry]) -> dict[int, tuple[str, int]]:
    """§5: a （再X.X.X） marker is bidirectional; the earlier copy is the primary.
    Returns entry index -> (role, partner index); fails if a marker is unpaired."""
    out: dict[int, tuple[str, int]] = {}
    for i, e in enumerate(entries):
        for code in relisting_codes(e.name.printed):
            partners = [
                j
                for j, f in enumerate(entries)
                if j != i and f.clean == e.clean and f.measure == code and e.measure in relisting_codes(f.name.printed)
            ]
            if len(partners) != 1:
                raise ValueError(f"l.{e.name.start}: （再{code}） of {e.clean} has no unique partner")
            j = partners[0]
            out[i] = ("primary" if i < j else "relisting", j)
    return out


def to_listings(entries: list[_Entry], doc: str) -> list[Listing]:
    roles = _relisting(entries)
    seq: dict[str, int] = {}
    out = []
    key = _plan_key()
    for i, e in enumerate(entries):
        seq[e.measure] = seq.get(e.measure, 0) + 1
        b = e.paired
        role = roles.get(i, (None, None))[0]
        out.append(
            Listing(
                plan=key,
                component=e.measure,
                seq=seq[e.measure],
                name=e.clean,
                name_as_printed=e.name.printed,
                name_span=Span(doc, e.name.start, e.name.end),
                span=Span(doc, e.page.start, e.page.end),
                divisions=b.atoms,
                division_as_printed=b.division,
                division_span=Span(doc, b.division_line, b.division_line),
                self_evaluation=b.grade,
                self_evaluation_span=Span(doc, b.grade_line, b.grade_line),
                relisted_at=relisting_codes(e.name.printed),
                relisting_role=role,
                flags=flags_of(e.name.printed),
                metrics=e.tables,
                uncertain=e.uncertain,
                notes=list(e.notes),
            )
        )
    return out


# ----------------------------------------------------------------- 事業概要


def attach_descriptions(listings: list[Listing], lines: list[str], pages: list[_Page], doc: str) -> None:
    """H2: 事業概要 texts are not next to their names.  On each page the summary
    candidates are the inline ``事業概要 X`` texts and the paragraph right after a
    bare ``事業概要`` label or right before it (249-251 → 255).  Each program is
    resolved on its own, so that one doubtful program does not cost its page
    neighbours their summaries:

    1. a candidate whose label (or inline text) is the next non-blank line after
       the program's name belongs to it (2141 → 2143; 683 → 685 → 686);
    2. when one program and one candidate are left on the page, they pair;
    3. otherwise the left programs take the left candidates only when their numbers
       are equal and one assignment by name similarity clearly beats every other.

    Summaries far from every label (1155 → 1170) are placed by reviewed corrections."""
    by_page: dict[int, list[Listing]] = {}
    for li in listings:
        by_page.setdefault(li.span.start, []).append(li)
    for page in pages:
        progs = by_page.get(page.start, [])
        if not progs:
            continue
        cands = _summary_candidates(lines, page)
        left = list(progs)
        for li in progs:
            after = _next_nonblank(lines, li.name_span.end, page.end)
            mine = [c for c in cands if after is not None and c[3] == after]
            if len(mine) == 1:
                _give(li, mine[0], doc)
                cands.remove(mine[0])
                left.remove(li)
        if not left or not cands:
            continue
        if len(left) == 1 and len(cands) == 1:
            _give(left[0], cands[0], doc)
            continue
        if len(cands) != len(left):
            continue
        best = _best_assignment(left, cands, lines)
        if best is not None:
            for li, cand in zip(left, best):
                _give(li, cand, doc)


def _give(li: Listing, cand: tuple[int, int, str, int], doc: str) -> None:
    first, last, text, _label = cand
    li.description = text
    li.description_span = Span(doc, first, last)


def apply_description_corrections(
    listings: list[Listing], corrections: list[Correction], lines: list[str], doc: str
) -> None:
    """H2: summaries far from their label or confusable by wording (p.22) are
    placed by review; the reviewed lines must hold a text, not a label (an inline
    ``事業概要 X`` line counts as its text X, 2808)."""
    for c in corrections:
        if c.description is None:
            continue
        first, last = c.description
        texts = [lines[k - 1].strip() for k in range(first, last + 1)]
        inline = norm(texts[0]).startswith("事業概要") and norm(texts[0]) != "事業概要"
        if inline:
            texts[0] = texts[0][len("事業概要") :].strip()
        if any(not t or (_is_label(t) and not (inline and i == 0)) for i, t in enumerate(texts)):
            raise ValueError(f"correction for {c.program!r}: l.{first}-{last} is not a summary text")
        hits = [li for li in listings if li.name == c.program and c.measure in (None, li.component)]
        if not hits:
            raise ValueError(f"correction for {c.program!r} under {c.measure}: no such program")
        hits[0].description = "".join(texts)
        hits[0].description_span = Span(doc, first, last)


def _summary_candidates(lines: list[str], page: _Page) -> list[tuple[int, int, str, int]]:
    """(first, last, text, label line) of every summary text the page's 事業概要 labels point at."""
    out = []
    paras = _paragraphs(lines, page.start, page.end)
    for idx, (first, last) in enumerate(paras):
        head = lines[first - 1].strip()
        if norm(head).startswith("事業概要") and norm(head) != "事業概要":
            text = head[len("事業概要") :].strip()
            out.append((first, first, text, first))
        elif norm(head) == "事業概要":
            if first < last:  # text directly under the label (1932-1933 style)
                out.append((first + 1, last, _join(lines, first + 1, last), first))
                continue
            nxt = paras[idx + 1] if idx + 1 < len(paras) else None
            prev = paras[idx - 1] if idx > 0 else None
            pick = None
            if nxt and _summary_like(lines, *nxt):
                pick = nxt
            elif prev and _summary_like(lines, *prev):
                pick = prev
            if pick:
                out.append((pick[0], pick[1], _join(lines, *pick), first))
    return out


def _summary_like(lines: list[str], first: int, last: int) -> bool:
    """Summary boxes are a sentence or two wrapping at about 45 full-width cells."""
    texts = [lines[k - 1].strip() for k in range(first, last + 1)]
    if _is_label(texts[0]) or texts[0].startswith(("〇", "○")):
        return False
    widths = [display_width(t) for t in texts]
    return max(widths) <= 94 and len(texts) <= 6


def _join(lines: list[str], first: int, last: int) -> str:
    return "".join(lines[k - 1].strip() for k in range(first, last + 1))


def _best_assignment(progs, cands, lines):
    scores = []
    for perm in itertools.permutations(cands):
        s = sum(similarity(li.name, c[2]) for li, c in zip(progs, perm))
        scores.append((s, perm))
    scores.sort(key=lambda x: -x[0])
    if len(scores) > 1 and scores[0][0] - scores[1][0] < 0.05:
        return None
    return scores[0][1]


# ----------------------------------------------------------------- field texts (§3, §8.6)
#
# Every program box has three narrative fields besides its summary: 令和5年度（2023年度）に
# 講じた取組内容 (actions), 今後の取組み方針等 (plans_ahead) and 自己評価の理由
# (evaluation_reason).  The extraction keeps each box's text together as a run of lines, but
# the runs of all programs on a page come interleaved and the labels do not bound them (H2):
# p.6 prints the plan after the 取組内容 label (185-191) and the results after the 今後 label
# (195-207).  So the texts are cut into paragraphs, each paragraph is given a kind by the
# width its box wraps at and by its tense, and the paragraphs of one kind are shared among
# the page's programs by their subject matter.  What that cannot settle is placed by the
# reviewed ``[[field]]`` entries of corrections-000.toml; the extractor fails on a page where
# a graded program is left without a field or a paragraph is left without a program.

FIELDS = ("actions", "plans_ahead", "evaluation_reason")
_REASON_LABEL = "取組に対する自己評価等"
_STATUS_LINES = ("再掲のため省略", "令和5年度事業実施なし")
_REASON_WRAP = 82  # reason boxes wrap at about 40 full-width characters (137, 789, 3151: 75-82 cells)
_NARROW_WRAP = 60  # narrower wraps are notes in the grade cell (2448-2454), not field texts
_SUBJECT_MARGIN = 4.0  # in idf units: more than one rare shared word
_SUBJECT_CONFLICT = 1.0  # the other ranking may lean elsewhere by no more than this
_LIST_MARK = re.compile(r"^(・|※|【|＜|[(（][0-9０-９]+[)）])")


@dataclass(frozen=True, order=True)
class _Para:
    """A run of text lines ``first``..``last`` (no blank line, label, name or summary inside)."""

    first: int
    last: int


@dataclass
class FieldCorrection:
    """A reviewed placement of one field text (``[[field]]`` in corrections-000.toml):
    ``text`` = [first, last] lines of the text, or [] when the box is read as empty."""

    program: str
    field: str
    reason: str
    lines: list[int]
    text: list[int] = dataclasses.field(default_factory=list)  # `field` is also a field's name here
    measure: str | None = None
    note: str = ""


def load_field_corrections(path: Path = CORRECTIONS) -> list[FieldCorrection]:
    entries = load_tables(path, ("field",), required=("program", "field"))["field"]
    out = [FieldCorrection(**e) for e in entries]
    for c in out:
        if c.field not in FIELDS:
            raise ValueError(f"[[field]] {c.program!r}: unknown field {c.field!r}")
    return out


def _text_of(lines: list[str], ln: int) -> str:
    return lines[ln - 1].strip()


def _only_blank_between(lines: list[str], a: int, b: int) -> bool:
    return all(not lines[k - 1].strip() for k in range(a + 1, b))


def _is_field_separator(lines: list[str], ln: int, taken: set[int]) -> bool:
    """Lines that end a paragraph: labels, 所管課 blocks, headings, names and summaries
    (``taken``), and the status lines 再掲のため省略 / 令和5年度事業実施なし / ※R2年度実績 (H5, H7)."""
    text = _text_of(lines, ln)
    n = norm(text)
    return (
        ln in taken
        or _is_label(text)
        or _heading(text) is not None
        or n in _STATUS_LINES
        or n.startswith("※R2年度実績")
    )


def _field_region_end(lines: list[str], page: _Page) -> int:
    """Field texts precede the page's metric strip (§3): stop before the first 〇/○ table."""
    for ln in range(page.start, page.end + 1):
        if lines[ln - 1].startswith(("〇", "○")):
            return ln - 1
    return page.end


def _raw_paragraphs(lines: list[str], page: _Page, taken: set[int]) -> list[_Para]:
    out: list[_Para] = []
    first = None
    for ln in range(page.start, _field_region_end(lines, page) + 1):
        text = _text_of(lines, ln)
        stop = not text or _is_field_separator(lines, ln, taken)
        if stop and first is not None:
            out.append(_Para(first, ln - 1))
            first = None
        if not stop and first is None:
            first = ln
    if first is not None:
        out.append(_Para(first, _field_region_end(lines, page)))
    return out


def field_paragraphs(lines: list[str], page: _Page, taken: set[int]) -> list[_Para]:
    """The page's text paragraphs, with two repairs:

    * a ``※`` note or a figure list with no sentence and no tense (1357-1363, the R4/R5
      figures under the 社会的養護 text; 2154) continues the paragraph just above it;
    * paragraphs wrapped narrower than ``_NARROW_WRAP`` are grade-cell notes of abolished
      programs (2448-2450 幼稚園就園奨励費, 2452-2454 多子世帯…) and are dropped."""
    out: list[_Para] = []
    for para in _raw_paragraphs(lines, page, taken):
        if (
            out
            and _only_blank_between(lines, out[-1].last, para.first)
            and (_continues(lines, out[-1], para) or _cell_wraps_on(lines, out[-1], para))
        ):
            out[-1] = _Para(out[-1].first, para.last)
            continue
        out.append(para)
    return [p for p in out if not _is_narrow_cell(lines, p)]


def _cell_wraps_on(lines: list[str], prev: _Para, para: _Para) -> bool:
    """A short line cut mid-word, one blank line, another short line: one narrow cell
    printed with blank lines between its wraps (2448 …伴い令 / 2450 和２年３月３１日…)."""
    short = _NARROW_WRAP * 3 // 4
    last = _text_of(lines, prev.last)
    return (
        prev.first == prev.last
        and para.first == prev.last + 2
        and not last.endswith("。")
        and display_width(last) <= short
        and display_width(_text_of(lines, para.first)) <= short
    )


def _continues(lines: list[str], prev: _Para, para: _Para) -> bool:
    text = _join(lines, para.first, para.last)
    if "。" not in _join(lines, prev.first, prev.last):
        return False  # only a text with sentences takes a note or figures (not 2448-2450)
    if text.startswith("※"):
        return True
    return "。" not in text and all(item_tense(i) == 0 for i in _items(lines, para))


def _wrap_width(lines: list[str], para: _Para) -> int | None:
    """The width the box wraps at: the widest line that runs on into the next one
    (not the last line, not ending a sentence); None when no line runs on."""
    widths = [
        display_width(_text_of(lines, k))
        for k in range(para.first, para.last)
        if _text_of(lines, k) and not _text_of(lines, k).endswith("。")
    ]
    return max(widths) if widths else None


def _is_narrow_cell(lines: list[str], para: _Para) -> bool:
    width = _wrap_width(lines, para)
    return width is not None and width < _NARROW_WRAP


def _previous_text_line(lines: list[str], ln: int) -> str:
    k = ln - 1
    while k >= 1 and not lines[k - 1].strip():
        k -= 1
    return _text_of(lines, k) if k >= 1 else ""


def box_of(lines: list[str], para: _Para) -> str:
    """``evaluation_reason`` or ``box`` (an actions or plans box), by box width (H2):
    reason boxes wrap at about 40 full-width characters (<= 82 cells: 137-138, 789-791,
    3151-3153), action and plan boxes at about 55 (>= 84 cells).  A paragraph that never
    wraps is a reason when it sits right under the ``取組に対する自己評価等`` label (1032,
    1105, 1987, 2514) or ends in …ため (360, 1652, 2432)."""
    width = _wrap_width(lines, para)
    if width is not None:
        return "evaluation_reason" if width <= _REASON_WRAP else "box"
    text = _join(lines, para.first, para.last)
    if norm(_previous_text_line(lines, para.first)) == _REASON_LABEL or text.rstrip("。").endswith("ため"):
        return "evaluation_reason"
    return "box"


def _items(lines: list[str], para: _Para) -> list[str]:
    """Sentences and list items: a new item starts after 。, at a list mark (・ ※ 【 ＜
    (1)), and after a line that stops short of the box width (1273 ends the 協議会 figures)."""
    width = _wrap_width(lines, para) or 0
    out: list[str] = []
    cur = ""
    for ln in range(para.first, para.last + 1):
        text = _text_of(lines, ln)
        if not text:
            continue
        if cur and _LIST_MARK.match(text):
            out.append(cur)
            cur = ""
        for part in re.split(r"(?<=。)", text):
            cur += part
            if part.endswith("。"):
                out.append(cur)
                cur = ""
        if cur and display_width(text) < width - 8:
            out.append(cur)
            cur = ""
    if cur:
        out.append(cur)
    return [i.strip() for i in out if i.strip()]


_OPEN, _CLOSE = "（(＜<「", "）)＞>」"
_PAST_END = re.compile(r"(た|だった|であった|(を|の)?(実施|開始|開催|配置|給付|交付|貸付|助成|完了))$")
_FUTURE_END = re.compile(r"(いく|る|う|む|す|く|継続|検討|予定|強化)$")
_NEUTRAL_END = re.compile(r"(ている|である|がある|いる)$")
_PAST_START = re.compile(r"^(令和[5５]年度|R[5５])")
_FUTURE_START = re.compile(r"^(今後|引き続き|引続き|令和[6６]年|R[6６]年)")


def _strip_trailing_brackets(text: str) -> str:
    """``…を実施（143施設6,274人）`` → ``…を実施``; nested brackets allowed (1272-1273)."""
    text = text.strip().rstrip("。").strip()
    while text and text[-1] in _CLOSE:
        depth = 0
        for i in range(len(text) - 1, -1, -1):
            depth += text[i] in _CLOSE
            depth -= text[i] in _OPEN
            if depth == 0:
                break
        if i <= 0:
            break
        text = text[:i].rstrip("。").strip()
    return text


def item_tense(item: str) -> int:
    """+1 for a report of the year (past tense …した / …であった, or a report noun …を実施 /
    …の開催, or an item opening with 令和5年度 / R5), -1 for an intention (…していく / …
    を図る / …継続 / …検討, or an item opening with 今後 / 引き続き / 令和6年 / R6), 0 when
    the item says neither (…している, figures, headings)."""
    item = re.sub(r"^[・\s]+|^[(（][0-9０-９]+[)）]\s*", "", item.strip())
    end = _strip_trailing_brackets(item)
    past = bool(_PAST_END.search(end))
    future = bool(_FUTURE_END.search(end)) and (not _NEUTRAL_END.search(end) or end.endswith("予定である"))
    if past != future:
        return 1 if past else -1
    if _PAST_START.match(item):
        return 1
    if _FUTURE_START.match(item):
        return -1
    return 0


def tense_of(lines: list[str], para: _Para) -> str | None:
    """``actions`` or ``plans_ahead`` by the first item that has a tense: action boxes open
    with the year's results and often close with 今後も… (146-149, 1093-1095), plan boxes
    open with the intention (185, 1041, 2244); None when no item has a tense (2818-2819)."""
    for item in _items(lines, para):
        tense = item_tense(item)
        if tense:
            return "actions" if tense > 0 else "plans_ahead"
    return None


# -- subject matter


_WORD_RE = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ff々A-Za-z]+")


def content_bigrams(text: str) -> set[str]:
    """Character bigrams inside runs of kanji, katakana and Latin letters (after NFKC):
    the content words, without the kana of grammar (する, による, を行う)."""
    out: set[str] = set()
    for word in _WORD_RE.findall(norm(text)):
        out |= {word[i : i + 2] for i in range(len(word) - 1)}
    return out


def _profile_text(li: Listing) -> str:
    parts = [li.name, li.description or ""]
    parts += [t.title for t in li.metrics] + [r.item for t in li.metrics for r in t.rows]
    return " ".join(parts)


@dataclass
class _Subject:
    """Weights words by how few programs of the document use them (idf over the profiles:
    name, summary, table titles and row items of each program)."""

    df: dict[str, int]
    n: int

    @classmethod
    def of(cls, listings: list[Listing]) -> _Subject:
        profiles = [content_bigrams(_profile_text(li)) for li in listings if li.relisting_role != "relisting"]
        df: dict[str, int] = {}
        for prof in profiles:
            for g in prof:
                df[g] = df.get(g, 0) + 1
        return cls(df, len(profiles))

    def weight(self, gram: str) -> float:
        return math.log((self.n + 1) / (self.df.get(gram, 0) + 1))


# -- one page


@dataclass
class _PageFields:
    """The state of one page: its graded programs, paragraphs, their kinds, and what is
    decided (program index, field) -> (paragraphs, rule)."""

    lines: list[str]
    progs: list[Listing]
    paras: list[_Para]
    kinds: dict[_Para, str | None] = field(default_factory=dict)
    decided: dict[tuple[int, str], tuple[list[_Para], str]] = field(default_factory=dict)

    def free(self, kind: str) -> list[_Para]:
        used = {p for ps, _ in self.decided.values() for p in ps}
        return [p for p in self.paras if p not in used and self.kinds.get(p) == kind]

    def needing(self, kind: str) -> list[int]:
        return [i for i in range(len(self.progs)) if (i, kind) not in self.decided]


def _is_chain(lines: list[str], paras: list[_Para]) -> bool:
    """Paragraphs that can form one field: only blank lines between them (185-186 + 188-191)."""
    ps = sorted(paras)
    return all(_only_blank_between(lines, a.last, b.first) for a, b in zip(ps, ps[1:]))


def _apply_field_reviews(state: _PageFields, corrections: list[FieldCorrection], used: set[int]) -> None:
    """Reviewed placements first; each must cover whole paragraphs of the page."""
    for c in corrections:
        for i, li in enumerate(state.progs):
            if li.name != c.program or c.measure not in (None, li.component):
                continue
            used.add(id(c))
            if not c.text:
                state.decided[(i, c.field)] = ([], "review")
                continue
            first, last = c.text
            inside = [p for p in state.paras if first <= p.first and p.last <= last]
            whole = inside and inside[0].first == first and inside[-1].last == last
            if not whole or not _is_chain(state.lines, inside):
                raise ValueError(
                    f"[[field]] {c.program!r} {c.field}: l.{first}-{last} is not a run of whole paragraphs"
                )
            state.decided[(i, c.field)] = (inside, "review")


def _classify(state: _PageFields) -> None:
    """Kinds of the free paragraphs (box width, then tense); a paragraph with no tense takes
    the only kind still short on the page (2818-2819: the 市営住宅 results)."""
    used = {p for ps, _ in state.decided.values() for p in ps}
    for p in state.paras:
        if p in used:
            continue
        kind = box_of(state.lines, p)
        state.kinds[p] = tense_of(state.lines, p) if kind == "box" else kind
    unknown = [p for p in state.paras if p not in used and state.kinds.get(p) is None]
    if not unknown:
        return
    short = [k for k in ("actions", "plans_ahead") if len(state.free(k)) < len(state.needing(k))]
    if len(short) == 1 and len(unknown) == len(state.needing(short[0])) - len(state.free(short[0])):
        for p in unknown:
            state.kinds[p] = short[0]


def _assign(state: _PageFields, kind: str, subject: _Subject, solo: bool) -> bool:
    """Give the free paragraphs of ``kind`` to the programs still needing it.  One program
    left: it takes them if they form one chain.  Several: the assignment (each program one
    chain) whose shared rare words score highest, if it wins by ``_SUBJECT_MARGIN`` both on
    the programs' profiles alone and on profiles widened by their fields already placed."""
    need, paras = state.needing(kind), state.free(kind)
    if not need or not paras or len(paras) < len(need):
        return False
    if len(need) == 1:
        if not _is_chain(state.lines, paras):
            return False
        state.decided[(need[0], kind)] = (paras, "one-program" if solo else "last-left")
        return True
    plain, widened = (_rank(state, need, paras, subject, widen) for widen in (False, True))
    if plain is None or widened is None:
        return False
    best = _agreed(plain, widened)
    if best is None:
        return False
    for i, group in zip(need, best):
        state.decided[(i, kind)] = (group, "subject")
    return True


def _agreed(plain, widened):
    """The assignment one ranking prefers by ``_SUBJECT_MARGIN`` while the other ranking
    prefers no other one by more than ``_SUBJECT_CONFLICT``; None if neither is clear or
    they pull apart (p.15: the widened profiles follow the shared 市政だより wording)."""
    clear = [r for r in (plain, widened) if r[2] >= _SUBJECT_MARGIN]
    if not clear or any(c[0] != clear[0][0] for c in clear):
        return None
    best = clear[0][0]
    for ranked in (plain, widened):
        if ranked[0] != best and ranked[1] - ranked[3].get(_key(best), 0.0) > _SUBJECT_CONFLICT:
            return None
    return best


def _key(groups):
    return tuple(tuple(g) for g in groups)


def _rank(state, need, paras, subject, widen):
    """(best assignment as one chain per program, its score, its margin over the
    runner-up, the score of every assignment), or None."""
    profiles = {}
    for i in need:
        text = _profile_text(state.progs[i])
        if widen:
            text += " " + " ".join(
                _join(state.lines, p.first, p.last) for (j, _), (ps, _) in state.decided.items() if j == i for p in ps
            )
        profiles[i] = content_bigrams(text)
    own = {i: profiles[i] - set().union(*(profiles[j] for j in need if j != i)) for i in need}
    grams = {p: content_bigrams(_join(state.lines, p.first, p.last)) for p in paras}
    score = {(p, i): sum(subject.weight(g) for g in grams[p] & own[i]) for p in paras for i in need}
    ranked = []
    for combo in itertools.product(range(len(need)), repeat=len(paras)):
        groups = [[p for p, c in zip(paras, combo) if c == k] for k in range(len(need))]
        if any(not g or not _is_chain(state.lines, g) for g in groups):
            continue
        ranked.append((sum(score[(p, need[c])] for p, c in zip(paras, combo)), groups))
    if not ranked:
        return None
    ranked.sort(key=lambda r: -r[0])
    margin = ranked[0][0] - ranked[1][0] if len(ranked) > 1 else float("inf")
    scores = {_key(groups): total for total, groups in ranked}
    return ranked[0][1], ranked[0][0], margin, scores


def _field_text(lines: list[str], paras: list[_Para]) -> str:
    """The text as printed: wrapped lines joined with "", and a newline where the print
    breaks the line itself: between paragraphs, before a list mark (・ ※ 【 (1)), after a
    line that stops short of the box width (【健康教育課】 1045, 664), after a line of
    figures set in columns with full-width spaces (1357-1363), and between the lines of a
    box that never wraps (1628-1629)."""
    parts: list[str] = []
    for para in sorted(paras):
        width = _wrap_width(lines, para)
        out = ""
        prev = ""
        for ln in range(para.first, para.last + 1):
            text = _text_of(lines, ln)
            if not text:
                continue
            if out and _breaks_before(prev, text, width):
                out += "\n"
            out += text
            prev = text
        parts.append(out)
    return "\n".join(parts)


def _breaks_before(prev: str, text: str, width: int | None) -> bool:
    return width is None or bool(_LIST_MARK.match(text)) or display_width(prev) < width - 8 or "\u3000\u3000" in prev


def attach_field_texts(
    listings: list[Listing], lines: list[str], pages: list[_Page], doc: str, corrections: list[FieldCorrection]
) -> dict[tuple[str, int, str], str]:
    """Fill actions / plans_ahead / evaluation_reason page by page; returns the rule that
    placed each field ((measure, seq, field) -> "review" | "one-program" | "last-left" |
    "subject").  Programs with a blank grade (the 9 再掲 copies, the programs with no FY2023
    activity, §6) have empty boxes and get no texts.  Pages without programs (the ward pages
    p.10-11 of まちづくり推進経費, H9) are left to its reviewed entries."""
    taken: set[int] = set()
    for li in listings:
        for span in (li.name_span, li.description_span):
            if span:
                taken |= set(range(span.start, span.end + 1))
    subject = _Subject.of(listings)
    used: set[int] = set()
    rules: dict[tuple[str, int, str], str] = {}
    for page in pages:
        on_page = [li for li in listings if li.span.start == page.start]
        if not on_page:
            continue
        graded = [li for li in on_page if li.self_evaluation]
        state = _PageFields(lines, graded, field_paragraphs(lines, page, taken))
        _apply_field_reviews(state, corrections, used)
        _classify(state)
        progress = True
        while progress:
            progress = False
            for kind in ("evaluation_reason", "actions", "plans_ahead"):
                progress |= _assign(state, kind, subject, solo=len(graded) == 1)
        _check_page(state, page)
        for (i, kind), (paras, rule) in state.decided.items():
            li = state.progs[i]
            rules[(li.component, li.seq, kind)] = rule
            if paras:
                setattr(li, kind, _field_text(lines, paras))
                setattr(li, f"{kind}_span", Span(doc, min(p.first for p in paras), max(p.last for p in paras)))
    unused = [c for c in corrections if id(c) not in used]
    if unused:
        raise ValueError(f"[[field]] {unused[0].program!r}: no graded program of that name")
    _notes_from_field_reviews(listings, corrections)
    return rules


def _check_page(state: _PageFields, page: _Page) -> None:
    """Fail loudly: every graded program has its three fields, every paragraph a program."""
    for i, li in enumerate(state.progs):
        for kind in FIELDS:
            if (i, kind) not in state.decided:
                raise ValueError(f"p.{page.number}: cannot place the {kind} of {li.name!r}; add a [[field]] correction")
    used = {p for ps, _ in state.decided.values() for p in ps}
    left = [p for p in state.paras if p not in used]
    if left:
        raise ValueError(f"p.{page.number}: text at l.{left[0].first}-{left[0].last} is given to no program")


def _notes_from_field_reviews(listings: list[Listing], corrections: list[FieldCorrection]) -> None:
    for c in corrections:
        if not c.note:
            continue
        li = next(
            li for li in listings if li.name == c.program and c.measure in (None, li.component) and li.self_evaluation
        )
        li.notes.append(f"{c.field}: {c.note} (reviewed correction, l.{', '.join(map(str, c.lines))})")


# ----------------------------------------------------------------- plan & indicators


def _plan_key() -> str:
    """The plan's IRI key, from its reviewed record (data/reviewed/plans.toml)."""
    return load_plan(SOURCE).key


def read_plan(lines: list[str], doc: str) -> Plan:
    """§1: the reviewed plan record (``data/reviewed/plans.toml``): adopted 2019年（平成31年）1月
    as a supplement to 熊本市子ども輝き未来プラン (l.16-20); no period asserted, because l.53
    prints 平成30年度～令和５年度 with no plan name while every indicator targets R6.  Fails if
    the lines the record rests on have changed."""
    plan = load_plan(SOURCE)
    plan.check(lines)
    return plan.record(doc)


_ERA = {"H": 1988, "R": 2018}


def _year(token: str) -> int:
    t = norm(token)
    return _ERA[t[0]] + int(t[1:])


def _observation(raw: str, year: int, kind: str, ln: int, doc: str, provisional: bool = False) -> Observation:
    """H6/H12: ``－`` = not measured (not zero); ``若干数`` = non-numeric; a target is a
    planned value, not a measurement; units and ％/% stripped for the value only; the raw
    text is kept."""
    n = norm(raw)
    number = re.sub(r"(箇所|%)$", "", n).replace(",", "")
    if n in ("－", "-", "―"):
        return Observation(year, kind, None, raw, Span(doc, ln, ln), "not-measured")
    try:
        value = float(number)
    except ValueError:
        return Observation(year, kind, None, raw, Span(doc, ln, ln), "non-numeric")
    status = "planned" if kind in ("target", "interim-target") else "provisional" if provisional else "measured"
    return Observation(year, kind, value, raw, Span(doc, ln, ln), status)


def _kinds(count: int) -> list[str]:
    return ["baseline"] + ["actual"] * (count - 2) + ["target"]


def read_plan_indicators(lines: list[str], doc: str) -> list[Indicator]:
    """§4 plan level (l.24-44): two series, H30 … R6; the name is printed after the
    values (l.40-44); R2 ``－`` = not surveyed because of COVID-19 (l.34-36)."""
    header = find_line(lines, 24, 45, lambda n: n.startswith("H30R1"))
    years = [_year(t) for t in lines[header - 1].split()]
    name_first = find_line(lines, header, 45, lambda n: n == "実績") + 2
    name_last = find_line(lines, name_first, 45, lambda n: n.endswith("割合)"))
    name = _join(lines, name_first, name_last)
    out = []
    plan = _plan_key()
    for key, series in (("plan-elementary", "小学生"), ("plan-junior-high", "中学生")):
        ln = find_line(lines, header, 45, lambda n, s=series: n.startswith(s))
        raws = lines[ln - 1].split()[1:]
        obs = [_observation(r, y, k, ln, doc) for r, y, k in zip(raws, years, _kinds(len(raws)))]
        out.append(
            Indicator(
                plan=plan,
                key=key,
                name=name,
                span=Span(doc, name_first, name_last),
                unit="%",
                series=series,
                source="国立教育政策研究所「全国学力・学習状況調査」",
                observations=obs,
                notes=[
                    "R2 not surveyed (－): ※新型コロナウイルス感染症に係る学校教育への影響等を考慮し，未実施 (l.34-36)"
                ],
            )
        )
    return out


def read_goal_indicators(
    lines: list[str], components: list[Component], pages: list[_Page], doc: str
) -> list[Indicator]:
    """§4 goal level: header ``Ｈ３０/Ｈ２９ Ｒ１ … Ｒ６`` (goals 3 and 4 use H29),
    the values (goal 4 split over 2912/2914/2916 with ``暫定値``), then ``内容`` /
    ``実績`` and the wrapped name."""
    out = []
    for goal in (c for c in components if c.level == "goal"):
        page = next(p for p in pages if p.start == goal.span.start)
        header = find_line(lines, page.start, page.end, lambda n: re.fullmatch(r"H\d+R1R2R3R4R5R6", n) is not None)
        years = [_year(t) for t in lines[header - 1].split()]
        values, provisional = _goal_values(lines, header, page.end)
        if len(values) != len(years):
            raise ValueError(f"goal {goal.code}: {len(values)} values for {len(years)} years")
        kinds = _kinds(len(values))
        obs = [
            _observation(raw, y, k, ln, doc, provisional=(ln in provisional))
            for (raw, ln), y, k in zip(values, years, kinds)
        ]
        first = find_line(lines, header, page.end, lambda n: n == "実績") + 1
        while not lines[first - 1].strip():
            first += 1
        last = page.end
        while norm(lines[last - 1]) == "取組内容" or not lines[last - 1].strip():
            last -= 1
        name = "".join(lines[k - 1].strip() for k in range(first, last + 1))
        unit = "箇所" if "箇所" in norm(lines[values[0][1] - 1]) else ("%" if name.endswith("（％）") else None)
        notes = []
        if provisional:
            notes.append(f"R5 value is provisional (暫定値, l.{min(provisional) - 1})")
        if any(o.status == "non-numeric" for o in obs):
            notes.append("baseline printed as the word 若干数 (a few), not a number")
        out.append(
            Indicator(
                goal.plan,
                f"goal-{goal.code}",
                name,
                Span(doc, first, last),
                unit,
                goal.code,
                observations=obs,
                notes=notes,
            )
        )
    return out


def _goal_values(lines: list[str], header: int, end: int) -> tuple[list[tuple[str, int]], set[int]]:
    values: list[tuple[str, int]] = []
    provisional: set[int] = set()
    mark_next = False
    for ln in range(header + 1, end + 1):
        n = norm(lines[ln - 1])
        if n == "内容":
            break
        if n == "暫定値":
            mark_next = True
            continue
        for tok in lines[ln - 1].split():
            values.append((tok, ln))
            if mark_next:
                provisional.add(ln)
        mark_next = mark_next and not lines[ln - 1].strip()
    return values, provisional


# ----------------------------------------------------------------- entry point


def extract(doc: Document | None = None) -> DocumentRecords:
    return extract_with_field_rules(doc)[0]


def extract_with_field_rules(doc: Document | None = None) -> tuple[DocumentRecords, dict[tuple[str, int, str], str]]:
    """The records, plus the rule that placed each field text ((measure, seq, field) ->
    "review" | "one-program" | "last-left" | "subject"), for the tests and reports."""
    doc = doc or document("000")
    lines = doc.lines()
    pages = split_pages(lines)
    components = read_components(lines, pages, doc.id)
    measures = measure_of_pages(components, pages)
    corrections = load_corrections()
    entries = build_listings(lines, pages, measures, doc.id, corrections)
    listings = to_listings(entries, doc.id)
    attach_descriptions(listings, lines, pages, doc.id)
    apply_description_corrections(listings, corrections, lines, doc.id)
    apply_metric_corrections(listings, load_metric_corrections(), lines)
    rules = attach_field_texts(listings, lines, pages, doc.id, load_field_corrections())
    indicators = read_plan_indicators(lines, doc.id) + read_goal_indicators(lines, components, pages, doc.id)
    records = DocumentRecords(
        doc=doc.id,
        plans=[read_plan(lines, doc.id)],
        components=components,
        listings=listings,
        indicators=indicators,
        meta=read_meta(lines, doc.id),
    )
    return records, rules


_REPORT_HEADING = re.compile(r"\(\d\)令和(\d+|元)年度\((\d{4})年度\)の取組み状況と今後の取組み方針")


def read_meta(lines: list[str], doc_id: str) -> DocumentMeta:
    """The fiscal year the progress report covers: the heading （3）令和5年度（2023年度）の取組み状況と
    今後の取組み方針 (l.116), whose era and western years must agree."""
    for ln, text in enumerate(lines, 1):
        m = _REPORT_HEADING.fullmatch(norm(text))
        if m:
            year = int(m.group(2))
            if parse_era_year(f"令和{m.group(1)}年度") != year:
                raise ValueError(f"l.{ln}: 令和{m.group(1)}年度 is not {year}")
            return DocumentMeta(report_year=year, report_year_span=Span(doc_id, ln, ln))
    raise ValueError("000: no （N）令和N年度（YYYY年度）の取組み状況と今後の取組み方針 heading")


# ----------------------------------------------------------------- metric-table corrections


@dataclass
class MetricCorrection:
    """A reviewed reading of one metric table (``[[metric]]`` in corrections-000.toml):
    ``row`` + ``columns`` names the years of a row with fewer than three values (H7);
    ``footnote`` ([first, last]) attaches a ``※`` note printed under the table to it."""

    table: str
    reason: str
    lines: list[int]
    row: int | None = None
    columns: list[str] | None = None
    footnote: list[int] | None = None
    uncertain: bool = False


def load_metric_corrections(path: Path = CORRECTIONS) -> list[MetricCorrection]:
    return [MetricCorrection(**e) for e in load_tables(path, ("metric",), required=("table",))["metric"]]


def apply_metric_corrections(listings: list[Listing], corrections: list[MetricCorrection], lines: list[str]) -> None:
    """Apply the reviewed readings; an entry that matches no table, row or note line is an error."""
    tables = [t for li in listings for t in li.metrics]
    for c in corrections:
        hits = [t for t in tables if t.title == c.table]
        if not hits:
            raise ValueError(f"[[metric]] {c.table!r}: no such table")
        table = hits[0]
        if c.row is not None:
            _rekey_row(table, c)
        if c.footnote is not None:
            first, last = c.footnote
            text = "".join(lines[k - 1].strip() for k in range(first, last + 1))
            if not text.startswith("※"):
                raise ValueError(f"[[metric]] {c.table!r}: l.{first} is not a ※ note")
            table.note = (table.note + "; " if table.note else "") + f"{text} (l.{first})"


def _rekey_row(table: MetricTable, c: MetricCorrection) -> None:
    at = c.row  # set: the caller re-keys only corrections that name a row
    if at is None:
        raise ValueError(f"[[metric]] {c.table!r}: columns need the row they name")
    rows = [r for r in table.rows if r.span.start <= at <= r.span.end]
    if not rows or not c.columns or len(c.columns) != len(rows[0].values):
        raise ValueError(f"[[metric]] {c.table!r}: no row at l.{c.row} with {len(c.columns or [])} values")
    row = rows[0]
    row.values = dict(zip(c.columns, row.values.values()))
    parts = [p for p in table.note.split("; ") if p and not p.startswith("fewer than three values in")]
    short = _short_rows_note(table)
    how = "probably" if c.uncertain else "read as"
    table.note = "; ".join(
        ([short] if short else []) + parts + [f"{row.item}: the values are {how} {'/'.join(c.columns)} ({c.reason})"]
    )
