"""The reviewed plan records (data/reviewed/plans.toml, read by graph/extract/plans.py).

A plan's name, key, city, publishers and, where the text cannot say, its period are reviewed
readings with a reason and lines; the extractors build their Plan from them and fail when the
lines a record rests on no longer print what it expects.
"""

from __future__ import annotations

import pytest

from fukushi_kg.graph.extract import child_plan, kurume_status
from fukushi_kg.graph.extract.plans import PLANS, load_plan
from fukushi_kg.graph.records import Span
from fukushi_kg.graph.sources import document


@pytest.mark.parametrize("source", ["000", "003", "004"])
def test_each_plan_source_has_one_reviewed_record_that_still_matches(source):
    plan = load_plan(source)
    assert plan.reason and plan.lines and plan.key and plan.title and plan.title_en and plan.city
    lines = document(source).lines()
    assert all(1 <= ln <= len(lines) for ln in plan.lines)
    plan.check(lines)


def test_the_extracted_plans_are_the_reviewed_records():
    lines = document("000").lines()
    p = child_plan.read_plan(lines, "doc-000")
    assert (p.key, p.title, p.city, p.adopted) == (
        "kumamoto-child-future-action-plan",
        "熊本市子どもの未来応援アクションプラン",
        "熊本市",
        "2019-01",
    )
    assert p.span == Span("doc-000", 16, 20) and p.period_start is None and "uncertain" in p.period_note
    assert p.parent_plans == [("熊本市子ども輝き未来プラン", Span("doc-000", 16, 20))]
    k = kurume_status.read_plan(document("004").lines(), "doc-004")
    assert (k.key, k.period_start, k.period_end, k.span) == (
        "kurume-child-smile-plan-2",
        2020,
        2024,
        Span("doc-004", 6, 6),
    )
    assert k.period_note.startswith("inferred")


def test_a_record_whose_lines_changed_fails():
    plan = load_plan("004")
    lines = list(document("004").lines())
    lines[107] = "（別の文書）"
    with pytest.raises(ValueError, match=r"l\.108-108 no longer print '市政アンケートモニ'"):
        plan.check(lines)


def test_a_field_both_reviewed_and_read_is_refused():
    plan = load_plan("000")
    with pytest.raises(ValueError, match="sets span"):
        plan.record("doc", span=Span("doc", 1, 1))


@pytest.mark.parametrize(
    "text, message",
    [
        (None, "is missing"),
        (
            '[[plan]]\nsource = "001"\nkey = "k"\ntitle = "t"\ntitle_en = "t"\ncity = "c"\nreason = "r"\nlines = [1]\n',
            "0 \\[\\[plan\\]\\] entries for source 000",
        ),
        ('[[plan]]\nsource = "000"\nkey = "k"\ntitle = "t"\ntitle_en = "t"\ncity = "c"\nlines = [1]\n', "lacks reason"),
        (
            '[[plan]]\nsource = "000"\nkey = "k"\ntitle = "t"\ntitle_en = "t"\ncity = "c"\nreason = "r"\nlines = [1]\nperiod = 7\n',
            "unknown keys period",
        ),
        (
            '[[plan]]\nsource = "000"\nkey = "k"\ntitle = "t"\ntitle_en = "t"\ncity = "c"\nreason = "r"\nlines = [1]\nchecks = [{ lines = [1], text = "x" }]\n',
            "a check needs",
        ),
    ],
)
def test_a_broken_plans_file_is_an_error_a_person_can_act_on(tmp_path, text, message):
    path = tmp_path / PLANS.name
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_plan("000", path)
