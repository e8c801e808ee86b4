"""Who is online, as a student sees it: her own team only, whatever she asks for.

Chloé (Rivers) tries to learn who is online in the Forests team, through the team endpoint
(asking for another team) and through the global awareness room every JupyterLab tab joins.
"""

from __future__ import annotations

import asyncio
import json

from vxkit.server.links import VISITOR_KEY

from .conftest import RoomClient, wait_for

GLOBAL = "JupyterLab:globalAwareness"
ROOM = f"api/collaboration/room/{GLOBAL}"


async def online_names(person, query: str = "") -> tuple[dict, list[str]]:
    response = await person.fetch("vxkit/api/team" + query)
    assert response.code == 200, (response.code, response.body)
    body = json.loads(response.body)
    return body, [m["name"] for m in body["members"] if m["online"]]


def names_seen(client: RoomClient) -> set[str]:
    return {
        state["user"].get("vxkit", {}).get("name")
        for state in client.awareness.states.values()
        if state and state.get("user")
    }


async def test_a_student_sees_her_own_team_online_and_nobody_elses(person_factory, classroom_links):
    chloe, valentina, lucas = person_factory(), person_factory(), person_factory()
    await chloe.join(classroom_links.code("lyon_4b"), name="Chloé")
    await valentina.join(classroom_links.code("valparaiso_1m"), name="Valentina")  # Rivers
    await lucas.join(classroom_links.code("lyon_4b"), name="Lucas")  # Forests, same class
    teacher = person_factory(teacher=True)

    c_client = RoomClient(await chloe.websocket(ROOM), GLOBAL)
    v_client = RoomClient(await valentina.websocket(ROOM), GLOBAL)
    l_client = RoomClient(await lucas.websocket(ROOM), GLOBAL)
    t_client = RoomClient(await teacher.websocket(ROOM), GLOBAL)
    async with c_client.provider, v_client.provider, l_client.provider, t_client.provider:
        for client in (c_client, v_client, l_client, t_client):
            await asyncio.wait_for(client.provider.synced.wait(), 10)
        await l_client.announce({"name": "Lucas"})
        await t_client.announce({"name": "Teacher"})
        await v_client.announce({"name": "Valentina"})
        # Lucas spoke first, so by the time Valentina's state reaches Chloé his would have too
        await wait_for(lambda: "Valentina" in names_seen(c_client), what="Valentina reaches Chloé")
        await wait_for(lambda: "Lucas" in names_seen(t_client), what="the teacher sees Lucas")
        await l_client.announce({"name": "Lucas again"})
        await v_client.announce({"name": "Valentina again"})
        await asyncio.sleep(0.3)
        seen = names_seen(c_client)
        assert "Lucas" not in seen, seen
        assert any(n.startswith("Teacher") for n in seen)  # her teachers' being online is no secret

        body, online = await online_names(chloe, "?team=team_forests")
        assert body["team"] == "team_rivers"
        assert body["folder"] == "projects/team_rivers"
        assert set(online) == {"Chloé", "Valentina"}
        assert "Lucas" not in json.dumps(body)
        assert len(body["members"]) == 9  # the whole team, online or not

        _body, online = await online_names(lucas)
        assert online == ["Lucas"]
    for client in (c_client, v_client, l_client, t_client):
        client.conn.close()


async def test_a_teammate_in_the_team_notebook_is_shown_in_it(
    person_factory, classroom_links, demo_workspace
):
    import nbformat

    path = "projects/team_rivers/plan.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), demo_workspace.root / path)
    chloe, hugo = person_factory(), person_factory()
    await chloe.join(classroom_links.code("lyon_4b"), name="Chloé")
    await hugo.join(classroom_links.code("lyon_4b"), name="Hugo")
    h_client, _room = await hugo.room(path)
    async with h_client.provider:
        await asyncio.wait_for(h_client.provider.synced.wait(), 10)
        body, online = await online_names(chloe)
        assert online == ["Hugo"]
        hugo_row = next(m for m in body["members"] if m["name"] == "Hugo")
        assert hugo_row["documents"] == [path]
    h_client.conn.close()


async def test_visitors_and_teachers_have_no_team(person_factory, classroom_links):
    granny = person_factory()
    await granny.join(classroom_links.code(VISITOR_KEY), nickname="Granny")
    assert (await online_names(granny))[0] == {"team": None, "members": []}
    assert (await online_names(person_factory(teacher=True)))[0] == {"team": None, "members": []}
    assert (await person_factory().fetch("vxkit/api/team")).code == 403
