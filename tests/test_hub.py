"""vxkit hub-config: the generated configuration loaded by a real JupyterHub on loopback.

Two classes, two teachers, four students in two mixed teams. configurable-http-proxy (npm),
DummyAuthenticator and SimpleLocalProcessSpawner stand in for a school's real ones.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
import requests
import yaml
from nbclient import NotebookClient
from playwright.sync_api import expect

from vxkit.cli import main
from vxkit.errors import VxkitError
from vxkit.hub import (
    DEFAULT_GRADEBOOK_URL,
    hub_plan,
    prepare_home,
    render_hub_config,
    teacher_username,
    write_hub_config,
)
from vxkit.testing import free_port
from vxkit.workspace import Workspace, find_workspace, scaffold

EXCHANGE = """
[exchange]
id = "hub_test"
title = "Hub test exchange"
start = 2027-01-11
end = 2027-06-25
units = ["meet_partners"]

[[classes]]
id = "lyon_4b"
school = "Collège Jean Moulin"
city = "Lyon"
country = "FR"
timezone = "Europe/Paris"
teacher = "Mme Laurent"
students = ["Ana", "Ben"]

[[classes]]
id = "nairobi_7"
school = "Riverside Junior School"
city = "Nairobi"
country = "KE"
timezone = "Africa/Nairobi"
teacher = "Mr Otieno"
students = ["Cy", "Dee"]

[[teams]]
id = "team_a"
name = "Team A"
members = { lyon_4b = ["Ana"], nairobi_7 = ["Cy"] }

[[teams]]
id = "team_b"
name = "Team B"
members = { lyon_4b = ["Ben"], nairobi_7 = ["Dee"] }
"""
OWNER, TEAMMATE, OTHER_TEAM = "lyon_4b-ana", "nairobi_7-cy", "nairobi_7-dee"
NOTEBOOK = "team_a/meet_partners.ipynb"
ADMIN_TOKEN = "vxkit-hub-test-admin-token"
CHP = shutil.which("configurable-http-proxy")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws, _ = scaffold(tmp_path_factory.mktemp("hubws") / "exchange", EXCHANGE)
    return ws


def test_plan_groups_roles_and_teams(workspace):
    plan = hub_plan(workspace.load())
    assert plan["groups"] == {
        "lyon_4b": ["lyon_4b-ana", "lyon_4b-ben"],
        "nairobi_7": ["nairobi_7-cy", "nairobi_7-dee"],
    }
    assert plan["teams"]["team_a"]["owner"] == OWNER
    assert plan["teams"]["team_a"]["members"] == [OWNER, TEAMMATE]
    assert plan["teams"]["team_a"]["languages"] == ["en"]  # the team notebook keeps these
    assert plan["courses"]["lyon_4b-teacher"] == {
        "class": "lyon_4b",
        "course_id": "hub_test-lyon_4b",
        "units": ["meet_partners"],
    }
    assert set(plan["users"]) == {*plan["groups"]["lyon_4b"], *plan["groups"]["nairobi_7"]} | {
        teacher_username("lyon_4b"),
        teacher_username("nairobi_7"),
    }


def test_config_and_helm_values_carry_the_same_settings(workspace):
    config, helm = render_hub_config(workspace.load(), gradebook_url="postgresql://g@db/{course}")
    values = yaml.safe_load(helm)
    core = values["hub"]["extraConfig"]["vxkit"]
    assert core.strip() in config  # one block of settings, in both deployments
    assert "'postgresql://g@db/{course}'" in core
    assert values["singleuser"]["cmd"] == ["python", "-m", "vxkit.hub", "singleuser"]
    mount = values["singleuser"]["storage"]["extraVolumeMounts"][0]
    assert mount["mountPath"] == "/srv/nbgrader/exchange"
    for text in (config, helm):
        assert "Laurent" not in text and "Otieno" not in text  # no teacher surnames


@pytest.mark.parametrize(
    ("image", "name", "tag"),
    [
        (
            "registry.example.org:5000/school/vxkit:2027-01",
            "registry.example.org:5000/school/vxkit",
            "2027-01",
        ),
        ("registry.example.org:5000/vxkit", "registry.example.org:5000/vxkit", "latest"),
        ("vxkit", "vxkit", "latest"),
    ],
)
def test_helm_image_name_and_tag(workspace, image, name, tag):
    _, helm = render_hub_config(workspace.load(), image=image)
    assert yaml.safe_load(helm)["singleuser"]["image"] == {"name": name, "tag": tag}


def test_default_gradebook_is_postgresql_with_an_installed_driver():
    import sqlalchemy

    engine = sqlalchemy.create_engine(DEFAULT_GRADEBOOK_URL.format(course="vx-lyon_4b"))
    assert engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg"


def test_cli_writes_both_files_and_explains_mistakes(workspace, tmp_path, capsys):
    out = tmp_path / "hub" / "jupyterhub_config.py"
    args = ["hub-config", str(workspace.root), "--out", str(out)]
    assert main([*args, "--gradebook-url", "postgresql://nbgrader@db:5432/{course}"]) == 0
    printed = capsys.readouterr().out
    assert str(out) in printed and "z2jh-values.yaml" in printed
    assert out.is_file() and (out.parent / "z2jh-values.yaml").is_file()
    assert main([*args, "--gradebook-url", "mysql://x"]) == 1
    assert '--gradebook-url "mysql://x" is not a database URL' in capsys.readouterr().err


def test_config_loads_safely_and_keeps_earlier_settings(workspace):
    """An odd exchange title stays in comments; settings made before the block are kept."""
    exchange = workspace.load()
    exchange.title = 'Rivers """\nimport os; os.system("x") #\\ \r\nc.JupyterHub.port = 1'
    config, helm = render_hub_config(exchange)
    from traitlets.config import Config

    settings = Config()
    # what a school (or the Helm chart) set before the vxkit block stays
    settings.Authenticator.allowed_users = {"it-admin"}
    settings.JupyterHub.load_roles = [{"name": "culler", "scopes": ["admin:servers"]}]
    code = compile(config, "jupyterhub_config.py", "exec")
    exec(code, {"get_config": lambda: settings})  # as JupyterHub loads it
    assert "system" not in code.co_names and "os" not in code.co_names
    assert "port" not in settings.JupyterHub and settings.JupyterHub.load_groups
    assert "it-admin" in settings.Authenticator.allowed_users
    assert "lyon_4b-ana" in settings.Authenticator.allowed_users
    roles = [r["name"] for r in settings.JupyterHub.load_roles]
    assert roles[0] == "culler" and "teacher-lyon_4b" in roles and roles.count("user") == 1
    assert yaml.safe_load(helm)["hub"]["extraConfig"]["vxkit"].strip() in config


def test_a_student_named_like_a_teacher_account_is_refused(workspace):
    exchange = workspace.load()
    exchange.classes[0].students.append("Teacher")
    with pytest.raises(VxkitError, match="also the hub account of the teacher"):
        hub_plan(exchange)


def test_a_teachers_server_gets_the_source_of_every_unit_and_keeps_edits(
    workspace, tmp_path, monkeypatch
):
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "cfg"))
    exchange = workspace.load()
    exchange.units.append("climate_co2")  # added after the hub's first start
    user = {
        "role": "teacher",
        "class": "lyon_4b",
        "course": hub_plan(exchange)["courses"]["lyon_4b-teacher"],
        "nbgrader_exchange": str(tmp_path / "nbx"),
    }
    home = tmp_path / "home"
    prepare_home(home, user)
    graded = home / "course" / "source" / "meet_partners" / "individual.ipynb"
    assert graded.is_file()
    assert (home / "course" / "source" / "climate_co2" / "individual.ipynb").is_file()
    assert not (home / "course" / "source" / "climate_co2" / "team.ipynb").exists()
    graded.write_text(graded.read_text("utf-8") + " ", "utf-8")  # the teacher's own change
    edited = graded.read_bytes()
    prepare_home(home, user)  # the next start
    assert graded.read_bytes() == edited


class Hub:
    """A running JupyterHub and helpers to talk to it as a user."""

    def __init__(self, url: str, process: subprocess.Popen, log: Path) -> None:
        self.url = url
        self.root = log.parent
        self.process = process
        self.log = log
        self.tokens: dict[str, str] = {}

    def api(self, method: str, path: str, token: str = ADMIN_TOKEN, **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {token}"}
        return requests.request(
            method, f"{self.url}hub/api/{path}", headers=headers, timeout=30, **kwargs
        )

    def token(self, user: str) -> str:
        """An API token of ``user`` with all of the user's own permissions."""
        if user not in self.tokens:
            reply = self.api("POST", f"users/{user}/tokens", json={"scopes": ["inherit"]})
            assert reply.status_code == 201, reply.text
            self.tokens[user] = reply.json()["token"]
        return self.tokens[user]

    def wait(self, what: str, check, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            assert self.process.poll() is None, self.log.read_text()[-4000:]
            assert time.monotonic() < deadline, (
                f"{what} within {timeout} s\n" + self.log.read_text()[-4000:]
            )
            time.sleep(0.2)

    def start_servers(self, *users: str, as_user: str) -> None:
        """Start ``users``' servers with ``as_user``'s token (all at once) and wait for them."""

        def ready(user: str) -> bool:
            return self.api("GET", f"users/{user}").json()["servers"].get("", {}).get("ready")

        for user in users:
            if not ready(user):
                reply = self.api("POST", f"users/{user}/server", token=self.token(as_user))
                assert reply.status_code in (201, 202, 400), reply.text  # 400: already starting
        self.wait(f"servers of {users} ready", lambda: all(ready(u) for u in users))

    def server(self, owner: str, path: str, as_user: str) -> requests.Response:
        headers = {"Authorization": f"token {self.token(as_user)}"}
        return requests.get(f"{self.url}user/{owner}/{path}", headers=headers, timeout=30)


@pytest.fixture(scope="module")
def hub(workspace: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    """A real JupyterHub on loopback running the generated config."""
    if CHP is None:
        pytest.fail("configurable-http-proxy is needed: npm install -g configurable-http-proxy")
    root = tmp_path_factory.mktemp("hub")
    files = write_hub_config(
        workspace,
        root / "jupyterhub_config.py",
        gradebook_url=f"sqlite:///{root}/gradebooks/{{course}}.db",
        exchange_root=str(root / "nbgrader-exchange"),
    )
    (root / "gradebooks").mkdir()
    port, hub_port, api_port = free_port(), free_port(), free_port()
    homes = root / "homes"
    test_config = root / "test_config.py"
    # What a school sets for itself, plus test-speed settings (see PITFALLS: JupyterHub).
    test_config.write_text(
        f"""
c = get_config()  # noqa: F821
load_subconfig({str(files.config)!r})  # noqa: F821
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{CHP!r}]
c.JupyterHub.db_url = "sqlite:///{root}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{root}/cookie_secret"
c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.default_url = "/hub/home"  # logging in doesn't start one's own server (test time)
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{homes}/{{username}}"
c.Spawner.args = ["--allow-root", "--HubOAuth.cache_max_age=2"]
c.Spawner.start_timeout = 90
c.Spawner.http_timeout = 90
c.LocalProcessSpawner.interrupt_timeout = 2
c.LocalProcessSpawner.term_timeout = 2
c.JupyterHub.services.append({{"name": "test-admin", "api_token": {ADMIN_TOKEN!r}}})
c.JupyterHub.load_roles.append(
    {{"name": "test-admin", "scopes": ["admin:users", "admin:servers", "admin:groups", "tokens", "read:shares"],
     "services": ["test-admin"]}}
)
""",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    log = root / "hub.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(test_config)],
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = Hub(f"http://127.0.0.1:{port}/", process, log)
    try:

        def ready() -> bool:
            try:
                return running.api("GET", "").status_code == 200
            except requests.ConnectionError:
                return False

        running.wait("the hub started", ready)
        yield running
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        # SimpleLocalProcessSpawner's servers are in their own sessions: stop any left over
        for pid_line in re.findall(r"pid (\d+)", log.read_text()):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(int(pid_line), signal.SIGKILL)


def test_hub_loads_groups_and_teacher_roles(hub):
    groups = hub.api("GET", "groups").json()
    members = {g["name"]: sorted(g["users"]) for g in groups}
    assert members == {
        "lyon_4b": ["lyon_4b-ana", "lyon_4b-ben"],
        "nairobi_7": ["nairobi_7-cy", "nairobi_7-dee"],
    }
    teacher = hub.token("lyon_4b-teacher")
    # a teacher manages their own class's group, not the partner class's
    listed = hub.api("GET", "users", token=teacher).json()
    assert {u["name"] for u in listed} >= {"lyon_4b-ana", "lyon_4b-ben"}
    assert not {u["name"] for u in listed} & {"nairobi_7-cy", "nairobi_7-dee"}
    assert hub.api("GET", "groups/lyon_4b", token=teacher).json()["users"]
    assert "users" not in hub.api("GET", "groups/nairobi_7", token=teacher).json()  # name only
    change = {"json": {"users": ["lyon_4b-ben"]}, "token": teacher}
    assert hub.api("DELETE", "groups/lyon_4b/users", **change).status_code == 200
    assert hub.api("POST", "groups/lyon_4b/users", **change).status_code == 200
    assert hub.api("POST", "groups/nairobi_7/users", **change).status_code in (403, 404)
    student = hub.token(OTHER_TEAM)
    assert "users" not in hub.api("GET", "groups/nairobi_7", token=student).json()
    assert hub.api("POST", f"users/{OTHER_TEAM}/server", token=teacher).status_code in (403, 404)


def test_team_notebook_is_shared_with_teammates_only(hub):
    # the sharing service grants the share on its own
    def shared() -> bool:
        reply = hub.api("GET", f"shares/{OWNER}/")
        return reply.ok and any(
            (s.get("user") or {}).get("name") == TEAMMATE for s in reply.json()["items"]
        )

    hub.wait("the team share was granted", shared, timeout=30)
    # the teacher starts the owner's server and their own (a teacher manages their class)
    hub.start_servers(OWNER, "lyon_4b-teacher", as_user="lyon_4b-teacher")
    reply = hub.server(OWNER, f"api/contents/{NOTEBOOK}", as_user=TEAMMATE)
    assert reply.status_code == 200, reply.text
    notebook = reply.json()
    assert notebook["type"] == "notebook"
    assert notebook["content"]["metadata"]["vxkit"] == {"team": "Team A", "languages": ["en"]}
    assert hub.server(OWNER, f"api/contents/{NOTEBOOK}", as_user=OTHER_TEAM).status_code == 403
    # the team folder is a small workspace: the curriculum's notebooks find their exchange
    team_folder = hub.root / "homes" / OWNER / "team_a"
    scoped = find_workspace(team_folder).load()
    assert [s.name for s in scoped.students()] == ["Ana", "Cy"]
    assert [t.id for t in scoped.teams] == ["team_a"]
    notebook = nbformat.read(team_folder / "meet_partners.ipynb", as_version=4)
    client = NotebookClient(notebook, timeout=120, resources={"metadata": {"path": team_folder}})
    client.execute()  # the unit runs there as it does in a laptop workspace
    # students don't get the formgrader, even on their own server
    assert hub.server(OWNER, "formgrader", as_user=OWNER).status_code == 404


def test_each_teacher_reaches_only_their_own_formgrader(hub):
    hub.start_servers("lyon_4b-teacher", as_user="lyon_4b-teacher")
    page = hub.server("lyon_4b-teacher", "formgrader", as_user="lyon_4b-teacher")
    assert page.status_code == 200 and "formgrader" in page.text.lower()
    courses = hub.server("lyon_4b-teacher", "formgraders", as_user="lyon_4b-teacher")
    assert courses.status_code == 200, courses.text
    local = [c for c in courses.json()["value"] if c["kind"] == "local"]
    assert [c["course_id"] for c in local] == ["hub_test-lyon_4b"]
    # the gradebook is where --gradebook-url says, one database per class's course
    grades = hub.server("lyon_4b-teacher", "formgrader/api/students", as_user="lyon_4b-teacher")
    assert grades.status_code == 200, grades.text
    assert (hub.root / "gradebooks" / "hub_test-lyon_4b.db").is_file()
    other = hub.server("lyon_4b-teacher", "formgrader", as_user="nairobi_7-teacher")
    assert other.status_code == 403


def _login(context, hub: Hub, user: str):
    page = context.new_page()
    page.goto(f"{hub.url}hub/login")
    page.locator("input[name=username]").fill(user)
    page.locator("input[name=password]").fill("any password")
    page.locator("input[type=submit], button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/(hub/(home|spawn.*)|user/.*)"), timeout=30_000)
    return page


def _open_team_notebook(page, hub: Hub):
    page.goto(f"{hub.url}user/{OWNER}/lab/tree/{NOTEBOOK}")
    authorize = page.locator("form input[type=submit], form button[type=submit]")
    if "oauth2/authorize" in page.url:  # first visit to another user's server
        authorize.first.click()
    editor = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .cm-content").first
    expect(editor).to_be_visible(timeout=90_000)
    return editor


@pytest.mark.browser
def test_teammates_log_in_and_coedit_the_shared_notebook(hub, chromium_path, artifacts_dir):
    """Ana (Lyon) owns the team notebook; Cy (Nairobi) logs in and co-edits it live."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM_ARGS

    hub.start_servers(OWNER, as_user="lyon_4b-teacher")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            ana, cy = (
                _login(browser.new_context(), hub, OWNER),
                _login(browser.new_context(), hub, TEAMMATE),
            )
            editor_ana, editor_cy = _open_team_notebook(ana, hub), _open_team_notebook(cy, hub)
            editor_cy.click()
            cy.keyboard.press("Control+End")
            cy.keyboard.type("\n# jambo from Nairobi")
            expect(editor_ana).to_contain_text("jambo from Nairobi", timeout=15_000)
            editor_ana.click()
            ana.keyboard.press("Control+End")
            ana.keyboard.type("\n# bonjour from Lyon")
            expect(editor_cy).to_contain_text("bonjour from Lyon", timeout=15_000)
            cy.screenshot(path=str(artifacts_dir / "hub-coedit-teammate.png"))

            dee = _login(browser.new_context(), hub, OTHER_TEAM)
            reply = dee.goto(f"{hub.url}user/{OWNER}/lab/tree/{NOTEBOOK}")
            if "oauth2/authorize" in dee.url:
                reply = None
            assert reply is None or reply.status == 403
            expect(dee.locator("body")).to_contain_text("403")
            dee.screenshot(path=str(artifacts_dir / "hub-other-team-403.png"))
        finally:
            browser.close()
