"""The ``fukushi-kg import`` and ``fukushi-kg tables …`` commands: argument parsing and exit codes.

Exit codes as elsewhere: 0 success, 1 the work found a problem (tables that do not read, an
extractor that fails), 2 usage or input error (unknown document, missing folder).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fukushi_kg.graph.tables.schema import FormatError

PLANS_OUT = Path("data/plans")


def _err(command: str, text: str) -> None:
    print(f"fukushi-kg {command}: {text}", file=sys.stderr)


def _progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def cmd_import(ns: argparse.Namespace) -> int:
    from fukushi_kg.graph.sources import document
    from fukushi_kg.graph.tables.importer import ExtractionError, import_documents

    try:
        for doc_id in ns.documents:
            document(doc_id)
    except KeyError as exc:
        _err("import", exc.args[0])
        return 2
    try:
        changed = import_documents(ns.documents, ns.out, None if ns.quiet else _progress)
    except ExtractionError as exc:
        _err("import", str(exc))
        return 1
    n = sum(1 for files in changed.values() if files)
    print(f"imported {len(changed)} documents into {ns.out}/ ({n} changed)")
    return 0


def cmd_check(ns: argparse.Namespace) -> int:
    from fukushi_kg.graph.sources import SourcesError, documents, own_document
    from fukushi_kg.graph.tables.read import read_folder

    lines = {d.id: d for d in documents()}
    status = 0
    for folder in ns.folders:
        if folder.suffix.lower() == ".xlsx" and folder.is_file():
            status = max(status, _check_workbook(folder))
            continue
        if not folder.is_dir():
            _err("tables check", f"{folder} is not a folder")
            return 2
        try:
            doc = lines.get(folder.name) or own_document(folder)
        except SourcesError as exc:
            print(f"{folder}: {exc}", file=sys.stderr)
            status = 1
            continue
        try:
            rec = read_folder(folder, len(doc.lines()) if doc else None)
        except FormatError as exc:
            print(str(exc), file=sys.stderr)
            status = 1
            continue
        note = "" if doc else " (not in data/sources/manifest.json: lines not checked against the text)"
        print(
            f"{folder}: ok, {len(rec.plans)} plans, {len(rec.components)} components, {len(rec.listings)} listings, "
            f"{len(rec.indicators)} indicators, {len(rec.results)} results, {len(rec.initiatives)} initiatives{note}"
        )
    return status


def _check_workbook(path: Path) -> int:
    """A workbook read as `tables import` would write it (into a scratch folder)."""
    import tempfile

    from fukushi_kg.graph.tables.xlsx import import_xlsx, sheet_rows

    try:
        book_doc, _ = sheet_rows(path)
        with tempfile.TemporaryDirectory() as tmp:
            import_xlsx(path, Path(tmp) / (book_doc or path.stem))
    except FormatError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"{path}: ok (lines checked against the text once imported: `fukushi-kg tables import`)")
    return 0


def cmd_init(ns: argparse.Namespace) -> int:
    from fukushi_kg.graph.records import DocumentRecords
    from fukushi_kg.graph.sources import document
    from fukushi_kg.graph.tables.write import write_folder

    try:
        doc = document(ns.document)
    except KeyError as exc:
        _err("tables init", exc.args[0])
        return 2
    folder = ns.out / doc.id
    if folder.exists():
        _err("tables init", f"{folder} exists already; edit its tables, or re-import it with `fukushi-kg import`")
        return 2
    write_folder(DocumentRecords(doc=doc.id), folder, doc.title)
    print(f"wrote the empty tables of {doc.id} into {folder}/")
    return 0


def cmd_export(ns: argparse.Namespace) -> int:
    from fukushi_kg.graph.tables.xlsx import export_xlsx

    if not ns.folder.is_dir():
        _err("tables export", f"{ns.folder} is not a folder")
        return 2
    try:
        export_xlsx(ns.folder, ns.xlsx)
    except FormatError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"wrote {ns.xlsx} from {ns.folder}/")
    return 0


def cmd_import_xlsx(ns: argparse.Namespace) -> int:
    from fukushi_kg.graph.sources import documents
    from fukushi_kg.graph.tables.xlsx import import_xlsx

    if not ns.xlsx.is_file():
        _err("tables import", f"{ns.xlsx} is not a file")
        return 2
    doc = {d.id: d for d in documents()}.get(ns.folder.name)
    try:
        written = import_xlsx(ns.xlsx, ns.folder, len(doc.lines()) if doc else None)
    except FormatError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"wrote {len(written)} tables of {ns.folder}/ from {ns.xlsx}")
    return 0


def import_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``fukushi-kg import`` (declared as a command in fukushi_kg/cli.py)."""
    p.add_argument("documents", nargs="*", metavar="DOC_ID", help="document ids (data/sources/manifest.json)")
    p.add_argument("--out", type=Path, default=PLANS_OUT, help="plans folder (default: %(default)s)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
    p.set_defaults(func=cmd_import)


def tables_arguments(p: argparse.ArgumentParser) -> None:
    """The actions of ``fukushi-kg tables`` (declared as a command in fukushi_kg/cli.py)."""
    tsub = p.add_subparsers(dest="tables_command", required=True, metavar="ACTION")
    c = tsub.add_parser(
        "check",
        help="read folders as the build does and report every problem",
        description="Validate each folder (format version, Frictionless schemas, keys, lines within the text). "
        "Exit 0 all read, 1 problems found, 2 not a folder.",
    )
    c.add_argument("folders", nargs="+", type=Path, metavar="FOLDER")
    c.set_defaults(func=cmd_check)
    i = tsub.add_parser(
        "init",
        help="write the empty tables of a document of the manifest, to fill by hand",
        description="Write OUT/<document-id>/ with every table's header row and datapackage.json.",
    )
    i.add_argument("document", metavar="DOC_ID")
    i.add_argument("--out", type=Path, default=PLANS_OUT, help="plans folder (default: %(default)s)")
    i.set_defaults(func=cmd_init)
    e = tsub.add_parser(
        "export",
        help="write a folder's tables as one workbook (one sheet per table)",
        description="Write FOLDER's tables to an XLSX workbook, one sheet per table, every cell as text.",
    )
    e.add_argument("folder", type=Path, metavar="FOLDER")
    e.add_argument("--xlsx", type=Path, required=True, metavar="FILE")
    e.set_defaults(func=cmd_export)
    m = tsub.add_parser(
        "import",
        help="write a folder's CSV tables from a workbook made by `tables export`",
        description="Replace FOLDER's CSVs with the sheets of the workbook; the tables are then checked as the "
        "build reads them. Exit 0 written and valid, 1 problems, 2 no such workbook.",
    )
    m.add_argument("folder", type=Path, metavar="FOLDER")
    m.add_argument("--xlsx", type=Path, required=True, metavar="FILE")
    m.set_defaults(func=cmd_import_xlsx)
