"""Whole-workspace checks behind ``vxkit check``: the exchange, and the curriculum units it uses."""

from __future__ import annotations

from pathlib import Path

from .errors import VxkitError
from .exchange import EXCHANGE_FILE, ExchangeError, Problem
from .workspace import Workspace, curriculum_dir


def unit_problems(unit: str, units_root: Path) -> list[Problem]:
    """What is missing from one curriculum unit folder."""
    folder = units_root / unit
    where = f"exchange.units ({unit})"
    if not folder.is_dir():
        known = sorted(p.name for p in units_root.iterdir() if (p / "unit.toml").is_file())
        return [
            Problem(
                where, unit, f'there is no curriculum unit "{unit}" (units: {", ".join(known)})'
            )
        ]
    problems = []
    if not (folder / "unit.toml").is_file():
        problems.append(Problem(where, unit, "the unit has no unit.toml"))
    if not list(folder.glob("team*.ipynb")):
        problems.append(Problem(where, unit, "the unit has no team notebook (team.ipynb)"))
    return problems


def check_workspace(root: Path) -> tuple[str, list[Problem | str]]:
    """Check a workspace; returns a one-line summary and every problem found."""
    ws = Workspace(root.resolve())
    if not ws.exchange_file.is_file():
        raise VxkitError(
            f"There is no {EXCHANGE_FILE} in {ws.root}. Create a workspace with `vxkit new {root}`."
        )
    try:
        exchange = ws.load()
    except ExchangeError as err:
        return "", list(err.problems)
    units_root = curriculum_dir()
    problems: list[Problem | str] = []
    for unit in exchange.units:
        problems.extend(unit_problems(unit, units_root))
    students = sum(len(c.students) for c in exchange.classes)
    summary = (
        f"exchange '{exchange.title}': {len(exchange.classes)} classes, {students} students, "
        f"{len(exchange.teams)} teams, {len(exchange.units)} units."
    )
    return summary, problems
