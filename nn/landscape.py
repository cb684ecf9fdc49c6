"""The real cost on a surface through weight space that the recorded path lies on (or near).

The cost lives in P dimensions (13,002 for the default network). A landscape is a surface
theta(x, y) of real weight vectors (nn/surface.py) and the real cost C(theta(x, y)) on a grid:

- `sheet` (default): the sheet through every recorded snapshot, theta(u, v) = gamma(u) +
  (v - b(u)) d2: the path as a smooth curve gamma through all snapshots, u the distance travelled
  along it, swept sideways along d2, the path's second principal direction (b = the coordinate
  along d2). The ball's height at snapshot k is the true cost of the recorded weights.
- `pca`: the plane theta* + a d1 + b d2 of the path's two principal directions about the final
  weights theta* (Li et al. 2018, "Visualizing the Loss Landscape of Neural Nets"); snapshots
  are projected onto it by least squares, so their heights on it differ from their true costs.
- `random`: the plane of two Gaussian directions, filter-normalised: each neuron's row of the
  direction (its incoming weights and its bias) is scaled to the norm of that neuron's row in theta*.

Per snapshot we store its true cost and its height on the surface, and the recorded gradient
projected onto the surface's tangent plane there (nn/surface.py, `tangent_projection`).
Speed: nn/combination_cost.py (layer 1 is linear in the few basis vectors of each point).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import numpy as np

from nn.combination_cost import CombinationCost, PlaneCost, one_blas_thread  # noqa: F401  (PlaneCost: the plane, re-exported)
from nn.data import Dataset, one_hot
from nn.errors import UserError
from nn.network import Network, layer_views
from nn.recording import Recording
from nn.surface import Surface, curve_weights, lofted_sheet, plane_surface, swept_sheet, tangent_projection
from nn.train import TrainConfig, training_set

SLICE_POINTS = 201
MAX_WEIGHT = 1e12  # beyond this, squared distances between snapshots overflow float64 sums
METHODS = ("sheet", "pca", "random")
DESCRIBE = {
    "sheet": "a curved sheet through every recorded set of weights: the path drawn smoothly through all "
             "snapshots, swept sideways, so the ball's height is always the true cost",
    "pca": "the flat plane that best fits the path (its two principal directions); the ball sits where "
           "each snapshot projects, so its height is not the true cost",
    "random": "a flat plane through the final weights along two random directions; the ball sits where "
              "each snapshot projects, so its height is not the true cost",
}


# -- directions ---------------------------------------------------------------------------------


def pca_directions(params: np.ndarray, center: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The two principal directions of the rows of `params` - center, and each one's share of
    the variance (explained variance ratio). Directions are unit vectors, orthogonal, signed so
    that the first row has a negative (or zero) coordinate along each.

    Computed from the K x K Gram matrix M M^T = U S^2 U^T of the moves M (K snapshots, K << P):
    the right singular vectors are v_i = M^T u_i / s_i, with no SVD of the K x P matrix."""
    moves = params - center
    eigval, eigvec = np.linalg.eigh(moves @ moves.T)
    eigval, eigvec = np.maximum(eigval[::-1], 0.0), eigvec[:, ::-1]
    if len(params) < 2 or eigval[1] <= 1e-12 * eigval[0]:
        raise UserError(
            f"the path has {len(params)} snapshots spanning fewer than 2 directions, so it has no "
            "principal plane; use --method random, or retrain with more --snapshots (at least 3)"
        )
    dirs = (eigvec[:, :2].T @ moves) / np.sqrt(eigval[:2])[:, None]
    dirs /= np.linalg.norm(dirs, axis=1, keepdims=True)  # one more digit of unit length
    dirs *= np.where(dirs @ moves[0] > 0, -1.0, 1.0)[:, None]
    return dirs, eigval[:2] / eigval.sum()


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


# -- the slow, obvious reference ----------------------------------------------------------------


def naive_plane_cost(sizes: list[int], center: np.ndarray, dirs: np.ndarray, X: np.ndarray, Y: np.ndarray,
                     ab: np.ndarray) -> np.ndarray:
    """The same costs the slow, obvious way: set the weights, run the full network, per point."""
    net = Network(sizes)
    out = np.empty(len(ab))
    for i, (a, b) in enumerate(ab):
        net.params[:] = center + a * dirs[0] + b * dirs[1]
        out[i] = net.cost(X, Y)
    return out


def naive_cost(sizes: list[int], thetas: np.ndarray, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """The cost at each weight vector (row of `thetas`), one full float64 forward pass each."""
    net = Network(sizes)
    out = np.empty(len(thetas))
    for i, theta in enumerate(thetas):
        net.params[:] = theta
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


def sheet_axes(path: np.ndarray, points: int, span: float | None) -> tuple[np.ndarray, np.ndarray]:
    """Axes for a sheet: u from a tenth of the first step before the start (behind the start the
    sheet climbs steeply, back up the first gradient) to 10% of the path's length past the end;
    y covering the path with a 25% margin (or [-span, span] when given).

    The u points are equally spaced in sqrt(u - u[0]), not in u: SGD's first steps travel a few
    units where the whole run travels hundreds, so a uniform grid would put the first cliff
    (most of the fall in cost) inside one cell. Scenes draw u on the same square-root scale."""
    u = path[:, 0]
    first, length = u[1] - u[0], u[-1] - u[0]
    _, ys = grid_axes(path, points, span)
    lo, hi = u[0] - 0.1 * first, u[-1] + 0.1 * length
    return lo + np.linspace(0.0, np.sqrt(hi - lo), points) ** 2, ys


def line_slice(center: np.ndarray, direction: np.ndarray, path: np.ndarray, fast_of: Callable
               ) -> tuple[np.ndarray, np.ndarray]:
    """The cost along one straight line through the final weights: C(theta* + t d) for t covering
    the path's projection `path` onto d with a 25% margin. `fast_of(basis)` gives a CombinationCost."""
    lo, hi = float(path.min()), float(path.max())
    width = hi - lo or 1.0
    t = np.linspace(lo - 0.25 * width, hi + 0.25 * width, SLICE_POINTS)
    return t, fast_of(np.vstack([center, direction]))(np.column_stack([np.ones_like(t), t]))


def eval_sample(rec: Recording, dataset: Dataset, eval_samples: int, seed: int
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(indices, X, Y): `eval_samples` training digits, drawn with `seed`, the cost is averaged over."""
    config = TrainConfig(**rec.config)
    x_train, labels = training_set(config, dataset)
    take = np.sort(np.random.default_rng(seed).choice(len(labels), size=min(eval_samples, len(labels)),
                                                      replace=False))
    return take, x_train[take], one_hot(labels[take], config.sizes[-1])


def grid_cost(surface: Surface, fast: CombinationCost, xs: np.ndarray, ys: np.ndarray,
              on_progress: Callable[[int], None] | None = None) -> np.ndarray:
    """cost[i, j] = C(theta(xs[j], ys[i])), row by row."""
    rows = []
    for i, y in enumerate(ys):
        idx, coef = surface.coefficients(xs, np.full_like(xs, y))
        rows.append(fast(coef, idx))
        if on_progress:
            on_progress((i + 1) * len(xs))
    return np.array(rows)


def path_arrays(surface: Surface, sizes: list[int], X: np.ndarray, Y: np.ndarray, path: np.ndarray,
                params: np.ndarray, grads: np.ndarray, exact: CombinationCost | None = None
                ) -> dict[str, np.ndarray]:
    """Per snapshot: true cost, height on the surface (float64, with `exact` when given), the
    gradient's least-squares coefficients in the tangent basis and its share in the tangent plane."""
    idx, coef = surface.coefficients(path[:, 0], path[:, 1])
    exact = exact or CombinationCost(sizes, surface.basis, X, Y, dtype=np.float64)
    grad_ab, share = np.empty((len(path), 2)), np.empty(len(path))
    for k, (x, y) in enumerate(path):
        grad_ab[k], share[k] = tangent_projection(grads[k], surface.tangents(x, y))
    return {
        "land_path": path,
        "land_path_true_cost": naive_cost(sizes, params, X, Y),
        "land_path_plane_cost": exact(coef, idx),
        "land_grad_ab": grad_ab,
        "land_grad_share": share,
    }


@one_blas_thread
def add_landscape(
    rec: Recording,
    dataset: Dataset,
    method: str = "sheet",
    grid: int = 61,
    eval_samples: int = 1000,
    span: float | None = None,
    seed: int = 0,
    dtype: type = np.float32,
    on_progress: Callable[[int], None] | None = None,
) -> None:
    """Compute the land_* arrays (README, "Where this differs") and put them into `rec`."""
    check_options(method, grid, eval_samples, span)
    started = time.perf_counter()
    sizes, params = rec.sizes, rec["params"]
    biggest = float(np.max(np.abs(params)))
    if not biggest < MAX_WEIGHT:
        raise UserError(f"{rec.path or 'this run'}: its weights reach {biggest:.3g}, so distances and directions "
                        f"in weight space overflow and no landscape can be computed; retrain with a smaller --lr")
    center = params[-1]
    rng = np.random.default_rng(seed)
    if method in ("pca", "sheet"):
        dirs, explained = pca_directions(params, center)
    else:
        dirs, explained = random_directions(sizes, center, rng), None
    take, X, Y = eval_sample(rec, dataset, eval_samples, seed)
    plane_path = project(params, center, dirs)
    moves = params - center
    captured = float(np.sum((plane_path @ dirs) ** 2) / max(np.sum(moves**2), 1e-300))

    if method == "sheet":
        surface, path = swept_sheet(params, center, dirs[1])
        xs, ys = sheet_axes(path, grid, span)
    else:
        surface, path = plane_surface(center, dirs), plane_path
        xs, ys = grid_axes(path, grid, span)
    fast = CombinationCost(sizes, surface.basis, X, Y, dtype=dtype)
    arrays = path_arrays(surface, sizes, X, Y, path, params, rec["grads"])
    arrays["land_cost"] = grid_cost(surface, fast, xs, ys, on_progress)
    slice_t, slice_y = slice_points(surface, path, xs)
    idx, coef = surface.coefficients(slice_t, slice_y)
    line_t, line_cost = line_slice(center, dirs[0], plane_path[:, 0],
                                   lambda basis: CombinationCost(sizes, basis, X, Y, dtype=dtype))
    gap = np.abs(arrays["land_path_plane_cost"] - arrays["land_path_true_cost"])
    meta = {
        "method": method,
        "construction": "swept sheet" if method == "sheet" else "plane",
        "describe": DESCRIBE[method],
        "x": "distance travelled along the path (u)" if method == "sheet" else "coordinate along direction 1",
        "y": "coordinate along direction 2 (the sheet's sweep direction)" if method == "sheet"
             else "coordinate along direction 2",
        "explained": None if explained is None else [float(e) for e in explained],
        "captured": 1.0 if method == "sheet" else captured,
        "plane_captured": captured,
        "eval_set": "train",
        "eval_samples": int(len(take)),
        "labels": rec.config["labels"],
        "grid": grid,
        "span": span,
        "seed": seed,
        "dtype": np.dtype(dtype).name,
        "center": "final weights (last snapshot)",
        "run_status": rec.status,
        "shared": False,
        "max_plane_gap": float(gap.max()),
        "slice": ("along the recorded path itself: theta = gamma(u), the sheet at y = b(u) (land_slice_y)"
                  if method == "sheet" else "along direction 1 through the final weights (b = 0)"),
        "x_spacing": "sqrt" if method == "sheet" else "linear",
        "line": "a straight line through the final weights along direction 1 (land_line_t, land_line_cost)",
        "grad": "recorded mini-batch gradient at each snapshot, projected onto the tangent plane: land_grad_ab = "
                "least-squares coefficients in (d theta/dx, d theta/dy), land_grad_share = |projection| / |grad|",
    }
    arrays.update(
        land_dirs=dirs,
        land_x=xs,
        land_y=ys,
        land_slice_t=slice_t,
        land_slice_y=slice_y,
        land_slice_cost=fast(coef, idx),
        land_line_t=line_t,
        land_line_cost=line_cost,
        land_eval_idx=take,
    )
    meta["cost_range"] = [float(arrays["land_cost"].min()), float(arrays["land_cost"].max())]
    meta["seconds"] = round(time.perf_counter() - started, 3)
    rec.arrays.update(land_meta=np.array(json.dumps(meta)), **arrays)


def check_options(method: str, grid: int, eval_samples: int, span: float | None) -> None:
    """UserError for a nonsense landscape option."""
    if not 2 <= grid <= 1001:
        raise UserError(f"--grid {grid}: choose between 2 and 1001 points per side")
    if eval_samples < 1:
        raise UserError(f"--eval-samples {eval_samples}: must be at least 1")
    if span is not None and not span > 0:
        raise UserError(f"--span {span}: must be a positive number")
    if method not in METHODS:
        raise UserError(f"--method {method}: choose {', '.join(METHODS)}")


def slice_points(surface: Surface, path: np.ndarray, xs: np.ndarray, row: float | None = None
                 ) -> tuple[np.ndarray, np.ndarray]:
    """The 1-D slice: on a plane, along x through the final weights (y = 0); on a swept sheet,
    along the path itself (y = b(u), interpolated as gamma is); on a lofted sheet, along `row`."""
    if surface.kind == "plane":
        reach = max(np.abs(xs).max(), np.abs(path[:, 0]).max())
        t = np.linspace(-reach, reach, SLICE_POINTS)
        return t, np.zeros_like(t)
    t = np.linspace(xs[0], xs[-1], SLICE_POINTS)
    if surface.kind == "lofted":
        return t, np.full_like(t, row)
    idx, w, _ = curve_weights(t, surface.knots)
    return t, np.sum(w * path[idx, 1], axis=1)


def surface_of(rec: Recording) -> Surface:
    """The surface a recording's landscape was computed on, rebuilt from its snapshots (a shared
    sheet also reads the group's other members, next to `rec` on disk)."""
    if not rec.has_landscape:
        raise UserError(f"{rec.path or 'recording'} has no landscape; add it with `python -m nn landscape`")
    meta, params, dirs = rec.landscape_meta, rec["params"], rec["land_dirs"]
    if meta["method"] != "sheet":
        return plane_surface(params[-1], dirs)
    if not meta.get("shared"):
        return swept_sheet(params, params[-1], dirs[1])[0]
    from nn.shared_landscape import member_paths

    return lofted_sheet(member_paths(rec))[0]


def surface_params(rec: Recording, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The weight vectors (G x P) at surface coordinates (x[g], y[g]) = (land_x, land_y units): the
    grid value land_cost[i, j] is the cost of surface_params(rec, land_x[j], land_y[i])."""
    return surface_of(rec).params(x, y)
