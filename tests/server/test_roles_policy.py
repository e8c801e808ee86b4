"""The role policy on paths, as a table (the server tests show it applied to real requests)."""

from __future__ import annotations

import pytest

from vxkit.server.identity import Identity, identity_of
from vxkit.server.roles import clean_path, path_allowed

CHLOE = Identity("student", "Chloé", "lyon_4b-chloe", "lyon_4b", "team_rivers", "Lyon")
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
def test_path_policy(who, path, read, write):
    assert path_allowed(who, path, write=False) is read
    assert path_allowed(who, path, write=True) is write


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
    assert clean_path(raw) == clean


def test_a_user_without_vxkit_identity_is_a_teacher():
    class TokenUser:
        display_name = "Anonymous Io"

    assert identity_of(TokenUser()) == Identity(role="teacher", name="Anonymous Io")
    assert identity_of(object()).is_teacher
