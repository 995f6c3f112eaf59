"""Tests for graph.extract.case_studies (seed 002, 指定都市市長会 取組事例集, 令和4年11月9日).

Counts come from docs/sources/002-case-studies.md (§ and H codes below are its own).  The table HAND below
was written by reading data/sources/002_158c93a8356aeb55.txt line by line (1-based file
lines, blank lines counted): for each of the 47 initiatives its city, title line, title as
printed (markdown and a closing start-date bracket removed), level and start date; DATES
holds every date each initiative prints with its role, TOPICS its cross-city topics, FIGURES
the quantitative facts the layout note lists (§4).
"""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from fukushi_kg.graph import classify
from fukushi_kg.graph.extract import case_studies as cs
from fukushi_kg.graph.sources import document
from fukushi_kg.graph.text import norm

DOC = "designated-cities-child-support-cases-2022"
TOC = [
    "札幌市",
    "仙台市",
    "さいたま市",
    "千葉市",
    "川崎市",
    "横浜市",
    "相模原市",
    "新潟市",
    "静岡市",
    "浜松市",
    "名古屋市",
    "京都市",
    "大阪市",
    "堺市",
    "神戸市",
    "岡山市",
    "広島市",
    "北九州市",
    "福岡市",
    "熊本市",
]

Y, FY, M, D = "year", "fiscal-year", "month", "day"

# (city, title line, title, level, since as (raw, year, month, precision) or None) - read by hand.
HAND = [
    ("札幌市", 29, "「子育てサロン」による情報発信・相談体制の強化", "item", None),
    (
        "札幌市",
        33,
        "各行政区に親子が気軽に立ち寄れる相談窓口「こそだてインフォメーション」の設置",
        "item",
        ("〔H30～〕", 2018, None, Y),
    ),
    (
        "札幌市",
        37,
        "子育て情報に特化した「さっぽろ子育て情報サイト」及び「さっぽろ子育てアプリ」による情報発信",
        "item",
        ("〔H29～〕", 2017, None, Y),
    ),
    (
        "札幌市",
        41,
        "SNS(Twitter〔R3～〕、ひとり親家庭向けLINE〔R3～〕)を活用した情報発信",
        "item",
        ("〔R3～〕", 2021, None, Y),
    ),
    ("札幌市", 45, "子育てデータ管理プラットフォーム", "item", ("〔R3年7月～〕", 2021, 7, M)),
    ("札幌市", 49, "困難を抱える若年女性支援事業(通称:LiNK(リンク))", "item", ("〔R3年8月～〕", 2021, 8, M)),
    ("仙台市", 63, "子育てふれあいプラザ「のびすく」", "heading", None),
    ("仙台市", 73, "子育て応援プロジェクト", "heading", None),
    ("さいたま市", 86, "AIを活用した入所選考", "heading", ("平成28年度より", 2016, None, FY)),
    ("さいたま市", 101, "「選べる子育て環境」の創出", "heading", ("平成31年4月より", 2019, 4, M)),
    ("千葉市", 115, "不登校対策パッケージ", "heading", ("令和4年度から", 2022, None, FY)),
    ("千葉市", 139, "常設型プレーパークの運営", "heading", None),
    ("川崎市", 148, "児童養護施設・乳児院等の人員配置の充実・処遇改善の実施", "heading", None),
    ("川崎市", 163, "保育・子育て総合支援センターの設置", "heading", None),
    ("横浜市", 180, "保留児童対策タスクフォースによる分析", "heading", None),
    ("横浜市", 199, "保育所等における医療的ケア児の受入れの推進", "heading", None),
    ("相模原市", 220, "子どもの遊び場事業", "heading", ("〔令和4年6月～〕", 2022, 6, M)),
    ("相模原市", 238, "子育て世帯への家事支援事業", "heading", ("〔令和4年10月～〕", 2022, 10, M)),
    ("新潟市", 248, "妊娠・子育てほっとステーション", "item", None),
    ("新潟市", 250, "こんにちは赤ちゃん訪問", "item", None),
    ("新潟市", 257, "待機児童ゼロを維持！", "item", None),
    ("新潟市", 260, "にいがたっ子すこやかパスポート", "item", None),
    ("静岡市", 267, "ママケアデイサービス ～ママのリフレッシュサロン～", "heading", None),
    ("静岡市", 278, "里親家庭支援（特別養子縁組成立後の支援）", "heading", None),
    ("浜松市", 286, "子育て支援ひろば", "heading", None),
    ("浜松市", 295, "子育て情報サイト", "heading", None),
    (
        "名古屋市",
        310,
        "子どもの権利擁護機関 名古屋市子どもの権利相談室「なごもっか」",
        "heading",
        ("(令和2年1月開設)", 2020, 1, M),
    ),
    ("京都市", 350, "医療的ケア児への支援体制の構築", "heading", None),
    ("京都市", 352, "保育士配置基準を独自に引き上げ！", "heading", None),
    ("大阪市", 413, "塾代助成事業", "heading", ("平成24年9月に一部行政区で試行実施", 2012, 9, M)),
    ("大阪市", 420, "こどもサポートネット", "heading", None),
    ("堺市", 427, "子育て支援情報発信事業", "heading", None),
    ("堺市", 435, "ひとり親家庭への自立支援施策", "heading", None),  # 本年10月から is a component's (reviewed)
    ("神戸市", 449, "高校生等通学定期券補助", "heading", ("令和4年9月から", 2022, 9, M)),
    ("神戸市", 455, "子育て世帯への食を通じたつながり支援", "heading", ("令和3年8月から", 2021, 8, M)),
    ("岡山市", 469, "子どもの居場所づくり相談窓口", "item", ("(H30年創設)", 2018, None, Y)),
    ("岡山市", 478, "おかやま親子応援メール", "item", ("(R2年7月創設)", 2020, 7, M)),
    ("広島市", 515, "出生に関連する手続きのワンストップ化", "item", ("令和4年9月から", 2022, 9, M)),
    ("広島市", 520, "アプリを活用した情報発信", "item", None),
    ("広島市", 526, "保育園等入所選考システムの導入", "item", None),
    ("広島市", 530, "保育園等ICT化の推進", "item", None),
    ("北九州市", 538, "子育てDXの推進", "heading", None),
    ("北九州市", 548, "持続可能な子どもの居場所づくり", "heading", None),
    ("福岡市", 561, "官民協働による里親ショートステイの全市展開", "heading", ("平成27年度より", 2015, None, FY)),
    ("福岡市", 567, "子ども習い事応援事業 (習い事費用助成)", "heading", ("(令和4年7月～)", 2022, 7, M)),
    ("熊本市", 576, "新生児マススクリーニング(拡大検査)への助成", "heading", ("令和4年度から", 2022, None, FY)),
    ("熊本市", 590, "多子・多胎世帯子育て支援事業", "heading", None),
]

# Theme (heading) line of every item-level initiative, by title line.
THEMES = {
    29: (27, "子育て支援情報の発信"),
    33: (27, "子育て支援情報の発信"),
    37: (27, "子育て支援情報の発信"),
    41: (27, "子育て支援情報の発信"),
    45: (43, "児童虐待防止の取組"),
    49: (43, "児童虐待防止の取組"),
    248: (246, "妊娠・出産・育児のための相談体制の充実"),
    250: (246, "妊娠・出産・育児のための相談体制の充実"),
    257: (255, "保育・育児サービスの充実"),
    260: (255, "保育・育児サービスの充実"),
    469: (463, "官民連携で進めるこどもの貧困対策"),
    478: (463, "官民連携で進めるこどもの貧困対策"),
    515: (513, "子育て支援に係るDXの推進"),
    520: (513, "子育て支援に係るDXの推進"),
    526: (513, "子育て支援に係るDXの推進"),
    530: (513, "子育て支援に係るDXの推進"),
}

# The 7 cities without a heading: (first, last line attributed, an evidence term, the city
# a "latest heading wins" parser would give them to).
HEADLESS = {
    "仙台市": (63, 82, "せんだい", "札幌市"),
    "千葉市": (115, 142, "千葉", "さいたま市"),
    "横浜市": (180, 216, "横浜", "川崎市"),
    "静岡市": (267, 282, "静岡", "新潟市"),
    "京都市": (350, 409, "総合支援学校", "名古屋市"),
    "広島市": (513, 532, "ひろしま", "岡山市"),
    "熊本市": (576, 599, "熊本", "福岡市"),
}

HEADED = {
    "札幌市": 25,
    "さいたま市": 84,
    "川崎市": 146,
    "相模原市": 218,
    "新潟市": 244,
    "浜松市": 284,
    "名古屋市": 303,
    "大阪市": 411,
    "堺市": 425,
    "神戸市": 447,
    "岡山市": 461,
    "北九州市": 536,
    "福岡市": 559,
}

# Image / table captions, box labels and picture labels (H2 and a few more): never titles.
CAPTIONS = {
    55: "こそだてインフォメーション",
    61: "夜回りで配布するLiNKカード",
    71: "「のびすく」でのイベントの様子",
    82: "アプリ版「せんだいのびすくナビ」",
    108: "導入による効果",
    156: "児童養護施設・乳児院職員への処遇改善",
    176: "「保育・子育て総合支援センター」の役割",
    185: "4つの対策の方向性",
    189: "保留児童のデータベース化",
    195: "希望する園の選択に影響を及ぼす要因に踏み込んで詳細に分析",
    205: "横浜市 医療的ケア児 ガイドライン 検索",
    216: "常時2名分",
    231: "相模原市子育て応援イメージキャラクター",
    232: "はなたん",
    236: "【屋内施設での開催の様子】",
    276: "「ママケアデイサービス」の様子",
    307: "なごもっか マスコットキャラクター",
    308: "なごもん",
    314: "相談体制",
    319: "相談実績",
    330: "普及啓発",
    335: "本市の特徴",
    340: "令和3年度",
    341: "トピック",
    348: "小学校での子ども向け権利学習の様子",
    360: "【90人定員の保育所の場合】",
    362: "保育士の配置基準は、国基準の1.3倍！！",
    367: "乳幼児期",
    374: "学齢期",
    439: "スマートフォンで一貫支援",
    465: "【子どもの居場所づくり促進とおかやま親子応援メール】",
    546: "きたきゅう子育て応援アプリ",
    556: "ミュージアム・ツアーの様子",
    580: "検査率96%",
    582: "令和3年度まで",
    583: "熊本大学研究事業",
    585: "令和4年度から",
    586: "独自の公費助成で検査実施",
}


@pytest.fixture(scope="module")
def records():
    return cs.extract()


@pytest.fixture(scope="module")
def lines():
    return document("002").lines()


@pytest.fixture(scope="module")
def by_line(records):
    return {i.title_span.start: i for i in records.initiatives}


def _since(i):
    s = i.since
    return None if s is None else (s.raw, s.year, s.month, s.precision)


# --------------------------------------------------------------------------- the hand table itself


def test_hand_table_matches_the_source(lines):
    """Guard against typos in HAND: each title is printed on its line."""
    assert len(HAND) == 47
    for _city, ln, title, _, since in HAND:
        assert norm(title) in norm(lines[ln - 1]).replace("**", ""), (ln, title)
        if since and since[0] != "本年10月から":
            assert any(since[0] in lines[k - 1] for k in range(ln, ln + 10)), (ln, since)


# --------------------------------------------------------------------------- counts (layout note, Counts)


def test_counts(records):
    ini = records.initiatives
    assert records.doc == DOC
    assert len(records.cities) == 20
    assert len(ini) == 47
    assert Counter(i.level for i in ini) == {"heading": 31, "item": 16}
    themes = {i.title_span.start for i in ini if i.level == "heading"} | {i.theme_span.start for i in ini if i.theme}
    assert len(themes) == 37
    # the layout note's 21 less 堺 435's 本年10月から, one component's date (reviewed [[component_date]])
    assert sum(1 for i in ini if i.since) == 20
    assert sum(1 for i in ini if i.uncertain) == 6


def test_per_city_counts(records):
    per = Counter(i.city for i in records.initiatives)
    expected = {c: 2 for c in TOC} | {"札幌市": 6, "新潟市": 4, "広島市": 4, "名古屋市": 1}
    assert dict(per) == expected


def test_single_parent_mentions(records):
    """Counts: 5 initiatives mention single parents (ひとり親 / 児童扶養手当) in title or text."""
    hits = [
        i.title_span.start
        for i in records.initiatives
        if any(w in (i.title + (i.description or "")) for w in ("ひとり親", "児童扶養手当"))
    ]
    assert hits == [37, 41, 435, 478, 567]


def test_every_initiative_by_hand(records):
    got = [(i.city, i.title_span.start, i.title, i.level, _since(i)) for i in records.initiatives]
    assert got == HAND


def test_document_order_and_seq(records):
    starts = [i.title_span.start for i in records.initiatives]
    assert starts == sorted(starts)
    seen = Counter()
    for i in records.initiatives:
        seen[i.city] += 1
        assert i.seq == seen[i.city]
        assert i.doc == DOC and i.span.doc == DOC
        assert i.span.start == i.title_span.start == i.title_span.end


def test_themes_of_items(records):
    for i in records.initiatives:
        if i.level == "item":
            assert (i.theme_span.start, i.theme) == THEMES[i.title_span.start]
        else:
            assert i.theme is None and i.theme_span is None


# --------------------------------------------------------------------------- cities


def test_city_order_follows_toc(records):
    assert [c.name for c in records.cities] == TOC
    assert [c.toc_page for c in records.cities] == list(range(1, 21))


def test_headed_cities(records):
    for c in records.cities:
        if c.name in HEADED:
            assert c.has_heading and c.evidence == ""
            assert (c.span.start, c.span.end) == (HEADED[c.name], HEADED[c.name])


@pytest.mark.parametrize("city", list(HEADLESS))
def test_headless_city(records, city):
    first, last, term, naive = HEADLESS[city]
    c = next(c for c in records.cities if c.name == city)
    assert not c.has_heading
    assert (c.span.start, c.span.end) == (first, last)
    assert term in c.evidence and f"TOC page {c.toc_page}" in c.evidence
    mine = [i for i in records.initiatives if i.city == city]
    assert mine and all(first <= i.span.start and i.span.end <= last for i in mine)
    # nothing else in that range, and nothing of it went to the naive parser's city
    inside = [i for i in records.initiatives if first <= i.title_span.start <= last]
    assert {i.city for i in inside} == {city}
    assert all(i.notes and i.notes[0].startswith(f"{city} has no heading") for i in mine)
    assert naive not in {i.city for i in inside}


def test_naive_latest_heading_would_misattribute(records):
    """The hazard is real: a latest-heading parser disagrees on every initiative of the 7 cities.

    H1: 14 blocks (two per page); with 広島's four items, 16 initiatives.
    """
    heads = sorted(HEADED.items(), key=lambda kv: kv[1])
    wrong = [i for i in records.initiatives if [c for c, ln in heads if ln < i.title_span.start][-1] != i.city]
    assert len(wrong) == 16
    assert {i.city for i in wrong} == set(HEADLESS)


# --------------------------------------------------------------------------- captions


def test_captions_are_not_initiatives(records, lines):
    for ln, text in CAPTIONS.items():
        assert norm(text) in norm(cs.clean_text(lines[ln - 1])), (ln, text)
    starts = {i.title_span.start for i in records.initiatives}
    themes = {i.theme_span.start for i in records.initiatives if i.theme_span}
    titles = {norm(i.title) for i in records.initiatives} | {norm(i.theme) for i in records.initiatives if i.theme}
    for ln, text in CAPTIONS.items():
        assert ln not in starts and ln not in themes, (ln, text)
        assert norm(text) not in titles, (ln, text)


def test_body_lines_are_not_titles(records):
    """57 (札幌 rationale) and 365 (京都 ◆ bullet) are body text; ● 課題 / 導入後 / 効果 are labels."""
    starts = {i.title_span.start for i in records.initiatives}
    assert not starts & {57, 365, 88, 92, 96, 540, 542, 550, 552, 121, 124, 165}


# --------------------------------------------------------------------------- start dates


@pytest.mark.parametrize(
    "title_line, raw, year, month, precision",
    [
        (33, "〔H30～〕", 2018, None, Y),
        (45, "〔R3年7月～〕", 2021, 7, M),
        (220, "〔令和4年6月～〕", 2022, 6, M),
        (469, "(H30年創設)", 2018, None, Y),
        (478, "(R2年7月創設)", 2020, 7, M),
        (310, "(令和2年1月開設)", 2020, 1, M),
        (567, "(令和4年7月～)", 2022, 7, M),
        (86, "平成28年度より", 2016, None, FY),
        (449, "令和4年9月から", 2022, 9, M),
        (413, "平成24年9月に一部行政区で試行実施", 2012, 9, M),
    ],
)
def test_start_date_forms(by_line, title_line, raw, year, month, precision):
    s = by_line[title_line].since
    assert (s.raw, s.year, s.month, s.precision) == (raw, year, month, precision)
    assert s.span.doc == DOC


def test_since_span_points_at_the_date(by_line, lines):
    for i in by_line.values():
        if i.since:
            ln = i.since.span.start
            assert i.since.raw in lines[ln - 1]
            assert i.span.start <= ln <= i.span.end or ln == i.title_span.start


def test_component_dates_go_to_dates_mentioned(by_line):
    """〔H28～〕 / 〔R2～〕 (札幌 29), 仙台's app and gift, 北九州's ◆ bullets: components, not starts."""

    def dm(ln):
        return [(d.raw, d.year, d.month, d.precision) for d in by_line[ln].dates_mentioned]

    assert by_line[29].since is None
    assert dm(29) == [("〔H28～〕", 2016, None, Y), ("〔R2～〕", 2020, None, Y)]
    assert by_line[73].since is None
    assert dm(73) == [("令和3年3月より", 2021, 3, M), ("令和4年10月より", 2022, 10, M)]
    assert by_line[538].since is None
    assert dm(538) == [("（令和4年4月）", 2022, 4, M), ("（令和4年3月より実証開始）", 2022, 3, M)]
    assert by_line[548].since is None and dm(548) == [("（平成29年より）", 2017, None, Y)]
    assert dm(37) == [("〔R4～〕", 2022, None, Y)]
    assert dm(413) == [("平成25年12月より", 2013, 12, M), ("令和5年4月から", 2023, 4, M)]
    assert dm(101) == [("平成30年度に制度創設", 2018, None, FY), ("令和4年9月時点", 2022, 9, M)]
    assert dm(561) == [("令和4年度から", 2022, None, FY)]
    assert by_line[350].since is None and [d.raw for d in by_line[350].dates_mentioned if d.role == "start"] == [
        "【令和4年度新規】",
        "R2年度から",
    ]
    assert by_line[199].since is None and dm(199)[0] == ("(令和4年9月)", 2022, 9, M)
    # 堺: 本年10月から (relative to the document date 令和4年11月9日: R4-10) is when the first of the
    # block's four measures, the 就業支援事業, began; reviewed as that component's date, not the initiative's
    assert by_line[435].since is None
    assert dm(435) == [("本年10月から", 2022, 10, M)]
    assert any("component" in n or "four measures" in n for n in by_line[435].notes)


def test_count_bracket_is_not_a_date(by_line, lines):
    assert "〔子ども食堂設置数：42箇所〕" in lines[549]
    assert cs.read_dates(lines, 550, 550, document("002")) == []
    assert all("42" not in d.raw for d in by_line[548].dates_mentioned)


def test_state_dates_are_not_starts(lines):
    """時点 / まで / に公表 dates describe states or events, not starts."""
    doc = document("002")
    expected = {106: ["as-of"], 182: ["event"], 282: ["as-of"], 370: ["as-of"], 582: ["end"]}
    for ln, roles in expected.items():
        assert [d.date.role for d in cs.read_dates(lines, ln, ln, doc)] == roles, ln


# Every date each initiative prints (its own start included), read by hand:
# title line -> [(line, raw, role, year, month, day, precision)].
DATES = {
    29: [(31, "〔H28～〕", "start", 2016, None, None, Y), (31, "〔R2～〕", "start", 2020, None, None, Y)],
    33: [(33, "〔H30～〕", "start", 2018, None, None, Y)],
    37: [(37, "〔H29～〕", "start", 2017, None, None, Y), (39, "〔R4～〕", "start", 2022, None, None, Y)],
    41: [(41, "〔R3～〕", "start", 2021, None, None, Y)] * 2,
    45: [(45, "〔R3年7月～〕", "start", 2021, 7, None, M)],
    49: [(49, "〔R3年8月～〕", "start", 2021, 8, None, M)],
    73: [(76, "令和3年3月より", "start", 2021, 3, None, M), (78, "令和4年10月より", "start", 2022, 10, None, M)],
    86: [(94, "平成28年度より", "start", 2016, None, None, FY)],
    101: [
        (105, "平成30年度に制度創設", "start", 2018, None, None, FY),
        (105, "平成31年4月より", "start", 2019, 4, None, M),
        (106, "令和4年9月時点", "as-of", 2022, 9, None, M),
    ],
    115: [
        (117, "R1", "as-of", 2019, None, None, Y),
        (117, "R2", "as-of", 2020, None, None, Y),  # 1,236人(R1)から1,086人(R2)
        (117, "令和4年度から", "start", 2022, None, None, FY),
        (117, "6年度にかけて", "end", 2024, None, None, FY),
    ],
    180: [(182, "本年9月", "event", 2022, 9, None, M), (183, "令和3年4月", "event", 2021, 4, None, M)],
    199: [
        (201, "(令和4年9月)", "event", 2022, 9, None, M),
        (209, "令和4年度", "event", 2022, None, None, FY),
        (211, "令和3年度", "as-of", 2021, None, None, FY),
        (211, "令和4年度", "as-of", 2022, None, None, FY),
    ],
    220: [(222, "〔令和4年6月～〕", "start", 2022, 6, None, M), (224, "令和4年度", "as-of", 2022, None, None, FY)],
    238: [(240, "〔令和4年10月～〕", "start", 2022, 10, None, M)],
    278: [(282, "令和4年5月25日時点", "as-of", 2022, 5, 25, D)],
    286: [
        (290, "令和3年度", "as-of", 2021, None, None, FY),
        (290, "R2", "as-of", 2020, None, None, Y),
        (290, "R1", "as-of", 2019, None, None, Y),
    ],
    295: [(299, "令和3年度", "as-of", 2021, None, None, FY)],
    310: [
        (312, "(令和2年1月開設)", "start", 2020, 1, None, M),
        (322, "令和2年度", "as-of", 2020, None, None, FY),
        (323, "令和3年度", "as-of", 2021, None, None, FY),
        (340, "令和3年度", "event", 2021, None, None, FY),
        (343, "令和3年9月", "event", 2021, 9, None, M),
    ],
    350: [
        (364, "令和4年4月", "as-of", 2022, 4, None, M),
        (370, "(令和4年4月)", "as-of", 2022, 4, None, M),
        (377, "(令和4年4月)", "as-of", 2022, 4, None, M),
        (385, "(令和4年4月)", "as-of", 2022, 4, None, M),
        (387, "令和3年度", "as-of", 2021, None, None, FY),
        (387, "令和4年度", "as-of", 2022, None, None, FY),
        (390, "【令和4年度新規】", "start", 2022, None, None, FY),
        (395, "H30", "as-of", 2018, None, None, FY),
        (396, "R1", "as-of", 2019, None, None, FY),
        (397, "R2", "as-of", 2020, None, None, FY),
        (398, "R3", "as-of", 2021, None, None, FY),
        (399, "R4", "as-of", 2022, None, None, FY),  # rows of the 年度 | 本市予算額 table
        (403, "R2", "as-of", 2020, None, None, Y),
        (405, "R3", "as-of", 2021, None, None, Y),
        (407, "R4", "as-of", 2022, None, None, Y),
        (409, "R2年度から", "start", 2020, None, None, FY),
    ],
    413: [
        (416, "平成24年9月に一部行政区で試行実施", "start", 2012, 9, None, M),
        (416, "平成25年12月より", "start", 2013, 12, None, M),
        (416, "令和5年4月から", "start", 2023, 4, None, M),
    ],
    435: [(437, "本年10月から", "start", 2022, 10, None, M)],
    449: [(451, "令和4年9月から", "start", 2022, 9, None, M), (451, "令和4年度", "as-of", 2022, None, None, FY)],
    455: [(457, "令和3年8月から", "start", 2021, 8, None, M)],
    469: [
        (469, "(H30年創設)", "start", 2018, None, None, Y),
        (494, "H29年", "as-of", 2017, None, None, Y),
        (494, "R4年8月", "as-of", 2022, 8, None, M),
    ],
    478: [
        (478, "(R2年7月創設)", "start", 2020, 7, None, M),
        (496, "R4年8月", "as-of", 2022, 8, None, M),
        (511, "R4年8月までに", "as-of", 2022, 8, None, M),
    ],
    515: [(517, "令和4年9月から", "start", 2022, 9, None, M)],
    538: [
        (540, "（令和4年4月）", "event", 2022, 4, None, M),
        (542, "（令和4年3月より実証開始）", "start", 2022, 3, None, M),
    ],
    548: [(552, "（平成29年より）", "start", 2017, None, None, Y)],
    561: [
        (564, "平成27年度より", "start", 2015, None, None, FY),
        (564, "令和4年度から", "start", 2022, None, None, FY),
    ],
    567: [(569, "(令和4年7月～)", "start", 2022, 7, None, M)],
    576: [(582, "令和3年度まで", "end", 2021, None, None, FY), (585, "令和4年度から", "start", 2022, None, None, FY)],
}


def _date_row(d):
    return (d.span.start, d.raw, d.role, d.year, d.month, d.day, d.precision)


def test_every_date_with_its_role(records, lines):
    """All dates of all 47 initiatives, since included; nothing more, nothing less."""
    for row in (r for rows in DATES.values() for r in rows):
        assert norm(row[1]) in norm(lines[row[0] - 1]), row
    for i in records.initiatives:
        got = sorted(_date_row(d) for d in [i.since, *i.dates_mentioned] if d)
        assert got == sorted(DATES.get(i.title_span.start, [])), i.title
        if i.since:
            assert i.since.role == "start" and _date_row(i.since) in got
        assert all(d.span.doc == DOC and d.span.start == d.span.end for d in i.dates_mentioned)


def test_date_roles_in_numbers(records):
    roles = Counter(d.role for i in records.initiatives for d in [i.since, *i.dates_mentioned] if d)
    assert roles == {"start": 35, "as-of": 32, "event": 7, "end": 2}


def test_title_drops_only_a_closing_date(by_line):
    assert by_line[33].title.endswith("の設置")
    assert "〔R3～〕" in by_line[41].title  # inside the title: kept
    assert by_line[469].title == "子どもの居場所づくり相談窓口"


# --------------------------------------------------------------------------- blocks and descriptions


def test_spans_and_descriptions(by_line):
    def spans(ln):
        i = by_line[ln]
        d = i.description_span
        return (i.span.start, i.span.end), (d.start, d.end) if d else None

    assert spans(49) == ((49, 51), (51, 51))  # not the rationale 57 nor the caption 61
    assert spans(41) == ((41, 41), None)
    assert spans(520) == ((520, 524), (523, 524))  # a blank + one-space line is no picture gap
    assert spans(478) == ((478, 488), (480, 488))  # ★ outcomes 492-511 belong to the theme
    assert spans(350) == ((350, 409), (364, 409))  # reviewed: Kyoto page title
    assert spans(352) == ((352, 362), (354, 362))
    assert spans(115) == ((115, 137), (117, 137))
    assert spans(435) == ((435, 445), (437, 445))  # runs past the caption 439
    assert spans(590) == ((590, 599), (592, 599))
    assert "LiNK" not in by_line[29].description
    assert by_line[435].description.startswith("自宅からスマートフォンで")
    assert "**" not in by_line[148].description and "職員と子どもが概ね1:1" in by_line[148].description
    assert "](#)" not in by_line[199].description and "横浜市 医療的ケア児 ガイドライン" in by_line[199].description


def test_uncertain_readings(records):
    flagged = {i.title_span.start: i for i in records.initiatives if i.uncertain}
    assert set(flagged) == {267, 350, 352, 469, 478, 590}
    assert all(len(i.notes) >= 1 for i in flagged.values())


# --------------------------------------------------------------------------- reviewed entries fail loudly


def test_reviewed_entries_have_reason_and_lines():
    r = cs.load_reviewed()
    for kind in dataclasses.fields(r):
        for entry in getattr(r, kind.name):
            assert entry["reason"] and entry["lines"], entry


def test_stale_caption_entry_fails(lines):
    r = cs.load_reviewed()
    r.captions.append({"line": 57, "text": "x", "reason": "r", "lines": [57]})
    with pytest.raises(ValueError, match="matches no heading candidate"):
        cs.find_headings(lines, 24, set(HEADED.values()), r)


def test_stale_since_entry_fails(monkeypatch):
    r = cs.load_reviewed()
    r.since.append({"title_line": 139, "raw": "平成28年度より", "line": 141, "reason": "r", "lines": [141]})
    monkeypatch.setattr(cs, "load_reviewed", lambda: r)
    with pytest.raises(ValueError, match="not a start date of that block"):
        cs.extract()


def test_attribution_by_position_alone_fails(monkeypatch):
    """Without the reviewed Kyoto terms the 京都 page has no evidence: extraction must refuse."""
    r = cs.load_reviewed()
    r.evidence = [e for e in r.evidence if e["city"] != "京都市"]
    monkeypatch.setattr(cs, "load_reviewed", lambda: r)
    with pytest.raises(ValueError, match="京都市 attributed by position alone"):
        cs.extract()


def test_toc(lines):
    assert [c for c, _ in cs.read_toc(lines)] == TOC


def test_no_rdflib_import():
    import inspect

    assert "rdflib" not in inspect.getsource(cs)


# --------------------------------------------------------------------------- captions out of descriptions

# title line -> (description span, a caption that sat in the block and must not be in the text)
CAPTIONS_IN_BLOCKS = {
    63: ((65, 67), "「のびすく」でのイベントの様子"),
    73: ((75, 78), "アプリ版「せんだいのびすくナビ」"),
    101: ((103, 111), "導入による効果"),
    148: ((150, 161), "児童養護施設・乳児院職員への処遇改善"),  # the table 158-161 is text, its caption is not
    163: ((165, 174), "「保育・子育て総合支援センター」の役割"),
    180: ((182, 197), "4つの対策の方向性"),
    199: ((201, 214), "常時2名分"),
    220: ((222, 227), "はなたん"),
    267: ((269, 272), "「ママケアデイサービス」の様子"),
    310: ((312, 344), "小学校での子ども向け権利学習の様子"),
    350: ((364, 409), "乳幼児期"),
    435: ((437, 445), "スマートフォンで一貫支援"),
    538: ((540, 542), "きたきゅう子育て応援アプリ"),
    548: ((550, 552), "ミュージアム・ツアーの様子"),
    576: ((578, 580), "熊本大学研究事業"),
}


def test_captions_are_not_in_descriptions(by_line, lines):
    for ln, (span, caption) in CAPTIONS_IN_BLOCKS.items():
        i = by_line[ln]
        assert (i.description_span.start, i.description_span.end) == span, ln
        assert caption not in i.description.split("\n"), (ln, caption)
    descriptions = "\n".join(i.description or "" for i in by_line.values())
    for ln, text in CAPTIONS.items():
        if ln in (205, 360, 362, 580):  # 横浜's search box naming the guideline, 京都 352's box label and
            continue  # slogan, 熊本's 検査率96%: not in the layout note's caption list (H2), kept as text
        assert cs.clean_text(lines[ln - 1]) not in descriptions.split("\n"), (ln, text)
    # the text around the captions stays
    assert (
        "①1・2歳児の受入れ枠確保" in by_line[180].description
        and "保留児童のデータベース化" not in by_line[180].description
    )
    assert by_line[435].description.endswith("ひとり親家庭への自立支援に取り組んでいます。")
    assert "令和3年9月、文部科学省" in by_line[310].description and "相談体制" not in by_line[310].description.split(
        "\n"
    )
    assert by_line[576].description.endswith("検査率96%")


def test_stale_label_entry_fails(monkeypatch):
    r = cs.load_reviewed()
    r.labels.append({"line": 580, "text": "検査率", "reason": "r", "lines": [580]})
    monkeypatch.setattr(cs, "load_reviewed", lambda: r)
    with pytest.raises(ValueError, match="is not the text printed there"):
        cs.extract()


# --------------------------------------------------------------------------- theme text, outcomes, figures


def test_theme_text_is_kept_with_its_items(by_line):
    """岡山's subtitle and partnership (465-467) and 札幌's rationale (57) belong to the theme."""
    for ln in (469, 478):
        i = by_line[ln]
        assert (i.theme_description_span.start, i.theme_description_span.end) == (465, 467)
        assert i.theme_description.startswith("【子どもの居場所づくり促進とおかやま親子応援メール】")
        assert i.theme_description.endswith("(岡山市が社会福祉協議会へ補助 運営は協働)")
    for ln in (45, 49):
        i = by_line[ln]
        assert (i.theme_description_span.start, i.theme_description_span.end) == (57, 57)
        assert i.theme_description.startswith("令和元年6月に発生した虐待死亡事案")
    assert all(i.theme_description is None for ln, i in by_line.items() if ln not in (45, 49, 469, 478))


def test_okayama_outcomes(by_line):
    one, two = by_line[469], by_line[478]
    assert (one.results_span.start, one.results_span.end) == (492, 494)
    assert one.results == "★子ども食堂など子どもの居場所が増えた\nH29年14か所 ⇒ R4年8月47か所"
    assert (two.results_span.start, two.results_span.end) == (496, 511)
    assert two.results.startswith("★困窮世帯に情報が直接届くようになった 登録者 R4年8月3280世帯")
    assert two.results.endswith("R4年8月までに101回、292件配信")
    assert (two.span.start, two.span.end) == (478, 488)  # the block itself is unchanged
    assert all(i.results is None for ln, i in by_line.items() if ln not in (469, 478))


# title line -> [(line, raw, value, unit, qualifier, as-of raw)] read by hand.
FIGURES = {
    101: [
        (106, "48施設", "48", "施設", None, "令和4年9月時点"),
        (106, "104施設", "104", "施設", None, "令和4年9月時点"),
    ],
    148: [(160, "20,000円", "20000", "円", None, None), (160, "82,000円", "82000", "円", None, None)],
    278: [(282, "28組", "28", "組", None, "令和4年5月25日時点")],
    286: [
        (290, "147,305人", "147305", "人", None, "令和3年度"),
        (290, "129,701人", "129701", "人", None, "R2"),
        (290, "185,841人", "185841", "人", None, "R1"),
    ],
    310: [
        (322, "314", "314", "件", None, "令和2年度"),
        (322, "2,242", "2242", "件", None, "令和2年度"),
        (323, "372", "372", "件", None, "令和3年度"),
        (323, "2,498", "2498", "件", None, "令和3年度"),
    ],
    350: [
        (395, "20,900", "20900", "千円", None, "H30"),
        (396, "64,200", "64200", "千円", None, "R1"),
        (397, "102,900", "102900", "千円", None, "R2"),
        (398, "96,039", "96039", "千円", None, "R3"),
        (399, "133,395", "133395", "千円", None, "R4"),
    ],
    469: [(494, "14か所", "14", "か所", None, "H29年"), (494, "47か所", "47", "か所", None, "R4年8月")],
    478: [
        (496, "3280世帯", "3280", "世帯", None, "R4年8月"),
        (509, "約100団体", "100", "団体", "約", None),
        (511, "101回", "101", "回", None, "R4年8月までに"),
        (511, "292件", "292", "件", None, "R4年8月までに"),
    ],
    561: [(563, "75家庭", "75", "家庭", None, None)],
    567: [(570, "約8,000人", "8000", "人", "約", None)],
}


def test_figures(by_line, lines):
    for ln, rows in FIGURES.items():
        got = [
            (f.span.start, f.raw, str(f.value), f.unit, f.qualifier, f.as_of.raw if f.as_of else None)
            for f in by_line[ln].figures
        ]
        assert got == rows, ln
        for f in by_line[ln].figures:
            assert f.raw in lines[f.span.start - 1] and f.item
    assert all(not i.figures for ln, i in by_line.items() if ln not in FIGURES)
    okayama = by_line[469].figures[1]
    assert (okayama.as_of.year, okayama.as_of.month, okayama.as_of.role) == (2022, 8, "as-of")


def test_stale_figure_and_results_entries_fail(monkeypatch):
    r = cs.load_reviewed()
    r.figures.append({"title_line": 478, "line": 496, "raw": "3,280世帯", "item": "x", "reason": "r", "lines": [496]})
    monkeypatch.setattr(cs, "load_reviewed", lambda: r)
    with pytest.raises(ValueError, match="is not printed at line 496"):
        cs.extract()
    r = cs.load_reviewed()
    r.results[0]["range"] = [480, 494]  # reaches into the item's own block
    with pytest.raises(ValueError, match="not floating text of its theme"):
        cs.extract()


def test_stale_component_date_entry_fails(monkeypatch):
    r = cs.load_reviewed()
    r.component_dates.append({"title_line": 449, "raw": "令和4年10月から", "line": 451, "reason": "r", "lines": [451]})
    monkeypatch.setattr(cs, "load_reviewed", lambda: r)
    with pytest.raises(ValueError, match="not a start date of that block"):
        cs.extract()


# --------------------------------------------------------------------------- topics

INFO, MED, FOSTER, PLACES = "child-rearing-information", "medical-care-children", "foster-care", "places-for-children"
DX, ABUSE, CARE, BIRTH = "digital-transformation", "abuse-prevention", "childcare-places", "pregnancy-and-childbirth"
POVERTY, CONSULT = "child-poverty", "consultation"

# Topics of all 47 initiatives, checked by hand against their title, theme, text and outcomes.
TOPICS = {
    29: {INFO, CONSULT, PLACES},  # 子育てサロン, 地域子育て支援拠点 (a parent-child drop-in place)
    33: {INFO, CONSULT},
    37: {INFO, DX},  # AIチャットボット
    41: {INFO, DX},
    45: {ABUSE, CONSULT, DX},  # theme 児童虐待防止の取組; 母子保健情報システム …
    49: {ABUSE, DX, PLACES},  # theme; SNSパトロール; 一時的な居場所の提供
    63: {CONSULT, DX, PLACES},  # 親子の交流広場; オンラインを活用した…相談事業
    73: {INFO, DX},
    86: {CARE, DX},  # AIを活用した入所選考
    101: {CARE},
    115: {CONSULT},  # 学習支援員 (131) is a post, not poverty work
    139: {PLACES},
    148: {FOSTER},  # 保育士 (159) staffs the children's homes: not childcare places
    163: {CARE, CONSULT, MED, PLACES},
    180: {INFO, CARE, MED},  # the caption 保留児童のデータベース化 (189) is not text
    199: {CARE, MED},
    220: {PLACES},
    238: {BIRTH},
    248: {CARE, CONSULT, BIRTH},
    250: {CONSULT, BIRTH},  # 生後4か月; theme 妊娠・出産・育児のための相談体制の充実
    257: {CARE},
    260: {BIRTH},
    267: {CONSULT, BIRTH},  # mothers of babies 生後4か月から1歳; 保育士などの専門職 is staff
    278: {CONSULT, FOSTER},
    286: {CONSULT, PLACES, BIRTH},
    295: {INFO, DX, BIRTH},
    310: {CONSULT},
    350: {CARE, MED},
    352: {CARE},
    413: set(),
    420: {POVERTY},
    427: {INFO},
    435: {POVERTY, CONSULT, DX},  # 児童扶養手当全部支給の世帯; 家計相談; SNSやAI
    449: set(),
    455: {POVERTY},  # 生活が厳しい状況 … 食品等を無料で提供
    469: {POVERTY, CONSULT, PLACES},  # theme 官民連携で進めるこどもの貧困対策
    478: {POVERTY, INFO, PLACES},  # 児童扶養手当・就学援助受給世帯; 情報を配信
    515: {DX},  # theme 子育て支援に係るDXの推進; タブレット
    520: {INFO, CARE, DX, BIRTH},
    526: {CARE, DX},
    530: {CARE, DX},
    538: {INFO, CONSULT, DX, BIRTH},
    548: {PLACES},
    561: {CONSULT, FOSTER},
    567: {POVERTY, DX},  # 生活保護又は児童扶養手当受給世帯; 電子クーポン, システム操作
    576: {BIRTH},  # 新生児
    590: {BIRTH},
}


def test_topics_of_every_initiative(records):
    assert len(TOPICS) == 47
    got = {i.title_span.start: {e.group for e in classify.initiative_topics(i)} for i in records.initiatives}
    assert got == TOPICS


def test_topic_evidence_from_the_theme(by_line):
    ev = {(e.group, e.kind, e.matched) for e in classify.initiative_topics(by_line[45])}
    assert ("abuse-prevention", "theme", "虐待") in ev
    ev = [e for e in classify.initiative_topics(by_line[530]) if e.kind == "theme"]
    assert [(e.group, e.matched, e.span.start) for e in ev] == [("digital-transformation", "DX", 513)]
