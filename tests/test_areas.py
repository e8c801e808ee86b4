"""``area_of``: one answer to "whose is this path?", whatever the spelling of the path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from vxkit.areas import KINDS, TEACHERS_KERNELS, Area, area_of
from vxkit.workspace import Workspace


@pytest.fixture
def ws(demo_workspace: Workspace) -> Workspace:
    root = demo_workspace.root
    for folder in (
        "students/lyon_4b-chloe",
        "course/release/meet_partners",
        "course/autograded/lyon_4b-hugo/meet_partners",
        "course/submitted/lyon_4b-hugo/meet_partners",
        "notes",
    ):
        (root / folder).mkdir(parents=True, exist_ok=True)
    return demo_workspace


@pytest.mark.parametrize(
    ("path", "kind", "key", "top"),
    [
        ("", "root", "", ""),
        ("exchange.toml", "root", "", ""),
        ("nbgrader_config.py", "root", "", ""),
        ("projects", "projects_root", "", "projects"),
        ("projects/team_rivers", "team", "team_rivers", "projects/team_rivers"),
        ("projects/team_rivers/", "team", "team_rivers", "projects/team_rivers"),
        ("projects/team_rivers/sub/new.ipynb", "team", "team_rivers", "projects/team_rivers"),
        ("projects//team_rivers///x.ipynb", "team", "team_rivers", "projects/team_rivers"),
        ("students/lyon_4b-chloe/a.ipynb", "student", "lyon_4b-chloe", "students/lyon_4b-chloe"),
        ("students", "other", "", "students"),
        ("shared/facts.csv", "shared", "", "shared"),
        (
            "course/release/meet_partners/x.ipynb",
            "release",
            "meet_partners",
            "course/release/meet_partners",
        ),
        ("course/release", "release", "", "course/release"),
        ("course/source/meet_partners/individual.ipynb", "course", "", "course"),
        ("course/gradebook.db", "course", "", "course"),
        (
            "course/autograded/lyon_4b-hugo/meet_partners/a.ipynb",
            "submission",
            "lyon_4b-hugo/meet_partners",
            "course/autograded/lyon_4b-hugo/meet_partners",
        ),
        (
            "course/submitted/lyon_4b-hugo/meet_partners",
            "submission",
            "lyon_4b-hugo/meet_partners",
            "course/submitted/lyon_4b-hugo/meet_partners",
        ),
        ("course/autograded/lyon_4b-hugo", "course", "", "course"),
        (".vxkit/links.json", "state", "", ".vxkit"),
        ("notes/plan.md", "other", "", "notes"),
    ],
)
def test_the_layout(ws: Workspace, path: str, kind: str, key: str, top: str) -> None:
    area = area_of(ws.root, path)
    assert area == Area(kind, key, (ws.root / top) if top else ws.root)
    assert area_of(ws.root, ws.root / path) == area  # absolute paths give the same answer
    assert area.kind in KINDS


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("projects/team_rivers/../team_forests/x.ipynb", "team"),  # still a team, but the other
        ("projects/team_rivers/../../course/source", "course"),
        ("projects/team_rivers/../../.vxkit/links.json", "state"),
        ("shared/../../outside.txt", "other"),
        ("projects/team_rivers/%2e%2e/%2e%2e/course", "team"),  # never decoded: a folder name
        ("projects/team_rivers/..%2f..%2fcourse", "team"),
        ("projects/team_rivers/\x00/../../course", "other"),  # not a file name at all
        ("/etc/passwd", "other"),
        ("./projects/./team_rivers", "team"),
    ],
)
def test_path_tricks(ws: Workspace, path: str, kind: str) -> None:
    area = area_of(ws.root, path)
    assert area.kind == kind
    if "team_forests" in path:
        assert area.key == "team_forests"
    if kind == "team" and "team_forests" not in path:
        assert area.key == "team_rivers"


def test_a_symlink_out_of_a_team_folder_is_where_it_points(ws: Workspace) -> None:
    team = ws.team_dir("team_rivers")
    (team / "answers").symlink_to(ws.course_dir / "source")
    (team / "other").symlink_to(ws.team_dir("team_forests"))
    (team / "secret").symlink_to(ws.state_dir / "links.json")
    (team / "dangling").symlink_to(ws.course_dir / "source" / "not-yet.ipynb")
    assert area_of(ws.root, "projects/team_rivers/answers/x.ipynb").kind == "course"
    assert area_of(ws.root, "projects/team_rivers/other/x.ipynb").key == "team_forests"
    assert area_of(ws.root, "projects/team_rivers/secret").kind == "state"
    assert area_of(ws.root, "projects/team_rivers/dangling").kind == "course"


def test_a_symlinked_workspace_root_is_the_same_workspace(ws: Workspace, tmp_path: Path) -> None:
    link = tmp_path / "link-to-ws"
    link.symlink_to(ws.root)
    area = area_of(link, "projects/team_rivers/x.ipynb")
    assert area == Area("team", "team_rivers", ws.root.resolve() / "projects" / "team_rivers")
    assert area_of(link, ws.root / ".vxkit").kind == "state"


def test_case_counts_where_the_disk_says_it_does(ws: Workspace, tmp_path: Path) -> None:
    """On a case-sensitive disk "Course" is another folder (and not course/); where the disk
    folds case, it is course/ (folders are compared by identity, not by name)."""
    probe = tmp_path / "CaseProbe"
    probe.mkdir()
    folds = os.path.exists(tmp_path / "caseprobe")
    area = area_of(ws.root, "Course/source/x.ipynb")
    assert area.kind == ("course" if folds else "other")
    assert area_of(ws.root, "PROJECTS/team_rivers").kind == ("team" if folds else "other")


def test_a_folder_of_the_same_name_elsewhere_is_not_the_workspace(
    ws: Workspace, tmp_path: Path
) -> None:
    twin = tmp_path / "twin" / "projects" / "team_rivers"
    twin.mkdir(parents=True)
    assert area_of(ws.root, twin).kind == "other"


def test_a_file_directly_in_a_folder_of_areas_is_not_an_area(ws: Workspace) -> None:
    root = ws.root
    for path in (
        "projects/readme.ipynb",
        "students/list.csv",
        "course/release/notes.md",
        "course/autograded/lyon_4b-hugo/log.txt",
    ):
        (root / path).write_text("x", encoding="utf-8")
    assert area_of(root, "projects/readme.ipynb").kind == "projects_root"
    assert area_of(root, "students/list.csv").kind == "other"
    assert area_of(root, "course/release/notes.md") == Area("release", "", root / "course/release")
    assert area_of(root, "course/autograded/lyon_4b-hugo/log.txt").kind == "course"
    # not there yet: named as a folder would be (a team nobody is on)
    assert area_of(root, "projects/new_team") == Area(
        "team", "new_team", root / "projects/new_team"
    )


def test_kernels_of_teacher_only_areas_are_the_teachers() -> None:
    assert set(TEACHERS_KERNELS) == {"root", "projects_root", "course", "state", "other"}
    assert Area("course", "", Path("/x")).teachers_kernel
    assert not Area("team", "t", Path("/x")).teachers_kernel
