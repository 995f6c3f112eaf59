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


def gettext(lang: str, message: str) -> str:
    return translations(lang).gettext(message)


def context(lang: str) -> dict:
    """What a template needs to translate: ``_`` (and ``gettext``/``ngettext`` for ``{% trans %}``)."""
    t = translations(lang)
    return {"_": t.gettext, "gettext": t.gettext, "ngettext": t.ngettext}
