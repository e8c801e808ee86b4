"""Fixtures for widget and map tests: the demo exchange, and one full of hostile text."""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.widgets.samples import EVIL, TEMPLATE_CODE, demo_tables
from vxkit.exchange import Exchange, parse_exchange


@pytest.fixture(scope="session", autouse=True)
def _vxkit_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Boundaries are computed once per test session, in a folder of its own."""
    folder = tmp_path_factory.mktemp("vxkit-cache")
    old = os.environ.get("VXKIT_CACHE_DIR")
    os.environ["VXKIT_CACHE_DIR"] = str(folder)
    from vxkit.data import geo

    geo._cached.cache_clear()
    yield folder
    geo._cached.cache_clear()
    if old is None:
        os.environ.pop("VXKIT_CACHE_DIR", None)
    else:
        os.environ["VXKIT_CACHE_DIR"] = old


@pytest.fixture
def demo_exchange() -> Exchange:
    return parse_exchange(demo_tables())


@pytest.fixture
def evil_exchange() -> Exchange:
    """The demo exchange where every free-text field is an HTML or template injection."""
    tables = copy.deepcopy(demo_tables())
    first = tables["classes"][0]
    first["school"] = EVIL
    first["city"] = TEMPLATE_CODE
    first["profile"] = f"<script>alert('profile')</script>{EVIL}"
    first["teacher"] = EVIL
    return parse_exchange(tables)
