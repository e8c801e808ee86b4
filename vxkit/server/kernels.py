"""Kernels in the classroom: who started them for which area, and who sends them what.

Each kernel belongs to the area of the notebook it was started for (``VxkitKernelManager``
records it), so the policy lets a student reach only the kernels of their own area.

Kernel messages carry the signed-in identity of the person who sent them.

Every message a browser sends to a kernel gets ``metadata["vxkit_identity"]`` set by the
server to ``identity.as_dict()`` of the signed-in user, replacing whatever the browser put
there. Code in the kernel reads it with ``get_ipython().kernel.get_parent()["metadata"]``
(widgets use it to record who clicked).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from jupyter_server.services.kernels.connection.base import (
    deserialize_binary_message,
    deserialize_msg_from_ws_v1,
    serialize_binary_message,
    serialize_msg_to_ws_v1,
)
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

from ..areas import OUTSIDE, Area, area_of
from .identity import identity_of
from .provider import SessionCheck

METADATA_KEY = "vxkit_identity"
V1_PROTOCOL = "v1.kernel.websocket.jupyter.org"


def stamp_metadata(metadata: Any, identity: dict[str, Any]) -> dict[str, Any]:
    """``metadata`` with the identity set, whatever the sender claimed."""
    stamped = dict(metadata) if isinstance(metadata, dict) else {}
    stamped[METADATA_KEY] = identity
    return stamped


class VxkitKernelWebsocketConnection(ZMQChannelsWebsocketConnection):
    """The stock kernel websocket, stamping each incoming message with the sender's identity."""

    def handle_incoming_message(self, incoming_msg: Any) -> None:
        """Stamp the message, then pass it on as upstream does."""
        session = getattr(self, "_vxkit_session", None)
        if session is None:
            session = self._vxkit_session = SessionCheck(self.websocket_handler)
        if not session.ok():
            self.log.info("vxkit: closing the kernel websocket of a revoked session")
            self.websocket_handler.close(4403, "Your join link was replaced: open the new one.")
            return
        try:
            incoming_msg = self._stamp(incoming_msg)
        except (ValueError, KeyError, IndexError, TypeError, UnicodeDecodeError):
            self.log.warning("vxkit: dropped a malformed kernel message")
            return
        super().handle_incoming_message(incoming_msg)

    def _stamp(self, ws_msg: Any) -> Any:
        who = identity_of(self.websocket_handler.current_user)
        if who is None:
            raise ValueError("no vxkit identity")
        identity = who.as_dict()
        if self.subprotocol == V1_PROTOCOL:
            channel, parts = deserialize_msg_from_ws_v1(ws_msg)
            metadata = json.loads(parts[2]) if parts[2] else {}
            parts[2] = json.dumps(stamp_metadata(metadata, identity)).encode()
            return serialize_msg_to_ws_v1(parts, channel)
        if isinstance(ws_msg, bytes):
            msg = deserialize_binary_message(ws_msg)
            msg["metadata"] = stamp_metadata(msg.get("metadata"), identity)
            return serialize_binary_message(msg)
        msg = json.loads(ws_msg)
        msg["metadata"] = stamp_metadata(msg.get("metadata"), identity)
        return json.dumps(msg)


def owned(base: type) -> type:
    """``base`` (the server's kernel manager class) recording the area of every kernel.

    The area comes from the notebook path the kernel starts for: the same path jupyter_server
    turns into the kernel's working folder, which the kernel sandbox confines it to. A kernel
    started with no path belongs to no area (teachers only).
    """
    if getattr(base, "vxkit_owned", False):
        return base

    class VxkitKernelManager(base):  # type:ignore[valid-type,misc]
        vxkit_owned = True

        @property
        def vxkit_areas(self) -> dict[str, Area]:
            """Kernel id -> the area it belongs to."""
            areas = self.__dict__.get("_vxkit_areas")
            if areas is None:
                areas = self.__dict__["_vxkit_areas"] = {}
            return areas

        async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
            path = kwargs.get("path")
            kernel_id = await super().start_kernel(*args, **kwargs)
            if kernel_id not in self.vxkit_areas:
                area = area_of(self.root_dir, path) if isinstance(path, str) else OUTSIDE
                self.vxkit_areas[kernel_id] = area
            return kernel_id

    VxkitKernelManager.__qualname__ = VxkitKernelManager.__name__ = f"Vxkit{base.__name__}"
    return VxkitKernelManager


def sandboxed(base: type) -> type:
    """``base`` (the server's kernel spec manager class) naming the ``vxkit-sandbox``
    provisioner, with its settings in ``vxkit_provisioner``, in every spec a kernel starts
    from. A spec that names a provisioner of its own keeps it."""
    if getattr(base, "vxkit_sandboxed", False):
        return base

    class VxkitKernelSpecManager(base):  # type:ignore[valid-type,misc]
        vxkit_sandboxed = True

        def get_kernel_spec(self, kernel_name: str, *args: Any, **kwargs: Any) -> Any:
            spec = super().get_kernel_spec(kernel_name, *args, **kwargs)
            provisioner = getattr(self, "vxkit_provisioner", None)
            if provisioner and "kernel_provisioner" not in (spec.metadata or {}):
                spec.metadata = {
                    **(spec.metadata or {}),
                    "kernel_provisioner": copy.deepcopy(self.vxkit_provisioner),
                }
            return spec

    VxkitKernelSpecManager.__qualname__ = VxkitKernelSpecManager.__name__ = f"Vxkit{base.__name__}"
    return VxkitKernelSpecManager
