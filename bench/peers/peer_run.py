"""The training loop and the record every peer shares, with mnistbench's
conventions so their figures compare: only the step (forward, backward,
update) is timed, seconds_per_iteration is the median step, the loss and
train accuracy logged every --log-every steps come from that step's own
forward pass (before its update), dev accuracy from the weights after it.
The JSON has the keys of `mnistbench train --json`."""

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import time

import numpy as np

from mnist_data import REPO, load_split


def parse_args(description, add_arguments=lambda parser: None):
    """The options every peer takes, plus those add_arguments adds."""
    parser = argparse.ArgumentParser(description=description)
    add_arguments(parser)
    parser.add_argument("--initial", required=True,
                        help="folder that `mnistbench train --save-initial-weights` wrote "
                             "(W1.npy b1.npy W2.npy b2.npy split.npy)")
    parser.add_argument("--iterations", type=int, default=500, help="full-batch steps")
    parser.add_argument("--batch-size", type=int, default=0, help="0: full batch, as the tutorial")
    parser.add_argument("--epochs", type=int, default=1, help="epochs with --batch-size > 0")
    parser.add_argument("--alpha", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=42,
                        help="mini-batch order (NumPy's generator: not mnistbench's order)")
    parser.add_argument("--dev-size", type=int, default=1000, help="as given to mnistbench")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--log-every", type=int, default=10)
    parser.add_argument("--data", help="folder of the MNIST IDX files (default: data/mnist)")
    parser.add_argument("--json", help="write the summary here")
    return parser.parse_args()


def evaluate(probabilities, labels):
    """Mean cross-entropy (floored as mnistbench floors it) and accuracy."""
    p = probabilities[np.arange(len(labels)), labels].astype(np.float64)
    loss = -np.mean(np.log(np.maximum(p, 1e-30)))
    return float(loss), float(np.mean(probabilities.argmax(axis=1) == labels))


def cpu_model():
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown"


def machine_load():
    """As mnistbench records it (common/platform/machine_load.cpp): the load
    averages and the runnable tasks now besides this one."""
    with open("/proc/loadavg") as f:
        averages = [float(x) for x in f.read().split()[:3]]
    with open("/proc/stat") as f:
        running = next(int(line.split()[1]) for line in f if line.startswith("procs_running"))
    return {"load_average": averages, "other_running_processes": max(0, running - 1)}


def git_commit():
    """As cmake/WriteGitCommit.cmake records it: 12 digits, "-dirty" for changes."""
    def git(*args):
        return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True).stdout.strip()
    commit = git("rev-parse", "--short=12", "HEAD") or "unknown"
    return commit + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def train(peer, args):
    """peer: name, library, isa, threads, details (a dict for the JSON), and
    prepare(pixels) -> X, labels(y) -> Y, take(X, Y, indices) -> a batch,
    step(X, Y) -> out, probabilities(out) and predict(X) -> (m, 10) arrays."""
    data = load_split(args.initial, args.dev_size, args.data)
    x_train, y_train = peer.prepare(data.train_pixels), peer.labels(data.train_labels)
    x_dev = peer.prepare(data.dev_pixels)
    count = len(data.train_labels)
    full_batch = args.batch_size == 0
    batch_size = count if full_batch else min(args.batch_size, count)
    per_epoch = -(-count // batch_size)
    total_steps = args.iterations if full_batch else per_epoch * args.epochs
    shuffle = np.random.default_rng(args.seed)

    history, step_seconds = [], []
    start = time.perf_counter()
    for step in range(total_steps):
        if full_batch:
            x, y, labels = x_train, y_train, data.train_labels
        else:
            if step % per_epoch == 0:
                order = shuffle.permutation(count)
            indices = order[(step % per_epoch) * batch_size:][:batch_size]
            x, y = peer.take(x_train, y_train, indices)
            labels = data.train_labels[indices]
        step_start = time.perf_counter()
        out = peer.step(x, y)
        step_seconds.append(time.perf_counter() - step_start)
        done = step + 1
        if done % args.log_every == 0 or done == total_steps:
            loss, accuracy = evaluate(peer.probabilities(out), labels)
            history.append({"iteration": done, "loss": loss, "train_accuracy": accuracy,
                            "dev_accuracy": evaluate(peer.predict(x_dev), data.dev_labels)[1]
                            if args.dev_size else None,
                            "elapsed_seconds": time.perf_counter() - start})

    final_loss, train_accuracy = evaluate(peer.predict(x_train), data.train_labels)
    median = float(np.median(step_seconds))
    summary = {
        "backend": peer.name, "library": peer.library, "isa": peer.isa, "threads": peer.threads,
        "seed": args.seed, "iterations": total_steps, "batch_size": batch_size,
        "epochs": None if full_batch else args.epochs, "alpha": args.alpha, "layers": [784, 10, 10],
        "init": f"from {args.initial}", "dev_size": args.dev_size, "dataset": data.description,
        "interrupted": False, "final_loss": final_loss, "train_accuracy": train_accuracy,
        "dev_accuracy": evaluate(peer.predict(x_dev), data.dev_labels)[1] if args.dev_size else None,
        "test_accuracy": evaluate(peer.predict(peer.prepare(data.test_pixels)), data.test_labels)[1],
        "seconds_per_iteration": median, "samples_per_second": batch_size / median,
        "history": history, "peer": peer.details,
        "machine": {"cpu_model": cpu_model(), "logical_cores": os.cpu_count(),
                    "hostname": socket.gethostname(), "python": platform.python_version(),
                    "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", "")},
        "git_commit": git_commit(),
    }
    print(f"{peer.name:<14} {peer.threads} thread(s), batch {batch_size}: "
          f"{median * 1e3:.3f} ms/step, {batch_size / median:,.0f} samples/s, "
          f"final loss {final_loss:.6f}, test {summary['test_accuracy']:.2%}", file=sys.stderr)
    if args.json:
        with open(args.json, "w") as out:
            json.dump(summary, out, indent=2)
            out.write("\n")
    return summary
