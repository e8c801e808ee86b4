"""The kernel side of the identity stamp, in a real kernel: a click's row names the stamped student.

The server (vxkit.server) stamps ``metadata.vxkit_identity`` on every message a browser
sends to a kernel. Here the stamped messages are sent straight to a real ipykernel, the way
the server forwards them: a widget click is a ``comm_msg`` to the button's model.
"""

from __future__ import annotations

import json
import queue
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager

AMANI = {
    "role": "student",
    "name": "Amani",
    "student_id": "nairobi_7-amani",
    "class_id": "nairobi_7",
}
CHLOE = {"role": "student", "name": "Chloé", "student_id": "lyon_4b-chloe", "class_id": "lyon_4b"}


@pytest.fixture(scope="module")
def kernel() -> Iterator[BlockingKernelClient]:
    manager = KernelManager(kernel_name="python3")
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        yield client
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def send(
    client: BlockingKernelClient, msg_type: str, content: dict[str, Any], identity: Any
) -> list[dict[str, Any]]:
    """Send a shell message (stamped when ``identity`` is given); the iopub replies to it."""
    metadata = {} if identity is None else {"vxkit_identity": identity}
    msg = client.session.msg(msg_type, content, metadata=metadata)
    client.shell_channel.send(msg)
    replies = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            reply = client.get_iopub_msg(timeout=1)
        except queue.Empty:
            continue
        if reply["parent_header"].get("msg_id") != msg["header"]["msg_id"]:
            continue
        replies.append(reply)
        if reply["msg_type"] == "status" and reply["content"]["execution_state"] == "idle":
            return replies
    raise AssertionError(f"the kernel did not finish the {msg_type} in time")


def run(client: BlockingKernelClient, code: str, identity: Any = None) -> str:
    replies = send(client, "execute_request", {"code": code, "silent": False}, identity)
    errors = [r["content"] for r in replies if r["msg_type"] == "error"]
    assert not errors, errors
    return "".join(r["content"]["text"] for r in replies if r["msg_type"] == "stream")


def click(client: BlockingKernelClient, model_id: str, identity: Any) -> None:
    content = {"comm_id": model_id, "data": {"method": "custom", "content": {"event": "click"}}}
    send(client, "comm_msg", content, identity)


def test_identity_reader_in_a_kernel(kernel: BlockingKernelClient) -> None:
    code = "from vxkit.widgets import current_identity; import json; print(json.dumps(current_identity()))"
    assert json.loads(run(kernel, code, AMANI)) == AMANI
    assert json.loads(run(kernel, code)) is None
    assert json.loads(run(kernel, code, "not a dict")) is None
    partial = json.loads(run(kernel, code, {"role": "teacher", "name": "Mme Laurent", "extra": 1}))
    assert partial == {
        "role": "teacher",
        "name": "Mme Laurent",
        "student_id": None,
        "class_id": None,
    }


def test_each_click_is_recorded_as_the_stamped_student(
    kernel: BlockingKernelClient, tmp_path: Path
) -> None:
    path = tmp_path / "observations.csv"
    model_id = run(
        kernel,
        "from vxkit.widgets import DataContribution\n"
        f"form = DataContribution({str(path)!r})\n"
        "form.value_input.value = '21'\n"
        "print(form.submit_button.model_id)",
    ).strip()
    # the teacher's cell ran with no stamp; two students click the shared button
    click(kernel, model_id, AMANI)
    run(kernel, "form.value_input.value = '19'")
    click(kernel, model_id, CHLOE)
    run(kernel, "form.value_input.value = '18'")
    click(kernel, model_id, None)  # a message the server did not stamp
    from vxkit.widgets.contribution import read_rows

    rows = read_rows(path)
    assert [(r["student_name"], r["student_id"], r["class_id"], r["value"]) for r in rows] == [
        ("Amani", "nairobi_7-amani", "nairobi_7", "21"),
        ("Chloé", "lyon_4b-chloe", "lyon_4b", "19"),
        ("unknown", "unknown", "unknown", "18"),
    ]
    feedback = run(kernel, "print(form.message)")
    assert feedback.startswith("Thank you:")  # the unstamped click is thanked without a name
