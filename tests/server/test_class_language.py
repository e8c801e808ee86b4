"""Each class in its own language: a student's JupyterLab settings answer carries her class's
locale (exchange.toml's ``languages``, where a language pack is installed), teachers keep
theirs, and a student can't switch it for everyone."""

from __future__ import annotations

import json

import pytest

from vxkit.server.language import (
    TRANSLATION_PLUGIN,
    class_locale,
    installed_locales,
    text_direction,
)

from .conftest import classroom_config

PLUGIN_URL = f"lab/api/settings/{TRANSLATION_PLUGIN}"


@pytest.fixture
def jp_server_config(demo_workspace, tmp_path):
    """The classroom with JupyterLab (its settings API), user settings in the test's folder."""
    config = classroom_config(demo_workspace)
    config["ServerApp"]["jpserver_extensions"]["jupyterlab"] = True
    config["LabApp"] = {"user_settings_dir": str(tmp_path / "user-settings")}
    return config


def test_a_class_gets_its_first_language_with_a_pack():
    packs = ("ar_SA", "es_ES", "fr_FR", "pt_BR", "zh_CN")
    assert class_locale(["fr", "en"], packs) == "fr_FR"
    assert class_locale(["es"], packs) == "es_ES"
    assert class_locale(["en", "sw"], packs) == "en"
    assert class_locale(["sw", "pt-BR"], packs) == "pt_BR"
    assert class_locale(["ar"], packs) == "ar_SA"
    assert class_locale(["sw"], packs) is None
    assert class_locale(["es"], ()) is None
    assert text_direction("ar_SA") == "rtl"
    assert text_direction("fr_FR") == text_direction(None) == "ltr"


@pytest.fixture
def packs():
    installed = installed_locales()
    if not {"es_ES", "fr_FR"} <= set(installed):
        pytest.fail(f"the test extras install the es-ES and fr-FR language packs, not {installed}")
    return installed


async def locale_of(person) -> tuple[str, str]:
    one = json.loads((await person.fetch(PLUGIN_URL)).body)
    listed = json.loads((await person.fetch("lab/api/settings")).body)["settings"]
    entry = next(p for p in listed if p["id"] == TRANSLATION_PLUGIN)
    assert json.loads(one["raw"]).get("locale") == one["settings"].get("locale")
    return one["settings"].get("locale", "default"), entry["settings"].get("locale", "default")


async def test_each_student_gets_her_classs_language_and_the_teacher_his_own(
    person_factory, classroom_links, packs
):
    teacher = person_factory(teacher=True)
    chosen = await teacher.fetch(PLUGIN_URL, "PUT", {"raw": '{"locale": "fr_FR"}'})
    assert chosen.code == 204
    valentina, chloe, amani = person_factory(), person_factory(), person_factory()
    await valentina.join(classroom_links.code("valparaiso_1m"), name="Valentina")
    await chloe.join(classroom_links.code("lyon_4b"), name="Chloé")
    await amani.join(classroom_links.code("nairobi_7"), name="Amani")
    assert await locale_of(valentina) == ("es_ES", "es_ES")
    assert await locale_of(chloe) == ("fr_FR", "fr_FR")
    assert await locale_of(amani) == ("default", "default")  # English
    assert await locale_of(teacher) == ("fr_FR", "fr_FR")  # what the teacher chose
    me = json.loads((await valentina.fetch("vxkit/api/me")).body)
    assert (me["language"], me["dir"]) == ("es_ES", "ltr")
    # she can't switch everyone's JupyterLab to Spanish
    tried = await valentina.fetch(PLUGIN_URL, "PUT", {"raw": '{"locale": "es_ES"}'})
    assert tried.code == 403
    assert await locale_of(teacher) == ("fr_FR", "fr_FR")


async def test_the_join_page_speaks_the_class_language(person_factory, classroom_links):
    valpo = await person_factory().fetch(f"vxkit/join/{classroom_links.code('valparaiso_1m')}")
    page = valpo.body.decode()
    assert '<html lang="es-ES" dir="ltr">' in page
    assert "¿Quién eres? Elige tu nombre:" in page
    lyon = await person_factory().fetch(f"vxkit/join/{classroom_links.code('lyon_4b')}")
    assert "Qui es-tu ? Choisis ton prénom :" in lyon.body.decode()
    nairobi = await person_factory().fetch(f"vxkit/join/{classroom_links.code('nairobi_7')}")
    assert "Who are you? Pick your name:" in nairobi.body.decode()
    # a wrong code: the browser's language (no class to go by), and the code it tried
    wrong = await person_factory().fetch(
        "vxkit/join/NOPE42", headers={"Accept-Language": "es-CL,es;q=0.9"}
    )
    assert wrong.code == 404
    assert "El código &quot;NOPE42&quot; no es un código de acceso" in wrong.body.decode()
    # a student who never entered her personal code is told so in her class's language
    valentina = person_factory()
    await valentina.join(classroom_links.code("valparaiso_1m"), name="Valentina")
    refused = await valentina.fetch("vxkit/api/assignments/meet_partners/submit", "POST", {})
    assert refused.code == 403
    answer = json.loads(refused.body)
    assert answer["reason"] == "personal_code"
    assert answer["message"].startswith("Para ver tus notas")


async def test_an_arabic_class_gets_a_right_to_left_join_page(
    person_factory, classroom_links, demo_workspace
):
    toml = demo_workspace.exchange_file
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('languages = ["es"]', 'languages = ["ar"]'),
        encoding="utf-8",
    )
    response = await person_factory().fetch(f"vxkit/join/{classroom_links.code('valparaiso_1m')}")
    page = response.body.decode()
    assert '<html lang="ar-SA" dir="rtl">' in page
    assert "من أنت؟ اختر اسمك:" in page
