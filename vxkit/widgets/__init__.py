"""Widgets and maps that partner classes drive together in a co-edited notebook.

Imports are lazy: ``from vxkit.widgets import ExchangeMap`` does not load ipywidgets.
"""

from __future__ import annotations

from ..lazy import lazy_names

_WHERE = {
    "ExchangeMap": "maps",
    "IndicatorExplorer": "explorer",
    "TimeZonePlanner": "planner",
    "DataContribution": "contribution",
    "ObservationKind": "contribution",
    "observations": "contribution",
    "observations_chart": "contribution",
    "PartnerBoard": "board",
    "current_identity": "identity",
}

__all__ = sorted(_WHERE)
__getattr__ = lazy_names(__name__, _WHERE)
