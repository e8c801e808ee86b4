"""Sandboxed kernels next to stock ones: start-up time and a small pandas workload, in one run.

Each run starts a kernel of a team notebook of the demo workspace (jupyter_client's
KernelManager, as the server starts them) with the stock provisioner, then with the
``vxkit-sandbox`` provisioner using Landlock, then bubblewrap (each where the machine has
it), in turn so all see the same machine load. Start-up is from ``start_kernel`` to the
kernel answering ``kernel_info``; the workload (a CSV written and read back in the team
folder, group-bys on a million rows) is timed inside the kernel, best of three. Prints medians and ratios.

    .venv/bin/python bench/kernel_sandbox.py [--runs 9]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

from vxkit.sandbox import bubblewrap_works, landlock, prewarm, sandbox_status
from vxkit.workspace import scaffold, template_text

WORKLOAD = """
import time
t = time.perf_counter()
import numpy as np, pandas as pd
imported = time.perf_counter()
rng = np.random.default_rng(0)
df = pd.DataFrame({"k": rng.integers(0, 1000, 1_000_000), "v": rng.random(1_000_000)})
times = []
for _ in range(3):
    w = time.perf_counter()
    df.head(200_000).to_csv("bench.csv", index=False)
    back = pd.read_csv("bench.csv")
    for _ in range(5):
        out = df.groupby("k")["v"].agg(["mean", "sum", "count"])
    out = back.merge(out, left_on="k", right_index=True).describe()
    times.append(time.perf_counter() - w)
print(imported - t, min(times))
"""


COLUMNS = ("start-up", "import", "workload")


def write_spec(folder: Path, name: str, provisioner: str, config: dict) -> None:
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": name,
        "language": "python",
        "metadata": {"kernel_provisioner": {"provisioner_name": provisioner, "config": config}},
    }
    (folder / name).mkdir(parents=True, exist_ok=True)
    (folder / name / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")


def one_run(kernels: Path, name: str, cwd: Path) -> tuple[float, float, float]:
    """(start-up, importing numpy and pandas, workload) in seconds, of one fresh kernel."""
    km = KernelManager(
        kernel_name=name, kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)])
    )
    started = time.perf_counter()
    km.start_kernel(cwd=str(cwd))
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        startup = time.perf_counter() - started
        out: list[str] = []
        kc.execute_interactive(
            WORKLOAD,
            timeout=300,
            output_hook=lambda m: (
                out.append(m["content"].get("text", "")) if m["msg_type"] == "stream" else None
            ),
        )
        imports, work = (float(x) for x in "".join(out).split()[-2:])
        return startup, imports, work
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs of each kind (default: 9)")
    args = parser.parse_args()
    print(f"sandbox here: {sandbox_status()}")
    with tempfile.TemporaryDirectory() as tmp:
        ws, _ = scaffold(Path(tmp) / "demo", template_text("demo_exchange.toml"))
        kernels = Path(tmp) / "kernels"
        write_spec(kernels, "stock", "local-provisioner", {})
        modes = ["stock"]
        if landlock.abi_version() >= 4:
            modes.append("landlock")
        if bubblewrap_works():
            modes.append("bubblewrap")
        for mode in modes[1:]:
            config = {"workspace_root": str(ws.root), "mechanism": mode}
            write_spec(kernels, mode, "vxkit-sandbox", config)
        prewarm()
        team = ws.team_dir("team_rivers")
        for mode in modes:  # one unmeasured warm-up each (imports, disk cache)
            one_run(kernels, mode, team)
        results: dict[str, list[tuple[float, float, float]]] = {m: [] for m in modes}
        for _ in range(args.runs):
            for mode in modes:
                results[mode].append(one_run(kernels, mode, team))
    base = [statistics.median(r[i] for r in results["stock"]) for i in range(3)]
    print(f"{args.runs} runs each, medians; {os.cpu_count()} CPUs")
    print(f"{'kernel':<12}" + "".join(f"{h:>12} {'ratio':>6}" for h in COLUMNS))
    for mode in modes:
        row = [statistics.median(r[i] for r in results[mode]) for i in range(3)]
        print(
            f"{mode:<12}"
            + "".join(f"{v:>11.3f}s {v / b:>6.3f}" for v, b in zip(row, base, strict=True))
        )


if __name__ == "__main__":
    main()
