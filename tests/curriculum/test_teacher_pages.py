"""Teacher-facing pages: the safeguarding page every guide links, the starter, the extensions.

A teacher reads a unit's guide where the curriculum is: a source checkout (or its page on the
forge) or the installed copy in ``share/vxkit/curriculum``, which the wheel ships whole. The
guides never go into a workspace (``vxkit new`` copies the notebooks and data only). So every
link in a guide is relative and must resolve inside the curriculum folder itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbbuild
import pytest

from vxkit.exchange import tomllib
from vxkit.workspace import Workspace

from .conftest import CURRICULUM, REPO, TEMPLATE, graded_names, read_notebook, unit_languages, units

LINK = re.compile(r"\]\(([^)\s]+)\)")
GUIDES = sorted(
    [p for u in units() for p in (CURRICULUM / u).glob("teacher_guide*.md")]
    + list(TEMPLATE.glob("teacher_guide*.md"))
)
# the units whose graded notebooks end with extension tasks for 16-18 year olds
DATA_UNITS = ("climate_co2", "health_wealth", "population_futures", "local_data")


def _lang(path: Path) -> str:
    parts = path.name.split(".")
    return parts[1] if len(parts) == 3 else "en"


def guide_problems(path: Path, text: str | None = None) -> list[str]:
    """What is wrong with the links of one teacher guide (``text``: instead of the file's)."""
    text = path.read_text(encoding="utf-8") if text is None else text
    lang = _lang(path)
    problems = []
    links = LINK.findall(text)
    for link in links:
        if re.match(r"^[a-z]+:", link):
            continue  # a web address
        if not (path.parent / link.split("#")[0]).resolve().is_file():
            problems.append(f"{path.name}: the link {link} leads nowhere")
    page = "safeguarding.md" if lang == "en" else f"safeguarding.{lang}.md"
    if not any(Path(link).name == page for link in links):
        problems.append(f"{path.name}: no link to the safeguarding page {page}")
    return problems


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_guide_links_the_safeguarding_page_in_its_language(guide: Path):
    assert guide_problems(guide) == []
    text = guide.read_text(encoding="utf-8")
    rest = text.partition("\n## ")[2]
    # the link opens the guide, before its goals, where a teacher reads first
    assert "safeguarding" in rest.split("\n## ")[0], "the opening section links the page"
    if guide.parent.name != nbbuild.STARTER:
        starter = "teacher_guide.md" if _lang(guide) == "en" else f"teacher_guide.{_lang(guide)}.md"
        assert f"{nbbuild.STARTER}/{starter})" in text, "12-14 classes are sent to the starter"


def test_a_guide_without_the_link_or_with_a_broken_one_is_caught():
    """The check above fails on main's guides (no opening section) and on a wrong target."""
    guide = CURRICULUM / "climate_co2" / "teacher_guide.fr.md"
    text = guide.read_text(encoding="utf-8")
    without = re.sub(r"## Avant de commencer\n(- .*\n)+\n", "", text)
    assert without != text
    assert guide_problems(guide, without) == [
        "teacher_guide.fr.md: no link to the safeguarding page safeguarding.fr.md"
    ]
    broken = text.replace("](../safeguarding.fr.md)", "](safeguarding.fr.md)")
    assert guide_problems(guide, broken) == [
        "teacher_guide.fr.md: the link safeguarding.fr.md leads nowhere"
    ]
    english = text.replace("](../safeguarding.fr.md)", "](../safeguarding.md)")
    assert guide_problems(guide, english) == [
        "teacher_guide.fr.md: no link to the safeguarding page safeguarding.fr.md"
    ]


def test_the_safeguarding_page_exists_in_every_language_with_the_same_shape():
    languages = {lang for u in units() for lang in unit_languages(u)}
    english = (CURRICULUM / "safeguarding.md").read_text(encoding="utf-8")
    assert languages == {"en", "fr", "es"}
    for lang in sorted(languages - {"en"}):
        path = CURRICULUM / f"safeguarding.{lang}.md"
        text = path.read_text(encoding="utf-8")
        for mark in ("\n## ", "\n| ", "\n- ", "\n1. ", "\n7. ", "- [ ]", "`vxkit "):
            assert text.count(mark) == english.count(mark), f"{path.name}: {mark!r}"
        for page in (CURRICULUM / "safeguarding.md", *CURRICULUM.glob("safeguarding.*.md")):
            assert f"]({page.name})" in text or page == path, f"{path.name} links {page.name}"
    # what the page must cover, as the issue lists it
    for topic in (
        "permission",
        "Netiquette",
        "portfolio",
        "certificates",
        "first name",
        "Photos",
        "data the class collects",
        "Moderation",
        "If something goes wrong",
    ):
        assert topic.lower() in english.lower(), topic


def test_the_guides_and_the_page_ship_together_and_stay_out_of_workspaces(
    units_workspace: Workspace,
):
    """The wheel maps the whole curriculum folder to share/vxkit/curriculum, so the guides'
    relative links resolve in an installed vxkit too; a workspace gets no guide to mislead."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    shared = project["tool"]["hatch"]["build"]["targets"]["wheel"]["shared-data"]
    assert shared["curriculum"] == "share/vxkit/curriculum"
    for guide in GUIDES:
        if guide.is_relative_to(CURRICULUM):
            for link in LINK.findall(guide.read_text(encoding="utf-8")):
                if not re.match(r"^[a-z]+:", link):
                    target = (guide.parent / link.split("#")[0]).resolve()
                    assert target.is_relative_to(CURRICULUM), f"{guide}: {link} leaves curriculum/"
    copied = [p for p in units_workspace.root.rglob("*.md") if "teacher_guide" in p.name]
    assert copied == []


def test_the_starter_is_a_short_graded_unit_for_12_14():
    meta = tomllib.loads((CURRICULUM / nbbuild.STARTER / "unit.toml").read_text("utf-8"))
    assert meta["ages"] == "12-14" and meta["hours"] == 1
    assert meta["languages"] == ["en", "fr", "es"]
    unit = nbbuild.load_unit(nbbuild.STARTER)
    tasks = {c.key: c.task.returns for c in nbbuild.graded_tasks(unit) if c.task}
    assert tasks == {
        "total_minutes": "integer",
        "mean_temperature": "number",
        "rows_2010": "table",
        "total_millions": "number",
    }
    for name in graded_names(nbbuild.STARTER):
        nb = read_notebook(CURRICULUM / nbbuild.STARTER / name)
        code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        for skill in ("temperatures = [", "data.indicator(", '["year"] == 2010', ".sum()"):
            assert skill in code, (name, skill)
        assert ".plot.bar(" in code, name
        assert "numbers.Integral" in code and "isinstance(total_minutes, int)" not in code


@pytest.mark.parametrize("unit", DATA_UNITS)
def test_every_data_unit_ends_with_extension_tasks_in_every_language(unit: str):
    tasks = [c for c in nbbuild.load_unit(unit).individual if c.extension]
    assert tasks, f"{unit} has no extension task for 16-18 year olds"
    keys = [str(c.key) for c in tasks]
    for name in graded_names(unit):
        cells = read_notebook(CURRICULUM / unit / name)["cells"]
        ids = [c["id"] for c in cells]
        graded = [i for i, c in enumerate(cells) if "nbgrader" in c["metadata"]]
        for key in keys:
            at = ids.index(key)
            assert at > graded[-1], f"{name}: {key} comes after every graded cell"
            for cell in cells[at : at + 3]:
                assert "nbgrader" not in cell["metadata"], "extension tasks are ungraded"
            assert cells[at + 1]["cell_type"] == "code" and cells[at + 1]["source"]
    guides = sorted((CURRICULUM / unit).glob("teacher_guide*.md"))
    assert len(guides) == len(unit_languages(unit)) == 3
    english = (CURRICULUM / unit / "teacher_guide.md").read_text(encoding="utf-8")
    section = english.split(nbbuild.EXTENSION_HEADING, 1)[1].split("\n## ")[0]
    assert section.count("\n- ") == len(tasks)
    for guide in guides:
        text = guide.read_text(encoding="utf-8")
        opened = [t for t in text.split("\n## ") if t.count("\n- ") == len(tasks) and "16-18" in t]
        assert opened, f"{guide.name} lists the extension tasks for 16-18 year olds"


def test_the_notebooks_name_the_extensions_in_their_own_language():
    for unit in DATA_UNITS:
        for name in graded_names(unit)[1:]:
            english = read_notebook(CURRICULUM / unit / "individual.ipynb")["cells"]
            other = read_notebook(CURRICULUM / unit / name)["cells"]
            for en, xx in zip(english, other, strict=True):
                if en["id"].startswith("extension") and en["cell_type"] == "markdown":
                    assert en["source"] != xx["source"], (unit, name, en["id"])
