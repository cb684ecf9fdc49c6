"""The real cost on a plane through weight space, and the recorded path projected onto it.

The cost lives in P dimensions (13,002 for the default network). We pick two directions d1, d2
and look at the plane theta(a, b) = theta* + a d1 + b d2 through the final weights theta*:

- `pca`: the two principal directions of the recorded trajectory relative to theta* (Li et al.
  2018, "Visualizing the Loss Landscape of Neural Nets"); the plane that best fits the path.
- `random`: two Gaussian directions, filter-normalised: each neuron's row of the direction (its
  incoming weights and its bias) is scaled to the norm of that neuron's row in theta*.

Each snapshot is projected onto the plane by least squares. We store, per snapshot, both the true
cost of the recorded weights and the cost at the projected point, so a scene can say how far the
slice departs from the truth.

Speed: layer 1's pre-activation X W1(a,b)^T + b1(a,b) is affine in (a, b), so
X W1*^T, X D1^T and X D2^T are computed once; each grid point then pays only for a sigmoid and
the small layers, many grid points at a time, in float32 by default.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import numpy as np

from nn.data import Dataset, one_hot
from nn.errors import UserError
from nn.network import Network, layer_views
from nn.recording import Recording
from nn.train import TrainConfig, training_set

CHUNK_ELEMENTS = 1 << 19  # 2 MB of float32 per intermediate: cache-sized, bounded on any grid
SLICE_POINTS = 201


# -- directions ---------------------------------------------------------------------------------


def pca_directions(params: np.ndarray, center: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The two principal directions of the rows of `params` - center, and each one's share of
    the variance (explained variance ratio). Directions are unit vectors, orthogonal."""
    moves = params - center
    if np.linalg.matrix_rank(moves) < 2:
        raise UserError(
            f"the path has {len(params)} snapshots spanning fewer than 2 directions, so it has no "
            "principal plane; use --method random, or retrain with more --snapshots (at least 3)"
        )
    _, s, vt = np.linalg.svd(moves, full_matrices=False)
    return vt[:2].copy(), s[:2] ** 2 / np.sum(s**2)


def random_directions(sizes: list[int], center: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Two Gaussian directions, filter-normalised per neuron (incoming weights and bias together)."""
    dirs = rng.standard_normal((2, center.size))
    for d in dirs:
        for (dw, db), (w, b) in zip(zip(*layer_views(d, sizes)), zip(*layer_views(center, sizes))):
            target = np.sqrt(np.sum(w**2, axis=1) + b**2)
            now = np.sqrt(np.sum(dw**2, axis=1) + db**2)
            scale = target / np.where(now > 0, now, 1.0)
            dw *= scale[:, None]
            db *= scale
    return dirs


def project(params: np.ndarray, center: np.ndarray, dirs: np.ndarray) -> np.ndarray:
    """Least-squares plane coordinates (a, b) of each row: argmin ||p - center - a d1 - b d2||."""
    gram = dirs @ dirs.T
    return np.linalg.solve(gram, dirs @ (params - center).T).T


# -- the cost on many points of the plane at once -------------------------------------------------


class PlaneCost:
    """C(theta* + a d1 + b d2) for many (a, b), exact, with layer 1 precomputed (see module doc).

    How it is fast (bench/landscape_speed.py: in float32 about 30x `naive_plane_cost`, within 2e-7):

    - sigma(z) = (1 + tanh(z/2)) / 2. One `tanh` pass replaces the four passes of
      1/(1 + exp(-z)), and the halving and the "(1 + .)/2" fold into the weights: a layer that
      reads t = tanh(z/2) instead of sigma(z) uses [W/4 | rowsum(W)/4 + b/2] to give its own z/2
      directly, and the cost is (1/n) sum (t - (2y - 1))^2 / 4. Same function, fewer passes.
    - The bias is an extra input fixed at 1 (a row of ones under each activation block), so each
      layer is one matrix product, with no broadcast bias pass.
    - Examples are split into blocks of at most `_BLOCK` (activations laid out as
      (points, blocks, neurons, examples)): every product is a small BLAS call that OpenBLAS
      runs on one thread. Multi-threaded small products were about as fast on an idle machine but
      tens of times slower while another process kept a core busy. The padding in the last block
      is zeroed before the sum.
    - In float32 the final sum is NumPy's pairwise sum along a contiguous row. That keeps it
      within ~2e-7 of float64; the old einsum reduction drifted to ~3e-5.
    """

    _BLOCK = 1024  # examples per block: a 16-neuron block is 64 KB of float32, cache-resident

    def __init__(self, sizes: list[int], center: np.ndarray, dirs: np.ndarray, X: np.ndarray, Y: np.ndarray,
                 dtype: type = np.float32) -> None:
        self.dtype = np.dtype(dtype)
        self.n = n = len(X)
        self.widths = [int(s) for s in sizes[1:]]
        self.blocks = nb = -(-n // self._BLOCK)
        self.block = B = -(-n // nb)  # examples per block; the last block has `pad` empty slots
        self.pad = nb * B - n
        (w1c, *wc), (b1c, *bc) = layer_views(center, sizes)
        views = [layer_views(d, sizes) for d in dirs]
        h = self.widths[0]
        # layer 1: z/2 = (Z0 + a Z1 + b Z2)/2, computed once in float64, stored per block as
        # three rows of h*B values so that one product with [1, a, b] gives a whole block
        w1 = np.concatenate([w1c] + [v[0][0] for v in views])  # (3h, n_0)
        b1 = np.concatenate([b1c] + [v[1][0] for v in views])
        z = np.zeros((3 * h, nb * B))
        np.matmul(w1, X.T, out=z[:, :n])
        z[:, :n] += b1[:, None]
        z *= 0.5
        self.z = np.ascontiguousarray(
            z.reshape(3, h, nb, B).transpose(2, 0, 1, 3).reshape(nb, 3, h * B), dtype=self.dtype
        )
        # later layers: per layer a (3, n_out, n_in + 1) stack, the folded weights of the center
        # and of each direction (folding is linear, so W(a, b) folds to F0 + a F1 + b F2)
        self.layers = [
            np.stack([self._fold(wc[l], bc[l])] + [self._fold(v[0][l + 1], v[1][l + 1]) for v in views])
            for l in range(len(wc))
        ]
        target = np.zeros((self.widths[-1], nb * B))
        target[:, :n] = 2.0 * Y.T - 1.0
        self.target = np.ascontiguousarray(
            target.reshape(self.widths[-1], nb, B).transpose(1, 0, 2), dtype=self.dtype
        )

    @staticmethod
    def _fold(w: np.ndarray, b: np.ndarray) -> np.ndarray:
        """[W/4 | rowsum(W)/4 + b/2]: maps [t; 1], t = tanh(z_prev/2), to z/2 of this layer."""
        return np.column_stack([w / 4.0, w.sum(axis=1) / 4.0 + b / 2.0])

    def __call__(self, ab: np.ndarray) -> np.ndarray:
        """Cost at each row (a, b) of `ab` (G x 2), as float64."""
        ab = np.asarray(ab, dtype=np.float64).reshape(-1, 2)
        nb, B = self.blocks, self.block
        chunk = max(1, min(len(ab), CHUNK_ELEMENTS // (nb * B * max(self.widths))))
        # hidden layers carry a row of ones under each block (the bias input); the output does not
        bufs = [np.empty((chunk, nb, (w + 1) * B), self.dtype) for w in self.widths[:-1]]
        for buf, w in zip(bufs, self.widths):
            buf[:, :, w * B :] = 1.0
        bufs.append(np.empty((chunk, nb, self.widths[-1] * B), self.dtype))
        out = np.empty(len(ab))
        for i in range(0, len(ab), chunk):
            out[i : i + chunk] = self._chunk(ab[i : i + chunk], bufs)
        return out

    def _chunk(self, ab: np.ndarray, bufs: list[np.ndarray]) -> np.ndarray:
        g, nb, B = len(ab), self.blocks, self.block
        coef = np.column_stack([np.ones(g), ab])  # (g, 3): [1, a, b]
        buf = bufs[0][:g]
        act = buf[:, :, : self.widths[0] * B]
        np.matmul(coef.astype(self.dtype)[:, None, None, :], self.z, out=act[:, :, None, :])
        np.tanh(act, out=act)
        for stack, nbuf, w_in, w_out in zip(self.layers, bufs[1:], self.widths, self.widths[1:]):
            w = np.einsum("gk,kij->gij", coef, stack).astype(self.dtype)  # (g, n_out, n_in + 1)
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


def naive_plane_cost(sizes: list[int], center: np.ndarray, dirs: np.ndarray, X: np.ndarray, Y: np.ndarray,
                     ab: np.ndarray) -> np.ndarray:
    """The same costs the slow, obvious way: set the weights, run the full network, per point."""
    net = Network(sizes)
    out = np.empty(len(ab))
    for i, (a, b) in enumerate(ab):
        net.params[:] = center + a * dirs[0] + b * dirs[1]
        out[i] = net.cost(X, Y)
    return out


# -- the whole landscape, added to a recording ----------------------------------------------------


def grid_axes(path: np.ndarray, points: int, span: float | None) -> tuple[np.ndarray, np.ndarray]:
    """Axes covering the projected path with a 25% margin (or [-span, span] when given)."""
    if span is not None:
        return np.linspace(-span, span, points), np.linspace(-span, span, points)
    lo, hi = path.min(axis=0), path.max(axis=0)
    width = np.maximum(hi - lo, 0.05 * np.max(hi - lo))  # never a degenerate axis
    lo, hi = lo - 0.25 * width, hi + 0.25 * width
    return np.linspace(lo[0], hi[0], points), np.linspace(lo[1], hi[1], points)


def add_landscape(
    rec: Recording,
    dataset: Dataset,
    method: str = "pca",
    grid: int = 61,
    eval_samples: int = 1000,
    span: float | None = None,
    seed: int = 0,
    dtype: type = np.float32,
    on_progress: Callable[[int], None] | None = None,
) -> None:
    """Compute the land_* arrays (see DESIGN.md) and put them into `rec` (the caller saves)."""
    if not 2 <= grid <= 1001:
        raise UserError(f"--grid {grid}: choose between 2 and 1001 points per side")
    if eval_samples < 1:
        raise UserError(f"--eval-samples {eval_samples}: must be at least 1")
    if span is not None and not span > 0:
        raise UserError(f"--span {span}: must be a positive number")
    if method not in ("pca", "random"):
        raise UserError(f"--method {method}: choose pca or random")
    started = time.perf_counter()
    sizes, params = rec.sizes, rec["params"]
    center = params[-1]
    rng = np.random.default_rng(seed)
    if method == "pca":
        dirs, explained = pca_directions(params, center)
    else:
        dirs, explained = random_directions(sizes, center, rng), None

    config = TrainConfig(**rec.config)
    x_train, labels = training_set(config, dataset)
    take = np.sort(rng.choice(len(labels), size=min(eval_samples, len(labels)), replace=False))
    X, Y = x_train[take], one_hot(labels[take])

    path = project(params, center, dirs)
    moves = params - center
    in_plane = path @ dirs
    captured = float(np.sum(in_plane**2) / max(np.sum(moves**2), 1e-300))
    xs, ys = grid_axes(path, grid, span)
    plane = PlaneCost(sizes, center, dirs, X, Y, dtype=dtype)
    aa, bb = np.meshgrid(xs, ys)  # cost[i, j] is at (xs[j], ys[i])
    points = np.column_stack([aa.ravel(), bb.ravel()])
    rows = []
    for i in range(0, len(points), grid):
        rows.append(plane(points[i : i + grid]))
        if on_progress:
            on_progress(i + grid)
    cost = np.concatenate(rows).reshape(grid, grid)

    net = Network(sizes)
    true_cost = np.empty(len(params))
    for k, p in enumerate(params):
        net.params[:] = p
        true_cost[k] = net.cost(X, Y)
    plane_cost = PlaneCost(sizes, center, dirs, X, Y, dtype=np.float64)(path)
    reach = max(np.abs(xs).max(), np.abs(path[:, 0]).max())
    slice_t = np.linspace(-reach, reach, SLICE_POINTS)
    slice_cost = plane(np.column_stack([slice_t, np.zeros_like(slice_t)]))

    meta = {
        "method": method,
        "explained": None if explained is None else [float(e) for e in explained],
        "captured": captured,
        "eval_set": "train",
        "eval_samples": int(len(take)),
        "labels": config.labels,
        "grid": grid,
        "span": span,
        "seed": seed,
        "dtype": np.dtype(dtype).name,
        "center": "final weights (last snapshot)",
        "run_status": rec.status,
        "max_plane_gap": float(np.max(np.abs(plane_cost - true_cost))),
        "slice": "along direction 1 through the final weights (b = 0)",
        "seconds": round(time.perf_counter() - started, 3),
    }
    rec.arrays.update(
        land_meta=np.array(json.dumps(meta)),
        land_dirs=dirs,
        land_x=xs,
        land_y=ys,
        land_cost=cost,
        land_path=path,
        land_path_true_cost=true_cost,
        land_path_plane_cost=plane_cost,
        land_slice_t=slice_t,
        land_slice_cost=slice_cost,
        land_eval_idx=take,
    )
