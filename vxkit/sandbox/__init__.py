"""Kernels confined to their area: Linux Landlock, or bubblewrap where Landlock can't.

A kernel of a team notebook reads and writes ``projects/<team>``; it reads ``shared/``, the
released assignments, ``exchange.toml``, the Python installation and the pre-computed data
cache; it has a private HOME and TMPDIR of its own. It reaches nothing else: not
``course/``, not ``.vxkit/`` (the join secrets), not other teams, not the Jupyter runtime
folder or other kernels' connection files, not the server's ``/proc``; it can't open a
TCP connection (so not to the Jupyter server) and can't signal processes outside its sandbox.

- ``sandbox_status()`` says which mechanism this machine has, for the server to print;
- ``prewarm()`` fills the data cache kernels read (read only) before any kernel starts;
- ``VxkitSandboxProvisioner`` (``vxkit.sandbox.provisioner``, entry point ``vxkit-sandbox``)
  applies it to every kernel jupyter_client starts;
- ``python -m vxkit.sandbox`` is the launcher the provisioner puts in front of the kernel.
"""

from __future__ import annotations

from ..lazy import lazy_names

# lazy, so the launcher (``python -m vxkit.sandbox``, run at every kernel start) imports
# only what it needs
_WHERE = {
    "MECHANISM_ENV": "mechanisms",
    "MECHANISMS": "mechanisms",
    "SandboxStatus": "mechanisms",
    "bubblewrap_works": "mechanisms",
    "choose": "mechanisms",
    "sandbox_status": "mechanisms",
    "kernel_env_for_workspace": "mechanisms",
    "Grants": "grants",
    "grants_for": "grants",
    "data_cache_dir": "grants",
    "prewarm": "grants",
}

__all__ = sorted(_WHERE)
__getattr__ = lazy_names(__name__, _WHERE)
