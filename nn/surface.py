"""Surfaces in weight space: families theta(x, y) of real weight vectors, one per grid point.

Each surface is a sparse combination theta(x, y) = sum_j c_j(x, y) V_j of fixed basis vectors
V_j (so nn/combination_cost.py evaluates it fast). Three constructions:

- plane (`pca`, `random`): V = [theta*, d1, d2], c = [1, x, y].
- swept sheet (`sheet`, one run): the recorded path as a curve gamma(u) through every snapshot,
  swept sideways along d2, the path's second principal direction:

      theta(u, v) = gamma(u) + (v - b(u)) d2,      b(u) = d2 . (gamma(u) - theta*).

  u is progress along the path: the distance travelled in weight space, u_k = sum_{i<k}
  |theta_{i+1} - theta_i| at snapshot k (chord length), so u only grows and the sheet cannot fold.
  gamma is the C1 cubic Hermite curve through the snapshots at u_k, with Bessel tangents (the
  derivative of the parabola through three neighbouring snapshots), continued straight along its
  end tangents beyond the first and last snapshot. Snapshot k lies on the sheet at (u_k, b_k):
  theta(u_k, b_k) = theta_k exactly. The sheet is orthogonally parametrised (d theta/du is
  perpendicular to d2), and if the path lay in the PCA plane with a only growing it would be that
  plane, with u in place of a. gamma(u) is a combination of at most 4 snapshots, so a point of
  the sheet combines at most 5 basis vectors: V_k = theta_k - b_k d2 and d2.
- lofted sheet (`sheet`, several runs with the same snapshot steps): one curve gamma_r(u) per run
  on shared knots u_k (the runs' mean distance travelled), laid side by side at y = y_r, the gap
  between two neighbours being the RMS distance between their snapshots; between (and beyond)
  the rows the weights are blended linearly: theta(u, y) = sum_r l_r(y) gamma_r(u), l_r the
  piecewise-linear hat functions of the rows. Snapshot k of run r lies at (u_k, y_r) exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nn.errors import UserError

REPEAT = 1e-9  # the knot gap given to a repeated snapshot, as a share of the path's length

# -- the curve through the snapshots ---------------------------------------------------------------


def chord_knots(params: np.ndarray) -> np.ndarray:
    """u_k = distance travelled up to snapshot k, along straight chords; strictly increasing."""
    chords = np.linalg.norm(np.diff(params, axis=0), axis=1)
    total = chords.sum()
    chords = np.maximum(chords, REPEAT * max(total, 1e-300))  # a repeated snapshot still gets its own knot
    return np.concatenate([[0.0], np.cumsum(chords)])


def tangent_matrix(knots: np.ndarray) -> np.ndarray:
    """T (K x K) with m_k = sum_i T[k, i] theta_i, the Hermite tangent at knot k.

    With h_k = u_{k+1} - u_k and chord slopes s_k = (theta_{k+1} - theta_k) / h_k (0 for a
    repeated snapshot): Bessel's
    m_k = (h_k s_{k-1} + h_{k-1} s_k) / (h_{k-1} + h_k) inside, m_0 = s_0, m_{K-1} = s_{K-2}.
    """
    k = len(knots)
    h = np.diff(knots)
    # row i: the weights of s_i. A repeated snapshot's chord (length REPEAT * total) has slope 0:
    # exactly 0, rather than a difference of equal vectors times 1e9, which rounding would ruin
    inv = np.where(h > 1.5 * REPEAT * (knots[-1] - knots[0]), 1.0 / h, 0.0)
    slope = np.zeros((k - 1, k))
    slope[np.arange(k - 1), np.arange(k - 1)] = -inv
    slope[np.arange(k - 1), np.arange(1, k)] = inv
    t = np.zeros((k, k))
    t[0], t[-1] = slope[0], slope[-1]
    for i in range(1, k - 1):
        t[i] = (h[i] * slope[i - 1] + h[i - 1] * slope[i]) / (h[i - 1] + h[i])
    return t


def curve_weights(u: np.ndarray, knots: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """gamma(u) = sum_j w_j theta_{i_j}: returns (idx, w, dw) of shape (len(u), q), q = min(K, 4),
    dw = d w / d u. Inside segment k, t = (u - u_k)/h_k and
    gamma = H00 theta_k + H10 h_k m_k + H01 theta_{k+1} + H11 h_k m_{k+1} (cubic Hermite);
    outside the knots gamma continues along the end tangent: theta_0 + (u - u_0) m_0, etc."""
    u = np.atleast_1d(np.asarray(u, dtype=np.float64))
    k = len(knots)
    tm = tangent_matrix(knots)
    seg = np.clip(np.searchsorted(knots, u, side="right") - 1, 0, k - 2)
    h = knots[seg + 1] - knots[seg]
    t = np.clip((u - knots[seg]) / h, 0.0, 1.0)
    h00, h10, h01, h11 = 2 * t**3 - 3 * t**2 + 1, t**3 - 2 * t**2 + t, -2 * t**3 + 3 * t**2, t**3 - t**2
    d00, d10, d01, d11 = 6 * t**2 - 6 * t, 3 * t**2 - 4 * t + 1, -6 * t**2 + 6 * t, 3 * t**2 - 2 * t
    dense = np.zeros((len(u), k))
    ddense = np.zeros((len(u), k))
    rows = np.arange(len(u))
    dense[rows, seg] += h00
    dense[rows, seg + 1] += h01
    dense += (h10 * h)[:, None] * tm[seg] + (h11 * h)[:, None] * tm[seg + 1]
    ddense[rows, seg] += d00 / h
    ddense[rows, seg + 1] += d01 / h
    ddense += d10[:, None] * tm[seg] + d11[:, None] * tm[seg + 1]
    # straight continuation beyond the ends
    for out, end in ((u < knots[0], 0), (u > knots[-1], k - 1)):
        if np.any(out):
            dense[out] = 0.0
            dense[out, end] = 1.0
            dense[out] += (u[out] - knots[end])[:, None] * tm[end]
            ddense[out] = tm[end]
    q = min(k, 4)
    start = np.clip(seg - 1, 0, k - q)
    idx = start[:, None] + np.arange(q)
    return idx, np.take_along_axis(dense, idx, 1), np.take_along_axis(ddense, idx, 1)


def row_weights(y: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Piecewise-linear hat functions l_r(y) of the rows y_0 < y_1 < ... (continued linearly
    beyond the outer rows) and their derivatives, each (len(y), R). On an inner row the sheet has
    a crease across runs; there the derivative is the mean of the two one-sided ones."""
    y = np.atleast_1d(np.asarray(y, dtype=np.float64))
    n = len(rows)
    seg = np.clip(np.searchsorted(rows, y, side="right") - 1, 0, n - 2)
    gap = rows[seg + 1] - rows[seg]
    t = (y - rows[seg]) / gap
    lw, dl = np.zeros((len(y), n)), np.zeros((len(y), n))
    at = np.arange(len(y))
    lw[at, seg], lw[at, seg + 1] = 1.0 - t, t
    dl[at, seg], dl[at, seg + 1] = -1.0 / gap, 1.0 / gap
    inner = np.flatnonzero((t == 0.0) & (seg > 0))  # exactly on an inner row: average both sides
    for g in inner:
        r = seg[g]
        left = np.zeros(n)
        left[r - 1], left[r] = -1.0 / (rows[r] - rows[r - 1]), 1.0 / (rows[r] - rows[r - 1])
        dl[g] = (dl[g] + left) / 2.0
    return lw, dl


# -- surfaces -----------------------------------------------------------------------------------


@dataclass
class Surface:
    """theta(x, y) = sum_j coef_j V[idx_j]; `kind` is plane | swept | lofted (see module doc)."""

    kind: str
    basis: np.ndarray  # (M, P)
    knots: np.ndarray | None = None  # swept, lofted: u_k
    rows: np.ndarray | None = None  # lofted: y_r of each run
    sweep: np.ndarray | None = None  # swept: d2

    def coefficients(self, x: np.ndarray, y: np.ndarray, derivative: str | None = None
                     ) -> tuple[np.ndarray, np.ndarray]:
        """(idx, coef), each (G, q), for the points (x[g], y[g]); with derivative 'x' or 'y' the
        coefficients of d theta/dx or d theta/dy instead."""
        x, y = np.broadcast_arrays(np.atleast_1d(np.asarray(x, float)), np.atleast_1d(np.asarray(y, float)))
        x, y = x.ravel(), y.ravel()
        if self.kind == "plane":
            one = np.ones_like(x)
            coef = {None: [one, x, y], "x": [0 * one, one, 0 * one], "y": [0 * one, 0 * one, one]}[derivative]
            return np.tile(np.arange(3), (len(x), 1)), np.column_stack(coef)
        cidx, w, dw = curve_weights(x, self.knots)
        if self.kind == "swept":
            last = np.full((len(x), 1), len(self.basis) - 1)
            coef = {None: (w, y[:, None]), "x": (dw, 0 * y[:, None]), "y": (0 * w, 1 + 0 * y[:, None])}[derivative]
            return np.hstack([cidx, last]), np.hstack(coef)
        lw, dl = row_weights(y, self.rows)
        k, r = len(self.knots), len(self.rows)
        cw, rw = {None: (w, lw), "x": (dw, lw), "y": (w, dl)}[derivative]
        idx = (np.arange(r)[None, :, None] * k + cidx[:, None, :]).reshape(len(x), -1)
        return idx, (rw[:, :, None] * cw[:, None, :]).reshape(len(x), -1)

    def params(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The weight vectors theta(x, y), one row per point (G x P)."""
        idx, coef = self.coefficients(x, y)
        return np.einsum("gq,gqp->gp", coef, self.basis[idx])

    def tangents(self, x: float, y: float) -> np.ndarray:
        """(2, P): d theta/dx and d theta/dy at one point (on a lofted row: see row_weights)."""
        out = []
        for d in ("x", "y"):
            idx, coef = self.coefficients(x, y, derivative=d)
            out.append(coef[0] @ self.basis[idx[0]])
        return np.array(out)


def plane_surface(center: np.ndarray, dirs: np.ndarray) -> Surface:
    return Surface("plane", np.vstack([center, dirs]))


def swept_sheet(params: np.ndarray, center: np.ndarray, sweep: np.ndarray) -> tuple[Surface, np.ndarray]:
    """The one-run sheet (module doc) and each snapshot's (u_k, b_k) on it. `sweep` is unit length."""
    if len(params) < 2:
        raise UserError("a sheet through the path needs at least 2 snapshots; use --method random")
    knots = chord_knots(params)
    b = (params - center) @ sweep
    basis = np.vstack([params - b[:, None] * sweep, sweep])
    return Surface("swept", basis, knots=knots, sweep=sweep), np.column_stack([knots, b])


def lofted_sheet(paths: list[np.ndarray]) -> tuple[Surface, np.ndarray]:
    """The several-run sheet (module doc) and each run's snapshot positions, (R, K, 2)."""
    if len({len(p) for p in paths}) != 1 or len(paths[0]) < 2:
        raise UserError("a shared sheet needs runs with the same number of snapshots (at least 2): "
                        "retrain the group so that no run diverges or is interrupted")
    knots = np.mean([chord_knots(p) for p in paths], axis=0)
    gaps = [np.sqrt(np.mean(np.sum((b - a) ** 2, axis=1))) for a, b in zip(paths, paths[1:])]
    rows = np.concatenate([[0.0], np.cumsum(np.maximum(gaps, 1e-9))])
    where = np.stack([np.column_stack([knots, np.full(len(knots), y)]) for y in rows])
    return Surface("lofted", np.vstack(paths), knots=knots, rows=rows), where


def tangent_projection(grad: np.ndarray, tangents: np.ndarray) -> tuple[np.ndarray, float]:
    """Least-squares coefficients c of grad in the tangent basis (rows of `tangents`), and the share
    |P grad| / |grad| of grad lying in their span (P the orthogonal projection onto it).

    c = argmin |grad - c . tangents| = G^-1 T grad with G = T T^T, which is also the steepest-ascent
    direction in the surface's coordinates: (dC/dx, dC/dy) = T grad, and moving by -eta c moves
    the weights by -eta P grad."""
    c, *_ = np.linalg.lstsq(tangents.T, grad, rcond=None)
    norm = np.linalg.norm(grad)
    share = float(np.linalg.norm(c @ tangents) / norm) if norm > 0 else 0.0
    return c, share
