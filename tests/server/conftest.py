"""Fixtures for the classroom tests: a real server on the workspace, people who join through
links (cookie-carrying HTTP clients) and collaboration clients over the real websocket."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import quote

import pytest
from jupyter_ydoc import YNotebook
from pycrdt import (
    Awareness,
    Doc,
    Provider,
    YMessageType,
    create_awareness_message,
    read_message,
)
from tornado.httpclient import AsyncHTTPClient, HTTPRequest, HTTPResponse
from tornado.websocket import WebSocketClientConnection, websocket_connect

from vxkit.server.links import ensure_links
from vxkit.workspace import Workspace


async def wait_for(predicate: Callable[[], Any], timeout: float = 10.0, what: str = "") -> Any:
    """Poll ``predicate`` until it is truthy; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        await asyncio.sleep(0.05)


def classroom_config(ws: Workspace, save_delay: float = 0.3) -> dict[str, Any]:
    """Server config: vxkit with jupyter-collaboration, all state inside the workspace."""
    config: dict[str, Any] = {
        "ServerApp": {
            "jpserver_extensions": {
                "vxkit": True,
                "jupyter_server_ydoc": True,
                "jupyter_server_fileid": True,
            }
        },
        "VxkitApp": {"workspace": str(ws.root)},
    }
    for section, values in ws.collaboration_settings().items():
        config.setdefault(section, {}).update(values)
    config["YDocExtension"]["document_save_delay"] = save_delay
    return config


@pytest.fixture
def jp_root_dir(demo_workspace: Workspace):
    """The classroom tests' server serves the demo workspace (a test module may override)."""
    return demo_workspace.root


@pytest.fixture
def jp_server_config(demo_workspace: Workspace) -> dict:
    """vxkit's classroom on the demo workspace (a test module may override)."""
    return classroom_config(demo_workspace)


@pytest.fixture
def classroom_links(demo_workspace: Workspace):
    """The demo workspace's join links (created on first use)."""
    return ensure_links(demo_workspace)


class WSChannel:
    """A pycrdt channel over a tornado websocket; awareness messages go to ``awareness``."""

    def __init__(self, conn: WebSocketClientConnection, path: str, awareness: Awareness) -> None:
        self.conn = conn
        self._path = path
        self.awareness = awareness

    @property
    def path(self) -> str:
        return self._path

    def __aiter__(self) -> WSChannel:
        return self

    async def __anext__(self) -> bytes:
        message = await self.recv()
        if message is None:
            raise StopAsyncIteration
        return message

    async def send(self, message: bytes) -> None:
        await self.conn.write_message(message, binary=True)

    async def recv(self) -> bytes | None:
        while True:
            message = await self.conn.read_message()
            if message is None:
                return None
            if isinstance(message, str):
                message = message.encode()
            if message[0] == YMessageType.AWARENESS:
                self.awareness.apply_awareness_update(read_message(message[1:]), "remote")
                continue
            if message[0] == YMessageType.SYNC:
                return message
            # RAW and other messages are not part of the document sync


class RoomClient:
    """A collaborator on one notebook: a pycrdt Doc synced through the room websocket."""

    def __init__(self, conn: WebSocketClientConnection, path: str, ydoc: Doc | None = None):
        self.ydoc = ydoc if ydoc is not None else Doc()
        self.notebook = YNotebook(self.ydoc)
        self.awareness = Awareness(self.ydoc)
        self.channel = WSChannel(conn, path, self.awareness)
        self.provider = Provider(self.ydoc, self.channel)
        self.conn = conn

    async def announce(self, user: dict[str, Any]) -> None:
        """Send our awareness state (what a browser claims about itself)."""
        self.awareness.set_local_state({"user": user})
        update = self.awareness.encode_awareness_update([self.ydoc.client_id])
        await self.channel.send(create_awareness_message(update))

    def others(self) -> list[dict[str, Any]]:
        """The awareness states of the other clients."""
        return [
            state
            for client_id, state in self.awareness.states.items()
            if client_id != self.ydoc.client_id and state
        ]

    def sources(self) -> list[str]:
        return [cell["source"] for cell in self.notebook.get()["cells"]]


class Person:
    """Someone using the server through a browser-like client: cookies, XSRF, websockets."""

    def __init__(self, port: int, base_url: str, token: str | None = None) -> None:
        self.base = f"http://localhost:{port}{base_url}"
        self.ws_base = f"ws://localhost:{port}{base_url}"
        self.cookies: dict[str, str] = {}
        self.token = token
        self.client = AsyncHTTPClient()

    def _headers(self) -> dict[str, str]:
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if "_xsrf" in self.cookies:
            headers["X-XSRFToken"] = self.cookies["_xsrf"]
        if self.token:
            headers["Authorization"] = f"token {self.token}"
        return headers

    def _keep_cookies(self, response: HTTPResponse) -> None:
        for header in response.headers.get_list("Set-Cookie"):
            cookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                if morsel.value:
                    self.cookies[key] = morsel.value
                else:
                    self.cookies.pop(key, None)

    async def fetch(
        self, path: str, method: str = "GET", body: Any = None, headers: dict | None = None
    ) -> HTTPResponse:
        if body is not None and not isinstance(body, (str, bytes)):
            body = json.dumps(body)
        request = HTTPRequest(
            self.base + path,
            method=method,
            body=body,
            headers={**self._headers(), **(headers or {})},
            follow_redirects=False,
            allow_nonstandard_methods=True,
        )
        response = await self.client.fetch(request, raise_error=False)
        self._keep_cookies(response)
        return response

    async def join(self, code: str, name: str | None = None, nickname: str | None = None):
        """Open a join link and pick ``name`` (or type ``nickname``)."""
        page = await self.fetch(f"vxkit/join/{code}")
        if page.code != 200:
            return page
        form = {"_xsrf": self.cookies.get("_xsrf", "")}
        if name is not None:
            form["name"] = name
        if nickname is not None:
            form["nickname"] = nickname
        body = "&".join(f"{k}={quote(v)}" for k, v in form.items())
        return await self.fetch(
            f"vxkit/join/{code}",
            "POST",
            body,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )

    async def join_with_card(self, code: str, card: str):
        """Open the link on a sign-in card (class code and personal code): signed in as that
        student, and proved to be them."""
        return await self.fetch(f"vxkit/join/{code}?card={quote(card)}")

    async def websocket(self, path: str) -> WebSocketClientConnection:
        request = HTTPRequest(self.ws_base + path, headers=self._headers())
        return await websocket_connect(request)

    async def room(self, path: str, ydoc: Doc | None = None) -> tuple[RoomClient, str]:
        """Open the collaboration room of notebook ``path``; returns the client and room id.

        Pass the ``ydoc`` of an earlier client to reconnect it with its offline edits."""
        response = await self.fetch(
            f"api/collaboration/session/{quote(path)}",
            "PUT",
            {"format": "json", "type": "notebook"},
        )
        assert response.code in (200, 201), (response.code, response.body)
        session = json.loads(response.body)
        room_id = f"json:notebook:{session['fileId']}"
        conn = await self.websocket(
            f"api/collaboration/room/{room_id}?sessionId={session['sessionId']}"
        )
        return RoomClient(conn, room_id, ydoc), room_id


@pytest.fixture
def person_factory(jp_serverapp, http_server_client, jp_http_port, jp_base_url):
    """``person_factory()`` is someone with no login; ``person_factory(teacher=True)`` has the
    server's token."""

    def make(teacher: bool = False) -> Person:
        return Person(
            jp_http_port, jp_base_url, jp_serverapp.identity_provider.token if teacher else None
        )

    return make
