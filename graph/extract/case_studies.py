"""Extractor for seed 002: 指定都市市長会 こども・子育て支援施策に関する取組事例集 (令和4年11月9日).

Layout and traps are documented in ``docs/sources/002-case-studies.md`` (§ and H codes below).
The file is markdown-like text of a 20-page PDF, one page per designated city.  The
extractor works in five steps, each a small function below:

1. read the table of contents (TOC) for the city order and page numbers;
2. find the city headings (13 of 20 cities have one) and the titled blocks
   (standalone heading lines; image captions are removed by reviewed entries);
3. attribute the blocks between two headed cities to the cities the TOC puts there
   (7 cities have no heading): a page holds one or two blocks, and in-text evidence
   (a city name or a city-specific term) pins each block; the split must be unique;
4. split themes into items where a heading carries named sub-items (●, ◆, ``- name``
   with ✓ sub-bullets) - otherwise the heading itself is the initiative; a theme's own
   text (岡山's subtitle 465-467, 札幌's rationale 57) is kept with its items;
5. read every date a block prints (title, text, captions, outcomes) with its role (start,
   end, event, as-of) and decide which start, if any, is the initiative's own (``since``)
   rather than a component's (the others go to ``dates_mentioned``).

Descriptions leave image captions and picture labels out.  Judgements the text cannot
settle mechanically (captions and labels, the Kyoto page layout, 岡山's floating outcomes,
start dates, a component's date, the quantitative facts of the layout note's §4, six
uncertain readings) are reviewed entries in ``data/reviewed/corrections-002.toml``; every
entry must match, or extraction fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from fukushi_kg import resources
from fukushi_kg.graph.era import western_year
from fukushi_kg.graph.extract.reviewed import load_tables
from fukushi_kg.graph.records import CaseCity, CaseInitiative, DocumentRecords, Span, StatedDate, StatedFigure
from fukushi_kg.graph.sources import Document, document

CORRECTIONS = resources.reviewed("corrections-002.toml")
TOC_LINES = (14, 23)  # 目次 (1-based, inclusive)
MAX_BLOCKS_PER_PAGE = 2  # a city page holds one or two titled blocks (§2)
PICTURE_GAP = 3  # blank lines the text extraction leaves where a picture was

_OPEN, _CLOSE = "[(（]", "[)）]"

_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_NOT_HEADING_START = tuple("-●◆★※【〈〔(（・⇒↓◎✓①②③④⑤⑥ 　\t")
_NOT_IN_TITLE = ("。", "、", ":", "：", "⇒", "+", "%", "％")
_ITEM_MARKS = ("●", "◆")
_MIN_ITEM_NAME = 6  # "● 課題" / "● 効果" (さいたま) are section labels, not named items


# --------------------------------------------------------------------------- helpers


def _blank(line: str) -> bool:
    """Lines holding only a space (155, 429, 522, 558, 575) separate blocks like empty ones."""
    return not line.strip()


def clean_text(text: str) -> str:
    """Text as printed minus markdown syntax: ``**bold**`` and ``[text](#)`` links."""
    return _MARKDOWN_LINK.sub(r"\1", text).replace("**", "").strip()


def _last_nonblank(lines: list[str], start: int, end: int) -> int:
    """Last non-blank line in ``start..end`` (1-based), or ``start - 1`` when there is none."""
    for ln in range(end, start - 1, -1):
        if not _blank(lines[ln - 1]):
            return ln
    return start - 1


# --------------------------------------------------------------------------- corrections


@dataclass
class Reviewed:
    """Entries of corrections-002.toml, by kind; each keeps its reason and source lines."""

    evidence: list[dict] = field(default_factory=list)
    captions: list[dict] = field(default_factory=list)
    labels: list[dict] = field(default_factory=list)
    blocks: list[dict] = field(default_factory=list)
    results: list[dict] = field(default_factory=list)
    since: list[dict] = field(default_factory=list)
    component_dates: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    uncertain: list[dict] = field(default_factory=list)


_KINDS = {
    "evidence": "evidence",
    "caption": "captions",
    "label": "labels",
    "block": "blocks",
    "results": "results",
    "since": "since",
    "component_date": "component_dates",
    "figure": "figures",
    "uncertain": "uncertain",
}


def load_reviewed(path: Path = CORRECTIONS) -> Reviewed:
    """Load the reviewed entries; an entry without ``reason`` or ``lines`` is an error."""
    tables = load_tables(path, tuple(_KINDS))
    return Reviewed(**{attr: tables[table] for table, attr in _KINDS.items()})


# --------------------------------------------------------------------------- step 1: TOC


def read_toc(lines: list[str]) -> list[tuple[str, int]]:
    """(city, page) in page order.  Hazard (§2): the TOC is printed in two columns (1-10 | 11-20)."""
    pairs = []
    for ln in range(TOC_LINES[0], TOC_LINES[1] + 1):
        cells = [c.strip() for c in lines[ln - 1].split("\t") if c.strip()]
        if len(cells) % 2:
            raise ValueError(f"002 TOC line {ln} is not (city, page) pairs: {lines[ln - 1]!r}")
        pairs += [(cells[i], int(cells[i + 1])) for i in range(0, len(cells), 2)]
    pairs.sort(key=lambda p: p[1])
    if [p for _, p in pairs] != list(range(1, len(pairs) + 1)):
        raise ValueError(f"002 TOC pages are not 1..n: {pairs}")
    return pairs


# --------------------------------------------------------------------------- step 2: headings


def find_city_headings(lines: list[str], cities: list[str]) -> dict[str, int]:
    """City name -> heading line.  Only a line that is exactly a TOC city name, after the TOC."""
    found: dict[str, int] = {}
    for ln in range(TOC_LINES[1] + 1, len(lines) + 1):
        text = lines[ln - 1].strip()
        if text in cities:
            if text in found:
                raise ValueError(f"002: city heading {text} twice (lines {found[text]}, {ln})")
            found[text] = ln
    return found


def is_heading_candidate(lines: list[str], ln: int) -> bool:
    """A standalone title-like line.

    H2: bullets, item marks, 【】/〈〉 box labels, table rows (tabs), two-line picture
    labels (なごもっか マスコットキャラクター / なごもん, 令和3年度まで / 熊本大学研究事業),
    sentences (、 or 。, e.g. 362 and 197), "label: value" lines (事務局:… 471), formulas
    and figures (社会福祉協議会+NPO法人+岡山市 467, H29年14か所 ⇒ … 494, 検査率96% 580) and
    the search-box picture ``[横浜市 医療的ケア児 ガイドライン](#) 検索`` (205) look like
    titles but are not.  Image captions that pass this test are removed by reviewed
    [[caption]] entries.
    """
    line = lines[ln - 1]
    if _blank(line) or line.startswith(_NOT_HEADING_START) or "\t" in line:
        return False
    prev_blank = ln == 1 or _blank(lines[ln - 2])
    next_blank = ln == len(lines) or _blank(lines[ln])
    if _MARKDOWN_LINK.search(line) or any(c in line for c in _NOT_IN_TITLE):
        return False
    return prev_blank and next_blank and len(clean_text(line)) <= 40


def find_headings(lines: list[str], start: int, city_lines: set[int], reviewed: Reviewed) -> list[int]:
    """Title lines of blocks (themes or heading-level initiatives), minus reviewed captions.

    Fails loudly when a reviewed caption is not a candidate or its text differs, so the
    caption list cannot silently drift from the source.
    """
    candidates = [ln for ln in range(start, len(lines) + 1) if ln not in city_lines and is_heading_candidate(lines, ln)]
    captions = set()
    for entry in reviewed.captions:
        ln = entry["line"]
        if ln not in candidates or clean_text(lines[ln - 1]) != entry["text"]:
            raise ValueError(f"002 reviewed caption at line {ln} ({entry['text']!r}) matches no heading candidate")
        captions.add(ln)
    return [ln for ln in candidates if ln not in captions]


# --------------------------------------------------------------------------- step 3: attribution


@dataclass
class _Unit:
    """One or more consecutive headings that must sit on the same page."""

    headings: list[int]
    start: int
    end: int  # last line before the next unit / city heading


def _units(lines: list[str], headings: list[int], city_lines: set[int]) -> list[_Unit]:
    """Group headings into page units.

    Hazard: a heading whose block is empty up to the next heading (京都 350 医療的ケア児への
    支援体制の構築 directly above the box 352 保育士配置基準を独自に引き上げ！) is the page title
    of the same page, so the two count as one unit for page attribution.
    """
    stops = sorted(set(headings) | city_lines | {len(lines) + 1})
    units: list[_Unit] = []
    pending: list[int] = []
    for h in headings:
        nxt = min(s for s in stops if s > h)
        pending.append(h)
        if _last_nonblank(lines, h + 1, nxt - 1) <= h and nxt in headings:
            continue  # empty block directly above another heading: same page
        units.append(_Unit(pending, pending[0], nxt - 1))
        pending = []
    if pending:
        raise ValueError(f"002: headings {pending} end the document without content")
    return units


def _evidence_terms(city: str, reviewed: Reviewed) -> list[str]:
    """The city's own name (without 市) plus reviewed city-specific terms (せんだい, 区局 …)."""
    terms = [city.removesuffix("市")]
    for entry in reviewed.evidence:
        if entry["city"] == city:
            terms += entry["terms"]
    return terms


def _hits(lines: list[str], unit: _Unit, terms: list[str]) -> list[tuple[str, int]]:
    """(term, line) for every evidence term printed in the unit's lines."""
    return [(t, ln) for ln in range(unit.start, unit.end + 1) for t in terms if t in lines[ln - 1]]


def _partitions(n: int, k: int, cap: int):
    """All ways to cut ``n`` units into ``k`` consecutive non-empty groups of at most ``cap``."""
    if k == 1:
        if 1 <= n <= cap:
            yield [n]
        return
    for first in range(1, min(cap, n - k + 1) + 1):
        for rest in _partitions(n - first, k - 1, cap):
            yield [first, *rest]


@dataclass
class _Page:
    city: str
    toc_page: int
    units: list[_Unit]
    heading: int | None
    evidence: list[tuple[str, int]] = field(default_factory=list)


def _cuts(
    lines: list[str], gap: list[_Unit], cities: list[str], terms: dict[str, list[str]]
) -> list[list[list[_Unit]]]:
    """Every cut of ``gap`` into one page per city that no evidence contradicts.

    A unit that prints another city's term and none of its own city's cannot stay.
    """
    out = []
    for sizes in _partitions(len(gap), len(cities), MAX_BLOCKS_PER_PAGE):
        groups, pos = [], 0
        for size in sizes:
            groups.append(gap[pos : pos + size])
            pos += size
        contradicted = any(
            _hits(lines, u, [t for c in cities if c != city for t in terms[c]]) and not _hits(lines, u, terms[city])
            for city, group in zip(cities, groups)
            for u in group
        )
        if not contradicted:
            out.append(groups)
    return out


def attribute_pages(
    lines: list[str], toc: list[tuple[str, int]], city_heads: dict[str, int], units: list[_Unit], reviewed: Reviewed
) -> list[_Page]:
    """Give every unit a city.

    H1: 7 cities have no heading, so "latest heading wins" would hand their 16
    initiatives (14 blocks) to the previous city.  Between two headed cities, the units are
    cut into consecutive pages for the cities the TOC puts there, at most two units a page,
    such that a unit printing a city's name or reviewed term goes to that city.  Exactly one
    cut may survive, and every headless city needs in-text evidence: never position alone.
    """
    anchors = [i for i, (c, _) in enumerate(toc) if c in city_heads]
    if not anchors or anchors[0] != 0:
        raise ValueError("002: the first TOC city must have a heading")
    pages: list[_Page] = []
    for a, b in zip(anchors, anchors[1:] + [len(toc)]):
        cities = [c for c, _ in toc[a:b]]
        start = city_heads[cities[0]]
        stop = city_heads[toc[b][0]] if b < len(toc) else len(lines) + 1
        gap = [u for u in units if start < u.start < stop]
        terms = {c: _evidence_terms(c, reviewed) for c in cities}
        cuts = _cuts(lines, gap, cities, terms)
        if len(cuts) != 1:
            raise ValueError(f"002: {len(cuts)} page attributions for {cities} (lines {start}-{stop - 1})")
        for (city, page), mine in zip(toc[a:b], cuts[0]):
            evidence = [h for u in mine for h in _hits(lines, u, terms[city])]
            if city not in city_heads and not evidence:
                raise ValueError(f"002: {city} attributed by position alone")
            pages.append(_Page(city, page, mine, city_heads.get(city), evidence))
    return pages


def _city_record(lines: list[str], page: _Page, toc: list[tuple[str, int]], doc: str) -> CaseCity:
    """A headed city's span is its heading; a headless city's span is the text attributed to it."""
    if page.heading is not None:
        return CaseCity(page.city, page.toc_page, Span(doc, page.heading, page.heading), True)
    first = page.units[0].start
    last = _last_nonblank(lines, first, page.units[-1].end)
    before = toc[page.toc_page - 2][0] if page.toc_page > 1 else "-"
    after = toc[page.toc_page][0] if page.toc_page < len(toc) else "-"
    seen: dict[str, list[int]] = {}
    for term, ln in page.evidence:
        seen.setdefault(term, []).append(ln)
    terms = "; ".join(
        f"「{t}」 line{'s' if len(l) > 1 else ''} {', '.join(map(str, sorted(set(l))))}" for t, l in seen.items()
    )
    evidence = (
        f"no heading; TOC page {page.toc_page} between {before} and {after}; lines {first}-{last}; "
        f"in-text evidence: {terms}"
    )
    return CaseCity(page.city, page.toc_page, Span(doc, first, last), False, evidence)


# --------------------------------------------------------------------------- step 4: items


def _item_title_line(lines: list[str], ln: int) -> str | None:
    """The item name if line ``ln`` opens a named sub-item, else None.

    Hazards: ● / ◆ in column 0 name items (札幌, 広島, 岡山), but ``- ◆`` (北九州, 京都) is a
    sentence bullet of a heading-level block, and ``● 課題`` / ``● 導入後`` (さいたま) are
    section labels.  A ``- name`` bullet is an item only when ✓ sub-bullets follow (新潟);
    千葉's ``- name`` with ``・`` sub-bullets lists parts of one package.
    """
    line = lines[ln - 1]
    if line.startswith(_ITEM_MARKS):
        name = clean_text(line[1:])
        if len(name) >= _MIN_ITEM_NAME and "。" not in name and "、" not in re.sub(r"\(.*?\)|（.*?）", "", name):
            return name
        return None
    if line.startswith("- ") and ln < len(lines) and lines[ln].lstrip().startswith("- ✓"):
        return clean_text(line[2:])
    return None


# --------------------------------------------------------------------------- step 5: dates

# An era year (H28, 令和元) and a full date (令和4年度, R3年7月, 令和4年5月25日), as named groups.
_ERA_YEAR = r"(?P<era>明治|大正|昭和|平成|令和|[MTSHR])(?P<num>元|\d+)"
_YMD = rf"{_ERA_YEAR}年(?P<fy>度)?(?:(?P<month>\d+)月)?(?:(?P<day>\d+)日)?"

# Date forms, most specific first; a later form never matches inside an earlier match.  Each is
# (name, role, pattern); role None means "read from the words around it" (_context_role).
_DATE_FORMS: tuple[tuple[str, str | None, re.Pattern[str]], ...] = (
    # 〔H28～〕 〔R3年7月～〕 〔令和4年6月～〕
    ("bracket", "start", re.compile(rf"〔{_ERA_YEAR}(?:年(?:(?P<month>\d+)月)?)?～〕")),
    # (H30年創設) (R2年7月創設) (令和2年1月開設) (令和4年7月～) (平成29年より) （令和4年3月より実証開始）
    ("paren", "start", re.compile(rf"{_OPEN}{_ERA_YEAR}年(?:(?P<month>\d+)月)?(?:創設|開設|～|より[^)）]*){_CLOSE}")),
    # 【令和4年度新規】
    ("new-in-fy", "start", re.compile(rf"【{_ERA_YEAR}年(?P<fy>度)新規】")),
    # 平成30年度に制度創設 / 平成24年9月に一部行政区で試行実施
    ("began", "start", re.compile(rf"{_YMD}に[^。、]*?(?:創設|試行実施|開始)")),
    # 令和4年度から6年度にかけて: a period; the end inherits the era (千葉 117)
    ("range", "start", re.compile(rf"{_YMD}から(?P<num2>\d+)年(?P<fy2>度)?(?:(?P<month2>\d+)月)?(?:にかけて|まで)")),
    # 平成28年度より / 令和4年9月から / R2年度からは
    ("prose", "start", re.compile(rf"{_YMD}(?:より|から)")),
    # 本年10月から: relative to the document date
    ("relative", "start", re.compile(r"本年(?P<month>\d+)月(?:より|から)")),
    # 令和3年度まで (end of a phase, 熊本 582) / R4年8月までに101回 (a count up to then, 岡山 511)
    ("until", "end", re.compile(rf"{_YMD}まで(?P<by>に)?")),
    # 令和4年9月時点 / 令和4年5月25日時点
    ("as-of", "as-of", re.compile(rf"{_YMD}(?:時点|現在)")),
    # ガイドラインの策定(令和4年9月): a bare parenthesised date closing a line is an event
    ("paren-event", "event", re.compile(rf"{_OPEN}{_YMD}{_CLOSE}\s*$")),
    # (令和4年4月) 保育所 : 11施設27人受入: a parenthesised date opening a line labels its figures
    ("paren-label", "as-of", re.compile(rf"{_OPEN}{_YMD}{_CLOSE}")),
    # any other full date: 本年9月に公表, 令和3年9月、…意見書を提出, 令和4年度は84,000円
    ("date", None, re.compile(_YMD)),
    ("relative-date", None, re.compile(r"本年(?P<month>\d+)月")),
    # a bare era year labelling figures: 1,236人(R1), 【R2:129,701人】, the table row H30 20,900
    ("era-label", "as-of", re.compile(r"(?<![A-Za-z])(?P<era>[HR])(?P<num>\d+)(?![\d年A-Za-z])")),
)
_FIGURE_AFTER = re.compile(r"(?:は|\S{0,4}?実績|[)）】]?\s*[:：、]?\s*\d)")


@dataclass
class _Date:
    date: StatedDate
    kind: str  # the form's name
    line: int
    col: int
    end_col: int

    @property
    def is_start(self) -> bool:
        return self.date.role == "start"


def _context_role(line: str, m: re.Match) -> str:
    """Role of a date that carries no marker of its own.

    Hazards: a date in a tab table (名古屋 322-323, 横浜 211) or followed by a figure or by は /
    …実績 (令和3年度利用者実績: 147,305人 290, 令和4年度は84,000円 451, H29年14か所 494,
    令和4年4月、9年連続… 364) is the date the figures refer to (as-of); anything else
    (本年9月に公表 182, 令和3年4月に保留児童となった 183, 令和3年9月、…意見書を提出 343) is an event.
    """
    if "\t" in line or _FIGURE_AFTER.match(line, m.end()):
        return "as-of"
    return "event"


def _fiscal_table(lines: list[str], ln: int) -> bool:
    """True when line ``ln`` is a row of a tab table whose header row has a 年度 cell (京都 394-399)."""
    i = ln
    while i >= 1 and "\t" in lines[i - 1]:
        if "年度" in [c.strip() for c in lines[i - 1].split("\t")]:
            return True
        i -= 1
    return False


def _precision(fy: bool, month: int | None, day: int | None) -> str:
    return "day" if day else "month" if month else "fiscal-year" if fy else "year"


def _stated_date(
    m: re.Match, role: str, ln: int, doc: Document, raw: str | None = None, suffix: str = ""
) -> StatedDate:
    """Era -> western via graph.era; 本年 is the document's year (R4-11 -> 2022).

    ``suffix`` "2" reads the second date of a range (its own year, inheriting the first's era).
    """
    g = m.groupdict()
    month = int(g[f"month{suffix}"]) if g.get(f"month{suffix}") else None
    day = int(g["day"]) if not suffix and g.get("day") else None
    fy = bool(g.get(f"fy{suffix}"))
    year = int(doc.date[:4]) if "era" not in g else western_year(g["era"], g[f"num{suffix}"])
    return StatedDate(
        raw if raw is not None else m.group(0), year, month, _precision(fy, month, day), Span(doc.id, ln, ln), role, day
    )


def _dates_of_match(
    kind: str, role: str | None, m: re.Match, line: str, lines: list[str], ln: int, doc: Document
) -> list[_Date]:
    """One date per match; two for a range (令和4年度から / 6年度にかけて)."""
    if kind == "range":
        cut = m.group(0).index("から") + len("から")
        first = _stated_date(m, "start", ln, doc, raw=m.group(0)[:cut])
        second = _stated_date(m, "end", ln, doc, raw=m.group(0)[cut:], suffix="2")
        return [_Date(first, kind, ln, m.start(), m.start() + cut), _Date(second, kind, ln, m.start() + cut, m.end())]
    if kind == "until" and m.group("by"):
        role = "as-of"
    date = _stated_date(m, role or _context_role(line, m), ln, doc)
    if kind == "era-label" and _fiscal_table(lines, ln):
        date.precision = "fiscal-year"
    return [_Date(date, kind, ln, m.start(), m.end())]


def read_dates(lines: list[str], start: int, end: int, doc: Document) -> list[_Date]:
    """Every date printed in ``start..end``, in reading order, with its role.

    H3: start dates are bracketed (〔H28～〕), parenthesised ((H30年創設)), in prose
    (平成28年度より, 本年10月から) or a 【令和4年度新規】 tag; 〔子ども食堂設置数：42箇所〕 is a count,
    not a date (no era); 時点 dates (106, 282) are as-of dates; まで ends a phase (582); a period
    令和4年度から6年度にかけて (117) prints the end year without its era; a bare parenthesised date
    at a line end is an event (201); era years without 年 label figures ((R1) 117, table rows 395-399).
    """
    out: list[_Date] = []
    for ln in range(start, end + 1):
        line = lines[ln - 1]
        taken: list[tuple[int, int]] = []
        for kind, role, pattern in _DATE_FORMS:
            for m in pattern.finditer(line):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                if kind == "paren-label" and line[: m.start()].strip():
                    continue  # only a date opening its line labels the figures after it
                taken.append((m.start(), m.end()))
                out += _dates_of_match(kind, role, m, line, lines, ln, doc)
    out.sort(key=lambda d: (d.line, d.col))
    return out


def _bullet_index(lines: list[str], start: int, ln: int) -> int:
    """How many top-level ``- `` bullets open in ``start..ln``: 2+ means a component bullet."""
    return sum(1 for i in range(start, ln + 1) if lines[i - 1].startswith("- "))


def choose_since(lines: list[str], title_line: int, body_start: int, dates: list[_Date]) -> _Date | None:
    """The initiative's own start, by rule; None when only components carry dates.

    1. a start date closing the title line (〔H30～〕, (H30年創設)) is the initiative's;
    2. else a block with exactly one start date takes it, unless it sits in the second or a
       later bullet (北九州's ◆ bullets, 仙台's 令和3年3月より …: components);
    3. else none (several dates: 札幌's 〔H28～〕 / 〔R2～〕 belong to parts) - reviewed
       [[since]] entries settle the judgement cases, and reviewed [[component_date]] entries
       take a date the rule chose back to the component it belongs to (堺 437).
    End, event and as-of dates are never starts.
    """
    title = lines[title_line - 1].rstrip()
    for d in dates:
        if d.line == title_line and d.is_start and d.end_col == len(title):
            return d
    starts = [d for d in dates if d.is_start]
    if len(starts) == 1 and _bullet_index(lines, body_start, starts[0].line) <= 1:
        return starts[0]
    return None


# --------------------------------------------------------------------------- assembling


@dataclass
class _Draft:
    city: str
    title_line: int
    title: str
    level: str
    end: int  # last line of the block (may be blank)
    theme: tuple[str, int] | None = None
    theme_end: int | None = None  # last line of the theme's region (items only)
    notes: list[str] = field(default_factory=list)
    uncertain: bool = False
    body: tuple[int, int] | None = None  # the block's lines after the title, captions included
    results: tuple[int, int] | None = None  # reviewed outcome lines printed apart from the block
    theme_text: tuple[int, int] | None = None  # the theme's own lines (subtitle, rationale)
    since: _Date | None = None
    dates: list[_Date] = field(default_factory=list)
    figures: list[StatedFigure] = field(default_factory=list)


def _item_lines(lines: list[str], start: int, end: int) -> list[tuple[int, str]]:
    return [(ln, name) for ln in range(start, end + 1) if (name := _item_title_line(lines, ln))]


def _item_end(lines: list[str], ln: int, limit: int) -> int:
    """An item ends at the next item or at a picture gap (3+ blank lines).

    Hazard: after such a gap come a page's floating parts (pictures, captions, the theme's
    rationale 57, 岡山's ★ outcomes 492-511), which belong to the theme, not the last item.
    A blank plus a one-space line (広島 521-522) is not a gap: 523-524 is that item's text.
    """
    blanks = 0
    for i in range(ln + 1, limit + 1):
        blanks = blanks + 1 if _blank(lines[i - 1]) else 0
        if blanks >= PICTURE_GAP:
            return i - blanks
    return limit


def draft_initiatives(lines: list[str], pages: list[_Page]) -> list[_Draft]:
    """Headings with items become themes of item-level initiatives; others are initiatives."""
    drafts: list[_Draft] = []
    for page in pages:
        headings = [h for u in page.units for h in u.headings]
        ends = {
            h: (headings[i + 1] - 1 if i + 1 < len(headings) else page.units[-1].end) for i, h in enumerate(headings)
        }
        for h in headings:
            title = clean_text(lines[h - 1])
            items = _item_lines(lines, h + 1, ends[h])
            if not items:
                drafts.append(_Draft(page.city, h, title, "heading", ends[h]))
                continue
            for j, (ln, name) in enumerate(items):
                limit = items[j + 1][0] - 1 if j + 1 < len(items) else ends[h]
                drafts.append(
                    _Draft(
                        page.city, ln, name, "item", _item_end(lines, ln, limit), theme=(title, h), theme_end=ends[h]
                    )
                )
    return drafts


def _body(lines: list[str], d: _Draft) -> tuple[int, int] | None:
    """First..last non-blank line after the title, or None for a title-only block (札幌 41)."""
    last = _last_nonblank(lines, d.title_line + 1, d.end)
    if last <= d.title_line:
        return None
    first = next(ln for ln in range(d.title_line + 1, last + 1) if not _blank(lines[ln - 1]))
    return first, last


def _find(drafts: list[_Draft], title_line: int, what: str) -> _Draft:
    """The initiative a reviewed entry names by title line; failing when there is none."""
    hits = [d for d in drafts if d.title_line == title_line]
    if len(hits) != 1:
        raise ValueError(f"002 reviewed {what} entry: no initiative titled at line {title_line}")
    return hits[0]


def apply_blocks(lines: list[str], drafts: list[_Draft], reviewed: Reviewed) -> None:
    """Reviewed description ranges (京都: the page title 350 heads 364-409; the box 352 is 354-362)."""
    for entry in reviewed.blocks:
        d = _find(drafts, entry["title_line"], "block")
        a, b = entry["description"]
        if not (a > d.title_line and not _blank(lines[a - 1]) and not _blank(lines[b - 1])):
            raise ValueError(f"002 reviewed block for line {d.title_line}: bad description range {a}-{b}")
        d.body, d.end = (a, b), b
        d.notes.append(entry["reason"])


def caption_lines(lines: list[str], reviewed: Reviewed) -> set[int]:
    """Lines that are image / table captions or picture labels, never description text.

    Reviewed [[caption]] lines (heading-like captions, checked in find_headings) plus reviewed
    [[label]] lines: picture labels the heading test does not catch because they run over two
    lines or sit in brackets (はなたん 231-232, 【屋内施設での開催の様子】 236, 令和3年度 /
    トピック 340-341, 熊本's timeline 582-586).  A label whose text is not printed at its line
    fails, so the list cannot drift from the source.
    """
    out = {entry["line"] for entry in reviewed.captions}
    for entry in reviewed.labels:
        texts = entry["text"] if isinstance(entry["text"], list) else [entry["text"]]
        for k, text in enumerate(texts):
            ln = entry["line"] + k
            if clean_text(lines[ln - 1]) != text:
                raise ValueError(f"002 reviewed label at line {ln} ({text!r}) is not the text printed there")
            out.add(ln)
    return out


def apply_results(lines: list[str], drafts: list[_Draft], reviewed: Reviewed) -> None:
    """Reviewed outcome ranges: 岡山's ★ lines (492-511) float after the theme's items.

    They follow the last item's picture gap, so no block holds them; which ★ speaks of which
    item is a reading, recorded with its reason.  The range must lie in the theme's floating
    part (after every item of the theme, before the theme's end) and start and end on text.
    """
    for entry in reviewed.results:
        d = _find(drafts, entry["title_line"], "results")
        a, b = entry["range"]
        siblings = [x for x in drafts if x.theme and d.theme and x.theme[1] == d.theme[1]]
        floating_from = max((x.end for x in siblings), default=d.end) + 1
        if not (
            d.theme_end
            and floating_from <= a <= b <= d.theme_end
            and not _blank(lines[a - 1])
            and not _blank(lines[b - 1])
        ):
            raise ValueError(f"002 reviewed results for line {d.title_line}: {a}-{b} is not floating text of its theme")
        d.results = (a, b)
        d.notes.append(entry["reason"])


def assign_theme_texts(lines: list[str], drafts: list[_Draft], captions: set[int]) -> None:
    """The theme's own text, shared by its items: lines between the theme heading and its first
    item (岡山's subtitle and partnership 465-467) or floating after its last item (札幌's
    rationale 57, between the captions 55 and 61), minus captions and reviewed outcomes.

    Both at once would make one span cover the items, so that fails loudly.
    """
    themes: dict[int, list[_Draft]] = {}
    for d in drafts:
        if d.theme:
            themes.setdefault(d.theme[1], []).append(d)
    for head, items in themes.items():
        taken = {ln for d in items if d.results for ln in range(d.results[0], d.results[1] + 1)}
        first_item = min(d.title_line for d in items)
        leading = range(head + 1, first_item)
        theme_end = items[0].theme_end
        if theme_end is None:
            raise ValueError(f"002: the theme at line {head} has no end")
        floating = range(max(d.end for d in items) + 1, theme_end + 1)
        parts = [
            [ln for ln in r if not _blank(lines[ln - 1]) and ln not in captions and ln not in taken]
            for r in (leading, floating)
        ]
        if all(parts):
            raise ValueError(f"002 theme at line {head}: own text both before and after its items")
        text = parts[0] or parts[1]
        for d in items:
            d.theme_text = (text[0], text[-1]) if text else None


def assign_dates(lines: list[str], drafts: list[_Draft], reviewed: Reviewed, doc: Document) -> None:
    """Read every date of each block (title, text, captions, reviewed outcomes), choose ``since``
    by rule, then apply reviewed [[since]] and [[component_date]] entries.

    A reviewed entry must name a start date that the block really prints (raw text and
    line), else extraction fails.
    """
    for d in drafts:
        d.dates = read_dates(lines, d.title_line, d.title_line, doc)
        for rng in (d.body, d.results):
            if rng:
                d.dates += read_dates(lines, *rng, doc)
        d.since = choose_since(lines, d.title_line, d.body[0] if d.body else d.title_line + 1, d.dates)
    for entry in reviewed.since:
        d = _find(drafts, entry["title_line"], "since")
        d.since = _reviewed_start(d, entry, "since")
        d.notes.append(entry["reason"])
    for entry in reviewed.component_dates:
        d = _find(drafts, entry["title_line"], "component_date")
        if _reviewed_start(d, entry, "component_date") is d.since:
            d.since = None
        d.notes.append(entry["reason"])


def _reviewed_start(d: _Draft, entry: dict, what: str) -> _Date:
    hits = [x for x in d.dates if x.is_start and x.line == entry["line"] and x.date.raw == entry["raw"]]
    if not hits:
        raise ValueError(
            f"002 reviewed {what} {entry['raw']!r} at line {entry['line']} is not a start date of that block"
        )
    return hits[0]


_FIGURE = re.compile(r"(?P<qualifier>約)?(?P<number>\d[\d,]*(?:\.\d+)?)(?P<unit>.*?)(?P<atleast>以上)?")


def _read_figure(raw: str) -> tuple[Decimal, str | None, str | None]:
    """(value, unit, qualifier) of a printed figure: 47か所, 3280世帯, 約100団体 (qualifier 約), 2,242.

    A number written with 万 / 億 (20万人) is refused rather than misread as 20.
    """
    m = _FIGURE.fullmatch(raw)
    if not m or m.group("unit").startswith(("万", "億")):
        raise ValueError(f"002 reviewed figure {raw!r} is not a number with a unit")
    qualifier = m.group("qualifier") or m.group("atleast")
    return Decimal(m.group("number").replace(",", "")), m.group("unit") or None, qualifier


def apply_figures(lines: list[str], drafts: list[_Draft], reviewed: Reviewed, doc: Document) -> None:
    """Reviewed figures (the note's quantitative facts: 岡山 47か所, 3,280世帯 …).

    Value, unit and qualifier are read from the printed ``raw``, which must be printed on
    ``line`` inside the initiative's text or outcomes; ``as_of`` names a date the extractor read
    on the same line (R4年8月 494), ``unit`` may be given where the table prints it in a header.
    """
    for entry in reviewed.figures:
        d = _find(drafts, entry["title_line"], "figure")
        ln, raw = entry["line"], entry["raw"]
        inside = any(r and r[0] <= ln <= r[1] for r in (d.body, d.results))
        if not inside or raw not in lines[ln - 1]:
            raise ValueError(f"002 reviewed figure {raw!r} is not printed at line {ln} of initiative {d.title_line}")
        value, unit, qualifier = _read_figure(raw)
        as_of = None
        if entry.get("as_of"):
            hits = [x.date for x in d.dates if x.line == ln and x.date.raw == entry["as_of"]]
            if not hits:
                raise ValueError(f"002 reviewed figure {raw!r}: no date {entry['as_of']!r} read at line {ln}")
            as_of = hits[0]
        d.figures.append(
            StatedFigure(entry["item"], value, entry.get("unit", unit), raw, Span(doc.id, ln, ln), qualifier, as_of)
        )


def _strip_title_date(d: _Draft, lines: list[str]) -> None:
    """A start date closing the title line is the date, not part of the title (〔H30～〕, (H30年創設))."""
    if d.since and d.since.line == d.title_line and d.since.end_col == len(lines[d.title_line - 1].rstrip()):
        raw = d.since.date.raw
        if d.title.endswith(raw):
            d.title = d.title[: -len(raw)].rstrip()


def apply_uncertain(drafts: list[_Draft], reviewed: Reviewed) -> None:
    """Reviewed judgement calls: attribution by page order only, ambiguous granularity."""
    for entry in reviewed.uncertain:
        d = _find(drafts, entry["title_line"], "uncertain")
        if entry.get("title") and entry["title"] != d.title:
            raise ValueError(f"002 reviewed uncertain entry at {d.title_line}: title {d.title!r} != {entry['title']!r}")
        d.uncertain = True
        d.notes.append(entry["reason"])


def _text_lines(lines: list[str], rng: tuple[int, int] | None, skip: set[int]) -> list[int]:
    """Non-blank lines of ``rng`` not in ``skip``."""
    if not rng:
        return []
    return [ln for ln in range(rng[0], rng[1] + 1) if not _blank(lines[ln - 1]) and ln not in skip]


def _text(lines: list[str], rng: tuple[int, int] | None, skip: set[int], doc: str) -> tuple[str | None, Span | None]:
    """The lines' text, markdown list marks and emphasis removed, joined by newlines, and its span.

    Hazard: captions sit inside blocks (仙台 71, 堺 439) or close them (熊本 582-586); they are
    left out of the text, and the span runs from the first to the last line of text.
    """
    kept = _text_lines(lines, rng, skip)
    if not kept:
        return None, None
    text = "\n".join(clean_text(re.sub(r"^\s*- ", "", lines[ln - 1])) for ln in kept)
    return text, Span(doc, kept[0], kept[-1])


def _attribution_note(lines: list[str], d: _Draft, page: _Page, reviewed: Reviewed) -> str:
    """Say how an initiative of a headless city was attributed, and whether its own text helps."""
    last = d.body[1] if d.body else d.title_line
    terms = _evidence_terms(d.city, reviewed)
    own: dict[str, list[int]] = {}
    for ln in range(d.title_line, last + 1):
        for t in terms:
            if t in lines[ln - 1]:
                own.setdefault(t, []).append(ln)
    head = f"{d.city} has no heading: attributed by TOC page {page.toc_page}"
    if own:
        return f"{head}; in this block: " + "; ".join(f"「{t}」 {', '.join(map(str, lns))}" for t, lns in own.items())
    page_lines = sorted({ln for _, ln in page.evidence})
    return f"{head}; no city term in this block, only elsewhere on the page (lines {', '.join(map(str, page_lines))})"


def _records(
    lines: list[str], drafts: list[_Draft], pages: list[_Page], reviewed: Reviewed, captions: set[int], doc: str
) -> list[CaseInitiative]:
    """CaseInitiative records in document order, numbered within each city."""
    headless = {p.city: p for p in pages if p.heading is None}
    seq: dict[str, int] = {}
    out = []
    for d in sorted(drafts, key=lambda x: x.title_line):
        seq[d.city] = seq.get(d.city, 0) + 1
        notes = list(d.notes)
        if d.city in headless:
            notes.insert(0, _attribution_note(lines, d, headless[d.city], reviewed))
        last = d.body[1] if d.body else d.title_line
        since_id = id(d.since) if d.since else None
        description, description_span = _text(lines, d.body, captions, doc)
        results, results_span = _text(lines, d.results, captions, doc)
        theme_text, theme_text_span = _text(lines, d.theme_text, captions, doc)
        out.append(
            CaseInitiative(
                doc=doc,
                city=d.city,
                seq=seq[d.city],
                title=d.title,
                title_span=Span(doc, d.title_line, d.title_line),
                span=Span(doc, d.title_line, max(last, d.title_line)),
                level=d.level,
                theme=d.theme[0] if d.theme else None,
                theme_span=Span(doc, d.theme[1], d.theme[1]) if d.theme else None,
                since=d.since.date if d.since else None,
                dates_mentioned=[x.date for x in d.dates if id(x) != since_id],
                description=description,
                description_span=description_span,
                results=results,
                results_span=results_span,
                theme_description=theme_text,
                theme_description_span=theme_text_span,
                figures=d.figures,
                uncertain=d.uncertain,
                notes=notes,
            )
        )
    return out


# --------------------------------------------------------------------------- entry point


def extract(doc: Document | None = None) -> DocumentRecords:
    """20 CaseCity and the initiatives of seed 002, in document order."""
    doc = doc or document("002")
    lines = doc.lines()
    reviewed = load_reviewed()
    toc = read_toc(lines)
    city_heads = find_city_headings(lines, [c for c, _ in toc])
    city_lines = set(city_heads.values())
    headings = find_headings(lines, TOC_LINES[1] + 1, city_lines, reviewed)
    captions = caption_lines(lines, reviewed)
    units = _units(lines, headings, city_lines)
    pages = attribute_pages(lines, toc, city_heads, units, reviewed)
    drafts = draft_initiatives(lines, pages)
    for d in drafts:
        d.body = _body(lines, d)
    apply_blocks(lines, drafts, reviewed)
    apply_results(lines, drafts, reviewed)
    assign_theme_texts(lines, drafts, captions)
    assign_dates(lines, drafts, reviewed, doc)
    apply_figures(lines, drafts, reviewed, doc)
    for d in drafts:
        _strip_title_date(d, lines)
    apply_uncertain(drafts, reviewed)
    return DocumentRecords(
        doc=doc.id,
        cities=[_city_record(lines, p, toc, doc.id) for p in pages],
        initiatives=_records(lines, drafts, pages, reviewed, captions, doc.id),
    )
