"""Teacher jobs from the dashboard: assign, collect, grade and return feedback on a unit.

Each job is a ``python -m vxkit.grading.jobs`` process (the same workflow code as the CLI),
never the server itself: grading runs kernels and patches nbgrader process-wide. One job at
a time per course (this server's workspace); its progress is read from the process's JSON
lines and polled by the dashboard from ``GET /vxkit/api/jobs/ID``. Its log (nbgrader's
messages) is kept in ``.vxkit/jobs/ID.log``.

These endpoints are teachers' only: the policy table names none of them, and each handler
asks again.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
import time
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tornado import web

from ..errors import VxkitError
from ..grading.jobs import ACTIONS
from ..progress import read_line
from ..workspace import Workspace
from .presence import TeacherAPIHandler

UNIT_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
DUE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d$")
#: jobs kept for the dashboard (the newest first)
KEEP = 20


@dataclass
class Job:
    """One teacher job and how far it got."""

    id: str
    action: str
    unit: str
    state: str = "running"  # "running", "done" (everything went through) or "failed"
    done: int = 0
    total: int = 0
    label: str = ""
    lines: list[str] = field(default_factory=list)
    message: str = ""  # why it failed, as a sentence
    started: float = field(default_factory=time.time)
    finished: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """The job as JSON-ready data."""
        return asdict(self)


class JobRunner:
    """Starts jobs as processes, one at a time per workspace, and follows their progress."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.jobs: list[Job] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._process: asyncio.subprocess.Process | None = None

    @property
    def running(self) -> Job | None:
        """The job still running, if any."""
        return next((j for j in self.jobs if j.state == "running"), None)

    def get(self, job_id: str) -> Job | None:
        """A job by its id."""
        return next((j for j in self.jobs if j.id == job_id), None)

    def start(self, action: str, unit: str, due: str = "", team: bool = False) -> Job:
        """Start a job; a VxkitError with a sentence when one is running or the request is
        wrong (naming the field and the value)."""
        busy = self.running
        if busy is not None:
            raise VxkitError(
                f"A job is already running ({busy.action} {busy.unit}, {busy.done}/{busy.total})"
                ": wait for it to finish."
            )
        if action not in ACTIONS:
            raise VxkitError(f'action: "{action}" is not a job; choose {", ".join(ACTIONS)}.')
        if not UNIT_ID.match(unit):
            raise VxkitError(f'unit: "{unit}" is not a unit id (like meet_partners).')
        source = self.ws.source_dir
        units = sorted(
            set(self.ws.load().units)
            | {p.name for p in (source.iterdir() if source.is_dir() else []) if p.is_dir()}
        )
        if unit not in units:
            raise VxkitError(
                f'unit: "{unit}" is not a unit of this exchange ({", ".join(units) or "none"}).'
            )
        if due and not DUE.match(due):
            raise VxkitError(f'due: "{due}" should look like 2027-03-28 18:00.')
        job = Job(uuid.uuid4().hex[:12], action, unit)
        self.jobs.insert(0, job)
        del self.jobs[KEEP:]
        argv = [
            sys.executable,
            "-m",
            "vxkit.grading.jobs",
            action,
            unit,
            "--dir",
            str(self.ws.root),
        ]
        if action == "assign":
            argv += ["--due", due] + (["--team"] if team else [])
        task = asyncio.get_running_loop().create_task(self._follow(job, argv))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return job

    async def _follow(self, job: Job, argv: list[str]) -> None:
        folder = self.ws.state_dir / "jobs"
        folder.mkdir(parents=True, exist_ok=True)
        log_path = folder / f"{job.id}.log"
        env = job_environment(os.environ)
        try:
            with log_path.open("wb") as log:
                proc = await asyncio.create_subprocess_exec(
                    *argv, stdout=asyncio.subprocess.PIPE, stderr=log, env=env, cwd=self.ws.root
                )
                self._process = proc
                assert proc.stdout is not None
                async for raw in proc.stdout:
                    self._read(job, raw)
                status = await proc.wait()
                self._process = None
        except OSError as err:
            job.state, job.message = "failed", f"The job could not start: {err}."
            job.finished = time.time()
            return
        if job.state == "running":
            if status == 0 or job.lines:
                job.state = "done" if status == 0 else "failed"
                if status != 0 and not job.message:
                    job.message = f"{job.action} {job.unit} finished with problems: see below."
            else:
                job.state = "failed"
                job.message = (
                    f"The {job.action} job stopped unexpectedly (exit status {status}); "
                    f"its log is {log_path}."
                )
        job.finished = time.time()

    def stop(self) -> None:
        """End the running job's process (the server is stopping: nothing would follow it)."""
        proc = self._process
        if proc is not None and proc.returncode is None:
            proc.terminate()

    @staticmethod
    def _read(job: Job, raw: bytes) -> None:
        message = read_line(raw)
        if message is None:
            return  # a stray print from a library: the log has the rest
        if "progress" in message:
            job.done, job.total, job.label = message["progress"]
        elif "done" in message:
            job.lines = message["done"]["lines"]
        elif "error" in message:
            job.state, job.message = "failed", message["error"]


def job_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """A job's environment: the server's, without its credentials (tokens, secrets: grading
    runs students' notebooks), with this Python's ``bin/`` first on PATH (nbgrader shells out
    to alembic there, PITFALLS)."""
    env = {k: v for k, v in environ.items() if not any(w in k.upper() for w in ("TOKEN", "SECRET"))}
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + environ.get("PATH", "")
    return env


def runner_for(settings: dict[str, Any]) -> JobRunner:
    """This server's job runner (one per workspace: one course)."""
    runner = settings.get("vxkit_jobs")
    if runner is None:
        runner = settings["vxkit_jobs"] = JobRunner(settings["vxkit_workspace"])
    return runner


class JobsHandler(TeacherAPIHandler):
    """``GET /vxkit/api/jobs``: the recent jobs (newest first) and the running one;
    ``POST`` ``{"action", "unit", "due"?, "team"?}`` starts one (202)."""

    @web.authenticated
    def get(self) -> None:
        """The recent jobs."""
        if not self.require_teacher():
            return
        runner = runner_for(self.settings)
        running = runner.running
        body = {"jobs": [j.as_dict() for j in runner.jobs], "running": running and running.id}
        self.finish(json.dumps(body))

    @web.authenticated
    def post(self) -> None:
        """Start a job, or say in a sentence why not."""
        if not self.require_teacher():
            return
        try:
            body = json.loads(self.request.body or b"{}")
        except ValueError:
            self.write_problem(400, "The request body is not valid JSON.")
            return
        if not isinstance(body, dict):
            body = {}
        runner = runner_for(self.settings)
        try:
            job = runner.start(
                str(body.get("action", "")),
                str(body.get("unit", "")),
                str(body.get("due") or ""),
                bool(body.get("team", False)),
            )
        except VxkitError as err:
            self.write_problem(409 if runner.running else 400, str(err).splitlines()[0])
            return
        self.set_status(202)
        self.finish(json.dumps({"job": job.as_dict()}))


class JobHandler(TeacherAPIHandler):
    """``GET /vxkit/api/jobs/ID``: one job's state and progress."""

    @web.authenticated
    def get(self, job_id: str) -> None:
        """The job, or 404 with a sentence."""
        if not self.require_teacher():
            return
        job = runner_for(self.settings).get(job_id)
        if job is None:
            self.write_problem(404, f'There is no job "{job_id}" on this server (any more).')
            return
        self.finish(json.dumps({"job": job.as_dict()}))


class UnitsHandler(TeacherAPIHandler):
    """``GET /vxkit/api/units``: per assigned unit and class, how many students fetched it,
    handed it in (late), were graded and got feedback."""

    @web.authenticated
    async def get(self) -> None:
        """The counts (read from the folders, off the event loop)."""
        if not self.require_teacher():
            return
        from ..grading.counts import all_unit_counts

        try:
            units = await asyncio.to_thread(all_unit_counts, self.settings["vxkit_workspace"])
        except VxkitError as err:
            self.write_problem(409, str(err).splitlines()[0])
            return
        self.finish(json.dumps({"units": units}))


JOB_HANDLERS: list[tuple[str, type]] = [
    (r"/vxkit/api/jobs", JobsHandler),
    (r"/vxkit/api/jobs/(?P<job_id>[0-9a-f]{1,32})", JobHandler),
    (r"/vxkit/api/units", UnitsHandler),
]
