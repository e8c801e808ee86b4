"""The teacher dashboard's endpoints on a real classroom server: jobs (assign, collect, grade,
feedback) run as processes of their own with progress, per-unit counts, sign-in cards with QR
codes and revoking links. A student tries every door and gets 403 at each."""

from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path

import pytest

from tests.grading.conftest import make_workspace
from vxkit.server.links import VISITOR_KEY, ensure_links, links_for
from vxkit.workspace import Workspace

from .conftest import classroom_config

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")  # nbgrader's


@pytest.fixture
def grading_ws(tmp_path: Path) -> Workspace:
    return make_workspace(tmp_path / "ws")


@pytest.fixture
def jp_root_dir(grading_ws: Workspace) -> Path:
    return grading_ws.root


@pytest.fixture
def jp_server_config(grading_ws: Workspace) -> dict:
    return classroom_config(grading_ws)


TEACHER_DOORS = [
    ("vxkit/api/jobs", "GET"),
    ("vxkit/api/jobs", "POST"),
    ("vxkit/api/jobs", "PUT"),
    ("vxkit/api/jobs", "DELETE"),
    ("vxkit/api/jobs/0123456789ab", "GET"),
    ("vxkit/api/jobs/0123456789ab", "POST"),
    ("vxkit/api/units", "GET"),
    ("vxkit/api/cards", "GET"),
    ("vxkit/api/cards/lyon_4b-chloe", "POST"),
    ("vxkit/api/cards/lyon_4b-hugo", "POST"),
    ("vxkit/api/links", "GET"),
    ("vxkit/api/links/lyon_4b", "POST"),
    ("vxkit/api/links/visitor", "POST"),
]


async def test_a_student_gets_403_at_every_teacher_door(person_factory, grading_ws, jp_serverapp):
    links = ensure_links(grading_ws)
    before = json.loads(links.path.read_text())
    chloe = person_factory()  # with her card: she proved who she is
    await chloe.join_with_card(links.code("lyon_4b"), links.card("lyon_4b-chloe"))
    granny = person_factory()
    await granny.join(links.code(VISITOR_KEY), nickname="Granny")
    nobody = person_factory()
    body = {"action": "assign", "unit": "squares"}
    for who in (chloe, granny, nobody):
        for path, method in TEACHER_DOORS:
            response = await who.fetch(path, method, body if method != "GET" else None)
            assert response.code == 403, (path, method, response.code, response.body)
            assert b"squares" not in response.body and links.code("lyon_4b") not in str(
                response.body
            )
    # nothing was started, revoked or replaced
    assert jp_serverapp.web_app.settings["vxkit_jobs"].jobs == []
    assert json.loads(links.path.read_text()) == before
    assert not (grading_ws.course_dir / "release" / "squares").exists()


async def wait_job(teacher, job_id: str, timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        response = await teacher.fetch(f"vxkit/api/jobs/{job_id}")
        assert response.code == 200, response.body
        job = json.loads(response.body)["job"]
        if job["state"] != "running":
            return job
        assert time.monotonic() < deadline, job
        await asyncio.sleep(0.2)


async def test_a_teacher_assigns_from_the_dashboard_one_job_at_a_time(
    person_factory, grading_ws, jp_serverapp
):
    teacher = person_factory(teacher=True)
    started = await teacher.fetch(
        "vxkit/api/jobs", "POST", {"action": "assign", "unit": "squares", "due": "2030-03-28 18:00"}
    )
    assert started.code == 202, started.body
    job = json.loads(started.body)["job"]
    assert job["state"] == "running"
    busy = await teacher.fetch("vxkit/api/jobs", "POST", {"action": "collect", "unit": "squares"})
    assert busy.code == 409
    assert "already running (assign squares" in json.loads(busy.body)["message"]

    job = await wait_job(teacher, job["id"])
    assert job["state"] == "done", job
    assert job["done"] == job["total"] == 1
    assert any(line.startswith("Assigned squares") for line in job["lines"]), job["lines"]
    # it ran as its own process, whose messages went to its log, not the server's
    assert (grading_ws.state_dir / "jobs" / f"{job['id']}.log").is_file()
    assert (grading_ws.course_dir / "release" / "squares").is_dir()

    listed = json.loads((await teacher.fetch("vxkit/api/jobs")).body)
    assert jp_serverapp.web_app.settings["vxkit_jobs"]._process is None  # it has ended
    assert listed["running"] is None and listed["jobs"][0]["id"] == job["id"]
    units = json.loads((await teacher.fetch("vxkit/api/units")).body)["units"]
    assert [u["unit"] for u in units] == ["squares"]
    lyon = units[0]["classes"]["lyon_4b"]
    assert lyon == {
        "students": 3,
        "fetched": 0,
        "handed_in": 0,
        "late": 0,
        "graded": 0,
        "returned": 0,
    }

    # grading with nothing collected is a job that says so, in a sentence
    failed = await teacher.fetch("vxkit/api/jobs", "POST", {"action": "grade", "unit": "squares"})
    job = await wait_job(teacher, json.loads(failed.body)["job"]["id"])
    assert job["state"] in ("done", "failed")
    assert job["lines"] or job["message"]
    assert "Traceback" not in json.dumps(job)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "explode", "unit": "squares"}, 'action: "explode"'),
        ({"action": "grade", "unit": "nope"}, 'unit: "nope"'),
        ({"action": "grade", "unit": "../x"}, 'unit: "../x"'),
        ({"action": "assign", "unit": "squares", "due": "tomorrow"}, 'due: "tomorrow"'),
    ],
)
async def test_a_wrong_job_request_names_the_field_and_the_value(person_factory, body, field):
    response = await person_factory(teacher=True).fetch("vxkit/api/jobs", "POST", body)
    assert response.code == 400
    assert json.loads(response.body)["message"].startswith(field)


async def test_cards_with_qr_codes_and_replacing_a_lost_one(person_factory, grading_ws):
    teacher = person_factory(teacher=True)
    links = ensure_links(grading_ws)
    old = links.card("lyon_4b-chloe")
    answer = json.loads((await teacher.fetch("vxkit/api/cards")).body)
    lyon = next(c for c in answer["classes"] if c["id"] == "lyon_4b")
    chloe = next(c for c in lyon["cards"] if c["student_id"] == "lyon_4b-chloe")
    assert chloe["name"] == "Chloé"
    assert chloe["url"].endswith(f"/vxkit/join/{links.code('lyon_4b')}?card={old}")
    assert chloe["qr"].startswith("data:image/svg+xml")

    replaced = await teacher.fetch("vxkit/api/cards/lyon_4b-chloe", "POST", {})
    assert replaced.code == 200, replaced.body
    new = links_for(grading_ws).card("lyon_4b-chloe")
    assert new != old
    assert json.loads(replaced.body)["card"]["url"].endswith(f"?card={new}")
    # the lost card signs nobody in as Chloé any more
    finder = person_factory()
    await finder.join_with_card(links.code("lyon_4b"), old)
    me = await finder.fetch("vxkit/api/me")
    assert me.code != 200 or json.loads(me.body)["verified"] is False

    unknown = await teacher.fetch("vxkit/api/cards/lyon_4b-nobody", "POST", {})
    assert unknown.code == 400 and "lyon_4b-nobody" in json.loads(unknown.body)["message"]


async def test_revoking_a_class_link_from_the_dashboard(person_factory, grading_ws):
    teacher = person_factory(teacher=True)
    old = ensure_links(grading_ws).code("lyon_4b")
    response = await teacher.fetch("vxkit/api/links/lyon_4b", "POST", {})
    assert response.code == 200
    fresh = json.loads(response.body)
    assert fresh["code"] != old and fresh["url"].endswith(fresh["code"])
    assert fresh["qr"].startswith("data:image/svg+xml")
    assert (await person_factory().fetch(f"vxkit/join/{old}")).code != 200


async def test_a_job_is_ended_when_the_server_stops_and_says_so(person_factory, jp_serverapp):
    teacher = person_factory(teacher=True)
    started = await teacher.fetch(
        "vxkit/api/jobs", "POST", {"action": "collect", "unit": "squares"}
    )
    runner = jp_serverapp.web_app.settings["vxkit_jobs"]
    while runner._process is None:  # the process is starting
        await asyncio.sleep(0.05)
    runner.stop()  # what stop_extension does
    job = await wait_job(teacher, json.loads(started.body)["job"]["id"], timeout=30)
    assert job["state"] == "failed"
    assert "stopped unexpectedly" in job["message"] and ".vxkit/jobs/" in job["message"]


def test_a_job_gets_no_credential_of_the_server():
    from vxkit.server.jobs import job_environment

    env = job_environment(
        {"PATH": "/usr/bin", "JUPYTER_TOKEN": "t", "JUPYTERHUB_API_TOKEN": "h", "LANG": "C.UTF-8"}
    )
    assert "JUPYTER_TOKEN" not in env and "JUPYTERHUB_API_TOKEN" not in env
    assert env["LANG"] == "C.UTF-8" and env["PATH"].endswith(os.pathsep + "/usr/bin")
