"""Fair autograding, graded by real nbgrader: other correct idioms score full marks, mistakes don't.

Every autograded answer of the curriculum lists, in its unit's source
(``curriculum/tools/units/<unit>.py``), correct answers written in other idioms than the
solution (numpy integers, ``query``, loops, rounding to the stated precision...) and the typical
mistakes its teacher guide names. For each unit, this test submits notebook ``k`` of the
correct answers (every task answered with its ``k``-th other idiom, or the solution when it has
fewer) and notebook ``k`` of the mistakes (every task answered with its ``k``-th mistake, the
others with the solution), in each of the unit's languages in turn, and runs
nbgrader's own ``autograde`` on them. Every task of a correct notebook must score full marks;
every task answered with a mistake must lose points.
"""

from __future__ import annotations

import re
import shutil

import nbbuild
import nbformat
import pytest

from vxkit.grading import config as grading
from vxkit.workspace import Workspace

pytestmark = [
    pytest.mark.timeout(900),  # about 40 submissions, each in a fresh kernel
    # nbgrader's gradebook (SQLAlchemy) warns about its own relationship definitions
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"),
    # nbgrader 0.9.6 passes a misspelt keyword (authentictor=) to a traitlets super().__init__
    pytest.mark.filterwarnings("ignore:Passing unrecognized arguments to super:DeprecationWarning"),
]

MARKERS = re.compile(r"^\s*### (BEGIN|END) SOLUTION\n", flags=re.M)


def _solution(cell: nbbuild.Cell) -> str:
    return MARKERS.sub("", str(cell.text).strip("\n") + "\n")


def _variants(unit: nbbuild.Unit, kind: str) -> list[dict[str, str]]:
    """The answers of each notebook of ``kind`` ("accept" or "mistakes"): grade id -> code."""
    tasks = nbbuild.graded_tasks(unit)
    count = max(len(getattr(cell.task, kind)) for cell in tasks)
    out = []
    for k in range(count):
        answers = {}
        for cell in tasks:
            options = getattr(cell.task, kind)
            if k < len(options):
                chosen = options[k] if kind == "accept" else options[k].source
                answers[str(cell.key)] = chosen.strip("\n") + "\n"
            elif kind == "accept":
                answers[str(cell.key)] = _solution(cell)
        out.append(answers)
    return out


def _submit(ws: Workspace, unit: str, student: str, notebook: str, answers: dict[str, str]):
    """Put a submission in ``course/submitted/`` as ``vxkit collect`` leaves it."""
    release = ws.course_dir / "release" / unit
    folder = ws.course_dir / "submitted" / student / unit
    folder.mkdir(parents=True)
    nb = nbformat.read(release / notebook, as_version=4)
    for cell in nb.cells:
        if cell.get("id") in answers:
            assert "raise NotImplementedError()" in cell.source, cell.id
            cell.source = answers[cell.id]
    nbformat.write(nb, folder / notebook)
    if (release / "data").is_dir():
        shutil.copytree(release / "data", folder / "data")
    (folder / "timestamp.txt").write_text("2027-03-01 10:00:00.000000 UTC\n", encoding="utf-8")


def _scores(api, unit: str, student: str, notebook: str) -> dict[str, tuple[float, float]]:
    """Each task's (score, maximum) from the gradebook, summing its test cells."""
    out: dict[str, tuple[float, float]] = {}
    with api.gradebook as gb:
        graded = gb.find_submission_notebook(notebook.removesuffix(".ipynb"), unit, student)
        for grade in graded.grades:
            if grade.cell.cell_type != "code":
                continue
            task = re.sub(r"_(shape|values)$", "", grade.name)
            score, top = out.get(task, (0.0, 0.0))
            out[task] = (score + (grade.score or 0), top + grade.max_score)
    return out


@pytest.mark.parametrize("unit_id", nbbuild.UNITS)
def test_other_correct_idioms_get_full_marks_and_typical_mistakes_lose_points(
    units_workspace: Workspace, unit_id: str
):
    unit = nbbuild.load_unit(unit_id)
    api = grading.make_api(units_workspace)
    grading.check(api.generate_assignment(unit_id), f"generate {unit_id}")
    notebooks = [f"individual{'' if lang == 'en' else '.' + lang}.ipynb" for lang in unit.langs]
    runs = []
    for kind in ("accept", "mistakes"):
        for k, answers in enumerate(_variants(unit, kind)):
            student = f"fair_{kind}_{k}"
            notebook = notebooks[k % len(notebooks)]
            shutil.rmtree(units_workspace.course_dir / "submitted" / student, ignore_errors=True)
            _submit(units_workspace, unit_id, student, notebook, answers)
            result = api.autograde(unit_id, student)
            if not result["success"]:  # a kernel that dies at start-up on a loaded machine
                result = api.autograde(unit_id, student)
            grading.check(result, f"autograde {student}")
            runs.append((kind, k, notebook, _scores(api, unit_id, student, notebook)))

    unfair, uncaught, checked = [], [], {"accept": 0, "mistakes": 0}
    scored: dict[str, dict[str, list[float]]] = {}  # task -> kind -> scores, for the summary
    for kind, k, notebook, scores in runs:
        for cell in nbbuild.graded_tasks(unit):
            task = cell.task
            assert task is not None
            options = task.accept if kind == "accept" else task.mistakes
            score, top = scores[str(cell.key)]
            assert top == 2, f"{cell.key}: the task is worth 2 points in two parts"
            if k >= len(options):
                continue
            checked[kind] += 1
            scored.setdefault(str(cell.key), {"accept": [], "mistakes": []})[kind].append(score)
            if kind == "accept" and score != top:
                unfair.append(f"{cell.key} ({notebook}), correct answer {k}: {score} / {top}")
            if kind == "mistakes" and score >= top:
                uncaught.append(f"{cell.key} ({notebook}), {options[k].guide}: {score} / {top}")  # type: ignore[union-attr]
    print(f"{unit_id}: {checked['accept']} other correct answers, {checked['mistakes']} mistakes")
    for task, by_kind in scored.items():
        print(f"  {task}: correct {by_kind['accept']}, mistakes {by_kind['mistakes']} (of 2)")
    assert unfair == [], "correct answers that lose points"
    assert uncaught == [], "typical mistakes that score full marks"
    assert checked["accept"] >= len(nbbuild.graded_tasks(unit))
    assert checked["mistakes"] >= len(nbbuild.graded_tasks(unit))
