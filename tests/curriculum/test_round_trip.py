"""One unit through vxkit's nbgrader round trip: a student answers in Spanish and gets every point.

Josefa (Valparaíso) fetches ``climate_co2``, writes the solutions into ``individual.es.ipynb``
only, submits; the teacher collects and autogrades. The Spanish notebook scores every
autograded point (hidden tests included), the untouched English one scores nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from vxkit.exchange import student_id
from vxkit.grading import autograde, workflow
from vxkit.grading import config as grading
from vxkit.workspace import Workspace, scaffold, template_text

from .conftest import CURRICULUM

pytestmark = [
    pytest.mark.timeout(600),
    # nbgrader's gradebook (SQLAlchemy) warns about its own autoflush use
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"),
    # nbgrader 0.9.6 passes a misspelt keyword (authentictor=) to a traitlets super().__init__
    pytest.mark.filterwarnings("ignore:Passing unrecognized arguments to super:DeprecationWarning"),
]

UNIT = "climate_co2"


def _solutions(source: Path) -> dict[str, str]:
    """Each answer cell's id -> its code with the solution markers removed."""
    nb = nbformat.read(source, as_version=4)
    return {
        cell.id: re.sub(r"^\s*### (BEGIN|END) SOLUTION\n", "", cell.source + "\n", flags=re.M)
        for cell in nb.cells
        if cell.metadata.get("nbgrader", {}).get("solution") and cell.cell_type == "code"
    }


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    text = template_text("demo_exchange.toml").replace(
        'units = ["meet_partners"]', f'units = ["{UNIT}"]'
    )
    ws, _ = scaffold(tmp_path / "ws", text)
    assert ws.load().units == [UNIT]
    return ws


def test_a_student_answering_in_spanish_gets_every_autograded_point(workspace: Workspace):
    josefa = student_id("valparaiso_1m", "Josefa")
    workflow.assign(workspace, UNIT)
    folder, _ = workflow.fetch_assignment(workspace, UNIT, josefa)
    mine = folder / "individual.es.ipynb"
    nb = nbformat.read(mine, as_version=4)
    answers = _solutions(CURRICULUM / UNIT / "individual.es.ipynb")
    for cell in nb.cells:
        if cell.id in answers:
            assert "raise NotImplementedError()" in cell.source
            cell.source = answers[cell.id]
    nbformat.write(nb, mine)
    workflow.submit(workspace, UNIT, josefa)
    workflow.collect(workspace, UNIT)
    summary = autograde.grade(workspace, UNIT, workers=1)
    assert summary is not None

    api = grading.make_api(workspace)
    with api.gradebook as gb:
        spanish = gb.find_submission_notebook("individual.es", UNIT, josefa)
        english = gb.find_submission_notebook("individual", UNIT, josefa)
        assert spanish.max_score == 14  # 8 autograded + 6 for the two reflections
        autograded = sum(g.auto_score or 0 for g in spanish.grades if g.cell.cell_type == "code")
        assert autograded == 8
        assert sum(g.auto_score or 0 for g in english.grades) == 0
        spanish_score = spanish.score

    # The English and Spanish notebooks are one exercise in two languages: the grade a
    # student and their teacher see is out of one notebook's points, not both.
    (row,) = [r for r in workflow.grades(workspace, student_id=josefa) if r.unit == UNIT]
    assert row.max_score == 14
    assert row.score == spanish_score >= 8
