"""Named queries: their declared columns, and their answers on the seed build."""

from __future__ import annotations

import re

import pytest

from graph.queries import find_query, iter_rows, list_queries, run, QueryError


def test_every_named_query_declares_title_description_and_its_exact_columns(seed_store):
    queries = list_queries()
    assert {"programs", "single-parent-programs", "single-parent-programs-both-plans", "programs-by-division",
            "relisted-programs", "indicators", "plan-foundations"} <= {q.name for q in queries}
    for q in queries:
        assert q.title and q.description, q.name
        variables, _ = run(seed_store, q.text)
        assert tuple(variables) == q.columns, q.name


def test_programs_one_row_per_listing_with_the_contract_columns(seed_store):
    rows = list(iter_rows(seed_store, "programs"))
    assert list(rows[0]) == ["plan", "plan_label", "place", "program", "label", "division", "self_evaluation", "lead", "partners", "line"]
    child = [r for r in rows if r["plan"].endswith("kumamoto-child-future-action-plan")]
    welfare = [r for r in rows if r["plan"].endswith("kumamoto-regional-welfare-plan-5")]
    assert len(child) == 91 and len(welfare) == 218
    grades = [r["self_evaluation"] for r in child]
    assert (grades.count("A"), grades.count("B"), grades.count("C"), grades.count("D"), grades.count("")) == (19, 50, 3, 1, 18)
    assert all(re.fullmatch(r"[1-4]\.[12]\.[1-3]", r["place"]) for r in child)
    assert all(re.fullmatch(r"[ⅠⅡⅢⅣ]-[1-3]/\d{1,2}", r["place"]) for r in welfare)
    assert all(r["lead"] == "" and r["partners"] == "" for r in child)
    assert all(r["division"] == "" and r["self_evaluation"] == "" for r in welfare)
    # hand-checked rows (000 l.1826 / 1831 on p.30; 003 l.1734 and l.2662)
    by_line = {(r["plan"].rsplit("/", 1)[-1], int(r["line"])): r for r in rows}
    assert by_line[("kumamoto-child-future-action-plan", 1826)]["division"] == "こども支援課"
    assert by_line[("kumamoto-child-future-action-plan", 1831)]["division"] == "保育幼稚園課"
    joint = [r for r in child if "|" in r["division"]]
    assert {r["division"] for r in joint} >= {"こども家庭福祉課|各区保健こども課", "健康教育課|指導課"}
    w = [r for r in welfare if r["label"] == "市民活動支援センター事業"][0]
    assert (w["lead"], w["partners"], w["place"]) == ("市", "地域団体等|地域住民", "Ⅰ-1/1")


def test_single_parent_programs_across_both_plans(seed_store):
    rows = list(iter_rows(seed_store, "single-parent-programs"))
    assert list(rows[0]) == ["program", "label", "plans", "plan_count"]
    labels = {r["label"] for r in rows}
    assert {"児童扶養手当給付事業", "ひとり親家庭医療費助成", "養育費相談員設置経費", "母子・父子自立支援プログラム策定事業"} <= labels
    assert "児童手当給付事業" not in labels  # a child allowance for all families, not single parents
    both = {r["label"]: r for r in iter_rows(seed_store, "single-parent-programs-both-plans")}
    assert set(both) == {"ひとり親家庭等日常生活支援事業", "ひとり親家庭高等職業訓練促進資金貸付事業",
                         "助産・母子生活支援施設措置経費", "母子父子寡婦福祉資金貸付金"}
    for r in both.values():
        assert r["plan_count"] == "2"
        assert set(r["plans"].split("|")) == {"熊本市子どもの未来応援アクションプラン", "第５次熊本市地域福祉計画・熊本市地域福祉活動計画"}


def test_relisted_programs_are_the_nine_pairs(seed_store):
    rows = list(iter_rows(seed_store, "relisted-programs"))
    assert len(rows) == 9
    assert all(r["listing_count"] == "2" for r in rows)
    ssw = [r for r in rows if r["label"].startswith("スクールソーシャルワーカー")][0]
    assert ssw["places"] == "1.2.1 (primary)|4.2.1 (relisting)"


def test_programs_by_division_one_row_per_atomic_division(seed_store):
    rows = list(iter_rows(seed_store, "programs-by-division"))
    assert len(rows) == 96  # 91 entries, 5 of them with two divisions
    counts = {}
    for r in rows:
        counts[r["division_label"]] = counts.get(r["division_label"], 0) + 1
    assert counts["こども支援課"] == 18 and counts["こども家庭福祉課"] == 17 and counts["各区保健こども課"] == 4


def test_indicators_keep_not_measured_apart_and_judge_progress(seed_store):
    rows = list(iter_rows(seed_store, "indicators"))
    assert len(rows) == 18
    loneliness = [r for r in rows if r["label"] == "孤独感の程度が高い市民の割合"][0]
    assert (loneliness["baseline"], loneliness["target"], loneliness["target_year"]) == ("37.4", "25", "2031")
    classrooms = [r for r in rows if r["label"].startswith("放課後学習教室")][0]
    assert (classrooms["baseline_year"], classrooms["latest_year"], classrooms["latest"], classrooms["on_track"]) == ("2018", "2023", "10", "yes")
    employment = [r for r in rows if r["label"].startswith("母子・父子自立支援プログラム")][0]
    assert employment["on_track"] == "no"  # 75.2 (H29) -> 63.8 (R5), target 79.0


def test_plan_foundations(seed_store):
    rows = [r for r in iter_rows(seed_store, "plan-foundations") if r["plan"].endswith("welfare-plan-5")]
    laws = {r["resource_label"]: r["egov_law_id"] for r in rows if r["kind"] == "law"}
    assert laws["社会福祉法第107条"] == "326AC0000000045" and laws["社会福祉法第109条"] == "326AC0000000045"
    assert sorted(int(r["resource"].rsplit("/", 1)[-1]) for r in rows if r["kind"] == "sdg") == [1, 3, 11, 17]


def test_unknown_query_names_the_choices():
    with pytest.raises(QueryError, match="programs"):
        find_query("no-such-query")


def test_syntax_error_is_a_query_error(seed_store):
    with pytest.raises(QueryError, match="syntax"):
        run(seed_store, "SELECT WHERE {")
