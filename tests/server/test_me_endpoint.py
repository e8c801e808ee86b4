"""``GET /vxkit/api/me`` through a real classroom server: who is asking and what the front end
may show them, from the policy (the front end hides; the gate still refuses)."""

from __future__ import annotations

import json

import pytest

from vxkit.server.links import TEACHER_KEY, VISITOR_KEY
from vxkit.server.policy import CAPABILITIES, ENDPOINTS, capabilities

NOTHING = dict.fromkeys(CAPABILITIES, False)


async def me(person) -> dict:
    response = await person.fetch("vxkit/api/me")
    assert response.code == 200, (response.code, response.body)
    return json.loads(response.body)


async def test_a_student_is_told_who_she_is_and_gets_no_teacher_tools(
    person_factory, classroom_links
):
    chloe = person_factory()
    assert (await chloe.join(classroom_links.code("lyon_4b"), name="Chloé")).code == 302
    answer = await me(chloe)
    assert answer["role"] == "student"
    assert answer["name"] == "Chloé"
    assert answer["class"] == "lyon_4b"
    assert answer["team"] == "team_rivers"
    assert answer["team_folder"] == "projects/team_rivers"
    assert answer["city"] == "Lyon"
    assert answer["colour"].startswith("#")
    assert answer["verified"] is False  # picked her name; no personal code yet
    assert answer["capabilities"] == {**NOTHING, "handin": True}
    # what it hides, the server refuses (hiding is only for comfort)
    assert (await chloe.fetch("api/terminals", "POST", {})).code == 403


async def test_a_verified_student_says_so(person_factory, classroom_links):
    chloe = person_factory()
    response = await chloe.join_with_card(
        classroom_links.code("lyon_4b"), classroom_links.card("lyon_4b-chloe")
    )
    assert response.code == 302
    assert (await me(chloe))["verified"] is True


async def test_a_visitor_gets_nothing_of_the_teachers_and_no_hand_in(
    person_factory, classroom_links
):
    granny = person_factory()
    await granny.join(classroom_links.code(VISITOR_KEY), nickname="Granny")
    answer = await me(granny)
    assert answer["role"] == "visitor"
    assert answer["name"].startswith("Granny")
    assert answer["team"] is None and answer["team_folder"] is None
    assert answer["capabilities"] == NOTHING


@pytest.mark.parametrize("via", ["link", "token"])
async def test_teachers_keep_every_tool(person_factory, classroom_links, via):
    if via == "token":
        teacher = person_factory(teacher=True)
    else:
        teacher = person_factory()
        await teacher.join(classroom_links.code(TEACHER_KEY), name="Mr Otieno")
    answer = await me(teacher)
    assert answer["role"] == "teacher"
    assert answer["verified"] is True
    assert answer["capabilities"] == {**dict.fromkeys(CAPABILITIES, True), "handin": False}


async def test_nobody_signed_in_is_refused(person_factory):
    assert (await person_factory().fetch("vxkit/api/me")).code == 403


def test_every_capability_names_a_routed_handler():
    """A renamed handler would silently turn a tool off (or on): each capability's handler is
    in the route census, and ``ENDPOINTS`` grants none of them to students but hand-ins."""
    from pathlib import Path

    census = (Path(__file__).parent / "route_census.txt").read_text()
    routed = {line.split("\t")[0] for line in census.splitlines()}
    for name, (handler, _method) in CAPABILITIES.items():
        assert handler in routed, (name, handler)
    assert "vxkit.server.me:MeHandler" in ENDPOINTS
    assert capabilities(None) == NOTHING


async def test_join_links_are_for_teachers_only(person_factory, classroom_links):
    chloe = person_factory()
    await chloe.join(classroom_links.code("lyon_4b"), name="Chloé")
    refused = await chloe.fetch("vxkit/api/links")
    assert refused.code == 403
    assert classroom_links.code("lyon_4b") not in refused.body.decode()
    teacher = person_factory()
    await teacher.join(classroom_links.code(TEACHER_KEY), name="Mr Otieno")
    response = await teacher.fetch("vxkit/api/links")
    assert response.code == 200
    links = json.loads(response.body)
    lyon = next(c for c in links["classes"] if c["id"] == "lyon_4b")
    assert lyon["code"] == classroom_links.code("lyon_4b")
    assert lyon["url"].endswith("/vxkit/join/" + lyon["code"])
    assert links["visitor"]["code"] == classroom_links.code(VISITOR_KEY)
