"""Whole-workspace checks behind ``vxkit check``: the exchange, and the curriculum units it uses."""

from __future__ import annotations

from pathlib import Path

from .errors import VxkitError
from .exchange import EXCHANGE_FILE, ExchangeError, Problem, tomllib
from .workspace import LANGUAGE_MARK, Workspace, find_unit, sync_units


def unit_problems(unit: str, units_root: Path) -> list[Problem]:
    """What is missing from the curriculum unit folder ``units_root/unit`` (which exists)."""
    folder = units_root / unit
    where = f"exchange.units ({unit})"
    problems = []
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
        if several and LANGUAGE_MARK.format(lang=lang) not in team_text:
            problems.append(
                Problem(
                    where, lang, f'language "{lang}" is listed but team.ipynb has no text in it'
                )
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
