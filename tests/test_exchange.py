"""The exchange model: every kind of bad input gets a message naming the field and the value."""

from __future__ import annotations

import os
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from vxkit.errors import VxkitError
from vxkit.exchange import (
    ExchangeError,
    load_exchange,
    parse_exchange,
    save_exchange,
    student_id,
)
from vxkit.workspace import template_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def base() -> dict:
    """The example exchange as parsed TOML, to break one field at a time."""
    return tomllib.loads(template_text("exchange.toml"))


def problems_of(data: dict) -> list:
    with pytest.raises(ExchangeError) as info:
        parse_exchange(data)
    return info.value.problems


def set_class(field: str, value, index: int = 0):
    def change(data: dict) -> None:
        data["classes"][index][field] = value

    return change


def set_head(field: str, value):
    def change(data: dict) -> None:
        data["exchange"][field] = value

    return change


def drop_class(field: str):
    def change(data: dict) -> None:
        del data["classes"][0][field]

    return change


def set_team(field: str, value, index: int = 0):
    def change(data: dict) -> None:
        data["teams"][index][field] = value

    return change


def second_class_same_id(data: dict) -> None:
    data["classes"][1]["id"] = data["classes"][0]["id"]


def drop_exchange_table(data: dict) -> None:
    del data["exchange"]


def only_one_class(data: dict) -> None:
    data["classes"] = data["classes"][:1]
    data["teams"] = []


def duplicate_team(data: dict) -> None:
    data["teams"][1]["id"] = data["teams"][0]["id"]


def student_in_two_teams(data: dict) -> None:
    data["teams"][1]["members"]["lyon_4b"] = ["Chloé", "Lucas"]


# (what is wrong, how to break the example, the field path named, a word the message must contain)
BAD_INPUTS = [
    ("unknown country", set_class("country", "XX"), "classes[0].country", "XX"),
    ("country name instead of code", set_class("country", "France"), "classes[0].country", '"FR"'),
    (
        "misspelled time zone",
        set_class("timezone", "Europe/Pariss"),
        "classes[0].timezone",
        "Europe/Paris",
    ),
    (
        "time zone of another country",
        set_class("timezone", "America/New_York"),
        "classes[0].timezone",
        "France",
    ),
    ("duplicate class ids", second_class_same_id, "classes[1].id", "used by two"),
    ("invalid id", set_class("id", "Lyon 4B"), "classes[0].id", "Lyon 4B"),
    ("missing school", drop_class("school"), "classes[0].school", "missing"),
    ("unparseable hours", set_class("hours", "8am to 3pm"), "classes[0].hours", "8am to 3pm"),
    ("hours end before start", set_class("hours", "15:00-08:00"), "classes[0].hours", "before"),
    (
        "hour that does not exist",
        set_class("hours", "08:00-25:00"),
        "classes[0].hours",
        "does not exist",
    ),
    ("end before start", set_head("end", "2026-01-01"), "exchange.end", "before it starts"),
    ("date that isn't one", set_head("start", "next monday"), "exchange.start", "next monday"),
    (
        "unknown school day",
        set_class("school_days", ["mon", "funday"]),
        "classes[0].school_days[1]",
        "funday",
    ),
    (
        "bad holiday range",
        set_class("holidays", ["2027-02-26..2027-02-15"]),
        "classes[0].holidays[0]",
        "before",
    ),
    (
        "unknown language",
        set_class("languages", ["fr", "klingon"]),
        "classes[0].languages[1]",
        "klingon",
    ),
    (
        "e-mail on the roster",
        set_class("students", ["chloe@example.org"]),
        "classes[0].students[0]",
        "e-mail",
    ),
    (
        "same student twice",
        set_class("students", ["Hugo", "Hugo"]),
        "classes[0].students[1]",
        "twice",
    ),
    ("latitude out of range", set_class("latitude", 123.0), "classes[0].latitude", "123"),
    ("only latitude", drop_class("longitude"), "classes[0].longitude", "both"),
    ("bad colour", set_class("colour", "blue"), "classes[0].colour", "blue"),
    ("misspelled field", set_class("timezon", "Europe/Paris"), "classes[0].timezon", "timezone"),
    ("text field with a number", set_class("city", 42), "classes[0].city", "42"),
    (
        "team member on no roster",
        set_team("members", {"lyon_4b": ["Zoé"], "nairobi_7": ["Amani"]}),
        "teams[0].members.lyon_4b[0]",
        "Zoé",
    ),
    (
        "team from one class only",
        set_team("members", {"lyon_4b": ["Chloé", "Hugo"]}),
        "teams[0].members",
        "at least two",
    ),
    (
        "team with unknown class",
        set_team("members", {"lyon_4c": ["Chloé"], "nairobi_7": ["Amani"]}),
        "teams[0].members.lyon_4c",
        "lyon_4b",
    ),
    (
        "student in two teams",
        student_in_two_teams,
        "teams[1].members.lyon_4b[0]",
        "already in team",
    ),
    ("duplicate team ids", duplicate_team, "teams[1].id", "used by two"),
    ("no exchange table", drop_exchange_table, "exchange", "missing"),
    ("one class only", only_one_class, "classes", "at least two"),
    ("invalid unit id", set_head("units", ["Meet Partners"]), "exchange.units[0]", "Meet Partners"),
]


@pytest.mark.parametrize(
    ("label", "breaker", "field", "word"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS]
)
def test_bad_input_names_field_and_value(label, breaker, field, word):
    data = base()
    breaker(data)
    problems = problems_of(data)
    matching = [p for p in problems if p.field == field]
    assert matching, f"{label}: no problem for {field}; got {[str(p) for p in problems]}"
    assert any(word in p.message for p in matching), [p.message for p in matching]


def test_every_problem_is_reported_at_once():
    data = base()
    data["classes"][0]["country"] = "XX"
    data["classes"][1]["timezone"] = "Africa/Nairobbi"
    data["classes"][1]["hours"] = "late"
    problems = problems_of(data)
    fields = {p.field for p in problems}
    assert {"classes[0].country", "classes[1].timezone", "classes[1].hours"} <= fields


def test_error_text_lists_each_problem_as_a_sentence():
    data = base()
    data["classes"][0]["timezone"] = "Europe/Pariss"
    with pytest.raises(ExchangeError) as info:
        parse_exchange(data, "exchange.toml")
    text = str(info.value)
    assert text.startswith("exchange.toml has 1 problem:")
    assert (
        'classes[0].timezone: "Europe/Pariss" is not a known time zone (did you mean "Europe/Paris"?)'
        in text
    )


def test_toml_syntax_error_is_a_problem_not_a_traceback(tmp_path: Path):
    path = tmp_path / "exchange.toml"
    path.write_text('[exchange]\ntitle = "unterminated\n', encoding="utf-8")
    with pytest.raises(ExchangeError) as info:
        load_exchange(path)
    assert "is not valid TOML" in str(info.value)
    assert "line 2" in str(info.value)


def test_missing_file_says_how_to_make_one(tmp_path: Path):
    with pytest.raises(VxkitError, match="vxkit new"):
        load_exchange(tmp_path)


def test_valid_example_loads_with_students_and_teams():
    exchange = parse_exchange(base())
    assert [c.id for c in exchange.classes] == ["lyon_4b", "nairobi_7"]
    rivers = exchange.get_team("team_rivers")
    assert [s.id for s in rivers.students()] == [
        "lyon_4b-chloe",
        "lyon_4b-hugo",
        "nairobi_7-amani",
        "nairobi_7-baraka",
    ]
    assert exchange.team_of("nairobi_7", "Imani").id == "team_forests"
    holidays = exchange.get_class("lyon_4b").holidays
    assert len(holidays) == 12  # 2027-02-15..2027-02-26 inclusive


def test_unknown_class_and_team_are_clear():
    exchange = parse_exchange(base())
    with pytest.raises(VxkitError, match=r'no class "paris".*lyon_4b, nairobi_7'):
        exchange.get_class("paris")
    with pytest.raises(VxkitError, match='no team "x"'):
        exchange.get_team("x")


def test_local_time_and_school_hours_follow_dst():
    exchange = parse_exchange(base())
    lyon = exchange.get_class("lyon_4b")
    winter = datetime(2027, 1, 12, 7, 30, tzinfo=timezone.utc)  # Tuesday, UTC+1 in Lyon
    summer = datetime(2027, 6, 15, 7, 30, tzinfo=timezone.utc)  # Tuesday, UTC+2 in Lyon
    assert lyon.local_now(winter).hour == 8
    assert lyon.local_now(summer).hour == 9
    assert lyon.in_school(winter)
    assert not lyon.in_school(datetime(2027, 2, 16, 9, 0, tzinfo=timezone.utc))  # holiday


def test_student_ids_are_path_safe_and_distinct():
    assert student_id("lyon_4b", "Chloé") == "lyon_4b-chloe"
    assert student_id("lyon_4b", "Jean-Luc") == "lyon_4b-jean_luc"
    arabic = student_id("cairo_2", "ليلى")
    assert arabic.startswith("cairo_2-u") and " " not in arabic
    assert student_id("x", "ليلى") != student_id("x", "سارة")


def test_names_that_collide_as_ids_are_reported():
    data = base()
    data["classes"][0]["students"] = ["Chloé", "Chloe"]
    data["teams"] = []
    problems = problems_of(data)
    assert any("too close" in p.message and p.value == "Chloe" for p in problems)


def test_markup_in_names_is_allowed_and_kept_verbatim():
    data = base()
    data["classes"][0]["students"].append("<img src=x onerror=alert(1)>")
    exchange = parse_exchange(data)
    assert "<img src=x onerror=alert(1)>" in exchange.get_class("lyon_4b").students


def test_save_round_trips(tmp_path: Path):
    exchange = parse_exchange(base())
    path = save_exchange(exchange, tmp_path)
    again = load_exchange(path)
    assert again.to_toml_dict() == exchange.to_toml_dict()


def test_save_refuses_an_invalid_exchange_and_keeps_the_file(tmp_path: Path):
    exchange = parse_exchange(base())
    path = save_exchange(exchange, tmp_path)
    before = path.read_bytes()
    exchange.classes[0].timezone = "Mars/Olympus"
    with pytest.raises(ExchangeError):
        save_exchange(exchange)
    assert path.read_bytes() == before


def test_failed_write_midway_leaves_old_file_intact(tmp_path: Path, monkeypatch):
    exchange = parse_exchange(base())
    path = save_exchange(exchange, tmp_path)
    before = path.read_bytes()
    exchange.title = "A new title"

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        save_exchange(exchange)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["exchange.toml"]  # no temp file left
