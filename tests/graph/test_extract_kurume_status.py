"""Tests for graph.extract.kurume_status (seed 004, 久留米市 基本目標に関する現状報告, FY R3).

Expected values were read by hand from data/sources/004_c8e8016e934c030f.txt (1-based
lines, blank lines counted) and agree with /work/shared/notes/layout-seed-001-002-004.md §3:
3 goals, 12 measures, 6 indicators (goal 3's first split into 小学６年 / 中学３年 series,
so 7 Indicator records), 1 uncertain target.
"""

from __future__ import annotations

import dataclasses

import pytest

from graph.extract import kurume_status as ks
from graph.sources import document

DOC = "kurume-child-plan-status-fy2021"


@pytest.fixture(scope="module")
def lines():
    return document("004").lines()


@pytest.fixture(scope="module")
def records():
    return ks.extract()


@pytest.fixture(scope="module")
def indicators(records):
    return {i.key: i for i in records.indicators}


# ------------------------------------------------------------------------------ plan


def test_plan_is_an_inference(records):
    assert len(records.plans) == 1
    p = records.plans[0]
    assert records.doc == DOC and p.doc == DOC
    assert p.key == "kurume-child-smile-plan-2"
    assert p.title == "第2期くるめ子どもの笑顔プラン"
    assert p.city == "久留米市"
    assert (p.period_start, p.period_end) == (2020, 2024)
    assert (p.span.start, p.span.end) == (6, 6)
    assert p.period_note.startswith("inferred")
    for evidence in ("くるモニ", "l.108-110", "l.268", "l.403", "令和元年度", "令和６年度"):
        assert evidence in p.period_note
    assert p.title_en


def test_plan_evidence_lines(lines):
    assert lines[5].strip() == "基本目標に関する現状報告及び今後の課題・方向性"
    assert lines[73].strip() == "資料２"
    assert "久留米市" in lines[267] and "久留米市子どもの生活実態調査" in lines[402]
    assert "くるモニ" in lines[108]


# ------------------------------------------------------------------------- hierarchy

GOALS = {
    "1": ("安心して生み育てられる環境づくり", 10),
    "2": ("子ども・子育てを支え合う地域づくり", 170),
    "3": ("子どもの健やかな育ちを保障できる社会づくり", 306),
}

MEASURES = {
    "1.1": ("妊娠・出産に対する支援", 32),
    "1.2": ("切れ目のない子育て支援サービスの充実", 52),
    "1.3": ("教育・保育サービスの充実", 118),
    "1.4": ("子育てに関わる経済的負担の軽減", 128),
    "2.1": ("地域で子育てを支え合う活動の促進", 234),
    "2.2": ("地域での交流の場や居場所づくりの推進", 246),
    "2.3": ("子育てと仕事の両立の促進", 254),
    "2.4": ("結婚や子育てに関する啓発の強化", 266),
    "3.1": ("きめ細かな配慮を必要とする子育て家庭への支援", 336),
    "3.2": ("子どもの貧困対策の推進", 346),
    "3.3": ("児童虐待の防止", 360),
    "3.4": ("困りごとを抱える子どもへの支援", 372),
}


def test_counts(records):
    levels = [c.level for c in records.components]
    assert levels.count("goal") == 3
    assert levels.count("measure") == 12
    assert len(records.components) == 15
    assert len(records.indicators) == 7  # 6 indicators, one of them in two series
    assert len({i.name for i in records.indicators}) == 6
    assert records.listings == [] and records.results == []


def test_goals(records, lines):
    goals = {c.code: c for c in records.components if c.level == "goal"}
    assert set(goals) == set(GOALS)
    for code, (title, ln) in GOALS.items():
        g = goals[code]
        assert (g.title, g.span.start, g.span.end, g.parent, g.plan) == (title, ln, ln, None, "kurume-child-smile-plan-2")
        assert g.heading == lines[ln - 1].strip()


def test_goal_1_stray_space_and_nitsuite(records):
    g1 = next(c for c in records.components if c.code == "1")
    assert g1.heading == "１ 【基本目標１】安心して生み 育てられる環境づくりについて"
    assert " " not in g1.title and not g1.title.endswith("について")


def test_measures(records, lines):
    measures = {c.code: c for c in records.components if c.level == "measure"}
    assert list(measures) == list(MEASURES)
    for code, (title, ln) in MEASURES.items():
        m = measures[code]
        assert m.title == title, code
        assert (m.span.start, m.span.end) == (ln, ln), code
        assert m.parent == code.split(".")[0]
        assert "①②③④"[int(code[-1]) - 1] + title == lines[ln - 1].strip()


# ------------------------------------------------------------------------ indicators

# key -> (goal, name, name lines, series, unit, source, source substring)
META = {
    "goal-1-1": ("1", "子育てしやすいまちと思う人の割合", (105, 106), None, "%", "市政アンケートモニター「くるモニ」による数値"),
    "goal-1-2": ("1", "待機児童数", (112, 112), None, "人", "各年度４月１日時点における待機児童数"),
    "goal-2-1": ("2", "子育て中の人が地域で交流できる場の数", (211, 213), None, "か所", "各年度４月１日時点における設置数"),
    "goal-2-2": ("2", "ワーク・ライフ・バランスの環境整備が進んだと思う人の割合", (219, 222), None, "%",
                 "市政アンケートモニター「くるモニ」による数値"),
    "goal-3-1-elementary": ("3", "自分にはよいところがあると思う児童生徒の割合", (412, 414), "小学６年", "ポイント",
                            "毎年度６月に実施される全国学力・学習状況調査による数値"),
    "goal-3-1-junior-high": ("3", "自分にはよいところがあると思う児童生徒の割合", (412, 414), "中学３年", "ポイント",
                             "毎年度６月に実施される全国学力・学習状況調査による数値"),
    "goal-3-2": ("3", "子どものいる生活困難世帯の割合", (409, 410), None, "%", "子どもの生活実態調査による数値"),
}

M, N, X = "measured", "not-measured", "non-numeric"

# key -> [(year, kind, raw, value, status, first line, last line)], checked by hand
OBS = {
    "goal-1-1": [
        (2019, "baseline", "75.0%", 75.0, M, 87, 87),
        (2020, "actual", "－", None, N, 97, 97),
        (2021, "actual", "71.7%", 71.7, M, 101, 101),
        (2024, "target", "80.0%", 80.0, M, 89, 89),
    ],
    "goal-1-2": [
        (2019, "baseline", "54人", 54.0, M, 91, 91),
        (2020, "actual", "65人", 65.0, M, 99, 99),
        (2021, "actual", "35人", 35.0, M, 103, 103),
        (2024, "target", "0人", 0.0, M, 93, 93),
    ],
    "goal-2-1": [
        (2019, "baseline", "42か所", 42.0, M, 204, 204),
        (2020, "actual", "42か所", 42.0, M, 224, 224),
        (2021, "actual", "42か所", 42.0, M, 224, 224),
        (2024, "target", "58か所", 58.0, M, 206, 206),
    ],
    "goal-2-2": [
        (2019, "baseline", "40.8%", 40.8, M, 200, 200),
        (2020, "actual", "－", None, N, 226, 226),
        (2021, "actual", "43.1%", 43.1, M, 226, 226),
        (2024, "target", "50.0%", 50.0, M, 202, 202),
    ],
    "goal-3-1-elementary": [
        (2019, "baseline", "▲3.8％", -3.8, M, 388, 388),
        (2020, "actual", "－", None, N, 420, 420),
        (2021, "actual", "▲5.9％", -5.9, M, 388, 388),
        (2024, "target", "小中学校ともに全国平均以上", None, X, 396, 397),
    ],
    "goal-3-1-junior-high": [
        (2019, "baseline", "▲6.3％", -6.3, M, 390, 390),
        (2020, "actual", "－", None, N, 420, 420),
        (2021, "actual", "▲5.1％", -5.1, M, 390, 390),
        (2024, "target", "小中学校ともに全国平均以上", None, X, 396, 397),
    ],
    "goal-3-2": [
        (2019, "baseline", "19.6%", 19.6, M, 401, 401),
        (2020, "actual", "－", None, N, 405, 405),
        (2021, "actual", "－", None, N, 405, 405),
        (2024, "target", "▲3.8％", -3.8, M, 399, 399),
    ],
}


def test_indicator_keys_in_goal_order(records):
    assert [i.key for i in records.indicators] == list(META)


@pytest.mark.parametrize("key", list(META))
def test_indicator_metadata(indicators, key):
    goal, name, (a, b), series, unit, source = META[key]
    ind = indicators[key]
    assert ind.plan == "kurume-child-smile-plan-2"
    assert ind.component == goal
    assert ind.name == name
    assert (ind.span.doc, ind.span.start, ind.span.end) == (DOC, a, b)
    assert ind.series == series
    assert ind.unit == unit
    assert ind.source == source
    assert not ind.calendar_years


@pytest.mark.parametrize("key", list(OBS))
def test_indicator_observations(indicators, key):
    got = [(o.year, o.kind, o.raw, o.value, o.status, o.span.start, o.span.end) for o in indicators[key].observations]
    assert got == OBS[key]


@pytest.mark.parametrize("key", list(OBS))
def test_raw_values_are_on_their_lines(indicators, lines, key):
    """Independent of the extractor: each raw value is printed on the line it cites."""
    for o in indicators[key].observations:
        text = "".join(lines[k - 1].strip() for k in range(o.span.start, o.span.end + 1))
        assert o.raw in text, (key, o.year, o.raw, o.span)
        assert o.span.doc == DOC


def test_printed_lines_by_hand(lines):
    """The glued and labelled cells, exactly as printed."""
    assert lines[223] == "42か所42か所"
    assert lines[225] == "43.1%－"
    assert lines[404] == "－ －"
    assert lines[419] == "－"
    assert lines[96] == "－"
    assert lines[387] == "小学６年 ▲3.8％ ▲5.9％"
    assert lines[389] == "中学３年 ▲6.3％ ▲5.1％"
    assert lines[398] == "▲3.8％"
    assert lines[400] == "19.6%"


def test_dash_is_not_zero(records):
    dashes = [o for i in records.indicators for o in i.observations if o.raw == "－"]
    # 97, 226, 405 twice, 420 (shared by the two series)
    assert sorted(o.span.start for o in dashes) == [97, 226, 405, 405, 420, 420]
    assert all(o.value is None and o.status == "not-measured" for o in dashes)
    zero = [o for i in records.indicators for o in i.observations if o.value == 0]
    assert [(o.raw, o.span.start) for o in zero] == [("0人", 93)]


def test_triangle_is_minus(records):
    tri = [(o.raw, o.value) for i in records.indicators for o in i.observations if o.raw.startswith("▲")]
    assert sorted(tri) == sorted([("▲3.8％", -3.8), ("▲5.9％", -5.9), ("▲6.3％", -6.3), ("▲5.1％", -5.1), ("▲3.8％", -3.8)])


def test_reversed_glued_cell_43_1(indicators):
    obs = {o.year: o for o in indicators["goal-2-2"].observations}
    assert obs[2021].raw == "43.1%" and obs[2021].value == 43.1
    assert obs[2020].raw == "－" and obs[2020].value is None


def test_notes(indicators):
    uncertain = [k for k, i in indicators.items() if any(n.startswith("uncertain") for n in i.notes)]
    assert uncertain == ["goal-3-2"]
    assert any("▲3.8％" in n and "l.399" in n for n in indicators["goal-3-2"].notes)
    assert any("81.2%" in n and "76.9%" in n for n in indicators["goal-3-1-elementary"].notes)
    assert any("74.1%" in n and "76.2%" in n for n in indicators["goal-3-1-junior-high"].notes)
    assert any("42か所42か所" in n for n in indicators["goal-2-1"].notes)


def test_header_words_are_not_indicators(records):
    names = {i.name for i in records.indicators}
    assert not names & {"成果指標 評価指標", "成果指標評価指標", "実績 現状値", "基準値", "目標値"}
    assert all("全国" not in (i.series or "") for i in records.indicators)


# --------------------------------------------------------------------- building blocks


def test_split_cells():
    assert ks.split_cells("42か所42か所") == ["42か所", "42か所"]
    assert ks.split_cells("43.1%－") == ["43.1%", "－"]
    assert ks.split_cells("－ －") == ["－", "－"]
    assert ks.split_cells("▲3.8％ ▲5.9％") == ["▲3.8％", "▲5.9％"]


@pytest.mark.parametrize("raw,value,status", [
    ("－", None, "not-measured"),
    ("▲3.8％", -3.8, "measured"),
    ("0人", 0.0, "measured"),
    ("42か所", 42.0, "measured"),
    ("７５．０％", 75.0, "measured"),
    ("小中学校ともに全国平均以上", None, "non-numeric"),
])
def test_observation_values(raw, value, status):
    o = ks.observation(raw, 2019, "baseline", ks.Span(DOC, 1, 1))
    assert (o.value, o.status, o.raw) == (value, status, raw)


def test_table_bounds_and_headers(lines):
    assert ks.table_bounds(lines, 10, 169) == (77, 114)
    assert ks.table_bounds(lines, 170, 305) == (190, 228)
    assert ks.table_bounds(lines, 306, len(lines)) == (378, 422)
    for first in (77, 190, 378):
        assert ks.read_header(lines, first) == {2019: "baseline", 2020: "actual", 2021: "actual", 2024: "target"}


def test_goal_3_table_is_mid_sentence(lines):
    """H1: the table interrupts measure ④'s sentence (…子ども | の様々な困りごと…)."""
    assert lines[375].endswith("子ども")
    assert lines[425].startswith("の様々な困りごと")
    t = ks.read_table(lines, "3", 306, len(lines))
    assert 376 not in t.text_lines and 426 not in t.text_lines
    assert t.values[388].label == "小学６年" and t.values[392].label == "全国（小）"
    assert 403 not in t.text_lines  # the （※） footnote


# ---------------------------------------------------------------- reviewed reading fails loudly


def _with(readings, key, **change):
    return [dataclasses.replace(r, **change) if r.key == key else r for r in readings]


@pytest.fixture
def setup(lines, records):
    return lines, records.components, ks.load_readings()


def test_readings_have_reasons_and_lines(setup):
    for r in setup[2]:
        assert r.reason and r.lines


@pytest.mark.parametrize("key,change,message", [
    ("goal-1-1", {"cells": {"R1": [87, 1], "R6": [89, 0], "R2": [97, 0], "R3": [101, 0]}}, "no value cell"),
    ("goal-1-1", {"cells": {"R1": [91, 0], "R6": [89, 0], "R2": [97, 0], "R3": [101, 0]}}, "is not in %"),
    ("goal-1-2", {"name": "待機児童"}, "reading says"),
    ("goal-1-2", {"cells": {"R1": [91, 0], "R6": [93, 0], "R3": [103, 0]}}, "observations for"),
    ("goal-2-1", {"cells": {"R1": [204, 0], "R6": [206, 0], "R2": [224, 0], "R3": [224, 0]}}, "one cell read for two"),
    ("goal-2-2", {"cells": {"R1": [204, 0], "R6": [202, 0], "R2": [226, 1], "R3": [226, 0]}}, "is not in %"),
    ("goal-2-2", {"cells": {"R1": [200, 0], "R6": [202, 0], "R2": [226, 0], "R4": [226, 1]}}, "not in the header"),
    ("goal-3-2", {"cells": {"R1": [388, 0], "R2": [405, 0], "R3": [405, 1], "R6": [399, 0]}}, "labelled"),
    ("goal-3-2", {"source_lines": [406, 406]}, "reading says"),
    ("goal-3-2", {"source_lines": [406, 406], "source": "子どもの生活実態調査"}, r"text lines \[407\] are read by no"),
    ("goal-3-1-elementary", {"cells": {"R1": [388, 0], "R3": [388, 1], "R2": [405, 0]}}, r"'－' \(l.405\) is read by 2 indicators"),
    ("goal-3-1-elementary", {"name_lines": [411, 414]}, "not text lines"),
])
def test_bad_reading_fails(setup, key, change, message):
    lines, components, readings = setup
    with pytest.raises(ValueError, match=message):
        ks.read_indicators(lines, components, DOC, _with(readings, key, **change))


def test_missing_goal_reading_fails(setup):
    lines, components, readings = setup
    with pytest.raises(ValueError, match=r"cell '54人' \(l.91\) is read by 0 indicators"):
        ks.read_indicators(lines, components, DOC, [r for r in readings if r.key != "goal-1-2"])
    with pytest.raises(ValueError, match="has no reading"):
        ks.read_indicators(lines, components, DOC, [r for r in readings if r.goal != "2"])
    with pytest.raises(ValueError, match="does not have"):
        ks.read_indicators(lines, components, DOC, readings + [dataclasses.replace(readings[0], goal="4")])


def test_changed_heading_fails(lines):
    broken = list(lines)
    broken[127] = " 子育てに関わる経済的負担の軽減 "  # ④ lost
    broken[117] = " ④教育・保育サービスの充実 "  # ③ -> ④: out of order
    with pytest.raises(ValueError, match="not ①"):
        ks.read_components(broken, DOC)
