"""The red team's harness: a real `vxkit demo` server per test module, and the people who attack it.

Everything an attack does goes over HTTP and websockets, as a browser (or a curious
15-year-old with a terminal) would. Only the harness looks behind the server's back: it
prepares the workspace, reads the join codes with `vxkit links`, plants marker strings in
the files no student may read, and checks files on disk after an attack.

Personas (all module-scoped, signed in once per server):

- ``chloe``: a student of class Lyon (lyon_4b), team A (``projects/team_rivers``);
- ``lucas``: a student of class Lyon, team B (``projects/team_forests``);
- ``visitor``: signed in with the visitor code, nickname "Curious";
- ``stranger``: no cookie, no token;
- ``teacher``: the server's token, for setting up and checking only.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import quote

import pytest
import requests
from tornado.httpclient import HTTPRequest
from tornado.web import create_signed_value, decode_signed_value
from tornado.websocket import WebSocketClientConnection, websocket_connect

from tests.server.conftest import RoomClient
from vxkit.testing import free_port, jupyter_process
from vxkit.workspace import scaffold, template_text

UNIT = "meet_partners"
TEAM_A = "projects/team_rivers"
TEAM_B = "projects/team_forests"
TEAM_A_NOTEBOOK = f"{TEAM_A}/{UNIT}.ipynb"
TEAM_B_NOTEBOOK = f"{TEAM_B}/{UNIT}.ipynb"
SOURCE_NOTEBOOK = f"course/source/{UNIT}/individual.ipynb"
GRADEBOOK = "course/gradebook.db"
LINKS_FILE = ".vxkit/links.json"
TEACHER_NAME = "Mme Laurent"  # the Lyon teacher, from the demo exchange

#: planted in the nbgrader source notebook (after release, so the released copy lacks it)
SOLUTION_MARKER = "REDTEAM-SOLUTION-" + secrets.token_hex(6)
#: planted in a file of team B's folder
TEAM_B_MARKER = "REDTEAM-TEAM-B-" + secrets.token_hex(6)


def code_of(output: str, key: str) -> str:
    """The join code of class ``key`` (or "visitors", "teachers") in `vxkit links` output."""
    if key == "teachers":
        return re.search(r"teachers \(keep private\): \S+/vxkit/join/(\w+)", output).group(1)
    if key == "visitors":
        return re.search(r"visitors \(read-only\): code (\w+)", output).group(1)
    return re.search(rf"^\s*{re.escape(key)}\s+code (\w+)", output, re.M).group(1)


def vxkit_cli(*args: str) -> str:
    """Run the `vxkit` command as the teacher would; its output."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        [sys.executable, "-m", "vxkit.cli", *args], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


# ----------------------------------------------------------------------------------------------
# the browser


class Browser:
    """Someone with a browser: cookies (kept by requests), the XSRF header, maybe the token."""

    def __init__(self, server: Server, token: str | None = None, label: str = "") -> None:
        self.server = server
        self.session = requests.Session()
        self.token = token
        self.label = label

    def __repr__(self) -> str:
        return f"<{self.label or 'browser'}>"

    def headers(self) -> dict[str, str]:
        """What a browser sends with every request (cookies are added by requests)."""
        headers: dict[str, str] = {}
        xsrf = self.session.cookies.get("_xsrf")
        if xsrf:
            headers["X-XSRFToken"] = xsrf
        if self.token:
            headers["Authorization"] = f"token {self.token}"
        return headers

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """``method`` on ``path`` (relative to the server's base URL, no leading slash)."""
        headers = {**self.headers(), **kwargs.pop("headers", {})}
        if "json" in kwargs and kwargs["json"] is None:
            kwargs.pop("json")
        return self.session.request(
            method,
            self.server.url + path,
            headers=headers,
            allow_redirects=False,
            timeout=60,
            **kwargs,
        )

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, json=json, **kwargs)

    def put(self, path: str, json: Any = None, **kwargs: Any) -> requests.Response:
        return self.request("PUT", path, json=json, **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any) -> requests.Response:
        return self.request("PATCH", path, json=json, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    def join(
        self, code: str, name: str | None = None, nickname: str | None = None
    ) -> requests.Response:
        """Open a join link and pick ``name`` (or type ``nickname``), as the join form does."""
        page = self.get(f"vxkit/join/{code}")
        if page.status_code != 200:
            return page
        form = {"_xsrf": self.session.cookies.get("_xsrf", "")}
        if name is not None:
            form["name"] = name
        if nickname is not None:
            form["nickname"] = nickname
        return self.session.post(
            self.server.url + f"vxkit/join/{code}", data=form, allow_redirects=False, timeout=60
        )

    def login_cookie(self) -> tuple[str, str] | None:
        """The (name, value) of jupyter_server's login cookie, if this browser has one."""
        for cookie in self.session.cookies:
            if cookie.name.startswith("username-"):
                return cookie.name, cookie.value
        return None

    def set_login_cookie(self, value: str) -> None:
        """Replace the login cookie's value (what a student does in the browser's dev tools)."""
        found = self.login_cookie()
        assert found, f"{self} has no login cookie"
        self.session.cookies.set(found[0], value)

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.session.cookies)

    def ws_headers(self) -> dict[str, str]:
        headers = self.headers()
        if self.session.cookies:
            headers["Cookie"] = self.cookie_header()
        return headers

    async def websocket(self, path: str) -> WebSocketClientConnection:
        """A websocket to ``path``; raises tornado's HTTPClientError when refused."""
        request = HTTPRequest(
            self.server.ws_url + path, headers=self.ws_headers(), connect_timeout=20
        )
        return await websocket_connect(request)

    def me(self) -> dict[str, Any] | None:
        """``/api/me`` as this browser sees it; None when it is not signed in."""
        response = self.get("api/me")
        if response.status_code != 200:
            return None
        return response.json()

    def is_teacher(self) -> bool:
        """Whether the server takes this browser for the teacher (the worst outcome).

        Checked where it hurts: the nbgrader source folder listing, which only a teacher gets.
        """
        return self.get("api/contents/course/source").status_code == 200


def shows(response: requests.Response, secret: str) -> bool:
    """Whether ``secret`` appears in a response: body, headers (Location included)."""
    if secret in response.text:
        return True
    return any(secret in v for v in response.headers.values())


# ----------------------------------------------------------------------------------------------
# the server


@dataclass
class Server:
    """A running `vxkit demo` server and what the harness knows about it."""

    url: str
    token: str
    root: Path
    log: Path
    runtime_dir: Path
    codes: dict[str, str]
    cookie_key: bytes  # content of jupyter_cookie_secret, planted by the harness
    pid: int = 0

    def __repr__(self) -> str:
        return f"<vxkit demo at {self.url}>"

    @property
    def ws_url(self) -> str:
        return "ws" + self.url[len("http") :]

    @property
    def port(self) -> int:
        return int(self.url.rstrip("/").rsplit(":", 1)[1])

    def tornado_secret(self) -> bytes:
        """The secret tornado signs cookies with, as jupyter_server derives it (no password)."""
        h = hmac.new(self.cookie_key, digestmod=hashlib.sha256)
        h.update(b"")
        h.update(b"")
        return h.digest()

    def read(self, path: str) -> bytes | None:
        try:
            return (self.root / path).read_bytes()
        except FileNotFoundError:
            return None

    def links_secret_markers(self) -> list[str]:
        """Strings from `.vxkit/links.json` whose presence in an answer means a leak."""
        markers = [self.codes["teachers"]]
        data = self.read(LINKS_FILE)
        if data:
            markers.append(json.loads(data)["secret"])
        return markers


@pytest.fixture(scope="session")
def template_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workspace with the unit released (`vxkit assign`), built once per session."""
    root = tmp_path_factory.mktemp("redteam-template") / "demo"
    scaffold(root, template_text("demo_exchange.toml"))
    vxkit_cli("assign", UNIT, "--dir", str(root), "--due", "2027-03-28 18:00")
    return root


def plant_markers(root: Path) -> None:
    """Plant the strings whose leak an attack tries to cause."""
    source = root / SOURCE_NOTEBOOK
    nb = json.loads(source.read_text("utf-8"))
    nb["cells"].append(
        {"cell_type": "markdown", "id": "redteam", "metadata": {}, "source": SOLUTION_MARKER}
    )
    source.write_text(json.dumps(nb), "utf-8")
    (root / TEAM_B / "secret_plan.txt").write_text(TEAM_B_MARKER, "utf-8")


@pytest.fixture(scope="module")
def server(template_workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`vxkit demo` on a fresh copy of the workspace, as `make demo` runs it, one per module."""
    folder = tmp_path_factory.mktemp("redteam")
    root = folder / "demo"
    shutil.copytree(template_workspace, root, symlinks=True)
    plant_markers(root)
    codes_text = vxkit_cli("links", str(root))
    codes = {
        key: code_of(codes_text, key)
        for key in ("lyon_4b", "nairobi_7", "valparaiso_1m", "visitors", "teachers")
    }
    runtime = folder / "runtime"
    runtime.mkdir(mode=0o700)
    # the harness knows tornado's cookie key (an attacker gets it from a kernel, without the
    # sandbox): the cookie-tampering attacks sign their forgeries with it
    cookie_key = base64.encodebytes(os.urandom(32))
    secret_file = runtime / "jupyter_cookie_secret"
    secret_file.write_bytes(cookie_key)
    secret_file.chmod(0o600)
    token = "rt" + secrets.token_hex(20)
    argv = [sys.executable, "-m", "vxkit.cli", "demo", "--dir", str(root)]
    argv += ["--port", str(free_port()), "--no-browser"]
    with contextlib.ExitStack() as stack:
        with mock.patch.dict(os.environ, {"JUPYTER_RUNTIME_DIR": str(runtime)}):
            url, log = stack.enter_context(jupyter_process(argv, folder, token))
        info = sorted(runtime.glob("jpserver-*.json"))
        pid = json.loads(info[0].read_text())["pid"] if info else 0
        yield Server(url, token, root, log, runtime, codes, cookie_key, pid)


# ----------------------------------------------------------------------------------------------
# personas


@pytest.fixture(scope="module")
def teacher(server: Server) -> Browser:
    """The teacher who started the server (token): for setting up and checking only."""
    return Browser(server, token=server.token, label="teacher")


def signed_in(server: Server, code_key: str, label: str, **pick: str) -> Browser:
    browser = Browser(server, label=label)
    response = browser.join(server.codes[code_key], **pick)
    assert response.status_code == 302, (label, response.status_code, response.text[:500])
    assert browser.login_cookie(), f"{label} got no login cookie"
    # a browser loads the page it is sent to: that sets the _xsrf cookie too
    browser.get(response.headers["Location"].removeprefix("/"))
    return browser


@pytest.fixture(scope="module")
def chloe(server: Server) -> Browser:
    """Chloé, class Lyon, team A (team_rivers)."""
    return signed_in(server, "lyon_4b", "chloe", name="Chloé")


@pytest.fixture(scope="module")
def lucas(server: Server) -> Browser:
    """Lucas, class Lyon, team B (team_forests)."""
    return signed_in(server, "lyon_4b", "lucas", name="Lucas")


@pytest.fixture(scope="module")
def visitor(server: Server) -> Browser:
    """A visitor, nickname "Curious"."""
    return signed_in(server, "visitors", "visitor", nickname="Curious")


@pytest.fixture(scope="module")
def stranger(server: Server) -> Browser:
    """Someone with the server's address and nothing else."""
    return Browser(server, label="stranger")


# ----------------------------------------------------------------------------------------------
# sessions, kernels and code


def start_session(browser: Browser, path: str, name: str | None = None) -> dict[str, Any]:
    """A notebook session with a python3 kernel on ``path``, as JupyterLab opens it."""
    response = browser.post(
        "api/sessions",
        {
            "path": path,
            "name": name or path.rsplit("/", 1)[-1],
            "type": "notebook",
            "kernel": {"name": "python3"},
        },
    )
    assert response.status_code in (200, 201), (browser, response.status_code, response.text)
    return response.json()


@pytest.fixture(scope="module")
def team_b_session(lucas: Browser) -> dict[str, Any]:
    """Lucas (team B) has his team's notebook open, with its kernel running."""
    return start_session(lucas, TEAM_B_NOTEBOOK)


@pytest.fixture(scope="module")
def team_a_session(chloe: Browser) -> dict[str, Any]:
    """Chloé (team A) has her team's notebook open, with its kernel running."""
    return start_session(chloe, TEAM_A_NOTEBOOK)


def execute_request(code: str, session: str) -> dict[str, Any]:
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "msg_type": "execute_request",
            "username": "",
            "session": session,
            "date": datetime.now(timezone.utc).isoformat(),
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": {},
        "content": {
            "code": code,
            "silent": False,
            "store_history": False,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        },
        "channel": "shell",
        "buffers": [],
    }


async def run_code(browser: Browser, kernel_id: str, code: str, timeout: float = 60) -> str | None:
    """Run ``code`` in a kernel over its websocket (the legacy JSON protocol, as JupyterLab's
    fallback); the text it printed (stdout, stderr, error), or None if the websocket refused
    the connection or closed before an answer."""
    session = uuid.uuid4().hex
    try:
        conn = await browser.websocket(f"api/kernels/{kernel_id}/channels?session_id={session}")
    except Exception:
        return None
    request = execute_request(code, session)
    msg_id = request["header"]["msg_id"]
    output: list[str] = []
    try:
        await conn.write_message(json.dumps(request))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            raw = await asyncio.wait_for(conn.read_message(), deadline - time.monotonic())
            if raw is None:
                return None if not output else "".join(output)
            if isinstance(raw, bytes):
                continue
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                output.append(content["text"])
            elif kind == "error":
                output.append(f"{content['ename']}: {content['evalue']}\n")
            elif kind == "execute_result":
                output.append(content["data"].get("text/plain", ""))
            elif kind == "status" and content["execution_state"] == "idle":
                return "".join(output)
    except Exception:  # a timeout, or the server closed the websocket: the attack got no answer
        return "".join(output) or None
    finally:
        conn.close()
    return None


# ----------------------------------------------------------------------------------------------
# collaboration rooms


def document_session(browser: Browser, path: str) -> dict[str, str]:
    """``{"fileId", "sessionId"}`` of ``path``'s room, as JupyterLab asks for it. The
    harness asks as the teacher for forbidden files; the session id is the server's, the
    same for every document (an attacker reads it from a document of her own)."""
    response = browser.put(
        f"api/collaboration/session/{quote(path)}", {"format": "json", "type": "notebook"}
    )
    assert response.status_code in (200, 201), (browser, response.status_code, response.text)
    return response.json()


async def open_room(browser: Browser, room_id: str, session_id: str = "") -> RoomClient:
    """A collaboration client on room ``room_id`` (raises HTTPClientError when refused)."""
    query = f"?sessionId={session_id}" if session_id else ""
    conn = await browser.websocket(f"api/collaboration/room/{room_id}{query}")
    return RoomClient(conn, room_id)


async def open_notebook_room(browser: Browser, path: str) -> tuple[RoomClient, str]:
    """What JupyterLab does to open ``path`` for co-editing: session, then room websocket."""
    session = document_session(browser, path)
    room_id = f"json:notebook:{session['fileId']}"
    return await open_room(browser, room_id, session["sessionId"]), room_id


# ----------------------------------------------------------------------------------------------
# cookies


def forge_cookie(server: Server, browser: Browser, edit) -> str:
    """The browser's login cookie, decoded with tornado's key, passed through ``edit`` (a
    function of the decoded JSON returning the new JSON), and signed again with tornado's key:
    what a student who stole the cookie key can make."""
    name, value = browser.login_cookie()
    secret = server.tornado_secret()
    raw = decode_signed_value(secret, name, value.strip('"'))
    assert raw is not None, "the harness's cookie key is not the server's (see README)"
    data = json.loads(raw)
    forged = json.dumps(edit(data))
    return create_signed_value(secret, name, forged).decode()


def vxkit_sign(secret: bytes, payload: bytes) -> str:
    """HMAC-SHA256, URL-safe base64 without padding: the format of the vxkit cookie signature."""
    digest = hmac.new(secret, payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")
