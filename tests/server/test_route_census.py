"""Every route of a real classroom server, from every installed extension, goes through the
gate, and the list of routes is the committed census: an upgrade that adds or renames a route
fails here with a diff (the new route is teacher-only until the policy names it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from vxkit.server.policy import ENDPOINTS
from vxkit.workspace import Workspace

CENSUS = Path(__file__).parent / "route_census.txt"

SCRIPT = r"""
import json, sys
from jupyter_server.serverapp import ServerApp
from vxkit.server import gate
app = ServerApp()
app.initialize(argv=["--allow-root", "--no-browser", "--port=0",
                     "--ServerApp.root_dir=" + sys.argv[1]])
web_app = app.web_app
bad = []
def walk(router):
    for rule in getattr(router, "rules", []):
        t = rule.target
        if hasattr(t, "rules"):
            walk(t)
        elif isinstance(t, type) and getattr(t, "_vxkit_original", None) is None:
            bad.append(t.__module__ + ":" + t.__qualname__)
walk(web_app.default_router)
walk(web_app.wildcard_router)
print(json.dumps({"census": gate.census(web_app), "ungated": bad}))
"""


def run_census(ws: Workspace, tmp_path: Path) -> dict:
    env_dirs = {"JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ws.root)],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={**os.environ, **env_dirs},
        timeout=120,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_every_route_is_gated_and_the_census_is_current(demo_workspace, tmp_path):
    result = run_census(demo_workspace, tmp_path)
    assert result["ungated"] == []
    lines = [f"{name}\t{methods}" for name, methods in result["census"]]
    current = "\n".join(lines) + "\n"
    if os.environ.get("VXKIT_UPDATE_CENSUS") == "1":
        CENSUS.write_text(current)  # after reviewing a change of routes against the policy
    expected = CENSUS.read_text()
    added = sorted(set(lines) - set(expected.splitlines()))
    gone = sorted(set(expected.splitlines()) - set(lines))
    assert not added and not gone, (
        "The server's routes changed: review each against vxkit/server/policy.py, then update "
        f"{CENSUS.name}.\nnew: {added}\ngone: {gone}"
    )


def test_every_policy_row_is_a_real_route():
    names = {line.split("\t")[0] for line in CENSUS.read_text().splitlines()}
    # the hub's sign-in routes exist on a hub's exchange server only: tests/test_hub.py signs
    # in through them in a browser
    hub = {name for name in ENDPOINTS if name.startswith("jupyterhub.singleuser.")}
    assert hub == {
        "jupyterhub.singleuser.extension:JupyterHubOAuthCallbackHandler",
        "jupyterhub.singleuser.extension:JupyterHubLogoutHandler",
    }
    missing = sorted(set(ENDPOINTS) - names - hub - {"jupyter_server.auth.login:LoginFormHandler"})
    assert missing == []
