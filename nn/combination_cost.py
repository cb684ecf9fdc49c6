"""The real cost at many weight vectors that are combinations of a few fixed vectors, fast.

Every surface `nn landscape` draws is a family theta(c) = sum_i c_i V_i of weight vectors, with
fixed basis vectors V_i (rows of `basis`, M x P) and coefficients c that depend on the grid point:
the plane is V = [theta*, d1, d2], c = [1, a, b]; a sheet through snapshots uses a few snapshots
per point (see nn/surface.py). Layer 1's pre-activation is linear in theta, so

    X W1(c)^T + b1(c) = sum_i c_i (X W1_i^T + b1_i)

and the products X W1_i^T + b1_i are computed once, for every basis vector. Each point then pays
only for q small products (q = its number of nonzero coefficients), a sigmoid and the small layers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

import numpy as np
from threadpoolctl import threadpool_limits

from nn.network import layer_views

CHUNK_ELEMENTS = 1 << 19  # 2 MB of float32 per intermediate: cache-sized, bounded on any grid
F = TypeVar("F", bound=Callable)


def one_blas_thread(fn: F) -> F:
    """Run `fn` with BLAS on one thread. Our products are small; on the 2-core VM, with another
    process busy, two BLAS threads made a landscape 4x slower (22 s against 5.7 s for the shared one)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with threadpool_limits(limits=1, user_api="blas"):
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


class CombinationCost:
    """C(sum_i c_i V_i) for many coefficient rows, exact up to the float type (see module doc).

    How it is fast (bench/landscape_speed.py: in float32 about 30x a naive forward pass per point):

    - sigma(z) = (1 + tanh(z/2)) / 2. One `tanh` pass replaces the four passes of
      1/(1 + exp(-z)), and the halving and the "(1 + .)/2" fold into the weights: a layer that
      reads t = tanh(z/2) instead of sigma(z) uses [W/4 | rowsum(W)/4 + b/2] to give its own z/2
      directly, and the cost is (1/n) sum (t - (2y - 1))^2 / 4. Same function, fewer passes.
      Folding is linear in the weights, so the folded layer of sum c_i V_i is sum c_i F_i.
    - The bias is an extra input fixed at 1 (a row of ones under each activation block), so each
      layer is one matrix product, with no broadcast bias pass.
    - Examples are split into blocks of at most `_BLOCK` (activations laid out as
      (points, blocks, neurons, examples)): every product is a small BLAS call that OpenBLAS
      runs on one thread. Multi-threaded small products were about as fast on an idle machine but
      tens of times slower while another process kept a core busy. The padding in the last block
      is zeroed before the sum.
    - In float32 the final sum is NumPy's pairwise sum along a contiguous row. That keeps it
      within ~2e-7 of float64; an einsum reduction drifted to ~3e-5.
    """

    _BLOCK = 1024  # examples per block: a 16-neuron block is 64 KB of float32, cache-resident

    def __init__(self, sizes: list[int], basis: np.ndarray, X: np.ndarray, Y: np.ndarray,
                 dtype: type = np.float32) -> None:
        self.dtype = np.dtype(dtype)
        self.n = n = len(X)
        self.widths = [int(s) for s in sizes[1:]]
        self.blocks = nb = -(-n // self._BLOCK)
        self.block = B = -(-n // nb)  # examples per block; the last block has `pad` empty slots
        self.pad = nb * B - n
        basis = np.atleast_2d(basis)
        self.size = m = len(basis)
        views = [layer_views(v, sizes) for v in basis]
        h = self.widths[0]
        # layer 1: z/2 = sum_i c_i Z_i / 2, computed once in float64, stored per block as M rows
        # of h*B values so that one product with the coefficients gives a whole block
        w1 = np.concatenate([v[0][0] for v in views])  # (M h, n_0)
        b1 = np.concatenate([v[1][0] for v in views])
        z = np.zeros((m * h, nb * B))
        np.matmul(w1, X.T, out=z[:, :n])
        z[:, :n] += b1[:, None]
        z *= 0.5
        self.z = np.ascontiguousarray(
            z.reshape(m, h, nb, B).transpose(2, 0, 1, 3).reshape(nb, m, h * B), dtype=self.dtype
        )
        # later layers: per layer an (M, n_out, n_in + 1) stack of folded weights
        self.layers = [np.stack([self._fold(v[0][l], v[1][l]) for v in views]) for l in range(1, len(sizes) - 1)]
        target = np.zeros((self.widths[-1], nb * B))
        target[:, :n] = 2.0 * Y.T - 1.0
        self.target = np.ascontiguousarray(
            target.reshape(self.widths[-1], nb, B).transpose(1, 0, 2), dtype=self.dtype
        )

    @staticmethod
    def _fold(w: np.ndarray, b: np.ndarray) -> np.ndarray:
        """[W/4 | rowsum(W)/4 + b/2]: maps [t; 1], t = tanh(z_prev/2), to z/2 of this layer."""
        return np.column_stack([w / 4.0, w.sum(axis=1) / 4.0 + b / 2.0])

    def __call__(self, coef: np.ndarray, idx: np.ndarray | None = None) -> np.ndarray:
        """Cost at sum_j coef[g, j] V[idx[g, j]] for each row g, as float64.

        `idx` None: coef is (G, M), one coefficient per basis vector. Otherwise coef and idx are
        (G, q): each point combines the q basis vectors it names (q small: a sparse combination).
        """
        coef = np.atleast_2d(np.asarray(coef, dtype=np.float64))
        if idx is not None:
            idx = np.atleast_2d(np.asarray(idx, dtype=np.intp))
        nb, B = self.blocks, self.block
        q = coef.shape[1]
        chunk = max(1, min(len(coef), CHUNK_ELEMENTS // (nb * B * max(self.widths) * (1 if idx is None else q))))
        # hidden layers carry a row of ones under each block (the bias input); the output does not
        bufs = [np.empty((chunk, nb, (w + 1) * B), self.dtype) for w in self.widths[:-1]]
        for buf, w in zip(bufs, self.widths):
            buf[:, :, w * B :] = 1.0
        bufs.append(np.empty((chunk, nb, self.widths[-1] * B), self.dtype))
        out = np.empty(len(coef))
        for i in range(0, len(coef), chunk):
            out[i : i + chunk] = self._chunk(coef[i : i + chunk], None if idx is None else idx[i : i + chunk], bufs)
        return out

    def _chunk(self, coef: np.ndarray, idx: np.ndarray | None, bufs: list[np.ndarray]) -> np.ndarray:
        g, nb, B = len(coef), self.blocks, self.block
        buf = bufs[0][:g]
        act = buf[:, :, : self.widths[0] * B]
        c = coef.astype(self.dtype)[:, None, None, :]
        z = self.z if idx is None else self.z[:, idx].transpose(1, 0, 2, 3)  # (g, nb, q, hB) when sparse
        np.matmul(c, z, out=act[:, :, None, :])
        np.tanh(act, out=act)
        for stack, nbuf, w_in, w_out in zip(self.layers, bufs[1:], self.widths, self.widths[1:]):
            if idx is None:
                w = np.einsum("gk,kij->gij", coef, stack)
            else:
                w = np.einsum("gk,gkij->gij", coef, stack[idx])
            w = w.astype(self.dtype)  # (g, n_out, n_in + 1)
            nbuf = nbuf[:g]
            np.matmul(w[:, None], buf.reshape(g, nb, w_in + 1, B), out=nbuf.reshape(g, nb, -1, B)[:, :, :w_out])
            act = nbuf[:, :, : w_out * B]
            np.tanh(act, out=act)
            buf = nbuf
        out = buf.reshape(g, nb, self.widths[-1], B)
        out -= self.target
        if self.pad:
            out[:, -1, :, B - self.pad :] = 0.0
        flat = buf.reshape(g, -1)
        np.square(flat, out=flat)
        return flat.sum(axis=1).astype(np.float64) * (0.25 / self.n)


class PlaneCost(CombinationCost):
    """C(theta* + a d1 + b d2) for many (a, b): the combination with basis [theta*, d1, d2]."""

    def __init__(self, sizes: list[int], center: np.ndarray, dirs: np.ndarray, X: np.ndarray, Y: np.ndarray,
                 dtype: type = np.float32) -> None:
        super().__init__(sizes, np.vstack([center, dirs]), X, Y, dtype)

    def __call__(self, ab: np.ndarray, idx: np.ndarray | None = None) -> np.ndarray:
        """Cost at each row (a, b) of `ab` (G x 2), as float64."""
        ab = np.asarray(ab, dtype=np.float64).reshape(-1, 2)
        return super().__call__(np.column_stack([np.ones(len(ab)), ab]))
