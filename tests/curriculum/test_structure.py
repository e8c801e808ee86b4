"""The curriculum's shape: generated files up to date, sections, ids, hygiene, language pairs."""

from __future__ import annotations

import ast
import copy
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbbuild
import pytest

from vxkit.checks import check_workspace, unit_problems
from vxkit.exchange import ID_PATTERN, tomllib
from vxkit.workspace import (
    Workspace,
    install_team_files,
    language_blocks,
    personalise,
    team_languages,
)

from .conftest import CURRICULUM, TEMPLATE, graded_names, read_notebook, unit_languages, units

CELL_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
UNIT_FOLDERS = [CURRICULUM / u for u in units()] + [TEMPLATE]
NOTEBOOKS = sorted(p for folder in UNIT_FOLDERS for p in folder.glob("*.ipynb"))
PAIRS = [
    (folder / "individual.ipynb", p)
    for folder in UNIT_FOLDERS
    for p in sorted(folder.glob("individual.*.ipynb"))
]


def _label(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _lang(path: Path) -> str:
    parts = path.name.split(".")
    return parts[1] if len(parts) == 3 else "en"


def _languages(path: Path) -> list[str]:
    """The languages of a notebook: the shared team notebook has several."""
    if path.name == "team.ipynb":
        return read_notebook(path)["metadata"]["vxkit"]["languages"]
    return [_lang(path)]


def _text(cell: dict) -> str:
    return "".join(cell["source"])


def _without_comments(source: str) -> str:
    """The code of a cell without its comments and test messages (those are translated)."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            node.msg = None
    return ast.dump(tree)


def test_the_six_units_of_the_issue_are_there():
    assert units() == sorted(nbbuild.UNITS)
    assert len(units()) >= 6


def test_committed_files_match_the_generator():
    stale = [str(p.relative_to(CURRICULUM.parent)) for p in nbbuild.stale_files()]
    assert stale == [], "run: python curriculum/tools/nbbuild.py"


def test_every_unit_follows_the_fair_grading_policy():
    problems = [
        p
        for u in (*nbbuild.UNITS, "skeleton")
        for p in nbbuild.grading_problems(nbbuild.load_unit(u))
    ]
    assert problems == []


def test_the_build_fails_on_unstated_precision_and_asserts_without_message(capsys):
    """The policy check names each breach, and ``nbbuild --check`` fails on any."""
    unit = nbbuild.load_unit("skeleton")
    broken = copy.deepcopy(unit)
    for cell in broken.individual:
        if cell.kind == "markdown" and "value_in" in str(cell.text):
            cell.text = {
                lang: text.split(" accepted")[0].split(" acceptée")[0]
                for lang, text in cell.text.items()
            }  # type: ignore[union-attr]
        if cell.key == "value_in_values":
            cell.text = str(cell.text).replace(', "value_in gives a wrong value"', "")
            cell.text = cell.text.replace("<= 0.05 + 1e-9", "< 1e-9")
        if cell.key == "value_in_shape":
            cell.text = str(cell.text).replace("numbers.Real", "float")
    problems = nbbuild.grading_problems(broken)
    assert problems == [
        "my_unit/value_in: the question (en) does not state its precision ('to 1 decimal place')",
        "my_unit/value_in: the question (fr) does not state its precision ('à 1 décimale près')",
        "my_unit/value_in: the values tests should accept any answer within '<= 0.05 + 1e-9'",
        "my_unit/value_in: value_in_shape checks isinstance(..., int/float): numpy numbers fail "
        "it; use numbers.Integral or numbers.Real",
        "my_unit/value_in: an assert in value_in_values has no message (a string)",
    ]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(nbbuild, "load_unit", lambda u: broken if u == "skeleton" else unit)
        mp.setattr(nbbuild, "UNITS", ())
        mp.setattr(nbbuild, "stale_files", lambda: [])
        assert nbbuild.main(["--check"]) == 1
    assert (
        "unfair grading: my_unit/value_in: an assert in value_in_values" in capsys.readouterr().out
    )


@pytest.mark.parametrize("folder", UNIT_FOLDERS, ids=lambda p: p.name)
def test_unit_files_and_metadata(folder: Path):
    meta = tomllib.loads((folder / "unit.toml").read_text(encoding="utf-8"))
    assert ID_PATTERN.match(meta["id"])
    if folder != TEMPLATE:
        assert meta["id"] == folder.name
    assert 1 <= meta["sdg"] <= 17
    langs = meta["languages"]
    assert (
        langs[0] == "en"
        and len(langs) >= 2
        and set(langs) <= {"en", *nbbuild.catalogue_languages()}
    )
    names = {p.name for p in folder.glob("*.ipynb")}
    assert names == {"team.ipynb"} | {
        f"individual{'' if lang == 'en' else '.' + lang}.ipynb" for lang in langs
    }
    team = read_notebook(folder / "team.ipynb")
    assert team["metadata"]["vxkit"]["languages"] == meta["languages"]
    guide = (folder / "teacher_guide.md").read_text(encoding="utf-8")
    for heading in (
        "## Goals",
        "## Timing across the exchange phases",
        "## Running the live session across time zones",
        "## Discussion prompts",
        "## How to grade",
        "## What students typically get wrong",
        "## Sources",
    ):
        assert heading in guide, f"{folder.name}/teacher_guide.md lacks {heading}"
    # a translated guide (from a catalogue) has the same sections and the same bullets
    for translated in folder.glob("teacher_guide.*.md"):
        assert translated.name.split(".")[1] in langs
        text = translated.read_text(encoding="utf-8")
        for mark in ("\n## ", "\n- ", "\n|"):
            assert text.count(mark) == guide.count(mark), f"{translated.name}: {mark!r}"
    assert f"SDG {meta['sdg']}" in guide or folder == TEMPLATE


def _in_language(nb: dict, lang: str) -> dict:
    """A team notebook as a team of ``lang`` alone gets it (``vxkit.workspace``'s install)."""
    return json.loads(personalise(json.dumps(nb), "a team", [lang]))


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.name == "team.ipynb"], ids=_label)
def test_a_team_notebook_holds_every_language_of_its_unit(path: Path):
    """Each Markdown cell of the one shared team notebook has a block per unit language."""
    nb = read_notebook(path)
    langs = nb["metadata"]["vxkit"]["languages"]
    prose = [_text(c) for c in nb["cells"] if c["cell_type"] == "markdown"]
    assert prose and all(list(language_blocks(text)) == langs for text in prose)
    translated = sum(len(set(language_blocks(text).values())) == len(langs) for text in prose)
    assert translated >= len(prose) - 2, "the team notebook is not translated"
    for lang in langs:
        alone = _in_language(nb, lang)
        assert all(
            list(language_blocks(_text(c))) == [lang]
            for c in alone["cells"]
            if c["cell_type"] == "markdown"
        )
        assert alone["metadata"]["vxkit"]["languages"] == [lang]
    mixed = _in_language(nb, "de")  # no block in the team's language: every language stays
    assert mixed["cells"] == nb["cells"]


@pytest.mark.parametrize(
    ("path", "lang"),
    [(p, lang) for p in NOTEBOOKS for lang in _languages(p)],
    ids=lambda v: _label(v) if isinstance(v, Path) else v,
)
def test_notebook_hygiene_sections_and_ids(path: Path, lang: str):
    nb = read_notebook(path)
    if path.name == "team.ipynb":  # each language's cells as a team of that language gets them
        nb = _in_language(nb, lang)
    assert set(nb["metadata"]) <= {"kernelspec", "language_info", "vxkit"}
    ids = [cell["id"] for cell in nb["cells"]]
    assert len(ids) == len(set(ids)) and all(CELL_ID.match(i) for i in ids)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
        assert set(cell["metadata"]) <= {"nbgrader"}
    # the fixed sections, in order, as level-2 headings
    headings = [
        line[3:].strip()
        for cell in nb["cells"]
        if cell["cell_type"] == "markdown"
        for line in _text(cell).splitlines()
        if line.startswith("## ")
    ]
    overview, prereq, imports, summary, resources = nbbuild.sections(lang)
    assert headings[:3] == [overview, prereq, imports]
    assert headings[-2:] == [summary, resources]
    assert len(headings) > 5, "a notebook has sections of its own between Imports and Summary"
    # imports up front: the first code cell holds them, no later cell imports anything
    code = [_text(c) for c in nb["cells"] if c["cell_type"] == "code"]
    assert re.search(r"^(import|from) ", code[0], re.M)
    for source in code[1:]:
        assert not re.search(r"^(import|from) \S+", source, re.M), source


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: _label(p[1]))
def test_language_pairs_are_in_sync(pair: tuple[Path, Path]):
    english, other = (read_notebook(p) for p in pair)
    assert len(english["cells"]) == len(other["cells"])
    translated = 0
    for en, xx in zip(english["cells"], other["cells"], strict=True):
        assert (en["id"], en["cell_type"], en["metadata"]) == (
            xx["id"],
            xx["cell_type"],
            xx["metadata"],
        )
        if en["cell_type"] == "code":
            assert _without_comments(_text(en)) == _without_comments(_text(xx)), en["id"]
        else:
            levels = [
                len(line) - len(line.lstrip("#"))
                for line in _text(en).splitlines()
                if line.startswith("#")
            ]
            other_levels = [
                len(line) - len(line.lstrip("#"))
                for line in _text(xx).splitlines()
                if line.startswith("#")
            ]
            assert levels == other_levels, en["id"]
            translated += _text(en) != _text(xx)
    prose = sum(c["cell_type"] == "markdown" for c in english["cells"])
    assert translated >= prose - 2, "the partner-language notebook is not translated"


@pytest.mark.parametrize(
    "path", [p for p in NOTEBOOKS if p.name.startswith("individual")], ids=_label
)
def test_graded_notebook_cells(path: Path):
    """Answers have solutions, tests have hidden tests, each reflection has a rubric above it."""
    cells = read_notebook(path)["cells"]
    grade_ids = [
        c["metadata"]["nbgrader"]["grade_id"] for c in cells if "nbgrader" in c["metadata"]
    ]
    assert len(grade_ids) == len(set(grade_ids))
    kinds = {"answer": 0, "tests": 0, "reflection": 0}
    for i, cell in enumerate(cells):
        meta = cell["metadata"].get("nbgrader")
        if not meta:
            continue
        source = _text(cell)
        if meta["solution"] and cell["cell_type"] == "code":
            kinds["answer"] += 1
            assert "### BEGIN SOLUTION" in source and "### END SOLUTION" in source
        elif meta["grade"] and cell["cell_type"] == "code":
            kinds["tests"] += 1
            assert meta["locked"] and meta["points"] > 0
            if meta["grade_id"].endswith("_values"):
                assert "### BEGIN HIDDEN TESTS" in source and "### END HIDDEN TESTS" in source
            else:
                assert meta["grade_id"].endswith("_shape"), meta["grade_id"]
                assert "assert" in source, "students see the shape tests"
        elif meta["grade"] and meta["solution"]:
            kinds["reflection"] += 1
            rubric = cells[i - 1]
            assert rubric["metadata"]["nbgrader"]["locked"] is True
            found = re.search(r"\*\*(Rubric|Grille|Rúbrica)\*\* \((\d+) p", _text(rubric))
            assert found and int(found[2]) == meta["points"], "the rubric gives the cell's points"
    assert 2 * kinds["answer"] == kinds["tests"] >= 2 and kinds["reflection"] >= 1


def test_readme_indexes_every_unit():
    readme = (CURRICULUM / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| \[`([a-z0-9_]+)`\]", readme, re.M)
    assert sorted(listed) == units()
    for unit in units():
        meta = tomllib.loads((CURRICULUM / unit / "unit.toml").read_text(encoding="utf-8"))
        row = next(line for line in readme.splitlines() if line.startswith(f"| [`{unit}`]"))
        for value in (
            meta["title"],
            str(meta["sdg"]),
            meta["ages"],
            str(meta["hours"]),
            *meta["skills"],
        ):
            assert value in row


def test_vxkit_check_accepts_every_unit(units_workspace: Workspace):
    summary, problems, notes = check_workspace(units_workspace.root)
    assert problems == []
    assert notes == []  # scaffolding installed every unit
    assert f"{len(units())} units" in summary


def test_vxkit_check_names_what_is_wrong_in_a_unit(tmp_path: Path):
    broken = tmp_path / "climate_co2"
    shutil.copytree(CURRICULUM / "climate_co2", broken)
    (broken / "teacher_guide.md").unlink()
    (broken / "individual.es.ipynb").unlink()
    for graded in broken.glob("individual*.ipynb"):
        graded.unlink()
    toml = (broken / "unit.toml").read_text(encoding="utf-8")
    (broken / "unit.toml").write_text(toml.replace("sdg = 13", "sdg = 18"), encoding="utf-8")
    messages = [p.message for p in unit_problems("climate_co2", tmp_path)]
    assert "the unit has no teacher guide (teacher_guide.md)" in messages
    assert 'language "es" is listed but individual.es.ipynb is missing' in messages
    assert "the unit has no graded notebook (individual.ipynb) for nbgrader" in messages
    assert "sdg must be a goal number from 1 to 17, not 18" in messages
    (broken / "unit.toml").write_text('id = "climate"\n', encoding="utf-8")
    messages = [p.message for p in unit_problems("climate_co2", tmp_path)]
    assert 'unit.toml says id = "climate" but the folder is "climate_co2"' in messages
    assert 'unit.toml has no "sdg" field' in messages
    (broken / "unit.toml").write_text("id = ", encoding="utf-8")
    assert unit_problems("climate_co2", tmp_path)[0].message.startswith(
        "unit.toml is not valid TOML"
    )


def test_install_puts_notebooks_and_every_units_data_in_place(units_workspace: Workspace):
    team = units_workspace.team_dir("team_rivers")
    assert (team / "data" / "population_by_age.csv").is_file()
    assert (team / "data" / "example_measurements.csv").is_file()
    exchange = units_workspace.load()
    rivers = exchange.get_team("team_rivers")
    spoken = team_languages(exchange, rivers)
    for unit in units():
        langs = tomllib.loads((CURRICULUM / unit / "unit.toml").read_text("utf-8"))["languages"]
        # one shared notebook per unit, in the languages of the team's classes the unit has
        assert sorted(p.name for p in team.glob(f"{unit}*.ipynb")) == [f"{unit}.ipynb"]
        nb = read_notebook(team / f"{unit}.ipynb")
        kept = [lang for lang in langs if lang in spoken] or langs
        assert nb["metadata"]["vxkit"] == {"team": rivers.name, "languages": kept}
        for cell in nb["cells"]:
            if cell["cell_type"] == "markdown":
                assert list(language_blocks(_text(cell))) == kept
        source = units_workspace.course_dir / "source" / unit
        assert sorted(p.name for p in source.glob("*")) == sorted(
            graded_names(unit) + (["data"] if (CURRICULUM / unit / "data").is_dir() else [])
        )


def test_curriculum_code_is_ruff_clean():
    paths = [str(CURRICULUM), str(TEMPLATE)]
    ruff = [sys.executable, "-m", "ruff"]
    lint = subprocess.run([*ruff, "check", *paths], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout
    form = subprocess.run([*ruff, "format", "--check", *paths], capture_output=True, text=True)
    assert form.returncode == 0, form.stdout


def test_no_checkpoints_or_caches_are_committed():
    listed = subprocess.run(
        ["git", "ls-files", "curriculum", "templates/unit"],
        capture_output=True,
        text=True,
        cwd=CURRICULUM.parent,
    )
    if listed.returncode != 0:
        pytest.skip("not a git checkout (an installed copy of the curriculum)")
    files = listed.stdout.splitlines()
    assert files, "git lists the curriculum"
    assert not [f for f in files if ".ipynb_checkpoints" in f or "__pycache__" in f]


def test_a_team_folder_gets_one_notebook_in_its_classes_languages(tmp_path: Path):
    """A French-only team gets the French text; a German and English team of a unit in
    English, French and Spanish gets the English; an existing notebook is kept."""
    unit = CURRICULUM / "health_wealth"
    french, mixed = tmp_path / "french", tmp_path / "mixed"
    install_team_files(french, "health_wealth", unit, "Les Bleus", ["fr"])
    install_team_files(mixed, "health_wealth", unit, "Mixed", ["de", "en"])
    for folder, kept, heading in ((french, ["fr"], "## Aperçu"), (mixed, ["en"], "## Overview")):
        assert sorted(p.name for p in folder.glob("*.ipynb")) == ["health_wealth.ipynb"]
        nb = read_notebook(folder / "health_wealth.ipynb")
        assert nb["metadata"]["vxkit"]["languages"] == kept
        text = "\n".join(_text(c) for c in nb["cells"] if c["cell_type"] == "markdown")
        assert heading in text
        assert ("## Overview" in text) == (kept == ["en"])
    # an existing team notebook is never overwritten
    (french / "health_wealth.ipynb").write_text("{}", encoding="utf-8")
    assert install_team_files(french, "health_wealth", unit, "Les Bleus", ["en"]) == []
    assert (french / "health_wealth.ipynb").read_text(encoding="utf-8") == "{}"


def test_a_fourth_language_is_one_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """``--catalogue pt`` lists what to translate; once translated, the unit is built in
    Portuguese too, with no change to any unit or to the build; a gap names the text."""
    for po in nbbuild.CATALOGUES.glob("*.po"):
        shutil.copy(po, tmp_path / po.name)
    monkeypatch.setattr(nbbuild, "CATALOGUES", tmp_path)
    monkeypatch.setattr(nbbuild, "_CATALOGUES", {})
    assert nbbuild.main(["--catalogue", "pt", "skeleton"]) == 0
    from babel.messages.pofile import read_po, write_po

    with open(tmp_path / "pt.po", "rb") as f:
        catalogue = read_po(f, locale="pt")
    words = {
        "Overview": "Visão geral",
        "Prerequisites": "Pré-requisitos",
        "Imports": "Importações",
        "Summary": "Resumo",
        "Resources": "Recursos",
        "English": "português",
        "to {n} decimal place": "com {n} casa decimal",
        "to {n} decimal places": "com {n} casas decimais",
    }
    for message in catalogue:
        if message.id and message.context == "nbbuild":
            # every guide's opening keeps its {links}; the build fills them in
            message.string = words.get(message.id, f"(pt) {message.id}")
        elif message.id:
            text = message.id.replace("to 1 decimal place", "com 1 casa decimal")
            for en, pt in words.items():
                text = text.replace(f"## {en}", f"## {pt}")
            prose = "\n" in text or text.startswith("#")
            message.string = f"{text}\n\n(pt)" if prose else f"pt: {text}"
    untranslated = next(m for m in catalogue if m.context == "my_unit" and "value_in" in m.id)
    with open(tmp_path / "pt.po", "wb") as f:
        write_po(f, catalogue)
    unit = nbbuild.load_unit("skeleton")
    assert unit.langs == ["en", "fr", "pt"]
    assert nbbuild.grading_problems(unit) == []
    files = nbbuild.unit_files(unit)
    assert 'languages = [\n    "en",\n    "fr",\n    "pt",\n]' in files["unit.toml"]
    graded = json.loads(files["individual.pt.ipynb"])
    headings = [
        line
        for c in graded["cells"]
        for line in "".join(c["source"]).splitlines()
        if line.startswith("## ")
    ]
    assert headings[:3] == ["## Visão geral", "## Pré-requisitos", "## Importações"]
    assert '"value_in gives a wrong value"' not in files["individual.pt.ipynb"]
    assert "<!-- vxkit:lang pt -->" in files["team.ipynb"]
    # no Portuguese safeguarding page or starter guide yet: the guide links the English ones
    assert "(pt) ## Before you start" in files["teacher_guide.pt.md"]
    assert "](../safeguarding.md)" in files["teacher_guide.pt.md"]
    assert "](../python_starter/teacher_guide.md)" in files["teacher_guide.pt.md"]
    # one entry left untranslated: the build names the unit, the catalogue and the text
    untranslated.string = ""
    with open(tmp_path / "pt.po", "wb") as f:
        write_po(f, catalogue)
    monkeypatch.setattr(nbbuild, "_CATALOGUES", {})
    with pytest.raises(KeyError, match=r"my_unit: catalogues/pt.po has no translation"):
        nbbuild.unit_files(nbbuild.load_unit("skeleton"))


@pytest.mark.parametrize("unit", units())
def test_every_guide_schedules_peer_review_across_classes(unit: str):
    guides = sorted((CURRICULUM / unit).glob("teacher_guide*.md"))
    assert len(guides) == len(unit_languages(unit))
    for guide in guides:
        text = guide.read_text(encoding="utf-8")
        assert f"`vxkit peer-review {unit}`" in text, guide.name
        assert f"`vxkit peer-review {unit} --return`" in text, guide.name
