"""Join links: students pick their name and become signed, named Jupyter users."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote

import pytest

from vxkit.cli import main
from vxkit.server.links import TEACHER_KEY, VISITOR_KEY, links_for


async def me(person) -> dict:
    response = await person.fetch("api/me")
    assert response.code == 200, response.code
    return json.loads(response.body)["identity"]


async def test_student_joins_through_class_link_and_is_named(person_factory, classroom_links):
    chloe = person_factory()
    page = await chloe.fetch(f"vxkit/join/{classroom_links.code('lyon_4b')}")
    assert page.code == 200
    html = page.body.decode()
    assert "Collège Jean Moulin" in html and "Lyon" in html
    for name in ("Chloé", "Hugo", "Yanis"):
        assert f'value="{name}"' in html
    assert "Amani" not in html  # only this class's roster

    # the code is typed by people: case and spaces don't matter
    code = classroom_links.code("lyon_4b").lower()
    response = await chloe.join(f"{code[:3]}-{code[3:]}", name="Chloé")
    assert response.code == 302
    assert response.headers["Location"].endswith("lab/tree/projects/team_rivers")
    identity = await me(chloe)
    assert identity["username"] == "lyon_4b-chloe"
    assert identity["name"] == identity["display_name"] == "Chloé (Lyon)"
    assert identity["color"] == "#1b9e77"
    assert identity["initials"] == "C"
    assert identity["vxkit"]["city"] == "Lyon"
    assert "generation" not in identity
    # the name is the roster's, signed: it can't be changed through /api/me
    renamed = await chloe.fetch("api/me", "PATCH", {"display_name": "Mme Laurent"})
    assert renamed.code >= 400
    assert (await me(chloe))["display_name"] == "Chloé (Lyon)"


async def test_name_not_on_roster_is_refused_with_a_sentence(person_factory, classroom_links):
    intruder = person_factory()
    response = await intruder.join(classroom_links.code("nairobi_7"), name="<b>Mallory</b>")
    assert response.code == 400
    body = response.body.decode()
    assert "&quot;&lt;b&gt;Mallory&lt;/b&gt;&quot; is not on the roster" in body
    assert "<b>Mallory" not in body
    assert (await intruder.fetch("api/me")).code == 403


@pytest.mark.parametrize("code", ["ZZZZZZ", "<script>alert(1)</script>", ""])
async def test_wrong_code_gets_a_friendly_page(person_factory, code):
    someone = person_factory()
    response = await someone.fetch(f"vxkit/join/{code}")
    assert response.code == 404
    body = response.body.decode()
    assert "This link does not work" in body
    assert "Ask your teacher for the current link" in body
    assert "Traceback" not in body and "<script>" not in body


async def test_revoked_code_stops_working_and_ends_its_sessions(
    person_factory, classroom_links, demo_workspace
):
    amani = person_factory()
    old = classroom_links.code("nairobi_7")
    assert (await amani.join(old, name="Amani")).code == 302
    assert (await me(amani))["username"] == "nairobi_7-amani"

    assert main(["links", str(demo_workspace.root), "--revoke", "nairobi_7"]) == 0
    new = links_for(demo_workspace).code("nairobi_7")
    assert new != old
    assert (await person_factory().fetch(f"vxkit/join/{old}")).code == 404
    assert (await amani.fetch("api/me")).code == 403  # the old session is over
    login = await amani.fetch("login")  # where JupyterLab sends someone signed out
    assert "open your class&#39;s join link again" in login.body.decode()
    assert (await amani.join(new, name="Amani")).code == 302
    assert (await me(amani))["username"] == "nairobi_7-amani"


async def test_edited_cookie_cannot_change_who_you_are(
    person_factory, classroom_links, jp_serverapp
):
    inés = person_factory()
    assert (await inés.join(classroom_links.code("lyon_4b"), name="Inès")).code == 302
    name = next(k for k in inés.cookies if k.startswith("username-"))
    value = inés.cookies[name]
    # tornado's signed value: version|key|timestamp|len:value|len:b64payload|signature
    fields = value.split("|")
    payload = base64.b64decode(fields[4].split(":", 1)[1])
    forged = payload.replace(b'role\\": \\"student', b'role\\": \\"teacher')
    assert forged != payload
    forged_b64 = base64.b64encode(forged).decode()
    fields[4] = f"{len(forged_b64)}:{forged_b64}"
    inés.cookies[name] = "|".join(fields)
    assert (await inés.fetch("api/me")).code == 403

    # even a cookie re-signed with the server's cookie secret needs the workspace signature
    handler_secret = jp_serverapp.web_app.settings["cookie_secret"]
    from tornado.web import create_signed_value

    inner = json.loads(payload)
    inner["vxkit"] = inner["vxkit"].replace('"student"', '"teacher"')
    resigned = create_signed_value(handler_secret, name, json.dumps(inner)).decode()
    inés.cookies[name] = resigned
    assert (await inés.fetch("api/me")).code == 403


async def test_teacher_and_visitor_links(person_factory, classroom_links):
    teacher = person_factory()
    assert (await teacher.join(classroom_links.code(TEACHER_KEY), name="Mr Otieno")).code == 302
    assert (await me(teacher))["display_name"] == "Mr Otieno (Nairobi)"
    grandma = person_factory()
    assert (await grandma.join(classroom_links.code(VISITOR_KEY), nickname="Granny")).code == 302
    assert (await me(grandma))["display_name"] == "Granny (visitor)"


@pytest.mark.parametrize("taken", ["Mr Otieno", "mr  otieno", "Chloé", "CHLOÉ", "Teacher"])
async def test_visitors_cannot_take_the_name_of_a_student_or_teacher(
    person_factory, classroom_links, taken
):
    visitor = person_factory()
    response = await visitor.join(classroom_links.code(VISITOR_KEY), nickname=taken)
    assert response.code == 400
    assert b"choose another name" in response.body
    assert (await visitor.fetch("api/me")).code == 403  # not signed in as anyone


async def test_visitors_see_the_exchange_without_rosters(person_factory, classroom_links):
    visitor = person_factory()
    await visitor.join(classroom_links.code(VISITOR_KEY), nickname="Granny")
    body = (await visitor.fetch("vxkit/api/exchange")).body.decode()
    data = json.loads(body)
    assert all(c["students"] == [] for c in data["classes"])
    assert all(t["members"] == [] for t in data["teams"])
    assert "Chloé" not in body and "Amani" not in body
    student = person_factory()
    await student.join(classroom_links.code("lyon_4b"), name="Chloé")
    assert "Amani" in (await student.fetch("vxkit/api/exchange")).body.decode()


async def test_token_user_is_a_teacher(person_factory):
    teacher = person_factory(teacher=True)
    first = await me(teacher)
    assert first["username"].startswith("teacher-")
    assert first["vxkit"]["role"] == "teacher"
    response = await teacher.fetch("vxkit/api/presence")
    assert response.code == 200
    # two browsers with the same token are two people, as upstream tells them apart
    other = person_factory(teacher=True)
    assert (await me(other))["username"] != first["username"]


def test_links_command_prints_a_link_per_class(demo_workspace, capsys):
    assert main(["links", str(demo_workspace.root), "--url", "http://school.example:8888/"]) == 0
    out = capsys.readouterr().out
    links = links_for(demo_workspace)
    for class_id in ("lyon_4b", "nairobi_7", "valparaiso_1m"):
        assert f"http://school.example:8888/vxkit/join/{links.code(class_id)}" in out
    assert links.code(TEACHER_KEY) in out
    assert (demo_workspace.state_dir / "links.json").stat().st_mode & 0o777 == 0o600
    assert main(["links", str(demo_workspace.root), "--revoke", "paris_3"]) == 1
    assert 'There is no class "paris_3"' in capsys.readouterr().err


async def test_what_may_i_do_answers_each_role_from_the_policy(person_factory, classroom_links):
    """``/api/me?permissions=`` (the front end's question) gets the policy's general answer."""
    query = "api/me?permissions=" + quote(
        json.dumps({"contents": ["read", "write"], "kernels": ["execute"], "terminals": ["read"]})
    )
    chloe, visitor = person_factory(), person_factory()
    await chloe.join(classroom_links.code("lyon_4b"), name="Chloé")
    await visitor.join(classroom_links.code(VISITOR_KEY), nickname="Granny")
    asked = ("contents", "kernels", "terminals")
    student = {
        k: v
        for k, v in json.loads((await chloe.fetch(query)).body)["permissions"].items()
        if k in asked
    }
    watcher = {
        k: v
        for k, v in json.loads((await visitor.fetch(query)).body)["permissions"].items()
        if k in asked
    }
    assert student == {"contents": ["read", "write"], "kernels": ["execute"], "terminals": []}
    assert watcher == {"contents": ["read"], "kernels": [], "terminals": []}
