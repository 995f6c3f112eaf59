"""Fixtures of the plan-table tests: the extractors' records, and editing a table as a person would."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from fukushi_kg.graph.sources import documents
from fukushi_kg.graph.tables.importer import extract_document
from fukushi_kg.graph.tables.read import read_folder
from fukushi_kg.graph.tables.schema import FormatError


@pytest.fixture(scope="session")
def extracted():
    """(document, records) of every source, read by its extractor."""
    return [(d, extract_document(d)) for d in documents()]


def _edit(path: Path, row: int, column: str, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[row - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


@pytest.fixture
def edit_cell():
    """edit_cell(csv_path, row, column, value): set one cell (row 2 = the first data row, as a
    spreadsheet numbers them)."""
    return _edit


@pytest.fixture
def problems():
    """problems(folder, n_lines=None): the message of the FormatError reading ``folder`` raises."""

    def _problems(folder: Path, n_lines: int | None = None) -> str:
        with pytest.raises(FormatError) as exc:
            read_folder(folder, n_lines)
        return str(exc.value)

    return _problems
