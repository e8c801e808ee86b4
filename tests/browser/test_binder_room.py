"""A Binder room, as BinderHub launches it: binder/start, the server under ``/user/<name>/``
with Binder's token and environment. The teacher (who launched it, holding the token) finds
the class links in JupyterLab's Help menu, on the address partners open; a partner student
opens the Lyon link in another browser, joins the same session and co-edits with the teacher.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect, sync_playwright

from tests.browser.conftest import join_and_open, open_notebook
from tests.conftest import CHROMIUM_ARGS
from vxkit.server.links import ensure_links
from vxkit.testing import free_port, stop_process_group
from vxkit.workspace import Workspace

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
NAME = "vxkit-vxkit-4b7xq2ze"  # as BinderHub names a launch: the repository and a random tail
PREFIX = f"/user/{NAME}/"
TOKEN = "binder-launch-token"
NOTEBOOK = "projects/team_rivers/meet_partners.ipynb"
#: the teachers' Help item in each language of vxkit's catalogues: a pupil sees none of them
CLASS_LINKS = re.compile(
    r"^(Class links \(teachers\)|Liens des classes \(enseignants\)|"
    r"Enlaces de las clases \(docentes\))$"
)


def binder_environment(home: Path, tmp: Path) -> dict[str, str]:
    """What KubeSpawner and BinderHub's spawner put in a launched server's environment."""
    env = {
        **os.environ,
        "HOME": str(home),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "JUPYTER_CONFIG_DIR": str(tmp / ".jupyter"),
        "JUPYTER_DATA_DIR": str(tmp / ".local/share/jupyter"),
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
        "JUPYTERHUB_SERVICE_PREFIX": PREFIX,
        "JUPYTERHUB_BASE_URL": "/",
        "JUPYTERHUB_USER": NAME,
        "JUPYTERHUB_SERVER_NAME": "",
        "JUPYTERHUB_API_TOKEN": "hub-api-token-the-room-never-uses",
        "JUPYTERHUB_API_URL": "http://127.0.0.1:9/hub/api",  # nothing there: no hub login
        "JUPYTERHUB_CLIENT_ID": f"jupyterhub-user-{NAME}",
        "JUPYTERHUB_OAUTH_CALLBACK_URL": f"{PREFIX}oauth_callback",
        "BINDER_LAUNCH_HOST": "https://mybinder.org/",
        "BINDER_REQUEST": "v2/gh/vxkit/vxkit/main",
        "BINDER_PERSISTENT_REQUEST": "v2/gh/vxkit/vxkit/0123456789abcdef0123456789abcdef01234567",
        "BINDER_REPO_URL": "https://github.com/vxkit/vxkit",
        "BINDER_REF_URL": "https://github.com/vxkit/vxkit/tree/main",
    }
    env.pop("JUPYTER_TOKEN", None)
    return env


def test_teacher_finds_the_links_and_a_partner_coedits(
    tmp_path: Path, chromium_path, artifacts_dir
):
    home = tmp_path / "home"
    home.mkdir()
    port = free_port()
    # the image's command (repo2docker's CMD: `jupyter notebook`) with BinderSpawnerMixin's
    # arguments (ServerApp names); 127.0.0.1 stands in for 0.0.0.0, so remote Host headers
    # are allowed as they are there
    command = [str(REPO / "binder" / "start"), "jupyter", "notebook", "--no-browser"]
    command += ["--ip=127.0.0.1", f"--port={port}", f"--ServerApp.base_url={PREFIX}"]
    command += [f"--ServerApp.token={TOKEN}", "--ServerApp.trust_xheaders=True"]
    command += ["--ServerApp.allow_remote_access=True", "--allow-root"]
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        command,
        cwd=home,
        env=binder_environment(home, tmp_path),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://localhost:{port}{PREFIX}"
    auth = {"Authorization": f"token {TOKEN}"}
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, (tmp_path / "server.log").read_text()[-3000:]
            try:
                if requests.get(base + "api/status", headers=auth, timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, "the Binder room did not start within 90 s"
            time.sleep(0.3)
        links = ensure_links(Workspace(home / "vxkit-demo"))
        lyon = links.code("lyon_4b")
        # the server log says where the links are, since it can't know the public address
        assert "Help > Class links" in (tmp_path / "server.log").read_text()

        # through Binder's proxy: its public host and the https it forwards
        public = {**auth, "Host": "hub.gke2.mybinder.org", "X-Forwarded-Proto": "https"}
        api = requests.get(base + "vxkit/api/links", headers=public, timeout=10).json()
        url = next(c["url"] for c in api["classes"] if c["id"] == "lyon_4b")
        assert url == f"https://hub.gke2.mybinder.org{PREFIX}vxkit/join/{lyon}"

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
            try:
                teacher_context = browser.new_context()
                teacher = teacher_context.new_page()
                # Binder sends the launcher to the room with its token
                editor_t = open_notebook(teacher, f"{base}lab/tree/{NOTEBOOK}?token={TOKEN}")
                # the item appears once /api/me has answered: a menu opened before shows
                # without it until it is opened again
                item = teacher.get_by_role("menuitem", name="Class links (teachers)")
                for _ in range(10):
                    teacher.get_by_role("menuitem", name="Help", exact=True).click()
                    try:
                        expect(item).to_be_visible(timeout=3_000)
                        break
                    except AssertionError:
                        teacher.keyboard.press("Escape")
                with teacher_context.expect_page() as opened:
                    teacher.get_by_role("menuitem", name="Class links (teachers)").click()
                page = opened.value
                page.wait_for_load_state()
                expect(page.locator("h1")).to_contain_text("Class links")
                expect(page.get_by_text("not the Binder badge")).to_be_visible()
                href = page.locator("tr", has_text="lyon_4b").locator("a").get_attribute("href")
                assert href == f"{base}vxkit/join/{lyon}"  # where the teacher's browser is
                page.screenshot(path=str(artifacts_dir / "binder-class-links.png"))

                # a partner student, in another browser, opens the link the teacher gave
                student_context = browser.new_context()
                student, editor_s = join_and_open(student_context, base, lyon, "Chloé", NOTEBOOK)
                editor_t.click()
                teacher.keyboard.press("Control+End")
                teacher.keyboard.type("\n# hello from the Binder teacher")
                expect(editor_s).to_contain_text("hello from the Binder teacher", timeout=20_000)
                editor_s.click()
                student.keyboard.press("Control+End")
                student.keyboard.type("\n# bonjour from Chloé")
                expect(editor_t).to_contain_text("bonjour from Chloé", timeout=20_000)
                student.screenshot(path=str(artifacts_dir / "binder-coedit-student.png"))

                # the student (Lyon: her JupyterLab speaks French) has no such menu item, and
                # the page refuses her
                student.get_by_role("menuitem", name="Aide", exact=True).click()
                expect(
                    student.get_by_role("menuitem", name="À propos de JupyterLab")
                ).to_be_visible()
                expect(student.get_by_role("menuitem", name=CLASS_LINKS)).to_have_count(0)
                student.keyboard.press("Escape")
                refused = student_context.new_page()
                response = refused.goto(f"{base}vxkit/class-links")
                assert response is not None and response.status == 403
                assert lyon not in refused.content()
            finally:
                browser.close()
    finally:
        stop_process_group(server)
        log.close()
