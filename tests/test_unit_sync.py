"""A teacher changes the units and teams of an exchange in use: `vxkit lab`, `vxkit assign` and
`vxkit check` install what is new and never touch what students wrote."""

from __future__ import annotations

import json
import shutil
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.test_cli import vxkit
from vxkit.exchange import tomllib
from vxkit.testing import free_port, jupyter_process
from vxkit.workspace import Workspace, curriculum_dir, scaffold, sync_units, template_text

TOKEN = "vxkit-unit-sync-token"
NEW_TEAM = """
[[teams]]
id = "team_oceans"
name = "Oceans"
members = { lyon_4b = ["Noé"], nairobi_7 = ["Otieno"] }
"""


def set_units(ws: Workspace, units: list[str]) -> None:
    text = ws.exchange_file.read_text(encoding="utf-8")
    old = tomllib.loads(text)["exchange"]["units"]
    ws.exchange_file.write_text(
        text.replace(f"units = {json.dumps(old)}", f"units = {json.dumps(units)}"), "utf-8"
    )
    assert tomllib.loads(ws.exchange_file.read_text("utf-8"))["exchange"]["units"] == units


def add_team(ws: Workspace) -> None:
    text = ws.exchange_file.read_text(encoding="utf-8")
    for last, new in (('"Manon", "Yanis"]', "Noé"), ('"Wanjiru", "Kito"]', "Otieno")):
        # the class roster's line, not a team's members
        (line,) = [x for x in text.splitlines() if x.startswith("students =") and last in x]
        text = text.replace(line, f'{line[:-1]}, "{new}"]')
    ws.exchange_file.write_text(text + NEW_TEAM, encoding="utf-8")


def student_edit(notebook: Path, text: str) -> None:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": text})
    notebook.write_text(json.dumps(nb), encoding="utf-8")


def files_under(*folders: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for f in folders for p in sorted(f.rglob("*")) if p.is_file()}


@pytest.fixture
def ws_in_use(tmp_path: Path) -> Workspace:
    """The demo exchange after a week: two units installed, students' edits in both."""
    ws, _ = scaffold(tmp_path / "demo", template_text("demo_exchange.toml"))
    set_units(ws, ["meet_partners", "health_wealth"])
    sync_units(ws)
    student_edit(ws.team_dir("team_rivers") / "meet_partners.ipynb", "Hola from Josefa")
    student_edit(ws.team_dir("team_forests") / "health_wealth.ipynb", "Jambo from Kito")
    (ws.team_dir("team_rivers") / "our_rain.csv").write_text("day,mm\n1,3\n", "utf-8")
    return ws


def test_lab_installs_a_unit_and_a_team_added_to_an_exchange_in_use(
    ws_in_use: Workspace, tmp_path: Path
):
    ws = ws_in_use
    before = files_under(ws.projects_dir, ws.source_dir)
    # day two: the teacher adds a unit and a team, and takes health_wealth off the list
    set_units(ws, ["meet_partners", "climate_co2"])
    add_team(ws)

    argv = [sys.executable, "-m", "vxkit.cli", "lab", str(ws.root), "--port", str(free_port())]
    with jupyter_process([*argv, "--no-browser"], tmp_path, TOKEN) as (url, log):
        assert (ws.source_dir / "climate_co2" / "individual.ipynb").is_file()
        for team in ("team_rivers", "team_forests", "team_oceans"):
            assert (ws.team_dir(team) / "climate_co2.ipynb").is_file(), team
            assert (ws.team_dir(team) / "meet_partners.ipynb").is_file(), team
        # the new team gets the listed units only, not the one taken off the list
        assert not (ws.team_dir("team_oceans") / "health_wealth.ipynb").exists()
        nb = json.loads((ws.team_dir("team_oceans") / "climate_co2.ipynb").read_text("utf-8"))
        # Lyon (fr, en) and Nairobi (en, sw): the unit's English and French text stay
        assert nb["metadata"]["vxkit"] == {"team": "Oceans", "languages": ["en", "fr"]}
        # the running server serves the new team's notebook
        request = urllib.request.Request(
            f"{url}api/contents/projects/team_oceans/climate_co2.ipynb?content=0",
            headers={"Authorization": f"token {TOKEN}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.load(response)["type"] == "notebook"

        # every file that was there is byte for byte what the students left
        after = files_under(ws.projects_dir, ws.source_dir)
        assert {p: after.get(p) for p in before} == before
        assert (ws.source_dir / "health_wealth").is_dir()  # off the list, kept
        out = log.read_text(encoding="utf-8")
        assert 'Installed unit "climate_co2" from ' in out
        assert "in the folders of team_forests, team_oceans, team_rivers." in out
        assert 'Installed unit "meet_partners" from ' in out  # team_oceans' notebook
        assert 'Unit "health_wealth" is not listed in exchange.toml: its files' in out
        assert "kept as they are" in out

        assign = vxkit("assign", "climate_co2", "--due", "2027-03-28 18:00", cwd=ws.root)
        assert assign.returncode == 0, assign.stderr
        assert assign.stdout.startswith("Assigned climate_co2 (individual work")
        assert (ws.course_dir / "release" / "climate_co2" / "individual.ipynb").is_file()


def test_assign_installs_a_unit_added_since_the_server_started(ws_in_use: Workspace):
    set_units(ws_in_use, ["meet_partners", "health_wealth", "publish"])
    assign = vxkit("assign", "publish", cwd=ws_in_use.root)
    assert assign.returncode == 0, assign.stderr
    first, second = assign.stdout.splitlines()[:2]
    assert first.startswith('Installed unit "publish" from ')
    assert second.startswith("Assigned publish (individual work")
    for team in ("team_rivers", "team_forests"):
        assert (ws_in_use.team_dir(team) / "publish.ipynb").is_file()


def test_a_misspelled_unit_gets_a_suggestion(ws_in_use: Workspace):
    set_units(ws_in_use, ["meet_partners", "climat_co2"])
    check = vxkit("check", str(ws_in_use.root))
    assert check.returncode == 1
    assert "1 problem found:" in check.stderr
    assert (
        'Unit "climat_co2" is listed in exchange.toml but is neither installed '
        "(course/source/climat_co2) nor a unit in the workspace's units/ folder or the built-in "
        'curriculum (did you mean "climate_co2"?). '
        "Units available: climate_co2, closing, health_wealth, local_data, " in check.stderr
    )
    assert "Traceback" not in check.stderr
    assign = vxkit("assign", "climat_co2", cwd=ws_in_use.root)
    assert assign.returncode == 1
    assert 'There is no unit "climat_co2" to assign: ' in assign.stderr
    assert '(did you mean "climate_co2"?)' in assign.stderr
    assert "Traceback" not in assign.stderr


def test_check_says_what_it_would_install_and_writes_nothing(ws_in_use: Workspace):
    ws = ws_in_use
    set_units(ws, ["meet_partners", "climate_co2"])
    add_team(ws)
    before = files_under(ws.root)
    check = vxkit("check", str(ws.root))
    assert check.returncode == 0, check.stderr
    lines = check.stdout.splitlines()
    assert lines[0] == (
        f'The next `vxkit lab` or `vxkit assign` installs unit "meet_partners" from '
        f"{curriculum_dir() / 'meet_partners'}: its team notebooks in the folders of team_oceans."
    )
    assert lines[1].startswith('The next `vxkit lab` or `vxkit assign` installs unit "climate_co2"')
    assert "its nbgrader source in course/source/climate_co2 and its team notebooks" in lines[1]
    assert lines[2].startswith('Unit "health_wealth" is not listed in exchange.toml')
    assert lines[3].startswith("OK: exchange 'Our World in Data: a vxkit demo exchange': 3 classes")
    assert files_under(ws.root) == before
    assert not ws.team_dir("team_oceans").exists()


def test_a_teachers_own_unit_is_installed_like_a_built_in_one(ws_in_use: Workspace):
    ws = ws_in_use
    own = ws.own_units_dir / "river_study"
    shutil.copytree(curriculum_dir() / "climate_co2", own)
    toml = own / "unit.toml"
    toml.write_text(toml.read_text("utf-8").replace('"climate_co2"', '"river_study"'), "utf-8")
    set_units(ws, ["meet_partners", "health_wealth", "river_study"])
    check = vxkit("check", str(ws.root))
    assert check.returncode == 0, check.stderr
    assert f'installs unit "river_study" from {own}: ' in check.stdout

    report = sync_units(ws)
    assert report.lines()[0].startswith(f'Installed unit "river_study" from {own}: ')
    assert (ws.source_dir / "river_study" / "individual.ipynb").is_file()
    assert (ws.team_dir("team_rivers") / "river_study.ipynb").is_file()
    assert not (ws.source_dir / "river_study" / "unit.toml").exists()  # as scaffolding does
    assert sync_units(ws).created == []  # a second start installs nothing


def test_a_student_cannot_make_the_install_write_outside_their_team_folder(
    ws_in_use: Workspace, tmp_path: Path
):
    """Links planted in a team folder, where the next unit's notebook and data will go."""
    outside = tmp_path / "outside"
    outside.mkdir()
    rivers = ws_in_use.team_dir("team_rivers")
    (rivers / "population_futures.ipynb").symlink_to(outside / "planted.ipynb")  # dangling
    (rivers / "data").symlink_to(outside, target_is_directory=True)
    (ws_in_use.team_dir("team_forests") / "data").mkdir(exist_ok=True)
    (ws_in_use.team_dir("team_forests") / "data" / "population_by_age.csv").symlink_to(
        outside / "planted.csv"
    )
    set_units(ws_in_use, ["meet_partners", "health_wealth", "population_futures"])

    report = sync_units(ws_in_use)
    assert list(outside.iterdir()) == []  # nothing written through the links
    assert (rivers / "population_futures.ipynb").is_symlink()  # the student's own file, kept
    assert (ws_in_use.source_dir / "population_futures" / "data").is_dir()
    assert ws_in_use.source_dir / "population_futures" in report.created
