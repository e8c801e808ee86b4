"""vxkit: the virtual exchange kit for Jupyter."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    """Tell jupyter_server where the vxkit server extension lives."""
    from .server.app import VxkitApp

    return [{"module": "vxkit.server.app", "app": VxkitApp}]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """Where the prebuilt JupyterLab extension is (for ``jupyter labextension develop``)."""
    return [{"src": "labextension", "dest": "vxkit"}]
