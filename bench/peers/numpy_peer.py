#!/usr/bin/python3
"""The tutorial's NumPy network (../shared/seed), as published: one column per
image, X (784, m), a global-max softmax, one_hot built in every step. With
--dtype float64 it is the published code; float32 is the same code in
mnistbench's precision. Starts from the weights mnistbench wrote; see peer_run.py."""

import numpy as np

import blas_info
from peer_run import parse_args, train


def ReLU(Z):
    return np.maximum(0, Z)


def ReLU_deriv(Z):
    return Z > 0


def softmax(Z):
    A = np.exp(Z - np.max(Z))
    return A / A.sum(axis=0, keepdims=True)


def one_hot(Y, dtype):
    # The published version uses np.zeros' float64; float32 needs its own
    # dtype, or A2 - one_hot_Y would quietly compute the backward pass in float64.
    one_hot_Y = np.zeros((Y.size, 10), dtype=dtype)
    one_hot_Y[np.arange(Y.size), Y] = 1
    return one_hot_Y.T


class NumpyPeer:
    def __init__(self, dtype, initial, threads, alpha):
        self.dtype, self.alpha = np.dtype(dtype), alpha
        self.W1, self.b1, self.W2, self.b2 = (np.load(f"{initial}/{name}.npy").astype(self.dtype)
                                              for name in ("W1", "b1", "W2", "b2"))
        blas = blas_info.describe_and_set_threads(threads)
        self.name = f"numpy-{self.dtype.name}"
        self.library = f"NumPy {np.__version__} + {blas['name']}" + (f" (core {blas['core']})" if blas["core"] else "")
        self.isa = blas["isa"]
        self.threads = threads if blas["core"] else 1
        self.details = {"numpy": np.__version__, "dtype": self.dtype.name, "blas": blas}

    def prepare(self, pixels):
        # X = pixels / 255 in the working precision, as mnistbench scales.
        return np.ascontiguousarray(pixels.T.astype(self.dtype) / self.dtype.type(255))

    def labels(self, y):
        return y

    def take(self, X, Y, indices):
        return np.ascontiguousarray(X[:, indices]), Y[indices]

    def forward(self, X):
        Z1 = self.W1 @ X + self.b1
        A1 = ReLU(Z1)
        Z2 = self.W2 @ A1 + self.b2
        A2 = softmax(Z2)
        return Z1, A1, A2

    def step(self, X, Y):
        m = Y.size
        Z1, A1, A2 = self.forward(X)
        one_hot_Y = one_hot(Y, self.dtype)
        dZ2 = A2 - one_hot_Y
        dW2 = dZ2 @ A1.T / m
        db2 = np.sum(dZ2, axis=1, keepdims=True) / m
        dZ1 = (self.W2.T @ dZ2) * ReLU_deriv(Z1)
        dW1 = dZ1 @ X.T / m
        db1 = np.sum(dZ1, axis=1, keepdims=True) / m
        alpha = self.alpha
        self.W1 -= alpha * dW1
        self.b1 -= alpha * db1
        self.W2 -= alpha * dW2
        self.b2 -= alpha * db2
        return A2

    def probabilities(self, A2):
        return A2.T

    def predict(self, X):
        return self.forward(X)[2].T


def main():
    args = parse_args("The tutorial's NumPy training (float64 as published, or float32)",
                      lambda parser: parser.add_argument("--dtype", choices=["float64", "float32"],
                                                         default="float64"))
    train(NumpyPeer(args.dtype, args.initial, args.threads, args.alpha), args)


if __name__ == "__main__":
    main()
