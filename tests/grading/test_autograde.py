"""`vxkit grade` keeps going when student code attacks the grader itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from vxkit import grading

from .conftest import answer, make_workspace

pytestmark = [
    # nbgrader's gradebook: SQLAlchemy warns about its own autoflush use (PITFALLS: expected)
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"),
]

KILL_PARENT = "import os, signal\n    os.kill(os.getppid(), signal.SIGKILL)\n    return x * x"


def test_a_notebook_that_kills_its_worker_is_reported_and_the_rest_graded(
    tmp_path: Path,
) -> None:
    ws = make_workspace(tmp_path / "ws")
    grading.assign(ws, "squares")
    bodies = {
        "lyon_4b-chloe": (KILL_PARENT, 'return "Hello " + name'),
        "lyon_4b-hugo": ("return x * x", 'return "Hello " + name'),
        "valparaiso_1m-valentina": ("return x * x", None),
    }
    for sid, (square, greet) in bodies.items():
        folder, _ = grading.fetch_assignment(ws, "squares", sid)
        answer(folder / "answers.ipynb", square, greet)
        grading.submit(ws, "squares", sid)
    grading.collect(ws, "squares")

    summary = grading.grade(ws, "squares", workers=2)
    got = {o.nbgrader_id: (o.score, o.problems) for o in summary.outcomes}
    assert got == {
        "lyon_4b-chloe": (
            None,
            [
                "answers.ipynb: the notebook stopped the grading process (it killed its "
                "worker); not graded"
            ],
        ),
        "lyon_4b-hugo": (3.0, []),
        "valparaiso_1m-valentina": (2.0, []),
    }
