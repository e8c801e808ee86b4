"""nbgrader configuration built from a workspace, and vxkit's per-unit grading records.

Everything nbgrader needs (course root, exchange, gradebook URL, timeouts) comes from the
workspace's ``nbgrader_config.py``; the paths vxkit relies on are then pinned to the
workspace so a config edited by hand can't send submissions somewhere else.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from traitlets import Integer
from traitlets.config import Config, LoggingConfigurable
from traitlets.config.loader import PyFileConfigLoader

from ..errors import VxkitError
from ..exchange import Exchange, Team
from ..files import atomic_write
from ..workspace import Workspace

NBGRADER_CONFIG = "nbgrader_config.py"
#: the gradebook's address where nbgrader_config.py names none (set on a hub's exchange server)
GRADEBOOK_ENV = "VXKIT_GRADEBOOK_URL"
LOG = logging.getLogger("vxkit.grading")


class VxkitGrader(LoggingConfigurable):
    """How ``vxkit grade`` runs (set in nbgrader_config.py as ``c.VxkitGrader.<name>``)."""

    workers = Integer(
        None,
        allow_none=True,
        config=True,
        help="""Number of worker processes that execute submitted notebooks at the same time.
        None means one per CPU core (at least two).""",
    )

    def worker_count(self) -> int:
        """The number of worker processes to start."""
        if self.workers is not None:
            return max(1, int(self.workers))
        return max(2, os.cpu_count() or 1)


def load_config(ws: Workspace, exchange: Exchange | None = None) -> Config:
    """nbgrader config for ``ws``: its nbgrader_config.py, with vxkit's paths pinned.

    The gradebook stays whatever the file says (any SQLAlchemy URL, e.g. PostgreSQL);
    the default is a SQLite file inside the course folder.
    """
    exchange = exchange or ws.load()
    config = Config()
    path = ws.root / NBGRADER_CONFIG
    if path.is_file():
        try:
            config = PyFileConfigLoader(path.name, str(path.parent)).load_config()
        except Exception as err:  # a teacher's syntax error: report it as a sentence
            raise VxkitError(f"{path} could not be read: {err}. Fix it or delete it.") from None
    config.CourseDirectory.course_id = exchange.id
    config.CourseDirectory.root = str(ws.course_dir)
    if "db_url" not in config.CourseDirectory:
        # on a hub, `vxkit hub-config --gradebook-url` reaches the exchange server this way
        config.CourseDirectory.db_url = os.environ.get(GRADEBOOK_ENV) or (
            "sqlite:///" + str(ws.course_dir / "gradebook.db")
        )
    config.Exchange.root = str(ws.nbgrader_exchange)
    # One Unix user serves every student: submissions carry explicit student ids.
    config.ExchangeCollect.check_owner = False
    if "timeout" not in config.Execute:
        config.Execute.timeout = 60
    _alembic_on_path()
    return config


def _alembic_on_path() -> None:
    """nbgrader creates a gradebook by running the ``alembic`` command: find it in our venv."""
    bindir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if bindir not in parts:
        os.environ["PATH"] = os.pathsep.join([bindir, *parts])


def make_api(ws: Workspace, config: Config | None = None, **overrides: Any) -> Any:
    """An in-process ``NbGraderAPI`` for the workspace (exchange folder created first).

    ``overrides`` are extra ``Section.trait`` settings, e.g. ``{"Exchange.cache": "..."}``.
    """
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = Config(config) if config is not None else load_config(ws)
    for key, value in overrides.items():
        section, trait = key.split(".")
        config[section][trait] = value
    ensure_exchange(ws)
    coursedir = CourseDirectory(config=config)
    api = NbGraderAPI(coursedir=coursedir, config=config)
    api.log = nbgrader_logger()
    return api


def nbgrader_logger() -> logging.Logger:
    """A private logger for one API object: nbgrader's log is read back through
    ``capture_log``, and a logger shared by two students' requests running at the same time
    would hand one student's messages to the other. Kept off the terminal."""
    logger = logging.Logger("vxkit.nbgrader", logging.INFO)  # not registered: freed with the API
    logger.addHandler(logging.NullHandler())
    logger.propagate = False
    return logger


def ensure_exchange(ws: Workspace) -> None:
    """Create the exchange folder before nbgrader looks at it (it checks only once)."""
    if not ws.nbgrader_exchange.is_dir():
        ws.nbgrader_exchange.mkdir(parents=True)
        os.chmod(ws.nbgrader_exchange, 0o777)


def check(result: dict[str, Any], doing: str) -> str:
    """Raise a readable error when an ``NbGraderAPI`` call failed; return its log."""
    if result.get("success"):
        return result.get("log", "")
    log = result.get("log", "") or ""
    reasons = [
        line.split("]", 1)[-1].strip()
        for line in log.splitlines()
        if line.startswith(("[ERROR]", "[CRITICAL]"))
    ]
    reason = reasons[0] if reasons else _last_line(result.get("error", ""))
    LOG.debug("nbgrader failed while %s:\n%s\n%s", doing, log, result.get("error", ""))
    raise VxkitError(f"nbgrader could not {doing}: {reason or 'no reason given'}.")


def _last_line(text: str) -> str:
    lines = [line for line in (text or "").splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


@dataclass
class UnitRecord:
    """What vxkit remembers about an assigned unit: team work or not, and deadlines."""

    unit: str
    team: bool = False
    #: class id -> local deadline as ISO text with the zone name, e.g. "2027-03-28T18:00"
    deadlines: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(
            {"unit": self.unit, "team": self.team, "deadlines": self.deadlines}, indent=1
        )


def grading_dir(ws: Workspace) -> Path:
    """Where vxkit keeps its grading records (inside the hidden state folder)."""
    return ws.state_dir / "grading"


def load_unit(ws: Workspace, unit: str) -> UnitRecord:
    """The record of an assigned unit; a clear error when the unit was never assigned."""
    path = grading_dir(ws) / f"{unit}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise VxkitError(
            f'The unit "{unit}" has not been assigned yet: run `vxkit assign {unit}` first.'
        ) from None
    except (OSError, ValueError) as err:
        raise VxkitError(f"The grading record {path} is damaged ({err}).") from None
    return UnitRecord(
        unit=unit, team=bool(data.get("team")), deadlines=dict(data.get("deadlines", {}))
    )


def save_unit(ws: Workspace, record: UnitRecord) -> None:
    """Write the record of a unit atomically."""
    atomic_write(grading_dir(ws) / f"{record.unit}.json", record.to_json() + "\n")


def assigned_units(ws: Workspace) -> list[str]:
    """Units assigned so far, in name order."""
    folder = grading_dir(ws)
    return sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []


def team_ids(exchange: Exchange) -> dict[str, Team]:
    """nbgrader ids of teams (a team submits under its own id, which never has a dash)."""
    return {team.id: team for team in exchange.teams}


def ensure_gradebook(config: Config) -> None:
    """Create the gradebook if it has no tables yet, as nbgrader does, but in process.

    nbgrader finds the schema version for a new gradebook by running the ``alembic``
    command in a subprocess (several seconds); the version is read here from nbgrader's
    own migration scripts instead. An existing gradebook is left as it is.
    """
    import nbgrader
    from alembic.script import ScriptDirectory
    from nbgrader.api import Base
    from sqlalchemy import create_engine, inspect, text

    url = config.CourseDirectory.db_url
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(url)
    except Exception as err:
        raise VxkitError(f'The gradebook address "{url}" is not usable: {err}.') from None
    try:
        if inspect(engine).get_table_names():
            return
        Base.metadata.create_all(bind=engine)
        scripts = ScriptDirectory(str(Path(nbgrader.__file__).parent / "alembic"))
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            conn.execute(
                text("INSERT INTO alembic_version (version_num) VALUES (:head)"),
                {"head": scripts.get_current_head()},
            )
    except VxkitError:
        raise
    except Exception as err:
        raise VxkitError(f'The gradebook at "{url}" cannot be opened: {err}.') from None
    finally:
        engine.dispose()
