"""Sample exchanges and hostile text shared by the widget and map tests."""

from __future__ import annotations

import sys
from typing import Any

from vxkit.workspace import template_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

EVIL = "<img src=x onerror=alert(1)>"
TEMPLATE_CODE = "{{ 7*7 }}"


def demo_tables() -> dict[str, Any]:
    """The demo exchange as parsed TOML tables, to change in a test."""
    return tomllib.loads(template_text("demo_exchange.toml"))
