"""Co-editing with roles: named students from two classes, read-only visitors, closed doors."""

from __future__ import annotations

import asyncio
import csv
import json

import nbformat
import pytest
from pycrdt import create_awareness_message
from tornado.httpclient import HTTPClientError
from tornado.websocket import WebSocketClosedError

from vxkit.cli import main
from vxkit.server.links import VISITOR_KEY, revoke
from vxkit.workspace import Workspace

from .conftest import RoomClient, wait_for

NOTEBOOK = "projects/team_rivers/plan.ipynb"


def write_notebook(ws: Workspace, path: str, sources: list[str]) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(s) for s in sources]
    target = ws.root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(nbformat.writes(nb), encoding="utf-8")


def sources_on_disk(ws: Workspace, path: str) -> list[str] | None:
    try:
        nb = json.loads((ws.root / path).read_text(encoding="utf-8"))
    except ValueError:
        return None  # the server rewrites the file in place: read again
    return [
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in nb["cells"]
    ]


@pytest.fixture
def team_notebook(demo_workspace: Workspace) -> str:
    write_notebook(demo_workspace, NOTEBOOK, ["# Our plan", "Lyon:", "Nairobi:"])
    return NOTEBOOK


async def append_text(client, cell_index: int, text: str) -> None:
    cell = client.notebook.ycells[cell_index]
    source = cell["source"]  # bind first: `cell["source"] += x` would empty it
    source += text


async def test_two_classes_coedit_and_see_each_other_by_name_and_city(
    person_factory, classroom_links, demo_workspace, team_notebook, jp_serverapp, tmp_path, capsys
):
    chloe, amani = person_factory(), person_factory()
    teacher = person_factory(teacher=True)
    await chloe.join(classroom_links.code("lyon_4b"), name="Chloé")
    await amani.join(classroom_links.code("nairobi_7"), name="Amani")
    c_client, _ = await chloe.room(team_notebook)
    a_client, _ = await amani.room(team_notebook)
    async with c_client.provider, a_client.provider:
        await asyncio.wait_for(c_client.provider.synced.wait(), 10)
        await asyncio.wait_for(a_client.provider.synced.wait(), 10)
        # browsers claim who they are; the server replaces it with the signed identity
        await c_client.announce({"name": "Chloé", "display_name": "Mr Otieno (teacher)"})
        await a_client.announce({"name": "Amani", "display_name": "Amani"})
        await append_text(c_client, 1, " we measure the Rhône")
        await append_text(a_client, 2, " we measure the Nairobi river")
        for client in (c_client, a_client):
            await wait_for(
                lambda c=client: (
                    c.sources()
                    == [
                        "# Our plan",
                        "Lyon: we measure the Rhône",
                        "Nairobi: we measure the Nairobi river",
                    ]
                ),
                what="both edits in both clients",
            )
        seen_by_chloe = await wait_for(lambda: c_client.others(), what="Amani in awareness")
        seen_by_amani = await wait_for(lambda: a_client.others(), what="Chloé in awareness")
        presence = json.loads((await teacher.fetch("vxkit/api/presence")).body)["connections"]
        here = {(row["document"], row["username"], row["city"]) for row in presence}
        assert here == {
            (team_notebook, "lyon_4b-chloe", "Lyon"),
            (team_notebook, "nairobi_7-amani", "Nairobi"),
        }
    c_client.conn.close()
    a_client.conn.close()
    amani_user = seen_by_chloe[0]["user"]
    assert amani_user["display_name"] == "Amani (Nairobi)"
    assert amani_user["vxkit"]["city"] == "Nairobi"
    assert amani_user["vxkit"]["class_id"] == "nairobi_7"
    assert amani_user["color"] == "#d95f02"
    chloe_user = seen_by_amani[0]["user"]
    assert chloe_user["display_name"] == "Chloé (Lyon)"  # not the forged "Mr Otieno"
    assert chloe_user["username"] == "lyon_4b-chloe"
    await wait_for(
        lambda: (
            sources_on_disk(demo_workspace, team_notebook)
            == ["# Our plan", "Lyon: we measure the Rhône", "Nairobi: we measure the Nairobi river"]
        ),
        what="both edits saved to the file",
    )

    report = json.loads((await teacher.fetch("vxkit/api/contributions")).body)
    by_person = {row["person"]: row for row in report["students"]}
    assert by_person["lyon_4b-chloe"]["class_id"] == "lyon_4b"
    assert by_person["nairobi_7-amani"]["class_id"] == "nairobi_7"
    assert by_person["lyon_4b-chloe"]["documents"] == [team_notebook]
    cells = report["documents"][team_notebook]
    nb = nbformat.read(demo_workspace.root / team_notebook, as_version=4)
    lyon_cell, nairobi_cell = nb.cells[1].id, nb.cells[2].id
    assert set(cells[lyon_cell]) == {"lyon_4b-chloe"}
    assert set(cells[nairobi_cell]) == {"nairobi_7-amani"}
    team = next(t for t in report["teams"] if t["team_id"] == "team_rivers")
    assert set(team["by_class"]) == {"lyon_4b", "nairobi_7"}
    assert {c["class_id"] for c in report["classes"]} == {"lyon_4b", "nairobi_7"}
    # after they leave, nobody is present; the record is on disk for the CLI
    await wait_for(
        lambda: not jp_serverapp.web_app.settings["vxkit_presence"].snapshot(), what="left"
    )
    jp_serverapp.web_app.settings["vxkit_contributions"].flush()
    csv_file = tmp_path / "contributions.csv"
    assert main(["contributions", str(demo_workspace.root), "--csv", str(csv_file)]) == 0
    out = capsys.readouterr().out
    assert "team_rivers" in out and "Chloé" in out and "Amani" in out
    rows = list(csv.DictReader(csv_file.open(encoding="utf-8")))
    assert {(r["name"], r["class_id"], r["team_id"]) for r in rows} == {
        ("Chloé", "lyon_4b", "team_rivers"),
        ("Amani", "nairobi_7", "team_rivers"),
    }


async def test_visitor_watches_live_but_their_edits_reach_nobody(
    person_factory, classroom_links, demo_workspace, team_notebook
):
    hugo, visitor = person_factory(), person_factory()
    await hugo.join(classroom_links.code("lyon_4b"), name="Hugo")
    await visitor.join(classroom_links.code(VISITOR_KEY), nickname="Granny")
    h_client, _ = await hugo.room(team_notebook)
    v_client, _ = await visitor.room(team_notebook)
    async with h_client.provider, v_client.provider:
        await asyncio.wait_for(h_client.provider.synced.wait(), 10)
        await asyncio.wait_for(v_client.provider.synced.wait(), 10)
        await append_text(v_client, 0, " (visitor was here)")
        v_client.notebook.append_cell({"cell_type": "markdown", "source": "spam"})
        # the student's later edit reaches everyone, the visitor's earlier ones never do
        await append_text(h_client, 1, " Hugo")
        await wait_for(lambda: "Lyon: Hugo" in v_client.sources(), what="visitor watches live")
        await wait_for(
            lambda: (sources_on_disk(demo_workspace, team_notebook) or [])[1:2] == ["Lyon: Hugo"],
            what="Hugo's edit saved",
        )
        assert h_client.sources() == ["# Our plan", "Lyon: Hugo", "Nairobi:"]
    assert sources_on_disk(demo_workspace, team_notebook) == [
        "# Our plan",
        "Lyon: Hugo",
        "Nairobi:",
    ]

    # visitors can't write files or run code either
    response = await visitor.fetch(
        f"api/contents/{team_notebook}", "PUT", {"type": "file", "format": "text", "content": "x"}
    )
    assert response.code == 403
    assert (await visitor.fetch("api/kernels", "POST", {"name": "python3"})).code == 403
    # nor run code in a kernel a student started (for the team notebook: a kernel for no
    # notebook belongs to nobody, so only a teacher may start one)
    assert (await hugo.fetch("api/kernels", "POST", {"name": "python3"})).code == 403
    kernel = await hugo.fetch("api/kernels", "POST", {"name": "python3", "path": team_notebook})
    assert kernel.code == 201
    kernel_id = json.loads(kernel.body)["id"]
    with pytest.raises(HTTPClientError) as refused:
        await visitor.websocket(f"api/kernels/{kernel_id}/channels")
    assert refused.value.code == 403
    await hugo.fetch(f"api/kernels/{kernel_id}", "DELETE")
    assert (await visitor.fetch(f"api/contents/{team_notebook}")).code == 200


@pytest.mark.parametrize(
    "url",
    [
        "api/contents/course/gradebook.db",
        "api/contents/course/source",
        "files/course/source/unit/answers.ipynb",
        "nbconvert/html/course/source/unit/answers.ipynb",
        "api/contents/course/source/unit/answers.ipynb/checkpoints",
        "formgrader",
        "formgrader/gradebook",
        "api/contents/projects/team_forests",
        "api/contents/projects/team_forests/plan.ipynb",
        "files/projects/team_forests/plan.ipynb",
        "api/contents/.vxkit/links.json",
        "api/contents/.vxkit/exchange",
        "api/contents/students/lyon_4b-hugo",
        "api/contents/../etc/passwd",
        "api/terminals",
    ],
)
async def test_student_is_refused_teacher_and_other_team_places(
    person_factory, classroom_links, demo_workspace, url
):
    write_notebook(demo_workspace, "projects/team_forests/plan.ipynb", ["secret plan"])
    write_notebook(demo_workspace, "course/source/unit/answers.ipynb", ["42"])
    (demo_workspace.root / "course" / "gradebook.db").write_bytes(b"")
    chloe = person_factory()
    await chloe.join(classroom_links.code("lyon_4b"), name="Chloé")
    response = await chloe.fetch(url)
    assert response.code in (403, 404), (url, response.code)
    assert b"secret plan" not in response.body


async def test_student_may_work_in_own_team_shared_and_own_folders(
    person_factory, classroom_links, team_notebook
):
    chloe = person_factory()  # her own folder needs her personal code: the card's link
    await chloe.join_with_card(
        classroom_links.code("lyon_4b"), classroom_links.card("lyon_4b-chloe")
    )
    for path in (
        "projects/team_rivers/notes.txt",
        "shared/lyon_temperatures.csv",
        "students/lyon_4b-chloe/notes.txt",
    ):
        body = {"type": "file", "format": "text", "content": "ok"}
        response = await chloe.fetch(f"api/contents/{path}", "PUT", body)
        assert response.code in (200, 201), (path, response.code, response.body)
    assert (await chloe.fetch("api/contents/projects")).code == 200
    # moving team work into another team's folder is a write there: refused
    response = await chloe.fetch(
        "api/contents/projects/team_rivers/notes.txt",
        "PATCH",
        {"path": "projects/team_forests/notes.txt"},
    )
    assert response.code == 403
    # copying the nbgrader source into the team folder reads it: refused
    response = await chloe.fetch(
        "api/contents/projects/team_rivers",
        "POST",
        {"copy_from": "course/source/unit/answers.ipynb"},
    )
    assert response.code == 403
    assert (await chloe.fetch("vxkit/api/presence")).code == 403
    assert (await chloe.fetch("vxkit/api/contributions")).code == 403
    assert (await chloe.fetch("api/shutdown", "POST")).code == 403


async def test_student_is_refused_other_rooms_by_websocket(
    person_factory, classroom_links, demo_workspace
):
    write_notebook(demo_workspace, "projects/team_forests/plan.ipynb", ["secret plan"])
    write_notebook(demo_workspace, "course/source/unit/answers.ipynb", ["42"])
    teacher = person_factory(teacher=True)
    chloe = person_factory()
    await chloe.join(classroom_links.code("lyon_4b"), name="Chloé")
    for path in ("projects/team_forests/plan.ipynb", "course/source/unit/answers.ipynb"):
        assert (
            await chloe.fetch(
                f"api/collaboration/session/{path}", "PUT", {"format": "json", "type": "notebook"}
            )
        ).code == 403
        session = json.loads(
            (
                await teacher.fetch(
                    f"api/collaboration/session/{path}",
                    "PUT",
                    {"format": "json", "type": "notebook"},
                )
            ).body
        )
        room = f"api/collaboration/room/json:notebook:{session['fileId']}"
        with pytest.raises((HTTPClientError, WebSocketClosedError)) as info:
            conn = await chloe.websocket(f"{room}?sessionId={session['sessionId']}")
            await conn.read_message()
        assert getattr(info.value, "code", 403) == 403


async def test_revoking_a_class_code_closes_its_open_websockets(
    person_factory, classroom_links, demo_workspace, team_notebook
):
    chloe, amani = person_factory(), person_factory()
    await chloe.join(classroom_links.code("lyon_4b"), name="Chloé")
    await amani.join(classroom_links.code("nairobi_7"), name="Amani")
    c_client, _ = await chloe.room(team_notebook)
    a_client, _ = await amani.room(team_notebook)
    async with c_client.provider, a_client.provider:
        await asyncio.wait_for(c_client.provider.synced.wait(), 10)
        await asyncio.wait_for(a_client.provider.synced.wait(), 10)
        revoke(demo_workspace, "nairobi_7")
        await append_text(a_client, 2, " after the revoke")
        await wait_for(lambda: a_client.conn.close_code == 4403, what="Amani's room closed")
        await append_text(c_client, 1, " still here")
        await wait_for(
            lambda: (
                sources_on_disk(demo_workspace, team_notebook)
                == ["# Our plan", "Lyon: still here", "Nairobi:"]
            ),
            what="only Chloé's edit saved",
        )
        assert c_client.sources() == ["# Our plan", "Lyon: still here", "Nairobi:"]
    c_client.conn.close()


async def test_the_global_awareness_room_tells_no_one_which_file_someone_has_open(
    person_factory, classroom_links
):
    """JupyterLab puts the document each person is looking at (``current``) in the global
    awareness room, which everyone signed in joins: a student must not learn from it that
    the teacher has the nbgrader source open (the event stream is closed for the same reason)."""
    room = "api/collaboration/room/JupyterLab:globalAwareness"
    teacher = person_factory(teacher=True)
    chloe = person_factory()
    await chloe.join(classroom_links.code("lyon_4b"), name="Chloé")
    t_client = RoomClient(await teacher.websocket(room), "JupyterLab:globalAwareness")
    c_client = RoomClient(await chloe.websocket(room), "JupyterLab:globalAwareness")
    async with t_client.provider, c_client.provider:
        t_client.awareness.set_local_state(
            {"user": {"name": "T"}, "current": "RTC:course/source/unit/answers.ipynb"}
        )
        update = t_client.awareness.encode_awareness_update([t_client.ydoc.client_id])
        await t_client.channel.send(create_awareness_message(update))
        seen = await wait_for(
            lambda: [s for s in c_client.awareness.states.values() if s.get("user")],
            what="the teacher's awareness reaches Chloé",
        )
        assert all("course/source" not in json.dumps(s) for s in seen), seen
