"""The grading commands explain every mistake in a sentence (exit status 1, no traceback)."""

from __future__ import annotations

from pathlib import Path

import pytest

from vxkit.cli import main

from .conftest import make_workspace

pytestmark = [
    # nbgrader's gradebook: SQLAlchemy warns about its own autoflush use (PITFALLS: expected)
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"),
]


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.err.strip()


def test_mistakes_are_sentences(tmp_path: Path, capsys) -> None:
    ws = make_workspace(tmp_path / "ws")
    d = ["--dir", str(ws.root)]
    cases = [
        (
            ["grade", "squares"],
            'The unit "squares" has not been assigned yet: run `vxkit assign squares` first.',
        ),
        (["assign", "nosuch"], 'There is no unit "nosuch" to assign:'),
        (
            ["assign", "squares", "--due", "next friday"],
            'deadline of lyon_4b: "next friday" is not a deadline',
        ),
        (
            ["assign", "squares", "--due-class", "lyon_4b"],
            '--due-class: "lyon_4b" should look like',
        ),
        (["grades", "--class", "paris_2"], 'There is no class "paris_2" in this exchange'),
        (
            ["grades", "--student", "lyon_4b-nobody"],
            'There is no student with the id "lyon_4b-nobody"',
        ),
        (["grade", "squares", "--workers", "0"], "--workers must be 1 or more, not 0."),
    ]
    for argv, message in cases:
        code, err = run(capsys, *argv, *d)
        assert code == 1, argv
        assert err.startswith("vxkit: " + message), err
        assert "Traceback" not in err

    assert run(capsys, "assign", "squares", *d)[0] == 0
    code, err = run(capsys, "grade", "squares", *d)
    assert (code, err) == (
        1,
        'vxkit: There are no collected submissions of "squares": run `vxkit collect squares` first.',
    )
    code, err = run(capsys, "feedback", "squares", *d)
    assert code == 0
    code, err = run(capsys, "collect", "squares", *d)
    assert code == 0


def test_team_partners_fetching_at_once_take_turns(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from vxkit import grading

    ws = make_workspace(tmp_path / "ws", ("squares_team",))
    grading.assign(ws, "squares_team", team=True)
    partners = ["lyon_4b-chloe", "valparaiso_1m-valentina"] * 3
    with ThreadPoolExecutor(len(partners)) as pool:
        results = list(
            pool.map(lambda s: grading.fetch_assignment(ws, "squares_team", s), partners)
        )
    assert {folder for folder, _ in results} == {ws.team_dir("team_rivers") / "squares_team"}
    assert sum(fresh for _, fresh in results) == 1
    assert (ws.team_dir("team_rivers") / "squares_team" / "answers.ipynb").is_file()
