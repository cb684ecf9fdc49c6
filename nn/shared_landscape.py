"""Learning rates side by side: three runs from the same start on ONE shared cost surface.

The group trains the same network from the same initial weights, on the same batches in the
same order (same seed), with a too-small, a good and a too-large learning rate. Measured on the
default data (30 epochs): 0.1 ends at train cost 0.17 (still on the plateau for 5 epochs), 3.0 at
0.04, 10 at 0.21 after bouncing (its epoch cost rises in 12 of 29 epochs).

The shared surface is the lofted sheet of nn/surface.py through all three paths: run r's
snapshots lie on the row y = y_r, in order of learning rate, at x = the runs' mean distance
travelled by that snapshot; between rows the weights of neighbouring runs at the same snapshot
are blended linearly. Every height on a run's row at a snapshot is that run's true cost.
Each member recording gets the whole landscape: its own land_* arrays (its path, costs, slice
along its row, gradient projection) plus land_group_path (R, K, 2), land_group_true_cost and
land_group_plane_cost (R, K) for all runs, rows in the order of meta['members'].
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from nn.combination_cost import CombinationCost, one_blas_thread
from nn.data import Dataset
from nn.errors import UserError
from nn.landscape import check_options, eval_sample, grid_cost, path_arrays, pca_directions, slice_points
from nn.recording import Recording, load
from nn.surface import lofted_sheet
from nn.train import TrainConfig

LEARNING_RATES = {"small": 0.1, "good": 3.0, "large": 10.0}
DESCRIBE = ("one curved sheet holding all three runs: each run's path is a line across it, and between "
            "two paths the weights are blended, so every height is a true cost")


def learning_rate_configs(base: TrainConfig) -> dict[str, TrainConfig]:
    """The group's runs: `base` with each of LEARNING_RATES (same seed: same start, same batches)."""
    return {name: replace(base, lr=lr) for name, lr in LEARNING_RATES.items()}


def behaviour(rec: Recording) -> dict:
    """What the run did, measured: final cost, epochs whose training cost rose, step-to-step bounce."""
    cost, steps = rec["epoch_train_cost"], rec["step_cost"]
    return {
        "lr": rec.config["lr"],
        "status": rec.status,
        "final_train_cost": float(cost[-1]),
        "final_test_acc": float(rec["epoch_test_acc"][-1]),
        "epochs_cost_rose": int(np.sum(np.diff(cost[1:]) > 0)),
        "epochs": rec.epochs_done,
        "step_bounce": float(np.mean(np.abs(np.diff(steps[len(steps) // 2 :])))) if len(steps) > 2 else 0.0,
    }


@one_blas_thread
def add_shared_landscape(
    runs: dict[str, Recording],
    dataset: Dataset,
    grid: int = 61,
    eval_samples: int = 1000,
    seed: int = 0,
    dtype: type = np.float32,
    on_progress: Callable[[int], None] | None = None,
) -> None:
    """Put the shared surface (module doc) into every run of `runs` (rows in the dict's order)."""
    check_options("sheet", grid, eval_samples, None)
    started = time.perf_counter()
    names, recs = list(runs), list(runs.values())
    bad = [f"{n} ({r.status})" for n, r in runs.items() if r.status != "complete"]
    if bad:
        raise UserError(f"runs {', '.join(bad)} did not complete, so their paths cannot share one sheet; "
                        "train the group again (with fewer epochs if time is short)")
    sizes = recs[0].sizes
    surface, where = lofted_sheet([r["params"] for r in recs])
    take, X, Y = eval_sample(recs[0], dataset, eval_samples, seed)
    first, length = surface.knots[1] - surface.knots[0], surface.knots[-1] - surface.knots[0]
    lo, hi = -0.1 * first, surface.knots[-1] + 0.1 * length
    xs = lo + np.linspace(0.0, np.sqrt(hi - lo), grid) ** 2  # equal steps in sqrt(x): see sheet_axes
    pad = 0.25 * (surface.rows[-1] - surface.rows[0])
    ys = np.linspace(surface.rows[0] - pad, surface.rows[-1] + pad, grid)
    fast = CombinationCost(sizes, surface.basis, X, Y, dtype=dtype)
    cost = grid_cost(surface, fast, xs, ys, on_progress)
    exact = CombinationCost(sizes, surface.basis, X, Y, dtype=np.float64)
    per_run = [path_arrays(surface, sizes, X, Y, w, r["params"], r["grads"], exact) for w, r in zip(where, recs)]
    group = {
        "land_group_path": where,
        "land_group_true_cost": np.array([a["land_path_true_cost"] for a in per_run]),
        "land_group_plane_cost": np.array([a["land_path_plane_cost"] for a in per_run]),
    }
    gap = float(np.max(np.abs(group["land_group_plane_cost"] - group["land_group_true_cost"])))
    seconds = round(time.perf_counter() - started, 3)
    for r, (name, rec, arrays) in enumerate(zip(names, recs, per_run)):
        dirs, explained = pca_directions(rec["params"], rec["params"][-1])
        slice_t, slice_y = slice_points(surface, where[r], xs, row=float(surface.rows[r]))
        idx, coef = surface.coefficients(slice_t, slice_y)
        meta = {
            "method": "sheet",
            "construction": "lofted sheet",
            "describe": DESCRIBE,
            "x": "mean distance travelled by the runs (u)",
            "x_spacing": "sqrt",
            "y": "across the runs: run r's path is the row y = rows[r], rows apart by the RMS distance "
                 "between neighbouring runs' snapshots",
            "shared": True,
            "members": names,
            "member": name,
            "row": r,
            "rows": [float(y) for y in surface.rows],
            "runs": {n: behaviour(x) for n, x in runs.items()},
            "explained": [float(e) for e in explained],
            "captured": 1.0,
            "eval_set": "train",
            "eval_samples": int(len(take)),
            "labels": rec.config["labels"],
            "grid": grid,
            "span": None,
            "seed": seed,
            "dtype": np.dtype(dtype).name,
            "center": "none: the sheet holds every snapshot of every run",
            "run_status": rec.status,
            "max_plane_gap": gap,
            "slice": "along this run's own row: its path over the whole x range",
            "grad": "recorded mini-batch gradient at each snapshot, projected onto the tangent plane (across "
                    "runs: the mean of the two one-sided slopes); land_grad_ab = least-squares coefficients",
            "cost_range": [float(cost.min()), float(cost.max())],
            "seconds": seconds,
        }
        rec.arrays.update(land_meta=np.array(json.dumps(meta)), land_dirs=dirs, land_x=xs, land_y=ys,
                          land_cost=cost, land_slice_t=slice_t, land_slice_y=slice_y,
                          land_slice_cost=fast(coef, idx), land_eval_idx=take, **arrays, **group)


def member_paths(rec: Recording) -> list[np.ndarray]:
    """The snapshots of every member of `rec`'s shared sheet, read from the recordings beside it."""
    meta = rec.landscape_meta
    if rec.path is None:
        raise UserError("this recording's shared sheet needs its group folder; load it from disk")
    paths = []
    for name in meta["members"]:
        other = rec if name == meta["member"] else load(rec.path.parent / f"{name}.npz")
        paths.append(other["params"])
    return paths
