"""Tests for graph.extract.case_studies (seed 002, 指定都市市長会 取組事例集, 令和4年11月9日).

Counts come from /work/shared/notes/layout-seed-001-002-004.md §2.  The table HAND below
was written by reading data/sources/002_158c93a8356aeb55.txt line by line (1-based file
lines, blank lines counted): for each of the 47 initiatives its city, title line, title as
printed (markdown and a closing start-date bracket removed), level and start date.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from graph.extract import case_studies as cs
from graph.sources import document
from graph.text import norm

DOC = "designated-cities-child-support-cases-2022"
TOC = ["札幌市", "仙台市", "さいたま市", "千葉市", "川崎市", "横浜市", "相模原市", "新潟市", "静岡市", "浜松市",
       "名古屋市", "京都市", "大阪市", "堺市", "神戸市", "岡山市", "広島市", "北九州市", "福岡市", "熊本市"]

Y, FY, M = "year", "fiscal-year", "month"

# (city, title line, title, level, since as (raw, year, month, precision) or None) - read by hand.
HAND = [
    ("札幌市", 29, "「子育てサロン」による情報発信・相談体制の強化", "item", None),
    ("札幌市", 33, "各行政区に親子が気軽に立ち寄れる相談窓口「こそだてインフォメーション」の設置", "item", ("〔H30～〕", 2018, None, Y)),
    ("札幌市", 37, "子育て情報に特化した「さっぽろ子育て情報サイト」及び「さっぽろ子育てアプリ」による情報発信", "item", ("〔H29～〕", 2017, None, Y)),
    ("札幌市", 41, "SNS(Twitter〔R3～〕、ひとり親家庭向けLINE〔R3～〕)を活用した情報発信", "item", ("〔R3～〕", 2021, None, Y)),
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
    ("名古屋市", 310, "子どもの権利擁護機関 名古屋市子どもの権利相談室「なごもっか」", "heading", ("(令和2年1月開設)", 2020, 1, M)),
    ("京都市", 350, "医療的ケア児への支援体制の構築", "heading", None),
    ("京都市", 352, "保育士配置基準を独自に引き上げ！", "heading", None),
    ("大阪市", 413, "塾代助成事業", "heading", ("平成24年9月に一部行政区で試行実施", 2012, 9, M)),
    ("大阪市", 420, "こどもサポートネット", "heading", None),
    ("堺市", 427, "子育て支援情報発信事業", "heading", None),
    ("堺市", 435, "ひとり親家庭への自立支援施策", "heading", ("本年10月から", 2022, 10, M)),
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
    29: (27, "子育て支援情報の発信"), 33: (27, "子育て支援情報の発信"), 37: (27, "子育て支援情報の発信"),
    41: (27, "子育て支援情報の発信"), 45: (43, "児童虐待防止の取組"), 49: (43, "児童虐待防止の取組"),
    248: (246, "妊娠・出産・育児のための相談体制の充実"), 250: (246, "妊娠・出産・育児のための相談体制の充実"),
    257: (255, "保育・育児サービスの充実"), 260: (255, "保育・育児サービスの充実"),
    469: (463, "官民連携で進めるこどもの貧困対策"), 478: (463, "官民連携で進めるこどもの貧困対策"),
    515: (513, "子育て支援に係るDXの推進"), 520: (513, "子育て支援に係るDXの推進"),
    526: (513, "子育て支援に係るDXの推進"), 530: (513, "子育て支援に係るDXの推進"),
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

HEADED = {"札幌市": 25, "さいたま市": 84, "川崎市": 146, "相模原市": 218, "新潟市": 244, "浜松市": 284,
          "名古屋市": 303, "大阪市": 411, "堺市": 425, "神戸市": 447, "岡山市": 461, "北九州市": 536, "福岡市": 559}

# Image / table captions, box labels and picture labels (§2 hazard 2 and a few more): never titles.
CAPTIONS = {
    55: "こそだてインフォメーション", 61: "夜回りで配布するLiNKカード", 71: "「のびすく」でのイベントの様子",
    82: "アプリ版「せんだいのびすくナビ」", 108: "導入による効果", 156: "児童養護施設・乳児院職員への処遇改善",
    176: "「保育・子育て総合支援センター」の役割", 185: "4つの対策の方向性", 189: "保留児童のデータベース化",
    195: "希望する園の選択に影響を及ぼす要因に踏み込んで詳細に分析", 205: "横浜市 医療的ケア児 ガイドライン 検索",
    216: "常時2名分", 231: "相模原市子育て応援イメージキャラクター", 232: "はなたん", 236: "【屋内施設での開催の様子】",
    276: "「ママケアデイサービス」の様子", 307: "なごもっか マスコットキャラクター", 308: "なごもん",
    314: "相談体制", 319: "相談実績", 330: "普及啓発", 335: "本市の特徴", 340: "令和3年度", 341: "トピック",
    348: "小学校での子ども向け権利学習の様子", 360: "【90人定員の保育所の場合】", 362: "保育士の配置基準は、国基準の1.3倍！！",
    367: "乳幼児期", 374: "学齢期", 439: "スマートフォンで一貫支援", 465: "【子どもの居場所づくり促進とおかやま親子応援メール】",
    546: "きたきゅう子育て応援アプリ", 556: "ミュージアム・ツアーの様子", 580: "検査率96%",
    582: "令和3年度まで", 583: "熊本大学研究事業", 585: "令和4年度から", 586: "独自の公費助成で検査実施",
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
    for city, ln, title, _, since in HAND:
        assert norm(title) in norm(lines[ln - 1]).replace("**", ""), (ln, title)
        if since and since[0] != "本年10月から":
            assert any(since[0] in lines[k - 1] for k in range(ln, ln + 10)), (ln, since)


# --------------------------------------------------------------------------- counts (§2)


def test_counts(records):
    ini = records.initiatives
    assert records.doc == DOC
    assert len(records.cities) == 20
    assert len(ini) == 47
    assert Counter(i.level for i in ini) == {"heading": 31, "item": 16}
    themes = {i.title_span.start for i in ini if i.level == "heading"} | {i.theme_span.start for i in ini if i.theme}
    assert len(themes) == 37
    assert sum(1 for i in ini if i.since) == 21
    assert sum(1 for i in ini if i.uncertain) == 6


def test_per_city_counts(records):
    per = Counter(i.city for i in records.initiatives)
    expected = {c: 2 for c in TOC} | {"札幌市": 6, "新潟市": 4, "広島市": 4, "名古屋市": 1}
    assert dict(per) == expected


def test_single_parent_mentions(records):
    """§2: 5 initiatives mention single parents (ひとり親 / 児童扶養手当) in title or text."""
    hits = [i.title_span.start for i in records.initiatives
            if any(w in (i.title + (i.description or "")) for w in ("ひとり親", "児童扶養手当"))]
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

    §2 speaks of 14 (two per page); with 広島's four items it is 16.
    """
    heads = sorted(HEADED.items(), key=lambda kv: kv[1])
    wrong = [i for i in records.initiatives
             if [c for c, ln in heads if ln < i.title_span.start][-1] != i.city]
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
        (435, "本年10月から", 2022, 10, M),  # relative to 令和4年11月9日
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
    assert dm(101) == [("平成30年度に制度創設", 2018, None, FY)]
    assert dm(561) == [("令和4年度から", 2022, None, FY)]
    assert by_line[350].since is None and [d.year for d in by_line[350].dates_mentioned] == [2022, 2020]
    assert by_line[199].since is None and dm(199) == [("(令和4年9月)", 2022, 9, M)]


def test_count_bracket_is_not_a_date(by_line, lines):
    assert "〔子ども食堂設置数：42箇所〕" in lines[549]
    assert cs.read_dates(lines, 550, 550, document("002")) == []
    assert all("42" not in d.raw for d in by_line[548].dates_mentioned)


def test_state_dates_are_not_starts(lines):
    """時点 / まで / に公表 dates describe states or events, not starts."""
    doc = document("002")
    for ln in (106, 182, 282, 370, 582):
        assert cs.read_dates(lines, ln, ln, doc) == [], ln


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
