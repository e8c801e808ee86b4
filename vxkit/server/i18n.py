"""The server's sentences in the reader's language, from the ``vxkit_server`` gettext
catalogues (``vxkit.catalogues``): the join page speaks its class's language, the sentences
a student reads in the panel her class's."""

from __future__ import annotations

from collections.abc import Callable

from ..catalogues import SERVER_DOMAIN, SERVER_LOCALES, translations
from .language import class_locale, text_direction

Translate = Callable[[str], str]


def translator(locale: str | None) -> Translate:
    """``_`` for ``locale`` ("fr_FR"); English (the sentence itself) for None or a locale
    without a catalogue."""
    messages = translations(locale, SERVER_DOMAIN) if locale in SERVER_LOCALES else {}
    return lambda text: messages.get(text, text)


def locale_of_languages(languages: list[str]) -> str | None:
    """The catalogue locale for a class's ``languages`` (None: English)."""
    locale = class_locale(languages, SERVER_LOCALES)
    return None if locale == "en" else locale


def locale_of_header(accept_language: str | None) -> str | None:
    """The catalogue locale a browser asks for (``Accept-Language``), or None: English."""
    tags = [part.split(";")[0].strip() for part in (accept_language or "").split(",")]
    return locale_of_languages([t for t in tags if t and t != "*"])


def html_attributes(locale: str | None) -> tuple[str, str]:
    """``lang`` and ``dir`` of a page in ``locale``."""
    return (locale or "en").replace("_", "-"), text_direction(locale)
