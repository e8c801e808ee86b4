"""Local deadlines: each class's own wall clock, daylight saving time included."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from vxkit import grading
from vxkit.cli import main
from vxkit.errors import VxkitError
from vxkit.grading.deadlines import (
    assignment_duedate,
    class_deadlines,
    extension_for,
    parse_local,
    resolve_deadlines,
)

from .conftest import make_workspace

pytestmark = [
    # nbgrader's gradebook: SQLAlchemy warns about its own autoflush use (PITFALLS: expected)
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"),
]

PARIS, SANTIAGO = ZoneInfo("Europe/Paris"), ZoneInfo("America/Santiago")
UTC = timezone.utc


def test_same_wall_clock_differs_across_a_dst_change() -> None:
    # Paris springs forward on 2027-03-28: 18:00 is UTC+2 that day, UTC+1 the day before
    assert parse_local("2027-03-27 18:00", PARIS, "d") == datetime(2027, 3, 27, 17, tzinfo=UTC)
    assert parse_local("2027-03-28 18:00", PARIS, "d") == datetime(2027, 3, 28, 16, tzinfo=UTC)
    # Santiago falls back at the start of 2027-04-04: 18:00 is UTC-4 that day, UTC-3 before
    assert parse_local("2027-04-03 18:00", SANTIAGO, "d") == datetime(2027, 4, 3, 21, tzinfo=UTC)
    assert parse_local("2027-04-04 18:00", SANTIAGO, "d") == datetime(2027, 4, 4, 22, tzinfo=UTC)


def test_skipped_and_repeated_hours() -> None:
    with pytest.raises(VxkitError, match=r'"2027-03-28 02:30" does not exist in Europe/Paris'):
        parse_local("2027-03-28 02:30", PARIS, "deadline of lyon_4b")
    # 23:30 happens twice in Santiago on 2027-04-03: the later one, so nobody loses time
    later = parse_local("2027-04-03 23:30", SANTIAGO, "d")
    assert later.astimezone(UTC) == datetime(2027, 4, 4, 3, 30, tzinfo=UTC)


@pytest.mark.parametrize("text", ["tomorrow", "2027-13-01 10:00", "2027-03-28", "28/03/2027 18:00"])
def test_bad_deadlines_are_sentences(text: str) -> None:
    with pytest.raises(VxkitError, match=r"^deadline of lyon_4b: .*") as info:
        parse_local(text, PARIS, "deadline of lyon_4b")
    assert text in str(info.value)


def test_extensions_follow_each_class(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws", ())
    exchange = ws.load()
    texts = resolve_deadlines(exchange, "2027-03-28 18:00", {"valparaiso_1m": "2027-04-04 18:00"})
    assert texts == {"lyon_4b": "2027-03-28 18:00", "valparaiso_1m": "2027-04-04 18:00"}
    moments = class_deadlines(exchange, texts)
    assert assignment_duedate(moments) == datetime(2027, 3, 28, 16)
    assert extension_for(moments, "lyon_4b") is None
    assert extension_for(moments, "valparaiso_1m") == timedelta(days=7, hours=6)
    with pytest.raises(VxkitError, match='There is no class "paris_2"'):
        resolve_deadlines(exchange, None, {"paris_2": "2027-03-28 18:00"})


def test_lateness_on_dst_change_days_in_both_zones(tmp_path: Path, capsys) -> None:
    """Real nbgrader judges four submissions, two per class, around each class's deadline
    set on the day its clocks change; an offset taken from the day before gets all four
    wrong."""
    ws = make_workspace(tmp_path / "ws", ("squares", "squares_team"))
    due = [
        "--due-class",
        "lyon_4b=2027-03-28 18:00",
        "--due-class",
        "valparaiso_1m=2027-04-04 18:00",
    ]
    assert main(["assign", "squares", *due, "--dir", str(ws.root)]) == 0
    out = capsys.readouterr().out
    assert "lyon_4b: due Sunday 28 March 2027 18:00 CEST (Europe/Paris; 16:00 UTC)" in out
    assert "valparaiso_1m: due Sunday 04 April 2027 18:00 -04 (America/Santiago; 22:00 UTC)" in out

    submitted_at = {
        "lyon_4b-chloe": "2027-03-28 15:59:00.000000 UTC",  # 1 min early (CEST)
        "lyon_4b-hugo": "2027-03-28 16:30:00.000000 UTC",  # 30 min late (CET would say early)
        "valparaiso_1m-valentina": "2027-04-04 21:30:00.000000 UTC",  # early (-03 says late)
        "valparaiso_1m-benjamin": "2027-04-04 22:10:00.000000 UTC",  # 10 min late
    }
    inbound = ws.nbgrader_exchange / "grading_test" / "inbound"
    for sid, stamp in submitted_at.items():
        grading.fetch_assignment(ws, "squares", sid)
        grading.submit(ws, "squares", sid)
        (folder,) = inbound.glob(f"{sid}+squares+*")
        (folder / "timestamp.txt").write_text(stamp, encoding="utf-8")

    assert main(["collect", "squares", "--dir", str(ws.root)]) == 0
    out = capsys.readouterr().out
    assert "Hugo (lyon_4b) (late: Hugo 30 min late)" in out
    assert "Benjamín (valparaiso_1m) (late: Benjamín 10 min late)" in out
    assert "Chloé (lyon_4b)\n" in out and "Valentina (valparaiso_1m)\n" in out

    assert main(["grade", "squares", "--dir", str(ws.root)]) == 0
    capsys.readouterr()
    late = {r.student_id: r.seconds_late for r in grading.grades(ws) if r.score is not None}
    assert late == {
        "lyon_4b-chloe": 0.0,
        "lyon_4b-hugo": 1800.0,
        "valparaiso_1m-valentina": 0.0,
        "valparaiso_1m-benjamin": 600.0,
    }

    # team work: one submission, each member judged by their own class's deadline
    assert main(["assign", "squares_team", "--team", *due, "--dir", str(ws.root)]) == 0
    grading.fetch_assignment(ws, "squares_team", "lyon_4b-chloe")
    grading.submit(ws, "squares_team", "valparaiso_1m-valentina")
    (folder,) = inbound.glob("team_rivers+squares_team+*")
    (folder / "timestamp.txt").write_text("2027-03-28 16:30:00.000000 UTC", encoding="utf-8")
    assert main(["collect", "squares_team", "--dir", str(ws.root)]) == 0
    assert main(["grade", "squares_team", "--dir", str(ws.root)]) == 0
    capsys.readouterr()
    team = {
        r.student_id: r.seconds_late
        for r in grading.grades(ws)
        if r.unit == "squares_team" and r.score is not None
    }
    assert team == {"lyon_4b-chloe": 1800.0, "valparaiso_1m-valentina": 0.0}

    # one student's own view, and a CSV for the Valparaíso teacher
    assert main(["grades", "--student", "lyon_4b-hugo", "--dir", str(ws.root)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split() for line in lines[1:]] == [
        ["Hugo", "lyon_4b", "squares", "0", "/", "3", "30", "min", "late"],
        ["Hugo", "lyon_4b", "squares_team", "-", "team_forests", "not", "submitted"],
    ]
    csv_path = tmp_path / "valpo.csv"
    args = ["grades", "--class", "valparaiso_1m", "--csv", str(csv_path), "--dir", str(ws.root)]
    assert main(args) == 0
    rows = csv_path.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("student_id,name,class_id,unit,score,max_score,seconds_late")
    assert rows[1:] == [
        "valparaiso_1m-valentina,Valentina,valparaiso_1m,squares,0.0,3.0,0.0,,on time",
        "valparaiso_1m-benjamin,Benjamín,valparaiso_1m,squares,0.0,3.0,600.0,,10 min late",
        "valparaiso_1m-josefa,Josefa,valparaiso_1m,squares,,3.0,0.0,,not submitted",
        "valparaiso_1m-valentina,Valentina,valparaiso_1m,squares_team,0.0,3.0,0.0,team_rivers,on time",
        "valparaiso_1m-benjamin,Benjamín,valparaiso_1m,squares_team,,3.0,0.0,team_forests,not submitted",
        "valparaiso_1m-josefa,Josefa,valparaiso_1m,squares_team,,3.0,0.0,,not submitted",
    ]
