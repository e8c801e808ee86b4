"""Peer review across partner classes: anonymised work out, rubric answers back."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from vxkit import grading
from vxkit.cli import main

from .conftest import answer, make_workspace

pytestmark = [
    # nbgrader's gradebook: SQLAlchemy warns about its own autoflush use (PITFALLS: expected)
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"),
]


def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_teams_review_each_other_anonymously(tmp_path: Path, capsys) -> None:
    ws = make_workspace(tmp_path / "ws", ("squares_team",))
    d = ["--dir", str(ws.root)]
    assert main(["assign", "squares_team", "--team", "--due", "2099-01-01 12:00", *d]) == 0
    rivers, _ = grading.fetch_assignment(ws, "squares_team", "lyon_4b-chloe")
    forests, _ = grading.fetch_assignment(ws, "squares_team", "valparaiso_1m-benjamin")
    answer(rivers / "answers.ipynb", "return x * x  # Chloé and Valentina (Rivers)", None)
    answer(forests / "answers.ipynb", "return x * x  # by hugo, benjamín of team_forests", None)
    grading.submit(ws, "squares_team", "valparaiso_1m-valentina")
    grading.submit(ws, "squares_team", "lyon_4b-hugo")
    assert main(["collect", "squares_team", *d]) == 0
    capsys.readouterr()

    # too early: the deadline is still ahead
    assert main(["peer-review", "squares_team", *d]) == 1
    err = capsys.readouterr().err
    assert "Peer review starts after the deadline: lyon_4b's deadline (2099-01-01 12:00 CET)" in err

    assert main(["assign", "squares_team", "--team", "--due", "2026-01-05 18:00", *d]) == 0
    capsys.readouterr()
    rubric = tmp_path / "rubric.txt"
    rubric.write_text("Is the square right?\n\nWhat would you add?\n", encoding="utf-8")
    assert main(["peer-review", "squares_team", "--rubric", str(rubric), *d]) == 0
    out = capsys.readouterr().out
    assert (
        "team team_forests: Hugo (lyon_4b), Benjamín (valparaiso_1m) reviews team team_rivers"
        in out
    )
    assert (
        "team team_rivers: Chloé (lyon_4b), Valentina (valparaiso_1m) reviews team team_forests"
        in out
    )

    # Rivers gets Forests' work with every name removed, and a review notebook
    to_review = ws.team_dir("team_rivers") / "squares_team_peer_review"
    (work,) = to_review.glob("work_*_answers.ipynb")
    text = text_of(work)
    assert "return x * x  # by [name removed], [name removed] of [name removed]" in text
    for name in ("Hugo", "hugo", "Benjamín", "benjamín", "team_forests", "Forests", "valparaiso"):
        assert name not in text
    (review,) = to_review.glob("review_*.ipynb")
    nb = nbformat.read(review, as_version=4)
    questions = [c.source for c in nb.cells if c.source.startswith("**Question")]
    assert questions == [
        "**Question 1.** Is the square right?",
        "**Question 2.** What would you add?",
    ]

    # Rivers answers one question; the review reaches Forests and both teachers
    for cell in nb.cells:
        if cell.metadata.get("vxkit", {}).get("review_question") == 1:
            cell.source = "Yes, and the comment helps. <script>alert(1)</script>"
    nbformat.write(nb, review)
    assert main(["peer-review", "squares_team", "--return", *d]) == 0
    out = capsys.readouterr().out
    assert "Returned 2 peer reviews of squares_team." in out
    assert "(shown as work" in out and "(1 answers)" in out and "(0 answers)" in out
    (received,) = (ws.team_dir("team_forests") / "squares_team_reviews").glob("*.ipynb")
    assert "Yes, and the comment helps." in text_of(received)
    assert "Chloé" not in text_of(received) and "Rivers" not in text_of(received)
    filed = sorted(p.name for p in (ws.course_dir / "peer_reviews" / "squares_team").iterdir())
    assert filed == [
        "team_forests_reviewed_by_team_rivers.ipynb",
        "team_rivers_reviewed_by_team_forests.ipynb",
    ]
