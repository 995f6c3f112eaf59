"""``fukushi-kg new KIND OUT``: the empty tables of a new plan, to fill by hand or in a spreadsheet.

OUT is a folder of CSV tables, or one workbook when it ends in ``.xlsx``. Every table of the
format is there with its header row; the tables the kind of document uses (schema.json ``kinds``)
carry commented example rows (first cell starting with ``#``, which readers skip: see
docs/format.md), from ``examples.json`` beside this module. ``datapackage.json`` (the workbook's
``_document`` sheet) describes the document, which no sources manifest names: title, publisher,
date, kind, and its text file, ``<document-id>.txt`` beside the tables, whose lines the rows
cite (named after the document, so that its served URL, ``{base}sources/<file>``, is its own).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import shutil
import sys
import tempfile
from functools import cache
from pathlib import Path

from fukushi_kg.graph.tables import schema

EXAMPLES_FILE = Path(__file__).with_name("examples.json")


def text_file(doc_id: str) -> str:
    """The name of a new document's text file."""
    return f"{doc_id}.txt"


@cache
def _examples() -> dict:
    return json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))


def document_description(kind: str, doc_id: str, **given: str | None) -> dict:
    """The description of a new document (the keys of a manifest entry but its id), blanks to fill."""
    meta: dict = {
        "file": text_file(doc_id),
        "title": "",
        "title_en": "",
        "city": None,
        "prefecture": None,
        "publisher": "",
        "date": "",
        "kind": kind,
        "layout": "hand-written",
        "date_note": "",
        "publishers": [],
    }
    meta.update({k: v for k, v in given.items() if v is not None})
    return meta


def table_texts(kind: str, doc_id: str) -> dict[str, str]:
    """File name -> CSV text of every table: the header row, and the kind's example rows as comments."""
    examples = _examples().get(kind, {})
    out = {}
    for t in schema.tables():
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(t.header)
        if t.name in schema.kinds()[kind]["tables"]:
            for example in examples.get(t.name, []):
                row = {"document": doc_id, **example}
                unknown = set(row) - set(t.header)
                if unknown:  # examples.json out of step with schema.json: a bug, caught by the tests
                    raise ValueError(f"examples.json {kind}/{t.name}: columns {sorted(unknown)} not in the format")
                cells = [str(row.get(c, "")) for c in t.header]
                cells[0] = schema.comment_char() + cells[0]
                w.writerow(cells)
        out[t.file] = buf.getvalue()
    return out


def write_new(kind: str, out: Path, doc_id: str, meta: dict, text: Path | None = None) -> Path:
    """Write the new plan ``out`` (a folder, or a workbook when it ends in .xlsx); the path written."""
    from fukushi_kg.graph.tables.write import datapackage_text

    if out.suffix.lower() == ".xlsx":
        from fukushi_kg.graph.tables.xlsx import export_xlsx

        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / doc_id
            write_new(kind, folder, doc_id, meta)
            export_xlsx(folder, out)
        return out
    out.mkdir(parents=True)
    (out / schema.DATAPACKAGE).write_text(datapackage_text(doc_id, meta.get("title") or "", meta), encoding="utf-8")
    for name, content in table_texts(kind, doc_id).items():
        (out / name).write_text(content, encoding="utf-8", newline="")
    if text is not None:
        shutil.copyfile(text, out / text_file(doc_id))
    return out


def cmd_new(ns: argparse.Namespace) -> int:
    out: Path = ns.out
    is_book = out.suffix.lower() == ".xlsx"
    doc_id = ns.id or (out.stem if is_book else out.name)

    def fail(text: str) -> int:
        print(f"fukushi-kg new: {text}", file=sys.stderr)
        return 2

    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", doc_id):
        return fail(
            f"document id {doc_id!r}: use lower-case ASCII letters, digits and - "
            "(name OUT so, or give --id; the id names the document in IRIs)"
        )
    if not is_book and out.exists():
        return fail(f"{out} exists already; choose a new folder")
    if is_book and out.exists() and not ns.force:
        return fail(f"{out} exists already; --force replaces it")
    if ns.text is not None and (is_book or not ns.text.is_file()):
        return fail(
            f"{ns.text} is not a file" if not is_book else "--text goes with a folder; a workbook keeps no text"
        )
    if ns.date and not re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", ns.date):
        return fail(f"--date {ns.date!r}: a year, year-month or date (2024, 2024-03, 2024-03-31)")
    meta = document_description(
        ns.kind, doc_id, title=ns.title, title_en=ns.title_en, city=ns.city, publisher=ns.publisher, date=ns.date
    )
    write_new(ns.kind, out, doc_id, meta, ns.text)
    tables = ", ".join(schema.kinds()[ns.kind]["tables"])
    print(f"wrote the empty {ns.kind} {doc_id} to {out}")
    print(
        f"  fill in: the document description ({'sheet _document' if is_book else schema.DATAPACKAGE}), then {tables}"
    )
    print("  the rows starting with # are examples, skipped when read: copy one, remove the #, type your own")
    if is_book:
        print(
            f"  then: fukushi-kg tables import plans/{doc_id} --xlsx {out}  (and put the text in plans/{doc_id}/{text_file(doc_id)})"
        )
    else:
        if ns.text is None:
            print(f"  put the document's text in {out / text_file(doc_id)} (the rows' line numbers count its lines)")
        print(f"  then: fukushi-kg tables check {out} && fukushi-kg build --plans {out}")
    return 0


def new_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``fukushi-kg new`` (declared as a command in fukushi_kg/cli.py)."""
    p.add_argument("kind", choices=list(schema.kinds()), metavar="KIND", help=", ".join(schema.kinds()))
    p.add_argument("out", type=Path, metavar="OUT", help="a new folder, or a workbook FILE.xlsx")
    p.add_argument("--id", help="the document id (default: OUT's name without .xlsx)")
    p.add_argument("--text", type=Path, metavar="FILE", help="the document's text, copied to OUT/<document-id>.txt")
    p.add_argument("--title", help="the document's title as printed")
    p.add_argument("--title-en", dest="title_en", help="its English title")
    p.add_argument("--city", help="the city, as in data/reviewed/organisations.toml or the folder's own")
    p.add_argument("--publisher", help="the publisher as printed")
    p.add_argument("--date", help="publication date: 2024, 2024-03 or 2024-03-31")
    p.add_argument("--force", action="store_true", help="replace an existing workbook")
    p.set_defaults(func=cmd_new)
