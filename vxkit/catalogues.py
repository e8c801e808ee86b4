"""The gettext catalogues: the front end's messages (``extensions/vxkit/src``) in
``vxkit/locale/<locale>/LC_MESSAGES/vxkit.po`` (translators edit these), compiled to the JSON
JupyterLab's translator loads (``vxkit.json`` beside each, served through the
``jupyterlab.locale`` entry point); the Python side's (widget labels, table headers: every
``tr("...")`` of ``vxkit/``) in ``widgets.po`` beside it, read by ``vxkit.i18n``.

``python -m vxkit.catalogues --write`` extracts the messages, adds new ones to every catalogue
(untranslated), and compiles; ``--check`` fails when a catalogue or its JSON is out of date or
a message is untranslated.
"""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from .files import atomic_write

LOCALE_DIR = Path(__file__).parent / "locale"
SOURCES = Path(__file__).resolve().parent.parent / "extensions" / "vxkit" / "src"
DOMAIN = "vxkit"
#: the classes' languages that have a JupyterLab language pack (locale names as the packs)
LOCALES = ("fr_FR", "es_ES")
PLURALS = {"fr_FR": "nplurals=2; plural=(n > 1);", "es_ES": "nplurals=2; plural=(n != 1);"}

_CALL = re.compile(r"trans\.__\(\s*'((?:[^'\\]|\\.)*)'", re.S)


def messages(sources: Path = SOURCES) -> list[str]:
    """Every message the TypeScript sources pass to ``trans.__``, sorted."""
    found: set[str] = set()
    for path in sorted(sources.glob("*.ts")):
        for match in _CALL.finditer(path.read_text(encoding="utf-8")):
            found.add(re.sub(r"\\(.)", r"\1", match.group(1)))
    return sorted(found)


def po_path(locale: str, domain: str = DOMAIN) -> Path:
    """The catalogue of ``locale`` (``domain``: the front end's, or ``vxkit.i18n.DOMAIN``)."""
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{domain}.po"


def read_catalogue(locale: str, domain: str = DOMAIN) -> Catalog:
    """The catalogue of ``locale`` (empty if there is none yet)."""
    path = po_path(locale, domain)
    if not path.is_file():
        return Catalog(locale=locale, domain=domain, project="vxkit")
    with path.open("rb") as fh:
        return read_po(fh, locale=locale, domain=domain)


def updated(catalogue: Catalog, wanted: list[str], domain: str = DOMAIN) -> Catalog:
    """``catalogue`` with exactly the ``wanted`` messages (translations kept)."""
    fresh = Catalog(locale=catalogue.locale, domain=domain, project="vxkit")
    fresh.header_comment = catalogue.header_comment
    for msgid in wanted:
        old = catalogue.get(msgid)
        fresh.add(msgid, old.string if old is not None else "")
    return fresh


def po_text(catalogue: Catalog) -> str:
    """The catalogue as .po text (no dates: the file changes only when messages do)."""
    out = io.BytesIO()
    write_po(out, catalogue, omit_header=True, width=100)
    return out.getvalue().decode("utf-8")


def jed_json(catalogue: Catalog, locale: str) -> str:
    """The catalogue in the JSON form JupyterLab's translator loads."""
    # JupyterLab names the language "fr-FR" (the locale with a dash) in the header
    language = locale.replace("_", "-")
    data: dict[str, object] = {
        "": {"domain": DOMAIN, "language": language, "plural_forms": PLURALS[locale]}
    }
    for message in catalogue:
        if message.id and message.string:
            data[str(message.id)] = [message.string]
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def problems(sources: Path = SOURCES) -> list[str]:
    """What ``--check`` reports: catalogues or JSON out of date, messages untranslated."""
    wanted = messages(sources)
    found = []
    for locale in LOCALES:
        catalogue = read_catalogue(locale)
        fresh = updated(catalogue, wanted)
        path = po_path(locale)
        if not path.is_file() or path.read_text(encoding="utf-8") != po_text(fresh):
            found.append(f"{path} is out of date: run python -m vxkit.catalogues --write")
        json_path = path.with_suffix(".json")
        if not json_path.is_file() or json_path.read_text(encoding="utf-8") != jed_json(
            fresh, locale
        ):
            found.append(f"{json_path} is out of date: run python -m vxkit.catalogues --write")
        found += [f'{path}: "{m.id}" has no translation' for m in fresh if m.id and not m.string]
    return found + _python_problems()


def _python_problems() -> list[str]:
    """The Python side's catalogues (``vxkit.i18n``): out of date or untranslated."""
    from . import i18n

    wanted = i18n.messages()
    found = []
    for locale in LOCALES:
        fresh = updated(read_catalogue(locale, i18n.DOMAIN), wanted, i18n.DOMAIN)
        path = po_path(locale, i18n.DOMAIN)
        if not path.is_file() or path.read_text(encoding="utf-8") != po_text(fresh):
            found.append(f"{path} is out of date: run python -m vxkit.catalogues --write")
        found += [f'{path}: "{m.id}" has no translation' for m in fresh if m.id and not m.string]
    return found


def write(sources: Path = SOURCES) -> None:
    """Bring every catalogue and its JSON up to date with the sources."""
    wanted = messages(sources)
    for locale in LOCALES:
        fresh = updated(read_catalogue(locale), wanted)
        path = po_path(locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, po_text(fresh))
        atomic_write(path.with_suffix(".json"), jed_json(fresh, locale))
    from . import i18n

    wanted = i18n.messages()
    for locale in LOCALES:
        fresh = updated(read_catalogue(locale, i18n.DOMAIN), wanted, i18n.DOMAIN)
        atomic_write(po_path(locale, i18n.DOMAIN), po_text(fresh))


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write()
    found = problems()
    if found:
        sys.exit("\n".join(found))
