"""Other teams' kernels and sessions, and session squatting: Chloé (team A) goes after the
kernel of Lucas (team B) and the teacher's notebooks; the visitor after everyone's."""

from __future__ import annotations

import pytest

from .conftest import (
    SOURCE_NOTEBOOK,
    TEAM_A,
    TEAM_B,
    TEAM_B_NOTEBOOK,
    Browser,
    Server,
    run_code,
    start_session,
)

REFUSED = (403, 404)


def kernel_of(session: dict) -> str:
    return session["kernel"]["id"]


# ----------------------------------------------------------------------------------------------
# listing


def test_student_does_not_list_other_teams_sessions(chloe: Browser, team_b_session: dict):
    """Door: GET /api/sessions lists every session, with the kernel ids of other teams."""
    response = chloe.get("api/sessions")
    assert response.status_code in (200, 403), response.status_code
    assert team_b_session["id"] not in response.text
    assert kernel_of(team_b_session) not in response.text
    assert TEAM_B not in response.text


def test_student_does_not_list_other_teams_kernels(chloe: Browser, team_b_session: dict):
    """Door: GET /api/kernels lists every kernel id on the server."""
    response = chloe.get("api/kernels")
    assert response.status_code in (200, 403), response.status_code
    assert kernel_of(team_b_session) not in response.text


def test_student_cannot_read_other_teams_kernel(chloe: Browser, team_b_session: dict):
    """Door: GET /api/kernels/<team B's kernel> answers its model (state, connections)."""
    assert chloe.get(f"api/kernels/{kernel_of(team_b_session)}").status_code in REFUSED


def test_student_cannot_read_other_teams_session(chloe: Browser, team_b_session: dict):
    """Door: GET /api/sessions/<team B's session> answers its path and kernel."""
    assert chloe.get(f"api/sessions/{team_b_session['id']}").status_code in REFUSED


@pytest.mark.parametrize("url", ["api/sessions", "api/kernels"])
def test_visitor_lists_no_sessions_or_kernels(
    visitor: Browser, team_a_session: dict, team_b_session: dict, url: str
):
    """Door: a visitor lists the students' sessions and kernels (and so their ids)."""
    response = visitor.get(url)
    assert response.status_code in (200, 403), response.status_code
    for session in (team_a_session, team_b_session):
        assert kernel_of(session) not in response.text


@pytest.mark.parametrize("url", ["api/sessions", "api/kernels", "api/kernelspecs"])
def test_stranger_lists_nothing(stranger: Browser, url: str):
    """Door: someone with no cookie at all lists sessions, kernels or kernel specs."""
    assert stranger.get(url).status_code in (401, 403)


# ----------------------------------------------------------------------------------------------
# using another team's kernel


async def test_student_cannot_run_code_in_other_teams_kernel(
    server: Server, chloe: Browser, team_b_session: dict
):
    """Door: Chloé opens team B's kernel websocket and runs code there (as Lucas's notebook)."""
    code = "open('chloe_ran_here.txt', 'w').write('x'); print('RAN' + '-IN-B')"
    output = await run_code(chloe, kernel_of(team_b_session), code, timeout=20)
    assert output is None or "RAN-IN-B" not in output, output
    assert not (server.root / TEAM_B / "chloe_ran_here.txt").exists()


async def test_visitor_cannot_run_code_in_a_students_kernel(visitor: Browser, team_a_session: dict):
    """Door: a visitor opens Chloé's kernel websocket and runs code."""
    output = await run_code(visitor, kernel_of(team_a_session), "print('VISITOR' + '-RAN')", 20)
    assert output is None or "VISITOR-RAN" not in output, output


def test_visitor_cannot_start_a_kernel(visitor: Browser):
    """Door: a visitor starts a kernel of their own (POST /api/kernels)."""
    assert visitor.post("api/kernels", {"name": "python3"}).status_code == 403


def test_student_cannot_interrupt_other_teams_kernel(chloe: Browser, team_b_session: dict):
    """Door: POST /api/kernels/<team B's kernel>/interrupt."""
    response = chloe.post(f"api/kernels/{kernel_of(team_b_session)}/interrupt")
    assert response.status_code in REFUSED, response.status_code


def test_student_cannot_restart_other_teams_kernel(chloe: Browser, team_b_session: dict):
    """Door: POST /api/kernels/<team B's kernel>/restart (Lucas loses all his variables)."""
    response = chloe.post(f"api/kernels/{kernel_of(team_b_session)}/restart")
    assert response.status_code in REFUSED, response.status_code


@pytest.fixture(scope="module")
def team_b_spare(lucas: Browser) -> dict:
    """A second notebook of team B (a session needs no file) with its own kernel: the target of
    the deletions."""
    return start_session(lucas, f"{TEAM_B}/spare.ipynb")


def test_student_cannot_delete_other_teams_kernel(
    chloe: Browser, teacher: Browser, team_b_spare: dict
):
    """Door: DELETE /api/kernels/<team B's kernel>."""
    response = chloe.delete(f"api/kernels/{kernel_of(team_b_spare)}")
    assert response.status_code in REFUSED, response.status_code
    assert teacher.get(f"api/kernels/{kernel_of(team_b_spare)}").status_code == 200


def test_student_cannot_delete_other_teams_session(
    chloe: Browser, teacher: Browser, team_b_session: dict
):
    """Door: DELETE /api/sessions/<team B's session> (closes Lucas's notebook kernel)."""
    spare = start_session(teacher, f"{TEAM_B}/spare.ipynb")
    response = chloe.delete(f"api/sessions/{spare['id']}")
    assert response.status_code in REFUSED, response.status_code
    assert teacher.get(f"api/sessions/{spare['id']}").status_code == 200


# ----------------------------------------------------------------------------------------------
# session squatting


def test_student_cannot_create_session_on_teachers_notebook(chloe: Browser, teacher: Browser):
    """Door: Chloé creates a session on the nbgrader source notebook's path; JupyterLab
    reuses it when the teacher opens that notebook, so what the teacher runs there runs in
    a kernel Chloé holds."""
    response = chloe.post(
        "api/sessions",
        {"path": SOURCE_NOTEBOOK, "type": "notebook", "name": "x", "kernel": {"name": "python3"}},
    )
    assert response.status_code in REFUSED, response.status_code
    sessions = teacher.get("api/sessions").json()
    assert not [s for s in sessions if s["path"] == SOURCE_NOTEBOOK], sessions


async def test_teachers_kernel_is_out_of_a_squatters_reach(chloe: Browser, teacher: Browser):
    """Door, end to end: after Chloé's squatting attempt on a teacher's notebook, the kernel the
    teacher gets there is one Chloé can't run code in."""
    path = "course/source/meet_partners/squatted.ipynb"
    chloe.post(
        "api/sessions",
        {"path": path, "type": "notebook", "name": "x", "kernel": {"name": "python3"}},
    )
    mine = start_session(teacher, path)
    output = await run_code(chloe, kernel_of(mine), "print('SQUAT' + 'TED')", timeout=20)
    assert output is None or "SQUATTED" not in output, output


def test_student_cannot_join_other_teams_session_by_path(chloe: Browser, team_b_session: dict):
    """Door: Chloé POSTs a session on team B's notebook path; the server hands her Lucas's
    running session and kernel."""
    response = chloe.post(
        "api/sessions",
        {"path": TEAM_B_NOTEBOOK, "type": "notebook", "name": "x", "kernel": {"name": "python3"}},
    )
    assert response.status_code in REFUSED, response.status_code
    assert kernel_of(team_b_session) not in response.text


@pytest.fixture(scope="module")
def chloe_spare(chloe: Browser) -> dict:
    """A second notebook of team A (a session needs no file) open by Chloé: the session she
    tries to move."""
    return start_session(chloe, f"{TEAM_A}/spare.ipynb")


@pytest.mark.parametrize("target", [SOURCE_NOTEBOOK, TEAM_B_NOTEBOOK, "exchange.toml"])
def test_student_cannot_move_a_session_out_of_her_area(
    chloe: Browser, teacher: Browser, chloe_spare: dict, target: str
):
    """Door: PATCH /api/sessions/<hers> with a path outside her team folder, so her kernel
    sits on the teacher's (or team B's) notebook."""
    response = chloe.patch(f"api/sessions/{chloe_spare['id']}", {"path": target})
    assert response.status_code in REFUSED, response.status_code
    model = teacher.get(f"api/sessions/{chloe_spare['id']}").json()
    assert model["path"].startswith(TEAM_A), model["path"]


def test_student_cannot_swap_her_session_onto_other_teams_kernel(
    chloe: Browser, teacher: Browser, chloe_spare: dict, team_b_session: dict
):
    """Door: PATCH /api/sessions/<hers> with `{"kernel": {"id": <team B's kernel>}}`, then
    open her session, now wired to Lucas's kernel."""
    response = chloe.patch(
        f"api/sessions/{chloe_spare['id']}", {"kernel": {"id": kernel_of(team_b_session)}}
    )
    assert response.status_code in REFUSED, response.status_code
    model = teacher.get(f"api/sessions/{chloe_spare['id']}").json()
    assert model["kernel"]["id"] != kernel_of(team_b_session)


@pytest.mark.parametrize("kind", ["kernel", "room", "events"])
async def test_stranger_opens_no_websocket(
    server: Server, stranger: Browser, chloe: Browser, team_a_session: dict, kind: str
):
    """Door: someone with no cookie opens a kernel websocket (by a kernel id seen over a
    shoulder), a room websocket, or the event stream."""
    from .conftest import TEAM_A_NOTEBOOK, document_session

    if kind == "kernel":
        path = f"api/kernels/{kernel_of(team_a_session)}/channels"
    elif kind == "room":
        session = document_session(chloe, TEAM_A_NOTEBOOK)
        path = f"api/collaboration/room/json:notebook:{session['fileId']}"
        path += f"?sessionId={session['sessionId']}"
    else:
        path = "api/events/subscribe"
    try:
        conn = await stranger.websocket(path)
    except Exception:
        return
    conn.close()
    raise AssertionError(f"a stranger opened the {kind} websocket")
