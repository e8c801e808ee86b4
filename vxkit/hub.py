"""vxkit on JupyterHub: a hub configuration for a school, written from exchange.toml.

``write_hub_config`` renders ``templates/jupyterhub/``: one block of hub settings (users,
one group per class, a teacher role managing each class's group, a service that shares each
team's notebook server with the team, nbgrader courses) used both by ``jupyterhub_config.py``
and by the Zero to JupyterHub Helm values, so the two deployments can't drift apart.

Each single-user server starts as ``python -m vxkit.hub singleuser``: it puts the team
notebooks in the home of the team's first member and writes the nbgrader settings of the
user's class (teachers get their course and gradebook), then runs ``jupyterhub-singleuser``.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import VxkitError
from .exchange import EXCHANGE_FILE, Exchange, dump_exchange
from .files import atomic_write
from .views import team_exchange
from .workspace import (
    Workspace,
    curriculum_dir,
    install_team_files,
    install_unit_source,
    team_languages,
)

DEFAULT_GRADEBOOK_URL = "postgresql+psycopg://nbgrader@localhost:5432/{course}"
DEFAULT_EXCHANGE_ROOT = "/srv/nbgrader/exchange"
DEFAULT_IMAGE = "vxkit-singleuser:latest"
CONFIG_NAME = "jupyterhub_config.py"
VALUES_NAME = "z2jh-values.yaml"


def teacher_username(class_id: str) -> str:
    """The hub account of a class's teacher: ``<class id>-teacher``."""
    return f"{class_id}-teacher"


def hub_template_dir() -> Path:
    """``templates/jupyterhub`` of a checkout, or its installed copy."""
    candidates = [
        Path(__file__).resolve().parent.parent / "templates" / "jupyterhub",
        Path(sys.prefix) / "share" / "vxkit" / "templates" / "jupyterhub",
    ]
    for candidate in candidates:
        if (candidate / "vxkit_hub.py.j2").is_file():
            return candidate
    raise VxkitError("The JupyterHub templates of vxkit are not installed: reinstall vxkit.")


def hub_plan(exchange: Exchange) -> dict[str, Any]:
    """Users, groups, teams and nbgrader courses of the hub, from the exchange."""
    users: dict[str, dict[str, str]] = {}
    groups: dict[str, list[str]] = {}
    courses: dict[str, dict[str, str]] = {}
    for cls in exchange.classes:
        groups[cls.id] = [s.id for s in cls.roster]
        for student in cls.roster:
            users[student.id] = {"role": "student", "class": cls.id, "name": student.name}
        teacher = teacher_username(cls.id)
        if teacher in users:
            raise VxkitError(
                f'classes: the student id "{teacher}" is also the hub account of the teacher of '
                f"{cls.id}; rename that student in exchange.toml."
            )
        users[teacher] = {"role": "teacher", "class": cls.id, "name": "teacher"}
        courses[teacher] = {
            "class": cls.id,
            "course_id": f"{exchange.id}-{cls.id}",
            "units": list(exchange.units),
        }
    teams: dict[str, dict[str, Any]] = {}
    for team in exchange.teams:
        members = [s.id for s in team.students()]
        if not members:
            continue
        teams[team.id] = {
            "name": team.name,
            "owner": members[0],
            "members": members,
            "units": list(exchange.units),
            "languages": team_languages(exchange, team),
            "exchange": dump_exchange(team_exchange(exchange, team)),
        }
    return {"users": users, "groups": groups, "teams": teams, "courses": courses}


@dataclass
class HubFiles:
    """What ``write_hub_config`` wrote."""

    config: Path
    values: Path


def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(hub_template_dir())),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # Python and YAML, not HTML: values go through pyrepr / tojson
    )
    env.filters["pyrepr"] = _pyrepr
    env.filters["oneline"] = _oneline
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False}
    return env


def _oneline(text: str) -> str:
    """Text for a comment or docstring line: one line, no quote that could end a docstring."""
    return " ".join(str(text).split()).replace('"', "'").replace("\\", "/")


def _pyrepr(value: Any) -> str:
    """A Python literal for ``value`` (dicts, lists and text from exchange.toml)."""
    import pprint

    return pprint.pformat(value, width=96, sort_dicts=False)


def render_hub_config(
    exchange: Exchange,
    gradebook_url: str = DEFAULT_GRADEBOOK_URL,
    exchange_root: str = DEFAULT_EXCHANGE_ROOT,
    image: str = DEFAULT_IMAGE,
    python: str | None = None,
) -> tuple[str, str]:
    """The text of ``jupyterhub_config.py`` and of the Helm values file."""
    if not gradebook_url.startswith(("postgresql://", "postgresql+", "sqlite:///")):
        raise VxkitError(
            f'--gradebook-url "{gradebook_url}" is not a database URL: write it like '
            f'"{DEFAULT_GRADEBOOK_URL}".'
        )
    if not exchange_root.startswith("/"):
        raise VxkitError(f'--nbgrader-exchange "{exchange_root}" must be an absolute folder path.')
    name, _, tag = image.rpartition(":") if ":" in image.split("/")[-1] else (image, "", "latest")
    env = _environment()
    share_script = (hub_template_dir() / "share_service.py").read_text(encoding="utf-8")
    values = {
        "title": exchange.title,
        "exchange_id": exchange.id,
        **hub_plan(exchange),
        "gradebook_url": gradebook_url,
        "exchange_root": exchange_root,
        "share_script": share_script,
    }
    core = env.get_template("vxkit_hub.py.j2").render(**values)
    config = env.get_template("jupyterhub_config.py.j2").render(
        title=exchange.title, core=core, python=python or sys.executable
    )
    helm = env.get_template("values.yaml.j2").render(
        title=exchange.title,
        core=core,
        values_name=VALUES_NAME,
        image_name=name,
        image_tag=tag or "latest",
        exchange_root=exchange_root,
    )
    compile(config, CONFIG_NAME, "exec")  # never write a config the hub could not load
    return config, helm


def write_hub_config(
    ws: Workspace,
    out: str | os.PathLike[str] | None = None,
    **options: Any,
) -> HubFiles:
    """Write ``jupyterhub_config.py`` (default: in the workspace) and the Helm values beside it."""
    config_path = Path(out) if out is not None else ws.root / CONFIG_NAME
    if config_path.is_dir():
        config_path = config_path / CONFIG_NAME
    config, helm = render_hub_config(ws.load(), **options)
    values_path = config_path.parent / VALUES_NAME
    atomic_write(config_path, config)
    atomic_write(values_path, helm)
    return HubFiles(config=config_path, values=values_path)


# ------------------------------------------------------------- inside a single-user server


def _install_team_files(folder: Path, team: dict[str, Any]) -> list[Path]:
    """A team folder on the owner's server: its exchange, unit notebooks and data.

    The same layout as a workspace's ``projects/<team>/`` (see ``vxkit.workspace``); existing
    notebooks and data are never overwritten, the team's exchange file always is.
    """
    created = []
    atomic_write(folder / EXCHANGE_FILE, team["exchange"])
    units_root = curriculum_dir()
    for unit in team.get("units", []):
        languages = team.get("languages")
        created += install_team_files(folder, unit, units_root / unit, team["name"], languages)
    return created


def _install_sources(source_dir: Path, units: list[str]) -> list[Path]:
    """A teacher's nbgrader source of every unit of the exchange, as in a workspace."""
    units_root = curriculum_dir()
    return [
        path
        for unit in units
        if (units_root / unit).is_dir()
        for path in install_unit_source(source_dir, unit, units_root / unit)
    ]


def _nbgrader_config(user: dict[str, Any], home: Path) -> str:
    course = user.get("course") or {}
    lines = [
        '"""nbgrader settings written by vxkit when this server started (edit exchange.toml)."""',
        "c = get_config()  # noqa: F821",
        f"c.Exchange.root = {user.get('nbgrader_exchange', DEFAULT_EXCHANGE_ROOT)!r}",
        "c.Exchange.path_includes_course = True",
    ]
    if course:
        lines.append(f"c.CourseDirectory.course_id = {course['course_id']!r}")
    if user.get("role") == "teacher" and course:
        lines += [
            f"c.CourseDirectory.root = {str(home / 'course')!r}",
            f"c.CourseDirectory.db_url = {user.get('gradebook_url', '')!r}",
            "c.Execute.timeout = 60  # seconds; a notebook running longer is scored 0",
        ]
    return "\n".join(lines) + "\n"


def prepare_home(home: Path, user: dict[str, Any]) -> list[Path]:
    """Set up a hub user's home: team notebooks it owns, nbgrader settings, formgrader access."""
    created = []
    for team_id, team in (user.get("teams_owned") or {}).items():
        created += _install_team_files(home / team_id, team)
    config_dir = Path(os.environ.get("JUPYTER_CONFIG_DIR") or home / ".jupyter")
    atomic_write(config_dir / "nbgrader_config.py", _nbgrader_config(user, home))
    if user.get("role") == "teacher":
        source_dir = home / "course" / "source"
        source_dir.mkdir(parents=True, exist_ok=True)
        created += _install_sources(source_dir, (user.get("course") or {}).get("units", []))
        exchange = Path(user.get("nbgrader_exchange") or DEFAULT_EXCHANGE_ROOT)
        if not exchange.exists():
            try:  # on a real hub the administrator creates it (see docs/deploy.md)
                exchange.mkdir(parents=True)
                exchange.chmod(0o777)  # every student's server writes submissions here
            except OSError:
                pass
    server_config = config_dir / "jupyter_server_config.json"
    try:
        settings = json.loads(server_config.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        settings = {}
    extensions = settings.setdefault("ServerApp", {}).setdefault("jpserver_extensions", {})
    # only teachers grade: students' servers don't load the formgrader
    extensions["nbgrader.server_extensions.formgrader"] = user.get("role") == "teacher"
    atomic_write(server_config, json.dumps(settings, indent=1) + "\n")
    return created


def singleuser(argv: list[str]) -> None:
    """Prepare the home from ``$VXKIT_HUB_USER``, then become ``jupyterhub-singleuser``."""
    raw = os.environ.get("VXKIT_HUB_USER", "")
    try:
        user = json.loads(raw) if raw else {}
    except ValueError:
        user = {}
        print("vxkit: VXKIT_HUB_USER is not JSON; starting without vxkit's settings.")
    if user:
        prepare_home(Path.cwd(), user)
    os.execvp("jupyterhub-singleuser", ["jupyterhub-singleuser", *argv])


if __name__ == "__main__":  # pragma: no cover - run by the hub's spawner
    if len(sys.argv) < 2 or sys.argv[1] != "singleuser":
        sys.exit("usage: python -m vxkit.hub singleuser [jupyterhub-singleuser options]")
    singleuser(sys.argv[2:])
