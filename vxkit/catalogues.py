"""vxkit's gettext catalogues, in ``vxkit/locale/<locale>/LC_MESSAGES/`` (translators edit the
.po files):

- ``vxkit.po``: the front end's messages (``trans.__('...')`` in ``extensions/vxkit/src``),
  compiled to the JSON JupyterLab's translator loads (``vxkit.json`` beside each, served
  through the ``jupyterlab.locale`` entry point);
- ``vxkit_server.po``: the server's sentences (``_("...")`` in ``SERVER_SOURCES``: the join
  page, its errors, the sentences the panel shows), read by ``vxkit.server.i18n``;
- ``widgets.po``: widget labels, table headers and notes (``tr("...")`` in ``WIDGET_SOURCES``),
  read by ``vxkit.i18n``.

Both Python catalogues are extracted the same way (``python_messages``) and read the same way
(``translations``).

``python -m vxkit.catalogues --write`` extracts the messages, adds new ones to every catalogue
(untranslated), and compiles; ``--check`` fails when a catalogue or its JSON is out of date, a
message is untranslated, or a translation lost or added a placeholder (``%1``, ``{name}``).
"""

from __future__ import annotations

import ast
import functools
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
SERVER_DOMAIN = "vxkit_server"
PACKAGE = Path(__file__).resolve().parent
#: the Python files whose ``_("...")`` sentences are translated
SERVER_SOURCES = (PACKAGE / "server" / "join.py", PACKAGE / "grading" / "handlers.py")
WIDGETS_DOMAIN = "widgets"
#: the Python files whose ``tr("...")`` labels are translated
WIDGET_SOURCES = (
    *sorted((PACKAGE / "widgets").glob("*.py")),
    PACKAGE / "views.py",
    PACKAGE / "certificates.py",
    PACKAGE / "data" / "catalogue.py",  # the indicators' titles and units
)
#: the classes' languages that have a JupyterLab language pack (locale names as the packs)
LOCALES = ("fr_FR", "es_ES")
#: the server's sentences (the join page) and the front end's messages also in Arabic, right to
#: left. The Arabic was drafted without a native reader: have one read vxkit/locale/ar_SA (both
#: catalogues; curriculum/TRANSLATIONS.md lists what was checked) before a class uses it.
SERVER_LOCALES = (*LOCALES, "ar_SA")
#: the front end's catalogues (vxkit.po and its JSON)
FRONTEND_LOCALES = (*LOCALES, "ar_SA")
#: gettext's plural rule of each front-end locale, as JupyterLab's translator evaluates it
#: (Arabic has six forms: zero, one, two, few 3-10, many 11-99, other, by n % 100)
PLURALS = {
    "fr_FR": "nplurals=2; plural=(n > 1);",
    "es_ES": "nplurals=2; plural=(n != 1);",
    "ar_SA": (
        "nplurals=6; plural=(n == 0 ? 0 : n == 1 ? 1 : n == 2 ? 2 : "
        "n % 100 >= 3 && n % 100 <= 10 ? 3 : n % 100 >= 11 ? 4 : 5);"
    ),
}

_CALL = re.compile(r"trans\.__\(\s*'((?:[^'\\]|\\.)*)'", re.S)


def messages(sources: Path = SOURCES) -> list[str]:
    """Every message the TypeScript sources pass to ``trans.__``, sorted."""
    found: set[str] = set()
    for path in sorted(sources.glob("*.ts")):
        for match in _CALL.finditer(path.read_text(encoding="utf-8")):
            found.add(re.sub(r"\\(.)", r"\1", match.group(1)))
    return sorted(found)


def python_messages(sources: tuple[Path, ...], names: tuple[str, ...]) -> list[str]:
    """Every string literal the Python ``sources`` pass to one of the functions ``names``
    (``_``, ``self._``, ``tr``; ``N_`` marks one for later), sorted."""
    found: set[str] = set()
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            func = node.func if isinstance(node, ast.Call) else None
            name = getattr(func, "id", None) or getattr(func, "attr", None)
            if (
                isinstance(node, ast.Call)
                and name in names
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return sorted(found)


def server_messages(sources: tuple[Path, ...] = SERVER_SOURCES) -> list[str]:
    """Every sentence the server passes to ``_()`` or ``self._()`` or marks with ``N_()``."""
    return python_messages(sources, ("_", "N_"))


def widget_messages(sources: tuple[Path, ...] = WIDGET_SOURCES) -> list[str]:
    """Every label the widgets and views pass to ``tr()`` or ``say()`` or mark with ``N_()``."""
    return python_messages(sources, ("tr", "say", "N_"))


#: the Python side's catalogues: domain -> (its messages, the locales it is translated to)
PYTHON_CATALOGUES = {
    SERVER_DOMAIN: (server_messages, SERVER_LOCALES),
    WIDGETS_DOMAIN: (widget_messages, LOCALES),
}


@functools.lru_cache(maxsize=16)
def translations(locale: str, domain: str) -> dict[str, str]:
    """English -> ``locale`` for every translated message of ``domain`` (empty without a
    catalogue); read once per process."""
    path = po_path(locale, domain)
    if not path.is_file():
        return {}
    catalogue = read_catalogue(locale, domain)
    return {str(m.id): str(m.string) for m in catalogue if m.id and m.string and not m.fuzzy}


def po_path(locale: str, domain: str = DOMAIN) -> Path:
    """The catalogue of ``locale`` (of the front end, or of ``SERVER_DOMAIN``)."""
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{domain}.po"


def read_catalogue(locale: str, domain: str = DOMAIN) -> Catalog:
    """The catalogue of ``locale`` (empty if there is none yet)."""
    path = po_path(locale, domain)
    if not path.is_file():
        return Catalog(locale=locale, domain=domain, project="vxkit")
    with path.open("rb") as fh:
        return read_po(fh, locale=locale, domain=domain)


def updated(catalogue: Catalog, wanted: list[str]) -> Catalog:
    """``catalogue`` with exactly the ``wanted`` messages (translations kept)."""
    fresh = Catalog(locale=catalogue.locale, domain=catalogue.domain, project="vxkit")
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


#: the placeholders a translation must keep: JupyterLab's ``%1`` in the front end's messages,
#: ``{name}`` (``str.format``) in the Python ones
FRONTEND_PLACEHOLDER = re.compile(r"%\d+")
PYTHON_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def placeholder_problems(catalogue: Catalog, path: Path, placeholder: re.Pattern[str]) -> list[str]:
    """Each translation of ``catalogue`` whose placeholders are not those of its English
    message (one missing, one added, or one used a different number of times)."""
    found = []
    for message in catalogue:
        if not message.id or not message.string:
            continue
        wanted = sorted(placeholder.findall(str(message.id)))
        got = sorted(placeholder.findall(str(message.string)))
        if got != wanted:
            found.append(
                f'{path}: the translation of "{message.id}" has the placeholders '
                f"{' '.join(got) or 'none'} instead of {' '.join(wanted) or 'none'}"
            )
    return found


def problems(sources: Path = SOURCES) -> list[str]:
    """What ``--check`` reports: catalogues or JSON out of date, messages untranslated."""
    wanted = messages(sources)
    found = []
    for locale in FRONTEND_LOCALES:
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
        found += placeholder_problems(fresh, path, FRONTEND_PLACEHOLDER)
    for domain, (extract, locales) in PYTHON_CATALOGUES.items():
        wanted = extract()
        for locale in locales:
            fresh = updated(read_catalogue(locale, domain), wanted)
            path = po_path(locale, domain)
            if not path.is_file() or path.read_text(encoding="utf-8") != po_text(fresh):
                found.append(f"{path} is out of date: run python -m vxkit.catalogues --write")
            found += [
                f'{path}: "{m.id}" has no translation' for m in fresh if m.id and not m.string
            ]
            found += placeholder_problems(fresh, path, PYTHON_PLACEHOLDER)
    return found


def write(sources: Path = SOURCES) -> None:
    """Bring every catalogue and its JSON up to date with the sources."""
    wanted = messages(sources)
    for locale in FRONTEND_LOCALES:
        fresh = updated(read_catalogue(locale), wanted)
        path = po_path(locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, po_text(fresh))
        atomic_write(path.with_suffix(".json"), jed_json(fresh, locale))
    for domain, (extract, locales) in PYTHON_CATALOGUES.items():
        wanted = extract()
        for locale in locales:
            path = po_path(locale, domain)
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, po_text(updated(read_catalogue(locale, domain), wanted)))


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write()
    found = problems()
    if found:
        sys.exit("\n".join(found))
