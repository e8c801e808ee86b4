"""nbgrader on the graded notebooks: sources validate, releases leak nothing and fail every test.

The workspace installs every unit into ``course/source/``; ``generate_assignment`` runs in
process through vxkit's grading API. Validation runs nbgrader's ``Validator`` in two worker
processes (each notebook needs its own kernel; one process per notebook would add ~2.4 s of
start-up each).
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from vxkit.grading import config as grading
from vxkit.workspace import Workspace

from .conftest import graded_names, read_notebook, units

pytestmark = [
    pytest.mark.timeout(600),  # each validation starts a kernel per notebook
    # nbgrader's gradebook (SQLAlchemy) warns about its own relationship definitions
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"),
    # nbgrader 0.9.6 passes a misspelt keyword (authentictor=) to a traitlets super().__init__
    pytest.mark.filterwarnings("ignore:Passing unrecognized arguments to super:DeprecationWarning"),
]

VALIDATE = """
import json, sys
from nbgrader.validator import Validator

invert = sys.argv[1] == "invert"
print(json.dumps({path: Validator(invert=invert).validate(path) for path in sys.argv[2:]}))
"""


def _validate(paths: list[Path], invert: bool) -> dict[str, dict]:
    """nbgrader's validation result of each notebook ({} means success)."""
    halves = [paths[0::2], paths[1::2]]

    def run(group: list[Path]) -> dict[str, dict]:
        if not group:
            return {}
        argv = [sys.executable, "-c", VALIDATE, "invert" if invert else "plain", *map(str, group)]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=240)
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    with ThreadPoolExecutor(2) as pool:
        results: dict[str, dict] = {}
        for part in pool.map(run, halves):
            results.update(part)
    return results


@pytest.fixture(scope="module")
def released(units_workspace: Workspace) -> Path:
    """``course/release/`` after generating the student version of every unit."""
    api = grading.make_api(units_workspace)
    for unit in units():
        grading.check(api.generate_assignment(unit), f"generate {unit}")
    return units_workspace.course_dir / "release"


def _source_notebooks(ws: Workspace) -> list[Path]:
    return sorted((ws.course_dir / "source").glob("*/individual*.ipynb"))


def test_every_source_notebook_passes_nbgrader_validate(units_workspace: Workspace):
    paths = _source_notebooks(units_workspace)
    assert len(paths) == sum(len(graded_names(u)) for u in units())
    results = _validate(paths, invert=False)
    failing = {Path(p).parent.name + "/" + Path(p).name: r for p, r in results.items() if r}
    assert failing == {}


def _hidden_and_solution_lines(source_nb: dict) -> list[str]:
    """Every non-trivial line a student must not see: solutions and hidden tests."""
    secret = []
    for cell in source_nb["cells"]:
        text = "".join(cell["source"])
        for begin, end in (
            ("### BEGIN SOLUTION", "### END SOLUTION"),
            ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"),
        ):
            while begin in text:
                before, rest = text.split(begin, 1)
                inner, text = rest.split(end, 1)
                text = before + text
                secret += [line.strip() for line in inner.splitlines() if len(line.strip()) > 12]
    return secret


def test_releases_contain_no_solution_and_no_hidden_test(
    units_workspace: Workspace, released: Path
):
    for source in _source_notebooks(units_workspace):
        release = released / source.parent.name / source.name
        assert release.is_file(), f"{source.name} of {source.parent.name} was not released"
        text = release.read_text(encoding="utf-8")
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
            assert marker not in text, f"{release}: {marker}"
        secrets = _hidden_and_solution_lines(read_notebook(source))
        assert secrets, f"{source} has no solution or hidden test at all"
        leaked = [line for line in secrets if json.dumps(line)[1:-1] in text]
        assert leaked == [], f"{release} shows {leaked}"
        cells = read_notebook(release)["cells"]
        assert sum("raise NotImplementedError()" in "".join(c["source"]) for c in cells) >= 1
    data = released / "local_data" / "data" / "example_measurements.csv"
    assert data.is_file(), "the unit's data files are released with the notebooks"


def test_released_notebooks_fail_every_test(released: Path):
    paths = sorted(released.glob("*/individual*.ipynb"))
    assert len(paths) == sum(len(graded_names(u)) for u in units())
    results = _validate(paths, invert=True)
    passing = {
        Path(p).parent.name + "/" + Path(p).name: r.get("passed") for p, r in results.items() if r
    }
    assert passing == {}, "these tests pass with no answer written"
