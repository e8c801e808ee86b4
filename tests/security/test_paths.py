"""Path and encoding tricks, symlinks included: Chloé (team A) tries to read the nbgrader
source, the gradebook, the workspace secret and team B's folder through the HTTP doors."""

from __future__ import annotations

import os

import pytest

from .conftest import (
    GRADEBOOK,
    LINKS_FILE,
    SOLUTION_MARKER,
    TEAM_A,
    TEAM_B,
    TEAM_B_MARKER,
    Browser,
    Server,
    run_code,
    shows,
)

SOURCE = "course/source/meet_partners/individual.ipynb"

#: (request path, marker its answer must not contain)
ENCODED = {
    "dotdot-encoded-slash": (f"{TEAM_A}/..%2f..%2f{SOURCE}", SOLUTION_MARKER),
    "encoded-dots": (f"{TEAM_A}/%2e%2e/%2e%2e/{SOURCE}", SOLUTION_MARKER),
    "all-encoded": (f"{TEAM_A}/%2e%2e%2f%2e%2e%2f{SOURCE.replace('/', '%2f')}", SOLUTION_MARKER),
    "double-encoded": (f"{TEAM_A}/%252e%252e/%252e%252e/{SOURCE}", SOLUTION_MARKER),
    "double-encoded-slash": (f"{TEAM_A}/..%252f..%252f{SOURCE}", SOLUTION_MARKER),
    "backslashes": (f"{TEAM_A}/..\\..\\{SOURCE.replace('/', chr(92))}", SOLUTION_MARKER),
    "encoded-backslashes": (f"{TEAM_A}/..%5c..%5c{SOURCE.replace('/', '%5c')}", SOLUTION_MARKER),
    "two-dot-leader": (f"{TEAM_A}/%E2%80%A5/%E2%80%A5/{SOURCE}", SOLUTION_MARKER),
    "fullwidth-dots": (f"{TEAM_A}/%EF%BC%8E%EF%BC%8E/%EF%BC%8E%EF%BC%8E/{SOURCE}", SOLUTION_MARKER),
    "semicolon-dots": (f"{TEAM_A}/..;/..;/{SOURCE}", SOLUTION_MARKER),
    "double-slash": (f"/{SOURCE}", SOLUTION_MARKER),
    "sibling-team": (f"{TEAM_A}/..%2fteam_forests/secret_plan.txt", TEAM_B_MARKER),
    "sibling-team-dots": (f"{TEAM_A}/%2e%2e/team_forests/secret_plan.txt", TEAM_B_MARKER),
}


@pytest.mark.parametrize("route", ["api/contents/", "files/"])
@pytest.mark.parametrize("trick", list(ENCODED))
def test_encoded_path_does_not_escape_the_team_folder(
    server: Server, chloe: Browser, route: str, trick: str
):
    """Door: a path with encoded dots, slashes, backslashes or look-alike Unicode leaves
    Chloé's team folder and reads the nbgrader source or team B's folder."""
    path, marker = ENCODED[trick]
    response = chloe.get(route + path)
    assert not shows(response, marker), (response.status_code, trick)
    assert response.status_code != 200, response.status_code


@pytest.mark.parametrize(
    "url",
    [
        f"api/contents/{LINKS_FILE}",
        f"files/{LINKS_FILE}",
        f"api/contents/{GRADEBOOK}",
        f"files/{GRADEBOOK}",
        "api/contents/.vxkit",
        f"api/contents/{SOURCE}/checkpoints",
        "files/exchange.toml",
        "api/contents/students",
        "api/contents/exchange.toml",
    ],
)
@pytest.mark.parametrize("who", ["chloe", "visitor"])
def test_hidden_and_teacher_files_closed(
    server: Server, request: pytest.FixtureRequest, url: str, who: str
):
    """Door: the workspace secret, the gradebook, the source checkpoints or the roster file
    (exchange.toml) read straight by name."""
    person: Browser = request.getfixturevalue(who)
    response = person.get(url)
    assert response.status_code in (403, 404), response.status_code
    for marker in server.links_secret_markers():
        assert not shows(response, marker)
    assert not shows(response, "SQLite format 3")


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_other_teams_checkpoints_closed(server: Server, chloe: Browser, method: str):
    """Door: Chloé lists or creates checkpoints of team B's notebook (a checkpoint is a copy
    of its content, restorable later)."""
    response = chloe.request(method, f"api/contents/{TEAM_B}/meet_partners.ipynb/checkpoints")
    assert response.status_code in (403, 404), response.status_code


# ----------------------------------------------------------------------------------------------
# symlinks


@pytest.fixture(scope="module")
def planted_links(server: Server) -> dict[str, str]:
    """Symlinks in team A's folder (made by the harness, as a student could with `ln -s` in a
    terminal of their own or an archive they unpacked): to the nbgrader source, to the
    workspace secret, and to team B's folder."""
    team_a = server.root / TEAM_A
    links = {
        "source": ("../../course/source", f"{TEAM_A}/escape/meet_partners/individual.ipynb"),
        "secret": ("../../.vxkit/links.json", f"{TEAM_A}/links.json"),
        "team_b": ("../team_forests", f"{TEAM_A}/theirs/secret_plan.txt"),
        "absolute": (str(server.root / "course" / "source"), f"{TEAM_A}/abs/meet_partners"),
    }
    names = {"source": "escape", "secret": "links.json", "team_b": "theirs", "absolute": "abs"}
    for key, (target, _) in links.items():
        os.symlink(target, team_a / names[key])
    return {key: reading for key, (_, reading) in links.items()}


@pytest.mark.parametrize("route", ["api/contents/", "files/", "nbconvert/html/"])
@pytest.mark.parametrize("link", ["source", "secret", "team_b"])
def test_symlink_in_team_folder_does_not_lead_out(
    server: Server, chloe: Browser, planted_links: dict[str, str], route: str, link: str
):
    """Door: a symlink in Chloé's team folder points at the nbgrader source, `.vxkit/` or
    team B's folder; the contents API, /files and nbconvert follow it."""
    response = chloe.get(route + planted_links[link])
    for marker in (SOLUTION_MARKER, TEAM_B_MARKER, *server.links_secret_markers()):
        assert not shows(response, marker), (response.status_code, link)
    assert response.status_code != 200, response.status_code


def test_symlinked_folder_cannot_be_listed(
    server: Server, chloe: Browser, planted_links: dict[str, str]
):
    """Door: listing a symlink to an absolute path of the nbgrader source folder shows the
    names of the teacher's files."""
    response = chloe.get(f"api/contents/{planted_links['absolute']}")
    assert response.status_code != 200, response.status_code
    assert "individual.ipynb" not in response.text


def test_write_through_symlink_does_not_land_in_team_b(
    server: Server, chloe: Browser, planted_links: dict[str, str]
):
    """Door: Chloé saves a file into the symlink to team B's folder: it lands in team B's folder."""
    response = chloe.put(
        f"api/contents/{TEAM_A}/theirs/pwned.txt",
        {"type": "file", "format": "text", "content": "chloe was here"},
    )
    assert not (server.root / TEAM_B / "pwned.txt").exists(), response.status_code
    assert response.status_code in (403, 404), response.status_code


async def test_symlink_made_by_the_students_kernel_does_not_lead_out(
    server: Server, chloe: Browser, team_a_session: dict
):
    """Door: Chloé's own kernel (sandboxed or not) makes a symlink in her team folder to the
    gradebook and the source; she downloads them through /files and the contents API."""
    code = (
        "import os\n"
        "for name, target in [('gb.db', '../../course/gradebook.db'),"
        " ('src', '../../course/source')]:\n"
        "    try:\n"
        "        os.symlink(target, name)\n"
        "        print('made', name)\n"
        "    except OSError as err:\n"
        "        print('refused', name, err)\n"
    )
    output = await run_code(chloe, team_a_session["kernel"]["id"], code)
    assert output is not None, "Chloé's own kernel did not answer"
    for url in (
        f"files/{TEAM_A}/gb.db",
        f"api/contents/{TEAM_A}/gb.db",
        f"files/{TEAM_A}/src/meet_partners/individual.ipynb",
        f"api/contents/{TEAM_A}/src/meet_partners/individual.ipynb",
    ):
        response = chloe.get(url)
        assert not shows(response, "SQLite format 3"), url
        assert not shows(response, SOLUTION_MARKER), url
        assert response.status_code != 200, (url, response.status_code)


@pytest.mark.parametrize("who", ["chloe", "visitor"])
def test_a_teachers_own_unit_is_closed_to_students(
    server: Server, teacher: Browser, request: pytest.FixtureRequest, who: str
):
    """Door: the solutions of a unit the teacher made with `vxkit unit new` (units/<id>/),
    read by name, listed, or downloaded, before it is ever released."""
    from vxkit.units import new_unit
    from vxkit.workspace import Workspace

    unit = server.root / "units" / "own_unit"
    if not unit.exists():
        new_unit(Workspace(server.root), "own_unit", "en,fr")
    path = "units/own_unit/individual.fr.ipynb"
    assert shows(teacher.get(f"files/{path}"), "BEGIN SOLUTION")  # it is there to be read
    person: Browser = request.getfixturevalue(who)
    for url in (f"files/{path}", f"api/contents/{path}", "api/contents/units/own_unit"):
        response = person.get(url)
        assert response.status_code in (403, 404), (url, response.status_code)
        assert not shows(response, "BEGIN SOLUTION") and not shows(response, "individual.fr")
