"""Fixtures for the grading tests: a small workspace with a tiny nbgrader unit, and people."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import nbformat
import pytest
from jupyter_server.auth.identity import IdentityProvider, User

from vxkit.server.identity import Identity, user_for
from vxkit.workspace import Workspace, scaffold

FIXTURES = Path(__file__).parent / "fixtures"
#: seconds a cell may run in tests before nbgrader stops it (an endless loop costs this much)
TEST_TIMEOUT = 4


def make_workspace(
    root: Path, units: tuple[str, ...] = ("squares",), db_url: str | None = None
) -> Workspace:
    """A workspace with the test exchange; each unit is a copy of the tiny fixture unit.

    ``db_url`` puts the gradebook elsewhere (e.g. PostgreSQL), as a teacher would: in the
    workspace's nbgrader_config.py.
    """
    ws, _ = scaffold(root, (FIXTURES / "exchange.toml").read_text(encoding="utf-8"))
    for unit in units:
        shutil.copytree(FIXTURES / "source" / "squares", ws.course_dir / "source" / unit)
    config = ws.root / "nbgrader_config.py"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("c.Execute.timeout = 60", f"c.Execute.timeout = {TEST_TIMEOUT}"),
        encoding="utf-8",
    )
    if db_url:
        with config.open("a", encoding="utf-8") as handle:
            handle.write(f"c.CourseDirectory.db_url = {db_url!r}\n")
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
            # each test person proved who they are, as with their personal code
            user = user_for(who, who.student_id or who.name, verified=True)
            # a header token, like the server's own token, can't be sent by another site
            handler._token_authenticated = True
            return user
        user = await super().get_user(handler)
        if user is None:
            return None
        return user_for(Identity("teacher", "Teacher"), user.username, via="token")


def _as_postgres(argv: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root (CI and this machine run as root)
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL server (Debian's package) on a Unix socket; yields its base URL."""
    installed = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    initdb = shutil.which("initdb") or str(installed[-1] if installed else "initdb")
    if not Path(initdb).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is required on CI: install Debian's postgresql package")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    bindir = Path(initdb).resolve().parent
    base = Path(tempfile.mkdtemp(prefix="vxkit-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # the server writes to its log file, so pg_ctl's pipes close when pg_ctl exits
    run = {"check": True, "capture_output": True, "timeout": 60}
    subprocess.run(
        _as_postgres([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "vxkit"]), **run
    )
    options = f"-k {sock} -p {port} -c listen_addresses='' -c fsync=off"
    log = base / "server.log"
    start = [str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w"]
    start += ["-t", "30", "start"]
    subprocess.run(_as_postgres(start), **run)
    try:
        yield f"postgresql+psycopg://vxkit@/{{db}}?host={sock}&port={port}"
    finally:
        stop = [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
        subprocess.run(_as_postgres(stop), capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def gradebook_url(request: pytest.FixtureRequest) -> str | None:
    """None (the default SQLite file), or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return None
    import psycopg

    template = request.getfixturevalue("postgres_server")
    name = "gb_" + uuid.uuid4().hex[:12]
    admin = template.format(db="postgres").replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return template.format(db=name)


@pytest.fixture
def grading_ws(jp_root_dir: Path, gradebook_url: str | None) -> Workspace:
    """The test exchange inside the server's root folder, with units squares and squares_team."""
    return make_workspace(jp_root_dir / "workspace", ("squares", "squares_team"), gradebook_url)


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
