"""``fukushi-kg diff``: what changed for a reader, on real tables edited in a temporary copy.

Each test edits the committed tables the way a person would (a grade, a division, a row removed
or added, an amount, an indicator value) and runs the real command, which reads both sides
through the graph (tables -> records -> RDF, or a build's N-Quads dump).
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

from fukushi_kg import cli
from fukushi_kg.resources import PLANS

CHILD_REPORT = "kumamoto-child-plan-report-fy2023"
RESULTS = "kumamoto-welfare-results-fy2023"
KURUME = "kurume-child-plan-status-fy2021"
ROOT = Path(__file__).resolve().parents[2]


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def _set(path: Path, row: int, values: dict[str, str]) -> None:
    rows = _rows(path)
    for column, value in values.items():
        rows[row - 1][rows[0].index(column)] = value
    _write(path, rows)


def edited_copy(tmp_path: Path) -> tuple[Path, Path]:
    """Two plan folders: the committed tables of three documents, and the same with edits."""
    old, new = tmp_path / "old", tmp_path / "new"
    for doc in (CHILD_REPORT, RESULTS, KURUME):
        shutil.copytree(PLANS / doc, old / doc)
        shutil.copytree(PLANS / doc, new / doc)
    listings = new / CHILD_REPORT / "listings.csv"
    _set(listings, 8, {"self_evaluation": "A"})  # 総合型地域スポーツクラブ推進経費: B -> A
    _set(
        listings,
        29,
        {"divisions": "児童相談所|こども家庭福祉課", "division_as_printed": "児童相談所、こども家庭福祉課"},
    )
    rows = _rows(listings)
    header = rows[0]
    added = list(rows[24])  # 2.1.1/5 フッ化物塗布事業, copied as a new listing 2.1.1/8
    added[header.index("seq")] = "8"
    added[header.index("name")] = added[header.index("name_as_printed")] = "テスト用の新しい事業"
    removed = rows.pop(4)  # 1.1.2/1 学校・地域連携推進事業 (no row of another table refers to it)
    assert removed[header.index("name")] == "学校・地域連携推進事業"
    _write(listings, [*rows, added])
    _set(new / RESULTS / "results.csv", 3, {"amount": "150000", "amount_raw": "150,000"})  # 民生委員活動等経費
    observations = new / KURUME / "observations.csv"
    assert _rows(observations)[1][_rows(observations)[0].index("raw")] == "75.0%"
    _set(observations, 2, {"value": "76.5", "raw": "76.5%"})  # goal-1-1 baseline 2019
    return old, new


def run_diff(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["diff", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_changes_a_reader_sees_as_json(tmp_path, capsys):
    old, new = edited_copy(tmp_path)
    code, out, err = run_diff(capsys, str(old), str(new), "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    listings = result["listings"]
    assert [(x["program"], x["place"]) for x in listings["added"]] == [("テスト用の新しい事業", "2.1.1")]
    assert [(x["program"], x["place"], x["self_evaluation"]) for x in listings["removed"]] == [
        ("学校・地域連携推進事業", "1.1.2", "B")
    ]
    changed = {x["program"]: x["changes"] for x in listings["changed"]}
    assert changed == {
        "総合型地域スポーツクラブ推進経費": {"self_evaluation": {"old": "B", "new": "A"}},
        "身元保証人確保対策事業": {
            "divisions": {"old": "児童相談所", "new": "こども家庭福祉課|児童相談所"},
            "divisions_as_printed": {"old": "児童相談所", "new": "児童相談所、こども家庭福祉課"},
        },
    }
    assert [x["program"] for x in result["programs"]["added"]] == ["テスト用の新しい事業"]
    assert [x["program"] for x in result["programs"]["removed"]] == ["学校・地域連携推進事業"]
    assert [(x["program"], x["changes"]) for x in result["results"]["changed"]] == [
        ("民生委員活動等経費", {"amount": {"old": "148,454 千円", "new": "150,000 千円"}})
    ]
    assert [(x["year"], x["kind"], x["changes"]) for x in result["indicators"]["changed"]] == [
        (
            "2019",
            "baseline",
            {"value": {"old": "75", "new": "76.5"}, "as_printed": {"old": "75.0%", "new": "76.5%"}},
        )
    ]
    assert result["summary"]["listings"] == {"added": 1, "removed": 1, "changed": 2}
    assert not result["results"]["added"] and not result["indicators"]["removed"]


def test_the_text_is_a_pull_request_description(tmp_path, capsys):
    old, new = edited_copy(tmp_path)
    code, out, _ = run_diff(capsys, str(old), str(new), "--exit-code")
    assert code == 1  # --exit-code: they differ
    assert out.startswith(f"## Changes for readers: {old} → {new}\n")
    assert "Listings / 掲載: +1 −1 ~2" in out
    assert (
        "- ~ 総合型地域スポーツクラブ推進経費 — 熊本市子どもの未来応援アクションプラン 1.1.2: self-evaluation B → A"
        in out
    )
    assert "- − 学校・地域連携推進事業 — 熊本市子どもの未来応援アクションプラン 1.1.2 (self-evaluation B)" in out
    assert (
        "- ~ 民生委員活動等経費 — 令和５年度主要事業実績 福祉関係主要事業報告 FY2023: amount 148,454 千円 → 150,000 千円"
        in out
    )


def test_a_build_and_the_tables_it_was_built_from_do_not_differ(seed_build, tmp_path, capsys):
    dist, _ = seed_build
    code, out, err = run_diff(capsys, str(dist), str(PLANS), "--exit-code")
    assert code == 0, out + err  # --exit-code: nothing differs
    assert "No change a reader would see" in out
    old, new = edited_copy(tmp_path)
    code, out, _ = run_diff(capsys, str(dist), str(new), "--format", "json")
    assert json.loads(out)["summary"]["listings"] == {"added": 1, "removed": 1, "changed": 2}


def test_two_git_revisions_of_the_tables(tmp_path):
    repo = tmp_path / "repo"
    plans = repo / "plans"
    shutil.copytree(PLANS / CHILD_REPORT, plans / CHILD_REPORT)

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "tables")
    _set(plans / CHILD_REPORT / "listings.csv", 8, {"self_evaluation": "C"})
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "grade")
    _set(plans / CHILD_REPORT / "listings.csv", 8, {"self_evaluation": "D"})  # not committed

    def diff(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "fukushi_kg", "diff", *args], cwd=repo, capture_output=True, text=True, timeout=300
        )

    done = diff("--rev", "HEAD~1..HEAD", "--path", "plans")
    assert done.returncode == 0, done.stderr
    assert "self-evaluation B → C" in done.stdout and "HEAD~1:plans → HEAD:plans" in done.stdout
    done = diff("--rev", "HEAD..", "--path", "plans", "--format", "json")  # against the working tree
    changed = json.loads(done.stdout)["listings"]["changed"]
    assert [x["changes"] for x in changed] == [{"self_evaluation": {"old": "C", "new": "D"}}]
    done = diff("--rev", "nosuchrev..HEAD", "--path", "plans")
    assert done.returncode == 2 and "nosuchrev" in done.stderr and "Traceback" not in done.stderr


def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys):
    code, _, err = run_diff(capsys, str(tmp_path / "missing"), str(PLANS))
    assert code == 2 and "neither a build" in err
    broken = tmp_path / "broken"
    shutil.copytree(PLANS / KURUME, broken / KURUME)
    _set(broken / KURUME / "observations.csv", 2, {"kind": "guess"})
    code, _, err = run_diff(capsys, str(broken), str(PLANS))
    assert code == 2 and "observations.csv row 2, column kind" in err and "Traceback" not in err
    code, _, err = run_diff(capsys, str(PLANS))
    assert code == 2 and "give OLD and NEW" in err
