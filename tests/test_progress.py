"""One progress reporter for every place a long step shows: the job's JSON lines that the
dashboard's job runner reads, a rich bar on a terminal (a real pseudo-terminal here), plain
lines in a log."""

from __future__ import annotations

import io
import os
import pty
import select

import pytest

from vxkit.progress import JsonLines, PlainLines, read_line, terminal
from vxkit.server.jobs import Job, JobRunner


def test_what_a_job_writes_is_what_the_job_runner_reads() -> None:
    out = io.StringIO()
    report = JsonLines(out)
    report(0, 3, "")
    report(2, 3, "Chloé (lyon_4b)")
    report.done(["Graded 3 of 3 submissions of squares.", "  Chloé (lyon_4b): 3 / 3"], True)
    job = Job("0123456789ab", "grade", "squares")
    seen = []
    for raw in out.getvalue().encode().splitlines(keepends=True):
        JobRunner._read(job, raw)
        seen.append((job.done, job.total, job.label))
    assert seen[:2] == [(0, 3, ""), (2, 3, "Chloé (lyon_4b)")]
    assert job.lines == ["Graded 3 of 3 submissions of squares.", "  Chloé (lyon_4b): 3 / 3"]
    assert job.state == "running"  # the runner decides from the exit status

    out = io.StringIO()
    JsonLines(out).error('The unit "squares" has not been assigned yet.')
    JobRunner._read(job, out.getvalue().encode())
    assert (job.state, job.message) == ("failed", 'The unit "squares" has not been assigned yet.')


@pytest.mark.parametrize(
    "raw",
    [
        b"Converting notebook answers.ipynb\n",  # a library's stray print
        b"[1, 2, 3]\n",
        b'{"progress": [1, 2]}\n',
        b'{"progress": "half"}\n',
        b'{"progress": ["one", 2, "x"]}\n',
        b'{"done": ["lines"]}\n',
        b'{"something": "else"}\n',
        b'{"progress": [1, 2, "x"\n',
    ],
)
def test_a_line_that_is_not_a_message_changes_nothing(raw: bytes) -> None:
    assert read_line(raw) is None
    job = Job("0123456789ab", "grade", "squares", done=1, total=4, label="Hugo")
    JobRunner._read(job, raw)
    assert (job.state, job.done, job.total, job.label, job.lines) == (
        "running",
        1,
        4,
        "Hugo",
        [],
    )


def test_a_log_gets_one_plain_line_a_step() -> None:
    log = io.StringIO()
    with terminal("Grading squares", log) as progress:
        assert isinstance(progress, PlainLines)
        for done, label in [(0, ""), (1, "Chloé (lyon_4b)"), (2, "Valentina (valparaiso_1m)")]:
            progress(done, 2, label)
    assert log.getvalue().splitlines() == [
        "Grading squares: 0/2",
        "Grading squares: 1/2 Chloé (lyon_4b)",
        "Grading squares: 2/2 Valentina (valparaiso_1m)",
    ]


def read_all(fd: int) -> str:
    out = b""
    while select.select([fd], [], [], 0.2)[0]:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the other end is closed
            break
        if not chunk:
            break
        out += chunk
    return out.decode("utf-8")


@pytest.fixture
def tty():
    """A pseudo-terminal: the file a reporter writes to, and what a terminal would show."""
    master, slave = pty.openpty()
    stream = os.fdopen(slave, "w", encoding="utf-8")
    yield stream, lambda: read_all(master)
    if not stream.closed:
        stream.close()
    os.close(master)


def test_a_terminal_gets_a_bar_redrawn_in_place(tty, monkeypatch) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    stream, shown = tty
    with terminal("Grading squares", stream) as progress:
        assert not isinstance(progress, PlainLines)
        for done in range(4):
            progress(done, 3, f"student {done}")
    stream.close()
    screen = shown()
    assert screen.startswith("\x1b[?25l")  # the cursor hidden while the bar is drawn
    assert "\r\x1b[2K" in screen  # the line erased and drawn again, not one line a step
    last = screen.rsplit("\r\x1b[2K", 1)[1]
    plain = last.replace("\x1b[0m", "")
    assert "Grading squares" in plain and "3/3" in plain and "student 3" in plain
    assert screen.endswith("\x1b[?25h")  # and given back


def test_a_failing_step_gives_the_terminal_back(tty, monkeypatch) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    stream, shown = tty
    with (
        pytest.raises(RuntimeError, match="kernel died"),
        terminal("Feedback on squares", stream) as progress,
    ):
        progress(1, 5, "lyon_4b-chloe")
        raise RuntimeError("kernel died")
    stream.close()
    screen = shown()
    assert "1/5" in screen and screen.endswith("\x1b[?25h")


def test_a_dumb_terminal_gets_plain_lines(tty, monkeypatch) -> None:
    monkeypatch.setenv("TERM", "dumb")
    stream, shown = tty
    with terminal("Grading squares", stream) as progress:
        progress(1, 1, "Hugo (lyon_4b)")
    stream.close()
    assert shown() == "Grading squares: 1/1 Hugo (lyon_4b)\r\n"
