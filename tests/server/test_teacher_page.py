"""Help > Class links: the teacher's page with the join links, on the address partners open.

On Binder the server's log is out of the teacher's sight, so the links must reach the
teacher's browser: on the proxy's public address and the ``/user/<name>/`` base URL. The page
signs people in, so a student joined by a class link must be refused by every door.
"""

from __future__ import annotations

import json

import pytest

from vxkit.server.links import TEACHER_KEY, VISITOR_KEY

from .conftest import classroom_config

BASE_URL = "/user/lyon-exchange-4b7x/"
PUBLIC = "hub.example.org"


@pytest.fixture
def jp_base_url():
    """Binder's base URL for the launched server."""
    return BASE_URL


@pytest.fixture
def jp_server_config(demo_workspace):
    """As BinderHub starts a server: behind the hub's proxy, trusting its X-Forwarded headers."""
    config = classroom_config(demo_workspace)
    config["ServerApp"]["trust_xheaders"] = True
    config["ServerApp"]["allow_remote_access"] = True  # Binder listens on 0.0.0.0
    return config


@pytest.fixture(autouse=True)
def binder_env(monkeypatch):
    """What BinderHub puts in the server's environment."""
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", BASE_URL)
    monkeypatch.setenv("BINDER_LAUNCH_HOST", "https://mybinder.org/")
    monkeypatch.setenv("BINDER_REQUEST", "v2/gh/vxkit/vxkit/main")


# the scheme the proxy forwards (X-Forwarded-Proto) is checked on a real server, in
# tests/browser/test_binder_room.py: pytest-jupyter's HTTP server doesn't read X- headers
PROXIED = {"Host": PUBLIC}


async def test_teacher_sees_every_link_on_the_public_address(person_factory, classroom_links):
    teacher = person_factory(teacher=True)
    response = await teacher.fetch("vxkit/class-links", headers=PROXIED)
    assert response.code == 200, response.body
    page = response.body.decode()
    for key in ("lyon_4b", "nairobi_7", VISITOR_KEY, TEACHER_KEY):
        url = f"http://{PUBLIC}{BASE_URL}vxkit/join/{classroom_links.code(key)}"
        assert f'href="{url}"' in page
    assert "not the Binder badge" in page  # the badge would start a new, empty room
    api = await teacher.fetch("vxkit/api/links", headers=PROXIED)
    lyon = next(c for c in json.loads(api.body)["classes"] if c["id"] == "lyon_4b")
    assert lyon["url"] == f"http://{PUBLIC}{BASE_URL}vxkit/join/{classroom_links.code('lyon_4b')}"


@pytest.mark.parametrize("who", ["student", "visitor", "nobody"])
async def test_nobody_else_gets_the_links_by_any_door(person_factory, classroom_links, who):
    person = person_factory()
    if who == "student":
        assert (await person.join(classroom_links.code("lyon_4b"), name="Chloé")).code == 302
    elif who == "visitor":
        await person.join(classroom_links.code(VISITOR_KEY), nickname="Gran")
    secrets = [classroom_links.code(k) for k in ("lyon_4b", "nairobi_7", VISITOR_KEY, TEACHER_KEY)]
    doors = [
        ("vxkit/class-links", "GET", None),
        ("vxkit/class-links", "HEAD", None),
        ("vxkit/class-links", "POST", "{}"),
        ("vxkit/class-links", "PUT", "{}"),
        ("vxkit/class-links?token=wrong", "GET", None),
        ("vxkit/class-links/", "GET", None),
        ("vxkit//class-links", "GET", None),
        ("vxkit/%63lass-links", "GET", None),
        ("vxkit/api/links", "GET", None),
        ("vxkit/api/links?format=text", "GET", None),
    ]
    for path, method, body in doors:
        response = await person.fetch(path, method, body)
        text = response.body.decode(errors="replace") + str(response.headers)
        assert not any(code in text for code in secrets), (who, path, method)
        if response.code in (301, 302):
            # to sign in, or (a trailing slash) to the page itself, which refuses them
            location = response.headers["Location"]
            assert location.endswith("vxkit/class-links") or (
                who == "nobody" and "/login?" in location
            ), (who, path, location)
            continue
        assert response.code in (403, 404), (who, path, method, response.code)
        if path == "vxkit/class-links" and who != "nobody":
            assert response.code == 403, (who, method)
