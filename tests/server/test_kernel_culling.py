"""Idle kernels are shut down (jupyter_server's culling, with vxkit's lesson defaults)."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from vxkit.server.app import VxkitApp

from .conftest import classroom_config


@pytest.fixture
def jp_server_config(demo_workspace):
    """The classroom with a two-second idle timeout, checked every second."""
    config = classroom_config(demo_workspace)
    config["VxkitApp"].update({"kernel_idle_timeout": 2, "kernel_cull_interval": 1})
    return config


def test_the_default_suits_a_lesson():
    assert VxkitApp.kernel_idle_timeout.default_value == 1800  # half an hour
    assert VxkitApp.kernel_cull_interval.default_value == 60


async def test_an_idle_kernel_with_an_open_tab_is_shut_down(
    person_factory, jp_serverapp, demo_workspace
):
    manager = jp_serverapp.kernel_manager
    assert (manager.cull_idle_timeout, manager.cull_interval, manager.cull_connected) == (
        2,
        1,
        True,
    )
    teacher = person_factory(teacher=True)
    body = {"name": "python3", "path": "projects/team_rivers/notes.ipynb"}
    response = await teacher.fetch("api/kernels", "POST", body)
    assert response.code == 201, response.body
    kernel_id = json.loads(response.body)["id"]
    # the notebook's tab stays open: its websocket is connected the whole time
    tab = await websocket_connect(
        HTTPRequest(
            f"{teacher.ws_base}api/kernels/{kernel_id}/channels", headers=teacher._headers()
        )
    )
    assert json.loads((await teacher.fetch(f"api/kernels/{kernel_id}")).body)["connections"] == 1
    started = time.monotonic()
    while (await teacher.fetch(f"api/kernels/{kernel_id}")).code == 200:
        assert time.monotonic() - started < 20, "the idle kernel was not shut down"
        await asyncio.sleep(0.3)
    assert time.monotonic() - started >= 1.5  # not before it was idle for the timeout
    assert kernel_id not in manager.list_kernel_ids()
    tab.close()
