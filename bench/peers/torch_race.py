#!/usr/bin/python3
"""`mnistbench race` in PyTorch: the recipe a race ran (read from its --json),
trained with torch_peer.py's TorchPeer from each seed's initial weights and
split (the race's --save-initial-weights folder, seed<S>/ per seed), timed as
the race times it: wall time from the first step to the last, shuffling and
gathering each mini-batch included (the images are made float once, before,
as loading). The schedule is torch.optim.lr_scheduler.LambdaLR with the
race's rule. Writes JSON with the keys of `mnistbench race --json`; the
batch order comes from NumPy's generator, not mnistbench's."""

import argparse
import json
import os
import sys
import time

import numpy as np
import torch

from mnist_data import load_split
from peer_run import cpu_model, git_commit, machine_load
from torch_peer import TorchPeer


def parse_args():
    parser = argparse.ArgumentParser(description="The race recipe in PyTorch on the CPU")
    parser.add_argument("--race", required=True, help="the JSON of `mnistbench race --json`: the recipe, seeds, target")
    parser.add_argument("--initial", required=True,
                        help="the race's --save-initial-weights folder (seed<S>/W1.npy ... split.npy)")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--data", help="folder of the MNIST IDX files (default: data/mnist)")
    parser.add_argument("--json", help="write the result here")
    return parser.parse_args()


def train_seed(recipe, folder, seed, args):
    """(seconds, test accuracy) of one seed."""
    peer = TorchPeer(folder, args.threads, recipe["alpha"], recipe["momentum"])
    data = load_split(folder, recipe["dev_size"], args.data)
    x_train, y_train = peer.prepare(data.train_pixels), peer.labels(data.train_labels)
    count, batch = len(data.train_labels), recipe["batch_size"]
    per_epoch = -(-count // batch)
    total = per_epoch * recipe["epochs"]
    schedule = None
    if recipe["schedule"] == "linear":  # alpha · (total - step) / total at step 0, 1, ...
        schedule = torch.optim.lr_scheduler.LambdaLR(peer.optimizer, lambda step: (total - step) / total)
    shuffle = np.random.default_rng(seed)

    start = time.perf_counter()
    for step in range(total):
        if step % per_epoch == 0:
            order = shuffle.permutation(count)
        x, y = peer.take(x_train, y_train, order[(step % per_epoch) * batch:][:batch])
        peer.step(x, y)
        if schedule:
            schedule.step()
    seconds = time.perf_counter() - start
    accuracy = float(np.mean(peer.predict(peer.prepare(data.test_pixels)).argmax(axis=1) == data.test_labels))
    return peer, seconds, accuracy


def main():
    args = parse_args()
    with open(args.race) as f:
        race = json.load(f)
    recipe, target = race["recipe"], race["target"]
    if recipe["layers"] != [784, 10, 10] or not recipe["batch_size"]:
        sys.exit(f"torch_race.py: runs the 784-10-10 network on mini-batches; the race ran "
                 f"layers {recipe['layers']}, batch {recipe['batch_size']}")
    seeds, peer = [], None
    load = {"before": machine_load()}
    for seed in recipe["seeds"]:
        peer, seconds, accuracy = train_seed(recipe, f"{args.initial}/seed{seed}", seed, args)
        seeds.append({"seed": seed, "seconds": seconds, "test_accuracy": accuracy})
        print(f"seed {seed:<4} torch {seconds * 1e3:9.2f} ms  test {accuracy:.2%}", file=sys.stderr)

    load["after"] = machine_load()
    times = np.array([s["seconds"] for s in seeds])
    accuracies = np.array([s["test_accuracy"] for s in seeds])
    below = int(np.sum(accuracies < target - race["seed_margin"]))
    run = {"backend": "torch", "library": peer.library, "isa": peer.isa, "threads": peer.threads,
           "step": "nn.Linear, autograd, optim.SGD",
           "median_seconds": float(np.median(times)), "q1_seconds": float(np.quantile(times, 0.25)),
           "q3_seconds": float(np.quantile(times, 0.75)), "mean_test_accuracy": float(accuracies.mean()),
           "min_test_accuracy": float(accuracies.min()), "seeds_below": below,
           "met": bool(accuracies.mean() >= target), "valid": below <= race["seeds_allowed_below"],
           "seeds": seeds}
    summary = {"target": target, "seed_margin": race["seed_margin"], "seeds_allowed_below": race["seeds_allowed_below"],
               "recipe": recipe, "runs": [run], "peer": peer.details, "conditions": {"load": load},
               "machine": {"cpu_model": cpu_model(), "logical_cores": os.cpu_count(),
                           "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", "")},
               "git_commit": git_commit()}
    print(f"torch, {peer.threads} thread(s): median {run['median_seconds'] * 1e3:.1f} ms, mean test "
          f"{run['mean_test_accuracy']:.2%}, min {run['min_test_accuracy']:.2%}, {below} below; "
          f"{'met' if run['met'] else 'MISSED'}{'' if run['valid'] else ', INVALID'}; BLAS {peer.library}",
          file=sys.stderr)
    if args.json:
        with open(args.json, "w") as out:
            json.dump(summary, out, indent=2)
            out.write("\n")


if __name__ == "__main__":
    main()
