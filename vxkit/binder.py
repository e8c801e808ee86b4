"""vxkit on Binder: the demo exchange with the whole curriculum, and links that open a unit.

``binder/`` in the repository is what repo2docker builds: ``postBuild`` installs vxkit from
``pyproject.toml``; ``binder/start`` puts ``binder/jupyter-config`` on the Jupyter config path,
whose server config calls ``setup_binder_server`` to create the demo workspace and apply the
settings ``vxkit lab`` uses.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .errors import VxkitError
from .exchange import dump_exchange, parse_exchange, tomllib
from .workspace import Workspace, curriculum_dir, scaffold, template_text

BINDER_URL = "https://mybinder.org/v2/gh"
#: The repository Binder builds; set VXKIT_BINDER_REPO (or pass --repo) for a fork.
DEFAULT_REPO = "vxkit/vxkit"
DEFAULT_REF = "main"
DEMO_FOLDER = "vxkit-demo"
_REPO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")


def curriculum_units() -> list[str]:
    """Every unit of the installed curriculum (folders holding a ``unit.toml``), sorted."""
    root = curriculum_dir()
    return sorted(p.parent.name for p in root.glob("*/unit.toml"))


def binder_exchange_text() -> str:
    """The demo exchange with every curriculum unit, as ``exchange.toml`` text."""
    data = tomllib.loads(template_text("demo_exchange.toml"))
    exchange = parse_exchange(data, "demo_exchange.toml")
    exchange.units = curriculum_units() or exchange.units
    return dump_exchange(exchange)


def binder_workspace(home: str | os.PathLike[str] | None = None) -> Workspace:
    """Create (or complete) the Binder demo workspace in ``home`` (default: the home folder)."""
    root = Path(home) if home is not None else Path.home()
    ws, _ = scaffold(root / DEMO_FOLDER, binder_exchange_text())
    return ws


def setup_binder_server(c: Any, home: str | os.PathLike[str] | None = None) -> Workspace:
    """Apply vxkit's server settings to the traitlets config ``c`` of a Binder server.

    The same settings as ``vxkit lab`` (collaboration stores inside the workspace, no news
    or update checks); Binder chooses the address, port and token itself. A Binder room holds
    nothing but the demo, so where its machine can't sandbox kernels they run unconfined
    (``--unsafe-kernels``), and the server says so at start.
    """
    from traitlets.config.loader import KVArgParseConfigLoader

    from .cli import lab_argv

    ws = binder_workspace(home)
    ws.state_dir.mkdir(parents=True, exist_ok=True)
    skip = ("--ServerApp.port=", "--ServerApp.ip=", "--ServerApp.open_browser=")
    argv = [
        a
        for a in lab_argv(ws, 8888, "127.0.0.1", False, unsafe_kernels=True)
        if "=" in a and not a.startswith(skip)
    ]
    c.merge(KVArgParseConfigLoader(argv).load_config())
    # as in `vxkit lab`: relative defaults (nbgrader's config, the ystore) resolve here
    os.chdir(ws.root)
    return ws


def binder_link(
    unit: str, repo: str | None = None, ref: str = DEFAULT_REF, team: str | None = None
) -> str:
    """A mybinder.org link that builds ``repo`` at ``ref`` and opens ``unit``'s team notebook.

    ``team`` defaults to the demo exchange's first team; the notebook opened is
    ``projects/<team>/<unit>.ipynb`` of the demo workspace Binder serves.
    """
    repo = repo or os.environ.get("VXKIT_BINDER_REPO") or DEFAULT_REPO
    if not _REPO.match(repo):
        raise VxkitError(
            f'"{repo}" is not a GitHub repository name: write it as OWNER/NAME, like "{DEFAULT_REPO}".'
        )
    if not ref.strip() or any(ch.isspace() for ch in ref):
        raise VxkitError(f'"{ref}" is not a git branch, tag or commit: use one without spaces.')
    units = curriculum_units()
    if unit not in units:
        known = ", ".join(units) or "none installed"
        raise VxkitError(f'There is no unit "{unit}" in the curriculum (units: {known}).')
    exchange = parse_exchange(tomllib.loads(binder_exchange_text()), "demo_exchange.toml")
    team_id = exchange.get_team(team).id if team else exchange.teams[0].id
    urlpath = f"lab/tree/projects/{team_id}/{unit}.ipynb"
    return f"{BINDER_URL}/{repo}/{quote(ref, safe='')}?urlpath={quote(urlpath, safe='')}"
