"""Comments on cells against a real `vxkit demo`: threads beside the team notebook (never in
it), answered and resolved, stamped and moderated; another team's student, a visitor and the
portfolio by every door; hostile text."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from vxkit.portfolio import build_portfolio
from vxkit.workspace import Workspace

from .conftest import TEAM_A_NOTEBOOK, Browser, Server, signed_in

REFUSED = (403, 404)
HOSTILE = "<script>alert(1)</script> ![t](https://evil.example/x.png) {{ 7*7 }} \u202eevil"


@pytest.fixture(scope="module")
def benjamin(server: Server) -> Browser:
    return signed_in(server, "valparaiso_1m", "benjamin", name="Benjamín")


@pytest.fixture(scope="module")
def cell_id(server: Server) -> str:
    nb = json.loads(server.read(TEAM_A_NOTEBOOK))
    return nb["cells"][0]["id"]


def threads(browser: Browser, path: str = TEAM_A_NOTEBOOK) -> list[dict]:
    response = browser.get(f"vxkit/api/comments?path={quote(path)}")
    assert response.status_code == 200, (browser, response.status_code, response.text)
    return response.json()["threads"]


def comment(browser: Browser, **body: object):
    return browser.post("vxkit/api/comments", {"path": TEAM_A_NOTEBOOK, **body})


def test_thread_on_a_cell_is_answered_and_resolved(
    server: Server, chloe: Browser, benjamin: Browser, cell_id: str
):
    """Chloé asks on a cell (claiming to be someone else), Benjamín answers and resolves; the
    notebook file never holds the thread."""
    before = server.read(TEAM_A_NOTEBOOK)
    started = comment(chloe, cell_id=cell_id, body="Which river is this?", name="Mr Otieno")
    assert started.status_code == 200, started.text
    thread = started.json()["thread"]
    answer = comment(benjamin, thread=thread, body="El Rhône, I think")
    assert answer.status_code == 200, answer.text
    seen = next(t for t in threads(chloe) if t["id"] == thread)
    assert seen["cell_id"] == cell_id and not seen["resolved"]
    assert [(c["name"], c["city"], c["text"]) for c in seen["comments"]] == [
        ("Chloé", "Lyon", "Which river is this?"),
        ("Benjamín", "Valparaíso", "El Rhône, I think"),
    ]
    assert seen["comments"][1]["local_time"].endswith(("+01:00", "+02:00"))  # Chloé's zone
    resolve = benjamin.post(
        "vxkit/api/comments/resolve", {"path": TEAM_A_NOTEBOOK, "thread": thread}
    )
    assert resolve.status_code == 200
    assert next(t for t in threads(chloe) if t["id"] == thread)["resolved"]
    assert server.read(TEAM_A_NOTEBOOK) == before
    assert b"Which river" not in server.read(TEAM_A_NOTEBOOK)


def test_other_team_and_visitor_by_every_door(
    server: Server, chloe: Browser, lucas: Browser, visitor: Browser, cell_id: str
):
    """Doors: Lucas reads, starts, answers or resolves team A's threads, through the path,
    an encoded path, a ``..`` path, or the store file itself; a visitor writes."""
    thread = comment(chloe, cell_id=cell_id, body="team A only").json()["thread"]
    store = f".vxkit/comments/{TEAM_A_NOTEBOOK}.json"
    attempts = {
        "read": lucas.get(f"vxkit/api/comments?path={quote(TEAM_A_NOTEBOOK)}"),
        "read dotdot": lucas.get(
            "vxkit/api/comments?path="
            + quote(f"projects/team_forests/../team_rivers/{TEAM_A_NOTEBOOK.rsplit('/', 1)[1]}")
        ),
        "start": lucas.post(
            "vxkit/api/comments", {"path": TEAM_A_NOTEBOOK, "cell_id": cell_id, "body": "x"}
        ),
        "answer": lucas.post(
            "vxkit/api/comments", {"path": TEAM_A_NOTEBOOK, "thread": thread, "body": "x"}
        ),
        "resolve": lucas.post(
            "vxkit/api/comments/resolve", {"path": TEAM_A_NOTEBOOK, "thread": thread}
        ),
        "store contents": lucas.get(f"api/contents/{store}"),
        "store files": lucas.get(f"files/{store}"),
        "visitor answers": visitor.post(
            "vxkit/api/comments", {"path": TEAM_A_NOTEBOOK, "thread": thread, "body": "x"}
        ),
        "visitor store": visitor.get(f"api/contents/{store}"),
        "hide": chloe.post("vxkit/api/moderation/hide", {"path": TEAM_A_NOTEBOOK, "id": "x"}),
    }
    opened = {door: r.status_code for door, r in attempts.items() if r.status_code not in REFUSED}
    assert opened == {}, f"doors open: {opened}"
    assert all("team A only" not in r.text for r in attempts.values())
    # a visitor reads the notebook, so its threads too (text as data), but can't comment
    assert visitor.get(f"vxkit/api/comments?path={quote(TEAM_A_NOTEBOOK)}").status_code == 200


def test_bad_input_gets_a_sentence(chloe: Browser, cell_id: str):
    for body, field in (
        ({"cell_id": "../../x", "body": "hi"}, "'cell_id'"),
        ({"cell_id": cell_id, "body": "A" * 100_000}, "'body'"),
        ({"thread": "nope", "body": "hi"}, "thread"),
    ):
        response = comment(chloe, **body)
        assert response.status_code == 400 and field in response.json()["message"], body
    response = chloe.post(
        "vxkit/api/comments",
        {"path": "projects/team_rivers/notes.txt", "cell_id": "a", "body": "x"},
    )
    assert response.status_code == 400 and "'path'" in response.json()["message"]


def test_flagged_and_hidden_comments(
    chloe: Browser, benjamin: Browser, teacher: Browser, cell_id: str
):
    """A flagged comment waits for a teacher; a hidden one keeps its text for its author only."""
    assert comment(chloe, cell_id=cell_id, body="this is stupid").status_code == 202
    assert "this is stupid" not in json.dumps(threads(benjamin))
    assert "this is stupid" in json.dumps(threads(chloe))
    held = next(
        h
        for h in teacher.get("vxkit/api/moderation").json()["held"]
        if h["text"] == "this is stupid"
    )
    assert (
        teacher.post(f"vxkit/api/moderation/held/{held['id']}", {"action": "release"}).status_code
        == 200
    )
    shown = [c for t in threads(benjamin) for c in t["comments"] if c["text"] == "this is stupid"]
    assert shown and not shown[0]["held"]
    comment_id = shown[0]["id"]
    hide = teacher.post("vxkit/api/moderation/hide", {"path": TEAM_A_NOTEBOOK, "id": comment_id})
    assert hide.status_code == 200
    hidden = next(c for t in threads(benjamin) for c in t["comments"] if c["id"] == comment_id)
    assert hidden["hidden"] and hidden["text"] == ""
    own = next(c for t in threads(chloe) for c in t["comments"] if c["id"] == comment_id)
    assert own["hidden"] and own["text"] == "this is stupid"


def test_hostile_text_stays_text_and_out_of_the_portfolio(
    server: Server, chloe: Browser, benjamin: Browser, cell_id: str
):
    """Hostile text in a comment and in the team chat comes back as data (bidi controls gone)
    and never reaches the portfolio, which renders only the notebooks."""
    assert comment(chloe, cell_id=cell_id, body=HOSTILE).status_code == 200
    assert chloe.post("vxkit/api/chats/team%3Ateam_rivers", {"body": HOSTILE}).status_code == 200
    plain = HOSTILE.replace("\u202e", "")
    assert plain in [c["text"] for t in threads(benjamin) for c in t["comments"]]
    site = build_portfolio(Workspace(server.root), "team_rivers", server.root.parent / "site")
    pages = "".join(p.read_text("utf-8") for p in site.out_dir.rglob("*.html"))
    assert "evil.example" not in pages and "7*7" not in pages and "Which river" not in pages
