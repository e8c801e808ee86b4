"""vxkit on JupyterHub: the exchange server of a school's hub, written from exchange.toml.

``write_hub_config`` renders ``templates/jupyterhub/``: one block of hub settings used both
by ``jupyterhub_config.py`` and by the Zero to JupyterHub Helm values, so the two deployments
can't drift apart:

- hub accounts for every student (their roster id), every class teacher
  (``<class>-teacher``) and the exchange itself (``vx-<exchange id>``, see
  ``vxkit.directory``); one group per class and a visitors group;
- one role giving the class groups, the visitors group and the teachers
  ``access:servers`` on the exchange server only (students' own servers stay theirs);
- the exchange server's spawn settings: ``python -m vxkit.hub exchange`` rooted at the
  exchange workspace (on Kubernetes, a volume of its own), and a small hub service that
  starts it again whenever it stops;
- the gradebook's address.

``python -m vxkit.hub exchange`` prepares the workspace from the exchange.toml the hub
passes, then becomes ``jupyterhub-singleuser`` with vxkit's classroom on, signing people in
from the hub login (``vxkit.server.hubsource``).
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .directory import accounts, exchange_username, teacher_username, visitors_group
from .errors import VxkitError
from .exchange import EXCHANGE_FILE, Exchange, dump_exchange
from .files import atomic_write
from .grading.config import GRADEBOOK_ENV
from .workspace import Workspace, scaffold

DEFAULT_IMAGE = "vxkit-singleuser:latest"
CONFIG_NAME = "jupyterhub_config.py"
VALUES_NAME = "z2jh-values.yaml"
#: where the exchange server's volume is mounted on Kubernetes
KUBE_WORKSPACE = "/srv/vxkit/exchange"
#: the environment the hub passes to the exchange server
EXCHANGE_TOML_ENV = "VXKIT_EXCHANGE_TOML"
#: what the exchange server gets on Kubernetes unless told otherwise (docs/deploy.md,
#: "Resources per exchange": two classes of 30 measured by bench/classroom_capacity.py)
DEFAULT_RESOURCES = {
    "storage": "5Gi",
    "cpu_guarantee": 0.5,
    "cpu_limit": 2.0,
    "mem_guarantee": "2G",
    "mem_limit": "4G",
}

__all__ = ["hub_plan", "render_hub_config", "teacher_username", "write_hub_config"]


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


def parse_resources(items: list[str]) -> dict[str, str]:
    """``--resource NAME=VALUE`` options as a dict; a clear error for a name or value that
    is not one."""
    resources: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or name not in DEFAULT_RESOURCES or not value:
            raise VxkitError(
                f'--resource "{item}": write NAME=VALUE with NAME one of '
                f"{', '.join(DEFAULT_RESOURCES)} (e.g. mem_limit=6G)."
            )
        if name.startswith("cpu_"):
            try:
                float(value)
            except ValueError:
                raise VxkitError(
                    f'--resource "{item}": {name} is a number of CPUs, like 0.5 or 2.'
                ) from None
        resources[name] = value
    return resources


def kubespawner_settings(exchange: Exchange, resources: dict[str, Any]) -> dict[str, Any]:
    """KubeSpawner settings of the exchange server: its own volume for the workspace (the
    notebooks, the ystore, the gradebook), mounted where the server is rooted, and the CPU
    and memory it is guaranteed and limited to."""
    claim = f"vxkit-{exchange.id.replace('_', '-')}-workspace"
    return {
        "pvc_name_template": claim,
        "pvc_name": claim,  # KubeSpawner expands the template when it is made: set both
        "storage_pvc_ensure": True,
        "storage_capacity": resources["storage"],
        "storage_access_modes": ["ReadWriteOnce"],
        "volumes": [{"name": "vxkit-workspace", "persistentVolumeClaim": {"claimName": claim}}],
        "volume_mounts": [{"name": "vxkit-workspace", "mountPath": KUBE_WORKSPACE}],
        "notebook_dir": KUBE_WORKSPACE,
        "working_dir": KUBE_WORKSPACE,
        "cpu_guarantee": float(resources["cpu_guarantee"]),
        "cpu_limit": float(resources["cpu_limit"]),
        "mem_guarantee": str(resources["mem_guarantee"]),
        "mem_limit": str(resources["mem_limit"]),
    }


def hub_plan(exchange: Exchange) -> dict[str, Any]:
    """Accounts, groups and roles of the hub, from the exchange."""
    owner = exchange_username(exchange)
    people = accounts(exchange)
    groups: dict[str, list[str]] = {cls.id: [s.id for s in cls.roster] for cls in exchange.classes}
    groups[visitors_group(exchange)] = []  # the hub's administrators add visitors
    teachers = [teacher_username(cls.id) for cls in exchange.classes]
    roles: list[dict[str, Any]] = [
        {
            "name": f"{owner}-classroom",
            "description": f"Opens the exchange server of {exchange.id} (and no other server).",
            "scopes": [f"access:servers!server={owner}/"],
            "groups": list(groups),
            "users": teachers,
        },
        {
            "name": f"{owner}-teachers",
            "description": f"The teachers of {exchange.id} start and stop its exchange server.",
            "scopes": [f"servers!server={owner}/", f"read:users:activity!user={owner}"],
            "users": teachers,
        },
        *(
            {
                "name": f"teacher-{cls.id}",
                "description": f"The teacher of {cls.id}: manages that class's group.",
                "scopes": [
                    "admin-ui",
                    f"list:users!group={cls.id}",
                    f"read:users!group={cls.id}",
                    f"read:users:activity!group={cls.id}",
                    f"groups!group={cls.id}",
                    f"list:groups!group={cls.id}",
                ],
                "users": [teacher_username(cls.id)],
            }
            for cls in exchange.classes
        ),
        {
            "name": f"{owner}-keeper",
            "description": "Starts the exchange server again whenever it stops.",
            "scopes": [f"servers!user={owner}", f"read:users:name!user={owner}"],
            "services": [f"{owner}-keeper"],
        },
    ]
    return {
        "owner": owner,
        "users": [*people, owner],
        "groups": groups,
        "roles": roles,
    }


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


def _check_gradebook(url: str | None) -> None:
    if url is not None and not url.startswith(("postgresql://", "postgresql+", "sqlite:///")):
        raise VxkitError(
            f'--gradebook-url "{url}" is not a database URL: write it like '
            '"postgresql+psycopg://nbgrader@db:5432/{course}" or leave it out (a SQLite file '
            "in the exchange's workspace)."
        )


def render_hub_config(
    exchange: Exchange,
    gradebook_url: str | None = None,
    image: str = DEFAULT_IMAGE,
    python: str | None = None,
    workspace: str | os.PathLike[str] | None = None,
    exchange_text: str | None = None,
    resources: dict[str, Any] | None = None,
) -> tuple[str, str]:
    """The text of ``jupyterhub_config.py`` and of the Helm values file.

    ``workspace`` is the exchange workspace on the hub's machine (``jupyterhub_config.py``);
    on Kubernetes the exchange server's own volume holds it. ``exchange_text`` is the
    exchange.toml the exchange server starts from (default: ``exchange`` written out).
    """
    _check_gradebook(gradebook_url)
    settings = {**DEFAULT_RESOURCES, **(resources or {})}
    name, _, tag = image.rpartition(":") if ":" in image.split("/")[-1] else (image, "", "latest")
    plan = hub_plan(exchange)
    environment = {EXCHANGE_TOML_ENV: exchange_text or dump_exchange(exchange)}
    if gradebook_url:
        environment[GRADEBOOK_ENV] = gradebook_url.replace("{course}", exchange.id)
    env = _environment()
    keeper = (hub_template_dir() / "keep_exchange_server.py").read_text(encoding="utf-8")
    core = env.get_template("vxkit_hub.py.j2").render(
        title=exchange.title,
        exchange_id=exchange.id,
        **plan,
        environment=environment,
        kubespawner=kubespawner_settings(exchange, settings),
        keeper_script=keeper,
    )
    local_workspace = str(Path(workspace).resolve()) if workspace else KUBE_WORKSPACE
    config = env.get_template("jupyterhub_config.py.j2").render(
        title=exchange.title,
        core=core,
        python=python or sys.executable,
        workspace=local_workspace,
        owner=plan["owner"],
    )
    helm = env.get_template("values.yaml.j2").render(
        title=exchange.title,
        core=core,
        values_name=VALUES_NAME,
        image_name=name,
        image_tag=tag or "latest",
        owner=plan["owner"],
        kube_workspace=KUBE_WORKSPACE,
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
    options.setdefault("workspace", ws.root)
    options.setdefault("exchange_text", ws.exchange_file.read_text(encoding="utf-8"))
    config, helm = render_hub_config(ws.load(), **options)
    values_path = config_path.parent / VALUES_NAME
    atomic_write(config_path, config)
    atomic_write(values_path, helm)
    return HubFiles(config=config_path, values=values_path)


# ------------------------------------------------------------- inside the exchange server

#: in ``.vxkit/``: the digest of the hub's exchange.toml the workspace last got
HUB_COPY = "hub-exchange.sha256"


def prepare_workspace(root: Path, exchange_text: str | None) -> Workspace:
    """The exchange workspace at ``root``, ready to serve.

    A new (empty) volume becomes a workspace from the hub's exchange.toml. Later, the hub's
    copy replaces the workspace's exchange.toml only when the hub's copy changed (someone ran
    `vxkit hub-config` again): edits made on the exchange server itself stay otherwise.
    """
    ws = Workspace(root.resolve())
    if not exchange_text:
        if not ws.exchange_file.is_file():
            raise VxkitError(
                f"{ws.root} holds no {EXCHANGE_FILE} and the hub passed none "
                f"(${EXCHANGE_TOML_ENV}): run `vxkit hub-config` again."
            )
        return ws
    digest = hashlib.sha256(exchange_text.encode("utf-8")).hexdigest()
    record = ws.state_dir / HUB_COPY
    seen = record.read_text(encoding="utf-8").strip() if record.is_file() else None
    if ws.exchange_file.is_file() and seen is not None and seen != digest:
        atomic_write(ws.exchange_file, exchange_text)
    scaffold(ws.root, exchange_text)  # completes what is missing, overwrites nothing
    atomic_write(record, digest + "\n")
    return ws


def exchange_server(argv: list[str]) -> None:
    """Prepare the workspace the hub roots this server at, then become
    ``jupyterhub-singleuser`` with the classroom on and the hub login trusted."""
    from .cli import classroom_argv

    root = Path(os.environ.get("JUPYTERHUB_ROOT_DIR") or os.getcwd()).expanduser()
    try:
        ws = prepare_workspace(root, os.environ.get(EXCHANGE_TOML_ENV))
    except VxkitError as err:
        sys.exit(f"vxkit: {err}")
    os.environ.pop(EXCHANGE_TOML_ENV, None)  # the roster stays out of every kernel's reach
    os.chdir(ws.root)  # relative defaults of the collaboration stores land in the workspace
    options = [*classroom_argv(ws), "--VxkitApp.hub_login=True"]
    beside = Path(sys.executable).parent / "jupyterhub-singleuser"
    command = str(beside) if beside.is_file() else "jupyterhub-singleuser"
    os.execvp(command, [command, *options, *argv])


if __name__ == "__main__":  # pragma: no cover - run by the hub's spawner
    if len(sys.argv) < 2 or sys.argv[1] != "exchange":
        sys.exit("usage: python -m vxkit.hub exchange [jupyterhub-singleuser options]")
    exchange_server(sys.argv[2:])
