#!/usr/bin/python3
"""The tutorial's network as a PyTorch user would write it, on the CPU in
float32: nn.Linear layers, cross-entropy, autograd and optim.SGD; the same
algorithm (full-batch or mini-batch gradient descent on the mean
cross-entropy), started from the weights mnistbench wrote; see peer_run.py."""

import re

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

import blas_info
from peer_run import parse_args, train


class TorchPeer:
    def __init__(self, initial, threads, alpha, momentum=0.0):
        torch.set_num_threads(threads)
        # ATen uses OpenMP for its own loops and calls the system BLAS for the
        # products; that BLAS keeps its own thread pool, so set it too.
        blas = blas_info.describe_and_set_threads(threads)
        self.model = nn.Sequential(nn.Linear(784, 10), nn.ReLU(), nn.Linear(10, 10))
        with torch.no_grad():
            for layer, w, b in ((self.model[0], "W1", "b1"), (self.model[2], "W2", "b2")):
                layer.weight.copy_(torch.from_numpy(np.load(f"{initial}/{w}.npy")))
                layer.bias.copy_(torch.from_numpy(np.load(f"{initial}/{b}.npy")).reshape(-1))
        # PyTorch's momentum is mnistbench's heavy ball: v = momentum·v + g, p -= lr·v.
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=alpha, momentum=momentum)

        capability = re.search(r"CPU capability usage: (\S+)", torch.__config__.show())
        self.name = "torch"
        self.library = f"PyTorch {torch.__version__} + {blas['name']}" + (f" (core {blas['core']})" if blas["core"] else "")
        self.isa = f"ATen {capability.group(1) if capability else 'unknown'}, BLAS {blas['isa']}"
        self.threads = torch.get_num_threads()
        self.details = {"torch": torch.__version__, "dtype": "float32", "blas": blas,
                        "parallel_info": torch.__config__.parallel_info()}

    def prepare(self, pixels):
        # (m, 784), one image per row, as nn.Linear takes it; pixels / 255 in float32.
        return torch.from_numpy(pixels.astype(np.float32) / np.float32(255))

    def labels(self, y):
        return torch.from_numpy(y)

    def take(self, X, Y, indices):
        index = torch.from_numpy(indices)
        return X[index], Y[index]

    def step(self, X, Y):
        self.optimizer.zero_grad(set_to_none=True)
        logits = self.model(X)
        F.cross_entropy(logits, Y).backward()
        self.optimizer.step()
        return logits.detach()

    def probabilities(self, logits):
        return torch.softmax(logits, dim=1).numpy()

    def predict(self, X):
        with torch.no_grad():
            return torch.softmax(self.model(X), dim=1).numpy()


def main():
    args = parse_args("The tutorial's network in PyTorch on the CPU (float32, autograd, optim.SGD)")
    train(TorchPeer(args.initial, args.threads, args.alpha), args)


if __name__ == "__main__":
    main()
