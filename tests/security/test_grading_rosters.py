"""Grading endpoints as another student, and rosters to visitors.

Design (issue 10, identity hygiene): picking a name on the class link is enough to co-edit,
not to be that student where it matters. A browser that only clicked "Chloé" (Lucas's, in
these attacks) gets 403 on Chloé's grades, hand-ins and feedback until her personal code
is entered; the attacks never enter it."""

from __future__ import annotations

import json

import pytest

from .conftest import UNIT, Browser, Server, signed_in

REFUSED = (401, 403)


@pytest.fixture(scope="module")
def fake_chloe(server: Server) -> Browser:
    """Lucas's browser, where he opened the Lyon link and clicked "Chloé" instead of his name."""
    return signed_in(server, "lyon_4b", "lucas as chloe", name="Chloé")


@pytest.mark.parametrize("action", ["fetch", "submit", "feedback"])
def test_picked_name_cannot_act_for_that_student(server: Server, fake_chloe: Browser, action: str):
    """Door: a classmate who clicks Chloé's name fetches, hands in or gets feedback as her."""
    response = fake_chloe.post(f"vxkit/api/assignments/{UNIT}/{action}")
    assert response.status_code in REFUSED, (response.status_code, response.text[:300])


def test_picked_name_cannot_read_that_students_grades(server: Server, fake_chloe: Browser):
    """Door: a classmate who clicks Chloé's name reads her grades (GET /vxkit/api/grades)."""
    response = fake_chloe.get("vxkit/api/grades")
    assert response.status_code in REFUSED, response.status_code


def test_picked_name_cannot_open_that_students_assignment_page(server: Server, fake_chloe: Browser):
    """Door: the /vxkit/assignments page shows Chloé's scores and hand-in buttons to anyone
    who clicked her name."""
    response = fake_chloe.get("vxkit/assignments")
    assert "Hand in" not in response.text, response.status_code


def test_body_naming_another_student_is_ignored(server: Server, chloe: Browser):
    """Door: Chloé's fetch request names Lucas in the body (student id, name, team)."""
    chloe.post(
        f"vxkit/api/assignments/{UNIT}/fetch",
        {"student_id": "lyon_4b-lucas", "student": "Lucas", "team": "team_forests"},
    )
    assert not (server.root / "students" / "lyon_4b-lucas" / UNIT).exists()


def test_hand_in_naming_another_student_is_filed_under_the_sender(server: Server, chloe: Browser):
    """Door: Chloé fetches, then hands in with a body naming Lucas: the submission is filed
    (and graded) as his."""
    chloe.post(f"vxkit/api/assignments/{UNIT}/fetch")
    chloe.post(
        f"vxkit/api/assignments/{UNIT}/submit",
        {"student_id": "lyon_4b-lucas", "student": "Lucas", "team": "team_forests"},
    )
    inbound = server.root / ".vxkit" / "exchange" / "vxkit_demo" / "inbound"
    theirs = [p.name for p in inbound.iterdir() if p.name.startswith("lyon_4b-lucas")]
    assert not theirs, theirs
    assert not (server.root / ".vxkit" / "nbgrader_cache" / "lyon_4b-lucas").exists()


@pytest.mark.parametrize("query", ["?class=lyon_4b", "?student=lyon_4b-lucas", "?class=nairobi_7"])
def test_grades_query_does_not_widen_what_a_student_sees(
    server: Server, chloe: Browser, query: str
):
    """Door: ?class= or ?student= on /vxkit/api/grades shows classmates' grades."""
    response = chloe.get(f"vxkit/api/grades{query}")
    if response.status_code != 200:
        return
    rows = response.json()["grades"]
    assert all(r.get("student_id", "lyon_4b-chloe") == "lyon_4b-chloe" for r in rows), rows
    assert "Lucas" not in response.text


@pytest.mark.parametrize("url", ["vxkit/api/grades", "vxkit/api/assignments", "vxkit/assignments"])
def test_visitor_gets_no_grading(visitor: Browser, url: str):
    """Door: a visitor reads grades, assignments or the assignments page."""
    response = visitor.get(url)
    assert response.status_code in REFUSED, response.status_code


@pytest.mark.parametrize("action", ["fetch", "submit", "feedback"])
def test_visitor_cannot_use_grading_actions(visitor: Browser, action: str):
    """Door: a visitor fetches, hands in or gets feedback."""
    response = visitor.post(f"vxkit/api/assignments/{UNIT}/{action}")
    assert response.status_code in REFUSED, response.status_code


# ----------------------------------------------------------------------------------------------
# rosters


def test_exchange_api_gives_visitors_no_roster(visitor: Browser):
    """Door: GET /vxkit/api/exchange lists every student of every class, and every team's
    members, to a visitor."""
    response = visitor.get("vxkit/api/exchange")
    if response.status_code in REFUSED:
        return
    data = response.json()
    students = [n for c in data.get("classes", []) for n in c.get("students", [])]
    members = [m for t in data.get("teams", []) for m in t.get("members", [])]
    assert not students and not members, (students[:3], members[:3])
    for name in ("Chloé", "Amani", "Valentina"):
        assert name not in json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("url", ["vxkit/api/presence", "vxkit/api/contributions"])
def test_visitor_sees_no_names_in_presence_or_contributions(visitor: Browser, url: str):
    """Door: who is connected, and who wrote what, told to a visitor."""
    response = visitor.get(url)
    assert response.status_code in REFUSED, response.status_code


def test_stranger_gets_no_exchange(stranger: Browser):
    """Door: someone with just the address reads the exchange (classes, schools, rosters)."""
    response = stranger.get("vxkit/api/exchange")
    assert response.status_code in REFUSED, response.status_code
    assert "Chloé" not in response.text


@pytest.mark.parametrize("who", ["chloe", "visitor", "stranger"])
@pytest.mark.parametrize("url", ["vxkit/class-links", "vxkit/api/links"])
def test_class_links_are_for_teachers_only(server: Server, request, who: str, url: str):
    """Door: the teacher's page of join links (Help > Class links) and its API, opened by a
    pupil, a visitor or a stranger: with the teachers' code a pupil becomes a teacher."""
    person: Browser = request.getfixturevalue(who)
    response = person.get(url)
    assert response.status_code in (*REFUSED, 302), response.status_code
    for marker in server.links_secret_markers():
        assert marker not in response.text
    assert server.codes["lyon_4b"] not in response.text
