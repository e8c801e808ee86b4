"""The front end's catalogues: every message of the TypeScript sources is translated in each
class language's catalogue, the JSON JupyterLab loads is compiled from it, and JupyterLab's
server finds it through the package's entry point."""

from __future__ import annotations

import json
import subprocess
import sys

from vxkit import catalogues


def test_every_message_is_in_every_catalogue_and_translated():
    assert "My team" in catalogues.messages()
    assert catalogues.problems() == []


def test_a_new_message_is_reported_untranslated(tmp_path):
    source = tmp_path / "panel.ts"
    source.write_text(
        "trans.__('My team');\ntrans.__(\n  'A brand new sentence, it\\'s %1.'\n);\n",
        encoding="utf-8",
    )
    assert catalogues.messages(tmp_path) == ["A brand new sentence, it's %1.", "My team"]
    found = catalogues.problems(tmp_path)
    assert any("out of date" in p for p in found)


def test_jupyterlab_serves_the_french_catalogue():
    """What JupyterLab's translations handler merges into the fr_FR language (a subprocess:
    entry points are read when the interpreter starts)."""
    script = (
        "import json\n"
        "from jupyterlab_server.translation_utils import get_installed_packages_locale\n"
        "data, message = get_installed_packages_locale('fr_FR')\n"
        "print(json.dumps({'data': data, 'message': message}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    result = json.loads(out)
    assert result["message"] == ""
    french = result["data"]["vxkit"]
    # the header as JupyterLab's translator matches it (its locale has a dash)
    assert french[""] == {
        "domain": "vxkit",
        "language": "fr-FR",
        "plural_forms": "nplurals=2; plural=(n > 1);",
    }
    assert french["My team"] == ["Mon équipe"]
    assert french["in class now"] == ["en cours"]


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
