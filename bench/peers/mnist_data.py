"""MNIST as mnistbench trains on it: the IDX files of data/mnist (plain or
.gz, as scripts/fetch_mnist.sh leaves them), split into train and dev by the
permutation that `mnistbench train --save-initial-weights DIR` wrote to
DIR/split.npy: dev is the first dev_size indices, train the rest, in order."""

import gzip
import os
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]


def default_mnist_dir():
    """$MNISTBENCH_DATA_DIR if set, else data/mnist/, as mnistbench looks."""
    return Path(os.environ.get("MNISTBENCH_DATA_DIR", REPO / "data" / "mnist"))


def read_idx(path):
    """One IDX file as a uint8 array: (count, 784) images or (count,) labels."""
    for candidate in (path, path.with_name(path.name + ".gz")):
        if candidate.exists():
            raw = candidate.read_bytes()
            break
    else:
        raise SystemExit(f"{path}: not found (run scripts/fetch_mnist.sh)")
    if raw[:2] == b"\x1f\x8b":  # gzip, recognised by content as mnistbench does
        raw = gzip.decompress(raw)
    magic, = struct.unpack(">I", raw[:4])
    dims = struct.unpack(f">{magic & 0xFF}I", raw[4:4 + 4 * (magic & 0xFF)])
    values = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * len(dims))
    return values.reshape(dims[0], -1) if len(dims) > 1 else values


@dataclass
class Split:
    """Images as raw bytes, one per row, and their labels (int64)."""
    train_pixels: np.ndarray
    train_labels: np.ndarray
    dev_pixels: np.ndarray
    dev_labels: np.ndarray
    test_pixels: np.ndarray
    test_labels: np.ndarray
    description: str


def load_split(initial_dir, dev_size, data_dir=None):
    data_dir = Path(data_dir) if data_dir else default_mnist_dir()
    pixels = read_idx(data_dir / "train-images-idx3-ubyte")
    labels = read_idx(data_dir / "train-labels-idx1-ubyte").astype(np.int64)
    order = np.load(Path(initial_dir) / "split.npy")
    if order.shape != (len(labels),):
        raise SystemExit(f"split.npy has {order.shape[0]} indices for {len(labels)} images")
    dev, train = order[:dev_size], order[dev_size:]
    return Split(pixels[train], labels[train], pixels[dev], labels[dev],
                 read_idx(data_dir / "t10k-images-idx3-ubyte"),
                 read_idx(data_dir / "t10k-labels-idx1-ubyte").astype(np.int64),
                 f"MNIST ({data_dir})")
