"""The policy on areas, as a table (the server and security tests show it applied to real
requests), and the area of a path, symlinks included."""

from __future__ import annotations

import pytest

from vxkit.areas import Area, area_of, normalise
from vxkit.server.identity import Identity, identity_of
from vxkit.server.policy import ENDPOINTS, EXECUTE, READ, SAY, WRITE, may

CHLOE = Identity("student", "Chloé", "lyon_4b-chloe", "lyon_4b", "team_rivers", "Lyon", proved=True)
#: someone who picked Chloé's name on the class link, without her personal code
PICKED = Identity("student", "Chloé", "lyon_4b-chloe", "lyon_4b", "team_rivers", "Lyon")
NOMAD = Identity("student", "Kito", "nairobi_7-kito", "nairobi_7", None, "Nairobi")
VISITOR = Identity("visitor", "Granny")
TEACHER = Identity("teacher", "Mme Laurent", class_id="lyon_4b")


@pytest.mark.parametrize(
    ("who", "path", "read", "write"),
    [
        (CHLOE, "", True, False),
        (CHLOE, "projects", True, False),
        (CHLOE, "projects/team_rivers", True, True),
        (CHLOE, "projects/team_rivers/unit.ipynb", True, True),
        (CHLOE, "projects/team_forests/unit.ipynb", False, False),
        (CHLOE, "shared/rain.csv", True, True),
        (CHLOE, "students/lyon_4b-chloe/unit/individual.ipynb", True, True),
        (CHLOE, "students/lyon_4b-hugo/unit/individual.ipynb", False, False),
        (PICKED, "students/lyon_4b-chloe/unit/individual.ipynb", False, False),
        (PICKED, "projects/team_rivers/unit.ipynb", True, True),
        (CHLOE, "students", False, False),
        (CHLOE, "course/release/unit/individual.ipynb", True, False),
        (CHLOE, "course/source/unit/individual.ipynb", False, False),
        (CHLOE, "course/gradebook.db", False, False),
        (CHLOE, ".vxkit/links.json", False, False),
        (CHLOE, "exchange.toml", False, False),
        (CHLOE, None, False, False),  # a path that tried to leave the workspace
        (NOMAD, "projects/team_rivers/unit.ipynb", False, False),  # no team: no team folder
        (NOMAD, "shared/rain.csv", True, True),
        (VISITOR, "projects/team_forests/unit.ipynb", True, False),
        (VISITOR, "shared/rain.csv", True, False),
        (VISITOR, "students/lyon_4b-chloe/notes.txt", False, False),
        (VISITOR, "course/release/unit/individual.ipynb", False, False),
        (TEACHER, "course/source/unit/individual.ipynb", True, True),
        (TEACHER, ".vxkit/links.json", True, True),
    ],
)
def test_path_policy(who, path, read, write, tmp_path):
    area = area_of(tmp_path, path)
    assert may(who, READ, area) is read
    assert may(who, WRITE, area) is write


@pytest.mark.parametrize(
    ("who", "path", "execute"),
    [
        (CHLOE, "projects/team_rivers/unit.ipynb", True),
        (CHLOE, "students/lyon_4b-chloe/unit/individual.ipynb", True),
        (PICKED, "students/lyon_4b-chloe/unit/individual.ipynb", False),
        (CHLOE, "projects/team_forests/unit.ipynb", False),
        (CHLOE, "shared/rain.ipynb", False),
        (CHLOE, "course/release/unit/individual.ipynb", False),
        (CHLOE, "", False),
        (VISITOR, "projects/team_forests/unit.ipynb", False),
        (TEACHER, "course/source/unit/individual.ipynb", True),
    ],
)
def test_kernels_run_only_in_own_areas(who, path, execute, tmp_path):
    assert may(who, EXECUTE, area_of(tmp_path, path)) is execute


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("/projects/team_rivers/a.ipynb", "projects/team_rivers/a.ipynb"),
        ("projects/team_rivers/../team_forests/a.ipynb", "projects/team_forests/a.ipynb"),
        # already URL-decoded by tornado: what is left is a literal name, not a separator
        ("projects/team_rivers/%2e%2e/team_forests", "projects/team_rivers/%2e%2e/team_forests"),
        ("../etc/passwd", None),
        ("projects/../../etc", None),
        ("", ""),
        ("/", ""),
        ("./shared", "shared"),
    ],
)
def test_paths_are_normalised_before_the_check(raw, clean):
    assert normalise(raw) == clean


@pytest.mark.parametrize("raw", ["C:/x", "a\x00b", None])
def test_paths_that_are_no_workspace_paths_are_refused(raw):
    assert normalise(raw) is None


def test_symbolic_links_are_judged_by_where_they_lead(tmp_path):
    (tmp_path / "projects/team_rivers").mkdir(parents=True)
    (tmp_path / "course/source/unit").mkdir(parents=True)
    (tmp_path / "course/source/unit/solution.ipynb").write_text("{}")
    (tmp_path / "projects/team_rivers/sol").symlink_to(tmp_path / "course/source/unit")
    (tmp_path / "projects/team_rivers/out").symlink_to("/etc")
    assert area_of(tmp_path, "projects/team_rivers/sol/solution.ipynb") == Area("course")
    assert area_of(tmp_path, "projects/team_rivers/out/passwd").kind == "outside"
    assert not may(CHLOE, READ, area_of(tmp_path, "projects/team_rivers/sol/solution.ipynb"))
    assert area_of(tmp_path, "projects/team_rivers/new.ipynb") == Area("team", "team_rivers")


def test_a_user_vxkit_did_not_sign_in_is_nobody():
    class TokenUser:
        display_name = "Anonymous Io"

    assert identity_of(TokenUser()) is None
    assert identity_of(object()) is None
    assert not may(None, READ, Area("shared"))


def test_every_row_names_a_known_target_and_view():
    from vxkit.server.gate import TARGETS, VIEWS

    for name, rows in ENDPOINTS.items():
        for rule in rows:
            assert not rule.target or rule.target in TARGETS, name
            assert not rule.view or rule.view in VIEWS, name


def test_docs_show_the_policy_as_it_is_in_code():
    from pathlib import Path

    from vxkit.server.policy import update_docs

    doc = Path(__file__).parents[2] / "docs" / "classroom.md"
    text = doc.read_text(encoding="utf-8")
    assert update_docs(text) == text, "run: python -m vxkit.server.policy --write"


OPEN = frozenset({"students", "visitors"})


@pytest.mark.parametrize(
    ("who", "area", "read", "say"),
    [
        (CHLOE, Area("chat", "team:team_rivers"), True, True),
        (CHLOE, Area("chat", "class:lyon_4b"), True, True),
        (CHLOE, Area("chat", "team:team_forests"), False, False),
        (CHLOE, Area("chat", "class:nairobi_7"), False, False),
        (CHLOE, Area("chat", "agora"), False, False),
        (CHLOE, Area("chat", "agora", OPEN), True, True),
        (CHLOE, Area("chat", "other", OPEN), False, False),
        (CHLOE, Area("chats_root"), False, False),
        (NOMAD, Area("chat", "team:"), False, False),  # no team: no team chat
        (NOMAD, Area("chat", "class:nairobi_7"), True, True),
        (VISITOR, Area("chat", "team:team_rivers"), False, False),
        (VISITOR, Area("chat", "team:team_rivers", OPEN), True, False),
        (TEACHER, Area("chat", "team:team_forests"), True, True),
    ],
)
def test_chat_policy(who, area, read, say):
    """Members read and say; nobody but teachers writes a chat's file (or its socket)."""
    assert may(who, READ, area) is read
    assert may(who, SAY, area) is say
    assert may(who, WRITE, area) is who.is_teacher
