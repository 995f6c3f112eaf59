"""Synthetic data in the fukushi-kg ontology, shaped like what graph/mapping/ emits, written as N-Quads.

Many municipalities, each with

- a child-plan progress report (基本目標 / 基本施策 / 施策, listings with 所管課, self-evaluation,
  metric tables and 再掲 pairs: ``fk:relistedWith`` both ways, ``fk:isRelistingOf`` on the copy),
- a regional welfare plan (基本方針 / 取組の視点 / 取組, listings with ◎ lead / ○ partner actors and
  activity unit, law citations, legal basis and SDG goals),
- plan and goal indicators with ``qb:Observation`` baselines, actuals and targets,
- for some, a results report (``fk:ProgramResult`` with amounts) and a case-study collection
  (``fk:CityInitiative`` with themes and topics),

with programs listed in both plans tied by ``fk:ProgramMatch`` in the links graph, target-group
classifications found by the project's own keyword rules (graph.classify), and every fact carrying
its ``fk:SourceSpan``. The ontology and vocabularies graphs are the real ones (graph.mapping builds them).

Output is streamed (one municipality at a time), so 10^7 triples need no more memory than 10^4.
The same ``(size, seed)`` always gives byte-identical output.

    python -m bench.synth 1e5 -o /tmp/synth.nq --seed 0
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from fukushi_kg.graph.vocab import FK  # FK + "name" fails on a term the ontology lacks

BASE = "https://w3id.org/fukushi-kg/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
OA = "http://www.w3.org/ns/oa#"
QB = "http://purl.org/linked-data/cube#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
PROV = "http://www.w3.org/ns/prov#"
SDG = "http://metadata.un.org/sdg/"
A = RDF + "type"

REFERENCE_PER_CITY_MAX = 25_000  # triples per municipality at large sizes (the seed's two plans are ~34k)

# ------------------------------------------------------------------------------------------ words
# Program names are target word + service + suffix; target words are the vocabulary's own
# hiddenLabels, so graph.classify finds the same groups a real build would.
TARGETS = [
    "ひとり親家庭",
    "母子家庭",
    "父子家庭",
    "子ども",
    "児童",
    "小学生",
    "中学生",
    "高校生",
    "子育て家庭",
    "保護者",
    "高齢者",
    "認知症高齢者",
    "障がい者",
    "障害児",
    "生活困窮者",
    "生活保護世帯",
    "低所得世帯",
    "妊産婦",
    "妊婦",
    "乳幼児",
    "新生児",
    "若者",
    "ヤングケアラー",
    "ひきこもり者",
    "里親",
    "女性",
    "DV被害者",
    "外国人住民",
    "要配慮者",
    "避難行動要支援者",
    "地域住民",
    "民生委員",
    "ボランティア",
    "地域",
]
SERVICES = [
    "学習支援",
    "相談支援",
    "訪問支援",
    "日常生活支援",
    "就労支援",
    "居場所づくり",
    "食支援",
    "見守り",
    "健康診査",
    "医療費助成",
    "手当支給",
    "資金貸付",
    "家庭訪問",
    "一時預かり",
    "情報発信",
    "交流促進",
    "権利擁護",
    "成年後見支援",
    "包括支援",
    "育成支援",
    "自立支援",
    "虐待防止",
    "防災支援",
    "移動支援",
    "研修",
    "啓発",
    "ネットワーク構築",
    "サロン運営",
    "オンライン相談",
    "アプリ運用",
]
SUFFIXES = ["事業", "事業", "事業", "事業費", "経費", "推進事業", "促進事業"]
QUALIFIERS = ["", "", "", "地域", "総合", "緊急", "在宅", "広域", "特別", "包括的", "新", "第二"]
SENTENCES = [
    "{t}を対象に{s}を行う。",
    "{t}に対し、関係機関と連携して{s}を実施する。",
    "{t}の生活の安定を図るため{s}を進める。",
    "{t}が地域で安心して暮らせるよう{s}に取り組む。",
    "民生委員・児童委員や校区社協と協力し{s}を展開する。",
]
GOAL_TITLES = [
    "子どもの学力向上と社会を生きる力を育むための支援",
    "子どもの健やかな心身の育成と保護者の養育環境を支援",
    "生活の安定に資するための支援",
    "保護者の就労と経済的自立の支援",
    "支援につなぐ体制の整備",
    "妊娠期から子育て期までの切れ目のない支援",
]
POLICY_TITLES = [
    "学力・意欲向上",
    "生活・発育支援",
    "保護者への支援",
    "相談体制の充実",
    "居場所の確保",
    "経済的支援",
    "就労支援",
    "関係機関の連携",
    "情報提供の充実",
]
MEASURE_TITLES = [
    "確かな学力の向上",
    "子どもの居場所づくり",
    "ひとり親家庭等の就労支援",
    "子育て家庭への相談支援",
    "生活困窮者への自立支援",
    "障がいのある子どもへの支援",
    "妊産婦への支援",
    "ヤングケアラーへの支援",
    "食の支援",
    "医療費の助成",
    "住まいの確保",
    "虐待の防止",
]
BASIC_POLICIES = [
    ("つながりを深める", "地域住民"),
    ("支え合う仕組みをつくる", "地域団体等"),
    ("安心して暮らせる基盤をつくる", "市・市社協"),
    ("誰一人取り残さない", "支援を必要とする人"),
    ("担い手を育てる", "地域住民"),
]
VIEWPOINTS = [
    "地域の見守り体制の充実",
    "相談支援体制の強化",
    "権利擁護の推進",
    "災害時の支援体制",
    "担い手の育成",
    "地域活動の活性化",
    "情報共有の推進",
    "多様な居場所づくり",
    "孤独・孤立対策",
]
INDICATORS = [
    ("地域活動に参加している市民の割合", "%"),
    ("相談窓口の認知度", "%"),
    ("学習支援教室の参加者数", "人"),
    ("子ども食堂の箇所数", "箇所"),
    ("見守り活動の実施件数", "件"),
    ("就労に結びついたひとり親の数", "人"),
    ("ボランティア登録者数", "人"),
    ("成年後見制度の利用者数", "人"),
    ("避難行動要支援者の個別避難計画作成率", "%"),
    ("妊婦健康診査の受診率", "%"),
    ("放課後学習教室の開催校数", "校"),
    ("地域サロンの数", "箇所"),
]
DIVISION_NAMES = [
    "こども支援課",
    "子ども政策課",
    "子育て支援課",
    "保育幼稚園課",
    "健康づくり推進課",
    "障がい福祉課",
    "高齢福祉課",
    "地域包括ケア推進室",
    "保護管理援護課",
    "生活自立支援課",
    "教育政策課",
    "指導課",
    "青少年育成課",
    "男女共同参画課",
    "国際課",
    "危機管理防災総室",
    "健康福祉政策課",
    "住宅政策課",
    "雇用政策課",
    "市民活動支援課",
    "各区保健子ども課",
    "各区福祉課",
]
KANJI = "熊本久留米札幌仙台千葉川崎横浜浜松静岡岡山広島北九州福岡佐賀長崎大分宮崎鹿児島那覇高松松山高知徳島神戸姫路堺京都奈良津岐阜金沢富山新潟長野甲府前橋宇都宮水戸盛岡秋田青森函館旭川"
PREFECTURES = [
    "北海道",
    "宮城県",
    "埼玉県",
    "千葉県",
    "神奈川県",
    "静岡県",
    "愛知県",
    "京都府",
    "大阪府",
    "兵庫県",
    "岡山県",
    "広島県",
    "福岡県",
    "熊本県",
    "鹿児島県",
    "沖縄県",
]
ACTORS = ["city", "city-cswc", "welfare-commissioners", "district-cswc", "community-groups", "residents"]
UNITS = [
    ("whole-city", "市内全域"),
    ("ward", "各区"),
    ("elementary-school-district", "小学校区"),
    ("daily-life-area", "日常生活圏域"),
    ("neighbourhood", "町内自治会・隣近所"),
]
ROMAN = ["Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ"]
ROMAN_ASCII = {"Ⅰ": "I", "Ⅱ": "II", "Ⅲ": "III", "Ⅳ": "IV", "Ⅴ": "V", "Ⅵ": "VI"}
THEMES = [
    "子育て情報の発信",
    "医療的ケア児への支援",
    "里親制度の推進",
    "子どもの居場所",
    "子育て支援のDX",
    "児童虐待の防止",
    "待機児童対策",
    "妊娠・出産の支援",
    "子どもの貧困対策",
    "相談体制",
]
LAW_KEYS = [
    ("social-welfare-act", "107"),
    ("social-welfare-act", "109"),
    ("adult-guardianship-promotion-act", None),
    ("loneliness-isolation-act", None),
    ("children-basic-act", None),
]


# ------------------------------------------------------------------------------------------ N-Quads
def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def iri(x: str) -> str:
    return f"<{x}>"


def lit(text, lang: str | None = None, dt: str | None = None) -> str:
    s = f'"{_esc(str(text))}"'
    if lang:
        return f"{s}@{lang}"
    if dt:
        return f"{s}^^<{dt}>"
    return s


def ja(text: str) -> str:
    return lit(text, "ja")


def _unesc(text: str) -> str:
    return text.replace("\\n", "\n").replace("\\r", "\r").replace('\\"', '"').replace("\\\\", "\\")


def search_form(text: str) -> str:
    from fukushi_kg.graph.mapping.labels import search_form as form

    return form(text)


_LABELS = {iri(RDFS + "label"), iri(SKOS + "prefLabel"), iri(SKOS + "altLabel")}
_SEARCH_LABEL = iri(FK + "searchLabel")
# what the shortcuts of the whole graph read (Shortcuts.whole): plans and units, units' names
_WHOLE_GRAPH_INPUT = (
    f" {iri(RDF + 'type')} {iri(FK + 'Plan')} ",
    f" {iri(RDF + 'type')} {iri(ORG + 'OrganizationalUnit')} ",
    f" {iri(SKOS + 'prefLabel')} ",
)


def integer(n: int) -> str:
    return lit(n, dt=XSD + "integer")


def posint(n: int) -> str:
    return lit(n, dt=XSD + "integer")


def gyear(y: int) -> str:
    return lit(y, dt=XSD + "gYear")


def decimal(v) -> str:
    return lit(v, dt=XSD + "decimal")


class Sink:
    """Writes quads as N-Quads lines; counts them; refuses a quad it already wrote to a graph
    (graph.mapping builds rdflib graphs, which are sets)."""

    def __init__(self, out: TextIO):
        self.out = out
        self.count = 0
        self._seen: set[str] | None = None
        self.lines: list[str] = []  # the current municipality's lines (for its shortcuts)
        self._search_labels: set[str] = set()

    def begin_graph(self) -> None:
        self._seen = set()

    def add(self, s: str, p: str, o: str, g: str) -> None:
        line = f"{s} {p} {o} {g} .\n"
        if self._seen is not None:
            if line in self._seen:
                return
            self._seen.add(line)
        self.out.write(line)
        self.lines.append(line)
        self.count += 1
        if p in _LABELS and o.startswith('"') and "/lines/" not in s:  # mapping.labels.add_search_labels
            text = search_form(_unesc(o[1 : o.rindex('"')]))
            quad = f"{s} {_SEARCH_LABEL} {lit(text)} {g} .\n"
            if quad not in self._search_labels:  # a label and a prefLabel of one text give one
                self._search_labels.add(quad)
                self.out.write(quad)
                self.count += 1


class Shortcuts:
    """The build's shortcuts (graph/shortcuts/) of what a Sink wrote, a municipality at a time:
    each is computed over the reference graphs plus that municipality's quads (no shortcut joins
    two municipalities), for the resources of those quads; a quad already written is skipped."""

    def __init__(self, reference: list[str]):
        self.reference = "".join(reference)
        self.written: set[str] = set()
        self.whole_input: list[str] = []  # what the whole graph's shortcuts read (_WHOLE_GRAPH_INPUT)

    def lines(self, city_lines: list[str] | None = None) -> list[str]:
        """The shortcuts of the reference graphs (``city_lines`` None) or of one municipality,
        but those of ``shortcuts.WHOLE_GRAPH`` (``whole``)."""
        import pyoxigraph as ox

        from fukushi_kg.graph import shortcuts

        store = ox.Store()
        store.load(self.reference, ox.RdfFormat.N_QUADS)
        only = None
        if city_lines is not None:
            city = ox.Store()
            city.load("".join(city_lines), ox.RdfFormat.N_QUADS)
            only = {q.subject for q in city}
            store.bulk_extend(city)
            self.whole_input += [line for line in city_lines if any(k in line for k in _WHOLE_GRAPH_INPUT)]
        return self._new(shortcuts.compute(store, BASE, only, set(shortcuts.CONSTRUCTS) - shortcuts.WHOLE_GRAPH))

    def whole(self) -> list[str]:
        """The shortcuts of ``shortcuts.WHOLE_GRAPH`` (a rank among every plan or unit), over the
        reference graphs and every plan and unit written."""
        import pyoxigraph as ox

        from fukushi_kg.graph import shortcuts

        store = ox.Store()
        store.load(self.reference + "".join(self.whole_input), ox.RdfFormat.N_QUADS)
        return self._new(shortcuts.compute(store, BASE, None, shortcuts.WHOLE_GRAPH))

    def _new(self, quads) -> list[str]:
        out = []
        for q in quads:
            line = f"{q} .\n"
            if line not in self.written:
                self.written.add(line)
                out.append(line)
        return out


# ------------------------------------------------------------------------------------------ reference graphs
def reference_lines() -> list[str]:
    """The ontology and vocabularies graphs exactly as a real build makes them (graph.mapping, graph.serialize)."""
    from fukushi_kg.graph.mapping import reference_dataset
    from fukushi_kg.graph.serialize import sorted_quads

    return [str(q) + " .\n" for q in sorted_quads(reference_dataset(BASE))]


_KEYWORDS: tuple | None = None


def target_groups(text: str) -> list[tuple[str, str]]:
    """(group slug, matched word) of every target group whose keyword occurs in ``text`` (graph.classify's rules)."""
    global _KEYWORDS
    if _KEYWORDS is None:
        from fukushi_kg.graph.classify import keywords

        _KEYWORDS = keywords()
    from fukushi_kg.graph.text import norm

    t = norm(text)
    out = []
    for group, words in _KEYWORDS:
        for w in words:
            if w in t:
                out.append((group, w))
                break
    return out


def topics(text: str) -> list[str]:
    from fukushi_kg.graph.classify import TOPIC, keywords
    from fukushi_kg.graph.text import norm

    t = norm(text)
    return [g for g, words in keywords(TOPIC) if any(w in t for w in words)]


# ------------------------------------------------------------------------------------------ one municipality
@dataclass
class City:
    n: int
    slug: str
    name: str
    name_en: str
    code: str
    prefecture: str
    designated: bool
    divisions: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)

    @property
    def iri(self) -> str:
        return f"{BASE}id/org/{self.slug}"


def _check_digit(five: str) -> str:
    total = sum(int(d) * w for d, w in zip(five, (6, 5, 4, 3, 2)))
    r = total % 11
    return str((11 - r) % 10) if r else "0"


def make_city(n: int, rng: random.Random) -> City:
    # The first two are Kumamoto and Kurume (the seed's cities, so queries that name their codes answer).
    if n == 0:
        city = City(n, "kumamoto-city", "熊本市", "Kumamoto City", "431001", "熊本県", True)
    elif n == 1:
        city = City(n, "kurume-city", "久留米市", "Kurume City", "402036", "福岡県", False)
    else:
        name = "".join(rng.sample(KANJI, 2)) + "市"
        five = f"{rng.randint(1, 47):02d}{200 + n % 800:03d}"
        city = City(
            n,
            f"synth-city-{n:05d}",
            f"{name}{n}",
            f"Synthetic City {n}",
            five + _check_digit(five),
            rng.choice(PREFECTURES),
            rng.random() < 0.2,
        )
    names = rng.sample(DIVISION_NAMES, rng.randint(8, min(16, len(DIVISION_NAMES))))
    city.divisions = [(f"div-{i:02d}", nm) for i, nm in enumerate(names)]
    return city


class Doc:
    """One source document: its named graph, its id and a line counter for spans."""

    def __init__(self, sink: Sink, doc_id: str):
        self.sink = sink
        self.id = doc_id
        self.g = iri(f"{BASE}graph/{doc_id}")
        self.node = iri(f"{BASE}id/document/{doc_id}")
        self.line = 1
        sink.begin_graph()

    def add(self, s: str, p: str, o: str) -> None:
        self.sink.add(s, p, o, self.g)

    def span(self, text: str, lines: int = 1) -> str:
        """A new span of ``lines`` lines quoting ``text``; returns its IRI (mapping.Context.span)."""
        start, end = self.line, self.line + lines - 1
        self.line = end + 1
        node = f"{BASE}id/document/{self.id}/lines/{start}-{end}"
        s, sel = iri(node), iri(node + "#selector")
        add = self.add
        add(s, iri(A), iri(FK + "SourceSpan"))
        add(s, iri(FK + "document"), self.node)
        add(s, iri(OA + "hasSource"), self.node)
        add(s, iri(FK + "lineStart"), posint(start))
        add(s, iri(FK + "lineEnd"), posint(end))
        add(s, iri(OA + "hasSelector"), sel)
        add(sel, iri(A), iri(OA + "FragmentSelector"))
        add(sel, iri(DCT + "conformsTo"), iri("http://tools.ietf.org/rfc/rfc5147"))
        add(sel, iri(RDF + "value"), lit(f"line={start - 1},{end}"))
        add(s, iri(FK + "quotedText"), lit(text))
        add(s, iri(RDFS + "label"), lit(f"{self.id} lines {start}-{end}"))
        return s

    def describe(self, title: str, title_en: str, publisher: str, date: str, kind: str) -> None:
        """``publisher``: the IRI of the publishing organisation."""
        add, node = self.add, self.node
        add(node, iri(A), iri(FK + "SourceDocument"))
        add(node, iri(A), iri(FOAF + "Document"))
        add(node, iri(DCT + "title"), ja(title))
        add(node, iri(DCT + "title"), lit(title_en, "en"))
        add(node, iri(RDFS + "label"), ja(title))
        add(node, iri(RDFS + "label"), lit(title_en, "en"))
        add(node, iri(DCT + "publisher"), iri(publisher))
        add(node, iri(DCT + "issued"), lit(date, dt=XSD + "date"))
        add(node, iri(FK + "documentKind"), lit(kind))
        add(node, iri(FK + "textFile"), lit(f"data/sources/{self.id}.txt"))


@dataclass
class Listed:
    """What the generator remembers of a listing for cross-plan identity and results."""

    name: str
    node: str
    program: str
    division: tuple[str, str] | None


class CityWriter:
    """Writes one municipality's documents; ``budget`` (triples) sets the size of its plans."""

    def __init__(self, sink: Sink, city: City, rng: random.Random, budget: int):
        self.sink, self.city, self.rng, self.budget = sink, city, rng, budget
        self.names: set[str] = set()
        self.child: list[Listed] = []
        self.matches: list[tuple[str, list[str], list[str]]] = []  # (program, listing nodes, names)

    # ------------------------------------------------------------------ helpers
    def program_name(self) -> str:
        rng = self.rng
        for _ in range(50):
            name = rng.choice(QUALIFIERS) + rng.choice(TARGETS) + rng.choice(SERVICES) + rng.choice(SUFFIXES)
            if name not in self.names:
                self.names.add(name)
                return name
        n = len(self.names)
        name = f"{rng.choice(TARGETS)}{rng.choice(SERVICES)}事業（その{n}）"
        self.names.add(name)
        return name

    def description(self, name: str) -> str:
        t = next((w for w in TARGETS if w in name), "市民")
        s = next((w for w in SERVICES if w in name), "支援")
        return self.rng.choice(SENTENCES).format(t=t, s=s)

    def classify(
        self,
        d: Doc,
        listing: str,
        program: str,
        name: str,
        name_span: str,
        desc: str | None,
        desc_span: str | None,
        heading: tuple[str, str, str] | None,
        link: str = "classifiedListing",
    ) -> None:
        """Classifications as graph.mapping.classifications records them (name, description, component)."""
        sources = [("name", name, name_span, None)]
        if desc:
            sources.append(("description", desc, desc_span, None))
        if heading:
            sources.append(("component", heading[0], heading[1], heading[2]))
        for kind, text, span, comp in sources:
            for group, word in target_groups(text):
                node = iri(f"{listing[1:-1]}/target-group/{group}/{kind}")
                tg = iri(FK[f"target-group/{group}"])
                d.add(program, iri(FK + "servesTargetGroup"), tg)
                d.add(node, iri(A), iri(FK + "TargetGroupClassification"))
                d.add(node, iri(FK + link), listing)
                d.add(node, iri(FK + "targetGroup"), tg)
                d.add(node, iri(FK + "evidenceKind"), lit(kind))
                d.add(node, iri(FK + "matchedText"), lit(word))
                d.add(node, iri(RDFS + "label"), ja(f"{name} → {group} ({kind}: {word})"))
                d.add(node, iri(FK + "evidenceSpan"), span)
                if comp:
                    d.add(node, iri(FK + "evidenceComponent"), comp)

    def plan(self, d: Doc, key: str, title: str, title_en: str, start: int, end: int) -> str:
        node = iri(f"{BASE}id/plan/{key}")
        add = d.add
        add(node, iri(A), iri(FK + "Plan"))
        add(node, iri(RDFS + "label"), ja(title))
        add(node, iri(RDFS + "label"), lit(title_en, "en"))
        add(node, iri(DCT + "title"), ja(title))
        add(node, iri(FK + "statedIn"), d.node)
        add(node, iri(FK + "span"), d.span(title, 2))
        add(node, iri(FK + "city"), iri(self.city.iri))
        add(node, iri(FK + "periodStart"), gyear(start))
        add(node, iri(FK + "periodEnd"), gyear(end))
        add(node, iri(DCT + "publisher"), iri(self.city.iri))
        return node

    def component(
        self,
        d: Doc,
        plan_key: str,
        level: str,
        cls: str,
        code: str,
        title: str,
        heading: str,
        order: int,
        parent: str | None,
    ) -> tuple[str, str]:
        ascii = "".join(ROMAN_ASCII.get(c, c) for c in code)
        node = iri(f"{BASE}id/plan/{plan_key}/{level}/{ascii}")
        add = d.add
        add(node, iri(A), iri(FK + cls))
        add(node, iri(FK + "inPlan"), iri(f"{BASE}id/plan/{plan_key}"))
        add(node, iri(SKOS + "notation"), lit(code))
        add(node, iri(RDFS + "label"), ja(title))
        add(node, iri(FK + "heading"), lit(heading))
        span = d.span(heading)
        add(node, iri(FK + "span"), span)
        add(node, iri(FK + "order"), integer(order))
        if parent:
            add(node, iri(FK + "parentComponent"), parent)
        return node, span

    def program(self, d: Doc, prog: str, name: str, listing: str) -> None:
        d.add(prog, iri(A), iri(FK + "Program"))
        d.add(prog, iri(RDFS + "label"), ja(name))
        d.add(prog, iri(FK + "hasListing"), listing)
        d.add(listing, iri(FK + "listingOf"), prog)

    def indicators(
        self, d: Doc, plan_key: str, plan: str, targets: list[str], count: int, years: tuple[int, int]
    ) -> None:
        rng = self.rng
        for k in range(1, count + 1):
            name, unit = rng.choice(INDICATORS)
            node_s = f"{BASE}id/plan/{plan_key}/indicator/{k}"
            node = iri(node_s)
            add = d.add
            add(node, iri(A), iri(FK + "Indicator"))
            add(node, iri(A), iri(QB + "DataSet"))
            add(node, iri(QB + "structure"), iri(FK + "indicatorStructure"))
            add(node, iri(RDFS + "label"), ja(name))
            add(node, iri(FK + "inPlan"), plan)
            add(node, iri(FK + "indicatorOf"), rng.choice(targets))
            add(node, iri(FK + "nameSpan"), d.span(name))
            add(node, iri(FK + "unit"), lit(unit))
            base_year, target_year = years
            base = rng.randint(10, 80) if unit == "%" else rng.randint(5, 500)
            target = base + rng.randint(1, 20) if rng.random() < 0.85 else max(0, base - rng.randint(1, 5))
            obs = [("baseline", base_year, base)]
            value = base
            for y in range(base_year + 1, min(target_year, base_year + 5)):
                value = value + rng.randint(-3, 6)
                obs.append(("actual", y, value if rng.random() > 0.1 else None))
            obs.append(("target", target_year, target))
            row = d.span(f"{name} {base} … {target}", 2)
            for kind, year, v in obs:
                o = iri(f"{node_s}/{kind}-{year}")
                status = "measured" if v is not None else "not-measured"
                add(o, iri(A), iri(QB + "Observation"))
                add(o, iri(QB + "dataSet"), node)
                add(o, iri(FK + "refYear"), gyear(year))
                add(o, iri(FK + "observationKind"), iri(f"{FK}observation-kind/{kind}"))
                add(o, iri(FK + "observationStatus"), iri(f"{FK}observation-status/{status}"))
                add(o, iri(FK + "valueAsPrinted"), lit(str(v) if v is not None else "－"))
                if v is not None:
                    add(o, iri(FK + "value"), decimal(v))
                add(o, iri(FK + "unit"), lit(unit))
                add(o, iri(FK + "span"), row)

    # ------------------------------------------------------------------ the child plan report
    def child_plan(self, n_listings: int) -> None:
        c, rng = self.city, self.rng
        doc_id = f"{c.slug}-child-plan-report-fy2023"
        key = f"{c.slug}-child-future-action-plan"
        d = Doc(self.sink, doc_id)
        title = f"{c.name}子どもの未来応援アクションプラン"
        d.describe(
            f"{title} 令和5年度 進捗状況報告書",
            f"{c.name_en} child future action plan, FY2023 progress report",
            c.iri,
            "2024-09-30",
            "plan-progress-report",
        )
        plan = self.plan(d, key, title, f"{c.name_en} action plan for children's future", 2020, 2024)
        d.add(d.node, iri(FK + "reportsOn"), plan)
        # hierarchy: goals -> policies -> measures, listings spread over the measures
        measures: list[tuple[str, str, str, str]] = []  # (code, node, heading, heading span)
        goals = []
        n_goals = 3 if n_listings < 60 else rng.randint(4, 6)
        per_measure = max(2, rng.randint(5, 9))
        n_measures = max(n_goals, -(-n_listings // per_measure))
        per_goal = -(-n_measures // n_goals)
        made = 0
        for gi in range(1, n_goals + 1):
            gtitle = GOAL_TITLES[(gi - 1) % len(GOAL_TITLES)]
            gnode, _ = self.component(d, key, "goal", "Goal", str(gi), gtitle, f"基本目標{gi}．{gtitle}", gi, None)
            goals.append(gnode)
            n_pol = max(1, min(3, -(-per_goal // 3)))
            for pi in range(1, n_pol + 1):
                ptitle = rng.choice(POLICY_TITLES)
                pcode = f"{gi}.{pi}"
                pnode, _ = self.component(
                    d, key, "policy", "PolicyArea", pcode, ptitle, f"基本施策（{pi}）{ptitle}", pi, gnode
                )
                for mi in range(1, -(-per_goal // n_pol) + 1):
                    if made >= n_measures:
                        break
                    mtitle = rng.choice(MEASURE_TITLES)
                    mcode = f"{pcode}.{mi}"
                    heading = f"施策{'①②③④⑤⑥⑦⑧⑨'[min(mi, 9) - 1]}{mtitle}"
                    mnode, mspan = self.component(d, key, "measure", "Measure", mcode, mtitle, heading, mi, pnode)
                    measures.append((mcode, mnode, heading, mspan))
                    made += 1
        seq: dict[str, int] = {}
        placed: list[tuple[str, str, str, str, int]] = []  # (measure code, listing node, name, program, index)
        for i in range(n_listings):
            mcode, mnode, heading, mspan = measures[i % len(measures)]
            seq[mcode] = seq.get(mcode, 0) + 1
            n = seq[mcode]
            name = self.program_name()
            node_s = f"{BASE}id/plan/{key}/listing/{mcode}-{n}"
            node, prog = iri(node_s), iri(f"{BASE}id/program/{key}/{mcode}-{n}")
            division = rng.choice(c.divisions)
            desc = self.description(name) if rng.random() < 0.65 else None
            self.child_listing(
                d,
                key,
                plan,
                node,
                prog,
                name,
                mcode,
                mnode,
                n,
                division,
                desc,
                (heading, mspan, mnode),
                relisting=False,
            )
            placed.append((mcode, node, name, prog, i))
            self.child.append(Listed(name, node, prog, division))
        # 再掲 pairs: ~10% of listings are printed again under another measure (same program)
        if len(measures) > 1:
            for mcode, node, name, prog, i in placed[::10]:
                other = measures[(i + 1 + rng.randrange(len(measures) - 1)) % len(measures)]
                if other[0] == mcode:
                    continue
                seq[other[0]] = seq.get(other[0], 0) + 1
                n = seq[other[0]]
                copy = iri(f"{BASE}id/plan/{key}/listing/{other[0]}-{n}")
                d.add(node, iri(FK + "printedRelistingCode"), lit(other[0]))
                d.add(node, iri(FK + "relistedWith"), copy)
                self.child_listing(
                    d,
                    key,
                    plan,
                    copy,
                    prog,
                    name,
                    other[0],
                    other[1],
                    n,
                    rng.choice(c.divisions),
                    None,
                    (other[2], other[3], other[1]),
                    relisting=True,
                )
                d.add(copy, iri(FK + "printedRelistingCode"), lit(mcode))
                d.add(copy, iri(FK + "relistedWith"), node)
                d.add(copy, iri(FK + "isRelistingOf"), node)
        self.indicators(d, key, plan, [plan, *goals], max(2, n_listings // 15), (2019, 2024))

    def child_listing(
        self,
        d: Doc,
        key: str,
        plan: str,
        node: str,
        prog: str,
        name: str,
        mcode: str,
        mnode: str,
        n: int,
        division: tuple[str, str],
        desc: str | None,
        heading,
        relisting: bool,
    ) -> None:
        rng, add = self.rng, d.add
        printed = f"{name}（再{mcode}）" if relisting else name
        add(node, iri(A), iri(FK + "Listing"))
        if relisting:
            add(node, iri(A), iri(FK + "Relisting"))
        add(node, iri(RDFS + "label"), ja(name))
        add(node, iri(FK + "nameAsPrinted"), lit(printed))
        add(node, iri(FK + "inPlan"), plan)
        add(node, iri(FK + "listedUnder"), mnode)
        add(node, iri(FK + "placeInPlan"), lit(mcode))
        add(node, iri(FK + "order"), integer(n))
        add(node, iri(FK + "statedIn"), d.node)
        block = d.span(f"{printed}\n{division[1]}", 6)
        add(node, iri(FK + "span"), block)
        name_span = d.span(printed)
        add(node, iri(FK + "nameSpan"), name_span)
        add(node, iri(FK + "responsibleDivision"), iri(f"{self.city.iri}/{division[0]}"))
        add(node, iri(FK + "divisionAsPrinted"), lit(division[1]))
        add(node, iri(FK + "divisionSpan"), d.span(division[1]))
        if not relisting and rng.random() < 0.9:
            add(node, iri(FK + "selfEvaluation"), iri(FK["grade/" + rng.choice("AABBBCD")]))
        add(node, iri(FK + "evaluationSpan"), d.span("A B C D"))
        desc_span = None
        if desc:
            add(node, iri(FK + "description"), ja(desc))
            desc_span = d.span(desc, 2)
            add(node, iri(FK + "descriptionSpan"), desc_span)
        if rng.random() < 0.2:
            add(node, iri(FK + "readingNote"), lit("column read by position"))
        self.program(d, prog, name, node)
        if not relisting and rng.random() < 0.67:
            for t in range(1, rng.randint(1, 2) + 1):
                table = f"{node[1:-1]}/table/{t}"
                title = f"〇{name} 実施状況"
                tn = iri(table)
                add(node, iri(FK + "hasMetricTable"), tn)
                add(tn, iri(A), iri(FK + "MetricTable"))
                add(tn, iri(A), iri(QB + "DataSet"))
                add(tn, iri(RDFS + "label"), ja(title))
                add(tn, iri(FK + "span"), d.span(title, 3))
                for r in range(1, rng.randint(1, 3) + 1):
                    item = rng.choice(["実施回数", "参加者数", "利用件数", "開催校数", "相談件数"])
                    row_span = d.span(f"{item} R3 R4 R5")
                    for col, year in (("R3", 2021), ("R4", 2022), ("R5", 2023)):
                        o = iri(f"{table}/row/{r}/{col}")
                        v = rng.randint(0, 900)
                        add(o, iri(A), iri(QB + "Observation"))
                        add(o, iri(QB + "dataSet"), tn)
                        add(o, iri(FK + "metricItem"), ja(item))
                        add(o, iri(FK + "yearColumn"), lit(col))
                        add(o, iri(FK + "valueAsPrinted"), lit(f"{v}件"))
                        add(o, iri(FK + "refYear"), gyear(year))
                        add(o, iri(FK + "value"), decimal(v))
                        add(o, iri(FK + "span"), row_span)
        self.classify(d, node, prog, name, name_span, desc, desc_span, heading)

    # ------------------------------------------------------------------ the regional welfare plan
    def welfare_plan(self, n_listings: int) -> None:
        c, rng = self.city, self.rng
        doc_id = f"{c.slug}-regional-welfare-plan-5"
        key = doc_id
        d = Doc(self.sink, doc_id)
        title = f"第5次{c.name}地域福祉計画・地域福祉活動計画"
        d.describe(title, f"{c.name_en} 5th regional welfare plan", c.iri, "2025-03-31", "plan")
        plan = self.plan(d, key, title, f"{c.name_en} 5th regional welfare plan", 2025, 2031)
        d.add(plan, iri(FK + "principle"), ja("誰もが安心して暮らせる支え合いのまち"))
        for goal in rng.sample([1, 3, 4, 10, 11, 16, 17], 4):
            d.add(plan, iri(FK + "sdgGoal"), iri(f"{SDG}{goal}"))
        for law, art in LAW_KEYS[:2]:
            d.add(plan, iri(FK + "legalBasis"), iri(self.law_iri(law, art)))
        # law citations read from the document
        for k in range(1, rng.randint(4, 10) + 1):
            law, art = rng.choice(LAW_KEYS)
            cit = iri(f"{BASE}id/document/{doc_id}/citation/{k}")
            d.add(d.node, iri(FK + "citation"), cit)
            d.add(cit, iri(FK + "citedLaw"), iri(self.law_iri(law, art)))
            d.add(cit, iri(RDFS + "label"), ja(LAW_NAMES.get(law, law)))
            d.add(cit, iri(FK + "span"), d.span(LAW_NAMES.get(law, law)))
        n_bp = rng.randint(3, 5) if n_listings >= 40 else 2
        per_bp = -(-n_listings // n_bp)
        initiatives: list[tuple[str, str, str, str, str]] = []  # (code, node, heading, span, viewpoint code)
        ini_n = 0
        for bi in range(1, n_bp + 1):
            roman = ROMAN[bi - 1]
            btitle, target = BASIC_POLICIES[(bi - 1) % len(BASIC_POLICIES)]
            bnode, _ = self.component(
                d, key, "basic-policy", "BasicPolicy", roman, btitle, f"基本方針{roman} {btitle}", bi, None
            )
            d.add(bnode, iri(FK + "statedTarget"), ja(target))
            d.add(bnode, iri(FK + "span"), d.span(f"取組の主な対象：{target}"))
            n_vp = max(1, min(4, per_bp // 12))
            for vi in range(1, n_vp + 1):
                vcode = f"{roman}-{vi}"
                vtitle = rng.choice(VIEWPOINTS)
                vnode, _ = self.component(
                    d, key, "viewpoint", "Viewpoint", vcode, vtitle, f"{vcode} {vtitle}", vi, bnode
                )
                for ii in range(1, max(1, per_bp // n_vp // 6) + 1):
                    ini_n += 1
                    ititle = rng.choice(VIEWPOINTS) + "の取組"
                    heading = f"取組{ini_n} {ititle}"
                    inode, ispan = self.component(
                        d, key, "initiative", "Initiative", str(ini_n), ititle, heading, ii, vnode
                    )
                    initiatives.append((str(ini_n), inode, heading, ispan, vcode))
        seq: dict[str, int] = {}
        shared = 0
        for i in range(n_listings):
            icode, inode, heading, ispan, vcode = initiatives[i % len(initiatives)]
            seq[icode] = seq.get(icode, 0) + 1
            n = seq[icode]
            node = iri(f"{BASE}id/plan/{key}/listing/{icode}-{n}")
            # ~1 in 6 welfare listings is a program the child plan lists too (cross-plan identity)
            if self.child and rng.random() < 0.17 and shared < len(self.child):
                first = self.child[(shared * 7) % len(self.child)]
                shared += 1
                if any(m[0] == first.program for m in self.matches):
                    first = None
            else:
                first = None
            if first is not None:
                name, prog = first.name, first.program
                self.matches.append((prog, [first.node, node], [first.name, name]))
            else:
                name = self.program_name()
                prog = iri(f"{BASE}id/program/{key}/{icode}-{n}")
            add = d.add
            add(node, iri(A), iri(FK + "Listing"))
            add(node, iri(RDFS + "label"), ja(name))
            add(node, iri(FK + "nameAsPrinted"), lit(name))
            add(node, iri(FK + "inPlan"), plan)
            add(node, iri(FK + "listedUnder"), inode)
            add(node, iri(FK + "placeInPlan"), lit(f"{vcode}/{icode}"))
            add(node, iri(FK + "order"), integer(n))
            add(node, iri(FK + "statedIn"), d.node)
            add(node, iri(FK + "span"), d.span(name, 3))
            name_span = d.span(name)
            add(node, iri(FK + "nameSpan"), name_span)
            desc = self.description(name)
            add(node, iri(FK + "description"), ja(desc))
            desc_span = d.span(desc)
            add(node, iri(FK + "descriptionSpan"), desc_span)
            leads = sorted(rng.sample(range(6), rng.choice([1, 1, 1, 2])))
            partners = sorted(set(rng.sample(range(6), rng.choice([0, 1, 1, 2]))) - set(leads))
            for a in leads:
                add(node, iri(FK + "leadActor"), iri(f"{FK}actor/{ACTORS[a]}"))
            for a in partners:
                add(node, iri(FK + "partnerActor"), iri(f"{FK}actor/{ACTORS[a]}"))
            marks = " ".join("◎" if k in leads else "○" if k in partners else "" for k in range(6))
            add(node, iri(FK + "marksAsPrinted"), lit(marks))
            add(node, iri(FK + "marksSpan"), d.span(marks))
            unit_slug, unit_text = rng.choice(UNITS)
            add(node, iri(FK + "activityUnit"), iri(f"{FK}activity-unit/{unit_slug}"))
            add(node, iri(FK + "unitSpan"), d.span(unit_text))
            if rng.random() < 0.7:
                add(node, iri(FK + "readingNote"), lit("◎/○ read by column position"))
            self.program(d, prog, name, node)
            self.classify(d, node, prog, name, name_span, desc, desc_span, (heading, ispan, inode))
        self.indicators(d, key, plan, [plan] + [x[1] for x in initiatives[:4]], max(2, n_listings // 20), (2023, 2031))

    def law_iri(self, law: str, art: str | None) -> str:
        y, n = LAW_NUMBERS[law]
        node = f"{BASE}eli/jp/act/{y}/{n}"
        return f"{node}/art_{art}" if art else node

    # ------------------------------------------------------------------ results report and case studies
    def results(self) -> None:
        """A results report: FY2023 spending of some child-plan programs (same programs, fk:ProgramMatch)."""
        c, rng = self.city, self.rng
        doc_id = f"{c.slug}-welfare-results-fy2023"
        d = Doc(self.sink, doc_id)
        d.describe(
            f"{c.name}健康福祉局 令和5年度 主要事業実績",
            f"{c.name_en} welfare results FY2023",
            c.iri,
            "2024-06-30",
            "results-report",
        )
        picked = [x for x in self.child if rng.random() < 0.4 and x.division]
        for seq, x in enumerate(picked, start=1):
            node_s = f"{BASE}id/document/{doc_id}/result/{seq}"
            node = iri(node_s)
            add = d.add
            amount = rng.randint(100, 900_000)
            add(node, iri(A), iri(FK + "ProgramResult"))
            add(node, iri(RDFS + "label"), ja(x.name))
            add(node, iri(FK + "nameAsPrinted"), lit(x.name))
            add(node, iri(FK + "statedIn"), d.node)
            add(node, iri(FK + "order"), integer(seq))
            add(node, iri(FK + "fiscalYear"), gyear(2023))
            add(node, iri(FK + "span"), d.span(f"{x.name} {amount:,}", 3))
            add(node, iri(FK + "nameSpan"), d.span(x.name))
            add(node, iri(FK + "responsibleDivision"), iri(f"{c.iri}/{x.division[0]}"))
            add(node, iri(FK + "divisionAsPrinted"), lit(x.division[1]))
            add(node, iri(FK + "reportingUnit"), iri(f"{c.iri}/{x.division[0]}"))
            add(node, iri(FK + "divisionSpan"), d.span(x.division[1]))
            add(node, iri(FK + "amountAsPrinted"), lit(f"{amount:,}"))
            add(node, iri(FK + "amountUnit"), iri(FK + "unit/thousand-yen"))
            add(node, iri(FK + "amount"), integer(amount))
            add(node, iri(FK + "amountYen"), integer(amount * 1000))
            add(node, iri(FK + "amountSpan"), d.span(f"{amount:,}"))
            if rng.random() < 0.3:
                add(node, iri(FK + "flag"), iri(FK["flag/" + rng.choice(["new", "expanded", "relisted"])]))
            add(node, iri(FK + "resultOf"), x.program)
            add(x.program, iri(FK + "hasResult"), node)
            self.matches.append((x.program, [x.node, node], [x.name, x.name]))

    def cases(self) -> None:
        """A case-study collection: the city's initiatives under themes, with target groups and topics."""
        c, rng = self.city, self.rng
        doc_id = f"{c.slug}-child-support-cases-2022"
        d = Doc(self.sink, doc_id)
        d.describe(
            "指定都市の子ども・子育て支援の取組事例集",
            "Child-support case studies of designated cities",
            f"{BASE}id/org/designated-city-mayors-association",
            "2022-11-01",
            "case-studies",
        )
        themes: dict[str, str] = {}
        for seq in range(1, rng.randint(4, 12) + 1):
            theme = rng.choice(THEMES)
            title = f"{rng.choice(TARGETS)}{rng.choice(SERVICES)}の取組"
            node_s = f"{BASE}id/document/{doc_id}/initiative/{c.slug}/{seq}"
            node = iri(node_s)
            add = d.add
            add(node, iri(A), iri(FK + "CityInitiative"))
            add(node, iri(RDFS + "label"), ja(title))
            add(node, iri(FK + "city"), iri(c.iri))
            add(node, iri(FK + "statedIn"), d.node)
            add(node, iri(FK + "order"), integer(seq))
            name_span = d.span(title)
            add(node, iri(FK + "nameSpan"), name_span)
            add(node, iri(FK + "span"), d.span(title, 8))
            add(node, iri(FK + "initiativeLevel"), iri(FK["initiative-level/heading"]))
            if theme not in themes:
                t = iri(f"{BASE}id/document/{doc_id}/theme/{c.slug}/{len(themes) + 1}")
                themes[theme] = t
                add(t, iri(A), iri(FK + "Theme"))
                add(t, iri(RDFS + "label"), ja(theme))
                add(t, iri(FK + "city"), iri(c.iri))
                add(t, iri(FK + "nameSpan"), d.span(theme))
            add(node, iri(FK + "theme"), themes[theme])
            year = rng.randint(2015, 2022)
            add(node, iri(FK + "startDate"), gyear(year))
            add(node, iri(FK + "startDatePrecision"), lit("year"))
            add(node, iri(FK + "startDateAsPrinted"), lit(f"{year}年"))
            desc = self.description(title) + theme
            add(node, iri(FK + "description"), ja(desc))
            desc_span = d.span(desc, 3)
            add(node, iri(FK + "descriptionSpan"), desc_span)
            self.classify(d, node, node, title, name_span, desc, desc_span, None, link="classifiedInitiative")
            for topic in topics(title + desc):
                add(node, iri(FK + "topic"), iri(f"{FK}topic/{topic}"))

    # ------------------------------------------------------------------ vocabulary and links
    def vocabulary(self) -> None:
        c = self.city
        g = iri(f"{BASE}graph/vocabularies")
        add = lambda s, p, o: self.sink.add(s, p, o, g)  # noqa: E731
        node = iri(c.iri)
        if c.n > 1:  # Kumamoto and Kurume are in the reference data already
            add(node, iri(A), iri(FK + "Municipality"))
            add(node, iri(A), iri(ORG + "FormalOrganization"))
            add(node, iri(RDFS + "label"), ja(c.name))
            add(node, iri(RDFS + "label"), lit(c.name_en, "en"))
            add(node, iri(FK + "localGovernmentCode"), lit(c.code))
            add(node, iri(SKOS + "notation"), lit(c.code))
            add(node, iri(RDFS + "seeAlso"), iri(f"http://data.e-stat.go.jp/lod/sac/C{c.code[:5]}"))
            add(node, iri(FK + "designatedCity"), lit("true" if c.designated else "false", dt=XSD + "boolean"))
            add(node, iri(DCT + "spatial"), iri(f"http://data.e-stat.go.jp/lod/sac/C{c.code[:5]}"))
        for slug, name in c.divisions:
            div = iri(f"{c.iri}/{slug}")
            add(div, iri(A), iri(ORG + "OrganizationalUnit"))
            add(div, iri(RDFS + "label"), ja(name))
            add(div, iri(SKOS + "prefLabel"), ja(name))
            add(div, iri(ORG + "unitOf"), node)
            add(node, iri(ORG + "hasUnit"), div)

    def links(self) -> None:
        import hashlib

        g = iri(f"{BASE}graph/links")
        add = lambda s, p, o: self.sink.add(s, p, o, g)  # noqa: E731
        for prog, nodes, names in self.matches:
            h = hashlib.sha1("|".join(n[1:-1] for n in nodes).encode()).hexdigest()[:10]
            m = iri(f"{BASE}id/program-match/{h}")
            add(m, iri(A), iri(FK + "ProgramMatch"))
            add(m, iri(FK + "matchedProgram"), prog)
            add(m, iri(PROV + "wasGeneratedBy"), iri(f"{BASE}id/activity/program-identity"))
            add(m, iri(FK + "matchRule"), lit("normalised-name"))
            for n in nodes:
                add(m, iri(FK + "matchedListing"), n)
            for name in sorted(set(names)):
                add(m, iri(FK + "comparedName"), lit(name))
            add(m, iri(RDFS + "label"), ja(" = ".join(names)))

    def write(self) -> None:
        rng, b = self.rng, self.budget
        # triples per listing, measured on the output: child ~150, welfare ~100
        child_n = max(4, int(b * 0.48 / 150))
        welfare_n = max(4, int(b * 0.42 / 100))
        self.vocabulary()
        self.child_plan(child_n)
        self.welfare_plan(welfare_n)
        if rng.random() < 0.6 or self.city.n < 2:
            self.results()
        if self.city.designated or self.city.n < 2:
            self.cases()
        self.links()


def _law_tables() -> tuple[dict[str, tuple[int, int]], dict[str, str]]:
    import tomllib

    laws = tomllib.loads(
        (Path(__file__).resolve().parent.parent / "data" / "reviewed" / "laws.toml").read_text("utf-8")
    )
    numbers = {k: (v["year"], v["num"]) for k, v in laws.items() if k in {x for x, _ in LAW_KEYS}}
    names = {k: v["name"] for k, v in laws.items()}
    return numbers, names


LAW_NUMBERS, LAW_NAMES = _law_tables()


# ------------------------------------------------------------------------------------------ entry points
def city_budget(size: int) -> int:
    """Triples per municipality asked for: ~25k each from 10^5 up; smaller sizes get smaller plans
    (municipalities come out somewhat larger than asked, so 10^4 makes three)."""
    return max(1_500, min(REFERENCE_PER_CITY_MAX, size // 4))


def generate(out: TextIO, size: int, seed: int = 0, progress: Callable[[int, int], None] | None = None) -> int:
    """Write about ``size`` quads of data (never fewer) and their shortcuts as N-Quads to ``out``;
    return the number written."""
    sink = Sink(out)
    reference = reference_lines()
    shortcuts = Shortcuts(reference)
    for line in reference:
        out.write(line)
        sink.count += 1
    derived = 0  # shortcut quads: written, but not counted towards ``size`` (the data is as before)
    for line in shortcuts.lines():
        out.write(line)
        derived += 1
    budget = city_budget(size)
    n = 0
    while sink.count < size:
        rng = random.Random(f"{seed}:{size}:{n}")
        remaining = size - sink.count
        sink.lines = []
        CityWriter(sink, make_city(n, rng), rng, max(1_200, min(budget, remaining))).write()
        sink._seen = None
        for line in shortcuts.lines(sink.lines):
            out.write(line)
            derived += 1
        n += 1
        if progress:
            progress(sink.count + derived, n)
    for line in shortcuts.whole():
        out.write(line)
        derived += 1
    return sink.count + derived


def write_file(path: Path, size: int, seed: int = 0, progress: Callable[[int, int], None] | None = None) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".part")
    with tmp.open("w", encoding="utf-8", buffering=1 << 20) as f:
        n = generate(f, size, seed, progress)
    tmp.replace(path)
    return n


def parse_size(text: str) -> int:
    return int(float(text))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.synth", description=__doc__.splitlines()[0])
    p.add_argument("size", type=parse_size, help="number of quads, e.g. 1e5")
    p.add_argument("-o", "--output", type=Path, required=True, help="N-Quads file to write")
    p.add_argument("--seed", type=int, default=0)
    ns = p.parse_args(argv)
    n = write_file(ns.output, ns.size, ns.seed)
    print(f"wrote {n} quads to {ns.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
