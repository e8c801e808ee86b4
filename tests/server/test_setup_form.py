"""The setup form's endpoints on a real classroom server: the exchange as form data, the same
field-by-field messages as `vxkit check` while a teacher types, and saving that keeps
exchange.toml's comments and never loses the file."""

from __future__ import annotations

import json
import os

import pytest

from vxkit.server.links import TEACHER_KEY
from vxkit.workspace import Workspace

COMMENTED = "# Lyon's roster: first names only  (a teacher's note)\n"


@pytest.fixture
def commented(demo_workspace: Workspace) -> bytes:
    """The demo exchange.toml with a teacher's comments in it; its bytes."""
    path = demo_workspace.exchange_file
    text = path.read_text("utf-8")
    text = text.replace('city = "Lyon"\n', 'city = "Lyon"  # the 4B, room 12\n')
    text = text.replace('students = ["Chloé"', COMMENTED + 'students = ["Chloé"')
    path.write_text(text, "utf-8")
    return path.read_bytes()


async def form(person) -> dict:
    response = await person.fetch("vxkit/api/setup")
    assert response.code == 200, response.body
    return json.loads(response.body)


async def test_the_organiser_edits_a_class_and_the_teams_and_the_comments_stay(
    person_factory, demo_workspace, commented
):
    teacher = person_factory(teacher=True)
    data = await form(teacher)
    assert [c["id"] for c in data["classes"]] == ["lyon_4b", "nairobi_7", "valparaiso_1m"]
    lyon = data["classes"][0]
    assert lyon["hours"] == "08:00-17:00" and lyon["students"][0] == "Chloé"
    assert lyon["holidays"] == ["2027-02-15..2027-02-26", "2027-04-12..2027-04-23"]
    assert data["editable"]["classes"] == ["lyon_4b", "nairobi_7", "valparaiso_1m"]
    assert data["editable"]["teams"] == "all"
    assert data["problems"] == []

    # as the teacher types: the check's messages, field by field, nothing written
    typo = {"classes": [{"id": "nairobi_7", "timezone": "Africa/Nairobbi"}]}
    check = await teacher.fetch("vxkit/api/setup/check", "POST", typo)
    assert check.code == 200
    assert json.loads(check.body)["problems"] == [
        {
            "field": "classes[1].timezone",
            "value": "Africa/Nairobbi",
            "message": '"Africa/Nairobbi" is not a known time zone (did you mean '
            '"Africa/Nairobi"?); use an IANA name like "Europe/Paris"',
        }
    ]
    assert demo_workspace.exchange_file.read_bytes() == commented

    # saving an invalid exchange: 400 with the same messages, the file as it was
    bad = await teacher.fetch("vxkit/api/setup", "PUT", {**typo, "version": data["version"]})
    assert bad.code == 400
    assert json.loads(bad.body)["problems"][0]["field"] == "classes[1].timezone"
    assert demo_workspace.exchange_file.read_bytes() == commented

    # Amani leaves the roster: she must leave her team too, or the check says so
    nairobi = [n for n in data["classes"][1]["students"] if n != "Amani"]
    rivers = data["teams"][0]
    rivers_members = {**rivers["members"], "nairobi_7": ["Baraka", "Imani"]}
    change = {
        "version": data["version"],
        "classes": [{"id": "lyon_4b", "city": "Lyon 7e"}, {"id": "nairobi_7", "students": nairobi}],
        "teams": [{**rivers, "members": rivers_members}, data["teams"][1]],
    }
    saved = await teacher.fetch("vxkit/api/setup", "PUT", change)
    assert saved.code == 200, saved.body
    after = demo_workspace.exchange_file.read_text("utf-8")
    # only the changed values are rewritten: every other byte, comments included, is kept
    expected = commented.decode("utf-8")
    expected = expected.replace('city = "Lyon"  #', 'city = "Lyon 7e"  #')
    expected = expected.replace(
        '"Amani", "Baraka", "Imani", "Zawadi"', '"Baraka", "Imani", "Zawadi"'
    )
    expected = expected.replace(
        'nairobi_7 = ["Amani", "Baraka", "Imani"]', 'nairobi_7 = ["Baraka", "Imani"]'
    )
    assert after == expected
    assert demo_workspace.load().get_class("lyon_4b").city == "Lyon 7e"

    # the version moved on: a form opened before this save can't overwrite it
    stale = await teacher.fetch("vxkit/api/setup", "PUT", change)
    assert stale.code == 409 and json.loads(stale.body)["reason"] == "changed"

    # a new team, made of pupils taken from Forests: written at the end, and its folder made
    data = await form(teacher)
    forests = data["teams"][1]
    deserts = {"lyon_4b": ["Yanis"], "valparaiso_1m": ["Tomás"]}
    smaller = {
        c: [n for n in names if n not in ("Yanis", "Tomás")]
        for c, names in forests["members"].items()
    }
    teams = [data["teams"][0], {**forests, "members": smaller}]
    teams.append({"id": "team_deserts", "name": "Deserts", "members": deserts})
    added = await teacher.fetch(
        "vxkit/api/setup", "PUT", {"version": data["version"], "teams": teams}
    )
    assert added.code == 200, added.body
    text = demo_workspace.exchange_file.read_text("utf-8")
    assert text.startswith(after.split("[[teams]]")[0])  # the classes, comments included
    assert text.rstrip().endswith(
        '[[teams]]\nid = "team_deserts"\nname = "Deserts"\n'
        'members = {lyon_4b = ["Yanis"], valparaiso_1m = ["Tomás"]}'
    )
    assert demo_workspace.load().team_of("valparaiso_1m", "Tomás").id == "team_deserts"
    assert (demo_workspace.team_dir("team_deserts") / "meet_partners.ipynb").is_file()


async def test_a_failing_save_leaves_the_old_file_byte_identical(
    person_factory, demo_workspace, commented, monkeypatch
):
    teacher = person_factory(teacher=True)
    data = await form(teacher)
    folder = demo_workspace.exchange_file.parent
    before = sorted(os.listdir(folder))

    def disk_full(*_args):
        raise OSError(28, "No space left on device")

    # the disk fills up at the last step of the atomic write (outside our control)
    monkeypatch.setattr("vxkit.files.os.replace", disk_full)
    change = {"version": data["version"], "classes": [{"id": "lyon_4b", "city": "Villeurbanne"}]}
    response = await teacher.fetch("vxkit/api/setup", "PUT", change)
    assert response.code == 500
    message = json.loads(response.body)["message"]
    assert "No space left on device" in message and "the file is as it was" in message
    assert demo_workspace.exchange_file.read_bytes() == commented
    assert sorted(os.listdir(folder)) == before  # no temporary file left behind
    monkeypatch.undo()
    retry = await teacher.fetch("vxkit/api/setup", "PUT", change)
    assert retry.code == 200
    assert 'city = "Villeurbanne"  # the 4B, room 12' in demo_workspace.exchange_file.read_text()


async def test_a_partner_teacher_edits_only_their_own_class(
    person_factory, demo_workspace, classroom_links, commented
):
    laurent = person_factory()
    joined = await laurent.join(classroom_links.code(TEACHER_KEY), name="Mme Laurent")
    assert joined.code == 302
    data = await form(laurent)
    assert data["editable"]["classes"] == ["lyon_4b"] and data["editable"]["teams"] == "own_class"
    version = data["version"]

    async def put(change: dict):
        return await laurent.fetch("vxkit/api/setup", "PUT", {"version": version, **change})

    refused = [
        {"classes": [{"id": "nairobi_7", "city": "Mombasa"}]},
        # a Nairobi pupil moved onto her own roster: a change to Nairobi's
        {
            "classes": [
                {"id": "lyon_4b", "students": [*data["classes"][0]["students"], "Kito"]},
                {"id": "nairobi_7", "students": data["classes"][1]["students"][:-1]},
            ]
        },
        # other classes' pupils swapped between teams
        {
            "teams": [
                {**data["teams"][0], "members": {**data["teams"][0]["members"], "nairobi_7": []}},
                data["teams"][1],
            ]
        },
        {"teams": [{**data["teams"][0], "name": "Our rivers"}, data["teams"][1]]},
        {"teams": data["teams"][:1]},
    ]
    for change in refused:
        for path, method in (("vxkit/api/setup", "PUT"), ("vxkit/api/setup/check", "POST")):
            body = change if method == "POST" else {"version": version, **change}
            response = await laurent.fetch(path, method, body)
            assert response.code == 403, (change, response.code, response.body)
            assert "teacher of lyon_4b" in json.loads(response.body)["message"]
    # her own class's id and teacher are not the form's to change (her sign-in hangs on them)
    renamed = await put({"classes": [{"id": "lyon_4b", "teacher": "Mr Otieno"}]})
    assert renamed.code == 400
    assert demo_workspace.exchange_file.read_bytes() == commented

    # her own class, and her own pupils in the teams: saved
    lyon = data["classes"][0]
    teams = data["teams"]
    swap = [
        {**teams[0], "members": {**teams[0]["members"], "lyon_4b": ["Chloé", "Hugo", "Lucas"]}},
        {**teams[1], "members": {**teams[1]["members"], "lyon_4b": ["Inès", "Manon", "Yanis"]}},
    ]
    change = {"classes": [{**lyon, "hours": "08:30-16:30"}], "teams": swap}
    saved = await put(change)
    assert saved.code == 200, saved.body
    exchange = demo_workspace.load()
    assert exchange.get_class("lyon_4b").hours[0].isoformat() == "08:30:00"
    assert exchange.team_of("lyon_4b", "Lucas").id == "team_rivers"
    assert COMMENTED in demo_workspace.exchange_file.read_text("utf-8")
    # still signed in as herself
    assert (await form(laurent))["editable"]["classes"] == ["lyon_4b"]


async def test_a_teacher_link_with_a_name_of_no_class_changes_nothing(
    person_factory, demo_workspace, classroom_links, commented
):
    """The teacher link with a made-up name is a teacher of no class: not the organiser."""
    smith = person_factory()
    joined = await smith.join(classroom_links.code(TEACHER_KEY), nickname="Ms Smith")
    assert joined.code == 302
    data = await form(smith)
    assert data["editable"]["classes"] == [] and data["editable"]["teams"] == "none"
    for change in (
        {"classes": [{"id": "lyon_4b", "city": "Paris"}]},
        {"teams": data["teams"][:1]},
    ):
        response = await smith.fetch(
            "vxkit/api/setup", "PUT", {"version": data["version"], **change}
        )
        assert response.code == 403, response.body
        assert "organiser" in json.loads(response.body)["message"]
    assert demo_workspace.exchange_file.read_bytes() == commented
