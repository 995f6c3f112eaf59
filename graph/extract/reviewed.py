"""Reading the reviewed corrections files (``data/reviewed/corrections-*.toml``).

Every entry of every table must say why (``reason``) and where (``lines``); an entry without
them is an error, so that no reading is changed without a reason a reviewer can check.
"""

from __future__ import annotations

import tomllib
from pathlib import Path


def load_tables(
    path: Path, tables: tuple[str, ...] = ("entry",), required: tuple[str, ...] = ()
) -> dict[str, list[dict]]:
    """The entries of each table in ``tables`` (missing file or table: empty), validated."""
    if not path.exists():
        return {t: [] for t in tables}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out: dict[str, list[dict]] = {}
    for table in tables:
        entries = data.get(table, [])
        for entry in entries:
            missing = sorted({"reason", "lines", *required} - {k for k, v in entry.items() if v not in (None, "", [])})
            if missing:
                raise ValueError(f"{path.name} [[{table}]] entry {entry!r} lacks {', '.join(missing)}")
        out[table] = entries
    return out


def load_entries(path: Path, table: str = "entry", required: tuple[str, ...] = ()) -> list[dict]:
    """The validated entries of one table."""
    return load_tables(path, (table,), required)[table]
