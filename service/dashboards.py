"""The numbers a plan dashboard draws, shaped from the rows of its queries (``queries/explore/dashboard-*.rq``).

On track (the rule of the named query ``indicators``): the latest numeric actual has moved from the
reference toward the target at least in proportion to the years elapsed, or already meets a target
equal to the reference. The reference is the printed baseline; where none is printed, the earliest
numeric actual, and the dashboard says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fukushi_kg.service.charts import Bar, Point
from fukushi_kg.service.explore_queries import number, value

GRADES = ["A", "B", "C", "D"]


@dataclass
class Track:
    indicator: str
    label: str
    unit: str
    series: str
    baseline: Point | None = None
    target: Point | None = None
    actuals: list[Point] = field(default_factory=list)
    not_measured: list[int] = field(default_factory=list)  # years printed － (never taken as zero)

    @property
    def title(self) -> str:
        if self.series and self.series not in self.label:
            return f"{self.label} ({self.series})"
        return self.label

    @property
    def reference(self) -> Point | None:
        """The printed baseline, else the earliest numeric actual."""
        if self.baseline is not None:
            return self.baseline
        return self.actuals[0] if self.actuals else None

    @property
    def reference_is_actual(self) -> bool:
        return self.baseline is None and self.reference is not None

    @property
    def latest(self) -> Point | None:
        candidates = [a for a in self.actuals if a is not self.reference]
        return candidates[-1] if candidates else None

    @property
    def on_track(self) -> bool | None:
        ref, last, goal = self.reference, self.latest, self.target
        if ref is None or last is None or goal is None or last.year <= ref.year:
            return None
        if goal.value == ref.value:
            return last.value >= goal.value
        if goal.year == ref.year:
            return None
        progress = (last.value - ref.value) / (goal.value - ref.value)
        return progress >= (last.year - ref.year) / (goal.year - ref.year)


def _year(row: dict) -> int | None:
    try:
        return int(value(row, "year")[:4])
    except ValueError:
        return None


def tracks(rows: list[dict]) -> list[Track]:
    """One track per indicator and series, in the order of the rows."""
    by: dict[tuple[str, str], Track] = {}
    for row in rows:
        key = (value(row, "indicator"), value(row, "series"))
        t = by.setdefault(key, Track(key[0], value(row, "label"), value(row, "unit"), key[1]))
        year, v, kind = _year(row), number(row, "value"), value(row, "kind")
        if year is None:
            continue
        if v is None:
            if kind == "actual":
                t.not_measured.append(year)
            continue
        point = Point(year, v, value(row, "printed"))
        if kind == "baseline":
            t.baseline = point
        elif kind == "target":
            t.target = point if t.target is None or year > t.target.year else t.target
        elif kind == "actual":
            t.actuals.append(point)
    for t in by.values():
        t.actuals.sort(key=lambda p: p.year)
    return list(by.values())


def grade_rows(rows: list[dict], href) -> list[tuple[str, dict[str, int], str | None]]:
    """``(code label, {grade: listings}, link)`` per component, in code order."""
    by: dict[str, tuple[str, dict[str, int], str | None]] = {}
    for row in rows:
        iri = value(row, "component")
        label = f"{value(row, 'code')} {value(row, 'label')}".strip()
        entry = by.setdefault(iri, (label, {}, href(iri)))
        n = number(row, "listings")
        entry[1][value(row, "grade")] = int(n or 0)
    return list(by.values())


def spending_bars(rows: list[dict], href) -> list[Bar]:
    return [
        Bar(
            value(r, "division"),
            (number(r, "amount_yen") or 0) / 1000,
            None,
            f"{(number(r, 'amount_yen') or 0) / 1000:,.0f}",
        )
        for r in rows
    ]
