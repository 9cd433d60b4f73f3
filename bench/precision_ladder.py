#!/usr/bin/env python3
"""The precision ladder (--precision; issue 11): each backend that runs a
precision below float32 trains at fp32, bf16 and int8, interleaved, at full
batch (the tutorial's 500 steps, for accuracy and step time) and at batch 64
(one epoch, for step time); later repeats time 50 full-batch steps. Writes precision_ladder.json: per backend and
precision the median step of each, the speed-up over the same backend's
fp32, and the final loss, dev and test accuracy with their difference from
fp32; and the refusal line of every backend that cannot run a precision.

    bench/precision_ladder.py --mnistbench build/cli/mnistbench --out ladder

naive runs every precision too, but as the software emulation the kernels
are tested against: its time is no figure of the precision, so it is left
out unless named in --backends.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from scaling import built_in

BATCH = 64


def attempt(command, json_path):
    """Runs one `train`; its JSON, or None and the one-line refusal when it refuses the flags."""
    result = subprocess.run(command + ["--json", str(json_path)], capture_output=True, text=True)
    if result.returncode == 0:
        with open(json_path) as f:
            return json.load(f), None
    if "--precision" in result.stderr:
        return None, result.stderr.strip().splitlines()[-1]
    sys.exit(f"precision_ladder: failed ({result.returncode}): {' '.join(command)}\n{result.stderr[-2000:]}")


def read_load():
    return os.getloadavg()[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mnistbench", default="build/cli/mnistbench", help="the binary")
    parser.add_argument("--out", required=True, help="folder for precision_ladder.json")
    parser.add_argument("--backends", default="", help="comma-separated (default: every backend built in but naive)")
    parser.add_argument("--precisions", default="fp32,bf16,int8")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--iterations", type=int, default=500,
                        help="full-batch steps of the first run, for accuracy (the tutorial's 500)")
    parser.add_argument("--timing-iterations", type=int, default=50,
                        help="full-batch steps of every later run, for step time alone")
    parser.add_argument("--epochs", type=int, default=1, help="epochs at batch 64")
    parser.add_argument("--repeats", type=int, default=3, help="interleaved runs of each; times are their median")
    args = parser.parse_args()

    mnistbench = str(Path(args.mnistbench).resolve())
    built = built_in(mnistbench)
    # Named backends this build lacks are left out (a build without oneDNN, say).
    backends = [b for b in args.backends.split(",") if b in built] if args.backends else [b for b in built if b != "naive"]
    precisions = args.precisions.split(",")
    def shapes(repeat):
        steps = args.iterations if repeat == 0 else args.timing_iterations
        return {"full_batch": ["--iterations", str(steps)],
                "batch64": ["--batch-size", str(BATCH), "--epochs", str(args.epochs)]}

    runs, refused = {}, []
    load_before = read_load()
    with tempfile.TemporaryDirectory() as scratch:
        for repeat in range(args.repeats):
            for backend in backends:
                for precision in precisions:
                    if (backend, precision) in [(r["backend"], r["precision"]) for r in refused]:
                        continue
                    for shape, shape_args in shapes(repeat).items():
                        print(f"precision_ladder: {repeat + 1}/{args.repeats} {backend} {precision} {shape}",
                              file=sys.stderr, flush=True)
                        command = [mnistbench, "train", "--backend", backend, "--precision", precision,
                                   "--threads", str(args.threads), "--log-every", "1000000"] + shape_args
                        summary, refusal = attempt(command, Path(scratch) / "run.json")
                        if refusal:
                            refused.append({"backend": backend, "precision": precision, "refusal": refusal})
                            break
                        runs.setdefault((backend, precision, shape), []).append(summary)

    rows = []
    for backend in backends:
        for precision in precisions:
            if (backend, precision, "full_batch") not in runs:
                continue
            full, small = runs[(backend, precision, "full_batch")], runs[(backend, precision, "batch64")]
            first = full[0]
            rows.append({
                "backend": backend, "precision": precision, "threads": first["threads"], "step": first["step"],
                "full_batch_seconds_per_step": statistics.median(r["seconds_per_iteration"] for r in full),
                "batch64_seconds_per_step": statistics.median(r["seconds_per_iteration"] for r in small),
                "full_batch_repeats": [r["seconds_per_iteration"] for r in full],
                "batch64_repeats": [r["seconds_per_iteration"] for r in small],
                "final_loss": first["final_loss"], "dev_accuracy": first["dev_accuracy"],
                "test_accuracy": first["test_accuracy"],
            })
    for row in rows:
        fp32 = next((r for r in rows if r["backend"] == row["backend"] and r["precision"] == "fp32"), None)
        if fp32 is None:
            continue
        row["full_batch_speedup_vs_fp32"] = fp32["full_batch_seconds_per_step"] / row["full_batch_seconds_per_step"]
        row["batch64_speedup_vs_fp32"] = fp32["batch64_seconds_per_step"] / row["batch64_seconds_per_step"]
        row["final_loss_vs_fp32"] = row["final_loss"] - fp32["final_loss"]
        for split in ("dev", "test"):
            row[f"{split}_accuracy_vs_fp32_points"] = 100 * (row[f"{split}_accuracy"] - fp32[f"{split}_accuracy"])

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    provenance = runs[next(iter(runs))][0] if runs else {}
    (out / "precision_ladder.json").write_text(json.dumps(
        {"iterations": args.iterations, "batch": BATCH, "epochs": args.epochs, "repeats": args.repeats,
         "threads": args.threads, "load_before": load_before, "load_after": read_load(),
         "machine": provenance.get("machine"), "git_commit": provenance.get("git_commit"),
         "runs": rows, "refused": refused}, indent=2) + "\n")
    print(f"precision_ladder: wrote {out}/precision_ladder.json", file=sys.stderr)


if __name__ == "__main__":
    main()
