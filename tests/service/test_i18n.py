"""The UI's translation catalogue: every string the templates and service code mark is translated
into Japanese, and the committed .mo files are what the .po files compile to."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from fukushi_kg.service import i18n

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "service" / "locale"
KEYWORDS = {"_": None, "N_": None, "gettext": (2,), "tr": None}
METHODS = [("service/**.py", "python"), ("service/templates/**.html", "jinja2")]


def marked_messages() -> set[str]:
    """The message ids the code and templates mark, as scripts/compile-translations extracts them."""
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS, comment_tags=()
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def catalogue(lang: str):
    with open(LOCALE / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=lang)


def test_every_marked_string_is_in_both_catalogues_and_translated_into_japanese():
    marked = marked_messages()
    assert "Search" in marked and "Spending per division (thousand yen)" in marked  # the extraction reads both kinds
    for lang in ("ja", "en"):
        entries = {m.id: m.string for m in catalogue(lang) if m.id}
        missing = sorted(marked - set(entries))
        assert missing == [], f"{lang}: run scripts/compile-translations --update and translate: {missing}"
        untranslated = sorted(k for k in marked if not entries[k])
        assert untranslated == [], f"{lang}: untranslated {untranslated}"
    ja = {m.id: m.string for m in catalogue("ja") if m.id}
    assert ja["Search"] == "検索" and ja["%(n)s programs"] == "事業 %(n)s 件"


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
