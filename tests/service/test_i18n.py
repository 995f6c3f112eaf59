"""The UI's translation catalogue: every string the templates and service code mark is translated
into Japanese, and the committed .mo files are what the .po files compile to."""

from __future__ import annotations

import ast
import gettext
import io
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from fukushi_kg.service import i18n, profiles

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "service" / "locale"
KEYWORDS = {"_": None, "N_": None, "NC_": ((1, "c"), 2), "gettext": (2,), "tr": None}
METHODS = [("service/**.py", "python"), ("service/templates/**.html", "jinja2")]


def marked_messages() -> set[tuple[str | None, str]]:
    """The (context, message id) pairs the code and templates mark, as scripts/compile-translations extracts them."""
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS, comment_tags=()
    ):
        found.add((context, message if isinstance(message, str) else message[0]))
    return found


def catalogue(lang: str):
    with open(LOCALE / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=lang)


def test_every_marked_string_is_in_both_catalogues_and_translated_into_japanese():
    marked = marked_messages()
    # the extraction reads templates and Python, with and without a context
    assert {(None, "Search"), (None, "Spending per division (thousand yen)"), ("page", "Kind")} <= marked
    for lang in ("ja", "en"):
        entries = {(m.context, m.id): m.string for m in catalogue(lang) if m.id}
        missing = sorted(marked - set(entries))
        assert missing == [], f"{lang}: run scripts/compile-translations --update and translate: {missing}"
        untranslated = sorted(k for k in marked if not entries[k])
        assert untranslated == [], f"{lang}: untranslated {untranslated}"
    ja = {(m.context, m.id): m.string for m in catalogue("ja") if m.id}
    assert ja[None, "Search"] == "検索" and ja[None, "%(n)s programs"] == "事業 %(n)s 件"
    assert ja[None, "Kind"] == "種類" and ja["page", "Kind"] == "種別"  # one English id, two Japanese strings


def test_the_committed_mo_files_are_the_compiled_po_files():
    for lang in ("ja", "en"):
        buffer = io.BytesIO()
        write_mo(buffer, catalogue(lang))
        buffer.seek(0)
        compiled = gettext.GNUTranslations(buffer)
        with open(LOCALE / lang / "LC_MESSAGES" / "messages.mo", "rb") as f:
            committed = gettext.GNUTranslations(f)
        assert committed._catalog == compiled._catalog, f"{lang}: run scripts/compile-translations"  # type: ignore[attr-defined]


def test_the_service_reads_the_catalogue_per_language():
    assert i18n.gettext("ja", "Dashboards") == "ダッシュボード"
    assert i18n.gettext("en", "Dashboards") == "Dashboards"
    assert i18n.context("ja")["_"]("Plans") == "計画"


def test_page_words_ontology_labels_and_the_language_switch_come_from_the_catalogue():
    assert i18n.translate("ja", profiles.WORDS["summary"]) == "概要"
    assert i18n.translate("en", profiles.WORDS["summary"]) == "Summary"
    assert i18n.translate("ja", profiles.WORDS["group"]) == "対象者グループ"
    assert i18n.translate("ja", profiles.ROLES["name"]) == "事業名" and i18n.gettext("ja", "name") != "事業名"
    assert i18n.gettext("ja", "%(doc)s, lines %(start)s–%(end)s") % {"doc": "d", "start": 3, "end": 4} == "d, 3–4行"
    assert [i18n.language_name(lang) for lang in ("ja", "en")] == ["日本語", "English"]
    assert [i18n.other_language(lang) for lang in ("ja", "en")] == ["en", "ja"]


TEMPLATES = ROOT / "service" / "templates"
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")  # kana and kanji (not CJK punctuation such as 、「」)
LANG_BRANCH = re.compile(
    r"""\blang\s*[!=]=\s*["'](?:ja|en)["']|["'](?:ja|en)["']\s*[!=]=\s*lang\b|\[\s*lang\s*\]"""
    r"""|\{%-?\s*(?:el)?if\s+(?:not\s+)?lang\b"""
)
MSGID = re.compile(r"""_\(\s*(?:"[^"]*"|'[^']*')\s*\)""")
BRAND = '<span lang="ja">福祉計画ナレッジグラフ</span>'  # the project's name, printed in Japanese in both languages


def test_templates_hold_no_language_conditional_and_no_japanese_ui_text():
    """UI text in templates is ``_("English id")``: no branch on the page language, no Japanese outside msgids."""
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{path.relative_to(ROOT)}:{n}"
            if LANG_BRANCH.search(line):
                problems.append(f"{where}: branches on the language: {line.strip()[:120]}")
            rest = MSGID.sub("", line).replace(BRAND, "")
            if JAPANESE.search(rest):
                problems.append(f"{where}: Japanese text outside the catalogue: {line.strip()[:120]}")
    assert problems == []


# Modules whose Japanese/English pairs are RDF data (rdfs:label/dct:title @ja and @en of the
# dataset description and its linksets), not UI strings.
DATA_MODULES = {"description.py", "dataset_facts.py"}


def _strings(node: ast.AST) -> list[str]:
    elements = node.values if isinstance(node, ast.Dict) else getattr(node, "elts", [])
    return [e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str)]


def _is_language_test(node: ast.AST) -> bool:
    """``lang == "ja"``, ``self.lang != "en"`` and the like."""
    if not (isinstance(node, ast.Compare) and len(node.comparators) == 1):
        return False
    sides = [node.left, node.comparators[0]]
    names = [s.id if isinstance(s, ast.Name) else s.attr if isinstance(s, ast.Attribute) else None for s in sides]
    return any(n in ("lang", "language") for n in names) and any(
        isinstance(s, ast.Constant) and s.value in ("ja", "en") for s in sides
    )


def ui_label_pairs(source: str) -> list[int]:
    """Lines of a module that keep UI labels in both languages: a literal pairing a Japanese string
    with an English one, a ``{"ja": …, "en": …}`` dictionary of strings, or a choice between two
    string literals on the page language."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Tuple, ast.List, ast.Dict)):
            texts = _strings(node)
            ja = [t for t in texts if JAPANESE.search(t)]
            en = [t for t in texts if re.search("[A-Za-z]", t) and not JAPANESE.search(t) and t not in ("ja", "en")]
            if ja and en:
                found.append(node.lineno)
            if isinstance(node, ast.Dict):
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
                if {"ja", "en"} <= keys and any(isinstance(v, ast.Constant) for v in node.values):
                    found.append(node.lineno)
        if isinstance(node, ast.IfExp) and _is_language_test(node.test):
            branches = (node.body, node.orelse)
            tags = all(isinstance(b, ast.Constant) and b.value in ("ja", "en", "") for b in branches)  # a fallback tag
            if all(isinstance(b, (ast.Constant, ast.JoinedStr)) for b in branches) and not tags:
                found.append(node.lineno)
    return sorted(set(found))


def test_the_check_for_python_label_dictionaries_finds_them():
    assert ui_label_pairs('WORDS = {"plan": ("計画", "Plan")}') == [1]
    assert ui_label_pairs('L = {"ja": "計画", "en": "Plan"}') == [1]
    assert ui_label_pairs('def f(lang):\n    return "計画" if lang == "ja" else "Plan"') == [2]
    assert ui_label_pairs('W = {"plan": N_("Plan")}\nK = [("福祉", "ja")]\nt = "ja" if lang != "ja" else "en"') == []


def test_service_modules_keep_no_japanese_english_label_dictionaries():
    problems = []
    for path in sorted((ROOT / "service").rglob("*.py")):
        if path.name in DATA_MODULES:
            continue
        problems += [f"{path.relative_to(ROOT)}:{n}" for n in ui_label_pairs(path.read_text(encoding="utf-8"))]
    assert problems == [], "move these UI labels into the translation catalogue (N_/NC_ and the .po files)"


def test_query_js_takes_its_strings_from_the_page():
    """query.js has no Japanese of its own; every key it translates is in query.html's catalogue block."""
    script = (ROOT / "service" / "static" / "query.js").read_text(encoding="utf-8")
    code = re.sub(r"//[^\n]*|/\*.*?\*/", "", script, flags=re.S)
    assert not JAPANESE.search(code)
    used = set(re.findall(r"""\btr\("(\w+)\"""", script))
    block = re.search(
        r'id="query-strings">\{\{ \{(.*?)\}\|tojson', (TEMPLATES / "query.html").read_text(encoding="utf-8")
    )
    assert block is not None
    given = set(re.findall(r'"(\w+)": _\(', block.group(1)))
    assert used and used == given
