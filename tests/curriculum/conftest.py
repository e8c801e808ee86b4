"""Fixtures of the curriculum tests: the units, and a workspace that installs all of them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from vxkit.binder import binder_exchange_text, curriculum_units
from vxkit.workspace import Workspace, curriculum_dir, scaffold

REPO = Path(__file__).resolve().parents[2]
CURRICULUM = REPO / "curriculum"
TEMPLATE = REPO / "templates" / "unit"
sys.path.insert(0, str(CURRICULUM / "tools"))


def units() -> list[str]:
    """Every unit of the curriculum (a folder with a unit.toml), sorted."""
    return curriculum_units()


def unit_languages(unit: str) -> list[str]:
    """A unit's languages, from its unit.toml (English first)."""
    from vxkit.exchange import tomllib

    return tomllib.loads((CURRICULUM / unit / "unit.toml").read_text("utf-8"))["languages"]


def graded_names(unit: str) -> list[str]:
    """The file names of a unit's graded notebooks, one per language."""
    return [
        f"individual{'' if lang == 'en' else '.' + lang}.ipynb" for lang in unit_languages(unit)
    ]


def read_notebook(path: Path) -> dict:
    """A notebook as plain JSON."""
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def units_workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The demo exchange with every curriculum unit, scaffolded once for the whole session."""
    assert curriculum_dir() == CURRICULUM
    ws, _ = scaffold(tmp_path_factory.mktemp("units") / "ws", binder_exchange_text())
    assert ws.load().units == units()
    return ws
