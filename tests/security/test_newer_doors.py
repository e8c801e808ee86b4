"""Doors opened since the last red-team pass: a class without a roster (pupils type a
nickname), the kit's own curriculum as seen from a pupil's kernel, the team presence and
``/vxkit/api/me`` answers, and who a hub login makes of a hub user name.

One server for the module: the demo workspace plus a class without a roster (Genève),
whose pupils join by nickname."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vxkit.directory import hub_identity
from vxkit.exchange import load_exchange

from .conftest import LINKS_FILE, UNIT, Browser, Server, code_of, vxkit_cli
from .test_kernel_sandbox import in_own_kernel

NICKNAME_CLASS = "geneva_x"
GENEVA = f"""
[[classes]]
id = "{NICKNAME_CLASS}"
school = "Cycle d'orientation du Léman"
city = "Genève"
country = "CH"
timezone = "Europe/Zurich"
teacher = "M. Favre"
languages = ["fr"]
hours = "08:00-16:00"
latitude = 46.2
longitude = 6.15
"""


@pytest.fixture(scope="module")
def template_workspace(template_workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The red team's demo workspace with one more class, Genève, that has no roster."""
    import shutil

    root = tmp_path_factory.mktemp("redteam-nickname") / "demo"
    shutil.copytree(template_workspace, root, symlinks=True)
    toml = root / "exchange.toml"
    toml.write_text(toml.read_text("utf-8") + GENEVA, "utf-8")
    load_exchange(toml)  # the harness's exchange must stay valid
    return root


@pytest.fixture(scope="module")
def geneva_code(server: Server) -> str:
    """The Genève class's join code, as `vxkit links` prints it."""
    return code_of(vxkit_cli("links", str(server.root)), NICKNAME_CLASS)


def nickname_join(server: Server, code: str, nickname: str) -> Browser:
    """A fresh browser that opens the Genève link and types ``nickname``."""
    browser = Browser(server, label=f"nickname {nickname!r}")
    response = browser.join(code, nickname=nickname)
    if response.status_code == 302:
        browser.get(response.headers["Location"].removeprefix("/"))
    browser.join_status = response.status_code  # type: ignore[attr-defined]
    return browser


@pytest.fixture(scope="module")
def zoe(server: Server, geneva_code: str) -> Browser:
    """Zoé, a Genève pupil who typed her nickname and keeps a diary in her own folder."""
    zoe = nickname_join(server, geneva_code, "Zoé")
    assert zoe.join_status == 302, "Zoé could not join her class by nickname"  # type: ignore[attr-defined]
    me = zoe.get("api/me").json()["identity"]["vxkit"]
    folder = f"students/{me['student_id']}"
    put = zoe.put(
        f"api/contents/{folder}/diary.txt",
        {"type": "file", "format": "text", "content": "Zoé's diary: DIARY-SECRET"},
    )
    assert put.status_code in (200, 201), (put.status_code, put.text[:300])
    zoe.folder = folder  # type: ignore[attr-defined]
    return zoe


@pytest.mark.parametrize("lookalike", ["Zoe", "ZOE!", "zoé.", "Zoe_"])
def test_lookalike_nickname_does_not_share_a_pupils_folder(
    server: Server, geneva_code: str, zoe: Browser, lookalike: str
):
    """Door: in a class without a roster, the nickname is claimed as typed (folded for case
    and spacing), but the student id that names her folder, her hand-ins and her grades
    drops accents and punctuation: a classmate typing "Zoe" while Zoé's "Zoé" is taken
    becomes the same student id and reads her folder."""
    mallory = nickname_join(server, geneva_code, lookalike)
    if mallory.join_status != 302:  # type: ignore[attr-defined]
        return  # refused with a sentence: the door is shut
    me = mallory.get("api/me").json()["identity"]["vxkit"]
    assert f"students/{me['student_id']}" != zoe.folder  # type: ignore[attr-defined]
    response = mallory.get(f"api/contents/{zoe.folder}/diary.txt")  # type: ignore[attr-defined]
    assert response.status_code in (403, 404), response.text[:300]
    assert "DIARY-SECRET" not in response.text


def test_the_same_browser_gets_her_nickname_back(server: Server, geneva_code: str, zoe: Browser):
    """Not an attack: Zoé's own browser types her nickname again (after closing the tab)
    and is Zoé again, in her folder."""
    again = zoe.join(geneva_code, nickname="Zoé")
    assert again.status_code == 302, again.text[:300]
    assert "DIARY-SECRET" in zoe.get(f"api/contents/{zoe.folder}/diary.txt").text  # type: ignore[attr-defined]


async def test_sandbox_kernel_cannot_read_the_kits_curriculum(
    server: Server, chloe: Browser, team_a_session: dict
):
    """Door: the kit's curriculum is installed with vxkit (``share/vxkit/curriculum``, or the
    checkout of an editable install): nbgrader source notebooks with every solution and
    hidden test, and the teachers' guides. A kernel may read the Python installation it
    runs from, so four lines in Chloé's kernel print the solutions of every unit. (Listing
    the folder stays possible: the importer lists the folders around it; unit names are
    public.)"""
    code = (
        "import os, sys\n"
        "from vxkit.workspace import curriculum_dir\n"
        "places = set()\n"
        "try:\n"
        "    places.add(str(curriculum_dir()))\n"
        "except Exception as err:\n"
        "    print('NOT FOUND', type(err).__name__)\n"
        "places.add(os.path.join(sys.prefix, 'share', 'vxkit', 'curriculum'))\n"
        "import vxkit\n"
        "places.add(os.path.join(os.path.dirname(os.path.dirname(vxkit.__file__)), 'curriculum'))\n"
        "for place in sorted(places):\n"
        f"    for name in ('individual.ipynb', 'teacher_guide.md'):\n"
        f"        path = os.path.join(place, {UNIT!r}, name)\n"
        "        try:\n"
        "            print('READ', path, open(path).read()[:20000])\n"
        "        except FileNotFoundError:\n"
        "            print('ABSENT', path)\n"
        "        except Exception as err:\n"
        "            print('DENIED', path, type(err).__name__)\n"
        "    try:\n"
        "        print('LIST', place, os.listdir(place))\n"
        "    except Exception as err:\n"
        "        print('DENIED', place, type(err).__name__)\n"
    )
    output = await in_own_kernel(chloe, team_a_session, code)
    assert "DENIED" in output, output[:500]  # the curriculum is there, and closed
    assert "BEGIN SOLUTION" not in output and "BEGIN HIDDEN" not in output, output[:500]
    assert "Teacher guide" not in output, output[:500]
    assert not [line for line in output.splitlines() if line.startswith("READ ")], output[:500]


async def test_sandbox_kernel_still_imports_vxkit_and_its_widgets(
    chloe: Browser, team_a_session: dict
):
    """Not an attack: with the curriculum closed, Chloé's kernel still imports vxkit's
    widgets and reads the kit's offline data (the installation around the curriculum)."""
    code = (
        "import vxkit.widgets\n"
        "from vxkit.data.catalogue import list_indicators\n"
        "from vxkit.data.countries import countries\n"
        "print('OK', len(list_indicators()) > 0 and len(countries()) > 0)\n"
    )
    output = await in_own_kernel(chloe, team_a_session, code)
    assert "OK True" in output, output


def test_team_presence_answers_for_the_askers_team_only(chloe: Browser, visitor: Browser):
    """Door: Chloé asks ``/vxkit/api/team`` for team B (a query, a path, a header); the
    visitor asks for any team. Only her own team comes back; the visitor gets none."""
    for path in ("vxkit/api/team?team=team_forests", "vxkit/api/team?team_id=team_forests"):
        body = chloe.get(path, headers={"X-Vxkit-Team": "team_forests"}).json()
        assert body["team"] == "team_rivers" and body["folder"] == "projects/team_rivers"
        names = {m["name"] for m in body["members"]}
        assert "Lucas" not in names and "Chloé" in names, body
    assert chloe.get("vxkit/api/team/team_forests").status_code in (403, 404)
    body = visitor.get("vxkit/api/team?team=team_rivers").json()
    assert body == {"team": None, "members": []}


def test_me_tells_a_student_no_teachers_tools(chloe: Browser, visitor: Browser):
    """Door: the front end shows what ``/vxkit/api/me`` allows; a student or visitor whose
    answer said "dashboard" or "terminals" would get the teachers' tools shown (and their
    requests still refused). No query changes the answer."""
    for who in (chloe, visitor):
        for query in ("", "?role=teacher", "?as=teacher"):
            me = who.get("vxkit/api/me" + query).json()
            assert me["role"] in ("student", "visitor"), me
            caps = me["capabilities"]
            assert not any(caps[k] for k in ("terminals", "nbgrader_ui", "dashboard")), me
            assert not caps["extension_manager"], me


@pytest.mark.parametrize(
    ("hub_name", "groups"),
    [
        ("LYON_4B-CHLOE", []),
        ("lyon_4b-chloé", []),
        ("lyon_4b-chloe ", []),
        ("lyon_4b-chlo\u0435", []),  # a Cyrillic е
        ("Lyon_4b-Teacher", []),
        ("vx-vxkit_demo", []),
        ("vx-vxkit_demo", ["vx-vxkit_demo-visitors"]),
        ("lyon_4b-chloe", ["VX-VXKIT_DEMO-VISITORS"]),
    ],
)
def test_hub_name_variants_are_nobody(template_workspace: Path, hub_name: str, groups: list[str]):
    """Door: on a hub, the hub user name says who someone is. A name that only looks like a
    roster id or a teacher's account (case, a trailing space, an accent, a Cyrillic letter),
    or the exchange server's own account, must be nobody (a visitor at most when the hub
    puts them in the visitors group); never a student or a teacher."""
    exchange = load_exchange(template_workspace / "exchange.toml")
    identity = hub_identity(exchange, hub_name, groups)
    if hub_name == "lyon_4b-chloe":  # the real id: she is Chloé whatever groups say
        assert identity is not None and identity.student_id == "lyon_4b-chloe"
        return
    visitor = "vx-vxkit_demo-visitors" in groups
    if visitor:
        assert identity is not None and identity.role == "visitor", identity
        assert identity.name.endswith("(visitor)")
    else:
        assert identity is None, identity


def test_hub_visitor_named_like_a_student_stays_a_visitor(template_workspace: Path):
    """Door: a member of the visitors group whose hub name is a student's display name (not
    her id) is a visitor marked as such, never that student."""
    exchange = load_exchange(template_workspace / "exchange.toml")
    identity = hub_identity(exchange, "Chloé", ["vx-vxkit_demo-visitors"])
    assert identity is not None and identity.role == "visitor"
    assert identity.student_id is None and identity.name == "Chloé (visitor)"
    assert json.dumps(identity.as_dict())  # a plain identity, no internals


@pytest.fixture(scope="module")
def real_chloe(server: Server) -> Browser:
    """Chloé from her sign-in card (the class link with her personal code): proved."""
    card = json.loads(server.read(LINKS_FILE))["cards"]["lyon_4b-chloe"]["code"]
    chloe = Browser(server, label="real chloe")
    response = chloe.get(f"vxkit/join/{server.codes['lyon_4b']}?card={card}")
    assert response.status_code == 302, (response.status_code, response.text[:300])
    chloe.get(response.headers["Location"].removeprefix("/"))
    assert chloe.get("vxkit/api/me").json()["verified"] is True
    return chloe


@pytest.fixture(scope="module")
def chloes_work(real_chloe: Browser) -> str:
    """Chloé fetched the unit into her own folder and wrote her answer: its API path."""
    fetched = real_chloe.post(f"vxkit/api/assignments/{UNIT}/fetch")
    assert fetched.status_code == 200, fetched.text[:300]
    folder = fetched.json()["path"]
    assert folder.startswith("students/lyon_4b-chloe"), folder
    path = f"{folder}/answer.txt"
    put = real_chloe.put(
        f"api/contents/{path}", {"type": "file", "format": "text", "content": "CHLOE-ANSWER"}
    )
    assert put.status_code in (200, 201), put.text[:300]
    return path


def test_picked_name_does_not_open_that_students_own_folder(
    server: Server, chloe: Browser, chloes_work: str
):
    """Door: Hugo clicks "Chloé" on the class link (no personal code). Grades and hand-ins
    ask for her code, but her own folder (her fetched assignment, her answers, the feedback
    the teachers return there) answered him: he read her work, rewrote it before she handed
    it in, and ran code in a kernel there."""
    folder = chloes_work.rsplit("/", 1)[0]
    assert chloe.get("vxkit/api/me").json()["verified"] is False
    for path in (chloes_work, folder, "students/lyon_4b-chloe"):
        response = chloe.get(f"api/contents/{path}")
        assert response.status_code in (403, 404), (path, response.text[:300])
        assert "CHLOE-ANSWER" not in response.text
    assert chloe.get(f"files/{chloes_work}").status_code in (403, 404)
    put = chloe.put(
        f"api/contents/{chloes_work}", {"type": "file", "format": "text", "content": "HUGO"}
    )
    assert put.status_code in (403, 404), put.text[:300]
    assert server.read(chloes_work) == b"CHLOE-ANSWER"
    session = chloe.post(
        "api/sessions",
        {"path": f"{folder}/x.ipynb", "type": "notebook", "kernel": {"name": "python3"}},
    )
    assert session.status_code in (403, 404), session.text[:300]


def test_proved_student_keeps_her_own_folder(real_chloe: Browser, chloes_work: str):
    """Not an attack: Chloé, with her personal code, reads and writes her own folder."""
    assert "CHLOE-ANSWER" in real_chloe.get(f"api/contents/{chloes_work}").text
    put = real_chloe.put(
        f"api/contents/{chloes_work}", {"type": "file", "format": "text", "content": "CHLOE-ANSWER"}
    )
    assert put.status_code == 200, put.text[:300]


def _script_notebook(marker: str) -> dict:
    """A notebook whose one code cell claims to be trusted and carries script outputs."""
    outputs = {
        "application/javascript": f"window.{marker} = 1",
        "text/html": f"<img src=x onerror='window.{marker} = 2'>",
    }
    cell = {
        "cell_type": "code",
        "id": "hello",
        "metadata": {"trusted": True},
        "execution_count": 1,
        "source": "print('hello')",
        "outputs": [{"output_type": "display_data", "metadata": {}, "data": outputs}],
    }
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [cell]}


@pytest.mark.parametrize("how", ["contents", "trust"])
def test_a_pupils_notebook_is_never_trusted_for_the_teacher(
    server: Server, chloe: Browser, teacher: Browser, how: str
):
    """Door: Jupyter's notebook trust is single-user. The server signs any notebook saved
    with every cell marked ``trusted``, and tells whoever opens it later that its cells
    are trusted, so JupyterLab runs their JavaScript and HTML outputs. Chloé saves such a
    notebook in her team folder (or asks the server to trust it): when her teacher opens it
    to look at the team's work, her script runs in the teacher's browser, with the teacher's
    rights (the solutions, the gradebook, the links)."""
    path = f"projects/team_rivers/look_{how}.ipynb"
    body = {"type": "notebook", "format": "json", "content": _script_notebook("PWNED")}
    assert chloe.put(f"api/contents/{path}", body).status_code in (200, 201)
    if how == "trust":
        chloe.post(f"api/contents/{path}/trust")
    model = teacher.get(f"api/contents/{path}").json()
    assert not [c for c in model["content"]["cells"] if c["metadata"].get("trusted")], model


def test_a_teachers_own_trust_is_not_kept_either(server: Server, teacher: Browser):
    """Not an attack, the other side of the fix: nothing the server stores says "trusted"
    (a notebook can have many writers), so the teacher's own notebooks open untrusted too
    and show their script outputs again once their cells run."""
    path = "course/teacher_scratch.ipynb"
    body = {"type": "notebook", "format": "json", "content": _script_notebook("MINE")}
    assert teacher.put(f"api/contents/{path}", body).status_code in (200, 201)
    model = teacher.get(f"api/contents/{path}").json()
    assert model["content"]["cells"][0]["metadata"].get("trusted") is False


def test_pupils_html_is_served_in_a_sandbox_for_the_teacher(chloe: Browser, teacher: Browser):
    """Door: Chloé saves an HTML page, an SVG image and a notebook with script outputs in
    her team folder, and sends her teacher the link (``files/``, ``view/``, or the notebook
    exported as HTML or slides). Served from the server's own address, their scripts would
    act with the teacher's cookie. Each must come with a CSP sandbox that keeps the page out
    of the server's origin (scripts may run, ``allow-same-origin`` never)."""
    folder = "projects/team_rivers"
    files = {
        "page.html": "<script>window.PWNED = 1</script>",
        "image.svg": "<svg xmlns='http://www.w3.org/2000/svg'><script>window.PWNED=1</script></svg>",
    }
    for name, text in files.items():
        body = {"type": "file", "format": "text", "content": text}
        assert chloe.put(f"api/contents/{folder}/{name}", body).status_code in (200, 201)
    notebook = {"type": "notebook", "format": "json", "content": _script_notebook("PWNED")}
    assert chloe.put(f"api/contents/{folder}/export.ipynb", notebook).status_code in (200, 201)
    for url in (
        f"files/{folder}/page.html",
        f"files/{folder}/image.svg",
        f"nbconvert/html/{folder}/export.ipynb",
        f"nbconvert/html/{folder}/export.ipynb?download=false",
        f"nbconvert/slides/{folder}/export.ipynb",
    ):
        response = teacher.get(url)
        assert response.status_code == 200, (url, response.status_code)
        policy = response.headers.get("Content-Security-Policy", "")
        directives = [d.strip() for d in policy.split(";")]
        sandbox = [d for d in directives if d.startswith("sandbox")]
        assert sandbox and "allow-same-origin" not in sandbox[0], (url, policy)
    page = teacher.get(f"view/{folder}/page.html")  # the viewer frames the sandboxed file
    assert page.status_code == 200 and "PWNED" not in page.text
