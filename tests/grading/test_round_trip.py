"""The full round trip through a real server: six students in two classes and two teams
fetch and submit as their signed-in selves; real nbgrader, real exchange folder, real
kernels; teachers assign, collect, grade and return feedback with the vxkit commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from vxkit.cli import main
from vxkit.exchange import student_id
from vxkit.server.identity import Identity
from vxkit.workspace import Workspace

from .conftest import TokenIdentityProvider, answer, edit_cell

pytestmark = [
    # nbgrader's gradebook: SQLAlchemy warns about its own autoflush use (PITFALLS: expected)
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"),
    # nbgrader 0.9.6 passes `authentictor=` (a typo) to release_feedback (PITFALLS)
    pytest.mark.filterwarnings("ignore:Passing unrecognized arguments to super:DeprecationWarning"),
]

LYON, VALPO = "lyon_4b", "valparaiso_1m"
PEOPLE = {
    "tok-chloe": (LYON, "Chloé"),
    "tok-hugo": (LYON, "Hugo"),
    "tok-ines": (LYON, "Inès"),
    "tok-valentina": (VALPO, "Valentina"),
    "tok-benjamin": (VALPO, "Benjamín"),
    "tok-josefa": (VALPO, "Josefa"),
}
SID = {name: student_id(cls, name) for cls, name in PEOPLE.values()}
TOKEN = {name: tok for tok, (_, name) in PEOPLE.items()}


@pytest.fixture(autouse=True)
def people():
    TokenIdentityProvider.people = {
        tok: Identity("student", name, student_id(cls, name), cls)
        for tok, (cls, name) in PEOPLE.items()
    }
    TokenIdentityProvider.people["tok-visitor"] = Identity("visitor", "Guest")
    yield
    TokenIdentityProvider.people = {}


def as_person(name: str) -> dict[str, str]:
    return {"Authorization": f"token {TOKEN.get(name, name)}"}


async def call(jp_fetch, path: str, who: str | None = None, method: str = "GET", **kw) -> Any:
    headers = as_person(who) if who else {}
    if method == "POST":
        kw.setdefault("body", json.dumps(kw.pop("json", {})))
    response = await jp_fetch(*path.split("/"), method=method, headers=headers, **kw)
    return json.loads(response.body)


async def refused(jp_fetch, path: str, who: str | None, method: str = "POST") -> int:
    with pytest.raises(HTTPClientError) as info:
        await call(jp_fetch, path, who, method)
    return info.value.code


def vxkit(ws: Workspace, *argv: str) -> int:
    return main([*argv, "--dir", str(ws.root)])


def grade_rows(ws: Workspace, capsys) -> dict[str, tuple[str, str]]:
    capsys.readouterr()
    assert vxkit(ws, "grades") == 0
    lines = capsys.readouterr().out.splitlines()
    return {line.split()[0] + " " + line.split()[2]: line for line in lines[1:]}


async def test_individual_round_trip(jp_fetch, grading_ws: Workspace, capsys) -> None:
    ws = grading_ws
    assert vxkit(ws, "assign", "squares", "--due", "2030-03-28 18:00") == 0
    out = capsys.readouterr().out
    assert "lyon_4b: due Thursday 28 March 2030 18:00 CET" in out
    assert "valparaiso_1m: due Thursday 28 March 2030 18:00 -03" in out

    listed = await call(jp_fetch, "vxkit/api/assignments", "Chloé")
    (entry,) = listed["assignments"]
    assert entry["unit"] == "squares" and entry["team"] is None and not entry["fetched"]
    assert entry["deadline"] == {"local": "2030-03-28 18:00", "utc": "2030-03-28T17:00:00+00:00"}

    folders = {}
    for name in SID:
        got = await call(jp_fetch, "vxkit/api/assignments/squares/fetch", name, "POST")
        assert got["fetched_now"] is True
        folders[name] = Path(ws.root.parent, got["path"])
        assert folders[name] == ws.root / "students" / SID[name] / "squares"

    answer(
        folders["Chloé"] / "answers.ipynb", "return x * x  # mine-chloe", 'return "Hello " + name'
    )
    # wrong square, and an "easier" test: nbgrader restores the test from the gradebook
    answer(folders["Hugo"] / "answers.ipynb", "return x + x  # mine-hugo", 'return "Hello " + name')
    edit_cell(folders["Hugo"] / "answers.ipynb", "test_square", "assert True")
    answer(folders["Inès"] / "answers.ipynb", "while True:\n        pass", 'return "Hello " + name')
    answer(folders["Valentina"] / "answers.ipynb", "return x ** 2", 'return "Hi " + name')
    (folders["Benjamín"] / "answers.ipynb").write_text('{"cells": [', encoding="utf-8")
    answer(folders["Josefa"] / "answers.ipynb", "return x * x", 'return "Hello " + name')
    edit_cell(folders["Josefa"] / "answers.ipynb", "test_square", None)

    inbound = ws.nbgrader_exchange / "grading_test" / "inbound"
    for name in SID:
        before = set(p.name for p in inbound.iterdir()) if inbound.is_dir() else set()
        # the body names someone else: it must be ignored
        got = await call(
            jp_fetch,
            "vxkit/api/assignments/squares/submit",
            name,
            "POST",
            json={"student_id": SID["Chloé"] if name != "Chloé" else SID["Hugo"]},
        )
        assert got["submitted_for"] == [name]
        (new,) = set(p.name for p in inbound.iterdir()) - before
        assert new.startswith(SID[name] + "+squares+")

    # nobody signed in as a student can submit: visitors, teachers, strangers
    assert await refused(jp_fetch, "vxkit/api/assignments/squares/submit", "tok-visitor") == 403
    assert await refused(jp_fetch, "vxkit/api/assignments/squares/submit", "tok-nobody") == 403
    assert await refused(jp_fetch, "vxkit/api/assignments/squares/submit", None) == 403

    assert vxkit(ws, "collect", "squares") == 0
    assert "Collected 6 submissions of squares." in capsys.readouterr().out

    assert vxkit(ws, "grade", "squares") == 1  # one submission could not be graded
    captured = capsys.readouterr()
    report = captured.out
    # not a terminal (a CI log): the progress is a plain line a submission, no bar redrawn
    steps = [line for line in captured.err.splitlines() if line.startswith("Grading squares")]
    assert steps[0] == "Grading squares: 0/6" and len(steps) == 7, captured.err
    assert {s.split()[2] for s in steps[1:]} == {f"{n}/6" for n in range(1, 7)}
    labels = {s.split(" ", 3)[3] for s in steps[1:]}
    assert labels == {f"{name} ({SID[name].split('-')[0]})" for name in SID}
    assert "\r" not in captured.err and "\x1b[" not in captured.err
    assert "Graded 5 of 6 submissions of squares" in report
    assert "Chloé (lyon_4b): 3 / 3" in report
    assert "Hugo (lyon_4b): 1 / 3" in report
    assert "Inès (lyon_4b): 1 / 3" in report
    assert "cell test_square ran past the time limit and was stopped (scored 0)" in report
    assert "Valentina (valparaiso_1m): 2 / 3" in report
    assert "Benjamín (valparaiso_1m): not graded" in report
    assert "answers.ipynb: the file is not a valid notebook (broken JSON); not graded" in report
    # the deleted test cell scores nothing, as nbgrader scores it
    assert "Josefa (valparaiso_1m): 1 / 3" in report

    rows = grade_rows(ws, capsys)
    assert "3 / 3" in rows["Chloé squares"] and "on time" in rows["Chloé squares"]
    assert "not graded" in rows["Benjamín squares"]

    assert vxkit(ws, "feedback", "squares") == 0
    captured = capsys.readouterr()
    assert "Released feedback on squares to 5 submitters" in captured.out
    steps = [line for line in captured.err.splitlines() if line.startswith("Feedback on")]
    assert steps[-1].startswith("Feedback on squares: 5/5 "), captured.err

    # each student fetches their own feedback, and only theirs (one Unix user for all)
    chloe = await call(jp_fetch, "vxkit/api/assignments/squares/feedback", "Chloé", "POST")
    hugo = await call(jp_fetch, "vxkit/api/assignments/squares/feedback", "Hugo", "POST")
    assert len(chloe["files"]) == 1 and len(hugo["files"]) == 1
    chloe_html = Path(ws.root.parent, chloe["files"][0]).read_text(encoding="utf-8")
    hugo_html = Path(ws.root.parent, hugo["files"][0]).read_text(encoding="utf-8")
    assert "mine-chloe" in chloe_html and "mine-hugo" not in chloe_html
    assert "mine-hugo" in hugo_html and "mine-chloe" not in hugo_html
    assert chloe["files"][0].startswith(f"workspace/students/{SID['Chloé']}/")
    benjamin = await call(jp_fetch, "vxkit/api/assignments/squares/feedback", "Benjamín", "POST")
    assert benjamin["files"] == []

    # grades: a student sees their own row, whatever they ask for; teachers see the class
    own = await call(
        jp_fetch, "vxkit/api/grades", "Hugo", params={"class": VALPO, "student": SID["Chloé"]}
    )
    assert [(g["student_id"], g["score"]) for g in own["grades"]] == [(SID["Hugo"], 1.0)]
    assert await refused(jp_fetch, "vxkit/api/grades", "tok-visitor", "GET") == 403
    teacher_view = await call(jp_fetch, "vxkit/api/grades", params={"class": VALPO})
    scores = {g["name"]: g["score"] for g in teacher_view["grades"]}
    assert scores == {"Valentina": 2.0, "Benjamín": None, "Josefa": 1.0}

    # the students' page: their own units, score and feedback link, nobody else's
    page = await jp_fetch("vxkit", "assignments", headers=as_person("Hugo"))
    text = page.body.decode()
    assert "<h1>My assignments</h1>" in text and "Hugo · lyon_4b" in text
    assert "1 / 3 · on time" in text and 'data-action="submit"' in text
    assert f"files/workspace/students/{SID['Hugo']}/squares/feedback/" in text
    assert "Chloé" not in text and "3 / 3" not in text
    teacher_page = (await jp_fetch("vxkit", "assignments")).body.decode()
    assert "<h1>Grades</h1>" in teacher_page and "Chloé" in teacher_page
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch("vxkit", "assignments", headers=as_person("tok-visitor"))
    assert info.value.code == 403


async def test_team_round_trip(jp_fetch, grading_ws: Workspace, capsys) -> None:
    ws = grading_ws
    assert vxkit(ws, "assign", "squares_team", "--team", "--due", "2030-03-28 18:00") == 0
    assert "team work" in capsys.readouterr().out

    first = await call(jp_fetch, "vxkit/api/assignments/squares_team/fetch", "Chloé", "POST")
    again = await call(jp_fetch, "vxkit/api/assignments/squares_team/fetch", "Valentina", "POST")
    assert first["fetched_now"] and not again["fetched_now"]
    assert first["path"] == again["path"] == "workspace/projects/team_rivers/squares_team"
    rivers = ws.team_dir("team_rivers") / "squares_team" / "answers.ipynb"
    answer(rivers, "return x * x", 'return "Hello " + name')  # co-edited by both
    forests = await call(jp_fetch, "vxkit/api/assignments/squares_team/fetch", "Hugo", "POST")
    answer(Path(ws.root.parent, forests["path"], "answers.ipynb"), None, 'return "Hello " + name')

    got = await call(jp_fetch, "vxkit/api/assignments/squares_team/submit", "Valentina", "POST")
    assert got == {
        "timestamp": got["timestamp"],
        "submitted_for": ["Chloé", "Valentina"],
        "team": "team_rivers",
    }
    await call(jp_fetch, "vxkit/api/assignments/squares_team/submit", "Benjamín", "POST")
    listed = await call(jp_fetch, "vxkit/api/assignments", "Chloé")
    assert listed["assignments"][0]["submitted"] == got["timestamp"]

    assert vxkit(ws, "collect", "squares_team") == 0
    out = capsys.readouterr().out
    assert "Collected 2 submissions of squares_team." in out
    assert "Not submitted yet: Inès (lyon_4b); Josefa (valparaiso_1m)." in out
    assert vxkit(ws, "grade", "squares_team") == 0
    report = capsys.readouterr().out
    assert "Graded 2 of 2 submissions" in report  # once per team, not per member
    assert sorted(p.name for p in (ws.course_dir / "autograded").iterdir()) == [
        "team_forests",
        "team_rivers",
    ]

    # both teachers see the team's score on every member, in their own class
    lyon = await call(jp_fetch, "vxkit/api/grades", params={"class": LYON})
    valpo = await call(jp_fetch, "vxkit/api/grades", params={"class": VALPO})
    scores = {g["name"]: (g["score"], g["team"]) for g in lyon["grades"] + valpo["grades"]}
    assert scores == {
        "Chloé": (3.0, "team_rivers"),
        "Valentina": (3.0, "team_rivers"),
        "Hugo": (1.0, "team_forests"),
        "Benjamín": (1.0, "team_forests"),
        "Inès": (None, None),
        "Josefa": (None, None),
    }

    early = await call(jp_fetch, "vxkit/api/assignments/squares_team/feedback", "Chloé", "POST")
    assert early == {"files": []}  # nothing returned yet: an empty answer, not an error
    assert vxkit(ws, "feedback", "squares_team") == 0
    capsys.readouterr()
    mine = await call(jp_fetch, "vxkit/api/assignments/squares_team/feedback", "Chloé", "POST")
    theirs = await call(jp_fetch, "vxkit/api/assignments/squares_team/feedback", "Hugo", "POST")
    assert [Path(f).parts[:3] for f in mine["files"]] == [("workspace", "projects", "team_rivers")]
    assert [Path(f).parts[:3] for f in theirs["files"]] == [
        ("workspace", "projects", "team_forests")
    ]
    own = await call(jp_fetch, "vxkit/api/grades", "Benjamín")
    assert [(g["name"], g["score"]) for g in own["grades"]] == [("Benjamín", 1.0)]
