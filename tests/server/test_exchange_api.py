"""The vxkit server extension in a real Jupyter server under a non-root base URL."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from tornado import web
from tornado.httpclient import HTTPClientError

from vxkit.workspace import Workspace

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def jp_base_url() -> str:
    return "/school%20hub/vx/"


@pytest.fixture
def jp_server_config(demo_workspace: Workspace) -> dict:
    return {
        "ServerApp": {"jpserver_extensions": {"vxkit": True}},
        "VxkitApp": {"workspace": str(demo_workspace.root)},
    }


async def test_exchange_endpoint_lists_classes_with_local_time(jp_fetch):
    response = await jp_fetch("vxkit", "api", "exchange")
    assert response.code == 200
    data = json.loads(response.body)
    assert data["id"] == "vxkit_demo"
    assert [c["id"] for c in data["classes"]] == ["lyon_4b", "nairobi_7", "valparaiso_1m"]
    nairobi = data["classes"][1]
    assert nairobi["country_name"] == "Kenya"
    assert nairobi["utc_offset_hours"] == 3.0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d\+03:00", nairobi["local_time"])
    assert {t["id"] for t in data["teams"]} == {"team_rivers", "team_forests"}
    rivers = next(t for t in data["teams"] if t["id"] == "team_rivers")
    assert {"name": "Valentina", "class": "valparaiso_1m"} in rivers["members"]
    assert data["units"] == ["meet_partners"]


async def test_broken_exchange_gives_the_problems_not_a_traceback(jp_fetch, demo_workspace):
    text = demo_workspace.exchange_file.read_text(encoding="utf-8")
    demo_workspace.exchange_file.write_text(
        text.replace('"Africa/Nairobi"', '"Africa/Nairobbi"'), encoding="utf-8"
    )
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch("vxkit", "api", "exchange")
    assert info.value.code == 409
    body = json.loads(info.value.response.body)
    assert body["problems"] == [
        {
            "field": "classes[1].timezone",
            "message": '"Africa/Nairobbi" is not a known time zone (did you mean "Africa/Nairobi"?); '
            'use an IANA name like "Europe/Paris"',
        }
    ]
    assert "Traceback" not in info.value.response.body.decode()


def vxkit_routes(serverapp) -> list[tuple[str, type]]:
    """Every route whose handler class comes from the vxkit package, however deeply nested."""
    routes = []
    app = serverapp.web_app
    pending = list(app.default_router.rules) + list(app.wildcard_router.rules)
    while pending:
        rule = pending.pop()
        target = rule.target
        if hasattr(target, "rules"):
            pending.extend(target.rules)
        elif isinstance(target, type) and target.__module__.startswith("vxkit"):
            routes.append((rule.matcher.regex.pattern, target))
    return routes


GROUP = re.compile(r"\((?:\?P<\w+>)?((?:[^()]|\([^()]*\))*)\)")


def sample_value(group: str) -> str:
    """A plain value that the regular expression of one route group matches."""
    candidates = ["sample", "lyon_4b", "sample/notebook.ipynb", "1", *group.split("|")]
    for candidate in candidates:
        if re.fullmatch(group, candidate):
            return candidate
    raise AssertionError(f"no sample value for route group {group!r}")


def sample_path(pattern: str) -> str:
    """A concrete URL path matching a route pattern (each group filled with a plain value)."""
    path = GROUP.sub(lambda m: sample_value(m.group(1)), pattern).rstrip("$").replace("\\", "")
    assert re.fullmatch(pattern, path), (pattern, path)
    return path


async def test_every_vxkit_endpoint_requires_authentication(jp_serverapp, http_server_client):
    routes = vxkit_routes(jp_serverapp)
    assert routes, "the vxkit extension registered no routes"
    checked = 0
    for pattern, handler in routes:
        for method in METHODS:
            func = getattr(handler, method, None)
            if func is None or func is getattr(web.RequestHandler, method):
                continue  # tornado's default: the handler doesn't serve this method
            if getattr(func, "__allow_unauthenticated", False):
                continue  # a public page (join links), marked explicitly
            body = b"{}" if method in ("post", "put", "patch") else None
            response = await http_server_client.fetch(
                sample_path(pattern),
                method=method.upper(),
                body=body,
                raise_error=False,
                follow_redirects=False,
            )
            assert response.code in (302, 401, 403), (
                f"{method.upper()} {pattern} ({handler.__name__}) answered {response.code} "
                "without authentication"
            )
            checked += 1
    assert checked >= 1


def test_server_extension_is_enabled_and_ok():
    result = subprocess.run(
        [sys.executable, "-m", "jupyter", "server", "extension", "list"],
        capture_output=True,
        text=True,
        check=True,
    )
    output = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)
    assert re.search(r"vxkit enabled", output), output
    assert re.search(r"vxkit \S+ OK", output), output
