"""Extractor for source 003 (第５次熊本市地域福祉計画・熊本市地域福祉活動計画).

Counts and readings come from docs/sources/003-welfare-plan.md; every row of SAMPLE was
checked by hand against data/sources/003_e8762f62a98c9f1c.txt (line numbers are
1-based file lines).
"""

from __future__ import annotations

from collections import Counter

import pytest

from fukushi_kg.graph.extract.welfare_plan import (
    ACTORS,
    Units,
    apply_corrections,
    assign_columns,
    extract,
    find_blocks,
    load_corrections,
    load_units,
)
from fukushi_kg.graph.sources import document

# Short forms used in SAMPLE, in matrix column order.
A = dict(zip(("市", "市社協", "民生", "校区", "団体", "住民"), ACTORS))
ALL_PARTNERS_BUT_CITY = "市社協 民生 校区 団体 住民"
NIKKA = "日常生活圏域（地域包括ケア圏域）"
CHOUNAI = "町内自治会・隣近所"


@pytest.fixture(scope="module")
def records():
    return extract()


@pytest.fixture(scope="module")
def by_line(records):
    return {x.name_span.start: x for x in records.listings}


def actors(text: str) -> list[str]:
    return [A[a] for a in text.split()]


# --------------------------------------------------------------------------- counts


def test_218_entries_in_document_order(records):
    starts = [x.name_span.start for x in records.listings]
    assert len(records.listings) == 218
    assert starts == sorted(starts)


def test_217_distinct_names_high_level_duplicate(records):
    names = Counter(x.name for x in records.listings)
    assert len(names) == 217
    assert [n for n, c in names.items() if c > 1] == ["高齢者権利擁護事業"]


def test_entries_per_initiative(records):
    expected = {
        "1": 14,
        "2": 6,
        "3": 12,
        "4": 14,
        "5": 5,
        "6": 25,
        "7": 14,
        "8": 5,
        "9": 19,
        "10": 41,
        "11": 8,
        "12": 7,
        "13": 17,
        "14": 3,
        "15": 19,
        "16": 9,
    }
    assert Counter(x.component for x in records.listings) == expected
    for code in expected:
        seqs = [x.seq for x in records.listings if x.component == code]
        assert seqs == list(range(1, expected[code] + 1))


def test_hierarchy(records):
    levels = Counter(c.level for c in records.components)
    assert levels == {"basic-policy": 4, "viewpoint": 9, "initiative": 16}
    policies = [(c.code, c.span.start, c.title) for c in records.components if c.level == "basic-policy"]
    assert policies == [
        ("Ⅰ", 1657, "つながり支え合える人づくり"),
        ("Ⅱ", 2463, "参画しやすい仕組みづくり"),
        ("Ⅲ", 3720, "ずっと支え合える体制づくり"),
        ("Ⅳ", 5766, "だれもがつながる地域づくり"),
    ]
    viewpoints = {c.code: (c.parent, c.span.start) for c in records.components if c.level == "viewpoint"}
    assert viewpoints == {
        "Ⅰ-1": ("Ⅰ", 1679),
        "Ⅰ-2": ("Ⅰ", 2175),
        "Ⅱ-1": ("Ⅱ", 2493),
        "Ⅱ-2": ("Ⅱ", 3113),
        "Ⅲ-1": ("Ⅲ", 3751),
        "Ⅲ-2": ("Ⅲ", 4042),
        "Ⅲ-3": ("Ⅲ", 5302),
        "Ⅳ-1": ("Ⅳ", 5794),
        "Ⅳ-2": ("Ⅳ", 6415),
    }
    initiatives = {c.code: (c.parent, c.span.start) for c in records.components if c.level == "initiative"}
    assert initiatives == {
        "1": ("Ⅰ-1", 1685),
        "2": ("Ⅰ-1", 2027),
        "3": ("Ⅰ-2", 2181),
        "4": ("Ⅱ-1", 2499),
        "5": ("Ⅱ-1", 2852),
        "6": ("Ⅱ-2", 3119),
        "7": ("Ⅲ-1", 3757),
        "8": ("Ⅲ-2", 4048),
        "9": ("Ⅲ-2", 4251),
        "10": ("Ⅲ-2", 4620),
        "11": ("Ⅲ-3", 5308),
        "12": ("Ⅲ-3", 5515),
        "13": ("Ⅳ-1", 5800),
        "14": ("Ⅳ-1", 6194),
        "15": ("Ⅳ-2", 6421),
        "16": ("Ⅳ-2", 6918),
    }
    titles = {c.code: c.title for c in records.components if c.level == "initiative"}
    assert titles["1"] == "地域福祉を進めるための情報発信・意識啓発"
    assert titles["8"] == "民生委員・児童委員の活動支援"


def test_policy_targets_value_printed_before_label(records):
    targets = {
        c.code: (c.target, c.target_span.start, c.target_span.end)
        for c in records.components
        if c.level == "basic-policy"
    }
    assert targets == {
        "Ⅰ": ("地域でどんな活動ができるのか分からない方・参加したことがない方など", 1738, 1740),
        "Ⅱ": ("地域活動への参画の意識が高まってきた方・準備をしてきた方など", 2535, 2537),
        "Ⅲ": ("地域活動に参加された方・継続して地域とつながる方など", 3798, 3800),
        "Ⅳ": ("地域と連携できる多様な関係機関・地域で困難な課題を抱える方など", 5845, 5847),
    }


def test_lead_and_partner_totals(records):
    # Exact totals of the reference reading, the six uncertain lines included
    # (they carry the reference's best reading from corrections-003.toml).
    lead = Counter(a for x in records.listings for a in x.lead)
    partners = Counter(a for x in records.listings for a in x.partners)
    assert lead == {A["市"]: 194, A["市社協"]: 19, A["団体"]: 14, A["住民"]: 8, A["民生"]: 3, A["校区"]: 1}
    assert partners == {A["団体"]: 100, A["住民"]: 52, A["民生"]: 36, A["校区"]: 24, A["市社協"]: 23, A["市"]: 14}


def test_entries_without_a_city_mark(records):
    no_city = [x.name_span.start for x in records.listings if A["市"] not in x.lead + x.partners]
    assert no_city == [1900, 1915, 2109, 2124, 2376, 2391, 2755, 2774, 6464, 7057]


def test_unit_totals(records):
    assert Counter(x.unit for x in records.listings) == {
        "市内全域": 149,
        "小学校区": 29,
        CHOUNAI: 19,
        NIKKA: 12,
        "各区": 9,
    }


def test_units_on_following_lines(records):
    mark_lines = {
        2613,
        3214,
        3244,
        3258,
        3285,
        3477,
        3502,
        3526,
        3549,
        3571,
        3880,
        3900,
        3922,
        3940,
        3957,
        4445,
        4808,
        5886,
        6597,
    }
    off_line = {x.marks_span.start for x in records.listings if x.unit_span.start != x.marks_span.start}
    assert off_line == mark_lines


def test_exactly_six_uncertain_lines(records):
    uncertain = sorted(x.marks_span.start for x in records.listings if x.uncertain)
    assert uncertain == [1913, 1928, 2406, 4299, 5666, 7068]
    for x in records.listings:
        if x.uncertain:
            assert any(n.startswith("reviewed") for n in x.notes)


def test_no_divisions_or_self_evaluation(records):
    assert all(x.divisions == [] and x.self_evaluation is None for x in records.listings)


# --------------------------------------------------------------------------- hand-checked sample

# (name line, 取組, name, lead, partners, unit, mark line)
SAMPLE = [
    (1713, "1", "市民活動支援センター事業", "市", "団体 住民", "市内全域", 1734),
    (1799, "1", "熊本市障がい者サポーター制度", "市", "", "市内全域", 1816),
    (1883, "1", "市民企画講座（公民館主催講座）", "住民", "市", "各区", 1898),
    (1900, "1", "ボランティアコーディネータ養成事業", "市社協", "団体 住民", "市内全域", 1913),
    (1915, "1", "ボランティア入門講座事業", "市社協", "団体 住民", "市内全域", 1928),
    (1930, "1", "中期経営計画の策定・推進", "市社協", "市", "市内全域", 1947),
    (2124, "2", "ふくし出前講座", "市社協", "民生 校区 団体 住民", "市内全域", 2137),
    (2265, "3", "市民後見人養成事業", "市", "市社協", "市内全域", 2280),
    (2336, "3", "自主自立のまちづくり推進プロジェクト", "市", "団体", CHOUNAI, 2351),
    (2376, "3", "ボランティア育成事業", "市社協", "団体 住民", "市内全域", 2389),
    (2391, "3", "ボランティアマッチング", "市社協", "団体 住民", "市内全域", 2406),
    (2598, "4", "町内自治会に関する広報", "市", "団体 住民", CHOUNAI, 2613),
    (2647, "4", "ふれあい・いきいきサロンの活動支援", "市 市社協 住民", "民生 校区 団体", "小学校区", 2662),
    (2696, "4", "子育てサークル", "市 民生", "校区 団体", "小学校区", 2705),
    (2707, "4", "認知症高齢者声掛け訓練", "団体", "市 市社協", "小学校区", 2718),
    (3002, "5", "地域介護予防活動支援事業（くまもと元気くらぶ）", "市 住民", "市社協 民生 校区 団体", "小学校区", 3017),
    (3051, "5", "食生活改善推進員養成講座／食生活改善推進員の地区組織活動支援", "団体", "市 民生", "各区", 3070),
    (3072, "5", "8020推進員養成講座／８０２０推進員の地域活動支援", "団体", "市 民生 校区", "各区", 3091),
    (3199, "6", "夢もやい館", "市", "", NIKKA, 3214),
    (3274, "6", "老人憩の家", "市 団体", "", CHOUNAI, 3285),
    (3370, "6", "民間児童館活動事業助成", "市", "民生 団体 住民", "市内全域", 3383),
    (3483, "6", "「あさひばリビング」の設置（秋津まちづくりセンター）", "市", "団体 住民", CHOUNAI, 3502),
    (3531, "6", "地域交流スペースの設置（北部まちづくりセンター）", "市", "団体 住民", CHOUNAI, 3549),
    (3844, "7", "校区社協行動計画の推進", "校区", "市 市社協 民生 団体 住民", "小学校区", 3863),
    (3865, "7", "地域支え合い型通所サービスの運営支援", "市 住民", "民生 校区 団体", NIKKA, 3880),
    (3927, "7", "地域ケア計画", "市", "民生 校区 団体 住民", NIKKA, 3940),
    (3946, "7", "地域ケア会議の推進", "市", ALL_PARTNERS_BUT_CITY, NIKKA, 3957),
    (3962, "7", "子育て支援ネットワーク推進事業", "市", "民生 校区 団体 住民", "小学校区", 3979),
    (4024, "7", "地域福祉推進シンポジウム", "市社協", "市 民生 校区 団体", "市内全域", 4041),
    (4149, "8", "民生委員の活動支援", "市", "民生", "市内全域", 4160),
    (4191, "8", "市、市社会福祉協議会、市民児協三者協議", "市 市社協 民生", "", "市内全域", 4204),
    (4206, "8", "民生委員協力員等による活動支援", "市", "民生", CHOUNAI, 4221),
    (4288, "9", "まちづくり推進事業", "市", "団体", "市内全域", 4299),
    (4349, "9", "熊本各地区保護司会活動支援", "市", ALL_PARTNERS_BUT_CITY, "市内全域", 4366),
    (4383, "9", "校区社会福祉協議会活動支援", "市", "校区", "小学校区", 4396),
    (4398, "9", "高齢者見守り事業", "市 民生", "市社協 校区 団体 住民", "小学校区", 4413),
    (4415, "9", "老人クラブ団体助成", "市", "団体", CHOUNAI, 4428),
    (4430, "9", "生活支援体制整備事業", "市", ALL_PARTNERS_BUT_CITY, NIKKA, 4445),
    (4571, "9", "いきいき市民福祉基金助成事業", "市社協", "市", "市内全域", 4586),
    (4795, "10", "高齢者権利擁護事業", "市", "", NIKKA, 4808),
    (
        4829,
        "10",
        "高齢者ケア付住宅生活援助員派遣事業・安心支援事業・生活援助事業(（特）地域自立生活支援事業（高齢福祉課）)",
        "市",
        "",
        "市内全域",
        4852,
    ),
    (4854, "10", "高齢者権利擁護事業", "市", "", "市内全域", 4865),
    (4958, "10", "障がい者虐待防止センター（障がい者虐待防止対策支援事業）", "市", "", "市内全域", 4977),
    (5009, "10", "ひきこもり支援センター", "市", "民生 団体", "市内全域", 5024),
    (5399, "11", "地域版ハザードマップの作成", "団体 住民", "市", CHOUNAI, 5414),
    (5437, "11", "地域防災リーダーの育成", "市", "", "市内全域", 5450),
    (5562, "12", "災害時外国人支援システム（K-SAFE）", "市", "団体", "市内全域", 5577),
    (5594, "12", "防災基本条例の推進", "市", ALL_PARTNERS_BUT_CITY, "市内全域", 5609),
    (5611, "12", "避難行動要支援者制度", "市 市社協", "民生 校区 団体 住民", "市内全域", 5630),
    (5651, "12", "福祉避難所", "市", "市社協 団体", "小学校区", 5666),
    (5826, "13", "困難な問題を抱える女性支援事業", "市", "民生 団体 住民", "市内全域", 5841),
    (5867, "13", "地域包括支援センター（高齢者支援センターささえりあ）", "市", "", NIKKA, 5886),
    (5921, "13", "熊本市生活自立支援センター／熊本市福祉相談支援センター", "市", "市社協 団体", "市内全域", 5942),
    (5944, "13", "ようこそ赤ちゃんプロジェクト(出産・子育て応援交付金事業)", "市", "", "市内全域", 5963),
    (6118, "13", "コミュニティソーシャルワーカー（CSW)の配置", "市社協", "市 民生 校区 団体 住民", "市内全域", 6141),
    (6234, "14", "孤独・孤立対策", "市", ALL_PARTNERS_BUT_CITY, "市内全域", 6245),
    (6247, "14", "火の国会議", "団体", "市 市社協", "市内全域", 6260),
    (6464, "15", "協働委託（地域委託）の実施", "団体", "", CHOUNAI, 6479),
    (6496, "15", "熊本市社会福祉審議会", "市", "市社協 民生 校区 団体", "市内全域", 6507),
    (6509, "15", "地域協議会", "市 市社協", "団体", "市内全域", 6524),
    (6580, "15", "地域包括ケアシステム推進会議", "市", ALL_PARTNERS_BUT_CITY, NIKKA, 6597),
    (6750, "15", "要保護児童対策地域協議会の運営", "市", "民生 校区 団体 住民", "各区", 6771),
    (7057, "16", "地域生活支援員", "市社協", "", "市内全域", 7068),
]


@pytest.mark.parametrize("line, component, name, lead, partners, unit, mark", SAMPLE, ids=[str(s[0]) for s in SAMPLE])
def test_hand_checked_entry(by_line, line, component, name, lead, partners, unit, mark):
    x = by_line[line]
    assert (x.component, x.name) == (component, name)
    assert x.lead == actors(lead)
    assert x.partners == actors(partners)
    assert x.unit == unit
    assert x.marks_span.start == mark


def test_sample_is_large_and_covers_the_hard_lines():
    marks = {s[6] for s in SAMPLE}
    hard = {1816, 1898, 1947, 2389, 2705, 2718, 3070, 3091, 4204, 4396, 4586, 6260, 6479, 6771}
    all_six = {2662, 3017, 3863, 3957, 4366, 4413, 4445, 5609, 5630, 6141, 6245, 6597}
    five = {2137, 3880, 3940, 3979, 4041, 6507, 6771}
    uncertain = {1913, 1928, 2406, 4299, 5666, 7068}
    assert len(SAMPLE) >= 30
    assert hard | all_six | five | uncertain <= marks


# --------------------------------------------------------------------------- layout hazards


def test_two_title_cells(by_line):
    assert by_line[3051].names == ["食生活改善推進員養成講座", "食生活改善推進員の地区組織活動支援"]
    assert by_line[3072].names == ["8020推進員養成講座", "８０２０推進員の地域活動支援"]
    assert by_line[5921].names == ["熊本市生活自立支援センター", "熊本市福祉相談支援センター"]
    assert (by_line[3051].name_span.start, by_line[3051].name_span.end) == (3051, 3059)
    others = [x for x in by_line.values() if x.names]
    assert len(others) == 3


def test_explicit_break_and_parentheticals_stay_one_name(by_line):
    assert by_line[1915].name == "ボランティア入門講座事業" and by_line[1915].names == []
    assert by_line[1883].name_span.end == 1885
    assert by_line[3483].name_span.end == 3489
    assert by_line[4958].name_span.end == 4964
    assert by_line[6082].name == "発達・就学に関する教育相談事業（教育相談等経費）"
    assert by_line[6099].name == "学校教育に関する相談事業（学校教育コンシェルジュ設置経費）"


def test_seven_line_name(by_line):
    x = by_line[4829]
    assert (x.name_span.start, x.name_span.end) == (4829, 4841)
    assert x.description.startswith("市営団地等の高齢者ケア付住宅への生活援助員の派遣")


def test_letter_spaced_names(by_line):
    assert by_line[5562].name_as_printed == "災害時外国人支援シ ス テ ム （ K-SAFE）"
    assert (by_line[5562].name_span.start, by_line[5562].name_span.end) == (5562, 5566)
    assert by_line[6118].name_as_printed == "コミュニティソーシャ ル ワ ー カ ー（CSW)の配置"
    assert by_line[4556].name == "市LINEを活用した地域活動の情報発信"
    assert by_line[4867].name == "おでかけICカード"


def test_header_anomaly_3545(by_line):
    x = by_line[3531]
    assert (x.marks_span.start, x.unit_span.start, x.unit_span.end) == (3549, 3550, 3552)
    assert x.span.end == 3552


def test_two_line_units(by_line):
    assert (by_line[2598].unit_span.start, by_line[2598].unit_span.end) == (2614, 2616)
    assert (by_line[4795].unit_span.start, by_line[4795].unit_span.end) == (4809, 4811)
    assert by_line[4795].span.end == 4811


def test_the_two_elder_rights_entries_differ(by_line):
    first, second = by_line[4795], by_line[4854]
    assert first.name == second.name == "高齢者権利擁護事業"
    assert "熊本県高齢者・障害者虐待専門職チーム" in first.description
    assert second.description == "高齢者虐待問題に適切に対応することで、高齢者の権利や利益を擁護する。"


def test_short_single_line_description(by_line):
    x = by_line[3147]
    assert x.description == "SNSを活用した公民館活動の情報発信や ICTによる利便性の向上等を図る。"
    assert (x.description_span.start, x.description_span.end) == (3149, 3149)


@pytest.mark.parametrize("line", [1948, 1950, 2434, 2831, 3092, 3697, 4222, 4587, 5324, 5712, 6179, 6875, 7098])
def test_sidebars_are_not_programs(records, line):
    assert not any(x.span.start <= line <= x.span.end for x in records.listings)


@pytest.mark.parametrize(
    "mark_line, next_name_line, next_name",
    [
        (1734, 1743, "出前講座"),  # target box 1738-1740
        (3794, 3814, "町内自治会活動への支援"),  # target box 3798-3800
        (5841, 5850, "権利擁護のための地域連携ネットワーク"),  # target box 5845-5847
        (5414, 5437, "地域防災リーダーの育成"),  # chart data 5416-5434
        (6260, 6299, "アートの力を生かしたまちづくり事業"),  # UCLA table 6262-6296
        (6524, 6557, "生活困窮者関係機関等連絡会議"),  # bars 6526-6554
    ],
)
def test_material_after_mark_lines_is_skipped(records, mark_line, next_name_line, next_name):
    i = next(k for k, x in enumerate(records.listings) if x.marks_span.start == mark_line)
    here, after = records.listings[i], records.listings[i + 1]
    assert here.span.end == mark_line
    assert (after.name_span.start, after.name) == (next_name_line, next_name)


def test_mark_text_is_the_file_line(records):
    lines = document("003").lines()
    for x in records.listings:
        assert x.marks_as_printed == lines[x.marks_span.start - 1]
    assert next(x for x in records.listings if x.marks_span.start == 6479).marks_as_printed.startswith(" " * 8 + "◎")


# --------------------------------------------------------------------------- position model


@pytest.mark.parametrize(
    "line, columns",
    [
        ("◎       ○ ○ 市内全域 ", [0, 4, 5]),  # left-to-right would say 0, 1, 2
        ("◎    ○        市内全域", [0, 2]),
        ("◎    ○   ○   市内全域  ", [0, 2, 4]),  # gap of 3 skips a column here
        ("◎   ○ ○ ○ ○ ○ 市内全域 ", [0, 1, 2, 3, 4, 5]),  # gap of 3 adjacent here
        ("  ◎ ○  ○  ○ ○  市内全域 ", [1, 2, 3, 4, 5]),  # leading spaces: 市 empty
        ("◎ ○ ○ ○ ○   市内全域 ", [0, 1, 2, 3, 4]),  # trailing 3: 地域住民 empty
        (" ○         ◎ 各区 ", [0, 5]),  # single leading space is not an offset
        ("        ◎   町内自治会・隣近所  ", [4]),
        ("◎    ○ ○ ○ ◎ ", [0, 2, 3, 4, 5]),  # unit on the next line, T assumed 13
    ],
)
def test_position_model(line, columns):
    assert assign_columns(line).columns == columns


def test_position_model_reports_ties():
    assert assign_columns("   ◎     ○ ○   市内全域 ").tie
    assert assign_columns("◎        ○  市内全域 ").tie
    assert not assign_columns("◎       ○ ○ 市内全域 ").tie


@pytest.mark.parametrize(
    "line, columns",
    [
        ("○ ◎     市内全域 ", [0, 1]),  # 1947: ◎ at 1.5 of 6; the 1-space gap decides
        ("○  ◎        市内全域 ", [0, 1]),  # 4586: ◎ at 1.5 of 6; the 2-space gap decides
        (" ◎   ○ ○ 市内全域 ", [1, 3, 4]),  # 1928: without adjacency the pair would split 3/5
    ],
)
def test_adjacency_rule_settles_half_way_marks(line, columns):
    reading = assign_columns(line)
    assert reading.columns == columns
    assert not reading.tie or line.startswith(" ◎")


def test_corrections_fail_loudly_when_nothing_matches(records):
    bogus = {"name_line": 1713, "name": "存在しない事業", "lead": ["city"], "reason": "x", "lines": [1713]}
    with pytest.raises(ValueError, match="no entry"):
        apply_corrections(records.listings, [bogus])


def test_check_corrections_fail_when_the_model_disagrees(records):
    listings = extract().listings
    wrong = {
        "name_line": 1713,
        "name": "市民活動支援センター事業",
        "check": True,
        "lead": ["city"],
        "partners": ["city-cswc"],
        "reason": "x",
        "lines": [1734],
    }
    with pytest.raises(ValueError, match="model reads"):
        apply_corrections(listings, [wrong])


def test_corrections_file_is_loaded():
    entries = load_corrections()
    assert {e["mark_line"] for e in entries if e.get("uncertain")} == {1913, 1928, 2406, 4299, 5666, 7068}


# --------------------------------------------------------------------------- indicators


def test_policy_indicators(records):
    policy = [i for i in records.indicators if i.component]
    assert [(i.key, i.component) for i in policy] == [
        ("I-1", "Ⅰ"),
        ("I-2", "Ⅰ"),
        ("I-3", "Ⅰ"),
        ("II-1", "Ⅱ"),
        ("II-2", "Ⅱ"),
        ("III-1", "Ⅲ"),
        ("III-2", "Ⅲ"),
        ("IV-1", "Ⅳ"),
        ("IV-2", "Ⅳ"),
        ("IV-3", "Ⅳ"),
    ]
    for i in policy:
        assert [(o.year, o.kind) for o in i.observations] == [
            (2023, "baseline"),
            (2027, "interim-target"),
            (2031, "target"),
        ]
    values = {i.key: ([o.value for o in i.observations], i.unit) for i in policy}
    assert values == {
        "I-1": ([86.4, 90.0, 95.0], "%"),
        "I-2": ([402, 550, 750], "人"),
        "I-3": ([2465, 2700, 3000], "人"),
        "II-1": ([811, 903, 1011], "箇所"),
        "II-2": ([36.5, 42.3, 46.7], "%"),
        "III-1": ([89.5, 100, 100], "%"),
        "III-2": ([43.5, 54.9, 70.0], "%"),
        "IV-1": ([1336, 1621, 2000], "件"),
        "IV-2": ([49.9, 55.0, 60.0], "%"),
        "IV-3": ([37.4, 32.1, 25.0], "%"),
    }


def test_indicator_names_and_same_line_values(records):
    ind = {i.key: i for i in records.indicators}
    assert ind["I-3"].name == "ふくし出前講座の受講者数"
    assert (ind["I-3"].span.start, ind["I-3"].observations[0].span.start) == (2432, 2432)
    assert ind["IV-3"].name == "孤独感の程度が高い市民の割合"
    assert ind["IV-3"].observations[0].raw == "３7.４％"
    assert ind["IV-3"].observations[0].span.start == 7094
    assert ind["II-1"].name == "住民主体の高齢者の通いの場（定期的に介護予防活動等を行うための場）の数"
    assert (ind["III-2"].span.start, ind["III-2"].span.end, ind["III-2"].observations[0].span.start) == (
        5704,
        5708,
        5710,
    )


def test_chapter4_indicators(records):
    ch4 = {i.key: i for i in records.indicators if i.component is None}
    assert set(ch4) == {"ch4-1", "ch4-2"}
    one, two = ch4["ch4-1"], ch4["ch4-2"]
    assert (one.name, one.unit, one.calendar_years, one.span.start) == ("成年後見制度利用者数", "件", True, 8336)
    assert [(o.year, o.value) for o in one.observations] == [(2023, 1544), (2031, 1844)]
    assert (two.name, two.calendar_years) == ("市民後見人の対応ケース数", False)
    assert [(o.year, o.value) for o in two.observations] == [(2023, 5), (2031, 20)]


# --------------------------------------------------------------------------- plan and laws


def test_plan(records):
    (plan,) = records.plans
    assert plan.key == "kumamoto-regional-welfare-plan-5"
    assert plan.title == "第５次熊本市地域福祉計画・熊本市地域福祉活動計画"
    assert plan.publishers == ["熊本市", "熊本市社会福祉協議会"]
    assert (plan.period_start, plan.period_end, plan.period_span.start) == (2025, 2031, 119)
    assert [(g, s.start) for g, s in plan.sdg_goals] == [(1, 275), (3, 275), (11, 275), (17, 275)]
    assert [(t, s.start) for t, s in plan.parent_plans] == [("熊本市第８次総合計画", 148)]
    assert plan.principle[0] == "だれもが 自分らしく ずっとつながり支え合える 地域づくり"
    assert plan.principle[1].start == 1581


def test_legal_basis(records):
    basis = [(b.law, b.article, b.span.start, b.span.end, b.role) for b in records.plans[0].legal_basis]
    assert basis == [
        ("social-welfare-act", "107", 136, 136, "legal-basis"),
        ("social-welfare-act", "109", 138, 138, "legal-basis"),
        ("adult-guardianship-promotion-act", None, 240, 242, "legal-basis"),
    ]


def test_law_citations(records):
    cites = {(c.law, c.article, c.span.start) for c in records.laws}
    assert ("disaster-countermeasures-act", None, 69) in cites  # 災害対|策基本法 69/71
    assert ("child-poverty-act", None, 385) in cites  # 子どもの貧困対|策の… 385/387
    assert ("adult-guardianship-promotion-act", None, 7155) in cites
    assert ("adult-guardianship-promotion-act", None, 8290) in cites
    assert ("social-welfare-act", "109", 1262) in cites
    assert ("social-welfare-act", "7-1", 8403) in cites
    assert ("social-welfare-act", "11-7", 8562) in cites
    assert ("child-childcare-support-act", "77-1", 8588) in cites
    assert ("disabled-persons-basic-act", None, 6638) in cites
    assert ("disaster-relief-act", None, 5674) in cites
    split = next(c for c in records.laws if c.span.start == 69)
    assert (split.span.end, split.text) == (71, "災害対策基本法")
    # 社会福祉法人 (l.99) is not a citation of 社会福祉法
    assert "社会福祉法人" in document("003").lines()[98]
    assert not any(c.law == "social-welfare-act" and c.span.start == 99 for c in records.laws)
    # the appended table 別表 of 身体障害者福祉法 (8540) and the council's 運営要綱 (8631)
    assert ("physically-disabled-welfare-act", "annex", 8540) in cites
    assert ("kumamoto-social-welfare-council-guideline", "2", 8631) in cites
    # The layout note's 44 citations (§6), the 3 legal-basis ones (also in Plan.legal_basis) included
    assert len(records.laws) == 44
    assert [(c.law, c.article, c.span.start) for c in records.laws if c.role == "legal-basis"] == [
        ("social-welfare-act", "107", 136),
        ("social-welfare-act", "109", 138),
        ("adult-guardianship-promotion-act", None, 240),
    ]
    # 19 distinct instruments (§6): the child-poverty act's old and new names (385, 387) are
    # one act (平成25年法律第64号) under one IRI here, printed forms kept
    assert len({c.law for c in records.laws}) == 19
    assert {c.text for c in records.laws if c.law == "child-poverty-act"} == {
        "子どもの貧困対策の推進に関する法律",
        "こどもの貧困の解消に向けた対策の推進に関する法律",
    }


def test_targets_are_planned_values_not_measurements(records):
    statuses = {(o.kind, o.status) for i in records.indicators for o in i.observations}
    assert {s for k, s in statuses if k in ("target", "interim-target")} == {"planned"}
    assert {s for k, s in statuses if k in ("baseline", "actual")} == {"measured"}


def test_activity_units_are_the_reviewed_printed_forms(tmp_path):
    """§2 / §11 A5: the printed forms of 主な活動の単位 and how wrapped ones are read come from the
    reviewed [[unit]] entries; a form the review does not list fails the block it is printed in."""
    units = load_units()
    assert units.one_line == {"市内全域", "小学校区", "各区", "町内自治会・隣近所"}
    assert units.wraps == {
        "町内自治会": ("隣近所", "町内自治会・隣近所"),
        "日常生活圏域": ("（地域包括ケア圏域）", "日常生活圏域（地域包括ケア圏域）"),
    }
    lines = document("003").lines()
    with pytest.raises(ValueError, match="unknown unit '各区' at line 1797"):
        find_blocks(lines, Units(units.one_line - {"各区"}, units.wraps))
    half = tmp_path / "corrections.toml"
    half.write_text(
        '[[unit]]\nprinted = "町内自治会"\nnext_line = "隣近所"\nreason = "r"\nlines = [2351]\n', encoding="utf-8"
    )
    with pytest.raises(ValueError, match="needs next_line and unit"):
        load_units(half)
