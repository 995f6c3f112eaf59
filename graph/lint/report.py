"""Rendering a lint result: text (ruff-like, grouped by file), JSON, SARIF 2.1.0, JUnit XML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import Any

from fukushi_kg.graph.lint.codes import BY_CODE, PLAN_TABLE_CODES, TABLE
from fukushi_kg.graph.lint.model import Finding
from fukushi_kg.graph.lint.run import LintResult

TOOL = "fukushi-kg lint"
VERSION = "0.1.0"
INFO_URI = "https://w3id.org/fukushi-kg/"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVEL = {"violation": "error", "warning": "warning", "info": "note"}
MEDIA_TYPES = {
    "json": "application/json",
    "sarif": "application/sarif+json",
    "junit": "application/xml",
    "text": "text/plain",
}


def render(result: LintResult, fmt: str = "text", lang: str = "en") -> str:
    return {"text": text, "json": to_json, "sarif": to_sarif, "junit": to_junit}[fmt](result, lang=lang)


# ------------------------------------------------------------------ text
def text(result: LintResult, lang: str = "en") -> str:
    """``file:line:col: CODE [severity] message``, files in order, a blank line between files."""
    out: list[str] = []
    current = None
    for f in result.findings:
        loc = f.location
        if loc and loc.file != current:
            if current is not None:
                out.append("")
            current = loc.file
        where = str(loc) if loc else result.input
        focus = "" if not f.focus else f" {f.focus}" if f.focus.startswith("_:") else f" <{f.focus}>"
        out.append(f"{where}: {f.code} [{f.severity}] {f.message(lang)}{focus}")
    c = result.counts()
    if result.findings:
        out.append("")
        out.append(
            f"Found {len(result.findings)} finding{'s' if len(result.findings) != 1 else ''} "
            f"({c['violation']} violations, {c['warning']} warnings, {c['info']} info) in {result.input}."
        )
    else:
        out.append(f"All checks passed ({len(result.codes)} rules on {result.input}).")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ JSON
def _loc(loc) -> dict | None:
    if loc is None:
        return None
    out = {"file": loc.file, "line": loc.line, "column": loc.column, "kind": loc.kind}
    if loc.column_name is not None:
        out["column_name"] = loc.column_name
    if loc.cell is not None:
        out["cell"] = loc.cell
    return out


def finding_dict(f: Finding) -> dict:
    return {
        "code": f.code,
        "name": f.name,
        "severity": f.severity,
        "focus": f.focus,
        "message": {"en": f.message_en, "ja": f.message_ja},
        "location": _loc(f.location),
        "rdf_location": _loc(f.rdf_location),
    }


def as_dict(result: LintResult) -> dict:
    return {
        "tool": {"name": TOOL, "version": VERSION},
        "input": result.input,
        "rules": result.codes,
        "fail_on": result.fail_on,
        "failed": result.failed,
        "summary": result.counts(),
        "findings": [finding_dict(f) for f in result.findings],
        "skipped": [{"codes": list(s.codes), "reason": s.reason} for s in result.skipped],
        "notices": result.notices,
        "seconds": result.seconds,
    }


def to_json(result: LintResult, lang: str = "en") -> str:
    return json.dumps(as_dict(result), ensure_ascii=False, indent=2) + "\n"


# ------------------------------------------------------------------ SARIF 2.1.0
def _physical(loc) -> dict:
    art = {"uri": loc.file}
    if "://" not in loc.file and not loc.file.startswith("/"):
        art["uriBaseId"] = "%SRCROOT%"
    out: dict = {"artifactLocation": art}
    if loc.line and loc.kind != "workbook":  # a workbook is a zip: its cells have no lines
        out["region"] = {"startLine": loc.line, "startColumn": loc.column or 1}
    return out


def as_sarif(result: LintResult) -> dict:
    rules: list[dict] = []
    index: dict[str, int] = {}
    tables = any(code in result.codes for code in (c.code for c in PLAN_TABLE_CODES))
    for c in (*TABLE, *PLAN_TABLE_CODES) if tables else TABLE:
        index[c.code] = len(rules)
        rules.append(
            {
                "id": c.code,
                "name": c.name,
                "shortDescription": {"text": c.summary},
                "fullDescription": {"text": c.doc},
                "help": {"text": c.doc},
                "defaultConfiguration": {"level": SARIF_LEVEL[c.severity], "enabled": c.code in result.codes},
                "properties": {"summaryJa": c.summary_ja},
            }
        )
    results = []
    for f in result.findings:
        res: dict = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": SARIF_LEVEL[f.severity],
            "message": {"text": f.message_en},
            "locations": [],
            "properties": {"focusNode": f.focus, "messageJa": f.message_ja, "severity": f.severity},
        }
        logical = []
        if f.focus:
            logical.append({"fullyQualifiedName": f.focus, "kind": "resource"})
        if f.location is not None and f.location.cell:
            logical.append({"fullyQualifiedName": f.location.cell, "kind": "cell"})
        elif f.location is not None and f.location.column_name:
            logical.append({"fullyQualifiedName": f.location.column_name, "kind": "column"})
        loc: dict[str, Any] = {"logicalLocations": logical} if logical else {}
        if f.location is not None and f.location.kind != "endpoint":
            loc["physicalLocation"] = _physical(f.location)
        res["locations"].append(loc)
        if f.rdf_location is not None and f.rdf_location != f.location:
            res["relatedLocations"] = [
                {
                    "id": 1,
                    "physicalLocation": _physical(f.rdf_location),
                    "message": {"text": "first occurrence of the focus node in the RDF input"},
                }
            ]
        results.append(res)
    notifications = [{"level": "note", "message": {"text": n}} for n in result.notices]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": TOOL, "version": VERSION, "informationUri": INFO_URI, "rules": rules}},
                "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
                "originalUriBaseIds": {
                    "%SRCROOT%": {"description": {"text": "the repository root (paths are repo-relative)"}}
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def to_sarif(result: LintResult, lang: str = "en") -> str:
    return json.dumps(as_sarif(result), ensure_ascii=False, indent=2) + "\n"


# ------------------------------------------------------------------ JUnit XML
def to_junit(result: LintResult, lang: str = "en") -> str:
    """One test suite per rule code; one failing test case per finding, one passing case for a
    rule without findings, a skipped case for a rule that could not run."""
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        by_code[f.code].append(f)
    skipped = {c: s.reason for s in result.skipped for c in s.codes}
    root = ET.Element(
        "testsuites", name=TOOL, tests="0", failures="0", errors="0", skipped="0", time=f"{result.seconds:.3f}"
    )
    total = failures = skips = 0
    for code in result.codes:
        c = BY_CODE[code]
        found = by_code.get(code, [])
        suite = ET.SubElement(
            root, "testsuite", name=f"{code} {c.name}", tests="0", failures="0", errors="0", skipped="0"
        )
        n = fails = sk = 0
        if code in skipped and not found:
            case = ET.SubElement(suite, "testcase", classname=f"fukushi-kg.lint.{code}", name=c.name)
            ET.SubElement(case, "skipped", message=skipped[code])
            n, sk = 1, 1
        elif not found:
            ET.SubElement(suite, "testcase", classname=f"fukushi-kg.lint.{code}", name=c.name)
            n = 1
        for f in found:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"fukushi-kg.lint.{code}",
                name=f"{f.location or ''} {f.focus}".strip(),
            )
            if f.location is not None and f.location.line:
                case.set("file", f.location.file)
                case.set("line", str(f.location.line))
            failure = ET.SubElement(case, "failure", message=f.message(lang), type=f.severity)
            failure.text = f"{f.location}: {f.code} [{f.severity}] {f.message_en}\n{f.message_ja}\nfocus: {f.focus}"
            n += 1
            fails += 1
        suite.set("tests", str(n))
        suite.set("failures", str(fails))
        suite.set("skipped", str(sk))
        total, failures, skips = total + n, failures + fails, skips + sk
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("skipped", str(skips))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
