"""Start-up time: `vxkit lab DIR` next to plain `jupyter lab` on the same folder, in one run.

Measures the wall time from starting the command to `/lab` answering 200, alternating the two
commands so both see the same machine load, and prints the medians and their ratio.

    .venv/bin/python bench/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from vxkit.testing import free_port, stop_process, wait_for_server

BIN = Path(sys.executable).parent
TOKEN = "bench-startup"


def time_to_lab(
    command: list[str], port: int, cwd: Path, timeout: float = 120, env: dict | None = None
) -> float:
    """Seconds from spawning ``command`` until GET /lab answers 200; the server is then stopped."""
    env = {**os.environ, "JUPYTER_TOKEN": TOKEN, **(env or {})}
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for_server(f"http://127.0.0.1:{port}/lab?token={TOKEN}", process, timeout=timeout)
        return time.perf_counter() - start
    finally:
        stop_process(process, timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (default: 7)")
    args = parser.parse_args()

    from vxkit.workspace import scaffold, template_text

    with tempfile.TemporaryDirectory() as tmp:
        ws, _ = scaffold(Path(tmp) / "demo", template_text("demo_exchange.toml"))
        root_flag = ["--allow-root"] if os.geteuid() == 0 else []
        commands = {
            "vxkit lab": lambda port: [
                str(BIN / "vxkit"),
                "lab",
                str(ws.root),
                "--no-browser",
                "--port",
                str(port),
            ],
            "jupyter lab": lambda port: [
                str(BIN / "jupyter"),
                "lab",
                "--no-browser",
                f"--port={port}",
                f"--ServerApp.root_dir={ws.root}",
                *root_flag,
            ],
        }
        # the same plain command with the vxkit server extension switched off, from a user
        # config dir (it outranks the venv's jupyter_server_config.d that enables it)
        no_ext = Path(tmp) / "no-vxkit-config"
        no_ext.mkdir()
        (no_ext / "jupyter_server_config.json").write_text(
            json.dumps({"ServerApp": {"jpserver_extensions": {"vxkit": False}}})
        )
        commands["jupyter lab, vxkit off"] = commands["jupyter lab"]
        envs = {"jupyter lab, vxkit off": {"JUPYTER_CONFIG_DIR": str(no_ext)}}
        times: dict[str, list[float]] = {name: [] for name in commands}
        # one unmeasured start of each warms the disk cache and compiles bytecode
        for name, build in commands.items():
            port = free_port()
            time_to_lab(build(port), port, ws.root, env=envs.get(name))
        for _ in range(args.runs):
            for name, build in commands.items():
                port = free_port()
                times[name].append(time_to_lab(build(port), port, ws.root, env=envs.get(name)))

    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, values in times.items():
        runs = ", ".join(f"{v:.2f}" for v in values)
        print(f"{name:24s} median {medians[name]:.2f} s  (runs: {runs})")
    ratio = medians["vxkit lab"] / medians["jupyter lab"]
    print(f"ratio vxkit lab / jupyter lab: {ratio:.3f} (target <= 1.15)")
    off = medians["vxkit lab"] / medians["jupyter lab, vxkit off"]
    print(f"ratio vxkit lab / jupyter lab without the vxkit extension: {off:.3f}")


if __name__ == "__main__":
    main()
