"""A hand-in takes the student's latest live edits, not the file as last saved by the debounce."""

from __future__ import annotations

import asyncio
import json

import nbformat
import pytest

from vxkit.grading import workflow
from vxkit.workspace import Workspace

from .conftest import classroom_config, wait_for

UNIT = "meet_partners"


@pytest.fixture
def jp_root_dir(demo_workspace: Workspace):
    return demo_workspace.root


@pytest.fixture
def jp_server_config(demo_workspace: Workspace) -> dict:
    # a save delay far longer than the test: only an explicit save can put the edit on disk
    return classroom_config(demo_workspace, save_delay=600)


async def test_hand_in_right_after_an_edit_contains_it(
    person_factory, classroom_links, demo_workspace
):
    ws = demo_workspace
    await asyncio.to_thread(workflow.assign, ws, UNIT)
    chloe = person_factory()
    await chloe.join_with_card(
        classroom_links.code("lyon_4b"), classroom_links.card("lyon_4b-chloe")
    )
    fetched = await chloe.fetch(f"vxkit/api/assignments/{UNIT}/fetch", "POST", {})
    assert fetched.code == 200, fetched.body
    notebook = f"students/lyon_4b-chloe/{UNIT}/individual.ipynb"
    assert (ws.root / notebook).is_file()

    client, _ = await chloe.room(notebook)
    async with client.provider:
        await asyncio.wait_for(client.provider.synced.wait(), 10)
        watcher, _ = await person_factory(teacher=True).room(notebook)
        async with watcher.provider:
            await asyncio.wait_for(watcher.provider.synced.wait(), 10)
            source = client.notebook.ycells[0]["source"]  # bind first (see PITFALLS)
            source += "\n\nLAST-SECOND-EDIT"
            # once the teacher's client has it, the server's room has it
            await wait_for(
                lambda: "LAST-SECOND-EDIT" in watcher.sources()[0], what="edit at the server"
            )
            on_disk = nbformat.read(ws.root / notebook, as_version=4)
            assert "LAST-SECOND-EDIT" not in on_disk.cells[0].source  # not saved yet
            handed_in = await chloe.fetch(f"vxkit/api/assignments/{UNIT}/submit", "POST", {})
            assert handed_in.code == 200, handed_in.body
            assert json.loads(handed_in.body)["submitted_for"] == ["Chloé"]
        watcher.conn.close()
    client.conn.close()

    inbound = ws.nbgrader_exchange / ws.load().id / "inbound"
    (submission,) = [p for p in inbound.iterdir() if p.name.startswith("lyon_4b-chloe+")]
    submitted = nbformat.read(submission / "individual.ipynb", as_version=4)
    assert "LAST-SECOND-EDIT" in submitted.cells[0].source
