"""The setup form's endpoints against a student who wants to change the exchange: every
method, every encoding, JSON and form bodies, another class's id, a roster entry moved into
another class, herself moved into another team. A visitor and a stranger try the same.
Nothing may be written, and nothing of the form may be read."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from vxkit.exchange_form import version_of

from .conftest import Browser, Server

EXCHANGE = "exchange.toml"
PATHS = (
    "vxkit/api/setup",
    "vxkit/api/setup/check",
    "vxkit/api/setup/",
    "vxkit/api//setup",
    "vxkit/api/%73etup",
    "vxkit/api/setup/%63heck",
    "vxkit/api/setup?class=lyon_4b",
    "vxkit/api/setup/check?_xsrf=x",
)
VALPARAISO = ["Valentina", "Benjamín", "Josefa", "Matías", "Catalina", "Tomás"]
#: refused, not found, no such method, or redirected (a trailing slash) to a refusal
REFUSED = (403, 404, 405, 301, 302)
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def changes(version: str) -> list[dict]:
    """What Chloé (lyon_4b, team_rivers) would like exchange.toml to say."""
    rivers = {"lyon_4b": ["Hugo", "Inès"], "nairobi_7": ["Amani", "Baraka", "Imani"]}
    rivers["valparaiso_1m"] = ["Valentina", "Benjamín", "Josefa"]
    forests = {"lyon_4b": ["Lucas", "Manon", "Yanis", "Chloé"]}
    forests |= {"nairobi_7": ["Zawadi", "Wanjiru", "Kito"]}
    forests["valparaiso_1m"] = ["Matías", "Catalina", "Tomás"]
    return [
        # her own class's hours (school ends at noon)
        {"version": version, "classes": [{"id": "lyon_4b", "hours": "08:00-12:00"}]},
        # a class id of another class
        {"version": version, "classes": [{"id": "nairobi_7", "city": "Mombasa"}]},
        # a roster entry moved into another class (she joins Valparaíso)
        {
            "version": version,
            "classes": [
                {"id": "lyon_4b", "students": ["Hugo", "Inès", "Lucas", "Manon", "Yanis"]},
                {
                    "id": "valparaiso_1m",
                    "students": [*VALPARAISO, "Chloé"],
                },
            ],
        },
        # herself put in the other team
        {
            "version": version,
            "teams": [
                {"id": "team_rivers", "name": "Rivers", "members": rivers},
                {"id": "team_forests", "name": "Forests", "members": forests},
            ],
        },
    ]


def bodies(change: dict) -> list[tuple[dict[str, str], bytes]]:
    """One change in every encoding a browser (or curl) can send."""
    raw = json.dumps(change)
    return [
        ({"Content-Type": "application/json"}, raw.encode()),
        ({"Content-Type": "application/json; charset=utf-16"}, raw.encode("utf-16")),
        ({"Content-Type": "text/plain"}, raw.encode()),
        ({}, raw.encode()),
        (
            {"Content-Type": "application/x-www-form-urlencoded"},
            urlencode({"classes": json.dumps(change.get("classes", [])), "body": raw}).encode(),
        ),
        (
            {"Content-Type": "multipart/form-data; boundary=xx"},
            (
                f'--xx\r\nContent-Disposition: form-data; name="body"\r\n\r\n{raw}\r\n--xx--\r\n'
            ).encode(),
        ),
    ]


@pytest.fixture(scope="module")
def original(server: Server) -> bytes:
    return server.read(EXCHANGE)


@pytest.mark.parametrize("who", ["chloe", "visitor", "stranger"])
def test_no_one_but_teachers_reads_or_changes_the_setup(
    request: pytest.FixtureRequest, server: Server, original: bytes, who: str
):
    person: Browser = request.getfixturevalue(who)
    version = version_of(original.decode("utf-8"))  # the file is readable: she can compute it
    for path in PATHS:
        for method in METHODS:
            if method in ("GET", "HEAD"):
                attempts = [({}, b"")]
            elif path not in PATHS[:2] and method not in ("POST", "PUT"):
                continue  # the look-alikes of the routes: reading, saving and checking
            else:  # every encoding where a save could be, JSON elsewhere
                every = path in PATHS[:2] and method in ("POST", "PUT")
                attempts = [
                    attempt
                    for change in changes(version)
                    for attempt in (bodies(change) if every else bodies(change)[:1])
                ]
            for headers, body in attempts:
                response = person.request(method, path, headers=headers, data=body)
                assert response.status_code in REFUSED, (
                    who,
                    method,
                    path,
                    headers,
                    response.status_code,
                    response.text[:300],
                )
                assert '"editable"' not in response.text and "Mme Laurent" not in response.text
    assert server.read(EXCHANGE) == original
    if who == "chloe":
        me = person.me()
        assert me is not None and me["identity"]["vxkit"]["team_id"] == "team_rivers"
        assert person.get("vxkit/api/team").json()["team"] == "team_rivers"


def test_her_session_with_the_token_as_well_is_still_not_a_teacher(
    chloe: Browser, server: Server, original: bytes
):
    """The token in a query or header next to her cookie: her cookie wins (she is signed in
    as herself), so the setup stays closed."""
    version = version_of(original.decode("utf-8"))
    change = changes(version)[3]
    for kwargs in ({"params": {"token": "wrong"}}, {"headers": {"Authorization": "token wrong"}}):
        response = chloe.put("vxkit/api/setup", change, **kwargs)
        assert response.status_code == 403, response.text
    assert server.read(EXCHANGE) == original


def test_the_teacher_can_and_the_student_sees_the_change(
    teacher: Browser, chloe: Browser, server: Server, original: bytes
):
    """The door is open to the right person (so the refusals above are about who asks)."""
    form = teacher.get("vxkit/api/setup").json()
    assert form["editable"]["teams"] == "all"
    change = {"version": form["version"], "classes": [{"id": "lyon_4b", "city": "Lyon 4e"}]}
    assert teacher.put("vxkit/api/setup", change).status_code == 200
    assert b'city = "Lyon 4e"' in server.read(EXCHANGE)
    assert chloe.me()["identity"]["vxkit"]["city"] == "Lyon 4e"
