"""Gradient descent on a measured 1-D slice of the cost: the picture before the real thing.

The landscape stores the real cost C(t) at points t along one line through weight space. Here a
ball descends that curve by the rule x <- x - eta * C'(x), with C' from the samples (central
differences, linear interpolation between them). This is a demonstration on the real slice, not
the recorded training run; the scene says so.

Units: t is a distance in weight space, whose numbers (say -108.8 to 108.8) mean nothing to a
learner. We rescale to x = t / unit so the slice spans -10..10; a step size that reaches the
valley in a handful of steps without overshooting is a round number (1, 2 or 5 times a power of ten).
"""

from __future__ import annotations

import numpy as np

HALF_WIDTH = 10.0  # the rescaled slice spans [-HALF_WIDTH, HALF_WIDTH]


def rescale(t: np.ndarray) -> tuple[np.ndarray, float]:
    """x = t / unit with max |x| = HALF_WIDTH; returns (x, unit)."""
    unit = float(np.max(np.abs(t))) / HALF_WIDTH or 1.0
    return t / unit, unit


def slope(x: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """dC/dx at each sample (central differences inside, one-sided at the ends)."""
    return np.gradient(cost, x)


def readable_eta(x: np.ndarray, cost: np.ndarray, start: float, steps: int, near: float = 0.05) -> float:
    """The smallest step size of the form 1, 2 or 5 times a power of ten with which `steps`
    steps from `start` come within `near` of the cost's range above the valley they head for,
    never going uphill (no overshoot). If none does, the largest that never goes uphill."""
    best = None
    for e in range(-4, 5):
        for m in (1, 2, 5):
            eta = m * 10.0**e
            path = descend(x, cost, start, eta, steps)
            heights = np.interp(path, x, cost)
            if np.any(np.diff(heights) > 1e-12):
                return best if best is not None else eta
            best = eta
            if heights[-1] - _valley_floor(x, cost, path[-1]) <= near * float(np.ptp(cost)):
                return eta
    return best


def _valley_floor(x: np.ndarray, cost: np.ndarray, at: float) -> float:
    """The lowest cost reachable by walking downhill from `at` along the samples."""
    i = int(np.clip(np.searchsorted(x, at), 0, len(x) - 1))
    while True:
        left = cost[i - 1] if i > 0 else np.inf
        right = cost[i + 1] if i < len(x) - 1 else np.inf
        if min(left, right) >= cost[i]:
            return float(cost[i])
        i = i - 1 if left < right else i + 1


def descend(x: np.ndarray, cost: np.ndarray, start: float, eta: float, steps: int) -> np.ndarray:
    """Positions x_0 = start, x_{n+1} = clip(x_n - eta * C'(x_n)) for n < steps."""
    s = slope(x, cost)
    out = [float(start)]
    for _ in range(steps):
        here = out[-1]
        out.append(float(np.clip(here - eta * np.interp(here, x, s), x[0], x[-1])))
    return np.array(out)


def valleys(x: np.ndarray, cost: np.ndarray, min_depth: float = 0.02) -> list[int]:
    """Indices of the slice's local minima that are real valleys: each is lower than the highest
    point between it and its neighbouring minima by at least `min_depth` of the cost's range
    (so sampling ripples do not count). Sorted by x."""
    inner = np.nonzero((cost[1:-1] < cost[:-2]) & (cost[1:-1] <= cost[2:]))[0] + 1
    candidates = sorted(set(inner.tolist()) | {i for i in (0, len(x) - 1) if _is_end_minimum(cost, i)})
    depth = min_depth * float(np.ptp(cost) or 1.0)
    kept: list[int] = []
    for i in candidates:
        if kept and np.max(cost[kept[-1] : i + 1]) - max(cost[kept[-1]], cost[i]) < depth:
            if cost[i] < cost[kept[-1]]:
                kept[-1] = i  # the same valley: keep its lower point
            continue
        kept.append(i)
    return kept


def _is_end_minimum(cost: np.ndarray, i: int) -> bool:
    return bool(cost[i] < cost[1]) if i == 0 else bool(cost[i] < cost[-2])


def starts_either_side(x: np.ndarray, cost: np.ndarray, a: int, b: int, share: float = 0.25) -> tuple[float, float]:
    """Two starts on either side of the ridge between valleys a < b (sample indices), each a
    `share` of the way from the ridge down towards its valley: they roll into different valleys."""
    ridge = a + int(np.argmax(cost[a : b + 1]))
    return float(x[ridge] + share * (x[a] - x[ridge])), float(x[ridge] + share * (x[b] - x[ridge]))


def highest_start(x: np.ndarray, cost: np.ndarray, valley: int) -> float:
    """Where a lone ball starts: the higher of the slice's two ends, stepped in a little."""
    end = 0 if cost[0] >= cost[-1] else len(x) - 1
    return float(x[end] + 0.05 * (x[valley] - x[end]))
