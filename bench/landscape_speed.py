"""How fast, and how exact, is the cost-landscape grid? (a benchmark, not a test)

It trains a 784-16-16-10 network for one epoch on the full Fashion-MNIST (60k images), takes the
plane through the final weights spanned by the two principal directions of the recorded path
(`nn.landscape.pca_directions`), and evaluates the quadratic cost over the 10,000 test images on
a grid covering the projected path (the axes `nn landscape` would use):

- `naive_plane_cost`, float64: set the weights and run the whole network, one grid point at a
  time. This is the reference.
- `PlaneCost(..., dtype=np.float32)`: the fast evaluator as `nn landscape` uses it.
- `PlaneCost(..., dtype=np.float64)`: the same algorithm in double precision.

For each one it prints the wall time (building the PlaneCost included: the layer-1 precompute is
part of the price), the speed-up over naive, and the largest relative difference from naive,
max |fast - naive| / |naive|. Targets: float32 at least 20x faster than naive with a relative
difference of at most 1e-5; float64 within 1e-10. It then times the fast float32 path on a
101x101 grid and measures its peak memory with tracemalloc (NumPy reports its array
allocations to tracemalloc); the peak counts only what PlaneCost allocates, not the dataset that
is already loaded.

Fast timings are the best of --repeats runs (the naive one runs once: it takes about half a
minute). The machine's load average is printed because a busy second core slows everything.

    .venv/bin/python bench/landscape_speed.py [--data DIR] [--grid 51] [--big-grid 101]

The same comparison is then made for the default surface, the sheet through every snapshot
(`nn.surface.swept_sheet`, at most 5 basis vectors per point): `CombinationCost` in float32 against
the naive float64 forward pass at each of `Surface.params`'s weight vectors, on the sheet's grid.

Exits with status 1 if an accuracy target is missed; a missed speed target is only reported,
because timings depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nn.combination_cost import CombinationCost
from nn.data import load_idx_dir, one_hot
from nn.landscape import PlaneCost, grid_axes, naive_cost, naive_plane_cost, pca_directions, project, sheet_axes
from nn.surface import swept_sheet
from nn.train import TrainConfig, train

FASHION = "/usr/share/datasets/fashion-mnist"
SPEEDUP_TARGET = 20.0
RTOL_FLOAT32 = 1e-5
RTOL_FLOAT64 = 1e-10


@dataclass
class Row:
    """One line of the results table."""

    name: str
    grid: int
    seconds: float
    costs: np.ndarray
    peak_mb: float | None = None


def grid_points(path: np.ndarray, points: int) -> np.ndarray:
    """(points**2, 2) plane coordinates covering the projected path, row by row as `nn landscape`."""
    xs, ys = grid_axes(path, points, None)
    aa, bb = np.meshgrid(xs, ys)
    return np.column_stack([aa.ravel(), bb.ravel()])


def best_time(run: Callable[[], np.ndarray], repeats: int) -> tuple[float, np.ndarray]:
    """The fastest of `repeats` wall-clock timings of run(), and its result."""
    best, result = float("inf"), np.empty(0)
    for _ in range(repeats):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


def peak_mb(run: Callable[[], np.ndarray]) -> float:
    """Peak traced memory (MB) allocated while run() executes."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 1e6


def max_rel(fast: np.ndarray, naive: np.ndarray) -> float:
    return float(np.max(np.abs(fast - naive) / np.abs(naive)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=FASHION, help="folder of the four IDX files (Fashion-MNIST)")
    parser.add_argument("--grid", type=int, default=51, help="points per side, naive vs fast")
    parser.add_argument("--big-grid", type=int, default=101, help="points per side, fast float32 only")
    parser.add_argument("--repeats", type=int, default=3, help="fast timings: best of this many")
    args = parser.parse_args(argv)

    print(f"numpy {np.__version__}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    started = time.perf_counter()
    dataset = load_idx_dir(args.data)
    rec = train(TrainConfig(epochs=1, snapshots=40, data=args.data), dataset)
    params = rec["params"]
    sizes = rec.sizes
    center = params[-1]
    dirs, explained = pca_directions(params, center)
    path = project(params, center, dirs)
    X, Y = dataset.x_test, one_hot(dataset.y_test)
    print(
        f"trained {sizes} for 1 epoch on {len(dataset.y_train):,} images in "
        f"{time.perf_counter() - started:.1f} s; PCA plane explains {explained.sum():.1%} of the path; "
        f"cost over {len(X):,} test images"
    )

    def fast(dtype: type, ab: np.ndarray) -> Callable[[], np.ndarray]:
        return lambda: PlaneCost(sizes, center, dirs, X, Y, dtype=dtype)(ab)

    ab = grid_points(path, args.grid)
    big = grid_points(path, args.big_grid)
    rows = []
    for name, dtype, points in (
        ("fast float32", np.float32, ab),
        ("fast float64", np.float64, ab),
        ("fast float32", np.float32, big),
    ):
        seconds, costs = best_time(fast(dtype, points), args.repeats)
        side = int(round(np.sqrt(len(points))))
        rows.append(Row(name, side, seconds, costs, peak_mb(fast(dtype, points))))
    print(f"naive float64 on {len(ab):,} points (one full forward pass each) ...", flush=True)
    seconds, naive = best_time(lambda: naive_plane_cost(sizes, center, dirs, X, Y, ab), 1)
    rows.insert(0, Row("naive float64", args.grid, seconds, naive))
    load = os.getloadavg()[0]
    print(f"load average after: {load:.2f}")
    if load > (os.cpu_count() or 1):
        print("warning: more runnable threads than CPUs; timings (the naive one most) are inflated")
    print()

    header = (
        f"{'evaluator':<14} {'grid':>7} {'seconds':>8} {'ms/point':>9} {'speed-up':>9} "
        f"{'max rel diff':>13} {'peak MB':>8}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        same_grid = row.grid == args.grid
        speedup = f"{rows[0].seconds / row.seconds:8.1f}x" if same_grid else f"{'-':>9}"
        rel = f"{max_rel(row.costs, naive):13.2e}" if same_grid and row is not rows[0] else f"{'-':>13}"
        peak = f"{row.peak_mb:8.1f}" if row.peak_mb is not None else f"{'-':>8}"
        print(
            f"{row.name:<14} {f'{row.grid}x{row.grid}':>7} {row.seconds:8.3f} "
            f"{1e3 * row.seconds / row.grid**2:9.3f} {speedup} {rel} {peak}"
        )

    speedup32 = rows[0].seconds / rows[1].seconds
    rel32, rel64 = max_rel(rows[1].costs, naive), max_rel(rows[2].costs, naive)

    sheet, where = swept_sheet(params, center, dirs[1])
    xs, ys = sheet_axes(where, args.grid, None)
    aa, bb = np.meshgrid(xs, ys)
    idx, coef = sheet.coefficients(aa.ravel(), bb.ravel())
    sheet_seconds, sheet_fast = best_time(
        lambda: CombinationCost(sizes, sheet.basis, X, Y, dtype=np.float32)(coef, idx), args.repeats)
    print(f"\nsheet through all {len(params)} snapshots, {args.grid}x{args.grid}: naive float64 ...", flush=True)
    naive_sheet_seconds, naive_sheet = best_time(
        lambda: naive_cost(sizes, sheet.params(aa.ravel(), bb.ravel()), X, Y), 1)
    sheet_speedup, sheet_rel = naive_sheet_seconds / sheet_seconds, max_rel(sheet_fast, naive_sheet)
    print(f"sheet: naive float64 {naive_sheet_seconds:.3f} s, fast float32 {sheet_seconds:.3f} s: "
          f"{sheet_speedup:.1f}x, max rel diff {sheet_rel:.2e}")
    print()
    checks = [
        (f"sheet float32 >= {SPEEDUP_TARGET:g}x naive", sheet_speedup >= SPEEDUP_TARGET, f"{sheet_speedup:.1f}x",
         False),
        (f"sheet float32 within {RTOL_FLOAT32:g} of naive", sheet_rel <= RTOL_FLOAT32, f"{sheet_rel:.2e}", True),
        (f"fast float32 >= {SPEEDUP_TARGET:g}x naive", speedup32 >= SPEEDUP_TARGET, f"{speedup32:.1f}x", False),
        (f"fast float32 within {RTOL_FLOAT32:g} of naive", rel32 <= RTOL_FLOAT32, f"{rel32:.2e}", True),
        (f"fast float64 within {RTOL_FLOAT64:g} of naive", rel64 <= RTOL_FLOAT64, f"{rel64:.2e}", True),
    ]
    failed = False
    for what, ok, value, is_accuracy in checks:
        print(f"{'met   ' if ok else 'MISSED'} {what}: {value}")
        failed |= is_accuracy and not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
