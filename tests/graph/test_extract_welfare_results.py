"""Extractor for source 001 (熊本市 令和５年度主要事業実績 福祉関係主要事業報告).

Counts come from docs/sources/001-welfare-results.md. Every row of PROGRAMS was read by
hand in data/sources/001_0214611e5282b920.txt (1-based lines, blank lines counted); the
hazard a row exercises is named in its comment (a number N = hazard HN of that file).
"""

from __future__ import annotations

from collections import Counter

import pytest

from fukushi_kg.graph.extract import welfare_results as wr
from fukushi_kg.graph.extract.welfare_results import classify, extract, parse_amount
from fukushi_kg.graph.sources import document

DOC_ID = "kumamoto-welfare-results-fy2023"

K1 = "健康福祉政策課"
K2 = "保護管理援護課"
K3 = "高齢福祉課"
K4 = "介護保険課・介護事業指導課"
K5 = "障がい福祉課"
K6 = "障がい者福祉相談所"
K7 = "こころの健康センター"
K8 = "こどもの権利サポートセンター"
K9 = "こども政策課"
K10 = "こども支援課"
K11 = "保育幼稚園課"
K12 = "こども家庭福祉課"
K13 = "妊娠内密相談センター"
K14 = "こども発達支援センター"
K15 = "児童相談所"
YOGO = "要保護児童対策事業（要保護児童対策地域協議会運営・子どもを守る地域ネットワーク機能強化・オレンジリボンキャンペーン）"

# (first name line, last name line, clean name, division, amount, amount line, flags), all 68, by hand.
# The name lines run from the first to the last line of the name cell, a flag line under it included.
PROGRAMS = [
    (13, 13, "災害時要援護者支援経費", K1, 18954, 13, []),
    (27, 27, "民生委員活動等経費", K1, 148454, 27, []),
    (29, 29, "孤独・孤立対策経費", K1, 462, 29, []),  # 4: 462孤独・孤立対策経費, not a page number
    (68, 72, "校区社協行動計画策定支援経費", K1, 19000, 68, []),  # 2
    (86, 105, "電力・ガス・食料品等価格高騰重点支援給付金給付事業", K1, 11064924, 101, []),  # 2, 3, 8 (98)
    (118, 120, "生活保護法施行事務監査事業", K2, 483, 118, []),  # 2
    (153, 155, "生活保護適正実施推進経費", K2, 17511, 153, []),  # 6: 184/226 repeat it
    (186, 199, "生活保護受給者等就労支援事業", K2, 36113, 205, []),  # 2
    (266, 268, "生活困窮者自立支援事業", K2, 126925, 249, []),  # 3: amount 249 above name 266; 6: 320/348
    (331, 331, "住宅支援給付事業", K2, 3519, 331, []),
    (391, 391, "エアコン設置助成経費", K2, 8063, 391, ["新規"]),  # 4
    (395, 404, "警察との連携協力体制強化事業", K2, 8710, 399, []),
    (418, 420, "生活保護業務支援経費", K2, 8674, 418, ["拡充"]),  # flag on its own line 420
    (428, 437, "地域支え合い型サービスの推進", K3, 15446, 435, []),  # 1: header 441 after it
    (447, 463, "地域包括ケアシステム推進経費", K3, 832868, 461, []),
    (477, 477, "認知症関連事業", K3, 31697, 465, []),  # 4: 31,697 glued to the description
    (479, 479, "介護予防事業の推進", K3, 80495, 487, []),
    (504, 506, "民間活力を活用した健康づくり事業", K3, 37000, 504, ["新規"]),
    (520, 524, "権利擁護のための地域連携ネットワーク経費", K3, 19400, 524, ["拡充"]),  # 2 reversed, 4 glued
    (539, 550, "介護職員処遇改善加算等の取得促進支援事業", K4, 5134, 548, []),  # 3
    (592, 596, "自立支援・重度化防止の推進", K4, 16908, 552, []),  # 2 reversed suffix, 3 inferred
    (594, 594, "老人福祉施設整備費助成", K4, 468220, 564, []),  # 3 inferred
    (598, 606, "地域密着型サービス事業所の指定及び指導", K4, 144, 604, []),  # 2
    (619, 619, "相談支援事業経費", K5, 214154, 619, []),  # 4: 214,154 before the description
    (647, 647, "障害福祉サービス事業", K5, 10313369, 628, []),  # 11: 5 sub-amounts 628-665
    (688, 690, "児童発達支援センター等機能強化事業", K5, 18285, 690, ["拡充"]),  # 2 reversed
    (694, 730, "成年後見制度法人後見支援事業", K5, 28868, 728, []),  # 2: 36 lines apart
    (704, 704, "障がい者理解促進事業", K5, 2207, 704, []),
    (724, 726, "障がい者就労・生活支援センター事業", K5, 15900, 724, []),
    (732, 734, "障がい者差別解消推進経費", K5, 195, 732, []),  # 5: 12 at 741 is the page number
    (749, 762, "障がい程度審査委員会開催経費", K6, 889, 760, []),  # 1; 8: 888，570円 at 758
    (764, 773, "障がい者福祉相談所管理運営経費", K6, 17494, 771, []),  # 1
    (816, 816, "精神保健研究・啓発事業", K7, 651, 816, []),  # 1; 6: 932/934 repeat it
    (834, 834, "精神保健相談支援事業", K7, 6889, 834, []),
    (915, 917, "精神医療審査会等事務経費", K7, 16439, 915, []),
    (928, 930, "ひきこもり地域支援センター事業", K7, 19246, 928, []),  # 2: セン/ター
    (1003, 1012, "依存症支援者等研修事業", K7, 286, 1010, ["新規"]),  # flag line 1012
    (1014, 1014, "社会復帰支援事業", K7, 274, 1018, []),
    (1020, 1033, "地域自殺対策緊急強化事業", K7, 35745, 1031, []),
    (1093, 1094, "こどもの権利サポートセンター開設準備経費", K8, 11376, 1102, ["新規"]),  # 1; 2: セン/ター
    (1115, 1115, "少子化対策推進事業", K9, 4598, 1124, []),  # 1
    (1134, 1146, "こどもの未来応援基金関係経費", K9, 94770, 1144, ["拡充"]),  # 8: 総額9,032千円 at 1141
    (1157, 1166, "こども医療費助成", K10, 2415247, 1164, ["拡充"]),  # qualifier 扶助費のみ (1166)
    (1405, 1405, "病児・病後児保育事業", K10, 100960, 1405, []),  # 4
    (1415, 1415, "こんにちは赤ちゃん事業", K10, 20841, 1423, []),
    (1434, 1434, "産後ケア事業", K10, 46429, 1434, ["拡充"]),
    (1447, 1449, "出産・子育て応援交付金事業", K10, 677539, 1447, []),  # 8: 636,550千円 at 1457
    (1464, 1464, "地域型保育事業の実施", K11, 3083071, 1468, []),  # 1 (header 1505); 10: の実施 1462
    (1470, 1470, "保育士就職支援事業", K11, 4300, 1476, []),
    (1491, 1491, "保育施設の整備", K11, 771856, 1489, []),  # 11: 【私立】610,537 + 【公立】161,319
    (1501, 1501, "保育の実施", K11, 29116098, 1501, []),
    (1518, 1527, "待機児童支援助成事業の実施", K11, 94, 1525, []),
    (1529, 1538, "認可外保育施設の指導監督", K11, 5295, 1536, []),
    (1540, 1548, "地域型保育事業の指導監督", K11, None, 1546, []),  # 7: ー = null
    (1576, 1592, YOGO, K12, 27482, 1587, []),  # 2: parenthetical 1589-1592
    (1605, 1614, "こどもの居場所支援整備事業", K12, 6595, 1610, ["新規"]),  # 9: (新規) half-width
    (1616, 1625, "こどもの権利擁護推進事業", K12, 7778, 1621, ["新規"]),  # 9: (新規) half-width
    (1631, 1640, "ヤングケアラー支援体制強化事業", K12, 3312, 1638, []),
    (1644, 1661, "児童家庭支援センター運営事業", K12, 26760, 1659, []),
    (1672, 1672, "産前・産後母子支援事業", K13, 10400, 1684, []),  # 1 (header 1703)
    (1686, 1699, "妊娠相談支援体制強化事業", K13, 3954, 1697, ["新規"]),  # 1
    (1712, 1724, "発達障がい者支援センター運営事業経費", K14, 33020, 1722, []),  # 1; 2: セン/ター
    (1726, 1742, "ペアレントトレーニング事業", K14, 17960, 1740, []),  # 1
    (1744, 1751, "子育てスマイルサポート事業", K14, 8903, 1749, []),  # 1
    (1753, 1753, "地域療育関連経費", K14, 299, 1761, []),  # 1
    (1771, 1782, "こども発達支援センター運営経費", K14, 29353, 1780, []),
    (1787, 1794, "里親養育包括支援（フォスタリング)事業", K15, 61518, 1792, ["再掲"]),  # 1; 6: p.29; 7: 再掲
    (1804, 1804, "児童相談業務", K15, 3258284, 1809, []),
]

# The layout note's table (§2): division -> (header line on the page of each of its programs, count).
DIVISIONS = {
    K1: 5,
    K2: 8,
    K3: 6,
    K4: 4,
    K5: 7,
    K6: 2,
    K7: 7,
    K8: 1,
    K9: 2,
    K10: 5,
    K11: 7,
    K12: 5,
    K13: 2,
    K14: 5,
    K15: 2,
}


@pytest.fixture(scope="module")
def results():
    return extract().results


@pytest.fixture(scope="module")
def by_name(results):
    return {r.name: r for r in results}


@pytest.fixture(scope="module")
def lines():
    return document("001").lines()


# --------------------------------------------------------------------------- counts


def test_68_programs_in_document_order(results):
    assert len(results) == 68
    assert [r.seq for r in results] == list(range(1, 69))
    starts = [r.name_span.start for r in results]
    assert starts == sorted(starts)
    assert len({r.name for r in results}) == 68  # the （つづき） repeats are not programs


def test_15_divisions_with_the_notes_counts(results):
    assert Counter(r.division for r in results) == DIVISIONS
    assert len({r.division for r in results}) == 15


def test_67_amounts_and_one_null(results):
    nulls = [r for r in results if r.amount is None]
    assert [(r.name, r.amount_raw, r.amount_span.start) for r in nulls] == [("地域型保育事業の指導監督", "ー", 1546)]
    assert sum(r.amount is not None for r in results) == 67


def test_flags(results):
    flags = Counter(f for r in results for f in r.flags)
    assert flags == {"新規": 7, "拡充": 6, "再掲": 1}
    assert all(len(r.flags) <= 1 for r in results)


def test_sums(results):
    assert sum(r.amount or 0 for r in results) == 63_508_087
    assert sum(r.amount or 0 for r in results if "再掲" not in r.flags) == 63_446_569


def test_largest_programs(results):
    top = sorted(results, key=lambda r: -(r.amount or 0))[:6]
    assert [(r.name, r.amount) for r in top] == [
        ("保育の実施", 29_116_098),
        ("電力・ガス・食料品等価格高騰重点支援給付金給付事業", 11_064_924),
        ("障害福祉サービス事業", 10_313_369),
        ("児童相談業務", 3_258_284),
        ("地域型保育事業の実施", 3_083_071),
        ("こども医療費助成", 2_415_247),
    ]


def test_document_fields(results):
    assert {(r.doc, r.fiscal_year, r.unit) for r in results} == {(DOC_ID, 2023, "千円")}
    assert extract().doc == DOC_ID


# --------------------------------------------------------------------------- hand-checked rows


@pytest.mark.parametrize(
    "first, last, name, division, amount, amount_line, flags", PROGRAMS, ids=[p[2][:16] for p in PROGRAMS]
)
def test_program_read_by_hand(by_name, first, last, name, division, amount, amount_line, flags):
    r = by_name[name]
    assert (r.name_span.start, r.name_span.end) == (first, last)
    assert r.division == division
    assert r.amount == amount
    assert r.amount_span.start == amount_line
    assert r.flags == flags


def test_the_hand_table_covers_every_program(results):
    assert [(r.name_span.start, r.name) for r in results] == [(p[0], p[2]) for p in PROGRAMS]


# --------------------------------------------------------------------------- hazards


@pytest.mark.parametrize(
    "name, header",
    [
        ("地域支え合い型サービスの推進", 441),
        ("障がい程度審査委員会開催経費", 777),
        ("障がい者福祉相談所管理運営経費", 777),
        ("精神保健研究・啓発事業", 828),
        ("こどもの権利サポートセンター開設準備経費", 1106),
        ("少子化対策推進事業", 1128),
        ("地域型保育事業の実施", 1505),
        ("保育の実施", 1505),
        ("産前・産後母子支援事業", 1703),
        ("発達障がい者支援センター運営事業経費", 1765),
        ("里親養育包括支援（フォスタリング)事業", 1798),
        ("災害時要援護者支援経費", 7),
        ("校区社協行動計画策定支援経費", 62),
    ],
)
def test_division_header_after_programs_attributed_by_page(by_name, lines, name, header):
    """H1: the page's header may follow its first programs."""
    r = by_name[name]
    assert r.division_span.start == header
    assert lines[header - 1].strip() == r.division


def test_names_as_printed(by_name):
    """H2 and H9: fragments joined in reading order, flags and mixed brackets kept."""
    assert (
        by_name["権利擁護のための地域連携ネットワーク経費"].name_as_printed
        == "権利擁護のための地域連携ネットワーク経費（拡充）"
    )
    assert by_name["児童発達支援センター等機能強化事業"].name_as_printed == "児童発達支援センター等機能強化事業（拡充）"
    assert by_name["こどもの居場所支援整備事業"].name_as_printed == "こどもの居場所支援整備事業(新規)"
    assert (
        by_name["こどもの権利サポートセンター開設準備経費"].name_as_printed
        == "こどもの権利サポートセンター開設準備経費（新規）"
    )
    assert by_name["里親養育包括支援（フォスタリング)事業"].name_as_printed == "里親養育包括支援（フォスタリング)事業"
    assert by_name["孤独・孤立対策経費"].name_as_printed == "孤独・孤立対策経費"  # the glued 462 is the amount
    assert by_name["こども医療費助成"].name_as_printed == "こども医療費助成（拡充）"


def test_glued_amounts(by_name):
    """H4: amounts glued to names or descriptions."""
    for name, raw, line in [
        ("孤独・孤立対策経費", "462", 29),
        ("エアコン設置助成経費", "8,063", 391),
        ("権利擁護のための地域連携ネットワーク経費", "19,400", 524),
        ("病児・病後児保育事業", "100,960", 1405),
        ("認知症関連事業", "31,697", 465),
        ("相談支援事業経費", "214,154", 619),
    ]:
        r = by_name[name]
        assert (r.amount_raw, r.amount_span.start) == (raw, line), name


def test_uncertain_rows_are_the_inferred_pairings_and_the_glued_462(results):
    """H3: 16,908 and 468,220 are stacked (552, 564) above names 592-596 / 594, and the
    5 sub-amounts of 障害福祉サービス事業 (628-665) meet their ○ labels (643-671) by order only;
    H4: 462 (29) has no cell of its own and was once read as a page number (reviewed).
    The other glued amounts, 【私立】/【公立】 and the （再掲） figure are printed with their row."""
    uncertain = {r.name: (r.amount, r.amount_span.start) for r in results if r.uncertain}
    assert uncertain == {
        "孤独・孤立対策経費": (462, 29),
        "自立支援・重度化防止の推進": (16908, 552),
        "老人福祉施設整備費助成": (468220, 564),
        "障害福祉サービス事業": (10313369, 628),
    }
    for r in results:
        if r.uncertain and r.name != "孤独・孤立対策経費":
            assert any("pairing inferred" in n for n in r.notes)
    lonely = next(r for r in results if r.name == "孤独・孤立対策経費")
    assert any("page number" in n and "462" in n for n in lonely.notes)
    sub = next(r for r in results if r.name == "障害福祉サービス事業")
    assert any("628, 649, 651, 653, 665" in n and "643, 655, 657, 661, 671" in n for n in sub.notes)


def test_bundled_sub_amounts(by_name):
    """H11: amount = the sum; sub_amounts carry the printed ones."""
    r = by_name["障害福祉サービス事業"]
    assert [(s.label, s.amount, s.raw, s.span.start) for s in r.sub_amounts] == [
        ("居宅介護給付費（訪問系サービス事業）", 532635, "532,635", 628),
        ("就労継続支援給付費（日中活動系サービス事業）", 4265005, "4,265,005", 649),
        ("施設入所支援給付費（居住系サービス事業）", 1471937, "1,471,937", 651),
        ("共同生活援助給付費", 1845315, "1,845,315", 653),
        ("児童発達支援給付費（障害児通所支援事業）", 2198477, "2,198,477", 665),
    ]
    assert r.amount == sum(s.amount for s in r.sub_amounts) == 10_313_369
    assert (r.amount_span.start, r.amount_span.end) == (628, 665)
    r = by_name["保育施設の整備"]
    assert [(s.label, s.amount, s.span.start) for s in r.sub_amounts] == [
        ("【私立】", 610537, 1489),
        ("【公立】", 161319, 1499),
    ]
    assert r.amount == 771_856
    assert (r.span.start, r.span.end) == (1478, 1499)
    assert sum(bool(x.sub_amounts) for x in by_name.values()) == 2


def test_qualifiers(results):
    """（扶助費のみ） on the marker line 1166; （再掲） printed in the amount cell (1792) qualifies
    the figure, so it is a qualifier as well as the row's flag."""
    assert {r.name: r.qualifiers for r in results if r.qualifiers} == {
        "こども医療費助成": ["扶助費のみ"],
        "里親養育包括支援（フォスタリング)事業": ["再掲"],
    }
    sato = next(r for r in results if r.name.startswith("里親"))
    assert sato.flags == ["再掲"] and sato.amount_raw == "（再掲）61,518"


def test_relisted_amount(by_name):
    """H7: （再掲）61,518 is kept as printed, flagged, and noted."""
    r = by_name["里親養育包括支援（フォスタリング)事業"]
    assert (r.amount, r.amount_raw) == (61518, "（再掲）61,518")
    assert any("再掲" in n for n in r.notes)


@pytest.mark.parametrize(
    "name, repeated",
    [
        ("生活保護適正実施推進経費", "184, 226"),
        ("生活困窮者自立支援事業", "320, 348"),
        ("精神保健研究・啓発事業", "932, 934"),
        ("里親養育包括支援（フォスタリング)事業", "1924, 1934, 1937"),
    ],
)
def test_continuation_rows_are_noted_not_counted(by_name, name, repeated):
    """H6: rows repeated on （つづき） pages are the same program."""
    assert any(f"name repeated at lines {repeated}" in n for n in by_name[name].notes)


def test_no_amount_from_descriptions_or_page_numbers(results):
    """Hazards 5 and 8: 12 (741), 10,683,590千円 (98), 総額9,032千円 (1141), 636,550千円 (1457),
    888，570円 (758), the co-payment table (1168-1380) and metric tables are no amounts."""
    used = {s.span.start for r in results for s in r.sub_amounts} | {r.amount_span.start for r in results}
    assert not used & {741, 98, 1141, 1457, 758, 875, 1825, 783, 302, 1419}
    assert not any(1168 <= n <= 1380 for n in used)
    assert any("page number 12 at line 741" in n for r in results for n in r.notes)


def test_stray_fragment_ignored(results):
    """H10: の実施 (1462) is no program and no part of a name."""
    assert all(not (r.name_span.start <= 1462 <= r.name_span.end) for r in results)
    assert any("の実施" in n and "1462" in n for r in results for n in r.notes)


def test_joint_division_page_is_noted(results):
    joint = [r for r in results if r.division == K4]
    assert [r.name_span.start for r in joint] == [539, 592, 594, 598]
    assert all(any(n.startswith("division by content: probably") for n in r.notes) for r in joint)


def test_spans_point_at_the_printed_text(results, lines):
    """Provenance: the amount line holds the amount as printed; the first and last name
    lines hold text of the name; division_span holds the division."""
    for r in results:
        for raw, line in [(s.raw, s.span.start) for s in r.sub_amounts] or [(r.amount_raw, r.amount_span.start)]:
            assert raw in lines[line - 1], (r.name, line)
        assert lines[r.division_span.start - 1].strip() == r.division
        for n in (r.name_span.start, r.name_span.end):
            text = lines[n - 1].split()[0] if lines[n - 1].split() else ""
            stripped = text.lstrip("0123456789,")
            assert stripped and stripped[:2] in r.name_as_printed, (r.name, n, text)
        assert r.span.start <= min(r.name_span.start, r.amount_span.start)
        assert r.span.end >= max(r.name_span.end, r.amount_span.end)


# --------------------------------------------------------------------------- descriptions (事業内容)

# Every row's 事業内容 as line runs in reading order, read by hand in the source (a run may
# start on the name line, whose text after the name / amount is taken). Metric and count
# tables are no description. (R) = a reviewed entry in corrections-001; the others are the
# page rules. 保育の実施 (1501) prints no description.
DESCRIPTIONS = {
    "災害時要援護者支援経費": [(52, 57)],  # (R) at the foot of page 1, not under the name
    "民生委員活動等経費": [(15, 25)],  # above its name 27, under 災害… 13
    "孤独・孤立対策経費": [(29, 50)],  # after 462 + name on line 29
    "校区社協行動計画策定支援経費": [(74, 82)],  # under the name cell 68/72
    "電力・ガス・食料品等価格高騰重点支援給付金給付事業": [(86, 99)],
    "生活保護法施行事務監査事業": [(122, 124)],  # (R) not the ward table 126-140
    "生活保護適正実施推進経費": [
        (142, 151),
        (157, 167),
        (219, 224),
        (228, 230),
        (182, 182),
        (232, 234),
        (201, 203),
        (207, 213),
    ],  # (R) pages 3-4, numbered items
    "生活保護受給者等就労支援事業": [(188, 197), (215, 217)],  # (R)
    "生活困窮者自立支援事業": [
        (272, 285),
        (247, 247),
        (287, 289),
        (270, 270),
        (243, 243),
        (291, 293),
        (261, 264),
        (257, 259),
        (320, 325),
        (356, 358),
        (310, 318),
        (333, 335),
        (350, 354),
    ],  # (R) pages 5-6 by the numbers １．-４．
    "住宅支援給付事業": [(337, 346)],  # not 【参考】 302-306
    "エアコン設置助成経費": [(385, 389)],  # above the glued name 391
    "警察との連携協力体制強化事業": [(395, 397), (401, 402), (406, 406)],  # (R)
    "生活保護業務支援経費": [(411, 414)],  # (R) between count tables
    "地域支え合い型サービスの推進": [(428, 433)],
    "地域包括ケアシステム推進経費": [(447, 459)],
    "認知症関連事業": [(465, 475)],  # glued to its amount 31,697, above its name 477
    "介護予防事業の推進": [(479, 485)],
    "民間活力を活用した健康づくり事業": [(496, 502)],  # above the name 504
    "権利擁護のための地域連携ネットワーク経費": [(508, 514)],  # above the reversed name 524-520
    "介護職員処遇改善加算等の取得促進支援事業": [(539, 546)],
    "自立支援・重度化防止の推進": [(566, 571)],  # (R)
    "老人福祉施設整備費助成": [(573, 584)],  # (R)
    "地域密着型サービス事業所の指定及び指導": [(598, 602)],
    "相談支援事業経費": [(619, 626)],  # after the amount 214,154 on the name line
    "障害福祉サービス事業": [(630, 645), (655, 663), (667, 671)],  # around its 5 amounts
    "児童発達支援センター等機能強化事業": [(680, 686)],
    "成年後見制度法人後見支援事業": [(706, 715)],  # (R) name 694 / 730
    "障がい者理解促進事業": [(696, 700)],
    "障がい者就労・生活支援センター事業": [(717, 722)],
    "障がい者差別解消推進経費": [(736, 739)],
    "障がい程度審査委員会開催経費": [(749, 758)],
    "障がい者福祉相談所管理運営経費": [(764, 769)],  # not the table 783-811
    "精神保健研究・啓発事業": [(816, 819)],  # not 821-824, nor the tables 836-906 / 940-994
    "精神保健相談支援事業": [(821, 824)],  # a new paragraph with no cell before it
    "精神医療審査会等事務経費": [(919, 921)],
    "ひきこもり地域支援センター事業": [(923, 926)],
    "依存症支援者等研修事業": [(1003, 1008)],  # not the table 1041-1068
    "社会復帰支援事業": [(1014, 1016)],
    "地域自殺対策緊急強化事業": [(1020, 1029)],
    "こどもの権利サポートセンター開設準備経費": [(1096, 1100)],
    "少子化対策推進事業": [(1115, 1122)],
    "こどもの未来応援基金関係経費": [(1134, 1142)],
    "こども医療費助成": [(1157, 1162)],  # not the co-payment table 1168-1380
    "病児・病後児保育事業": [(1391, 1403), (1407, 1413)],  # above and below the glued name 1405
    "こんにちは赤ちゃん事業": [(1415, 1421)],
    "産後ケア事業": [(1434, 1445)],
    "出産・子育て応援交付金事業": [(1451, 1457)],
    "地域型保育事業の実施": [(1464, 1466)],
    "保育士就職支援事業": [(1470, 1474)],
    "保育施設の整備": [(1478, 1487), (1491, 1497)],  # 【私立】 above the name, 【公立】 on it
    "保育の実施": [],
    "待機児童支援助成事業の実施": [(1518, 1523)],
    "認可外保育施設の指導監督": [(1529, 1534)],
    "地域型保育事業の指導監督": [(1540, 1544)],
    YOGO: [(1576, 1585), (1566, 1566), (1557, 1564)],  # (R) (1), (2), (3) printed bottom-up
    "こどもの居場所支援整備事業": [(1605, 1608), (1665, 1667)],  # (R) the figures at the foot of p.25
    "こどもの権利擁護推進事業": [(1616, 1619), (1627, 1629)],  # the bullets after its (新規) 1625
    "ヤングケアラー支援体制強化事業": [(1631, 1636)],
    "児童家庭支援センター運営事業": [(1644, 1657)],
    "産前・産後母子支援事業": [(1672, 1682)],
    "妊娠相談支援体制強化事業": [(1686, 1695)],
    "発達障がい者支援センター運営事業経費": [(1712, 1720)],
    "ペアレントトレーニング事業": [(1726, 1738)],
    "子育てスマイルサポート事業": [(1744, 1747)],
    "地域療育関連経費": [(1753, 1759)],
    "こども発達支援センター運営経費": [(1771, 1778)],
    "里親養育包括支援（フォスタリング)事業": [(1787, 1790)],  # not the tables 1839-1915 / 1926-1935
    "児童相談業務": [(1804, 1807)],  # not the table 1811-1837
}

# (program, the description begins with, ends with, holds), copied by hand from the source.
DESCRIPTION_TEXTS = [
    (
        "災害時要援護者支援経費",
        "避難行動要支援者のうち、「熊本市災害時要",
        "約260人の新規登録につながった。",
        "要介護認定3～5",
    ),
    (
        "民生委員活動等経費",
        "民生委員・児童委員、主任児童委員の欠員補充のため88人",
        "負担軽減に向けた検討・協議を行った。",
        "充足率：89.5％",
    ),
    (
        "孤独・孤立対策経費",
        "孤独・孤立対策を推進するため、NPOが主催",
        "国主催のシンポジウムへの登壇　等",
        "配布数：4500部",
    ),
    (
        "校区社協行動計画策定支援経費",
        "校区社会福祉協議会の行動指針",
        "その後の取組状況の把握・評価を行った。",
        "19校区社協",
    ),
    (
        "電力・ガス・食料品等価格高騰重点支援給付金給付事業",
        "電力・ガス・食料品等の価格高騰に伴う経済",
        "（こども加算含む）",
        "98,519世帯",
    ),
    ("生活保護法施行事務監査事業", "熊本市管内の５福祉事務所に対し", "漏給の防止を図った。", "監査事務"),
    (
        "生活保護適正実施推進経費",
        "１．委託業者による点検審査業務",
        "・新任CWハローワーク研修　　集合研修",
        "４．専門研修等により",
    ),
    ("生活保護受給者等就労支援事業", "・新規支援者：360人", "・新規支援者の就職率：63.6％", "※1２人体制"),
    (
        "生活困窮者自立支援事業",
        "１．委託により、貧困の連鎖を解消する",
        "ホームレス巡回相談業務も含む。",
        "４．熊本市社会福祉協議会への委託により",
    ),
    ("住宅支援給付事業", "離職者であって就労能力及び就労意欲のあ", "支援決定者数：16人", "令和2年度をピークに"),
    (
        "警察との連携協力体制強化事業",
        "被保護者のうち処遇困難ケースへの同行訪",
        "令和５年4月から１人増員し西区へ配置。",
        "※相談員３人体制",
    ),
    (
        "生活保護業務支援経費",
        "生活保護申請者・受給者のうち窮迫し食料の",
        "タブレット端末を配備した。",
        "非常食を購入した",
    ),
    ("認知症関連事業", "認知症疾患医療体制の構築や認知症高齢者", "支援推進員の配置等", "○認知症コールセンターの運営"),
    (
        "民間活力を活用した健康づくり事業",
        "ロアッソ熊本等と連携し",
        "〇同プログラムを使った健康教室の開催等",
        "ロアッソ・ウェルネス・プログラム",
    ),
    (
        "自立支援・重度化防止の推進",
        "・自立支援型ケアプラン作成に向けたリハビリ",
        "の地域ケア会議の実施",
        "ケアプラン点検",
    ),
    (
        "老人福祉施設整備費助成",
        "「熊本市高齢者保健福祉計画・介護保険事業",
        "・小規模多機能型居宅介護　1施設",
        "くまもとはつらつプラン",
    ),
    (
        "相談支援事業経費",
        "障がい者が、自立した日常生活、社会生活を",
        "・支援件数（支援内容別）：46,754件",
        "センター設置数：9か所",
    ),
    (
        "障害福祉サービス事業",
        "障害福祉サービスとして、在宅で必要な介護",
        "○児童発達支援給付費（障害児通所支援事業）",
        "○共同生活援助給付費",
    ),
    ("成年後見制度法人後見支援事業", "成年後見等の業務を適切に行うことができ", "受講者数：3５人", "市民後見人"),
    (
        "障がい者理解促進事業",
        "障がいのある人に対する偏見や差別意識を",
        "・受講者数：1,886人",
        "障がい者サポーター研修：37回開催",
    ),
    ("障がい程度審査委員会開催経費", "身体障害者手帳の認定を行うにあたり", "合計　888，570円", "１０，９７０円"),
    ("精神保健研究・啓発事業", "精神保健及び精神障がいに関する正しい知", "への技術支援を行った。", "普及啓発"),
    ("精神保健相談支援事業", "精神保健及び精神障がい者の福祉に関する", "談を受け付けた。", "こころの健康相談"),
    (
        "病児・病後児保育事業",
        "児童が病気あるいは病気回復期において",
        "○実績 令和5年度延べ利用者数3,501人",
        "平成28年4月から",
    ),
    (
        "保育施設の整備",
        "【私立】\n社会福祉法人等が実施する施設整備",
        "〇西里保育園　外壁その他改修工事　　　　　外",
        "【公立】\n公立保育所の施設整備",
    ),
    (
        YOGO,
        "(1)熊本市要保護児童対策地域協議会（54機関で構成）\n支援対象児童等",
        "児童虐待防止の推進を図った。",
        "(2)熊本市の虐待対応件数\n(3)啓発活動",
    ),
    (
        "こどもの居場所支援整備事業",
        "家庭や学校に居場所がないこどもたちを対",
        "・利用延べ日数　366日",
        "・利用実人数　8人",
    ),
    (
        "こどもの権利擁護推進事業",
        "こどもの権利擁護の推進を目的として",
        "・訪問施設数　4施設",
        "・意見表明件数(延べ件数)　19件",
    ),
    (
        "里親養育包括支援（フォスタリング)事業",
        "里親支援に係る一連の業務（フォスタリング",
        "質の高い里親養育の拡充を図った。",
        "業務委託により",
    ),
    ("児童相談業務", "こどもに関する家庭その他からの相談に応", "に適切な援助を行った。", "個々のこどもや家庭"),
]

#: metric and count tables and chart titles, which belong to no description
TABLE_LINES = {
    *range(126, 141),
    *range(302, 307),
    *range(367, 382),
    408,
    409,
    416,
    422,
    423,
    *range(783, 812),
    *range(836, 907),
    *range(940, 995),
    *range(1041, 1089),
    *range(1168, 1381),
    1594,
    1596,
    *range(1811, 1916),
    *range(1926, 1936),
}


def _runs(r):
    return [(s.start, s.end) for s in r.description_spans]


def test_the_description_table_covers_every_program(results):
    assert [r.name for r in results] == list(DESCRIPTIONS)


@pytest.mark.parametrize("name, runs", DESCRIPTIONS.items(), ids=[n[:16] for n in DESCRIPTIONS])
def test_description_lines_read_by_hand(by_name, name, runs):
    r = by_name[name]
    assert _runs(r) == runs
    if runs:
        assert (r.description_span.start, r.description_span.end) == (min(a for a, _ in runs), max(b for _, b in runs))
        assert r.description
    else:
        assert r.description is None and r.description_span is None


@pytest.mark.parametrize("name, begins, ends, holds", DESCRIPTION_TEXTS, ids=[t[0][:16] for t in DESCRIPTION_TEXTS])
def test_description_text_read_by_hand(by_name, name, begins, ends, holds):
    text = by_name[name].description
    assert text.startswith(begins)
    assert text.endswith(ends)
    assert holds in text


def test_no_table_and_no_name_or_amount_line_in_a_description(results, lines):
    """Metric tables stay out; a description never takes a name, amount or marker line unless
    it reads the text after the name / amount on it; no line goes to two programs."""
    taken = [n for r in results for s in r.description_spans for n in range(s.start, s.end + 1) if lines[n - 1].strip()]
    assert len(taken) == len(set(taken))
    assert not set(taken) & TABLE_LINES
    for r in results:
        cells = {r.name_span.start, r.name_span.end, r.amount_span.start, r.amount_span.end}
        for n in cells & set(taken):
            assert n in (r.name_span.start, r.amount_span.start), (r.name, n)  # a name / amount line with its text
            assert n in [s.start for s in r.description_spans], (r.name, n)  # taken by its own row


def test_description_runs_quote_their_lines(results, lines):
    """Provenance: the last line of every run is in the text, as printed."""
    for r in results:
        for s in r.description_spans:
            assert lines[s.end - 1].strip() in r.description, (r.name, s.end)


def test_description_text_joins_wrapped_lines_and_keeps_items_apart(by_name):
    text = by_name["孤独・孤立対策経費"].description
    assert "NPOが主催する「火の国会議」に毎月参加し" in text  # wrapped at 29/30
    assert "・リーフレット配付\n配布数：4500部\n配布先：庁内課22箇所、孤独・孤立プラットフォーム" in text
    assert "462" not in text and "孤独・孤立対策経費" not in text  # the amount and name of line 29
    assert by_name["精神保健研究・啓発事業"].description.startswith("精神保健及び")  # not 651


def test_without_reviewed_descriptions_the_displaced_texts_go_astray(tmp_path, monkeypatch):
    """The page rules alone read 51 of the 68 rows as in DESCRIPTIONS. They give page 1's
    foot (52-57) to 孤独・孤立対策経費 and 15-25 to 災害時要援護者支援経費; the 12 reviewed
    rows differ, and so do 5 neighbours whose text the reviewed lines leave to them."""
    real = wr.CORRECTIONS.read_text(encoding="utf-8")
    kept = [e for e in real.split("[[entry]]") if "\ndescription = " not in e]
    bare = tmp_path / "corrections-001.toml"
    bare.write_text("[[entry]]".join(kept), encoding="utf-8")
    monkeypatch.setattr(wr, "CORRECTIONS", bare)
    rules = {r.name: _runs(r) for r in extract().results}
    assert rules["災害時要援護者支援経費"] == [(15, 25)]
    assert rules["孤独・孤立対策経費"] == [(29, 57)]
    assert rules["児童家庭支援センター運営事業"] == [(1644, 1657), (1665, 1667)]
    reviewed = {e.split('program = "')[1].split('"')[0] for e in real.split("[[entry]]") if "\ndescription = " in e}
    neighbours = {
        "民生委員活動等経費",
        "孤独・孤立対策経費",
        "住宅支援給付事業",
        "障がい者理解促進事業",
        "児童家庭支援センター運営事業",
    }
    assert len(reviewed) == 12
    assert {name for name, runs in DESCRIPTIONS.items() if rules[name] != runs} == reviewed | neighbours


# --------------------------------------------------------------------------- small functions


@pytest.mark.parametrize(
    "text, kind",
    [
        ("熊本市里親フォーラム 参加人数 295名", "other"),  # metric row, not a head
        ("法定里親研修会　  (新規登録)", "other"),
        ("新規 308", "other"),
        ("8,975件合計", "other"),  # number + unit, not a glued amount
        ("3 件耳鼻科外来相談件数", "other"),
        ("①自立支援プログラム推進（社会参加活動等）", "other"),
        ("12", "amount"),  # shape alone; the page rule drops it
        ("ー", "amount"),
        ("（再掲）61,518", "amount"),
        ("31,697　認知症疾患医療体制の構築や認知症高齢者", "amount"),
        ("462孤独・孤立対策経費 　孤独・孤立対策を推進するため", "head"),
        ("保育施設の整備 【公立】", "head"),
        ("生活困窮者自立支援 ４．熊本市社会福祉協議会への委託により、生", "head"),
        ("所の指定及び指導 　", "fragment"),
        ("（フォスタリング)事業", "fragment"),
        ("（拡充） （扶助費のみ）", "marker"),
        ("(新規)", "marker"),
        ("【私立】", "label"),
        ("令和5年度主要事業実績（つづき）", "boiler"),
        ("実績額事業名 事業内容", "boiler"),
    ],
)
def test_classify(text, kind):
    assert classify(1, text).kind == kind


def test_head_with_amount_and_description():
    it = classify(1, "相談支援事業経費 214,154　障がい者が、自立した日常生活、社会生活を")
    assert (it.kind, it.name, it.amount_raw) == ("head", "相談支援事業経費", "214,154")
    it = classify(1, "生活困窮者自立支援 ４．熊本市社会福祉協議会への委託により、生")
    assert it.amount_raw is None  # a full-width numbered paragraph is no amount


def test_parse_amount():
    assert parse_amount("11,064,924") == 11064924
    assert parse_amount("ー") is None
    assert parse_amount("（再掲）61,518") == 61518


@pytest.mark.parametrize(
    "entry, message",
    [
        ('program = "存在しない事業"\nnote = "x"', "no program"),
        ('program = "保育の実施"\nname_lines = [1462]', "read 'の実施'"),
        ('program = "x"\nname_lines = [1463]', "not a name line"),
        ('program = "x"\nname_lines = [1489]', "not a name line"),  # an amount
        ('program = "保育の実施"', "lacks"),  # no reason / lines
        ('program = "保育の実施"\ndescription = [[1501, 1501]]', "1501 is not description text"),  # name + amount only
        ('program = "保育士就職支援事業"\ndescription = [[1471, 1474]]', "leaves out the text on line 1470"),
        ('program = "民生委員活動等経費"\ndescription = [[52, 53]]', "given twice"),  # 52-57 are reviewed for 災害…
        ('program = "存在しない事業"\ndescription = [[1478, 1479]]', "no program"),
    ],
)
def test_corrections_fail_loudly(tmp_path, monkeypatch, entry, message):
    real = wr.CORRECTIONS.read_text(encoding="utf-8")
    extra = f"\n[[entry]]\n{entry}\n" + ('reason = "test"\nlines = [1]\n' if "lacks" not in message else "")
    bad = tmp_path / "corrections-001.toml"
    bad.write_text(real + extra, encoding="utf-8")
    monkeypatch.setattr(wr, "CORRECTIONS", bad)
    with pytest.raises(ValueError, match=message):
        extract()


def test_without_corrections_the_reversed_rows_break(tmp_path, monkeypatch):
    """The reviewed groupings are needed: without them page 9 cannot be paired."""
    monkeypatch.setattr(wr, "CORRECTIONS", tmp_path / "none.toml")
    with pytest.raises(ValueError):
        extract()
