"""Who clicked: the signed-in identity the server stamped on the kernel message being handled.

In a co-edited notebook every partner drives the same kernel, so nothing in the kernel tells
who pressed a button. The vxkit server extension stamps the signed-in identity on every
message a browser sends to a kernel, as ``msg["metadata"]["vxkit_identity"]`` (a dict with
``role``, ``name``, ``student_id``, ``class_id``), overwriting anything the browser claimed.
Widget callbacks run while that message is the kernel's parent, so they read it here.
"""

from __future__ import annotations

from typing import Any

IDENTITY_KEY = "vxkit_identity"
FIELDS = ("role", "name", "student_id", "class_id")


def _parent_message() -> dict[str, Any] | None:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return None
    shell = get_ipython()
    kernel = getattr(shell, "kernel", None)
    if kernel is None:
        return None
    try:
        parent = kernel.get_parent()
    except TypeError:  # pragma: no cover - ipykernel < 6 took the channel first
        parent = kernel.get_parent("shell")
    return parent if isinstance(parent, dict) else None


def current_identity() -> dict[str, Any] | None:
    """The identity stamped on the message being handled, or None (no kernel, no stamp).

    The dict has exactly the keys ``role``, ``name``, ``student_id`` and ``class_id``
    (values are text or None).
    """
    parent = _parent_message()
    if not parent:
        return None
    metadata = parent.get("metadata")
    stamped = metadata.get(IDENTITY_KEY) if isinstance(metadata, dict) else None
    if not isinstance(stamped, dict):
        return None
    identity = {}
    for key in FIELDS:
        value = stamped.get(key)
        identity[key] = value if isinstance(value, str) and value else None
    if identity["role"] is None:
        return None
    return identity
