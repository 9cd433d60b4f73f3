#!/usr/bin/env python3
"""Data-parallel scaling on this machine: for each backend, at full batch and
at batch 64, one process with N threads against N processes (mpirun, shared
memory) with one thread each, and what share of the step the exchange of
gradients takes. Writes scaling.json (every run's `train --json`) and
README.md (the table) into the output folder.

    bench/scaling.py --mnistbench build/cli/mnistbench --out scaling

Run it on a quiet machine: each figure is a median of many steps, but the
two configurations are compared as ratios from one run of this script.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

FULL_BATCH_STEPS = 40
BATCH = 64


def train(command, json_path):
    """Runs one `train` (under mpirun when the command starts with it); returns its JSON."""
    result = subprocess.run(command + ["--json", str(json_path)], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"scaling: failed ({result.returncode}): {' '.join(command)}\n{result.stderr[-2000:]}")
    with open(json_path) as f:
        return json.load(f)


def built_in(mnistbench):
    """The backends `mnistbench list` shows: the rows of its first table."""
    listing = subprocess.run([mnistbench, "list"], capture_output=True, text=True, check=True).stdout
    table = listing.split("\nbackend ", 1)[1].split("\n\n", 1)[0]
    return [line.split()[0] for line in table.splitlines()[1:] if line.strip()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mnistbench", default="build/cli/mnistbench", help="the binary")
    parser.add_argument("--out", required=True, help="folder for scaling.json and README.md")
    parser.add_argument("--backends", default="", help="comma-separated (default: every backend built in)")
    parser.add_argument("--processes", type=int, default=os.cpu_count(), help="N (default: the cores)")
    args = parser.parse_args()

    mnistbench = str(Path(args.mnistbench).resolve())
    mpirun = shutil.which("mpirun")
    if mpirun is None:
        sys.exit("scaling: mpirun not found (scripts/setup.sh installs openmpi-bin)")
    backends = args.backends.split(",") if args.backends else built_in(mnistbench)
    n = args.processes
    launcher = [mpirun, "--allow-run-as-root", "-np", str(n)] if os.geteuid() == 0 else [mpirun, "-np", str(n)]

    runs = []
    with tempfile.TemporaryDirectory() as scratch:
        for backend in backends:
            for batch_name, batch_args in (
                ("full batch", ["--iterations", str(FULL_BATCH_STEPS)]),
                (f"batch {BATCH}", ["--batch-size", str(BATCH), "--epochs", "1"]),
            ):
                common = ["train", "--backend", backend, "--log-every", "1000000"] + batch_args
                print(f"scaling: {backend}, {batch_name}", file=sys.stderr, flush=True)
                threaded = train([mnistbench] + common + ["--threads", str(n)], Path(scratch) / "t.json")
                ranked = train(launcher + [mnistbench] + common + ["--threads", "1", "--distributed"],
                               Path(scratch) / "r.json")
                runs.append({"backend": backend, "batch": batch_name, "threaded": threaded, "distributed": ranked})

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    provenance = runs[0]["threaded"]
    (out / "scaling.json").write_text(json.dumps(
        {"processes": n, "machine": provenance.get("machine"), "git_commit": provenance.get("git_commit"),
         "runs": runs}, indent=2) + "\n")
    (out / "README.md").write_text(report(runs, n, provenance))
    print(f"scaling: wrote {out}/scaling.json and {out}/README.md", file=sys.stderr)


def report(runs, n, provenance):
    machine = provenance.get("machine", {})
    lines = [
        "# Data-parallel scaling on one machine",
        "",
        f"Written by `bench/scaling.py` at commit {provenance.get('git_commit', '?')} on "
        f"{machine.get('cpu_model', '?')} ({machine.get('logical_cores', '?')} logical cores). Each backend trains the tutorial's "
        f"network as one process with {n} threads, and as {n} processes (`mpirun -np {n} ... --distributed "
        "--threads 1`, over shared memory) each computing one shard of every batch; the gradients are "
        "gathered and summed in rank order every step (bit-identical to one process computing the same "
        f"shards, `--shards {n}`). Full batch: {FULL_BATCH_STEPS} steps of 59,000 images; batch {BATCH}: one "
        "epoch. Step times are medians; exchange is the median time of the gathering and ordered sum, "
        "waiting for the slower rank included; bytes are what each rank sends per step.",
        "",
        f"| backend | batch | 1 process x {n} threads, ms/step | {n} processes x 1 thread, ms/step | "
        "processes / threads | exchange, ms/step | exchange share | bytes sent per step |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        t, d = run["threaded"], run["distributed"]
        lines.append(
            f"| {run['backend']} | {run['batch']} | {t['seconds_per_iteration'] * 1e3:.3f} | "
            f"{d['seconds_per_iteration'] * 1e3:.3f} | "
            f"{d['seconds_per_iteration'] / t['seconds_per_iteration']:.2f}x | "
            f"{d['communication_seconds_per_iteration'] * 1e3:.4f} | {d['communication_share'] * 100:.1f}% | "
            f"{d['bytes_sent_per_iteration']:.0f} |")
    lines += ["", "processes / threads above 1x: the processes are slower than the threads.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
