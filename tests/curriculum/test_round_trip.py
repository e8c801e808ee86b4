"""A unit through vxkit's nbgrader round trip, in Spanish and in French: every point.

Josefa (Valparaíso) fetches ``climate_co2`` and Chloé (Lyon) ``population_futures``; each writes
correct answers in another idiom than the solution (the first other answer each task lists in
its unit's source) into the notebook of her class's language only, and submits; the teacher
collects and autogrades. That notebook scores every autograded point (hidden tests included),
the untouched English one scores nothing, and the grade counts one language version.
"""

from __future__ import annotations

from pathlib import Path

import nbbuild
import nbformat
import pytest

from vxkit.exchange import student_id
from vxkit.grading import autograde, workflow
from vxkit.grading import config as grading
from vxkit.workspace import Workspace, scaffold, template_text

pytestmark = [
    pytest.mark.timeout(600),
    # nbgrader's gradebook (SQLAlchemy) warns about its own autoflush use
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"),
    # nbgrader 0.9.6 passes a misspelt keyword (authentictor=) to a traitlets super().__init__
    pytest.mark.filterwarnings("ignore:Passing unrecognized arguments to super:DeprecationWarning"),
]


def _other_idioms(unit_id: str) -> dict[str, str]:
    """Each answer cell's id -> a correct answer written in another idiom than the solution."""
    return {str(c.key): c.task.accept[0] for c in nbbuild.graded_tasks(nbbuild.load_unit(unit_id))}  # type: ignore[union-attr]


def _workspace(root: Path, unit: str) -> Workspace:
    text = template_text("demo_exchange.toml").replace(
        'units = ["meet_partners"]', f'units = ["{unit}"]'
    )
    ws, _ = scaffold(root, text)
    assert ws.load().units == [unit]
    return ws


@pytest.mark.parametrize(
    ("unit", "class_id", "name", "lang"),
    [
        ("climate_co2", "valparaiso_1m", "Josefa", "es"),
        ("population_futures", "lyon_4b", "Chloé", "fr"),
    ],
)
def test_a_student_answering_in_her_language_gets_every_autograded_point(
    tmp_path: Path, unit: str, class_id: str, name: str, lang: str
):
    workspace = _workspace(tmp_path / "ws", unit)
    student = student_id(class_id, name)
    workflow.assign(workspace, unit)
    folder, _ = workflow.fetch_assignment(workspace, unit, student)
    mine = folder / f"individual.{lang}.ipynb"
    nb = nbformat.read(mine, as_version=4)
    answers = _other_idioms(unit)
    assert answers and all("### BEGIN SOLUTION" not in a for a in answers.values())
    for cell in nb.cells:
        if cell.id in answers:
            assert "raise NotImplementedError()" in cell.source
            cell.source = answers[cell.id]
    nbformat.write(nb, mine)
    workflow.submit(workspace, unit, student)
    workflow.collect(workspace, unit)
    summary = autograde.grade(workspace, unit, workers=1)
    assert summary is not None

    api = grading.make_api(workspace)
    with api.gradebook as gb:
        answered = gb.find_submission_notebook(f"individual.{lang}", unit, student)
        english = gb.find_submission_notebook("individual", unit, student)
        points = 2 * len(nbbuild.graded_tasks(nbbuild.load_unit(unit)))  # 2 per task
        assert answered.max_score == points + 6  # and 6 for the two reflections
        autograded = sum(g.auto_score or 0 for g in answered.grades if g.cell.cell_type == "code")
        assert autograded == points
        assert sum(g.auto_score or 0 for g in english.grades) == 0
        answered_score = answered.score

    # The notebooks are one exercise in three languages: the grade a student and their
    # teacher see is out of one notebook's points, not all three.
    (row,) = [r for r in workflow.grades(workspace, student_id=student) if r.unit == unit]
    assert row.max_score == points + 6
    assert row.score == answered_score >= points
