"""``vxkit grade``: nbgrader's autograde with notebooks executing in parallel workers.

nbgrader autogrades one submission after another, each notebook in a fresh kernel, in one
process. Here the same nbgrader steps are split in three:

1. prepare (this process, in order): nbgrader's own sanitising pass of ``Autograde``:
   students and submissions recorded in the gradebook, test cells restored from the
   gradebook (an edited test cell is overwritten, as nbgrader does), outputs cleared;
2. execute (worker processes, in parallel): nbgrader's ``Execute`` preprocessor runs each
   sanitised notebook in a fresh kernel with the configured timeout; workers never touch
   the gradebook;
3. score (this process, in order): the rest of nbgrader's autograde pipeline
   (``SaveAutoGrades``, late penalties, ...) writes the gradebook.

So only this process writes the gradebook (SQLite allows one writer at a time), and the
scores are the ones ``nbgrader autograde`` gives. A submission that fails at any step is
reported by student and left out, as nbgrader leaves it out; the batch goes on.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from traitlets.config import Config

from ..errors import VxkitError
from ..progress import Progress
from ..sandbox import kernel_env_for_workspace, sandbox_status
from ..workspace import Workspace
from . import config as cfg
from .workflow import apply_extensions, register_students, remove_tree, submitted_ids, submitters

LOG = logging.getLogger("vxkit.grading")


@dataclass
class Outcome:
    """The result of grading one submission (a student's or a team's)."""

    nbgrader_id: str
    label: str
    score: float | None = None
    max_score: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def graded(self) -> bool:
        return self.score is not None


@dataclass
class GradeSummary:
    """What ``grade`` did, for the teacher."""

    unit: str
    outcomes: list[Outcome]
    seconds: float
    workers: int
    strangers: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        graded = [o for o in self.outcomes if o.graded]
        out = [
            f"Graded {len(graded)} of {len(self.outcomes)} submissions of {self.unit} in "
            f"{self.seconds:.1f} s ({self.workers} workers)."
        ]
        for o in self.outcomes:
            score = f"{o.score:g} / {o.max_score:g}" if o.graded else "not graded"
            out.append(f"  {o.label}: {score}")
            out.extend(f"    - {p}" for p in o.problems)
        for name in self.strangers:
            out.append(f"Ignored a submission from {name!r}: not a student or team here.")
        return out


def grade(
    ws: Workspace,
    unit: str,
    workers: int | None = None,
    progress: Progress | None = None,
) -> GradeSummary:
    """Autograde every collected submission of ``unit`` (again, if graded before)."""
    with _shared_engines():
        return _grade(ws, unit, workers, progress)


@contextlib.contextmanager
def _shared_engines() -> Iterator[None]:
    """One SQLAlchemy engine per gradebook URL while grading.

    nbgrader opens a new ``Gradebook`` (a new engine) several times per submission, and
    SQLAlchemy caches compiled queries per engine, so nbgrader compiles the same few
    queries again and again (about an eighth of its time in this process, profiled).
    Sharing the engine keeps that cache; queries, transactions and results are unchanged.
    """
    import nbgrader.api
    from sqlalchemy import create_engine

    engines: dict[str, Any] = {}

    def shared(url: str, **kwargs: Any) -> Any:
        if url not in engines:
            engines[url] = create_engine(url, **kwargs)
        return engines[url]

    nbgrader.api.create_engine = shared
    try:
        yield
    finally:
        nbgrader.api.create_engine = create_engine
        for engine in engines.values():
            engine.dispose()


def _grade(
    ws: Workspace, unit: str, workers: int | None, progress: Progress | None
) -> GradeSummary:
    from .teams import propagate_team_grades

    started = time.perf_counter()
    exchange = ws.load()
    record = cfg.load_unit(ws, unit)
    config = cfg.load_config(ws, exchange)
    cfg.ensure_gradebook(config)
    api = cfg.make_api(ws, config)
    register_students(api, exchange, record.team)
    expected = {s.nbgrader_id: s for s in submitters(ws, exchange, unit)}
    found = submitted_ids(ws, unit)
    if not found:
        raise VxkitError(
            f'There are no collected submissions of "{unit}": run `vxkit collect {unit}` first.'
        )
    strangers = [i for i in found if i not in expected]
    ids = [i for i in found if i in expected]
    outcomes = {i: Outcome(i, expected[i].label) for i in ids}
    for i in ids:
        remove_tree(ws.course_dir / "autograded" / i / unit)
    grader = cfg.VxkitGrader(config=config)
    count = max(1, min(workers or grader.worker_count(), len(ids)))
    section = {
        key: dict(config[key]) for key in ("Execute", "ExecutePreprocessor") if key in config
    }
    log_path = ws.state_dir / "logs" / "grade-workers.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # student code runs confined to its submission folder (vxkit.sandbox)
    kernel_env = kernel_env_for_workspace(ws.root)
    if kernel_env["VXKIT_UNSAFE_KERNELS"]:
        LOG.warning("Submissions run unconfined: %s", sandbox_status())
    failed: set[str] = set()
    remaining: dict[str, int] = {}  # notebooks of a submission still running
    ready: list[str] = []  # executed, waiting to be scored
    done = 0
    if progress:
        progress(0, len(ids), "")

    def finished_one(student: str) -> None:
        # every submission is counted once, whether it was graded or failed on the way
        nonlocal done
        done += 1
        if progress:
            progress(done, len(ids), outcomes[student].label)

    runner = _Workers(count, section, str(log_path), kernel_env)
    try:
        runner.warm()  # the workers start while this process prepares

        def prepared(student: str, paths: list[str]) -> None:
            remaining[student] = len(paths)
            if not paths:
                ready.append(student)
                finished_one(student)
            for path in paths:
                runner.submit(student, path)

        # 1. prepare, each submission handed to the workers as soon as it is ready
        prepare = _converter(api, config, unit, exclude=strangers, step="prepare")
        prepare.on_prepared = prepared
        _start(prepare)
        for i, reason in prepare.failures.items():
            if i in outcomes:
                outcomes[i].problems.append(reason)
                failed.add(i)
                remaining.pop(i, None)
                finished_one(i)
        with api.gradebook as gb:
            apply_extensions(ws, exchange, unit, gb)

        # 2. execute (workers) and 3. score (here) whatever has finished, until all is done
        while runner.busy or ready:
            finished = runner.results(block=not ready)
            for i, path, problem in finished:
                if i not in outcomes or i in failed:
                    continue
                if problem:
                    outcomes[i].problems.append(f"{Path(path).name}: {problem}")
                    failed.add(i)
                    remove_tree(ws.course_dir / "autograded" / i / unit)
                else:
                    outcomes[i].problems.extend(_timeouts(path))
                    remaining[i] -= 1
                    if remaining[i] > 0:
                        continue
                    ready.append(i)
                finished_one(i)
            if ready and (not runner.busy or not finished):
                batch, ready = ready, []
                score = _converter(
                    api, config, unit, exclude=[i for i in found if i not in batch], step="score"
                )
                _start(score)
                for i, reason in score.failures.items():
                    if i in outcomes:
                        outcomes[i].problems.append(reason)
                        failed.add(i)
    finally:
        runner.close()

    with api.gradebook as gb:
        from nbgrader.api import MissingEntry

        for i in ids:
            if i in failed:
                continue
            try:
                sub = gb.find_submission(unit, i)
            except MissingEntry:
                continue
            outcomes[i].score = float(sub.score)
            outcomes[i].max_score = float(sub.max_score)
        propagate_team_grades(ws, exchange, unit, gb)
    return GradeSummary(
        unit, [outcomes[i] for i in ids], time.perf_counter() - started, count, strangers
    )


class _Workers:
    """The worker processes, restarted if a notebook kills one.

    Student code runs in a kernel whose parent is a worker, so it can kill that worker,
    which breaks the whole pool. Then every notebook that was not finished is run again,
    one at a time in a pool of its own, so the one that kills its worker is found and
    reported, and the others are graded.
    """

    def __init__(
        self, count: int, section: dict[str, Any], log_path: str, env: dict[str, str]
    ) -> None:
        self.count = count
        self.section = section
        self.log_path = log_path
        self.env = env
        self.pool = self._pool(count)
        self.pending: dict[Future[str | None], tuple[str, str]] = {}

    def _pool(self, count: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            count,
            mp_context=_context(),
            initializer=_quiet_worker,
            initargs=(self.log_path, self.env),
        )

    def warm(self) -> None:
        for _ in range(self.count):
            self.pool.submit(_warm)

    def submit(self, student: str, path: str) -> None:
        future = self.pool.submit(execute_notebook, path, self.section)
        self.pending[future] = (student, path)

    @property
    def busy(self) -> bool:
        return bool(self.pending)

    def results(self, block: bool) -> list[tuple[str, str, str | None]]:
        """(student, notebook, problem or None) for the notebooks finished now."""
        if not self.pending:
            return []
        finished, _ = wait(self.pending, timeout=None if block else 0, return_when=FIRST_COMPLETED)
        out: list[tuple[str, str, str | None]] = []
        suspects: list[tuple[str, str]] = []
        for future in finished:
            student, path = self.pending.pop(future)
            try:
                out.append((student, path, future.result()))
            except BrokenProcessPool:
                suspects.append((student, path))
            except Exception as err:
                out.append((student, path, f"the notebook could not be run ({type(err).__name__})"))
        if suspects:
            suspects.extend(self.pending.values())
            self.pending.clear()
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = self._pool(self.count)
            out.extend((student, path, self._alone(path)) for student, path in suspects)
        return out

    def _alone(self, path: str) -> str | None:
        pool = self._pool(1)
        try:
            return pool.submit(execute_notebook, path, self.section).result()
        except BrokenProcessPool:
            return "the notebook stopped the grading process (it killed its worker); not graded"
        except Exception as err:
            return f"the notebook could not be run ({type(err).__name__})"
        finally:
            pool.shutdown(wait=True)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _warm() -> None:
    """Nothing: a first task makes the pool start its workers early."""


def _context() -> multiprocessing.context.BaseContext:
    """How workers start: forked when this process runs no other thread (the command line),
    else from a fresh forkserver, because forking a process with threads (a server, a test
    runner) can copy a lock some thread holds."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["vxkit.grading.autograde", "nbgrader.preprocessors"])
        return ctx
    return multiprocessing.get_context("spawn")


def _quiet_worker(log_path: str, env: dict[str, str]) -> None:
    """Kernels write start-up chatter to stderr: keep it in a log, off the teacher's terminal.

    ``env`` is set in the worker: it makes every kernel the worker starts sandboxed.
    """
    fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 2)
    os.close(fd)
    os.environ.update(env)
    from jupyter_client.provisioning import KernelProvisionerFactory

    if KernelProvisionerFactory.initialized():  # made before the environment said so (forked)
        factory = KernelProvisionerFactory.instance()
        factory.default_provisioner_name = env["JUPYTER_DEFAULT_PROVISIONER_NAME"]


def execute_notebook(path: str, section: dict[str, dict[str, Any]]) -> str | None:
    """Run one sanitised notebook in a fresh kernel, in place (worker process).

    Returns None on success, or a sentence saying why the notebook could not be run.
    """
    import nbformat
    from nbgrader.preprocessors import Execute
    from nbgrader.preprocessors.execute import UnresponsiveKernelError

    os.environ["NBGRADER_EXECUTION"] = "autograde"
    try:
        nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        pre = Execute(config=Config(section))
        nb, _ = pre.preprocess(nb, {"metadata": {"path": os.path.dirname(path)}})
    except UnresponsiveKernelError:
        return "the kernel stopped responding (an endless loop eating memory?); not graded"
    except Exception as err:
        return f"the notebook could not be run: {type(err).__name__}: {err}"
    from ..files import atomic_write

    atomic_write(path, nbformat.writes(nb))
    return None


def _timeouts(path: str) -> list[str]:
    """Cells that were stopped at the timeout (they score 0), as sentences."""
    import json

    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    out = []
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            if output.get("ename") == "CellTimeoutError":
                grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "?")
                out.append(
                    f"{Path(path).name}: cell {grade_id} ran past the time limit and was "
                    "stopped (scored 0)"
                )
    return out


def _start(converter: Any) -> None:
    from nbgrader.converters.base import NbGraderException

    # per-submission failures are in converter.failures; the batch goes on
    with contextlib.suppress(NbGraderException):
        converter.start()


def _converter(api: Any, config: Config, unit: str, exclude: list[str], step: str) -> Any:
    """nbgrader's ``Autograde`` restricted to one step (see the module docstring)."""
    from nbgrader.converters import Autograde
    from nbgrader.converters.base import BaseConverter
    from nbgrader.preprocessors import Execute

    class StepAutograde(Autograde):
        """Runs the sanitising pass ("prepare") or the scoring pass ("score") only."""

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.failures: dict[str, str] = {}
            self.prepared: dict[str, list[str]] = {}
            self.on_prepared: Callable[[str, list[str]], None] | None = None
            self._student = ""
            self._sanitizing = step == "prepare"

        @property
        def _input_directory(self) -> str:
            if step == "prepare":
                return self.coursedir.submitted_directory
            return self.coursedir.autograded_directory

        def init_destination(self, assignment_id: str, student_id: str) -> bool:
            self._student = student_id
            if step == "score":
                # the prepared notebooks are the input: keep them, score only this batch
                excluded = self.coursedir.student_id_exclude.split(",")
                return student_id not in excluded
            return super().init_destination(assignment_id, student_id)

        def init_assignment(self, assignment_id: str, student_id: str) -> None:
            self._student = student_id
            if step == "score":
                return  # already done in the prepare step
            try:
                super().init_assignment(assignment_id, student_id)
            except Exception as err:
                self.failures[student_id] = _explain(err)
                raise

        def _init_preprocessors(self) -> None:
            self.exporter._preprocessors = []
            chain = (
                self.sanitize_preprocessors
                if step == "prepare"
                else [p for p in self.autograde_preprocessors if p is not Execute]
            )
            for pre in chain:
                self.exporter.register_preprocessor(pre)

        def convert_single_notebook(self, notebook_filename: str) -> None:
            self._init_preprocessors()
            try:
                BaseConverter.convert_single_notebook(self, notebook_filename)
            except Exception as err:
                name = os.path.basename(notebook_filename)
                self.failures[self._student] = f"{name}: {_explain(err)}"
                raise
            out = os.path.join(self.writer.build_directory, os.path.basename(notebook_filename))
            self.prepared.setdefault(self._student, []).append(out)

        def set_permissions(self, assignment_id: str, student_id: str) -> None:
            # called once a submission's notebooks are all converted
            if step == "score":
                super().set_permissions(assignment_id, student_id)
            elif self.on_prepared is not None:
                self.on_prepared(student_id, self.prepared.get(student_id, []))

    api.coursedir.assignment_id = unit
    api.coursedir.student_id = "*"
    api.coursedir.student_id_exclude = ",".join(exclude)
    converter = StepAutograde(coursedir=api.coursedir, parent=api)
    converter.force = True
    converter.create_student = True
    return converter


def _explain(err: BaseException) -> str:
    """A sentence for why nbgrader could not process a submitted notebook."""
    import json

    from nbformat.reader import NotJSONError

    if isinstance(err, NotJSONError | json.JSONDecodeError):
        return "the file is not a valid notebook (broken JSON); not graded"
    text = str(err).strip().splitlines()
    detail = text[0] if text else type(err).__name__
    return f"nbgrader could not grade it ({detail}); not graded"
