"""Token exposure: the server's token (which makes anyone the teacher) must never reach a
student, a visitor or a stranger, in a page, an error page or an API answer."""

from __future__ import annotations

import pytest

from .conftest import SOURCE_NOTEBOOK, TEAM_A_NOTEBOOK, TEAM_B_NOTEBOOK, Browser, Server, shows

PERSONAS = ["chloe", "visitor"]


@pytest.fixture
def person(request: pytest.FixtureRequest) -> Browser:
    return request.getfixturevalue(request.param)


def test_harness_sees_the_token_where_the_teacher_gets_it(server: Server, teacher: Browser):
    """Not an attack: the teacher's own /lab page works, so the checks below look at real pages."""
    response = teacher.get("lab")
    assert response.status_code == 200
    assert "jupyter-config-data" in response.text


@pytest.mark.parametrize("person", PERSONAS, indirect=True)
@pytest.mark.parametrize("page", ["lab", f"lab/tree/{TEAM_A_NOTEBOOK}", "lab/tree/projects"])
def test_token_not_in_lab_page(server: Server, person: Browser, page: str):
    """Door: the JupyterLab page config carries the token; `/lab?token=...` in a private
    window then makes the student the teacher."""
    response = person.get(page)
    assert response.status_code == 200, response.status_code  # the page itself is theirs
    assert not shows(response, server.token)


@pytest.mark.parametrize("person", PERSONAS, indirect=True)
@pytest.mark.parametrize(
    "url",
    [
        "no/such/page",  # 404 from jupyter_server's fallback handler
        "lab/no-such-lab-page",  # 404 from jupyterlab_server
        f"files/{SOURCE_NOTEBOOK}",  # 403 from the files handler
        f"files/{TEAM_B_NOTEBOOK}",
        "formgrader",  # 403 from vxkit's teacher-only URLs
        "nbconvert/no_such_format/projects/team_rivers/meet_partners.ipynb",  # 500/404
        "edit/no_such_file.txt",
        "view/projects/team_rivers/no_such_file.html",
        "tree/course/source",
        "lab/workspaces/auto-redteam/tree/course/source",
        "api/contents/no_such_file",  # a JSON 404
        "api/kernels/00000000-0000-0000-0000-000000000000",
        "vxkit/assignments?unit=%00",
    ],
)
def test_token_not_in_error_pages(server: Server, person: Browser, url: str):
    """Door: error pages (404, 403, 500 of several handlers) are rendered with the page
    config, token included."""
    response = person.get(url)
    assert not shows(response, server.token), response.status_code


@pytest.mark.parametrize("person", PERSONAS, indirect=True)
@pytest.mark.parametrize(
    "url",
    [
        "api/me",
        "api/status",
        "api",
        "api/kernelspecs",
        "api/sessions",
        "api/kernels",
        "api/config/notebook",
        "api/config/common",
        "lab/api/settings",
        "lab/api/settings/@jupyterlab/apputils-extension:themes",
        "lab/api/workspaces",
        "lab/api/workspaces/default",
        "lab/api/translations",
        "vxkit/api/exchange",
        "vxkit/api/assignments",
        "vxkit/assignments",
    ],
)
def test_token_not_in_api_answers(server: Server, person: Browser, url: str):
    """Door: an API answer a student or visitor gets (identity, status, settings, workspaces,
    config sections) carries the token."""
    response = person.get(url)
    assert not shows(response, server.token), response.status_code


@pytest.mark.parametrize("url", ["lab", "login", "no/such/page", "vxkit/join/NOPE00", "tree"])
def test_token_not_shown_to_a_stranger(server: Server, stranger: Browser, url: str):
    """Door: pages a stranger with only the address can open (login, join, 404s) carry the
    token."""
    response = stranger.get(url)
    assert not shows(response, server.token), response.status_code


def test_token_from_page_does_not_make_a_student_teacher(server: Server, chloe: Browser):
    """Door, end to end: whatever string in Chloé's /lab page looks like a token, opening
    `/lab?token=<it>` in a fresh private window does not make her the teacher."""
    import re

    page = chloe.get("lab").text
    candidates = set(re.findall(r'"token":\s*"([^"]+)"', page))
    for candidate in candidates:
        private = Browser(server, label="private window")
        private.get(f"lab?token={candidate}")
        private.token = None
        assert not private.is_teacher(), "a token from the student's page made her the teacher"
        assert not Browser(server, token=candidate).is_teacher()
