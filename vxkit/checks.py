"""Whole-workspace checks behind ``vxkit check``: the exchange, and the curriculum units it uses."""

from __future__ import annotations

from pathlib import Path

from .errors import VxkitError
from .exchange import EXCHANGE_FILE, ExchangeError, Problem, tomllib
from .workspace import LANGUAGE_MARK, OWN_UNITS_DIR, Workspace, find_unit, sync_units


def unit_problems(unit: str, units_root: Path, where: str | None = None) -> list[Problem]:
    """What is missing from the curriculum unit folder ``units_root/unit`` (which exists)."""
    folder = units_root / unit
    where = where or f"exchange.units ({unit})"
    problems = []
    for path in sorted(folder.glob("*.ipynb")):
        problems.extend(notebook_problems(path, where))
    if not (folder / "unit.toml").is_file():
        problems.append(Problem(where, unit, "the unit has no unit.toml"))
    else:
        problems.extend(_unit_toml_problems(unit, folder / "unit.toml", where))
    if not list(folder.glob("team*.ipynb")):
        problems.append(Problem(where, unit, "the unit has no team notebook (team.ipynb)"))
    if not [p for p in folder.glob("*.ipynb") if not p.name.startswith("team")]:
        problems.append(
            Problem(where, unit, "the unit has no graded notebook (individual.ipynb) for nbgrader")
        )
    if not (folder / "teacher_guide.md").is_file():
        problems.append(Problem(where, unit, "the unit has no teacher guide (teacher_guide.md)"))
    return problems


UNIT_KEYS = ("id", "title", "sdg", "ages", "hours", "phase", "skills", "languages")


def _unit_toml_problems(unit: str, path: Path, where: str) -> list[Problem]:
    """What is wrong in a unit's ``unit.toml``: fields, id, SDG and one notebook per language."""
    try:
        meta = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        return [Problem(where, unit, f"{path.name} is not valid TOML ({err})")]
    problems = [
        Problem(where, key, f'{path.name} has no "{key}" field')
        for key in UNIT_KEYS
        if key not in meta
    ]
    if "id" in meta and meta["id"] != unit:
        problems.append(
            Problem(
                where,
                meta["id"],
                f'{path.name} says id = "{meta["id"]}" but the folder is "{unit}"',
            )
        )
    sdg = meta.get("sdg")
    if "sdg" in meta and (not isinstance(sdg, int) or not 1 <= sdg <= 17):
        problems.append(Problem(where, sdg, f"sdg must be a goal number from 1 to 17, not {sdg!r}"))
    languages = meta.get("languages", [])
    if not isinstance(languages, list) or "en" not in languages:
        problems.append(Problem(where, languages, 'languages must be a list that includes "en"'))
        languages = []
    team = path.parent / "team.ipynb"
    team_text = team.read_text(encoding="utf-8") if team.is_file() else ""
    several = "<!-- vxkit:lang " in team_text
    for lang in languages:
        suffix = ".ipynb" if lang == "en" else f".{lang}.ipynb"
        if not (path.parent / f"individual{suffix}").is_file():
            problems.append(
                Problem(
                    where, lang, f'language "{lang}" is listed but individual{suffix} is missing'
                )
            )
        guide = "teacher_guide.md" if lang == "en" else f"teacher_guide.{lang}.md"
        if not (path.parent / guide).is_file():
            problems.append(
                Problem(where, lang, f'language "{lang}" is listed but {guide} is missing')
            )
        if several and LANGUAGE_MARK.format(lang=lang) not in team_text:
            problems.append(
                Problem(
                    where, lang, f'language "{lang}" is listed but team.ipynb has no text in it'
                )
            )
    return problems


_MARKERS = (
    ("### BEGIN SOLUTION", "### END SOLUTION"),
    ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"),
)


def notebook_problems(path: Path, where: str) -> list[Problem]:
    """What is wrong in one notebook of a unit: it doesn't parse, or its nbgrader metadata.

    A graded notebook (any but ``team*.ipynb``) needs at least one autograded test cell; every
    nbgrader cell a unique ``grade_id``; graded cells a number of ``points``; solution and
    hidden-test regions open and close in the same cell (nbgrader would release the rest).
    """
    import nbformat

    name = path.name
    try:
        nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        nbformat.validate(nb)
    except Exception as err:  # nbformat raises JSON, schema and reader errors of many kinds
        reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        return [Problem(where, name, f"{name} is not a valid notebook ({reason})")]
    problems: list[Problem] = []
    seen: set[str] = set()
    autograded = 0
    for i, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {}).get("nbgrader")
        source = cell.get("source", "")
        for begin, end in _MARKERS:
            if source.count(begin) != source.count(end):
                problems.append(
                    Problem(
                        where,
                        f"{name} cell {i + 1}",
                        f'{name}: cell {i + 1} opens "{begin}" and closes "{end}" a different '
                        "number of times",
                    )
                )
        if not meta:
            continue
        grade_id = meta.get("grade_id")
        if not isinstance(grade_id, str) or not grade_id:
            problems.append(
                Problem(
                    where, grade_id, f"{name}: cell {i + 1} has nbgrader metadata but no grade_id"
                )
            )
        elif grade_id in seen:
            problems.append(
                Problem(where, grade_id, f'{name}: grade_id "{grade_id}" is used by two cells')
            )
        else:
            seen.add(grade_id)
        if meta.get("grade"):
            points = meta.get("points")
            if isinstance(points, bool) or not isinstance(points, (int, float)) or points < 0:
                problems.append(
                    Problem(
                        where,
                        points,
                        f'{name}: graded cell "{grade_id}" needs points, a number 0 or more, '
                        f"not {points!r}",
                    )
                )
            if cell.cell_type == "code" and not meta.get("solution"):
                autograded += 1
    if not name.startswith("team") and not autograded:
        problems.append(
            Problem(where, name, f"{name} has no autograded test cell (nbgrader grade and locked)")
        )
    return problems


def check_workspace(root: Path) -> tuple[str, list[Problem | str], list[str]]:
    """Check a workspace: a one-line summary, every problem found, and notes.

    The notes say which units the next `vxkit lab` or `vxkit assign` installs, and which
    units are in the workspace but no longer listed (kept).
    """
    ws = Workspace(root.resolve())
    if not ws.exchange_file.is_file():
        raise VxkitError(
            f"There is no {EXCHANGE_FILE} in {ws.root}. Create a workspace with `vxkit new {root}`."
        )
    try:
        exchange = ws.load()
    except ExchangeError as err:
        return "", list(err.problems), []
    sync = sync_units(ws, exchange, dry_run=True)
    problems: list[Problem | str] = []
    for unit in exchange.units:
        folder = find_unit(ws, unit)
        if folder is not None:
            problems.extend(unit_problems(unit, folder.parent))
    # the teacher's own units are checked before they are listed, as they are being written
    own = ws.own_units_dir
    for toml in sorted(own.glob("*/unit.toml")) if own.is_dir() else []:
        unit = toml.parent.name
        if unit not in exchange.units and not unit.startswith("."):
            problems.extend(unit_problems(unit, own, f"{OWN_UNITS_DIR}/{unit}"))
    problems += [
        Problem(f"exchange.units ({unit})", unit, line)
        for unit, line in zip(sync.missing, sync.missing_lines(), strict=True)
    ]
    students = sum(len(c.students) for c in exchange.classes)
    summary = (
        f"exchange '{exchange.title}': {len(exchange.classes)} classes, {students} students, "
        f"{len(exchange.teams)} teams, {len(exchange.units)} units."
    )
    return summary, problems, sync.install_lines() + sync.unlisted_lines()
