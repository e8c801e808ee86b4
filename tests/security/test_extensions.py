"""Other extensions' handlers (nbgrader, terminals, shutdown, extension manager, LSP,
nbconvert, kernel specs, config), lab settings and workspaces, and visitor writes through
the contents API."""

from __future__ import annotations

import json

import pytest

from .conftest import (
    LINKS_FILE,
    SOLUTION_MARKER,
    SOURCE_NOTEBOOK,
    TEAM_A,
    TEAM_A_NOTEBOOK,
    TEAM_B,
    Browser,
    Server,
    shows,
)

REFUSED = (401, 403, 404, 405)
STUDENT_AND_VISITOR = ["chloe", "visitor"]


@pytest.fixture
def person(request: pytest.FixtureRequest) -> Browser:
    return request.getfixturevalue(request.param)


# ----------------------------------------------------------------------------------------------
# nbgrader's handlers


@pytest.mark.parametrize("person", STUDENT_AND_VISITOR, indirect=True)
@pytest.mark.parametrize(
    "url",
    [
        "formgrader",
        "formgrader/api/assignments",
        "formgrader/api/submissions/meet_partners",
        "formgrader/gradebook",
        "formgraders",
        "assignments?course_id=vxkit_demo",
        "courses",
    ],
)
def test_nbgrader_pages_closed(server: Server, person: Browser, url: str):
    """Door: nbgrader's formgrader, assignment list and course list (the last two never ask
    the authorizer) answer students and visitors."""
    response = person.get(url)
    assert response.status_code in REFUSED, response.status_code


def test_nbgrader_fetch_action_closed_to_visitor(server: Server, visitor: Browser):
    """Door: nbgrader's own POST /assignments/fetch copies a released assignment for a visitor."""
    response = visitor.post(
        "assignments/fetch",
        data={"course_id": "vxkit_demo", "assignment_id": "meet_partners"},
    )
    assert response.status_code in REFUSED, response.status_code


@pytest.mark.parametrize("person", STUDENT_AND_VISITOR, indirect=True)
def test_nbgrader_validate_of_source_refused(server: Server, person: Browser):
    """Door: POST /assignments/validate on the source notebook runs it on the server and
    answers with its cells (the solutions)."""
    response = person.post("assignments/validate", {"path": SOURCE_NOTEBOOK})
    assert not shows(response, SOLUTION_MARKER)
    assert response.status_code in REFUSED, response.status_code


def test_nbgrader_validate_runs_no_student_code_unconfined(server: Server, chloe: Browser):
    """Door: Chloé writes a notebook in her team folder whose code copies the workspace
    secret into her folder, and has nbgrader validate it: the server runs it in a kernel of
    its own, outside any sandbox."""
    leak = server.root / TEAM_A / "leak.txt"
    code = f"open({str(leak)!r}, 'w').write(open({str(server.root / LINKS_FILE)!r}).read())"
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "a",
                "metadata": {},
                "outputs": [],
                "source": code,
            }
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = f"{TEAM_A}/check_me.ipynb"
    saved = chloe.put(f"api/contents/{path}", {"type": "notebook", "content": nb})
    assert saved.status_code in (200, 201), saved.status_code
    response = chloe.post("assignments/validate", {"path": path})
    leaked = leak.read_text("utf-8") if leak.exists() else ""
    for marker in server.links_secret_markers():
        assert not shows(response, marker)
        assert marker not in leaked, "validate ran Chloé's code with the server's rights"


# ----------------------------------------------------------------------------------------------
# terminals, shutdown, extension manager, LSP


@pytest.mark.parametrize("person", STUDENT_AND_VISITOR, indirect=True)
def test_terminal_cannot_be_opened(server: Server, person: Browser, teacher: Browser):
    """Door: POST /api/terminals opens a shell on the teacher's laptop."""
    response = person.post("api/terminals")
    assert response.status_code in REFUSED, response.status_code


async def test_terminal_websocket_closed_to_student(chloe: Browser, teacher: Browser):
    """Door: the websocket of a terminal the teacher opened, reached by its name."""
    made = teacher.post("api/terminals")
    assert made.status_code == 200, made.status_code
    name = made.json()["name"]
    try:
        conn = await chloe.websocket(f"terminals/websocket/{name}")
    except Exception:
        conn = None
    if conn is not None:
        await conn.write_message(json.dumps(["stdin", "echo PWN''ED\r"]))
        seen = ""
        for _ in range(20):
            message = await conn.read_message()
            if message is None:
                break
            seen += message
            if "PWNED" in seen:
                break
        conn.close()
        assert "PWNED" not in seen
    teacher.delete(f"api/terminals/{name}")


@pytest.mark.parametrize("person", STUDENT_AND_VISITOR, indirect=True)
def test_shutdown_refused(server: Server, person: Browser, teacher: Browser):
    """Door: POST /api/shutdown stops the server in the middle of the lesson."""
    response = person.post("api/shutdown")
    assert response.status_code in REFUSED, response.status_code
    assert teacher.get("api/status").status_code == 200


@pytest.mark.parametrize("person", STUDENT_AND_VISITOR, indirect=True)
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "lab/api/extensions"),
        ("POST", "lab/api/extensions"),
        ("GET", "lsp/status"),
    ],
)
def test_teacher_tools_closed(server: Server, person: Browser, method: str, url: str):
    """Door: the lab extension manager (installs packages) and jupyter-lsp's status (the
    server's executables and root)."""
    body = {"cmd": "install", "extension_name": "evil"} if method == "POST" else None
    response = person.request(method, url, json=body)
    assert response.status_code in REFUSED, response.status_code


async def test_lsp_websocket_closed_to_student(chloe: Browser):
    """Door: jupyter-lsp's websocket starts a language server as the teacher's user, which
    reads any file (pylsp's definition lookups)."""
    try:
        conn = await chloe.websocket("lsp/ws/pylsp")
    except Exception:
        return
    conn.close()
    raise AssertionError("the LSP websocket accepted a student")


@pytest.mark.parametrize("person", STUDENT_AND_VISITOR, indirect=True)
def test_nbconvert_of_source_refused(server: Server, person: Browser):
    """Door: /nbconvert/script/<source notebook> downloads the solutions."""
    response = person.get(f"nbconvert/script/{SOURCE_NOTEBOOK}?download=true")
    assert not shows(response, SOLUTION_MARKER)
    assert response.status_code in REFUSED, response.status_code


@pytest.mark.parametrize("person", STUDENT_AND_VISITOR, indirect=True)
@pytest.mark.parametrize("method", ["PUT", "POST", "PATCH", "DELETE"])
def test_kernelspecs_cannot_be_written(server: Server, person: Browser, method: str):
    """Door: writing a kernel spec (the command a kernel starts with)."""
    spec = {"argv": ["sh", "-c", "touch /tmp/pwned"], "display_name": "x", "language": "sh"}
    response = person.request(method, "api/kernelspecs/python3", json=spec)
    assert response.status_code in REFUSED, response.status_code


@pytest.mark.parametrize("person", STUDENT_AND_VISITOR, indirect=True)
@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_frontend_config_cannot_be_written(
    server: Server, person: Browser, teacher: Browser, method: str
):
    """Door: PUT/PATCH /api/config/<section> writes the server's nbconfig for everyone."""
    response = person.request(method, "api/config/notebook", json={"redteam": "pwned"})
    assert response.status_code in REFUSED, response.status_code
    assert "pwned" not in teacher.get("api/config/notebook").text


# ----------------------------------------------------------------------------------------------
# lab settings and workspaces


THEMES = "lab/api/settings/@jupyterlab/apputils-extension:themes"


@pytest.mark.parametrize("person", STUDENT_AND_VISITOR, indirect=True)
def test_lab_settings_cannot_be_written(server: Server, person: Browser, teacher: Browser):
    """Door: PUT lab settings (shared by everyone on the server, the teacher included).
    Design: students and visitors may GET settings, never PUT them."""
    raw = json.dumps({"theme": "JupyterLab Dark", "redteam": "pwned-settings"})
    response = person.put(THEMES, {"raw": raw})
    assert response.status_code in REFUSED, response.status_code
    assert "pwned-settings" not in teacher.get(THEMES).text


@pytest.mark.parametrize("person", STUDENT_AND_VISITOR, indirect=True)
def test_teachers_workspace_cannot_be_rewritten(server: Server, person: Browser, teacher: Browser):
    """Door: PUT /lab/api/workspaces/default rewrites the layout the teacher's JupyterLab
    opens (e.g. an open source notebook shown on the projector). Design: each person gets
    their own workspace; nobody writes another's."""
    layout = {"data": {"redteam": "pwned-layout"}, "metadata": {"id": "default"}}
    response = person.put("lab/api/workspaces/default", layout)
    assert response.status_code in REFUSED, response.status_code
    assert "pwned-layout" not in teacher.get("lab/api/workspaces/default").text


@pytest.mark.parametrize("person", STUDENT_AND_VISITOR, indirect=True)
def test_teachers_workspace_cannot_be_deleted_or_read(
    server: Server, person: Browser, teacher: Browser
):
    """Door: the teacher's workspace layout is read (it names the files the teacher has open)
    or deleted."""
    marker = {"data": {"file-browser-filebrowser:cwd": {"path": "course/source"}}}
    teacher.put("lab/api/workspaces/default", {**marker, "metadata": {"id": "default"}})
    read = person.get("lab/api/workspaces/default")
    assert "course/source" not in read.text, read.status_code
    person.delete("lab/api/workspaces/default")
    assert "course/source" in teacher.get("lab/api/workspaces/default").text


# ----------------------------------------------------------------------------------------------
# writes through the contents API


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("PUT", TEAM_A_NOTEBOOK, {"type": "file", "format": "text", "content": "pwned"}),
        ("POST", TEAM_A, {"type": "notebook"}),
        ("POST", TEAM_A, {"copy_from": TEAM_A_NOTEBOOK}),
        ("PATCH", TEAM_A_NOTEBOOK, {"path": f"{TEAM_A}/renamed.ipynb"}),
        ("DELETE", TEAM_A_NOTEBOOK, None),
        ("POST", f"{TEAM_A_NOTEBOOK}/checkpoints", None),
    ],
    ids=["put", "post-new", "post-copy", "patch-rename", "delete", "checkpoint"],
)
def test_visitor_cannot_write_through_contents_api(
    server: Server, visitor: Browser, method: str, url: str, body
):
    """Door: a visitor changes a team's files with the contents API (PUT, POST, PATCH,
    DELETE, checkpoints)."""
    before = sorted(p.name for p in (server.root / TEAM_A).iterdir())
    content = (server.root / TEAM_A_NOTEBOOK).read_bytes()
    response = visitor.request(method, f"api/contents/{url}", json=body)
    assert response.status_code in REFUSED, response.status_code
    assert (server.root / TEAM_A_NOTEBOOK).read_bytes() == content
    assert sorted(p.name for p in (server.root / TEAM_A).iterdir()) == before


@pytest.mark.parametrize(
    "destination",
    [
        "course/source/meet_partners/mine.ipynb",
        f"{TEAM_B}/mine.ipynb",
        f"{TEAM_A}/../team_forests/mine.ipynb",
        ".vxkit/mine.ipynb",
    ],
)
def test_student_cannot_rename_into_forbidden_folder(
    server: Server, chloe: Browser, destination: str
):
    """Door: PATCH (rename) of Chloé's own file with a destination outside her team folder."""
    name = f"{TEAM_A}/to_move_{abs(hash(destination))}.txt"
    made = chloe.put(f"api/contents/{name}", {"type": "file", "format": "text", "content": "x"})
    assert made.status_code in (200, 201), made.status_code
    response = chloe.patch(f"api/contents/{name}", {"path": destination})
    assert response.status_code in REFUSED, response.status_code
    assert (server.root / name).exists()


@pytest.mark.parametrize(
    "source",
    [SOURCE_NOTEBOOK, f"{TEAM_B}/secret_plan.txt", f"{TEAM_A}/../../{SOURCE_NOTEBOOK}"],
)
def test_student_cannot_copy_from_forbidden_file(server: Server, chloe: Browser, source: str):
    """Door: POST /api/contents/<her folder> with `copy_from` a file she may not read."""
    response = chloe.post(f"api/contents/{TEAM_A}", {"copy_from": source})
    assert response.status_code in REFUSED, response.status_code
    copies = [p for p in (server.root / TEAM_A).iterdir() if "Copy" in p.name]
    assert not copies, copies
