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
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # where nothing can sandbox kernels (a sandboxed kernel can't signal its worker at all:
    # tests/sandbox/test_grading.py)
    monkeypatch.setenv("VXKIT_SANDBOX", "none")
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


def test_tricky_submissions_score_as_nbgrader_autograde_scores_them(tmp_path: Path) -> None:
    """The same collected submissions, graded by `vxkit grade` and by nbgrader's own
    autograde (one student after another, in process): every score is identical."""
    import shutil

    from vxkit.workspace import Workspace

    from .conftest import edit_cell

    ws = make_workspace(tmp_path / "ws")
    grading.assign(ws, "squares")
    loop = "while True:\n        pass"
    for sid, square, greet, tamper in [
        ("lyon_4b-chloe", "return x * x", 'return "Hello " + name', None),
        ("lyon_4b-hugo", "return x + x", 'return "Hello " + name', ("test_square", "assert True")),
        ("lyon_4b-ines", loop, 'return "Hello " + name', None),
        ("valparaiso_1m-valentina", "return x * x", 'return "Hello " + name', ("test_greet", None)),
        ("valparaiso_1m-benjamin", None, None, "broken"),
    ]:
        folder, _ = grading.fetch_assignment(ws, "squares", sid)
        notebook = folder / "answers.ipynb"
        answer(notebook, square, greet)
        if tamper == "broken":
            notebook.write_text('{"cells": [', encoding="utf-8")
        elif tamper:
            edit_cell(notebook, *tamper)
        grading.submit(ws, "squares", sid)
    grading.collect(ws, "squares")
    stock = Workspace(tmp_path / "stock")
    shutil.copytree(ws.root, stock.root)

    grading.grade(ws, "squares")
    api = grading.make_api(stock)
    for sid in sorted(p.name for p in (stock.course_dir / "submitted").iterdir()):
        api.autograde("squares", sid)

    def scores(w: Workspace) -> dict[str, float]:
        with grading.make_api(w).gradebook as gb:
            return {s.student.id: s.score for s in gb.assignment_submissions("squares")}

    assert (
        scores(ws)
        == scores(stock)
        == {
            "lyon_4b-chloe": 3.0,
            "lyon_4b-hugo": 1.0,
            "lyon_4b-ines": 1.0,
            "valparaiso_1m-valentina": 2.0,
            "valparaiso_1m-benjamin": 0.0,
        }
    )
