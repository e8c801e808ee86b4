"""Fixtures for the grading tests: a small workspace with a tiny nbgrader unit, and people."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, ClassVar

import nbformat
import pytest
from jupyter_server.auth.identity import IdentityProvider, User

from vxkit.extensions.identity import Identity
from vxkit.workspace import Workspace, scaffold

FIXTURES = Path(__file__).parent / "fixtures"
#: seconds a cell may run in tests before nbgrader stops it (an endless loop costs this much)
TEST_TIMEOUT = 4


def make_workspace(root: Path, units: tuple[str, ...] = ("squares",)) -> Workspace:
    """A workspace with the test exchange; each unit is a copy of the tiny fixture unit."""
    ws, _ = scaffold(root, (FIXTURES / "exchange.toml").read_text(encoding="utf-8"))
    for unit in units:
        shutil.copytree(FIXTURES / "source" / "squares", ws.course_dir / "source" / unit)
    config = ws.root / "nbgrader_config.py"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("c.Execute.timeout = 60", f"c.Execute.timeout = {TEST_TIMEOUT}"),
        encoding="utf-8",
    )
    assert f"timeout = {TEST_TIMEOUT}" in config.read_text(encoding="utf-8")
    return ws


def answer(path: Path, square: str | None, greet: str | None) -> None:
    """Fill in the released notebook's two answers (None leaves one unanswered)."""
    nb = nbformat.read(path, as_version=4)
    answers = [square, greet]
    for cell in nb.cells:
        if "raise NotImplementedError()" in cell.source and answers:
            body = answers.pop(0)
            if body is not None:
                cell.source = cell.source.replace("raise NotImplementedError()", body)
    nbformat.write(nb, path)


def edit_cell(path: Path, grade_id: str, source: str | None) -> None:
    """Replace (or, with None, delete) the cell with this nbgrader grade_id."""
    nb = nbformat.read(path, as_version=4)
    kept = []
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            if source is None:
                continue
            cell.source = source
        kept.append(cell)
    nb.cells = kept
    nbformat.write(nb, path)


class TokenIdentityProvider(IdentityProvider):
    """Test sign-in: each person has their own token (as a join link gives them a cookie).

    The identity comes from server-side state, as with the real join links; the server's
    own token stays the teacher's.
    """

    people: ClassVar[dict[str, Identity]] = {}

    async def get_user(self, handler: Any) -> User | None:
        header = handler.request.headers.get("Authorization", "")
        token = header[len("token ") :] if header.startswith("token ") else ""
        who = self.people.get(token)
        if who is not None:
            user = User(username=who.student_id or who.name, name=who.name)
            user.vxkit = who  # type: ignore[attr-defined]
            # a header token, like the server's own token, can't be sent by another site
            handler._token_authenticated = True
            return user
        return await super().get_user(handler)


@pytest.fixture
def grading_ws(jp_root_dir: Path) -> Workspace:
    """The test exchange inside the server's root folder, with units squares and squares_team."""
    return make_workspace(jp_root_dir / "workspace", ("squares", "squares_team"))


@pytest.fixture
def jp_server_config(grading_ws: Workspace) -> dict[str, Any]:
    """A server with vxkit on the grading workspace and token sign-in per person."""
    return {
        "ServerApp": {
            "jpserver_extensions": {"vxkit": True},
            "identity_provider_class": TokenIdentityProvider,
        },
        "VxkitApp": {"workspace": str(grading_ws.root)},
    }
