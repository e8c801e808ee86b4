"""The wiring the server uses: a real jupyter_server whose config names the provisioner.

``KernelProvisionerFactory.default_provisioner_name = "vxkit-sandbox"`` and the workspace
root in ``VxkitSandboxProvisioner.workspace_root``: a session on a team notebook gets a
kernel confined to the team's folder (jupyter_server starts it in the notebook's folder), a
session on a teacher's notebook a stock kernel.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
from jupyter_client.provisioning import KernelProvisionerFactory

from vxkit.workspace import Workspace

from .conftest import require

pytestmark = pytest.mark.parametrize("mechanism", ["landlock", "bubblewrap"])

PROBE = (
    "import json, os\n"
    "def probe(path):\n"
    "    try:\n"
    "        open(path).read()\n"
    "        return 'read'\n"
    "    except OSError as err:\n"
    "        return type(err).__name__\n"
    "print(json.dumps([os.getcwd(), probe({links!r}), probe({gradebook!r})]))"
)


@pytest.fixture(autouse=True)
def fresh_factory() -> Iterator[None]:
    """The provisioner factory is a process-wide singleton: let each server configure it."""
    KernelProvisionerFactory.clear_instance()
    yield
    KernelProvisionerFactory.clear_instance()


@pytest.fixture
def jp_root_dir(demo_workspace: Workspace):
    (demo_workspace.state_dir / "links.json").write_text("{}", encoding="utf-8")
    (demo_workspace.course_dir / "gradebook.db").write_text("grades", encoding="utf-8")
    return demo_workspace.root


@pytest.fixture
def jp_server_config(demo_workspace: Workspace, mechanism: str) -> dict[str, Any]:
    require(mechanism)
    return {
        "KernelProvisionerFactory": {"default_provisioner_name": "vxkit-sandbox"},
        # no workspace_root: the server's root_dir is the workspace
        "VxkitSandboxProvisioner": {"mechanism": mechanism},
    }


async def _probe(jp_fetch, jp_serverapp, ws: Workspace, path: str) -> list[str]:
    response = await jp_fetch(
        "api",
        "sessions",
        method="POST",
        body=json.dumps({"path": path, "type": "notebook", "kernel": {"name": "python3"}}),
    )
    kernel_id = json.loads(response.body)["kernel"]["id"]
    kc = jp_serverapp.kernel_manager.get_kernel(kernel_id).client()
    kc.start_channels()
    out: list[str] = []
    try:
        await kc.wait_for_ready(timeout=60)
        code = PROBE.format(
            links=str(ws.state_dir / "links.json"), gradebook=str(ws.course_dir / "gradebook.db")
        )
        await kc.execute_interactive(
            code,
            timeout=60,
            output_hook=lambda m: (
                out.append(m["content"].get("text", "")) if m["msg_type"] == "stream" else None
            ),
        )
    finally:
        kc.stop_channels()
    return json.loads("".join(out))


async def test_a_team_notebooks_kernel_is_sandboxed_a_teachers_is_not(
    jp_fetch, jp_serverapp, demo_workspace: Workspace, mechanism: str
) -> None:
    ws = demo_workspace
    team = await _probe(jp_fetch, jp_serverapp, ws, "projects/team_rivers/meet_partners.ipynb")
    assert team[0] == os.path.realpath(ws.team_dir("team_rivers"))
    assert team[1:] == (
        ["PermissionError"] * 2 if mechanism == "landlock" else ["FileNotFoundError"] * 2
    )
    teacher = await _probe(jp_fetch, jp_serverapp, ws, "course/source/meet_partners/x.ipynb")
    assert teacher[1:] == ["read", "read"]
