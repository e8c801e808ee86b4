"""vxkit hub-config: the exchange server on a real JupyterHub on loopback.

Two classes, two teachers, four students in two mixed teams, a visitor, a hub user in a class
group but not on the roster, and one in no group. configurable-http-proxy (npm),
DummyAuthenticator and SimpleLocalProcessSpawner stand in for a school's real ones. One hub
for the module; the exchange server is started by the hub's keeper service, as on a school's
hub, and started again by it after it is killed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
import yaml
from playwright.sync_api import expect
from tornado.httpclient import HTTPClientError

from vxkit.cli import main
from vxkit.errors import VxkitError
from vxkit.hub import hub_plan, prepare_workspace, render_hub_config, write_hub_config
from vxkit.testing import free_port, stop_process_group
from vxkit.workspace import Workspace, scaffold

from .server.conftest import Person, wait_for

pytestmark = [
    # nbgrader's gradebook: SQLAlchemy warns about its own autoflush use (PITFALLS: expected)
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"),
    # nbgrader 0.9.6 passes `authentictor=` (a typo) to release_feedback (PITFALLS)
    pytest.mark.filterwarnings("ignore:Passing unrecognized arguments to super:DeprecationWarning"),
]

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
ANA, CY, BEN, DEE = "lyon_4b-ana", "nairobi_7-cy", "lyon_4b-ben", "nairobi_7-dee"
TEACHER = "lyon_4b-teacher"
VISITOR, STRANGER, INTRUDER = "vic", "lyon_4b-zoe", "intruder"
OWNER = "vx-hub_test"
NOTEBOOK = "projects/team_a/meet_partners.ipynb"
ADMIN_TOKEN = "vxkit-hub-test-admin-token"
CHP = shutil.which("configurable-http-proxy")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws, _ = scaffold(tmp_path_factory.mktemp("hubws") / "exchange", EXCHANGE)
    return ws


# ------------------------------------------------------------------ the generated settings


def test_plan_accounts_groups_and_one_access_role(workspace):
    plan = hub_plan(workspace.load())
    assert plan["owner"] == OWNER
    assert plan["groups"] == {
        "lyon_4b": [ANA, BEN],
        "nairobi_7": [CY, DEE],
        "vx-hub_test-visitors": [],
    }
    assert set(plan["users"]) == {ANA, BEN, CY, DEE, TEACHER, "nairobi_7-teacher", OWNER}
    roles = {r["name"]: r for r in plan["roles"]}
    access = roles["vx-hub_test-classroom"]
    # the class groups, the visitors and the teachers reach the exchange server, and only it
    assert access["scopes"] == ["access:servers!server=vx-hub_test/"]
    assert access["groups"] == ["lyon_4b", "nairobi_7", "vx-hub_test-visitors"]
    assert access["users"] == [TEACHER, "nairobi_7-teacher"]
    every_scope = [s for r in plan["roles"] for s in r["scopes"]]
    assert not [s for s in every_scope if s.startswith("access:servers") and OWNER not in s]
    assert not [s for s in every_scope if "shares" in s]


def test_config_and_helm_values_carry_the_same_settings(workspace):
    config, helm = render_hub_config(
        workspace.load(), gradebook_url="postgresql://g@db/{course}", workspace=workspace.root
    )
    values = yaml.safe_load(helm)
    core = values["hub"]["extraConfig"]["vxkit"]
    block = core[core.index("# --- vxkit") :]
    assert block.strip() in config  # one block of settings, in both deployments
    assert "'VXKIT_GRADEBOOK_URL': 'postgresql://g@db/hub_test'" in block
    assert f"VXKIT_WORKSPACE = {str(workspace.root)!r}" in config
    assert 'VXKIT_WORKSPACE = "/srv/vxkit/exchange"' in core
    for text in (config, helm):
        assert "Laurent" not in text.split("VXKIT_EXCHANGE_ENVIRONMENT")[0]  # accounts: no names
        assert "share" not in text.lower()


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


def test_a_postgresql_gradebook_has_an_installed_driver():
    import sqlalchemy

    engine = sqlalchemy.create_engine("postgresql+psycopg://nbgrader@db:5432/hub_test")
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
    assert main([*args, "--resource", "mem_limit=6G", "--resource", "storage=20Gi"]) == 0
    assert "'mem_limit': '6G'" in (out.parent / "z2jh-values.yaml").read_text(encoding="utf-8")
    assert main([*args, "--resource", "memory=6G"]) == 1
    assert '--resource "memory=6G": write NAME=VALUE with NAME one of' in capsys.readouterr().err
    assert main([*args, "--resource", "cpu_limit=two"]) == 1
    assert "cpu_limit is a number of CPUs" in capsys.readouterr().err


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
    settings.JupyterHub.services = [{"name": "culler", "command": ["cull"]}]
    code = compile(config, "jupyterhub_config.py", "exec")
    exec(code, {"get_config": lambda: settings})  # as JupyterHub loads it
    assert "system" not in code.co_names and "os" not in code.co_names
    assert "port" not in settings.JupyterHub and settings.JupyterHub.load_groups
    assert {"it-admin", ANA, OWNER} <= settings.Authenticator.allowed_users
    roles = [r["name"] for r in settings.JupyterHub.load_roles]
    assert roles[0] == "culler" and "vx-hub_test-classroom" in roles
    assert [s["name"] for s in settings.JupyterHub.services] == ["culler", "vx-hub_test-keeper"]
    assert callable(settings.Spawner.pre_spawn_hook)
    # the Helm chart runs the same block as Python, with `c` already defined
    chart = Config()
    exec(compile(yaml.safe_load(helm)["hub"]["extraConfig"]["vxkit"], "z2jh", "exec"), {"c": chart})
    assert "port" not in chart.JupyterHub and OWNER in chart.Authenticator.allowed_users


@pytest.mark.parametrize(("class_id", "name"), [("lyon_4b", "Teacher"), ("vx", "Hub test")])
def test_a_student_named_like_a_hub_account_is_refused(workspace, class_id, name):
    exchange = workspace.load()
    exchange.classes[0].id = class_id  # "vx-hub_test" would be the exchange server's account
    exchange.classes[0].students.append(name)
    with pytest.raises(VxkitError, match="hub account"):
        hub_plan(exchange)


def test_the_hubs_exchange_toml_fills_a_new_volume_and_replaces_only_older_copies(tmp_path):
    volume = tmp_path / "volume"
    volume.mkdir()
    ws = prepare_workspace(volume, EXCHANGE)  # a new, empty volume
    assert ws.load().id == "hub_test" and (ws.root / NOTEBOOK).is_file()
    edited = EXCHANGE.replace('"Hub test exchange"', '"Edited on the server"')
    ws.exchange_file.write_text(edited, encoding="utf-8")
    prepare_workspace(volume, EXCHANGE)  # a restart: the same hub copy, the edit stays
    assert ws.load().title == "Edited on the server"
    prepare_workspace(volume, EXCHANGE.replace('"Hub test exchange"', '"New hub copy"'))
    assert ws.load().title == "New hub copy"  # hub-config ran again: its copy wins
    with pytest.raises(VxkitError, match="VXKIT_EXCHANGE_TOML"):
        prepare_workspace(tmp_path / "empty", None)


# ------------------------------------------------------------------ a real hub


class Hub:
    """A running JupyterHub and helpers to talk to it as a user."""

    def __init__(self, url: str, process: subprocess.Popen, log: Path) -> None:
        self.url = url
        self.port = int(url.rsplit(":", 1)[1].strip("/"))
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

    def exchange_server(self) -> dict:
        """The exchange server's model, {} if not running."""
        return self.api("GET", f"users/{OWNER}").json()["servers"].get("", {})

    def exchange_ready(self) -> bool:
        return bool(self.exchange_server().get("ready"))

    def server(self, path: str, as_user: str, method: str = "GET", **kw) -> requests.Response:
        """A request to the exchange server with ``as_user``'s own hub token."""
        headers = {"Authorization": f"token {self.token(as_user)}"}
        return requests.request(
            method, f"{self.url}user/{OWNER}/{path}", headers=headers, timeout=60, **kw
        )

    def person(self, user: str) -> Person:
        """A browser-like client of the exchange server, signed in to the hub as ``user``."""
        return Person(self.port, f"/user/{OWNER}/", token=self.token(user))


@pytest.fixture(scope="module")
def hub(workspace: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    """A real JupyterHub on loopback running the generated config."""
    if CHP is None:
        pytest.fail("configurable-http-proxy is needed: npm install -g configurable-http-proxy")
    root = tmp_path_factory.mktemp("hub")
    files = write_hub_config(workspace, root / "jupyterhub_config.py")
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
c.Spawner.poll_interval = 1
c.LocalProcessSpawner.interrupt_timeout = 2
c.LocalProcessSpawner.term_timeout = 2
# a visitor, someone in a class group but not on the roster, someone in no group
c.JupyterHub.load_groups["vx-hub_test-visitors"]["users"].append({VISITOR!r})
c.JupyterHub.load_groups["lyon_4b"]["users"].append({STRANGER!r})
c.Authenticator.allowed_users |= {{{VISITOR!r}, {STRANGER!r}, {INTRUDER!r}}}
for service in c.JupyterHub.services:
    if service["name"] == "vx-hub_test-keeper":
        service["environment"]["VXKIT_KEEP_INTERVAL"] = "0.5"
c.JupyterHub.services.append({{"name": "test-admin", "api_token": {ADMIN_TOKEN!r}}})
c.JupyterHub.load_roles.append(
    {{"name": "test-admin", "scopes": ["admin:users", "admin:servers", "admin:groups", "tokens"], "services": ["test-admin"]}}
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
        # nobody starts the exchange server: the hub's keeper service does
        running.wait("the keeper started the exchange server", running.exchange_ready, 90)
        yield running
    finally:
        stop_process_group(process, timeout=30)
        # SimpleLocalProcessSpawner's servers are in their own sessions: stop any left over
        for pid_line in re.findall(r"pid (\d+)", log.read_text()):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(int(pid_line), signal.SIGKILL)


def me(hub: Hub, user: str) -> requests.Response:
    return hub.server("vxkit/api/me", user)


def test_hub_users_are_the_exchanges_people(hub):
    reply = me(hub, ANA)
    assert reply.status_code == 200, reply.text[:2000]
    ana = reply.json()
    assert (ana["role"], ana["name"], ana["class"], ana["team"], ana["city"]) == (
        "student",
        "Ana",
        "lyon_4b",
        "team_a",
        "Lyon",
    )
    assert ana["verified"] is True  # the hub login is a real login: hand-ins and grades
    assert ana["team_folder"] == "projects/team_a"
    cy = me(hub, CY).json()
    assert (cy["role"], cy["city"], cy["team"]) == ("student", "Nairobi", "team_a")
    teacher = me(hub, TEACHER).json()
    assert (teacher["role"], teacher["name"], teacher["class"]) == (
        "teacher",
        "Mme Laurent",
        "lyon_4b",
    )
    visitor = me(hub, VISITOR).json()
    assert (visitor["role"], visitor["name"]) == ("visitor", "vic (visitor)")
    # the server's own identity model (what JupyterLab puts on cursors): names and cities
    identity = hub.server("api/me", ANA).json()["identity"]
    assert identity["display_name"] == "Ana (Lyon)" and identity["username"] == ANA


def test_teachers_hand_out_the_exchange_servers_address_not_join_links(hub):
    """On the hub nobody joins by link: the dashboard and Help > Class links give the one
    address everyone opens after the hub login; revoking a link is refused with a sentence."""
    links = hub.server("vxkit/api/links", TEACHER)
    assert links.status_code == 200, links.text[:2000]
    body = links.json()
    address = f"{hub.url}user/{OWNER}/lab"
    assert body["hub"] is True
    assert {c["url"] for c in body["classes"]} == {address} and body["visitor"]["url"] == address
    assert "/vxkit/join/" not in links.text
    page = hub.server("vxkit/class-links", TEACHER)
    assert page.status_code == 200 and "sign in to the hub" in page.text
    assert "/vxkit/join/" not in page.text and "--revoke" not in page.text
    revoke = hub.server("vxkit/api/links/lyon_4b", TEACHER, method="POST")
    assert revoke.status_code == 400 and "hub" in revoke.json()["message"]
    for student in (ANA, VISITOR):
        assert hub.server("vxkit/api/links", student).status_code == 403
        assert hub.server("vxkit/class-links", student).status_code == 403


def test_anyone_else_gets_a_sentence_not_a_traceback(hub):
    # in a class group of the hub, but not on the class list of exchange.toml
    for path in ("vxkit/api/me", "lab", f"api/contents/{NOTEBOOK}"):
        reply = hub.server(path, STRANGER)
        assert reply.status_code == 403, (path, reply.text[:300])
        assert "lyon_4b-zoe is not in this exchange" in reply.text
        assert "Traceback" not in reply.text
    # in no group: the hub itself refuses to open the exchange server
    reply = hub.server("vxkit/api/me", INTRUDER)
    assert reply.status_code == 403 and "Traceback" not in reply.text
    # the exchange server's own account is nobody in the classroom
    assert hub.server("vxkit/api/me", OWNER).status_code == 403


def test_a_student_reaches_no_other_server_and_teachers_manage_their_class(hub):
    def access(user: str) -> set[str]:
        scopes = hub.api("GET", "user", token=hub.token(user)).json()["scopes"]
        return {s for s in scopes if s.startswith(("access:servers", "servers", "shares"))}

    # the exchange server and one's own server: nobody else's (students' servers stay theirs)
    assert access(ANA) == {
        "access:servers!server=vx-hub_test/",
        "access:servers!user=lyon_4b-ana",
        "servers!user=lyon_4b-ana",
    }
    assert access(TEACHER) == {
        "access:servers!server=vx-hub_test/",
        "servers!server=vx-hub_test/",
        "access:servers!user=lyon_4b-teacher",
        "servers!user=lyon_4b-teacher",
    }
    assert access(VISITOR) == {
        "access:servers!server=vx-hub_test/",
        "access:servers!user=vic",
        "servers!user=vic",
    }
    # a student can't stop the exchange server, nor get a token of its account
    ana = hub.token(ANA)
    assert hub.api("DELETE", f"users/{OWNER}/server", token=ana).status_code in (403, 404)
    assert hub.api("POST", f"users/{OWNER}/tokens", token=ana, json={}).status_code in (403, 404)
    assert hub.exchange_ready()
    teacher = hub.token(TEACHER)
    listed = hub.api("GET", "users", token=teacher).json()
    assert {u["name"] for u in listed} >= {ANA, BEN}
    assert not {u["name"] for u in listed} & {CY, DEE}
    change = {"json": {"users": [BEN]}, "token": teacher}
    assert hub.api("DELETE", "groups/lyon_4b/users", **change).status_code == 200
    assert hub.api("POST", "groups/lyon_4b/users", **change).status_code == 200
    assert hub.api("POST", "groups/nairobi_7/users", **change).status_code in (403, 404)


async def start_session(person: Person, path: str) -> dict:
    reply = await person.fetch(
        "api/sessions",
        "POST",
        {"path": path, "type": "notebook", "name": "", "kernel": {"name": "python3"}},
    )
    assert reply.code == 201, (reply.code, reply.body[:500])
    return json.loads(reply.body)


async def run_code(person: Person, kernel_id: str, code: str, timeout: float = 60) -> str:
    """Run ``code`` in a kernel through its websocket; what it printed."""
    conn = await person.websocket(f"api/kernels/{kernel_id}/channels")
    msg_id = uuid.uuid4().hex
    await conn.write_message(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "msg_type": "execute_request",
                    "username": "",
                    "session": uuid.uuid4().hex,
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "content": {"code": code, "silent": False},
                "channel": "shell",
            }
        )
    )
    printed = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            raw = await asyncio.wait_for(conn.read_message(), timeout)
            assert raw is not None, "the kernel websocket closed"
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "stream":
                printed.append(msg["content"]["text"])
            elif kind == "error":
                printed.append("\n".join(msg["content"]["traceback"]))
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                return "".join(printed)
    finally:
        conn.close()
    raise AssertionError(f"no answer from kernel {kernel_id}: {printed}")


async def refused_websocket(person: Person, path: str) -> int:
    try:
        conn = await person.websocket(path)
    except HTTPClientError as err:
        return err.code
    conn.close()
    return 101


async def test_another_team_gets_403_on_the_notebook_its_kernel_and_its_room(hub):
    ana, dee = hub.person(ANA), hub.person(DEE)
    session = await start_session(ana, NOTEBOOK)
    kernel = session["kernel"]["id"]
    assert (await dee.fetch(f"api/contents/{NOTEBOOK}")).code == 403
    assert (await dee.fetch(f"api/kernels/{kernel}")).code == 403
    assert (await dee.fetch(f"api/kernels/{kernel}/interrupt", "POST", {})).code == 403
    assert await refused_websocket(dee, f"api/kernels/{kernel}/channels") == 403
    assert (await dee.fetch(f"api/sessions/{session['id']}")).code == 403
    listed = json.loads((await dee.fetch("api/kernels")).body)
    assert kernel not in [k["id"] for k in listed]
    doc = await dee.fetch(
        f"api/collaboration/session/{NOTEBOOK}", "PUT", {"format": "json", "type": "notebook"}
    )
    assert doc.code == 403
    own = await ana.fetch(
        f"api/collaboration/session/{NOTEBOOK}", "PUT", {"format": "json", "type": "notebook"}
    )
    file_id = json.loads(own.body)["fileId"]
    room = f"api/collaboration/room/json:notebook:{file_id}"
    assert await refused_websocket(dee, room) == 403
    # Ana's own kernel runs her code
    assert "4" in await run_code(ana, kernel, "print(2 + 2)")


async def test_no_hub_credential_reaches_a_kernel(hub):
    """Kernels inherit the server's environment, which holds the exchange account's hub
    token (PITFALLS): a student's kernel and a teacher's must both be without it."""
    probe = (
        "import os; print(sorted(k for k in os.environ "
        "if 'TOKEN' in k or k.startswith('JUPYTERHUB') or 'GRADEBOOK' in k))"
    )
    ana = hub.person(ANA)
    student = await start_session(ana, NOTEBOOK)
    assert await run_code(ana, student["kernel"]["id"], probe) == "[]\n"
    teacher = hub.person(TEACHER)
    reply = await teacher.fetch("api/kernels", "POST", {"name": "python3"})
    assert reply.code == 201, reply.body
    assert await run_code(teacher, json.loads(reply.body)["id"], probe) == "[]\n"


async def test_other_doors_stay_shut_for_a_student(hub):
    ana = hub.person(ANA)
    # another extension's routes, and the server's own admin routes: teachers only
    assert (await ana.fetch("api/terminals", "POST", {})).code == 403
    assert (await ana.fetch("formgrader")).code == 403
    assert (await ana.fetch("api/contents/course/source")).code == 403
    assert (await ana.fetch("api/contents/exchange.toml")).code == 403
    assert (await ana.fetch("api/contents/projects/team_b")).code == 403
    assert (await ana.fetch("vxkit/api/presence")).code == 403
    # a vxkit login cookie (the laptop's sign-in) means nothing on the hub: forged or not
    cookie = {"Cookie": f"username-127-0-0-1-{hub.port}=teacher; vxkit=teacher"}
    as_ana = json.loads((await ana.fetch("vxkit/api/me", headers=cookie)).body)
    assert as_ana["role"] == "student"
    nobody = Person(hub.port, f"/user/{OWNER}/")
    assert (await nobody.fetch("vxkit/api/me", headers=cookie)).code in (302, 403)
    # join links are the laptop's way in: not served on the hub
    assert (await nobody.fetch("vxkit/join/ABCDEF")).code in (302, 403, 404)


async def room_of(person: Person, path: str):
    client, _ = await person.room(path)
    return client


async def test_partners_coedit_a_visitor_watches_the_teacher_sees_who_did_what(hub):
    ana, cy, vic = hub.person(ANA), hub.person(CY), hub.person(VISITOR)
    a, c, v = (
        await room_of(ana, NOTEBOOK),
        await room_of(cy, NOTEBOOK),
        await room_of(vic, NOTEBOOK),
    )
    async with a.provider, c.provider, v.provider:
        for client in (a, c, v):
            await asyncio.wait_for(client.provider.synced.wait(), 20)
        first = a.notebook.ycells[0]["source"]
        first += "\nbonjour from Lyon"
        await wait_for(lambda: "bonjour from Lyon" in c.sources()[0], 10, "Cy sees Ana's edit")
        mine = c.notebook.ycells[0]["source"]
        mine += "\njambo from Nairobi"
        await wait_for(lambda: "jambo from Nairobi" in a.sources()[0], 10, "Ana sees Cy's edit")
        await wait_for(lambda: "jambo from Nairobi" in v.sources()[0], 10, "the visitor sees it")
        # the visitor's writes are dropped by the server
        theirs = v.notebook.ycells[0]["source"]
        theirs += "\nvisitor was here"
        await asyncio.sleep(1.0)
        assert not any("visitor was here" in s for s in a.sources())
        presence = hub.server("vxkit/api/presence", TEACHER)
        assert presence.status_code == 200, presence.text
        online = {
            (row["username"], row["city"], row["read_only"])
            for row in presence.json()["connections"]
            if row["document"] == NOTEBOOK
        }
        assert {(ANA, "Lyon", False), (CY, "Nairobi", False), (VISITOR, None, True)} <= online

    def edits() -> dict[str, int]:
        reply = hub.server("vxkit/api/contributions", TEACHER)
        assert reply.status_code == 200, reply.text
        return {row["person"]: row["edits"] for row in reply.json()["students"]}

    await wait_for(lambda: edits().get(ANA) and edits().get(CY), 15, "edits of Ana and Cy")
    assert VISITOR not in edits()
    assert hub.server("vxkit/api/contributions", ANA).status_code == 403


def vxkit(ws: Workspace, *argv: str) -> int:
    """A teacher's vxkit command on the exchange workspace."""
    return main([*argv, "--dir", str(ws.root)])


async def test_a_student_hands_in_and_reads_only_her_own_feedback(hub, workspace):
    # the tiny unit of the grading tests: hand-in, grading and feedback in a few seconds
    fixture = Path(__file__).parent / "grading" / "fixtures" / "source" / "squares"
    shutil.copytree(fixture, workspace.course_dir / "source" / "squares")
    ana, ben = hub.person(ANA), hub.person(BEN)
    assert vxkit(workspace, "assign", "squares", "--due", "2030-03-28 18:00") == 0
    for who in (ana, ben):
        got = await who.fetch("vxkit/api/assignments/squares/fetch", "POST", {})
        assert got.code == 200, got.body
    handed = await ana.fetch("vxkit/api/assignments/squares/submit", "POST", {})
    assert handed.code == 200, handed.body
    assert json.loads(handed.body)["submitted_for"] == ["Ana"]
    # a visitor has nothing to hand in
    visitor = hub.person(VISITOR)
    assert (await visitor.fetch("vxkit/api/assignments/squares/submit", "POST", {})).code == 403
    assert vxkit(workspace, "collect", "squares") == 0
    assert vxkit(workspace, "grade", "squares") == 0
    assert vxkit(workspace, "feedback", "squares") == 0
    mine = await ana.fetch("vxkit/api/assignments/squares/feedback", "POST", {})
    assert mine.code == 200, mine.body
    files = json.loads(mine.body)["files"]
    assert files and all(ANA in f for f in files)
    theirs = await ben.fetch("vxkit/api/assignments/squares/feedback", "POST", {})
    assert not [f for f in json.loads(theirs.body).get("files", []) if ANA in f]
    folder = quote(files[0].rsplit("/", 1)[0])  # timestamps have spaces and "+"
    assert (await ana.fetch(f"api/contents/{folder}")).code == 200
    assert (await ben.fetch(f"api/contents/{folder}")).code == 403


def _login(context, hub: Hub, user: str):
    page = context.new_page()
    page.goto(f"{hub.url}hub/login")
    page.locator("input[name=username]").fill(user)
    page.locator("input[name=password]").fill("any password")
    page.locator("input[type=submit], button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/hub/home.*"), timeout=30_000)
    return page


def _open_team_notebook(page, hub: Hub):
    page.goto(f"{hub.url}user/{OWNER}/lab/tree/{NOTEBOOK}")
    if "oauth2/authorize" in page.url:  # the hub asks once before opening a server not one's own
        page.locator("form input[type=submit], form button[type=submit]").first.click()
    editor = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .cm-content").first
    expect(editor).to_be_visible(timeout=90_000)
    return editor


@pytest.mark.browser
def test_partners_log_in_through_the_hub_and_see_named_cursors(hub, chromium_path, artifacts_dir):
    """Ana (Lyon) and Cy (Nairobi) sign in to the hub, open their team notebook on the
    exchange server and co-edit it, each with the other's name and city on the cursor."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM_ARGS

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            ana = _login(browser.new_context(), hub, ANA)
            cy = _login(browser.new_context(), hub, CY)
            editor_ana, editor_cy = _open_team_notebook(ana, hub), _open_team_notebook(cy, hub)
            editor_cy.click()
            cy.keyboard.type("# jambo from Nairobi ")
            expect(editor_ana).to_contain_text("jambo from Nairobi", timeout=15_000)
            editor_ana.click()
            ana.keyboard.type("# bonjour from Lyon ")
            expect(editor_cy).to_contain_text("bonjour from Lyon", timeout=15_000)
            for page, name in ((ana, "Cy (Nairobi)"), (cy, "Ana (Lyon)")):
                caret = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-remote-cursor")
                expect(caret.first).to_be_attached(timeout=15_000)
                box = caret.first.bounding_box()
                page.mouse.move(box["x"] + 1, box["y"] + box["height"] / 2)
                flag = page.locator(".jp-remote-userFlag-name", has_text=name)
                expect(flag.first).to_be_visible(timeout=10_000)
            ana.screenshot(path=str(artifacts_dir / "hub-exchange-cursors-ana.png"))
            # a student of the other team: the notebook's page is refused with a sentence
            dee = _login(browser.new_context(), hub, DEE)
            reply = dee.goto(f"{hub.url}user/{OWNER}/files/{NOTEBOOK}")
            if "oauth2/authorize" in dee.url:
                dee.locator("form input[type=submit], form button[type=submit]").first.click()
                dee.wait_for_load_state()
                reply = dee.goto(f"{hub.url}user/{OWNER}/files/{NOTEBOOK}")
            assert reply is not None and reply.status == 403
            expect(dee.locator("body")).to_contain_text("belongs to another team")
        finally:
            browser.close()


def exchange_pid(hub: Hub, workspace: Workspace) -> int | None:
    """The process id of the running exchange server (from its runtime file)."""
    runtime = hub.root / "homes" / OWNER / ".local" / "share" / "jupyter" / "runtime"
    for info in sorted(runtime.glob("jpserver-*.json"), key=lambda p: p.stat().st_mtime):
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(info.read_text(encoding="utf-8"))
            if Path(data["root_dir"]) == workspace.root:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(data["pid"], 0)
                    return data["pid"]
    return None


async def test_killed_exchange_server_comes_back_with_every_edit(hub, workspace):
    ana, cy = hub.person(ANA), hub.person(CY)
    a, c = await room_of(ana, NOTEBOOK), await room_of(cy, NOTEBOOK)
    pid = exchange_pid(hub, workspace)
    assert pid is not None
    async with a.provider, c.provider:
        for client in (a, c):
            await asyncio.wait_for(client.provider.synced.wait(), 20)
        text_a, text_c = a.notebook.ycells[0]["source"], c.notebook.ycells[0]["source"]
        for word in range(5):  # both type, and the server dies mid-sentence
            text_a += f" lyon{word}"
            text_c += f" nairobi{word}"
            await asyncio.sleep(0.05)
        await wait_for(lambda: "nairobi4" in a.sources()[0], 10, "the edits went through")
        await asyncio.sleep(0.2)  # well before the 1 s debounced save
        os.kill(pid, signal.SIGKILL)
    started = time.monotonic()
    hub.wait(
        "the hub started the exchange server again",
        lambda: hub.exchange_ready() and exchange_pid(hub, workspace) not in (None, pid),
        90,
    )
    restarted = time.monotonic() - started
    teacher = hub.person(TEACHER)
    back = await room_of(teacher, NOTEBOOK)
    async with back.provider:
        await asyncio.wait_for(back.provider.synced.wait(), 20)
        source = back.sources()[0]
    for word in range(5):
        assert f"lyon{word}" in source and f"nairobi{word}" in source
    print(f"exchange server back {restarted:.1f} s after SIGKILL")


def test_a_student_moved_to_another_team_loses_the_old_one_at_once(hub, workspace):
    """Who someone is comes from the current exchange.toml on every request, not the login."""
    original = workspace.exchange_file.read_text(encoding="utf-8")
    moved = original.replace('nairobi_7 = ["Cy"] }', "nairobi_7 = [] }").replace(
        'nairobi_7 = ["Dee"] }', 'nairobi_7 = ["Dee", "Cy"] }'
    )
    assert moved != original
    try:
        workspace.exchange_file.write_text(moved, encoding="utf-8")
        assert me(hub, CY).json()["team"] == "team_b"
        assert hub.server(f"api/contents/{NOTEBOOK}", CY).status_code == 403
        removed = original.replace('"Cy", ', "").replace('nairobi_7 = ["Cy"] }', "nairobi_7 = [] }")
        workspace.exchange_file.write_text(removed, encoding="utf-8")
        reply = me(hub, CY)  # taken off the roster: nobody
        assert reply.status_code == 403 and "not in this exchange" in reply.text
    finally:
        workspace.exchange_file.write_text(original, encoding="utf-8")
    assert hub.server(f"api/contents/{NOTEBOOK}", CY).status_code == 200
