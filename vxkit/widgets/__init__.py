"""Widgets and maps that partner classes drive together in a co-edited notebook.

Imports are lazy: ``from vxkit.widgets import ExchangeMap`` does not load ipywidgets.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_WHERE = {
    "ExchangeMap": "maps",
    "IndicatorExplorer": "explorer",
    "TimeZonePlanner": "planner",
    "DataContribution": "contribution",
    "ObservationKind": "contribution",
    "PartnerBoard": "board",
    "current_identity": "identity",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
