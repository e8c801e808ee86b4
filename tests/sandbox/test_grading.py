"""`vxkit grade` runs every submission in a kernel confined to its submission folder.

The same collected submissions graded sandboxed and unconfined give identical scores, except
for the submission that copies the teacher's solution, which only works unconfined.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from vxkit import grading
from vxkit.workspace import Workspace

from ..grading.conftest import answer, make_workspace
from .conftest import require

pytestmark = [
    # nbgrader's gradebook: SQLAlchemy warns about its own autoflush use (PITFALLS: expected)
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"),
]

KILL_WORKER = "import os, signal\n    os.kill(os.getppid(), signal.SIGKILL)\n    return x * x"
#: right only if the teacher's source notebook (with the solution) can be read
COPY_SOLUTION = "import json\n    json.load(open({source!r}))\n    return x * x"


def _collected(root: Path) -> Workspace:
    ws = make_workspace(root)
    grading.assign(ws, "squares")
    source = str(ws.course_dir / "source" / "squares" / "answers.ipynb")
    for sid, square, greet in [
        ("lyon_4b-chloe", "return x * x", 'return "Hello " + name'),
        ("lyon_4b-hugo", "return x + x", 'return "Hello " + name'),
        ("valparaiso_1m-valentina", "return x * x", None),
        ("valparaiso_1m-benjamin", COPY_SOLUTION.format(source=source), None),
        ("lyon_4b-ines", KILL_WORKER, 'return "Hello " + name'),
    ]:
        folder, _ = grading.fetch_assignment(ws, "squares", sid)
        answer(folder / "answers.ipynb", square, greet)
        grading.submit(ws, "squares", sid)
    grading.collect(ws, "squares")
    return ws


def _scores(ws: Workspace) -> dict[str, float]:
    with grading.make_api(ws).gradebook as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions("squares")}


@pytest.mark.parametrize("mechanism", ["landlock", "bubblewrap"])
def test_sandboxed_grading_scores_as_unconfined_grading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mechanism: str
) -> None:
    require(mechanism)
    confined = _collected(tmp_path / "confined")
    stock = Workspace(tmp_path / "stock")
    shutil.copytree(confined.root, stock.root, symlinks=True)
    source = confined.course_dir / "source" / "squares" / "answers.ipynb"
    # the copy's cheat reads the copy's own source notebook
    for nb in (stock.course_dir / "submitted").rglob("answers.ipynb"):
        nb.write_text(
            nb.read_text(encoding="utf-8").replace(
                str(source), str(stock.course_dir / "source" / "squares" / "answers.ipynb")
            ),
            encoding="utf-8",
        )

    monkeypatch.setenv("VXKIT_SANDBOX", mechanism)
    summary = grading.grade(confined, "squares", workers=2)
    monkeypatch.setenv("VXKIT_SANDBOX", "none")
    stock_summary = grading.grade(stock, "squares", workers=2)

    sandboxed, unconfined = _scores(confined), _scores(stock)
    honest = ["lyon_4b-chloe", "lyon_4b-hugo", "valparaiso_1m-valentina"]
    assert {i: sandboxed[i] for i in honest} == {i: unconfined[i] for i in honest}
    assert {i: sandboxed[i] for i in honest} == {
        "lyon_4b-chloe": 3.0,
        "lyon_4b-hugo": 1.0,
        "valparaiso_1m-valentina": 2.0,
    }
    # copying the solution works only unconfined
    assert (sandboxed["valparaiso_1m-benjamin"], unconfined["valparaiso_1m-benjamin"]) == (0, 2.0)
    # a sandboxed kernel can't kill its worker: Ines is graded, not reported
    ines = {o.nbgrader_id: o for o in summary.outcomes}["lyon_4b-ines"]
    assert ines.graded and ines.problems == []
    stock_ines = {o.nbgrader_id: o for o in stock_summary.outcomes}["lyon_4b-ines"]
    assert not stock_ines.graded
