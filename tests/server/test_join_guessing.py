"""Guessing join codes: a computer that tries too many wrong codes is asked to wait."""

from __future__ import annotations

import pytest

from vxkit.server.join import WrongCodeLimiter
from vxkit.workspace import Workspace

from .conftest import classroom_config


@pytest.fixture
def jp_root_dir(demo_workspace: Workspace):
    return demo_workspace.root


@pytest.fixture
def jp_server_config(demo_workspace: Workspace) -> dict:
    config = classroom_config(demo_workspace)
    config["VxkitApp"]["join_attempts_limit"] = 3
    return config


async def test_too_many_wrong_codes_get_a_wait_page(person_factory, classroom_links):
    guesser = person_factory()
    for guess in ("AAAAAA", "BBBBBB", "CCCCCC"):
        page = await guesser.fetch(f"vxkit/join/{guess}")
        assert page.code == 404
        assert b"is not a join code of this exchange" in page.body
    # even the right code waits now: guessing can't go on
    blocked = await guesser.fetch(f"vxkit/join/{classroom_links.code('lyon_4b')}")
    assert blocked.code == 429
    assert b"Too many wrong codes were tried from this computer. Wait 10 minutes" in blocked.body
    assert b"Traceback" not in blocked.body


def test_the_wait_ends_when_old_tries_leave_the_window():
    limiter = WrongCodeLimiter(limit=2, window=60)
    limiter.failed("10.0.0.5", now=0)
    assert limiter.blocked("10.0.0.5", now=1) == 0
    limiter.failed("10.0.0.5", now=30)
    assert limiter.blocked("10.0.0.5", now=31) == pytest.approx(29)
    assert limiter.blocked("10.0.0.6", now=31) == 0  # other computers are not affected
    assert limiter.blocked("10.0.0.5", now=61) == 0
