"""Widgets and maps that partner classes drive together in a co-edited notebook."""

from __future__ import annotations

from .maps import ExchangeMap

__all__ = ["ExchangeMap"]
