"""Kernel messages carry the signed-in identity, whatever the browser claims."""

from __future__ import annotations

import asyncio
import json
import uuid

from jupyter_server.services.kernels.connection.base import (
    deserialize_msg_from_ws_v1,
    serialize_msg_to_ws_v1,
)
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from vxkit.server.links import revoke

PROTOCOL = "v1.kernel.websocket.jupyter.org"
READ_BACK = (
    "import json\n"
    "print(json.dumps(get_ipython().kernel.get_parent()['metadata']['vxkit_identity']))"
)


def execute_request(code: str, forged: dict) -> list[bytes]:
    header = {
        "msg_id": uuid.uuid4().hex,
        "msg_type": "execute_request",
        "username": "forger",
        "session": uuid.uuid4().hex,
        "date": "2027-01-11T08:00:00Z",
        "version": "5.3",
    }
    content = {"code": code, "silent": False, "store_history": False, "allow_stdin": False}
    parts = [header, {}, {"vxkit_identity": forged, "cellId": "c1"}, content]
    return [json.dumps(p).encode() for p in parts]


async def test_forged_identity_is_replaced_by_the_signed_in_one(
    person_factory, classroom_links, demo_workspace
):
    chloe = person_factory()
    await chloe.join(classroom_links.code("lyon_4b"), name="Chloé")
    team = demo_workspace.load().team_of("lyon_4b", "Chloé").id
    body = {"name": "python3", "path": f"projects/{team}/notes.ipynb"}
    response = await chloe.fetch("api/kernels", "POST", body)
    assert response.code == 201, response.body
    kernel_id = json.loads(response.body)["id"]
    request = HTTPRequest(
        f"{chloe.ws_base}api/kernels/{kernel_id}/channels", headers=chloe._headers()
    )
    conn = await websocket_connect(request, subprotocols=[PROTOCOL])
    forged = {"role": "teacher", "name": "Mme Laurent", "student_id": None, "class_id": "lyon_4b"}
    parts = execute_request(READ_BACK, forged)
    msg_id = json.loads(parts[0])["msg_id"]
    await conn.write_message(serialize_msg_to_ws_v1(parts, "shell"), binary=True)
    printed = ""

    async def read_output() -> None:
        nonlocal printed
        while True:
            message = await conn.read_message()
            assert message is not None, "the kernel websocket closed"
            channel, msg_list = deserialize_msg_from_ws_v1(message)
            header, parent = json.loads(msg_list[0]), json.loads(msg_list[1])
            if channel != "iopub" or parent.get("msg_id") != msg_id:
                continue
            if header["msg_type"] == "stream":
                printed += json.loads(msg_list[3])["text"]
            if header["msg_type"] == "error":
                raise AssertionError(json.loads(msg_list[3]))
            if (
                header["msg_type"] == "status"
                and json.loads(msg_list[3])["execution_state"] == "idle"
            ):
                return

    await asyncio.wait_for(read_output(), 60)

    # the class code is replaced: the open kernel websocket runs nothing more for Chloé
    revoke(demo_workspace, "lyon_4b")
    await conn.write_message(
        serialize_msg_to_ws_v1(execute_request("print('still here')", {}), "shell"), binary=True
    )

    async def until_closed() -> None:
        while await conn.read_message() is not None:
            pass

    await asyncio.wait_for(until_closed(), 30)
    assert conn.close_code == 4403
    identity = json.loads(printed)
    assert identity["role"] == "student"
    assert identity["name"] == "Chloé"
    assert identity["student_id"] == "lyon_4b-chloe"
    assert identity["class_id"] == "lyon_4b"
    assert identity["city"] == "Lyon"
    teacher = person_factory(teacher=True)
    assert (await teacher.fetch(f"api/kernels/{kernel_id}", "DELETE")).code == 204
