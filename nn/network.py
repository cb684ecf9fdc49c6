"""A fully connected sigmoid network with the quadratic cost of the video, in one flat buffer.

Notation (Nielsen's): layer l has weights W^l (n_l x n_{l-1}) and biases b^l (n_l). For a batch of
inputs X (n x 784, one example per row)

    z^l = a^{l-1} W^l^T + b^l,        a^l = sigmoid(z^l),        a^0 = X.

The cost of one example is C_x = sum_j (a^L_j - y_j)^2 with y the one-hot label, and the cost of
the network is the mean C = (1/n) sum_x C_x, exactly as the video writes it.

All parameters live in one 1-D array `params` laid out as W1 (row-major), b1, W2, b2, ...; the
per-layer `weights` and `biases` are views into it. One flat buffer means one SGD update is one
vector operation, and snapshots are one copy.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def sigmoid(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """sigma(z) = 1 / (1 + exp(-z)), elementwise, optionally in place into `out`."""
    out = np.negative(z, out=out)
    with np.errstate(over="ignore"):  # exp(-z) = inf for z << 0 gives sigma = 0, as it should
        np.exp(out, out)
    np.add(out, 1.0, out)  # positional `out`: a little less call overhead than `out += 1.0`
    return np.reciprocal(out, out)


# Per batch size: activations, deltas, scratch (one array of each per layer), and a flat view of
# the output delta.
_Buffers = tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray], np.ndarray]


def parameter_shapes(sizes: Sequence[int]) -> list[tuple[int, int]]:
    """The (n_out, n_in) weight shape of each layer for layer sizes like [784, 16, 16, 10]."""
    return [(n_out, n_in) for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def parameter_count(sizes: Sequence[int]) -> int:
    """Number of weights and biases: sum over layers of n_out * n_in + n_out."""
    return sum(n_out * n_in + n_out for n_out, n_in in parameter_shapes(sizes))


def layer_views(flat: np.ndarray, sizes: Sequence[int]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Split a flat parameter (or gradient) vector into per-layer weight and bias views."""
    weights, biases, start = [], [], 0
    for n_out, n_in in parameter_shapes(sizes):
        weights.append(flat[start : start + n_out * n_in].reshape(n_out, n_in))
        start += n_out * n_in
        biases.append(flat[start : start + n_out])
        start += n_out
    return weights, biases


class Network:
    """Sigmoid network, quadratic cost, vectorised mini-batch backprop over one flat buffer."""

    def __init__(
        self, sizes: Sequence[int], seed: int | np.random.Generator = 0, dtype: type = np.float64
    ) -> None:
        """Weights ~ N(0, 1/n_in) (so a 784-pixel input does not saturate the sigmoids), biases ~ N(0, 1)."""
        if len(sizes) < 2 or any(int(s) < 1 for s in sizes):
            raise ValueError(f"layer sizes must be at least two positive integers, got {list(sizes)}")
        self.sizes = [int(s) for s in sizes]
        self.dtype = np.dtype(dtype)
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        self.params = np.empty(parameter_count(self.sizes), dtype=self.dtype)
        self.weights, self.biases = layer_views(self.params, self.sizes)
        for w, b in zip(self.weights, self.biases):
            w[...] = rng.standard_normal(w.shape) / np.sqrt(w.shape[1])
            b[...] = rng.standard_normal(b.shape)
        self.grad = np.zeros_like(self.params)
        self._grad_w, self._grad_b = layer_views(self.grad, self.sizes)
        self._buffers: dict[int, _Buffers] = {}

    # -- forward ---------------------------------------------------------------------------

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Output activations a^L for inputs X (n x n_0): a^l = sigmoid(a^{l-1} W^l^T + b^l)."""
        a = np.asarray(X, dtype=self.dtype)
        for w, b in zip(self.weights, self.biases):
            z = a @ w.T
            z += b
            a = sigmoid(z, out=z)
        return a

    def cost(self, X: np.ndarray, Y: np.ndarray) -> float:
        """C = (1/n) sum_x sum_j (a^L_j(x) - y_j)^2, with Y one-hot (n x n_L)."""
        diff = self.forward(X) - Y
        return float(np.einsum("ij,ij->", diff, diff) / len(X))

    def accuracy(self, X: np.ndarray, labels: np.ndarray) -> float:
        """Share of examples whose largest output is the label."""
        return float(np.mean(self.forward(X).argmax(axis=1) == labels))

    # -- backward --------------------------------------------------------------------------

    def gradient(self, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
        """A copy of dC/dparams, flat, in the same layout as `params`."""
        self.backprop(X, Y)
        return self.grad.copy()

    def backprop(self, X: np.ndarray, Y: np.ndarray) -> float:
        """Fill `self.grad` with dC/dparams for the batch (X, Y) and return the batch cost C.

        With delta^l = dC/dz^l (one row per example):
            delta^L = (2/n) (a^L - y) * a^L (1 - a^L)
            delta^l = (delta^{l+1} W^{l+1}) * a^l (1 - a^l)
            dC/dW^l = delta^l^T a^{l-1},      dC/db^l = sum over rows of delta^l.
        Every intermediate lives in a buffer kept per batch size, so a training step allocates
        nothing: at batch 10 the arithmetic is tiny and per-call overhead is what costs.
        """
        n = len(X)
        acts, deltas, scratch, flat = self._buffers_for(n)
        # Speed (batch 10 is ~40 small NumPy calls, so per-call overhead is what costs): np.dot
        # rather than np.matmul between our own buffers (same BLAS call, less dispatch),
        # positional `out`, np.add.reduce rather than the np.sum wrapper, a scratch buffer for
        # sigma'. Same arithmetic in the same order: results are bit-for-bit what they were.
        # Products with X keep np.matmul: X may be another dtype, which matmul casts and np.dot refuses.
        # forward, keeping every activation
        prev = X
        for l, (w, b, a) in enumerate(zip(self.weights, self.biases, acts)):
            if l == 0:
                np.matmul(X, w.T, out=a)
            else:
                np.dot(prev, w.T, out=a)
            np.add(a, b, a)
            sigmoid(a, out=a)
            prev = a
        # output error and cost
        delta = deltas[-1]
        np.subtract(prev, Y, delta)
        cost = float(np.dot(flat, flat)) / n  # flat: a 1-D view of deltas[-1]
        np.multiply(delta, 2.0 / n, delta)
        # backward
        for l in range(len(self.weights) - 1, -1, -1):
            a, delta = acts[l], deltas[l]
            _times_sigmoid_prime(delta, a, scratch[l])
            if l > 0:
                np.dot(delta.T, acts[l - 1], out=self._grad_w[l])
            else:
                np.matmul(delta.T, X, out=self._grad_w[l])
            np.add.reduce(delta, 0, None, self._grad_b[l])
            if l > 0:
                np.dot(delta, self.weights[l], out=deltas[l - 1])
        return cost

    def sgd_step(self, X: np.ndarray, Y: np.ndarray, lr: float) -> float:
        """One step of gradient descent on the batch: params <- params - lr * dC/dparams.

        Returns the batch cost before the step; `self.grad` holds the gradient used.
        """
        cost = self.backprop(X, Y)
        self.params -= lr * self.grad
        return cost

    def _buffers_for(self, n: int) -> _Buffers:
        """Activations, deltas, scratch (one of each per layer) and a flat view of the output delta."""
        if n not in self._buffers:
            acts = [np.empty((n, s), dtype=self.dtype) for s in self.sizes[1:]]
            deltas = [np.empty((n, s), dtype=self.dtype) for s in self.sizes[1:]]
            scratch = [np.empty((n, s), dtype=self.dtype) for s in self.sizes[1:]]
            self._buffers[n] = (acts, deltas, scratch, deltas[-1].reshape(-1))
        return self._buffers[n]


def _times_sigmoid_prime(delta: np.ndarray, a: np.ndarray, scratch: np.ndarray) -> None:
    """delta *= sigma'(z) = a (1 - a), in place; `scratch` (delta's shape) holds delta * a."""
    np.multiply(delta, a, delta)
    np.multiply(delta, a, scratch)
    np.subtract(delta, scratch, delta)
