"""Translations of what vxkit's Python code shows: widget labels, table headers, notes.

Messages are English in the code, wrapped in ``tr(message, locale)``; their translations live
in ``vxkit/locale/<locale>/LC_MESSAGES/widgets.po`` beside the front end's catalogue
(``python -m vxkit.catalogues --write`` adds new messages, ``--check`` finds untranslated
ones). A locale is a language code as classes give it in ``exchange.toml`` ("fr", "es-CL",
"fr_FR"); a language without a catalogue, or a message without a translation, shows English.
Several locales, as a list or joined by commas ("fr,es": a team notebook's languages, one
shared widget for every co-editor), show each translation once, joined with " / ".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def _table(language: str) -> dict[str, str]:
    """English -> ``language`` for every translated label (empty without a catalogue)."""
    from .catalogues import LOCALES, WIDGETS_DOMAIN, translations

    locale = next((loc for loc in LOCALES if loc.split("_")[0] == language), None)
    return translations(locale, WIDGETS_DOMAIN) if locale is not None else {}


def language(locale: str) -> str:
    """The language part of a locale: "fr" for "fr_FR", "fr-CA" or "fr"."""
    return locale.replace("-", "_").split("_")[0].lower() or "en"


def N_(message: str) -> str:
    """Mark ``message`` for the catalogues where it is defined; ``tr`` translates it on show."""
    return message


def locales(locale: str | Sequence[str]) -> list[str]:
    """One or several locales as a list ("fr,es" -> ["fr", "es"]; "" -> ["en"])."""
    parts = locale.split(",") if isinstance(locale, str) else list(locale)
    return [p.strip() for p in parts if p.strip()] or ["en"]


def tr(message: str, locale: str | Sequence[str] = "en") -> str:
    """``message`` in ``locale`` (English if untranslated); in each of several, joined."""
    said = []
    for one in locales(locale):
        lang = language(one)
        said.append(message if lang == "en" else _table(lang).get(message, message))
    return " / ".join(dict.fromkeys(said))


def first(locale: str | Sequence[str]) -> str:
    """The first of one or several locales (country names are shown in one language)."""
    return locales(locale)[0]


def say(
    message: str,
    locale: str | Sequence[str] = "en",
    terms: Mapping[str, str] | None = None,
    **values: object,
) -> str:
    """``message`` translated and filled in each of ``locale``'s languages, joined as ``tr``
    joins them: ``terms`` are labels translated into each language too ("hours"), ``values``
    are shown as they are (what someone typed, numbers, dates)."""
    said = []
    for one in locales(locale):
        words = {k: tr(v, one) for k, v in (terms or {}).items()}
        said.append(tr(message, one).format(**words, **values))
    return " / ".join(dict.fromkeys(said))
