"""Shared fixtures: a real build of the seed documents (once per session) and tiny records."""

from __future__ import annotations

import pytest

from fukushi_kg.graph.records import Component, DocumentRecords, Indicator, LawRef, Listing, Observation, Plan, Span
from fukushi_kg.graph.sources import document

CHILD = "kumamoto-child-future-action-plan"
WELFARE = "kumamoto-regional-welfare-plan-5"


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """``(dist, report)`` of a full build of data/sources, HermiT included."""
    from fukushi_kg.graph.build import build

    dist = tmp_path_factory.mktemp("dist")
    report = build(dist)
    return dist, report


@pytest.fixture(scope="session")
def seed_store(seed_build):
    from fukushi_kg.graph.store import open_store

    return open_store(seed_build[0])


def _span(doc, a, b=None):
    return Span(doc, a, b or a)


@pytest.fixture
def tiny():
    """Hand-made records of both Kumamoto plans (real line numbers), small enough to reason about."""
    d0, d3 = document("000"), document("003")
    a, b = d0.id, d3.id
    child = DocumentRecords(
        doc=a,
        plans=[
            Plan(
                key=CHILD,
                doc=a,
                title="熊本市子どもの未来応援アクションプラン",
                title_en="Action plan",
                city="熊本市",
                span=_span(a, 16, 20),
            )
        ],
        components=[
            Component(
                CHILD, "goal", "1", "子どもの学力向上と社会を生きる力を育むための支援", "基本目標１．…", _span(a, 54)
            ),
            Component(CHILD, "policy", "1.1", "子どもの学力・意欲向上", "基本施策（1）…", _span(a, 99), parent="1"),
            Component(
                CHILD, "measure", "1.1.1", "確かな学力の向上", "施策①確かな学力の向上", _span(a, 101), parent="1.1"
            ),
            Component(
                CHILD, "goal", "2", "子どもの健やかな心身の育成と保護者の養育環境を支援", "基本目標２．…", _span(a, 938)
            ),
            Component(CHILD, "policy", "2.1", "子どもの生活・発育支援", "基本施策（1）…", _span(a, 987), parent="2"),
            Component(
                CHILD,
                "measure",
                "2.1.3",
                "子どもの居場所づくり",
                "施策③子どもの居場所づくり",
                _span(a, 1393),
                parent="2.1",
            ),
        ],
        listings=[
            Listing(
                CHILD,
                "1.1.1",
                1,
                "こどもの学習支援事業",
                "こどもの学習支援事業（再2.1.3）",
                _span(a, 128),
                _span(a, 103, 160),
                divisions=["こども支援課"],
                self_evaluation="B",
                relisted_at=["2.1.3"],
                relisting_role="primary",
                description="ひとり親家庭等の子どもに学習支援を行う",
                description_span=_span(a, 141),
            ),
            Listing(
                CHILD,
                "2.1.3",
                1,
                "こどもの学習支援事業",
                "こどもの学習支援事業（再1.1.1）",
                _span(a, 1505),
                _span(a, 1505, 1525),
                divisions=["こども支援課"],
                relisted_at=["1.1.1"],
                relisting_role="relisting",
            ),
        ],
        indicators=[
            Indicator(
                CHILD,
                "plan-elementary",
                "将来の夢や目標を持っている",
                _span(a, 40, 44),
                unit="%",
                series="小学生",
                observations=[
                    Observation(2018, "baseline", 84.4, "84.4％", _span(a, 30)),
                    Observation(2020, "actual", None, "－", _span(a, 30), status="not-measured"),
                    Observation(2023, "actual", 80.8, "80.8％", _span(a, 30)),
                    Observation(2024, "target", 86.9, "86.9％", _span(a, 30)),
                ],
            ),
        ],
    )
    welfare = DocumentRecords(
        doc=b,
        plans=[
            Plan(
                key=WELFARE,
                doc=b,
                title="第５次熊本市地域福祉計画・熊本市地域福祉活動計画",
                title_en="5th plan",
                city="熊本市",
                span=_span(b, 89),
                period_start=2025,
                period_end=2031,
                legal_basis=[LawRef("social-welfare-act", "107", "社会福祉法第１０７条", _span(b, 136), "legal-basis")],
                sdg_goals=[(1, _span(b, 275)), (17, _span(b, 275))],
            )
        ],
        components=[
            Component(WELFARE, "basic-policy", "Ⅰ", "つながり支え合える人づくり", "基本方針Ⅰ …", _span(b, 1657)),
            Component(
                WELFARE, "viewpoint", "Ⅰ-1", "地域福祉に関心を持ち", "取組の視点 Ⅰ-1", _span(b, 1679), parent="Ⅰ"
            ),
            Component(
                WELFARE,
                "initiative",
                "1",
                "地域福祉を進めるための情報発信・意識啓発",
                "【取組１】…",
                _span(b, 1685),
                parent="Ⅰ-1",
            ),
        ],
        listings=[
            Listing(
                WELFARE,
                "1",
                1,
                "こどもの学習支援経費",
                "こどもの学習支援経費",
                _span(b, 1769, 1771),
                _span(b, 1769, 1782),
                lead=["city"],
                partners=["community-groups", "residents"],
                unit="市内全域",
                marks_as_printed="◎       ○ ○  市内全域",
                marks_span=_span(b, 1782),
            ),
        ],
    )
    return [(d0, child), (d3, welfare)]


# --- skips are reported, and refused where everything can be installed ------------------------
# `make test` sets FUKUSHI_KG_NO_SKIPS=1 when it runs as root (scripts/install-test-deps then
# installs every Debian package the tests use), so a skip there is a failure of the set-up, not
# something to read past in the summary.
_skipped: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        _skipped.append(f"{report.nodeid}: {reason}")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    terminalreporter.write_sep("-", f"fukushi-kg: {len(_skipped)} test(s) skipped")
    for line in _skipped:
        terminalreporter.write_line(f"  skipped {line}")


def pytest_sessionfinish(session, exitstatus):
    import os

    if _skipped and os.environ.get("FUKUSHI_KG_NO_SKIPS") == "1" and exitstatus == 0:
        session.exitstatus = 1
        print(f"\nfukushi-kg: {len(_skipped)} skipped test(s) where none may skip (FUKUSHI_KG_NO_SKIPS=1)")
