"""A teacher's own curriculum units: ``vxkit unit new`` scaffolds one a teacher edits in JupyterLab.

A new unit lives in the workspace's ``units/<id>/`` folder, beside the built-in curriculum and
with the same layout, so ``vxkit check``, ``vxkit lab`` and ``vxkit assign`` find it as they
find the built-in units::

    units/<id>/
      unit.toml                    id, title, SDG, ages, hours, phase, skills, languages
      individual.ipynb             the graded notebook in English (nbgrader metadata)
      individual.<lang>.ipynb      the graded notebook in each other language
      team.ipynb                   the one notebook each mixed team co-edits, every language
      teacher_guide.md             the teacher guide in English
      teacher_guide.<lang>.md      ... and in each other language
    units/safeguarding*.md         the curriculum's safeguarding pages, which the guides link

The texts come from ``vxkit/templates/unit_new.toml``, one table per language: adding a
language is adding a table.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import tomli_w

from .errors import VxkitError
from .exchange import ID_PATTERN, _suggest, tomllib
from .files import atomic_write
from .workspace import Workspace, curriculum_dir, join_languages, template_text

NBGRADER_SCHEMA = 3


def scaffold_texts() -> dict[str, dict[str, str]]:
    """The texts of a new unit, by language code."""
    return tomllib.loads(template_text("unit_new.toml"))


def language_suffix(lang: str) -> str:
    """How a unit's file names mark a language: nothing for English, ``.<lang>`` otherwise."""
    return "" if lang == "en" else f".{lang}"


def parse_languages(text: str, known: list[str]) -> list[str]:
    """The languages of ``--langs`` (comma-separated), checked; English must be one of them."""
    langs: list[str] = []
    for raw in text.split(","):
        lang = raw.strip()
        if not lang:
            continue
        if lang not in known:
            raise VxkitError(
                f'--langs: "{lang}" is not a language a new unit can be written in'
                f"{_suggest(lang, known)}; languages available: {', '.join(known)}."
            )
        if lang not in langs:
            langs.append(lang)
    if "en" not in langs:
        raise VxkitError(
            f'--langs: "{text}" must include "en": every unit has an English notebook '
            "(individual.ipynb), the one the other languages are translated from."
        )
    return langs


def _cell(kind: str, source: str, nbgrader: dict[str, Any] | None = None) -> dict[str, Any]:
    cell: dict[str, Any] = {
        "cell_type": kind,
        "metadata": {"nbgrader": {"schema_version": NBGRADER_SCHEMA, **nbgrader}}
        if nbgrader
        else {},
        "source": source,
    }
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def _notebook(cells: list[dict[str, Any]], vxkit_meta: dict[str, Any]) -> str:
    nb = {
        "cells": cells,
        "metadata": {
            "kernelspec": {
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
                "name": "python3",
            },
            "language_info": {"name": "python"},
            "vxkit": vxkit_meta,
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i}"
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def individual_notebook(unit: str, lang: str, t: dict[str, str]) -> str:
    """A graded notebook: one autograded exercise (solution and tests) and one reflection."""
    answer = (
        "def answer():\n"
        f'    """{t["solution_doc"]}"""\n'
        "    ### BEGIN SOLUTION\n"
        "    return 42\n"
        "    ### END SOLUTION"
    )
    shape = f'assert isinstance(answer(), numbers.Real), "{t["shape_message"]}"'
    values = (
        "### BEGIN HIDDEN TESTS\n"
        f'assert answer() == 42, "{t["value_message"]}"\n'
        "### END HIDDEN TESTS"
    )
    no_grade = {"grade": False, "locked": False, "solution": True, "task": False}
    test = {"grade": True, "locked": True, "points": 1, "solution": False, "task": False}
    cells = [
        _cell("markdown", t["individual_title"].format(title=t["title"])),
        _cell("markdown", t["overview"]),
        _cell("markdown", t["prerequisites"]),
        _cell("markdown", t["imports"]),
        _cell("code", "import numbers"),
        _cell("markdown", t["exercise"]),
        _cell("code", answer, {**no_grade, "grade_id": "answer"}),
        _cell("code", shape, {**test, "grade_id": "answer_shape"}),
        _cell("code", values, {**test, "grade_id": "answer_values"}),
        _cell(
            "markdown",
            t["reflection_question"],
            {
                "grade": False,
                "grade_id": "reflection_question",
                "locked": True,
                "solution": False,
                "task": False,
            },
        ),
        _cell(
            "markdown",
            t["reflection_answer"],
            {
                "grade": True,
                "grade_id": "reflection",
                "locked": False,
                "points": 2,
                "solution": True,
                "task": False,
            },
        ),
        _cell("markdown", t["summary"]),
        _cell("markdown", t["resources"]),
    ]
    return _notebook(cells, {"unit": unit, "language": lang})


def team_notebook(unit: str, texts: dict[str, dict[str, str]]) -> str:
    """The team notebook: each Markdown cell holds one block per language (see personalise)."""

    def both(key: str) -> str:
        return join_languages({k: t[key].format(title=t["title"]) for k, t in texts.items()})

    cells = [
        _cell("markdown", both("team_title")),
        _cell("markdown", both("team_task")),
        _cell("code", ""),
        _cell("markdown", both("team_conclusion")),
    ]
    return _notebook(cells, {"unit": unit, "languages": list(texts)})


def unit_toml(unit: str, title: str, langs: list[str]) -> str:
    """The ``unit.toml`` of a new unit: every field ``vxkit check`` asks for, to edit."""
    meta = {
        "id": unit,
        "title": title,
        "sdg": 4,
        "ages": "12-18",
        "hours": 2,
        "phase": "exchange",
        "skills": ["..."],
        "languages": langs,
    }
    return (
        "# A unit of this workspace, made by `vxkit unit new`: edit every field.\n"
        "# sdg: the UN Sustainable Development Goal (1-17); phase: plan, exchange or closing.\n"
        + tomli_w.dumps(meta)
    )


def unit_files(unit: str, langs: list[str], title: str | None = None) -> dict[str, str]:
    """Every file of a new unit, by name, in the languages ``langs`` (English first)."""
    all_texts = scaffold_texts()
    texts = {lang: dict(all_texts[lang]) for lang in langs}
    if title:
        for t in texts.values():
            t["title"] = title
    files = {"unit.toml": unit_toml(unit, texts["en"]["title"], langs)}
    for lang, t in texts.items():
        suffix = language_suffix(lang)
        files[f"individual{suffix}.ipynb"] = individual_notebook(unit, lang, t)
        files[f"teacher_guide{suffix}.md"] = t["guide"].format(id=unit, title=t["title"])
    files["team.ipynb"] = team_notebook(unit, texts)
    return files


def new_unit(ws: Workspace, unit: str, langs_text: str = "en", title: str | None = None) -> Path:
    """Create the unit ``unit`` in ``ws``'s ``units/`` folder and return its folder.

    The unit appears whole or not at all: its files are written in a hidden folder beside it,
    which is then renamed into place.
    """
    if not ID_PATTERN.match(unit):
        raise VxkitError(
            f'unit id: "{unit}" is not a valid unit id: start with a lowercase letter, then '
            "lowercase letters, digits or _ (at most 40), for example ocean_plastics."
        )
    langs = parse_languages(langs_text, list(scaffold_texts()))
    target = ws.own_units_dir / unit
    if os.path.lexists(target):
        raise VxkitError(
            f'unit id: "{unit}" already exists in {target}: edit it there, or pick another id.'
        )
    try:
        builtin = curriculum_dir() / unit
    except VxkitError:
        builtin = None
    if builtin is not None and builtin.is_dir():
        raise VxkitError(
            f'unit id: "{unit}" is a unit of the built-in curriculum ({builtin}); a unit of '
            f"your own with that id would replace it in this workspace: pick another id."
        )
    ws.own_units_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{unit}.", dir=ws.own_units_dir))
    try:
        for name, text in unit_files(unit, langs, title).items():
            atomic_write(staging / name, text)
        os.chmod(staging, 0o755)
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    copy_safeguarding(ws)
    return target


def copy_safeguarding(ws: Workspace) -> list[Path]:
    """Copy the curriculum's safeguarding pages (``safeguarding.md``, ``safeguarding.<lang>.md``)
    into the workspace's ``units/`` folder, where the guides of a teacher's own units link
    them (``../safeguarding.md``): the installed curriculum is outside the workspace, out of
    JupyterLab's reach. A page already there is kept (the school may have adapted it)."""
    try:
        pages = sorted(curriculum_dir().glob("safeguarding*.md"))
    except VxkitError:
        return []
    copied = []
    for page in pages:
        target = ws.own_units_dir / page.name
        if not os.path.lexists(target):
            atomic_write(target, page.read_text(encoding="utf-8"))
            copied.append(target)
    return copied
