"""``area_of`` on the real file system: the layout, grading's submission areas, path tricks.

(tests/server/test_policy.py has the policy on each area.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from vxkit.areas import KINDS, Area, area_of
from vxkit.workspace import Workspace


@pytest.fixture
def ws(demo_workspace: Workspace) -> Workspace:
    for folder in (
        "students/lyon_4b-chloe",
        "course/release/meet_partners",
        "course/autograded/lyon_4b-hugo/meet_partners",
        "course/submitted/lyon_4b-hugo/meet_partners",
    ):
        (demo_workspace.root / folder).mkdir(parents=True, exist_ok=True)
    return demo_workspace


@pytest.mark.parametrize(
    ("path", "area"),
    [
        ("", Area("root")),
        ("projects/team_rivers/", Area("team", "team_rivers")),
        ("projects//team_rivers///x.ipynb", Area("team", "team_rivers")),
        ("./projects/./team_rivers", Area("team", "team_rivers")),
        ("course/release/meet_partners/x.ipynb", Area("release", "meet_partners")),
        (
            "course/autograded/lyon_4b-hugo/meet_partners/a.ipynb",
            Area("submission", "autograded/lyon_4b-hugo/meet_partners"),
        ),
        (
            "course/submitted/lyon_4b-hugo/meet_partners",
            Area("submission", "submitted/lyon_4b-hugo/meet_partners"),
        ),
        ("course/autograded/lyon_4b-hugo", Area("course")),
        ("course/source/meet_partners/individual.ipynb", Area("course")),
        ("projects/team_rivers/../../course/source", Area("course")),
        ("projects/team_rivers/../../.vxkit/links.json", Area("state")),
        ("shared/../../outside.txt", Area("outside")),
        ("projects/team_rivers/%2e%2e/%2e%2e/course", Area("team", "team_rivers")),  # no decoding
        ("projects/team_rivers/..%2f..%2fcourse", Area("team", "team_rivers")),
        ("projects/team_rivers/\x00/../../course", Area("outside")),
    ],
)
def test_area_of(ws: Workspace, path: str, area: Area) -> None:
    assert area_of(ws.root, path) == area
    assert area.kind in KINDS


def test_a_submission_area_is_its_folder(ws: Workspace) -> None:
    area = area_of(ws.root, "course/autograded/lyon_4b-hugo/meet_partners/a.ipynb")
    assert area.folder == "course/autograded/lyon_4b-hugo/meet_partners"


def test_symlinks_out_of_a_team_folder_land_where_they_point(ws: Workspace, tmp_path: Path) -> None:
    team = ws.team_dir("team_rivers")
    (team / "answers").symlink_to(ws.course_dir / "source")
    (team / "other").symlink_to(ws.team_dir("team_forests"))
    (team / "graded").symlink_to(ws.course_dir / "autograded" / "lyon_4b-hugo" / "meet_partners")
    (team / "away").symlink_to(tmp_path)
    assert area_of(ws.root, "projects/team_rivers/answers/x.ipynb") == Area("course")
    assert area_of(ws.root, "projects/team_rivers/other/x.ipynb") == Area("team", "team_forests")
    assert area_of(ws.root, "projects/team_rivers/graded").kind == "submission"
    assert area_of(ws.root, "projects/team_rivers/away/x").kind == "outside"


@pytest.mark.parametrize(
    ("path", "area"),
    [
        ("chats", Area("chats_root")),
        ("chats/teams/team_rivers.chat", Area("chat", "team:team_rivers")),
        ("chats/classes/lyon_4b.chat", Area("chat", "class:lyon_4b")),
        ("chats/agora.chat", Area("chat", "agora")),
        ("chats/teams/team_rivers.ipynb", Area("chat", "other")),
        ("chats/teams/x/team_rivers.chat", Area("chat", "other")),
        ("chats/teams/.ipynb_checkpoints", Area("chat", "other")),
        ("projects/team_rivers/side.chat", Area("chat", "other")),
        ("students/lyon_4b-chloe/dm.chat", Area("chat", "other")),
        ("projects/team_rivers/chat.ipynb", Area("team", "team_rivers")),
        (
            "projects/team_rivers/../../chats/teams/team_forests.chat",
            Area("chat", "team:team_forests"),
        ),
    ],
)
def test_chat_areas(ws: Workspace, path: str, area: Area) -> None:
    assert area_of(ws.root, path) == area
    assert area.kind in KINDS


def test_a_chats_audience_follows_the_teachers_settings(ws: Workspace) -> None:
    """Who besides members reads a chat is the teachers' choice, read when it changes."""
    assert area_of(ws.root, "chats/agora.chat").audience == frozenset()
    settings = ws.root / ".vxkit" / "chat" / "settings.json"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text('{"agora": true, "visitors": true}', encoding="utf-8")
    assert area_of(ws.root, "chats/agora.chat").audience == {"students", "visitors"}
    assert area_of(ws.root, "chats/teams/team_rivers.chat").audience == {"visitors"}
    assert area_of(ws.root, "chats/odd.txt").audience == frozenset()
