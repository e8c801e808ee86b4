"""A teacher adds a unit of their own without touching Python: `vxkit unit new`, edits in the
notebooks, `vxkit check`, exchange.toml, `vxkit assign`, and a student fetches it. Real nbgrader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vxkit import units
from vxkit.cli import main
from vxkit.exchange import student_id, tomllib
from vxkit.grading.workflow import fetch_assignment
from vxkit.workspace import Workspace, scaffold, template_text

pytestmark = [
    pytest.mark.timeout(180),
    # nbgrader's gradebook: SQLAlchemy warns about its own autoflush use (PITFALLS: expected)
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"),
    # nbgrader 0.9.6 passes `authentictor=` (a typo) to a traitlets super() (PITFALLS)
    pytest.mark.filterwarnings("ignore:Passing unrecognized arguments to super:DeprecationWarning"),
]

UNIT = "ocean_plastics"
NAMES = ("individual.ipynb", "individual.fr.ipynb", "individual.es.ipynb")
SOLUTION = '''def per_person(tonnes, people):
    """Kilograms of plastic waste per person."""
    ### BEGIN SOLUTION
    return tonnes * 1000 / people
    ### END SOLUTION'''
SHAPE = 'assert isinstance(per_person(1, 1000), numbers.Real), "per_person: a number"'
VALUES = """assert abs(per_person(2, 1000) - 2) <= 0.05, "per_person(2, 1000) is 2 kg"
### BEGIN HIDDEN TESTS
assert abs(per_person(3, 2000) - 1.5) <= 0.05, "per_person(3, 2000) is 1.5 kg"
### END HIDDEN TESTS"""


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace, _ = scaffold(tmp_path / "demo", template_text("demo_exchange.toml"))
    return workspace


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """``vxkit ARGV`` in this process: its exit status and everything it printed."""
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out + out.err


def validate(paths: list[Path], invert: bool = False) -> dict[str, dict]:
    """``nbgrader validate [--invert]`` on each notebook, in this process ({} means success)."""
    from nbgrader.validator import Validator

    return {p.name: Validator(invert=invert).validate(str(p)) for p in paths}


def edit_cell(path: Path, grade_id: str, source: str) -> None:
    """What a teacher does in JupyterLab: rewrite the cell with nbgrader id ``grade_id``."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    (cell,) = [
        c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id
    ]
    cell["source"] = source
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("argv", "sentence"),
    [
        (["Ocean-Plastics"], 'unit id: "Ocean-Plastics" is not a valid unit id'),
        (["climate_co2"], 'unit id: "climate_co2" is a unit of the built-in curriculum'),
        ([UNIT, "--langs", "en,pt"], '--langs: "pt" is not a language a new unit can be written'),
        ([UNIT, "--langs", "en,frr"], '(did you mean "fr"?)'),
        ([UNIT, "--langs", "fr,es"], '--langs: "fr,es" must include "en"'),
    ],
)
def test_bad_input_is_refused_with_a_sentence_and_writes_nothing(
    ws: Workspace, capsys: pytest.CaptureFixture[str], argv: list[str], sentence: str
):
    status, out = run(capsys, "unit", "new", *argv, "--dir", str(ws.root))
    assert status == 1
    assert sentence in out and "Traceback" not in out
    assert not ws.own_units_dir.exists() or list(ws.own_units_dir.iterdir()) == []


def test_an_existing_unit_is_never_overwritten(ws: Workspace, capsys: pytest.CaptureFixture[str]):
    assert run(capsys, "unit", "new", UNIT, "--dir", str(ws.root))[0] == 0
    guide = ws.own_units_dir / UNIT / "teacher_guide.md"
    guide.write_text("my own guide", encoding="utf-8")
    status, out = run(capsys, "unit", "new", UNIT, "--dir", str(ws.root))
    assert status == 1 and f'unit id: "{UNIT}" already exists' in out
    assert guide.read_text(encoding="utf-8") == "my own guide"


def test_a_failed_write_leaves_no_half_unit(ws: Workspace, monkeypatch: pytest.MonkeyPatch):
    written = []

    def full_disk(path: Path, text: str) -> None:
        if len(written) == 3:
            raise OSError(28, "No space left on device")
        written.append(path)
        Path(path).write_text(text, encoding="utf-8")

    monkeypatch.setattr(units, "atomic_write", full_disk)
    with pytest.raises(OSError):
        units.new_unit(ws, UNIT, "en,fr,es")
    assert list(ws.own_units_dir.iterdir()) == []  # neither the unit nor its staging folder


def test_a_teachers_unit_from_scaffold_to_students(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
):
    status, out = run(
        capsys, "unit", "new", UNIT, "--langs", "en,fr,es", "--title", "Ocean plastics",
        "--dir", str(ws.root),
    )  # fmt: skip
    assert status == 0, out
    folder = ws.own_units_dir / UNIT
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [*NAMES, "team.ipynb", "unit.toml", "teacher_guide.md", "teacher_guide.fr.md",
         "teacher_guide.es.md"]
    )  # fmt: skip
    meta = tomllib.loads((folder / "unit.toml").read_text(encoding="utf-8"))
    assert meta["id"] == UNIT and meta["languages"] == ["en", "fr", "es"]
    assert "Réflexion" in (folder / "individual.fr.ipynb").read_text(encoding="utf-8")
    assert "Evaluación" in (folder / "teacher_guide.es.md").read_text(encoding="utf-8")

    # The teacher writes the exercise into every language's notebook, and forgets one line
    for name in NAMES:
        edit_cell(folder / name, "answer", SOLUTION)
        edit_cell(folder / name, "answer_shape", SHAPE)
        edit_cell(folder / name, "answer_values", VALUES)
    edit_cell(folder / "individual.fr.ipynb", "answer", SOLUTION.replace("### END SOLUTION", ""))
    status, out = run(capsys, "check", str(ws.root))
    assert status == 1
    assert f"units/{UNIT}: individual.fr.ipynb: cell 7 opens" in out, out
    edit_cell(folder / "individual.fr.ipynb", "answer", SOLUTION)
    status, out = run(capsys, "check", str(ws.root))
    assert status == 0, out

    # nbgrader validate on the unit's sources: the solutions pass, and --invert complains
    sources = [folder / name for name in NAMES]
    assert validate(sources) == {name: {} for name in NAMES}
    (inverted,) = validate(sources[1:2], invert=True).values()
    assert [c["source"] for c in inverted["passed"]] == [SHAPE, VALUES]

    # Listed in exchange.toml, checked, assigned, and fetched by a student of each language
    text = ws.exchange_file.read_text(encoding="utf-8")
    ws.exchange_file.write_text(
        text.replace('units = ["meet_partners"]', f'units = ["meet_partners", "{UNIT}"]'), "utf-8"
    )
    status, out = run(capsys, "check", str(ws.root))
    assert status == 0 and f'installs unit "{UNIT}" from {folder}' in out, out
    status, out = run(capsys, "assign", UNIT, "--due", "2027-03-01 18:00", "--dir", str(ws.root))
    assert status == 0, out
    exchange = ws.load()
    for team in exchange.teams:
        team_nb = json.loads((ws.team_dir(team.id) / f"{UNIT}.ipynb").read_text("utf-8"))
        assert team_nb["metadata"]["vxkit"]["team"] == team.name
    fetched = []
    for class_id, name in (("valparaiso_1m", "Valentina"), ("lyon_4b", "Chloé")):
        got, _ = fetch_assignment(ws, UNIT, student_id(class_id, name))
        assert got.name == UNIT
        fetched += [got / n for n in NAMES]
    for path in fetched:
        text = path.read_text(encoding="utf-8")
        assert "raise NotImplementedError()" in text
        for secret in ("BEGIN SOLUTION", "tonnes * 1000", "HIDDEN TESTS", "per_person(3, 2000)"):
            assert secret not in text, f"{path} shows {secret}"
    # What students received: no test passes before they answer (Spanish and French)
    assert validate([fetched[2], fetched[4]], invert=True) == {NAMES[2]: {}, NAMES[1]: {}}


def test_check_names_the_file_the_field_and_the_value(ws: Workspace):
    from vxkit.checks import check_workspace

    folder = units.new_unit(ws, UNIT, "en,fr,es")
    assert check_workspace(ws.root)[1] == []  # the scaffold itself is a sound unit
    fr = json.loads((folder / "individual.fr.ipynb").read_text(encoding="utf-8"))
    fr["cells"][7]["metadata"]["nbgrader"]["grade_id"] = "answer"
    fr["cells"][8]["metadata"]["nbgrader"]["points"] = "two"
    (folder / "individual.fr.ipynb").write_text(json.dumps(fr), encoding="utf-8")
    (folder / "individual.es.ipynb").write_text('{"cells": [', encoding="utf-8")
    (folder / "teacher_guide.es.md").unlink()
    team = json.loads((folder / "team.ipynb").read_text(encoding="utf-8"))
    for cell in team["cells"]:  # a team notebook needs no tests, but must be a notebook
        assert "nbgrader" not in cell["metadata"]
    en = json.loads((folder / "individual.ipynb").read_text(encoding="utf-8"))
    for cell in en["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") in (
            "answer_shape",
            "answer_values",
        ):
            cell["metadata"]["nbgrader"]["grade"] = False  # no autograded test left
    (folder / "individual.ipynb").write_text(json.dumps(en), encoding="utf-8")
    messages = sorted(str(p) for p in check_workspace(ws.root)[1])
    where = f"units/{UNIT}: "
    assert messages == sorted(
        where + m
        for m in (
            "individual.es.ipynb is not a valid notebook (Notebook does not appear to be JSON: "
            "'{\"cells\": [')",
            'individual.fr.ipynb: grade_id "answer" is used by two cells',
            'individual.fr.ipynb: graded cell "answer_values" needs points, a number 0 or more, '
            "not 'two'",
            "individual.ipynb has no autograded test cell (nbgrader grade and locked)",
            'language "es" is listed but teacher_guide.es.md is missing',
        )
    )


def test_a_half_written_unit_of_a_killed_process_is_no_unit(ws: Workspace):
    from vxkit.checks import check_workspace
    from vxkit.workspace import available_units

    staging = ws.own_units_dir / f".{UNIT}.x1y2"
    staging.mkdir(parents=True)
    (staging / "unit.toml").write_text(units.unit_files(UNIT, ["en"])["unit.toml"], "utf-8")
    assert f".{UNIT}.x1y2" not in available_units(ws)
    assert check_workspace(ws.root)[1] == []


def test_a_teachers_own_guide_links_a_safeguarding_page_inside_the_workspace(ws: Workspace):
    """The guides of a unit of one's own live in the workspace, away from the installed
    curriculum: ``vxkit unit new`` puts the safeguarding pages beside the units, and a page
    the school has adapted is kept."""
    import re

    from vxkit.workspace import curriculum_dir

    adapted = ws.own_units_dir / "safeguarding.fr.md"
    adapted.parent.mkdir(parents=True)
    adapted.write_text("notre page, adaptée", encoding="utf-8")
    folder = units.new_unit(ws, UNIT, "en,fr,es")
    for lang, name in (("en", "teacher_guide.md"), ("fr", "teacher_guide.fr.md"),
                       ("es", "teacher_guide.es.md")):  # fmt: skip
        text = (folder / name).read_text(encoding="utf-8")
        page = "safeguarding.md" if lang == "en" else f"safeguarding.{lang}.md"
        links = re.findall(r"\]\(([^)]+)\)", text)
        assert f"../{page}" in links, name
        target = (folder / f"../{page}").resolve()
        assert target.is_file() and target.is_relative_to(ws.root.resolve())
    assert adapted.read_text(encoding="utf-8") == "notre page, adaptée"
    shipped = (curriculum_dir() / "safeguarding.es.md").read_text(encoding="utf-8")
    assert (ws.own_units_dir / "safeguarding.es.md").read_text(encoding="utf-8") == shipped
