"""Graded work is built on the exchange's own countries, and the partner task needs the partner.

An exchange of a class in Warsaw and a class in Rome: neither Poland nor Italy is among the
reference countries of any unit, so a unit that hard-coded its countries could not compute
either class's own country. Giulia (Rome) fetches two indicator units, answers every task
with the solution, and submits; the teacher collects and autogrades with vxkit's own round
trip. She scores every autograded point, the partner task graded on Poland. Kuba (Warsaw)
hands in the same answers except the partner task, computed for his own country (what a
student who only looked at his own class's data would give), after reassigning ``PARTNER``
to his own country: the partner task keeps the shape point and loses the values point.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbbuild
import nbformat
import pytest

from vxkit.exchange import student_id
from vxkit.grading import autograde, workflow
from vxkit.grading import config as grading
from vxkit.views import notebook_countries
from vxkit.workspace import Workspace, scaffold

pytestmark = [
    pytest.mark.timeout(600),
    # nbgrader's gradebook (SQLAlchemy) warns about its own autoflush use
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"),
    # nbgrader 0.9.6 passes a misspelt keyword (authentictor=) to a traitlets super().__init__
    pytest.mark.filterwarnings("ignore:Passing unrecognized arguments to super:DeprecationWarning"),
]

# health_wealth's partner task is built like climate_co2's (units/common.py partner_task);
# population_futures adds the exchange's countries to its own data file
UNITS = ("climate_co2", "population_futures")
PARTNER_TASKS = {
    "climate_co2": "partner_change",
    "health_wealth": "partner_gained",
    "population_futures": "partner_growth",
}
EXCHANGE = """
[exchange]
id = "warsaw_rome"
title = "Warsaw and Rome"
start = 2027-01-11
end = 2027-06-25
units = {units}

[[classes]]
id = "warsaw_2a"
school = "Szkoła Podstawowa nr 1"
city = "Warszawa"
country = "PL"
timezone = "Europe/Warsaw"
teacher = "Pani Nowak"
languages = ["pl", "en"]
hours = "08:00-15:00"
students = ["Ola", "Kuba"]

[[classes]]
id = "rome_3b"
school = "Scuola Media Garibaldi"
city = "Roma"
country = "IT"
timezone = "Europe/Rome"
teacher = "Prof. Rossi"
languages = ["it", "en"]
hours = "08:00-14:00"
students = ["Giulia", "Marco"]

[[teams]]
id = "team_tiber"
name = "Tiber"
members = {{ warsaw_2a = ["Ola", "Kuba"], rome_3b = ["Giulia", "Marco"] }}
"""
OLA, GIULIA, KUBA = (
    student_id("warsaw_2a", "Ola"),
    student_id("rome_3b", "Giulia"),
    student_id("warsaw_2a", "Kuba"),
)
MARKERS = re.compile(r"^\s*### (BEGIN|END) SOLUTION\n", flags=re.M)


def _solutions(unit_id: str) -> dict[str, str]:
    """Each answer cell's id -> its solution, without the nbgrader markers."""
    return {
        str(c.key): MARKERS.sub("", str(c.text).strip("\n") + "\n")
        for c in nbbuild.graded_tasks(nbbuild.load_unit(unit_id))
    }


def _answer(ws: Workspace, unit: str, student: str, answers: dict[str, str]) -> None:
    folder, _ = workflow.fetch_assignment(ws, unit, student)
    path = folder / "individual.ipynb"
    for other in folder.glob("individual.*.ipynb"):  # one language is enough here (and fast)
        other.unlink()
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.id in answers:
            assert "raise NotImplementedError()" in cell.source
            cell.source = answers[cell.id]
    nbformat.write(nb, path)
    workflow.submit(ws, unit, student)


def _task_scores(ws: Workspace, unit: str, student: str) -> dict[str, float]:
    """Each autograded task's score (shape + values) in the English notebook."""
    api = grading.make_api(ws)
    out: dict[str, float] = {}
    with api.gradebook as gb:
        graded = gb.find_submission_notebook("individual", unit, student)
        for grade in graded.grades:
            if grade.cell.cell_type == "code":
                task = re.sub(r"_(shape|values)$", "", grade.name)
                out[task] = out.get(task, 0.0) + (grade.auto_score or 0)
    return out


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The Warsaw-Rome exchange after one autograde of every hand-in of the three units."""
    units = "[" + ", ".join(f'"{u}"' for u in UNITS) + "]"
    ws, _ = scaffold(tmp_path_factory.mktemp("pl_it") / "ws", EXCHANGE.format(units=units))
    for unit in UNITS:
        workflow.assign(ws, unit)
        solutions = _solutions(unit)
        _answer(ws, unit, GIULIA, solutions)
        key = PARTNER_TASKS[unit]
        own = solutions[key].replace("PARTNER", "MINE")
        assert own != solutions[key]
        # Kuba only worked with his own class's country, and tries to pass it off as the
        # partner's by reassigning PARTNER first.
        _answer(ws, unit, KUBA, {**solutions, key: f"PARTNER = MINE\n{own}"})
        workflow.collect(ws, unit)
        assert autograde.grade(ws, unit, workers=1) is not None
    return ws


def test_each_class_gets_its_own_country_and_its_partners(tmp_path: Path):
    units = '["climate_co2"]'
    ws, _ = scaffold(tmp_path / "ws", EXCHANGE.format(units=units))
    exchange = ws.load()
    for student, mine, partner in ((OLA, "POL", "ITA"), (GIULIA, "ITA", "POL")):
        folder = ws.root / "students" / student / "climate_co2"
        folder.mkdir(parents=True)
        ours = notebook_countries("co2_per_person", folder, exchange)
        assert (ours.mine, ours.partner, ours.notes) == (mine, partner, [])
        hand_in = ws.course_dir / "autograded" / student / "climate_co2"
        hand_in.mkdir(parents=True)
        assert notebook_countries("co2_per_person", hand_in, exchange).mine == mine
    # a country the data lack is left out with a sentence, not a failure
    ours = notebook_countries(["ITA"], ws.root / "students" / OLA / "climate_co2", exchange)
    assert (ours.mine, ours.partner) == ("ITA", "ITA")
    assert ours.notes == ["No data for Poland (PL): the class warsaw_2a is left out."]


@pytest.mark.parametrize("unit", UNITS)
def test_classes_outside_the_reference_countries_get_every_point(graded: Workspace, unit: str):
    points = 2 * len(nbbuild.graded_tasks(nbbuild.load_unit(unit)))
    scores = _task_scores(graded, unit, GIULIA)
    assert sum(scores.values()) == points, scores


@pytest.mark.parametrize("unit", UNITS)
def test_the_partner_task_cannot_be_answered_with_ones_own_country(graded: Workspace, unit: str):
    scores = _task_scores(graded, unit, KUBA)
    key = PARTNER_TASKS[unit]
    assert scores[key] == 1, "the shape point only: the values are the partner's"
    assert sum(v for k, v in scores.items() if k != key) == sum(2 for k in scores if k != key), (
        "every other task keeps its points"
    )


def test_a_students_kernel_and_the_grading_kernel_name_the_same_partner(tmp_path: Path):
    """Chloé's team has no Nairobi student: her own kernel sees her team, the kernel that
    grades her hand-in sees no team at all, and both must grade against the same partner."""
    from vxkit.areas import Area
    from vxkit.binder import binder_exchange_text
    from vxkit.views import exchange_view

    ws, _ = scaffold(tmp_path / "ws", binder_exchange_text())
    exchange = ws.load()
    rivers = exchange.get_team("team_rivers")
    del rivers.members["nairobi_7"]
    chloe = student_id("lyon_4b", "Chloé")
    own = ws.root / "students" / chloe / "climate_co2"
    hand_in = ws.course_dir / "autograded" / chloe / "climate_co2"
    for folder in (own, hand_in):
        folder.mkdir(parents=True)
    hers = exchange_view(exchange, Area("student", chloe))
    grader = exchange_view(exchange, Area("submission", f"autograded/{chloe}/climate_co2"))
    assert [t.id for t in hers.teams] == ["team_rivers"] and grader.teams == []
    mine = notebook_countries("co2_per_person", own, hers)
    graded = notebook_countries("co2_per_person", hand_in, grader)
    assert (mine.mine, mine.partner) == (graded.mine, graded.partner) == ("FRA", "KEN")
