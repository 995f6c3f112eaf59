"""UI strings from the translation catalogue: ``service/locale/{ja,en}/LC_MESSAGES/messages.po``.

The ``.po`` files are the source; their compiled ``.mo`` files sit beside them (committed, rebuilt by
``scripts/compile-translations``, checked by ``tests/service/test_i18n.py``) and are read here with
the standard library's :mod:`gettext`. Templates call ``_("…")``; Python calls :func:`gettext`.
Message ids are the English strings; a string missing from a catalogue shows as its id.
"""

from __future__ import annotations

import gettext as _gettext
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
LANGUAGES = ("ja", "en")


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The catalogue of ``lang`` (ja or en); a missing catalogue is an installation error."""
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang if lang in LANGUAGES else "ja"])


def N_(message: str) -> str:
    """Marks a message for extraction where it is translated later (``pybabel extract -k N_``)."""
    return message


def NC_(context: str, message: str) -> tuple[str, str]:
    """Marks a message with a context (``msgctxt``), for an English id two Japanese strings share
    (``pybabel extract -k NC_:1c,2``); :func:`translate` translates it."""
    return (context, message)


Message = str | tuple[str, str]  # a message id, or (context, id) from NC_


def gettext(lang: str, message: str) -> str:
    return translations(lang).gettext(message)


def translate(lang: str, message: Message) -> str:
    """A message marked with N_ (an id) or NC_ (context and id), in ``lang``."""
    if isinstance(message, tuple):
        return translations(lang).pgettext(*message)
    return translations(lang).gettext(message)


def language_name(lang: str) -> str:
    """The name of ``lang`` in that language (日本語, English): its catalogue's translation of "English"."""
    return gettext(lang, "English")


def other_language(lang: str) -> str:
    """The language the page's switch links to."""
    return next(other for other in LANGUAGES if other != lang) if lang in LANGUAGES else "en"


def context(lang: str) -> dict:
    """What a template needs to translate: ``_`` (and ``gettext``/``ngettext`` for ``{% trans %}``),
    and the language switch's target (``other_lang``) with ``language_name``."""
    t = translations(lang)
    return {
        "_": t.gettext,
        "gettext": t.gettext,
        "ngettext": t.ngettext,
        "other_lang": other_language(lang),
        "language_name": language_name,
    }
