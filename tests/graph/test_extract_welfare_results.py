"""Extractor for source 001 (熊本市 令和５年度主要事業実績 福祉関係主要事業報告).

Counts come from notes/layout-seed-001-002-004.md §1. Every row of PROGRAMS was read by
hand in data/sources/001_0214611e5282b920.txt (1-based lines, blank lines counted); the
hazard a row exercises is named in its comment (numbers = the note's §1 hazards).
"""

from __future__ import annotations

from collections import Counter

import pytest

from graph.extract import welfare_results as wr
from graph.extract.welfare_results import classify, extract, parse_amount
from graph.sources import document

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

# The note's table: division -> (header line on the page of each of its programs, count).
DIVISIONS = {
    K1: 5, K2: 8, K3: 6, K4: 4, K5: 7, K6: 2, K7: 7, K8: 1,
    K9: 2, K10: 5, K11: 7, K12: 5, K13: 2, K14: 5, K15: 2,
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


@pytest.mark.parametrize("first, last, name, division, amount, amount_line, flags", PROGRAMS,
                         ids=[p[2][:16] for p in PROGRAMS])
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


@pytest.mark.parametrize("name, header", [
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
])
def test_division_header_after_programs_attributed_by_page(by_name, lines, name, header):
    """Hazard 1: the page's header may follow its first programs."""
    r = by_name[name]
    assert r.division_span.start == header
    assert lines[header - 1].strip() == r.division


def test_names_as_printed(by_name):
    """Hazard 2 and 9: fragments joined in reading order, flags and mixed brackets kept."""
    assert by_name["権利擁護のための地域連携ネットワーク経費"].name_as_printed == "権利擁護のための地域連携ネットワーク経費（拡充）"
    assert by_name["児童発達支援センター等機能強化事業"].name_as_printed == "児童発達支援センター等機能強化事業（拡充）"
    assert by_name["こどもの居場所支援整備事業"].name_as_printed == "こどもの居場所支援整備事業(新規)"
    assert by_name["こどもの権利サポートセンター開設準備経費"].name_as_printed == "こどもの権利サポートセンター開設準備経費（新規）"
    assert by_name["里親養育包括支援（フォスタリング)事業"].name_as_printed == "里親養育包括支援（フォスタリング)事業"
    assert by_name["孤独・孤立対策経費"].name_as_printed == "孤独・孤立対策経費"  # the glued 462 is the amount
    assert by_name["こども医療費助成"].name_as_printed == "こども医療費助成（拡充）"


def test_glued_amounts(by_name):
    """Hazard 4: amounts glued to names or descriptions."""
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


def test_only_the_two_inferred_pairings_are_uncertain(results):
    """Hazard 3: 16,908 and 468,220 are stacked (552, 564) above names 592-596 / 594."""
    uncertain = {r.name: (r.amount, r.amount_span.start) for r in results if r.uncertain}
    assert uncertain == {"自立支援・重度化防止の推進": (16908, 552), "老人福祉施設整備費助成": (468220, 564)}
    for r in results:
        if r.uncertain:
            assert any("pairing inferred" in n for n in r.notes)


def test_bundled_sub_amounts(by_name):
    """Hazard 11: amount = the sum; sub_amounts carry the printed ones."""
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
    assert [(s.label, s.amount, s.span.start) for s in r.sub_amounts] == [("【私立】", 610537, 1489), ("【公立】", 161319, 1499)]
    assert r.amount == 771_856
    assert (r.span.start, r.span.end) == (1478, 1499)
    assert sum(bool(x.sub_amounts) for x in by_name.values()) == 2


def test_qualifiers(results):
    assert {r.name: r.qualifiers for r in results if r.qualifiers} == {"こども医療費助成": ["扶助費のみ"]}


def test_relisted_amount(by_name):
    """Hazard 7: （再掲）61,518 is kept as printed, flagged, and noted."""
    r = by_name["里親養育包括支援（フォスタリング)事業"]
    assert (r.amount, r.amount_raw) == (61518, "（再掲）61,518")
    assert any("再掲" in n for n in r.notes)


@pytest.mark.parametrize("name, repeated", [
    ("生活保護適正実施推進経費", "184, 226"),
    ("生活困窮者自立支援事業", "320, 348"),
    ("精神保健研究・啓発事業", "932, 934"),
    ("里親養育包括支援（フォスタリング)事業", "1924, 1934, 1937"),
])
def test_continuation_rows_are_noted_not_counted(by_name, name, repeated):
    """Hazard 6: rows repeated on （つづき） pages are the same program."""
    assert any(f"name repeated at lines {repeated}" in n for n in by_name[name].notes)


def test_no_amount_from_descriptions_or_page_numbers(results):
    """Hazards 5 and 8: 12 (741), 10,683,590千円 (98), 総額9,032千円 (1141), 636,550千円 (1457),
    888，570円 (758), the co-payment table (1168-1380) and metric tables are no amounts."""
    used = {s.span.start for r in results for s in r.sub_amounts} | {r.amount_span.start for r in results}
    assert not used & {741, 98, 1141, 1457, 758, 875, 1825, 783, 302, 1419}
    assert not any(1168 <= n <= 1380 for n in used)
    assert any("page number 12 at line 741" in n for r in results for n in r.notes)


def test_stray_fragment_ignored(results):
    """Hazard 10: の実施 (1462) is no program and no part of a name."""
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
        for raw, line in ([(s.raw, s.span.start) for s in r.sub_amounts] or [(r.amount_raw, r.amount_span.start)]):
            assert raw in lines[line - 1], (r.name, line)
        assert lines[r.division_span.start - 1].strip() == r.division
        for n in (r.name_span.start, r.name_span.end):
            text = lines[n - 1].split()[0] if lines[n - 1].split() else ""
            stripped = text.lstrip("0123456789,")
            assert stripped and stripped[:2] in r.name_as_printed, (r.name, n, text)
        assert r.span.start <= min(r.name_span.start, r.amount_span.start)
        assert r.span.end >= max(r.name_span.end, r.amount_span.end)


# --------------------------------------------------------------------------- small functions


@pytest.mark.parametrize("text, kind", [
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
])
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


@pytest.mark.parametrize("entry, message", [
    ('program = "存在しない事業"\nnote = "x"', "no program"),
    ('program = "保育の実施"\nname_lines = [1462]', "read 'の実施'"),
    ('program = "x"\nname_lines = [1463]', "not a name line"),
    ('program = "x"\nname_lines = [1489]', "not a name line"),  # an amount
    ('program = "保育の実施"', "lacks"),  # no reason / lines
])
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
