"""Each class in its own language: a student's JupyterLab (its own strings and vxkit's panel)
speaks the first of their class's ``languages`` (exchange.toml) that has a JupyterLab
language pack installed; teachers keep the language they chose.

JupyterLab takes its language from the ``locale`` of its translation settings, which are the
same file for everyone on one server. The policy's ``class_language`` view answers each
student with their class's locale in those settings instead (a student can't change them:
writing settings is teachers' only).
"""

from __future__ import annotations

import functools
import json
from typing import Any

from .identity import Identity

TRANSLATION_PLUGIN = "@jupyterlab/translation-extension:plugin"
#: languages written right to left
RTL = frozenset({"ar", "fa", "he", "ur", "ps", "yi"})


@functools.lru_cache(maxsize=1)
def installed_locales() -> tuple[str, ...]:
    """The locales of the JupyterLab language packs installed here (asked once: it runs a
    subprocess)."""
    try:
        from jupyterlab_server.translation_utils import get_language_packs

        packs, _message = get_language_packs()
    except Exception:  # no jupyterlab_server, or a broken pack: English only
        return ()
    return tuple(sorted(p for p in packs if p != "en"))


def class_locale(languages: list[str], installed: tuple[str, ...]) -> str | None:
    """The locale JupyterLab should use for a class with these ``languages`` (first first):
    "en" for English, a language pack's locale ("fr_FR" for "fr", "pt_BR" for "pt-BR"), or
    None when no language of the class has a pack."""
    for language in languages:
        tag = language.replace("-", "_")
        base = tag.split("_")[0].lower()
        if base == "en":
            return "en"
        exact = [p for p in installed if p.lower() == tag.lower()]
        if exact:
            return exact[0]
        same = [p for p in installed if p.split("_")[0].lower() == base]
        if same:
            return same[0]
    return None


def text_direction(locale: str | None) -> str:
    """ "rtl" for a right-to-left locale, else "ltr"."""
    return "rtl" if locale and locale.split("_")[0].lower() in RTL else "ltr"


def locale_for(identity: Identity | None, exchange: Any) -> str | None:
    """The locale of a student's class (None for teachers, visitors and classes without a
    language pack)."""
    if identity is None or not identity.is_student or not identity.class_id:
        return None
    try:
        cls = exchange.get_class(identity.class_id)
    except Exception:
        return None
    return class_locale(list(cls.languages), installed_locales())


def _with_locale(plugin: dict[str, Any], locale: str) -> dict[str, Any]:
    settings = dict(plugin.get("settings") or {}, locale="default" if locale == "en" else locale)
    return {**plugin, "settings": settings, "raw": json.dumps(settings)}


def with_class_language(data: Any, locale: str | None) -> Any:
    """A settings answer (one plugin, or ``{"settings": [...]}``) with the translation
    plugin's locale set to ``locale`` (unchanged when None)."""
    if locale is None or not isinstance(data, dict):
        return data
    if data.get("id") == TRANSLATION_PLUGIN:
        return _with_locale(data, locale)
    plugins = data.get("settings")
    if isinstance(plugins, list):
        return {
            **data,
            "settings": [
                _with_locale(p, locale)
                if isinstance(p, dict) and p.get("id") == TRANSLATION_PLUGIN
                else p
                for p in plugins
            ],
        }
    return data
