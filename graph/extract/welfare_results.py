"""Extractor for source 001: 熊本市 令和５年度主要事業実績 福祉関係主要事業報告.

One table per page (所属名 / 事業名 / 事業内容 / 実績額, unit 千円) reporting the FY2023
results of the welfare programs of the 健康福祉局 and こども局 divisions. The layout and
its traps are described in ``docs/sources/001-welfare-results.md``; the hazard codes below
(H1 … H11) are that file's §4. Line numbers are 1-based file
lines (blank lines count); ``lines[n - 1]`` is line ``n``.

The text came out of a PDF cell by cell, so the name, description and amount cells of one
row are interleaved with other rows. The extractor works page by page:

1. :func:`split_pages` cuts the document at ``所属名``; :func:`page_division` takes the
   one division header of each page (it may sit after the page's first programs, so
   programs are attributed by page, never by "latest header seen" — H1).
2. :func:`classify` gives every line one kind: boilerplate, an amount, a name line with
   the rest of its row (a *head*), a name fragment, a marker line ((新規)/(つづき)/
   (扶助費のみ)), a sub-amount label, or other text (description, metric tables).
3. :func:`assemble` joins fragments to heads (wrapped names with text between —
   H2), keeps continuation rows apart (H6) and drops stray fragments
   (H10). Reviewed groupings from ``data/reviewed/corrections-001.toml`` are
   applied first for the few rows printed in reverse order.
4. :func:`pair_amounts` gives each program its amount: on its name line, glued to it,
   or the n-th stacked amount of the page for the n-th program without one (H3,
   H4); bundled amounts become ``sub_amounts`` (H11); the page number is dropped
   (H5). Stacks of amounts, and sub-amounts met with their ○ labels, paired by
   order alone are marked uncertain.
5. :func:`page_descriptions` hands the page's text lines to the rows as their 事業内容
   (see the section "descriptions" below): text on a name line after the name, text under
   or above a name cell, never a metric table; ``description`` entries of the corrections
   file place the texts printed away from their row (災害時要援護者支援経費 13 → 52-57).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from fukushi_kg import resources
from fukushi_kg.graph.era import parse_era_year
from fukushi_kg.graph.extract.reviewed import load_entries
from fukushi_kg.graph.records import DocumentMeta, DocumentRecords, ProgramResult, Span, SubAmount
from fukushi_kg.graph.sources import Document, document
from fukushi_kg.graph.text import display_width, norm

CORRECTIONS = resources.reviewed("corrections-001.toml")
UNIT = "千円"

#: Page header / column header words; a line made only of these (after norm) is boilerplate.
BOILERPLATE = re.compile(
    r"(所属名|福祉関係主要事業報告|令和\d+年度主要事業実績(\(つづき\))?|\(単位:千円\)|事業名|事業内容|実績額)+"
)
PAGE_START = re.compile(r"^\s*所属名\s*$")
REPORT_LINE = "福祉関係主要事業報告"  # the division header follows it on every page

FLAG = re.compile(r"[（(](新規|拡充|再掲)[)）]")
CONTINUED = re.compile(r"[（(]つづき[)）]")
QUALIFIER = re.compile(r"[（(](扶助費のみ)[)）]")
MARKERS = (FLAG, CONTINUED, QUALIFIER)

AMOUNT = r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+"  # ASCII digits only: ４．(a numbered paragraph) is no amount
AMOUNT_LINE = re.compile(rf"({AMOUNT})")
RELISTED = re.compile(rf"([（(]再掲[)）])\s*({AMOUNT})")
NULL_AMOUNT = ("ー", "－", "-")
#: an amount glued in front of a name: ``462孤独・孤立対策経費`` (H4)
GLUED = re.compile(rf"^({AMOUNT})(?![0-9,])(\S.*)$")
#: an amount glued in front of a description by an ideographic space: ``31,697　認知症…``
AMOUNT_THEN_TEXT = re.compile(rf"^({AMOUNT})\u3000(.*)$")
#: characters that follow a number in a metric, so the number is not an amount (``8,975件合計``)
UNIT_START = "件人回円歳世帯名台枚ヵか箇施日月年時分%％．.～〜ー:：、。）)"
#: a rest of row that is a metric value (``参加人数 295名``), not a description or amount
METRIC_END = re.compile(r"[0-9]\s*(件|人|回|名|台|枚|世帯|地域|ヵ所|か所|箇所|円|施設)$")
#: first characters of bullets, numbered items and notes in the description column
BULLETS = "○〇●・※【〔「［[①②③④⑤⑥⑦⑧⑨⑩"
NAME_PUNCT = "、。，：:"
#: words a name cell ends in; a standalone line must end in one to be a name fragment
NAME_ENDINGS = (
    "事業",
    "経費",
    "の推進",
    "の実施",
    "監督",
    "指導",
    "助成",
    "給付",
    "就労",
    "支援",
    "推進",
    "防止",
    "後見",
)
#: endings that complete a name: a head ending so takes no further fragment
COMPLETE_ENDINGS = ("事業", "経費", "の推進", "の実施", "監督", "助成", "業務")
#: a tail fragment: starts mid-phrase (の…, 所の…, ター…) or is a bare suffix of ≤ 4 characters
TAIL_START = re.compile(r"^(の|所の|ター)")
MAX_FRAGMENT = 16  # name cells wrap at ~12 full-width characters; descriptions at ~21
MIN_HEAD_NAME = 4  # shorter "names" are table row labels (新規 308, 入院 無料)


# --------------------------------------------------------------------------- data


@dataclass
class Page:
    number: int  # 1-based page ordinal
    start: int  # line of 所属名
    end: int  # last line before the next page
    division: str = ""
    division_line: int = 0


@dataclass
class Item:
    """One classified line."""

    line: int
    kind: str  # boiler | amount | head | fragment | marker | label | other | blank
    text: str  # the line as printed, right-stripped
    name: str = ""  # head / fragment: the name part as printed
    amount_raw: str | None = None  # head / amount: the amount as printed
    glued: bool = False  # the amount is glued to the name or description (H4)
    label: str | None = None  # head carrying a 【label】, or a label line
    lines: tuple[int, ...] = ()  # a fragment wrapped over two lines mid-word: both lines


@dataclass
class Group:
    """One program row being assembled: its name fragments in reading order and its markers."""

    head: Item
    fragments: list[Item] = field(default_factory=list)  # head first, then tails, in reading order
    markers: list[Item] = field(default_factory=list)
    reviewed: dict | None = None  # the corrections entry that formed this group
    amounts: list[Item] = field(default_factory=list)
    subs: list[tuple[Item, Item]] = field(default_factory=list)  # (label line, amount) of bundled amounts
    stacked: list[int] = field(default_factory=list)  # lines of the amount stack it was paired from
    interleaved: list[int] = field(default_factory=list)  # other text lines between its name lines

    def __post_init__(self) -> None:
        if not self.fragments:
            self.fragments = [self.head]

    @property
    def printed(self) -> str:
        return "".join(f.name for f in self.fragments)

    @property
    def clean(self) -> str:
        return clean_name(self.printed)

    @property
    def name_lines(self) -> list[int]:
        return [n for f in self.fragments for n in (f.lines or (f.line,))]

    @property
    def continued(self) -> bool:
        return any(CONTINUED.search(x.text) for x in self.fragments + self.markers)

    def complete(self) -> bool:
        """Whether the name reads as finished (事業, 経費, の推進 …), so it takes no tail."""
        return self.reviewed is not None or clean_name(self.printed).endswith(COMPLETE_ENDINGS)

    def has_tails(self) -> bool:
        return len(self.fragments) > 1 or self.reviewed is not None


# --------------------------------------------------------------------------- entry point


def extract(doc: Document | None = None) -> DocumentRecords:
    """Read the 68 program results of document 001, in document order."""
    doc = doc or document("001")
    lines = doc.lines()
    year = fiscal_year(lines)
    corrections = load_corrections()
    reviewed = reviewed_descriptions(corrections, lines)
    claimed = {n for ls in reviewed.values() for n in ls}
    results: list[ProgramResult] = []
    used: set[int] = set()
    pieces: dict[int, str] = {}  # line -> its description text (all of it, or what follows a name / amount / label)
    found: dict[str, list[int]] = {}  # program -> description lines read by the rules
    described: set[str] = set()
    for page in split_pages(lines):
        page_division(page, lines)
        items = classify_page(page, lines)
        groups, notes = assemble(page, items, corrections, used)
        groups, continuations = split_continuations(groups, results)
        pair_amounts(page, items, groups, notes)
        mark_interleaved(items, groups)
        page_results = [to_result(doc.id, page, g, year) for g in groups]
        note_page(page_results, notes, continuations, results + page_results)
        results.extend(page_results)
        cells = row_cells(groups + continuations)
        pieces.update(text_pieces(items, cells))
        rows = Rows(cells, {g.clean for g in continuations}, set(reviewed), described)
        for name, ls in page_descriptions(items, rows, claimed, pieces).items():
            found.setdefault(name, []).extend(ls)
    unused = [c for i, c in enumerate(corrections) if "name_lines" in c and i not in used]
    if unused:
        raise ValueError(f"corrections-001: entries match no program: {[c['program'] for c in unused]}")
    apply_descriptions(doc.id, results, found | reviewed, pieces, lines)
    apply_notes(results, corrections)
    results.sort(key=lambda r: r.name_span.start)
    for seq, r in enumerate(results, 1):
        r.seq = seq
    return DocumentRecords(doc=doc.id, results=results, meta=read_meta(lines, doc.id))


def fiscal_year(lines: list[str]) -> int:
    """The western fiscal year of the report title ``令和５年度主要事業実績`` (full-width digit)."""
    return _title_year(lines)[1]


def _title_year(lines: list[str]) -> tuple[int, int]:
    """(line, western fiscal year) of the first line printing the report title 令和N年度主要事業実績."""
    for ln, text in enumerate(lines, 1):
        if "主要事業実績" in text and (year := parse_era_year(text)):
            return ln, year
    raise ValueError("001: no 令和N年度主要事業実績 title")


def read_meta(lines: list[str], doc_id: str) -> DocumentMeta:
    """The fiscal year the report covers, from its title 令和５年度主要事業実績 (l.3)."""
    ln, year = _title_year(lines)
    return DocumentMeta(report_year=year, report_year_span=Span(doc_id, ln, ln))


# --------------------------------------------------------------------------- pages


def split_pages(lines: list[str]) -> list[Page]:
    """Pages start at a line ``所属名`` (sometimes with a leading space); 29 in the seed."""
    starts = [i + 1 for i, t in enumerate(lines) if PAGE_START.match(t)]
    if not starts or starts[0] != 1:
        raise ValueError("001: document does not start with a 所属名 page header")
    ends = [s - 1 for s in starts[1:]] + [len(lines)]
    return [Page(k, s, e) for k, (s, e) in enumerate(zip(starts, ends), 1)]


def page_division(page: Page, lines: list[str]) -> None:
    """The page's division: the first non-blank line after ``福祉関係主要事業報告``.

    H1: that header can come after programs of the page (e.g. 高齢福祉課 at 441
    after 地域支え合い型サービスの推進 at 428), so the whole page is attributed to it.
    """
    for n in range(page.start, page.end + 1):
        if norm(lines[n - 1]) == REPORT_LINE:
            for m in range(n + 1, page.end + 1):
                if lines[m - 1].strip():
                    page.division, page.division_line = lines[m - 1].strip(), m
                    return
    raise ValueError(f"001: page {page.number} (line {page.start}) has no division header")


# --------------------------------------------------------------------------- lines


def classify_page(page: Page, lines: list[str]) -> list[Item]:
    """Classify every line of the page, then join name cells wrapped mid-word (H2)."""
    items = []
    for n in range(page.start, page.end + 1):
        text = lines[n - 1].rstrip()
        items.append(Item(n, "boiler", text) if n == page.division_line else classify(n, text))
    return join_fragments(items)


def classify(n: int, text: str) -> Item:
    """The kind of one line, looked at on its own."""
    s = text.strip()
    if not s:
        return Item(n, "blank", text)
    if BOILERPLATE.fullmatch(norm(s)):
        return Item(n, "boiler", text)
    if text[0].isspace():
        return Item(n, "other", text)  # the description column is indented with
    return (
        amount_item(n, text, s)
        or marker_item(n, text, s)
        or label_item(n, text, s)
        or glued_item(n, text, s)
        or head_item(n, text, s)
        or fragment_item(n, text, s)
        or Item(n, "other", text)
    )


def amount_item(n: int, text: str, s: str) -> Item | None:
    """A line holding only an amount: ``18,954``, ``ー`` (null, H7), ``（再掲）61,518``,
    or an amount glued to the first description line by an ideographic space (``31,697　認知症…``)."""
    if AMOUNT_LINE.fullmatch(s) or s in NULL_AMOUNT or RELISTED.fullmatch(s):
        return Item(n, "amount", text, amount_raw=s)
    if m := AMOUNT_THEN_TEXT.match(s):
        return Item(n, "amount", text, amount_raw=m.group(1), glued=True)
    return None


def marker_item(n: int, text: str, s: str) -> Item | None:
    """A line made only of markers: ``（拡充）``, ``(新規)``, ``（つづき）``, ``（拡充） （扶助費のみ）``."""
    rest = s
    for pattern in MARKERS:
        rest = pattern.sub("", rest)
    return Item(n, "marker", text) if rest != s and not rest.strip() else None


def label_item(n: int, text: str, s: str) -> Item | None:
    """A sub-amount label on its own line: ``【私立】`` (H11)."""
    return Item(n, "label", text, label=s) if re.fullmatch(r"【[^】]+】", s) else None


def glued_item(n: int, text: str, s: str) -> Item | None:
    """An amount glued in front of a name (H4): ``462孤独・孤立対策経費 　孤独…``,
    ``8,063エアコン設置助成経費（新規）``, ``19,400権利擁護のための地域``, ``100,960病児…``.

    Numbers followed by a unit (``8,975件合計``, ``21件退院請求…``) are metrics, not amounts.
    """
    m = GLUED.match(s)
    if not m or m.group(2)[0] in UNIT_START or m.group(2)[0].isspace():
        return None
    name = m.group(2).split(maxsplit=1)[0]
    if not name_shaped(name):
        return None
    return Item(n, "head", text, name=name, amount_raw=m.group(1), glued=True)


def head_item(n: int, text: str, s: str) -> Item | None:
    """A name followed on the same line by the rest of its row: an amount
    (``災害時要援護者支援経費 18,954``), a description (``介護予防事業の推進 　高齢者…``),
    both (``相談支援事業経費 214,154　障がい者が…``) or a sub-amount label (``保育施設の整備 【公立】``).

    Metric table rows have the same shape (``熊本市里親フォーラム 参加人数 295名``,
    ``法定里親研修会　 (更新)``, ``新規 308``) and are rejected by their rest or short name.
    """
    parts = s.split(maxsplit=1)
    if len(parts) < 2:
        return None
    name, rest = parts
    if not name_shaped(name) or len(clean_name(name)) < MIN_HEAD_NAME:
        return None
    rest_n = norm(rest)
    if METRIC_END.search(rest_n) or re.fullmatch(r"\(.*\)", rest_n):
        return None
    item = Item(n, "head", text, name=name)
    if m := re.match(rf"^({AMOUNT})(?:\s|$)", rest):
        item.amount_raw = m.group(1)
    elif re.fullmatch(r"【[^】]+】", rest):
        item.label = rest
    return item


def fragment_item(n: int, text: str, s: str) -> Item | None:
    """A standalone line of the name column: short, no sentence punctuation or digits, and
    ending in a program word (事業, 経費, の推進 …) once its markers are taken off."""
    if len(s) > MAX_FRAGMENT or not name_shaped(s):
        return None
    if not clean_name(s).endswith(NAME_ENDINGS):
        return None
    return Item(n, "fragment", text, name=s)


def name_shaped(s: str) -> bool:
    """No bullet in front, no sentence punctuation, no digits: what a name cell looks like."""
    if not s or s[0] in BULLETS or re.match(r"^[（(][0-9０-９]", s):
        return False
    return not any(c in NAME_PUNCT for c in s) and not re.search(r"[0-9０-９]", s)


def join_fragments(items: list[Item]) -> list[Item]:
    """Name fragments stand after a blank line; a fragment directly under other text is a
    description line that happens to end in 事業 (``①自立支援…（社会参加活動等）`` / ``事業``).

    Exception (H2, words broken mid-token): a name cell wrapped over two adjacent
    lines, ``こどもの権利サポートセン`` / ``ター開設準備経費（新規）``: the upper line is
    name-shaped and follows a blank line, so both become one fragment.
    """
    out: list[Item] = []
    for it in items:
        prev = out[-1] if out else None
        if it.kind == "fragment" and prev is not None and prev.kind != "blank":
            before = out[-2] if len(out) > 1 else None
            wrap = (
                prev.kind == "other"
                and name_shaped(prev.text.strip())
                and not prev.text[0].isspace()
                and len(prev.text.strip()) <= MAX_FRAGMENT
                and (before is None or before.kind in ("blank", "boiler"))
            )
            if wrap:
                out[-1] = Item(
                    prev.line, "fragment", prev.text, name=prev.text.strip() + it.name, lines=(prev.line, it.line)
                )
                continue
            it = Item(it.line, "other", it.text)
        out.append(it)
    return [it for it in out if it.kind != "blank"]


def clean_name(printed: str) -> str:
    """The name without flags （新規）（拡充）（再掲）, （つづき）, qualifiers and spaces."""
    s = printed
    for pattern in MARKERS:
        s = pattern.sub("", s)
    return re.sub(r"[ \u3000\t]+", "", s)


# --------------------------------------------------------------------------- assembling names


def assemble(page: Page, items: list[Item], corrections: list[dict], used: set[int]) -> tuple[list[Group], list[str]]:
    """Group the page's name lines into program rows.

    * A head starts a row. A fragment joins the nearest row above it on the page whose name
      is still unfinished (``生活保護法施行事務監査`` … ``事業``), even across other rows
      (成年後見制度法人後見 694 … 支援事業 730).
    * A tail fragment with no unfinished row (``の実施``, ``所の指定及び指導``) joins the
      nearest row above that has no tail yet (待機児童支援助成事業 + の実施); with no row
      above it is a stray (``の実施`` 1462, H10) — or, marked （つづき）, a continuation
      waiting for its row further down (``経費（つづき）`` 184 → 生活保護適正実施推進 226).
    * Any other fragment with no unfinished row starts a row (``認知症関連事業``).
    * A marker line goes to the nearest row above without a flag, else to the next row.
    * Reviewed groupings (reversed fragments) are formed first and left alone.
    """
    groups: list[Group] = reviewed_groups(page, items, corrections, used)
    taken = {n for g in groups for n in g.name_lines}
    notes: list[str] = []
    pending: list[Item] = []  # continuation fragments / markers waiting for a row below
    for it in items:
        if it.line in taken:
            continue
        if it.kind == "head":
            groups.append(Group(it))
        elif it.kind == "fragment":
            attach_fragment(it, groups, pending, notes)
        elif it.kind == "marker":
            attach_marker(it, groups, pending)
        else:
            continue
        groups.sort(key=lambda g: g.head.line)
    resolve_pending(pending, groups, page)
    return sorted(groups, key=lambda g: min(g.name_lines)), notes


def attach_fragment(it: Item, groups: list[Group], pending: list[Item], notes: list[str]) -> None:
    """Place one standalone name fragment (the fragment rules of :func:`assemble`)."""
    above = [g for g in groups if g.head.line < it.line]
    open_rows = [g for g in above if not g.complete()]
    if open_rows:
        open_rows[-1].fragments.append(it)
        return
    core = clean_name(it.name)
    if TAIL_START.match(core) or len(core) <= 4:
        bare = [g for g in above if not g.has_tails()]
        if bare:
            bare[-1].fragments.append(it)
        elif CONTINUED.search(it.name):
            pending.append(it)
        else:
            notes.append(f"stray name fragment {it.name!r} at line {it.line} (no row above on its page) ignored")
        return
    groups.append(Group(it))


def attach_marker(it: Item, groups: list[Group], pending: list[Item]) -> None:
    """A flag line (``（拡充）`` 420) belongs to the nearest row above without a flag; a
    （つづき） line to the nearest row above; with no such row it waits for the next row."""
    above = [g for g in groups if g.head.line < it.line]
    if not CONTINUED.search(it.text):
        above = [g for g in above if not any(FLAG.search(x.text) for x in g.fragments + g.markers)]
    if above:
        above[-1].markers.append(it)
    else:
        pending.append(it)


def resolve_pending(pending: list[Item], groups: list[Group], page: Page) -> None:
    """Continuation pieces printed above their row (``経費（つづき）`` 184 above 226, the
    ``（つづき）`` line 1924 above 里親養育包括支援 1934) join the first unfinished row below
    them (or, for a bare marker, the first row below)."""
    for it in pending:
        below = [g for g in groups if g.head.line > it.line]
        if it.kind == "fragment":
            target = next((g for g in below if not g.complete()), None)
            if target is None:
                raise ValueError(
                    f"001: continuation fragment {it.name!r} at line {it.line} has no row on page {page.number}"
                )
            target.fragments.append(it)
        else:
            if not below:
                raise ValueError(f"001: marker {it.text.strip()!r} at line {it.line} has no row on page {page.number}")
            below[0].markers.append(it)


def reviewed_groups(page: Page, items: list[Item], corrections: list[dict], used: set[int]) -> list[Group]:
    """Rows whose fragments a reviewer put in reading order (``name_lines``), for the rows
    printed in reverse (H2): 権利擁護のための地域 / 連携ネットワーク経費 / （拡充）
    read from 524 up to 520. A listed line may be text the rules do not take for a name
    (the parenthetical 1589-1592 of 要保護児童対策事業). Fails if a listed line is blank,
    indented, boilerplate or an amount, or if the lines do not read the entry's name."""
    by_line = {it.line: it for it in items}
    groups = []
    for i, c in enumerate(corrections):
        lines = c.get("name_lines")
        if not lines or not page.start <= lines[0] <= page.end:
            continue
        parts = []
        for n in lines:
            it = by_line.get(n)
            if it is None or it.kind not in ("head", "fragment", "marker", "other") or it.text[0].isspace():
                raise ValueError(f"corrections-001: line {n} of {c['program']!r} is not a name line")
            parts.append(
                it if it.kind in ("head", "fragment") else Item(it.line, "fragment", it.text, name=it.text.strip())
            )
        g = Group(parts[0], fragments=parts, reviewed=c)
        if g.clean != c["program"]:
            raise ValueError(f"corrections-001: lines {lines} read {g.clean!r}, not {c['program']!r}")
        used.add(i)
        groups.append(g)
    return groups


def split_continuations(groups: list[Group], earlier: list[ProgramResult]) -> tuple[list[Group], list[Group]]:
    """Rows marked （つづき） repeat a program of an earlier page (H6) and carry no
    amount; they are set apart. Fails if the repeated name matches no earlier program."""
    names = {r.name for r in earlier}
    programs, continuations = [], []
    for g in groups:
        if g.continued:
            if g.clean not in names:
                raise ValueError(f"001: continuation {g.printed!r} at line {g.head.line} repeats no earlier program")
            continuations.append(g)
        else:
            programs.append(g)
    return programs, continuations


# --------------------------------------------------------------------------- amounts


def pair_amounts(page: Page, items: list[Item], groups: list[Group], notes: list[str]) -> None:
    """Give every row of the page its amount.

    * On the name line or glued to the name: that row's.
    * Labelled sub-amounts (【私立】 … 610,537 / 保育施設の整備 【公立】 … 161,319): the first
      amount below each label goes to the row carrying the label (H11).
    * The remaining standalone amounts, in line order, go to the rows without an amount, in
      name order (H3). When one row is left for several amounts, they are its
      sub-amounts, labelled by the page's ○ items in order (障害福祉サービス事業 ×5).
    * A bare number on the page's last line equal to the page number is a page number
      (``12`` at 741, H5).
    """
    for g in groups:
        for f in g.fragments:
            if f.amount_raw:
                g.amounts.append(f)
    loose = [it for it in items if it.kind == "amount"]
    loose = drop_page_number(page, items, loose, notes)
    pair_labelled(items, groups, loose)
    lacking = [g for g in groups if not g.amounts and not g.subs]
    if len(lacking) == 1 and len(loose) > 1:
        bundle_by_items(page, items, lacking[0], loose)
        return
    if len(lacking) != len(loose):
        raise ValueError(
            f"001: page {page.number}: {len(lacking)} programs without amount, {len(loose)} amounts "
            f"({[g.clean for g in lacking]}, {[a.line for a in loose]})"
        )
    stacks = amount_stacks(items, loose, groups)
    for g, a in zip(lacking, loose):
        g.amounts.append(a)
        g.stacked = stacks.get(a.line, [])


def drop_page_number(page: Page, items: list[Item], loose: list[Item], notes: list[str]) -> list[Item]:
    """The last line of the page is a bare number equal to the page's ordinal (``12`` at 741)."""
    last = items[-1] if items else None
    if last is not None and last.kind == "amount" and last.amount_raw == str(page.number):
        notes.append(f"page number {last.amount_raw} at line {last.line} is not an amount")
        return [a for a in loose if a is not last]
    return loose


def pair_labelled(items: list[Item], groups: list[Group], loose: list[Item]) -> None:
    """Each 【label】 of a page whose row carries a label takes the first amount below it."""
    owner = next((g for g in groups if g.head.label), None)
    if owner is None:
        return
    labels = [it for it in items if it.kind == "label"] + [owner.head]
    for lab in sorted(labels, key=lambda x: x.line):
        amount = next((a for a in loose if a.line > lab.line), None)
        if amount is None:
            raise ValueError(f"001: label {lab.label} at line {lab.line} has no amount below it")
        loose.remove(amount)
        owner.subs.append((lab, amount))


def bundle_by_items(page: Page, items: list[Item], group: Group, loose: list[Item]) -> None:
    """Several amounts for the page's one row without amount: its sub-amounts, labelled by
    the ○ items of the page in order (the 5 service types of 障害福祉サービス事業)."""
    bullets = [it for it in items if it.kind == "other" and it.text.startswith(("○", "〇"))]
    if len(bullets) != len(loose):
        raise ValueError(
            f"001: page {page.number}: {len(loose)} amounts for {group.clean!r} but {len(bullets)} ○ items"
        )
    group.subs.extend((Item(b.line, "label", b.text, label=b.text.strip()[1:]), a) for b, a in zip(bullets, loose))


def amount_stacks(items: list[Item], loose: list[Item], groups: list[Group]) -> dict[int, list[int]]:
    """Amounts printed one after another with no name line between them (552, 564 on the
    介護保険課 page) can only be paired by order: map each to the lines of its stack."""
    name_lines = {n for g in groups for n in g.name_lines}
    loose_lines = {a.line for a in loose}
    stacks: dict[int, list[int]] = {}
    run: list[int] = []
    for it in items:
        if it.line in loose_lines:
            run.append(it.line)
            continue
        if it.line in name_lines:
            if len(run) > 1:
                stacks.update({n: list(run) for n in run})
            run = []
    if len(run) > 1:
        stacks.update({n: list(run) for n in run})
    return stacks


def mark_interleaved(items: list[Item], groups: list[Group]) -> None:
    """Record the non-blank lines of other text printed between a row's name fragments."""
    for g in groups:
        own = set(g.name_lines) | {m.line for m in g.markers}
        lo, hi = min(g.name_lines), max(g.name_lines)
        g.interleaved = [it.line for it in items if lo < it.line < hi and it.line not in own]


def parse_amount(raw: str) -> int | None:
    """``'18,954'`` -> 18954; ``'ー'`` -> None (not 0, H7); ``'（再掲）61,518'`` -> 61518."""
    s = norm(raw)
    if s in NULL_AMOUNT:
        return None
    m = re.search(AMOUNT, s)
    if not m:
        raise ValueError(f"001: unreadable amount {raw!r}")
    return int(m.group(0).replace(",", ""))


# --------------------------------------------------------------------------- records


def to_result(doc_id: str, page: Page, g: Group, year: int) -> ProgramResult:
    """One ProgramResult of an assembled row."""
    amount, amount_raw, amount_lines, sub = read_amount(doc_id, g)
    printed_markers = " ".join(m.text.strip() for m in g.markers)
    lines = g.name_lines + [m.line for m in g.markers if FLAG.search(m.text)]  # a flag line is part of the name cell
    every = lines + amount_lines + [m.line for m in g.markers] + [lab.line for lab, _ in g.subs]
    result = ProgramResult(
        doc=doc_id,
        seq=0,
        division=page.division,
        division_span=Span(doc_id, page.division_line, page.division_line),
        name=g.clean,
        name_as_printed=g.printed + "".join(m.group(0) for m in FLAG.finditer(printed_markers)),
        name_span=Span(doc_id, min(lines), max(lines)),
        span=Span(doc_id, min(every), max(every)),
        fiscal_year=year,
        amount=amount,
        amount_raw=amount_raw,
        amount_span=Span(doc_id, min(amount_lines), max(amount_lines)),
        unit=UNIT,
        sub_amounts=sub,
        flags=read_flags(g.printed, printed_markers, amount_raw),
        qualifiers=read_qualifiers(printed_markers, amount_raw),
    )
    describe(result, g, page)
    return result


def read_flags(*texts: str) -> list[str]:
    """新規 / 拡充 / 再掲 in the name, on a marker line under it, or before the amount
    (``（再掲）61,518``); half-width parentheses count too (``(新規)`` 1614, 1625)."""
    found = {m.group(1) for t in texts for m in FLAG.finditer(t)}
    return [f for f in ("新規", "拡充", "再掲") if f in found]


def read_qualifiers(markers: str, amount_raw: str) -> list[str]:
    """Words that qualify the figure: ``（扶助費のみ）`` on a marker line (1166), and
    ``（再掲）`` printed in the amount cell itself (``（再掲）61,518``, 1792), which is
    therefore a qualifier of the amount as well as a flag of the row."""
    found = QUALIFIER.findall(markers)
    if m := RELISTED.fullmatch(amount_raw.strip()):
        flag = FLAG.fullmatch(m.group(1))
        if flag is None:
            raise ValueError(f"001: the amount cell {amount_raw!r} starts with a marker that is not a flag")
        found.append(flag.group(1))
    return found


def read_amount(doc_id: str, g: Group) -> tuple[int | None, str, list[int], list[SubAmount]]:
    """The row's amount, raw text and lines; for bundled amounts the sum of the printed
    sub-amounts (null if one is ー) with the raws joined by `` + ``."""
    if g.subs:
        sub = [
            SubAmount(_label_text(lab.label, lab), parse_amount(_raw(a)), _raw(a), Span(doc_id, a.line, a.line))
            for lab, a in g.subs
        ]
        values = [x.amount for x in sub if x.amount is not None]
        total = sum(values) if len(values) == len(sub) else None  # null when one is ー
        return total, " + ".join(x.raw for x in sub), [a.line for _, a in g.subs], sub
    if len(g.amounts) != 1:
        raise ValueError(f"001: {g.clean!r} has {len(g.amounts)} amounts")
    a = g.amounts[0]
    return parse_amount(_raw(a)), _raw(a), [a.line], []


def _raw(a: Item) -> str:
    """The amount as printed on an amount line (ValueError on a line without one)."""
    if a.amount_raw is None:
        raise ValueError(f"001: line {a.line} was read as an amount but has none")
    return a.amount_raw


def _label_text(value: str | None, it: Item) -> str:
    """A label's text (ValueError on a label line without one)."""
    if value is None:
        raise ValueError(f"001: line {it.line} was read as a label but has none")
    return value


def describe(r: ProgramResult, g: Group, page: Page) -> None:
    """Notes saying how the row was read where the layout made it a judgement."""
    if r.amount_span is None:
        raise ValueError(f"001: {r.name_as_printed!r} has no amount lines")
    a = r.amount_span.start
    if any(x.glued for x in g.amounts):
        r.notes.append(f"amount {r.amount_raw} printed glued to the text of line {a}")
    if r.amount is None:
        r.notes.append(f"amount printed as {r.amount_raw!r} (line {a}): no figure, kept null")
    if "再掲" in r.flags:
        r.notes.append("（再掲）: a re-listed figure, likely already counted elsewhere; do not add it to totals twice")
    if r.sub_amounts:
        how = "by the 【】 labels" if g.head.label else "to the page's ○ items by order"
        r.notes.append(
            f"amount is the sum of {len(r.sub_amounts)} printed sub-amounts (paired {how}); no total is printed"
        )
        if not g.head.label:  # H3 for sub-amounts: no ○ label shares a line with its amount
            r.uncertain = True
            r.notes.append(
                "pairing inferred: the sub-amounts at lines "
                f"{', '.join(str(x.span.start) for x in r.sub_amounts)} and their ○ labels at "
                f"{', '.join(str(lab.line) for lab, _ in g.subs)} are printed apart; paired by order "
                "(the total does not depend on it)"
            )
    if g.stacked:
        r.uncertain = True
        others = ", ".join(str(n) for n in g.stacked)
        r.notes.append(
            f"pairing inferred: amounts at lines {others} are stacked apart from their names; "
            f"paired by order (amount at {a} with the name at {r.name_span.start})"
        )
    if len(page.division.split("・")) > 1 and all(p.endswith("課") for p in page.division.split("・")):
        r.notes.append(f"division: the page is headed by two divisions ({page.division}); kept as printed")
    if g.interleaved:
        r.notes.append(
            f"name read from lines {', '.join(map(str, g.name_lines))} (in this order); "
            f"other text between them at {g.interleaved[0]}-{g.interleaved[-1]}"
        )


def note_page(
    page_results: list[ProgramResult], notes: list[str], continuations: list[Group], known: list[ProgramResult]
) -> None:
    """Put page-level observations (strays, continuation rows) on the programs they concern."""
    by_name = {r.name: r for r in known}
    for g in continuations:
        lines = sorted(g.name_lines + [m.line for m in g.markers])
        by_name[g.clean].notes.append(
            f"continued on a （つづき） page: name repeated at lines {', '.join(map(str, lines))}; no new amount"
        )
    for note in notes:
        at = re.search(r"at line (\d+)", note)
        if at is None:
            raise ValueError(f"001: a page note names no line: {note!r}")
        line = int(at.group(1))
        target = next((r for r in page_results if r.name_span.start > line), page_results[-1] if page_results else None)
        if target is not None:
            target.notes.append(note)


# --------------------------------------------------------------------------- descriptions (事業内容)
#
# The 事業内容 cell of a row is printed in one of three places: on the name line after the
# name (and amount), ``介護予防事業の推進 　高齢者が…`` (479); under the name cell
# (``校区社協行動計画策定`` 68 / ``支援経費`` 72, text 74-82); or above it
# (``民間活力を活用した健康づくり事業`` 504, text 496-502). Metric tables of a row are
# printed away from it (783-811, 836-906, 1811-1915) and are no description. The rules:
#
# * a *cell* is a line of a row's name, amount, marker or 【label】; text printed on a
#   cell line after the name / amount / label starts that row's description (a *partial*);
# * the other text lines of the page form *segments* between cells, page headers and lines
#   taken by reviewed entries; a blank line followed by an indented line (　) starts a new
#   *paragraph* within a segment (816-819 / 821-824: two rows' texts with no cell between);
# * a segment whose first paragraph is mostly neither sentences nor items (、 。 ・ ○ ※ ①)
#   is a metric table and belongs to no description;
# * the first paragraph of a segment goes to the row of the cell above it if that row has
#   no description yet, else to the row of the cell below if that has none, else to the
#   row above; a later paragraph goes to the row below if that row has none yet, else with
#   the paragraph before it;
# * rows with a reviewed ``description`` (corrections-001) take exactly the reviewed lines.

#: characters that start an item of a description (bullet, note, numbered item, label)
ITEM_START = re.compile(r"^([・○〇●※【〔①②③④⑤⑥⑦⑧⑨⑩]|\(\d+\)|（\d+）|[0-9０-９]+[．.])")
LABEL_CELL = re.compile(r"【[^】]+】")
#: the description column wraps at 19-21 full-width characters; a line narrower than this ended
WRAP_WIDTH = 37


@dataclass
class Segment:
    """Text lines between two cells of a page, as paragraphs (lists of line numbers)."""

    partial_of: str | None  # the row whose cell line starts the segment, if one does
    paragraphs: list[list[int]]


@dataclass
class Rows:
    """The page's cells and what is known of the rows while descriptions are handed out."""

    cells: dict[int, tuple[str, str | None]]  # line -> (program, text after the name / amount / label)
    continued: set[str]  # programs repeated on this page as a （つづき） row
    final: set[str]  # programs whose description is reviewed
    described: set[str]  # programs that already have description text

    def above(self, n: int) -> str | None:
        """The row of the nearest cell above line ``n`` on the page."""
        lines = [c for c in self.cells if c < n]
        return self.cells[max(lines)][0] if lines else None

    def below(self, n: int) -> str | None:
        """The row of the nearest cell below line ``n`` on the page."""
        lines = [c for c in self.cells if c > n]
        return self.cells[min(lines)][0] if lines else None

    def open(self, row: str | None, empty: bool = True) -> bool:
        """Whether ``row`` may take text: it exists, is not reviewed, and (with ``empty``) has none yet."""
        return row is not None and row not in self.final and not (empty and row in self.described)


def row_cells(groups: list[Group]) -> dict[int, tuple[str, str | None]]:
    """Every cell line of the page's rows (programs and （つづき） rows) with the text printed
    after the name, amount or label on it: ``462孤独・孤立対策経費 　孤独・孤立対策を…`` (29),
    ``31,697　認知症疾患医療体制の…`` (465), ``保育施設の整備 【公立】`` (1491), ``【私立】`` (1478)."""
    cells: dict[int, tuple[str, str | None]] = {}
    for g in groups:
        for f in g.fragments:
            for n in f.lines or (f.line,):
                cells[n] = (g.clean, None if f.lines else rest_of_row(f))
        for m in g.markers:
            cells.setdefault(m.line, (g.clean, None))
        for a in g.amounts + [a for _, a in g.subs]:
            cells.setdefault(a.line, (g.clean, text_after_amount(a)))
        for lab, _ in g.subs:
            if LABEL_CELL.fullmatch(lab.text.strip()):
                cells.setdefault(lab.line, (g.clean, lab.text.strip()))
    return cells


def rest_of_row(it: Item) -> str | None:
    """The text after the name (and its amount) on a name line: ``相談支援事業経費 214,154　障がい者が…``
    -> ``障がい者が…``; ``保育施設の整備 【公立】`` -> ``【公立】``."""
    if it.kind != "head":
        return None
    s = it.text.strip()
    if it.glued and it.amount_raw:
        s = s[len(it.amount_raw) :]
    rest = s[len(it.name) :].strip() if s.startswith(it.name) else ""
    if it.amount_raw and not it.glued and rest.startswith(it.amount_raw):
        rest = rest[len(it.amount_raw) :].strip()
    return rest or None


def text_after_amount(a: Item) -> str | None:
    """The description glued to an amount by an ideographic space (``31,697　認知症…``, 465)."""
    if a.kind != "amount" or not a.glued or a.amount_raw is None:
        return None
    return a.text.strip()[len(a.amount_raw) :].strip() or None


def text_pieces(items: list[Item], cells: dict[int, tuple[str, str | None]]) -> dict[int, str]:
    """Each line's description text: the text after a cell, or a whole text line (stripped)."""
    out = {}
    for it in items:
        if it.line in cells:
            after = cells[it.line][1]
            if after:
                out[it.line] = after
        elif it.kind in ("other", "label"):
            out[it.line] = it.text.strip()
    return out


def text_segments(items: list[Item], rows: Rows, claimed: set[int]) -> list[Segment]:
    """Cut the page's text lines into segments at cells, page headers, lines that are no
    text (a stray fragment, the page number) and lines taken by reviewed entries; a blank
    line followed by an indented line starts a new paragraph."""
    segments: list[Segment] = []
    cur: Segment | None = None
    for it in items:
        if it.line in rows.cells:
            row, piece = rows.cells[it.line]
            cur = None
            if piece and it.line not in claimed:
                cur = Segment(row, [[it.line]])
                segments.append(cur)
        elif it.line in claimed or it.kind not in ("other", "label"):
            cur = None
        elif cur is None:
            cur = Segment(None, [[it.line]])
            segments.append(cur)
        elif it.line - cur.paragraphs[-1][-1] > 1 and it.text[:1].isspace():
            cur.paragraphs.append([it.line])
        else:
            cur.paragraphs[-1].append(it.line)
    return segments


def is_table(lines: list[int], pieces: dict[int, str]) -> bool:
    """A metric table: under a third of its lines are sentences (、 。) or items (・ ○ ※ ①);
    ``11回`` / ``2,299人`` / ``実施回数`` (836-906), ``中央:48件　東：27件`` (422-423)."""
    texts = [pieces[n] for n in lines]
    prose = sum(1 for t in texts if "、" in t or "。" in t or ITEM_START.match(t))
    return prose * 3 < len(texts)


def page_descriptions(items: list[Item], rows: Rows, claimed: set[int], pieces: dict[int, str]) -> dict[str, list[int]]:
    """Hand the page's text to its rows by the rules above; returns program -> lines."""
    for n, (row, piece) in rows.cells.items():
        if piece and row not in rows.continued:
            if row in rows.final and n not in claimed:
                raise ValueError(
                    f"corrections-001: the reviewed description of {row!r} leaves out the text on line {n}"
                )
            rows.described.add(row)
    out: dict[str, list[int]] = {}
    for seg in text_segments(items, rows, claimed):
        owner = first_owner(seg, rows, pieces)
        for k, para in enumerate(seg.paragraphs):
            if k and rows.open(rows.below(para[-1])):
                owner = rows.below(para[-1])
            if owner is None:
                break
            out.setdefault(owner, []).extend(para)
            rows.described.add(owner)
    return out


def first_owner(seg: Segment, rows: Rows, pieces: dict[int, str]) -> str | None:
    """The row of a segment's first paragraph: the row whose cell starts it (a （つづき） row's
    text only if it is no table), else the row above or below that has no text yet."""
    first = seg.paragraphs[0]
    if seg.partial_of is not None and seg.partial_of not in rows.continued:
        return seg.partial_of
    if is_table(first, pieces):
        return None
    if seg.partial_of is not None:
        return seg.partial_of if rows.open(seg.partial_of, empty=False) else None
    up, down = rows.above(first[0]), rows.below(first[-1])
    for row, empty in ((up, True), (down, True), (up, False), (down, False)):
        if rows.open(row, empty):
            return row
    return None


def reviewed_descriptions(corrections: list[dict], lines: list[str]) -> dict[str, list[int]]:
    """Reviewed ``description`` ranges ([[first, last], …] in reading order) by program, as the
    non-blank lines they cover; fails if a line is given twice."""
    out: dict[str, list[int]] = {}
    seen: set[int] = set()
    for c in corrections:
        if "description" not in c:
            continue
        ls = [n for a, b in c["description"] for n in range(a, b + 1) if lines[n - 1].strip()]
        if seen & set(ls) or c["program"] in out:
            raise ValueError(f"corrections-001: description lines of {c['program']!r} given twice")
        seen |= set(ls)
        out[c["program"]] = ls
    return out


def apply_descriptions(
    doc_id: str, results: list[ProgramResult], found: dict[str, list[int]], pieces: dict[int, str], lines: list[str]
) -> None:
    """Set description, its spans and text; fails if a line holds no description text (a
    reviewed range over a name or amount line) or if a program name is unknown."""
    by_name = {r.name: r for r in results}
    for name, ls in found.items():
        if name not in by_name:
            raise ValueError(f"corrections-001: description for no program {name!r}")
        bad = [n for n in ls if n not in pieces]
        if bad:
            raise ValueError(f"corrections-001: description of {name!r}: line {bad[0]} is not description text")
        r = by_name[name]
        r.description = join_pieces(ls, pieces, lines)
        r.description_spans = line_runs(doc_id, ls, lines)
        r.description_span = Span(doc_id, min(ls), max(ls))


def line_runs(doc_id: str, ls: list[int], lines: list[str]) -> list[Span]:
    """The lines as runs in their order; a run goes on over blank lines only."""
    spans: list[Span] = []
    for n in ls:
        if spans and n > spans[-1].end and not any(lines[k - 1].strip() for k in range(spans[-1].end + 1, n)):
            spans[-1] = Span(doc_id, spans[-1].start, n)
        else:
            spans.append(Span(doc_id, n, n))
    return spans


def join_pieces(ls: list[int], pieces: dict[int, str], lines: list[str]) -> str:
    """The description text. A line wrapped at the column's edge (printed at least
    ``WRAP_WIDTH`` half-width cells wide, not ending in 。) runs on into the next line;
    otherwise, and before an item (・ ○ ※ ①), after a blank and across other cells, the
    text starts a new line (``・リーフレット配付`` / ``配布数：4500部``, 35-36)."""
    out = ""
    prev = None
    for n in ls:
        piece = pieces[n]
        above = lines[prev - 1].rstrip() if prev is not None else ""
        wrapped = display_width(above) >= WRAP_WIDTH and not above.endswith("。")
        if prev is None:
            out = piece
        elif n == prev + 1 and wrapped and not ITEM_START.match(piece):
            out += piece
        else:
            out += "\n" + piece
        prev = n
    return out


# --------------------------------------------------------------------------- reviewed corrections


def load_corrections(path: Path | None = None) -> list[dict]:
    """Reviewed readings (``[[entry]]``): each names a ``program`` (clean name), gives a
    ``reason`` and the source ``lines``, and sets ``name_lines`` and/or ``note``/``uncertain``."""
    return load_entries(path or CORRECTIONS, required=("program",))


def apply_notes(results: list[ProgramResult], corrections: list[dict]) -> None:
    """Reviewed notes / uncertainty, by program name; fails if the name matches no program."""
    by_name = {r.name: r for r in results}
    for c in corrections:
        r = by_name.get(c["program"])
        if r is None:
            raise ValueError(f"corrections-001: no program {c['program']!r}")
        if "note" in c:
            r.notes.append(c["note"])
        if "uncertain" in c:
            r.uncertain = bool(c["uncertain"])
        r.notes.append(f"reviewed (lines {', '.join(map(str, c['lines']))}): {c['reason']}")
